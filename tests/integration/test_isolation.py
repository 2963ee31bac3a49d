"""The isolation matrix: every route of the app, read from the app's own route table,
× every role × another koperasi's (or person's) ids → refused; anonymous → 401 (or the
sign-in page) except routes declared public. A new route that is neither declared public
(`opt={"public": True}`) nor given a case fails `test_every_route_is_covered`: cases live
here and in `tests/integration/isolation_cases/<context>.py` (one module per context, each
exporting `CASES`)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from datetime import UTC, datetime

import httpx
import pytest

from backend.accounts.domain import Role
from backend.accounts.tables import Passkey, RoleGrant, WebAuthnChallenge
from backend.ledger.tables import JournalEntry, PeriodClose
from backend.savings.tables import SavingsMovement
from backend.settings import Settings
from tests.integration import isolation_cases
from tests.support.client import app_client
from tests.support.isolation import (
    ORIGIN,
    ROLES,
    Case,
    World,
    build_world,
    counter_staff,
    fake_credential_id,
    foreign_names,
    read_books,
    refused,
    route_table,
    sign_in_as,
)


@pytest.fixture
async def world(demo: Settings) -> World:
    return await build_world(demo)


# --- one case per private route: act on someone else's ids, expect refusal -------------


async def me(client: httpx.AsyncClient, world: World, role: Role) -> None:
    body = (await client.get("/api/v1/me")).json()
    assert body["user_id"] == world.mine[role].user_id
    assert {g["id"] for g in body["grants"]} == {world.mine[role].grant_id}


async def active_role(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.post(
        "/api/v1/me/active-role", json={"grant_id": world.foreign_pengurus.grant_id}
    )
    refused(response)


async def logout_all(client: httpx.AsyncClient, world: World, role: Role) -> None:
    foreign = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    await sign_in_as(foreign, world, world.foreign_pengurus)
    assert (await client.post("/api/v1/me/logout-all")).status_code == 200
    assert (await foreign.get("/api/v1/me")).status_code == 200  # theirs untouched


async def list_passkeys(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = {k["id"] for k in (await client.get("/api/v1/me/passkeys")).json()}
    assert ids == {world.mine[role].passkey_id}


async def add_options(client: httpx.AsyncClient, world: World, role: Role) -> None:
    options = (await client.post("/api/v1/me/passkeys/options")).json()["options"]
    excluded = {c["id"] for c in options.get("excludeCredentials", [])}
    assert excluded == {fake_credential_id(world.mine[role].name)}


async def add_passkey(client: httpx.AsyncClient, world: World, role: Role) -> None:
    # A ceremony another person started cannot be finished by this one.
    flow_id = f"flow-of-{world.foreign_pengurus.user_id}-{role.value}"
    await WebAuthnChallenge.insert(
        WebAuthnChallenge(
            flow_id=flow_id,
            purpose="add",
            challenge="abc",
            user=world.foreign_pengurus.user_id,
            expires_at=datetime(2999, 1, 1, tzinfo=UTC),
        )
    )
    response = await client.post(
        "/api/v1/me/passkeys", json={"flow_id": flow_id, "credential": {}, "device_name": "x"}
    )
    refused(response)


async def revoke_passkey(client: httpx.AsyncClient, world: World, role: Role) -> None:
    refused(await client.delete(f"/api/v1/me/passkeys/{world.foreign_pengurus.passkey_id}"))
    assert await Passkey.exists().where(
        (Passkey.id == world.foreign_pengurus.passkey_id) & Passkey.revoked_at.is_null()
    )


async def create_invitation(client: httpx.AsyncClient, world: World, role: Role) -> None:
    # Another koperasi of the same region, and a koperasi of another region.
    for koperasi in ("ksp-artha-mandiri", world.k3_slug):
        for invited in ("pengurus", "kasir"):
            response = await client.post(
                "/api/v1/invitations",
                json={"role": invited, "name": "Penyusup", "koperasi": koperasi},
            )
            if role is Role.DINAS and koperasi == "ksp-artha-mandiri" and invited == "pengurus":
                assert response.status_code == 201  # the officer's own region: allowed
            else:
                refused(response)


async def audit_log(client: httpx.AsyncClient, world: World, role: Role) -> None:
    text = (await client.get("/api/v1/audit")).text
    for name in foreign_names(world, role):
        assert name not in text


async def account_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    page = await client.get("/akun")
    assert page.status_code == 200
    assert world.mine[role].name in page.text
    for name in foreign_names(world, role):
        assert name not in page.text


async def people(client: httpx.AsyncClient, world: World, role: Role) -> None:
    text = (await client.get("/api/v1/people")).text
    for name in foreign_names(world, role):
        assert name not in text


def foreign_grants(world: World, role: Role) -> list[int]:
    """Roles `role` may not manage: K2's pengurus (unless an officer of region A, who looks
    after every pengurus there) and region B's officer."""
    grants = [world.foreign_dinas.grant_id]
    if role is not Role.DINAS:
        grants.append(world.foreign_pengurus.grant_id)
    return grants


