"""Health-assessment use cases. Each write owns its transaction (`write_transaction`); reads
and writes are scoped to one koperasi; who may do what is checked here:

- pengurus of the koperasi start an assessment (a draft), answer its checklists, enter the
  figures the books do not hold, recompute it and delete a draft;
- a Dinas officer of the koperasi's region does all of that too, and alone makes a draft
  final; the region's officers also set the region's ATMR risk weights and confirm rule
  rows of low confidence ("sementara");
- nobody else reads or writes any of it.

A final assessment never changes (the database refuses it too); `history` lists the final
ones by date — the koperasi's record over time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from backend.accounts import audit
from backend.accounts.domain import Actor, Role, may_read_koperasi
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, Forbidden, NotFound, ValidationFailed
from backend.health import inputs, rules
from backend.health.domain import (
    ROW_ATMR,
    ROW_CATEGORIES,
    ROW_WEIGHTS,
    Evidence,
    IndicatorKind,
    Method,
    Result,
    Scheme,
    Status,
    books_period_text,
    evidence_text,
    missing_hints,
    percent_text,
    period_start,
    round2,
    score,
    score_text,
)
from backend.health.tables import (
    HealthAnswer,
    HealthAspectScore,
    HealthAssessment,
    HealthAtmrWeight,
    HealthFigure,
    HealthIndicator,
    HealthRuleConfirmation,
)
from backend.i18n import translator
from backend.tenancy.tables import Koperasi
from backend.texts import N_

DRAFT, FINAL = "draft", "final"
STATUS_LABELS = {DRAFT: N_("Draf"), FINAL: N_("Final")}
ROLE_LABELS = {"pengurus": N_("Pengurus"), "dinas": N_("Petugas Dinas")}
MAX_AMOUNT = 10**15
HISTORY_MAX = 200


# --- who asks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    user_id: int | None
    role: str  # pengurus | dinas
    region_id: int | None = None
    ip: str = ""


@dataclass(frozen=True)
class Place:
    """The koperasi a request works on."""

    koperasi_id: int
    region_id: int
    slug: str
    name: str
    kind: str


async def _place(**where: Any) -> Place | None:
    query = Koperasi.select(
        Koperasi.id,
        Koperasi.region.as_alias("region_id"),
        Koperasi.slug,
        Koperasi.name,
        Koperasi.kind,
    )
    for name, value in where.items():
        query = query.where(getattr(Koperasi, name) == value)
    row = await query.first()
    if row is None:
        return None
    return Place(
        int(row["id"]), int(row["region_id"]), str(row["slug"]), str(row["name"]), str(row["kind"])
    )


NOT_ALLOWED = N_(
    "Penilaian kesehatan hanya untuk pengurus koperasi dan petugas Dinas Koperasi wilayahnya."
)


async def place_for(actor: Actor, slug: str | None) -> Place:
    """The koperasi `actor` works on: a pengurus their own (a slug, if given, must be it);
    a Dinas officer the koperasi of their region named by `slug`."""
    if actor.role not in (Role.PENGURUS, Role.DINAS):
        raise Forbidden("health_forbidden", NOT_ALLOWED)
    if slug is None:
        if actor.koperasi_id is None:
            raise NotFound("koperasi_required", N_("Pilih koperasi yang dinilai."))
        found = await _place(id=actor.koperasi_id)
    else:
        found = await _place(slug=slug)
    if found is None:
        raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
    if not may_read_koperasi(actor, found.koperasi_id, found.region_id):
        raise Forbidden("health_forbidden", NOT_ALLOWED)
    return found


def require_assessor(actor: Actor) -> None:
    """Pengurus of a koperasi and Dinas officers; nobody else."""
    if actor.role is Role.DINAS or (actor.role is Role.PENGURUS and actor.koperasi_id):
        return
    raise Forbidden("health_forbidden", NOT_ALLOWED)


def who_of(actor: Actor, ip: str = "") -> Who:
    return Who(user_id=actor.user_id, role=actor.role.value, region_id=actor.region_id, ip=ip)


def require_dinas(actor: Actor) -> int:
    """The region of a Dinas officer (the only role that finalises and sets the region's
    rules)."""
    if actor.role is not Role.DINAS:
        raise Forbidden("dinas_only", N_("Hanya petugas Dinas Koperasi yang dapat melakukan ini."))
    return actor.region_id


# --- the rule sets ----------------------------------------------------------------------


def _scheme_of(scheme_id: str, version: str) -> Scheme:
    found = rules.scheme_version(scheme_id, version)
    if found is None:  # a data file was removed although assessments use it
        raise NotFound("scheme_not_found", N_("Aturan penilaian ini tidak ditemukan."))
    return found


async def confirmed_rows(region_id: int, scheme: Scheme) -> set[str]:
    rows = await HealthRuleConfirmation.select(HealthRuleConfirmation.row).where(
        (HealthRuleConfirmation.region == region_id)
        & (HealthRuleConfirmation.scheme == scheme.id)
        & (HealthRuleConfirmation.version == scheme.version)
    )
    return {str(r["row"]) for r in rows}


async def _provisional(region_id: int, scheme: Scheme) -> list[str]:
    confirmed = await confirmed_rows(region_id, scheme)
    return [code for code, _ in scheme.provisional_rows() if code not in confirmed]


# --- storing and computing ------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


async def _lock(koperasi_id: int) -> None:
    """Health writes of one koperasi take turns (PostgreSQL: the koperasi row; SQLite's
    IMMEDIATE transaction already serialises every writer)."""
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


ASSESSMENT_COLUMNS = (
    HealthAssessment.id,
    HealthAssessment.number,
    HealthAssessment.scheme,
    HealthAssessment.version,
    HealthAssessment.as_of,
    HealthAssessment.period_start,
    HealthAssessment.status,
    HealthAssessment.total_score,
    HealthAssessment.category,
    HealthAssessment.provisional_rows,
    HealthAssessment.created_role,
    HealthAssessment.created_at,
    HealthAssessment.computed_at,
    HealthAssessment.finalised_at,
    HealthAssessment.created_by.display_name.as_alias("created_by_name"),
    HealthAssessment.finalised_by.display_name.as_alias("finalised_by_name"),
)


async def _row(koperasi_id: int, number: int) -> dict[str, Any]:
    row = (
        await HealthAssessment.select(*ASSESSMENT_COLUMNS)
        .where((HealthAssessment.koperasi == koperasi_id) & (HealthAssessment.number == number))
        .first()
    )
    if row is None:
        raise NotFound("assessment_not_found", N_("Penilaian tidak ditemukan."))
    return row


def _require_draft(row: dict[str, Any]) -> None:
    if row["status"] != DRAFT:
        raise Conflict(
            "assessment_final",
            N_(
                "Penilaian ini sudah final dan tidak dapat diubah. Untuk koreksi, buat "
                "penilaian baru."
            ),
        )


async def _answers(koperasi_id: int, assessment_id: int) -> dict[str, bool]:
    rows = await HealthAnswer.select(HealthAnswer.item, HealthAnswer.met).where(
        (HealthAnswer.koperasi == koperasi_id) & (HealthAnswer.assessment == assessment_id)
    )
    return {str(r["item"]): bool(r["met"]) for r in rows}  # SQLite answers 0/1


async def _entered(koperasi_id: int, assessment_id: int) -> dict[str, inputs.Entered]:
    rows = await HealthFigure.select(
        HealthFigure.code, HealthFigure.amount, HealthFigure.entered_role
    ).where((HealthFigure.koperasi == koperasi_id) & (HealthFigure.assessment == assessment_id))
    return {str(r["code"]): inputs.Entered(int(r["amount"]), str(r["entered_role"])) for r in rows}


async def _compute(place: Place, row: dict[str, Any]) -> Result:
    """Read the figures, score, and store the indicators, aspects and total of a draft."""
    scheme = _scheme_of(row["scheme"], row["version"])
    assessment_id = int(row["id"])
    as_of = _as_date(row["as_of"])
    figures = await inputs.gather(
        place.koperasi_id,
        place.region_id,
        scheme,
        as_of,
        await _entered(place.koperasi_id, assessment_id),
    )
    result = score(scheme, figures, await _answers(place.koperasi_id, assessment_id))
    provisional = await _provisional(place.region_id, scheme)
    k = place.koperasi_id
    where_mine = (HealthIndicator.koperasi == k) & (HealthIndicator.assessment == assessment_id)
    await HealthIndicator.delete().where(where_mine)
    await HealthAspectScore.delete().where(
        (HealthAspectScore.koperasi == k) & (HealthAspectScore.assessment == assessment_id)
    )
    await HealthIndicator.insert(
        *[
            HealthIndicator(
                koperasi=k,
                assessment=assessment_id,
                position=position,
                aspect=r.aspect,
                code=r.code,
                kind=r.kind.value,
                status=r.status.value,
                value=None if r.value is None else str(r.value),
                nilai=str(round2(r.nilai)),
                skor=str(round2(r.skor)),
                at_best=r.at_best,
                provisional=r.code in provisional,
                met=r.met,
                items=r.items,
                evidence=json.dumps(r.evidence.as_json(), ensure_ascii=False, sort_keys=True),
            )
            for position, r in enumerate(result.indicators)
        ]
    )
    await HealthAspectScore.insert(
        *[
            HealthAspectScore(
                koperasi=k,
                assessment=assessment_id,
                aspect=a.code,
                score=str(round2(a.score)),
                weight=str(a.weight),
            )
            for a in result.aspects
        ]
    )
    await HealthAssessment.update(
        {
            HealthAssessment.total_score: str(result.total),
            HealthAssessment.category: result.category.code,
            HealthAssessment.provisional_rows: json.dumps(provisional),
            HealthAssessment.computed_at: _now(),
        }
    ).where((HealthAssessment.koperasi == k) & (HealthAssessment.id == assessment_id))
    return result


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


# --- use cases ------------------------------------------------------------------------


async def start(place: Place, scheme_id: str, as_of: date, who: Who, today: date) -> int:
    """A new draft assessment of the koperasi on `as_of` with the version of `scheme_id` in
    force that day, computed at once. Returns its number."""
    if as_of > today:
        raise ValidationFailed(
            "as_of_in_future", N_("Tanggal penilaian tidak boleh di masa depan."), "as_of"
        )
    scheme = rules.scheme_on(scheme_id, as_of)
    if scheme is None:
        raise ValidationFailed(
            "scheme_not_in_force",
            N_("Aturan penilaian ini belum berlaku pada tanggal tersebut, atau tidak dikenal."),
            "scheme",
        )
    async with write_transaction():
        await _lock(place.koperasi_id)
        if await HealthAssessment.exists().where(
            (HealthAssessment.koperasi == place.koperasi_id) & (HealthAssessment.status == DRAFT)
        ):
            raise Conflict(
                "draft_exists",
                N_(
                    "Masih ada penilaian berstatus draf. Selesaikan, finalkan atau hapus "
                    "draf itu dulu."
                ),
            )
        last = (
            await HealthAssessment.select(HealthAssessment.number)
            .where(HealthAssessment.koperasi == place.koperasi_id)
            .order_by(HealthAssessment.number, ascending=False)
            .first()
        )
        number = (int(last["number"]) if last else 0) + 1
        await HealthAssessment.insert(
            HealthAssessment(
                koperasi=place.koperasi_id,
                number=number,
                scheme=scheme.id,
                version=scheme.version,
                as_of=as_of,
                period_start=period_start(as_of),
                status=DRAFT,
                created_by=who.user_id,
                created_role=who.role,
            )
        )
        row = await _row(place.koperasi_id, number)
        result = await _compute(place, row)
        await audit.record(
            "health_assessment_started",
            actor_id=who.user_id,
            region_id=who.region_id,
            koperasi_id=place.koperasi_id,
            ip=who.ip,
            number=number,
            scheme=scheme.id,
            version=scheme.version,
            as_of=as_of.isoformat(),
            total=str(result.total),
        )
    return number


async def save(
    place: Place,
    number: int,
    answers: Mapping[str, bool],
    figures: Mapping[str, int | None],
    who: Who,
    *,
    recompute: bool = True,
) -> None:
    """Record checklist answers (item -> met) and hand-entered figures (code -> amount,
    None to remove one) of a draft, then recompute it (`recompute=False`: the caller
    finalises next, which recomputes). Only answers that change are written, so each keeps
    who gave it."""
    async with write_transaction():
        await _lock(place.koperasi_id)
        row = await _row(place.koperasi_id, number)
        _require_draft(row)
        scheme = _scheme_of(row["scheme"], row["version"])
        items = scheme.items
        for code in answers:
            if code not in items:
                raise ValidationFailed(
                    "unknown_item", N_("Butir daftar periksa tidak dikenal."), "answers"
                )
        for code, amount in figures.items():
            if code not in scheme.figures:
                raise ValidationFailed("unknown_figure", N_("Angka tidak dikenal."), "figures")
            if amount is not None and (
                isinstance(amount, bool) or not -MAX_AMOUNT <= amount <= MAX_AMOUNT
            ):
                raise ValidationFailed("amount_out_of_range", N_("Jumlah tidak wajar."), "figures")
        assessment_id = int(row["id"])
        k = place.koperasi_id
        before = await _answers(k, assessment_id)
        now = _now()
        new_rows = []
        for code, met in answers.items():
            if code not in before:
                new_rows.append(
                    HealthAnswer(
                        koperasi=k,
                        assessment=assessment_id,
                        item=code,
                        met=bool(met),
                        answered_role=who.role,
                        answered_by=who.user_id,
                        answered_at=now,
                    )
                )
            elif before[code] != bool(met):
                await HealthAnswer.update(
                    {
                        HealthAnswer.met: bool(met),
                        HealthAnswer.answered_role: who.role,
                        HealthAnswer.answered_by: who.user_id,
                        HealthAnswer.answered_at: now,
                    }
                ).where(
                    (HealthAnswer.koperasi == k)
                    & (HealthAnswer.assessment == assessment_id)
                    & (HealthAnswer.item == code)
                )
        if new_rows:  # Piccolo writes invalid SQL for an empty insert
            await HealthAnswer.insert(*new_rows)
        entered = await _entered(k, assessment_id)
        for code, amount in figures.items():
            where = (
                (HealthFigure.koperasi == k)
                & (HealthFigure.assessment == assessment_id)
                & (HealthFigure.code == code)
            )
            if amount is None:
                if code in entered:
                    await HealthFigure.delete().where(where)
            elif code not in entered:
                await HealthFigure.insert(
                    HealthFigure(
                        koperasi=k,
                        assessment=assessment_id,
                        code=code,
                        amount=amount,
                        entered_role=who.role,
                        entered_by=who.user_id,
                        entered_at=now,
                    )
                )
            elif entered[code].amount != amount:
                await HealthFigure.update(
                    {
                        HealthFigure.amount: amount,
                        HealthFigure.entered_role: who.role,
                        HealthFigure.entered_by: who.user_id,
                        HealthFigure.entered_at: now,
                    }
                ).where(where)
        if recompute:
            await _compute(place, row)


async def recompute(place: Place, number: int) -> None:
    """Read the books again (they may have changed since) and rescore a draft."""
    async with write_transaction():
        await _lock(place.koperasi_id)
        row = await _row(place.koperasi_id, number)
        _require_draft(row)
        await _compute(place, row)


async def finalise(place: Place, number: int, who: Who) -> None:
    """A Dinas officer of the region closes the assessment: recomputed one last time from
    the books, with every checklist item answered; it never changes after."""
    if who.role != Role.DINAS.value or who.region_id != place.region_id:
        raise Forbidden(
            "dinas_only", N_("Hanya petugas Dinas Koperasi wilayah ini yang dapat memfinalkan.")
        )
    async with write_transaction():
        await _lock(place.koperasi_id)
        row = await _row(place.koperasi_id, number)
        _require_draft(row)
        scheme = _scheme_of(row["scheme"], row["version"])
        answered = await _answers(place.koperasi_id, int(row["id"]))
        if any(code not in answered for code in scheme.items):
            raise Conflict(
                "unanswered_items",
                N_("Masih ada butir daftar periksa yang belum dijawab. Jawab semua butir dulu."),
            )
        result = await _compute(place, row)
        await HealthAssessment.update(
            {
                HealthAssessment.status: FINAL,
                HealthAssessment.finalised_by: who.user_id,
                HealthAssessment.finalised_at: _now(),
            }
        ).where(
            (HealthAssessment.koperasi == place.koperasi_id)
            & (HealthAssessment.id == int(row["id"]))
        )
        await audit.record(
            "health_assessment_finalised",
            actor_id=who.user_id,
            region_id=who.region_id,
            koperasi_id=place.koperasi_id,
            ip=who.ip,
            number=number,
            scheme=scheme.id,
            version=scheme.version,
            as_of=_as_date(row["as_of"]).isoformat(),
            total=str(result.total),
            category=result.category.code,
        )


async def delete_draft(place: Place, number: int, who: Who) -> None:
    async with write_transaction():
        await _lock(place.koperasi_id)
        row = await _row(place.koperasi_id, number)
        _require_draft(row)
        k, assessment_id = place.koperasi_id, int(row["id"])
        for table in (HealthIndicator, HealthAspectScore, HealthAnswer, HealthFigure):
            await table.delete().where((table.koperasi == k) & (table.assessment == assessment_id))
        await HealthAssessment.delete().where(
            (HealthAssessment.koperasi == k) & (HealthAssessment.id == assessment_id)
        )
        await audit.record(
            "health_assessment_deleted",
            actor_id=who.user_id,
            region_id=who.region_id,
            koperasi_id=k,
            ip=who.ip,
            number=number,
            as_of=_as_date(row["as_of"]).isoformat(),
        )


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """One final assessment in the koperasi's record."""

    number: int
    as_of: date
    scheme: str
    version: str
    scheme_name: str
    total_score: str  # two decimals, "72.35"
    category: str
    category_label: str


