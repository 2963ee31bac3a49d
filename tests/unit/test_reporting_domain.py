"""The pure rules of the periodic reports: period arithmetic (months, quarters, year ends),
the form definitions, the checks a submitted form must pass, and which revision a
submission becomes."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.reporting import forms
from backend.reporting.domain import (
    COUNT_MAX,
    RUPIAH_MAX,
    Correction,
    FieldDef,
    FieldType,
    FormDef,
    PeriodKind,
    Rejected,
    SectionDef,
    check_form,
    check_period,
    clean_values,
    compare,
    last_complete,
    next_revision,
    parse_period,
    parse_submission,
    payload_hash,
    period_containing,
    period_label,
    recent_periods,
)
from backend.reporting.forms import CURRENT, MONTHLY_V1, QUARTERLY_V1, SOURCES

M, Q = PeriodKind.MONTH, PeriodKind.QUARTER


def _(text: str, **values: object) -> str:
    return text.format(**values) if values else text


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2026-01", M, date(2026, 1, 1), date(2026, 1, 31)),
        ("2024-02", M, date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
        ("2026-02", M, date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-12", M, date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-Q1", Q, date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", Q, date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", Q, date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", Q, date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_periods_know_their_first_and_last_day(
    code: str, kind: PeriodKind, start: date, end: date
) -> None:
    period = parse_period(code)
    assert (period.kind, period.start, period.end, period.code) == (kind, start, end, code)
    assert period.year_start == date(start.year, 1, 1)
    assert period.contains(start) and period.contains(end)
    assert not period.contains(date.fromordinal(end.toordinal() + 1))


@pytest.mark.parametrize(
    "code", ["2026-13", "2026-00", "2026-1", "26-01", "2026-Q5", "2026-Q0", "2026Q1", "", "x"]
)
def test_malformed_periods_are_refused(code: str) -> None:
    with pytest.raises(Rejected) as refused:
        parse_period(code)
    assert refused.value.code == "period_invalid"


def test_next_and_previous_cross_year_ends() -> None:
    assert parse_period("2026-12").next() == parse_period("2027-01")
    assert parse_period("2027-01").previous() == parse_period("2026-12")
    assert parse_period("2026-Q4").next() == parse_period("2027-Q1")
    assert parse_period("2027-Q1").previous() == parse_period("2026-Q4")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_day_is_in_exactly_one_month_and_one_quarter(day: date) -> None:
    for kind in (M, Q):
        period = period_containing(kind, day)
        assert period.contains(day)
        assert not period.previous().contains(day) and not period.next().contains(day)
        # Periods tile time: each starts the day after the previous one ends.
        assert period.previous().end.toordinal() + 1 == period.start.toordinal()
        assert period.end.toordinal() + 1 == period.next().start.toordinal()
        assert parse_period(period.code) == period
    assert period_containing(Q, day).start <= period_containing(M, day).start
    assert period_containing(M, day).end <= period_containing(Q, day).end


def test_the_last_complete_period_ended_before_today() -> None:
    assert last_complete(M, date(2026, 11, 29)).code == "2026-10"
    assert last_complete(M, date(2026, 1, 1)).code == "2025-12"
    assert last_complete(Q, date(2026, 11, 29)).code == "2026-Q3"
    assert last_complete(Q, date(2026, 1, 15)).code == "2025-Q4"
    assert last_complete(Q, date(2026, 4, 1)).code == "2026-Q1"
    assert [p.code for p in recent_periods(M, date(2026, 2, 10), 3)] == [
        "2026-01",
        "2025-12",
        "2025-11",
    ]
    assert [p.code for p in recent_periods(Q, date(2026, 2, 10), 5)] == [
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
        "2025-Q1",
        "2024-Q4",
    ]


def test_a_report_is_for_a_whole_period_of_its_kind_that_is_over() -> None:
    today = date(2026, 11, 1)
    check_period(parse_period("2026-10"), M, today)  # ended yesterday
    check_period(parse_period("2026-Q3"), Q, today)
    for code, kind, reason in [
        ("2026-11", M, "period_not_over"),  # today is in it
        ("2026-12", M, "period_not_over"),  # the future
        ("2026-Q4", Q, "period_not_over"),
        ("2026-Q3", M, "period_kind_mismatch"),
        ("2026-09", Q, "period_kind_mismatch"),
        ("1999-12", M, "period_too_old"),
    ]:
        with pytest.raises(Rejected) as refused:
            check_period(parse_period(code), kind, today)
        assert refused.value.code == reason, code
    with pytest.raises(Rejected):
        check_period(parse_period("2026-10"), M, date(2026, 10, 31))  # its last day


def test_period_labels_in_both_languages() -> None:
    assert period_label(parse_period("2026-05"), "id", _) == "Mei 2026"
    assert period_label(parse_period("2026-05"), "en", _) == "May 2026"
    assert period_label(parse_period("2026-Q3"), "id", _) == "Triwulan III 2026"


# --- the form definitions --------------------------------------------------------------------


def test_the_shipped_forms_are_valid_and_cover_what_the_dinas_asks() -> None:
    for form in forms.ALL_FORMS:
        check_form(form, SOURCES)  # does not raise
        keys = [f.key for f in form.fields]
        assert len(keys) == len(set(keys))
        for needed in (
            "members_end",
            "members_joined",
            "members_left",
            "savings_pokok",
            "savings_wajib",
            "savings_sukarela",
            "loans_outstanding",
            "loans_disbursed",
            "loans_arrears",
            "sales",
            "revenue_ytd",
            "expenses_ytd",
            "shu_ytd",
            "assets",
            "employees",
            "problems",
            "help_needed",
            "contact_name",
            "contact_phone",
        ):
            assert needed in keys, (form.key, needed)
        assert {f.type for f in form.fields} == {FieldType.RUPIAH, FieldType.COUNT, FieldType.TEXT}
        # Every prefill source is known and every known source is used by some form.
        assert {f.prefill for f in form.fields if f.prefill} <= set(SOURCES)
    used = {f.prefill for form in forms.ALL_FORMS for f in form.fields if f.prefill}
    assert used == set(SOURCES)
    assert list(CURRENT) == ["bulanan", "triwulan"]
    assert (MONTHLY_V1.period_kind, QUARTERLY_V1.period_kind) == (M, Q)
    assert forms.form_for_period_kind(Q) is QUARTERLY_V1
    assert forms.form_version("bulanan", 1) is MONTHLY_V1
    assert forms.form_version("bulanan", 99) is None
    assert MONTHLY_V1.due_date(parse_period("2026-10")) == date(2026, 11, 15)


def _form(*fields: FieldDef, **changes: object) -> FormDef:
    form = FormDef("uji", 1, "Uji", M, "", 10, (SectionDef("bagian", "Bagian", tuple(fields)),))
    return dataclasses.replace(form, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        (
            _form(FieldDef("a_b", "A", FieldType.COUNT), FieldDef("a_b", "B", FieldType.COUNT)),
            "twice",
        ),
        (_form(FieldDef("Bad", "A", FieldType.COUNT)), "key"),
        (_form(FieldDef("ab", " ", FieldType.COUNT)), "no label"),
        (_form(FieldDef("ab", "A", FieldType.TEXT, prefill="books.assets")), "prefill"),
        (_form(FieldDef("ab", "A", FieldType.RUPIAH, prefill="books.nothing")), "prefill"),
        (_form(FieldDef("ab", "A", FieldType.COUNT, signed=True)), "signed"),
        (_form(FieldDef("ab", "A", FieldType.COUNT, multiline=True)), "text options"),
        (_form(FieldDef("ab", "A", FieldType.TEXT, pattern="[")), "pattern"),
        (_form(FieldDef("ab", "A", FieldType.TEXT, pattern="[0-9]+")), "without a hint"),
        (_form(FieldDef("ab", "A", FieldType.TEXT, max_length=5000)), "max_length"),
        (_form(FieldDef("ab", "A", FieldType.COUNT), version=0), "version"),
        (_form(FieldDef("ab", "A", FieldType.COUNT), due_days=-1), "due_days"),
        (_form(FieldDef("ab", "A", FieldType.COUNT), key="Laporan!"), "form key"),
        (_form(sections=()), "section"),
    ],
)
def test_broken_form_definitions_are_refused(form: FormDef, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        check_form(form, SOURCES)


# --- checking a submission ---------------------------------------------------------------------


def good_values(form: FormDef = MONTHLY_V1) -> dict[str, object]:
    values: dict[str, object] = {}
    for f in form.fields:
        if f.type is FieldType.TEXT:
            values[f.key] = "0812 3456 7890" if f.pattern else "Teks"
        else:
            values[f.key] = 1_000
    return values


def test_good_values_are_kept_texts_are_tidied() -> None:
    raw = good_values()
    raw.update(
        shu_ytd=-4_000_000,
        problems="  Modal kurang.\r\nAnggota menunggak.  ",
        contact_name="  Sri   Rahayu ",
        help_needed=None,
        loans_arrears=0,
    )
    values = clean_values(MONTHLY_V1, raw)
    assert values["shu_ytd"] == -4_000_000
    assert values["problems"] == "Modal kurang.\nAnggota menunggak."
    assert values["contact_name"] == "Sri Rahayu"
    assert values["help_needed"] == ""  # optional text left empty
    assert values["loans_arrears"] == 0
    assert set(values) == {f.key for f in MONTHLY_V1.fields}


def _problems(raw: dict[str, object]) -> dict[str, str]:
    with pytest.raises(Rejected) as refused:
        clean_values(MONTHLY_V1, raw)
    assert refused.value.code == "values_invalid"
    assert refused.value.params == {"count": len(refused.value.problems)}
    return {p.field: p.code for p in refused.value.problems}


def test_every_wrong_field_is_named_with_its_reason() -> None:
    raw = good_values()
    raw.update(
        members_end=None,  # required
        members_joined="12",  # a number as text: the page sends numbers
        members_left=True,
        savings_pokok=-1,  # not signed
        savings_wajib=RUPIAH_MAX + 1,
        employees=COUNT_MAX + 1,
        assets=1.5,
        sales=2_000.0,  # a whole float is a number
        contact_name="",  # required text
        contact_phone="bukan nomor",
        problems="x" * 2001,
        surprise=1,
    )
    assert _problems(raw) == {
        "members_end": "value_required",
        "members_joined": "value_not_number",
        "members_left": "value_not_number",
        "savings_pokok": "value_negative",
        "savings_wajib": "value_too_large",
        "employees": "value_too_large",
        "assets": "value_not_whole",
        "contact_name": "value_required",
        "contact_phone": "value_invalid",
        "problems": "text_too_long",
        "surprise": "field_unknown",
    }


def test_phone_numbers_follow_the_pattern() -> None:
    for phone in ("081234567890", "0812 3456 7890", "+62 812-3456-7890", "0321 321 123"):
        raw = {**good_values(), "contact_phone": phone}
        assert clean_values(MONTHLY_V1, raw)["contact_phone"] == phone
    for phone in ("0812", "08--12--34--56", "telepon saya", "0812345678a"):
        assert _problems({**good_values(), "contact_phone": phone}) == {
            "contact_phone": "value_invalid"
        }


def payload(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "form": "bulanan",
        "version": 1,
        "period": "2026-10",
        "values": good_values(),
        "correction": None,
    }
    body.update(changes)
    return body


def test_the_payload_shape_is_checked() -> None:
    parsed = parse_submission(payload())
    assert (parsed.form_key, parsed.version, parsed.period, parsed.correction) == (
        "bulanan",
        1,
        "2026-10",
        None,
    )
    fixed = parse_submission(
        payload(correction={"of_revision": 2, "reason": "  Salah   ketik aset "})
    )
    assert fixed.correction == Correction(2, "Salah ketik aset")
    for broken in (
        payload(extra=1),
        payload(form=1),
        payload(version="1"),
        payload(version=True),
        payload(values=[]),
        payload(period=202610),
        payload(correction={"of_revision": 0, "reason": "x"}),
        payload(correction={"of_revision": 1}),
        payload(correction="koreksi"),
        payload(correction={"of_revision": 1, "reason": 5}),
    ):
        with pytest.raises(Rejected) as refused:
            parse_submission(broken)
        assert refused.value.code == "payload_invalid", broken
    for reason, code in (
        ("   ", "correction_reason_required"),
        ("x" * 501, "correction_reason_too_long"),
    ):
        with pytest.raises(Rejected) as refused:
            parse_submission(payload(correction={"of_revision": 1, "reason": reason}))
        assert refused.value.code == code


def test_one_report_per_period_then_only_corrections_of_the_latest() -> None:
    assert next_revision(None, None) == 1
    assert next_revision(1, Correction(1, "angka aset salah")) == 2
    assert next_revision(4, Correction(4, "x")) == 5
    for latest, correction, code in [
        (1, None, "report_already_submitted"),
        (None, Correction(1, "x"), "nothing_to_correct"),
        (3, Correction(2, "x"), "report_changed"),  # someone corrected it meanwhile
    ]:
        with pytest.raises(Rejected) as refused:
            next_revision(latest, correction)
        assert refused.value.code == code


def test_declared_figures_beside_the_books() -> None:
    declared = clean_values(MONTHLY_V1, {**good_values(), "assets": 1_200, "employees": 4})
    books = {"assets": 1_000, "members_end": 1_000}
    rows = {row.key: row for row in compare(MONTHLY_V1, declared, books)}
    assert (rows["assets"].declared, rows["assets"].books, rows["assets"].difference) == (
        1_200,
        1_000,
        200,
    )
    assert rows["members_end"].difference == 0
    assert rows["savings_pokok"].books is None  # the books said nothing (not given)
    assert rows["employees"].books is None and rows["employees"].difference is None
    assert rows["contact_name"].declared == "Teks" and rows["contact_name"].difference is None
    assert [row.key for row in compare(MONTHLY_V1, declared, books)] == [
        f.key for f in MONTHLY_V1.fields
    ]


def test_the_payload_hash_ignores_key_order_only() -> None:
    a = payload_hash("report", {"b": 1, "a": [1, 2]})
    assert a == payload_hash("report", {"a": [1, 2], "b": 1})
    assert a != payload_hash("report", {"a": [2, 1], "b": 1})
    assert a != payload_hash("sale", {"a": [1, 2], "b": 1})
