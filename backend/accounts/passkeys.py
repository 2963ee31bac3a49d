"""Passkey ceremonies (py_webauthn): join by invitation, sign in without a user name,
add another device, list and revoke. Discoverable credentials, user verification required."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from backend.accounts import audit
from backend.accounts.domain import new_token
from backend.accounts.invitations import usable_invitation, usable_invitation_by_hash
from backend.accounts.sessions import CurrentUser, NewSession, start_session
from backend.accounts.tables import (
    AuthSession,
    Invitation,
    Passkey,
    RoleGrant,
    UserAccount,
    WebAuthnChallenge,
)
from backend.db import write_transaction
from backend.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from backend.settings import Settings
from backend.texts import N_

CEREMONY_MINUTES = 5
_SELECTION = AuthenticatorSelectionCriteria(
    resident_key=ResidentKeyRequirement.REQUIRED,
    user_verification=UserVerificationRequirement.REQUIRED,
)


@dataclass(frozen=True)
class Ceremony:
    """What the browser needs to call `navigator.credentials.create/get`."""

    flow_id: str
    options: dict[str, Any]


@dataclass(frozen=True)
class PasskeyInfo:
    id: int
    device_name: str
    created_at: datetime
    last_used_at: datetime | None


async def _remember_challenge(
    purpose: str,
    stored: str,
    now: datetime,
    invitation_id: int | None = None,
    user_id: int | None = None,
) -> str:
    flow_id = new_token()
    await WebAuthnChallenge.insert(
        WebAuthnChallenge(
            flow_id=flow_id,
            purpose=purpose,
            challenge=stored,
            invitation=invitation_id,
            user=user_id,
            created_at=now,
            expires_at=now + timedelta(minutes=CEREMONY_MINUTES),
        )
    )
    return flow_id


async def _take_challenge(
    flow_id: str, purpose: str, now: datetime, user_id: int | None = None
) -> dict[str, Any]:
    """The pending ceremony, marked used (and committed) before anything is verified, so
    that neither a replay nor a retry after a failed verification can use it again.
    `user_id`: the ceremony must be this person's (adding a device)."""
    async with write_transaction():
        return await _take_challenge_in_transaction(flow_id, purpose, now, user_id)


async def _take_challenge_in_transaction(
    flow_id: str, purpose: str, now: datetime, user_id: int | None
) -> dict[str, Any]:
    row = (
        await WebAuthnChallenge.select(
            WebAuthnChallenge.id,
            WebAuthnChallenge.challenge,
            WebAuthnChallenge.invitation.as_alias("invitation_id"),
            WebAuthnChallenge.user.as_alias("user_id"),
            WebAuthnChallenge.expires_at,
            WebAuthnChallenge.used_at,
        )
        .where((WebAuthnChallenge.flow_id == flow_id) & (WebAuthnChallenge.purpose == purpose))
        .first()
    )
    if row is None or (user_id is not None and row["user_id"] != user_id):
        raise NotFound("ceremony_not_found", N_("Proses passkey tidak ditemukan."))
    if row["used_at"] is not None or row["expires_at"] <= now:
        raise ValidationFailed(
            "ceremony_expired",
            N_("Waktu untuk passkey sudah habis. Silakan coba lagi."),
        )
    await WebAuthnChallenge.update({WebAuthnChallenge.used_at: now}).where(
        WebAuthnChallenge.id == row["id"]
    )
    return row


def _registration_options(
    settings: Settings, user_handle: str, name: str, exclude: list[str]
) -> tuple[bytes, dict[str, Any]]:
    options = generate_registration_options(
        rp_id=settings.rp_id,
        rp_name=settings.rp_name,
        user_id=base64url_to_bytes(user_handle),
        user_name=name,
        user_display_name=name,
        authenticator_selection=_SELECTION,
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in exclude
        ],
    )
    return options.challenge, json.loads(options_to_json(options))