@dataclass(frozen=True)
class AssessmentSummary:
    number: int
    as_of: date
    scheme: str
    scheme_name: str
    status: str
    status_label: str
    total_score: str
    category: str
    category_label: str
    created_at: datetime | None
    finalised_at: datetime | None


def _labels(scheme_id: str, version: str, category: str, language: str) -> tuple[str, str]:
    scheme = rules.scheme_version(scheme_id, version)
    if scheme is None:
        return scheme_id, category
    label = next((c.label.in_(language) for c in scheme.categories if c.code == category), "")
    return scheme.short_name.in_(language), label


TREND_COLUMNS = (
    HealthAssessment.number,
    HealthAssessment.as_of,
    HealthAssessment.scheme,
    HealthAssessment.version,
    HealthAssessment.total_score,
    HealthAssessment.category,
)


def _point(r: dict[str, Any], language: str) -> TrendPoint:
    scheme_name, category_label = _labels(r["scheme"], r["version"], r["category"], language)
    return TrendPoint(
        number=int(r["number"]),
        as_of=_as_date(r["as_of"]),
        scheme=str(r["scheme"]),
        version=str(r["version"]),
        scheme_name=scheme_name,
        total_score=str(r["total_score"]),
        category=str(r["category"]),
        category_label=category_label,
    )


