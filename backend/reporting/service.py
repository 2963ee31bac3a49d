"""Reporting use cases: the figures a form is prefilled with, which periods a koperasi has
filed, the exactly-once intake of reports filled offline, and what the Dinas reads (a
region's filings of a period, one submission with the books beside it, the history).

Intake (`sync`) answers each queued item on its own, as the till's sync does: `created`,
`duplicate` (same id, same payload: already stored), `conflict` (same id, other payload)
or `rejected` (with the reason and the fields to fix). Exactly-once rests on the unique
index on (koperasi_id, client_id); "one report per period" on the unique index on
(koperasi_id, form_key, period, revision) and on `domain.next_revision`, checked while the
koperasi's writes take turns (SQLite's IMMEDIATE transaction; PostgreSQL's lock on the
koperasi row)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import asyncpg

from backend.accounts import audit
from backend.accounts.domain import Actor, Role, may_read_koperasi
from backend.db import is_sqlite, write_transaction
from backend.errors import AppError, Forbidden, NotFound, ValidationFailed
from backend.reporting.domain import (
    Comparison,
    Correction,
    FormDef,
    Period,
    PeriodKind,
    Rejected,
    Value,
    check_period,
    clean_values,
    compare,
    next_revision,
    parse_period,
    parse_submission,
    payload_hash,
    recent_periods,
)
from backend.reporting.figures import figures
from backend.reporting.forms import CURRENT, SOURCES, current_form, form_version
from backend.reporting.tables import ReportSubmission
from backend.tenancy.tables import Koperasi
from backend.texts import N_

# Kota Mojokerto, the only region so far, is on WIB; a region's own zone belongs in its
# data once there are others.
REGION_TZ = timezone(timedelta(hours=7), "WIB")
KIND = "report"
AUDIT_ACTION = "report_submitted"
STATUS_PERIODS = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 8}
LIST_MAX = 200


def region_today() -> date:
    """Today on the region's wall clock: a report of October may be sent from 1 November
    00.00 WIB."""
    return datetime.now(UTC).astimezone(REGION_TZ).date()


# --- who may do what -----------------------------------------------------------------------


def filer(actor: Actor) -> int:
    """Reports are filed by the pengurus of a koperasi; their koperasi."""
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden(
            "reports_forbidden", N_("Laporan ke Dinas diisi dan dikirim oleh pengurus koperasi.")
        )
    return actor.koperasi_id


def supervisor(actor: Actor) -> int:
    """The region of a Dinas officer (who reads every koperasi's reports there)."""
    if actor.role is not Role.DINAS:
        raise Forbidden(
            "reports_dinas_only", N_("Rekap laporan koperasi hanya untuk petugas Dinas.")
        )
    return actor.region_id


async def koperasi_to_read(actor: Actor, slug: str | None) -> int:
    """Whose reports `actor` reads: a pengurus their own koperasi, an officer any koperasi
    of the region (named by `slug`); nobody else any."""
    if actor.role not in (Role.PENGURUS, Role.DINAS):
        raise Forbidden(
            "reports_forbidden", N_("Laporan koperasi dibaca oleh pengurusnya dan oleh Dinas.")
        )
    if slug is None:
        if actor.koperasi_id is None:
            raise NotFound("koperasi_required", N_("Pilih koperasi yang laporannya dilihat."))
        return actor.koperasi_id
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == slug)
        .first()
    )
    if row is None or not may_read_koperasi(actor, row["id"], row["region_id"]):
        raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
    return int(row["id"])


def form_of(key: str) -> FormDef:
    found = current_form(key)
    if found is None:
        raise NotFound("form_not_found", N_("Formulir laporan tidak dikenal."))
    return found


def period_for(form: FormDef, code: str, today: date) -> Period:
    """A period the form may be filed (or read) for: its kind, already over."""
    try:
        period = parse_period(code)
        check_period(period, form.period_kind, today)
    except Rejected as refused:
        raise ValidationFailed(refused.code, refused.message, "period") from refused
    return period


# --- prefill ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prefill:
    form: str
    version: int
    period: str
    start: date
    end: date
    computed_at: datetime
    values: dict[str, int]  # field key -> the books' figure
    sources: dict[str, str]  # field key -> how the figure is computed
    notes: dict[str, str]  # field key -> why this figure differs from its description


