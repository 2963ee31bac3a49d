"""Pure rules of the legality record: NPWP, NIK (Nomor Induk Koperasi), NIB and KBLI
numbers, coordinates, the whole profile's check (every problem at once), the audit's
before/after, board and amendment lists, and the Dinas's verdicts."""

from __future__ import annotations

from datetime import date

import pytest

from backend.errors import AppError
from backend.supervision.domain import (
    Amendment,
    Bentuk,
    BoardBody,
    BoardMember,
    Profile,
    ProfileDraft,
    RecordInvalid,
    Refused,
    VerificationStatus,
    check_amendments,
    check_board,
    check_kbli,
    check_nib,
    check_nik_koperasi,
    check_npwp,
    check_profile,
    check_verdict,
    coordinate_text,
    format_npwp,
    parse_coordinate,
    profile_changes,
    status_after_edit,
)

TODAY = date(2026, 11, 29)


def fields_of(error: RecordInvalid) -> dict[str, str]:
    return {d["field"]: d["code"] for d in error.details}


# Numbers


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01.234.567.8-901.000", "012345678901000"),
        ("012345678901000", "012345678901000"),
        (" 0123 4567 8901 0000 ", "0123456789010000"),  # the 16-digit form
        ("01/234/567/8-901/000", "012345678901000"),
    ],
)
def test_npwp_accepted(typed: str, stored: str) -> None:
    assert check_npwp(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "0123456789",
        "01234567890123456",
        "01.234.567.8-901.00A",
        "000000000000000",
        "٠١٢٣٤٥٦٧٨٩٠١٢٣٤",
    ],
)
def test_npwp_refused(typed: str) -> None:
    with pytest.raises(AppError) as refused:
        check_npwp(typed)
    assert refused.value.code == "npwp_invalid" and refused.value.status == 422


def test_npwp_formatting() -> None:
    assert format_npwp("012345678901000") == "01.234.567.8-901.000"
    assert format_npwp("0123456789010000") == "0123 4567 8901 0000"
    assert format_npwp("") == ""


def test_nik_koperasi() -> None:
    assert check_nik_koperasi("3576.0200.3000.0245", 16) == "3576020030000245"
    for bad in ("357602003000024", "35760200300002450", "3576O20030000245", "0" * 16):
        with pytest.raises(Refused) as refused:
            check_nik_koperasi(bad, 16)
        assert refused.value.code == "nik_invalid"
    with pytest.raises(Refused) as refused:
        check_nik_koperasi("123", 16)
    assert refused.value.params == {"digits": 16}


def test_nib_and_kbli() -> None:
    assert check_nib("9120-0023-45678") == "9120002345678"
    for bad in ("912000234567", "91200023456789", "912000234567X"):
        with pytest.raises(AppError):
            check_nib(bad)
    assert check_kbli(["64141", " 47111 ", "64141", ""]) == ("64141", "47111")
    with pytest.raises(Refused) as refused:
        check_kbli(["6414"])
    assert refused.value.params == {"value": "6414"}
    with pytest.raises(Refused):
        check_kbli([f"{10000 + i}" for i in range(21)])


@pytest.mark.parametrize(
    ("typed", "limit", "stored"),
    [
        ("-7.472638", 90, -7_472_638),
        ("112,4338", 180, 112_433_800),
        ("0", 90, 0),
        ("90", 90, 90_000_000),
        ("-180.000000", 180, -180_000_000),
    ],
)
def test_coordinates_without_floats(typed: str, limit: int, stored: int) -> None:
    assert parse_coordinate(typed, limit) == stored


@pytest.mark.parametrize(
    ("typed", "limit"),
    [("90.000001", 90), ("1.1234567", 90), ("abc", 90), ("NaN", 90), ("Infinity", 180)],
)
def test_coordinates_refused(typed: str, limit: int) -> None:
    with pytest.raises(ValueError):
        parse_coordinate(typed, limit)


def test_coordinate_text() -> None:
    assert coordinate_text(-7_472_638) == "-7.472638"
    assert coordinate_text(112_433_800) == "112.4338"
    assert coordinate_text(90_000_000) == "90.0"
    assert coordinate_text(None) == ""


# The whole profile


def test_a_profile_is_normalised() -> None:
    profile = check_profile(
        ProfileDraft(
            badan_hukum_number="  518/07/BH/XVI.30/2012 ",
            badan_hukum_date=date(2012, 9, 3),
            akta_notary="Retno\tPalupi,  S.H.",
            nik="3576 0200 3000 0245",
            nik_issued_on=date(2024, 2, 29),
            nib="9120002345678",
            kbli=["47111", "64141"],
            npwp="02.345.678.1-602.000",
            last_rat_date=date(2026, 3, 20),
            bentuk="sekunder",
            latitude="-7.4726",
            longitude="112.4338",
        ),
        TODAY,
        nik_digits=16,
        nik_valid_years=2,
    )
    assert profile.badan_hukum_number == "518/07/BH/XVI.30/2012"
    assert profile.akta_notary == "Retno Palupi, S.H."
    assert profile.nik == "3576020030000245"
    assert profile.nik_expires_on == date(2026, 2, 28)  # issue date + 2 years (leap day)
    assert profile.npwp == "023456781602000"
    assert profile.kbli == ("47111", "64141")
    assert profile.bentuk is Bentuk.SEKUNDER
    assert (profile.latitude_e6, profile.longitude_e6) == (-7_472_600, 112_433_800)


