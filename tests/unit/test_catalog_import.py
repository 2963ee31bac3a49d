"""Checking the rows of a product file without a database: each bad row with why, SKUs
exactly once (new, updated only when asked, unchanged, left alone), barcodes unique, and
the template read back as a file the import accepts."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.catalog.domain import ProductFields, gtin_check_digit, validate_product
from backend.catalog.sheet import (
    CATALOG_COLUMNS,
    CatalogPreview,
    RowAction,
    catalog_template,
    check_catalog,
    parse_count,
    parse_flag,
)
from backend.i18n import translator
from backend.imports.domain import Cell, CellError, SheetRow
from backend.imports.sheets import read_table

EXISTING = {
    "GLA-1KG": validate_product(
        ProductFields(
            sku="GLA-1KG",
            name="Gula Pasir 1 kg",
            price=18_000,
            barcode="8999999000011",
            category="Sembako",
            unit="kg",
            member_price=17_500,
            cost_price=16_400,
        )
    )
}
OWNERS = {"8999999000011": "GLA-1KG"}


def row(number: int, **cells: Cell) -> SheetRow:
    return SheetRow(number, cells)


def check(
    *rows: SheetRow, update: bool = False, existing: Mapping[str, ProductFields] = EXISTING
) -> CatalogPreview:
    return check_catalog(rows, existing, OWNERS if existing else {}, update)


def test_new_rows_with_defaults() -> None:
    preview = check(
        row(2, sku="mie-grg", name="Mi Instan Goreng", price="Rp 3.500"),
        row(3, sku="PLS-10K", name="Pulsa 10.000", price=12000.0, track_stock="tidak"),
    )
    assert [r.action for r in preview.rows] == [RowAction.NEW, RowAction.NEW]
    first = preview.rows[0].fields
    assert first is not None
    assert (first.sku, first.price, first.unit, first.track_stock) == ("MIE-GRG", 3500, "pcs", True)
    assert preview.rows[1].fields is not None and not preview.rows[1].fields.track_stock
    assert preview.ready


def test_each_bad_row_says_why() -> None:
    preview = check(
        row(2, sku="", name="Tanpa kode", price=1000),
        row(3, sku="A-1", name="", price=1000),
        row(4, sku="A-2", name="Harga nol", price=""),
        row(5, sku="A-3", name="Harga desimal", price="1.500,50"),
        row(6, sku="A-4", name="Barcode salah", price=1000, barcode="8999999000012"),
        row(7, sku="A-5", name="Anggota lebih mahal", price=1000, member_price=2000),
        row(8, sku="A-6", name="Stok aneh", price=1000, min_stock="banyak", track_stock="mungkin"),
        row(9, sku="A-7", name="Gula (contoh)", price=1000),
    )
    codes = {r.number: [i.code for i in r.issues] for r in preview.rows}
    assert codes == {
        2: ["sku_required"],
        3: ["name_required"],
        4: ["price_required"],
        5: ["amount_decimal", "price_required"],
        6: ["barcode_check_digit"],
        7: ["member_price_above_price"],
        8: ["flag_invalid", "count_invalid"],
        9: ["example_row"],
    }
    assert all(r.action is RowAction.ERROR for r in preview.rows)
    assert not preview.ready
    fields = {r.number: {i.field for i in r.issues} for r in preview.rows}
    assert fields[6] == {"barcode"} and fields[8] == {"track_stock", "min_stock"}


def test_repeated_skus_and_barcodes() -> None:
    preview = check(
        row(2, sku="A-1", name="Satu", price=1000, barcode="4006381333931"),
        row(3, sku="a-1", name="Satu lagi", price=1000),
        row(4, sku="A-2", name="Dua", price=1000, barcode="4006381333931"),
        row(5, sku="A-3", name="Tiga", price=1000, barcode="8999999000011"),  # GLA-1KG's
    )
    assert [r.action for r in preview.rows] == [RowAction.NEW] + [RowAction.ERROR] * 3
    assert [i.code for i in preview.rows[1].issues] == ["sku_repeated"]
    assert dict(preview.rows[1].issues[0].params) == {"sku": "A-1", "row": 2}
    assert [i.code for i in preview.rows[2].issues] == ["barcode_repeated"]
    assert [i.code for i in preview.rows[3].issues] == ["barcode_taken"]


def test_existing_skus_exactly_once() -> None:
    same = row(2, sku="gla-1kg", name="Gula Pasir 1 kg", price=18000)  # blank cells: as stored
    dearer = row(3, sku="GLA-1KG", name="Gula Pasir 1 kg", price=19000)
    assert check(same).rows[0].action is RowAction.UNCHANGED
    assert check(same).ready and check(same).writes == 0  # nothing to write
    left = check(dearer).rows[0]
    assert (left.action, left.changes) == (RowAction.EXISTING, ("price",))
    updated = check(dearer, update=True).rows[0]
    assert updated.action is RowAction.UPDATE
    assert updated.fields is not None
    assert (updated.fields.price, updated.fields.cost_price, updated.fields.barcode) == (
        19000,
        16_400,
        "8999999000011",
    )
    # Its own barcode is no conflict.
    own = row(2, sku="GLA-1KG", name="Gula Pasir 1 kg", price=18000, barcode="8999999000011")
    assert check(own).rows[0].action is RowAction.UNCHANGED


def test_an_empty_file_is_a_problem() -> None:
    preview = check()
    assert [p.code for p in preview.problems] == ["no_rows"]
    assert not preview.ready


def test_flags_and_counts() -> None:
    assert parse_flag("Ya") is True and parse_flag("TIDAK") is False and parse_flag(None) is None
    assert parse_flag(1) is True and parse_flag(0.0) is False and parse_flag(" ") is None
    assert parse_count(12.0) == 12 and parse_count("1.200") == 1200 and parse_count("") is None
    for bad in (-1, 1.5, "dua", True):
        with pytest.raises(CellError):
            parse_count(bad)


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[A-Z0-9]{1,8}", fullmatch=True),
            st.integers(1, 10**7),
            st.text(alphabet="0123456789", min_size=12, max_size=12),
        ),
        max_size=12,
    )
)
def test_a_file_checked_against_its_own_import_changes_nothing(
    items: list[tuple[str, int, str]],
) -> None:
    """Whatever a file adds, checking it again against the catalog it made finds every row
    unchanged (or refused as before): importing twice adds nothing."""
    rows = [
        row(
            n,
            sku=sku,
            name=f"Barang {sku}",
            price=price,
            barcode=body + str(gtin_check_digit(body)),
        )
        for n, (sku, price, body) in enumerate(items, start=2)
    ]
    first = check_catalog(rows, {}, {}, update_existing=True)
    made = {r.sku: r.fields for r in first.rows if r.action is RowAction.NEW and r.fields}
    owners = {f.barcode: sku for sku, f in made.items()}
    second = check_catalog(rows, made, owners, update_existing=True)
    for before, after in zip(first.rows, second.rows, strict=True):
        if before.action is RowAction.NEW:
            assert after.action is RowAction.UNCHANGED
        else:
            assert after.action is RowAction.ERROR


def test_the_template_reads_back() -> None:
    _ = translator("id")
    empty = catalog_template([], _)
    table = read_table("katalog.xlsx", empty, CATALOG_COLUMNS)
    assert [r.number for r in table.rows] == [2]
    preview = check_catalog(table.rows, {}, {}, False)
    assert [i.code for i in preview.rows[0].issues] == ["example_row"]
    filled = catalog_template(list(EXISTING.values()), translator("en"))
    table = read_table("katalog.xlsx", filled, CATALOG_COLUMNS)
    again = check_catalog(table.rows, EXISTING, OWNERS, True)
    assert [r.action for r in again.rows] == [RowAction.UNCHANGED]


def test_csv_with_indonesian_headers() -> None:
    content = (
        b"Kode Barang;Nama Barang;Harga Jual;Harga Anggota;Barcode;Lacak Stok\n"
        b"TEH-25;Teh Celup isi 25;8.500;;8999999000141;ya\n"
    )
    table = read_table("katalog.csv", content, CATALOG_COLUMNS)
    preview = check_catalog(table.rows, {}, {}, False)
    fields = preview.rows[0].fields
    assert fields is not None
    assert (fields.sku, fields.price, fields.member_price) == ("TEH-25", 8500, None)
