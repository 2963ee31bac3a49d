"""Member use cases. Every query is scoped by `koperasi_id`; writes own their transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from backend.db import contains_ignoring_case, write_transaction
from backend.errors import Conflict, ValidationFailed
from backend.members.domain import (
    InvalidNik,
    MemberStatus,
    format_member_number,
    member_sequence,
    parse_nik,
)
from backend.members.tables import Member
from backend.texts import N_

_PHONE_RE = re.compile(r"^(\+62|62|0)8[0-9]{7,12}$")


@dataclass(frozen=True)
class NewMember:
    full_name: str
    nik: str
    phone: str = ""
    address: str = ""
    joined_on: date | None = None
    member_number: str | None = None


@dataclass(frozen=True)
class MemberInfo:
    member_number: str
    full_name: str
    phone: str
    joined_on: date
    status: str
    status_label: str


def validate_new_member(new: NewMember) -> str:
    """Check what a person typed; returns the normalized NIK."""
    if not new.full_name.strip():
        raise ValidationFailed("name_required", N_("Nama lengkap wajib diisi."), "full_name")
    if len(new.full_name.strip()) > 200:
        raise ValidationFailed("name_too_long", N_("Nama lengkap terlalu panjang."), "full_name")
    try:
        info = parse_nik(new.nik)
    except InvalidNik as exc:
        raise ValidationFailed(exc.reason.value, str(exc), "nik") from exc
    phone = new.phone.replace(" ", "").replace("-", "")
    if phone and not _PHONE_RE.match(phone):
        raise ValidationFailed(
            "phone_invalid", N_("Nomor HP tidak valid (contoh: 081234567890)."), "phone"
        )
    return info.nik


async def register_member(koperasi_id: int, new: NewMember, today: date) -> MemberInfo:
    nik = validate_new_member(new)
    async with write_transaction():
        if await Member.exists().where((Member.koperasi == koperasi_id) & (Member.nik == nik)):
            raise Conflict("nik_taken", N_("NIK ini sudah terdaftar sebagai anggota koperasi ini."))
        number = new.member_number or format_member_number(await _next_sequence(koperasi_id))
        if await Member.exists().where(
            (Member.koperasi == koperasi_id) & (Member.member_number == number)
        ):
            raise Conflict("member_number_taken", N_("Nomor anggota sudah dipakai."))
        joined_on = new.joined_on or today
        await Member.insert(
            Member(
                koperasi=koperasi_id,
                member_number=number,
                full_name=new.full_name.strip(),
                nik=nik,
                phone=new.phone.replace(" ", "").replace("-", ""),
                address=new.address.strip(),
                joined_on=joined_on,
                status=MemberStatus.AKTIF.value,
            )
        )
    return MemberInfo(
        member_number=number,
        full_name=new.full_name.strip(),
        phone=new.phone,
        joined_on=joined_on,
        status=MemberStatus.AKTIF.value,
        status_label=MemberStatus.AKTIF.label,
    )


async def _next_sequence(koperasi_id: int) -> int:
    """One past the highest `A-NNNN` number in use (numbers typed by hand may skip)."""
    rows = await Member.select(Member.member_number).where(Member.koperasi == koperasi_id)
    return 1 + max((member_sequence(row["member_number"]) for row in rows), default=0)


async def list_members(
    koperasi_id: int, search: str = "", limit: int = 50, offset: int = 0
) -> list[MemberInfo]:
    query = Member.select(
        Member.member_number, Member.full_name, Member.phone, Member.joined_on, Member.status
    ).where(Member.koperasi == koperasi_id)
    if search.strip():
        term = search.strip()
        query = query.where(
            contains_ignoring_case(Member.full_name, term)
            | contains_ignoring_case(Member.member_number, term)
        )
    rows = await query.order_by(Member.member_number).limit(limit).offset(offset)
    return [MemberInfo(**row, status_label=MemberStatus(row["status"]).label) for row in rows]
