"""Inventory use cases. Stock lives at a place: an outlet, or the store room (no outlet);
current stock is the SQL sum of the movements, per place or in total. Purchases,
adjustments and stock counts post their journal entries in the same transaction as their
movements; a sale's movements join the POS's transaction (its entry is the POS's)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from backend.accounts import audit
from backend.catalog.domain import normalize_sku
from backend.catalog.service import ProductDetail, lock_shop, products_by_sku
from backend.catalog.tables import Product
from backend.db import write_transaction
from backend.errors import NotFound, ValidationFailed
from backend.inventory.domain import (
    Payment,
    PurchaseLine,
    StockKind,
    average_cost,
    check_adjustment,
    check_purchase,
    count_differences,
    is_low,
    oversold,
    purchase_lines,
    stock_value_lines,
)
from backend.inventory.tables import StockMovement
from backend.ledger.service import post_entry
from backend.tenancy.tables import Outlet
from backend.texts import N_

SOURCE = "stock"  # journal entries this context posts
HISTORY_MAX = 100
INSERT_BATCH = 400


@dataclass(frozen=True)
class OutletInfo:
    id: int
    code: str
    name: str


async def outlets(koperasi_id: int) -> list[OutletInfo]:
    rows = (
        await Outlet.select(Outlet.id, Outlet.code, Outlet.name)
        .where(Outlet.koperasi == koperasi_id)
        .order_by(Outlet.code)
    )
    return [OutletInfo(int(r["id"]), r["code"], r["name"]) for r in rows]


async def outlet_by_code(koperasi_id: int, code: str) -> OutletInfo:
    row = (
        await Outlet.select(Outlet.id, Outlet.code, Outlet.name)
        .where((Outlet.koperasi == koperasi_id) & (Outlet.code == code.strip()))
        .first()
    )
    if row is None:
        raise NotFound("outlet_not_found", N_("Outlet tidak ditemukan di koperasi ini."))
    return OutletInfo(int(row["id"]), row["code"], row["name"])


# --- reading stock ---------------------------------------------------------------------------


def _ids(product_ids: Sequence[int] | None) -> tuple[str, list[int]]:
    """An `AND product_id IN (…)` clause for the products asked for (all when None)."""
    if product_ids is None:
        return "", []
    ids = list(product_ids) or [0]
    return f" AND product_id IN ({', '.join('{}' for _ in ids)})", ids


async def stock_by_place(
    koperasi_id: int, product_ids: Sequence[int] | None = None
) -> dict[int, dict[int | None, int]]:
    """product -> place (outlet id, None for the store room) -> quantity, for places with
    movements. Reads the levels the database keeps (migration "stock levels")."""
    clause, ids = _ids(product_ids)
    rows = await StockMovement.raw(
        "SELECT product_id, place, quantity FROM stock_level WHERE koperasi_id = {}" + clause,
        koperasi_id,
        *ids,
    ).run()
    stock: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in rows:
        place = int(row["place"])
        stock[int(row["product_id"])][place or None] = int(row["quantity"])
    return dict(stock)


async def stock_at(
    koperasi_id: int, outlet_id: int | None, product_ids: Sequence[int] | None = None
) -> dict[int, int]:
    """product -> quantity at one place (an outlet, or with None the store room)."""
    clause, ids = _ids(product_ids)
    rows = await StockMovement.raw(
        "SELECT product_id, quantity FROM stock_level WHERE koperasi_id = {} AND place = {}"
        + clause,
        koperasi_id,
        outlet_id or 0,
        *ids,
    ).run()
    return {int(r["product_id"]): int(r["quantity"]) for r in rows}


async def stock_totals(
    koperasi_id: int, product_ids: Sequence[int] | None = None
) -> dict[int, int]:
    """product -> quantity over every place."""
    clause, ids = _ids(product_ids)
    rows = await StockMovement.raw(
        "SELECT product_id, SUM(quantity) AS quantity FROM stock_level WHERE koperasi_id = {}"
        + clause
        + " GROUP BY product_id",
        koperasi_id,
        *ids,
    ).run()
    return {int(r["product_id"]): int(r["quantity"] or 0) for r in rows}


@dataclass(frozen=True)
class PlaceStock:
    outlet: str | None  # the outlet's code; None: the store room
    quantity: int


@dataclass(frozen=True)
class StockRow:
    product_id: int
    sku: str
    name: str
    category: str
    unit: str
    min_stock: int
    active: bool
    stock: int  # at the outlet asked for, else in total
    places: list[PlaceStock]
    low: bool


async def stock_list(
    koperasi_id: int, outlet: OutletInfo | None = None, low_only: bool = False
) -> list[StockRow]:
    """Stock of every product whose stock is tracked (retired ones only while they still
    hold stock), at `outlet` or in total, with where it is; `low_only`: those at or below
    their minimum."""
    products = (
        await Product.select(
            Product.id,
            Product.sku,
            Product.name,
            Product.category,
            Product.unit,
            Product.min_stock,
            Product.active,
        )
        .where((Product.koperasi == koperasi_id) & Product.track_stock.eq(True))
        .order_by(Product.category)
        .order_by(Product.name)
    )
    places = await stock_by_place(koperasi_id)
    codes = {o.id: o.code for o in await outlets(koperasi_id)}
    rows = []
    for product in products:
        at = places.get(int(product["id"]), {})
        total = sum(at.values())
        if not product["active"] and total == 0:
            continue
        stock = at.get(outlet.id, 0) if outlet else total
        low = is_low(stock, int(product["min_stock"]))
        if low_only and not (low and product["active"]):
            continue
        rows.append(
            StockRow(
                product_id=int(product["id"]),
                sku=product["sku"],
                name=product["name"],
                category=product["category"],
                unit=product["unit"],
                min_stock=int(product["min_stock"]),
                active=bool(product["active"]),
                stock=stock,
                places=[
                    PlaceStock(None if place is None else codes.get(place, "?"), quantity)
                    for place, quantity in sorted(
                        at.items(), key=lambda item: codes.get(item[0] or 0, "")
                    )
                ],
                low=low,
            )
        )
    return rows


# --- sales (called by the POS inside its own transaction) ------------------------------------


async def record_sale_movements(
    koperasi_id: int,
    outlet_id: int | None,
    lines: list[tuple[int, int]],
    reference: str,
    created_by: int | None,
    costs: dict[int, int] | None = None,
) -> list[int]:
    """A sale's stock movements: for each (product id, quantity sold) of a product whose
    stock is tracked, a negative movement of kind penjualan at `outlet_id`, valued at the
    product's cost price. Joins the caller's transaction. Selling past zero is allowed:
    returns the product ids whose stock at that place is now below zero (oversold).

    `costs`: product id -> cost price of the tracked products, when the caller (the POS,
    which priced the sale) already read them in this transaction; else they are read."""
    sold: dict[int, int] = defaultdict(int)
    for product_id, quantity in lines:
        if quantity < 0:
            raise ValidationFailed(
                "quantity_invalid", N_("Jumlah barang berupa bilangan bulat lebih dari nol.")
            )
        if quantity:
            sold[product_id] += quantity
    if not sold:
        return []
    async with write_transaction():
        if costs is None:
            costs = await _tracked_costs(koperasi_id, list(sold))
        elif set(sold) - set(costs):
            raise ValidationFailed(
                "product_not_found", N_("Barang tidak ditemukan di katalog koperasi ini.")
            )
        tracked = sorted(p for p in sold if p in costs)
        if not tracked:
            return []
        values: list[Any] = []
        now = datetime.now(UTC)
        for p in tracked:
            values += [koperasi_id, outlet_id, p, -sold[p], StockKind.PENJUALAN.value]
            values += [reference[:100], costs[p], created_by, now]
        # Plain SQL on the hot path of every sale (one multi-row INSERT).
        await StockMovement.raw(
            "INSERT INTO stock_movement (koperasi_id, outlet_id, product_id, quantity, kind,"
            " reference, note, unit_cost, created_by_id, created_at) VALUES "
            + ", ".join("({}, {}, {}, {}, {}, {}, '', {}, {}, {})" for _ in tracked),
            *values,
        ).run()
        after = await stock_at(koperasi_id, outlet_id, tracked)
    return oversold(after, tracked)


async def _tracked_costs(koperasi_id: int, product_ids: list[int]) -> dict[int, int]:
    """product id -> cost price of those products whose stock is tracked; every product
    must be in the koperasi's catalog."""
    rows = await Product.select(Product.id, Product.cost_price, Product.track_stock).where(
        (Product.koperasi == koperasi_id) & Product.id.is_in(product_ids)
    )
    if len(rows) != len(set(product_ids)):
        raise ValidationFailed(
            "product_not_found", N_("Barang tidak ditemukan di katalog koperasi ini.")
        )
    return {int(r["id"]): int(r["cost_price"]) for r in rows if r["track_stock"]}


