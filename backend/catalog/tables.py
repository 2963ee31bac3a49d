"""Piccolo tables of the catalog context."""

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

from backend.tenancy.tables import Koperasi


class Product(Table, tablename="product"):
    """A product of a koperasi's shop. Prices are whole rupiah. `sku` is unique per
    koperasi, and so is `barcode` when it is not empty (unique indexes made in the
    migrations). A product is never deleted: one no longer sold is made inactive
    (`active`), so every sale and stock movement keeps pointing at it."""

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
    active = Boolean(default=True)
    min_stock = Integer(default=0)  # on the low-stock list at or below this
    created_at = Timestamptz(default=TimestamptzNow())


class ShopSettings(Table, tablename="shop_settings"):
    """A koperasi's shop rules set by pengurus (one row per koperasi, unique index):
    the largest line discount a cashier may give, in percent, and the koperasi's static
    QRIS payload (checked by its CRC), from which the POS makes a QR with the amount."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    max_discount_percent = Integer(default=0)
    qris_payload = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class ProductPriceChange(Table, tablename="product_price_change"):
    """The prices a product had before a change, and when they stopped. A till that was
    offline sells at the price it knew: the sync accepts such a price for a while (see
    `backend.pos`) instead of sending an honest sale to review."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    product = ForeignKey(
        Product, db_column_name="product_id", null=False, on_delete=OnDelete.restrict
    )
    old_price = BigInt()
    old_member_price = BigInt(null=True, default=None)
    changed_at = Timestamptz(default=TimestamptzNow())