async def revoke_role(client: httpx.AsyncClient, world: World, role: Role) -> None:
    for grant_id in foreign_grants(world, role):
        refused(await client.delete(f"/api/v1/people/roles/{grant_id}"))
        assert await RoleGrant.exists().where(
            (RoleGrant.id == grant_id) & RoleGrant.revoked_at.is_null()
        )


async def recovery(client: httpx.AsyncClient, world: World, role: Role) -> None:
    for grant_id in foreign_grants(world, role):
        refused(await client.post(f"/api/v1/people/roles/{grant_id}/recovery"))


async def books_unchanged(world: World) -> None:
    assert await JournalEntry.count().where(JournalEntry.koperasi == world.k2) == 1
    assert not await PeriodClose.exists().where(PeriodClose.koperasi != world.k1)


async def post_entry(client: httpx.AsyncClient, world: World, role: Role) -> None:
    # The entry goes to the actor's own books; an account only another koperasi has is
    # unknown there (422), and anyone but a pengurus is refused outright (403).
    response = await client.post(
        "/api/v1/books/entries",
        json={
            "entry_date": "2026-02-01",
            "description": "Coba akun koperasi lain",
            "lines": [{"account": "9-0001", "debit": 5}, {"account": "1-1100", "credit": 5}],
        },
    )
    expected = 422 if role is Role.PENGURUS else 403
    assert response.status_code == expected, response.text
    await books_unchanged(world)


async def reverse_entry(client: httpx.AsyncClient, world: World, role: Role) -> None:
    # Entry #1 exists only in other koperasi's books.
    refused(
        await client.post("/api/v1/books/entries/1/reversal", json={"entry_date": "2026-02-02"})
    )
    await books_unchanged(world)


