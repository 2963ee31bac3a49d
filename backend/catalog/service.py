"""Catalog use cases. Every query is scoped by `koperasi_id`."""

from __future__ import annotations

from dataclasses import dataclass

from backend.catalog.tables import Product


@dataclass(frozen=True)
class ProductInfo:
    sku: str
    barcode: str
    name: str
    category: str
    unit: str
    price: int
    member_price: int | None


async def list_products(koperasi_id: int, category: str | None = None) -> list[ProductInfo]:
    query = Product.select(
        Product.sku,
        Product.barcode,
        Product.name,
        Product.category,
        Product.unit,
        Product.price,
        Product.member_price,
    ).where(Product.koperasi == koperasi_id)
    if category:
        query = query.where(Product.category == category)
    rows = await query.order_by(Product.category).order_by(Product.name)
    return [ProductInfo(**row) for row in rows]
