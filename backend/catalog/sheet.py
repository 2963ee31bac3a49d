"""The product list as a spreadsheet: the columns an import reads, checking every row of an
uploaded file against the catalog (pure: the service hands in the products the koperasi
already has), and the Excel template. Parsing cells and reading files is the imports
context's (`backend.imports`): the same rupiah and text rules as every other import.

Exactly once per SKU: a row whose SKU is new adds a product; a row whose SKU exists updates
it only when the person ticked "perbarui yang sudah ada", else it is reported and left
alone; a row equal to what is stored changes nothing, so importing a file twice adds
nothing the second time. In an update a blank optional cell keeps what is stored."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import xlsxwriter

from backend.catalog.domain import (
    DEFAULT_UNIT,
    ProductFields,
    check_product,
    normalize_sku,
    product_changes,
)
from backend.formatting import number
from backend.i18n import Translate
from backend.imports.domain import (
    EXAMPLE_MARK,
    Cell,
    CellError,
    Column,
    Issue,
    SheetRow,
    cell_text,
    parse_rupiah,
)
from backend.imports.sheets import MAX_BYTES, MAX_ROWS
from backend.texts import N_

CATALOG_COLUMNS: tuple[Column, ...] = (
    Column(
        "sku",
        "sku",
        N_("SKU"),
        ("kode", "kode barang", "kode produk", "plu", "kode item", "item code"),
    ),
    Column(
        "barcode",
        "barcode",
        N_("Barcode"),
        ("kode batang", "ean", "ean13", "ean 13", "upc"),
        required=False,
    ),
    Column(
        "name",
        "nama barang",
        N_("Nama barang"),
        ("nama", "nama produk", "produk", "barang", "name", "item", "item name"),
    ),
    Column("category", "kategori", N_("Kategori"), ("category", "golongan", "jenis"), False),
    Column("unit", "satuan", N_("Satuan"), ("unit", "uom"), required=False),
    Column(
        "price",
        "harga jual",
        N_("Harga jual"),
        ("harga", "harga umum", "price"),
        numeric=True,
    ),
    Column(
        "member_price",
        "harga anggota",
        N_("Harga anggota"),
        ("member price",),
        required=False,
        numeric=True,
    ),
    Column(
        "cost_price",
        "harga pokok",
        N_("Harga pokok"),
        ("harga beli", "hpp", "harga modal", "modal", "cost"),
        required=False,
        numeric=True,
    ),
    Column(
        "track_stock",
        "lacak stok",
        N_("Lacak stok"),
        ("stok dilacak", "pakai stok", "track stock"),
        required=False,
    ),
    Column(
        "min_stock",
        "stok minimum",
        N_("Stok minimum"),
        ("stok min", "minimum stok", "min stock"),
        required=False,
        numeric=True,
    ),
)

_YES = {"ya", "y", "yes", "1", "true", "benar", "iya", "v", "x"}
_NO = {"tidak", "t", "no", "n", "0", "false", "salah", "bukan", "-"}


class RowAction(StrEnum):
    NEW = "new"  # a product to add
    UPDATE = "update"  # an existing product to change (the box was ticked)
    UNCHANGED = "unchanged"  # already in the catalog exactly so
    EXISTING = "existing"  # already in the catalog, differs, box not ticked: left alone
    ERROR = "error"  # refused: the issues say why

    @property
    def label(self) -> str:
        return {
            "new": N_("Baru"),
            "update": N_("Diperbarui"),
            "unchanged": N_("Tidak berubah"),
            "existing": N_("Sudah ada"),
            "error": N_("Bermasalah"),
        }[self.value]


@dataclass(frozen=True)
class CatalogRow:
    number: int
    sku: str
    fields: ProductFields | None  # what the product will be (None: refused)
    action: RowAction
    issues: tuple[Issue, ...] = ()
    changes: tuple[str, ...] = ()  # fields an update (or a left-alone row) would change


@dataclass(frozen=True)
class CatalogPreview:
    rows: tuple[CatalogRow, ...]
    problems: tuple[Issue, ...]

    def count(self, action: RowAction) -> int:
        return sum(1 for row in self.rows if row.action is action)

    @property
    def bad_rows(self) -> list[CatalogRow]:
        return [row for row in self.rows if row.action is RowAction.ERROR]

    @property
    def ready(self) -> bool:
        """Nothing refused: the file can be imported (perhaps writing nothing)."""
        return not self.problems and not self.bad_rows

    @property
    def writes(self) -> int:
        """Rows that add or change a product."""
        return self.count(RowAction.NEW) + self.count(RowAction.UPDATE)


def parse_flag(cell: Cell) -> bool | None:
    """Ya/tidak (also y/n, 1/0, yes/no, true/false); blank is None."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell).lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError("flag_invalid", N_("Tulis ya atau tidak."))


