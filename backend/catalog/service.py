"""Catalog use cases. Every query is scoped by `koperasi_id`; every change is written with
its audit record in one transaction. Products are never deleted: a product no longer sold
is made inactive, so sales and stock movements keep pointing at it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from piccolo.columns import Column

from backend.accounts import audit
from backend.catalog.domain import (
    PRODUCT_FIELDS,
    ProductFields,
    QrisInfo,
    check_discount_limit,
    normalize_sku,
    parse_barcode,
    product_changes,
    validate_product,
    validate_qris,
)
from backend.catalog.sheet import CatalogPreview, RowAction, check_catalog
from backend.catalog.tables import Product, ProductPriceChange, ShopSettings
from backend.db import contains_ignoring_case, is_sqlite, write_transaction
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.imports.domain import SheetRow
from backend.tenancy.tables import Koperasi
from backend.texts import N_

LIST_MAX = 1000


@dataclass(frozen=True)
class ProductInfo:
    """A product as the public price list shows it (no cost price, nothing internal)."""

    sku: str
    barcode: str
    name: str
    category: str
    unit: str
    price: int
    member_price: int | None


async def list_products(koperasi_id: int, category: str | None = None) -> list[ProductInfo]:
    """The public price list: the products on sale (active), by category and name."""
    query = Product.select(
        Product.sku,
        Product.barcode,
        Product.name,
        Product.category,
        Product.unit,
        Product.price,
        Product.member_price,
    ).where((Product.koperasi == koperasi_id) & Product.active.eq(True))
    if category:
        query = query.where(Product.category == category)
    rows = await query.order_by(Product.category).order_by(Product.name)
    return [ProductInfo(**row) for row in rows]


@dataclass(frozen=True)
class ProductDetail:
    """A product as pengurus manage it."""

    id: int
    sku: str
    barcode: str
    name: str
    category: str
    unit: str
    price: int
    member_price: int | None
    cost_price: int
    track_stock: bool
    min_stock: int
    active: bool

    @property
    def fields(self) -> ProductFields:
        return ProductFields(**{name: getattr(self, name) for name in PRODUCT_FIELDS})


_COLUMNS = (
    Product.id,
    Product.sku,
    Product.barcode,
    Product.name,
    Product.category,
    Product.unit,
    Product.price,
    Product.member_price,
    Product.cost_price,
    Product.track_stock,
    Product.min_stock,
    Product.active,
)


def _detail(row: dict[str, Any]) -> ProductDetail:
    return ProductDetail(
        id=int(row["id"]),
        sku=row["sku"],
        barcode=row["barcode"],
        name=row["name"],
        category=row["category"],
        unit=row["unit"],
        price=int(row["price"]),
        member_price=None if row["member_price"] is None else int(row["member_price"]),
        cost_price=int(row["cost_price"]),
        track_stock=bool(row["track_stock"]),
        min_stock=int(row["min_stock"]),
        active=bool(row["active"]),
    )


async def lock_shop(koperasi_id: int) -> None:
    """Catalog and stock writes of one koperasi take turns (PostgreSQL: the koperasi row,
    the lock the books take too; SQLite's IMMEDIATE transaction already serialises every
    writer), so a uniqueness check or a stock count holds until the commit."""
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


async def search_products(
    koperasi_id: int,
    q: str = "",
    category: str | None = None,
    include_inactive: bool = False,
    limit: int = LIST_MAX,
) -> list[ProductDetail]:
    """The koperasi's products by category and name; `q` searches the name, the SKU and the
    barcode."""
    query = Product.select(*_COLUMNS).where(Product.koperasi == koperasi_id)
    if not include_inactive:
        query = query.where(Product.active.eq(True))
    if category:
        query = query.where(Product.category == category)
    term = " ".join(q.split())
    if term:
        query = query.where(
            contains_ignoring_case(Product.name, term)
            | contains_ignoring_case(Product.sku, term)
            | Product.barcode.is_in(list({term, *_barcode_forms(term)}))
        )
    rows = await query.order_by(Product.category).order_by(Product.name).limit(limit)
    return [_detail(row) for row in rows]


def _barcode_forms(term: str) -> list[str]:
    try:
        code = parse_barcode(term).code
    except Exception:
        return []
    return [code] if code else []


async def categories(koperasi_id: int) -> list[str]:
    rows = (
        await Product.select(Product.category)
        .where((Product.koperasi == koperasi_id) & (Product.category != ""))
        .distinct()
        .order_by(Product.category)
    )
    return [row["category"] for row in rows]


async def product(koperasi_id: int, sku: str) -> ProductDetail:
    row = (
        await Product.select(*_COLUMNS)
        .where((Product.koperasi == koperasi_id) & (Product.sku == normalize_sku(sku)))
        .first()
    )
    if row is None:
        raise NotFound("product_not_found", N_("Barang tidak ditemukan di katalog koperasi ini."))
    return _detail(row)


async def products_by_sku(koperasi_id: int, skus: list[str]) -> dict[str, ProductDetail]:
    wanted = sorted({normalize_sku(s) for s in skus})
    if not wanted:
        return {}
    rows = await Product.select(*_COLUMNS).where(
        (Product.koperasi == koperasi_id) & Product.sku.is_in(wanted)
    )
    return {row["sku"]: _detail(row) for row in rows}


async def _sku_taken(koperasi_id: int, sku: str) -> bool:
    return bool(
        await Product.exists().where((Product.koperasi == koperasi_id) & (Product.sku == sku))
    )


async def _barcode_owner(koperasi_id: int, barcode: str) -> str | None:
    if not barcode:
        return None
    row = (
        await Product.select(Product.sku)
        .where((Product.koperasi == koperasi_id) & (Product.barcode == barcode))
        .first()
    )
    return None if row is None else str(row["sku"])


def barcode_taken(owner: str) -> Conflict:
    error = Conflict(
        "barcode_taken", N_("Barcode ini sudah dipakai barang lain ({sku}) di koperasi ini.")
    )
    error.details = [{"field": "barcode", "code": "barcode_taken", "sku": owner}]
    return error


async def create_product(
    koperasi_id: int,
    draft: ProductFields,
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> ProductDetail:
    clean = validate_product(draft)
    async with write_transaction():
        await lock_shop(koperasi_id)
        if await _sku_taken(koperasi_id, clean.sku):
            error = Conflict("sku_taken", N_("SKU ini sudah dipakai barang lain di koperasi ini."))
            error.details = [{"field": "sku", "code": "sku_taken"}]
            raise error
        owner = await _barcode_owner(koperasi_id, clean.barcode)
        if owner is not None:
            raise barcode_taken(owner)
        made = await Product.insert(Product(koperasi=koperasi_id, **asdict(clean))).returning(
            Product.id
        )
        await audit.record(
            "product_created",
            actor_id=actor_id,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            **asdict(clean),
        )
    return ProductDetail(id=int(made[0]["id"]), **asdict(clean))


async def remember_prices(koperasi_id: int, product_ids: list[int]) -> None:
    """Keep the prices these products have now, before they change (inside the caller's
    transaction): a till that was offline may still sell at them for a while."""
    rows = await Product.select(Product.id, Product.price, Product.member_price).where(
        (Product.koperasi == koperasi_id) & Product.id.is_in(product_ids)
    )
    if rows:
        await ProductPriceChange.insert(
            *[
                ProductPriceChange(
                    koperasi=koperasi_id,
                    product=row["id"],
                    old_price=row["price"],
                    old_member_price=row["member_price"],
                )
                for row in rows
            ]
        )


async def update_product(
    koperasi_id: int,
    sku: str,
    changes: dict[str, Any],
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> ProductDetail:
    """Change some fields of a product (its SKU stays). `changes`: field -> new value."""
    unknown = set(changes) - set(PRODUCT_FIELDS) | ({"sku"} & set(changes))
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    async with write_transaction():
        await lock_shop(koperasi_id)
        current = await product(koperasi_id, sku)
        new = validate_product(replace(current.fields, **changes))
        differences = product_changes(current.fields, new)
        if not differences:
            return current
        if "barcode" in differences:
            owner = await _barcode_owner(koperasi_id, new.barcode)
            if owner is not None and owner != current.sku:
                raise barcode_taken(owner)
        if {"price", "member_price"} & set(differences):
            await remember_prices(koperasi_id, [current.id])
        await Product.update(
            {getattr(Product, name): getattr(new, name) for name in differences}
        ).where((Product.koperasi == koperasi_id) & (Product.id == current.id))
        await audit.record(
            "product_changed",
            actor_id=actor_id,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            sku=current.sku,
            changes=differences,
        )
    return ProductDetail(id=current.id, **asdict(new))


# --- shop settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopSettingsInfo:
    max_discount_percent: int
    qris_payload: str
    qris_merchant_name: str
    qris_merchant_city: str


def _settings_info(max_discount_percent: int, qris: QrisInfo | None) -> ShopSettingsInfo:
    return ShopSettingsInfo(
        max_discount_percent=max_discount_percent,
        qris_payload=qris.payload if qris else "",
        qris_merchant_name=qris.merchant_name if qris else "",
        qris_merchant_city=qris.merchant_city if qris else "",
    )


async def shop_settings(koperasi_id: int) -> ShopSettingsInfo:
    """The shop's rules; a koperasi that never set them allows no discount and has no QRIS."""
    row = (
        await ShopSettings.select(ShopSettings.max_discount_percent, ShopSettings.qris_payload)
        .where(ShopSettings.koperasi == koperasi_id)
        .first()
    )
    if row is None:
        return _settings_info(0, None)
    try:
        qris = validate_qris(row["qris_payload"] or "")
    except Exception:  # stored before a stricter rule: shown as not set
        qris = None
    return _settings_info(int(row["max_discount_percent"]), qris)


