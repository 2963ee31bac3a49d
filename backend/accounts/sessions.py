"""Server-side sessions: a random token in a `__Host-` cookie, its hash in the database,
idle and absolute timeouts, a CSRF token per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.accounts import audit
from backend.accounts.domain import (
    Actor,
    Role,
    SessionTimes,
    needs_touch,
    new_token,
    session_is_live,
    token_hash,
)
from backend.accounts.tables import AuthSession, RoleGrant
from backend.db import write_transaction
from backend.errors import Forbidden, NotFound, Unauthenticated
from backend.settings import Settings
from backend.texts import N_

COOKIE_NAME = "__Host-koroena_session"


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    user_id: int


@dataclass(frozen=True)
class Grant:
    id: int
    role: Role
    role_label: str
    region_id: int
    region_name: str
    koperasi_id: int | None
    koperasi_name: str | None
    koperasi_slug: str | None
    member_id: int | None


@dataclass(frozen=True)
class CurrentUser:
    """The person behind a live session, with every role they hold and the active one."""

    session_id: int
    user_id: int
    display_name: str
    csrf_token: str
    grants: list[Grant]
    active: Grant | None

    @property
    def actor(self) -> Actor | None:
        if self.active is None:
            return None
        return Actor(
            user_id=self.user_id,
            role=self.active.role,
            region_id=self.active.region_id,
            koperasi_id=self.active.koperasi_id,
            member_id=self.active.member_id,
        )


async def start_session(
    user_id: int,
    settings: Settings,
    now: datetime,
    user_agent: str,
    passkey_id: int | None = None,
) -> NewSession:
    """A new session with a new id (never one the browser brought along). Call inside the
    caller's transaction so sign-in and its audit record land together."""
    token, csrf = new_token(), new_token()
    first_grant = (
        await RoleGrant.select(RoleGrant.id)
        .where((RoleGrant.user == user_id) & RoleGrant.revoked_at.is_null())
        .order_by(RoleGrant.id)
        .first()
    )
    await AuthSession.insert(
        AuthSession(
            token_hash=token_hash(token),
            user=user_id,
            passkey=passkey_id,
            active_grant=first_grant["id"] if first_grant else None,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
            user_agent=user_agent[:300],
        )
    )
    return NewSession(token=token, csrf_token=csrf, user_id=user_id)


async def user_grants(user_id: int) -> list[Grant]:
    rows = (
        await RoleGrant.select(
            RoleGrant.id,
            RoleGrant.role,
            RoleGrant.region.as_alias("region_id"),
            RoleGrant.region.name.as_alias("region_name"),
            RoleGrant.koperasi.as_alias("koperasi_id"),
            RoleGrant.koperasi.name.as_alias("koperasi_name"),
            RoleGrant.koperasi.slug.as_alias("koperasi_slug"),
            RoleGrant.member.as_alias("member_id"),
        )
        .where((RoleGrant.user == user_id) & RoleGrant.revoked_at.is_null())
        .order_by(RoleGrant.id)
    )
    return [
        Grant(
            id=row["id"],
            role=Role(row["role"]),
            role_label=Role(row["role"]).label,
            region_id=row["region_id"],
            region_name=row["region_name"],
            koperasi_id=row["koperasi_id"],
            koperasi_name=row["koperasi_name"],
            koperasi_slug=row["koperasi_slug"],
            member_id=row["member_id"],
        )
        for row in rows
    ]


async def current_user(token: str | None, settings: Settings, now: datetime) -> CurrentUser | None:
    """The live session for a cookie value, or None (unknown, revoked, idle or expired)."""
    if not token or len(token) > 100:
        return None
    row = (
        await AuthSession.select(
            AuthSession.id,
            AuthSession.user.as_alias("user_id"),
            AuthSession.user.display_name.as_alias("display_name"),
            AuthSession.active_grant.as_alias("active_grant_id"),
            AuthSession.csrf_token,
            AuthSession.created_at,
            AuthSession.last_seen_at,
            AuthSession.expires_at,
        )
        .where((AuthSession.token_hash == token_hash(token)) & AuthSession.revoked_at.is_null())
        .first()
    )
    if row is None:
        return None
    times = SessionTimes(row["created_at"], row["last_seen_at"], row["expires_at"])
    if not session_is_live(times, now, timedelta(minutes=settings.session_idle_minutes)):
        return None
    if needs_touch(row["last_seen_at"], now):
        await AuthSession.update({AuthSession.last_seen_at: now}).where(AuthSession.id == row["id"])
    grants = await user_grants(row["user_id"])
    active = next((g for g in grants if g.id == row["active_grant_id"]), None)
    if active is None and grants:
        active = grants[0]
    return CurrentUser(
        session_id=row["id"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        csrf_token=row["csrf_token"],
        grants=grants,
        active=active,
    )


async def end_session(session_id: int, now: datetime) -> None:
    await AuthSession.update({AuthSession.revoked_at: now}).where(
        (AuthSession.id == session_id) & AuthSession.revoked_at.is_null()
    )


async def end_all_sessions(user: CurrentUser, now: datetime, ip: str = "") -> int:
    async with write_transaction():
        live = await AuthSession.count().where(
            (AuthSession.user == user.user_id) & AuthSession.revoked_at.is_null()
        )
        await AuthSession.update({AuthSession.revoked_at: now}).where(
            (AuthSession.user == user.user_id) & AuthSession.revoked_at.is_null()
        )
        await audit.record(
            "sessions_ended",
            actor_id=user.user_id,
            region_id=user.active.region_id if user.active else None,
            koperasi_id=user.active.koperasi_id if user.active else None,
            ip=ip,
            count=live,
        )
    return int(live)


async def switch_active_grant(user: CurrentUser, grant_id: int) -> Grant:
    grant = next((g for g in user.grants if g.id == grant_id), None)
    if grant is None:
        raise NotFound("grant_not_found", N_("Peran tidak ditemukan."))
    await AuthSession.update({AuthSession.active_grant: grant.id}).where(
        AuthSession.id == user.session_id
    )
    return grant


def require_actor(user: CurrentUser | None) -> Actor:
    if user is None:
        raise Unauthenticated()
    if user.actor is None:
        raise Forbidden("no_role", N_("Akun Anda belum memiliki peran di koperasi mana pun."))
    return user.actor