def test_an_expiry_given_is_kept() -> None:
    profile = check_profile(
        ProfileDraft(
            nik="3576020030000245", nik_issued_on=date(2025, 1, 1), nik_expires_on=date(2026, 6, 1)
        ),
        TODAY,
        16,
        2,
    )
    assert profile.nik_expires_on == date(2026, 6, 1)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(RecordInvalid) as refused:
        check_profile(
            ProfileDraft(
                badan_hukum_number="x" * 101,
                badan_hukum_date=date(2020, 1, 1),
                nik="123",
                nik_issued_on=date(2025, 1, 1),
                nik_expires_on=date(2024, 1, 1),
                nib="12",
                kbli=["1"],
                npwp="1",
                last_rat_date=date(2019, 5, 1),
                last_rat_report_date=date(2026, 12, 1),
                bentuk="tersier",
                latitude="-7.5",
            ),
            TODAY,
            16,
            2,
        )
    error = refused.value
    assert error.code == "record_invalid" and error.status == 422
    assert fields_of(error) == {
        "badan_hukum_number": "too_long",
        "nik": "nik_invalid",
        "nik_expires_on": "expiry_before_issue",
        "nib": "nib_invalid",
        "kbli": "kbli_invalid",
        "npwp": "npwp_invalid",
        "last_rat_report_date": "date_in_future",
        "bentuk": "bentuk_invalid",
        "longitude": "coordinates_incomplete",
        "last_rat_date": "rat_before_founding",
    }
    nik = next(d for d in error.details if d["field"] == "nik")
    assert nik["params"] == {"digits": 16}


def test_nik_dates_need_the_number() -> None:
    with pytest.raises(RecordInvalid) as refused:
        check_profile(ProfileDraft(nik_issued_on=date(2025, 1, 1)), TODAY, 16, 2)
    assert fields_of(refused.value) == {"nik": "nik_required"}


def test_an_empty_profile_is_allowed() -> None:
    assert check_profile(ProfileDraft(), TODAY, 16, 2) == Profile()


def test_changes_for_the_audit_log() -> None:
    old = Profile(npwp="023456781602000", kbli=("47111",), last_rat_date=date(2025, 3, 20))
    new = Profile(npwp="023456781602000", kbli=("47111", "64141"), bentuk=Bentuk.SEKUNDER)
    assert profile_changes(old, new) == {
        "kbli": [["47111"], ["47111", "64141"]],
        "last_rat_date": ["2025-03-20", None],
        "bentuk": ["primer", "sekunder"],
    }
    assert profile_changes(new, new) == {}


# Board and amendments


def test_board_rows() -> None:
    board = check_board(
        [
            BoardMember(
                BoardBody.PENGURUS, "  Siti  Aminah ", "Ketua", date(2024, 1, 1), date(2028, 12, 31)
            )
        ]
    )
    assert board[0].name == "Siti Aminah"
    with pytest.raises(RecordInvalid) as refused:
        check_board(
            [
                BoardMember(BoardBody.PENGURUS, "Siti", "Ketua"),
                BoardMember(BoardBody.PENGAWAS, " ", "", date(2024, 1, 1), date(2023, 1, 1)),
            ]
        )
    assert fields_of(refused.value) == {
        "board.1.name": "name_required",
        "board.1.title": "title_required",
        "board.1.term_end": "term_invalid",
    }


def test_amendments_sorted_by_date() -> None:
    items = check_amendments(
        [Amendment("15", date(2016, 8, 22)), Amendment("09", date(2012, 1, 5), " Notaris  A ")],
        TODAY,
    )
    assert [a.number for a in items] == ["09", "15"] and items[0].notary == "Notaris A"
    with pytest.raises(RecordInvalid) as refused:
        check_amendments([Amendment("", date(2027, 1, 1))], TODAY)
    assert fields_of(refused.value) == {
        "amendments.0.number": "number_required",
        "amendments.0.deed_date": "date_in_future",
    }


# Verdicts


def test_verdicts() -> None:
    assert check_verdict(VerificationStatus.TERVERIFIKASI, "") == ""
    assert check_verdict(VerificationStatus.DITOLAK, " NIB  salah ") == "NIB salah"
    with pytest.raises(AppError) as no_note:
        check_verdict(VerificationStatus.DITOLAK, "  ")
    assert no_note.value.code == "note_required"
    with pytest.raises(AppError) as waiting:
        check_verdict(VerificationStatus.MENUNGGU, "")
    assert waiting.value.code == "verdict_invalid"


def test_an_edit_sends_the_record_back_to_the_dinas() -> None:
    for state in VerificationStatus:
        assert status_after_edit(state, True) is VerificationStatus.MENUNGGU
        assert status_after_edit(state, False) is state
    assert status_after_edit(None, False) is VerificationStatus.MENUNGGU
