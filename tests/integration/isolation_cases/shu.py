"""Isolation cases of the SHU routes and pages: K2's posted SHU (its pool Rp 1.234.567 and
the share of its member "X-0001 Anggota Rahasia") and another region's koperasi are never
readable from K1's roles; a Dinas officer of region A reads K1's and K2's summary and RAT
pack but no member list and changes nothing; kasir get nothing; an anggota reads only their
own posted share, never another member's (K1's other member got Rp 160.000).

The cases make their books when they run (after the base matrix and the savings cases,
which count K2's movements and closed periods): `_world_shu` is idempotent per world. K1:
2024 posted (pool Rp 1.000.000: the anggota under test Rp 40.000, another member
Rp 160.000) and 2025 closed, not posted. K2: 2025 posted."""

from __future__ import annotations

from datetime import date

import httpx

from backend.accounts.domain import Role
from backend.accounts.tables import RoleGrant
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.shu import service as shu
from backend.shu.tables import ShuAllocationRow, ShuDistribution, ShuMemberShare
from tests.support.isolation import Case, World, foreign_books, refused

SECRETS = ("Anggota Rahasia", "X-0001", "1.234.567", "1234567")  # K2's
OTHER_MEMBER = ("160.000", "160000")  # another K1 member's share: the pengurus' to read
K1, K2 = "kopwan-srikandi", "ksp-artha-mandiri"
SETOR, POKOK, WAJIB = Movement.SETOR, SavingsKind.POKOK, SavingsKind.WAJIB


async def _own_member(world: World) -> str:
    row = (
        await RoleGrant.select(RoleGrant.member.member_number.as_alias("member_number"))
        .where(RoleGrant.id == world.mine[Role.ANGGOTA].grant_id)
        .first()
    )
    assert row is not None
    return str(row["member_number"])


async def _revenue(k: int, day: date, amount: int) -> None:
    await ledger.post_entry(
        k, day, "Pendapatan uji SHU", [Line("1-1100", amount), Line("4-3100", 0, amount)]
    )


async def _world_shu(world: World) -> None:
    if await ShuDistribution.exists().where(ShuDistribution.koperasi == world.k2):
        return
    # K2: X-0001's pokok in 2025, an SHU of Rp 1.234.567, posted.
    await savings.record(world.k2, "X-0001", POKOK, SETOR, 100_000, date(2025, 6, 2))
    await _revenue(world.k2, date(2025, 6, 2), 1_234_567)
    await ledger.close_period(world.k2, "2025-12")
    await shu.post(world.k2, 2025, date(2026, 2, 3), today=date(2026, 2, 3))
    # K1: 2024 posted, 2025 closed but not posted.
    mine = await _own_member(world)
    other = (
        await Member.select(Member.member_number)
        .where((Member.koperasi == world.k1) & (Member.member_number != mine))
        .order_by(Member.member_number)
        .first()
    )
    assert other is not None
    await savings.record(world.k1, mine, POKOK, SETOR, 100_000, date(2024, 5, 2))
    await savings.record(world.k1, other["member_number"], POKOK, SETOR, 100_000, date(2024, 5, 2))
    await savings.record(world.k1, other["member_number"], WAJIB, SETOR, 300_000, date(2024, 5, 2))
    await _revenue(world.k1, date(2024, 5, 2), 1_000_000)
    await ledger.close_period(world.k1, "2024-12")
    await shu.post(world.k1, 2024, date(2025, 1, 15), today=date(2025, 1, 15))
    await _revenue(world.k1, date(2025, 5, 2), 2_000_000)
    await ledger.close_period(world.k1, "2025-12")


def _clean(response: httpx.Response, *more: str) -> None:
    for secret in (*SECRETS, *more):
        assert secret not in response.text, secret


async def _foreign_refused(client: httpx.AsyncClient, role: Role, path: str) -> None:
    for slug in foreign_books(role):
        response = await client.get(path, params={"koperasi": slug})
        refused(response)
        _clean(response)


def reader(path: str, check_own: str) -> Case:
    """A route pengurus (own koperasi) and Dinas (`?koperasi=`) read; nobody reads another
    koperasi's; kasir and anggota nothing. `check_own`: text K1's answer must contain."""

    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        await _world_shu(world)
        await _foreign_refused(client, role, path)
        own = await client.get(path)
        if role is Role.PENGURUS:
            assert own.status_code == 200, own.text
            assert check_own in own.text
        elif role is Role.DINAS:
            assert own.status_code == 404  # an officer names the koperasi
            chosen = await client.get(path, params={"koperasi": K1})
            assert chosen.status_code == 200 and check_own in chosen.text
            _clean(chosen)
        else:
            refused(own)
        _clean(own)

    return case