async def history(koperasi_id: int, language: str = "id") -> list[TrendPoint]:
    """The koperasi's final assessments, oldest first (the trend: date, scheme, score,
    category); the latest `HISTORY_MAX` of them."""
    rows = (
        await HealthAssessment.select(*TREND_COLUMNS)
        .where((HealthAssessment.koperasi == koperasi_id) & (HealthAssessment.status == FINAL))
        .order_by(HealthAssessment.as_of, ascending=False)
        .order_by(HealthAssessment.number, ascending=False)
        .limit(HISTORY_MAX)
    )
    return [_point(r, language) for r in reversed(rows)]


async def latest(koperasi_id: int, language: str = "id") -> TrendPoint | None:
    """The koperasi's most recent final assessment (by date, then number), if any."""
    row = (
        await HealthAssessment.select(*TREND_COLUMNS)
        .where((HealthAssessment.koperasi == koperasi_id) & (HealthAssessment.status == FINAL))
        .order_by(HealthAssessment.as_of, ascending=False)
        .order_by(HealthAssessment.number, ascending=False)
        .first()
    )
    return _point(row, language) if row else None


async def assessments(koperasi_id: int, language: str = "id") -> list[AssessmentSummary]:
    """Every assessment of the koperasi (drafts too), newest first."""
    rows = (
        await HealthAssessment.select(*ASSESSMENT_COLUMNS)
        .where(HealthAssessment.koperasi == koperasi_id)
        .order_by(HealthAssessment.number, ascending=False)
        .limit(HISTORY_MAX)
    )
    summaries = []
    for r in rows:
        scheme_name, category_label = _labels(r["scheme"], r["version"], r["category"], language)
        status = str(r["status"])
        summaries.append(
            AssessmentSummary(
                number=int(r["number"]),
                as_of=_as_date(r["as_of"]),
                scheme=str(r["scheme"]),
                scheme_name=scheme_name,
                status=status,
                status_label=translator(language)(STATUS_LABELS.get(status, status)),
                total_score=str(r["total_score"]),
                category=str(r["category"]),
                category_label=category_label,
                created_at=_as_datetime(r["created_at"]),
                finalised_at=_as_datetime(r["finalised_at"]),
            )
        )
    return summaries


