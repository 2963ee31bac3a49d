"""The statements page's period picker: months, years and date ranges from the query
string, each with the previous period of the same length beside it."""

from __future__ import annotations

from datetime import date

import pytest

from frontend.books.periods import Kind, PeriodRequest, previous, resolve, span_label
from frontend.i18n import translator

TODAY = date(2026, 3, 18)


def test_this_month_by_default_compared_with_the_month_before() -> None:
    period, problem = resolve(PeriodRequest(), TODAY)
    assert problem is None
    assert (period.kind, period.since, period.until) == (
        Kind.BULAN,
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert period.compare == (date(2026, 2, 1), date(2026, 2, 28))
    assert period.month == "2026-03"


@pytest.mark.parametrize(
    ("month", "since", "until", "compare"),
    [
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), (date(2025, 12, 1), date(2025, 12, 31))),
        ("2024-03", date(2024, 3, 1), date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_a_month(month: str, since: date, until: date, compare: tuple[date, date]) -> None:
    period, problem = resolve(PeriodRequest(kind="bulan", month=month), TODAY)
    assert problem is None
    assert (period.since, period.until, period.compare) == (since, until, compare)


def test_a_year_without_comparison() -> None:
    period, problem = resolve(PeriodRequest(kind="tahun", year="2025", compare="tidak"), TODAY)
    assert problem is None
    assert (period.since, period.until, period.compare) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        None,
    )
    assert previous(Kind.TAHUN, period.since, period.until) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )


def test_a_range_is_compared_with_as_many_days_right_before_it() -> None:
    period, problem = resolve(
        PeriodRequest(kind="rentang", since="2026-03-01", until="2026-03-10"), TODAY
    )
    assert problem is None
    assert period.compare == (date(2026, 2, 19), date(2026, 2, 28))
    assert (period.compare[1] - period.compare[0]) == (period.until - period.since)


@pytest.mark.parametrize(
    "asked",
    [
        PeriodRequest(kind="minggu"),
        PeriodRequest(kind="bulan", month="2026-13"),
        PeriodRequest(kind="bulan", month="0001-01"),
        PeriodRequest(kind="tahun", year="dua ribu"),
        PeriodRequest(kind="tahun", year="1900"),  # its comparison year would not exist
        PeriodRequest(kind="rentang", since="2026-03-10", until="2026-03-01"),
        PeriodRequest(kind="rentang", since="kemarin", until="2026-03-01"),
    ],
)
def test_what_cannot_be_used_falls_back_to_this_month(asked: PeriodRequest) -> None:
    period, problem = resolve(asked, TODAY)
    assert problem is not None
    assert (period.kind, period.since, period.until) == (
        Kind.BULAN,
        date(2026, 3, 1),
        date(2026, 3, 31),
    )


def test_labels() -> None:
    _ = translator("id")
    assert span_label(Kind.BULAN, date(2026, 3, 1), date(2026, 3, 31), "id", _) == "Maret 2026"
    assert span_label(Kind.TAHUN, date(2026, 1, 1), date(2026, 12, 31), "id", _) == "Tahun 2026"
    assert (
        span_label(Kind.RENTANG, date(2026, 3, 1), date(2026, 4, 15), "id", _)
        == "1 Maret 2026 – 15 April 2026"
    )
    en = translator("en")
    assert span_label(Kind.BULAN, date(2026, 3, 1), date(2026, 3, 31), "en", en) == "March 2026"
    assert span_label(Kind.TAHUN, date(2026, 1, 1), date(2026, 12, 31), "en", en) == "Year 2026"
