"""Pure loan rules (DOMAIN.md "Loans"): schedules for the three interest methods, fees, the
limit rule, the split of a payment, the early payoff and the late penalty. No ORM, no HTTP.

Money is whole rupiah (int); rates are integer basis points (`monthly_rate_bp=150` is
"1,5% per bulan", as koperasi quote them); every computation runs in `Decimal` and each
result is rounded once to whole rupiah, half up (`ROUND_HALF_UP`).

Schedule rounding rule (decision 0011): every installment but the last has its principal
part and its interest rounded half up on its own; the last installment takes the rest, so
that the principal parts sum to the principal exactly and the interest sums to the
method's exact total interest rounded half up once:

- flat: interest P x r every month, principal P / n every month; exact total P x r x n.
- declining (menurun): equal principal parts P / n, interest on the outstanding balance;
  exact total P x r x (n + 1) / 2 (the interest of the exact schedule).
- annuity (anuitas): equal totals A = P x r / (1 - (1 + r)^-n), rounded once; interest on
  the outstanding balance, principal = A - interest; exact total n x A - P.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from backend.errors import Conflict, ValidationFailed
from backend.texts import N_

BP = Decimal(10_000)
MAX_TERM_MONTHS = 120
MAX_RATE_BP = 1_000  # 10% a month: anything higher is a typing error
MAX_PROVISI_BP = 1_000
MAX_PENALTY_BP_PER_DAY = 100  # 1% a day
MAX_SAVINGS_MULTIPLE_BP = 1_000_000  # 100 x savings
MAX_AMOUNT = 10**12
MAX_ADMIN_FEE = 10**9


class Method(StrEnum):
    FLAT = "flat"
    MENURUN = "menurun"  # declining balance (bunga efektif)
    ANUITAS = "anuitas"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]


METHOD_LABELS: dict[Method, str] = {
    Method.FLAT: N_("Bunga flat"),
    Method.MENURUN: N_("Bunga menurun"),
    Method.ANUITAS: N_("Anuitas"),
}


class LoanStatus(StrEnum):
    DIAJUKAN = "diajukan"
    DISETUJUI = "disetujui"
    DITOLAK = "ditolak"
    DIBATALKAN = "dibatalkan"
    DICAIRKAN = "dicairkan"
    LUNAS = "lunas"
    DIHAPUSBUKUKAN = "dihapusbukukan"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[LoanStatus, str] = {
    LoanStatus.DIAJUKAN: N_("Diajukan"),
    LoanStatus.DISETUJUI: N_("Disetujui"),
    LoanStatus.DITOLAK: N_("Ditolak"),
    LoanStatus.DIBATALKAN: N_("Dibatalkan"),
    LoanStatus.DICAIRKAN: N_("Berjalan"),
    LoanStatus.LUNAS: N_("Lunas"),
    LoanStatus.DIHAPUSBUKUKAN: N_("Dihapusbukukan"),
}

# Statuses in which the member still owes or may still receive money.
OPEN_STATUSES = frozenset({LoanStatus.DIAJUKAN, LoanStatus.DISETUJUI, LoanStatus.DICAIRKAN})


def to_rupiah(value: Decimal) -> int:
    """Whole rupiah, half up."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rate_of(bp: int) -> Decimal:
    return Decimal(bp) / BP


def part_of(amount: int, bp: int) -> int:
    """`bp` basis points of `amount`, in whole rupiah (half up)."""
    return to_rupiah(Decimal(amount) * Decimal(bp) / BP)


def loan_code(number: int) -> str:
    """Loan numbers as printed: 7 -> `P-000007`."""
    return f"P-{number:06d}"


def payment_code(number: int) -> str:
    """Loan payment receipts as printed: 12 -> `PA-000012`."""
    return f"PA-{number:06d}"


# Due dates


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """The same day `months` later, clamped to the month's end; `anchor_day` (default
    `day.day`) is the day wanted, so 31 Jan -> 29 Feb -> 31 Mar keeps the 31st."""
    anchor = anchor_day or day.day
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor, last))