async def draft_number(koperasi_id: int) -> int | None:
    row = (
        await HealthAssessment.select(HealthAssessment.number)
        .where((HealthAssessment.koperasi == koperasi_id) & (HealthAssessment.status == DRAFT))
        .first()
    )
    return int(row["number"]) if row else None


@dataclass(frozen=True)
class ItemView:
    code: str
    text: str
    met: bool | None  # None: not answered yet
    answered_role: str | None
    answered_by: str | None


@dataclass(frozen=True)
class IndicatorView:
    code: str
    aspect: str
    label: str
    group: str | None
    kind: str
    confidence: str
    provisional: bool
    status: str
    value: str | None  # "12.00" (%), None when not computed
    value_text: str  # "12,00%" in the reader's language, or "—"
    nilai: str
    skor: str
    weight: str | None  # weighted schemes
    at_best: bool
    evidence: str  # in words
    hints: list[str]  # what to fix / what to record
    note: str | None
    met: int
    items_total: int
    items: list[ItemView] = field(default_factory=list)


@dataclass(frozen=True)
class AspectView:
    code: str
    label: str
    weight: str
    score: str
    score_text: str


@dataclass(frozen=True)
class FigureView:
    code: str
    label: str
    record: str  # what to record / enter
    entered: int | None
    entered_role: str | None
    used: bool  # the entered amount is used (the books do not hold the figure)


