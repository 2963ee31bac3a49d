"""Catalog API: pengurus manage their koperasi's products (add, change, retire, import from
Excel/CSV) and the shop settings (discount limit, static QRIS); pengurus and kasir read the
products and settings, and the POS device fetches its offline snapshot. Anggota and Dinas
officers use none of it. Every call works on the asker's own koperasi only."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody, PathParameter, QueryParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.catalog import service
from backend.catalog.domain import MAX_PRICE, MAX_STOCK, ProductFields
from backend.catalog.sheet import CATALOG_COLUMNS, CatalogPreview, RowAction, catalog_template
from backend.errors import AppError, Forbidden
from backend.formatting import number, rupiah
from backend.i18n import Translate, translator
from backend.imports.domain import ImportRefused, Issue, issue_text
from backend.imports.sheets import MAX_BYTES, Table, read_table
from backend.inventory import service as inventory
from backend.tenancy.tables import Koperasi
from backend.texts import N_
from backend.web import language_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_LIMIT = MAX_BYTES + 256 * 1024
Rupiah = Annotated[int, msgspec.Meta(ge=0, le=MAX_PRICE)]
Text = Annotated[str, msgspec.Meta(max_length=300)]
Code = Annotated[str, msgspec.Meta(max_length=60)]
MinStock = Annotated[int, msgspec.Meta(ge=0, le=MAX_STOCK)]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


def shop_staff(actor: Actor) -> int:
    """Pengurus and kasir of a koperasi read its catalog and stock."""
    if actor.role not in (Role.PENGURUS, Role.KASIR) or actor.koperasi_id is None:
        raise Forbidden(
            "shop_forbidden", N_("Hanya pengurus dan kasir yang dapat melihat data toko.")
        )
    return actor.koperasi_id


def shop_manager(actor: Actor) -> int:
    """Only pengurus change the catalog, the shop settings and the stock."""
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden("shop_forbidden", N_("Hanya pengurus yang dapat mengubah data toko."))
    return actor.koperasi_id


def _reader(request: Request[Any, Any, Any]) -> Translate:
    return translator(language_of(request.scope))


def _who(request: Request[Any, Any, Any], actor: Actor) -> dict[str, Any]:
    return {"actor_id": actor.user_id, "region_id": actor.region_id, "ip": client_ip(request.scope)}


class ProductIn(msgspec.Struct, forbid_unknown_fields=True):
    sku: Code
    name: Text
    price: Rupiah
    barcode: Code = ""
    category: Text = ""
    unit: Code = ""
    member_price: Rupiah | None = None
    cost_price: Rupiah = 0
    track_stock: bool = True
    min_stock: MinStock = 0
    active: bool = True


class ProductPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields given change; the SKU stays."""

    name: Text | Unset = UNSET
    price: Rupiah | Unset = UNSET
    barcode: Code | Unset = UNSET
    category: Text | Unset = UNSET
    unit: Code | Unset = UNSET
    member_price: Rupiah | Unset | None = UNSET
    cost_price: Rupiah | Unset = UNSET
    track_stock: bool | Unset = UNSET
    min_stock: MinStock | Unset = UNSET
    active: bool | Unset = UNSET


class ProductOut(msgspec.Struct):
    id: int
    sku: str
    barcode: str
    name: str
    category: str
    unit: str
    price: int
    member_price: int | None
    cost_price: int | None  # for pengurus only
    track_stock: bool
    min_stock: int
    active: bool


def product_out(product: service.ProductDetail, actor: Actor) -> ProductOut:
    return ProductOut(
        id=product.id,
        sku=product.sku,
        barcode=product.barcode,
        name=product.name,
        category=product.category,
        unit=product.unit,
        price=product.price,
        member_price=product.member_price,
        cost_price=product.cost_price if actor.role is Role.PENGURUS else None,
        track_stock=product.track_stock,
        min_stock=product.min_stock,
        active=product.active,
    )


class SettingsIn(msgspec.Struct, forbid_unknown_fields=True):
    max_discount_percent: Annotated[int, msgspec.Meta(ge=-1000, le=1000)]
    qris_payload: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class SnapshotProduct(msgspec.Struct):
    id: int
    sku: str
    barcode: str
    name: str
    category: str
    unit: str
    price: int
    member_price: int | None
    track_stock: bool
    stock: int


class SnapshotSettings(msgspec.Struct):
    max_discount_percent: int
    qris_payload: str


class PosSnapshot(msgspec.Struct):
    """What the POS caches to sell offline. `version` changes whenever anything in it does
    (a price, a product, the settings, the stock): a device that holds this version has
    nothing to fetch."""

    version: str
    generated_at: datetime
    outlet: str | None
    settings: SnapshotSettings
    products: list[SnapshotProduct]


def snapshot_version(settings: SnapshotSettings, products: list[SnapshotProduct]) -> str:
    digest = hashlib.sha256(msgspec.json.encode([settings, products]))
    return digest.hexdigest()[:16]