async def close_period(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.post("/api/v1/books/periods/2026-01/close")
    if role is Role.PENGURUS:
        assert response.status_code == 200  # their own books only
        assert await PeriodClose.exists().where(PeriodClose.koperasi == world.k1)
        await PeriodClose.delete().where(PeriodClose.koperasi == world.k1)  # test cleanup
    else:
        refused(response)
    await books_unchanged(world)


async def savings_movement(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.post(
        "/api/v1/savings/movements",
        json={"member_number": "X-0001", "kind": "sukarela", "movement": "setor", "amount": 1000},
    )
    refused(response)
    assert await SavingsMovement.count() == 0


async def member_savings(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.get("/api/v1/savings/members/X-0001")
    refused(response)
    assert "Anggota Rahasia" not in response.text
    if not counter_staff(role):
        refused(await client.get("/api/v1/savings/members/A-0001"))


async def my_savings(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.get("/api/v1/savings/mine")
    if role is not Role.ANGGOTA:
        refused(response)
        return
    own = (
        await RoleGrant.select(RoleGrant.member.member_number.as_alias("member_number"))
        .where(RoleGrant.id == world.mine[role].grant_id)
        .first()
    )
    assert own is not None
    assert response.json()["member_number"] == own["member_number"]


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/savings/movements"): savings_movement,
    ("GET", "/api/v1/savings/members/{member_number:str}"): member_savings,
    ("GET", "/api/v1/savings/mine"): my_savings,
    ("GET", "/api/v1/books/accounts"): read_books("/api/v1/books/accounts"),
    ("GET", "/api/v1/books/trial-balance"): read_books("/api/v1/books/trial-balance"),
    ("GET", "/api/v1/books/neraca"): read_books("/api/v1/books/neraca"),
    ("GET", "/api/v1/books/phu"): read_books("/api/v1/books/phu"),
    ("GET", "/api/v1/books/exports/neraca"): read_books("/api/v1/books/exports/neraca"),
    ("GET", "/api/v1/books/exports/phu"): read_books("/api/v1/books/exports/phu"),
    ("GET", "/api/v1/books/ledger/{code:str}"): read_books("/api/v1/books/ledger/9-0001"),
    ("GET", "/api/v1/books/equity-changes"): read_books("/api/v1/books/equity-changes"),
    ("POST", "/api/v1/books/entries"): post_entry,
    ("POST", "/api/v1/books/entries/{number:int}/reversal"): reverse_entry,
    ("POST", "/api/v1/books/periods/{period:str}/close"): close_period,
    ("GET", "/api/v1/people"): people,
    ("DELETE", "/api/v1/people/roles/{grant_id:int}"): revoke_role,
    ("POST", "/api/v1/people/roles/{grant_id:int}/recovery"): recovery,
    ("GET", "/api/v1/me"): me,
    ("POST", "/api/v1/me/active-role"): active_role,
    ("POST", "/api/v1/me/logout-all"): logout_all,
    ("GET", "/api/v1/me/passkeys"): list_passkeys,
    ("POST", "/api/v1/me/passkeys/options"): add_options,
    ("POST", "/api/v1/me/passkeys"): add_passkey,
    ("DELETE", "/api/v1/me/passkeys/{passkey_id:int}"): revoke_passkey,
    ("POST", "/api/v1/invitations"): create_invitation,
    ("GET", "/api/v1/audit"): audit_log,
    ("GET", "/akun"): account_page,
}


for _module in pkgutil.iter_modules(isolation_cases.__path__):
    _extra = importlib.import_module(f"{isolation_cases.__name__}.{_module.name}").CASES
    assert not set(_extra) & set(CASES), _module.name
    CASES.update(_extra)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+:int\}", "1", re.sub(r"\{[^}]+:str\}", "x", path))


async def test_every_route_is_covered(migrated: Settings) -> None:
    private = {(m, p) for m, p, public, _ in route_table(migrated) if not public}
    assert private == set(CASES), (
        "Declare these routes public (opt=PUBLIC) or add an isolation case:\n"
        + json.dumps(sorted(private - set(CASES)))
        + "\nCases for routes that no longer exist:\n"
        + json.dumps(sorted(set(CASES) - private))
    )


async def test_anonymous_is_refused_on_every_private_route(world: World) -> None:
    routes = route_table(world.settings)
    async with app_client(world.settings, origin=ORIGIN) as client:
        for method, path, public, page in sorted(routes):
            if public or method == "ASGI":
                continue
            response = await client.request(method, concrete(path), json={})
            if page:
                assert response.status_code == 303, (method, path)
                assert response.headers["location"].startswith("/masuk?next=")
            else:
                assert response.status_code == 401, (method, path, response.text)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
async def test_no_role_reaches_another_koperasi(world: World, role: Role) -> None:
    # One app for the role's whole run (building an app and its lifespan per case cost more
    # than the cases); each case still gets a browser of its own (a fresh cookie jar).
    async with app_client(world.settings, origin=ORIGIN) as shared:
        for (method, path), case in CASES.items():
            async with httpx.AsyncClient(
                transport=shared._transport,
                base_url=str(shared.base_url),
                headers={"origin": ORIGIN},
            ) as client:
                await sign_in_as(client, world, world.mine[role])
                try:
                    await case(client, world, role)
                except AssertionError as exc:
                    raise AssertionError(f"{role.value} {method} {path}: {exc}") from exc