def _verify_new_passkey(
    credential: dict[str, Any], challenge: str, settings: Settings
) -> tuple[str, str, int, str]:
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=settings.rp_id,
            expected_origin=list(settings.origins),
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed(
            "passkey_invalid", N_("Passkey tidak dapat diverifikasi. Silakan coba lagi.")
        ) from exc
    transports = credential.get("response", {}).get("transports") or []
    return (
        bytes_to_base64url(verified.credential_id),
        bytes_to_base64url(verified.credential_public_key),
        verified.sign_count,
        ",".join(str(t) for t in transports)[:200],
    )


def _device_name(raw: str) -> str:
    return " ".join(raw.split())[:100] or "Perangkat"


async def begin_registration(token: str, settings: Settings, now: datetime) -> Ceremony:
    async with write_transaction():
        invitation = await usable_invitation(token, now)
        existing_user = invitation["for_user_id"]
        exclude: list[str] = []
        if existing_user is not None:
            user = (
                await UserAccount.select(UserAccount.user_handle)
                .where(UserAccount.id == existing_user)
                .first()
            )
            assert user is not None
            handle = user["user_handle"]
            exclude = [
                r["credential_id"]
                for r in await Passkey.select(Passkey.credential_id).where(
                    Passkey.user == existing_user
                )
            ]
        else:
            # A new person: the handle is made now and kept with the ceremony; the account
            # itself is created only when the passkey is verified.
            handle = bytes_to_base64url(secrets.token_bytes(32))
        challenge, options = _registration_options(
            settings, handle, str(invitation["invitee_name"]), exclude
        )
        flow_id = await _remember_challenge(
            "register", _pack(challenge, handle), now, invitation_id=int(str(invitation["id"]))
        )
    return Ceremony(flow_id=flow_id, options=options)


def _pack(challenge: bytes, handle: str) -> str:
    return f"{bytes_to_base64url(challenge)}.{handle}"


def _unpack(stored: str) -> tuple[str, str]:
    challenge, _, handle = stored.partition(".")
    return challenge, handle


async def finish_registration(
    flow_id: str,
    credential: dict[str, Any],
    device_name: str,
    settings: Settings,
    now: datetime,
    ip: str = "",
    user_agent: str = "",
) -> NewSession:
    pending = await _take_challenge(flow_id, "register", now)
    async with write_transaction():
        invitation = (
            await Invitation.select(Invitation.token_hash)
            .where(Invitation.id == pending["invitation_id"])
            .first()
        )
        assert invitation is not None
        # Checked again: the invitation may have been used or expired meanwhile.
        row = await usable_invitation_by_hash(invitation["token_hash"], now)
        challenge, handle = _unpack(pending["challenge"])
        credential_id, public_key, sign_count, transports = _verify_new_passkey(
            credential, challenge, settings
        )
        if await Passkey.exists().where(Passkey.credential_id == credential_id):
            raise Conflict("passkey_exists", N_("Passkey ini sudah terdaftar."))
        user_id = row["for_user_id"]
        if user_id is None:
            created = await UserAccount.insert(
                UserAccount(display_name=row["invitee_name"], user_handle=handle, created_at=now)
            ).returning(UserAccount.id)
            user_id = created[0]["id"]
        new_key = await Passkey.insert(
            Passkey(
                user=user_id,
                credential_id=credential_id,
                public_key=public_key,
                sign_count=sign_count,
                transports=transports,
                device_name=_device_name(device_name),
                created_at=now,
                last_used_at=now,
            )
        ).returning(Passkey.id)
        if row["for_user_id"] is None:
            # A recovery invitation only adds a device: it never gives a role back.
            await RoleGrant.insert(
                RoleGrant(
                    user=user_id,
                    role=row["role"],
                    region=row["region_id"],
                    koperasi=row["koperasi_id"],
                    member=row["member_id"],
                    created_at=now,
                    created_by=row["created_by_id"],
                )
            )
        await Invitation.update({Invitation.used_at: now, Invitation.used_by: user_id}).where(
            Invitation.id == row["id"]
        )
        await audit.record(
            "recovery_invitation_redeemed" if row["for_user_id"] else "invitation_redeemed",
            actor_id=user_id,
            region_id=row["region_id"],
            koperasi_id=row["koperasi_id"],
            ip=ip,
            role=row["role"],
            device=_device_name(device_name),
        )
        return await start_session(user_id, settings, now, user_agent, passkey_id=new_key[0]["id"])


