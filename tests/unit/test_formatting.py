from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.formatting import date_time, long_date, number, rupiah, short_date


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp 0"),
        (500, "Rp 500"),
        (1_500, "Rp 1.500"),
        (1_500_000, "Rp 1.500.000"),
        (2_500_000_000, "Rp 2.500.000.000"),
        (-75_000, "-Rp 75.000"),
    ],
)
def test_rupiah(amount: int, text: str) -> None:
    assert rupiah(amount) == text
    assert rupiah(amount, "en") == text  # figures read the same in both languages


@pytest.mark.parametrize("bad", [1.5, "1000", None, True])
def test_rupiah_refuses_anything_but_whole_rupiah(bad: object) -> None:
    with pytest.raises(TypeError):
        rupiah(bad)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_round_trips(amount: int) -> None:
    text = rupiah(amount)
    digits = text.removeprefix("-").removeprefix("Rp ").replace(".", "")
    assert int(digits) * (-1 if text.startswith("-") else 1) == amount
    groups = text.removeprefix("-").removeprefix("Rp ").split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


def test_dates() -> None:
    assert long_date(date(2022, 5, 24)) == "24 Mei 2022"
    assert long_date(date(2022, 8, 17), "en") == "17 August 2022"
    assert long_date(datetime(2026, 1, 1, 23, 59)) == "1 Januari 2026"
    assert short_date(date(2022, 8, 17)) == "17 Agu 2022"
    assert date_time(datetime(2022, 5, 24, 14, 5)) == "24 Mei 2022 14.05"


def test_number() -> None:
    assert number(192) == "192"
    assert number(12_345) == "12.345"
