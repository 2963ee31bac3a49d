"""The catalog API on both engines: pengurus add and change products (validation errors
with the field), retire them (never deleted), set the discount limit and the static QRIS;
kasir read; the POS snapshot with stock and a version; the database's own unique keys."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from piccolo.table import Table

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.catalog.tables import Product
from backend.inventory import service as inventory
from backend.inventory.domain import Payment
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person
from tests.unit.test_catalog_domain import static_qris

API = "/api/v1/catalog"


async def koperasi(slug: str) -> tuple[int, int]:
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == slug)
        .first()
    )
    assert row is not None
    return int(row["id"]), int(row["region_id"])


async def signed_in(client: httpx.AsyncClient, settings: Settings, role: Role, slug: str) -> int:
    k, region = await koperasi(slug)
    as_person(client, await person(settings, role, k, region, name=f"{role.value} {slug}"))
    return k


NEW = {
    "sku": "kcp-asin",
    "name": "Kecap Asin 135 ml",
    "price": 9_000,
    "member_price": 8_500,
    "cost_price": 7_600,
    "category": "Bumbu",
    "unit": "botol",
    "barcode": "4006381333931",
    "min_stock": 6,
}


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()["error"]  # type: ignore[no-any-return]


async def test_pengurus_manage_products(demo: Settings) -> None:
    async with app_client(demo) as client:
        k = await signed_in(client, demo, Role.PENGURUS, "kopwan-srikandi")
        listed = (await client.get(f"{API}/products")).json()
        assert len(listed) == 24 and all(p["cost_price"] is not None for p in listed)

        bad = error_of(
            await client.post(f"{API}/products", json={**NEW, "barcode": "4006381333932"}), 422
        )
        assert bad["code"] == "barcode_check_digit" and bad["details"][0]["field"] == "barcode"
        bad = error_of(await client.post(f"{API}/products", json={**NEW, "price": 0}), 422)
        assert bad["code"] == "price_required"
        bad = error_of(
            await client.post(f"{API}/products", json={**NEW, "member_price": 9_500}), 422
        )
        assert bad["code"] == "member_price_above_price"
        assert (await client.post(f"{API}/products", json={**NEW, "price": -1})).status_code == 400

        made = await client.post(f"{API}/products", json=NEW)
        assert made.status_code == 201, made.text
        product = made.json()
        assert product["sku"] == "KCP-ASIN" and product["active"] and product["min_stock"] == 6

        taken = error_of(await client.post(f"{API}/products", json=NEW), 409)
        assert taken["code"] == "sku_taken"
        demo_barcode = listed[0]["barcode"]
        taken = error_of(
            await client.post(f"{API}/products", json={**NEW, "sku": "X", "barcode": demo_barcode}),
            409,
        )
        assert taken["code"] == "barcode_taken" and listed[0]["sku"] in taken["message"]

        # Search by name, by SKU and by barcode (a UPC-A scan finds its EAN-13 form too).
        for q in ("kecap asin", "kcp-as", "4006381333931"):
            found = (await client.get(f"{API}/products", params={"q": q})).json()
            assert [p["sku"] for p in found] == ["KCP-ASIN"], q
        bumbu = (await client.get(f"{API}/products", params={"category": "Bumbu"})).json()
        assert {p["category"] for p in bumbu} == {"Bumbu"} and len(bumbu) == 2

        changed = await client.patch(
            f"{API}/products/kcp-asin", json={"price": 9_500, "member_price": None}
        )
        assert changed.status_code == 200, changed.text
        assert (changed.json()["price"], changed.json()["member_price"]) == (9_500, None)
        assert (
            await client.patch(f"{API}/products/KCP-ASIN", json={"sku": "LAIN"})
        ).status_code == 400
        assert error_of(await client.patch(f"{API}/products/TIDAK-ADA", json={"price": 1}), 404)[
            "code"
        ] == ("product_not_found")
        assert error_of(
            await client.patch(f"{API}/products/KCP-ASIN", json={"barcode": demo_barcode}), 409
        )["code"] == ("barcode_taken")

        # Retired: off the list and the public price list, still in the table.
        retired = await client.patch(f"{API}/products/KCP-ASIN", json={"active": False})
        assert retired.json()["active"] is False
        skus = {p["sku"] for p in (await client.get(f"{API}/products")).json()}
        assert "KCP-ASIN" not in skus
        every = (await client.get(f"{API}/products", params={"include_inactive": "true"})).json()
        assert "KCP-ASIN" in {p["sku"] for p in every}
        public = (await client.get("/api/v1/koperasi/kopwan-srikandi/products")).json()
        assert "KCP-ASIN" not in {p["sku"] for p in public}
        assert "cost_price" not in public[0]
        assert await Product.exists().where((Product.koperasi == k) & (Product.sku == "KCP-ASIN"))

        actions = [
            r["action"]
            for r in await AuditEvent.select(AuditEvent.action).where(AuditEvent.koperasi == k)
        ]
        assert actions.count("product_created") == 1 and actions.count("product_changed") == 2

    async with app_client(demo) as kasir:
        await signed_in(kasir, demo, Role.KASIR, "kopwan-srikandi")
        seen = (await kasir.get(f"{API}/products")).json()
        assert seen and all(p["cost_price"] is None for p in seen)
        assert (await kasir.post(f"{API}/products", json={**NEW, "sku": "K-1"})).status_code == 403
        assert (await kasir.patch(f"{API}/products/GLA-1KG", json={"price": 1})).status_code == 403


async def test_shop_settings(demo: Settings) -> None:
    qris = static_qris()
    async with app_client(demo) as client:
        k = await signed_in(client, demo, Role.PENGURUS, "kopwan-srikandi")
        first = (await client.get(f"{API}/settings")).json()
        assert first == {
            "max_discount_percent": 0,
            "qris_payload": "",
            "qris_merchant_name": "",
            "qris_merchant_city": "",
        }
        damaged = qris[:-1] + ("0" if qris[-1] != "0" else "1")
        bad = await client.put(
            f"{API}/settings", json={"max_discount_percent": 10, "qris_payload": damaged}
        )
        assert error_of(bad, 422)["code"] == "qris_crc"
        bad = await client.put(f"{API}/settings", json={"max_discount_percent": 101})
        assert error_of(bad, 422)["code"] == "discount_limit_invalid"
        saved = await client.put(
            f"{API}/settings", json={"max_discount_percent": 10, "qris_payload": qris}
        )
        assert saved.status_code == 200, saved.text
        assert saved.json()["qris_merchant_name"] == "KOPWAN SRIKANDI"
        again = await client.put(f"{API}/settings", json={"max_discount_percent": 15})
        assert again.json()["qris_payload"] == ""  # cleared: the form sends both
        await client.put(f"{API}/settings", json={"max_discount_percent": 15, "qris_payload": qris})
        changes = await AuditEvent.count().where(
            (AuditEvent.koperasi == k) & (AuditEvent.action == "shop_settings_changed")
        )
        assert changes == 3
    async with app_client(demo) as kasir:
        await signed_in(kasir, demo, Role.KASIR, "kopwan-srikandi")
        seen = (await kasir.get(f"{API}/settings")).json()
        assert (seen["max_discount_percent"], seen["qris_payload"]) == (15, qris)
        refused = await kasir.put(f"{API}/settings", json={"max_discount_percent": 100})
        assert refused.status_code == 403


async def test_pos_snapshot(demo: Settings) -> None:
    async with app_client(demo) as client:
        k = await signed_in(client, demo, Role.KASIR, "ksu-bina-usaha-sejahtera")
        first = await client.get(f"{API}/pos-snapshot")
        assert first.status_code == 200, first.text
        body = first.json()
        assert body["outlet"] is None and len(body["products"]) == 24
        assert set(body["products"][0]) == {
            "id",
            "sku",
            "barcode",
            "name",
            "category",
            "unit",
            "price",
            "member_price",
            "track_stock",
            "stock",
        }
        assert body["settings"] == {"max_discount_percent": 0, "qris_payload": ""}
        assert all(p["stock"] == 0 for p in body["products"])
        same = (await client.get(f"{API}/pos-snapshot")).json()
        assert same["version"] == body["version"]

        # Stock at the outlets: the snapshot of T01 counts T01's stock only.
        outlets = {o.code: o.id for o in await inventory.outlets(k)}
        items = [inventory.PurchaseItem("GLA-1KG", 12, 16_400)]
        await inventory.record_purchase(k, outlets["T01"], items, Payment.KAS, date.today())
        await inventory.record_purchase(k, outlets["T02"], items, Payment.KAS, date.today())
        gula = next(p for p in body["products"] if p["sku"] == "GLA-1KG")
        await inventory.record_sale_movements(k, outlets["T01"], [(gula["id"], 5)], "T01-1-1", None)
        total = (await client.get(f"{API}/pos-snapshot")).json()
        assert total["version"] != body["version"]
        assert next(p for p in total["products"] if p["sku"] == "GLA-1KG")["stock"] == 19
        t01 = (await client.get(f"{API}/pos-snapshot", params={"outlet": "T01"})).json()
        assert t01["outlet"] == "T01"
        assert next(p for p in t01["products"] if p["sku"] == "GLA-1KG")["stock"] == 7
        pulsa = next(p for p in t01["products"] if p["sku"] == "PLS-10K")
        assert pulsa["track_stock"] is False and pulsa["stock"] == 0
        unknown = await client.get(f"{API}/pos-snapshot", params={"outlet": "X9"})
        assert error_of(unknown, 404)["code"] == "outlet_not_found"

        # A retired product leaves the snapshot.
        await Product.update({Product.active: False}).where(
            (Product.koperasi == k) & (Product.sku == "PLS-10K")
        )
        fewer = (await client.get(f"{API}/pos-snapshot")).json()
        assert len(fewer["products"]) == 23 and fewer["version"] != total["version"]


async def _insert_fails(row: Table) -> None:
    with pytest.raises(Exception, match=r"(?i)unique"):
        await type(row).insert(row)


async def test_database_keeps_barcodes_unique_per_koperasi(demo: Settings) -> None:
    k, _ = await koperasi("kopwan-srikandi")
    other, _ = await koperasi("kpri-majapahit")
    taken = await Product.select(Product.barcode).where(Product.koperasi == k).first()
    assert taken is not None
    fields = {"name": "Sama", "category": "", "unit": "pcs", "price": 1, "cost_price": 0}
    await _insert_fails(Product(koperasi=k, sku="DUP-1", barcode=taken["barcode"], **fields))
    # Empty barcodes are many; another koperasi may use the same code.
    await Product.insert(
        Product(koperasi=k, sku="NO-1", barcode="", **fields),
        Product(koperasi=k, sku="NO-2", barcode="", **fields),
    )
    assert (
        await Product.count().where(
            (Product.koperasi == other) & (Product.barcode == taken["barcode"])
        )
        == 1
    )
