"""Supervision API (/api/v1/supervision): the legality record of a koperasi.

Read (`GET /record`, `/compliance`, `/kuk`, a document's file): the koperasi's pengurus
(their own) and the Dinas officers of its region (`?koperasi=slug`). Write (profile, deed
amendments, board, documents): the pengurus. Verify (profile, documents): the Dinas officers
of the region. The region's compliance calendar: Dinas officers. Kasir and anggota: nothing.

Uploads are multipart forms with `kind` and `file`: PDF, PNG, JPEG or WebP by the file's own
first bytes, at most `KOROENA_MAX_DOCUMENT_BYTES` (5 MB)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body, JSONBody, PathParameter, QueryParameter
from litestar.types import ControllerRouterHandler

from backend.accounts.domain import Actor, Role
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import AppError, Forbidden
from backend.i18n import Translate, translator
from backend.settings import Settings
from backend.supervision import service
from backend.supervision.compliance import (
    ComplianceItem,
    ComplianceStatus,
    countdown_text,
    item_text,
)
from backend.supervision.documents import content_disposition, size_text
from backend.supervision.domain import (
    Amendment,
    Bentuk,
    BoardBody,
    BoardMember,
    DocumentKind,
    ProfileDraft,
    Refused,
    VerificationStatus,
)
from backend.supervision.kuk import KukResult
from backend.texts import N_
from backend.web import app_error_handler, language_of

Slug = Annotated[str | None, QueryParameter(max_length=80)]
PathSlug = Annotated[str, PathParameter(max_length=80)]
DocumentId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]
Text = Annotated[str, msgspec.Meta(max_length=400)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
# The file plus the form around it; the file itself is checked against the setting.
FORM_MARGIN = 64 * 1024


def _reader(request: Request[Any, Any, Any]) -> Translate:
    return translator(language_of(request.scope))


def localize(error: AppError, _: Translate) -> None:
    """Fill a refusal's placeholders and its details in the reader's language (the error
    handler translates only a bare message)."""
    params = getattr(error, "params", None)
    error.message = _(error.message, **params) if params else _(error.message)
    details = []
    for detail in error.details:
        detail = dict(detail)
        message = detail.get("message")
        if isinstance(message, str):
            detail["message"] = _(message, **(detail.pop("params", None) or {}))
        detail.pop("params", None)
        details.append(detail)
    error.details = details


def record_error_handler(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    localize(exc, _reader(request))
    return app_error_handler(request, exc)


def too_large_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """A body over the route's limit is a file over the limit: the same refusal as one
    that got through and was measured."""
    settings: Settings = request.app.state.settings
    refusal = Refused(
        "file_too_large",
        N_("Berkas terlalu besar: paling besar {size}."),
        status=413,
        size=size_text(settings.max_document_bytes),
    )
    return record_error_handler(request, refusal)


ERROR_HANDLERS: dict[Any, Any] = {AppError: record_error_handler}


# Shapes


class ProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    badan_hukum_number: Text = ""
    badan_hukum_date: date | None = None
    akta_number: Text = ""
    akta_date: date | None = None
    akta_notary: Text = ""
    nik: Text = ""
    nik_issued_on: date | None = None
    nik_expires_on: date | None = None
    nib: Text = ""
    kbli: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(max_length=60)
    ] = []
    npwp: Text = ""
    izin_usp_number: Text = ""
    izin_usp_date: date | None = None
    last_rat_date: date | None = None
    last_rat_report_date: date | None = None
    bentuk: Bentuk = Bentuk.PRIMER
    kelompok: Text = ""
    latitude: Annotated[str, msgspec.Meta(max_length=40)] = ""
    longitude: Annotated[str, msgspec.Meta(max_length=40)] = ""


class AmendmentIn(msgspec.Struct, forbid_unknown_fields=True):
    number: Text
    deed_date: date
    notary: Text = ""
    summary: LongText = ""


class AmendmentsIn(msgspec.Struct, forbid_unknown_fields=True):
    amendments: Annotated[list[AmendmentIn], msgspec.Meta(max_length=200)]


class BoardMemberIn(msgspec.Struct, forbid_unknown_fields=True):
    body: BoardBody
    name: Text
    title: Text
    term_start: date | None = None
    term_end: date | None = None


class BoardIn(msgspec.Struct, forbid_unknown_fields=True):
    members: Annotated[list[BoardMemberIn], msgspec.Meta(max_length=200)]


class VerdictIn(msgspec.Struct, forbid_unknown_fields=True):
    status: VerificationStatus
    note: LongText = ""


class ProfileVerdictIn(msgspec.Struct, forbid_unknown_fields=True):
    status: VerificationStatus
    revision: Annotated[int, msgspec.Meta(ge=1)]
    note: LongText = ""


class ComplianceItemOut(msgspec.Struct):
    key: str
    kind: str
    title: str
    action: str
    due_date: date | None
    days_left: int | None
    status: str
    status_label: str
    countdown: str


class KoperasiOut(msgspec.Struct):
    slug: str
    name: str
    kind: str
    kind_label: str


class RegionItemOut(msgspec.Struct):
    koperasi: KoperasiOut
    item: ComplianceItemOut


class CriterionOut(msgspec.Struct):
    criterion: str
    label: str
    value: int
    kuk_class: int
    lower_bound: int | None
    next_bound: int | None


class KukOut(msgspec.Struct):
    as_of: date
    kuk_class: int
    sector: str
    sector_label: str
    decided_by: list[str]
    criteria: list[CriterionOut]
    members: int
    own_capital: int
    assets: int
    version: str
    valid_from: date
    source: str
    confidence: str


class RecordOut(msgspec.Struct):
    koperasi: KoperasiOut
    profile: service.ProfileOut | None
    amendments: list[service.AmendmentOut]
    board: list[service.BoardMemberOut]
    documents: list[service.DocumentOut]
    compliance: list[ComplianceItemOut]
    kuk: KukOut
    max_document_bytes: int


def item_out(item: ComplianceItem, _: Translate, language: str) -> ComplianceItemOut:
    title, action = item_text(item, _, language)
    return ComplianceItemOut(
        key=item.key,
        kind=item.kind.value,
        title=title,
        action=action,
        due_date=item.due_date,
        days_left=item.days_left,
        status=item.status.value,
        status_label=_(item.status.label),
        countdown=countdown_text(item.days_left, _),
    )


def koperasi_out(koperasi: service.KoperasiRef, _: Translate) -> KoperasiOut:
    return KoperasiOut(koperasi.slug, koperasi.name, koperasi.kind, _(koperasi.kind_label))


def kuk_out(result: KukResult, as_of: date, _: Translate) -> KukOut:
    return KukOut(
        as_of=as_of,
        kuk_class=result.kuk_class,
        sector=result.sector.value,
        sector_label=_(result.sector.label),
        decided_by=[c.value for c in result.decided_by],
        criteria=[
            CriterionOut(
                criterion=c.criterion.value,
                label=_(c.criterion.label),
                value=c.value,
                kuk_class=c.kuk_class,
                lower_bound=c.lower_bound,
                next_bound=c.next_bound,
            )
            for c in result.criteria
        ],
        members=result.inputs.members,
        own_capital=result.inputs.own_capital,
        assets=result.inputs.assets,
        version=result.version,
        valid_from=result.valid_from,
        source=result.source,
        confidence=result.confidence,
    )


def profile_out(profile: service.ProfileOut, _: Translate) -> service.ProfileOut:
    return replace(
        profile, status_label=_(profile.status_label), bentuk_label=_(profile.bentuk_label)
    )


def document_out(document: service.DocumentOut, _: Translate) -> service.DocumentOut:
    return replace(
        document, kind_label=_(document.kind_label), status_label=_(document.status_label)
    )


def board_member_out(member: service.BoardMemberOut, _: Translate) -> service.BoardMemberOut:
    return replace(member, body_label=_(member.body_label))


def record_out(
    record: service.KoperasiRecord, settings: Settings, _: Translate, language: str
) -> RecordOut:
    return RecordOut(
        koperasi=koperasi_out(record.koperasi, _),
        profile=profile_out(record.profile, _) if record.profile else None,
        amendments=record.amendments,
        board=[board_member_out(m, _) for m in record.board],
        documents=[document_out(d, _) for d in record.documents],
        compliance=[item_out(i, _, language) for i in record.compliance],
        kuk=kuk_out(record.kuk, record.today, _),
        max_document_bytes=settings.max_document_bytes,
    )


def _dinas(actor: Actor) -> int:
    if actor.role is not Role.DINAS:
        raise Forbidden("dinas_only", N_("Kalender kepatuhan wilayah hanya untuk petugas Dinas."))
    return actor.region_id


def _draft(data: ProfileIn) -> ProfileDraft:
    return ProfileDraft(
        badan_hukum_number=data.badan_hukum_number,
        badan_hukum_date=data.badan_hukum_date,
        akta_number=data.akta_number,
        akta_date=data.akta_date,
        akta_notary=data.akta_notary,
        nik=data.nik,
        nik_issued_on=data.nik_issued_on,
        nik_expires_on=data.nik_expires_on,
        nib=data.nib,
        kbli=list(data.kbli),
        npwp=data.npwp,
        izin_usp_number=data.izin_usp_number,
        izin_usp_date=data.izin_usp_date,
        last_rat_date=data.last_rat_date,
        last_rat_report_date=data.last_rat_report_date,
        bentuk=data.bentuk.value,
        kelompok=data.kelompok,
        latitude=data.latitude,
        longitude=data.longitude,
    )


class SupervisionController(Controller):
    path = "/supervision"
    tags = ["pengawasan"]
    exception_handlers = ERROR_HANDLERS

    @get("/record", summary="Rekam koperasi: legalitas, dokumen, kepatuhan, KUK")
    async def record(self, request: Request[Any, Any, Any], koperasi: Slug = None) -> RecordOut:
        actor = require_actor(signed_in(request))
        found = await service.readable(actor, koperasi)
        language = language_of(request.scope)
        record = await service.record(found, service.today())
        return record_out(record, request.app.state.settings, translator(language), language)

    @put("/profile", summary="Simpan profil legalitas (pengurus)")
    async def save_profile(
        self, request: Request[Any, Any, Any], data: JSONBody[ProfileIn]
    ) -> service.ProfileOut:
        actor = require_actor(signed_in(request))
        saved = await service.save_profile(
            service.editable(actor),
            _draft(data),
            service.today(),
            actor_id=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )
        return profile_out(saved, _reader(request))

    @put("/amendments", summary="Simpan daftar perubahan akta (pengurus)")
    async def save_amendments(
        self, request: Request[Any, Any, Any], data: JSONBody[AmendmentsIn]
    ) -> list[service.AmendmentOut]:
        actor = require_actor(signed_in(request))
        return await service.save_amendments(
            service.editable(actor),
            [Amendment(a.number, a.deed_date, a.notary, a.summary) for a in data.amendments],
            service.today(),
            actor_id=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )

    @put("/board", summary="Simpan susunan pengurus dan pengawas (pengurus)")
    async def save_board(
        self, request: Request[Any, Any, Any], data: JSONBody[BoardIn]
    ) -> list[service.BoardMemberOut]:
        actor = require_actor(signed_in(request))
        saved = await service.save_board(
            service.editable(actor),
            [BoardMember(m.body, m.name, m.title, m.term_start, m.term_end) for m in data.members],
            actor_id=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )
        _ = _reader(request)
        return [board_member_out(m, _) for m in saved]

    @get("/documents/{document_id:int}/file", summary="Unduh dokumen")
    async def document_file(
        self, request: Request[Any, Any, Any], document_id: DocumentId
    ) -> Response[bytes]:
        actor = require_actor(signed_in(request))
        stored = await service.document_file(actor, document_id)
        return Response(
            stored.content,
            media_type=stored.content_type,
            headers={
                "Content-Disposition": content_disposition(stored.filename),
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @delete("/documents/{document_id:int}", summary="Hapus dokumen (pengurus)", status_code=204)
    async def delete_document(
        self, request: Request[Any, Any, Any], document_id: DocumentId
    ) -> None:
        actor = require_actor(signed_in(request))
        await service.delete_document(
            service.editable(actor),
            document_id,
            actor_id=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )

    @post(
        "/documents/{document_id:int}/verdict",
        summary="Verifikasi atau tolak dokumen (Dinas)",
        status_code=200,
    )
    async def document_verdict(
        self, request: Request[Any, Any, Any], document_id: DocumentId, data: JSONBody[VerdictIn]
    ) -> service.DocumentOut:
        actor = require_actor(signed_in(request))
        if actor.role is not Role.DINAS:
            raise Forbidden(
                "verify_forbidden",
                N_("Hanya petugas Dinas wilayah koperasi ini yang dapat memverifikasi."),
            )
        decided = await service.verify_document(
            actor, document_id, data.status, data.note, ip=client_ip(request.scope)
        )
        return document_out(decided, _reader(request))

    @post(
        "/koperasi/{slug:str}/verdict",
        summary="Verifikasi atau tolak profil legalitas (Dinas)",
        status_code=200,
    )
    async def profile_verdict(
        self, request: Request[Any, Any, Any], slug: PathSlug, data: JSONBody[ProfileVerdictIn]
    ) -> service.ProfileOut:
        actor = require_actor(signed_in(request))
        if actor.role is not Role.DINAS:
            raise Forbidden(
                "verify_forbidden",
                N_("Hanya petugas Dinas wilayah koperasi ini yang dapat memverifikasi."),
            )
        koperasi = await service.readable(actor, slug)
        decided = await service.verify_profile(
            actor, koperasi, data.status, data.note, data.revision, ip=client_ip(request.scope)
        )
        return profile_out(decided, _reader(request))

    @get("/compliance", summary="Kalender kepatuhan satu koperasi")
    async def compliance(
        self, request: Request[Any, Any, Any], koperasi: Slug = None
    ) -> list[ComplianceItemOut]:
        actor = require_actor(signed_in(request))
        found = await service.readable(actor, koperasi)
        language = language_of(request.scope)
        items = await service.compliance_items(found.id, service.today())
        return [item_out(i, translator(language), language) for i in items]

    @get("/region/compliance", summary="Kalender kepatuhan seluruh koperasi wilayah (Dinas)")
    async def region_compliance(
        self,
        request: Request[Any, Any, Any],
        status: Annotated[ComplianceStatus | None, QueryParameter()] = None,
    ) -> list[RegionItemOut]:
        actor = require_actor(signed_in(request))
        region_id = _dinas(actor)
        language = language_of(request.scope)
        _ = translator(language)
        entries = await service.region_compliance(region_id, service.today())
        return [
            RegionItemOut(koperasi_out(e.koperasi, _), item_out(e.item, _, language))
            for e in entries
            if status is None or e.item.status is status
        ]

    @get("/kuk", summary="Klasifikasi Usaha Koperasi (KUK) dari data")
    async def kuk(
        self,
        request: Request[Any, Any, Any],
        koperasi: Slug = None,
        as_of: Annotated[date | None, QueryParameter()] = None,
    ) -> KukOut:
        actor = require_actor(signed_in(request))
        found = await service.readable(actor, koperasi)
        day = as_of or service.today()
        return kuk_out(await service.kuk(found.id, day, found.kind), day, _reader(request))


@dataclass
class UploadForm:
    kind: str = ""
    file: UploadFile | None = None


Upload = Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)]


def upload_route(settings: Settings) -> ControllerRouterHandler:
    """`POST /supervision/documents`: the request limit follows the setting (plus the form
    around the file); a bigger body is refused as `file_too_large` before it is read."""

    @post(
        "/supervision/documents",
        summary="Unggah dokumen legalitas (pengurus)",
        tags=["pengawasan"],
        status_code=201,
        request_max_body_size=settings.max_document_bytes + FORM_MARGIN,
        exception_handlers={**ERROR_HANDLERS, 413: too_large_handler},
    )
    async def upload_document(request: Request[Any, Any, Any], data: Upload) -> service.DocumentOut:
        actor = require_actor(signed_in(request))
        koperasi_id = service.editable(actor)
        try:
            kind = DocumentKind(data.kind)
        except ValueError:
            raise Refused("kind_invalid", N_("Pilih jenis dokumen.")) from None
        if data.file is None or not data.file.filename:
            raise Refused("file_required", N_("Pilih berkas PDF atau gambar."))
        limit = settings.max_document_bytes
        content = await data.file.read(limit + 1)
        saved = await service.upload_document(
            koperasi_id,
            kind,
            data.file.filename,
            content,
            limit,
            actor_id=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )
        return document_out(saved, _reader(request))

    return upload_document


def supervision_routes(settings: Settings) -> list[ControllerRouterHandler]:
    """The supervision API, for `/api/v1` (the upload's size limit comes from `settings`)."""
    return [SupervisionController, upload_route(settings)]