async def set_shop_settings(
    koperasi_id: int,
    max_discount_percent: int,
    qris_payload: str,
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> ShopSettingsInfo:
    limit = check_discount_limit(max_discount_percent)
    qris = validate_qris(qris_payload)
    new = _settings_info(limit, qris)
    async with write_transaction():
        await lock_shop(koperasi_id)
        old = await shop_settings(koperasi_id)
        values: dict[Column | str, Any] = {
            ShopSettings.max_discount_percent: new.max_discount_percent,
            ShopSettings.qris_payload: new.qris_payload,
        }
        if await ShopSettings.exists().where(ShopSettings.koperasi == koperasi_id):
            await ShopSettings.update(values).where(ShopSettings.koperasi == koperasi_id)
        else:
            await ShopSettings.insert(
                ShopSettings(
                    koperasi=koperasi_id,
                    max_discount_percent=new.max_discount_percent,
                    qris_payload=new.qris_payload,
                )
            )
        changes = {
            f.name: [getattr(old, f.name), getattr(new, f.name)]
            for f in fields(ShopSettingsInfo)
            if f.name in ("max_discount_percent", "qris_payload")
            and getattr(old, f.name) != getattr(new, f.name)
        }
        if changes:
            await audit.record(
                "shop_settings_changed",
                actor_id=actor_id,
                region_id=region_id,
                koperasi_id=koperasi_id,
                ip=ip,
                changes=changes,
            )
    return new


# --- import from a spreadsheet ----------------------------------------------------------------


async def catalog_fields(koperasi_id: int) -> dict[str, ProductFields]:
    """SKU -> fields of every product of the koperasi (active or not)."""
    rows = await Product.select(*_COLUMNS).where(Product.koperasi == koperasi_id)
    return {row["sku"]: _detail(row).fields for row in rows}


async def preview_import(
    koperasi_id: int, rows: Sequence[SheetRow], update_existing: bool
) -> CatalogPreview:
    """Every row with what importing it would do and, for a bad row, why; stores nothing."""
    existing = await catalog_fields(koperasi_id)
    owners = {f.barcode: sku for sku, f in existing.items() if f.barcode}
    return check_catalog(rows, existing, owners, update_existing)


class ImportRowsRefused(ValidationFailed):
    """The file still has bad rows: nothing was written (422)."""

    def __init__(self, preview: CatalogPreview) -> None:
        code = preview.problems[0].code if preview.problems else "import_rows_invalid"
        super().__init__(code, N_("Berkas masih bermasalah. Tidak ada yang dicatat."))
        self.preview = preview


@dataclass(frozen=True)
class CatalogImported:
    added: int
    updated: int
    unchanged: int
    left_alone: int


async def import_catalog(
    koperasi_id: int,
    rows: Sequence[SheetRow],
    update_existing: bool,
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> CatalogImported:
    """Add the new products and (when asked) update the changed ones, all or nothing. A file
    imported again adds nothing: its rows are then unchanged (or left alone)."""
    async with write_transaction():
        await lock_shop(koperasi_id)
        preview = await preview_import(koperasi_id, rows, update_existing)
        if not preview.ready:
            raise ImportRowsRefused(preview)
        new = [row.fields for row in preview.rows if row.action is RowAction.NEW and row.fields]
        for start in range(0, len(new), 400):
            await Product.insert(
                *[Product(koperasi=koperasi_id, **asdict(f)) for f in new[start : start + 400]]
            )
        updates = [r for r in preview.rows if r.action is RowAction.UPDATE and r.fields]
        repriced = [r.sku for r in updates if {"price", "member_price"} & set(r.changes)]
        if repriced:
            ids = await Product.select(Product.id).where(
                (Product.koperasi == koperasi_id) & Product.sku.is_in(repriced)
            )
            await remember_prices(koperasi_id, [int(row["id"]) for row in ids])
        for row in updates:
            assert row.fields is not None
            await Product.update(
                {getattr(Product, name): getattr(row.fields, name) for name in row.changes}
            ).where((Product.koperasi == koperasi_id) & (Product.sku == row.sku))
        result = CatalogImported(
            added=len(new),
            updated=len(updates),
            unchanged=preview.count(RowAction.UNCHANGED),
            left_alone=preview.count(RowAction.EXISTING),
        )
        await audit.record(
            "catalog_imported",
            actor_id=actor_id,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            added=[f.sku for f in new],
            updated={r.sku: list(r.changes) for r in updates},
        )
    return result
