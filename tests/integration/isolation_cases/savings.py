"""Isolation cases of the savings routes and pages added with the counter and the member's
savings page (history, receipts, arrears, a member's exit, the savings policy, the members
list): K2's member "X-0001" ("Anggota Rahasia") and K2's receipts are never readable from
K1; an anggota reads only their own; Dinas reads none of it.

The cases make their movements when they run (after the base matrix, whose savings case
checks that no movement exists): `_world_savings` is idempotent per world."""

from __future__ import annotations

from datetime import date

import httpx

from backend.accounts.domain import Role
from backend.accounts.tables import RoleGrant
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.savings.tables import SavingsMovement, SavingsPolicyRow
from tests.support.isolation import Case, World, counter_staff, refused

SECRET = "Anggota Rahasia"
DAY = date(2026, 2, 2)


async def _own_member(world: World) -> str:
    """Member number of K1's anggota under test."""
    row = (
        await RoleGrant.select(RoleGrant.member.member_number.as_alias("member_number"))
        .where(RoleGrant.id == world.mine[Role.ANGGOTA].grant_id)
        .first()
    )
    assert row is not None
    return str(row["member_number"])


async def _world_savings(world: World) -> dict[str, int]:
    """K2: three receipts of X-0001 (numbers 1–3, which K1 only partly has). K1: receipt 1
    of the anggota under test, receipt 2 of another K1 member. Returns receipt numbers."""
    mine = await _own_member(world)
    other = (
        await Member.select(Member.member_number)
        .where((Member.koperasi == world.k1) & (Member.member_number != mine))
        .order_by(Member.member_number)
        .first()
    )
    assert other is not None
    if not await SavingsMovement.exists().where(SavingsMovement.koperasi == world.k2):
        for amount in (11_111, 22_222, 33_333):
            await savings.record(
                world.k2, "X-0001", SavingsKind.SUKARELA, Movement.SETOR, amount, DAY
            )
        await savings.record(world.k1, mine, SavingsKind.SUKARELA, Movement.SETOR, 5_000, DAY)
        await savings.record(
            world.k1, other["member_number"], SavingsKind.SUKARELA, Movement.SETOR, 7_000, DAY
        )
    return {"own": 1, "other_member": 2, "foreign": 3}


def _secret_free(response: httpx.Response) -> None:
    assert SECRET not in response.text and "X-0001" not in response.text
    assert "33.333" not in response.text and "33333" not in response.text


async def _k2_unchanged(world: World) -> None:
    assert await SavingsMovement.count().where(SavingsMovement.koperasi == world.k2) == 3
    row = (
        await Member.select(Member.status)
        .where((Member.koperasi == world.k2) & (Member.member_number == "X-0001"))
        .first()
    )
    assert row is not None and row["status"] == "aktif"
    assert not await SavingsPolicyRow.exists().where(SavingsPolicyRow.koperasi != world.k1)


