"""The Dinas dashboard on SQLite and PostgreSQL: the per-day sales totals equal the fold of
the sales whichever way they came in (till sync, another app's API, CSV) across the region's
midnight; the region table's figures equal what the other contexts' own functions say for
each koperasi; filters, sort and the chart's granularity work as GET parameters; the exports
open in openpyxl with the same figures."""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import openpyxl
import pytest

from backend.accounts.domain import Role
from backend.catalog.tables import Product
from backend.dashboard import queries, service
from backend.dashboard.domain import (
    DayTotal,
    Filters,
    Granularity,
    fold,
    region_day,
    region_today,
    worst_status,
)
from backend.dashboard.exports import ODS_COLUMNS
from backend.health import service as health
from backend.i18n import LANGUAGE_COOKIE
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.statements import neraca, phu
from backend.pos import ingest
from backend.pos.tables import Sale
from backend.settings import Settings
from backend.supervision import service as supervision
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"
EQUITY = "3-1300"  # Modal penyertaan
PATHS = ("/pengawasan", "/pengawasan/ekspor/koperasi.xlsx", "/pengawasan/ekspor/ods")


@dataclass
class Region:
    settings: Settings
    region_id: int
    k: int  # Koperasi Wanita Srikandi, which has a shop
    kasir: tuple[str, str]
    dinas: tuple[str, str]
    products: list[dict[str, Any]]


@pytest.fixture
async def region(demo: Settings) -> Region:
    settings = replace(demo, auth_attempts_per_minute=10_000)
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == "kopwan-srikandi")
        .first()
    )
    assert row is not None
    products = await (
        Product.select(Product.id, Product.sku, Product.price)
        .where(Product.koperasi == row["id"])
        .order_by(Product.id)
        .limit(3)
    )
    return Region(
        settings=settings,
        region_id=row["region_id"],
        k=row["id"],
        kasir=await person(settings, Role.KASIR, row["id"], row["region_id"], name="Kasir Dasbor"),
        dinas=await person(settings, Role.DINAS, None, row["region_id"], name="Dinas Dasbor"),
        products=products,
    )


def sale_item(region: Region, seq: int, sold_at: datetime, quantity: int = 1) -> dict[str, Any]:
    product = region.products[seq % len(region.products)]
    payload = {
        "receipt_number": f"T01-1-{seq:06d}",
        "device_seq": seq,
        "sold_at": sold_at.isoformat(),
        "shift_id": None,
        "member_number": None,
        "method": "tunai",
        "cash_given": None,
        "lines": [
            {"product_id": product["id"], "quantity": quantity, "unit_price": product["price"]}
        ],
        "total": product["price"] * quantity,
    }
    return {"id": str(uuid.uuid4()), "kind": "sale", "payload": payload}


async def sync(client: httpx.AsyncClient, items: list[dict[str, Any]]) -> None:
    response = await client.post("/api/v1/sync", json={"device": "T01-1", "items": items})
    assert response.status_code == 200, response.text
    assert all(r["status"] == "created" for r in response.json()["results"]), response.text


async def till_device(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/pos/devices", json={"outlet_code": "T01", "name": "HP"})
    assert response.status_code == 201, response.text
    assert response.json()["code"] == "T01-1"


def wib_midnight(day: date) -> datetime:
    """The moment `day` starts in the region (00:00 WIB), in UTC."""
    return datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=7)


async def fold_of_sales(koperasi_id: int) -> dict[date, tuple[int, int]]:
    folded: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in await Sale.select(Sale.sold_at, Sale.total).where(Sale.koperasi == koperasi_id):
        sold_at = row["sold_at"]
        if isinstance(sold_at, str):
            sold_at = datetime.fromisoformat(sold_at)
        day = folded[region_day(sold_at)]
        day[0] += 1
        day[1] += int(row["total"])
    return {day: (v[0], v[1]) for day, v in folded.items()}


async def stored_day_totals(koperasi_id: int) -> dict[date, tuple[int, int]]:
    totals = await queries.day_totals(koperasi_id, date(2000, 1, 1), date(2100, 1, 1))
    return {t.day: (t.sales, t.amount) for t in totals}