def due_dates(first_due: date, count: int, anchor_day: int | None = None) -> list[date]:
    """Monthly due dates from `first_due`, each clamped to its month's end."""
    anchor = anchor_day or first_due.day
    return [add_months(first_due, k, anchor) for k in range(count)]


def first_due_date(disbursed_on: date) -> date:
    """The first installment falls due a month after disbursement (same day of month)."""
    return add_months(disbursed_on, 1)


# Schedules


@dataclass(frozen=True)
class Installment:
    number: int
    due_date: date
    principal: int
    interest: int
    total: int
    balance_after: int  # principal still owed after this installment


def check_terms(principal: int, monthly_rate_bp: int, term_months: int) -> None:
    if isinstance(principal, bool) or not isinstance(principal, int) or principal <= 0:
        raise ValidationFailed(
            "amount_invalid", N_("Jumlah pinjaman harus rupiah bulat lebih dari nol."), "principal"
        )
    if principal > MAX_AMOUNT:
        raise ValidationFailed("amount_out_of_range", N_("Jumlah tidak wajar."), "principal")
    if not isinstance(term_months, int) or not 1 <= term_months <= MAX_TERM_MONTHS:
        raise ValidationFailed(
            "term_invalid",
            N_("Jangka waktu harus 1 sampai 120 bulan."),
            "term_months",
        )
    if not isinstance(monthly_rate_bp, int) or not 0 <= monthly_rate_bp <= MAX_RATE_BP:
        raise ValidationFailed(
            "rate_invalid", N_("Bunga per bulan harus 0% sampai 10%."), "monthly_rate_bp"
        )


def annuity_payment(principal: int, monthly_rate_bp: int, term_months: int) -> Decimal:
    """The exact equal installment A = P x r / (1 - (1 + r)^-n) (P / n without interest)."""
    with localcontext() as context:
        context.prec = 50
        r = rate_of(monthly_rate_bp)
        if r == 0:
            return Decimal(principal) / term_months
        return Decimal(principal) * r / (1 - (1 + r) ** -term_months)


def exact_total_interest(
    principal: int, method: Method, monthly_rate_bp: int, term_months: int
) -> Decimal:
    """The method's total interest before any rounding."""
    r, p, n = rate_of(monthly_rate_bp), Decimal(principal), term_months
    if method is Method.FLAT:
        return p * r * n
    if method is Method.MENURUN:
        return p * r * (n + 1) / 2
    with localcontext() as context:
        context.prec = 50
        return annuity_payment(principal, monthly_rate_bp, term_months) * n - p


def schedule(
    principal: int,
    method: Method,
    monthly_rate_bp: int,
    term_months: int,
    first_due: date,
    anchor_day: int | None = None,
) -> list[Installment]:
    """The installments (angsuran) of a loan, exact to the rupiah (see the module's rule)."""
    check_terms(principal, monthly_rate_bp, term_months)
    n, r = term_months, rate_of(monthly_rate_bp)
    dates = due_dates(first_due, n, anchor_day)
    total_interest = to_rupiah(exact_total_interest(principal, method, monthly_rate_bp, n))
    principals: list[int] = []
    interests: list[int] = []
    balance = principal
    if method is Method.ANUITAS:
        payment = to_rupiah(annuity_payment(principal, monthly_rate_bp, n))
        for _ in range(n - 1):
            interest = to_rupiah(Decimal(balance) * r)
            principals.append(payment - interest)
            interests.append(interest)
            balance -= payment - interest
    else:
        part = to_rupiah(Decimal(principal) / n)
        flat_interest = to_rupiah(Decimal(principal) * r)
        for _ in range(n - 1):
            interest = flat_interest if method is Method.FLAT else to_rupiah(Decimal(balance) * r)
            principals.append(part)
            interests.append(interest)
            balance -= part
    principals.append(principal - sum(principals))
    interests.append(total_interest - sum(interests))
    rows = []
    balance = principal
    for k in range(n):
        balance -= principals[k]
        rows.append(
            Installment(
                number=k + 1,
                due_date=dates[k],
                principal=principals[k],
                interest=interests[k],
                total=principals[k] + interests[k],
                balance_after=balance,
            )
        )
    if any(row.principal < 0 or row.interest < 0 or row.balance_after < 0 for row in rows):
        raise ValidationFailed(
            "schedule_not_representable",
            N_(
                "Pinjaman ini terlalu kecil untuk jangka waktu dan bunganya: angsurannya tidak "
                "dapat dibulatkan ke rupiah. Perbesar jumlah atau perpendek jangka waktu."
            ),
            "principal",
        )
    return rows


