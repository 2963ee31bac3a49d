"""SHU API. Pengurus of the koperasi: the closed years, each year's allocation (edit until
posted), the preview or posted SHU with every member's share and explanation, the posting
of the distribution, and the RAT pack. Dinas officers read the years, the summary and the
RAT pack of any koperasi in their region (`?koperasi=slug`). An anggota reads their own SHU
of the posted years. Kasir: nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import Forbidden
from backend.i18n import Translate, translator
from backend.ledger.access import books_to_read
from backend.pos.domain import REGION_TZ
from backend.savings.api import own_member
from backend.shu import rat, service
from backend.shu.domain import (
    Allocation,
    Component,
    Mode,
    UsahaBasis,
    bp_text,
    explanation,
)
from backend.texts import N_
from backend.web import language_of

Year = Annotated[int, PathParameter(ge=1900, le=2999)]
Slug = Annotated[str | None, QueryParameter(max_length=80)]
Bp = Annotated[int, msgspec.Meta(ge=0, le=10_000)]
PackFormat = Annotated[str, QueryParameter(pattern="^(pdf|xlsx)$")]


class AllocationIn(msgspec.Struct, forbid_unknown_fields=True):
    """Percentages in basis points (20% = 2000), summing to 10000."""

    cadangan_bp: Bp
    jasa_modal_bp: Bp
    jasa_usaha_bp: Bp
    pengurus_bp: Bp
    karyawan_bp: Bp
    pendidikan_bp: Bp
    sosial_bp: Bp
    daerah_kerja_bp: Bp
    count_pokok: bool
    count_wajib: bool
    count_sukarela: bool
    usaha_basis: UsahaBasis
    mode: Mode


class PostIn(msgspec.Struct, forbid_unknown_fields=True):
    posted_on: date | None = None  # default: today


@dataclass(frozen=True)
class AllocationOut:
    year: int
    saved: bool
    posted: bool
    cadangan_bp: int
    jasa_modal_bp: int
    jasa_usaha_bp: int
    pengurus_bp: int
    karyawan_bp: int
    pendidikan_bp: int
    sosial_bp: int
    daerah_kerja_bp: int
    count_pokok: bool
    count_wajib: bool
    count_sukarela: bool
    usaha_basis: UsahaBasis
    usaha_basis_label: str
    mode: Mode
    mode_label: str


@dataclass(frozen=True)
class ComponentOut:
    component: Component
    label: str
    bp: int
    percent: str
    account: str
    amount: int  # the component's part of the SHU
    paid: int  # paid out as this component (members' parts: 0 when nobody had a base)
    redirected: int  # to the cadangan instead


@dataclass(frozen=True)
class SummaryOut:
    year: int
    status: str  # "preview" (computed from the books now) or "posted"
    pool: int
    distributable: bool
    components: list[ComponentOut]
    cadangan_total: int
    members_total: int
    modal_total_base: int
    usaha_total_base: int
    member_count: int  # members with a share above zero
    allocation: AllocationOut
    posted_on: date | None = None
    entry_number: int | None = None
    credited_total: int = 0


@dataclass(frozen=True)
class ShareOut:
    member_number: str
    name: str
    modal_base: int
    usaha_base: int
    jasa_modal: int
    jasa_usaha: int
    total: int
    credited: bool
    receipt: str | None


@dataclass(frozen=True)
class SharePage:
    year: int
    status: str
    items: list[ShareOut]
    count: int
    next_offset: int | None


@dataclass(frozen=True)
class ExplanationOut:
    year: int
    status: str
    share: ShareOut
    explanation: list[str]


def today() -> date:
    """Today on the region's wall clock (WIB)."""
    return datetime.now(REGION_TZ).date()


def _reader(request: Request[Any, Any, Any]) -> tuple[Translate, str]:
    language = language_of(request.scope)
    return translator(language), language