async def test_day_totals_are_the_fold_of_every_sale_across_the_region_midnight(
    region: Region,
) -> None:
    today = region_today()
    midnight = wib_midnight(today - timedelta(days=2))
    async with app_client(region.settings, origin=ORIGIN) as client:
        as_person(client, region.kasir)
        await till_device(client)
        # 23:59:59 WIB and 00:00:00 WIB: two different days in the region.
        await sync(
            client,
            [
                sale_item(region, 1, midnight - timedelta(seconds=1)),
                sale_item(region, 2, midnight, quantity=2),
                sale_item(region, 3, midnight + timedelta(hours=5)),
                sale_item(region, 4, datetime.now(UTC), quantity=3),
            ],
        )
    # Another app's API and a CSV upload go through the same door with their own source.
    for source in ("api", "csv"):
        till = await ingest.upload_till(region.k, "T01")
        results = await ingest.ingest(
            till,
            [
                {
                    "id": f"{source}-1",
                    "sold_at": (midnight - timedelta(minutes=30)).isoformat(),
                    "total": region.products[0]["price"] * 2,
                    "lines": [
                        {
                            "sku": region.products[0]["sku"],
                            "quantity": 2,
                            "unit_price": region.products[0]["price"],
                        }
                    ],
                }
            ],
            source,
        )
        assert [r.status for r in results] == ["created"]
    assert {r["source"] for r in await Sale.select(Sale.source)} == {"pos", "api", "csv"}

    stored = await stored_day_totals(region.k)
    assert stored == await fold_of_sales(region.k)
    before, after = today - timedelta(days=3), today - timedelta(days=2)
    price = [p["price"] for p in region.products]
    assert stored[before] == (3, price[1] + 2 * price[0] * 2)  # sale 1, api, csv
    assert stored[after] == (2, 2 * price[2] + price[0])  # sales 2 and 3
    assert stored[today][0] == 1

    # The dashboard's figures read the totals: today's sale is there at once.
    board = await service.dashboard(region.region_id, today, Filters(), Granularity.HARI)
    assert board.summary.sales_today == stored[today][1]
    assert board.summary.sales_today_count == 1
    srikandi = next(row for row in board.rows if row.id == region.k)
    assert srikandi.sales_30d == sum(amount for _, amount in stored.values())
    assert srikandi.sales_count_30d == 6
    assert sum(b.amount for b in board.series) == srikandi.sales_30d
    assert board.series[-1].start == today


async def test_weeks_and_months_added_up_in_sql_equal_the_fold_in_python(
    region: Region,
) -> None:
    today = region_today()
    async with app_client(region.settings, origin=ORIGIN) as client:
        as_person(client, region.kasir)
        await till_device(client)
        # One sale every 17 days for a year: crosses weeks, months and the year's end.
        moments = [
            wib_midnight(today - timedelta(days=17 * i)) + timedelta(hours=9) for i in range(22)
        ]
        await sync(client, [sale_item(region, i + 1, m) for i, m in enumerate(moments)])
    days = [
        DayTotal(day, sales, amount)
        for day, (sales, amount) in (await stored_day_totals(region.k)).items()
    ]
    for granularity in Granularity:
        since = service.series_since(today, granularity)
        in_sql = await queries.region_series(region.region_id, granularity, since, today)
        assert fold(in_sql, today, granularity) == fold(days, today, granularity), granularity
    monthly = fold(days, today, Granularity.BULAN)
    assert sum(b.sales for b in monthly) == sum(
        1 for m in moments if region_day(m) >= monthly[0].start
    )


async def post_books(region: Region) -> None:
    """Books of two koperasi: capital, a bank loan, revenue and costs last year and this
    year, so that assets, own capital, liabilities, revenue and SHU are all non-zero."""
    today = region_today()
    last_year = date(today.year - 1, 6, 30)
    this_year = date(today.year, 1, 1)
    others = await Koperasi.select(Koperasi.id).where(
        (Koperasi.region == region.region_id) & (Koperasi.id != region.k)
    )
    for k, scale in ((region.k, 1), (int(others[0]["id"]), 3)):
        entries = [
            (last_year, [Line("1-1100", 40_000_000 * scale), Line(EQUITY, 0, 40_000_000 * scale)]),
            (last_year, [Line("1-1100", 9_000_000 * scale), Line("4-1200", 0, 9_000_000 * scale)]),
            (last_year, [Line("5-1100", 6_000_000 * scale), Line("1-1100", 0, 6_000_000 * scale)]),
            (
                this_year,
                [Line("1-1100", 25_000_000 * scale), Line("2-1400", 0, 25_000_000 * scale)],
            ),
            (this_year, [Line("1-1100", 7_500_000 * scale), Line("4-1200", 0, 7_500_000 * scale)]),
            (this_year, [Line("5-1100", 2_500_000 * scale), Line("1-1100", 0, 2_500_000 * scale)]),
        ]
        for day, lines in entries:
            await ledger.post_entry(k, day, "Uji dasbor", lines)


