"""The figures a report is prefilled with, computed from the koperasi's own records for one
period: members (joined, left, at the end), savings balances by kind (the savings
sub-ledger), loans (the loan register; the books' receivable when the register is still
empty), sales and the statements (Neraca at the period's end, PHU of the year to date and
of the period). One dictionary by source key (`forms.SOURCES`), with notes where a figure
is not what its description says (an empty loan register)."""

from __future__ import annotations

from dataclasses import dataclass, field

from piccolo.query.functions.aggregate import Sum

from backend.ledger.statements import Section, neraca, phu
from backend.loans import service as loans
from backend.loans.tables import Loan
from backend.members.tables import Member
from backend.pos.domain import SaleAccounts
from backend.reporting.domain import Period
from backend.savings.domain import SavingsKind
from backend.savings.tables import SavingsMovement
from backend.texts import N_

LOAN_RECEIVABLE = "1-1300"  # Piutang pinjaman anggota, where the loan register posts
LOANS_LISTED = 1_000_000  # every loan in arrears, not a page of them

REGISTER_EMPTY_BOOKS = N_(
    "Register pinjaman Koroena masih kosong: angka ini saldo akun Piutang pinjaman anggota "
    "di pembukuan."
)
REGISTER_EMPTY = N_("Register pinjaman Koroena masih kosong: isi dari catatan koperasi.")


@dataclass(frozen=True)
class Figures:
    values: dict[str, int]  # source key -> figure
    notes: dict[str, str] = field(default_factory=dict)  # source key -> note (N_)


async def _members(koperasi_id: int, period: Period) -> dict[str, int]:
    start, end = period.start, period.end
    mine = Member.koperasi == koperasi_id
    still_in = Member.left_on.is_null() & (Member.status != "keluar")
    at_end = await Member.count().where(
        mine & (Member.joined_on <= end) & (still_in | (Member.left_on > end))
    )
    joined = await Member.count().where(
        mine & (Member.joined_on >= start) & (Member.joined_on <= end)
    )
    left = await Member.count().where(mine & (Member.left_on >= start) & (Member.left_on <= end))
    return {"members.end": at_end, "members.joined": joined, "members.left": left}


async def _savings(koperasi_id: int, period: Period) -> dict[str, int]:
    rows = (
        await SavingsMovement.select(
            SavingsMovement.kind, Sum(SavingsMovement.signed_amount, alias="total")
        )
        .where(
            (SavingsMovement.koperasi == koperasi_id)
            & (SavingsMovement.movement_date <= period.end)
        )
        .group_by(SavingsMovement.kind)
    )
    totals = {str(row["kind"]): int(row["total"] or 0) for row in rows}
    return {f"savings.{kind.value}": totals.get(kind.value, 0) for kind in SavingsKind}


def _line(section: Section, *codes: str) -> int:
    return sum(line.amounts[0] for line in section.lines if line.code in codes)


async def _loans(koperasi_id: int, period: Period, receivable: int) -> Figures:
    start, end = period.start, period.end
    paid_out = Loan.disbursed_on.is_not_null() & (Loan.disbursed_on <= end)
    register = await Loan.exists().where((Loan.koperasi == koperasi_id) & paid_out)
    if not register:
        return Figures(
            {
                "loans.outstanding": receivable,
                "loans.disbursed": 0,
                "loans.arrears": 0,
                "loans.count": 0,
            },
            {
                "loans.outstanding": REGISTER_EMPTY_BOOKS,
                "loans.disbursed": REGISTER_EMPTY,
                "loans.arrears": REGISTER_EMPTY,
                "loans.count": REGISTER_EMPTY,
            },
        )
    summary = await loans.collectibility_summary(koperasi_id, end)
    disbursed = (
        await Loan.select(Sum(Loan.principal, alias="total"))
        .where(
            (Loan.koperasi == koperasi_id)
            & (Loan.disbursed_on >= start)
            & (Loan.disbursed_on <= end)
        )
        .first()
    )
    late = await loans.arrears(koperasi_id, end, limit=LOANS_LISTED)
    return Figures(
        {
            "loans.outstanding": summary.outstanding,
            "loans.disbursed": int((disbursed or {}).get("total") or 0),
            "loans.arrears": sum(row.overdue for row in late),
            "loans.count": summary.loans,
        }
    )


async def figures(koperasi_id: int, period: Period) -> Figures:
    """Every source figure of `period` for the koperasi."""
    position = await neraca(koperasi_id, period.end)
    # This year up to the period's end, and the period itself, in one scan.
    income = await phu(koperasi_id, period.year_start, period.end, (period.start, period.end))
    accounts = SaleAccounts()
    values = {
        **await _members(koperasi_id, period),
        **await _savings(koperasi_id, period),
        "sales.period": sum(
            line.amounts[1]
            for line in income.pendapatan.lines
            if line.code in (accounts.member_sales, accounts.other_sales)
        ),
        "books.revenue_ytd": income.pendapatan.totals[0],
        "books.expenses_ytd": income.beban.totals[0],
        "books.shu_ytd": income.shu[0],
        "books.assets": position.aset.totals[0],
        "books.liabilities": position.kewajiban.totals[0],
        "books.equity": position.ekuitas.totals[0],
    }
    lending = await _loans(koperasi_id, period, _line(position.aset, LOAN_RECEIVABLE))
    return Figures({**values, **lending.values}, dict(lending.notes))