def parse_count(cell: Cell) -> int | None:
    """A whole number of units, zero or more; blank is None."""
    if cell is None or isinstance(cell, bool):
        if cell is None:
            return None
        raise CellError("count_invalid", N_("Tulis bilangan bulat, nol atau lebih."))
    if isinstance(cell, float):
        if not math.isfinite(cell) or not cell.is_integer():
            raise CellError("count_invalid", N_("Tulis bilangan bulat, nol atau lebih."))
        cell = int(cell)
    if isinstance(cell, int):
        value = cell
    else:
        text = cell_text(cell).replace(".", "")
        if not text:
            return None
        if not text.isdigit():
            raise CellError("count_invalid", N_("Tulis bilangan bulat, nol atau lebih."))
        value = int(text)
    if value < 0:
        raise CellError("count_invalid", N_("Tulis bilangan bulat, nol atau lebih."))
    return value


def _barcode_text(cell: Cell) -> str:
    # Excel keeps a 13-digit barcode typed as a number exactly (15 digits are safe); a
    # UPC-A whose leading 0 Excel dropped is 11 digits and reads as no valid code.
    return cell_text(cell).replace(" ", "")


def _given(cells: Mapping[str, Cell], key: str) -> bool:
    value = cells.get(key)
    return value is not None and not (isinstance(value, str) and not value.strip())


def check_catalog(
    rows: Sequence[SheetRow],
    existing: Mapping[str, ProductFields],
    barcode_owners: Mapping[str, str],
    update_existing: bool,
) -> CatalogPreview:
    """Every row of a product file, checked against the koperasi's catalog (`existing`:
    SKU -> its fields; `barcode_owners`: barcode -> SKU)."""
    checked: list[CatalogRow] = []
    seen_skus: dict[str, int] = {}
    seen_barcodes: dict[str, int] = {}
    for row in rows:
        cells = row.cells
        issues: list[Issue] = []
        sku = normalize_sku(cell_text(cells.get("sku")))
        name = cell_text(cells.get("name"))
        if EXAMPLE_MARK in name.lower():
            issues.append(
                Issue(
                    "",
                    "example_row",
                    N_(
                        "Ini baris contoh dari templat: hapus baris ini atau ganti dengan data "
                        "sebenarnya."
                    ),
                )
            )
        current = existing.get(sku)
        base = current or ProductFields(sku=sku, name="", price=0)
        values: dict[str, Any] = {"sku": sku}
        for key in ("name", "category", "unit"):
            if _given(cells, key) or current is None:
                values[key] = cell_text(cells.get(key))
        if _given(cells, "barcode") or current is None:
            values["barcode"] = _barcode_text(cells.get("barcode"))
        for key in ("price", "member_price", "cost_price"):
            if not _given(cells, key) and current is not None:
                continue
            try:
                amount = parse_rupiah(cells.get(key))
            except CellError as error:
                issues.append(Issue(key, error.code, error.message, error.params))
                continue
            values[key] = (amount or None) if key == "member_price" else amount
        for key, parse in (("track_stock", parse_flag), ("min_stock", parse_count)):
            try:
                parsed = parse(cells.get(key))
            except CellError as error:
                issues.append(Issue(key, error.code, error.message, error.params))
                continue
            if parsed is not None:
                values[key] = parsed
        if current is None:
            values.setdefault("unit", DEFAULT_UNIT)
        fields, problems = check_product(replace(base, **values))
        issues += [Issue(p.field, p.code, p.message) for p in problems]
        if sku and sku in seen_skus:
            issues.append(
                Issue(
                    "sku",
                    "sku_repeated",
                    N_("SKU {sku} sudah ada di baris {row}."),
                    {"sku": sku, "row": seen_skus[sku]},
                )
            )
        seen_skus.setdefault(sku, row.number)
        barcode = fields.barcode
        if barcode and not any(i.field == "barcode" for i in issues):
            owner = barcode_owners.get(barcode)
            if owner is not None and owner != sku:
                issues.append(
                    Issue(
                        "barcode",
                        "barcode_taken",
                        N_("Barcode ini sudah dipakai barang lain ({sku}) di koperasi ini."),
                        {"sku": owner},
                    )
                )
            elif barcode in seen_barcodes:
                issues.append(
                    Issue(
                        "barcode",
                        "barcode_repeated",
                        N_("Barcode ini sudah ada di baris {row}."),
                        {"row": seen_barcodes[barcode]},
                    )
                )
            seen_barcodes.setdefault(barcode, row.number)
        if issues:
            checked.append(CatalogRow(row.number, sku, None, RowAction.ERROR, tuple(issues)))
            continue
        if current is None:
            checked.append(CatalogRow(row.number, sku, fields, RowAction.NEW))
            continue
        changes = tuple(product_changes(current, fields))
        if not changes:
            action = RowAction.UNCHANGED
        else:
            action = RowAction.UPDATE if update_existing else RowAction.EXISTING
        checked.append(CatalogRow(row.number, sku, fields, action, (), changes))
    empty = () if checked else (Issue("", "no_rows", N_("Berkas tidak berisi baris data.")),)
    return CatalogPreview(tuple(checked), empty)


