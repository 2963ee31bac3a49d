"""The offline sync's server side on SQLite and PostgreSQL: sales, shifts and their
journal entries arrive exactly once whatever the network does — retries, lost answers,
the same batch twice at once, a reused id, a crash in the middle of a batch, an expired
session — and bad items are rejected with a reason while the rest of the batch lands."""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from backend.accounts.domain import Role
from backend.catalog.tables import Product
from backend.ledger.service import trial_balance
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.pos import service as pos
from backend.pos.tables import Sale, SaleLine, Shift
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"
SOLD_AT = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


@dataclass
class Shop:
    settings: Settings
    koperasi_id: int
    kasir: tuple[str, str]
    products: list[dict[str, Any]]  # tracked, with a member price first
    member_number: str
    foreign_product_id: int


@pytest.fixture
async def shop(demo: Settings) -> Shop:
    settings = replace(demo, auth_attempts_per_minute=10_000)
    kops = {
        r["slug"]: (r["id"], r["region_id"])
        for r in await Koperasi.select(
            Koperasi.id, Koperasi.slug, Koperasi.region.as_alias("region_id")
        )
    }
    k, region = kops["kopwan-srikandi"]
    products = await (
        Product.select(Product.id, Product.price, Product.member_price, Product.track_stock)
        .where((Product.koperasi == k) & Product.track_stock.eq(True))
        .order_by(Product.id)
    )
    products.sort(key=lambda p: p["member_price"] is None)
    member = await Member.select(Member.member_number).where(Member.koperasi == k).first()
    foreign = await Product.select(Product.id).where(Product.koperasi != k).first()
    assert member is not None and foreign is not None
    return Shop(
        settings=settings,
        koperasi_id=k,
        kasir=await person(settings, Role.KASIR, k, region, name="Kasir Toko"),
        products=products,
        member_number=member["member_number"],
        foreign_product_id=foreign["id"],
    )


def sale_item(
    shop: Shop,
    seq: int,
    *,
    device: str = "T01-1",
    member: bool = False,
    shift: str | None = None,
    quantity: int = 1,
    method: str = "tunai",
    cash_given: int | None = None,
    product: dict[str, Any] | None = None,
) -> dict[str, Any]:
    product = product or shop.products[seq % 3]
    price = product["member_price"] if member and product["member_price"] else product["price"]
    payload: dict[str, Any] = {
        "receipt_number": f"{device}-{seq:06d}",
        "device_seq": seq,
        "sold_at": (SOLD_AT + timedelta(minutes=seq)).isoformat(),
        "shift_id": shift,
        "member_number": shop.member_number if member else None,
        "method": method,
        "cash_given": cash_given,
        "lines": [{"product_id": product["id"], "quantity": quantity, "unit_price": price}],
        "total": price * quantity,
    }
    return {"id": str(uuid.uuid4()), "kind": "sale", "payload": payload}


async def till(client: httpx.AsyncClient) -> str:
    response = await client.post("/api/v1/pos/devices", json={"outlet_code": "T01", "name": "HP"})
    assert response.status_code == 201, response.text
    return str(response.json()["code"])


async def send(
    client: httpx.AsyncClient, items: list[dict[str, Any]], device: str = "T01-1"
) -> list[dict[str, Any]]:
    response = await client.post("/api/v1/sync", json={"device": device, "items": items})
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


async def books_balance(k: int) -> None:
    balances = await trial_balance(k)
    assert sum(b.debit for b in balances) == sum(b.credit for b in balances)


