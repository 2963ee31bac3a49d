"""Importing the catalog from Excel/CSV on both engines: the preview lists each bad row and
why and stores nothing; a file with bad rows imports nothing; a good file adds its products
once (importing it again adds nothing); existing SKUs change only when asked."""

from __future__ import annotations

import io

import httpx
from openpyxl import Workbook, load_workbook

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.catalog.tables import Product
from backend.settings import Settings
from tests.integration.test_catalog import koperasi, signed_in
from tests.support.client import app_client

API = "/api/v1/catalog/imports"
HEADER = "SKU;Nama barang;Harga jual;Harga anggota;Harga pokok;Barcode;Lacak stok;Stok minimum"
GOOD = [
    "TPG-SGT;Tepung Segitiga 1 kg;14.000;13.500;12.600;;ya;5",
    "KRP-UDG;Kerupuk Udang 250 g;Rp 12.500;;10.900;4006381333931;;",
    "PLS-5K;Pulsa 5.000;7000;;5600;;tidak;",
]
BAD = [
    "GLA-1KG;Gula Pasir 1 kg;18.000;17.500;16.400;;ya;",  # exists, unchanged
    ";Tanpa kode;1000;;;;;",
    "X-1;Barcode salah;1000;;;8999999000010;;",
    "X-2;Harga anggota tinggi;1000;1500;;;;",
]


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


async def upload(
    client: httpx.AsyncClient, path: str, content: bytes, update: bool = False, name: str = "k.csv"
) -> httpx.Response:
    return await client.post(
        path,
        files={"file": (name, content, "text/csv")},
        data={"update_existing": "1" if update else ""},
    )


async def products(k: int) -> int:
    return int(await Product.count().where(Product.koperasi == k))


async def test_preview_commit_and_again(demo: Settings) -> None:
    async with app_client(demo) as client:
        k = await signed_in(client, demo, Role.PENGURUS, "kopwan-srikandi")
        before = await products(k)
        preview = await upload(client, f"{API}/preview", csv_file(*GOOD, *BAD))
        assert preview.status_code == 200, preview.text
        body = preview.json()
        assert not body["ready"]
        assert body["counts"] == {
            "new": 3,
            "update": 0,
            "unchanged": 1,
            "existing": 0,
            "error": 3,
        }
        bad = {r["row"]: [i["message"] for i in r["issues"]] for r in body["rows"] if r["issues"]}
        assert set(bad) == {6, 7, 8}
        assert bad[6] == ["SKU: SKU (kode barang) wajib diisi."]
        assert bad[7][0].startswith("Barcode: Angka terakhir barcode")
        assert bad[8][0].startswith("Harga anggota:")
        assert "3 bermasalah" in body["summary"]
        assert await products(k) == before  # a preview stores nothing

        refused = await upload(client, API, csv_file(*GOOD, *BAD))
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert error["code"] == "import_rows_invalid" and "3 baris" in error["message"]
        assert {d["row"] for d in error["details"]} == {6, 7, 8}
        assert await products(k) == before

        good = csv_file(*GOOD, BAD[0])
        ready = (await upload(client, f"{API}/preview", good)).json()
        assert ready["ready"] and ready["counts"]["new"] == 3
        done = await upload(client, API, good)
        assert done.status_code == 201, done.text
        assert (done.json()["added"], done.json()["unchanged"]) == (3, 1)
        assert await products(k) == before + 3
        made = (
            await Product.select()
            .where((Product.koperasi == k) & (Product.sku == "KRP-UDG"))
            .first()
        )
        assert made is not None
        assert (made["price"], made["member_price"], made["unit"], made["track_stock"]) == (
            12_500,
            None,
            "pcs",
            True,
        )
        pulsa = await Product.select(Product.track_stock).where(Product.sku == "PLS-5K").first()
        assert pulsa is not None and pulsa["track_stock"] is False

        # The same file again adds nothing.
        again = (await upload(client, f"{API}/preview", good)).json()
        assert again["counts"]["unchanged"] == 4 and not again["ready"]
        assert "Tidak ada barang baru" in again["summary"]
        twice = await upload(client, API, good)
        assert twice.status_code == 201 and twice.json()["added"] == 0
        assert await products(k) == before + 3
        assert (
            await AuditEvent.count().where(
                (AuditEvent.koperasi == k) & (AuditEvent.action == "catalog_imported")
            )
            == 2
        )