# --- the template ----------------------------------------------------------------------------

_TEXT, _MONEY, _COUNT = "text", "money", "count"
_KINDS = (_TEXT, _TEXT, _TEXT, _TEXT, _TEXT, _MONEY, _MONEY, _MONEY, _TEXT, _COUNT)
_WIDTHS = (16, 16, 36, 18, 10, 14, 14, 14, 11, 13)


def _instructions(_: Translate) -> list[str]:
    return [
        _(
            "1. Satu baris untuk setiap barang. Wajib diisi: SKU (kode barang), nama barang "
            "dan harga jual."
        ),
        _(
            "2. SKU berupa huruf, angka, titik, garis miring atau tanda hubung, unik di koperasi. "
            "Barcode boleh kosong; bila diisi, EAN-13 (13 angka) dengan angka terakhir yang "
            "cocok, atau kode toko sendiri yang diawali angka 2."
        ),
        _(
            "3. Harga dalam rupiah bulat tanpa desimal, misalnya 15000 atau 15.000. Harga anggota "
            "boleh kosong dan tidak boleh lebih tinggi daripada harga jual."
        ),
        _(
            "4. Lacak stok: ya atau tidak (kosong berarti ya). Barang seperti pulsa tidak "
            "dilacak stoknya. Stok minimum: barang masuk daftar stok menipis bila stoknya "
            "sebanyak itu atau kurang."
        ),
        _(
            "5. SKU yang sudah ada di katalog hanya diperbarui bila Anda mencentang “perbarui "
            "yang sudah ada”; sel yang kosong tidak mengubah data yang tersimpan. Mengimpor "
            "berkas yang sama dua kali tidak menambah apa pun."
        ),
        _("6. Hapus baris contoh (yang bertanda “(contoh)”) sebelum mengunggah."),
        _(
            "Batas: satu berkas paling besar {size} MB dan paling banyak {rows} baris data. "
            "Berkas CSV (UTF-8, dipisah koma atau titik koma) dengan kolom yang sama juga "
            "diterima.",
            size=MAX_BYTES // (1024 * 1024),
            rows=number(MAX_ROWS),
        ),
    ]


def catalog_template(products: Sequence[ProductFields], _: Translate) -> bytes:
    """The Excel file to fill in: the header, then the koperasi's products (to edit and
    import again with "perbarui yang sudah ada") or, for an empty catalog, one example
    row; and a sheet of instructions."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#E3F1EC", "border": 1})
    formats = {
        _TEXT: workbook.add_format({"num_format": "@"}),
        _MONEY: workbook.add_format({"num_format": "#,##0"}),
        _COUNT: workbook.add_format({"num_format": "0"}),
    }
    sheet = workbook.add_worksheet("Katalog")
    for index, (column, kind, width) in enumerate(
        zip(CATALOG_COLUMNS, _KINDS, _WIDTHS, strict=True)
    ):
        # Whole columns keep their format, so a barcode typed later stays text.
        sheet.set_column(index, index, width, formats[kind])
        sheet.write_string(0, index, column.header, header)
    rows: Sequence[ProductFields] = products or [
        ProductFields(
            sku="GLA-1KG",
            barcode="",
            name="Gula Pasir 1 kg (contoh)",
            category="Sembako",
            unit="kg",
            price=18_000,
            member_price=17_500,
            cost_price=16_400,
            min_stock=10,
        )
    ]
    for number_, product in enumerate(rows, start=1):
        values: list[str | int | None] = [
            product.sku,
            product.barcode,
            product.name,
            product.category,
            product.unit,
            product.price,
            product.member_price,
            product.cost_price,
            "ya" if product.track_stock else "tidak",
            product.min_stock,
        ]
        for index, (value, kind) in enumerate(zip(values, _KINDS, strict=True)):
            if value is None or value == "":
                continue
            if kind == _TEXT:
                sheet.write_string(number_, index, str(value), formats[kind])
            else:
                sheet.write_number(number_, index, int(value), formats[kind])
    sheet.freeze_panes(1, 0)
    guide = workbook.add_worksheet(_("Petunjuk")[:31])
    guide.set_column(0, 0, 100)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    guide.write_string(0, 0, _("Petunjuk"), workbook.add_format({"bold": True, "font_size": 14}))
    for row, line in enumerate(_instructions(_), start=2):
        guide.write_string(row, 0, line, wrap)
    workbook.close()
    return buffer.getvalue()