def pengurus_of(actor: Actor) -> int:
    """Only pengurus manage their own koperasi's SHU."""
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden("shu_forbidden", N_("Hanya pengurus koperasi yang mengelola SHU."))
    return actor.koperasi_id


async def koperasi_to_read(actor: Actor, slug: str | None) -> int:
    """Pengurus their own koperasi; a Dinas officer any koperasi of the region."""
    if actor.role not in (Role.PENGURUS, Role.DINAS):
        raise Forbidden("shu_forbidden", N_("Anda tidak berhak melihat SHU koperasi ini."))
    return await books_to_read(actor, slug)


def allocation_out(settings: service.AllocationSettings, _: Translate) -> AllocationOut:
    a = settings.allocation
    return AllocationOut(
        year=settings.year,
        saved=settings.saved,
        posted=settings.posted,
        cadangan_bp=a.cadangan_bp,
        jasa_modal_bp=a.jasa_modal_bp,
        jasa_usaha_bp=a.jasa_usaha_bp,
        pengurus_bp=a.pengurus_bp,
        karyawan_bp=a.karyawan_bp,
        pendidikan_bp=a.pendidikan_bp,
        sosial_bp=a.sosial_bp,
        daerah_kerja_bp=a.daerah_kerja_bp,
        count_pokok=a.count_pokok,
        count_wajib=a.count_wajib,
        count_sukarela=a.count_sukarela,
        usaha_basis=a.usaha_basis,
        usaha_basis_label=_(a.usaha_basis.label),
        mode=a.mode,
        mode_label=_(a.mode.label),
    )


def summary_out(view: service.YearView, _: Translate, language: str) -> SummaryOut:
    s = view.summary
    posting = view.posting
    return SummaryOut(
        year=s.year,
        status="posted" if posting else "preview",
        pool=s.pool,
        distributable=posting is None and s.pool > 0,
        components=[
            ComponentOut(
                component=c.component,
                label=_(c.component.label),
                bp=c.bp,
                percent=bp_text(c.bp, language),
                account=c.component.account,
                amount=c.amount,
                paid=c.paid,
                redirected=c.redirected,
            )
            for c in s.components
        ],
        cadangan_total=s.cadangan_total,
        members_total=s.members_total,
        modal_total_base=s.modal_total_base,
        usaha_total_base=s.usaha_total_base,
        member_count=view.member_count,
        allocation=allocation_out(
            service.AllocationSettings(s.year, s.allocation, True, posting is not None), _
        ),
        posted_on=posting.posted_on if posting else None,
        entry_number=posting.entry_number if posting else None,
        credited_total=posting.credited_total if posting else 0,
    )


def share_out(row: service.ShareRow) -> ShareOut:
    s = row.share
    return ShareOut(
        member_number=s.member_number,
        name=s.name,
        modal_base=s.modal_base,
        usaha_base=s.usaha_base,
        jasa_modal=s.jasa_modal,
        jasa_usaha=s.jasa_usaha,
        total=s.total,
        credited=row.credited,
        receipt=row.receipt,
    )


def explanation_out(item: service.MemberYear, _: Translate, language: str) -> ExplanationOut:
    return ExplanationOut(
        year=item.view.summary.year,
        status="posted" if item.view.posted else "preview",
        share=share_out(item.row),
        explanation=explanation(item.row.share, item.view.summary, language, _, item.destination),
    )


