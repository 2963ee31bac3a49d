"""Signed-in people for API tests, without a passkey ceremony (tests/integration/
test_accounts.py covers the ceremonies): a user, a role grant and a live session."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from backend.accounts.domain import Role
from backend.accounts.sessions import COOKIE_NAME, start_session
from backend.accounts.tables import RoleGrant, UserAccount
from backend.settings import Settings


async def person(
    settings: Settings,
    role: Role,
    koperasi: int | None,
    region: int,
    member: int | None = None,
    name: str | None = None,
) -> tuple[str, str]:
    """(session token, CSRF token) of a new person holding `role`."""
    label = name or f"{role.value} uji"
    user = await UserAccount.insert(
        UserAccount(display_name=label, user_handle=f"handle-{label.replace(' ', '-')}")
    ).returning(UserAccount.id)
    await RoleGrant.insert(
        RoleGrant(
            user=user[0]["id"], role=role.value, region=region, koperasi=koperasi, member=member
        )
    )
    new = await start_session(user[0]["id"], settings, datetime.now(UTC), "test")
    return new.token, new.csrf_token


def as_person(client: httpx.AsyncClient, session: tuple[str, str]) -> None:
    client.cookies.set(COOKIE_NAME, session[0], domain="testserver.local")
    client.headers["x-csrf-token"] = session[1]