# --- imports ---------------------------------------------------------------------------------


@dataclass
class CatalogUploadForm:
    file: UploadFile | None = None
    update_existing: str = ""


CatalogUpload = Annotated[CatalogUploadForm, Body(media_type=RequestEncodingType.MULTI_PART)]


class ImportIssueOut(msgspec.Struct):
    row: int | None
    field: str
    code: str
    message: str


class ImportRowOut(msgspec.Struct):
    row: int
    sku: str
    name: str
    price: str
    action: str
    action_label: str
    changes: list[str]
    issues: list[ImportIssueOut]


class ImportPreviewOut(msgspec.Struct):
    file_type: str
    sheet: str
    update_existing: bool
    rows: list[ImportRowOut]
    counts: dict[str, int]
    problems: list[ImportIssueOut]
    ready: bool
    summary: str


class ImportedOut(msgspec.Struct):
    added: int
    updated: int
    unchanged: int
    left_alone: int
    message: str


FIELD_LABELS: dict[str, str] = {
    **{c.key: c.label for c in CATALOG_COLUMNS},
    "active": N_("Aktif"),
}


def _issue_out(row: int | None, issue: Issue, _: Translate) -> ImportIssueOut:
    return ImportIssueOut(row, issue.field, issue.code, issue_text(issue, _, FIELD_LABELS))


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "on", "ya", "yes")


async def _read(data: CatalogUploadForm) -> Table:
    if data.file is None or not data.file.filename:
        raise ImportRefused("file_required", N_("Pilih berkas Excel (.xlsx) atau CSV."))
    content = await data.file.read(MAX_BYTES + 1)
    # Parsing a big workbook takes a moment of CPU: keep the event loop answering others.
    return await asyncio.to_thread(read_table, data.file.filename, content, CATALOG_COLUMNS)


def _summary(preview: CatalogPreview, _: Translate) -> str:
    text = _(
        "{rows} baris: {new} baru, {update} diperbarui, {unchanged} tidak berubah, "
        "{existing} sudah ada (tidak diubah), {bad} bermasalah.",
        rows=number(len(preview.rows)),
        new=number(preview.count(RowAction.NEW)),
        update=number(preview.count(RowAction.UPDATE)),
        unchanged=number(preview.count(RowAction.UNCHANGED)),
        existing=number(preview.count(RowAction.EXISTING)),
        bad=number(preview.count(RowAction.ERROR)),
    )
    if preview.bad_rows:
        return text + " " + _("Perbaiki baris yang bermasalah di berkas, lalu periksa lagi.")
    if not preview.ready:
        return text
    if not preview.writes:
        return text + " " + _("Tidak ada barang baru atau yang diperbarui di berkas ini.")
    return text + " " + _("Berkas siap diimpor.")


def preview_out(
    preview: CatalogPreview, table: Table, update_existing: bool, _: Translate
) -> ImportPreviewOut:
    rows = []
    for raw, row in zip(table.rows, preview.rows, strict=True):
        name = row.fields.name if row.fields else str(raw.cells.get("name") or "")
        price = rupiah(row.fields.price) if row.fields else str(raw.cells.get("price") or "")
        rows.append(
            ImportRowOut(
                row=row.number,
                sku=row.sku,
                name=name,
                price=price,
                action=row.action.value,
                action_label=_(row.action.label),
                changes=[_(FIELD_LABELS.get(c, c)) for c in row.changes],
                issues=[_issue_out(row.number, issue, _) for issue in row.issues],
            )
        )
    return ImportPreviewOut(
        file_type=table.kind,
        sheet=table.sheet,
        update_existing=update_existing,
        rows=rows,
        counts={action.value: preview.count(action) for action in RowAction},
        problems=[_issue_out(None, issue, _) for issue in preview.problems],
        ready=preview.ready and preview.writes > 0,
        summary=_summary(preview, _),
    )


def _localize(error: AppError, _: Translate) -> None:
    """Fill a refusal's placeholders in the reader's language (the error handler would
    translate only the bare message)."""
    if isinstance(error, service.ImportRowsRefused):
        preview = error.preview
        error.details = [
            msgspec.structs.asdict(_issue_out(row.number, issue, _))
            for row in preview.bad_rows
            for issue in row.issues
        ] + [msgspec.structs.asdict(_issue_out(None, p, _)) for p in preview.problems]
        if preview.bad_rows:
            error.message = _(
                "Berkas masih bermasalah: {count} baris perlu diperbaiki. Tidak ada yang dicatat.",
                count=len(preview.bad_rows),
            )
        return
    params = getattr(error, "params", None)
    if params:
        error.message = _(error.message, **params)
    elif error.code == "barcode_taken" and error.details:
        error.message = _(error.message, sku=error.details[0].get("sku", ""))


