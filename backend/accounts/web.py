"""HTTP side of accounts: the session cookie, who is asking, and CSRF protection.

`SessionMiddleware` runs for every request and websocket: it resolves the session cookie
once and keeps the result in `scope["state"]["user"]` (handlers and ReactPy pages read it
from there). Every state-changing HTTP request is checked for CSRF here, so that no route
can forget: with a live session it must carry the session's token in `X-CSRF-Token`;
without one, a browser's Origin (when sent) must be ours."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.accounts.sessions import COOKIE_NAME, CurrentUser, NewSession, current_user
from backend.cookies import cookie_value
from backend.errors import Unauthenticated
from backend.settings import Settings
from backend.texts import N_

CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STATE_KEY = "user"


def now_utc() -> datetime:
    return datetime.now(UTC)


def client_ip(scope: Any) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


class SessionMiddleware(ASGIMiddleware):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.origins = frozenset(settings.origins)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        headers = list(scope.get("headers", []))
        token = cookie_value(headers, COOKIE_NAME)
        user = await current_user(token, self.settings, now_utc()) if token else None
        scope.setdefault("state", {})[STATE_KEY] = user
        method = scope.get("method", "GET")
        if scope["type"] == ScopeType.HTTP and method not in SAFE_METHODS:
            handler = scope.get("route_handler")
            public = bool(handler is not None and handler.opt.get("public"))
            reason = self._csrf_refusal(dict(headers), None if public else user)
            if reason:
                await _refuse_csrf(scope, send, reason)
                return
        await next_app(scope, receive, send)

    def _csrf_refusal(self, headers: dict[bytes, bytes], user: CurrentUser | None) -> str | None:
        """With `user` (a private route, signed in): the session's token is required.
        Otherwise (public routes such as sign-in, or nobody signed in): the Origin."""
        if user is not None:
            sent = headers.get(CSRF_HEADER.encode(), b"").decode("latin-1")
            if not sent or sent != user.csrf_token:
                return "csrf_token"
            return None
        origin = headers.get(b"origin")
        if origin is not None and origin.decode("latin-1") not in self.origins:
            return "origin"
        if headers.get(b"sec-fetch-site", b"same-origin") not in (b"same-origin", b"none"):
            return "cross_site"
        return None


async def _refuse_csrf(scope: Scope, send: Send, reason: str) -> None:
    from backend.web import error_body, request_id_of

    body = json.dumps(
        error_body(
            "csrf_failed",
            N_("Permintaan ditolak demi keamanan. Muat ulang halaman lalu coba lagi."),
            403,
            request_id_of(scope),
            [{"code": reason, "message": "CSRF check failed"}],
            scope=scope,
        )
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def user_of(request: Request[Any, Any, Any]) -> CurrentUser | None:
    return cast(CurrentUser | None, request.scope.get("state", {}).get(STATE_KEY))


def signed_in(request: Request[Any, Any, Any]) -> CurrentUser:
    user = user_of(request)
    if user is None:
        raise Unauthenticated()
    return user


def with_session_cookie(response: Response[Any], session: NewSession, settings: Settings) -> None:
    response.cookies.append(
        Cookie(
            key=COOKIE_NAME,
            value=session.token,
            path="/",
            secure=True,  # localhost counts as secure for browsers, so dev works too
            httponly=True,
            samesite="lax",
            max_age=settings.session_absolute_hours * 3600,
        )
    )


def without_session_cookie(response: Response[Any]) -> None:
    response.cookies.append(
        Cookie(
            key=COOKIE_NAME,
            value="",
            path="/",
            secure=True,
            httponly=True,
            samesite="lax",
            max_age=0,
        )
    )
