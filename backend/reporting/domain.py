"""Pure rules of the periodic reports a koperasi files with the Dinas: periods (months and
quarters), report forms as data (fields with a type, a label, whether they are required and
where their figure is prefilled from), the checks a submitted form must pass, which
revision a submission becomes, and the comparison of declared figures with the books.

No ORM, no HTTP: the service feeds these functions and persists what they decide."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from babel.dates import format_date

from backend.texts import N_

MIN_YEAR = 2000
RUPIAH_MAX = 10**15  # a thousand trillion rupiah: beyond any koperasi, within a BIGINT
COUNT_MAX = 10**8
TEXT_MAX = 2000
REASON_MAX = 500
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
PAYLOAD_KEYS = frozenset({"form", "version", "period", "values", "correction"})
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_LOCALES = {"id": "id_ID", "en": "en_ID"}

Value = int | str | None


class Rejected(Exception):
    """A submission the server will not accept as sent: the phone keeps it for review.
    `params` fill the placeholders of `message` after it is translated; `problems` say
    which fields are wrong."""

    def __init__(
        self,
        code: str,
        message: str,
        params: Mapping[str, str | int] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = dict(params or {})
        self.problems = list(problems or [])


# --- periods ---------------------------------------------------------------------------


class PeriodKind(StrEnum):
    MONTH = "bulan"
    QUARTER = "triwulan"

    @property
    def months(self) -> int:
        return 1 if self is PeriodKind.MONTH else 3


MONTH_CODE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_CODE = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (`2026-10`) or a quarter (`2026-Q3`); ordered within one kind."""

    kind: PeriodKind
    year: int
    number: int  # the month 1–12, or the quarter 1–4

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}-Q{self.number}"

    @property
    def first_month(self) -> int:
        return self.number if self.kind is PeriodKind.MONTH else 3 * self.number - 2

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    def next(self) -> Period:
        last = 12 if self.kind is PeriodKind.MONTH else 4
        if self.number == last:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.number + 1)

    def previous(self) -> Period:
        if self.number == 1:
            return Period(self.kind, self.year - 1, 12 if self.kind is PeriodKind.MONTH else 4)
        return Period(self.kind, self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """`2026-10` (a month) or `2026-Q3` (a quarter)."""
    month = MONTH_CODE.match(text)
    if month:
        return Period(PeriodKind.MONTH, int(month.group(1)), int(month.group(2)))
    quarter = QUARTER_CODE.match(text)
    if quarter:
        return Period(PeriodKind.QUARTER, int(quarter.group(1)), int(quarter.group(2)))
    raise Rejected(
        "period_invalid",
        N_("Periode tidak dikenal: tulis 2026-10 untuk bulan atau 2026-Q3 untuk triwulan."),
    )


def period_containing(kind: PeriodKind, day: date) -> Period:
    if kind is PeriodKind.MONTH:
        return Period(kind, day.year, day.month)
    return Period(kind, day.year, (day.month - 1) // 3 + 1)


def last_complete(kind: PeriodKind, today: date) -> Period:
    """The latest period that ended before `today`."""
    return period_containing(kind, today).previous()


def recent_periods(kind: PeriodKind, today: date, count: int) -> list[Period]:
    """The `count` latest periods that ended before `today`, newest first."""
    periods = [last_complete(kind, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def check_period(period: Period, kind: PeriodKind, today: date) -> None:
    """A report is filed for a whole period of the form's kind that is already over."""
    if period.kind is not kind:
        raise Rejected(
            "period_kind_mismatch",
            N_("Laporan ini per bulan: pilih bulan, bukan triwulan.")
            if kind is PeriodKind.MONTH
            else N_("Laporan ini per triwulan: pilih triwulan, bukan bulan."),
        )
    if period.year < MIN_YEAR:
        raise Rejected(
            "period_too_old", N_("Periode sebelum tahun {year} tidak diterima."), {"year": MIN_YEAR}
        )
    if period.end >= today:
        raise Rejected(
            "period_not_over",
            N_("Periode {period} belum selesai: laporan dikirim setelah periodenya berakhir."),
            {"period": period.code},
        )


def period_label(period: Period, language: str, _: Any) -> str:
    """`Oktober 2026`, `Triwulan III 2026` (English: `October 2026`, `Quarter III 2026`)."""
    if period.kind is PeriodKind.MONTH:
        return format_date(period.start, format="MMMM y", locale=_LOCALES.get(language, "id_ID"))
    return str(_("Triwulan {quarter} {year}", quarter=ROMAN[period.number], year=period.year))


# --- forms as data -----------------------------------------------------------------------


class FieldType(StrEnum):
    RUPIAH = "rupiah"  # whole rupiah
    COUNT = "count"  # people, loans: a whole number from 0
    TEXT = "text"


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    type: FieldType
    required: bool = True
    prefill: str | None = None  # where the figure comes from (forms.SOURCES), if anywhere
    hint: str = ""
    signed: bool = False  # rupiah that may be below zero (SHU, equity)
    max_length: int = 0  # text: 0 means TEXT_MAX
    multiline: bool = False
    pattern: str = ""  # text: the whole value must match (also the page's `pattern`)
    pattern_hint: str = ""  # what to write when the pattern does not match

    @property
    def numeric(self) -> bool:
        return self.type is not FieldType.TEXT

    @property
    def limit(self) -> int:
        return self.max_length or TEXT_MAX


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class FormDef:
    """One version of a report form. A changed form is a new version beside the old one,
    so every submission is read with the definition it was filled in."""

    key: str
    version: int
    title: str
    period_kind: PeriodKind
    description: str
    due_days: int  # filed within this many days after the period ends
    sections: tuple[SectionDef, ...]

    @property
    def fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for section in self.sections for f in section.fields)

    def field(self, key: str) -> FieldDef | None:
        return next((f for f in self.fields if f.key == key), None)

    def due_date(self, period: Period) -> date:
        return period.end + timedelta(days=self.due_days)


def check_form(form: FormDef, sources: Collection[str]) -> None:
    """A form definition that the pages and the checks can rely on, else ValueError."""
    problems: list[str] = []
    if not KEY_PATTERN.match(form.key) or len(form.key) > 20:
        problems.append(f"form key {form.key!r}")
    if form.version < 1:
        problems.append("version below 1")
    if not form.title.strip() or not form.sections:
        problems.append("a title and at least one section")
    if not 0 <= form.due_days <= 366:
        problems.append("due_days outside 0..366")
    seen: set[str] = set()
    for section in form.sections:
        if not KEY_PATTERN.match(section.key) or not section.title.strip() or not section.fields:
            problems.append(f"section {section.key!r}")
        for f in section.fields:
            where = f"field {f.key!r}"
            if not KEY_PATTERN.match(f.key):
                problems.append(f"{where}: key")
            if f.key in seen:
                problems.append(f"{where}: twice")
            seen.add(f.key)
            if not f.label.strip():
                problems.append(f"{where}: no label")
            if f.prefill is not None and (not f.numeric or f.prefill not in sources):
                problems.append(f"{where}: prefill {f.prefill!r}")
            if f.signed and f.type is not FieldType.RUPIAH:
                problems.append(f"{where}: only rupiah may be signed")
            if f.numeric and (f.max_length or f.multiline or f.pattern):
                problems.append(f"{where}: text options on a number")
            if not 0 <= f.max_length <= TEXT_MAX:
                problems.append(f"{where}: max_length")
            if f.pattern:
                try:
                    re.compile(f.pattern)
                except re.error:
                    problems.append(f"{where}: pattern")
                if not f.pattern_hint:
                    problems.append(f"{where}: pattern without a hint")
    if problems:
        raise ValueError(f"form {form.key} v{form.version}: " + "; ".join(problems))


# --- checking a submission -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: its key, a code, and a message for people."""

    field: str
    code: str
    message: str
    params: dict[str, str | int] = dataclasses.field(default_factory=dict)


def _number(f: FieldDef, raw: object) -> tuple[Value, Problem | None]:
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None, Problem(f.key, "value_not_number", N_("Isi dengan angka."))
    if isinstance(raw, float):
        if not raw.is_integer():
            return None, Problem(f.key, "value_not_whole", N_("Isi dengan angka bulat."))
        raw = int(raw)
    if raw < 0 and not f.signed:
        return None, Problem(f.key, "value_negative", N_("Tidak boleh kurang dari nol."))
    limit = COUNT_MAX if f.type is FieldType.COUNT else RUPIAH_MAX
    if abs(raw) > limit:
        return None, Problem(f.key, "value_too_large", N_("Angka ini terlalu besar."))
    return raw, None


def _text(f: FieldDef, raw: object) -> tuple[Value, Problem | None]:
    if raw is None:
        return "", None
    if not isinstance(raw, str):
        return None, Problem(f.key, "value_not_text", N_("Isi dengan teks."))
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if not f.multiline:
        text = " ".join(text.split())
    if len(text) > f.limit:
        return None, Problem(
            f.key,
            "text_too_long",
            N_("Paling banyak {max} huruf."),
            {"max": f.limit},
        )
    if text and f.pattern and not re.fullmatch(f.pattern, text):
        return None, Problem(f.key, "value_invalid", f.pattern_hint)
    return text, None


def clean_values(form: FormDef, raw: Mapping[str, object]) -> dict[str, Value]:
    """Every field of `form` with its checked value (numbers as int, texts trimmed; None or
    "" where left empty), or Rejected with every problem found."""
    problems = [
        Problem(key, "field_unknown", N_("Isian ini tidak ada di formulir."))
        for key in sorted(set(raw) - {f.key for f in form.fields})
    ]
    values: dict[str, Value] = {}
    for f in form.fields:
        value, problem = (_number if f.numeric else _text)(f, raw.get(f.key))
        if problem is None and f.required and value in (None, ""):
            problem = Problem(f.key, "value_required", N_("Wajib diisi."))
        if problem is not None:
            problems.append(problem)
        values[f.key] = value
    if problems:
        raise Rejected(
            "values_invalid",
            N_("{count} isian perlu diperbaiki."),
            {"count": len(problems)},
            problems,
        )
    return values


@dataclass(frozen=True)
class Correction:
    """A submission that replaces revision `of_revision` of the same form and period."""

    of_revision: int
    reason: str


@dataclass(frozen=True)
class SubmissionIn:
    form_key: str
    version: int
    period: str
    values: dict[str, object]
    correction: Correction | None


def _invalid() -> Rejected:
    return Rejected("payload_invalid", N_("Data laporan dari perangkat tidak lengkap atau rusak."))


def parse_submission(payload: Mapping[str, object]) -> SubmissionIn:
    """The shape of a queued report: {form, version, period, values, correction}."""
    if set(payload) - PAYLOAD_KEYS:
        raise _invalid()
    form_key, version, period = payload.get("form"), payload.get("version"), payload.get("period")
    values, correction = payload.get("values"), payload.get("correction")
    if not isinstance(form_key, str) or not isinstance(period, str):
        raise _invalid()
    if isinstance(version, bool) or not isinstance(version, int) or not isinstance(values, dict):
        raise _invalid()
    if not all(isinstance(key, str) for key in values):
        raise _invalid()
    fix = None
    if correction is not None:
        if not isinstance(correction, dict) or set(correction) != {"of_revision", "reason"}:
            raise _invalid()
        of_revision, reason = correction["of_revision"], correction["reason"]
        if isinstance(of_revision, bool) or not isinstance(of_revision, int) or of_revision < 1:
            raise _invalid()
        if not isinstance(reason, str):
            raise _invalid()
        reason = " ".join(reason.split())
        if not reason:
            raise Rejected(
                "correction_reason_required",
                N_("Tulis alasan koreksi: apa yang berubah dari laporan sebelumnya."),
            )
        if len(reason) > REASON_MAX:
            raise Rejected(
                "correction_reason_too_long",
                N_("Alasan koreksi paling banyak {max} huruf."),
                {"max": REASON_MAX},
            )
        fix = Correction(of_revision, reason)
    return SubmissionIn(form_key, version, period, values, fix)


def next_revision(latest: int | None, correction: Correction | None) -> int:
    """One accepted submission per koperasi, form and period; another one only as a
    correction of the latest revision the person saw (revision + 1, the old one kept)."""
    if correction is None:
        if latest is not None:
            raise Rejected(
                "report_already_submitted",
                N_(
                    "Laporan periode ini sudah dikirim (revisi {revision}). Kirim sebagai "
                    "koreksi bila angkanya perlu diubah."
                ),
                {"revision": latest},
            )
        return 1
    if latest is None:
        raise Rejected(
            "nothing_to_correct",
            N_("Belum ada laporan periode ini yang bisa dikoreksi: kirim sebagai laporan biasa."),
        )
    if correction.of_revision != latest:
        raise Rejected(
            "report_changed",
            N_(
                "Laporan periode ini sudah berubah (revisi terakhir {revision}). Buka lagi "
                "laporannya, periksa, lalu kirim koreksi."
            ),
            {"revision": latest},
        )
    return latest + 1


# --- what the Dinas sees -------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """A declared figure beside the books' figure at receipt (None where the books say
    nothing about the field) and the difference declared − books."""

    key: str
    label: str
    type: FieldType
    declared: Value
    books: int | None
    difference: int | None


def compare(
    form: FormDef, declared: Mapping[str, Value], books: Mapping[str, int]
) -> list[Comparison]:
    rows = []
    for f in form.fields:
        value = declared.get(f.key)
        figure = books.get(f.key) if f.prefill is not None else None
        difference = None
        if isinstance(value, int) and figure is not None:
            difference = value - figure
        rows.append(Comparison(f.key, f.label, f.type, value, figure, difference))
    return rows


def payload_hash(kind: str, payload: Any) -> str:
    """Same id + same hash: a retry (duplicate); same id + another hash: a conflict."""
    text = json.dumps([kind, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
