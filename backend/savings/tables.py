"""Piccolo tables of the savings context."""

from piccolo.columns import (
    BigInt,
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


class SavingsPolicyRow(Table, tablename="savings_policy"):
    """A koperasi's savings settings (one row per koperasi, unique index)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    pokok_amount = BigInt(default=100_000)
    wajib_monthly = BigInt(default=25_000)
    pokok_account = Varchar(length=20, default="3-1100")
    wajib_account = Varchar(length=20, default="3-1200")
    sukarela_account = Varchar(length=20, default="2-1100")
    cash_account = Varchar(length=20, default="1-1100")


class SavingsMovement(Table, tablename="savings_movement"):
    """A deposit or withdrawal, with the journal entry that recorded it. A member's balance
    of a kind is the sum of these (deposits minus withdrawals). `receipt_number` runs per
    koperasi (unique index)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    member = ForeignKey(Member, db_column_name="member_id", null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=10)
    movement = Varchar(length=6)
    amount = BigInt()
    signed_amount = BigInt()  # +deposit / -withdrawal: balances are plain sums
    movement_date = Date()
    receipt_number = Integer()
    entry = ForeignKey(
        JournalEntry, db_column_name="entry_id", null=False, on_delete=OnDelete.restrict
    )
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