async def member_history(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_savings(world)
    response = await client.get("/api/v1/savings/members/X-0001/history")
    refused(response)
    _secret_free(response)
    own = await client.get(f"/api/v1/savings/members/{await _own_member(world)}/history")
    if counter_staff(role):
        assert own.status_code == 200
        assert [i["amount"] for i in own.json()["items"]] == [5_000]
    else:
        refused(own)


async def my_history(client: httpx.AsyncClient, world: World, role: Role) -> None:
    numbers = await _world_savings(world)
    response = await client.get("/api/v1/savings/mine/history", params={"before": 100})
    if role is not Role.ANGGOTA:
        refused(response)
        return
    items = response.json()["items"]
    assert [(i["receipt_number"], i["amount"]) for i in items] == [(numbers["own"], 5_000)]
    _secret_free(response)


async def receipt(client: httpx.AsyncClient, world: World, role: Role) -> None:
    numbers = await _world_savings(world)
    # Receipt 3 exists only in K2's books.
    foreign = await client.get(f"/api/v1/savings/receipts/{numbers['foreign']}")
    refused(foreign)
    _secret_free(foreign)
    own = await client.get(f"/api/v1/savings/receipts/{numbers['own']}")
    other = await client.get(f"/api/v1/savings/receipts/{numbers['other_member']}")
    if counter_staff(role):
        assert own.status_code == 200 and own.json()["amount"] == 5_000
        assert other.status_code == 200 and other.json()["amount"] == 7_000
        assert own.json()["koperasi_name"] == "Koperasi Wanita Srikandi"
    elif role is Role.ANGGOTA:
        assert own.status_code == 200 and own.json()["amount"] == 5_000
        refused(other)  # another member's receipt
    else:
        refused(own)
        refused(other)
    for response in (own, other):
        _secret_free(response)


async def arrears(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_savings(world)
    response = await client.get("/api/v1/savings/arrears")
    if counter_staff(role):
        assert response.status_code == 200
        assert response.json(), "K1's active members owe wajib"
    else:
        refused(response)
    _secret_free(response)


async def member_exit(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_savings(world)
    entries = await JournalEntry.count()
    response = await client.post(
        "/api/v1/savings/members/X-0001/exit", json={"exit_date": "2026-03-01"}
    )
    refused(response)
    _secret_free(response)
    if role is not Role.PENGURUS:
        # Not even for a member of their own koperasi.
        own = await _own_member(world)
        refused(
            await client.post(
                f"/api/v1/savings/members/{own}/exit", json={"exit_date": "2026-03-01"}
            )
        )
    assert await JournalEntry.count() == entries
    await _k2_unchanged(world)


async def read_policy(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.get("/api/v1/savings/policy")
    if counter_staff(role):
        assert response.status_code == 200
        assert response.json()["sukarela_account"] == "2-1100"
    else:
        refused(response)


async def change_policy(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_savings(world)
    body = {
        "pokok_amount": 1,
        "wajib_monthly": 1,
        "pokok_account": "3-1100",
        "wajib_account": "3-1200",
        "sukarela_account": "2-1100",
        "cash_account": "9-0001",  # exists only in K2's and K3's charts
    }
    response = await client.put("/api/v1/savings/policy", json=body)
    # Only the pengurus reaches their own (K1's) policy, where K2's account is unknown.
    expected = 422 if role is Role.PENGURUS else 403
    assert response.status_code == expected, response.text
    assert "Rahasia" not in response.text
    assert not await SavingsPolicyRow.exists()
    await _k2_unchanged(world)


async def members_list(client: httpx.AsyncClient, world: World, role: Role) -> None:
    for params in ({}, {"q": "Rahasia"}, {"q": "X-0001"}, {"limit": 100}):
        response = await client.get("/api/v1/members", params=params)
        if counter_staff(role):
            assert response.status_code == 200
        else:
            refused(response)
        _secret_free(response)
    if counter_staff(role):
        listed = (await client.get("/api/v1/members", params={"limit": 100})).json()
        assert listed and {m["member_number"] for m in listed} <= {
            r["member_number"]
            for r in await Member.select(Member.member_number).where(Member.koperasi == world.k1)
        }


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


async def savings_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_savings(world)
    response = await client.get("/simpanan")
    _secret_free(response)
    if role is Role.ANGGOTA:
        assert response.status_code == 200
        assert "Rp 5.000" in response.text and "Rp 7.000" not in response.text
    elif counter_staff(role):
        assert response.status_code == 303
        assert response.headers["location"] == "/simpanan/loket"
    else:
        _page_refused(response)


async def counter_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_savings(world)
    response = await client.get("/simpanan/loket")
    _secret_free(response)
    if counter_staff(role):
        assert response.status_code == 200
        assert "Koperasi Wanita Srikandi" in response.text
    else:
        _page_refused(response)


async def receipt_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    numbers = await _world_savings(world)
    foreign = await client.get(f"/simpanan/kuitansi/{numbers['foreign']}")
    _page_refused(foreign)
    _secret_free(foreign)
    own = await client.get(f"/simpanan/kuitansi/{numbers['own']}")
    other = await client.get(f"/simpanan/kuitansi/{numbers['other_member']}")
    for response in (own, other):
        _secret_free(response)
    if counter_staff(role):
        assert own.status_code == 200 and other.status_code == 200
        assert "Rp 7.000" in other.text
    elif role is Role.ANGGOTA:
        assert own.status_code == 200 and "Rp 5.000" in own.text
        _page_refused(other)
        assert "Rp 7.000" not in other.text
    else:
        _page_refused(own)
        _page_refused(other)


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/savings/members/{member_number:str}/history"): member_history,
    ("GET", "/api/v1/savings/mine/history"): my_history,
    ("GET", "/api/v1/savings/receipts/{receipt_number:int}"): receipt,
    ("GET", "/api/v1/savings/arrears"): arrears,
    ("POST", "/api/v1/savings/members/{member_number:str}/exit"): member_exit,
    ("GET", "/api/v1/savings/policy"): read_policy,
    ("PUT", "/api/v1/savings/policy"): change_policy,
    ("GET", "/api/v1/members"): members_list,
    ("GET", "/simpanan"): savings_page,
    ("GET", "/simpanan/loket"): counter_page,
    ("GET", "/simpanan/kuitansi/{receipt_number:int}"): receipt_page,
}
