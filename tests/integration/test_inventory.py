"""Stock on both engines: sums per outlet and in total, sales past zero allowed and flagged,
purchases, adjustments and stock counts with their journal entries (balanced, the right
accounts, at cost), the low-stock list, the movement history, immutable movements, and
the demo's opening stock."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from backend.accounts.domain import Role
from backend.catalog.tables import Product
from backend.db import is_sqlite, write_transaction
from backend.errors import AppError
from backend.inventory import service as inventory
from backend.inventory.demo import load_demo_stock
from backend.inventory.domain import Payment
from backend.inventory.tables import StockMovement
from backend.ledger import service as ledger
from backend.ledger.tables import JournalEntry, JournalLine
from backend.settings import Settings
from tests.integration.test_catalog import koperasi, signed_in
from tests.support.client import app_client

API = "/api/v1/inventory"
DAY = date(2026, 3, 5)
Buy = inventory.PurchaseItem


async def products(k: int) -> dict[str, dict[str, int]]:
    rows = await Product.select(Product.id, Product.sku, Product.cost_price).where(
        Product.koperasi == k
    )
    return {r["sku"]: {"id": r["id"], "cost": r["cost_price"]} for r in rows}


async def entry(k: int, number: int | None) -> list[tuple[str, int, int]]:
    assert number is not None
    row = await JournalEntry.select(JournalEntry.id).where(
        (JournalEntry.koperasi == k) & (JournalEntry.number == number)
    )
    lines = await JournalLine.select(
        JournalLine.account.code.as_alias("code"), JournalLine.debit, JournalLine.credit
    ).where(JournalLine.entry == row[0]["id"])
    got = [(r["code"], int(r["debit"]), int(r["credit"])) for r in lines]
    assert sum(d for _, d, _ in got) == sum(c for _, _, c in got)  # balanced
    return sorted(got)


async def books(k: int) -> dict[str, int]:
    return {b.code: b.balance for b in await ledger.trial_balance(k)}


async def test_stock_sums_and_oversold_sales(demo: Settings) -> None:
    k, _ = await koperasi("ksu-bina-usaha-sejahtera")
    p = await products(k)
    t01, t02 = [o.id for o in await inventory.outlets(k)]
    gula, mie, pulsa = p["GLA-1KG"]["id"], p["MIE-GRG"]["id"], p["PLS-10K"]["id"]
    await inventory.record_purchase(
        k, t01, [Buy("GLA-1KG", 10, 16_400), Buy("mie-grg", 40, 2_950)], Payment.KAS, DAY
    )
    await inventory.record_purchase(k, None, [Buy("GLA-1KG", 5, 16_400)], Payment.UTANG, DAY)
    oversold = await inventory.record_sale_movements(
        k, t01, [(gula, 3), (mie, 2), (mie, 1), (pulsa, 4)], "T01-1-000001", None
    )
    assert oversold == []
    assert await inventory.stock_at(k, t01) == {gula: 7, mie: 37}
    assert await inventory.stock_at(k, None) == {gula: 5}
    assert await inventory.stock_totals(k) == {gula: 12, mie: 37}
    assert not await StockMovement.exists().where(StockMovement.product == pulsa)  # not tracked
    sale = await StockMovement.select().where(StockMovement.reference == "T01-1-000001")
    assert sorted((r["product_id"], r["quantity"], r["kind"]) for r in sale) == [
        (gula, -3, "penjualan"),
        (mie, -3, "penjualan"),
    ]
    assert {r["unit_cost"] for r in sale if r["product_id"] == gula} == {16_400}

    # Past zero at T02: allowed, recorded and flagged.
    flagged = await inventory.record_sale_movements(k, t02, [(gula, 2), (mie, 1)], "T02-1-1", None)
    assert flagged == sorted([gula, mie])
    assert await inventory.stock_at(k, t02) == {gula: -2, mie: -1}
    assert (await inventory.stock_totals(k))[gula] == 10

    # Refused: another koperasi's product, a negative quantity. Nothing written.
    other, _ = await koperasi("kopwan-srikandi")
    foreign = (await products(other))["GLA-1KG"]["id"]
    count = await StockMovement.count()
    for lines in ([(foreign, 1)], [(gula, -1)]):
        with pytest.raises(AppError):
            await inventory.record_sale_movements(k, t01, lines, "X", None)
    assert await StockMovement.count() == count
    assert await inventory.record_sale_movements(k, t01, [(gula, 0)], "X", None) == []

    # In the caller's transaction: its failure takes the movements with it.
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await inventory.record_sale_movements(k, t01, [(gula, 1)], "ROLLBACK", None)
            raise RuntimeError("the sale failed")
    assert not await StockMovement.exists().where(StockMovement.reference == "ROLLBACK")


async def test_purchase_adjustment_and_count_post_to_the_books(demo: Settings) -> None:
    k, _ = await koperasi("kopwan-srikandi")
    t01 = (await inventory.outlets(k))[0].id
    p = await products(k)
    before = await books(k)
    bought = await inventory.record_purchase(
        k,
        t01,
        [Buy("TLR-1KG", 20, 26_000), Buy("SBN-85", 48, 3_700)],
        Payment.UTANG,
        DAY,
        "Faktur 17 / UD Makmur",
    )
    assert bought.value == 20 * 26_000 + 48 * 3_700
    assert await entry(k, bought.entry_number) == [
        ("1-1400", bought.value, 0),
        ("2-1300", 0, bought.value),
    ]
    description = await JournalEntry.select(JournalEntry.description, JournalEntry.source).where(
        JournalEntry.number == bought.entry_number
    )
    assert description[0] == {
        "description": "Pembelian barang dagangan: Faktur 17 / UD Makmur",
        "source": "stock",
    }
    # The cost price moves to the moving average: 20 at 26.000 after none.
    cost = await Product.select(Product.cost_price).where(Product.id == p["TLR-1KG"]["id"])
    assert cost[0]["cost_price"] == 26_000
    cash = await inventory.record_purchase(k, t01, [Buy("TLR-1KG", 20, 27_000)], Payment.KAS, DAY)
    assert await entry(k, cash.entry_number) == [("1-1100", 0, 540_000), ("1-1400", 540_000, 0)]
    cost = await Product.select(Product.cost_price).where(Product.id == p["TLR-1KG"]["id"])
    assert cost[0]["cost_price"] == 26_500

    # Two eggs broken: a loss at cost; one found: a gain.
    lost = await inventory.record_adjustment(k, t01, "TLR-1KG", -2, "pecah", DAY)
    assert lost.value == -53_000
    assert await entry(k, lost.entry_number) == [("1-1400", 0, 53_000), ("5-2100", 53_000, 0)]
    found = await inventory.record_adjustment(k, t01, "tlr-1kg", 1, "terselip di gudang", DAY)
    assert await entry(k, found.entry_number) == [("1-1400", 26_500, 0), ("5-2100", 0, 26_500)]
    with pytest.raises(AppError) as refused:
        await inventory.record_adjustment(k, t01, "TLR-1KG", -1, " ", DAY)
    assert refused.value.code == "reason_required"
    with pytest.raises(AppError) as refused:
        await inventory.record_adjustment(k, t01, "PLS-10K", 1, "x", DAY)
    assert refused.value.code == "stock_not_tracked"

    # The count: eggs 39 → 37 counted, soap 48 → 50, kecap never bought → 3.
    counted = await inventory.record_count(
        k, t01, [("TLR-1KG", 37), ("SBN-85", 50), ("KCP-520", 3), ("GLA-1KG", 0)], DAY, "Opname"
    )
    lines = {line.sku: (line.expected, line.counted, line.difference) for line in counted.lines}
    assert lines == {
        "TLR-1KG": (39, 37, -2),
        "SBN-85": (48, 50, 2),
        "KCP-520": (0, 3, 3),
        "GLA-1KG": (0, 0, 0),
    }
    assert counted.movements == 3
    net = -2 * 26_500 + 2 * 3_700 + 3 * p["KCP-520"]["cost"]
    assert counted.value == net
    assert await entry(k, counted.entry_number) == sorted(
        [("5-2100", 0, net), ("1-1400", net, 0)]
        if net > 0
        else [("5-2100", -net, 0), ("1-1400", 0, -net)]
    )
    stock = await inventory.stock_at(k, t01)
    assert (stock[p["TLR-1KG"]["id"]], stock[p["SBN-85"]["id"]], stock[p["KCP-520"]["id"]]) == (
        37,
        50,
        3,
    )
    # Counting what the movements already say changes nothing and posts nothing.
    again = await inventory.record_count(k, t01, [("TLR-1KG", 37)], DAY)
    assert (again.movements, again.entry_number) == (0, None)

    # The books moved by exactly these amounts; the inventory account equals the stock at
    # the costs recorded.
    after = await books(k)
    value_in = bought.value + 540_000 - 53_000 + 26_500 + net
    assert after["1-1400"] - before.get("1-1400", 0) == value_in
    assert after["2-1300"] - before.get("2-1300", 0) == bought.value

    # A closed month takes nothing, and a refused purchase leaves no movement.
    await ledger.close_period(k, "2026-03")
    movements = await StockMovement.count()
    with pytest.raises(AppError) as refused:
        await inventory.record_purchase(k, t01, [Buy("TLR-1KG", 1, 1)], Payment.KAS, DAY)
    assert refused.value.code == "period_closed"
    assert await StockMovement.count() == movements


async def test_movements_are_immutable(demo: Settings) -> None:
    k, _ = await koperasi("kopwan-srikandi")
    await inventory.record_purchase(k, None, [Buy("GLA-1KG", 1, 1)], Payment.KAS, DAY)
    with pytest.raises(Exception, match="immutable"):
        await StockMovement.update({StockMovement.quantity: 100}).where(StockMovement.koperasi == k)
    with pytest.raises(Exception, match="immutable"):
        await StockMovement.delete().where(StockMovement.koperasi == k)


async def test_stock_levels_equal_the_sum_of_movements(demo: Settings) -> None:
    """The levels the trigger keeps match the fold of the movements, place by place, after
    purchases to the store room and an outlet, a sale past zero and a count; and nobody
    can change a level by hand."""
    k, _ = await koperasi("ksu-bina-usaha-sejahtera")
    outlet = (await inventory.outlets(k))[1].id
    await load_demo_stock(date(2026, 3, 1))
    p = await products(k)
    await inventory.record_purchase(k, None, [Buy("GLA-1KG", 3, 14_000)], Payment.KAS, DAY)
    async with write_transaction():
        await inventory.record_sale_movements(k, outlet, [(p["GLA-1KG"]["id"], 500)], "S-1", None)
    folded = await StockMovement.raw(
        "SELECT product_id, COALESCE(outlet_id, 0) AS place, SUM(quantity) AS quantity"
        " FROM stock_movement WHERE koperasi_id = {}"
        " GROUP BY product_id, COALESCE(outlet_id, 0)",
        k,
    ).run()
    levels = await StockMovement.raw(
        "SELECT product_id, place, quantity FROM stock_level WHERE koperasi_id = {}", k
    ).run()

    def as_set(rows: list[dict[str, int]]) -> set[tuple[int, int, int]]:
        return {(int(r["product_id"]), int(r["place"]), int(r["quantity"])) for r in rows}

    assert as_set(levels) == as_set(folded) and len(levels) > 21
    assert (await inventory.stock_at(k, outlet, [p["GLA-1KG"]["id"]]))[p["GLA-1KG"]["id"]] < 0
    with pytest.raises(Exception, match="stock levels follow"):
        await StockMovement.raw("DELETE FROM stock_level WHERE koperasi_id = {}", k)
    if not is_sqlite():  # SQLite's triggers cannot tell the upsert trigger from a person
        with pytest.raises(Exception, match="stock levels follow"):
            await StockMovement.raw("UPDATE stock_level SET quantity = 1 WHERE koperasi_id = {}", k)


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, object]) -> httpx.Response:
    return await client.post(f"{API}/{path}", json=body)


async def test_stock_api(demo: Settings) -> None:
    async with app_client(demo) as client:
        k = await signed_in(client, demo, Role.PENGURUS, "ksu-bina-usaha-sejahtera")
        await Product.update({Product.min_stock: 10}).where(
            (Product.koperasi == k) & (Product.sku == "GLA-1KG")
        )
        bought = await _post(
            client,
            "purchases",
            {
                "outlet": "T01",
                "payment": "kas",
                "purchase_date": "2026-03-05",
                "reference": "Nota 5",
                "lines": [
                    {"sku": "GLA-1KG", "quantity": 12, "unit_cost": 16_400},
                    {"sku": "MIE-GRG", "quantity": 40, "unit_cost": 2_950},
                ],
            },
        )
        assert bought.status_code == 201, bought.text
        assert bought.json()["value"] == 12 * 16_400 + 40 * 2_950
        assert "Jurnal #" in bought.json()["message"]
        for body, code in (
            ({"payment": "kas", "lines": []}, "lines_required"),
            ({"payment": "kas", "lines": [{"sku": "X", "quantity": 1, "unit_cost": 1}]}, None),
            (
                {"payment": "kas", "lines": [{"sku": "GLA-1KG", "quantity": 0, "unit_cost": 1}]},
                "quantity_invalid",
            ),
            (
                {
                    "payment": "kas",
                    "purchase_date": "2999-01-01",
                    "lines": [{"sku": "GLA-1KG", "quantity": 1, "unit_cost": 1}],
                },
                "date_future",
            ),
        ):
            refused = await _post(client, "purchases", body)
            assert refused.status_code in (404, 422), refused.text
            if code:
                assert refused.json()["error"]["code"] == code
        adjusted = await _post(
            client,
            "adjustments",
            {"outlet": "T01", "sku": "GLA-1KG", "quantity": -3, "reason": "Bocor"},
        )
        assert adjusted.status_code == 201, adjusted.text
        assert adjusted.json()["value"] == -3 * 16_400
        counted = await _post(
            client,
            "counts",
            {"outlet": "T01", "lines": [{"sku": "MIE-GRG", "counted": 38}], "note": "Akhir bulan"},
        )
        assert counted.status_code == 201, counted.text
        assert counted.json()["lines"][0]["difference"] == -2

        stock = (await client.get(f"{API}/stock")).json()
        assert [o["code"] for o in stock["outlets"]] == ["T01", "T02"]
        by_sku = {i["sku"]: i for i in stock["items"]}
        assert "PLS-10K" not in by_sku  # not tracked
        assert by_sku["GLA-1KG"]["stock"] == 9 and by_sku["GLA-1KG"]["low"]
        assert by_sku["GLA-1KG"]["places"] == [{"outlet": "T01", "quantity": 9}]
        assert by_sku["MIE-GRG"]["stock"] == 38 and not by_sku["MIE-GRG"]["low"]
        low = (await client.get(f"{API}/stock", params={"low": "1"})).json()["items"]
        low_skus = {i["sku"] for i in low}
        assert "GLA-1KG" in low_skus and "MIE-GRG" not in low_skus
        assert "TLR-1KG" in low_skus  # none in stock, minimum 0: at the minimum
        t02 = (await client.get(f"{API}/stock", params={"outlet": "T02"})).json()
        assert {i["sku"]: i["stock"] for i in t02["items"]}["GLA-1KG"] == 0
        assert (await client.get(f"{API}/stock", params={"outlet": "X"})).status_code == 404

        page = (await client.get(f"{API}/movements", params={"limit": 2})).json()
        assert [i["kind"] for i in page["items"]] == ["opname", "penyesuaian"]
        assert page["items"][1]["note"] == "Bocor" and page["items"][1]["entry_number"]
        older = (
            await client.get(f"{API}/movements", params={"limit": 2, "before": page["next_before"]})
        ).json()
        assert [i["kind"] for i in older["items"]] == ["pembelian", "pembelian"]
        assert older["items"][0]["reference"] == "Nota 5" and older["next_before"] is None
        gula = (await client.get(f"{API}/movements", params={"product": "gla-1kg"})).json()
        assert [i["quantity"] for i in gula["items"]] == [-3, 12]
        assert gula["items"][0]["created_by"] and gula["items"][0]["kind_label"] == "Penyesuaian"
        missing = await client.get(f"{API}/movements", params={"product": "NOPE"})
        assert missing.status_code == 404

    async with app_client(demo) as kasir:
        await signed_in(kasir, demo, Role.KASIR, "ksu-bina-usaha-sejahtera")
        assert (await kasir.get(f"{API}/stock")).status_code == 200
        assert (await kasir.get(f"{API}/movements")).status_code == 403
        body = {"payment": "kas", "lines": [{"sku": "GLA-1KG", "quantity": 1, "unit_cost": 1}]}
        assert (await _post(kasir, "purchases", body)).status_code == 403
        assert (
            await _post(kasir, "adjustments", {"sku": "GLA-1KG", "quantity": 1, "reason": "x"})
        ).status_code == 403
        assert (
            await _post(kasir, "counts", {"lines": [{"sku": "GLA-1KG", "counted": 1}]})
        ).status_code == 403


async def test_demo_opening_stock(demo: Settings) -> None:
    today = date(2026, 3, 15)
    recorded = await load_demo_stock(today)
    # Five demo shops, two of them with two outlets; 21 tracked products each.
    assert recorded == 7 * 21
    assert await load_demo_stock(today) == 0  # idempotent
    k, _ = await koperasi("ksu-bina-usaha-sejahtera")
    rows = await inventory.stock_list(k)
    assert len(rows) == 21 and all(r.stock > 0 for r in rows)
    assert [p.outlet for p in rows[0].places] == ["T01", "T02"]
    low = await inventory.stock_list(k, (await inventory.outlets(k))[0], low_only=True)
    assert low  # the demo's low-stock list has something to show
    value = sum(
        int(m["quantity"]) * int(m["unit_cost"])
        for m in await StockMovement.select(StockMovement.quantity, StockMovement.unit_cost).where(
            StockMovement.koperasi == k
        )
    )
    balances = await books(k)
    assert balances["1-1400"] == value and balances["2-1300"] == value
