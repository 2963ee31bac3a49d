"""Member-related API: checking a NIK as it is typed (public), and the members list the
counter (pengurus, kasir) searches in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import JSONBody, QueryParameter

from backend.accounts.domain import Role
from backend.accounts.guards import PUBLIC
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import Forbidden, ValidationFailed
from backend.i18n import translator
from backend.members import service
from backend.members.domain import InvalidNik, parse_nik
from backend.texts import N_
from backend.web import language_of


class NikCheck(msgspec.Struct, forbid_unknown_fields=True):
    nik: str = msgspec.field()


@dataclass(frozen=True)
class NikCheckResult:
    nik: str
    province: str
    regency_code: str
    district_code: str
    birth_day: int
    birth_month: int
    sex: str


@post("/nik/check", summary="Periksa struktur NIK", tags=["anggota"], status_code=200, opt=PUBLIC)
async def check_nik(
    request: Request[Any, Any, Any], state: State, data: JSONBody[NikCheck]
) -> NikCheckResult:
    # Public and answers about any NIK: limited like sign-in so it is no enumeration oracle.
    state.auth_limiter.check(f"nik:{client_ip(request.scope)}")
    if len(data.nik) > 40:
        raise ValidationFailed("nik_length", "NIK harus 16 digit.", "nik")
    try:
        info = parse_nik(data.nik)
    except InvalidNik as exc:
        raise ValidationFailed(exc.reason.value, str(exc), "nik") from exc
    return NikCheckResult(
        nik=info.nik,
        province=info.province,
        regency_code=info.regency_code,
        district_code=info.district_code,
        birth_day=info.birth_day,
        birth_month=info.birth_month,
        sex="perempuan" if info.is_female else "laki-laki",
    )


@dataclass(frozen=True)
class MemberListItem:
    member_number: str
    full_name: str
    status: str
    status_label: str
    joined_on: date


@get("/members", summary="Daftar anggota koperasi", tags=["anggota"])
async def list_members(
    request: Request[Any, Any, Any],
    q: Annotated[str, QueryParameter(max_length=100)] = "",
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
) -> list[MemberListItem]:
    """Members of the asker's own koperasi, by member number; `q` searches the name and the
    member number. For pengurus and kasir (the counter looks members up)."""
    actor = require_actor(signed_in(request))
    if actor.role not in (Role.PENGURUS, Role.KASIR) or actor.koperasi_id is None:
        raise Forbidden(
            "members_forbidden", N_("Hanya pengurus dan kasir yang dapat melihat daftar anggota.")
        )
    _ = translator(language_of(request.scope))
    return [
        MemberListItem(
            member_number=m.member_number,
            full_name=m.full_name,
            status=m.status,
            status_label=_(m.status_label),
            joined_on=m.joined_on,
        )
        for m in await service.list_members(actor.koperasi_id, q, limit, offset)
    ]