# Fees and the limit


@dataclass(frozen=True)
class Fees:
    provisi: int
    administrasi: int

    @property
    def total(self) -> int:
        return self.provisi + self.administrasi


def fees_of(principal: int, provisi_bp: int, admin_fee: int) -> Fees:
    """Fees deducted from the money paid out: provisi (a share of the principal, half up)
    and the fixed administration fee."""
    return Fees(provisi=part_of(principal, provisi_bp), administrasi=admin_fee)


def savings_limit(total_savings: int, multiple_bp: int) -> int | None:
    """The most a member may owe under a "multiple of savings" rule (rounded down: a
    ceiling); None when the product has no such rule."""
    if multiple_bp <= 0:
        return None
    limit = (Decimal(max(total_savings, 0)) * Decimal(multiple_bp) / BP).to_integral_value(
        rounding=ROUND_FLOOR
    )
    return int(limit)


@dataclass(frozen=True)
class ProductTerms:
    name: str
    method: Method
    monthly_rate_bp: int
    min_term_months: int
    max_term_months: int
    provisi_bp: int
    admin_fee: int
    penalty_bp_per_day: int
    min_amount: int
    max_amount: int
    savings_multiple_bp: int
    active: bool = True


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_product(terms: ProductTerms) -> ProductTerms:
    """Refuse a loan product the schedules could not serve; returns it with its name tidied."""
    name = " ".join(terms.name.split())
    if not name or len(name) > 100:
        raise ValidationFailed(
            "product_name_invalid", N_("Nama produk wajib diisi (paling banyak 100 huruf)."), "name"
        )
    checks: Sequence[tuple[str, int, int, str]] = (
        ("monthly_rate_bp", 0, MAX_RATE_BP, N_("Bunga per bulan harus 0% sampai 10%.")),
        ("min_term_months", 1, MAX_TERM_MONTHS, N_("Jangka waktu harus 1 sampai 120 bulan.")),
        ("max_term_months", 1, MAX_TERM_MONTHS, N_("Jangka waktu harus 1 sampai 120 bulan.")),
        ("provisi_bp", 0, MAX_PROVISI_BP, N_("Provisi harus 0% sampai 10% dari pinjaman.")),
        ("admin_fee", 0, MAX_ADMIN_FEE, N_("Biaya administrasi tidak wajar.")),
        (
            "penalty_bp_per_day",
            0,
            MAX_PENALTY_BP_PER_DAY,
            N_("Denda harus 0% sampai 1% per hari."),
        ),
        ("min_amount", 1, MAX_AMOUNT, N_("Jumlah pinjaman tidak wajar.")),
        ("max_amount", 1, MAX_AMOUNT, N_("Jumlah pinjaman tidak wajar.")),
        (
            "savings_multiple_bp",
            0,
            MAX_SAVINGS_MULTIPLE_BP,
            N_("Kelipatan simpanan harus 0 sampai 100 kali."),
        ),
    )
    for name_, low, high, message in checks:
        value = getattr(terms, name_)
        if not _whole(value) or not low <= value <= high:
            raise ValidationFailed(f"{name_}_invalid", message, name_)
    if terms.min_term_months > terms.max_term_months:
        raise ValidationFailed(
            "term_range_invalid",
            N_("Jangka waktu terpendek tidak boleh melebihi yang terpanjang."),
            "min_term_months",
        )
    if terms.min_amount > terms.max_amount:
        raise ValidationFailed(
            "amount_range_invalid",
            N_("Jumlah pinjaman terkecil tidak boleh melebihi yang terbesar."),
            "min_amount",
        )
    if fees_of(terms.min_amount, terms.provisi_bp, terms.admin_fee).total >= terms.min_amount:
        raise ValidationFailed(
            "fees_exceed_principal",
            N_("Provisi dan biaya administrasi habis memakan pinjaman terkecil."),
            "admin_fee",
        )
    return replace(terms, name=name)


