"""Accounts API: passkey sign-in, joining by invitation, the signed-in person's account,
inviting others, and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.params import JSONBody, PathParameter

from backend.accounts import audit, invitations, passkeys, people, sessions
from backend.accounts.domain import Role
from backend.accounts.guards import PUBLIC
from backend.accounts.sessions import CurrentUser, Grant, require_actor
from backend.accounts.web import (
    client_ip,
    now_utc,
    signed_in,
    user_of,
    with_session_cookie,
    without_session_cookie,
)
from backend.errors import ValidationFailed
from backend.ratelimit import RateLimiter
from backend.settings import Settings
from backend.texts import N_

Token = Annotated[str, PathParameter(max_length=100)]
MAX_CREDENTIAL_JSON = 64_000


class CredentialBody(msgspec.Struct, forbid_unknown_fields=True):
    flow_id: Annotated[str, msgspec.Meta(max_length=100)]
    credential: dict[str, Any]
    device_name: Annotated[str, msgspec.Meta(max_length=100)] = ""


class GrantChoice(msgspec.Struct, forbid_unknown_fields=True):
    grant_id: int


class NewInvitation(msgspec.Struct, forbid_unknown_fields=True):
    role: Role
    name: Annotated[str, msgspec.Meta(max_length=200)]
    koperasi: Annotated[str, msgspec.Meta(max_length=80)] | None = None
    member_number: Annotated[str, msgspec.Meta(max_length=20)] | None = None


@dataclass(frozen=True)
class Me:
    user_id: int
    display_name: str
    csrf_token: str
    active: Grant | None
    grants: list[Grant]


@dataclass(frozen=True)
class SignedIn:
    me: Me
    redirect: str


@dataclass(frozen=True)
class InvitationCreated:
    url: str
    qr_svg: str
    expires_at: datetime
    role: Role


def _me(user: CurrentUser) -> Me:
    return Me(
        user_id=user.user_id,
        display_name=user.display_name,
        csrf_token=user.csrf_token,
        active=user.active,
        grants=user.grants,
    )


def _settings(state: State) -> Settings:
    return state.settings  # type: ignore[no-any-return]


def _limiter(state: State) -> RateLimiter:
    return state.auth_limiter  # type: ignore[no-any-return]


def _check_credential(body: CredentialBody) -> None:
    if len(msgspec.json.encode(body.credential)) > MAX_CREDENTIAL_JSON:
        raise ValidationFailed("passkey_invalid", N_("Data passkey terlalu besar."), "credential")


async def _signed_in_response(
    new: sessions.NewSession, settings: Settings, redirect: str
) -> Response[SignedIn]:
    user = await sessions.current_user(new.token, settings, now_utc())
    assert user is not None
    response = Response(SignedIn(me=_me(user), redirect=redirect), status_code=200)
    with_session_cookie(response, new, settings)
    return response


async def _end_previous_session(request: Request[Any, Any, Any]) -> None:
    """Signing in always starts a new session; one the browser still had is ended."""
    previous = user_of(request)
    if previous is not None:
        await sessions.end_session(previous.session_id, now_utc())


class AuthController(Controller):
    """Public endpoints (no session needed), rate-limited per client address."""

    path = "/auth"
    tags = ["akun"]
    opt = PUBLIC

    @post("/login/options", summary="Mulai masuk dengan passkey", status_code=200)
    async def login_options(
        self, request: Request[Any, Any, Any], state: State
    ) -> passkeys.Ceremony:
        _limiter(state).check(f"login:{client_ip(request.scope)}")
        return await passkeys.begin_login(_settings(state), now_utc())

    @post("/login", summary="Selesai masuk dengan passkey", status_code=200)
    async def login(
        self, request: Request[Any, Any, Any], state: State, data: JSONBody[CredentialBody]
    ) -> Response[SignedIn]:
        _limiter(state).check(f"login:{client_ip(request.scope)}")
        _check_credential(data)
        settings = _settings(state)
        await _end_previous_session(request)
        new = await passkeys.finish_login(
            data.flow_id,
            data.credential,
            settings,
            now_utc(),
            ip=client_ip(request.scope),
            user_agent=request.headers.get("user-agent", ""),
        )
        return await _signed_in_response(new, settings, "/")

    @get("/invitations/{token:str}", summary="Lihat undangan")
    async def invitation(
        self, request: Request[Any, Any, Any], state: State, token: Token
    ) -> invitations.InvitationInfo:
        _limiter(state).check(f"invite:{client_ip(request.scope)}")
        return await invitations.describe_invitation(token, now_utc())

    @post("/invitations/{token:str}/options", summary="Mulai membuat passkey", status_code=200)
    async def invitation_options(
        self, request: Request[Any, Any, Any], state: State, token: Token
    ) -> passkeys.Ceremony:
        _limiter(state).check(f"invite:{client_ip(request.scope)}")
        return await passkeys.begin_registration(token, _settings(state), now_utc())

    @post("/invitations/{token:str}/register", summary="Simpan passkey baru", status_code=200)
    async def register(
        self,
        request: Request[Any, Any, Any],
        state: State,
        token: Token,
        data: JSONBody[CredentialBody],
    ) -> Response[SignedIn]:
        _limiter(state).check(f"invite:{client_ip(request.scope)}")
        _check_credential(data)
        settings = _settings(state)
        await _end_previous_session(request)
        new = await passkeys.finish_registration(
            data.flow_id,
            data.credential,
            data.device_name,
            settings,
            now_utc(),
            ip=client_ip(request.scope),
            user_agent=request.headers.get("user-agent", ""),
        )
        return await _signed_in_response(new, settings, "/akun")

    @post("/logout", summary="Keluar", status_code=200)
    async def logout(self, request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
        user = user_of(request)
        if user is not None:
            await sessions.end_session(user.session_id, now_utc())
        response = Response({"redirect": "/"}, status_code=200)
        without_session_cookie(response)
        return response


class MeController(Controller):
    """The signed-in person's own account."""

    path = "/me"
    tags = ["akun"]

    @get("/", summary="Akun saya")
    async def me(self, request: Request[Any, Any, Any]) -> Me:
        return _me(signed_in(request))

    @post("/active-role", summary="Ganti peran aktif", status_code=200)
    async def active_role(
        self, request: Request[Any, Any, Any], data: JSONBody[GrantChoice]
    ) -> Grant:
        return await sessions.switch_active_grant(signed_in(request), data.grant_id)

    @post("/logout-all", summary="Keluar dari semua perangkat", status_code=200)
    async def logout_all(self, request: Request[Any, Any, Any]) -> Response[dict[str, int]]:
        ended = await sessions.end_all_sessions(
            signed_in(request), now_utc(), ip=client_ip(request.scope)
        )
        response = Response({"ended": ended}, status_code=200)
        without_session_cookie(response)
        return response

    @get("/passkeys", summary="Passkey saya")
    async def list_passkeys(self, request: Request[Any, Any, Any]) -> list[passkeys.PasskeyInfo]:
        return await passkeys.list_passkeys(signed_in(request).user_id)

    @post("/passkeys/options", summary="Mulai menambah perangkat", status_code=200)
    async def add_options(self, request: Request[Any, Any, Any], state: State) -> passkeys.Ceremony:
        return await passkeys.begin_add_passkey(signed_in(request), _settings(state), now_utc())

    @post("/passkeys", summary="Tambah perangkat", status_code=201)
    async def add_passkey(
        self, request: Request[Any, Any, Any], state: State, data: JSONBody[CredentialBody]
    ) -> passkeys.PasskeyInfo:
        _check_credential(data)
        return await passkeys.finish_add_passkey(
            signed_in(request),
            data.flow_id,
            data.credential,
            data.device_name,
            _settings(state),
            now_utc(),
            ip=client_ip(request.scope),
        )

    @delete("/passkeys/{passkey_id:int}", summary="Cabut passkey", status_code=204)
    async def revoke(
        self, request: Request[Any, Any, Any], passkey_id: Annotated[int, PathParameter(gt=0)]
    ) -> None:
        await passkeys.revoke_passkey(
            signed_in(request), passkey_id, now_utc(), ip=client_ip(request.scope)
        )


