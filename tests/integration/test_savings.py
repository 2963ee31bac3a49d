"""Savings on both engines: the rules for pokok, wajib and sukarela, each movement's journal
entry, receipts, arrears; refusals write nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from backend.accounts.domain import Role
from backend.errors import AppError
from backend.ledger import service as ledger
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.savings.tables import SavingsMovement
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

SETOR, TARIK = Movement.SETOR, Movement.TARIK
POKOK, WAJIB, SUKARELA = SavingsKind.POKOK, SavingsKind.WAJIB, SavingsKind.SUKARELA


async def srikandi() -> int:
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == "kopwan-srikandi").first()
    assert row is not None
    return int(row["id"])


async def refuse(code: str, coro: object) -> None:
    before = (await SavingsMovement.count(), await JournalEntry.count())
    with pytest.raises(AppError) as error:
        await coro  # type: ignore[misc]
    assert error.value.code == code
    assert (await SavingsMovement.count(), await JournalEntry.count()) == before


async def test_savings_rules_and_books(demo: Settings) -> None:
    k = await srikandi()
    day = date(2026, 3, 5)
    first = await savings.record(k, "A-0001", POKOK, SETOR, 100_000, day)
    assert first.receipt == "S-000001" and first.balance_after == 100_000
    await refuse("pokok_exceeded", savings.record(k, "A-0001", POKOK, SETOR, 1, day))
    await refuse("withdraw_not_allowed", savings.record(k, "A-0001", POKOK, TARIK, 1, day))
    await savings.record(k, "A-0001", WAJIB, SETOR, 75_000, day)
    await refuse("withdraw_not_allowed", savings.record(k, "A-0001", WAJIB, TARIK, 1, day))
    await savings.record(k, "A-0001", SUKARELA, SETOR, 500_000, day)
    out = await savings.record(k, "A-0001", SUKARELA, TARIK, 200_000, date(2026, 3, 6))
    assert out.balance_after == 300_000 and out.receipt == "S-000004"
    await refuse("insufficient_balance", savings.record(k, "A-0001", SUKARELA, TARIK, 300_001, day))
    await refuse("amount_invalid", savings.record(k, "A-0001", SUKARELA, SETOR, 0, day))
    await refuse("member_not_found", savings.record(k, "Z-9999", SUKARELA, SETOR, 1, day))
    # A member of another koperasi is not reachable from this one.
    other = await Koperasi.select(Koperasi.id).where(Koperasi.slug == "ksp-artha-mandiri").first()
    assert other is not None
    await Member.update({Member.member_number: "X-0001"}).where(
        (Member.koperasi == other["id"]) & (Member.member_number == "A-0006")
    )
    await refuse("member_not_found", savings.record(k, "X-0001", SUKARELA, SETOR, 1, day))
    inactive = (
        await Member.select(Member.member_number)
        .where((Member.koperasi == k) & (Member.status != "aktif"))
        .first()
    )
    if inactive:
        await refuse(
            "member_inactive",
            savings.record(k, inactive["member_number"], SUKARELA, SETOR, 1, day),
        )

    # The books agree with the savings: cash, and each savings account's balance.
    books = {b.code: b.balance for b in await ledger.trial_balance(k)}
    assert books["1-1100"] == 100_000 + 75_000 + 500_000 - 200_000
    assert books["3-1100"] == 100_000 and books["3-1200"] == 75_000 and books["2-1100"] == 300_000

    member = await savings.member_savings(k, "A-0001", today=date(2026, 3, 31))
    assert member.balances == {"pokok": 100_000, "wajib": 75_000, "sukarela": 300_000}
    assert member.total == 475_000
    joined = (
        await Member.select(Member.joined_on)
        .where((Member.koperasi == k) & (Member.member_number == "A-0001"))
        .first()
    )
    assert joined is not None
    months = (2026 - joined["joined_on"].year) * 12 + (3 - joined["joined_on"].month) + 1
    assert member.wajib_arrears == max(0, months * 25_000 - 75_000)


async def test_a_savings_movement_in_a_closed_period_is_refused(demo: Settings) -> None:
    k = await srikandi()
    await ledger.close_period(k, "2026-01")
    await refuse(
        "period_closed", savings.record(k, "A-0002", SUKARELA, SETOR, 10_000, date(2026, 1, 20))
    )


async def test_counter_records_and_the_member_sees_their_own(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k = await srikandi()
    region = (
        await Koperasi.select(Koperasi.region.as_alias("region_id")).where(Koperasi.id == k).first()
    )
    assert region is not None
    siti = (
        await Member.select(Member.id)
        .where((Member.koperasi == k) & (Member.member_number == "A-0001"))
        .first()
    )
    assert siti is not None
    kasir = await person(settings, Role.KASIR, k, region["region_id"])
    anggota = await person(settings, Role.ANGGOTA, k, region["region_id"], member=siti["id"])
    async with app_client(settings, origin="http://localhost:8000") as client:
        as_person(client, kasir)
        paid = await client.post(
            "/api/v1/savings/movements",
            json={
                "member_number": "A-0001",
                "kind": "sukarela",
                "movement": "setor",
                "amount": 250_000,
            },
        )
        assert paid.status_code == 201, paid.text
        assert paid.json()["receipt"] == "S-000001" and paid.json()["balance_after"] == 250_000
        too_much = await client.post(
            "/api/v1/savings/movements",
            json={
                "member_number": "A-0001",
                "kind": "sukarela",
                "movement": "tarik",
                "amount": 250_001,
            },
        )
        assert too_much.status_code == 409
        assert too_much.json()["error"]["code"] == "insufficient_balance"
        as_person(client, anggota)
        mine = (await client.get("/api/v1/savings/mine")).json()
        assert mine["member_number"] == "A-0001" and mine["balances"]["sukarela"] == 250_000
        assert (await client.get("/api/v1/savings/members/A-0002")).status_code == 403
