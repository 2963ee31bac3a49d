"""The people a pengurus or Dinas officer looks after: who holds which role, revoking a
role, and recovery invitations for a lost phone (a new passkey for the same person)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from piccolo.query.functions.aggregate import Count

from backend.accounts import audit
from backend.accounts.domain import Actor, Role, may_invite
from backend.accounts.invitations import CreatedInvitation, create_invitation
from backend.accounts.tables import Invitation, Passkey, RoleGrant
from backend.db import write_transaction
from backend.errors import Conflict, NotFound
from backend.settings import Settings
from backend.texts import N_


@dataclass(frozen=True)
class PersonRole:
    grant_id: int
    user_id: int
    display_name: str
    role: Role
    role_label: str
    koperasi_name: str | None
    koperasi_slug: str | None
    member_number: str | None
    passkeys: int
    since: datetime


async def _grants_in_scope(actor: Actor) -> list[dict[str, object]]:
    query = RoleGrant.select(
        RoleGrant.id,
        RoleGrant.user.as_alias("user_id"),
        RoleGrant.user.display_name.as_alias("display_name"),
        RoleGrant.role,
        RoleGrant.region.as_alias("region_id"),
        RoleGrant.koperasi.as_alias("koperasi_id"),
        RoleGrant.koperasi.name.as_alias("koperasi_name"),
        RoleGrant.koperasi.slug.as_alias("koperasi_slug"),
        RoleGrant.member.member_number.as_alias("member_number"),
        RoleGrant.created_at,
    ).where(RoleGrant.revoked_at.is_null())
    if actor.role is Role.DINAS:
        query = query.where(RoleGrant.region == actor.region_id)
    elif actor.role is Role.PENGURUS and actor.koperasi_id is not None:
        query = query.where(RoleGrant.koperasi == actor.koperasi_id)
    else:
        return []
    rows = await query.order_by(RoleGrant.id)
    # Only the roles this actor could have invited: those are the ones they look after.
    return [
        row
        for row in rows
        if may_invite(actor, Role(str(row["role"])), row["region_id"], row["koperasi_id"])
    ]


async def list_people(actor: Actor) -> list[PersonRole]:
    rows = await _grants_in_scope(actor)
    if not rows:
        return []
    counts = {
        r["user_id"]: r["n"]
        for r in await Passkey.select(Passkey.user, Count(alias="n"))
        .where(Passkey.revoked_at.is_null() & Passkey.user.is_in([row["user_id"] for row in rows]))
        .group_by(Passkey.user)
    }
    return [
        PersonRole(
            grant_id=int(str(row["id"])),
            user_id=int(str(row["user_id"])),
            display_name=str(row["display_name"]),
            role=Role(str(row["role"])),
            role_label=Role(str(row["role"])).label,
            koperasi_name=row["koperasi_name"],  # type: ignore[arg-type]
            koperasi_slug=row["koperasi_slug"],  # type: ignore[arg-type]
            member_number=row["member_number"],  # type: ignore[arg-type]
            passkeys=int(counts.get(row["user_id"], 0)),
            since=row["created_at"],  # type: ignore[arg-type]
        )
        for row in rows
    ]


async def _manageable(actor: Actor, grant_id: int) -> PersonRole:
    person = next((p for p in await list_people(actor) if p.grant_id == grant_id), None)
    if person is None:
        raise NotFound("grant_not_found", N_("Peran tidak ditemukan."))
    return person


async def revoke_role(actor: Actor, grant_id: int, now: datetime, ip: str = "") -> None:
    async with write_transaction():
        person = await _manageable(actor, grant_id)
        if person.user_id == actor.user_id:
            raise Conflict("own_role", N_("Anda tidak dapat mencabut peran Anda sendiri."))
        await RoleGrant.update({RoleGrant.revoked_at: now}).where(RoleGrant.id == grant_id)
        # Links still out for this person in this role would otherwise act on a role that
        # is gone: they expire now.
        await Invitation.update({Invitation.expires_at: now}).where(
            (Invitation.for_user == person.user_id)
            & (Invitation.role == person.role.value)
            & Invitation.used_at.is_null()
            & (Invitation.expires_at > now)
        )
        grant = (
            await RoleGrant.select(
                RoleGrant.region.as_alias("region_id"), RoleGrant.koperasi.as_alias("koperasi_id")
            )
            .where(RoleGrant.id == grant_id)
            .first()
        )
        assert grant is not None
        await audit.record(
            "role_revoked",
            actor_id=actor.user_id,
            region_id=grant["region_id"],
            koperasi_id=grant["koperasi_id"],
            ip=ip,
            person=person.display_name,
            role=person.role.value,
        )


async def recovery_invitation(
    actor: Actor, grant_id: int, settings: Settings, now: datetime, ip: str = ""
) -> CreatedInvitation:
    """A one-time link that adds a passkey to this same person (a lost or new phone): their
    roles, history and member record stay theirs."""
    person = await _manageable(actor, grant_id)
    return await create_invitation(
        actor,
        role=person.role,
        koperasi_slug=person.koperasi_slug,
        name=person.display_name,
        member_number=person.member_number,
        settings=settings,
        now=now,
        for_user_id=person.user_id,
        ip=ip,
    )