class CatalogController(Controller):
    path = "/catalog"
    tags = ["toko"]
    request_max_body_size = UPLOAD_LIMIT

    @get("/products", summary="Daftar barang toko")
    async def products(
        self,
        request: Request[Any, Any, Any],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
        category: Annotated[str | None, QueryParameter(max_length=60)] = None,
        include_inactive: Annotated[bool, QueryParameter()] = False,
    ) -> list[ProductOut]:
        actor = require_actor(signed_in(request))
        found = await service.search_products(shop_staff(actor), q, category, include_inactive)
        return [product_out(p, actor) for p in found]

    @post("/products", summary="Tambah barang", status_code=201)
    async def add(self, request: Request[Any, Any, Any], data: JSONBody[ProductIn]) -> ProductOut:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        try:
            made = await service.create_product(
                k, ProductFields(**msgspec.structs.asdict(data)), **_who(request, actor)
            )
        except AppError as error:
            _localize(error, _reader(request))
            raise
        return product_out(made, actor)

    @patch("/products/{sku:str}", summary="Ubah barang (juga menonaktifkan)")
    async def change(
        self,
        request: Request[Any, Any, Any],
        sku: Annotated[str, PathParameter(max_length=60)],
        data: JSONBody[ProductPatch],
    ) -> ProductOut:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        changes = {
            name: value
            for name, value in msgspec.structs.asdict(data).items()
            if value is not UNSET
        }
        try:
            changed = await service.update_product(k, sku, changes, **_who(request, actor))
        except AppError as error:
            _localize(error, _reader(request))
            raise
        return product_out(changed, actor)

    @get("/settings", summary="Pengaturan toko")
    async def settings(self, request: Request[Any, Any, Any]) -> service.ShopSettingsInfo:
        actor = require_actor(signed_in(request))
        return await service.shop_settings(shop_staff(actor))

    @put("/settings", summary="Ubah pengaturan toko (batas diskon, QRIS)")
    async def set_settings(
        self, request: Request[Any, Any, Any], data: JSONBody[SettingsIn]
    ) -> service.ShopSettingsInfo:
        actor = require_actor(signed_in(request))
        return await service.set_shop_settings(
            shop_manager(actor),
            data.max_discount_percent,
            data.qris_payload,
            **_who(request, actor),
        )

    @get("/pos-snapshot", summary="Katalog untuk kasir offline (POS)")
    async def pos_snapshot(
        self,
        request: Request[Any, Any, Any],
        outlet: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> PosSnapshot:
        actor = require_actor(signed_in(request))
        k = shop_staff(actor)
        place = await inventory.outlet_by_code(k, outlet) if outlet else None
        rows = await inventory.pos_products(k, place.id if place else None)
        shop = await service.shop_settings(k)
        settings = SnapshotSettings(shop.max_discount_percent, shop.qris_payload)
        products = [SnapshotProduct(**row) for row in rows]
        return PosSnapshot(
            version=snapshot_version(settings, products),
            generated_at=datetime.now(UTC),
            outlet=place.code if place else None,
            settings=settings,
            products=products,
        )

    @get("/imports/template", summary="Templat Excel katalog (berisi barang yang ada)")
    async def template(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        products = await service.search_products(k, include_inactive=True)
        body = catalog_template([p.fields for p in products], _reader(request))
        row = await Koperasi.select(Koperasi.slug).where(Koperasi.id == k).first()
        slug = row["slug"] if row else "koperasi"
        return Response(
            body,
            media_type=XLSX_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="katalog-{slug}.xlsx"',
                "Cache-Control": "no-store",
            },
        )

    @post(
        "/imports/preview",
        summary="Periksa berkas katalog (tidak menyimpan apa pun)",
        status_code=200,
    )
    async def import_preview(
        self, request: Request[Any, Any, Any], data: CatalogUpload
    ) -> ImportPreviewOut:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        _ = _reader(request)
        update = _flag(data.update_existing)
        try:
            table = await _read(data)
            preview = await service.preview_import(k, table.rows, update)
        except AppError as error:
            _localize(error, _)
            raise
        return preview_out(preview, table, update, _)

    @post("/imports", summary="Impor katalog dari Excel/CSV", status_code=201)
    async def import_commit(
        self, request: Request[Any, Any, Any], data: CatalogUpload
    ) -> ImportedOut:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        _ = _reader(request)
        update = _flag(data.update_existing)
        try:
            table = await _read(data)
            result = await service.import_catalog(k, table.rows, update, **_who(request, actor))
        except AppError as error:
            _localize(error, _)
            raise
        message = _(
            "Katalog diimpor: {added} barang baru, {updated} diperbarui, {unchanged} tidak "
            "berubah, {left} sudah ada dan tidak diubah.",
            added=number(result.added),
            updated=number(result.updated),
            unchanged=number(result.unchanged),
            left=number(result.left_alone),
        )
        return ImportedOut(
            result.added, result.updated, result.unchanged, result.left_alone, message
        )