async def test_existing_skus_change_only_when_asked(demo: Settings) -> None:
    async with app_client(demo) as client:
        k = await signed_in(client, demo, Role.PENGURUS, "kpri-majapahit")
        dearer = csv_file("GLA-1KG;Gula Pasir 1 kg;19.000;;;;;12")
        left = await upload(client, API, dearer)
        assert left.status_code == 201 and left.json()["left_alone"] == 1
        row = await Product.select().where((Product.koperasi == k) & (Product.sku == "GLA-1KG"))
        assert row[0]["price"] == 18_000
        preview = (await upload(client, f"{API}/preview", dearer, update=True)).json()
        [changed] = [r for r in preview["rows"] if r["action"] == "update"]
        assert changed["changes"] == ["Harga jual", "Stok minimum"]
        updated = await upload(client, API, dearer, update=True)
        assert updated.json()["updated"] == 1
        row = await Product.select().where((Product.koperasi == k) & (Product.sku == "GLA-1KG"))
        # Blank cells kept what was stored (member price, cost, barcode).
        assert (row[0]["price"], row[0]["member_price"], row[0]["cost_price"]) == (
            19_000,
            17_500,
            16_400,
        )
        assert row[0]["min_stock"] == 12 and row[0]["barcode"]


async def test_excel_files_and_the_template(demo: Settings) -> None:
    async with app_client(demo) as client:
        k = await signed_in(client, demo, Role.PENGURUS, "kopprod-sumber-rejeki")
        template = await client.get(f"{API}/template")
        assert template.status_code == 200
        assert template.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "katalog-kopprod-sumber-rejeki.xlsx" in template.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
        assert [c.value for c in sheet[1]][:3] == ["sku", "barcode", "nama barang"]
        assert sheet.max_row == 25  # the koperasi's 24 products, ready to edit
        # The downloaded file imported as it is changes nothing.
        same = await upload(client, f"{API}/preview", template.content, name="katalog.xlsx")
        assert same.json()["counts"]["unchanged"] == 24

        book = Workbook()
        ws = book.active
        assert ws is not None
        ws.append(["Kode barang", "Nama barang", "Harga jual", "Barcode"])
        ws.append(["KDL-1KG", "Kedelai Impor 1 kg", 11500, 8999999000998])
        ws.append(["KDL-LOKAL", "Kedelai Lokal 1 kg", 12000.0, None])
        buffer = io.BytesIO()
        book.save(buffer)
        done = await upload(client, API, buffer.getvalue(), name="kedelai.xlsx")
        assert done.status_code == 201, done.text
        assert done.json()["added"] == 2
        row = await Product.select(Product.barcode).where(
            (Product.koperasi == k) & (Product.sku == "KDL-1KG")
        )
        assert row[0]["barcode"] == "8999999000998"

        wrong = await upload(client, f"{API}/preview", b"nama;harga\nx;1\n")
        assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "columns_missing"
        assert "sku" in wrong.json()["error"]["message"]
        none = await client.post(f"{API}/preview", data={"update_existing": ""}, files={})
        assert none.status_code in (400, 422)


async def test_only_pengurus_import(demo: Settings) -> None:
    async with app_client(demo) as client:
        await signed_in(client, demo, Role.KASIR, "kopwan-srikandi")
        assert (await client.get(f"{API}/template")).status_code == 403
        assert (await upload(client, f"{API}/preview", csv_file(*GOOD))).status_code == 403
        assert (await upload(client, API, csv_file(*GOOD))).status_code == 403
    k, _ = await koperasi("kopwan-srikandi")
    assert not await Product.exists().where((Product.koperasi == k) & (Product.sku == "TPG-SGT"))