async def test_the_region_table_agrees_with_each_context_s_own_functions(
    region: Region,
) -> None:
    today = region_today()
    await post_books(region)
    board = await service.dashboard(region.region_id, today, Filters(), Granularity.MINGGU)
    koperasi = await Koperasi.select(Koperasi.id, Koperasi.name).where(
        Koperasi.region == region.region_id
    )
    assert sorted(r.id for r in board.rows) == sorted(k["id"] for k in koperasi)
    assert len(board.rows) >= 5
    assessed = 0
    for row in board.rows:
        position = await neraca(row.id, today)
        assert row.assets == position.aset.totals[0], row.name
        assert row.own_capital == position.ekuitas.totals[0], row.name
        assert row.members == await supervision.active_members(row.id, today), row.name
        assert row.kuk_class == (await supervision.kuk(row.id, today)).kuk_class, row.name
        latest = await health.latest(row.id)
        if latest is None:
            assert row.health_category is None and row.health_date is None
        else:
            assessed += 1
            assert (row.health_category, row.health_date) == (latest.category, latest.as_of)
            assert row.health_label == latest.category_label
        items = await supervision.compliance_items(row.id, today)
        assert row.compliance is worst_status(i.status for i in items), row.name
        assert row.overdue_items == sum(1 for i in items if i.status.value == "terlambat")
    assert assessed >= 1  # the demo has past assessments
    assert sum(1 for r in board.rows if r.assets > 0 and r.own_capital > 0) == 2
    assert board.summary.members == sum(r.members for r in board.rows)
    assert board.summary.assets == sum(r.assets for r in board.rows)
    assert board.summary.koperasi == len(board.rows)
    assert sum(board.summary.compliance.values()) == len(board.rows)


async def test_the_page_filters_sorts_and_switches_the_chart(region: Region) -> None:
    async with app_client(region.settings, origin=ORIGIN) as client:
        as_person(client, region.kasir)
        await till_device(client)
        await sync(client, [sale_item(region, 1, datetime.now(UTC), quantity=2)])
        as_person(client, region.dinas)
        page = await client.get("/pengawasan")
        assert page.status_code == 200, page.text
        assert page.headers["cache-control"] == "no-store"
        text = page.text
        assert "Koperasi Wanita Srikandi" in text and "KSP Artha Mandiri" in text
        assert 'href="/pengawasan/koperasi/kopwan-srikandi"' in text
        assert f"Rp {region.products[1]['price'] * 2:,}".replace(",", ".") in text
        assert 'role="img"' in text and "<table" in text

        ksp = await client.get("/pengawasan", params={"jenis": "ksp"})
        assert 'data-koperasi="ksp-artha-mandiri"' in ksp.text
        assert 'data-koperasi="kopwan-srikandi"' not in ksp.text
        searched = await client.get("/pengawasan", params={"cari": "srikandi"})
        assert searched.text.count("data-koperasi=") == 1
        none = await client.get("/pengawasan", params={"cari": "tidak ada koperasi ini"})
        assert "Tidak ada koperasi yang cocok" in none.text

        by_sales = await client.get("/pengawasan", params={"urut": "penjualan", "arah": "turun"})
        first = by_sales.text.index("data-koperasi=")
        assert by_sales.text[first:].startswith('data-koperasi="kopwan-srikandi"')
        assert 'aria-sort="descending"' in by_sales.text

        for grafik in ("minggu", "bulan", "bukan-pilihan"):
            switched = await client.get("/pengawasan", params={"grafik": grafik})
            assert switched.status_code == 200
        monthly = await client.get("/pengawasan", params={"grafik": "bulan"})
        assert monthly.text.count('class="bar"') == 12
        daily = await client.get("/pengawasan")
        assert daily.text.count('class="bar"') == 30

        client.cookies.set(LANGUAGE_COOKIE, "en", domain="testserver.local")
        english = await client.get("/pengawasan", params={"grafik": "minggu"})
        assert english.status_code == 200
        assert "Supervision dashboard" in english.text and "Sales today" in english.text


