"""Piccolo tables of the inventory context."""

from piccolo.columns import (
    BigInt,
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
from backend.catalog.tables import Product
from backend.ledger.tables import JournalEntry
from backend.tenancy.tables import Koperasi, Outlet


class StockMovement(Table, tablename="stock_movement"):
    """One change of a product's stock: `quantity` is signed (a sale takes away, a purchase
    adds). Current stock is the SUM of the quantities, per outlet or in total; `outlet` is
    empty for stock kept outside the outlets (a store room). Never updated or deleted (the
    database refuses it): a mistake is corrected by a new movement.

    `kind` is domain.StockKind; `unit_cost` the value of one unit in whole rupiah when it
    moved; `entry` the journal entry this context posted for it (a sale's entry belongs to
    the POS, which names the sale in `reference`)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    outlet = ForeignKey(Outlet, db_column_name="outlet_id", null=True, on_delete=OnDelete.restrict)
    product = ForeignKey(
        Product, db_column_name="product_id", null=False, on_delete=OnDelete.restrict
    )
    quantity = Integer()
    kind = Varchar(length=12)
    reference = Varchar(length=100, default="")
    note = Varchar(length=200, default="")
    unit_cost = BigInt(default=0)
    entry = ForeignKey(
        JournalEntry, db_column_name="entry_id", null=True, on_delete=OnDelete.restrict
    )
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
