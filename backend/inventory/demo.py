"""Opening stock for the demo shops: every outlet of a demo koperasi with a shop gets one
purchase (on credit from the supplier: Dr Persediaan / Cr Utang usaha, dated `today`) of
each product whose stock is tracked, through the same door as real use. A few products get
a minimum their stock is at or below, so the low-stock list has something to show.

Idempotent: a koperasi that already has stock movements is left alone. Call it after the
demo's books (`backend.demo.books.load_demo_books`), which skip a koperasi that already has
journal entries."""

from __future__ import annotations

from datetime import date

from backend.catalog.tables import Product
from backend.demo import data
from backend.inventory.domain import Payment
from backend.inventory.service import (
    OutletInfo,
    PurchaseItem,
    has_movements,
    outlets,
    record_purchase,
)
from backend.ledger.service import ensure_chart
from backend.tenancy.tables import Koperasi

REFERENCE = "Stok awal (demo)"


def demo_quantity(index: int, outlet_index: int) -> int:
    """Units bought of the `index`-th product (from 0) for the `outlet_index`-th outlet:
    between 4 and 60, different per product; every seventh product only a few."""
    if index % 7 == 3:
        return 4 + outlet_index
    return 12 + (index * 17 + outlet_index * 5) % 49


def demo_min_stock(index: int) -> int:
    return 5 if index % 7 == 3 else 10 if index % 5 == 0 else 0


async def load_demo_stock(today: date) -> int:
    """Give each demo shop's products an opening stock; returns how many stock movements
    were recorded."""
    shops = [k.slug for k in data.KOPERASI if k.has_shop]
    rows = await Koperasi.select(Koperasi.id, Koperasi.slug).where(Koperasi.slug.is_in(shops))
    recorded = 0
    for row in sorted(rows, key=lambda r: r["slug"]):
        k = int(row["id"])
        if await has_movements(k):
            continue
        products = (
            await Product.select(Product.id, Product.sku, Product.cost_price)
            .where((Product.koperasi == k) & Product.track_stock.eq(True))
            .order_by(Product.id)
        )
        if not products:
            continue
        await ensure_chart(k)
        for index, product in enumerate(products):
            minimum = demo_min_stock(index)
            if minimum:
                await Product.update({Product.min_stock: minimum}).where(
                    (Product.koperasi == k) & (Product.id == product["id"])
                )
        places: list[OutletInfo | None] = [*await outlets(k)] or [None]
        for outlet_index, place in enumerate(places):
            posted = await record_purchase(
                k,
                place.id if place else None,
                [
                    PurchaseItem(p["sku"], demo_quantity(i, outlet_index), int(p["cost_price"]))
                    for i, p in enumerate(products)
                ],
                Payment.UTANG,
                today,
                REFERENCE,
            )
            recorded += posted.movements
    return recorded