async def prefill(koperasi_id: int, form: FormDef, period: Period) -> Prefill:
    found = await figures(koperasi_id, period)
    fields = [f for f in form.fields if f.prefill is not None]
    return Prefill(
        form=form.key,
        version=form.version,
        period=period.code,
        start=period.start,
        end=period.end,
        computed_at=datetime.now(UTC),
        values={f.key: found.values[f.prefill] for f in fields if f.prefill},
        sources={f.key: SOURCES[f.prefill] for f in fields if f.prefill},
        notes={f.key: found.notes[f.prefill] for f in fields if f.prefill in found.notes},
    )


# --- what has been filed ---------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionSummary:
    id: int
    koperasi_id: int
    form: str
    version: int
    period: str
    revision: int
    created_at: datetime
    received_at: datetime
    submitted_by: str | None
    correction_reason: str


def _summary(row: dict[str, Any]) -> SubmissionSummary:
    return SubmissionSummary(
        id=int(row["id"]),
        koperasi_id=int(row["koperasi_id"]),
        form=str(row["form_key"]),
        version=int(row["form_version"]),
        period=str(row["period"]),
        revision=int(row["revision"]),
        created_at=row["created_at"],
        received_at=row["received_at"],
        submitted_by=row.get("submitted_by_name"),
        correction_reason=str(row["correction_reason"] or ""),
    )


SUMMARY_COLUMNS = (
    ReportSubmission.id,
    ReportSubmission.koperasi.as_alias("koperasi_id"),
    ReportSubmission.form_key,
    ReportSubmission.form_version,
    ReportSubmission.period,
    ReportSubmission.revision,
    ReportSubmission.created_at,
    ReportSubmission.received_at,
    ReportSubmission.submitted_by.display_name.as_alias("submitted_by_name"),
    ReportSubmission.correction_reason,
)


async def _latest(
    koperasi_ids: Sequence[int], form_key: str, periods: Sequence[str]
) -> dict[tuple[int, str], tuple[SubmissionSummary, int]]:
    """(koperasi, period) -> (the latest revision, how many revisions there are)."""
    if not koperasi_ids or not periods:
        return {}
    rows = (
        await ReportSubmission.select(*SUMMARY_COLUMNS)
        .where(
            ReportSubmission.koperasi.is_in(list(koperasi_ids))
            & (ReportSubmission.form_key == form_key)
            & ReportSubmission.period.is_in(list(periods))
        )
        .order_by(ReportSubmission.revision)
    )
    found: dict[tuple[int, str], tuple[SubmissionSummary, int]] = {}
    for row in rows:
        summary = _summary(row)
        key = (summary.koperasi_id, summary.period)
        count = found[key][1] + 1 if key in found else 1
        found[key] = (summary, count)
    return found


@dataclass(frozen=True)
class PeriodStatus:
    period: str
    start: date
    end: date
    due: date
    filed: bool
    overdue: bool  # not filed and past its due date
    revisions: int
    latest: SubmissionSummary | None


@dataclass(frozen=True)
class FormStatus:
    form: str
    version: int
    title: str
    period_kind: str
    due_days: int
    periods: list[PeriodStatus]


async def filing_status(
    koperasi_id: int, form: FormDef, today: date, count: int | None = None
) -> FormStatus:
    """The latest complete periods of `form` (newest first), filed or not."""
    periods = recent_periods(form.period_kind, today, count or STATUS_PERIODS[form.period_kind])
    latest = await _latest([koperasi_id], form.key, [p.code for p in periods])
    rows = []
    for period in periods:
        summary, revisions = latest.get((koperasi_id, period.code), (None, 0))
        due = form.due_date(period)
        rows.append(
            PeriodStatus(
                period=period.code,
                start=period.start,
                end=period.end,
                due=due,
                filed=summary is not None,
                overdue=summary is None and today > due,
                revisions=revisions,
                latest=summary,
            )
        )
    return FormStatus(
        form.key, form.version, form.title, form.period_kind.value, form.due_days, rows
    )


async def koperasi_reports(
    koperasi_id: int, today: date, count: int | None = None
) -> list[FormStatus]:
    """Every current form's recent periods for one koperasi (for the Dinas dashboard and
    the koperasi's own page)."""
    return [await filing_status(koperasi_id, form, today, count) for form in CURRENT.values()]


async def submissions(
    koperasi_id: int, form_key: str | None = None, period: str | None = None
) -> list[SubmissionSummary]:
    """A koperasi's submissions, every revision, newest first."""
    where: Any = ReportSubmission.koperasi == koperasi_id
    if form_key is not None:
        where = where & (ReportSubmission.form_key == form_key)
    if period is not None:
        where = where & (ReportSubmission.period == period)
    rows = (
        await ReportSubmission.select(*SUMMARY_COLUMNS)
        .where(where)
        .order_by(ReportSubmission.id, ascending=False)
        .limit(LIST_MAX)
    )
    return [_summary(row) for row in rows]