async def _audit_scopes(user_id: int | None) -> list[tuple[int | None, int | None]]:
    """Where a person's sign-in belongs in the audit log: each koperasi (and region) they
    hold a role in, so that its pengurus and Dinas see it; unknown passkeys: nowhere."""
    if user_id is None:
        return [(None, None)]
    rows = await RoleGrant.select(
        RoleGrant.region.as_alias("region_id"), RoleGrant.koperasi.as_alias("koperasi_id")
    ).where((RoleGrant.user == user_id) & RoleGrant.revoked_at.is_null())
    scopes = sorted({(r["region_id"], r["koperasi_id"]) for r in rows}, key=str)
    return scopes or [(None, None)]


async def begin_login(settings: Settings, now: datetime) -> Ceremony:
    options = generate_authentication_options(
        rp_id=settings.rp_id, user_verification=UserVerificationRequirement.REQUIRED
    )
    async with write_transaction():
        flow_id = await _remember_challenge("login", bytes_to_base64url(options.challenge), now)
    return Ceremony(flow_id=flow_id, options=json.loads(options_to_json(options)))


async def finish_login(
    flow_id: str,
    credential: dict[str, Any],
    settings: Settings,
    now: datetime,
    ip: str = "",
    user_agent: str = "",
) -> NewSession:
    pending = await _take_challenge(flow_id, "login", now)
    async with write_transaction():
        credential_id = str(credential.get("id", ""))[:1400]
        key = (
            await Passkey.select(
                Passkey.id,
                Passkey.user.as_alias("user_id"),
                Passkey.user.user_handle.as_alias("user_handle"),
                Passkey.public_key,
                Passkey.sign_count,
                Passkey.revoked_at,
            )
            .where(Passkey.credential_id == credential_id)
            .first()
        )
        failure = None
        if key is None:
            failure = "unknown_passkey"
        elif key["revoked_at"] is not None:
            failure = "revoked_passkey"
        else:
            handle = credential.get("response", {}).get("userHandle")
            if handle and handle != key["user_handle"]:
                failure = "wrong_user_handle"
        verified = None
        if failure is None and key is not None:
            try:
                verified = verify_authentication_response(
                    credential=credential,
                    expected_challenge=base64url_to_bytes(pending["challenge"]),
                    expected_rp_id=settings.rp_id,
                    expected_origin=list(settings.origins),
                    credential_public_key=base64url_to_bytes(key["public_key"]),
                    credential_current_sign_count=key["sign_count"],
                    require_user_verification=True,
                )
            except (WebAuthnException, ValueError, KeyError, TypeError):
                failure = "verification_failed"
        if failure is not None or key is None or verified is None:
            user_id = key["user_id"] if key else None
            for region_id, koperasi_id in await _audit_scopes(user_id):
                await audit.record(
                    "sign_in_failed",
                    actor_id=user_id,
                    region_id=region_id,
                    koperasi_id=koperasi_id,
                    ip=ip,
                    reason=failure,
                )
            failed = True
        else:
            failed = False
            await Passkey.update(
                {Passkey.sign_count: verified.new_sign_count, Passkey.last_used_at: now}
            ).where(Passkey.id == key["id"])
            for region_id, koperasi_id in await _audit_scopes(key["user_id"]):
                await audit.record(
                    "signed_in",
                    actor_id=key["user_id"],
                    region_id=region_id,
                    koperasi_id=koperasi_id,
                    ip=ip,
                )
            session = await start_session(
                key["user_id"], settings, now, user_agent, passkey_id=key["id"]
            )
    if failed:
        # Raised after the transaction so that the failed attempt stays in the audit log.
        raise Unauthenticated(
            "passkey_refused",
            N_("Passkey tidak dikenali atau sudah dicabut. Minta undangan baru jika perlu."),
        )
    return session


