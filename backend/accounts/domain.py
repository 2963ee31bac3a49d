"""Pure account rules: roles, who may invite whom, tokens, session timeouts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from backend.texts import N_


class Role(StrEnum):
    DINAS = "dinas"
    PENGURUS = "pengurus"
    KASIR = "kasir"
    ANGGOTA = "anggota"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_koperasi_role(self) -> bool:
        return self is not Role.DINAS


ROLE_LABELS: dict[Role, str] = {
    Role.DINAS: N_("Petugas Dinas"),
    Role.PENGURUS: N_("Pengurus"),
    Role.KASIR: N_("Kasir"),
    Role.ANGGOTA: N_("Anggota"),
}


@dataclass(frozen=True)
class Actor:
    """Who is asking, with the role they act in right now (their active grant)."""

    user_id: int
    role: Role
    region_id: int
    koperasi_id: int | None
    member_id: int | None = None


def may_invite(actor: Actor, role: Role, region_id: int, koperasi_id: int | None) -> bool:
    """Pengurus invite kasir, anggota and pengurus of their own koperasi; a Dinas officer
    invites pengurus of any koperasi in the region and other officers."""
    if actor.role is Role.PENGURUS:
        return role is not Role.DINAS and koperasi_id == actor.koperasi_id
    if actor.role is Role.DINAS:
        if region_id != actor.region_id:
            return False
        if role is Role.DINAS:
            return koperasi_id is None
        return role is Role.PENGURUS and koperasi_id is not None
    return False


def may_read_koperasi(actor: Actor, koperasi_id: int, koperasi_region_id: int) -> bool:
    """Koperasi roles see their own koperasi; Dinas officers every koperasi of their region."""
    if actor.role is Role.DINAS:
        return koperasi_region_id == actor.region_id
    return actor.koperasi_id == koperasi_id


def new_token() -> str:
    """32 random bytes, URL-safe: for invitation links, session cookies, flow ids."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Only hashes of tokens are stored: a leaked database holds no usable link or cookie."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_token(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class SessionTimes:
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


def session_is_live(times: SessionTimes, now: datetime, idle: timedelta) -> bool:
    return now < times.expires_at and now - times.last_seen_at < idle


def needs_touch(last_seen_at: datetime, now: datetime) -> bool:
    """Write `last_seen_at` at most once a minute: every request must not be a write."""
    return now - last_seen_at >= timedelta(minutes=1)
