"""Default deny: every route needs a signed-in person unless its handler declares
`opt={"public": True}`. Personal pages (`opt={"page": True}`) send an anonymous visitor to
the sign-in page instead of answering 401. The isolation test (tests/integration) walks the
app's route table and fails on a route that is neither public nor covered."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from backend.errors import AppError, Unauthenticated

PUBLIC: dict[str, Any] = {"public": True}
PAGE: dict[str, Any] = {"page": True}


class SignInRequired(AppError):
    def __init__(self, next_path: str) -> None:
        super().__init__(code="sign_in_required", message="Silakan masuk.", status=303)
        self.location = f"/masuk?next={quote(next_path)}"


def require_sign_in(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    if handler.opt.get("public"):
        return
    if connection.scope.get("state", {}).get("user") is not None:
        return
    if handler.opt.get("page"):
        raise SignInRequired(connection.scope.get("path", "/"))
    raise Unauthenticated()
