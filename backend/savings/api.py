"""Savings API: pengurus and kasir record deposits and withdrawals for members of their
koperasi and read a member's savings; an anggota reads their own; Dinas reads none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody, PathParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import Forbidden
from backend.members.tables import Member
from backend.savings import service
from backend.savings.domain import Movement, SavingsKind
from backend.texts import N_

MemberNumber = Annotated[str, PathParameter(max_length=20)]


class MovementIn(msgspec.Struct, forbid_unknown_fields=True):
    member_number: Annotated[str, msgspec.Meta(max_length=20)]
    kind: SavingsKind
    movement: Movement
    amount: Annotated[int, msgspec.Meta(gt=0, le=10**12)]
    movement_date: date | None = None


def _counter_staff(actor: Actor) -> int:
    """Pengurus and kasir take savings at the counter of their own koperasi."""
    if actor.role not in (Role.PENGURUS, Role.KASIR) or actor.koperasi_id is None:
        raise Forbidden("savings_forbidden", N_("Hanya pengurus dan kasir yang mencatat simpanan."))
    return actor.koperasi_id


def _today() -> date:
    return datetime.now(UTC).date()


class SavingsController(Controller):
    path = "/savings"
    tags = ["simpanan"]

    @post("/movements", summary="Setor atau tarik simpanan", status_code=201)
    async def record(
        self, request: Request[Any, Any, Any], data: JSONBody[MovementIn]
    ) -> service.Receipt:
        actor = require_actor(signed_in(request))
        k = _counter_staff(actor)
        return await service.record(
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

    @get("/members/{member_number:str}", summary="Simpanan seorang anggota")
    async def member(
        self, request: Request[Any, Any, Any], member_number: MemberNumber
    ) -> service.MemberSavings:
        actor = require_actor(signed_in(request))
        return await service.member_savings(_counter_staff(actor), member_number, _today())

    @get("/mine", summary="Simpanan saya")
    async def mine(self, request: Request[Any, Any, Any]) -> service.MemberSavings:
        actor = require_actor(signed_in(request))
        if actor.role is not Role.ANGGOTA or actor.member_id is None or actor.koperasi_id is None:
            raise Forbidden("not_a_member", N_("Halaman ini untuk anggota koperasi."))
        row = await Member.select(Member.member_number).where(Member.id == actor.member_id).first()
        assert row is not None
        return await service.member_savings(actor.koperasi_id, row["member_number"], _today())
