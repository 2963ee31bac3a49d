"""The world of the isolation matrix (tests/integration/test_isolation.py) and what its
cases share. Cases for a context live in `tests/integration/isolation_cases/<context>.py`,
each module exporting `CASES: dict[(method, path), Case]`."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import httpx
from webauthn.helpers import bytes_to_base64url

from backend.accounts import audit
from backend.accounts.domain import Role
from backend.accounts.sessions import start_session
from backend.accounts.tables import Passkey, RoleGrant, UserAccount
from backend.app import create_app
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.tables import LedgerAccount
from backend.members.tables import Member
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
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


async def build_world(demo: Settings) -> World:
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


def counter_staff(role: Role) -> bool:
    return role in (Role.PENGURUS, Role.KASIR)
