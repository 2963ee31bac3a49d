"""Many members at once (the spreadsheet import): every rule `validate_new_member` applies,
reported field by field, and one insert for the lot inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from backend.errors import ValidationFailed
from backend.members.domain import MemberStatus
from backend.members.service import NewMember, validate_new_member
from backend.members.tables import Member

# Stand-ins that pass the member rules, put in place of a refused field so the next call
# finds what else is wrong in the same row (the rules stop at the first refusal).
_PASSING = NewMember(full_name="Anggota", nik="3101010101010001", phone="")
_FIELDS = ("full_name", "nik", "phone")
BATCH = 400  # rows per INSERT: far below SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class BulkMember:
    member_number: str
    full_name: str
    nik: str  # normalized (validated)
    phone: str
    address: str
    joined_on: date


def member_problems(
    full_name: str, nik: str, phone: str
) -> tuple[str | None, list[ValidationFailed]]:
    """The normalized NIK (None if the NIK is refused) and every refusal of the member
    rules for these values, at most one per field."""
    current = NewMember(full_name=full_name, nik=nik, phone=phone)
    refusals: list[ValidationFailed] = []
    refused_fields: set[str] = set()
    normalized: str | None = None
    for _ in _FIELDS:
        try:
            normalized = validate_new_member(current)
            break
        except ValidationFailed as refusal:
            refusals.append(refusal)
            where = refusal.details[0]["field"] if refusal.details else None
            if where not in _FIELDS or where in refused_fields:
                break
            refused_fields.add(where)
            current = replace(current, **{where: getattr(_PASSING, where)})
    if "nik" in refused_fields:
        normalized = None
    return normalized, refusals


async def existing_keys(koperasi_id: int) -> tuple[set[str], set[str]]:
    """Member numbers and NIKs the koperasi already uses."""
    rows = await Member.select(Member.member_number, Member.nik).where(
        Member.koperasi == koperasi_id
    )
    return {r["member_number"] for r in rows}, {r["nik"] for r in rows}


async def insert_members(koperasi_id: int, members: Sequence[BulkMember]) -> dict[str, int]:
    """Insert active members (inside the caller's transaction); member number -> id."""
    ids: dict[str, int] = {}
    for start in range(0, len(members), BATCH):
        batch = members[start : start + BATCH]
        rows = await Member.insert(
            *[
                Member(
                    koperasi=koperasi_id,
                    member_number=m.member_number,
                    full_name=m.full_name.strip(),
                    nik=m.nik,
                    phone=m.phone.replace(" ", "").replace("-", ""),
                    address=m.address.strip(),
                    joined_on=m.joined_on,
                    status=MemberStatus.AKTIF.value,
                )
                for m in batch
            ]
        ).returning(Member.id, Member.member_number)
        ids.update({row["member_number"]: row["id"] for row in rows})
    return ids
