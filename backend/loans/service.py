"""Loan use cases. Every money event (disbursement, payment, payoff, payment reversal,
write-off, PPAP) posts its journal entry through `ledger.service.post_entry` in the same
transaction as its loan records, with journal source "loan"; balances and the interest
paid are SQL sums of the payments. Every query is scoped by `koperasi_id`.

Accounts (the default chart): 1-1100 Kas, 1-1300 Piutang pinjaman anggota, 1-1390 PPAP
(contra asset), 4-1100 jasa pinjaman, 4-1110 provisi dan administrasi, 4-1120 denda,
5-2200 beban penyisihan piutang tak tertagih."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from backend.accounts import audit
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.ledger.domain import Line, reversal_of
from backend.ledger.service import post_entry
from backend.ledger.tables import JournalLine
from backend.loans import collectibility, domain
from backend.loans.domain import (
    Allocation,
    Installment,
    LoanState,
    LoanStatus,
    Method,
    PaymentSplit,
    ProductTerms,
    allocate,
    check_application,
    check_product,
    days_past_due,
    due_by,
    fees_of,
    first_due_date,
    loan_code,
    payment_code,
    payoff,
    penalty_if_paid,
    savings_limit,
    schedule,
    state_of,
)
from backend.loans.tables import (
    Loan,
    LoanInstallment,
    LoanPayment,
    LoanPaymentLine,
    LoanPaymentReversal,
    LoanProduct,
)
from backend.members.domain import MemberStatus
from backend.members.tables import Member
from backend.savings import service as savings
from backend.tenancy.tables import Koperasi
from backend.texts import N_

SOURCE = "loan"
CASH = "1-1100"
RECEIVABLE = "1-1300"
PPAP = "1-1390"
INTEREST_INCOME = "4-1100"
FEE_INCOME = "4-1110"
PENALTY_INCOME = "4-1120"
LOSS_EXPENSE = "5-2200"

# Loans that still bind a member to the koperasi: an application not yet decided, an
# approved loan not yet paid out, a loan being repaid.
OPEN_STATUSES = tuple(sorted(status.value for status in domain.OPEN_STATUSES))
LIST_MAX = 500
KIND_LABELS = {"angsuran": N_("Angsuran"), "pelunasan": N_("Pelunasan")}


# The contract other contexts use (SHU, member exit)


async def interest_paid_by_member(koperasi_id: int, since: date, until: date) -> dict[int, int]:
    """member_id -> the loan interest (jasa pinjaman) the member paid in payments dated
    `since`..`until` inclusive; reversed payments do not count. Members who paid none are
    absent. (The SHU's jasa usaha of a savings-and-loan koperasi.)"""
    rows = await LoanPayment.raw(
        "SELECT l.member_id AS member_id, SUM(p.interest) AS interest"
        " FROM loan_payment p JOIN loan l ON l.id = p.loan_id AND l.koperasi_id = p.koperasi_id"
        " WHERE p.koperasi_id = {} AND p.paid_on >= {} AND p.paid_on <= {}"
        " AND NOT EXISTS (SELECT 1 FROM loan_payment_reversal r"
        " WHERE r.koperasi_id = p.koperasi_id AND r.payment_id = p.id)"
        " GROUP BY l.member_id",
        koperasi_id,
        since,
        until,
    ).run()
    return {
        int(row["member_id"]): int(row["interest"]) for row in rows if int(row["interest"] or 0)
    }


async def has_open_loans(koperasi_id: int, member_id: int) -> bool:
    """Whether the member has a loan application, an approved loan or a loan still being
    repaid in the koperasi (a member who owes cannot leave)."""
    return bool(
        await Loan.exists().where(
            (Loan.koperasi == koperasi_id)
            & (Loan.member == member_id)
            & Loan.status.is_in(list(OPEN_STATUSES))
        )
    )


# Helpers


def _as_date(value: object) -> date:
    # SQLite hands raw query dates back as ISO text; PostgreSQL as dates.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _maybe_date(value: object) -> date | None:
    return None if value is None else _as_date(value)


async def _lock(koperasi_id: int) -> None:
    """Loan writes of one koperasi take turns (PostgreSQL: the koperasi row, the lock
    `post_entry` takes too; SQLite's IMMEDIATE transaction serialises every writer), so a
    limit check, a state read and the next number hold until the commit."""
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


@dataclass(frozen=True)
class Who:
    """Who acts, for the records and the audit log."""

    user_id: int | None = None
    region_id: int | None = None
    ip: str = ""


NOBODY = Who()


async def _audit(action: str, koperasi_id: int, who: Who, **detail: Any) -> None:
    await audit.record(
        action,
        actor_id=who.user_id,
        region_id=who.region_id,
        koperasi_id=koperasi_id,
        ip=who.ip,
        **detail,
    )


# Products


@dataclass(frozen=True)
class ProductView:
    id: int
    name: str
    method: Method
    method_label: str
    monthly_rate_bp: int
    min_term_months: int
    max_term_months: int
    provisi_bp: int
    admin_fee: int
    penalty_bp_per_day: int
    min_amount: int
    max_amount: int
    savings_multiple_bp: int
    active: bool


_PRODUCT_FIELDS = (
    "name",
    "method",
    "monthly_rate_bp",
    "min_term_months",
    "max_term_months",
    "provisi_bp",
    "admin_fee",
    "penalty_bp_per_day",
    "min_amount",
    "max_amount",
    "savings_multiple_bp",
    "active",
)


def _product_view(row: dict[str, Any]) -> ProductView:
    method = Method(row["method"])
    return ProductView(
        id=int(row["id"]),
        name=str(row["name"]),
        method=method,
        method_label=method.label,
        monthly_rate_bp=int(row["monthly_rate_bp"]),
        min_term_months=int(row["min_term_months"]),
        max_term_months=int(row["max_term_months"]),
        provisi_bp=int(row["provisi_bp"]),
        admin_fee=int(row["admin_fee"]),
        penalty_bp_per_day=int(row["penalty_bp_per_day"]),
        min_amount=int(row["min_amount"]),
        max_amount=int(row["max_amount"]),
        savings_multiple_bp=int(row["savings_multiple_bp"]),
        active=bool(row["active"]),
    )


def _terms(view: ProductView) -> ProductTerms:
    return ProductTerms(**{name: getattr(view, name) for name in _PRODUCT_FIELDS})


async def products(koperasi_id: int, *, active_only: bool = False) -> list[ProductView]:
    query = LoanProduct.select().where(LoanProduct.koperasi == koperasi_id)
    if active_only:
        query = query.where(LoanProduct.active.eq(True))
    return [_product_view(row) for row in await query.order_by(LoanProduct.name)]


async def product(koperasi_id: int, product_id: int) -> ProductView:
    row = (
        await LoanProduct.select()
        .where((LoanProduct.koperasi == koperasi_id) & (LoanProduct.id == product_id))
        .first()
    )
    if row is None:
        raise NotFound("product_not_found", N_("Produk pinjaman tidak ditemukan."))
    return _product_view(row)


async def _name_taken(koperasi_id: int, name: str, other_than: int | None = None) -> bool:
    query = LoanProduct.exists().where(
        (LoanProduct.koperasi == koperasi_id) & (LoanProduct.name == name)
    )
    if other_than is not None:
        query = query.where(LoanProduct.id != other_than)
    return bool(await query)


def _name_conflict() -> Conflict:
    error = Conflict(
        "product_name_taken", N_("Sudah ada produk pinjaman dengan nama ini di koperasi ini.")
    )
    error.details = [{"field": "name", "code": error.code, "message": error.message}]
    return error


async def create_product(koperasi_id: int, terms: ProductTerms, who: Who = NOBODY) -> ProductView:
    terms = check_product(terms)
    async with write_transaction():
        await _lock(koperasi_id)
        if await _name_taken(koperasi_id, terms.name):
            raise _name_conflict()
        values = {name: getattr(terms, name) for name in _PRODUCT_FIELDS}
        values["method"] = terms.method.value
        created = await LoanProduct.insert(LoanProduct(koperasi=koperasi_id, **values)).returning(
            LoanProduct.id
        )
        await _audit("loan_product_created", koperasi_id, who, **values)
    return await product(koperasi_id, int(created[0]["id"]))


async def update_product(
    koperasi_id: int, product_id: int, terms: ProductTerms, who: Who = NOBODY
) -> ProductView:
    """Change a product. Loans already applied for keep the terms they were given."""
    terms = check_product(terms)
    async with write_transaction():
        await _lock(koperasi_id)
        before = await product(koperasi_id, product_id)
        if await _name_taken(koperasi_id, terms.name, other_than=product_id):
            raise _name_conflict()
        old = _terms(before)
        changes = {
            name: [getattr(old, name), getattr(terms, name)]
            for name in _PRODUCT_FIELDS
            if getattr(old, name) != getattr(terms, name)
        }
        if changes:
            values: dict[Any, Any] = {
                getattr(LoanProduct, name): getattr(terms, name) for name in _PRODUCT_FIELDS
            }
            values[LoanProduct.method] = terms.method.value
            await LoanProduct.update(values).where(
                (LoanProduct.koperasi == koperasi_id) & (LoanProduct.id == product_id)
            )
            await _audit(
                "loan_product_changed",
                koperasi_id,
                who,
                product=before.name,
                changes=changes,
            )
    return await product(koperasi_id, product_id)


# Members and loans


async def _member(koperasi_id: int, member_number: str) -> dict[str, Any]:
    row = (
        await Member.select(Member.id, Member.member_number, Member.full_name, Member.status)
        .where((Member.koperasi == koperasi_id) & (Member.member_number == member_number))
        .first()
    )
    if row is None:
        raise NotFound("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
    return row


async def member_number_of(koperasi_id: int, member_id: int) -> str:
    return await savings.member_number_of(koperasi_id, member_id)


_LOAN_COLUMNS = (
    "l.id AS id, l.number AS number, l.member_id AS member_id, l.product_id AS product_id,"
    " l.product_name AS product_name, l.principal AS principal, l.term_months AS term_months,"
    " l.method AS method, l.monthly_rate_bp AS monthly_rate_bp, l.provisi_bp AS provisi_bp,"
    " l.admin_fee AS admin_fee, l.penalty_bp_per_day AS penalty_bp_per_day,"
    " l.purpose AS purpose, l.status AS status, l.applied_on AS applied_on,"
    " l.decided_on AS decided_on, l.decision_note AS decision_note,"
    " l.disbursed_on AS disbursed_on, l.fees AS fees, l.closed_on AS closed_on,"
    " l.written_off AS written_off, m.member_number AS member_number,"
    " m.full_name AS member_name, m.status AS member_status"
)


async def _loan(koperasi_id: int, number: int, member_id: int | None = None) -> dict[str, Any]:
    """A loan of the koperasi by its number; with `member_id`, only if it is theirs."""
    sql = (
        f"SELECT {_LOAN_COLUMNS} FROM loan l JOIN member m ON m.id = l.member_id"
        " WHERE l.koperasi_id = {} AND l.number = {}"
    )
    args: list[Any] = [koperasi_id, number]
    if member_id is not None:
        sql += " AND l.member_id = {}"
        args.append(member_id)
    rows = await Loan.raw(sql, *args).run()
    if not rows:
        raise NotFound("loan_not_found", N_("Pinjaman tidak ditemukan."))
    return dict(rows[0])


def _require(row: dict[str, Any], *allowed: LoanStatus) -> LoanStatus:
    status = LoanStatus(row["status"])
    if status in allowed:
        return status
    if status is LoanStatus.DIHAPUSBUKUKAN:
        raise Conflict("loan_written_off", N_("Pinjaman ini sudah dihapusbukukan."))
    if LoanStatus.DICAIRKAN in allowed:
        raise Conflict("loan_not_active", N_("Pinjaman ini tidak sedang berjalan."))
    raise Conflict(
        "loan_status_invalid", N_("Langkah ini tidak dapat dilakukan pada status pinjaman ini.")
    )


async def _next_number(table: type[Loan] | type[LoanPayment], koperasi_id: int) -> int:
    last = (
        await table.select(table.number)
        .where(table.koperasi == koperasi_id)
        .order_by(table.number, ascending=False)
        .first()
    )
    return (int(last["number"]) if last else 0) + 1


async def _committed_principal(
    koperasi_id: int, member_id: int, other_than: int | None = None
) -> int:
    """Principal the member owes or has been promised on their other loans: the whole
    principal of applications and approved loans, what is still owed of disbursed ones."""
    sql = (
        "SELECT COALESCE(SUM(CASE WHEN l.status = 'dicairkan' THEN l.principal - COALESCE("
        "(SELECT SUM(pl.principal) FROM loan_payment_line pl WHERE pl.koperasi_id = l.koperasi_id"
        " AND pl.loan_id = l.id AND NOT EXISTS (SELECT 1 FROM loan_payment_reversal r"
        " WHERE r.koperasi_id = pl.koperasi_id AND r.payment_id = pl.payment_id)), 0)"
        " ELSE l.principal END), 0) AS committed"
        " FROM loan l WHERE l.koperasi_id = {} AND l.member_id = {}"
        " AND l.status IN ('diajukan', 'disetujui', 'dicairkan')"
    )
    args: list[Any] = [koperasi_id, member_id]
    if other_than is not None:
        sql += " AND l.id <> {}"
        args.append(other_than)
    rows = await Loan.raw(sql, *args).run()
    return int(rows[0]["committed"] or 0) if rows else 0


@dataclass(frozen=True)
class LimitCheck:
    total_savings: int
    savings_limit: int | None  # None: the product sets no savings limit
    other_loans: int  # principal owed or promised on the member's other loans
    available: int | None  # what this member may still borrow under the savings rule


async def _limit(
    koperasi_id: int,
    terms: ProductTerms,
    member: dict[str, Any],
    today: date,
    other_than: int | None = None,
) -> LimitCheck:
    total = (await savings.member_savings(koperasi_id, member["member_number"], today)).total
    other = await _committed_principal(koperasi_id, int(member["id"]), other_than)
    limit = savings_limit(total, terms.savings_multiple_bp)
    return LimitCheck(
        total_savings=total,
        savings_limit=limit,
        other_loans=other,
        available=None if limit is None else max(limit - other, 0),
    )


# Previews


@dataclass(frozen=True)
class Preview:
    """What a loan would look like: its schedule (dated as if paid out on `disbursed_on`),
    fees, the money the member receives and the limit."""

    product_id: int
    product_name: str
    method: Method
    method_label: str
    monthly_rate_bp: int
    principal: int
    term_months: int
    disbursed_on: date
    provisi: int
    administrasi: int
    fees: int
    net_disbursed: int
    total_interest: int
    total_payable: int
    schedule: list[Installment]
    limit: LimitCheck | None


def _preview_of(
    product_id: int,
    name: str,
    terms: ProductTerms,
    principal: int,
    term_months: int,
    disbursed_on: date,
    limit: LimitCheck | None,
) -> Preview:
    rows = schedule(
        principal,
        terms.method,
        terms.monthly_rate_bp,
        term_months,
        first_due_date(disbursed_on),
        anchor_day=disbursed_on.day,
    )
    fees = fees_of(principal, terms.provisi_bp, terms.admin_fee)
    interest = sum(r.interest for r in rows)
    return Preview(
        product_id=product_id,
        product_name=name,
        method=terms.method,
        method_label=terms.method.label,
        monthly_rate_bp=terms.monthly_rate_bp,
        principal=principal,
        term_months=term_months,
        disbursed_on=disbursed_on,
        provisi=fees.provisi,
        administrasi=fees.administrasi,
        fees=fees.total,
        net_disbursed=principal - fees.total,
        total_interest=interest,
        total_payable=principal + interest,
        schedule=rows,
        limit=limit,
    )


async def preview(
    koperasi_id: int,
    product_id: int,
    principal: int,
    term_months: int,
    today: date,
    member_number: str | None = None,
) -> Preview:
    """The schedule of a loan before it is applied for (as if paid out today), with the
    member's limit when a member is named. Refuses what an application would refuse."""
    view = await product(koperasi_id, product_id)
    terms = _terms(view)
    limit = None
    if member_number is not None:
        member = await _member(koperasi_id, member_number)
        limit = await _limit(koperasi_id, terms, member, today)
        check_application(
            terms,
            principal,
            term_months,
            total_savings=limit.total_savings,
            other_open_principal=limit.other_loans,
        )
    else:
        # No member named: everything but the member's own limit.
        check_application(
            replace(terms, savings_multiple_bp=0),
            principal,
            term_months,
            total_savings=0,
            other_open_principal=0,
        )
    return _preview_of(view.id, view.name, terms, principal, term_months, today, limit)


# The life cycle


@dataclass(frozen=True)
class Applied:
    number: int
    code: str
    status: LoanStatus
    status_label: str
    member_number: str
    member_name: str
    principal: int
    term_months: int


def _applied(row: dict[str, Any], status: LoanStatus) -> Applied:
    return Applied(
        number=int(row["number"]),
        code=loan_code(int(row["number"])),
        status=status,
        status_label=status.label,
        member_number=str(row["member_number"]),
        member_name=str(row["member_name"]),
        principal=int(row["principal"]),
        term_months=int(row["term_months"]),
    )


async def apply(
    koperasi_id: int,
    member_number: str,
    product_id: int,
    principal: int,
    term_months: int,
    applied_on: date,
    purpose: str = "",
    who: Who = NOBODY,
) -> Applied:
    """A loan application (pengajuan) for a member, under the product's current terms,
    within its bounds and the member's savings limit."""
    text = " ".join(purpose.split())
    if len(text) > 300:
        raise ValidationFailed(
            "purpose_too_long", N_("Keperluan pinjaman terlalu panjang."), "purpose"
        )
    async with write_transaction():
        await _lock(koperasi_id)
        view = await product(koperasi_id, product_id)
        terms = _terms(view)
        member = await _member(koperasi_id, member_number)
        if member["status"] != MemberStatus.AKTIF.value:
            raise Conflict(
                "member_inactive", N_("Anggota tidak aktif: pengajuan pinjaman tidak diterima.")
            )
        limit = await _limit(koperasi_id, terms, member, applied_on)
        check_application(
            terms,
            principal,
            term_months,
            total_savings=limit.total_savings,
            other_open_principal=limit.other_loans,
        )
        number = await _next_number(Loan, koperasi_id)
        await Loan.insert(
            Loan(
                koperasi=koperasi_id,
                number=number,
                member=int(member["id"]),
                product=view.id,
                product_name=view.name,
                principal=principal,
                term_months=term_months,
                method=terms.method.value,
                monthly_rate_bp=terms.monthly_rate_bp,
                provisi_bp=terms.provisi_bp,
                admin_fee=terms.admin_fee,
                penalty_bp_per_day=terms.penalty_bp_per_day,
                purpose=text,
                status=LoanStatus.DIAJUKAN.value,
                applied_on=applied_on,
                applied_by=who.user_id,
            )
        )
        await _audit(
            "loan_applied",
            koperasi_id,
            who,
            loan=loan_code(number),
            member=member_number,
            product=view.name,
            principal=principal,
            term_months=term_months,
        )
        row = await _loan(koperasi_id, number)
    return _applied(row, LoanStatus.DIAJUKAN)


def _terms_of_loan(row: dict[str, Any]) -> ProductTerms:
    principal = int(row["principal"])
    term = int(row["term_months"])
    return ProductTerms(
        name=str(row["product_name"]),
        method=Method(row["method"]),
        monthly_rate_bp=int(row["monthly_rate_bp"]),
        min_term_months=term,
        max_term_months=term,
        provisi_bp=int(row["provisi_bp"]),
        admin_fee=int(row["admin_fee"]),
        penalty_bp_per_day=int(row["penalty_bp_per_day"]),
        min_amount=principal,
        max_amount=principal,
        savings_multiple_bp=0,
    )


def _clean_note(note: str) -> str:
    text = " ".join(note.split())
    if len(text) > 300:
        raise ValidationFailed("note_too_long", N_("Catatan terlalu panjang."), "note")
    return text


def _not_before(day: date, earliest: object, code: str, message: str, field_name: str) -> None:
    if earliest is not None and day < _as_date(earliest):
        raise ValidationFailed(code, message, field_name)


async def approve(
    koperasi_id: int, number: int, decided_on: date, note: str = "", who: Who = NOBODY
) -> Applied:
    """Approve an application (after its schedule was shown): its terms are frozen on the
    loan; the member's savings limit is checked again (savings may have changed)."""
    text = _clean_note(note)
    async with write_transaction():
        await _lock(koperasi_id)
        row = await _loan(koperasi_id, number)
        _require(row, LoanStatus.DIAJUKAN)
        _not_before(
            decided_on,
            row["applied_on"],
            "date_before_application",
            N_("Tanggal keputusan tidak boleh sebelum tanggal pengajuan."),
            "decided_on",
        )
        view = await product(koperasi_id, int(row["product_id"]))
        terms = replace(_terms_of_loan(row), savings_multiple_bp=view.savings_multiple_bp)
        member = {"id": row["member_id"], "member_number": row["member_number"]}
        limit = await _limit(koperasi_id, terms, member, decided_on, other_than=int(row["id"]))
        check_application(
            terms,
            int(row["principal"]),
            int(row["term_months"]),
            total_savings=limit.total_savings,
            other_open_principal=limit.other_loans,
        )
        await _set_status(koperasi_id, row, LoanStatus.DISETUJUI, decided_on, text, who)
    return _applied(row, LoanStatus.DISETUJUI)


async def _set_status(
    koperasi_id: int,
    row: dict[str, Any],
    status: LoanStatus,
    decided_on: date,
    note: str,
    who: Who,
) -> None:
    await Loan.update(
        {
            Loan.status: status.value,
            Loan.decided_on: decided_on,
            Loan.decided_by: who.user_id,
            Loan.decision_note: note,
        }
    ).where((Loan.koperasi == koperasi_id) & (Loan.id == row["id"]))
    action = {
        LoanStatus.DISETUJUI: "loan_approved",
        LoanStatus.DITOLAK: "loan_rejected",
        LoanStatus.DIBATALKAN: "loan_cancelled",
    }[status]
    await _audit(
        action,
        koperasi_id,
        who,
        loan=loan_code(int(row["number"])),
        member=row["member_number"],
        principal=int(row["principal"]),
        status_before=row["status"],
        note=note,
    )


async def reject(
    koperasi_id: int, number: int, decided_on: date, note: str = "", who: Who = NOBODY
) -> Applied:
    text = _clean_note(note)
    async with write_transaction():
        await _lock(koperasi_id)
        row = await _loan(koperasi_id, number)
        _require(row, LoanStatus.DIAJUKAN)
        await _set_status(koperasi_id, row, LoanStatus.DITOLAK, decided_on, text, who)
    return _applied(row, LoanStatus.DITOLAK)


async def cancel(
    koperasi_id: int,
    number: int,
    decided_on: date,
    note: str = "",
    who: Who = NOBODY,
    member_id: int | None = None,
) -> Applied:
    """Withdraw an application or an approved loan not yet paid out; with `member_id` (the
    member themself) only their own application still waiting for a decision."""
    text = _clean_note(note)
    async with write_transaction():
        await _lock(koperasi_id)
        row = await _loan(koperasi_id, number, member_id=member_id)
        if member_id is None:
            _require(row, LoanStatus.DIAJUKAN, LoanStatus.DISETUJUI)
        else:
            _require(row, LoanStatus.DIAJUKAN)
        await _set_status(koperasi_id, row, LoanStatus.DIBATALKAN, decided_on, text, who)
    return _applied(row, LoanStatus.DIBATALKAN)


@dataclass(frozen=True)
class Disbursed:
    number: int
    code: str
    member_number: str
    member_name: str
    principal: int
    fees: int
    net_disbursed: int
    disbursed_on: date
    first_due: date
    installment: int  # the first installment's total
    entry_number: int


async def disburse(
    koperasi_id: int, number: int, disbursed_on: date, who: Who = NOBODY
) -> Disbursed:
    """Pay an approved loan out: its schedule is dated from `disbursed_on` and stored, the
    fees are kept back, and Dr Piutang pinjaman / Cr Kas (net) / Cr Pendapatan provisi dan
    administrasi (fees) is posted."""
    async with write_transaction():
        await _lock(koperasi_id)
        row = await _loan(koperasi_id, number)
        _require(row, LoanStatus.DISETUJUI)
        if row["member_status"] != MemberStatus.AKTIF.value:
            raise Conflict(
                "member_inactive", N_("Anggota tidak aktif: pinjaman tidak dapat dicairkan.")
            )
        _not_before(
            disbursed_on,
            row["decided_on"],
            "date_before_approval",
            N_("Tanggal pencairan tidak boleh sebelum tanggal persetujuan."),
            "disbursed_on",
        )
        terms = _terms_of_loan(row)
        principal = int(row["principal"])
        rows = schedule(
            principal,
            terms.method,
            terms.monthly_rate_bp,
            int(row["term_months"]),
            first_due_date(disbursed_on),
            anchor_day=disbursed_on.day,
        )
        fees = fees_of(principal, terms.provisi_bp, terms.admin_fee)
        code = loan_code(number)
        lines = [
            Line(RECEIVABLE, debit=principal, memo=code),
            Line(CASH, credit=principal - fees.total, memo=code),
        ]
        if fees.total:
            lines.append(Line(FEE_INCOME, credit=fees.total, memo=code))
        entry = await post_entry(
            koperasi_id,
            disbursed_on,
            f"Pencairan pinjaman {code} {row['member_number']}",
            lines,
            source=SOURCE,
            created_by=who.user_id,
        )
        await LoanInstallment.insert(
            *[
                LoanInstallment(
                    koperasi=koperasi_id,
                    loan=row["id"],
                    number=i.number,
                    due_date=i.due_date,
                    principal=i.principal,
                    interest=i.interest,
                    total=i.total,
                    balance_after=i.balance_after,
                )
                for i in rows
            ]
        )
        await Loan.update(
            {
                Loan.status: LoanStatus.DICAIRKAN.value,
                Loan.disbursed_on: disbursed_on,
                Loan.disbursed_by: who.user_id,
                Loan.disbursement_entry: entry.id,
                Loan.fees: fees.total,
            }
        ).where((Loan.koperasi == koperasi_id) & (Loan.id == row["id"]))
        await _audit(
            "loan_disbursed",
            koperasi_id,
            who,
            loan=code,
            member=row["member_number"],
            principal=principal,
            fees=fees.total,
            net=principal - fees.total,
            entry=entry.number,
        )
    return Disbursed(
        number=number,
        code=code,
        member_number=str(row["member_number"]),
        member_name=str(row["member_name"]),
        principal=principal,
        fees=fees.total,
        net_disbursed=principal - fees.total,
        disbursed_on=disbursed_on,
        first_due=rows[0].due_date,
        installment=rows[0].total,
        entry_number=entry.number,
    )


# A disbursed loan's state


_LIVE_PAYMENT = (
    "NOT EXISTS (SELECT 1 FROM loan_payment_reversal r"
    " WHERE r.koperasi_id = p.koperasi_id AND r.payment_id = p.id)"
)


async def _states(
    koperasi_id: int, loans: list[dict[str, Any]], as_of: date | None = None
) -> dict[int, LoanState]:
    """The states of disbursed loans (by loan id) from their schedules and the splits of
    their payments (not reversed; with `as_of`, only payments made by then), in three
    queries whatever the number of loans."""
    disbursed = [row for row in loans if row["disbursed_on"] is not None]
    if not disbursed:
        return {}
    ids = [int(row["id"]) for row in disbursed]
    marks = ", ".join("{}" for _ in ids)
    installments = await LoanInstallment.raw(
        "SELECT loan_id, number, due_date, principal, interest, total, balance_after"
        f" FROM loan_installment WHERE koperasi_id = {{}} AND loan_id IN ({marks})"
        " ORDER BY loan_id, number",
        koperasi_id,
        *ids,
    ).run()
    dated = " AND p.paid_on <= {}" if as_of is not None else ""
    extra: list[Any] = [as_of] if as_of is not None else []
    paid = await LoanPaymentLine.raw(
        "SELECT pl.loan_id AS loan_id, pl.installment_number AS installment_number,"
        " SUM(pl.penalty_charged) AS penalty_charged, SUM(pl.penalty) AS penalty,"
        " SUM(pl.interest) AS interest, SUM(pl.principal) AS principal"
        " FROM loan_payment_line pl JOIN loan_payment p ON p.id = pl.payment_id"
        f" WHERE pl.koperasi_id = {{}} AND pl.loan_id IN ({marks}) AND {_LIVE_PAYMENT}{dated}"
        " GROUP BY pl.loan_id, pl.installment_number",
        koperasi_id,
        *ids,
        *extra,
    ).run()
    last = await LoanPayment.raw(
        "SELECT p.loan_id AS loan_id, MAX(p.paid_on) AS last_paid FROM loan_payment p"
        f" WHERE p.koperasi_id = {{}} AND p.loan_id IN ({marks}) AND {_LIVE_PAYMENT}{dated}"
        " GROUP BY p.loan_id",
        koperasi_id,
        *ids,
        *extra,
    ).run()
    schedules: dict[int, list[Installment]] = {i: [] for i in ids}
    for r in installments:
        schedules[int(r["loan_id"])].append(
            Installment(
                number=int(r["number"]),
                due_date=_as_date(r["due_date"]),
                principal=int(r["principal"]),
                interest=int(r["interest"]),
                total=int(r["total"]),
                balance_after=int(r["balance_after"]),
            )
        )
    splits: dict[int, list[PaymentSplit]] = {i: [] for i in ids}
    for r in paid:
        splits[int(r["loan_id"])].append(
            PaymentSplit(
                installment_number=int(r["installment_number"]),
                penalty_charged=int(r["penalty_charged"] or 0),
                penalty=int(r["penalty"] or 0),
                interest=int(r["interest"] or 0),
                principal=int(r["principal"] or 0),
            )
        )
    lasts = {int(r["loan_id"]): _as_date(r["last_paid"]) for r in last if r["last_paid"]}
    return {
        int(row["id"]): state_of(
            int(row["principal"]),
            int(row["penalty_bp_per_day"]),
            schedules[int(row["id"])],
            splits[int(row["id"])],
            lasts.get(int(row["id"])),
        )
        for row in disbursed
    }


async def _state(koperasi_id: int, row: dict[str, Any]) -> LoanState:
    return (await _states(koperasi_id, [row]))[int(row["id"])]


# Payments


@dataclass(frozen=True)
class SplitLine:
    installment_number: int
    due_date: date
    penalty: int
    interest: int
    principal: int


@dataclass(frozen=True)
class PaymentPlan:
    """How a payment would be (or was) split, before anything is written."""

    loan_number: int
    loan_code: str
    member_number: str
    member_name: str
    kind: str
    kind_label: str
    paid_on: date
    amount: int
    penalty: int
    interest: int
    principal: int
    waived_interest: int
    owed_before: int
    outstanding_after: int  # principal still owed after it
    settles: bool
    lines: list[SplitLine]


def _plan(row: dict[str, Any], state: LoanState, kind: str, allocation: Allocation) -> PaymentPlan:
    dues = {i.number: i.due_date for i in state.installments}
    return PaymentPlan(
        loan_number=int(row["number"]),
        loan_code=loan_code(int(row["number"])),
        member_number=str(row["member_number"]),
        member_name=str(row["member_name"]),
        kind=kind,
        kind_label=KIND_LABELS[kind],
        paid_on=allocation.paid_on,
        amount=allocation.amount,
        penalty=allocation.penalty,
        interest=allocation.interest,
        principal=allocation.principal,
        waived_interest=allocation.waived_interest,
        owed_before=allocation.owed_before,
        outstanding_after=allocation.after.outstanding_principal,
        settles=allocation.settles,
        lines=[
            SplitLine(
                installment_number=line.installment_number,
                due_date=dues[line.installment_number],
                penalty=line.penalty,
                interest=line.interest,
                principal=line.principal,
            )
            for line in allocation.lines
            if line.paid
        ],
    )


@dataclass(frozen=True)
class PaymentReceipt:
    receipt: str
    receipt_number: int
    entry_number: int
    plan: PaymentPlan


def _split(row: dict[str, Any], state: LoanState, kind: str, amount: int, on: date) -> Allocation:
    disbursed_on = _as_date(row["disbursed_on"])
    if kind == "pelunasan":
        return payoff(state, on, disbursed_on)
    return allocate(state, amount, on, disbursed_on)


async def plan_payment(
    koperasi_id: int,
    number: int,
    amount: int,
    paid_on: date,
    *,
    kind: str = "angsuran",
    member_id: int | None = None,
) -> PaymentPlan:
    """The split of a payment of `amount` (or, kind "pelunasan", the payoff quote) on
    `paid_on`, without recording anything."""
    row = await _loan(koperasi_id, number, member_id=member_id)
    _require(row, LoanStatus.DICAIRKAN)
    state = await _state(koperasi_id, row)
    return _plan(row, state, kind, _split(row, state, kind, amount, paid_on))


async def pay(
    koperasi_id: int,
    number: int,
    amount: int,
    paid_on: date,
    *,
    kind: str = "angsuran",
    who: Who = NOBODY,
) -> PaymentReceipt:
    """Record a payment (kind "angsuran": `amount`, split penalty -> interest -> principal
    over the oldest installments first) or the early payoff (kind "pelunasan": the amount
    is the quote; future interest waived), and post Dr Kas / Cr Pendapatan denda / Cr
    Pendapatan jasa pinjaman / Cr Piutang pinjaman. A payment that leaves nothing owed
    ends the loan (lunas)."""
    if kind not in KIND_LABELS:
        raise ValidationFailed("kind_invalid", N_("Jenis pembayaran tidak dikenal."), "kind")
    async with write_transaction():
        await _lock(koperasi_id)
        row = await _loan(koperasi_id, number)
        _require(row, LoanStatus.DICAIRKAN)
        state = await _state(koperasi_id, row)
        allocation = _split(row, state, kind, amount, paid_on)
        plan = _plan(row, state, kind, allocation)
        code = loan_code(number)
        credits = [
            Line(PENALTY_INCOME, credit=allocation.penalty, memo=code),
            Line(INTEREST_INCOME, credit=allocation.interest, memo=code),
            Line(RECEIVABLE, credit=allocation.principal, memo=code),
        ]
        label = "Pelunasan" if kind == "pelunasan" else "Angsuran"
        entry = await post_entry(
            koperasi_id,
            paid_on,
            f"{label} pinjaman {code} {row['member_number']}",
            [Line(CASH, debit=allocation.amount, memo=code)] + [c for c in credits if c.credit],
            source=SOURCE,
            created_by=who.user_id,
        )
        receipt_number = await _next_number(LoanPayment, koperasi_id)
        created = await LoanPayment.insert(
            LoanPayment(
                koperasi=koperasi_id,
                loan=row["id"],
                number=receipt_number,
                kind=kind,
                paid_on=paid_on,
                amount=allocation.amount,
                penalty=allocation.penalty,
                interest=allocation.interest,
                principal=allocation.principal,
                entry=entry.id,
                created_by=who.user_id,
            )
        ).returning(LoanPayment.id)
        await LoanPaymentLine.insert(
            *[
                LoanPaymentLine(
                    koperasi=koperasi_id,
                    payment=created[0]["id"],
                    loan=row["id"],
                    installment_number=line.installment_number,
                    penalty_charged=line.penalty_charged,
                    penalty=line.penalty,
                    interest=line.interest,
                    principal=line.principal,
                )
                for line in allocation.lines
            ]
        )
        if allocation.settles:
            await Loan.update({Loan.status: LoanStatus.LUNAS.value, Loan.closed_on: paid_on}).where(
                (Loan.koperasi == koperasi_id) & (Loan.id == row["id"])
            )
        await _audit(
            "loan_payoff" if kind == "pelunasan" else "loan_payment",
            koperasi_id,
            who,
            loan=code,
            member=row["member_number"],
            receipt=payment_code(receipt_number),
            amount=allocation.amount,
            penalty=allocation.penalty,
            interest=allocation.interest,
            principal=allocation.principal,
            waived_interest=allocation.waived_interest,
            settled=allocation.settles,
            entry=entry.number,
        )
    return PaymentReceipt(
        receipt=payment_code(receipt_number),
        receipt_number=receipt_number,
        entry_number=entry.number,
        plan=plan,
    )


@dataclass(frozen=True)
class Reversed:
    receipt: str
    loan_code: str
    amount: int
    reversed_on: date
    entry_number: int
    status: LoanStatus
    status_label: str


async def reverse_payment(
    koperasi_id: int,
    number: int,
    receipt_number: int,
    reversed_on: date,
    reason: str,
    who: Who = NOBODY,
) -> Reversed:
    """Take back a payment recorded by mistake: the latest payment of the loan still
    standing (later ones first), never on a written-off loan. Posts the mirror image of its
    entry (source "loan", linked to it) and a reversal record; a loan the payment had
    ended is running again."""
    text = _clean_note(reason)
    if not text:
        raise ValidationFailed(
            "reason_required", N_("Tuliskan alasan pembatalan pembayaran."), "reason"
        )
    async with write_transaction():
        await _lock(koperasi_id)
        row = await _loan(koperasi_id, number)
        _require(row, LoanStatus.DICAIRKAN, LoanStatus.LUNAS)
        payment = (
            await LoanPayment.select(
                LoanPayment.id,
                LoanPayment.paid_on,
                LoanPayment.amount,
                LoanPayment.entry.as_alias("entry_id"),
                LoanPayment.entry.number.as_alias("entry_number"),
            )
            .where(
                (LoanPayment.koperasi == koperasi_id)
                & (LoanPayment.loan == row["id"])
                & (LoanPayment.number == receipt_number)
            )
            .first()
        )
        if payment is None:
            raise NotFound("payment_not_found", N_("Pembayaran tidak ditemukan."))
        if await LoanPaymentReversal.exists().where(
            (LoanPaymentReversal.koperasi == koperasi_id)
            & (LoanPaymentReversal.payment == payment["id"])
        ):
            raise Conflict("payment_already_reversed", N_("Pembayaran ini sudah dibatalkan."))
        later = await LoanPayment.raw(
            "SELECT p.id FROM loan_payment p WHERE p.koperasi_id = {} AND p.loan_id = {}"
            f" AND p.number > {{}} AND {_LIVE_PAYMENT}",
            koperasi_id,
            row["id"],
            receipt_number,
        ).run()
        if later:
            raise Conflict(
                "payment_not_latest",
                N_("Batalkan dulu pembayaran yang lebih baru dari pinjaman ini."),
            )
        _not_before(
            reversed_on,
            payment["paid_on"],
            "date_before_payment",
            N_("Tanggal pembatalan tidak boleh sebelum tanggal pembayaran."),
            "reversed_on",
        )
        lines = await JournalLine.select(
            JournalLine.account.code.as_alias("code"),
            JournalLine.debit,
            JournalLine.credit,
            JournalLine.memo,
        ).where((JournalLine.koperasi == koperasi_id) & (JournalLine.entry == payment["entry_id"]))
        code = loan_code(number)
        entry = await post_entry(
            koperasi_id,
            reversed_on,
            f"Pembatalan pembayaran {payment_code(receipt_number)} pinjaman {code}: {text}"[:300],
            reversal_of([Line(r["code"], r["debit"], r["credit"], r["memo"]) for r in lines]),
            source=SOURCE,
            created_by=who.user_id,
            reverses=int(payment["entry_id"]),
        )
        await LoanPaymentReversal.insert(
            LoanPaymentReversal(
                koperasi=koperasi_id,
                payment=payment["id"],
                loan=row["id"],
                reversed_on=reversed_on,
                reason=text,
                entry=entry.id,
                created_by=who.user_id,
            )
        )
        status = LoanStatus(row["status"])
        if status is LoanStatus.LUNAS:
            status = LoanStatus.DICAIRKAN
            await Loan.update({Loan.status: status.value, Loan.closed_on: None}).where(
                (Loan.koperasi == koperasi_id) & (Loan.id == row["id"])
            )
        await _audit(
            "loan_payment_reversed",
            koperasi_id,
            who,
            loan=code,
            member=row["member_number"],
            receipt=payment_code(receipt_number),
            amount=int(payment["amount"]),
            reason=text,
            entry=entry.number,
        )
    return Reversed(
        receipt=payment_code(receipt_number),
        loan_code=code,
        amount=int(payment["amount"]),
        reversed_on=reversed_on,
        entry_number=entry.number,
        status=status,
        status_label=status.label,
    )


# Write-off and the loan-loss reserve


async def _account_balance(koperasi_id: int, code: str, until: date | None = None) -> int:
    """Debit minus credit of one account (until a day)."""
    sql = (
        "SELECT COALESCE(SUM(l.debit), 0) AS debit, COALESCE(SUM(l.credit), 0) AS credit"
        " FROM journal_line l JOIN ledger_account a ON a.id = l.account_id"
        " WHERE l.koperasi_id = {} AND a.koperasi_id = {} AND a.code = {}"
    )
    args: list[Any] = [koperasi_id, koperasi_id, code]
    if until is not None:
        sql += " AND l.entry_date <= {}"
        args.append(until)
    rows = await JournalLine.raw(sql, *args).run()
    return int(rows[0]["debit"] or 0) - int(rows[0]["credit"] or 0)


async def ppap_booked(koperasi_id: int, as_of: date) -> int:
    """The loan-loss reserve in the books (the credit balance of 1-1390) on a day."""
    return -await _account_balance(koperasi_id, PPAP, as_of)


@dataclass(frozen=True)
class WrittenOff:
    loan_code: str
    member_number: str
    written_off: int
    from_reserve: int  # taken from PPAP
    expensed: int  # beyond the reserve, an expense
    waived_interest: int
    entry_number: int | None


async def write_off(
    koperasi_id: int, number: int, on: date, note: str = "", who: Who = NOBODY
) -> WrittenOff:
    """Write a loan off (hapus buku): the principal still owed leaves the receivable,
    taken from the loan-loss reserve (PPAP) as far as it reaches and as an expense beyond:
    Dr PPAP / Dr Beban penyisihan / Cr Piutang pinjaman. No payment is accepted after."""
    text = _clean_note(note)
    async with write_transaction():
        await _lock(koperasi_id)
        row = await _loan(koperasi_id, number)
        _require(row, LoanStatus.DICAIRKAN)
        state = await _state(koperasi_id, row)
        _not_before(
            on,
            state.last_payment_on or row["disbursed_on"],
            "date_before_last_payment",
            N_("Tanggal hapus buku tidak boleh sebelum pencairan atau pembayaran terakhir."),
            "written_off_on",
        )
        outstanding = state.outstanding_principal
        reserve = max(await ppap_booked(koperasi_id, on), 0)
        from_reserve = min(reserve, outstanding)
        code = loan_code(number)
        entry_number = None
        entry_id = None
        if outstanding > 0:
            lines = [
                Line(PPAP, debit=from_reserve, memo=code),
                Line(LOSS_EXPENSE, debit=outstanding - from_reserve, memo=code),
                Line(RECEIVABLE, credit=outstanding, memo=code),
            ]
            entry = await post_entry(
                koperasi_id,
                on,
                f"Hapus buku pinjaman {code} {row['member_number']}",
                [line for line in lines if line.debit or line.credit],
                source=SOURCE,
                created_by=who.user_id,
            )
            entry_number, entry_id = entry.number, entry.id
        waived = sum(i.unpaid_interest + i.unpaid_penalty for i in state.installments)
        await Loan.update(
            {
                Loan.status: LoanStatus.DIHAPUSBUKUKAN.value,
                Loan.closed_on: on,
                Loan.write_off_entry: entry_id,
                Loan.written_off: outstanding,
                Loan.decision_note: text or row["decision_note"],
            }
        ).where((Loan.koperasi == koperasi_id) & (Loan.id == row["id"]))
        await _audit(
            "loan_written_off",
            koperasi_id,
            who,
            loan=code,
            member=row["member_number"],
            written_off=outstanding,
            from_reserve=from_reserve,
            expensed=outstanding - from_reserve,
            note=text,
            entry=entry_number,
        )
    return WrittenOff(
        loan_code=code,
        member_number=str(row["member_number"]),
        written_off=outstanding,
        from_reserve=from_reserve,
        expensed=outstanding - from_reserve,
        waived_interest=waived,
        entry_number=entry_number,
    )


# Collectibility, PPAP, RPM, arrears


async def _running_loans(koperasi_id: int, as_of: date) -> list[dict[str, Any]]:
    """Loans paid out by `as_of` and not ended (lunas, written off) by then."""
    rows = await Loan.raw(
        f"SELECT {_LOAN_COLUMNS} FROM loan l JOIN member m ON m.id = l.member_id"
        " WHERE l.koperasi_id = {} AND l.disbursed_on IS NOT NULL AND l.disbursed_on <= {}"
        " AND (l.closed_on IS NULL OR l.closed_on > {}) ORDER BY l.number",
        koperasi_id,
        as_of,
        as_of,
    ).run()
    return [dict(row) for row in rows]


async def _aging(koperasi_id: int, as_of: date) -> list[tuple[dict[str, Any], int, date | None]]:
    """Per running loan: (its row, principal still owed, due date of its oldest installment
    unpaid by `as_of`) — one aggregate query over the schedules and payment lines."""
    loans = {int(row["id"]): row for row in await _running_loans(koperasi_id, as_of)}
    if not loans:
        return []
    rows = await LoanInstallment.raw(
        "WITH paid AS (SELECT pl.loan_id AS loan_id, pl.installment_number AS number,"
        " SUM(pl.principal) AS principal, SUM(pl.interest) AS interest"
        " FROM loan_payment_line pl JOIN loan_payment p ON p.id = pl.payment_id"
        " WHERE pl.koperasi_id = {} AND p.paid_on <= {}"
        " AND NOT EXISTS (SELECT 1 FROM loan_payment_reversal r"
        " WHERE r.koperasi_id = p.koperasi_id AND r.payment_id = p.id AND r.reversed_on <= {})"
        " GROUP BY pl.loan_id, pl.installment_number)"
        " SELECT i.loan_id AS loan_id,"
        " SUM(i.principal - COALESCE(d.principal, 0)) AS outstanding,"
        " MIN(CASE WHEN i.principal + i.interest"
        " > COALESCE(d.principal, 0) + COALESCE(d.interest, 0) THEN i.due_date END) AS oldest"
        " FROM loan_installment i LEFT JOIN paid d ON d.loan_id = i.loan_id"
        " AND d.number = i.number"
        " JOIN loan l ON l.id = i.loan_id"
        " WHERE i.koperasi_id = {} AND l.disbursed_on <= {}"
        " AND (l.closed_on IS NULL OR l.closed_on > {})"
        " GROUP BY i.loan_id",
        koperasi_id,
        as_of,
        as_of,
        koperasi_id,
        as_of,
        as_of,
    ).run()
    return [
        (loans[int(r["loan_id"])], int(r["outstanding"] or 0), _maybe_date(r["oldest"]))
        for r in rows
        if int(r["loan_id"]) in loans
    ]


def _dpd(oldest: date | None, as_of: date) -> int:
    return max((as_of - oldest).days, 0) if oldest is not None else 0


async def collectibility_summary(koperasi_id: int, as_of: date) -> collectibility.Summary:
    """Outstanding principal of the running loans per collectibility class (lancar, kurang
    lancar, diragukan, macet) by days past due on `as_of`, the PPAP each class requires
    and RPM, under the rules in force that day (versioned data)."""
    rules = collectibility.rules_on(as_of)
    aging = await _aging(koperasi_id, as_of)
    return collectibility.summarize(
        rules, as_of, [(outstanding, _dpd(oldest, as_of)) for _, outstanding, oldest in aging]
    )


async def ppap_required(koperasi_id: int, as_of: date) -> int:
    """The loan-loss reserve (PPAP) the running loans require on `as_of`."""
    return (await collectibility_summary(koperasi_id, as_of)).ppap_required


async def rpm(koperasi_id: int, as_of: date) -> int:
    """Risiko pinjaman bermasalah: 50% kurang lancar + 75% diragukan + 100% macet of the
    outstanding principal (weights from the versioned data)."""
    return (await collectibility_summary(koperasi_id, as_of)).rpm


@dataclass(frozen=True)
class ArrearsRow:
    loan_number: int
    loan_code: str
    member_number: str
    member_name: str
    product_name: str
    oldest_due: date
    days_past_due: int
    collectibility: str
    collectibility_label: str
    overdue: int  # principal and interest due and unpaid
    penalty: int  # late penalty if paid on the day
    amount_due: int  # overdue + penalty
    outstanding: int  # principal still owed


async def arrears(koperasi_id: int, as_of: date, limit: int = LIST_MAX) -> list[ArrearsRow]:
    """Running loans with an installment past due and unpaid on `as_of`, longest overdue
    first: the aging is one aggregate query; the amounts (with the penalty) are computed
    for the loans in arrears only."""
    rules = collectibility.rules_on(as_of)
    late = [
        (row, outstanding, oldest)
        for row, outstanding, oldest in await _aging(koperasi_id, as_of)
        if oldest is not None and oldest < as_of
    ]
    late.sort(key=lambda item: (item[2], int(item[0]["number"])))
    late = late[:limit]
    states = await _states(koperasi_id, [row for row, _, _ in late], as_of)
    result = []
    for row, outstanding, oldest in late:
        state = states[int(row["id"])]
        overdue = sum(i.unpaid for i in state.installments if i.due_date < as_of)
        penalty = penalty_if_paid(state, as_of)
        band = rules.classify(_dpd(oldest, as_of))
        result.append(
            ArrearsRow(
                loan_number=int(row["number"]),
                loan_code=loan_code(int(row["number"])),
                member_number=str(row["member_number"]),
                member_name=str(row["member_name"]),
                product_name=str(row["product_name"]),
                oldest_due=oldest,
                days_past_due=_dpd(oldest, as_of),
                collectibility=band.code,
                collectibility_label=band.label,
                overdue=overdue,
                penalty=penalty,
                amount_due=overdue + penalty,
                outstanding=outstanding,
            )
        )
    return result


@dataclass(frozen=True)
class PpapPosting:
    as_of: date
    required: int
    booked_before: int
    adjustment: int  # + more reserve (an expense), - reserve released
    entry_number: int | None


async def post_ppap(koperasi_id: int, on: date, who: Who = NOBODY) -> PpapPosting:
    """Bring the reserve in the books (1-1390) to what the running loans require on `on`:
    Dr Beban penyisihan / Cr PPAP for more, the reverse to release some."""
    async with write_transaction():
        await _lock(koperasi_id)
        required = await ppap_required(koperasi_id, on)
        booked = await ppap_booked(koperasi_id, on)
        change = required - booked
        if change == 0:
            raise Conflict(
                "ppap_up_to_date", N_("Cadangan PPAP di buku sudah sama dengan yang diperlukan.")
            )
        lines = (
            [Line(LOSS_EXPENSE, debit=change), Line(PPAP, credit=change)]
            if change > 0
            else [Line(PPAP, debit=-change), Line(LOSS_EXPENSE, credit=-change)]
        )
        entry = await post_entry(
            koperasi_id,
            on,
            "Penyesuaian penyisihan piutang tak tertagih (PPAP)",
            lines,
            source=SOURCE,
            created_by=who.user_id,
        )
        await _audit(
            "ppap_posted",
            koperasi_id,
            who,
            required=required,
            booked_before=booked,
            adjustment=change,
            entry=entry.number,
        )
    return PpapPosting(
        as_of=on,
        required=required,
        booked_before=booked,
        adjustment=change,
        entry_number=entry.number,
    )


# Reading loans


@dataclass(frozen=True)
class LoanSummary:
    number: int
    code: str
    member_number: str
    member_name: str
    product_name: str
    principal: int
    term_months: int
    method: Method
    method_label: str
    monthly_rate_bp: int
    status: LoanStatus
    status_label: str
    applied_on: date
    disbursed_on: date | None
    closed_on: date | None
    outstanding: int  # principal still owed
    remaining: int  # everything still owed on the schedule (principal, interest, penalty)
    next_due_date: date | None
    next_due_amount: int  # unpaid of the next installment
    due_now: int  # what is due by today (with the penalty if paid today)
    days_past_due: int
    collectibility: str
    collectibility_label: str


def _summary(row: dict[str, Any], state: LoanState | None, as_of: date) -> LoanSummary:
    status = LoanStatus(row["status"])
    method = Method(row["method"])
    principal = int(row["principal"])
    running = state is not None and status is LoanStatus.DICAIRKAN
    nxt = state.next_due() if running and state is not None else None
    dpd = days_past_due(state, as_of) if running and state is not None else 0
    band = collectibility.rules_on(as_of).classify(dpd)
    outstanding = (
        state.outstanding_principal
        if state is not None
        else (principal if status in (LoanStatus.DIAJUKAN, LoanStatus.DISETUJUI) else 0)
    )
    if status is LoanStatus.DIHAPUSBUKUKAN:
        outstanding = 0
    return LoanSummary(
        number=int(row["number"]),
        code=loan_code(int(row["number"])),
        member_number=str(row["member_number"]),
        member_name=str(row["member_name"]),
        product_name=str(row["product_name"]),
        principal=principal,
        term_months=int(row["term_months"]),
        method=method,
        method_label=method.label,
        monthly_rate_bp=int(row["monthly_rate_bp"]),
        status=status,
        status_label=status.label,
        applied_on=_as_date(row["applied_on"]),
        disbursed_on=_maybe_date(row["disbursed_on"]),
        closed_on=_maybe_date(row["closed_on"]),
        outstanding=outstanding if status is not LoanStatus.LUNAS else 0,
        remaining=state.remaining if running and state is not None else 0,
        next_due_date=nxt.due_date if nxt else None,
        next_due_amount=nxt.unpaid if nxt else 0,
        due_now=due_by(state, as_of) if running and state is not None else 0,
        days_past_due=dpd,
        collectibility=band.code if running else "",
        collectibility_label=band.label if running else "",
    )


async def list_loans(
    koperasi_id: int,
    as_of: date,
    *,
    statuses: list[LoanStatus] | None = None,
    member_number: str | None = None,
    member_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[LoanSummary]:
    """Loans of the koperasi, newest first (filtered by status and member)."""
    sql = f"SELECT {_LOAN_COLUMNS} FROM loan l JOIN member m ON m.id = l.member_id"
    sql += " WHERE l.koperasi_id = {}"
    args: list[Any] = [koperasi_id]
    if statuses:
        sql += f" AND l.status IN ({', '.join('{}' for _ in statuses)})"
        args += [s.value for s in statuses]
    if member_number is not None:
        sql += " AND m.member_number = {}"
        args.append(member_number)
    if member_id is not None:
        sql += " AND l.member_id = {}"
        args.append(member_id)
    sql += " ORDER BY l.number DESC LIMIT {} OFFSET {}"
    args += [max(1, min(limit, LIST_MAX)), max(offset, 0)]
    rows = [dict(r) for r in await Loan.raw(sql, *args).run()]
    states = await _states(koperasi_id, rows)
    return [_summary(row, states.get(int(row["id"])), as_of) for row in rows]


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    due_date: date
    principal: int
    interest: int
    total: int
    balance_after: int
    paid: int  # principal and interest paid
    penalty_charged: int
    penalty_paid: int
    state: str  # lunas | sebagian | terlambat | belum | dibebaskan
    state_label: str


INSTALLMENT_LABELS = {
    "lunas": N_("Lunas"),
    "sebagian": N_("Dibayar sebagian"),
    "terlambat": N_("Terlambat"),
    "belum": N_("Belum jatuh tempo"),
    "jatuh_tempo": N_("Jatuh tempo"),
    "dibebaskan": N_("Bunga dibebaskan"),
}


@dataclass(frozen=True)
class PaymentRow:
    receipt: str
    receipt_number: int
    kind: str
    kind_label: str
    paid_on: date
    amount: int
    penalty: int
    interest: int
    principal: int
    entry_number: int
    reversed: bool
    reversed_on: date | None
    reversal_reason: str


@dataclass(frozen=True)
class LoanDetail:
    loan: LoanSummary
    purpose: str
    decision_note: str
    decided_on: date | None
    provisi_bp: int
    admin_fee: int
    penalty_bp_per_day: int
    fees: int
    net_disbursed: int
    written_off: int
    principal_paid: int
    interest_paid: int
    penalty_paid: int
    preview: bool  # the schedule is a preview (not paid out yet), dated as if paid out today
    schedule: list[ScheduleRow]
    payments: list[PaymentRow]


def _schedule_rows(state: LoanState, status: LoanStatus, as_of: date) -> list[ScheduleRow]:
    rows = []
    for item in state.installments:
        if item.unpaid == 0:
            key = "lunas"
        elif status is LoanStatus.LUNAS and item.unpaid_principal == 0:
            key = "dibebaskan"  # a payoff waived its interest
        elif item.due_date < as_of:
            key = "terlambat"
        elif item.due_date == as_of:
            key = "jatuh_tempo"
        elif item.unpaid < item.principal + item.interest:
            key = "sebagian"
        else:
            key = "belum"
        rows.append(
            ScheduleRow(
                number=item.number,
                due_date=item.due_date,
                principal=item.principal,
                interest=item.interest,
                total=item.principal + item.interest,
                balance_after=0,
                paid=item.principal_paid + item.interest_paid,
                penalty_charged=item.penalty_charged,
                penalty_paid=item.penalty_paid,
                state=key,
                state_label=INSTALLMENT_LABELS[key],
            )
        )
    return rows


async def _payments(koperasi_id: int, loan_id: int) -> list[PaymentRow]:
    rows = await LoanPayment.raw(
        "SELECT p.number AS number, p.kind AS kind, p.paid_on AS paid_on, p.amount AS amount,"
        " p.penalty AS penalty, p.interest AS interest, p.principal AS principal,"
        " e.number AS entry_number, r.reversed_on AS reversed_on, r.reason AS reason"
        " FROM loan_payment p JOIN journal_entry e ON e.id = p.entry_id"
        " LEFT JOIN loan_payment_reversal r ON r.koperasi_id = p.koperasi_id"
        " AND r.payment_id = p.id"
        " WHERE p.koperasi_id = {} AND p.loan_id = {} ORDER BY p.number DESC",
        koperasi_id,
        loan_id,
    ).run()
    return [
        PaymentRow(
            receipt=payment_code(int(r["number"])),
            receipt_number=int(r["number"]),
            kind=str(r["kind"]),
            kind_label=KIND_LABELS[str(r["kind"])],
            paid_on=_as_date(r["paid_on"]),
            amount=int(r["amount"]),
            penalty=int(r["penalty"]),
            interest=int(r["interest"]),
            principal=int(r["principal"]),
            entry_number=int(r["entry_number"]),
            reversed=r["reversed_on"] is not None,
            reversed_on=_maybe_date(r["reversed_on"]),
            reversal_reason=str(r["reason"] or ""),
        )
        for r in rows
    ]


async def _detail(koperasi_id: int, row: dict[str, Any], as_of: date) -> LoanDetail:
    status = LoanStatus(row["status"])
    state = (await _states(koperasi_id, [row])).get(int(row["id"]))
    summary = _summary(row, state, as_of)
    preview = state is None
    if state is not None:
        rows = _schedule_rows(state, status, as_of)
        balances = {}
        balance = int(row["principal"])
        for item in state.installments:
            balance -= item.principal
            balances[item.number] = balance
        rows = [replace(r, balance_after=balances[r.number]) for r in rows]
    elif status in (LoanStatus.DIAJUKAN, LoanStatus.DISETUJUI):
        terms = _terms_of_loan(row)
        planned = schedule(
            int(row["principal"]),
            terms.method,
            terms.monthly_rate_bp,
            int(row["term_months"]),
            first_due_date(as_of),
            anchor_day=as_of.day,
        )
        rows = [
            ScheduleRow(
                number=i.number,
                due_date=i.due_date,
                principal=i.principal,
                interest=i.interest,
                total=i.total,
                balance_after=i.balance_after,
                paid=0,
                penalty_charged=0,
                penalty_paid=0,
                state="belum",
                state_label=INSTALLMENT_LABELS["belum"],
            )
            for i in planned
        ]
    else:
        rows = []
    fees = (
        int(row["fees"])
        if row["disbursed_on"] is not None
        else fees_of(int(row["principal"]), int(row["provisi_bp"]), int(row["admin_fee"])).total
    )
    return LoanDetail(
        loan=summary,
        purpose=str(row["purpose"] or ""),
        decision_note=str(row["decision_note"] or ""),
        decided_on=_maybe_date(row["decided_on"]),
        provisi_bp=int(row["provisi_bp"]),
        admin_fee=int(row["admin_fee"]),
        penalty_bp_per_day=int(row["penalty_bp_per_day"]),
        fees=fees,
        net_disbursed=int(row["principal"]) - fees,
        written_off=int(row["written_off"] or 0),
        principal_paid=state.principal_paid if state else 0,
        interest_paid=state.interest_paid if state else 0,
        penalty_paid=sum(i.penalty_paid for i in state.installments) if state else 0,
        preview=preview,
        schedule=rows,
        payments=await _payments(koperasi_id, int(row["id"])),
    )


async def loan_detail(
    koperasi_id: int, number: int, as_of: date, member_id: int | None = None
) -> LoanDetail:
    """One loan with its schedule (paid or not), its payments and what is due; with
    `member_id`, only if it is that member's."""
    return await _detail(koperasi_id, await _loan(koperasi_id, number, member_id), as_of)


async def member_loans(
    koperasi_id: int, member_id: int, as_of: date, limit: int = 20
) -> list[LoanDetail]:
    """A member's loans, newest first, each with its schedule and payments."""
    rows = await Loan.raw(
        f"SELECT {_LOAN_COLUMNS} FROM loan l JOIN member m ON m.id = l.member_id"
        " WHERE l.koperasi_id = {} AND l.member_id = {} ORDER BY l.number DESC LIMIT {}",
        koperasi_id,
        member_id,
        limit,
    ).run()
    return [await _detail(koperasi_id, dict(row), as_of) for row in rows]
