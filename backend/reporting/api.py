"""Reports API: the form definitions; for pengurus the filing status of their koperasi,
the figures a form is prefilled with, and `POST /reports/sync`, where the phone's queue of
filled forms goes (one answer per item, exactly once); submissions read by their koperasi's
pengurus and by the Dinas of the region; for the Dinas a region's filings of a period and
their Excel export."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import Forbidden, ValidationFailed
from backend.i18n import Translate, translator
from backend.reporting import exports, service
from backend.reporting.domain import Comparison, FormDef, Rejected
from backend.reporting.forms import CURRENT
from backend.tenancy.tables import Region
from backend.texts import N_
from backend.web import language_of

MAX_BATCH = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FormKey = Annotated[str, QueryParameter(max_length=20, pattern="^[a-z][a-z0-9_]*$")]
PeriodCode = Annotated[str, QueryParameter(max_length=10)]
Slug = Annotated[str | None, QueryParameter(max_length=80)]


def today() -> date:
    """Today on the region's wall clock (WIB)."""
    return service.region_today()


def _reader(request: Request[Any, Any, Any]) -> Translate:
    return translator(language_of(request.scope))


# --- forms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldOut:
    key: str
    label: str
    type: str
    required: bool
    prefill: str | None
    hint: str
    signed: bool
    max_length: int
    multiline: bool
    pattern: str


@dataclass(frozen=True)
class SectionOut:
    key: str
    title: str
    fields: list[FieldOut]


@dataclass(frozen=True)
class FormOut:
    key: str
    version: int
    title: str
    period_kind: str
    description: str
    due_days: int
    sections: list[SectionOut]


def form_out(form: FormDef, _: Translate) -> FormOut:
    return FormOut(
        key=form.key,
        version=form.version,
        title=_(form.title),
        period_kind=form.period_kind.value,
        description=_(form.description),
        due_days=form.due_days,
        sections=[
            SectionOut(
                s.key,
                _(s.title),
                [
                    FieldOut(
                        key=f.key,
                        label=_(f.label),
                        type=f.type.value,
                        required=f.required,
                        prefill=f.prefill,
                        hint=_(f.hint) if f.hint else "",
                        signed=f.signed,
                        max_length=f.limit if not f.numeric else 0,
                        multiline=f.multiline,
                        pattern=f.pattern,
                    )
                    for f in s.fields
                ],
            )
            for s in form.sections
        ],
    )


# --- intake -----------------------------------------------------------------------------------


class SyncItem(msgspec.Struct, forbid_unknown_fields=True):
    id: Annotated[str, msgspec.Meta(min_length=8, max_length=36, pattern="^[0-9A-Za-z-]+$")]
    kind: Annotated[str, msgspec.Meta(max_length=20)]
    payload: dict[str, Any]
    created_at: Annotated[str, msgspec.Meta(max_length=40)] | None = None


class SyncBatch(msgspec.Struct, forbid_unknown_fields=True):
    koperasi_id: int
    items: Annotated[list[SyncItem], msgspec.Meta(max_length=MAX_BATCH)]


class SyncOut(msgspec.Struct):
    results: list[service.ItemResult]
    server_time: datetime


def _translated(results: list[service.ItemResult], _: Translate) -> list[service.ItemResult]:
    return [
        replace(
            r,
            message=_(r.message, **r.params) if r.message else "",
            problems=[replace(p, message=_(p.message, **p.params)) for p in r.problems],
        )
        for r in results
    ]


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DetailOut:
    submission: service.SubmissionSummary
    koperasi_slug: str
    koperasi_name: str
    title: str
    period_start: date
    period_end: date
    latest: bool
    rows: list[Comparison]
    sources: dict[str, str]
    notes: dict[str, str]
    history: list[service.SubmissionSummary]


def detail_out(detail: service.SubmissionDetail, _: Translate) -> DetailOut:
    return DetailOut(
        submission=detail.summary,
        koperasi_slug=detail.koperasi_slug,
        koperasi_name=detail.koperasi_name,
        title=_(detail.title),
        period_start=detail.period_start,
        period_end=detail.period_end,
        latest=detail.is_latest,
        rows=[replace(row, label=_(row.label)) for row in detail.rows],
        sources={k: _(v) for k, v in detail.sources.items()},
        notes={k: _(v) for k, v in detail.notes.items()},
        history=detail.history,
    )


def _region_period(code: str) -> tuple[FormDef, str]:
    try:
        form, period = service.region_period(code)
    except Rejected as refused:
        raise ValidationFailed(refused.code, refused.message, "period") from refused
    return form, period.code