@dataclass(frozen=True)
class SubmissionDetail:
    summary: SubmissionSummary
    koperasi_slug: str
    koperasi_name: str
    title: str
    period_start: date
    period_end: date
    rows: list[Comparison]
    sources: dict[str, str]  # field key -> how the books' figure is computed
    notes: dict[str, str]  # field key -> why the books' figure is what it is
    history: list[SubmissionSummary]  # every revision of this form and period, newest first

    @property
    def is_latest(self) -> bool:
        return self.summary.revision == max(s.revision for s in self.history)


async def submission_for(actor: Actor, submission_id: int) -> SubmissionDetail:
    """One submission `actor` may read: a pengurus their koperasi's, an officer any of the
    region's; for anybody else it does not exist."""
    row = (
        await ReportSubmission.select(
            ReportSubmission.koperasi.as_alias("koperasi_id"),
            ReportSubmission.koperasi.region.as_alias("region_id"),
        )
        .where(ReportSubmission.id == submission_id)
        .first()
    )
    if (
        row is None
        or actor.role not in (Role.PENGURUS, Role.DINAS)
        or not may_read_koperasi(actor, row["koperasi_id"], row["region_id"])
    ):
        raise NotFound("report_not_found", N_("Laporan tidak ditemukan."))
    return await submission(int(row["koperasi_id"]), submission_id)


DETAIL_COLUMNS = (
    *SUMMARY_COLUMNS,
    ReportSubmission.declared,
    ReportSubmission.books,
    ReportSubmission.books_notes,
    ReportSubmission.period_start,
    ReportSubmission.period_end,
    ReportSubmission.koperasi.slug.as_alias("koperasi_slug"),
    ReportSubmission.koperasi.name.as_alias("koperasi_name"),
)


def _detail(row: dict[str, Any], history: list[SubmissionSummary]) -> SubmissionDetail:
    summary = _summary(row)
    form = form_version(summary.form, summary.version)
    if form is None:  # a version removed from forms.py: never done, see its docstring
        raise NotFound("form_not_found", N_("Formulir laporan tidak dikenal."))
    declared: dict[str, Value] = json.loads(row["declared"])
    books: dict[str, int] = json.loads(row["books"])
    return SubmissionDetail(
        summary=summary,
        koperasi_slug=str(row["koperasi_slug"]),
        koperasi_name=str(row["koperasi_name"]),
        title=form.title,
        period_start=_as_date(row["period_start"]),
        period_end=_as_date(row["period_end"]),
        rows=compare(form, declared, books),
        sources={f.key: SOURCES[f.prefill] for f in form.fields if f.prefill},
        notes=json.loads(row["books_notes"] or "{}"),
        history=history,
    )


async def submission(koperasi_id: int, submission_id: int) -> SubmissionDetail:
    row = (
        await ReportSubmission.select(*DETAIL_COLUMNS)
        .where((ReportSubmission.koperasi == koperasi_id) & (ReportSubmission.id == submission_id))
        .first()
    )
    if row is None:
        raise NotFound("report_not_found", N_("Laporan tidak ditemukan."))
    history = await submissions(koperasi_id, str(row["form_key"]), str(row["period"]))
    return _detail(row, history)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --- a region, for the Dinas -------------------------------------------------------------------


@dataclass(frozen=True)
class KoperasiFiling:
    koperasi_id: int
    slug: str
    name: str
    kind: str
    filed: bool
    overdue: bool
    revisions: int
    latest: SubmissionSummary | None


@dataclass(frozen=True)
class RegionReport:
    region_id: int
    form: str
    version: int
    title: str
    period: str
    start: date
    end: date
    due: date
    filed: int
    missing: int
    overdue: int
    rows: list[KoperasiFiling] = dataclasses.field(default_factory=list)


def region_period(code: str) -> tuple[FormDef, Period]:
    """The form filed per the kind of `code` (a month: the monthly form), and the period."""
    period = parse_period(code)
    for form in CURRENT.values():
        if form.period_kind is period.kind:
            return form, period
    raise Rejected("form_not_found", N_("Formulir laporan tidak dikenal."))


