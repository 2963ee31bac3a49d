from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.members.domain import (
    PROVINCE_CODES,
    InvalidNik,
    NikError,
    birth_date,
    format_member_number,
    member_sequence,
    parse_nik,
)


def test_valid_nik_of_a_man() -> None:
    info = parse_nik("3576011308850001")
    assert info.province == "Jawa Timur"
    assert info.regency_code == "3576"
    assert info.district_code == "357601"
    assert (info.birth_day, info.birth_month, info.birth_year_2digit) == (13, 8, 85)
    assert not info.is_female
    assert birth_date(info, date(2026, 11, 29)) == date(1985, 8, 13)


def test_women_add_forty_to_the_day() -> None:
    info = parse_nik("3576 0253 0101 0002")  # spaces as people type them
    assert info.nik == "3576025301010002"
    assert info.is_female and info.birth_day == 13
    assert birth_date(info, date(2026, 11, 29)) == date(2001, 1, 13)


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("357601130885000", NikError.LENGTH),
        ("35760113088500011", NikError.LENGTH),
        ("", NikError.NOT_DIGITS),
        ("35760113O8850001", NikError.NOT_DIGITS),
        ("٣٥٧٦٠١١٣٠٨٨٥٠٠٠١", NikError.NOT_DIGITS),  # Arabic-Indic digits are not a NIK
        ("9976011308850001", NikError.PROVINCE),
        ("3500011308850001", NikError.REGION),
        ("3576001308850001", NikError.REGION),
        ("3576013208850001", NikError.BIRTH_DATE),
        ("3576017208850001", NikError.BIRTH_DATE),
        ("3576011313850001", NikError.BIRTH_DATE),
        ("3576013102850001", NikError.BIRTH_DATE),  # 31 February
        ("3576012902850001", NikError.BIRTH_DATE),  # 29 February 1985
        ("3576011308850000", NikError.SEQUENCE),
    ],
)
def test_invalid_niks_say_why(nik: str, reason: NikError) -> None:
    with pytest.raises(InvalidNik) as error:
        parse_nik(nik)
    assert error.value.reason is reason
    assert str(error.value)  # an Indonesian sentence for the form


def test_leap_day_is_valid_in_leap_years() -> None:
    assert parse_nik("3576012902840001").birth_day == 29
    assert parse_nik("3576016902000001").is_female  # 29 Feb 2000, a woman


@st.composite
def valid_niks(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    regency = draw(st.integers(1, 99))
    district = draw(st.integers(1, 99))
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31)))
    female = draw(st.booleans())
    sequence = draw(st.integers(1, 9999))
    day = born.day + (40 if female else 0)
    return (
        f"{province}{regency:02d}{district:02d}{day:02d}{born.month:02d}"
        f"{born.year % 100:02d}{sequence:04d}"
    )


@given(valid_niks())
def test_every_well_formed_nik_parses(nik: str) -> None:
    info = parse_nik(nik)
    assert info.nik == nik
    assert 1 <= info.birth_day <= 31


@given(st.text(max_size=24))
def test_anything_typed_either_parses_or_is_refused_with_a_reason(text: str) -> None:
    try:
        info = parse_nik(text)
    except InvalidNik as error:
        assert isinstance(error.reason, NikError)
    else:
        assert len(info.nik) == 16 and info.nik.isdigit()


def test_member_numbers() -> None:
    assert member_sequence("A-0012") == 12
    assert member_sequence("B-0012") == 0 and member_sequence("lama-7x") == 0
    assert format_member_number(1) == "A-0001"
    assert format_member_number(12345) == "A-12345"
    with pytest.raises(ValueError):
        format_member_number(0)