@dataclass(frozen=True)
class AssessmentView:
    koperasi_slug: str
    koperasi_name: str
    number: int
    scheme: str
    version: str
    scheme_name: str
    scheme_source: str
    method: str
    as_of: date
    period_start: date
    period_text: str
    status: str
    status_label: str
    total_score: str
    total_text: str
    category: str
    category_label: str
    provisional_notes: list[str]
    created_by: str | None
    created_role: str
    created_at: datetime | None
    computed_at: datetime | None
    finalised_by: str | None
    finalised_at: datetime | None
    unanswered: int
    aspects: list[AspectView]
    indicators: list[IndicatorView]
    figures: list[FigureView]


async def detail(place: Place, number: int, language: str = "id") -> AssessmentView:
    """An assessment with every indicator, its evidence in words and what to fix, the
    checklist answers (and who gave them), and the figures that may be entered by hand."""
    _ = translator(language)
    row = await _row(place.koperasi_id, number)
    scheme = _scheme_of(row["scheme"], row["version"])
    k, assessment_id = place.koperasi_id, int(row["id"])
    status = str(row["status"])
    stored = await HealthIndicator.select().where(
        (HealthIndicator.koperasi == k) & (HealthIndicator.assessment == assessment_id)
    )
    by_code = {str(r["code"]): r for r in stored}
    aspect_rows = {
        str(r["aspect"]): r
        for r in await HealthAspectScore.select().where(
            (HealthAspectScore.koperasi == k) & (HealthAspectScore.assessment == assessment_id)
        )
    }
    answer_rows = await HealthAnswer.select(
        HealthAnswer.item,
        HealthAnswer.met,
        HealthAnswer.answered_role,
        HealthAnswer.answered_by.display_name.as_alias("name"),
    ).where((HealthAnswer.koperasi == k) & (HealthAnswer.assessment == assessment_id))
    answers = {str(r["item"]): r for r in answer_rows}
    if status == FINAL:
        provisional = set(json.loads(row["provisional_rows"] or "[]"))
    else:  # a draft follows the region's confirmations as they are now
        provisional = set(await _provisional(place.region_id, scheme))
    indicators: list[IndicatorView] = []
    missing_codes: dict[str, None] = {}
    used_entered: set[str] = set()
    for indicator in scheme.indicators:
        r = by_code.get(indicator.code)
        if r is None:
            continue
        evidence = Evidence.from_json(json.loads(r["evidence"] or "{}"))
        for code, _reason in evidence.missing:
            missing_codes.setdefault(code, None)
        for term in (*evidence.numerator, *evidence.denominator):
            if term.origin == "isian":
                used_entered.add(term.figure)
        value = Decimal(r["value"]) if r["value"] is not None else None
        indicator_status = Status(r["status"])
        hints: list[str] = []
        if indicator_status is Status.NO_DATA:
            hints = missing_hints(evidence, scheme, language)
        elif not bool(r["at_best"]):
            hints = [indicator.hint.in_(language)]
        words = ""
        items: list[ItemView] = []
        if indicator.kind is IndicatorKind.RATIO:
            words = evidence_text(value, evidence, scheme, language, _)
        else:
            words = _(
                "{met} dari {total} butir terpenuhi ({share})",
                met=int(r["met"]),
                total=int(r["items"]),
                share=percent_text(value or Decimal(0), language),
            )
            for item in indicator.items:
                answer = answers.get(item.code)
                items.append(
                    ItemView(
                        code=item.code,
                        text=item.text.in_(language),
                        met=None if answer is None else bool(answer["met"]),
                        answered_role=None if answer is None else str(answer["answered_role"]),
                        answered_by=None if answer is None else answer["name"],
                    )
                )
        indicators.append(
            IndicatorView(
                code=indicator.code,
                aspect=indicator.aspect,
                label=indicator.label.in_(language),
                group=indicator.group.in_(language) if indicator.group else None,
                kind=indicator.kind.value,
                confidence=indicator.confidence.value,
                provisional=indicator.code in provisional,
                status=indicator_status.value,
                value=None if value is None else str(value),
                value_text="—" if value is None else percent_text(value, language),
                nilai=str(r["nilai"]),
                skor=str(r["skor"]),
                weight=str(indicator.weight) if scheme.method is Method.WEIGHTED else None,
                at_best=bool(r["at_best"]),
                evidence=words,
                hints=hints,
                note=indicator.note.in_(language) if indicator.note else None,
                met=int(r["met"]),
                items_total=int(r["items"]),
                items=items,
            )
        )
    aspects = [
        AspectView(
            code=a.code,
            label=a.label.in_(language),
            weight=str(a.weight),
            score=str(aspect_rows[a.code]["score"]) if a.code in aspect_rows else "0.00",
            score_text=score_text(
                Decimal(str(aspect_rows[a.code]["score"])) if a.code in aspect_rows else Decimal(0),
                language,
            ),
        )
        for a in scheme.aspects
    ]
    entered_rows = {
        str(r["code"]): r
        for r in await HealthFigure.select(
            HealthFigure.code, HealthFigure.amount, HealthFigure.entered_role
        ).where((HealthFigure.koperasi == k) & (HealthFigure.assessment == assessment_id))
    }
    figure_codes = [c for c in scheme.figures if c in missing_codes or c in entered_rows]
    figures = [
        FigureView(
            code=code,
            label=scheme.figures[code].label.in_(language),
            record=scheme.figures[code].record.in_(language),
            entered=int(entered_rows[code]["amount"]) if code in entered_rows else None,
            entered_role=str(entered_rows[code]["entered_role"]) if code in entered_rows else None,
            used=code in used_entered,
        )
        for code in figure_codes
    ]
    notes = _provisional_notes(scheme, provisional, language)
    _scheme_name, category_label = _labels(
        scheme.id, scheme.version, str(row["category"]), language
    )
    as_of, since = _as_date(row["as_of"]), _as_date(row["period_start"])
    total = Decimal(str(row["total_score"]))
    return AssessmentView(
        koperasi_slug=place.slug,
        koperasi_name=place.name,
        number=number,
        scheme=scheme.id,
        version=scheme.version,
        scheme_name=scheme.name.in_(language),
        scheme_source=scheme.source,
        method=scheme.method.value,
        as_of=as_of,
        period_start=since,
        period_text=books_period_text(since, as_of, language),
        status=status,
        status_label=_(STATUS_LABELS.get(status, status)),
        total_score=str(row["total_score"]),
        total_text=score_text(total, language),
        category=str(row["category"]),
        category_label=category_label,
        provisional_notes=notes,
        created_by=row["created_by_name"],
        created_role=str(row["created_role"]),
        created_at=_as_datetime(row["created_at"]),
        computed_at=_as_datetime(row["computed_at"]),
        finalised_by=row["finalised_by_name"],
        finalised_at=_as_datetime(row["finalised_at"]),
        unanswered=sum(1 for code in scheme.items if code not in answers),
        aspects=aspects,
        indicators=indicators,
        figures=figures,
    )