# --- purchases, adjustments, counts ---------------------------------------------------------


def _tracked(products: dict[str, ProductDetail], skus: Sequence[str]) -> list[ProductDetail]:
    """The products named, in the order given: each must exist and have its stock tracked."""
    chosen = []
    for sku in skus:
        detail = products.get(sku)
        if detail is None:
            raise NotFound(
                "product_not_found", N_("Barang tidak ditemukan di katalog koperasi ini.")
            )
        if not detail.track_stock:
            raise ValidationFailed(
                "stock_not_tracked",
                N_("Stok barang ini tidak dilacak (misalnya pulsa): tidak ada stok yang dicatat."),
                "sku",
            )
        chosen.append(detail)
    return chosen


async def _insert(movements: list[StockMovement]) -> None:
    for start in range(0, len(movements), INSERT_BATCH):
        await StockMovement.insert(*movements[start : start + INSERT_BATCH])


def _description(text: str, detail: str) -> str:
    return f"{text}: {detail}"[:300] if detail else text


@dataclass(frozen=True)
class PurchaseItem:
    sku: str
    quantity: int
    unit_cost: int


@dataclass(frozen=True)
class Posted:
    """What a purchase, adjustment or count wrote."""

    movements: int
    value: int  # rupiah: the purchase's total; an adjustment's or count's net change at cost
    entry_number: int | None  # None when nothing of value changed
    oversold: list[str]  # SKUs now below zero at that place


