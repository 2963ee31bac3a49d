"""Savings API: pengurus and kasir record deposits and withdrawals for members of their
koperasi, read a member's savings, history and receipts, and the wajib arrears list; an
anggota reads their own savings, history and receipts; pengurus alone let a member leave
(their savings paid back) and set the savings policy. Dinas reads none of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import Forbidden
from backend.i18n import Translate, translator
from backend.savings import service
from backend.savings.domain import Movement, SavingsKind, SavingsPolicy
from backend.savings.receipts import WIB, ReceiptDetail, translated
from backend.texts import N_
from backend.web import language_of

MemberNumber = Annotated[str, PathParameter(max_length=20)]
KindFilter = Annotated[SavingsKind | None, QueryParameter()]
Before = Annotated[int | None, QueryParameter(gt=0)]
HistoryLimit = Annotated[int, QueryParameter(ge=1, le=service.HISTORY_MAX)]
Rupiah = Annotated[int, msgspec.Meta(ge=0, le=10**12)]
AccountCode = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class MovementIn(msgspec.Struct, forbid_unknown_fields=True):
    member_number: Annotated[str, msgspec.Meta(max_length=20)]
    kind: SavingsKind
    movement: Movement
    amount: Annotated[int, msgspec.Meta(gt=0, le=10**12)]
    movement_date: date | None = None


class ExitIn(msgspec.Struct, forbid_unknown_fields=True):
    exit_date: date


class PolicyIn(msgspec.Struct, forbid_unknown_fields=True):
    pokok_amount: Rupiah
    wajib_monthly: Rupiah
    pokok_account: AccountCode
    wajib_account: AccountCode
    sukarela_account: AccountCode
    cash_account: AccountCode


def _counter_staff(actor: Actor) -> int:
    """Pengurus and kasir take savings at the counter of their own koperasi."""
    if actor.role not in (Role.PENGURUS, Role.KASIR) or actor.koperasi_id is None:
        raise Forbidden("savings_forbidden", N_("Hanya pengurus dan kasir yang mencatat simpanan."))
    return actor.koperasi_id


def _pengurus(actor: Actor, message: str) -> int:
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden("savings_forbidden", message)
    return actor.koperasi_id


def own_member(actor: Actor) -> tuple[int, int]:
    """(koperasi, member) of an anggota acting as themselves."""
    if actor.role is not Role.ANGGOTA or actor.member_id is None or actor.koperasi_id is None:
        raise Forbidden("not_a_member", N_("Halaman ini untuk anggota koperasi."))
    return actor.koperasi_id, actor.member_id


def _today() -> date:
    """Today on the region's wall clock (WIB): a deposit at 06.30 in the morning is today's."""
    return datetime.now(UTC).astimezone(WIB).date()


def _reader(request: Request[Any, Any, Any]) -> Translate:
    return translator(language_of(request.scope))


def _history_in(page: service.HistoryPage, _: Translate) -> service.HistoryPage:
    return replace(page, items=[replace(i, kind_label=_(i.kind_label)) for i in page.items])


def _savings_in(savings: service.MemberSavings, _: Translate) -> service.MemberSavings:
    return replace(savings, status_label=_(savings.status_label))


async def receipt_for(actor: Actor, receipt_number: int) -> ReceiptDetail:
    """A receipt `actor` may see: counter staff any of their koperasi's, an anggota only
    their own, nobody else any."""
    if actor.role is Role.ANGGOTA:
        koperasi_id, member_id = own_member(actor)
        return await service.receipt(koperasi_id, receipt_number, member_id=member_id)
    return await service.receipt(_counter_staff(actor), receipt_number)


class SavingsController(Controller):
    path = "/savings"
    tags = ["simpanan"]

    @post("/movements", summary="Setor atau tarik simpanan", status_code=201)
    async def record(
        self, request: Request[Any, Any, Any], data: JSONBody[MovementIn]
    ) -> service.Receipt:
        actor = require_actor(signed_in(request))
        k = _counter_staff(actor)
        made = await service.record(
            k,
            data.member_number,
            data.kind,
            data.movement,
            data.amount,
            data.movement_date or _today(),
            created_by=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )
        return replace(made, kind_label=_reader(request)(made.kind_label))

    @get("/members/{member_number:str}", summary="Simpanan seorang anggota")
    async def member(
        self, request: Request[Any, Any, Any], member_number: MemberNumber
    ) -> service.MemberSavings:
        actor = require_actor(signed_in(request))
        savings = await service.member_savings(_counter_staff(actor), member_number, _today())
        return _savings_in(savings, _reader(request))

    @get("/members/{member_number:str}/history", summary="Riwayat simpanan seorang anggota")
    async def member_history(
        self,
        request: Request[Any, Any, Any],
        member_number: MemberNumber,
        kind: KindFilter = None,
        before: Before = None,
        limit: HistoryLimit = 20,
    ) -> service.HistoryPage:
        actor = require_actor(signed_in(request))
        page = await service.history(
            _counter_staff(actor), member_number, kind=kind, before=before, limit=limit
        )
        return _history_in(page, _reader(request))

    @get("/mine", summary="Simpanan saya")
    async def mine(self, request: Request[Any, Any, Any]) -> service.MemberSavings:
        koperasi_id, member_id = own_member(require_actor(signed_in(request)))
        number = await service.member_number_of(koperasi_id, member_id)
        savings = await service.member_savings(koperasi_id, number, _today())
        return _savings_in(savings, _reader(request))

    @get("/mine/history", summary="Riwayat simpanan saya")
    async def mine_history(
        self,
        request: Request[Any, Any, Any],
        kind: KindFilter = None,
        before: Before = None,
        limit: HistoryLimit = 20,
    ) -> service.HistoryPage:
        koperasi_id, member_id = own_member(require_actor(signed_in(request)))
        number = await service.member_number_of(koperasi_id, member_id)
        page = await service.history(koperasi_id, number, kind=kind, before=before, limit=limit)
        return _history_in(page, _reader(request))

    @get("/receipts/{receipt_number:int}", summary="Kuitansi simpanan")
    async def receipt(
        self,
        request: Request[Any, Any, Any],
        receipt_number: Annotated[int, PathParameter(gt=0)],
    ) -> ReceiptDetail:
        actor = require_actor(signed_in(request))
        return translated(await receipt_for(actor, receipt_number), _reader(request))

    @get("/arrears", summary="Daftar tunggakan simpanan wajib")
    async def arrears(
        self,
        request: Request[Any, Any, Any],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 500,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> list[service.ArrearsRow]:
        actor = require_actor(signed_in(request))
        return await service.arrears(_counter_staff(actor), _today(), limit, offset)

    @post(
        "/members/{member_number:str}/exit",
        summary="Anggota keluar: kembalikan semua simpanannya",
        status_code=201,
    )
    async def exit(
        self,
        request: Request[Any, Any, Any],
        member_number: MemberNumber,
        data: JSONBody[ExitIn],
    ) -> service.ExitResult:
        actor = require_actor(signed_in(request))
        k = _pengurus(actor, N_("Hanya pengurus yang dapat memproses anggota keluar."))
        result = await service.exit_member(
            k,
            member_number,
            data.exit_date,
            created_by=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )
        _ = _reader(request)
        return replace(
            result, receipts=[replace(r, kind_label=_(r.kind_label)) for r in result.receipts]
        )

    @get("/policy", summary="Ketentuan simpanan koperasi")
    async def policy(self, request: Request[Any, Any, Any]) -> service.PolicySettings:
        actor = require_actor(signed_in(request))
        return await service.policy_settings(_counter_staff(actor))

    @put("/policy", summary="Ubah ketentuan simpanan")
    async def set_policy(
        self, request: Request[Any, Any, Any], data: JSONBody[PolicyIn]
    ) -> service.PolicySettings:
        actor = require_actor(signed_in(request))
        k = _pengurus(actor, N_("Hanya pengurus yang dapat mengubah ketentuan simpanan."))
        return await service.set_policy(
            k,
            SavingsPolicy(**msgspec.structs.asdict(data)),
            changed_by=actor.user_id,
            region_id=actor.region_id,
            ip=client_ip(request.scope),
        )