def _provisional_notes(scheme: Scheme, provisional: set[str], language: str) -> list[str]:
    _ = translator(language)
    notes = []
    if ROW_WEIGHTS in provisional:
        notes.append(
            _(
                "Bobot aspek skema ini bersifat sementara (keyakinan rendah) sampai "
                "dikonfirmasi Dinas."
            )
        )
    if ROW_CATEGORIES in provisional:
        notes.append(
            _(
                "Batas kategori akhir skema ini bersifat sementara (keyakinan rendah) sampai "
                "dikonfirmasi Dinas."
            )
        )
    if ROW_ATMR in provisional:
        notes.append(
            _("Bobot risiko ATMR bersifat sementara (keyakinan rendah) sampai dikonfirmasi Dinas.")
        )
    return notes


# --- the region's settings ------------------------------------------------------------


@dataclass(frozen=True)
class AtmrRow:
    account: str
    name: str
    default_bp: int
    region_bp: int | None  # the region's own weight, if set


@dataclass(frozen=True)
class RuleRow:
    scheme: str
    version: str
    scheme_name: str
    row: str
    label: str
    confirmed: bool


@dataclass(frozen=True)
class RegionSettings:
    atmr: list[AtmrRow]
    atmr_note: str
    rows: list[RuleRow]


async def region_settings(
    region_id: int, language: str = "id", today: date | None = None
) -> RegionSettings:
    """The ATMR weights (each asset account of the default chart, the rule set's weight and
    the region's) and the low-confidence rows of the rule sets in force, confirmed or not."""
    from backend.ledger.chart import DEFAULT_CHART
    from backend.ledger.domain import AccountType

    day = today or datetime.now(UTC).date()
    schemes = rules.current_schemes(day)
    reference = schemes[0]
    overrides = await inputs.atmr_overrides(region_id)
    _ = translator(language)
    chart_names = {a.code: _(a.name) for a in DEFAULT_CHART if a.type is AccountType.ASET}
    codes = list(chart_names) + sorted(set(overrides) - set(chart_names))
    atmr = [
        AtmrRow(
            account=code,
            name=chart_names.get(code, ""),
            default_bp=reference.atmr.weight_of(code),
            region_bp=overrides.get(code),
        )
        for code in codes
    ]
    rows = []
    for scheme in schemes:
        confirmed = await confirmed_rows(region_id, scheme)
        rows += [
            RuleRow(
                scheme=scheme.id,
                version=scheme.version,
                scheme_name=scheme.short_name.in_(language),
                row=code,
                label=label.in_(language),
                confirmed=code in confirmed,
            )
            for code, label in scheme.provisional_rows()
        ]
    note = reference.atmr.note.in_(language) if reference.atmr.note else ""
    return RegionSettings(atmr=atmr, atmr_note=note, rows=rows)