async def begin_add_passkey(user: CurrentUser, settings: Settings, now: datetime) -> Ceremony:
    async with write_transaction():
        account = (
            await UserAccount.select(UserAccount.user_handle)
            .where(UserAccount.id == user.user_id)
            .first()
        )
        assert account is not None
        exclude = [
            r["credential_id"]
            for r in await Passkey.select(Passkey.credential_id).where(Passkey.user == user.user_id)
        ]
        challenge, options = _registration_options(
            settings, account["user_handle"], user.display_name, exclude
        )
        flow_id = await _remember_challenge(
            "add", bytes_to_base64url(challenge), now, user_id=user.user_id
        )
    return Ceremony(flow_id=flow_id, options=options)


async def finish_add_passkey(
    user: CurrentUser,
    flow_id: str,
    credential: dict[str, Any],
    device_name: str,
    settings: Settings,
    now: datetime,
    ip: str = "",
) -> PasskeyInfo:
    pending = await _take_challenge(flow_id, "add", now, user_id=user.user_id)
    async with write_transaction():
        credential_id, public_key, sign_count, transports = _verify_new_passkey(
            credential, pending["challenge"], settings
        )
        if await Passkey.exists().where(Passkey.credential_id == credential_id):
            raise Conflict("passkey_exists", N_("Passkey ini sudah terdaftar."))
        created = await Passkey.insert(
            Passkey(
                user=user.user_id,
                credential_id=credential_id,
                public_key=public_key,
                sign_count=sign_count,
                transports=transports,
                device_name=_device_name(device_name),
                created_at=now,
            )
        ).returning(Passkey.id)
        await audit.record(
            "passkey_added",
            actor_id=user.user_id,
            region_id=user.active.region_id if user.active else None,
            koperasi_id=user.active.koperasi_id if user.active else None,
            ip=ip,
            device=_device_name(device_name),
        )
    return PasskeyInfo(
        id=created[0]["id"],
        device_name=_device_name(device_name),
        created_at=now,
        last_used_at=None,
    )


async def list_passkeys(user_id: int) -> list[PasskeyInfo]:
    rows = (
        await Passkey.select(
            Passkey.id, Passkey.device_name, Passkey.created_at, Passkey.last_used_at
        )
        .where((Passkey.user == user_id) & Passkey.revoked_at.is_null())
        .order_by(Passkey.id)
    )
    return [PasskeyInfo(**row) for row in rows]


async def revoke_passkey(user: CurrentUser, passkey_id: int, now: datetime, ip: str = "") -> None:
    async with write_transaction():
        live = await list_passkeys(user.user_id)
        if passkey_id not in {p.id for p in live}:
            raise NotFound("passkey_not_found", N_("Passkey tidak ditemukan."))
        if len(live) == 1:
            raise Conflict(
                "last_passkey",
                N_("Passkey terakhir tidak bisa dicabut: Anda tidak akan bisa masuk lagi."),
            )
        await Passkey.update({Passkey.revoked_at: now}).where(Passkey.id == passkey_id)
        # A lost phone's sessions end with its passkey.
        await AuthSession.update({AuthSession.revoked_at: now}).where(
            (AuthSession.passkey == passkey_id) & AuthSession.revoked_at.is_null()
        )
        await audit.record(
            "passkey_revoked",
            actor_id=user.user_id,
            region_id=user.active.region_id if user.active else None,
            koperasi_id=user.active.koperasi_id if user.active else None,
            ip=ip,
            passkey_id=passkey_id,
            device=next(p.device_name for p in live if p.id == passkey_id),
        )