async def test_a_day_at_the_till(shop: Shop) -> None:
    async with app_client(shop.settings, origin=ORIGIN) as client:
        as_person(client, shop.kasir)
        assert await till(client) == "T01-1"
        shift_id = str(uuid.uuid4())
        opening = {
            "id": shift_id,
            "kind": "shift_open",
            "payload": {"opening_cash": 200_000, "opened_at": SOLD_AT.isoformat()},
        }
        member_sale = sale_item(shop, 1, member=True, shift=shift_id, quantity=2)
        cash_sale = sale_item(shop, 2, shift=shift_id, cash_given=500_000)
        qris_sale = sale_item(shop, 3, shift=shift_id, method="qris")
        batch = [opening, member_sale, cash_sale, qris_sale]
        results = await send(client, batch)
        assert [r["status"] for r in results] == ["created"] * 4, results
        assert results[1]["receipt_number"] == "T01-1-000001"
        # The answer was lost on the way back: the phone sends everything again.
        again = await send(client, batch)
        assert [r["status"] for r in again] == ["duplicate"] * 4
        assert again[1]["receipt_number"] == "T01-1-000001"

        sales = (
            await Sale.select().where(Sale.koperasi == shop.koperasi_id).order_by(Sale.device_seq)
        )
        assert [s["receipt_number"] for s in sales] == [
            "T01-1-000001",
            "T01-1-000002",
            "T01-1-000003",
        ]
        first = shop.products[1]
        assert sales[0]["total"] == 2 * first["member_price"] and sales[0]["member_id"] is not None
        assert sales[1]["change"] == 500_000 - sales[1]["total"]
        assert await SaleLine.count().where(SaleLine.koperasi == shop.koperasi_id) == 3
        assert await JournalEntry.count().where(JournalEntry.source == "pos") == 3
        await books_balance(shop.koperasi_id)

        closing = {
            "id": str(uuid.uuid4()),
            "kind": "shift_close",
            "payload": {
                "shift_id": shift_id,
                "counted_cash": 200_000 + sales[0]["total"] + sales[1]["total"] - 1_000,
                "closed_at": (SOLD_AT + timedelta(hours=8)).isoformat(),
            },
        }
        late = sale_item(shop, 4, shift=shift_id)
        results = await send(client, [closing, late])
        assert [r["status"] for r in results] == ["created", "created"]
        assert results[1]["late"] is True
        report = (await client.get(f"/api/v1/pos/shifts/{shift_id}")).json()
        assert report["sales_count"] == 3 and report["late_count"] == 1
        assert report["expected_cash"] == 200_000 + sales[0]["total"] + sales[1]["total"]
        assert report["difference"] == -1_000  # short by a thousand: posted as a cost
        assert {m["method"] for m in report["by_method"]} == {"tunai", "qris"}
        lates = (await client.get("/api/v1/pos/late-sales")).json()
        assert [s["receipt_number"] for s in lates] == ["T01-1-000004"]
        shift = (
            await Shift.select(Shift.close_entry.as_alias("close_entry"))
            .where(Shift.client_id == shift_id)
            .first()
        )
        assert shift is not None and shift["close_entry"] is not None
        await books_balance(shop.koperasi_id)


async def test_refused_items_do_not_stop_the_batch(shop: Shop) -> None:
    async with app_client(shop.settings, origin=ORIGIN) as client:
        as_person(client, shop.kasir)
        await till(client)
        good = sale_item(shop, 1)
        unknown = sale_item(shop, 2)
        unknown["payload"]["lines"][0]["product_id"] = 999_999
        negative = sale_item(shop, 3, quantity=-1)
        tampered = sale_item(shop, 4)
        tampered["payload"]["lines"][0]["unit_price"] -= 500
        tampered["payload"]["total"] -= 500
        foreign = sale_item(
            shop, 5, product={"id": shop.foreign_product_id, "price": 1000, "member_price": None}
        )
        wrong_receipt = sale_item(shop, 6)
        wrong_receipt["payload"]["receipt_number"] = "T09-1-000006"
        last = sale_item(shop, 7)
        results = await send(
            client, [good, unknown, negative, tampered, foreign, wrong_receipt, last]
        )
        assert [(r["status"], r["code"]) for r in results] == [
            ("created", ""),
            ("rejected", "unknown_product"),
            ("rejected", "quantity_invalid"),
            ("rejected", "price_mismatch"),
            ("rejected", "unknown_product"),
            ("rejected", "receipt_invalid"),
            ("created", ""),
        ]
        assert all(r["message"] for r in results if r["status"] == "rejected")
        assert await Sale.count() == 2
        # The same id sent again with other contents is a conflict, not a second sale.
        reused = {**sale_item(shop, 8), "id": good["id"]}
        assert (await send(client, [reused]))[0]["status"] == "conflict"
        assert await Sale.count() == 2
        await books_balance(shop.koperasi_id)


async def test_the_same_batch_twice_at_once_is_one_sale(shop: Shop) -> None:
    async with app_client(shop.settings, origin=ORIGIN) as client:
        as_person(client, shop.kasir)
        await till(client)
        batch = [sale_item(shop, seq) for seq in range(1, 6)]
        first, second = await asyncio.gather(send(client, batch), send(client, batch))
        for a, b in zip(first, second, strict=True):
            assert sorted([a["status"], b["status"]]) == ["created", "duplicate"]
        assert await Sale.count() == 5
        assert await JournalEntry.count().where(JournalEntry.source == "pos") == 5