async def set_atmr_weight(region_id: int, account: str, weight_bp: int | None, who: Who) -> None:
    """The region's own ATMR weight of an asset account (None: back to the rule set's)."""
    if not rules.ACCOUNT_CODE.match(account) or not account.startswith("1-"):
        raise ValidationFailed(
            "account_not_asset", N_("Bobot ATMR hanya untuk akun aset (kode 1-…)."), "account"
        )
    if weight_bp is not None and not 0 <= weight_bp <= 10_000:
        raise ValidationFailed(
            "weight_out_of_range", N_("Bobot risiko antara 0% dan 100%."), "weight_bp"
        )
    async with write_transaction():
        where = (HealthAtmrWeight.region == region_id) & (HealthAtmrWeight.account == account)
        before = await HealthAtmrWeight.select(HealthAtmrWeight.weight_bp).where(where).first()
        old = int(before["weight_bp"]) if before else None
        if old == weight_bp:
            return
        if weight_bp is None:
            await HealthAtmrWeight.delete().where(where)
        elif before is None:
            await HealthAtmrWeight.insert(
                HealthAtmrWeight(
                    region=region_id, account=account, weight_bp=weight_bp, changed_by=who.user_id
                )
            )
        else:
            await HealthAtmrWeight.update(
                {
                    HealthAtmrWeight.weight_bp: weight_bp,
                    HealthAtmrWeight.changed_by: who.user_id,
                    HealthAtmrWeight.changed_at: _now(),
                }
            ).where(where)
        await audit.record(
            "health_atmr_weight_changed",
            actor_id=who.user_id,
            region_id=region_id,
            koperasi_id=None,
            ip=who.ip,
            account=account,
            before=old,
            after=weight_bp,
        )


