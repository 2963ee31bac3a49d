"""Loans for the demo's savings-and-loan koperasi (KSP Artha Mandiri and KSU Bina Usaha
Sejahtera): three products and, per koperasi, a few loans made through the same service
as real use — applied, approved and paid out, one repaid on time, one paid in part and
late, one never paid (so the arrears list and collectibility show something),
one application waiting for a decision and one approved loan waiting to be paid out.

Dates are relative to `today` and lie in open periods only: the demo's books close every
month before last month, so a loan is paid out no earlier than the first open day (with
the books closed that way, the oldest arrears are a few weeks old and all loans are
"lancar"; run before the close, the same plan starts six months back).

Idempotent: a koperasi that already has loan products is left alone. Call it after the
demo's books (`backend.demo.books.load_demo_books`), which skip a koperasi that already has
journal entries, and after the savings they hold (the limit rule reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backend.ledger.service import trial_balance
from backend.ledger.tables import PeriodClose
from backend.loans import service as loans
from backend.loans.domain import Method, ProductTerms, add_months
from backend.loans.tables import LoanProduct
from backend.members.tables import Member
from backend.tenancy.tables import Koperasi

KOPERASI = ("ksp-artha-mandiri", "ksu-bina-usaha-sejahtera")

PRODUCTS = (
    ProductTerms(
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
    ),
    ProductTerms(
        name="Pinjaman Usaha Produktif",
        method=Method.MENURUN,
        monthly_rate_bp=125,
        min_term_months=6,
        max_term_months=36,
        provisi_bp=100,
        admin_fee=50_000,
        penalty_bp_per_day=10,
        min_amount=2_000_000,
        max_amount=50_000_000,
        savings_multiple_bp=50_000,
    ),
    ProductTerms(
        name="Pinjaman Pendidikan",
        method=Method.ANUITAS,
        monthly_rate_bp=100,
        min_term_months=6,
        max_term_months=24,
        provisi_bp=50,
        admin_fee=0,
        penalty_bp_per_day=5,
        min_amount=1_000_000,
        max_amount=15_000_000,
        savings_multiple_bp=30_000,
    ),
)


@dataclass(frozen=True)
class DemoLoan:
    product: int  # index into PRODUCTS
    principal: int
    term_months: int
    purpose: str
    start_day: int  # days after the plan's first day the loan is paid out
    stage: str  # diajukan | disetujui | tepat_waktu | sebagian | menunggak


PLAN = (
    DemoLoan(0, 2_000_000, 12, "Renovasi warung", 0, "tepat_waktu"),
    DemoLoan(1, 3_000_000, 12, "Modal dagang sayur", 3, "sebagian"),
    DemoLoan(2, 1_200_000, 6, "Biaya sekolah anak", 8, "menunggak"),
    DemoLoan(0, 1_500_000, 6, "Beli mesin jahit", 0, "diajukan"),
    DemoLoan(0, 1_000_000, 3, "Perbaikan motor", 0, "disetujui"),
)


async def _first_open_day(koperasi_id: int, wanted: date) -> date:
    """`wanted`, or the first day after the koperasi's closed months if later."""
    rows = await PeriodClose.select(PeriodClose.period).where(PeriodClose.koperasi == koperasi_id)
    if not rows:
        return wanted
    last = max(str(r["period"]) for r in rows)
    after = add_months(date(int(last[:4]), int(last[5:]), 1), 1)
    return max(wanted, after)


async def _cash(koperasi_id: int, on: date) -> int:
    return next((b.balance for b in await trial_balance(koperasi_id, on) if b.code == "1-1100"), 0)


async def _load(koperasi_id: int, today: date, scale: int) -> int:
    start = await _first_open_day(koperasi_id, add_months(today, -6).replace(day=1))
    if start >= today:
        return 0
    products = [await loans.create_product(koperasi_id, terms) for terms in PRODUCTS]
    members = [
        str(row["member_number"])
        for row in await Member.select(Member.member_number)
        .where((Member.koperasi == koperasi_id) & (Member.status == "aktif"))
        .order_by(Member.member_number)
    ]
    made = 0
    for plan, number in zip(PLAN, members, strict=False):
        principal = plan.principal * scale
        paid_out = min(start + timedelta(days=plan.start_day), today)
        applied = today if plan.stage == "diajukan" else max(paid_out - timedelta(days=3), start)
        product = products[plan.product]
        loan = await loans.apply(
            koperasi_id, number, product.id, principal, plan.term_months, applied, plan.purpose
        )
        made += 1
        if plan.stage == "diajukan":
            continue
        await loans.approve(koperasi_id, loan.number, max(applied, paid_out - timedelta(days=1)))
        if plan.stage == "disetujui":
            continue
        if await _cash(koperasi_id, paid_out) < principal:
            continue  # the demo's cash box could not pay it out: leave it approved
        await loans.disburse(koperasi_id, loan.number, paid_out)
        detail = await loans.loan_detail(koperasi_id, loan.number, today)
        due = [row for row in detail.schedule if row.due_date <= today]
        if plan.stage == "tepat_waktu":
            for row in due:
                await loans.pay(koperasi_id, loan.number, row.total, row.due_date)
        elif plan.stage == "sebagian" and due:
            # A week late, only part of the first installment: still in arrears.
            late = min(due[0].due_date + timedelta(days=7), today)
            await loans.pay(koperasi_id, loan.number, due[0].total * 6 // 10, late)
    return made


async def load_demo_loans(today: date) -> int:
    """Products and loans for the demo's KSP and KSU; returns how many loans were made."""
    rows = await Koperasi.select(Koperasi.id, Koperasi.slug).where(
        Koperasi.slug.is_in(list(KOPERASI))
    )
    made = 0
    for row in sorted(rows, key=lambda r: str(r["slug"])):
        k = int(row["id"])
        if await LoanProduct.exists().where(LoanProduct.koperasi == k):
            continue
        made += await _load(k, today, scale=2 if row["slug"] == "ksp-artha-mandiri" else 1)
    return made
