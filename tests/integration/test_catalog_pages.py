"""The shop pages on both engines: /toko and /toko/stok for pengurus (everything) and kasir
(read only), refused for anggota and Dinas, the sign-in page for anonymous visitors; the
search and the outlet filter work without the script."""

from __future__ import annotations

from datetime import date

from backend.accounts.domain import Role
from backend.inventory import service as inventory
from backend.inventory.domain import Payment
from backend.members.tables import Member
from backend.settings import Settings
from tests.integration.test_catalog import koperasi, signed_in
from tests.support.client import app_client
from tests.support.sessions import as_person, person


async def test_catalog_page(demo: Settings) -> None:
    async with app_client(demo) as client:
        assert (await client.get("/toko")).status_code == 303
        await signed_in(client, demo, Role.PENGURUS, "kopwan-srikandi")
        page = await client.get("/toko")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        html = page.text
        for part in (
            "Beras Premium 5 kg",
            'id="product-form"',
            'id="catalog-import-form"',
            'id="settings-form"',
            "/api/v1/catalog/imports/template",
            '<meta name="csrf-token"',
            "/static/shop.js",
            "24 barang",
        ):
            assert part in html, part
        found = await client.get("/toko", params={"q": "beras"})
        assert "Beras Premium 5 kg" in found.text and "Gula Pasir" not in found.text
        bumbu = await client.get("/toko", params={"kategori": "Bumbu"})
        assert "Kecap Manis" in bumbu.text and "Beras Premium" not in bumbu.text
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = await client.get("/toko")
        assert english.status_code == 200 and 'lang="en"' in english.text

    async with app_client(demo) as kasir:
        await signed_in(kasir, demo, Role.KASIR, "kopwan-srikandi")
        html = (await kasir.get("/toko")).text
        assert "Beras Premium 5 kg" in html
        for part in ('id="product-form"', "data-edit", 'id="settings-form"', "Pokok Rp"):
            assert part not in html, part


async def test_stock_page(demo: Settings) -> None:
    k, _ = await koperasi("ksu-bina-usaha-sejahtera")
    t01, t02 = await inventory.outlets(k)
    items = [inventory.PurchaseItem("GLA-1KG", 12, 16_400)]
    await inventory.record_purchase(k, t01.id, items, Payment.KAS, date(2026, 3, 1))
    await inventory.record_purchase(k, t02.id, items[:1], Payment.KAS, date(2026, 3, 1))
    async with app_client(demo) as client:
        assert (await client.get("/toko/stok")).status_code == 303
        await signed_in(client, demo, Role.PENGURUS, "ksu-bina-usaha-sejahtera")
        page = await client.get("/toko/stok")
        assert page.status_code == 200
        html = page.text
        for part in (
            "Gula Pasir 1 kg",
            "T01: 12 · T02: 12",
            'id="purchase-form"',
            'id="adjustment-form"',
            'id="count-form"',
            'id="history-panel"',
        ):
            assert part in html, part
        assert "Menipis" in html  # the products never bought are at their minimum (0)
        t01_page = await client.get("/toko/stok", params={"outlet": "T01", "menipis": "1"})
        assert t01_page.status_code == 200
        assert "Gula Pasir 1 kg" not in t01_page.text.split('id="low-panel"')[0]

    async with app_client(demo) as kasir:
        await signed_in(kasir, demo, Role.KASIR, "ksu-bina-usaha-sejahtera")
        html = (await kasir.get("/toko/stok")).text
        assert "Gula Pasir 1 kg" in html
        for part in ('id="purchase-form"', 'id="count-form"', 'id="history-panel"'):
            assert part not in html, part


async def test_others_are_refused(demo: Settings) -> None:
    k, region = await koperasi("kopwan-srikandi")
    for role in (Role.ANGGOTA, Role.DINAS):
        async with app_client(demo) as client:
            member = None
            if role is Role.ANGGOTA:
                row = await Member.select(Member.id).where(Member.koperasi == k).first()
                assert row is not None
                member = row["id"]
            as_person(
                client,
                await person(
                    demo,
                    role,
                    None if role is Role.DINAS else k,
                    region,
                    member=member,
                    name=f"{role.value} toko",
                ),
            )
            for path in ("/toko", "/toko/stok"):
                page = await client.get(path)
                assert page.status_code == 403, (role, path)
                assert "Beras Premium" not in page.text