async def set_confirmation(
    region_id: int, scheme_id: str, version: str, row: str, confirmed: bool, who: Who
) -> None:
    """Confirm (or withdraw the confirmation of) a low-confidence rule row for the region."""
    scheme = rules.scheme_version(scheme_id, version)
    if scheme is None or row not in {code for code, _ in scheme.provisional_rows()}:
        raise ValidationFailed(
            "unknown_rule_row",
            N_("Baris aturan ini tidak perlu atau tidak dapat dikonfirmasi."),
            "row",
        )
    async with write_transaction():
        where = (
            (HealthRuleConfirmation.region == region_id)
            & (HealthRuleConfirmation.scheme == scheme_id)
            & (HealthRuleConfirmation.version == version)
            & (HealthRuleConfirmation.row == row)
        )
        exists = await HealthRuleConfirmation.exists().where(where)
        if exists == confirmed:
            return
        if confirmed:
            await HealthRuleConfirmation.insert(
                HealthRuleConfirmation(
                    region=region_id,
                    scheme=scheme_id,
                    version=version,
                    row=row,
                    confirmed_by=who.user_id,
                )
            )
        else:
            await HealthRuleConfirmation.delete().where(where)
        await audit.record(
            "health_rule_confirmed" if confirmed else "health_rule_unconfirmed",
            actor_id=who.user_id,
            region_id=region_id,
            koperasi_id=None,
            ip=who.ip,
            scheme=scheme_id,
            version=version,
            row=row,
        )


# --- the region's overview (for the Dinas) --------------------------------------------


@dataclass(frozen=True)
class RegionRow:
    slug: str
    name: str
    kind: str
    latest: TrendPoint | None
    draft: int | None  # number of an open draft


async def region_latest(region_id: int, language: str = "id") -> list[RegionRow]:
    """Every koperasi of the region with its latest final assessment and open draft (two
    queries, however many koperasi)."""
    koperasi = (
        await Koperasi.select(Koperasi.id, Koperasi.slug, Koperasi.name, Koperasi.kind)
        .where(Koperasi.region == region_id)
        .order_by(Koperasi.name)
    )
    rows = (
        await HealthAssessment.select(
            HealthAssessment.koperasi.as_alias("koperasi_id"),
            HealthAssessment.status,
            *TREND_COLUMNS,
        )
        .where(HealthAssessment.koperasi.region == region_id)
        .order_by(HealthAssessment.as_of)
        .order_by(HealthAssessment.number)
    )
    latest_of: dict[int, TrendPoint] = {}
    draft_of: dict[int, int] = {}
    for r in rows:
        if r["status"] == FINAL:
            latest_of[int(r["koperasi_id"])] = _point(r, language)
        else:
            draft_of[int(r["koperasi_id"])] = int(r["number"])
    return [
        RegionRow(
            slug=str(k["slug"]),
            name=str(k["name"]),
            kind=str(k["kind"]),
            latest=latest_of.get(int(k["id"])),
            draft=draft_of.get(int(k["id"])),
        )
        for k in koperasi
    ]