async def region_reports(region_id: int, period: str, today: date | None = None) -> RegionReport:
    """Which koperasi of the region filed the report of `period` (`2026-10`: the monthly
    form; `2026-Q3`: the quarterly one), their latest revision, and who is late."""
    form, span = region_period(period)
    today = today or region_today()
    koperasi = (
        await Koperasi.select(Koperasi.id, Koperasi.slug, Koperasi.name, Koperasi.kind)
        .where(Koperasi.region == region_id)
        .order_by(Koperasi.name)
    )
    latest = await _latest([int(k["id"]) for k in koperasi], form.key, [span.code])
    due = form.due_date(span)
    rows = []
    for k in koperasi:
        summary, revisions = latest.get((int(k["id"]), span.code), (None, 0))
        rows.append(
            KoperasiFiling(
                koperasi_id=int(k["id"]),
                slug=str(k["slug"]),
                name=str(k["name"]),
                kind=str(k["kind"]),
                filed=summary is not None,
                overdue=summary is None and today > due,
                revisions=revisions,
                latest=summary,
            )
        )
    filed = sum(1 for r in rows if r.filed)
    return RegionReport(
        region_id=region_id,
        form=form.key,
        version=form.version,
        title=form.title,
        period=span.code,
        start=span.start,
        end=span.end,
        due=due,
        filed=filed,
        missing=len(rows) - filed,
        overdue=sum(1 for r in rows if r.overdue),
        rows=rows,
    )


async def region_details(report: RegionReport) -> list[SubmissionDetail]:
    """The latest submission of every koperasi that filed, with its revisions, in the
    report's order (two queries for the whole region)."""
    latest = [r.latest.id for r in report.rows if r.latest is not None]
    if not latest:
        return []
    rows = {
        int(row["id"]): row
        for row in await ReportSubmission.select(*DETAIL_COLUMNS).where(
            ReportSubmission.id.is_in(latest)
        )
    }
    history: dict[int, list[SubmissionSummary]] = {}
    for row in await (
        ReportSubmission.select(*SUMMARY_COLUMNS)
        .where(
            ReportSubmission.koperasi.is_in([r.koperasi_id for r in report.rows if r.filed])
            & (ReportSubmission.form_key == report.form)
            & (ReportSubmission.period == report.period)
        )
        .order_by(ReportSubmission.id, ascending=False)
    ):
        summary = _summary(row)
        history.setdefault(summary.koperasi_id, []).append(summary)
    return [
        _detail(rows[r.latest.id], history[r.koperasi_id])
        for r in report.rows
        if r.latest is not None
    ]


# --- intake ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemIn:
    id: str
    kind: str
    payload: dict[str, Any]
    created_at: str | None = None


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str
    params: dict[str, str | int] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: str  # created | duplicate | conflict | rejected
    code: str = ""
    message: str = ""
    params: dict[str, str | int] = dataclasses.field(default_factory=dict)
    problems: list[FieldProblem] = dataclasses.field(default_factory=list)
    submission_id: int | None = None
    revision: int | None = None


def _refusal(item_id: str, refused: Rejected) -> ItemResult:
    return ItemResult(
        item_id,
        "rejected",
        refused.code,
        refused.message,
        refused.params,
        [FieldProblem(p.field, p.code, p.message, p.params) for p in refused.problems],
    )


@dataclass(frozen=True)
class Checked:
    form: FormDef
    period: Period
    values: dict[str, Value]
    correction: Correction | None

    @property
    def correction_reason(self) -> str:
        return self.correction.reason if self.correction else ""


def check(payload: dict[str, Any], today: date) -> Checked:
    """Everything about a queued report that does not need the database."""
    parsed = parse_submission(payload)
    form = form_version(parsed.form_key, parsed.version)
    if form is None:
        raise Rejected(
            "form_unknown",
            N_("Formulir laporan ini (versi {version}) tidak dikenal server."),
            {"version": parsed.version},
        )
    period = parse_period(parsed.period)
    check_period(period, form.period_kind, today)
    return Checked(form, period, clean_values(form, parsed.values), parsed.correction)


def _moment(text: str | None, fallback: datetime) -> datetime:
    if not text:
        return fallback
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return fallback
    return moment if moment.tzinfo is not None else fallback


def _is_unique_violation(error: Exception) -> bool:
    if isinstance(error, asyncpg.UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error)


