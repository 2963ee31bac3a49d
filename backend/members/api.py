"""Member-related API that needs no account: checking a NIK as it is typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request, post
from litestar.datastructures import State
from litestar.params import JSONBody

from backend.accounts.guards import PUBLIC
from backend.accounts.web import client_ip
from backend.errors import ValidationFailed
from backend.members.domain import InvalidNik, parse_nik


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
