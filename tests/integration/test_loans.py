"""Loans on both engines: the whole life cycle (application over and within the savings
limit, approval, disbursement with fees, payments on time and late, a reversal, the early
payoff) with every journal entry checked against the books; write-off with the reserve;
collectibility, PPAP and RPM; the arrears list; refusals write nothing; a member with an
open loan cannot leave; the interest each member paid (the SHU's contract)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from backend.errors import AppError
from backend.ledger import service as ledger
from backend.ledger.tables import JournalEntry
from backend.loans import service as loans
from backend.loans.domain import LoanStatus, Method, ProductTerms
from backend.loans.tables import Loan, LoanInstallment, LoanPayment, LoanPaymentReversal
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.settings import Settings
from backend.tenancy.tables import Koperasi

KSP = "ksp-artha-mandiri"

FLAT = ProductTerms(
    name="Pinjaman Umum",
    method=Method.FLAT,
    monthly_rate_bp=150,
    min_term_months=3,
    max_term_months=24,
    provisi_bp=100,
    admin_fee=25_000,
    penalty_bp_per_day=10,
    min_amount=500_000,
    max_amount=20_000_000,
    savings_multiple_bp=30_000,
)


async def koperasi(slug: str = KSP) -> int:
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == slug).first()
    assert row is not None
    return int(row["id"])


async def member_id(k: int, number: str) -> int:
    row = (
        await Member.select(Member.id)
        .where((Member.koperasi == k) & (Member.member_number == number))
        .first()
    )
    assert row is not None
    return int(row["id"])


async def counts() -> tuple[int, ...]:
    return (
        await Loan.count(),
        await LoanInstallment.count(),
        await LoanPayment.count(),
        await LoanPaymentReversal.count(),
        await JournalEntry.count(),
    )


async def refuse(code: str, coro: Any) -> AppError:
    before = (await counts(), [(r["status"]) for r in await Loan.select(Loan.status)])
    with pytest.raises(AppError) as error:
        await coro
    assert error.value.code == code, error.value
    assert (await counts(), [(r["status"]) for r in await Loan.select(Loan.status)]) == before
    return error.value


async def books(k: int) -> dict[str, int]:
    balances = await ledger.trial_balance(k)
    assert sum(b.debit for b in balances) == sum(b.credit for b in balances)
    return {b.code: b.balance for b in balances}


async def entry_lines(k: int, number: int) -> list[tuple[str, int, int]]:
    _, lines = await ledger.entry_lines(k, number)
    return sorted((line.account_code, line.debit, line.credit) for line in lines)


async def save(k: int, number: str, day: date, pokok: int, wajib: int, sukarela: int) -> None:
    for kind, amount in (
        (SavingsKind.POKOK, pokok),
        (SavingsKind.WAJIB, wajib),
        (SavingsKind.SUKARELA, sukarela),
    ):
        await savings.record(k, number, kind, Movement.SETOR, amount, day)


async def test_life_cycle_and_books(demo: Settings) -> None:
    k = await koperasi()
    member = await member_id(k, "A-0001")
    product = await loans.create_product(k, FLAT)
    assert product.name == "Pinjaman Umum" and product.active
    await refuse("product_name_taken", loans.create_product(k, FLAT))
    # Savings 1.000.000: three times that is the most the member may owe.
    await save(k, "A-0001", date(2026, 3, 1), 100_000, 400_000, 500_000)
    day = date(2026, 3, 2)
    error = await refuse("over_limit", loans.apply(k, "A-0001", product.id, 3_000_001, 12, day))
    assert error.details[0]["limit"] == 3_000_000
    await refuse("term_out_of_range", loans.apply(k, "A-0001", product.id, 1_000_000, 36, day))
    shown = await loans.preview(k, product.id, 2_400_000, 12, day, "A-0001")
    assert shown.limit is not None and shown.limit.available == 3_000_000
    assert (shown.fees, shown.net_disbursed, shown.total_interest) == (49_000, 2_351_000, 432_000)

    applied = await loans.apply(k, "A-0001", product.id, 2_400_000, 12, day, "Modal warung")
    assert (applied.number, applied.code, applied.status) == (1, "P-000001", LoanStatus.DIAJUKAN)
    # A second application would pass the limit together with the first.
    await refuse("over_limit", loans.apply(k, "A-0001", product.id, 700_000, 6, day))
    detail = await loans.loan_detail(k, 1, day)
    assert detail.preview and len(detail.schedule) == 12
    assert detail.schedule[0].total == 236_000  # 200.000 principal + 36.000 interest
    assert await loans.has_open_loans(k, member)
    # A product change after the application does not touch the loan's terms.
    await loans.update_product(
        k, product.id, ProductTerms(**{**FLAT.__dict__, "monthly_rate_bp": 200})
    )
    await refuse("loan_status_invalid", loans.disburse(k, 1, date(2026, 3, 5)))
    await refuse("date_before_application", loans.approve(k, 1, date(2026, 3, 1), "terlalu dini"))
    approved = await loans.approve(k, 1, date(2026, 3, 3), "Jaminan BPKB")
    assert approved.status is LoanStatus.DISETUJUI
    await refuse("loan_status_invalid", loans.approve(k, 1, date(2026, 3, 3)))

    # Disbursement: 1% provisi (24.000) and 25.000 administrasi kept back.
    paid_out = await loans.disburse(k, 1, date(2026, 3, 5))
    assert (paid_out.fees, paid_out.net_disbursed) == (49_000, 2_351_000)
    assert paid_out.first_due == date(2026, 4, 5) and paid_out.installment == 236_000
    assert await entry_lines(k, paid_out.entry_number) == [
        ("1-1100", 0, 2_351_000),
        ("1-1300", 2_400_000, 0),
        ("4-1110", 0, 49_000),
    ]
    detail = await loans.loan_detail(k, 1, date(2026, 3, 5))
    assert not detail.preview and detail.loan.status is LoanStatus.DICAIRKAN
    assert detail.loan.monthly_rate_bp == 150  # the terms it was applied for
    assert detail.loan.next_due_date == date(2026, 4, 5)
    assert [r.due_date.month for r in detail.schedule] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]

    # On time: interest then principal.
    first = await loans.pay(k, 1, 236_000, date(2026, 4, 5))
    assert first.receipt == "PA-000001"
    assert (first.plan.penalty, first.plan.interest, first.plan.principal) == (0, 36_000, 200_000)
    assert await entry_lines(k, first.entry_number) == [
        ("1-1100", 236_000, 0),
        ("1-1300", 0, 200_000),
        ("4-1100", 0, 36_000),
    ]
    # Ten days late: 236.000 x 0,1% x 10 = 2.360 penalty first.
    plan = await loans.plan_payment(k, 1, 100_000, date(2026, 5, 15))
    assert (plan.penalty, plan.interest, plan.principal) == (2_360, 36_000, 61_640)
    second = await loans.pay(k, 1, 100_000, date(2026, 5, 15))
    assert second.plan == plan
    assert await entry_lines(k, second.entry_number) == [
        ("1-1100", 100_000, 0),
        ("1-1300", 0, 61_640),
        ("4-1100", 0, 36_000),
        ("4-1120", 0, 2_360),
    ]
    held = await books(k)
    assert held["1-1300"] == 2_400_000 - 200_000 - 61_640
    assert (held["4-1100"], held["4-1110"], held["4-1120"]) == (72_000, 49_000, 2_360)
    assert held["1-1100"] == 1_000_000 - 2_351_000 + 236_000 + 100_000
    assert await loans.interest_paid_by_member(k, date(2026, 1, 1), date(2026, 12, 31)) == {
        member: 72_000
    }
    assert await loans.interest_paid_by_member(k, date(2026, 5, 1), date(2026, 5, 31)) == {
        member: 36_000
    }
    assert await loans.interest_paid_by_member(k, date(2026, 6, 1), date(2026, 12, 31)) == {}

    # Refused payments write nothing.
    error = await refuse("overpayment", loans.pay(k, 1, 10**9, date(2026, 5, 16)))
    assert error.details[0]["owed"] > 2_000_000
    await refuse("amount_invalid", loans.pay(k, 1, 0, date(2026, 5, 16)))
    await refuse("payment_before_last", loans.pay(k, 1, 1_000, date(2026, 5, 14)))
    await refuse("loan_not_found", loans.pay(k, 99, 1_000, date(2026, 5, 16)))
    # A member with an open loan cannot leave.
    before = await Member.select(Member.status).where(Member.id == member).first()
    await refuse("open_loans", savings.exit_member(k, "A-0001", date(2026, 5, 20)))
    assert await Member.select(Member.status).where(Member.id == member).first() == before

    # The late payment was a mistake: only the latest may be taken back, with a reason.
    await refuse("payment_not_latest", loans.reverse_payment(k, 1, 1, date(2026, 5, 16), "x"))
    await refuse("reason_required", loans.reverse_payment(k, 1, 2, date(2026, 5, 16), " "))
    back = await loans.reverse_payment(k, 1, 2, date(2026, 5, 16), "Salah catat jumlah")
    assert back.status is LoanStatus.DICAIRKAN
    assert await entry_lines(k, back.entry_number) == [
        ("1-1100", 0, 100_000),
        ("1-1300", 61_640, 0),
        ("4-1100", 36_000, 0),
        ("4-1120", 2_360, 0),
    ]
    await refuse("payment_already_reversed", loans.reverse_payment(k, 1, 2, date(2026, 5, 16), "x"))
    assert await loans.interest_paid_by_member(k, date(2026, 1, 1), date(2026, 12, 31)) == {
        member: 36_000
    }
    detail = await loans.loan_detail(k, 1, date(2026, 5, 16))
    assert [p.reversed for p in detail.payments] == [True, False]
    assert detail.principal_paid == 200_000 and detail.loan.outstanding == 2_200_000

    # Early payoff on 16 May: principal 2.200.000, installment 2's interest (due 5 May)
    # 36.000 and its penalty 236.000 x 0,1% x 11 days = 2.596; ten future interests waived.
    quote = await loans.plan_payment(k, 1, 0, date(2026, 5, 16), kind="pelunasan")
    assert (quote.amount, quote.penalty, quote.interest, quote.principal) == (
        2_238_596,
        2_596,
        36_000,
        2_200_000,
    )
    assert quote.waived_interest == 360_000 and quote.settles
    done = await loans.pay(k, 1, 0, date(2026, 5, 16), kind="pelunasan")
    assert done.plan.amount == 2_238_596
    detail = await loans.loan_detail(k, 1, date(2026, 5, 16))
    assert detail.loan.status is LoanStatus.LUNAS and detail.loan.closed_on == date(2026, 5, 16)
    assert detail.loan.outstanding == 0
    assert {r.state for r in detail.schedule[2:]} == {"dibebaskan"}
    assert (await books(k))["1-1300"] == 0
    await refuse("loan_not_active", loans.pay(k, 1, 1_000, date(2026, 5, 17)))
    assert not await loans.has_open_loans(k, member)
    # Now the member may leave.
    left = await savings.exit_member(k, "A-0001", date(2026, 5, 20))
    assert left.total == 1_000_000


async def test_other_ways_an_application_ends(demo: Settings) -> None:
    k = await koperasi()
    product = await loans.create_product(
        k, ProductTerms(**{**FLAT.__dict__, "savings_multiple_bp": 0})
    )
    day = date(2026, 6, 1)
    for number in ("A-0002", "A-0003", "A-0004"):
        await loans.apply(k, number, product.id, 1_000_000, 6, day)
    assert (await loans.reject(k, 1, day, "Usaha belum jalan")).status is LoanStatus.DITOLAK
    assert (await loans.cancel(k, 2, day)).status is LoanStatus.DIBATALKAN
    await loans.approve(k, 3, day)
    other = await member_id(k, "A-0002")
    # A member may withdraw only their own application, and only before a decision.
    await refuse("loan_not_found", loans.cancel(k, 3, day, member_id=other))
    member3 = await member_id(k, "A-0004")
    await refuse("loan_status_invalid", loans.cancel(k, 3, day, member_id=member3))
    assert (await loans.cancel(k, 3, day)).status is LoanStatus.DIBATALKAN
    await refuse("loan_status_invalid", loans.disburse(k, 3, day))
    assert not await loans.has_open_loans(k, member3)
    # An inactive member may not apply; another koperasi's member is unknown here.
    inactive = (
        await Member.select(Member.member_number)
        .where((Member.koperasi == k) & (Member.status != "aktif"))
        .first()
    )
    assert inactive is not None
    await refuse(
        "member_inactive", loans.apply(k, inactive["member_number"], product.id, 1_000_000, 6, day)
    )
    srikandi = await koperasi("kopwan-srikandi")
    await Member.update({Member.member_number: "X-0001"}).where(
        (Member.koperasi == srikandi) & (Member.member_number == "A-0001")
    )
    await refuse("member_not_found", loans.apply(k, "X-0001", product.id, 1_000_000, 6, day))
    # Nor are this koperasi's products and loans reachable from the other.
    await refuse(
        "product_not_found", loans.apply(srikandi, "X-0001", product.id, 1_000_000, 6, day)
    )
    await refuse("loan_not_found", loans.approve(srikandi, 1, day))
    assert await loans.list_loans(srikandi, day) == []
    assert [s.code for s in await loans.list_loans(k, day)] == ["P-000003", "P-000002", "P-000001"]
    found = await loans.list_loans(k, day, statuses=[LoanStatus.DITOLAK], member_number="A-0002")
    assert [s.number for s in found] == [1]


async def test_collectibility_ppap_arrears_and_write_off(demo: Settings) -> None:
    k = await koperasi()
    free = ProductTerms(**{**FLAT.__dict__, "method": Method.MENURUN, "savings_multiple_bp": 0})
    product = await loans.create_product(k, free)
    # Loan 1: 1.200.000 for 12 months, paid out 10 Jan 2025, never paid.
    await loans.apply(k, "A-0001", product.id, 1_200_000, 12, date(2025, 1, 6))
    await loans.approve(k, 1, date(2025, 1, 8))
    await loans.disburse(k, 1, date(2025, 1, 10))
    # Loan 2: 2.000.000 for 10 months, paid out 1 Feb 2026, first installment paid.
    await loans.apply(k, "A-0002", product.id, 2_000_000, 10, date(2026, 1, 28))
    await loans.approve(k, 2, date(2026, 1, 29))
    await loans.disburse(k, 2, date(2026, 2, 1))
    await loans.pay(k, 2, 230_000, date(2026, 3, 1))  # 200.000 + 30.000 interest
    # Loan 3: approved, not paid out: no part of collectibility.
    await loans.apply(k, "A-0003", product.id, 1_000_000, 6, date(2026, 2, 1))
    await loans.approve(k, 3, date(2026, 2, 2))

    on = date(2026, 3, 2)
    summary = await loans.collectibility_summary(k, on)
    by_class = {c.code: (c.loans, c.outstanding) for c in summary.classes}
    # Loan 1's oldest unpaid installment fell due 10 Feb 2025: 385 days -> macet.
    assert by_class == {
        "lancar": (1, 1_800_000),
        "kurang_lancar": (0, 0),
        "diragukan": (0, 0),
        "macet": (1, 1_200_000),
    }
    # PPAP: 0,5% x 1.800.000 = 9.000 + 100% x 1.200.000; RPM: 100% of macet.
    assert await loans.ppap_required(k, on) == 1_209_000 == summary.ppap_required
    assert await loans.rpm(k, on) == 1_200_000
    # On earlier days the same loans were in other classes.
    earlier = {
        day: {c.code: c.outstanding for c in (await loans.collectibility_summary(k, day)).classes}
        for day in (date(2025, 5, 11), date(2025, 5, 12), date(2025, 2, 10))
    }
    assert earlier[date(2025, 5, 11)]["lancar"] == 1_200_000  # 90 days past due
    assert earlier[date(2025, 5, 12)]["kurang_lancar"] == 1_200_000  # 91
    assert earlier[date(2025, 2, 10)]["lancar"] == 1_200_000  # due that day: not late

    rows = await loans.arrears(k, on)
    assert [(r.loan_code, r.days_past_due, r.collectibility) for r in rows] == [
        ("P-000001", 385, "macet")
    ]
    # Due and unpaid: all twelve installments (1.200.000 + interest 1,5% x 1.200.000 x 13 / 2
    # = 117.000); the penalty is 0,1% a day of each installment's amount since its due date.
    assert rows[0].overdue == 1_317_000 and rows[0].outstanding == 1_200_000
    assert rows[0].penalty > 0 and rows[0].amount_due == rows[0].overdue + rows[0].penalty

    posted = await loans.post_ppap(k, on)
    assert (posted.required, posted.booked_before, posted.adjustment) == (1_209_000, 0, 1_209_000)
    assert await entry_lines(k, posted.entry_number) == [  # type: ignore[arg-type]
        ("1-1390", 0, 1_209_000),
        ("5-2200", 1_209_000, 0),
    ]
    assert await loans.ppap_booked(k, on) == 1_209_000
    await refuse("ppap_up_to_date", loans.post_ppap(k, on))

    # Write-off of loan 1: taken from the reserve, which covers it all.
    gone = await loans.write_off(k, 1, on, "Anggota pindah, tidak dapat ditagih")
    assert (gone.written_off, gone.from_reserve, gone.expensed) == (1_200_000, 1_200_000, 0)
    assert await entry_lines(k, gone.entry_number) == [  # type: ignore[arg-type]
        ("1-1300", 0, 1_200_000),
        ("1-1390", 1_200_000, 0),
    ]
    await refuse("loan_written_off", loans.pay(k, 1, 10_000, on))
    await refuse("loan_written_off", loans.write_off(k, 1, on))
    await refuse("loan_written_off", loans.plan_payment(k, 1, 10_000, on))
    detail = await loans.loan_detail(k, 1, on)
    assert detail.loan.status is LoanStatus.DIHAPUSBUKUKAN and detail.written_off == 1_200_000
    assert await loans.arrears(k, on) == []
    # What is left in the reserve is what loan 2 needs.
    await refuse("ppap_up_to_date", loans.post_ppap(k, on))
    # Loan 2's next installment paid (principal 200.000 + interest 1,5% x 1.800.000): it
    # needs less, 0,5% x 1.600.000 = 8.000, and the reserve releases 1.000.
    await loans.pay(k, 2, 227_000, date(2026, 4, 1))
    on = date(2026, 4, 1)
    released = await loans.post_ppap(k, on)
    assert (released.required, released.adjustment) == (8_000, -1_000)
    assert await entry_lines(k, released.entry_number) == [  # type: ignore[arg-type]
        ("1-1390", 1_000, 0),
        ("5-2200", 0, 1_000),
    ]
    # A write-off beyond the reserve is an expense.
    gone = await loans.write_off(k, 2, on)
    assert (gone.written_off, gone.from_reserve, gone.expensed) == (1_600_000, 8_000, 1_592_000)
    held = await books(k)
    assert held["1-1300"] == 0 and held["1-1390"] == 0
    assert held["5-2200"] == 1_209_000 - 1_000 + 1_592_000
    summary = await loans.collectibility_summary(k, on)
    assert summary.outstanding == 0 and summary.ppap_required == 0
    # Seen from before the write-offs, the loans were still there.
    assert (await loans.collectibility_summary(k, date(2026, 3, 1))).outstanding == 3_000_000
    assert (await loans.collectibility_summary(k, date(2026, 3, 31))).outstanding == 1_800_000