def check_application(
    terms: ProductTerms,
    principal: int,
    term_months: int,
    *,
    total_savings: int,
    other_open_principal: int,
) -> None:
    """A loan applied for under `terms`: the product is offered, the amount and term within
    its bounds, the fees leave money to pay out, and the member's whole debt (this loan
    plus the principal still owed or approved on other loans) within the savings limit."""
    check_terms(principal, terms.monthly_rate_bp, term_months)
    if not terms.active:
        raise Conflict("product_inactive", N_("Produk pinjaman ini tidak ditawarkan lagi."))
    if not terms.min_term_months <= term_months <= terms.max_term_months:
        raise ValidationFailed(
            "term_out_of_range",
            N_("Jangka waktu di luar ketentuan produk pinjaman ini."),
            "term_months",
        )
    if principal < terms.min_amount:
        raise ValidationFailed(
            "amount_below_minimum",
            N_("Jumlah pinjaman kurang dari batas terkecil produk ini."),
            "principal",
        )
    if principal > terms.max_amount:
        raise Conflict(
            "over_limit", N_("Jumlah pinjaman melebihi batas terbesar produk pinjaman ini.")
        )
    if fees_of(principal, terms.provisi_bp, terms.admin_fee).total >= principal:
        raise ValidationFailed(
            "fees_exceed_principal",
            N_("Provisi dan biaya administrasi habis memakan pinjaman ini."),
            "principal",
        )
    limit = savings_limit(total_savings, terms.savings_multiple_bp)
    if limit is not None and other_open_principal + principal > limit:
        error = Conflict(
            "over_limit",
            N_(
                "Jumlah pinjaman melebihi batas: seluruh pinjaman anggota paling banyak "
                "kelipatan simpanannya sesuai ketentuan produk."
            ),
        )
        error.details = [
            {
                "field": "principal",
                "code": "over_limit",
                "message": error.message,
                "limit": limit,
                "other_loans": other_open_principal,
                "available": max(limit - other_open_principal, 0),
            }
        ]
        raise error


# A disbursed loan and its payments


@dataclass(frozen=True)
class InstallmentState:
    number: int
    due_date: date
    principal: int
    interest: int
    principal_paid: int = 0
    interest_paid: int = 0
    penalty_charged: int = 0
    penalty_paid: int = 0

    @property
    def unpaid_principal(self) -> int:
        return self.principal - self.principal_paid

    @property
    def unpaid_interest(self) -> int:
        return self.interest - self.interest_paid

    @property
    def unpaid_penalty(self) -> int:
        return self.penalty_charged - self.penalty_paid

    @property
    def unpaid(self) -> int:
        """Principal and interest still owed of this installment (without penalty)."""
        return self.unpaid_principal + self.unpaid_interest

    @property
    def paid(self) -> bool:
        return self.unpaid == 0 and self.unpaid_penalty == 0


@dataclass(frozen=True)
class LoanState:
    """A disbursed loan as its payments left it: the schedule with what each installment
    has been paid and charged. `last_payment_on`: the date of the latest payment, up to
    which the late penalty has been charged."""

    principal: int
    penalty_bp_per_day: int
    installments: tuple[InstallmentState, ...]
    last_payment_on: date | None = None

    @property
    def principal_paid(self) -> int:
        return sum(i.principal_paid for i in self.installments)

    @property
    def outstanding_principal(self) -> int:
        return self.principal - self.principal_paid

    @property
    def interest_paid(self) -> int:
        return sum(i.interest_paid for i in self.installments)

    @property
    def unpaid_penalty(self) -> int:
        return sum(i.unpaid_penalty for i in self.installments)

    @property
    def remaining(self) -> int:
        """Everything still owed on the schedule (principal, interest, charged penalty)."""
        return sum(i.unpaid + i.unpaid_penalty for i in self.installments)

    @property
    def settled(self) -> bool:
        return all(i.paid for i in self.installments)

    def next_due(self) -> InstallmentState | None:
        """The oldest installment not yet paid in full."""
        return next((i for i in self.installments if i.unpaid > 0), None)


