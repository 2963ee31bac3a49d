"""Piccolo tables of the catalog context."""

from piccolo.columns import BigInt, Boolean, ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.tenancy.tables import Koperasi


class Product(Table, tablename="product"):
    """A product of a koperasi's shop. Prices are whole rupiah. `sku` is unique per
    koperasi (a unique index made in the migration)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    sku = Varchar(length=40)
    barcode = Varchar(length=13, default="")
    name = Varchar(length=200)
    category = Varchar(length=60)
    unit = Varchar(length=20)
    price = BigInt()
    member_price = BigInt(null=True, default=None)
    cost_price = BigInt()
    track_stock = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