class ShuController(Controller):
    path = "/shu"
    tags = ["shu"]

    @get("/years", summary="Tahun buku yang sudah ditutup dan status SHU-nya")
    async def years(
        self, request: Request[Any, Any, Any], koperasi: Slug = None
    ) -> list[service.YearStatus]:
        k = await koperasi_to_read(require_actor(signed_in(request)), koperasi)
        return await service.years(k)

    @get("/{year:int}", summary="SHU setahun: pratinjau atau yang sudah dibukukan")
    async def summary(
        self, request: Request[Any, Any, Any], year: Year, koperasi: Slug = None
    ) -> SummaryOut:
        k = await koperasi_to_read(require_actor(signed_in(request)), koperasi)
        _, language = _reader(request)
        return summary_out(await service.year_view(k, year), _, language)

    @get("/{year:int}/allocation", summary="Ketentuan pembagian SHU setahun")
    async def allocation(
        self, request: Request[Any, Any, Any], year: Year, koperasi: Slug = None
    ) -> AllocationOut:
        k = await koperasi_to_read(require_actor(signed_in(request)), koperasi)
        _, _language = _reader(request)
        return allocation_out(await service.allocation(k, year), _)

    @put("/{year:int}/allocation", summary="Ubah ketentuan pembagian SHU (sebelum dibukukan)")
    async def set_allocation(
        self, request: Request[Any, Any, Any], year: Year, data: JSONBody[AllocationIn]
    ) -> AllocationOut:
        actor = require_actor(signed_in(request))
        k = pengurus_of(actor)
        saved = await service.set_allocation(
            k,
            year,
            Allocation(**msgspec.structs.asdict(data)),
            changed_by=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )
        _, _language = _reader(request)
        return allocation_out(saved, _)

    @get("/{year:int}/members", summary="SHU per anggota")
    async def members(
        self,
        request: Request[Any, Any, Any],
        year: Year,
        limit: Annotated[int, QueryParameter(ge=1, le=service.MEMBERS_MAX)] = 200,
        offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
    ) -> SharePage:
        k = pengurus_of(require_actor(signed_in(request)))
        view, rows = await service.shares(k, year)
        page = rows[offset : offset + limit]
        more = offset + limit < len(rows)
        return SharePage(
            year=year,
            status="posted" if view.posted else "preview",
            items=[share_out(row) for row in page],
            count=len(rows),
            next_offset=offset + limit if more else None,
        )

    @get(
        "/{year:int}/members/{member_number:str}",
        summary="SHU seorang anggota dengan penjelasannya",
    )
    async def member(
        self,
        request: Request[Any, Any, Any],
        year: Year,
        member_number: Annotated[str, PathParameter(max_length=20)],
    ) -> ExplanationOut:
        k = pengurus_of(require_actor(signed_in(request)))
        _, language = _reader(request)
        return explanation_out(await service.member_year(k, year, member_number), _, language)

    @post("/{year:int}/distribution", summary="Bukukan pembagian SHU", status_code=201)
    async def distribute(
        self, request: Request[Any, Any, Any], year: Year, data: JSONBody[PostIn]
    ) -> service.Posted:
        actor = require_actor(signed_in(request))
        k = pengurus_of(actor)
        now = today()
        return await service.post(
            k,
            year,
            data.posted_on or now,
            today=now,
            created_by=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )

    @get("/{year:int}/rat-pack", summary="Unduh paket RAT (PDF/Excel)")
    async def rat_pack(
        self,
        request: Request[Any, Any, Any],
        year: Year,
        format: PackFormat = "pdf",
        koperasi: Slug = None,
    ) -> Response[bytes]:
        k = await koperasi_to_read(require_actor(signed_in(request)), koperasi)
        _, language = _reader(request)
        pack, slug = await rat.build(k, year, today(), _, language)
        return Response(
            rat.render(pack, format, _),
            media_type=rat.MEDIA_TYPES[format],
            headers={
                "Content-Disposition": f'attachment; filename="paket-rat-{year}-{slug}.{format}"',
                "Cache-Control": "no-store",
            },
        )

    @get("/mine", summary="SHU saya")
    async def mine(self, request: Request[Any, Any, Any]) -> list[ExplanationOut]:
        koperasi_id, member_id = own_member(require_actor(signed_in(request)))
        _, language = _reader(request)
        return [
            explanation_out(item, _, language)
            for item in await service.member_history(koperasi_id, member_id)
        ]
