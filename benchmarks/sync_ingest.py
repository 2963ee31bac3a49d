"""Sync ingest: sales per second through `POST /api/v1/sync`, next to a raw insert of the
same rows in the same run.

For each engine (SQLite, PostgreSQL) the script makes a fresh database, migrates it, loads
the demo and signs a kasir in. Then it times

- endpoint: N sales (2 lines each, cash, every fifth to a member) sent as batches of
  --batch items through the app in-process (httpx's ASGI transport: no network), each sale
  re-priced, checked, posted to the journal with its stock movements in its own
  transaction — what a phone's outbox flush costs the server;
- raw: the same rows — the sale, its lines, the journal entry and its four lines, the stock
  movements — written by plain INSERTs, one transaction per sale, with nothing checked,
  into another shop koperasi of the demo.

Goal (issue 5): the endpoint at least half the raw rate. It also checks that the endpoint
stored exactly N sales and that the books balance.

Usage: .venv/bin/python benchmarks/sync_ingest.py [--sales 2000] [--batch 100]
       [--engines sqlite,postgres] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
GOAL = 0.5
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


async def _shop(slug: str) -> tuple[int, int, list[dict[str, Any]], str]:
    from backend.catalog.tables import Product
    from backend.members.tables import Member
    from backend.tenancy.tables import Koperasi, Outlet

    k = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region"))
        .where(Koperasi.slug == slug)
        .first()
    )
    assert k is not None
    outlet = await Outlet.select(Outlet.id).where(Outlet.koperasi == k["id"]).first()
    products = await Product.select(
        Product.id, Product.price, Product.member_price, Product.cost_price, Product.track_stock
    ).where((Product.koperasi == k["id"]) & Product.track_stock.eq(True))
    member = await Member.select(Member.member_number).where(Member.koperasi == k["id"]).first()
    assert outlet and products and member
    return k["id"], outlet["id"], products, member["member_number"]


def _sales(
    n: int, device: str, products: list[dict[str, Any]], member: str
) -> list[dict[str, Any]]:
    items = []
    for seq in range(1, n + 1):
        is_member = seq % 5 == 0
        lines = []
        for j in range(2):
            p = products[(seq + j * 7) % len(products)]
            price = p["member_price"] if is_member and p["member_price"] else p["price"]
            lines.append(
                {"product_id": p["id"], "quantity": 1 + (seq + j) % 3, "unit_price": price}
            )
        items.append(
            {
                "id": str(uuid.uuid4()),
                "kind": "sale",
                "payload": {
                    "receipt_number": f"{device}-{seq:06d}",
                    "device_seq": seq,
                    "sold_at": (START + timedelta(seconds=seq * 7)).isoformat(),
                    "shift_id": None,
                    "member_number": member if is_member else None,
                    "method": "tunai",
                    "cash_given": None,
                    "lines": lines,
                    "total": sum(line["unit_price"] * line["quantity"] for line in lines),
                },
            }
        )
    return items


async def _endpoint(settings: Any, sales_count: int, batch: int) -> float:
    from backend.accounts.domain import Role
    from backend.ledger.service import trial_balance
    from backend.pos.tables import Sale
    from tests.support.client import app_client
    from tests.support.sessions import as_person, person

    k, _, products, member = await _shop("kopwan-srikandi")
    from backend.tenancy.tables import Koperasi

    region = (
        await Koperasi.select(Koperasi.region.as_alias("region")).where(Koperasi.id == k).first()
    )
    assert region is not None
    session = await person(settings, Role.KASIR, k, region["region"])
    async with app_client(settings, origin="http://localhost:8000") as client:
        as_person(client, session)
        device = (
            await client.post("/api/v1/pos/devices", json={"outlet_code": "T01", "name": "bench"})
        ).json()["code"]
        items = _sales(sales_count, device, products, member)
        started = time.perf_counter()
        for i in range(0, len(items), batch):
            response = await client.post(
                "/api/v1/sync", json={"device": device, "items": items[i : i + batch]}
            )
            statuses = {r["status"] for r in response.json()["results"]}
            assert statuses == {"created"}, response.text[:500]
        elapsed = time.perf_counter() - started
    assert await Sale.count().where(Sale.koperasi == k) == sales_count
    balances = await trial_balance(k)
    assert sum(b.debit for b in balances) == sum(b.credit for b in balances)
    return sales_count / elapsed


async def _raw(sales_count: int) -> float:
    """The same rows by plain INSERTs, one transaction per sale."""
    from backend.db import current_engine, write_transaction
    from backend.ledger.tables import LedgerAccount
    from backend.pos.tables import PosDevice

    k, outlet, products, _member = await _shop("ksu-bina-usaha-sejahtera")
    accounts = {
        row["code"]: row["id"]
        for row in await LedgerAccount.select(LedgerAccount.id, LedgerAccount.code).where(
            LedgerAccount.koperasi == k
        )
    }
    device = await PosDevice.insert(
        PosDevice(koperasi=k, outlet=outlet, code="T01-9", name="raw")
    ).returning(PosDevice.id)
    device_id = device[0]["id"]
    items = _sales(sales_count, "T01-9", products, "")
    by_id = {p["id"]: p for p in products}
    engine = current_engine()
    number = 10_000_000
    started = time.perf_counter()
    for seq, item in enumerate(items, start=1):
        payload = item["payload"]
        total = payload["total"]
        cost = sum(
            by_id[line["product_id"]]["cost_price"] * line["quantity"] for line in payload["lines"]
        )
        sold = datetime.fromisoformat(payload["sold_at"])
        number += 1
        async with write_transaction():
            entry = await engine.run_querystring(
                _q(
                    "INSERT INTO journal_entry (koperasi_id, number, entry_date, period,"
                    " description, source, created_at) VALUES ({}, {}, {}, {}, {}, 'pos', {})"
                    " RETURNING id",
                    k,
                    number,
                    sold.date(),
                    sold.strftime("%Y-%m"),
                    "raw",
                    sold,
                )
            )
            entry_id = entry[0]["id"]
            for code, debit, credit in (
                ("1-1100", total, 0),
                ("4-2100", 0, total),
                ("5-1100", cost, 0),
                ("1-1400", 0, cost),
            ):
                await engine.run_querystring(
                    _q(
                        "INSERT INTO journal_line (koperasi_id, entry_id, entry_date, account_id,"
                        " debit, credit, memo) VALUES ({}, {}, {}, {}, {}, {}, '')",
                        k,
                        entry_id,
                        sold.date(),
                        accounts[code],
                        debit,
                        credit,
                    )
                )
            sale = await engine.run_querystring(
                _q(
                    "INSERT INTO pos_sale (koperasi_id, outlet_id, device_id, client_id,"
                    " receipt_number, device_seq, sold_at, received_at, subtotal, discount, total,"
                    " payment_method, change, payload_hash, entry_id, late, oversold, source)"
                    " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, 0, {}, 'tunai', 0, 'x', {},"
                    " {}, {}, 'pos') RETURNING id",
                    k,
                    outlet,
                    device_id,
                    item["id"],
                    payload["receipt_number"],
                    seq,
                    sold,
                    sold,
                    total,
                    total,
                    entry_id,
                    False,
                    False,
                )
            )
            for line in payload["lines"]:
                p = by_id[line["product_id"]]
                await engine.run_querystring(
                    _q(
                        "INSERT INTO pos_sale_line (koperasi_id, sale_id, product_id, quantity,"
                        " unit_price, discount, line_total, unit_cost) VALUES"
                        " ({}, {}, {}, {}, {}, 0, {}, {})",
                        k,
                        sale[0]["id"],
                        p["id"],
                        line["quantity"],
                        line["unit_price"],
                        line["unit_price"] * line["quantity"],
                        p["cost_price"],
                    )
                )
                await engine.run_querystring(
                    _q(
                        "INSERT INTO stock_movement (koperasi_id, outlet_id, product_id, quantity,"
                        " kind, reference, note, unit_cost, created_at) VALUES"
                        " ({}, {}, {}, {}, 'penjualan', {}, '', {}, {})",
                        k,
                        outlet,
                        p["id"],
                        -line["quantity"],
                        payload["receipt_number"],
                        p["cost_price"],
                        sold,
                    )
                )
    return sales_count / (time.perf_counter() - started)


def _q(template: str, *values: Any) -> Any:
    from piccolo.querystring import QueryString

    return QueryString(template, *values)


async def run(engine_name: str, args: argparse.Namespace) -> dict[str, float]:
    from backend.db import connected, migrate
    from backend.demo.service import load_demo
    from backend.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        url = ""
        if engine_name == "postgres":
            url = await _create_pg(args.postgres_url)
        settings = replace(
            Settings(),
            data_dir=Path(tmp),
            allowed_hosts=("testserver.local",),
            database_url=url,
            auth_attempts_per_minute=1_000_000,
        )
        try:
            async with connected(settings):
                await migrate()
                await load_demo()
                endpoint = await _endpoint(settings, args.sales, args.batch)
                raw = await _raw(args.sales)
        finally:
            if url:
                await _drop_pg(args.postgres_url, url)
    return {"endpoint": endpoint, "raw": raw, "ratio": endpoint / raw}


async def _create_pg(admin_url: str) -> str:
    import asyncpg

    name = f"bench_sync_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def _drop_pg(admin_url: str, url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    failed = False
    for name in args.engines.split(","):
        result = asyncio.run(run(name, args))
        verdict = "ok" if result["ratio"] >= GOAL else "BELOW GOAL"
        failed |= result["ratio"] < GOAL
        print(
            f"{name:9} endpoint {result['endpoint']:7.0f} sales/s   raw {result['raw']:7.0f}"
            f" sales/s   ratio {result['ratio']:.2f} (goal >= {GOAL}) {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
