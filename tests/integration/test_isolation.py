"""The isolation matrix: every route of the app, read from the app's own route table,
× every role × another koperasi's (or person's) ids → refused; anonymous → 401 (or the
sign-in page) except routes declared public. A new route that is neither declared public
(`opt={"public": True}`) nor given a case in `CASES` fails `test_every_route_is_covered`."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import httpx
import pytest
from webauthn.helpers import bytes_to_base64url

from backend.accounts import audit
from backend.accounts.domain import Role
from backend.accounts.sessions import start_session
from backend.accounts.tables import Passkey, RoleGrant, UserAccount, WebAuthnChallenge
from backend.app import create_app
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.tables import JournalEntry, LedgerAccount, PeriodClose
from backend.members.tables import Member
from backend.savings.tables import SavingsMovement
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
from tests.support.client import app_client
from tests.support.sessions import as_person

ORIGIN = "http://localhost:8000"
ROLES = [Role.DINAS, Role.PENGURUS, Role.KASIR, Role.ANGGOTA]
# Litestar's own OpenAPI pages: public documentation of the public API.
FRAMEWORK_PUBLIC = re.compile(r"^/api/docs")


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    grant_id: int
    passkey_id: int


@dataclass
class World:
    """Region A (the demo's Kota Mojokerto) with koperasi K1 (Srikandi) and K2 (Artha
    Mandiri); region B with K3. The people under test hold roles in K1 / region A; the
    "foreign" people hold roles in K2 and region B."""

    settings: Settings
    mine: dict[Role, Person]
    foreign_pengurus: Person  # pengurus of K2 (same region, other koperasi)
    foreign_dinas: Person  # officer of region B
    k1: int
    k2: int
    k3_slug: str


Case = Callable[[httpx.AsyncClient, World, Role], Awaitable[None]]


def route_table(settings: Settings) -> set[tuple[str, str, bool, bool]]:
    """(method, path, public, page) for every handler the app routes to."""
    app = create_app(settings)
    entries = set()
    for route in app.routes:
        handlers = getattr(route, "route_handlers", None) or [route.route_handler]  # type: ignore[attr-defined]
        for handler in handlers:
            for method in sorted(getattr(handler, "http_methods", None) or {"ASGI"}):
                if method == "OPTIONS":
                    continue  # Litestar's automatic CORS preflight answers, no content
                public = bool(handler.opt.get("public")) or bool(FRAMEWORK_PUBLIC.match(route.path))
                entries.add((method, route.path, public, bool(handler.opt.get("page"))))
    return entries


def fake_credential_id(name: str) -> str:
    return bytes_to_base64url(f"cred-{name}".encode())


async def make_person(name: str, role: Role, region: int, koperasi: int | None) -> Person:
    user = await UserAccount.insert(
        UserAccount(display_name=name, user_handle=bytes_to_base64url(name.encode()))
    ).returning(UserAccount.id)
    user_id = user[0]["id"]
    member = None
    if role is Role.ANGGOTA:
        row = await Member.select(Member.id).where(Member.koperasi == koperasi).first()
        assert row is not None
        member = row["id"]
    grant = await RoleGrant.insert(
        RoleGrant(user=user_id, role=role.value, region=region, koperasi=koperasi, member=member)
    ).returning(RoleGrant.id)
    key = await Passkey.insert(
        Passkey(user=user_id, credential_id=fake_credential_id(name), public_key="x")
    ).returning(Passkey.id)
    # Events in the person's own koperasi/region, which others must not see.
    await audit.record(
        "test_event", actor_id=user_id, region_id=region, koperasi_id=koperasi, secret=name
    )
    return Person(user_id, name, grant[0]["id"], key[0]["id"])


@pytest.fixture
async def world(demo: Settings) -> World:
    settings = replace(demo, auth_attempts_per_minute=10_000)
    region_a = await Region.select(Region.id).where(Region.slug == "kota-mojokerto").first()
    assert region_a is not None
    kops = {
        r["slug"]: r["id"]
        for r in await Koperasi.select(Koperasi.id, Koperasi.slug).where(
            Koperasi.slug.is_in(["kopwan-srikandi", "ksp-artha-mandiri"])
        )
    }
    region_b = await Region.insert(
        Region(slug="kabupaten-contoh", name="Kabupaten Contoh", dinas_name="Dinas Koperasi Contoh")
    ).returning(Region.id)
    k3 = await Koperasi.insert(
        Koperasi(region=region_b[0]["id"], slug="kud-contoh", name="KUD Contoh", kind="ksu")
    ).returning(Koperasi.id)
    await Member.insert(
        Member(
            koperasi=k3[0]["id"],
            member_number="A-0001",
            full_name="Anggota Contoh",
            nik="3516014101900001",
            joined_on=datetime(2020, 1, 1).date(),
        )
    )
    a, k1, k2 = region_a["id"], kops["kopwan-srikandi"], kops["ksp-artha-mandiri"]
    # K2 has a member number no other koperasi uses.
    await Member.update(
        {Member.member_number: "X-0001", Member.full_name: "Anggota Rahasia"}
    ).where((Member.koperasi == k2) & (Member.member_number == "A-0001"))
    # Books: K2 and K3 have an entry #1 and an account of their own.
    for k in (k1, k2, k3[0]["id"]):
        await ledger.ensure_chart(k)
    for k in (k2, k3[0]["id"]):
        await LedgerAccount.insert(
            LedgerAccount(koperasi=k, code="9-0001", name="Rahasia", type="aset")
        )
        await ledger.post_entry(
            k,
            date(2026, 1, 5),
            "Jurnal koperasi lain",
            [Line("9-0001", 777), Line("1-1100", 0, 777)],
        )
    mine = {
        Role.DINAS: await make_person("Dinas Saya", Role.DINAS, a, None),
        Role.PENGURUS: await make_person("Pengurus Saya", Role.PENGURUS, a, k1),
        Role.KASIR: await make_person("Kasir Saya", Role.KASIR, a, k1),
        Role.ANGGOTA: await make_person("Anggota Saya", Role.ANGGOTA, a, k1),
    }
    return World(
        settings=settings,
        mine=mine,
        foreign_pengurus=await make_person("Pengurus Lain", Role.PENGURUS, a, k2),
        foreign_dinas=await make_person("Dinas Lain", Role.DINAS, region_b[0]["id"], None),
        k1=k1,
        k2=k2,
        k3_slug="kud-contoh",
    )


async def sign_in_as(client: httpx.AsyncClient, world: World, person: Person) -> None:
    new = await start_session(person.user_id, world.settings, datetime.now(UTC), "test")
    as_person(client, (new.token, new.csrf_token))


def foreign_names(world: World, role: Role) -> list[str]:
    """People whose events `role` must not see: a Dinas officer sees the whole region A
    (K2's pengurus included), never region B."""
    if role is Role.DINAS:
        return [world.foreign_dinas.name]
    return [world.foreign_pengurus.name, world.foreign_dinas.name]


def refused(response: httpx.Response) -> None:
    assert response.status_code in (403, 404), (response.status_code, response.text)


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


def foreign_books(role: Role) -> list[str]:
    """Koperasi whose books `role` must not read: another region's always; for anything but
    a region A officer also the other koperasi of the region."""
    return ["kud-contoh"] if role is Role.DINAS else ["kud-contoh", "ksp-artha-mandiri"]


def read_books(path: str) -> Case:
    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        params = {"as_of": "2026-12-31", "since": "2026-01-01", "until": "2026-12-31"}
        for slug in foreign_books(role):
            response = await client.get(path, params={**params, "koperasi": slug})
            refused(response)
            # Only the error shape comes back (its random request id may contain any digits).
            assert set(response.json()) == {"error"} and "Rahasia" not in response.text

    return case


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


def counter_staff(role: Role) -> bool:
    return role in (Role.PENGURUS, Role.KASIR)


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
    for (method, path), case in CASES.items():
        async with app_client(world.settings, origin=ORIGIN) as client:
            await sign_in_as(client, world, world.mine[role])
            try:
                await case(client, world, role)
            except AssertionError as exc:
                raise AssertionError(f"{role.value} {method} {path}: {exc}") from exc