async def test_a_crash_mid_batch_leaves_no_partial_sale(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app_client(shop.settings, origin=ORIGIN) as client:
        as_person(client, shop.kasir)
        await till(client)
        batch = [sale_item(shop, seq) for seq in range(1, 4)]
        real = pos.record_sale_movements
        calls = 0

        async def crash_on_second(*args: Any, **kwargs: Any) -> list[int]:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise RuntimeError("server killed")  # after the entry, before the sale row
            return await real(*args, **kwargs)

        monkeypatch.setattr(pos, "record_sale_movements", crash_on_second)
        response = await client.post("/api/v1/sync", json={"device": "T01-1", "items": batch})
        assert response.status_code == 500
        assert await Sale.count() == 1
        assert await JournalEntry.count().where(JournalEntry.source == "pos") == 1
        monkeypatch.setattr(pos, "record_sale_movements", real)
        results = await send(client, batch)
        assert [r["status"] for r in results] == ["duplicate", "created", "created"]
        assert await JournalEntry.count().where(JournalEntry.source == "pos") == 3
        await books_balance(shop.koperasi_id)


async def test_an_expired_session_writes_nothing(shop: Shop) -> None:
    async with app_client(shop.settings, origin=ORIGIN) as client:
        as_person(client, shop.kasir)
        await till(client)
        client.cookies.clear()
        response = await client.post(
            "/api/v1/sync", json={"device": "T01-1", "items": [sale_item(shop, 1)]}
        )
        assert response.status_code == 401
        assert await Sale.count() == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_retries_drops_and_duplicates_deliver_each_sale_once(
    shop: Shop, seed: int
) -> None:
    """A phone with an outbox of 30 sales on a bad line: each round it sends a random slice
    (sometimes twice over, sometimes shuffled); the server's answer is lost a third of the
    time. The phone deletes an item only on created/duplicate."""
    rng = random.Random(seed)
    async with app_client(shop.settings, origin=ORIGIN) as client:
        as_person(client, shop.kasir)
        await till(client)
        outbox = {item["id"]: item for item in (sale_item(shop, seq) for seq in range(1, 31))}
        receipts = {item["payload"]["receipt_number"] for item in outbox.values()}
        for _ in range(200):
            if not outbox:
                break
            pending = list(outbox.values())
            batch = pending[: rng.randint(1, 10)]
            if rng.random() < 0.3:
                batch = batch + batch  # a flaky retry inside one request
                batch = list({item["id"]: item for item in batch}.values())
            if rng.random() < 0.3:
                rng.shuffle(batch)
            results = await send(client, batch)
            if rng.random() < 1 / 3:
                continue  # the answer never reached the phone
            for result in results:
                assert result["status"] in ("created", "duplicate"), result
                outbox.pop(result["id"], None)
        assert not outbox
        stored = {r["receipt_number"] for r in await Sale.select(Sale.receipt_number)}
        assert stored == receipts and await Sale.count() == 30
        await books_balance(shop.koperasi_id)


async def test_a_till_offline_through_a_price_change_still_sells_at_its_price(shop: Shop) -> None:
    from backend.catalog.service import update_product
    from backend.catalog.tables import Product as ProductTable

    product = shop.products[0]
    row = (
        await ProductTable.select(ProductTable.sku).where(ProductTable.id == product["id"]).first()
    )
    assert row is not None
    # The phone sold at the old price; the pengurus raised it before the phone came online.
    old_price_sale = sale_item(shop, 1, product=product)
    await update_product(shop.koperasi_id, row["sku"], {"price": product["price"] + 1_000})
    made_up = sale_item(shop, 2, product={**product, "price": product["price"] + 1})
    async with app_client(shop.settings, origin=ORIGIN) as client:
        as_person(client, shop.kasir)
        await till(client)
        results = await send(client, [old_price_sale, made_up])
    assert [(r["status"], r["code"]) for r in results] == [
        ("created", ""),
        ("rejected", "price_mismatch"),
    ]
    sale = await Sale.select(Sale.total).first()
    assert sale is not None and sale["total"] == product["price"]  # what the customer paid
