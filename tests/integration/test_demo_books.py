"""The demo's year of books: every koperasi's statements balance and agree with each other,
cash never runs below zero, members fall behind on wajib as the demo intends, and loading
it again posts nothing."""

from __future__ import annotations

from datetime import date

from backend.demo.books import load_demo_books
from backend.ledger.cashflow import arus_kas
from backend.ledger.service import trial_balance
from backend.ledger.statements import neraca, phu
from backend.ledger.tables import JournalLine, LedgerAccount
from backend.savings.service import member_savings
from backend.settings import Settings
from backend.tenancy.tables import Koperasi

TODAY = date(2026, 11, 29)


async def test_demo_books_balance_and_load_once(demo: Settings) -> None:
    posted = await load_demo_books(TODAY)
    assert posted > 700
    assert await load_demo_books(TODAY) == 0
    for row in await Koperasi.select(Koperasi.id, Koperasi.slug):
        k = row["id"]
        sheet = await neraca(k, TODAY, compare_as_of=date(2025, 12, 31))
        assert sheet.balanced, row["slug"]
        balances = await trial_balance(k)
        assert sum(b.debit for b in balances) == sum(b.credit for b in balances)
        year = await phu(k, date(2026, 1, 1), TODAY)
        flows = await arus_kas(k, date(2026, 1, 1), TODAY)
        cash = {line.code: line.amounts[0] for line in sheet.aset.lines}
        assert flows.closing_cash == [cash["1-1100"] + cash["1-1200"]]
        assert flows.sections[0].lines[0].amounts == year.shu
    # Cash in hand never goes below zero on any day in any koperasi.
    kas_ids = [
        r["id"]
        for r in await LedgerAccount.select(LedgerAccount.id).where(LedgerAccount.code == "1-1100")
    ]
    listed = ", ".join(str(i) for i in kas_ids)
    rows = await JournalLine.raw(
        "SELECT account_id, entry_date, SUM(debit - credit) AS net FROM journal_line"
        f" WHERE account_id IN ({listed}) GROUP BY account_id, entry_date"
        " ORDER BY account_id, entry_date"
    ).run()
    running: dict[int, int] = {}
    for r in rows:
        running[r["account_id"]] = running.get(r["account_id"], 0) + int(r["net"])
        assert running[r["account_id"]] >= 0, r

    srikandi = await Koperasi.select(Koperasi.id).where(Koperasi.slug == "kopwan-srikandi").first()
    assert srikandi is not None
    behind = [
        (await member_savings(srikandi["id"], number, TODAY)).wajib_arrears
        for number in ("A-0001", "A-0002", "A-0003", "A-0004")
    ]
    assert 75_000 in behind  # three months unpaid
