"""Cross-cutting HTTP concerns: request ids and request logs, security headers, and the
one JSON error shape for every 4xx/5xx."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any, cast

import structlog
from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import Message, Scope

from backend.asgi import RawApp, RawMessage, RawReceive, RawScope, RawSend
from backend.errors import AppError
from backend.i18n import DEFAULT_LANGUAGE, language_from_headers, translator
from backend.logging import get_logger
from backend.texts import N_

log = get_logger("koroena.http")

REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Messages people read, by status; codes programs read.
_STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid_input", N_("Data yang dikirim tidak valid.")),
    401: ("unauthenticated", N_("Silakan masuk terlebih dahulu.")),
    403: ("forbidden", N_("Anda tidak berhak melakukan ini.")),
    404: ("not_found", N_("Halaman atau data tidak ditemukan.")),
    405: ("method_not_allowed", N_("Metode HTTP ini tidak didukung untuk alamat ini.")),
    409: ("conflict", N_("Data bertentangan dengan data yang sudah ada.")),
    413: ("request_too_large", N_("Permintaan terlalu besar.")),
    415: ("unsupported_media_type", N_("Jenis konten tidak didukung.")),
    422: ("invalid_input", N_("Data yang dikirim tidak valid.")),
    429: ("too_many_requests", N_("Terlalu banyak permintaan. Coba lagi sebentar lagi.")),
    500: ("internal_error", N_("Terjadi kesalahan di server. Coba lagi nanti.")),
    503: ("service_unavailable", N_("Layanan sedang tidak tersedia. Coba lagi nanti.")),
}


def request_id_of(scope: Any) -> str:
    return str(scope.get("state", {}).get("request_id", ""))


def host_name(scope: RawScope) -> str:
    """The Host header without its port (`[::1]:8000` -> `::1`), lower case."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            host: str = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host[1:].split("]", 1)[0]
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


async def _refuse_host(
    scope: RawScope, receive: RawReceive, send: RawSend, request_id: str
) -> None:
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.close", "code": 4400})
        return
    body = json.dumps(
        error_body("invalid_host", N_("Nama host tidak diizinkan."), 400, request_id, scope=scope)
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (REQUEST_ID_HEADER.encode(), request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContext:
    """Refuse hosts not in the settings, give every request an id (or keep a sane one the
    client sent), bind it to the logs, echo it in the response, log one line per request.

    It wraps the whole app (see `KoroenaApp`), not single routes, so that answers made
    before routing (unknown paths) get a request id and the host check too."""

    def __init__(self, allowed_hosts: tuple[str, ...]) -> None:
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)

    async def __call__(
        self, scope: RawScope, receive: RawReceive, send: RawSend, next_app: RawApp
    ) -> None:
        incoming = ""
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 0
        if host_name(scope) not in self.allowed_hosts:
            log.warning("host_refused", host=host_name(scope), path=scope.get("path"))
            structlog.contextvars.unbind_contextvars("request_id")
            await _refuse_host(scope, receive, send, request_id)
            return

        async def send_with_id(message: RawMessage) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(cast(Message, message))[REQUEST_ID_HEADER] = (
                    request_id
                )
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            if scope["type"] == "http":
                log.info(
                    "request",
                    method=scope.get("method"),
                    path=scope.get("path"),
                    status=status,
                    ms=round((time.perf_counter() - started) * 1000, 1),
                )
            structlog.contextvars.unbind_contextvars("request_id")


def content_security_policy(path: str, import_map_hash: str) -> str:
    if path.startswith("/api/docs"):
        # The API explorer (Swagger UI) comes from a CDN and renders with inline code.
        return (
            "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
            "https://cdn.jsdelivr.net; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
        )
    return (
        "default-src 'self'; "
        f"script-src 'self' {import_map_hash}; "
        "style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
        "connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )


def security_headers_hook(import_map_hash: str, hsts: bool) -> Any:
    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        headers["Content-Security-Policy"] = content_security_policy(
            scope.get("path", ""), import_map_hash
        )
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "camera=(self), geolocation=(), microphone=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if hsts:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    return before_send


def language_of(scope: Any) -> str:
    """The reader's language (their cookie, else the server's default)."""
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    default = getattr(settings, "default_language", DEFAULT_LANGUAGE)
    return language_from_headers(scope.get("headers", []), default)


def error_body(
    code: str,
    message: str,
    status: int,
    request_id: str,
    details: list[Any] | None = None,
    scope: Any = None,
) -> dict[str, Any]:
    """The one error shape. `message` is a source (Indonesian) text; with the request's
    `scope` it is given in the reader's language."""
    if scope is not None:
        message = translator(language_of(scope))(message)
    return {
        "error": {
            "code": code,
            "message": message,
            "status": status,
            "request_id": request_id,
            "details": details or [],
        }
    }


def _response(request: Request[Any, Any, Any], status: int, body: dict[str, Any]) -> Response[Any]:
    headers = {}
    if status == 405:
        allowed = getattr(request.scope.get("route_handler"), "http_methods", None)
        if allowed:
            headers["Allow"] = ", ".join(sorted(allowed))
    return Response(
        content=body, status_code=status, media_type="application/json", headers=headers
    )


def app_error_handler(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    location = getattr(exc, "location", None)
    if location:  # e.g. a personal page asked for without signing in: go sign in
        return Response(content=b"", status_code=303, headers={"Location": location})
    response = _response(
        request,
        exc.status,
        error_body(
            exc.code,
            exc.message,
            exc.status,
            request_id_of(request.scope),
            exc.details,
            scope=request.scope,
        ),
    )
    retry_after = getattr(exc, "retry_after_s", None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    details = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            details.append(
                {
                    "field": item.get("key"),
                    "source": item.get("source"),
                    "code": "invalid",
                    "message": str(item.get("message", "")),
                }
            )
    return _response(
        request,
        400,
        error_body(
            "invalid_input",
            _STATUS_ERRORS[400][1],
            400,
            request_id_of(request.scope),
            details,
            scope=request.scope,
        ),
    )


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    code, message = _STATUS_ERRORS.get(status, ("http_error", exc.detail or "Kesalahan."))
    # Litestar's own wording (e.g. where JSON failed to parse) helps the developer.
    details = [{"code": code, "message": exc.detail}] if status == 400 and exc.detail else []
    return _response(
        request,
        status,
        error_body(code, message, status, request_id_of(request.scope), details, request.scope),
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled_error", exc_info=exc, path=request.url.path)
    code, message = _STATUS_ERRORS[500]
    return _response(
        request,
        500,
        error_body(code, message, 500, request_id_of(request.scope), scope=request.scope),
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    AppError: app_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
