"""The Dinas dashboard for a region of 200 koperasi with a year of POS sales each: time to
first render of /pengawasan, next to the bare SQL of its heaviest queries.

For each engine (SQLite, PostgreSQL) the script makes a fresh database, migrates it and
seeds one region: --koperasi koperasi (kinds in turn), each with the default chart of
accounts, an outlet, a till, 50 members, one journal entry a day for its sales (two lines:
Kas / Penjualan) and a year of POS sales ending today (a random 20-50 a day at random times
of the region's day, WIB), bulk-loaded past the app (SQLite: executemany in one transaction;
PostgreSQL: COPY). The sales go in through the `pos_sale` INSERT trigger, which keeps
`pos_day_total` as every sale does. Then, in-process over HTTP (httpx + ASGI, a Dinas
officer's session), it times

- first: the first GET /pengawasan after the app started (cold caches of the process);
- page (days) / page (months): the median of --repeat GETs of /pengawasan and
  /pengawasan?grafik=bulan;
- bare SQL: the region's sales per month over 12 months (`queries.region_series_sql`, the
  heaviest read of pos_day_total) and the books' positions of every koperasi
  (`queries.BOOKS_SQL`, over journal_day_total), each run alone through the app's engine;
- for scale, the same monthly figure computed from the sales themselves (a GROUP BY over
  pos_sale): what each render would cost without the per-day totals.

It checks that pos_day_total equals the fold of pos_sale (count and amount per koperasi)
and that the page shows every koperasi. Results go to benchmarks/results/dashboard-*.json.

Usage: .venv/bin/python benchmarks/dashboard.py [--koperasi 200] [--min-sales 20]
       [--max-sales 50] [--days 365] [--engines sqlite,postgres] [--repeat 5]
       [--seed 2026] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
RESULTS_DIR = HERE / "results"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ENGINES = ("sqlite", "postgres")
KINDS = ("konsumen", "ksp", "ksu", "wanita", "produsen", "pemasaran", "jasa")
MEMBERS_PER_KOPERASI = 50
SALE_COLUMNS = (
    "koperasi_id",
    "outlet_id",
    "device_id",
    "client_id",
    "receipt_number",
    "device_seq",
    "sold_at",
    "received_at",
    "subtotal",
    "discount",
    "total",
    "payment_method",
    "change",
    "payload_hash",
    "entry_id",
    "late",
    "oversold",
    "source",
)
ENTRY_COLUMNS = (
    "id",
    "koperasi_id",
    "number",
    "entry_date",
    "period",
    "description",
    "source",
    "created_at",
)
LINE_COLUMNS = ("koperasi_id", "entry_id", "entry_date", "account_id", "debit", "credit", "memo")
WIB = timedelta(hours=7)


class BenchError(RuntimeError):
    pass


@dataclass
class Seeded:
    region_id: int
    koperasi: list[int]
    first_day: date
    today: date
    sales: int = 0
    amount: int = 0


@dataclass
class EngineResult:
    engine: str
    koperasi: int
    sales: int
    day_totals: int
    journal_lines: int
    load_s: float
    first_ms: float
    page_days_ms: float
    page_months_ms: float
    bare_series_ms: float
    bare_books_ms: float
    scan_sales_ms: float
    page_bytes: int
    checks: dict[str, Any]
    samples_ms: dict[str, list[float]] = field(default_factory=dict)


def sales_of(
    rng: random.Random, k_index: int, first_day: date, days: int, low: int, high: int
) -> Iterator[tuple[date, datetime, int]]:
    """(region day, moment in UTC, total) of one koperasi's sales, day by day."""
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC) - WIB
        for _ in range(rng.randint(low, high)):
            moment = start + timedelta(seconds=rng.randrange(86_400))
            yield day, moment, rng.randrange(5, 500) * 1_000
    del k_index


# --- seeding -------------------------------------------------------------------------------