async def _region_name(region_id: int) -> str:
    row = await Region.select(Region.name).where(Region.id == region_id).first()
    return str(row["name"]) if row else ""


class ReportsController(Controller):
    path = "/reports"
    tags = ["laporan"]

    @get("/forms", summary="Formulir laporan ke Dinas (versi terbaru)")
    async def forms(self, request: Request[Any, Any, Any]) -> list[FormOut]:
        require_actor(signed_in(request))
        _ = _reader(request)
        return [form_out(form, _) for form in CURRENT.values()]

    @get("/status", summary="Periode laporan yang sudah dan belum dikirim")
    async def status(
        self, request: Request[Any, Any, Any], form: FormKey, koperasi: Slug = None
    ) -> service.FormStatus:
        actor = require_actor(signed_in(request))
        k = await service.koperasi_to_read(actor, koperasi)
        chosen = service.form_of(form)
        found = await service.filing_status(k, chosen, today())
        return replace(found, title=_reader(request)(found.title))

    @get("/prefill", summary="Angka dari pembukuan untuk mengisi laporan")
    async def prefill(
        self, request: Request[Any, Any, Any], form: FormKey, period: PeriodCode
    ) -> service.Prefill:
        actor = require_actor(signed_in(request))
        k = service.filer(actor)
        chosen = service.form_of(form)
        found = await service.prefill(k, chosen, service.period_for(chosen, period, today()))
        _ = _reader(request)
        return replace(
            found,
            sources={key: _(text) for key, text in found.sources.items()},
            notes={key: _(text) for key, text in found.notes.items()},
        )

    @post(
        "/sync",
        summary="Kirim antrean laporan dari ponsel (tepat sekali)",
        status_code=200,
    )
    async def sync(self, request: Request[Any, Any, Any], data: JSONBody[SyncBatch]) -> SyncOut:
        actor = require_actor(signed_in(request))
        k = service.filer(actor)
        if data.koperasi_id != k:
            raise Forbidden(
                "report_other_koperasi",
                N_(
                    "Laporan di ponsel ini milik koperasi lain. Laporan tetap tersimpan; masuk "
                    "dengan akun pengurus koperasi itu untuk mengirimnya."
                ),
            )
        items = [
            service.ItemIn(item.id, item.kind, item.payload, item.created_at) for item in data.items
        ]
        who = service.Filer(k, actor.user_id, actor.region_id, client_ip(request.scope))
        results = await service.sync(who, items, today())
        return SyncOut(_translated(results, _reader(request)), datetime.now(UTC))

    @get("/submissions", summary="Laporan yang sudah dikirim sebuah koperasi")
    async def submissions(
        self,
        request: Request[Any, Any, Any],
        koperasi: Slug = None,
        form: Annotated[str | None, QueryParameter(max_length=20)] = None,
        period: Annotated[str | None, QueryParameter(max_length=10)] = None,
    ) -> list[service.SubmissionSummary]:
        actor = require_actor(signed_in(request))
        k = await service.koperasi_to_read(actor, koperasi)
        return await service.submissions(k, form, period)

    @get("/submissions/{submission_id:int}", summary="Satu laporan dengan angka pembukuan")
    async def submission(
        self,
        request: Request[Any, Any, Any],
        submission_id: Annotated[int, PathParameter(gt=0)],
    ) -> DetailOut:
        actor = require_actor(signed_in(request))
        detail = await service.submission_for(actor, submission_id)
        return detail_out(detail, _reader(request))

    @get("/region", summary="Laporan koperasi se-wilayah untuk satu periode (Dinas)")
    async def region(
        self, request: Request[Any, Any, Any], period: PeriodCode
    ) -> service.RegionReport:
        region_id = service.supervisor(require_actor(signed_in(request)))
        _region_period(period)
        found = await service.region_reports(region_id, period, today())
        return replace(found, title=_reader(request)(found.title))

    @get("/region/export", summary="Unduh laporan koperasi se-wilayah (Excel)")
    async def region_export(
        self, request: Request[Any, Any, Any], period: PeriodCode
    ) -> Response[bytes]:
        region_id = service.supervisor(require_actor(signed_in(request)))
        form, code = _region_period(period)
        found = await service.region_reports(region_id, code, today())
        details = await service.region_details(found)
        language = language_of(request.scope)
        body = exports.region_xlsx(
            found, details, form, await _region_name(region_id), translator(language), language
        )
        return Response(
            body,
            media_type=XLSX,
            headers={
                "Content-Disposition": f'attachment; filename="laporan-{form.key}-{code}.xlsx"',
                "Cache-Control": "no-store",
            },
        )
