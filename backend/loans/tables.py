"""Piccolo tables of the loans context. Every row carries `koperasi_id`; unique keys include
it (unique indexes made in `migrations/loans/*_keys.py`, decision 0002).

A loan's terms are copied from its product when it is applied for, so a later change of
the product never changes a loan. The schedule (`loan_installment`) is written once, at
disbursement; payments (`loan_payment`, with their split per installment in
`loan_payment_line`) are never changed — a correction is a `loan_payment_reversal`. The
database refuses UPDATE and DELETE on those four tables (migration `*_immutable`)."""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import UserAccount
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.tenancy.tables import Koperasi


class LoanProduct(Table, tablename="loan_product"):
    """A kind of loan a koperasi offers. Unique per koperasi: name."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    name = Varchar(length=100)
    method = Varchar(length=12)  # domain.Method
    monthly_rate_bp = Integer()  # 150 = 1,5% per month
    min_term_months = Integer()
    max_term_months = Integer()
    provisi_bp = Integer(default=0)  # of the principal, deducted at disbursement
    admin_fee = BigInt(default=0)  # whole rupiah, deducted at disbursement
    penalty_bp_per_day = Integer(default=0)  # of the overdue installment amount, per day
    min_amount = BigInt()
    max_amount = BigInt()
    savings_multiple_bp = Integer(default=0)  # 30000 = 3 x total savings; 0 = no such limit
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Loan(Table, tablename="loan"):
    """A loan from application to its end. Unique per koperasi: number. Its terms are the
    product's at application; status moves diajukan -> disetujui -> dicairkan -> lunas |
    dihapusbukukan (or ditolak / dibatalkan before disbursement)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    number = Integer()
    member = ForeignKey(Member, db_column_name="member_id", null=False, on_delete=OnDelete.restrict)
    product = ForeignKey(
        LoanProduct, db_column_name="product_id", null=False, on_delete=OnDelete.restrict
    )
    product_name = Varchar(length=100)
    principal = BigInt()
    term_months = Integer()
    method = Varchar(length=12)
    monthly_rate_bp = Integer()
    provisi_bp = Integer()
    admin_fee = BigInt()
    penalty_bp_per_day = Integer()
    purpose = Varchar(length=300, default="")
    status = Varchar(length=16, default="diajukan")
    applied_on = Date()
    applied_by = ForeignKey(
        UserAccount, db_column_name="applied_by_id", null=True, on_delete=OnDelete.restrict
    )
    decided_on = Date(null=True, default=None)
    decided_by = ForeignKey(
        UserAccount, db_column_name="decided_by_id", null=True, on_delete=OnDelete.restrict
    )
    decision_note = Varchar(length=300, default="")
    disbursed_on = Date(null=True, default=None)
    disbursed_by = ForeignKey(
        UserAccount, db_column_name="disbursed_by_id", null=True, on_delete=OnDelete.restrict
    )
    disbursement_entry = ForeignKey(
        JournalEntry,
        db_column_name="disbursement_entry_id",
        null=True,
        on_delete=OnDelete.restrict,
    )
    fees = BigInt(default=0)  # provisi + administrasi, kept at disbursement
    closed_on = Date(null=True, default=None)  # lunas or written off
    write_off_entry = ForeignKey(
        JournalEntry, db_column_name="write_off_entry_id", null=True, on_delete=OnDelete.restrict
    )
    written_off = BigInt(default=0)  # principal written off
    created_at = Timestamptz(default=TimestamptzNow())


class LoanInstallment(Table, tablename="loan_installment"):
    """One row of a disbursed loan's schedule (angsuran). Unique per koperasi: (loan,
    number)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    loan = ForeignKey(Loan, db_column_name="loan_id", null=False, on_delete=OnDelete.restrict)
    number = Integer()
    due_date = Date()
    principal = BigInt()
    interest = BigInt()
    total = BigInt()
    balance_after = BigInt()


class LoanPayment(Table, tablename="loan_payment"):
    """Money a member paid on a loan (an installment payment or the payoff), with its split
    and the journal entry posted with it. Unique per koperasi: number (the receipt)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    loan = ForeignKey(Loan, db_column_name="loan_id", null=False, on_delete=OnDelete.restrict)
    number = Integer()
    kind = Varchar(length=12)  # angsuran | pelunasan
    paid_on = Date()
    amount = BigInt()
    penalty = BigInt()
    interest = BigInt()
    principal = BigInt()
    entry = ForeignKey(
        JournalEntry, db_column_name="entry_id", null=False, on_delete=OnDelete.restrict
    )
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())


class LoanPaymentLine(Table, tablename="loan_payment_line"):
    """A payment's effect on one installment: the late penalty charged at that payment and
    what it paid of penalty, interest and principal."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    payment = ForeignKey(
        LoanPayment, db_column_name="payment_id", null=False, on_delete=OnDelete.restrict
    )
    loan = ForeignKey(Loan, db_column_name="loan_id", null=False, on_delete=OnDelete.restrict)
    installment_number = Integer()
    penalty_charged = BigInt(default=0)
    penalty = BigInt(default=0)
    interest = BigInt(default=0)
    principal = BigInt(default=0)


class LoanPaymentReversal(Table, tablename="loan_payment_reversal"):
    """A payment taken back (entered by mistake): its mirror journal entry. Unique per
    koperasi: payment (a payment is reversed at most once)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    payment = ForeignKey(
        LoanPayment, db_column_name="payment_id", null=False, on_delete=OnDelete.restrict
    )
    loan = ForeignKey(Loan, db_column_name="loan_id", null=False, on_delete=OnDelete.restrict)
    reversed_on = Date()
    reason = Varchar(length=300, default="")
    entry = ForeignKey(
        JournalEntry, db_column_name="entry_id", null=False, on_delete=OnDelete.restrict
    )
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