def state_of(
    principal: int,
    penalty_bp_per_day: int,
    installments: Iterable[Installment],
    paid: Iterable[PaymentSplit] = (),
    last_payment_on: date | None = None,
) -> LoanState:
    """A loan's state from its schedule and the per-installment splits of its payments."""
    sums: dict[int, list[int]] = {}
    for line in paid:
        total = sums.setdefault(line.installment_number, [0, 0, 0, 0])
        total[0] += line.principal
        total[1] += line.interest
        total[2] += line.penalty_charged
        total[3] += line.penalty
    return LoanState(
        principal=principal,
        penalty_bp_per_day=penalty_bp_per_day,
        installments=tuple(
            InstallmentState(
                number=i.number,
                due_date=i.due_date,
                principal=i.principal,
                interest=i.interest,
                principal_paid=sums.get(i.number, [0, 0, 0, 0])[0],
                interest_paid=sums.get(i.number, [0, 0, 0, 0])[1],
                penalty_charged=sums.get(i.number, [0, 0, 0, 0])[2],
                penalty_paid=sums.get(i.number, [0, 0, 0, 0])[3],
            )
            for i in installments
        ),
        last_payment_on=last_payment_on,
    )


def days_late(due: date, on: date, since: date | None = None) -> int:
    """Whole days after the due date (and after `since`, the last payment, up to which the
    penalty was already charged) until `on`."""
    start = max(due, since) if since is not None else due
    return max((on - start).days, 0)


def penalty_due(state: LoanState, on: date) -> dict[int, int]:
    """Late penalty (denda) charged if a payment is made `on`: for every installment past
    its due date, `penalty_bp_per_day` of its unpaid principal and interest for each day
    late since its due date or the last payment (whichever is later), half up; per
    installment number (only those with a penalty)."""
    if state.penalty_bp_per_day <= 0:
        return {}
    charges = {}
    for item in state.installments:
        days = days_late(item.due_date, on, state.last_payment_on)
        if item.unpaid > 0 and days > 0:
            charge = to_rupiah(Decimal(item.unpaid) * Decimal(state.penalty_bp_per_day) * days / BP)
            if charge:
                charges[item.number] = charge
    return charges


def days_past_due(state: LoanState, on: date) -> int:
    """Days since the due date of the oldest installment still unpaid (0 when nothing is
    overdue): the basis of collectibility."""
    late = [(on - i.due_date).days for i in state.installments if i.unpaid > 0 and i.due_date < on]
    return max(late, default=0)


@dataclass(frozen=True)
class PaymentSplit:
    """A payment's effect on one installment."""

    installment_number: int
    penalty_charged: int = 0
    penalty: int = 0
    interest: int = 0
    principal: int = 0

    @property
    def paid(self) -> int:
        return self.penalty + self.interest + self.principal


@dataclass(frozen=True)
class Allocation:
    paid_on: date
    amount: int
    penalty: int
    interest: int
    principal: int
    penalty_charged: int
    lines: tuple[PaymentSplit, ...]
    waived_interest: int  # future interest a payoff does not collect
    owed_before: int  # everything owed on the schedule that day, penalty included
    after: LoanState = field(repr=False)

    @property
    def settles(self) -> bool:
        """Whether nothing is owed after it (a payoff leaves only the waived interest)."""
        return self.after.outstanding_principal == 0 and (
            self.after.remaining == self.waived_interest
        )


def _check_date(state: LoanState, on: date, disbursed_on: date) -> None:
    if on < disbursed_on:
        raise ValidationFailed(
            "payment_before_disbursement",
            N_("Tanggal pembayaran tidak boleh sebelum tanggal pencairan."),
            "paid_on",
        )
    if state.last_payment_on is not None and on < state.last_payment_on:
        raise ValidationFailed(
            "payment_before_last",
            N_("Tanggal pembayaran tidak boleh sebelum pembayaran terakhir pinjaman ini."),
            "paid_on",
        )


def _charged(state: LoanState, on: date) -> tuple[LoanState, dict[int, int]]:
    charges = penalty_due(state, on)
    items = tuple(
        replace(i, penalty_charged=i.penalty_charged + charges.get(i.number, 0))
        for i in state.installments
    )
    return replace(state, installments=items), charges


