"""Invitations: one-time, expiring links to join a koperasi (or the Dinas) with a role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import segno

from backend.accounts import audit
from backend.accounts.domain import Actor, Role, may_invite, new_token, token_hash
from backend.accounts.tables import Invitation
from backend.db import write_transaction
from backend.errors import Forbidden, Gone, NotFound, ValidationFailed
from backend.members.tables import Member
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
from backend.texts import N_


@dataclass(frozen=True)
class CreatedInvitation:
    token: str
    url: str
    qr_svg: str
    expires_at: datetime
    role: Role


@dataclass(frozen=True)
class InvitationInfo:
    role: Role
    role_label: str
    invitee_name: str
    region_name: str
    koperasi_name: str | None
    member_number: str | None
    expires_at: datetime
    adds_device: bool


def invitation_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/undangan/{token}"


def _created(settings: Settings, token: str, expires_at: datetime, role: Role) -> CreatedInvitation:
    url = invitation_url(settings, token)
    qr = segno.make(url, error="m").svg_inline(scale=4, title="QR", dark="#1b1f23")
    return CreatedInvitation(token=token, url=url, qr_svg=qr, expires_at=expires_at, role=role)


def _check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationFailed("name_required", N_("Nama yang diundang wajib diisi."), "name")
    if len(clean) > 200:
        raise ValidationFailed("name_too_long", N_("Nama terlalu panjang."), "name")
    return clean


async def create_admin_invitation(
    region_slug: str, name: str, settings: Settings, now: datetime
) -> CreatedInvitation:
    """The first Dinas officer of a region (from the command line, no actor)."""
    region = await Region.select(Region.id).where(Region.slug == region_slug).first()
    if region is None:
        raise NotFound("region_not_found", N_("Wilayah tidak ditemukan."))
    token = new_token()
    expires_at = now + timedelta(hours=settings.invitation_hours)
    async with write_transaction():
        await Invitation.insert(
            Invitation(
                token_hash=token_hash(token),
                role=Role.DINAS.value,
                region=region["id"],
                invitee_name=_check_name(name),
                created_at=now,
                expires_at=expires_at,
            )
        )
        await audit.record(
            "invitation_created",
            actor_id=None,
            region_id=region["id"],
            koperasi_id=None,
            role=Role.DINAS.value,
            name=name,
            via="cli",
        )
    return _created(settings, token, expires_at, Role.DINAS)


async def create_invitation(
    actor: Actor | None,
    *,
    role: Role,
    koperasi_slug: str | None,
    name: str,
    member_number: str | None,
    settings: Settings,
    now: datetime,
    region_slug: str | None = None,
    for_user_id: int | None = None,
    ip: str = "",
) -> CreatedInvitation:
    """An invitation made by `actor` (None: the command line, trusted like the server)."""
    if koperasi_slug:
        kop = (
            await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
            .where(Koperasi.slug == koperasi_slug)
            .first()
        )
        if kop is None:
            raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
        koperasi_id, region_id = kop["id"], kop["region_id"]
    else:
        if role.is_koperasi_role:
            raise ValidationFailed(
                "koperasi_required", N_("Peran ini memerlukan koperasi."), "koperasi"
            )
        region = None
        if region_slug:
            region = await Region.select(Region.id).where(Region.slug == region_slug).first()
        if region is None and actor is not None:
            region = {"id": actor.region_id}
        if region is None:
            raise NotFound("region_not_found", N_("Wilayah tidak ditemukan."))
        koperasi_id, region_id = None, region["id"]
    if actor is not None and not may_invite(actor, role, region_id, koperasi_id):
        raise Forbidden("invite_forbidden", N_("Anda tidak berhak mengundang untuk peran ini."))
    member_id = None
    if role is Role.ANGGOTA:
        if not member_number:
            raise ValidationFailed(
                "member_required",
                N_("Undangan anggota harus terkait dengan nomor anggota."),
                "member_number",
            )
        member = (
            await Member.select(Member.id)
            .where((Member.koperasi == koperasi_id) & (Member.member_number == member_number))
            .first()
        )
        if member is None:
            raise NotFound("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
        member_id = member["id"]
    token = new_token()
    expires_at = now + timedelta(hours=settings.invitation_hours)
    async with write_transaction():
        await Invitation.insert(
            Invitation(
                token_hash=token_hash(token),
                role=role.value,
                region=region_id,
                koperasi=koperasi_id,
                member=member_id,
                invitee_name=_check_name(name),
                for_user=for_user_id,
                created_by=actor.user_id if actor else None,
                created_at=now,
                expires_at=expires_at,
            )
        )
        await audit.record(
            "recovery_invitation_created" if for_user_id else "invitation_created",
            actor_id=actor.user_id if actor else None,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            role=role.value,
            name=name,
            member_number=member_number,
        )
    return _created(settings, token, expires_at, role)


async def usable_invitation(token: str, now: datetime) -> dict[str, Any]:
    """The invitation behind a link, if it can still be used; otherwise a clear refusal."""
    if not token or len(token) > 100:
        raise NotFound("invitation_not_found", N_("Undangan tidak ditemukan."))
    return await usable_invitation_by_hash(token_hash(token), now)


async def usable_invitation_by_hash(hashed: str, now: datetime) -> dict[str, Any]:
    row = (
        await Invitation.select(
            Invitation.id,
            Invitation.role,
            Invitation.region.as_alias("region_id"),
            Invitation.region.name.as_alias("region_name"),
            Invitation.koperasi.as_alias("koperasi_id"),
            Invitation.koperasi.name.as_alias("koperasi_name"),
            Invitation.member.as_alias("member_id"),
            Invitation.member.member_number.as_alias("member_number"),
            Invitation.invitee_name,
            Invitation.for_user.as_alias("for_user_id"),
            Invitation.created_by.as_alias("created_by_id"),
            Invitation.expires_at,
            Invitation.used_at,
        )
        .where(Invitation.token_hash == hashed)
        .first()
    )
    if row is None:
        raise NotFound("invitation_not_found", N_("Undangan tidak ditemukan."))
    if row["used_at"] is not None:
        raise Gone(
            "invitation_used",
            N_("Undangan ini sudah dipakai. Minta undangan baru kepada yang mengundang Anda."),
        )
    if row["expires_at"] <= now:
        raise Gone(
            "invitation_expired",
            N_("Undangan ini sudah kedaluwarsa. Minta undangan baru kepada yang mengundang Anda."),
        )
    return row


async def describe_invitation(token: str, now: datetime) -> InvitationInfo:
    row = await usable_invitation(token, now)
    role = Role(str(row["role"]))
    return InvitationInfo(
        role=role,
        role_label=role.label,
        invitee_name=str(row["invitee_name"]),
        region_name=str(row["region_name"]),
        koperasi_name=row["koperasi_name"],
        member_number=row["member_number"],
        expires_at=row["expires_at"],
        adds_device=row["for_user_id"] is not None,
    )