async def seed_region(args: argparse.Namespace, postgres: bool, url: str, path: Path) -> Seeded:
    from backend.dashboard.domain import region_today
    from backend.ledger.service import ensure_chart
    from backend.ledger.tables import JournalEntry, LedgerAccount
    from backend.members.tables import Member
    from backend.pos.tables import PosDevice
    from backend.tenancy.tables import Koperasi, Outlet, Region

    region = await Region.insert(
        Region(slug="wilayah-uji", name="Wilayah Uji", dinas_name="Dinas Uji")
    ).returning(Region.id)
    region_id = int(region[0]["id"])
    koperasi = [
        int(r["id"])
        for r in await Koperasi.insert(
            *[
                Koperasi(
                    region=region_id,
                    slug=f"kop-{i:03d}",
                    name=f"Koperasi Uji {i:03d}",
                    kind=KINDS[i % len(KINDS)],
                )
                for i in range(args.koperasi)
            ]
        ).returning(Koperasi.id)
    ]
    await Outlet.insert(*[Outlet(koperasi=k, code="T01", name="Toko") for k in koperasi])
    outlets = {
        int(r["koperasi_id"]): int(r["id"])
        for r in await Outlet.select(Outlet.id, Outlet.koperasi.as_alias("koperasi_id"))
    }
    await PosDevice.insert(
        *[PosDevice(koperasi=k, outlet=outlets[k], code="T01-1") for k in koperasi]
    )
    devices = {
        int(r["koperasi_id"]): int(r["id"])
        for r in await PosDevice.select(PosDevice.id, PosDevice.koperasi.as_alias("koperasi_id"))
    }
    for k in koperasi:  # one koperasi at a time: PostgreSQL takes at most 32,767 arguments
        await Member.insert(
            *[
                Member(
                    koperasi=k,
                    member_number=f"A-{m:04d}",
                    full_name=f"Anggota {m}",
                    nik=f"35160141019{m:05d}",
                    joined_on=date(2020, 1, 1),
                )
                for m in range(MEMBERS_PER_KOPERASI)
            ]
        )
    for k in koperasi:
        await ensure_chart(k)
    accounts: dict[int, dict[str, int]] = {}
    for r in await LedgerAccount.select(
        LedgerAccount.id, LedgerAccount.code, LedgerAccount.koperasi.as_alias("koperasi_id")
    ).where(LedgerAccount.code.is_in(["1-1100", "4-1200"])):
        accounts.setdefault(int(r["koperasi_id"]), {})[str(r["code"])] = int(r["id"])
    top = await JournalEntry.raw("SELECT COALESCE(MAX(id), 0) AS top FROM journal_entry")
    next_entry = int(top[0]["top"]) + 1

    today = region_today()
    first_day = today - timedelta(days=args.days - 1)
    seeded = Seeded(region_id, koperasi, first_day, today)
    rng = random.Random(args.seed)
    now = datetime.now(UTC)

    def koperasi_rows(
        index: int, k: int, entry_base: int
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        by_day: dict[date, int] = {}
        sales = []
        for seq, (day, moment, total) in enumerate(
            sales_of(rng, index, first_day, args.days, args.min_sales, args.max_sales), 1
        ):
            by_day[day] = by_day.get(day, 0) + total
            sales.append(
                (
                    k,
                    outlets[k],
                    devices[k],
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    f"T01-1-{seq:06d}",
                    seq,
                    moment,
                    moment,
                    total,
                    0,
                    total,
                    "tunai",
                    0,
                    "0" * 64,
                    entry_base + (day - first_day).days,
                    False,
                    False,
                    "pos",
                )
            )
            seeded.sales += 1
            seeded.amount += total
        entries, lines = [], []
        for offset in range(args.days):
            day = first_day + timedelta(days=offset)
            entry_id = entry_base + offset
            amount = by_day.get(day, 0)
            period = f"{day.year:04d}-{day.month:02d}"
            entries.append((entry_id, k, offset + 1, day, period, "Penjualan harian", "pos", now))
            ids = accounts[k]
            lines.append((k, entry_id, day, ids["1-1100"], amount, 0, ""))
            lines.append((k, entry_id, day, ids["4-1200"], 0, amount, ""))
        return sales, entries, lines

    if postgres:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            for index, k in enumerate(koperasi):
                sales, entries, lines = koperasi_rows(index, k, next_entry + index * args.days)
                async with conn.transaction():
                    await conn.copy_records_to_table(
                        "journal_entry", records=entries, columns=list(ENTRY_COLUMNS)
                    )
                    await conn.copy_records_to_table(
                        "journal_line", records=lines, columns=list(LINE_COLUMNS)
                    )
                    await conn.copy_records_to_table(
                        "pos_sale", records=sales, columns=list(SALE_COLUMNS)
                    )
            await conn.execute(
                "SELECT setval(pg_get_serial_sequence('journal_entry', 'id'),"
                " (SELECT MAX(id) FROM journal_entry))"
            )
            await conn.execute("ANALYZE")
        finally:
            await conn.close()
    else:

        def text(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat(sep=" ")
            if isinstance(value, date):
                return value.isoformat()
            return value

        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("BEGIN")
            for index, k in enumerate(koperasi):
                sales, entries, lines = koperasi_rows(index, k, next_entry + index * args.days)
                for table, columns, rows in (
                    ("journal_entry", ENTRY_COLUMNS, entries),
                    ("journal_line", LINE_COLUMNS, lines),
                    ("pos_sale", SALE_COLUMNS, sales),
                ):
                    marks = ", ".join("?" for _ in columns)
                    conn.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                        ([text(v) for v in row] for row in rows),
                    )
            conn.execute("COMMIT")
            conn.execute("ANALYZE")
        finally:
            conn.close()
    return seeded


# --- measuring -----------------------------------------------------------------------------


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = await call()
    return (time.perf_counter() - start) * 1000, result


async def bench_engine(engine: str, settings: Any, args: argparse.Namespace) -> EngineResult:
    import httpx

    from backend.accounts.sessions import COOKIE_NAME, start_session
    from backend.accounts.tables import RoleGrant, UserAccount
    from backend.app import create_app
    from backend.dashboard import queries
    from backend.dashboard.domain import Granularity, add_months, month_start
    from backend.db import connected, current_engine, migrate
    from backend.tenancy.tables import Koperasi

    postgres = engine == "postgres"
    async with connected(settings):
        await migrate()
        print(f"  seeding {args.koperasi} koperasi x {args.days} days ...", flush=True)
        start = time.perf_counter()
        seeded = await seed_region(
            args, postgres, settings.database_url, settings.sqlite_path if not postgres else Path()
        )
        load_s = time.perf_counter() - start
        print(f"  {seeded.sales:,} sales loaded in {load_s:.1f} s", flush=True)

        # Checks: the per-day totals are the fold of the sales.
        folded = await Koperasi.raw(
            "SELECT koperasi_id, COUNT(*) AS n, SUM(total) AS amount FROM pos_sale"
            " GROUP BY koperasi_id ORDER BY koperasi_id"
        )
        kept = await Koperasi.raw(
            "SELECT koperasi_id, SUM(sales) AS n, SUM(amount) AS amount FROM pos_day_total"
            " GROUP BY koperasi_id ORDER BY koperasi_id"
        )
        day_rows = await Koperasi.raw("SELECT COUNT(*) AS n FROM pos_day_total")
        line_rows = await Koperasi.raw("SELECT COUNT(*) AS n FROM journal_line")

        def normal(rows: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
            return [(int(r["koperasi_id"]), int(r["n"]), int(r["amount"])) for r in rows]

        user = await UserAccount.insert(
            UserAccount(display_name="Dinas Uji", user_handle="bench-dinas")
        ).returning(UserAccount.id)
        await RoleGrant.insert(RoleGrant(user=user[0]["id"], role="dinas", region=seeded.region_id))
        session = await start_session(user[0]["id"], settings, datetime.now(UTC), "bench")

        today = seeded.today
        since_month = add_months(month_start(today), -11)
        series_sql = queries.region_series_sql(Granularity.BULAN)
        month_of_sale = (
            "strftime('%Y-%m', sold_at, '+7 hours')"
            if not postgres
            else "to_char((sold_at AT TIME ZONE 'UTC') + INTERVAL '7 hours', 'YYYY-MM')"
        )
        scan_sql = (
            f"SELECT {month_of_sale} AS month, COUNT(*) AS sales, SUM(total) AS amount"
            " FROM pos_sale WHERE koperasi_id IN (SELECT id FROM koperasi WHERE region_id = {})"
            " AND sold_at >= {} GROUP BY 1 ORDER BY 1"
        )
        since_moment = datetime(since_month.year, since_month.month, 1, tzinfo=UTC) - WIB

        app = create_app(settings, engine=current_engine())
        samples: dict[str, list[float]] = {
            "page_days": [],
            "page_months": [],
            "bare_series": [],
            "bare_books": [],
            "scan_sales": [],
        }
        async with app.lifespan():
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(
                transport=transport, base_url="https://testserver.local"
            ) as client:
                client.cookies.set(COOKIE_NAME, session.token, domain="testserver.local")
                first_ms, first = await timed(lambda: client.get("/pengawasan"))
                if first.status_code != 200:
                    raise BenchError(f"{engine}: /pengawasan answered {first.status_code}")
                shown = first.text.count("data-koperasi=")
                page_bytes = len(first.content)
                for _ in range(args.repeat):
                    ms, response = await timed(lambda: client.get("/pengawasan"))
                    assert response.status_code == 200
                    samples["page_days"].append(ms)
                    ms, response = await timed(
                        lambda: client.get("/pengawasan", params={"grafik": "bulan"})
                    )
                    assert response.status_code == 200
                    samples["page_months"].append(ms)
                    ms, _ = await timed(
                        lambda: Koperasi.raw(series_sql, seeded.region_id, since_month, today).run()
                    )
                    samples["bare_series"].append(ms)
                    ms, _ = await timed(
                        lambda: Koperasi.raw(
                            queries.BOOKS_SQL, today, seeded.region_id, today
                        ).run()
                    )
                    samples["bare_books"].append(ms)
                    ms, _ = await timed(
                        lambda: Koperasi.raw(scan_sql, seeded.region_id, since_moment).run()
                    )
                    samples["scan_sales"].append(ms)
        series = await Koperasi.raw(series_sql, seeded.region_id, since_month, today)
        scanned = await Koperasi.raw(scan_sql, seeded.region_id, since_moment)
        checks = {
            "day_totals_equal_sales": normal(folded) == normal(kept),
            "page_shows_every_koperasi": shown == args.koperasi,
            "series_equals_scan": [int(r["amount"]) for r in series]
            == [int(r["amount"]) for r in scanned],
            "loaded_amount": seeded.amount,
        }
        checks["ok"] = all(
            checks[k]
            for k in ("day_totals_equal_sales", "page_shows_every_koperasi", "series_equals_scan")
        )

    med = {name: statistics.median(values) for name, values in samples.items()}
    return EngineResult(
        engine=engine,
        koperasi=args.koperasi,
        sales=seeded.sales,
        day_totals=int(day_rows[0]["n"]),
        journal_lines=int(line_rows[0]["n"]),
        load_s=round(load_s, 1),
        first_ms=round(first_ms, 1),
        page_days_ms=round(med["page_days"], 1),
        page_months_ms=round(med["page_months"], 1),
        bare_series_ms=round(med["bare_series"], 1),
        bare_books_ms=round(med["bare_books"], 1),
        scan_sales_ms=round(med["scan_sales"], 1),
        page_bytes=page_bytes,
        checks=checks,
        samples_ms={k: [round(v, 1) for v in values] for k, values in samples.items()},
    )


# --- databases and the run -----------------------------------------------------------------


async def _pg_admin(admin_url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextlib.contextmanager
def pg_database(admin_url: str) -> Iterator[str]:
    import asyncpg

    name = f"koroena_bench_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_pg_admin(admin_url, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        raise BenchError(f"PostgreSQL at {admin_url} is not usable: {exc}") from exc
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        try:
            asyncio.run(_pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except (OSError, asyncpg.PostgresError) as exc:
            print(f"warning: could not drop database {name}: {exc}", file=sys.stderr)


def run_engine(engine: str, args: argparse.Namespace, tmp: Path) -> EngineResult:
    from backend.settings import Settings

    hosts = ("testserver.local", "localhost", "127.0.0.1")
    if engine == "sqlite":
        settings = replace(Settings(data_dir=tmp / "sqlite"), allowed_hosts=hosts)
        return asyncio.run(bench_engine(engine, settings, args))
    with pg_database(args.postgres_url) as url:
        settings = replace(
            Settings(data_dir=tmp / "postgres", database_url=url), allowed_hosts=hosts
        )
        return asyncio.run(bench_engine(engine, settings, args))


def print_table(results: list[EngineResult]) -> None:
    header = (
        f"{'engine':<9} {'koperasi':>8} {'sales':>10} {'load s':>7} {'first ms':>9} "
        f"{'page ms':>8} {'months ms':>9} {'series SQL':>10} {'books SQL':>9} {'scan ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.engine:<9} {r.koperasi:>8} {r.sales:>10,} {r.load_s:>7.1f} {r.first_ms:>9.1f} "
            f"{r.page_days_ms:>8.1f} {r.page_months_ms:>9.1f} {r.bare_series_ms:>10.1f} "
            f"{r.bare_books_ms:>9.1f} {r.scan_sales_ms:>8.1f}"
        )
    print(
        "(first = the first render after start; page/months = medians of /pengawasan and "
        "?grafik=bulan;\n series SQL = region sales per month over pos_day_total, books SQL = "
        "positions of every koperasi\n over journal_day_total, scan = the same monthly figure "
        "from pos_sale itself)"
    )
    for r in results:
        print(
            f"{r.engine}: {r.day_totals:,} per-day sales totals, {r.journal_lines:,} journal "
            f"lines, page {r.page_bytes:,} bytes; checks {r.checks}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--koperasi", type=int, default=200)
    parser.add_argument("--min-sales", type=int, default=20)
    parser.add_argument("--max-sales", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    results: list[EngineResult] = []
    failures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="koroena-bench-") as tmp:
        for engine in engines:
            print(f"{engine}:", flush=True)
            try:
                results.append(run_engine(engine, args, Path(tmp)))
            except BenchError as exc:
                failures[engine] = str(exc)
                print(f"  skipped: {exc}", file=sys.stderr)
    if results:
        print()
        print_table(results)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"dashboard-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "benchmark": "dashboard",
                "timestamp": stamp,
                "settings": vars(args),
                "results": [asdict(r) for r in results],
                "failures": failures,
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    print(f"\nwritten: {path.relative_to(REPO)}")
    ok = all(r.checks["ok"] for r in results) and not failures
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