async def _seen(koperasi_id: int, item: ItemIn, digest: str) -> ItemResult | None:
    """The answer for an item already stored (a retry or a reused id), else None."""
    row = (
        await ReportSubmission.select(
            ReportSubmission.id, ReportSubmission.payload_hash, ReportSubmission.revision
        )
        .where((ReportSubmission.koperasi == koperasi_id) & (ReportSubmission.client_id == item.id))
        .first()
    )
    if row is None:
        return None
    if row["payload_hash"] != digest:
        return ItemResult(
            item.id,
            "conflict",
            "id_reused",
            N_("Laporan dengan id ini sudah diterima dengan isi yang berbeda."),
        )
    return ItemResult(item.id, "duplicate", submission_id=row["id"], revision=row["revision"])


async def _lock(koperasi_id: int) -> None:
    """A koperasi's report writes take turns (PostgreSQL: the koperasi row, as the books
    do; SQLite's IMMEDIATE transaction already serialises every writer)."""
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


async def _latest_revision(koperasi_id: int, form_key: str, period: str) -> int | None:
    rows = await ReportSubmission.raw(
        "SELECT MAX(revision) AS revision FROM report_submission"
        " WHERE koperasi_id = {} AND form_key = {} AND period = {}",
        koperasi_id,
        form_key,
        period,
    ).run()
    value = rows[0]["revision"] if rows else None
    return None if value is None else int(value)


@dataclass(frozen=True)
class Filer:
    """Who files: the koperasi, the pengurus (for the audit log) and where from."""

    koperasi_id: int
    user_id: int | None = None
    region_id: int | None = None
    ip: str = ""


async def sync(
    who: Filer, items: Sequence[ItemIn], today: date, now: datetime | None = None
) -> list[ItemResult]:
    return [await _one(who, item, today, now or datetime.now(UTC)) for item in items]


async def _one(who: Filer, item: ItemIn, today: date, now: datetime) -> ItemResult:
    if item.kind != KIND:
        return ItemResult(item.id, "rejected", "kind_unknown", N_("Jenis data tidak dikenal."))
    k = who.koperasi_id
    digest = payload_hash(item.kind, item.payload)
    seen = await _seen(k, item, digest)
    if seen is not None:
        return seen
    try:
        checked = check(item.payload, today)
        found = await figures(k, checked.period)
    except Rejected as refused:
        return _refusal(item.id, refused)
    prefilled = [f for f in checked.form.fields if f.prefill]
    books = {f.key: found.values[f.prefill] for f in prefilled if f.prefill}
    notes = {f.key: found.notes[f.prefill] for f in prefilled if f.prefill in found.notes}
    try:
        async with write_transaction():
            await _lock(k)
            seen = await _seen(k, item, digest)
            if seen is not None:
                return seen
            latest = await _latest_revision(k, checked.form.key, checked.period.code)
            revision = next_revision(latest, checked.correction)
            inserted = await ReportSubmission.insert(
                ReportSubmission(
                    koperasi=k,
                    client_id=item.id,
                    form_key=checked.form.key,
                    form_version=checked.form.version,
                    period=checked.period.code,
                    period_start=checked.period.start,
                    period_end=checked.period.end,
                    revision=revision,
                    declared=json.dumps(checked.values, sort_keys=True, ensure_ascii=False),
                    books=json.dumps(books, sort_keys=True),
                    books_notes=json.dumps(notes, sort_keys=True, ensure_ascii=False),
                    correction_reason=checked.correction_reason,
                    payload_hash=digest,
                    created_at=_moment(item.created_at, now),
                    received_at=now,
                    submitted_by=who.user_id,
                )
            ).returning(ReportSubmission.id)
            submission_id = int(inserted[0]["id"])
            await audit.record(
                AUDIT_ACTION,
                actor_id=who.user_id,
                region_id=who.region_id,
                koperasi_id=k,
                ip=who.ip,
                form=checked.form.key,
                version=checked.form.version,
                period=checked.period.code,
                revision=revision,
                submission_id=submission_id,
                correction_reason=checked.correction_reason or None,
            )
            return ItemResult(item.id, "created", submission_id=submission_id, revision=revision)
    except Rejected as refused:
        return _refusal(item.id, refused)
    except AppError as error:
        return ItemResult(item.id, "rejected", error.code, error.message)
    except Exception as error:
        if not _is_unique_violation(error):
            raise
    # A parallel copy of the same item won the race: answer as for a retry; another
    # report for the same period won it: this one comes too late.
    seen = await _seen(k, item, digest)
    if seen is not None:
        return seen
    latest = await _latest_revision(k, checked.form.key, checked.period.code)
    try:
        next_revision(latest, checked.correction)
    except Rejected as refused:
        return _refusal(item.id, refused)
    raise RuntimeError("report intake: a unique key refused a report nobody else holds")