def _allocation(
    state: LoanState,
    charged: LoanState,
    charges: dict[int, int],
    on: date,
    wanted: dict[int, tuple[int, int, int]],
    waived: int,
) -> Allocation:
    """Apply `wanted` (installment -> penalty, interest, principal paid) to `charged`."""
    lines = []
    items = []
    for item in charged.installments:
        penalty, interest, principal = wanted.get(item.number, (0, 0, 0))
        charge = charges.get(item.number, 0)
        if penalty or interest or principal or charge:
            lines.append(PaymentSplit(item.number, charge, penalty, interest, principal))
        items.append(
            replace(
                item,
                penalty_paid=item.penalty_paid + penalty,
                interest_paid=item.interest_paid + interest,
                principal_paid=item.principal_paid + principal,
            )
        )
    after = replace(charged, installments=tuple(items), last_payment_on=on)
    return Allocation(
        paid_on=on,
        amount=sum(line.paid for line in lines),
        penalty=sum(line.penalty for line in lines),
        interest=sum(line.interest for line in lines),
        principal=sum(line.principal for line in lines),
        penalty_charged=sum(charges.values()),
        lines=tuple(lines),
        waived_interest=waived,
        owed_before=charged.remaining,
        after=after,
    )


def allocate(state: LoanState, amount: int, on: date, disbursed_on: date) -> Allocation:
    """Split a payment: first the late penalty charged up to `on`, then installment by
    installment, oldest first, its penalty, its interest, then its principal (paying ahead
    into installments not yet due is allowed). Refuses zero, negative and more than
    everything still owed."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed(
            "amount_invalid", N_("Jumlah harus rupiah bulat lebih dari nol."), "amount"
        )
    _check_date(state, on, disbursed_on)
    charged, charges = _charged(state, on)
    owed = charged.remaining
    if amount > owed:
        error = Conflict(
            "overpayment",
            N_("Jumlah pembayaran melebihi seluruh sisa kewajiban pinjaman ini."),
        )
        error.details = [
            {"field": "amount", "code": "overpayment", "message": error.message, "owed": owed}
        ]
        raise error
    left = amount
    wanted: dict[int, tuple[int, int, int]] = {}
    for item in charged.installments:
        if left == 0:
            break
        penalty = min(left, item.unpaid_penalty)
        left -= penalty
        interest = min(left, item.unpaid_interest)
        left -= interest
        principal = min(left, item.unpaid_principal)
        left -= principal
        if penalty or interest or principal:
            wanted[item.number] = (penalty, interest, principal)
    return _allocation(state, charged, charges, on, wanted, waived=0)


def payoff(state: LoanState, on: date, disbursed_on: date) -> Allocation:
    """Early payoff (pelunasan dipercepat) on `on`: every penalty charged, the interest of
    installments already due (due date on or before `on`) and not paid, and all the
    principal still owed. The interest of installments not yet due is waived."""
    _check_date(state, on, disbursed_on)
    charged, charges = _charged(state, on)
    wanted = {}
    waived = 0
    for item in charged.installments:
        due = item.due_date <= on
        interest = item.unpaid_interest if due else 0
        waived += 0 if due else item.unpaid_interest
        if item.unpaid_penalty or interest or item.unpaid_principal:
            wanted[item.number] = (item.unpaid_penalty, interest, item.unpaid_principal)
    if not wanted:
        raise Conflict("nothing_owed", N_("Pinjaman ini tidak memiliki sisa kewajiban."))
    return _allocation(state, charged, charges, on, wanted, waived)


def due_by(state: LoanState, on: date) -> int:
    """What must be paid by `on` to be up to date: principal and interest of installments
    due on or before that day, and the penalty charged if paid that day."""
    charged, _ = _charged(state, on)
    return sum(
        i.unpaid + i.unpaid_penalty if i.due_date <= on else i.unpaid_penalty
        for i in charged.installments
    )


def penalty_if_paid(state: LoanState, on: date) -> int:
    """The late penalty owed if a payment is made `on`: what was charged and not paid, and
    what would be charged that day."""
    return state.unpaid_penalty + sum(penalty_due(state, on).values())
