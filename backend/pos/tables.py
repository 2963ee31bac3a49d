"""Piccolo tables of the point-of-sale context. Every row carries `koperasi_id`. A sale or
shift is created on a phone, possibly offline, with an id the phone chose (`client_id`); the
unique index on (koperasi_id, client_id) is what makes a sync exactly-once."""

from piccolo.columns import (
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import UserAccount
from backend.catalog.tables import Product
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.tenancy.tables import Koperasi, Outlet


class PosDevice(Table, tablename="pos_device"):
    """A phone registered as a till of one outlet. `code` (e.g. "T01-2") starts every receipt
    number the phone makes; unique per koperasi (index)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    outlet = ForeignKey(Outlet, db_column_name="outlet_id", null=False, on_delete=OnDelete.restrict)
    code = Varchar(length=20)
    name = Varchar(length=100, default="")
    registered_by = ForeignKey(
        UserAccount, db_column_name="registered_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(null=True, default=None)


class Shift(Table, tablename="pos_shift"):
    """A cashier's shift on one device: opened with starting cash, closed with the counted
    cash against what the sales say should be there."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    device = ForeignKey(
        PosDevice, db_column_name="device_id", null=False, on_delete=OnDelete.restrict
    )
    client_id = Varchar(length=36)
    cashier = ForeignKey(
        UserAccount, db_column_name="cashier_id", null=True, on_delete=OnDelete.restrict
    )
    opened_at = Timestamptz()
    opening_cash = BigInt(default=0)
    closed_at = Timestamptz(null=True, default=None)
    counted_cash = BigInt(null=True, default=None)
    expected_cash = BigInt(null=True, default=None)
    close_client_id = Varchar(length=36, null=True, default=None)
    close_entry = ForeignKey(
        JournalEntry, db_column_name="close_entry_id", null=True, on_delete=OnDelete.restrict
    )
    payload_hash = Varchar(length=64)
    close_payload_hash = Varchar(length=64, null=True, default=None)
    note = Text(default="")


class Sale(Table, tablename="pos_sale"):
    """A sale as the server accepted it: prices and totals recomputed from the catalog, its
    journal entry and stock movements written in the same transaction."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    outlet = ForeignKey(Outlet, db_column_name="outlet_id", null=False, on_delete=OnDelete.restrict)
    device = ForeignKey(
        PosDevice, db_column_name="device_id", null=False, on_delete=OnDelete.restrict
    )
    shift = ForeignKey(Shift, db_column_name="shift_id", null=True, on_delete=OnDelete.restrict)
    client_id = Varchar(length=36)
    receipt_number = Varchar(length=40)
    device_seq = Integer()
    sold_at = Timestamptz()
    received_at = Timestamptz(default=TimestamptzNow())
    member = ForeignKey(Member, db_column_name="member_id", null=True, on_delete=OnDelete.restrict)
    cashier = ForeignKey(
        UserAccount, db_column_name="cashier_id", null=True, on_delete=OnDelete.restrict
    )
    subtotal = BigInt()
    discount = BigInt(default=0)
    total = BigInt()
    payment_method = Varchar(length=10)
    cash_given = BigInt(null=True, default=None)
    change = BigInt(default=0)
    payload_hash = Varchar(length=64)
    entry = ForeignKey(
        JournalEntry, db_column_name="entry_id", null=False, on_delete=OnDelete.restrict
    )
    late = Boolean(default=False)  # arrived for a shift that was already closed
    oversold = Boolean(default=False)  # took some stock below zero (allowed, flagged)
    source = Varchar(length=10, default="pos")  # pos | api | csv (other retail apps)


class SaleLine(Table, tablename="pos_sale_line"):
    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    sale = ForeignKey(Sale, db_column_name="sale_id", null=False, on_delete=OnDelete.restrict)
    product = ForeignKey(
        Product, db_column_name="product_id", null=False, on_delete=OnDelete.restrict
    )
    quantity = Integer()
    unit_price = BigInt()
    discount = BigInt(default=0)
    line_total = BigInt()
    unit_cost = BigInt(default=0)


class ApiToken(Table, tablename="pos_api_token"):
    """A key another retail app uses to push its sales into one outlet's books. Only the
    SHA-256 of the token is kept; the token itself is shown once when it is made."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    device = ForeignKey(
        PosDevice, db_column_name="device_id", null=False, on_delete=OnDelete.restrict
    )
    name = Varchar(length=100)
    prefix = Varchar(length=12)
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
