"""Complaints and consultations API.

Public (no account; rate-limited per IP address): the form's data and a fresh challenge,
`POST /complaints/sync` where the phone's queue of filed complaints goes (one answer per
item, exactly once), the ticket holder's view, additions and photo, and the public
consultation. Signed in: the Dinas's list, export, detail and actions on its region's
complaints; the pengurus's forwarded complaints; consultation threads (decision 0019)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
import xlsxwriter
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.types import ControllerRouterHandler

from backend.accounts.domain import Actor, Role
from backend.accounts.guards import PUBLIC
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.complaints import service
from backend.complaints.domain import (
    PHOTO_MAX_BYTES,
    Action,
    Category,
    ConsultationStatus,
    Refused,
    Status,
    targets,
)
from backend.errors import AppError
from backend.i18n import Translate, translator
from backend.ratelimit import RateLimiter
from backend.supervision.api import record_error_handler
from backend.supervision.documents import size_text
from backend.texts import N_
from backend.web import language_of

MAX_BATCH = 5
# A batch of complaints with their photos in base64 (4/3 of the bytes) and the JSON around.
SYNC_MAX_BYTES = MAX_BATCH * (PHOTO_MAX_BYTES * 4 // 3 + 64 * 1024)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOUR = 3600.0

Ticket = Annotated[str, PathParameter(max_length=40)]
ComplaintId = Annotated[int, PathParameter(gt=0)]


@dataclass
class Limits:
    """Per-IP limits of the public endpoints (per process, see backend/ratelimit.py)."""

    filing: RateLimiter = field(default_factory=lambda: RateLimiter(5, HOUR))
    lookup: RateLimiter = field(default_factory=lambda: RateLimiter(60, 600.0))
    info: RateLimiter = field(default_factory=lambda: RateLimiter(10, HOUR))
    challenge: RateLimiter = field(default_factory=lambda: RateLimiter(60, HOUR))
    consultation: RateLimiter = field(default_factory=lambda: RateLimiter(5, HOUR))


def limits_of(state: State) -> Limits:
    """The app's limits, made on first use (each app, so each test, has its own)."""
    found = state.get("complaint_limits")
    if not isinstance(found, Limits):
        found = Limits()
        state["complaint_limits"] = found
    return found


def _limits(request: Request[Any, Any, Any]) -> Limits:
    return limits_of(request.app.state)


def _ip(request: Request[Any, Any, Any]) -> str:
    return client_ip(request.scope) or "unknown"


def _reader(request: Request[Any, Any, Any]) -> Translate:
    return translator(language_of(request.scope))


def too_large_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """A body over the route's limit: a photo over the limit."""
    refusal = Refused(
        "file_too_large",
        N_("Foto terlalu besar: paling besar {size}."),
        status=413,
        size=size_text(PHOTO_MAX_BYTES),
    )
    return record_error_handler(request, refusal)


HANDLERS: dict[Any, Any] = {AppError: record_error_handler}


# --- shapes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ChallengeOut:
    token: str
    question: str
    expires_at: datetime


@dataclass(frozen=True)
class FormOut:
    regions: list[service.RegionChoice]
    categories: list[Choice]
    challenge: ChallengeOut
    photo_max_bytes: int
    first_answer_working_days: int


class SyncItem(msgspec.Struct, forbid_unknown_fields=True):
    id: Annotated[str, msgspec.Meta(min_length=8, max_length=36, pattern="^[0-9A-Za-z-]+$")]
    kind: Annotated[str, msgspec.Meta(max_length=20)]
    payload: dict[str, Any]
    created_at: Annotated[str, msgspec.Meta(max_length=40)] | None = None


class SyncBatch(msgspec.Struct, forbid_unknown_fields=True):
    items: Annotated[list[SyncItem], msgspec.Meta(max_length=MAX_BATCH)]


@dataclass(frozen=True)
class ResultOut:
    id: str
    status: str
    ticket: str
    code: str
    message: str
    problems: list[dict[str, str]]


@dataclass(frozen=True)
class SyncOut:
    results: list[ResultOut]
    server_time: datetime


@dataclass(frozen=True)
class EventOut:
    action: str
    label: str
    author: str
    actor_name: str
    body: str
    internal: bool
    status: str
    at: datetime


@dataclass(frozen=True)
class RowOut:
    id: int
    ticket: str
    category: str
    category_label: str
    status: str
    status_label: str
    koperasi: str
    assigned_to: int | None
    assigned_name: str
    forwarded: bool
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None
    overdue: bool
    working_days_left: int
    excerpt: str