async def pack(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    path = "/api/v1/shu/2025/rat-pack"
    for slug in foreign_books(role):
        for fmt in ("pdf", "xlsx"):
            response = await client.get(path, params={"koperasi": slug, "format": fmt})
            refused(response)
            _clean(response)
    own = await client.get(path)
    if role is Role.PENGURUS:
        assert own.status_code == 200 and own.content.startswith(b"%PDF")
    elif role is Role.DINAS:
        chosen = await client.get(path, params={"koperasi": K1, "format": "xlsx"})
        assert chosen.status_code == 200 and chosen.content.startswith(b"PK")
    else:
        refused(own)


async def members(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    for params in ({}, {"koperasi": K2}, {"limit": 1000}):
        response = await client.get("/api/v1/shu/2025/members", params=params)
        if role is Role.PENGURUS:
            # Their own list, whatever is asked for: K2's members never show.
            assert response.status_code == 200
            numbers = {i["member_number"] for i in response.json()["items"]}
            assert numbers <= {
                r["member_number"]
                for r in await Member.select(Member.member_number).where(
                    Member.koperasi == world.k1
                )
            }
        else:
            refused(response)  # Dinas reads no member list either
        _clean(response)


async def one_member(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    for year in (2024, 2025):
        response = await client.get(f"/api/v1/shu/{year}/members/X-0001")
        refused(response)
        _clean(response)
    own = await client.get(f"/api/v1/shu/2024/members/{await _own_member(world)}")
    if role is Role.PENGURUS:
        assert own.status_code == 200 and own.json()["share"]["total"] == 40_000
    else:
        refused(own)


async def _k2_frozen(world: World) -> None:
    assert await ShuDistribution.count().where(ShuDistribution.koperasi == world.k2) == 1
    row = (
        await ShuAllocationRow.select(ShuAllocationRow.cadangan_bp)
        .where(ShuAllocationRow.koperasi == world.k2)
        .first()
    )
    assert row is not None and row["cadangan_bp"] == 4000
    assert await ShuMemberShare.count().where(ShuMemberShare.koperasi == world.k2) >= 1


BODY = {
    "cadangan_bp": 3000,
    "jasa_modal_bp": 3000,
    "jasa_usaha_bp": 2000,
    "pengurus_bp": 500,
    "karyawan_bp": 500,
    "pendidikan_bp": 500,
    "sosial_bp": 500,
    "daerah_kerja_bp": 0,
    "count_pokok": True,
    "count_wajib": True,
    "count_sukarela": False,
    "usaha_basis": "pembelian",
    "mode": "utang",
}


async def change_allocation(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    # No choosing another koperasi: unknown fields are refused.
    smuggled = await client.put("/api/v1/shu/2025/allocation", json={**BODY, "koperasi": K2})
    assert smuggled.status_code == 400, smuggled.text
    response = await client.put("/api/v1/shu/2025/allocation", json=BODY)
    if role is Role.PENGURUS:
        assert response.status_code == 200  # their own koperasi's 2025 only
        assert await ShuAllocationRow.exists().where(
            (ShuAllocationRow.koperasi == world.k1)
            & (ShuAllocationRow.year == 2025)
            & (ShuAllocationRow.cadangan_bp == 3000)
        )
    else:
        assert response.status_code == 403, response.text
    _clean(response)
    await _k2_frozen(world)


async def distribution(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    smuggled = await client.post(
        "/api/v1/shu/2025/distribution", json={"posted_on": "2026-02-10", "koperasi": K2}
    )
    assert smuggled.status_code == 400
    response = await client.post("/api/v1/shu/2025/distribution", json={"posted_on": "2026-02-10"})
    if role is Role.PENGURUS:
        assert response.status_code == 201, response.text  # K1's own 2025
        again = await client.post("/api/v1/shu/2025/distribution", json={})
        assert again.status_code == 409
    else:
        assert response.status_code == 403, response.text
        assert not await ShuDistribution.exists().where(
            (ShuDistribution.koperasi == world.k1) & (ShuDistribution.year == 2025)
        )
    _clean(response)
    await _k2_frozen(world)


async def mine(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    response = await client.get("/api/v1/shu/mine")
    if role is not Role.ANGGOTA:
        refused(response)
        return
    assert response.status_code == 200
    items = response.json()
    assert [(i["year"], i["share"]["total"]) for i in items] == [(2024, 40_000)]
    assert items[0]["share"]["member_number"] == await _own_member(world)
    _clean(response, *OTHER_MEMBER)


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


async def shu_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    for slug in foreign_books(role):
        response = await client.get("/shu", params={"koperasi": slug, "tahun": 2025})
        _clean(response)
        assert "KUD Contoh" not in response.text
        if role is Role.DINAS:
            _page_refused(response)
    own = await client.get("/shu", params={"tahun": 2024, "anggota": await _own_member(world)})
    _clean(own)  # for a pengurus: their own 2024, the other member only in the list
    if role is Role.PENGURUS:
        assert own.status_code == 200 and "Rp 40.000" in own.text
    elif role is Role.DINAS:
        assert own.status_code == 200 and "Rp 40.000" not in own.text  # the chooser only
        chosen = await client.get("/shu", params={"koperasi": K1, "tahun": 2024})
        assert chosen.status_code == 200 and "Rp 1.000.000" in chosen.text
        assert "Rp 40.000" not in chosen.text  # no member list for the Dinas
    elif role is Role.ANGGOTA:
        assert own.status_code == 303 and own.headers["location"] == "/shu/saya"
    else:
        _page_refused(own)


async def my_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_shu(world)
    response = await client.get("/shu/saya")
    _clean(response, *OTHER_MEMBER)
    if role is Role.ANGGOTA:
        assert response.status_code == 200 and "Rp 40.000" in response.text
    else:
        _page_refused(response)


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/shu/years"): reader("/api/v1/shu/years", '"year":2025'),
    ("GET", "/api/v1/shu/{year:int}"): reader("/api/v1/shu/2025", '"pool":2000000'),
    ("GET", "/api/v1/shu/{year:int}/allocation"): reader(
        "/api/v1/shu/2025/allocation", '"year":2025'
    ),
    ("GET", "/api/v1/shu/{year:int}/rat-pack"): pack,
    ("GET", "/api/v1/shu/{year:int}/members"): members,
    ("GET", "/api/v1/shu/{year:int}/members/{member_number:str}"): one_member,
    ("GET", "/api/v1/shu/mine"): mine,
    ("GET", "/shu"): shu_page,
    ("GET", "/shu/saya"): my_page,
    # Writes last: the pengurus' posting freezes K1's 2025.
    ("PUT", "/api/v1/shu/{year:int}/allocation"): change_allocation,
    ("POST", "/api/v1/shu/{year:int}/distribution"): distribution,
}
