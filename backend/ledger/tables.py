"""Piccolo tables of the ledger context. Every row carries `koperasi_id`; journal lines
carry it too so that statements aggregate one tenant's lines without a join."""

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
from backend.tenancy.tables import Koperasi


class LedgerAccount(Table, tablename="ledger_account"):
    """An account of one koperasi's chart. `code` is unique per koperasi (unique index)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    code = Varchar(length=20)
    name = Varchar(length=200)
    type = Varchar(length=12)
    contra = Boolean(default=False)
    cash_flow = Varchar(length=12, default="operasi")  # domain.CashFlow
    created_at = Timestamptz(default=TimestamptzNow())


class JournalEntry(Table, tablename="journal_entry"):
    """A posted entry: never updated or deleted; corrected by a reversing entry.
    `number` runs per koperasi without gaps (unique index)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    number = Integer()
    entry_date = Date()
    period = Varchar(length=7)
    description = Varchar(length=300)
    source = Varchar(length=20, default="manual")
    reverses: ForeignKey["JournalEntry"] = ForeignKey(
        "self", db_column_name="reverses_id", null=True, on_delete=OnDelete.restrict
    )
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())


class JournalLine(Table, tablename="journal_line"):
    """A line of a posted entry. `koperasi_id` and `entry_date` are copied from the entry
    (both immutable) so statements sum one tenant's lines by date without a join."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    entry = ForeignKey(
        JournalEntry, db_column_name="entry_id", null=False, on_delete=OnDelete.restrict
    )
    entry_date = Date()
    account = ForeignKey(
        LedgerAccount, db_column_name="account_id", null=False, on_delete=OnDelete.restrict
    )
    debit = BigInt(default=0)
    credit = BigInt(default=0)
    memo = Varchar(length=200, default="")


class PeriodClose(Table, tablename="period_close"):
    """A closed month of one koperasi: it accepts no posting (unique index on koperasi,
    period)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    period = Varchar(length=7)
    closed_by = ForeignKey(
        UserAccount, db_column_name="closed_by_id", null=True, on_delete=OnDelete.restrict
    )
    closed_at = Timestamptz(default=TimestamptzNow())