@dataclass(frozen=True)
class DetailOut:
    complaint: RowOut
    region: str
    body: str
    contact_name: str
    contact_phone: str
    contact_email: str
    reject_reason: str
    has_photo: bool
    events: list[EventOut]
    officers: list[service.Officer]


@dataclass(frozen=True)
class PublicOut:
    ticket: str
    category_label: str
    status: str
    status_label: str
    koperasi: str
    region: str
    created_at: datetime
    due_at: datetime
    has_photo: bool
    events: list[EventOut]


class InfoIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(max_length=5000)]


class ActionBody(msgspec.Struct, forbid_unknown_fields=True):
    action: Annotated[str, msgspec.Meta(max_length=20)]
    body: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    internal: bool = False
    assignee_id: int | None = None


@dataclass(frozen=True)
class StatusOut:
    status: str
    status_label: str


def row_out(row: service.ComplaintRow, _: Translate) -> RowOut:
    return RowOut(
        id=row.id,
        ticket=row.ticket,
        category=row.category.value,
        category_label=_(row.category.label),
        status=row.status.value,
        status_label=_(row.status.label),
        koperasi=row.koperasi_name,
        assigned_to=row.assigned_to,
        assigned_name=row.assigned_name,
        forwarded=row.forwarded,
        created_at=row.created_at,
        due_at=row.due_at,
        answered_at=row.answered_at,
        overdue=row.deadline.overdue,
        working_days_left=row.deadline.working_days_left,
        excerpt=row.excerpt,
    )


def event_out(event: service.EventView, _: Translate, public: bool) -> EventOut:
    return EventOut(
        action=event.action.value,
        label=_(event.action.label),
        author=event.author.value,
        # The public sees the office, not the officer.
        actor_name="" if public else event.actor_name,
        body=event.body,
        internal=event.internal,
        status=event.status_after.value,
        at=event.at,
    )


def _result_out(result: service.ItemResult, _: Translate) -> ResultOut:
    return ResultOut(
        id=result.id,
        status=result.status,
        ticket=result.ticket,
        code=result.code,
        message=_(result.message, **result.params) if result.message else "",
        problems=[
            {"field": p.field, "code": p.code, "message": _(p.message, **p.params)}
            for p in result.problems
        ],
    )


def parse_filters(
    status: str | None, category: str | None, koperasi: str | None, overdue: bool
) -> service.Filters:
    try:
        return service.Filters(
            status=Status(status) if status else None,
            category=Category(category) if category else None,
            koperasi=koperasi or None,
            overdue=overdue,
        )
    except ValueError:
        raise Refused("filter_invalid", N_("Saringan tidak dikenal.")) from None