async def test_the_table_export_keeps_the_filters(region: Region) -> None:
    async with app_client(region.settings, origin=ORIGIN) as client:
        as_person(client, region.dinas)
        response = await client.get("/pengawasan/ekspor/koperasi.xlsx", params={"jenis": "ksp"})
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        names = [
            sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row)
        ]  # the last row is the total
        assert names == ["KSP Artha Mandiri"]
        board = await service.dashboard(
            region.region_id, region_today(), Filters(kind="ksp"), Granularity.HARI
        )
        row = board.shown[0]
        assert sheet.cell(row=5, column=3).value == row.kuk_class
        assert sheet.cell(row=5, column=8).value == row.members
        assert sheet.cell(row=5, column=9).value == row.assets
        everything = await client.get("/pengawasan/ekspor/koperasi.xlsx")
        whole = openpyxl.load_workbook(io.BytesIO(everything.content)).active
        assert whole is not None
        assert whole.max_row - 5 == len(board.rows)


async def test_the_ods_export_has_the_year_s_figures(region: Region) -> None:
    year = region_today().year
    await post_books(region)
    async with app_client(region.settings, origin=ORIGIN) as client:
        as_person(client, region.dinas)
        xlsx = await client.get("/pengawasan/ekspor/ods", params={"tahun": year})
        as_csv = await client.get("/pengawasan/ekspor/ods", params={"tahun": year, "format": "csv"})
    assert xlsx.status_code == 200 and as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert list(rows[0]) == [c.key for c in ODS_COLUMNS]
    annual = {
        r.koperasi.name: r for r in await service.annual(region.region_id, year, region_today())
    }
    assert {r["nama_koperasi"] for r in rows} == set(annual)
    for line in rows:
        expected = annual[line["nama_koperasi"]]
        k = expected.koperasi.id
        as_of = min(date(year, 12, 31), region_today())
        position = await neraca(k, as_of)
        flows = await phu(k, date(year, 1, 1), as_of)
        assert int(line["aset"]) == position.aset.totals[0]
        assert int(line["modal_sendiri"]) == position.ekuitas.totals[0]
        assert int(line["modal_luar"]) == position.kewajiban.totals[0]
        assert int(line["volume_usaha"]) == flows.pendapatan.totals[0]
        assert int(line["shu"]) == flows.shu[0]
        assert int(line["jumlah_anggota"]) == await supervision.active_members(k, as_of)
        assert line["jumlah_karyawan"] == "" and "tidak dicatat" in line["catatan"]
        assert line["tahun"] == str(year)
    assert sum(1 for line in rows if int(line["shu"]) > 0 and int(line["modal_luar"]) > 0) == 2
    assert sum(1 for line in rows if line["status_aktif"] == "aktif") >= 2
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert book is not None
    keys = [book.cell(row=5, column=c + 1).value for c in range(len(ODS_COLUMNS))]
    assert keys == [c.key for c in ODS_COLUMNS]
    assert book.max_row - 5 == len(rows)
    names = {book.cell(row=r, column=3).value for r in range(6, book.max_row + 1)}
    assert names == set(annual)


async def test_only_a_dinas_officer_reads_the_dashboard(region: Region) -> None:
    pengurus = await person(region.settings, Role.PENGURUS, region.k, region.region_id)
    async with app_client(region.settings, origin=ORIGIN) as client:
        anonymous = await client.get("/pengawasan")
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")
        for session in (pengurus, region.kasir):
            as_person(client, session)
            for path in (
                "/pengawasan",
                "/pengawasan/ekspor/koperasi.xlsx",
                "/pengawasan/ekspor/ods",
            ):
                response = await client.get(path)
                assert response.status_code == 403, path
                assert "Koperasi Wanita Srikandi" not in response.text
