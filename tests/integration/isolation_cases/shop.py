"""Isolation cases of the shop: the catalog, the shop settings, the POS snapshot, catalog
imports, stock and its movements, and the /toko pages. K2 (Artha Mandiri) gets a product
"Barang Rahasia" (SKU RHS-1) with stock at its outlet K01 and shop settings of its own;
nobody in K1 may see or change them. Pengurus and kasir of K1 reach their own shop (kasir
read only); anggota and Dinas officers reach no shop at all."""

from __future__ import annotations

import io

import httpx
from openpyxl import load_workbook

from backend.accounts.domain import Role
from backend.catalog.tables import Product, ShopSettings
from backend.inventory.tables import StockMovement
from backend.tenancy.tables import Outlet
from tests.support.isolation import Case, World, counter_staff, refused
from tests.unit.test_catalog_domain import static_qris

SECRET = "Barang Rahasia"
SKU = "RHS-1"
BARCODE = "4006381333931"
SECRET_QRIS = static_qris("KOPERASI RAHASIA", "JAUH")


async def foreign_shop(world: World) -> int:
    """K2's product, stock and settings (made once per world); K2's product id."""
    row = await Product.select(Product.id).where(
        (Product.koperasi == world.k2) & (Product.sku == SKU)
    )
    if row:
        return int(row[0]["id"])
    made = await Product.insert(
        Product(
            koperasi=world.k2,
            sku=SKU,
            barcode=BARCODE,
            name=SECRET,
            category="Rahasia",
            unit="pcs",
            price=1_000,
            cost_price=700,
        )
    ).returning(Product.id)
    product = int(made[0]["id"])
    outlet = await Outlet.select(Outlet.id).where(Outlet.koperasi == world.k2).first()
    assert outlet is not None
    await StockMovement.insert(
        StockMovement(
            koperasi=world.k2,
            outlet=outlet["id"],
            product=product,
            quantity=77,
            kind="pembelian",
            reference="Faktur Rahasia",
            unit_cost=700,
        )
    )
    await ShopSettings.insert(
        ShopSettings(koperasi=world.k2, max_discount_percent=50, qris_payload=SECRET_QRIS)
    )
    return product


async def foreign_shop_untouched(world: World) -> None:
    row = await Product.select().where((Product.koperasi == world.k2) & (Product.sku == SKU))
    assert row and (row[0]["name"], row[0]["price"], row[0]["active"]) == (SECRET, 1_000, True)
    moves = await StockMovement.select(StockMovement.quantity).where(
        StockMovement.koperasi == world.k2
    )
    assert [m["quantity"] for m in moves] == [77]
    settings = await ShopSettings.select().where(ShopSettings.koperasi == world.k2)
    assert (settings[0]["max_discount_percent"], settings[0]["qris_payload"]) == (50, SECRET_QRIS)


async def _drop_own(world: World) -> None:
    """Test cleanup: what the K1 pengurus made in their own catalog."""
    await Product.delete().where((Product.koperasi == world.k1) & (Product.sku == SKU))


def _clean(response: httpx.Response) -> None:
    assert SECRET not in response.text and "Rahasia" not in response.text
    assert SECRET_QRIS not in response.text


def _csv(name: str = SECRET) -> dict[str, tuple[str, bytes, str]]:
    content = f"SKU;Nama barang;Harga jual;Barcode\n{SKU};{name};1000;{BARCODE}\n".encode()
    return {"file": ("k.csv", content, "text/csv")}