def export_table(rows: list[service.ComplaintRow], _: Translate) -> list[list[str]]:
    head = [
        _("Nomor tiket"),
        _("Diterima"),
        _("Jenis"),
        _("Koperasi"),
        _("Status"),
        _("Petugas"),
        _("Target jawaban"),
        _("Dijawab"),
        _("Terlambat"),
        _("Ringkasan"),
    ]
    body = [
        [
            r.ticket,
            r.created_at.astimezone(UTC).isoformat(timespec="minutes"),
            _(r.category.label),
            r.koperasi_name,
            _(r.status.label),
            r.assigned_name,
            r.due_at.astimezone(UTC).isoformat(timespec="minutes"),
            r.answered_at.astimezone(UTC).isoformat(timespec="minutes") if r.answered_at else "",
            _("ya") if r.deadline.overdue or r.deadline.met is False else _("tidak"),
            r.excerpt,
        ]
        for r in rows
    ]
    return [head, *body]


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table:
        writer.writerow([_safe_cell(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: list[list[str]], title: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    for y, line in enumerate(table):
        for x, cell in enumerate(line):
            sheet.write_string(y, x, cell, bold if y == 0 else None)
    sheet.set_column(0, 0, 20)
    sheet.set_column(9, 9, 60)
    book.close()
    return buffer.getvalue()


# --- public ---------------------------------------------------------------------------------


class PublicComplaintsController(Controller):
    path = "/complaints"
    tags = ["pengaduan"]
    opt = PUBLIC
    exception_handlers = HANDLERS

    @get("/form", summary="Data formulir pengaduan dan pertanyaan pengaman baru (publik)")
    async def form(self, request: Request[Any, Any, Any]) -> Response[FormOut]:
        _limits(request).challenge.check(_ip(request))
        _ = _reader(request)
        made = await service.new_challenge()
        body = FormOut(
            regions=await service.places(),
            categories=[Choice(c.value, _(c.label)) for c in Category],
            challenge=ChallengeOut(made.token, made.question, made.expires_at),
            photo_max_bytes=PHOTO_MAX_BYTES,
            first_answer_working_days=targets().first_answer_days,
        )
        return Response(body, headers={"Cache-Control": "no-store"})

    @post(
        "/sync",
        summary="Kirim antrean pengaduan dari ponsel (tepat sekali, publik)",
        status_code=200,
        request_max_body_size=SYNC_MAX_BYTES,
        exception_handlers={**HANDLERS, 413: too_large_handler},
    )
    async def sync(self, request: Request[Any, Any, Any], data: JSONBody[SyncBatch]) -> SyncOut:
        ip = _ip(request)
        limiter = _limits(request).filing
        items = [
            service.ItemIn(item.id, item.kind, item.payload, item.created_at) for item in data.items
        ]
        results = await service.sync(items, ip, lambda: limiter.check(ip))
        _ = _reader(request)
        return SyncOut([_result_out(r, _) for r in results], datetime.now(UTC))

    @get("/ticket/{ticket:str}", summary="Status pengaduan bagi pemegang nomor tiket")
    async def by_ticket(
        self, request: Request[Any, Any, Any], ticket: Ticket
    ) -> Response[PublicOut]:
        _limits(request).lookup.check(_ip(request))
        found = await service.by_ticket(ticket)
        _ = _reader(request)
        return Response(public_out(found, _), headers={"Cache-Control": "no-store"})

    @post(
        "/ticket/{ticket:str}/info",
        summary="Tambahan informasi dari pelapor",
        status_code=201,
    )
    async def add_info(
        self, request: Request[Any, Any, Any], ticket: Ticket, data: JSONBody[InfoIn]
    ) -> StatusOut:
        _limits(request).info.check(_ip(request))
        await service.add_info(ticket, data.text)
        found = await service.by_ticket(ticket)
        return StatusOut(found.row.status.value, _reader(request)(found.row.status.label))

    @get("/ticket/{ticket:str}/photo", summary="Foto pengaduan bagi pemegang nomor tiket")
    async def photo(self, request: Request[Any, Any, Any], ticket: Ticket) -> Response[bytes]:
        _limits(request).lookup.check(_ip(request))
        return photo_response(await service.photo_by_ticket(ticket))


def public_out(found: service.ComplaintDetail, _: Translate) -> PublicOut:
    row = found.row
    return PublicOut(
        ticket=row.ticket,
        category_label=_(row.category.label),
        status=row.status.value,
        status_label=_(row.status.label),
        koperasi=row.koperasi_name,
        region=found.region_name,
        created_at=row.created_at,
        due_at=row.due_at,
        has_photo=found.has_photo,
        events=[event_out(e, _, public=True) for e in found.events],
    )


def photo_response(photo: service.PhotoOut) -> Response[bytes]:
    return Response(
        photo.content,
        media_type=photo.content_type,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": "inline",
            "X-Robots-Tag": "noindex",
        },
    )


# --- signed in ------------------------------------------------------------------------------


class ComplaintsController(Controller):
    path = "/complaints"
    tags = ["pengaduan"]
    exception_handlers = HANDLERS

    @get("/", summary="Pengaduan di wilayah Dinas (petugas Dinas)")
    async def region(
        self,
        request: Request[Any, Any, Any],
        status: Annotated[str | None, QueryParameter(max_length=20)] = None,
        category: Annotated[str | None, QueryParameter(max_length=20)] = None,
        koperasi: Annotated[str | None, QueryParameter(max_length=80)] = None,
        overdue: Annotated[bool, QueryParameter()] = False,
    ) -> list[RowOut]:
        actor = require_actor(signed_in(request))
        filters = parse_filters(status, category, koperasi, overdue)
        _ = _reader(request)
        return [row_out(r, _) for r in await service.region_complaints(actor, filters)]

    @get("/export", summary="Unduh pengaduan di wilayah (CSV atau Excel)")
    async def export(
        self,
        request: Request[Any, Any, Any],
        format: Annotated[str, QueryParameter(pattern="^(csv|xlsx)$")] = "xlsx",
        status: Annotated[str | None, QueryParameter(max_length=20)] = None,
        category: Annotated[str | None, QueryParameter(max_length=20)] = None,
        koperasi: Annotated[str | None, QueryParameter(max_length=80)] = None,
        overdue: Annotated[bool, QueryParameter()] = False,
    ) -> Response[bytes]:
        actor = require_actor(signed_in(request))
        filters = parse_filters(status, category, koperasi, overdue)
        _ = _reader(request)
        table = export_table(await service.export_rows(actor, filters), _)
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        if format == "csv":
            body, media = to_csv(table), "text/csv; charset=utf-8"
        else:
            body, media = to_xlsx(table, _("Pengaduan")), XLSX
        return Response(
            body,
            media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="pengaduan-{stamp}.{format}"',
                "Cache-Control": "no-store",
            },
        )

    @get("/koperasi", summary="Pengaduan tentang koperasi yang diteruskan Dinas (pengurus)")
    async def forwarded(self, request: Request[Any, Any, Any]) -> list[RowOut]:
        actor = require_actor(signed_in(request))
        _ = _reader(request)
        return [row_out(r, _) for r in await service.koperasi_complaints(actor)]

    @get("/{complaint_id:int}", summary="Satu pengaduan dengan riwayatnya")
    async def detail(self, request: Request[Any, Any, Any], complaint_id: ComplaintId) -> DetailOut:
        actor = require_actor(signed_in(request))
        found = await service.complaint_for(actor, complaint_id)
        return await detail_out(actor, found, _reader(request))

    @get("/{complaint_id:int}/photo", summary="Foto pengaduan")
    async def photo(
        self, request: Request[Any, Any, Any], complaint_id: ComplaintId
    ) -> Response[bytes]:
        actor = require_actor(signed_in(request))
        return photo_response(await service.photo_for(actor, complaint_id))

    @post("/{complaint_id:int}/actions", summary="Telaah, tugaskan, balas, teruskan, tutup")
    async def act(
        self,
        request: Request[Any, Any, Any],
        complaint_id: ComplaintId,
        data: JSONBody[ActionBody],
    ) -> StatusOut:
        actor = require_actor(signed_in(request))
        try:
            action = Action(data.action)
        except ValueError:
            raise Refused("action_unknown", N_("Tindakan tidak dikenal.")) from None
        status = await service.act(
            actor,
            complaint_id,
            service.ActionIn(action, data.body, data.internal, data.assignee_id),
        )
        return StatusOut(status.value, _reader(request)(status.label))


async def detail_out(actor: Actor, found: service.ComplaintDetail, _: Translate) -> DetailOut:
    dinas = actor.role is Role.DINAS
    return DetailOut(
        complaint=row_out(found.row, _),
        region=found.region_name,
        body=found.body,
        contact_name=found.contact_name,
        contact_phone=found.contact_phone,
        contact_email=found.contact_email,
        reject_reason=found.reject_reason,
        has_photo=found.has_photo,
        events=[event_out(e, _, public=False) for e in found.events],
        officers=await service.officers(found.region_id) if dinas else [],
    )


# --- consultations --------------------------------------------------------------------------


class QuestionBody(msgspec.Struct, forbid_unknown_fields=True):
    topic: Annotated[str, msgspec.Meta(max_length=300)]
    text: Annotated[str, msgspec.Meta(max_length=5000)]


class PublicQuestionBody(msgspec.Struct, forbid_unknown_fields=True):
    region: Annotated[str, msgspec.Meta(max_length=64)]
    topic: Annotated[str, msgspec.Meta(max_length=300)]
    text: Annotated[str, msgspec.Meta(max_length=5000)]
    challenge: Annotated[str, msgspec.Meta(max_length=200)]
    answer: Annotated[str, msgspec.Meta(max_length=20)]
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    email: Annotated[str, msgspec.Meta(max_length=300)] = ""
    website: Annotated[str, msgspec.Meta(max_length=300)] = ""


class MessageBody(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(max_length=5000)]


@dataclass(frozen=True)
class ConsultationRowOut:
    id: int
    ticket: str
    topic: str
    status: str
    status_label: str
    koperasi: str
    asker: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ConsultationOut:
    consultation: ConsultationRowOut
    contact_phone: str
    contact_email: str
    due_at: datetime
    messages: list[service.MessageView]


def consultation_row_out(row: service.ConsultationRow, _: Translate) -> ConsultationRowOut:
    return ConsultationRowOut(
        id=row.id,
        ticket=row.ticket,
        topic=row.topic,
        status=row.status.value,
        status_label=_(row.status.label),
        koperasi=row.koperasi_name,
        asker=row.asker,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def consultation_out(
    found: service.ConsultationDetail, _: Translate, public: bool
) -> ConsultationOut:
    messages = found.messages
    if public:  # the office answers, not a named officer
        messages = [
            service.MessageView(m.author, "" if m.author == "dinas" else m.actor_name, m.body, m.at)
            for m in messages
        ]
    return ConsultationOut(
        consultation=consultation_row_out(found.row, _),
        contact_phone="" if public else found.contact_phone,
        contact_email="" if public else found.contact_email,
        due_at=found.due_at,
        messages=messages,
    )


@dataclass(frozen=True)
class ConsultationStatusOut:
    status: str
    status_label: str


def _status_out(status: ConsultationStatus, _: Translate) -> ConsultationStatusOut:
    return ConsultationStatusOut(status.value, _(status.label))


class PublicConsultationsController(Controller):
    path = "/consultations"
    tags = ["konsultasi"]
    opt = PUBLIC
    exception_handlers = HANDLERS

    @post("/public", summary="Konsultasi dari masyarakat (publik, dengan pertanyaan pengaman)")
    async def ask(
        self, request: Request[Any, Any, Any], data: JSONBody[PublicQuestionBody]
    ) -> ConsultationRowOut:
        _limits(request).consultation.check(_ip(request))
        if data.website:
            raise Refused("spam", N_("Konsultasi ditolak."))
        question = service.QuestionIn(data.topic, data.text, data.name, data.phone, data.email)
        made = await service.ask_public(data.region, question, data.challenge, data.answer)
        return consultation_row_out(made, _reader(request))

    @get("/ticket/{ticket:str}", summary="Konsultasi bagi pemegang nomor tiket")
    async def by_ticket(
        self, request: Request[Any, Any, Any], ticket: Ticket
    ) -> Response[ConsultationOut]:
        _limits(request).lookup.check(_ip(request))
        found = await service.consultation_by_ticket(ticket)
        return Response(
            consultation_out(found, _reader(request), public=True),
            headers={"Cache-Control": "no-store"},
        )

    @post("/ticket/{ticket:str}/messages", summary="Pesan dari penanya (publik)", status_code=201)
    async def message(
        self, request: Request[Any, Any, Any], ticket: Ticket, data: JSONBody[MessageBody]
    ) -> ConsultationStatusOut:
        _limits(request).info.check(_ip(request))
        status = await service.reply_by_ticket(ticket, data.text)
        return _status_out(status, _reader(request))


class ConsultationsController(Controller):
    path = "/consultations"
    tags = ["konsultasi"]
    exception_handlers = HANDLERS

    @get("/", summary="Konsultasi: wilayah (Dinas) atau koperasi (pengurus)")
    async def threads(self, request: Request[Any, Any, Any]) -> list[ConsultationRowOut]:
        actor = require_actor(signed_in(request))
        _ = _reader(request)
        return [consultation_row_out(r, _) for r in await service.consultations_for(actor)]

    @post("/", summary="Pengurus bertanya kepada Dinas", status_code=201)
    async def ask(
        self, request: Request[Any, Any, Any], data: JSONBody[QuestionBody]
    ) -> ConsultationRowOut:
        actor = require_actor(signed_in(request))
        made = await service.ask(actor, service.QuestionIn(data.topic, data.text))
        return consultation_row_out(made, _reader(request))

    @get("/{consultation_id:int}", summary="Satu konsultasi dengan pesannya")
    async def thread(
        self,
        request: Request[Any, Any, Any],
        consultation_id: Annotated[int, PathParameter(gt=0)],
    ) -> ConsultationOut:
        actor = require_actor(signed_in(request))
        found = await service.consultation_for(actor, consultation_id)
        return consultation_out(found, _reader(request), public=False)

    @post("/{consultation_id:int}/messages", summary="Balas konsultasi", status_code=201)
    async def message(
        self,
        request: Request[Any, Any, Any],
        consultation_id: Annotated[int, PathParameter(gt=0)],
        data: JSONBody[MessageBody],
    ) -> ConsultationStatusOut:
        actor = require_actor(signed_in(request))
        status = await service.reply(actor, consultation_id, data.text)
        return _status_out(status, _reader(request))

    @post("/{consultation_id:int}/close", summary="Selesaikan konsultasi", status_code=200)
    async def close(
        self,
        request: Request[Any, Any, Any],
        consultation_id: Annotated[int, PathParameter(gt=0)],
    ) -> ConsultationStatusOut:
        actor = require_actor(signed_in(request))
        await service.close_consultation(actor, consultation_id)
        return _status_out(ConsultationStatus.SELESAI, _reader(request))


ROUTES: list[ControllerRouterHandler] = [
    PublicComplaintsController,
    ComplaintsController,
    PublicConsultationsController,
    ConsultationsController,
]
