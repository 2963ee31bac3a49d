"""The compliance calendar, pure: date arithmetic across month and year ends and leap years,
the RAT deadline (3 months after the year end, 6 for secondary koperasi), the RAT report
(1 month after the meeting), the sanctions warning, the NIK certificate, the statuses
(aman / segera ≤ 30 days / terlambat), missing fields and documents per kind, the board."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.i18n import translator
from backend.supervision.compliance import (
    DATA_FILE,
    ComplianceInput,
    ComplianceItem,
    ComplianceStatus,
    add_months,
    compliance,
    countdown_text,
    item_text,
    next_rat_year_end,
    parse_rules,
    rules_for,
    sort_key,
    status_of,
    year_end_on_or_after,
)
from backend.supervision.domain import (
    Bentuk,
    BoardBody,
    BoardMember,
    DocumentKind,
    Profile,
    VerificationStatus,
    add_years,
)

RULES = rules_for(date(2026, 1, 1))
ALL_DOCUMENTS = dict.fromkeys(DocumentKind, VerificationStatus.TERVERIFIKASI)
COMPLETE = Profile(
    badan_hukum_number="518/07/BH/XVI.30/2012",
    badan_hukum_date=date(2012, 9, 3),
    akta_number="03",
    akta_date=date(2012, 7, 16),
    nik="3576020030000245",
    nik_issued_on=date(2025, 6, 1),
    nik_expires_on=date(2027, 6, 1),
    nib="9120002345678",
    npwp="023456781602000",
    izin_usp_number="503/045/IUSP",
    izin_usp_date=date(2010, 6, 1),
    last_rat_date=date(2025, 3, 20),
    last_rat_report_date=date(2025, 4, 2),
)
BOARD = (
    BoardMember(BoardBody.PENGURUS, "Siti", "Ketua", date(2024, 1, 1), date(2028, 12, 31)),
    BoardMember(BoardBody.PENGAWAS, "Yuli", "Ketua Pengawas", date(2024, 1, 1), date(2028, 12, 31)),
)


def items_of(
    profile: Profile | None,
    today: date,
    kind: str = "ksu",
    documents: dict[DocumentKind, VerificationStatus] | None = None,
    **options: object,
) -> dict[str, ComplianceItem]:
    inp = ComplianceInput(
        koperasi_kind=kind,
        profile=profile,
        documents=ALL_DOCUMENTS if documents is None else documents,
        board=options.pop("board", BOARD),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )
    return {item.key: item for item in compliance(inp, today, RULES)}


# Calendar arithmetic


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # a month later in a common year
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # and in a leap year
        (date(2024, 12, 31), 3, date(2025, 3, 31)),  # year end + 3 months
        (date(2024, 12, 31), 6, date(2025, 6, 30)),  # year end + 6 months (secondary)
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # across a year end
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 2, 28), 1, date(2025, 3, 28)),  # the day is kept, not "end of month"
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 5, 5), 0, date(2025, 5, 5)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    months=st.integers(0, 240),
)
def test_add_months_lands_in_the_right_month_never_past_the_day(day: date, months: int) -> None:
    result = add_months(day, months)
    assert result.year * 12 + result.month == day.year * 12 + day.month + months
    assert result.day <= day.day
    assert result.day == day.day or (result + timedelta(days=1)).day == 1  # clamped: month end


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2024, 2, 29), 2, date(2026, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2025, 12, 31), 2, date(2027, 12, 31)),
        (date(2026, 1, 1), -2, date(2024, 1, 1)),
    ],
)
def test_add_years(day: date, years: int, expected: date) -> None:
    assert add_years(day, years) == expected


def test_year_end_and_the_financial_year_of_the_next_rat() -> None:
    assert year_end_on_or_after(date(2025, 12, 31), RULES) == date(2025, 12, 31)
    assert year_end_on_or_after(date(2026, 1, 1), RULES) == date(2026, 12, 31)
    # A RAT in March 2025 reports on 2024; the next one reports on 2025.
    assert next_rat_year_end(date(2025, 3, 20), None, RULES) == date(2025, 12, 31)
    # Never held: the first one reports on the founding year.
    assert next_rat_year_end(None, date(2024, 7, 1), RULES) == date(2024, 12, 31)
    assert next_rat_year_end(None, None, RULES) is None


@pytest.mark.parametrize(
    ("days", "status"),
    [
        (-400, ComplianceStatus.TERLAMBAT),
        (-1, ComplianceStatus.TERLAMBAT),
        (0, ComplianceStatus.SEGERA),
        (30, ComplianceStatus.SEGERA),
        (31, ComplianceStatus.AMAN),
        (None, ComplianceStatus.TERLAMBAT),
    ],
)
def test_status_of(days: int | None, status: ComplianceStatus) -> None:
    assert status_of(days, RULES.soon_days) is status


# The RAT


@pytest.mark.parametrize(
    ("today", "days_left", "status"),
    [
        (date(2026, 1, 1), 89, ComplianceStatus.AMAN),  # 1 Jan → 31 Mar 2026
        (date(2026, 3, 1), 30, ComplianceStatus.SEGERA),
        (date(2026, 3, 31), 0, ComplianceStatus.SEGERA),
        (date(2026, 4, 1), -1, ComplianceStatus.TERLAMBAT),
    ],
)
def test_the_next_rat_is_due_three_months_after_the_year_end(
    today: date, days_left: int, status: ComplianceStatus
) -> None:
    rat = items_of(COMPLETE, today)["rat"]
    assert rat.due_date == date(2026, 3, 31)
    assert rat.params["year"] == 2025
    assert (rat.days_left, rat.status) == (days_left, status)


def test_leap_year_days_are_counted() -> None:
    # From 1 February to 31 March: 59 days in 2026, 60 in 2028 (29 February).
    assert items_of(COMPLETE, date(2026, 2, 1))["rat"].days_left == 58
    leap = replace(COMPLETE, last_rat_date=date(2027, 3, 10), last_rat_report_date=date(2027, 4, 1))
    assert items_of(leap, date(2028, 2, 1))["rat"].days_left == 59


def test_secondary_koperasi_have_six_months() -> None:
    secondary = replace(COMPLETE, bentuk=Bentuk.SEKUNDER)
    rat = items_of(secondary, date(2026, 4, 1))["rat"]
    assert rat.due_date == date(2026, 6, 30)
    assert rat.status is ComplianceStatus.AMAN
    assert rat.params["months"] == 6


def test_a_rat_already_held_moves_the_deadline_a_year_on() -> None:
    held = replace(COMPLETE, last_rat_date=date(2026, 2, 14), last_rat_report_date=date(2026, 3, 1))
    rat = items_of(held, date(2026, 3, 25))["rat"]
    assert rat.due_date == date(2027, 3, 31) and rat.status is ComplianceStatus.AMAN
    assert rat.params["year"] == 2026


def test_never_held_counts_from_the_founding_year() -> None:
    new = replace(
        COMPLETE,
        badan_hukum_date=date(2025, 8, 17),
        akta_date=date(2025, 7, 1),
        last_rat_date=None,
        last_rat_report_date=None,
    )
    items = items_of(new, date(2026, 1, 10))
    assert items["rat"].due_date == date(2026, 3, 31)
    assert "rat_report" not in items
    unknown = replace(new, badan_hukum_date=None, akta_date=None)
    rat = items_of(unknown, date(2026, 1, 10))["rat"]
    assert rat.due_date is None and rat.status is ComplianceStatus.TERLAMBAT


# The RAT report


@pytest.mark.parametrize(
    ("rat", "due"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),  # 31 Jan + 1 month = 28 Feb
        (date(2024, 1, 31), date(2024, 2, 29)),  # in a leap year 29 Feb
        (date(2025, 12, 20), date(2026, 1, 20)),  # across the year end
        (date(2025, 3, 31), date(2025, 4, 30)),
    ],
)
def test_the_rat_report_is_due_a_month_after_the_meeting(rat: date, due: date) -> None:
    profile = replace(COMPLETE, last_rat_date=rat, last_rat_report_date=None)
    report = items_of(profile, rat + timedelta(days=1))["rat_report"]
    assert report.due_date == due
    assert report.params["rat_date"] == rat
    late = items_of(profile, due + timedelta(days=1))["rat_report"]
    assert late.days_left == -1 and late.status is ComplianceStatus.TERLAMBAT


def test_a_report_filed_after_the_last_rat_is_done() -> None:
    assert "rat_report" not in items_of(COMPLETE, date(2025, 5, 1))
    # A report older than the last RAT belongs to an earlier meeting.
    old_report = replace(COMPLETE, last_rat_report_date=date(2025, 3, 1))
    assert "rat_report" in items_of(old_report, date(2025, 4, 1))


# Two years without a RAT


def test_the_sanctions_warning_comes_with_an_overdue_rat() -> None:
    assert "sanction" not in items_of(COMPLETE, date(2026, 3, 1))
    items = items_of(COMPLETE, date(2026, 4, 1))
    assert items["rat"].status is ComplianceStatus.TERLAMBAT
    sanction = items["sanction"]
    assert sanction.due_date == date(2027, 3, 20)  # two years after the last RAT
    assert sanction.status is ComplianceStatus.AMAN
    past = items_of(COMPLETE, date(2027, 3, 21))["sanction"]
    assert past.days_left == -1 and past.status is ComplianceStatus.TERLAMBAT
    # Leap day: two years after 29 February is 28 February.
    leap = replace(COMPLETE, last_rat_date=date(2024, 2, 29), last_rat_report_date=date(2024, 3, 5))
    assert items_of(leap, date(2025, 6, 1))["sanction"].due_date == date(2026, 2, 28)


# The NIK certificate


def test_nik_certificate_expiry() -> None:
    soon = replace(COMPLETE, nik_expires_on=date(2026, 1, 20))
    nik = items_of(soon, date(2025, 12, 21))["nik"]
    assert (nik.days_left, nik.status) == (30, ComplianceStatus.SEGERA)
    assert items_of(soon, date(2025, 12, 20))["nik"].status is ComplianceStatus.AMAN
    expired = items_of(soon, date(2026, 1, 21))["nik"]
    assert expired.status is ComplianceStatus.TERLAMBAT
    assert expired.action != nik.action  # "renew before" vs "has expired"


def test_missing_nik_or_its_dates() -> None:
    none = items_of(
        replace(COMPLETE, nik="", nik_issued_on=None, nik_expires_on=None), date(2026, 1, 1)
    )
    assert none["nik"].due_date is None and none["nik"].status is ComplianceStatus.TERLAMBAT
    undated = items_of(replace(COMPLETE, nik_issued_on=None, nik_expires_on=None), date(2026, 1, 1))
    assert undated["nik"].title != none["nik"].title


# Fields, documents, the board, the Dinas's verdict


def test_required_fields_depend_on_the_kind() -> None:
    no_licence = replace(COMPLETE, izin_usp_number="", izin_usp_date=None, npwp="")
    ksu = items_of(no_licence, date(2026, 1, 1), kind="ksu")["fields"]
    assert ksu.params["fields"] == ("npwp",)
    ksp = items_of(no_licence, date(2026, 1, 1), kind="ksp")["fields"]
    assert ksp.params["fields"] == ("npwp", "izin_usp_number", "izin_usp_date")
    assert "fields" not in items_of(COMPLETE, date(2026, 1, 1), kind="ksp")


def test_missing_and_rejected_documents_per_kind() -> None:
    documents = {
        DocumentKind.AKTA: VerificationStatus.TERVERIFIKASI,
        DocumentKind.SK_BADAN_HUKUM: VerificationStatus.MENUNGGU,  # uploaded: not missing
        DocumentKind.NIB: VerificationStatus.DITOLAK,
    }
    ksu = items_of(COMPLETE, date(2026, 1, 1), documents=documents)
    missing = {key for key in ksu if key.startswith("document:")}
    assert missing == {"document:nik_sertifikat", "document:nib", "document:npwp"}
    assert ksu["document:nib"].title != ksu["document:npwp"].title  # rejected vs missing
    ksp = items_of(COMPLETE, date(2026, 1, 1), kind="ksp", documents=documents)
    assert "document:izin_usp" in ksp
    assert all(ksp[k].status is ComplianceStatus.TERLAMBAT for k in ksp if k.startswith("doc"))


def test_the_rejection_note_is_what_to_do() -> None:
    items = items_of(
        COMPLETE,
        date(2026, 1, 1),
        documents={**ALL_DOCUMENTS, DocumentKind.NPWP: VerificationStatus.DITOLAK},
        rejection_notes={DocumentKind.NPWP: "Foto buram"},
        profile_status=VerificationStatus.DITOLAK,
        profile_note="NIB salah ketik",
    )
    _ = translator("id")
    assert "Foto buram" in item_text(items["document:npwp"], _, "id")[1]
    assert "NIB salah ketik" in item_text(items["review"], _, "id")[1]


def test_board_terms_and_an_empty_board() -> None:
    ending = (
        BoardMember(BoardBody.PENGURUS, "A", "Ketua", date(2021, 1, 1), date(2026, 1, 31)),
        BoardMember(BoardBody.PENGURUS, "B", "Sekretaris", None, date(2027, 1, 31)),
    )
    items = items_of(COMPLETE, date(2026, 1, 10), board=ending)
    pengurus = items["board:pengurus"]
    assert pengurus.due_date == date(2026, 1, 31) and pengurus.status is ComplianceStatus.SEGERA
    assert items["board:pengawas"].due_date is None  # nobody: fill it in


def test_a_record_never_filled_in() -> None:
    items = items_of(None, date(2026, 1, 1), documents={}, board=())
    assert "profile" in items and "rat" not in items and "nik" not in items
    assert {k for k in items if k.startswith("document:")} == {
        f"document:{k.value}" for k in RULES.documents_for("ksu")
    }


def test_most_urgent_first() -> None:
    profile = replace(COMPLETE, nik_expires_on=date(2026, 5, 1), npwp="")
    items = compliance(
        ComplianceInput("ksu", profile, documents={}, board=BOARD), date(2026, 4, 10), RULES
    )
    keys = [i.key for i in items]
    assert keys[0] == "rat"  # overdue by 10 days
    assert items == sorted(items, key=sort_key)
    days = [i.days_left if i.days_left is not None else 0 for i in items]
    assert days == sorted(days)
    assert keys.index("fields") < keys.index("nik")  # missing now before due in 21 days


def test_words_in_both_languages() -> None:
    rat = items_of(COMPLETE, date(2026, 4, 3))["rat"]
    title, action = item_text(rat, translator("id"), "id")
    assert title == "RAT tahun buku 2025" and "31 Maret 2026" in action
    assert countdown_text(rat.days_left, translator("id")) == "Terlambat 3 hari"
    assert countdown_text(12, translator("id")) == "12 hari lagi"
    assert countdown_text(0, translator("id")) == "Hari ini"
    _ = translator("en")
    title_en, action_en = item_text(rat, _, "en")
    assert "2025" in title_en and "31 March 2026" in action_en and title_en != title


def test_rules_are_versioned_data() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert RULES.confidence == "verify"
    assert RULES.rat_months == {Bentuk.PRIMER: 3, Bentuk.SEKUNDER: 6}
    assert (RULES.rat_report_months, RULES.sanction_years, RULES.nik_valid_years) == (1, 2, 2)
    assert RULES.soon_days == 30
    later = copy.deepcopy(data["versions"][0])
    later.update(version="uji", valid_from="2030-01-01", soon_days=14)
    versions = parse_rules({"versions": [later, data["versions"][0]]})
    assert [v.version for v in versions][-1] == "uji"
    broken = copy.deepcopy(data)
    broken["versions"][0]["required_fields"]["default"].append("no_such_field")
    with pytest.raises(ValueError, match="unknown fields"):
        parse_rules(broken)
    leap_end = copy.deepcopy(data)
    leap_end["versions"][0]["financial_year_end"] = "02-29"
    with pytest.raises(ValueError):
        parse_rules(leap_end)


def test_a_financial_year_ending_in_june() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["versions"][0]["financial_year_end"] = "06-30"
    june = parse_rules(data)[0]
    inp = ComplianceInput(
        "ksu",
        replace(COMPLETE, last_rat_date=date(2025, 9, 1)),
        documents=ALL_DOCUMENTS,
        board=BOARD,
    )
    rat = {i.key: i for i in compliance(inp, date(2026, 7, 1), june)}["rat"]
    assert rat.due_date == date(2026, 9, 30)  # the year ending 30 June 2026, + 3 months