class InvitationController(Controller):
    path = "/invitations"
    tags = ["akun"]

    @post("/", summary="Buat undangan", status_code=201)
    async def create(
        self, request: Request[Any, Any, Any], state: State, data: JSONBody[NewInvitation]
    ) -> InvitationCreated:
        actor = require_actor(signed_in(request))
        created = await invitations.create_invitation(
            actor,
            role=data.role,
            koperasi_slug=data.koperasi,
            name=data.name,
            member_number=data.member_number,
            settings=_settings(state),
            now=now_utc(),
            ip=client_ip(request.scope),
        )
        return InvitationCreated(
            url=created.url, qr_svg=created.qr_svg, expires_at=created.expires_at, role=created.role
        )


GrantId = Annotated[int, PathParameter(gt=0)]


class PeopleController(Controller):
    """People a pengurus (their koperasi) or Dinas officer (their region) looks after."""

    path = "/people"
    tags = ["akun"]

    @get("/", summary="Orang dan perannya")
    async def people(self, request: Request[Any, Any, Any]) -> list[people.PersonRole]:
        return await people.list_people(require_actor(signed_in(request)))

    @delete("/roles/{grant_id:int}", summary="Cabut peran", status_code=204)
    async def revoke_role(self, request: Request[Any, Any, Any], grant_id: GrantId) -> None:
        await people.revoke_role(
            require_actor(signed_in(request)), grant_id, now_utc(), ip=client_ip(request.scope)
        )

    @post("/roles/{grant_id:int}/recovery", summary="Undangan pemulihan", status_code=201)
    async def recovery(
        self, request: Request[Any, Any, Any], state: State, grant_id: GrantId
    ) -> InvitationCreated:
        created = await people.recovery_invitation(
            require_actor(signed_in(request)),
            grant_id,
            _settings(state),
            now_utc(),
            ip=client_ip(request.scope),
        )
        return InvitationCreated(
            url=created.url, qr_svg=created.qr_svg, expires_at=created.expires_at, role=created.role
        )


@get("/audit", summary="Log audit", tags=["akun"])
async def audit_log(request: Request[Any, Any, Any]) -> list[audit.AuditEntry]:
    return await audit.list_events(require_actor(signed_in(request)))
