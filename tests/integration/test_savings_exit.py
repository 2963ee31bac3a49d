"""A member leaves (pokok and wajib come back only then), the savings policy as
configuration, and the database's refusal to change savings movements, on both engines."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.errors import AppError
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.tables import JournalEntry, JournalLine, LedgerAccount
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind, SavingsPolicy
from backend.savings.tables import SavingsMovement, SavingsPolicyRow
from backend.settings import Settings
from tests.integration.test_savings_history import ORIGIN, koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

SETOR, TARIK = Movement.SETOR, Movement.TARIK
POKOK, WAJIB, SUKARELA = SavingsKind.POKOK, SavingsKind.WAJIB, SavingsKind.SUKARELA


async def written() -> tuple[int, int, int, int, int]:
    return (
        await SavingsMovement.count(),
        await JournalEntry.count(),
        await JournalLine.count(),
        await AuditEvent.count(),
        await SavingsPolicyRow.count(),
    )


async def refuse(code: str, coro: object) -> None:
    counts = await written()
    with pytest.raises(AppError) as error:
        await coro  # type: ignore[misc]
    assert error.value.code == code, error.value
    assert await written() == counts


async def status_of(k: int, number: str) -> tuple[str, date | None]:
    row = (
        await Member.select(Member.status, Member.left_on)
        .where((Member.koperasi == k) & (Member.member_number == number))
        .first()
    )
    assert row is not None
    return row["status"], row["left_on"]


async def test_a_leaving_member_gets_every_balance_back_in_one_entry(demo: Settings) -> None:
    k, region = await koperasi()
    day = date(2026, 3, 5)
    await savings.record(k, "A-0001", POKOK, SETOR, 100_000, day)
    await savings.record(k, "A-0001", WAJIB, SETOR, 75_000, day)
    await savings.record(k, "A-0001", SUKARELA, SETOR, 500_000, day)
    await savings.record(k, "A-0001", SUKARELA, TARIK, 120_000, date(2026, 3, 9))
    await savings.record(k, "A-0002", SUKARELA, SETOR, 40_000, day)
    entries_before = await JournalEntry.count()

    # Not before joining, not before the last movement, not for a stranger.
    await refuse("exit_before_last_movement", savings.exit_member(k, "A-0001", date(2026, 3, 8)))
    await refuse("exit_before_joining", savings.exit_member(k, "A-0001", date(2001, 1, 1)))
    await refuse("member_not_found", savings.exit_member(k, "Z-0001", date(2026, 3, 10)))

    out = await savings.exit_member(
        k, "A-0001", date(2026, 3, 10), created_by=None, region_id=region, ip="1.2.3.4"
    )
    assert out.returned == {"pokok": 100_000, "wajib": 75_000, "sukarela": 380_000}
    assert out.total == 555_000
    assert [(r.kind, r.amount, r.balance_after) for r in out.receipts] == [
        (POKOK, 100_000, 0),
        (WAJIB, 75_000, 0),
        (SUKARELA, 380_000, 0),
    ]
    numbers = [r.receipt_number for r in out.receipts]
    assert numbers == [6, 7, 8] and out.receipts[0].receipt == "S-000006"
    # One balanced entry: each savings account debited, cash credited with the total.
    assert await JournalEntry.count() == entries_before + 1
    _, lines = await ledger.entry_lines(k, out.entry_number or 0)
    assert sorted((line.account_code, line.debit, line.credit) for line in lines) == [
        ("1-1100", 0, 555_000),
        ("2-1100", 380_000, 0),
        ("3-1100", 100_000, 0),
        ("3-1200", 75_000, 0),
    ]
    books = {b.code: b.balance for b in await ledger.trial_balance(k)}
    assert books["3-1100"] == 0 and books["3-1200"] == 0 and books["2-1100"] == 40_000
    assert books["1-1100"] == 40_000
    member = await savings.member_savings(k, "A-0001", date(2026, 12, 31))
    assert member.balances == {"pokok": 0, "wajib": 0, "sukarela": 0}
    assert member.status == "keluar" and member.left_on == date(2026, 3, 10)
    assert member.wajib_arrears == 0  # a member who left owes no more dues
    assert await status_of(k, "A-0001") == ("keluar", date(2026, 3, 10))
    receipt = await savings.receipt(k, 6)
    assert receipt.member_exit and receipt.movement_label == "Pengembalian (anggota keluar)"
    assert receipt.entry_number == out.entry_number and receipt.balance_after == 0
    event = (
        await AuditEvent.select(AuditEvent.detail, AuditEvent.ip)
        .where(AuditEvent.action == "member_exit")
        .first()
    )
    assert event is not None and event["ip"] == "1.2.3.4"
    detail = json.loads(event["detail"])
    assert detail["member"] == "A-0001" and detail["total"] == 555_000
    assert detail["receipts"] == ["S-000006", "S-000007", "S-000008"]

    # Once: a second exit is a conflict; deposits are refused; nothing is written.
    await refuse("member_already_left", savings.exit_member(k, "A-0001", date(2026, 3, 11)))
    await refuse("member_inactive", savings.record(k, "A-0001", SUKARELA, SETOR, 1_000, day))
    await refuse("member_inactive", savings.record(k, "A-0001", POKOK, SETOR, 1_000, day))
    await refuse(
        "insufficient_balance", savings.record(k, "A-0001", SUKARELA, TARIK, 1, date(2026, 3, 12))
    )
    # Still refused for members who stay: pokok and wajib come back only on leaving.
    await refuse("withdraw_not_allowed", savings.record(k, "A-0002", POKOK, TARIK, 1, day))
    await refuse("withdraw_not_allowed", savings.record(k, "A-0002", WAJIB, TARIK, 1, day))


async def test_an_exit_with_nothing_to_return_and_an_exit_in_a_closed_period(
    demo: Settings,
) -> None:
    k, _ = await koperasi()
    await savings.record(k, "A-0003", SUKARELA, SETOR, 10_000, date(2026, 1, 5))
    await ledger.close_period(k, "2026-01")
    # The refund's entry cannot go into a closed month: nothing changes, status included.
    await refuse("period_closed", savings.exit_member(k, "A-0003", date(2026, 1, 31)))
    assert (await status_of(k, "A-0003"))[0] == "aktif"
    entries = await JournalEntry.count()
    out = await savings.exit_member(k, "A-0002", date(2026, 2, 1))
    assert out.total == 0 and out.entry_number is None and out.receipts == []
    assert await JournalEntry.count() == entries
    assert await status_of(k, "A-0002") == ("keluar", date(2026, 2, 1))
    # A member already inactive (nonaktif) may leave too.
    await Member.update({Member.status: "nonaktif"}).where(
        (Member.koperasi == k) & (Member.member_number == "A-0004")
    )
    await savings.exit_member(k, "A-0004", date(2026, 2, 1))
    assert (await status_of(k, "A-0004"))[0] == "keluar"


async def test_exit_over_http_is_for_pengurus_only(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    await savings.record(k, "A-0001", POKOK, SETOR, 100_000, date(2026, 3, 1))
    pengurus = await person(settings, Role.PENGURUS, k, region, name="Pengurus Uji")
    kasir = await person(settings, Role.KASIR, k, region, name="Kasir Uji")
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, kasir)
        refused = await client.post(
            "/api/v1/savings/members/A-0001/exit", json={"exit_date": "2026-03-02"}
        )
        assert refused.status_code == 403
        assert (await status_of(k, "A-0001"))[0] == "aktif"
        as_person(client, pengurus)
        done = await client.post(
            "/api/v1/savings/members/A-0001/exit", json={"exit_date": "2026-03-02"}
        )
        assert done.status_code == 201, done.text
        body = done.json()
        assert body["total"] == 100_000 and body["returned"] == {"pokok": 100_000}
        assert body["receipts"][0]["kind_label"] == "Simpanan pokok"
        again = await client.post(
            "/api/v1/savings/members/A-0001/exit", json={"exit_date": "2026-03-03"}
        )
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "member_already_left"
        deposit = await client.post(
            "/api/v1/savings/movements",
            json={"member_number": "A-0001", "kind": "sukarela", "movement": "setor", "amount": 1},
        )
        assert deposit.status_code == 409
        assert deposit.json()["error"]["code"] == "member_inactive"
        bad = await client.post("/api/v1/savings/members/A-0002/exit", json={"exit": "x"})
        assert bad.status_code == 400


# The savings policy


async def test_policy_amounts_change_any_time_accounts_only_before_movements(
    demo: Settings,
) -> None:
    k, region = await koperasi()
    default = await savings.policy_settings(k)
    assert (default.pokok_account, default.locked_kinds) == ("3-1100", [])
    # A koperasi whose accountant books pokok and wajib as liabilities.
    for code, name in (("2-1710", "Simpanan pokok (kewajiban)"), ("2-1720", "Simpanan wajib")):
        await LedgerAccount.insert(
            LedgerAccount(koperasi=k, code=code, name=name, type="kewajiban")
        )
    changed = await savings.set_policy(
        k,
        SavingsPolicy(
            pokok_amount=150_000,
            wajib_monthly=30_000,
            pokok_account="2-1710",
            wajib_account="2-1720",
            sukarela_account="2-1100",
            cash_account="1-1200",
        ),
        region_id=region,
    )
    assert changed.pokok_account == "2-1710" and changed.cash_account == "1-1200"
    rules = await savings.policy(k)
    assert (rules.pokok_amount, rules.wajib_monthly, rules.wajib_account) == (
        150_000,
        30_000,
        "2-1720",
    )
    event = (
        await AuditEvent.select(AuditEvent.detail)
        .where(AuditEvent.action == "savings_policy_changed")
        .first()
    )
    assert event is not None
    assert json.loads(event["detail"])["changes"]["pokok_amount"] == [100_000, 150_000]
    # Movements follow the new mapping.
    await savings.record(k, "A-0001", POKOK, SETOR, 150_000, date(2026, 4, 1))
    books = {b.code: b.balance for b in await ledger.trial_balance(k)}
    assert books["2-1710"] == 150_000 and books["1-1200"] == 150_000
    assert (await savings.policy_settings(k)).locked_kinds == ["pokok"]

    def with_(**change: object) -> SavingsPolicy:
        return replace(rules, **change)  # type: ignore[arg-type]

    # Pokok has movements now: its account is fixed (the sub-ledger must match it) ...
    await refuse("savings_account_locked", savings.set_policy(k, with_(pokok_account="3-1100")))
    # ... wajib has none yet: it may move, and amounts and cash may change any time.
    await savings.set_policy(k, with_(wajib_account="3-1200", wajib_monthly=20_000))
    await savings.set_policy(k, with_(wajib_account="3-1200", cash_account="1-1100"))
    assert (await savings.policy(k)).wajib_monthly == 30_000  # with_ restores the old amount

    # What the books cannot keep.
    await refuse("account_not_found", savings.set_policy(k, with_(sukarela_account="9-9999")))
    await refuse("account_type_invalid", savings.set_policy(k, with_(wajib_account="1-1200")))
    await refuse("account_type_invalid", savings.set_policy(k, with_(cash_account="2-1100")))
    await refuse("account_type_invalid", savings.set_policy(k, with_(cash_account="1-1390")))
    await refuse("amount_out_of_range", savings.set_policy(k, with_(pokok_amount=-1)))
    # An account that already holds other journal lines would not match the members' savings.
    await ledger.post_entry(
        k, date(2026, 4, 2), "Utang dagang", [Line("1-1400", 5_000), Line("2-1300", 0, 5_000)]
    )
    await refuse("savings_account_in_use", savings.set_policy(k, with_(wajib_account="2-1300")))
    # The same settings again change nothing and write nothing.
    audit_count = await AuditEvent.count()
    await savings.set_policy(k, await savings.policy(k))
    assert await AuditEvent.count() == audit_count


async def test_policy_over_http(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    other_k, other_region = await koperasi("ksp-artha-mandiri")
    pengurus = await person(settings, Role.PENGURUS, k, region, name="Pengurus Kebijakan")
    kasir = await person(settings, Role.KASIR, k, region, name="Kasir Kebijakan")
    anggota = await person(settings, Role.ANGGOTA, k, region, member=None)
    dinas = await person(settings, Role.DINAS, None, region)
    body = {
        "pokok_amount": 200_000,
        "wajib_monthly": 50_000,
        "pokok_account": "3-1100",
        "wajib_account": "3-1200",
        "sukarela_account": "2-1100",
        "cash_account": "1-1100",
    }
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, kasir)
        read = await client.get("/api/v1/savings/policy")
        assert read.status_code == 200 and read.json()["pokok_amount"] == 100_000
        assert (await client.put("/api/v1/savings/policy", json=body)).status_code == 403
        as_person(client, pengurus)
        put = await client.put("/api/v1/savings/policy", json=body)
        assert put.status_code == 200, put.text
        assert put.json()["wajib_monthly"] == 50_000 and put.json()["locked_kinds"] == []
        missing = await client.put(
            "/api/v1/savings/policy", json={**body, "pokok_account": "9-0001"}
        )
        assert missing.status_code == 422
        assert missing.json()["error"]["details"][0]["field"] == "pokok_account"
        assert (
            await client.put("/api/v1/savings/policy", json={**body, "extra": 1})
        ).status_code == 400
        await savings.record(k, "A-0001", SUKARELA, SETOR, 1_000, date(2026, 5, 1))
        locked = await client.put(
            "/api/v1/savings/policy", json={**body, "sukarela_account": "2-1200"}
        )
        assert locked.status_code == 409
        error = locked.json()["error"]
        assert error["code"] == "savings_account_locked"
        assert "saldo akun baru tidak akan sama" in error["message"]
        assert error["details"][0]["field"] == "sukarela_account"
        for who in (anggota, dinas):
            as_person(client, who)
            assert (await client.get("/api/v1/savings/policy")).status_code == 403
            assert (await client.put("/api/v1/savings/policy", json=body)).status_code == 403
    # Another koperasi's policy is untouched.
    assert (await savings.policy(other_k)).wajib_monthly == 25_000
    assert other_region == region


# The database refuses to change a movement


async def test_the_database_refuses_to_change_or_delete_a_movement(demo: Settings) -> None:
    k, _ = await koperasi()
    await savings.record(k, "A-0001", SUKARELA, SETOR, 10_000, date(2026, 3, 1))
    for sql in (
        "UPDATE savings_movement SET amount = 1",
        "UPDATE savings_movement SET signed_amount = 99999999 WHERE koperasi_id = {}",
        "DELETE FROM savings_movement WHERE koperasi_id = {}",
        "DELETE FROM savings_movement",
    ):
        # sqlite3.IntegrityError or asyncpg's RaiseError: both say why.
        with pytest.raises(Exception) as refused:
            await SavingsMovement.raw(sql, *([k] if "{}" in sql else [])).run()
        assert "savings movements are immutable" in str(refused.value), (sql, refused.value)
    rows = await SavingsMovement.select(SavingsMovement.amount, SavingsMovement.signed_amount)
    assert rows == [{"amount": 10_000, "signed_amount": 10_000}]
    assert await savings.balance(k, (await member_of(k)), SUKARELA) == 10_000


async def member_of(k: int) -> int:
    row = (
        await Member.select(Member.id)
        .where((Member.koperasi == k) & (Member.member_number == "A-0001"))
        .first()
    )
    assert row is not None
    return int(row["id"])
