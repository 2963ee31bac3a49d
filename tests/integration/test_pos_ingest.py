"""Sales from other retail apps: an API key pushes sales by SKU with the app's own prices;
a CSV export uploaded twice adds nothing the second time; a revoked key is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backend.accounts.domain import Role
from backend.catalog.tables import Product
from backend.ledger.service import trial_balance
from backend.pos.tables import Sale
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"


@pytest.fixture
async def pengurus(demo: Settings) -> tuple[Settings, int, tuple[str, str], list[str]]:
    settings = replace(demo, auth_attempts_per_minute=10_000)
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == "kopwan-srikandi")
        .first()
    )
    assert row is not None
    skus = [
        p["sku"]
        for p in await Product.select(Product.sku)
        .where(Product.koperasi == row["id"])
        .order_by(Product.sku)
    ]
    return (
        settings,
        row["id"],
        await person(settings, Role.PENGURUS, row["id"], row["region_id"]),
        skus,
    )


async def test_an_app_pushes_sales_with_its_key(
    pengurus: tuple[Settings, int, tuple[str, str], list[str]],
) -> None:
    settings, k, session, skus = pengurus
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, session)
        made = await client.post(
            "/api/v1/pos/tokens", json={"name": "Aplikasi Kasir Lama", "outlet_code": "T01"}
        )
        assert made.status_code == 201, made.text
        token = made.json()["token"]
        assert token.startswith("kor_") and made.json()["info"]["device"] == "T01-X1"
        listed = (await client.get("/api/v1/pos/tokens")).json()
        assert "token" not in listed[0] and listed[0]["prefix"] == token[:12]

    async with app_client(settings) as app:  # another server, no browser, no session
        sales = [
            {
                "id": "INV-001",
                "sold_at": "2026-11-28T09:00:00+07:00",
                "lines": [{"sku": skus[0], "quantity": 2, "unit_price": 12_345}],
                "total": 24_690,
            },
            {
                "id": "INV-002",
                "sold_at": "2026-11-28T09:05:00+07:00",
                "lines": [{"sku": "TIDAK-ADA", "quantity": 1, "unit_price": 1}],
                "total": 1,
            },
        ]
        headers = {"authorization": f"Bearer {token}"}
        first = await app.post("/api/v1/ingest/sales", json={"sales": sales}, headers=headers)
        assert first.status_code == 200, first.text
        assert [(r["id"], r["status"]) for r in first.json()["results"]] == [
            ("INV-001", "created"),
            ("INV-002", "rejected"),
        ]
        again = await app.post("/api/v1/ingest/sales", json={"sales": sales[:1]}, headers=headers)
        assert again.json()["results"][0]["status"] == "duplicate"
        sale = await Sale.select(Sale.receipt_number, Sale.total, Sale.source).first()
        assert sale == {"receipt_number": "T01-X1/INV-001", "total": 24_690, "source": "api"}
        nobody = await app.post(
            "/api/v1/ingest/sales",
            json={"sales": sales},
            headers={"authorization": "Bearer kor_salah"},
        )
        assert nobody.status_code == 401

    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, session)
        token_id = (await client.get("/api/v1/pos/tokens")).json()[0]["id"]
        assert (await client.delete(f"/api/v1/pos/tokens/{token_id}")).status_code == 204
    async with app_client(settings) as app:
        revoked = await app.post("/api/v1/ingest/sales", json={"sales": sales}, headers=headers)
        assert revoked.status_code == 401
    assert await Sale.count() == 1
    balances = await trial_balance(k)
    assert sum(b.debit for b in balances) == sum(b.credit for b in balances)


async def test_a_csv_export_uploaded_twice_adds_nothing(
    pengurus: tuple[Settings, int, tuple[str, str], list[str]],
) -> None:
    settings, _, session, skus = pengurus
    csv = (
        "id_transaksi;waktu;sku;jumlah;harga;diskon;cara_bayar;nomor_anggota\n"
        f"TRX-1;2026-11-27 10:00;{skus[0]};1;10.000;0;tunai;\n"
        f"TRX-1;2026-11-27 10:00;{skus[1]};3;2.500;500;tunai;\n"
        f"TRX-2;2026-11-27 11:00;{skus[2]};1;Rp 7.000;0;qris;\n"
        "TRX-3;kemarin;X;1;1;0;tunai;\n"
    ).encode()
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, session)
        files = {"file": ("penjualan.csv", csv, "text/csv")}
        preview = await client.post(
            "/api/v1/pos/imports/sales-csv", files=files, data={"outlet_code": "T01"}
        )
        assert preview.status_code == 200, preview.text
        body = preview.json()
        assert body["sales"] == 2 and [e["row"] for e in body["rows_refused"]] == [5]
        assert body["results"] == [] and await Sale.count() == 0
        data = {"outlet_code": "T01", "commit": "true"}
        first = (await client.post("/api/v1/pos/imports/sales-csv", files=files, data=data)).json()
        assert [r["status"] for r in first["results"]] == ["created", "created"]
        second = (await client.post("/api/v1/pos/imports/sales-csv", files=files, data=data)).json()
        assert [r["status"] for r in second["results"]] == ["duplicate", "duplicate"]
    totals = sorted(r["total"] for r in await Sale.select(Sale.total))
    assert totals == [7_000, 17_000]