async def record_purchase(
    koperasi_id: int,
    outlet_id: int | None,
    items: Sequence[PurchaseItem],
    payment: Payment,
    entry_date: date,
    reference: str = "",
    *,
    created_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> Posted:
    """Goods bought into stock at `outlet_id`: a movement per product, each product's cost
    price moved to the moving average, and Dr Persediaan / Cr Kas or Utang usaha."""
    reference = " ".join(reference.split())[:100]
    async with write_transaction():
        await lock_shop(koperasi_id)
        products = await products_by_sku(koperasi_id, [i.sku for i in items])
        chosen = _tracked(products, [normalize_sku(i.sku) for i in items])
        lines = [
            PurchaseLine(p.id, i.quantity, i.unit_cost) for p, i in zip(chosen, items, strict=True)
        ]
        total = check_purchase(lines)
        before = await stock_totals(koperasi_id, [p.id for p in chosen])
        for product, line in zip(chosen, lines, strict=True):
            cost = average_cost(
                before.get(product.id, 0), product.cost_price, line.quantity, line.unit_cost
            )
            if cost != product.cost_price:
                await Product.update({Product.cost_price: cost}).where(
                    (Product.koperasi == koperasi_id) & (Product.id == product.id)
                )
        entry = None
        if total > 0:
            entry = await post_entry(
                koperasi_id,
                entry_date,
                _description("Pembelian barang dagangan", reference),
                purchase_lines(total, payment),
                source=SOURCE,
                created_by=created_by,
            )
        await _insert(
            [
                StockMovement(
                    koperasi=koperasi_id,
                    outlet=outlet_id,
                    product=line.product_id,
                    quantity=line.quantity,
                    kind=StockKind.PEMBELIAN.value,
                    reference=reference,
                    unit_cost=line.unit_cost,
                    entry=entry.id if entry else None,
                    created_by=created_by,
                )
                for line in lines
            ]
        )
        await audit.record(
            "stock_purchase",
            actor_id=created_by,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            outlet=outlet_id,
            payment=payment.value,
            total=total,
            lines=[
                [p.sku, line.quantity, line.unit_cost]
                for p, line in zip(chosen, lines, strict=True)
            ],
            entry=entry.number if entry else None,
        )
    return Posted(len(lines), total, entry.number if entry else None, [])


async def record_adjustment(
    koperasi_id: int,
    outlet_id: int | None,
    sku: str,
    quantity: int,
    reason: str,
    entry_date: date,
    *,
    created_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> Posted:
    """Stock found (+) or lost, broken or expired (−) at `outlet_id`, valued at the
    product's cost price: Dr Persediaan / Cr Beban usaha or the reverse."""
    quantity, reason = check_adjustment(quantity, reason)
    async with write_transaction():
        await lock_shop(koperasi_id)
        products = await products_by_sku(koperasi_id, [sku])
        [product] = _tracked(products, [normalize_sku(sku)])
        value = quantity * product.cost_price
        lines = stock_value_lines(value, product.sku)
        entry = None
        if lines:
            entry = await post_entry(
                koperasi_id,
                entry_date,
                _description(f"Penyesuaian stok {product.sku}", reason),
                lines,
                source=SOURCE,
                created_by=created_by,
            )
        await StockMovement.insert(
            StockMovement(
                koperasi=koperasi_id,
                outlet=outlet_id,
                product=product.id,
                quantity=quantity,
                kind=StockKind.PENYESUAIAN.value,
                note=reason,
                unit_cost=product.cost_price,
                entry=entry.id if entry else None,
                created_by=created_by,
            )
        )
        after = await stock_at(koperasi_id, outlet_id, [product.id])
        await audit.record(
            "stock_adjustment",
            actor_id=created_by,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            outlet=outlet_id,
            sku=product.sku,
            quantity=quantity,
            reason=reason,
            value=value,
            entry=entry.number if entry else None,
        )
    return Posted(
        1,
        value,
        entry.number if entry else None,
        [product.sku] if after.get(product.id, 0) < 0 else [],
    )


@dataclass(frozen=True)
class CountedLine:
    sku: str
    name: str
    expected: int
    counted: int
    difference: int
    value: int


@dataclass(frozen=True)
class CountResult:
    lines: list[CountedLine]
    movements: int
    value: int
    entry_number: int | None


async def record_count(
    koperasi_id: int,
    outlet_id: int | None,
    counts: Sequence[tuple[str, int]],
    entry_date: date,
    note: str = "",
    *,
    created_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> CountResult:
    """A stock count (opname) at one place: for each counted product the difference
    between the count and the movements becomes an opname movement; the net value at cost
    posts one entry (stock found Dr Persediaan / Cr Beban usaha, lost the reverse)."""
    note = " ".join(note.split())[:200]
    if not counts:
        raise ValidationFailed("lines_required", N_("Isi paling sedikit satu barang."), "lines")
    async with write_transaction():
        await lock_shop(koperasi_id)
        skus = [normalize_sku(sku) for sku, _ in counts]
        if len(set(skus)) != len(skus):
            raise ValidationFailed(
                "product_repeated",
                N_("Barang yang sama tertulis dua kali: gabungkan jumlahnya dalam satu baris."),
                "lines",
            )
        products = await products_by_sku(koperasi_id, skus)
        chosen = _tracked(products, skus)
        counted = {p.id: quantity for p, (_, quantity) in zip(chosen, counts, strict=True)}
        expected = await stock_at(koperasi_id, outlet_id, list(counted))
        differences = count_differences(expected, counted)
        value = sum(differences.get(p.id, 0) * p.cost_price for p in chosen)
        entry = None
        lines = stock_value_lines(value)
        if lines:
            entry = await post_entry(
                koperasi_id,
                entry_date,
                _description("Selisih stok opname", note),
                lines,
                source=SOURCE,
                created_by=created_by,
            )
        await _insert(
            [
                StockMovement(
                    koperasi=koperasi_id,
                    outlet=outlet_id,
                    product=p.id,
                    quantity=differences[p.id],
                    kind=StockKind.OPNAME.value,
                    note=note,
                    unit_cost=p.cost_price,
                    entry=entry.id if entry else None,
                    created_by=created_by,
                )
                for p in chosen
                if p.id in differences
            ]
        )
        result_lines = [
            CountedLine(
                sku=p.sku,
                name=p.name,
                expected=expected.get(p.id, 0),
                counted=counted[p.id],
                difference=differences.get(p.id, 0),
                value=differences.get(p.id, 0) * p.cost_price,
            )
            for p in chosen
        ]
        await audit.record(
            "stock_count",
            actor_id=created_by,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            outlet=outlet_id,
            counted=len(chosen),
            differences={p.sku: differences[p.id] for p in chosen if p.id in differences},
            value=value,
            entry=entry.number if entry else None,
        )
    return CountResult(result_lines, len(differences), value, entry.number if entry else None)


# --- history ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MovementItem:
    id: int
    created_at: datetime
    kind: StockKind
    kind_label: str
    sku: str
    name: str
    outlet: str | None
    quantity: int
    unit_cost: int
    reference: str
    note: str
    entry_number: int | None
    created_by: str | None


@dataclass(frozen=True)
class MovementPage:
    items: list[MovementItem]
    next_before: int | None


async def movements(
    koperasi_id: int, sku: str | None = None, before: int | None = None, limit: int = 50
) -> MovementPage:
    """The koperasi's movements, newest first, `limit` at a time (`before`: the id the
    previous page gave as `next_before`); `sku`: one product's only."""
    query = StockMovement.select(
        StockMovement.id,
        StockMovement.created_at,
        StockMovement.kind,
        StockMovement.product.sku.as_alias("sku"),
        StockMovement.product.name.as_alias("name"),
        StockMovement.outlet.code.as_alias("outlet"),
        StockMovement.quantity,
        StockMovement.unit_cost,
        StockMovement.reference,
        StockMovement.note,
        StockMovement.entry.number.as_alias("entry_number"),
        StockMovement.created_by.display_name.as_alias("created_by"),
    ).where(StockMovement.koperasi == koperasi_id)
    if sku is not None:
        product = await products_by_sku(koperasi_id, [sku])
        if not product:
            raise NotFound(
                "product_not_found", N_("Barang tidak ditemukan di katalog koperasi ini.")
            )
        query = query.where(StockMovement.product == next(iter(product.values())).id)
    if before is not None:
        query = query.where(StockMovement.id < before)
    rows = await query.order_by(StockMovement.id, ascending=False).limit(limit + 1)
    items = [_movement(row) for row in rows[:limit]]
    return MovementPage(items, items[-1].id if len(rows) > limit else None)


def _movement(row: dict[str, Any]) -> MovementItem:
    kind = StockKind(row["kind"])
    return MovementItem(
        id=int(row["id"]),
        created_at=row["created_at"],
        kind=kind,
        kind_label=kind.label,
        sku=row["sku"],
        name=row["name"],
        outlet=row["outlet"],
        quantity=int(row["quantity"]),
        unit_cost=int(row["unit_cost"]),
        reference=row["reference"],
        note=row["note"],
        entry_number=row["entry_number"],
        created_by=row["created_by"],
    )


async def has_movements(koperasi_id: int) -> bool:
    return bool(await StockMovement.exists().where(StockMovement.koperasi == koperasi_id))


# --- the POS snapshot -------------------------------------------------------------------------

_POS_PRODUCTS = """
SELECT p.id, p.sku, p.barcode, p.name, p.category, p.unit, p.price, p.member_price,
       p.track_stock, COALESCE(s.quantity, 0) AS stock
FROM product p
LEFT JOIN (
    SELECT product_id, SUM(quantity) AS quantity
    FROM stock_level
    WHERE koperasi_id = {{}} {outlet}
    GROUP BY product_id
) s ON s.product_id = p.id
WHERE p.koperasi_id = {{}} AND p.active = {{}}
ORDER BY p.category, p.name, p.id
"""


async def pos_products(koperasi_id: int, outlet_id: int | None) -> list[dict[str, Any]]:
    """Every active product with its stock (at the outlet, or in total), in one query: what
    the POS caches to sell offline."""
    if outlet_id is None:
        sql, args = _POS_PRODUCTS.format(outlet=""), [koperasi_id, koperasi_id, True]
    else:
        sql = _POS_PRODUCTS.format(outlet="AND place = {}")
        args = [koperasi_id, outlet_id, koperasi_id, True]
    rows = await StockMovement.raw(sql, *args)
    return [
        {
            "id": int(r["id"]),
            "sku": r["sku"],
            "barcode": r["barcode"],
            "name": r["name"],
            "category": r["category"],
            "unit": r["unit"],
            "price": int(r["price"]),
            "member_price": None if r["member_price"] is None else int(r["member_price"]),
            "track_stock": bool(r["track_stock"]),
            "stock": int(r["stock"] or 0) if r["track_stock"] else 0,
        }
        for r in rows
    ]