async def list_products(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    for params in ({}, {"q": "Rahasia"}, {"include_inactive": "true", "category": "Rahasia"}):
        response = await client.get("/api/v1/catalog/products", params=params)
        if counter_staff(role):
            assert response.status_code == 200
            _clean(response)
        else:
            refused(response)


async def add_product(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.post(
        "/api/v1/catalog/products",
        json={"sku": SKU, "name": "Milik sendiri", "price": 5, "barcode": BARCODE},
    )
    if role is Role.PENGURUS:
        assert response.status_code == 201, response.text  # into their own catalog only
        await _drop_own(world)
    else:
        refused(response)
    await foreign_shop_untouched(world)


async def change_product(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    for body in ({"name": "Diretas"}, {"active": False}, {"price": 1}):
        response = await client.patch(f"/api/v1/catalog/products/{SKU}", json=body)
        refused(response)
        _clean(response)
    await foreign_shop_untouched(world)


async def read_settings(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.get("/api/v1/catalog/settings")
    if counter_staff(role):
        assert response.status_code == 200
        assert response.json()["max_discount_percent"] == 0
        _clean(response)
    else:
        refused(response)


async def change_settings(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.put(
        "/api/v1/catalog/settings", json={"max_discount_percent": 99, "qris_payload": ""}
    )
    if role is Role.PENGURUS:
        assert response.status_code == 200  # their own shop's only
        await ShopSettings.delete().where(ShopSettings.koperasi == world.k1)  # test cleanup
    else:
        refused(response)
    await foreign_shop_untouched(world)


async def pos_snapshot(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.get("/api/v1/catalog/pos-snapshot")
    if counter_staff(role):
        assert response.status_code == 200
        _clean(response)
        assert response.json()["settings"]["max_discount_percent"] == 0
    else:
        refused(response)
    # K2's outlet code is no outlet of K1.
    other = await client.get("/api/v1/catalog/pos-snapshot", params={"outlet": "K01"})
    refused(other)
    _clean(other)


async def import_template(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.get("/api/v1/catalog/imports/template")
    if role is not Role.PENGURUS:
        refused(response)
        return
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert SECRET not in names and names


async def import_preview(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.post(
        "/api/v1/catalog/imports/preview", files=_csv("Punya sendiri"), data={}
    )
    if role is not Role.PENGURUS:
        refused(response)
        return
    assert response.status_code == 200, response.text
    # K2's SKU and barcode are unknown here: a new row, no conflict.
    [row] = response.json()["rows"]
    assert (row["action"], row["issues"]) == ("new", [])
    _clean(response)


async def import_commit(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.post(
        "/api/v1/catalog/imports", files=_csv("Punya sendiri"), data={"update_existing": "1"}
    )
    if role is Role.PENGURUS:
        assert response.status_code == 201, response.text
        assert response.json()["added"] == 1  # into their own catalog; K2's is not updated
        await _drop_own(world)
    else:
        refused(response)
    await foreign_shop_untouched(world)


async def read_stock(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    for params in ({}, {"low": "1"}):
        response = await client.get("/api/v1/inventory/stock", params=params)
        if counter_staff(role):
            assert response.status_code == 200
            _clean(response)
            assert "K01" not in {o["code"] for o in response.json()["outlets"]}
        else:
            refused(response)
    refused(await client.get("/api/v1/inventory/stock", params={"outlet": "K01"}))


async def _writes_refused(
    client: httpx.AsyncClient, world: World, path: str, bodies: list[dict[str, object]]
) -> None:
    await foreign_shop(world)
    for body in bodies:
        response = await client.post(path, json=body)
        refused(response)
        _clean(response)
    await foreign_shop_untouched(world)


async def purchase(client: httpx.AsyncClient, world: World, role: Role) -> None:
    line = {"sku": SKU, "quantity": 5, "unit_cost": 700}
    await _writes_refused(
        client,
        world,
        "/api/v1/inventory/purchases",
        [{"payment": "kas", "lines": [line]}, {"payment": "kas", "outlet": "K01", "lines": [line]}],
    )


async def adjustment(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _writes_refused(
        client,
        world,
        "/api/v1/inventory/adjustments",
        [
            {"sku": SKU, "quantity": -5, "reason": "hilang"},
            {"sku": "GLA-1KG", "quantity": -5, "reason": "hilang", "outlet": "K01"},
        ]
        if role is Role.PENGURUS
        else [{"sku": "GLA-1KG", "quantity": -5, "reason": "hilang"}],
    )


async def stock_count(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _writes_refused(
        client,
        world,
        "/api/v1/inventory/counts",
        [{"lines": [{"sku": SKU, "counted": 0}]}, {"outlet": "K01", "lines": []}]
        if role is Role.PENGURUS
        else [{"lines": [{"sku": "GLA-1KG", "counted": 0}]}],
    )


async def movements(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_shop(world)
    response = await client.get("/api/v1/inventory/movements")
    if role is Role.PENGURUS:
        assert response.status_code == 200
        _clean(response)
    else:
        refused(response)
    other = await client.get("/api/v1/inventory/movements", params={"product": SKU})
    refused(other)
    _clean(other)


def shop_page(path: str) -> Case:
    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        await foreign_shop(world)
        for params in ({}, {"q": SKU, "outlet": "K01", "semua": "1"}):
            response = await client.get(path, params=params)
            if counter_staff(role):
                assert response.status_code == 200
            else:
                assert response.status_code == 403
            # (The query's own words come back in the page: the search box, the links.)
            assert SECRET not in response.text and "Faktur Rahasia" not in response.text
            assert "Rahasia" not in response.text.replace("RHS-1", "")

    return case


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/catalog/products"): list_products,
    ("POST", "/api/v1/catalog/products"): add_product,
    ("PATCH", "/api/v1/catalog/products/{sku:str}"): change_product,
    ("GET", "/api/v1/catalog/settings"): read_settings,
    ("PUT", "/api/v1/catalog/settings"): change_settings,
    ("GET", "/api/v1/catalog/pos-snapshot"): pos_snapshot,
    ("GET", "/api/v1/catalog/imports/template"): import_template,
    ("POST", "/api/v1/catalog/imports/preview"): import_preview,
    ("POST", "/api/v1/catalog/imports"): import_commit,
    ("GET", "/api/v1/inventory/stock"): read_stock,
    ("POST", "/api/v1/inventory/purchases"): purchase,
    ("POST", "/api/v1/inventory/adjustments"): adjustment,
    ("POST", "/api/v1/inventory/counts"): stock_count,
    ("GET", "/api/v1/inventory/movements"): movements,
    ("GET", "/toko"): shop_page("/toko"),
    ("GET", "/toko/stok"): shop_page("/toko/stok"),
}
