"""The demo's loans: made through the service after the demo's books, in open periods
only, with a loan repaid on time, loans in arrears, an application and an approved loan in
each lending koperasi; the books stay balanced and the cash box never runs below zero;
loading again makes nothing."""

from __future__ import annotations

from datetime import date

from backend.demo.books import load_demo_books
from backend.ledger.service import trial_balance
from backend.ledger.tables import JournalLine, LedgerAccount
from backend.loans import service as loans
from backend.loans.demo import load_demo_loans
from backend.loans.domain import LoanStatus
from backend.loans.tables import Loan, LoanPayment
from backend.settings import Settings
from backend.tenancy.tables import Koperasi

TODAY = date(2026, 11, 29)


async def test_demo_loans(demo: Settings) -> None:
    assert await load_demo_books(TODAY) > 0
    made = await load_demo_loans(TODAY)
    assert made == 10  # five per lending koperasi
    assert await load_demo_loans(TODAY) == 0
    rows = await Koperasi.select(Koperasi.id, Koperasi.slug).where(
        Koperasi.slug.is_in(["ksp-artha-mandiri", "ksu-bina-usaha-sejahtera"])
    )
    for row in rows:
        k = int(row["id"])
        listed = await loans.list_loans(k, TODAY)
        statuses = sorted(s.status.value for s in listed)
        assert statuses == sorted(["dicairkan"] * 3 + ["diajukan", "disetujui"]), row["slug"]
        # Paid out in the open months only (books are closed before last month).
        assert all(s.disbursed_on >= date(2026, 10, 1) for s in listed if s.disbursed_on)
        late = await loans.arrears(k, TODAY)
        assert len(late) == 2 and all(r.days_past_due > 0 for r in late)
        summary = await loans.collectibility_summary(k, TODAY)
        assert summary.loans == 3 and summary.ppap_required > 0
        on_time = [s for s in listed if s.status is LoanStatus.DICAIRKAN and not s.days_past_due]
        assert len(on_time) == 1
        balances = await trial_balance(k)
        assert sum(b.debit for b in balances) == sum(b.credit for b in balances)
        interest = await loans.interest_paid_by_member(k, date(2026, 1, 1), TODAY)
        assert len(interest) == 2 and all(v > 0 for v in interest.values())
    assert await Loan.count() == 10 and await LoanPayment.count() == 4
    # The cash box never runs below zero on any day, loans included.
    kas = [
        int(r["id"])
        for r in await LedgerAccount.select(LedgerAccount.id).where(
            (LedgerAccount.code == "1-1100")
            & LedgerAccount.koperasi.is_in([int(r["id"]) for r in rows])
        )
    ]
    listed_ids = ", ".join(str(i) for i in kas)
    days = await JournalLine.raw(
        "SELECT account_id, entry_date, SUM(debit - credit) AS net FROM journal_line"
        f" WHERE account_id IN ({listed_ids}) GROUP BY account_id, entry_date"
        " ORDER BY account_id, entry_date"
    ).run()
    running: dict[int, int] = {}
    for day in days:
        running[day["account_id"]] = running.get(day["account_id"], 0) + int(day["net"])
        assert running[day["account_id"]] >= 0, day
