"""Neraca + PHU of one koperasi with a million journal lines, next to the bare SQL aggregate.

For each engine (SQLite, PostgreSQL) the script makes a fresh database, migrates it, gives two
koperasi the default chart of accounts and bulk-loads realistic books: balanced two-line
entries spread over 2025-2026 (sales, cost of goods, savings, loans, expenses, ...), the
benchmarked koperasi with --lines lines and a second one with a fifth as many, interleaved in
time as real postings would be. Then, through the app's own engine (Piccolo), it times

- statements: `neraca(k, 2026-12-31, 2025-12-31)` + `phu(k, 2026, compare=2025)`;
- bare: `SELECT account_id, SUM(debit), SUM(credit) FROM journal_line WHERE koperasi_id = k
  GROUP BY account_id`, the simplest SQL answering the question from the lines themselves;

after one warm-up run each, alternating, and reports the medians and their ratio. Goal: the
statements within 2x of the bare aggregate and under half a second. The statements read the
per-day totals (`journal_day_total`) that the database's trigger keeps as the lines go in, so
the load goes through that trigger as every posting does. It also checks the figures: the
Neraca balances and its total assets (and the PHU's surplus) equal what the bare aggregate
implies, and the per-day totals add up to the bare aggregate account by account.

Usage: .venv/bin/python benchmarks/statements.py [--lines 1000000]
       [--engines sqlite,postgres] [--repeat 5] [--seed 2026] [--postgres-url URL] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # `backend` without an installed package, too
RESULTS_DIR = HERE / "results"
# Any database on the server will do: the benchmark only connects to it to create its own.
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ENGINES = ("sqlite", "postgres")
FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2026, 12, 31)
# What is measured: the Neraca at the end of 2026 next to 2025, the PHU of 2026 next to 2025.
AS_OF, COMPARE_AS_OF = date(2026, 12, 31), date(2025, 12, 31)
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
COMPARE_PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
OTHER_SHARE = 5  # the second koperasi has lines // OTHER_SHARE lines
GOAL_RATIO = 2.0
GOAL_MS = 500.0
BARE_SQL = (
    "SELECT account_id, SUM(debit) AS debit, SUM(credit) AS credit FROM journal_line "
    "WHERE koperasi_id = {} GROUP BY account_id"
)  # aliased: on PostgreSQL two unnamed sums are both "sum" and collide in Piccolo's row dict
# Only for the checks: the per-day totals added up per account.
DAY_TOTALS_SQL = (
    "SELECT account_id, SUM(debit) AS debit, SUM(credit) AS credit FROM journal_day_total "
    "WHERE koperasi_id = {} GROUP BY account_id"
)


class BenchError(RuntimeError):
    """An engine could not be set up or measured; the message says why."""


# --------------------------------------------------------------------------------------------
# The books: what a koperasi with a shop, savings and loans posts, by weight. Every entry has
# one debit and one credit line of the same amount on the same date.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    description: str
    debit: str
    credit: str
    low: int  # rupiah
    high: int
    weight: float


KINDS: tuple[Kind, ...] = (
    Kind("Penjualan tunai kepada anggota", "1-1100", "4-1200", 5_000, 1_500_000, 30),
    Kind("Harga pokok penjualan", "5-1100", "1-1400", 4_000, 1_200_000, 26),
    Kind("Penjualan tunai kepada non-anggota", "1-1100", "4-2100", 5_000, 1_000_000, 8),
    Kind("Penjualan kredit kepada anggota", "1-1310", "4-1200", 50_000, 2_000_000, 3),
    Kind("Pelunasan piutang usaha anggota", "1-1100", "1-1310", 50_000, 2_000_000, 3),
    Kind("Pembelian barang tunai", "1-1400", "1-1100", 200_000, 15_000_000, 4),
    Kind("Pembelian barang kredit", "1-1400", "2-1300", 500_000, 25_000_000, 2),
    Kind("Pelunasan utang usaha", "2-1300", "1-1200", 500_000, 25_000_000, 2),
    Kind("Setoran simpanan sukarela", "1-1100", "2-1100", 10_000, 5_000_000, 7),
    Kind("Penarikan simpanan sukarela", "2-1100", "1-1100", 10_000, 3_000_000, 4),
    Kind("Simpanan wajib", "1-1100", "3-1200", 25_000, 100_000, 6),
    Kind("Simpanan pokok anggota baru", "1-1100", "3-1100", 100_000, 500_000, 0.5),
    Kind("Simpanan berjangka", "1-1200", "2-1200", 1_000_000, 50_000_000, 0.5),
    Kind("Pencairan pinjaman anggota", "1-1300", "1-1100", 1_000_000, 30_000_000, 1.5),
    Kind("Angsuran pokok pinjaman", "1-1100", "1-1300", 100_000, 3_000_000, 5),
    Kind("Jasa pinjaman anggota", "1-1100", "4-1100", 10_000, 600_000, 5),
    Kind("Setor kas ke bank", "1-1200", "1-1100", 1_000_000, 50_000_000, 1.5),
    Kind("Beban usaha", "5-2100", "1-1100", 20_000, 5_000_000, 3),
    Kind("Beban RAT dan pendidikan", "5-3100", "1-1200", 500_000, 20_000_000, 0.1),
    Kind("Pendapatan lain-lain", "1-1200", "4-3100", 10_000, 2_000_000, 0.5),
    Kind("Pajak terutang", "5-2100", "2-1500", 50_000, 5_000_000, 0.3),
    Kind("Setoran pajak", "2-1500", "1-1200", 50_000, 5_000_000, 0.3),
    Kind("Pinjaman bank", "1-1200", "2-1400", 50_000_000, 500_000_000, 0.05),
    Kind("Angsuran utang bank", "2-1400", "1-1200", 1_000_000, 20_000_000, 0.3),
    Kind("Pembelian aset tetap", "1-2100", "1-1200", 1_000_000, 100_000_000, 0.1),
    Kind("Penyusutan aset tetap", "5-4100", "1-2190", 100_000, 5_000_000, 0.2),
    Kind("Penyisihan piutang tak tertagih", "5-2100", "1-1390", 100_000, 5_000_000, 0.1),
    Kind("Penyertaan pada koperasi sekunder", "1-1500", "1-1200", 1_000_000, 20_000_000, 0.05),
    Kind("Modal penyertaan", "1-1200", "3-1300", 5_000_000, 100_000_000, 0.05),
    Kind("Hibah", "1-1200", "3-1400", 1_000_000, 50_000_000, 0.05),
    Kind("Penyaluran dana pendidikan", "2-1630", "1-1100", 100_000, 5_000_000, 0.05),
    Kind("Penyaluran dana sosial", "2-1640", "1-1100", 100_000, 5_000_000, 0.05),
)


@dataclass
class Books:
    """Entries of both koperasi in posting order: (koperasi index, number, date, kind, amount).
    Entry i has id i + 1 and lines 2i + 1 (debit) and 2i + 2 (credit)."""

    entries: list[tuple[int, int, date, int, int]]
    lines_per_koperasi: tuple[int, int]

    @property
    def total_lines(self) -> int:
        return 2 * len(self.entries)


def make_books(lines: int, seed: int) -> Books:
    rng = random.Random(seed)
    days = (LAST_DAY - FIRST_DAY).days + 1
    weights = [k.weight for k in KINDS]
    per_koperasi: list[list[tuple[int, int, int, int]]] = []  # (day, koperasi, kind, amount)
    counts = (lines // 2, lines // OTHER_SHARE // 2)
    for index, n in enumerate(counts):
        kinds = rng.choices(range(len(KINDS)), weights=weights, k=n)
        rows = []
        for i, kind_index in enumerate(kinds):
            kind = KINDS[kind_index]
            amount = rng.randrange(kind.low, kind.high) // 100 * 100  # whole hundreds
            rows.append((i * days // n, index, kind_index, amount))
        per_koperasi.append(rows)
    numbers = [0, 0]
    entries = []
    for day, index, kind_index, amount in heapq.merge(*per_koperasi):
        numbers[index] += 1
        entries.append((index, numbers[index], FIRST_DAY + timedelta(days=day), kind_index, amount))
    return Books(entries=entries, lines_per_koperasi=(2 * counts[0], 2 * counts[1]))


ENTRY_COLUMNS = (
    "id",
    "koperasi_id",
    "number",
    "entry_date",
    "period",
    "description",
    "source",
    "reverses_id",
    "created_by_id",
    "created_at",
)
LINE_COLUMNS = (
    "id",
    "koperasi_id",
    "entry_id",
    "entry_date",
    "account_id",
    "debit",
    "credit",
    "memo",
)


def entry_rows(books: Books, koperasi: list[int], day: Callable[[date], Any]) -> Iterator[tuple]:
    created = datetime.now(UTC)
    created_at = created.isoformat() if day is date.isoformat else created
    for i, (index, number, when, kind, _amount) in enumerate(books.entries):
        period = f"{when.year:04d}-{when.month:02d}"
        yield (
            i + 1,
            koperasi[index],
            number,
            day(when),
            period,
            KINDS[kind].description,
            "manual",
            None,
            None,
            created_at,
        )


def line_rows(
    books: Books, koperasi: list[int], accounts: list[dict[str, int]], day: Callable[[date], Any]
) -> Iterator[tuple]:
    for i, (index, _number, when, kind_index, amount) in enumerate(books.entries):
        kind, ids, when_value = KINDS[kind_index], accounts[index], day(when)
        k = koperasi[index]
        yield (2 * i + 1, k, i + 1, when_value, ids[kind.debit], amount, 0, "")
        yield (2 * i + 2, k, i + 1, when_value, ids[kind.credit], 0, amount, "")


# --------------------------------------------------------------------------------------------
# Loading: straight to the database, past the posting service (which checks and numbers each
# entry in its own transaction: far too slow for a million lines).
# --------------------------------------------------------------------------------------------


def load_sqlite(path: Path, books: Books, koperasi: list[int], accounts: list[dict[str, int]]):
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")  # this connection only: the load
        conn.execute("BEGIN")
        marks = ", ".join("?" * len(ENTRY_COLUMNS))
        conn.executemany(
            f"INSERT INTO journal_entry ({', '.join(ENTRY_COLUMNS)}) VALUES ({marks})",
            entry_rows(books, koperasi, date.isoformat),
        )
        marks = ", ".join("?" * len(LINE_COLUMNS))
        conn.executemany(
            f"INSERT INTO journal_line ({', '.join(LINE_COLUMNS)}) VALUES ({marks})",
            line_rows(books, koperasi, accounts, date.isoformat),
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        # Fold the WAL back into the file: reads then see the steady state of a live database.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


async def load_postgres(
    url: str, books: Books, koperasi: list[int], accounts: list[dict[str, int]]
) -> None:
    import asyncpg  # installed with piccolo[postgres]

    conn = await asyncpg.connect(url)
    try:
        await conn.copy_records_to_table(
            "journal_entry",
            records=entry_rows(books, koperasi, lambda d: d),
            columns=list(ENTRY_COLUMNS),
        )
        await conn.copy_records_to_table(
            "journal_line",
            records=line_rows(books, koperasi, accounts, lambda d: d),
            columns=list(LINE_COLUMNS),
        )
        for table in ("journal_entry", "journal_line"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        # VACUUM as autovacuum would soon do by itself (and might, in the middle of the
        # measurement): sets the visibility map and hint bits; ANALYZE for the planner.
        # journal_day_total was filled by the trigger during the COPY.
        for table in ("journal_entry", "journal_line", "journal_day_total"):
            await conn.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        await conn.close()


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


@dataclass
class EngineResult:
    engine: str
    lines: int  # the benchmarked koperasi's
    table_lines: int  # both koperasi
    day_totals: int  # rows of journal_day_total of the benchmarked koperasi
    entries: int
    load_s: float
    statements_ms: float  # median of neraca + phu
    bare_ms: float  # median
    ratio: float
    goal_met: bool
    neraca_ms: float
    phu_ms: float
    statement_sql_ms: list[float]  # median of each statement query on its own (no Python)
    samples_ms: dict[str, list[float]]
    checks: dict[str, Any]
    cpu: dict[str, float | None] = field(default_factory=dict)  # during the measured runs
    plans: dict[str, str] = field(default_factory=dict)


Captured = list[tuple[Any, str, tuple[Any, ...]]]  # (table, SQL text, arguments)


@contextlib.contextmanager
def captured_raw(tables: list[Any], into: Captured) -> Iterator[None]:
    """Record every `table.raw(sql, *args)` made in the block, for the tables given."""
    for table in tables:
        assert "raw" not in table.__dict__
        original = table.raw

        def spy(sql: str, *args: Any, table: Any = table, original: Any = original) -> Any:
            into.append((table, sql, args))
            return original(sql, *args)

        table.raw = spy
    try:
        yield
    finally:
        for table in tables:
            del table.raw  # Table.raw again


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_percent(
    before: tuple[float, float, float | None], load_average: float
) -> dict[str, float | None]:
    """CPU used during the measured runs, in % of one core: this process (Python and the
    aiosqlite thread), the whole machine, and the rest (the PostgreSQL server, or noise)."""
    wall = time.perf_counter() - before[0]
    own = (time.process_time() - before[1]) / wall * 100
    busy = machine_busy_seconds()
    machine = None if busy is None or before[2] is None else (busy - before[2]) / wall * 100
    other = None if machine is None else max(0.0, machine - own)
    return {
        "own_pct": round(own),
        "machine_pct": None if machine is None else round(machine),
        "other_pct": None if other is None else round(other),
        "load_average_1min": round(load_average, 2),
    }


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = await call()
    return (time.perf_counter() - start) * 1000, result


async def explain(table: Any, sql: str, args: tuple[Any, ...], postgres: bool) -> str:
    if postgres:
        rows = await table.raw("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)
        return "\n".join(row["QUERY PLAN"] for row in rows)
    rows = await table.raw("EXPLAIN QUERY PLAN " + sql, *args)
    return "\n".join(str(row["detail"]) for row in rows)


async def bench_engine(
    engine: str, settings: Any, books: Books, args: argparse.Namespace
) -> EngineResult:
    from backend.db import connected, migrate
    from backend.ledger.domain import AccountType
    from backend.ledger.service import ensure_chart
    from backend.ledger.statements import neraca, phu
    from backend.ledger.tables import JournalEntry, JournalLine, LedgerAccount
    from backend.tenancy.tables import Koperasi, Region

    postgres = engine == "postgres"
    async with connected(settings):
        await migrate()
        region = await Region.insert(
            Region(slug="wilayah-uji", name="Wilayah Uji", dinas_name="Dinas Uji")
        ).returning(Region.id)
        koperasi: list[int] = []
        for slug in ("kopbench-besar", "kopbench-lain"):
            row = await Koperasi.insert(
                Koperasi(region=region[0]["id"], slug=slug, name=slug, kind="ksu")
            ).returning(Koperasi.id)
            koperasi.append(row[0]["id"])
            await ensure_chart(row[0]["id"])
        accounts: list[dict[str, int]] = []
        for k in koperasi:
            rows = await LedgerAccount.select(LedgerAccount.id, LedgerAccount.code).where(
                LedgerAccount.koperasi == k
            )
            accounts.append({r["code"]: r["id"] for r in rows})

        print(f"  loading {books.total_lines:,} lines ...", flush=True)
        start = time.perf_counter()
        if postgres:
            await load_postgres(settings.database_url, books, koperasi, accounts)
        else:
            # Blocking on purpose: nothing else runs, and Ctrl+C stops it at once.
            load_sqlite(settings.sqlite_path, books, koperasi, accounts)
        load_s = time.perf_counter() - start
        count = await JournalLine.count().where(JournalLine.koperasi == koperasi[0])
        if count != books.lines_per_koperasi[0]:
            raise BenchError(
                f"{engine}: loaded {count} lines, expected {books.lines_per_koperasi[0]}"
            )

        k = koperasi[0]

        async def run_neraca() -> Any:
            return await neraca(k, AS_OF, COMPARE_AS_OF)

        async def run_phu() -> Any:
            return await phu(k, *PERIOD, COMPARE_PERIOD)

        async def bare() -> list[dict[str, Any]]:
            return await JournalLine.raw(BARE_SQL, k)

        # Warm-up: also the run whose SQL is recorded and whose figures are checked.
        captured: Captured = []
        with captured_raw([JournalLine, LedgerAccount, JournalEntry], captured):
            sheet = await run_neraca()
            income = await run_phu()
        totals = await bare()
        statement_sql = [
            (t, s, a) for t, s, a in captured if "journal_line" in s or "journal_day_total" in s
        ]

        print(f"  measuring ({args.repeat} runs each, alternating) ...", flush=True)
        samples: dict[str, list[float]] = {"statements": [], "neraca": [], "phu": [], "bare": []}
        for i in range(len(statement_sql)):
            samples[f"statement_sql_{i + 1}"] = []
        cpu_before = (time.perf_counter(), time.process_time(), machine_busy_seconds())
        for _ in range(args.repeat):
            neraca_ms, _ = await timed(run_neraca)
            phu_ms, _ = await timed(run_phu)
            samples["statements"].append(neraca_ms + phu_ms)
            samples["neraca"].append(neraca_ms)
            samples["phu"].append(phu_ms)
            bare_ms, _ = await timed(bare)
            samples["bare"].append(bare_ms)
            for i, (table, text, sql_args) in enumerate(statement_sql):
                ms, _ = await timed(lambda t=table, q=text, a=sql_args: t.raw(q, *a).run())
                samples[f"statement_sql_{i + 1}"].append(ms)

        cpu = cpu_percent(cpu_before, os.getloadavg()[0])

        # Checks: what the bare aggregate implies.
        kinds = {
            r["id"]: AccountType(r["type"])
            for r in await LedgerAccount.select(LedgerAccount.id, LedgerAccount.type).where(
                LedgerAccount.koperasi == k
            )
        }
        sums = {int(r["account_id"]): (int(r["debit"]), int(r["credit"])) for r in totals}
        day_totals = {
            int(r["account_id"]): (int(r["debit"]), int(r["credit"]))
            for r in await JournalLine.raw(DAY_TOTALS_SQL, k)
        }
        day_rows = await JournalLine.raw(
            "SELECT COUNT(*) AS n FROM journal_day_total WHERE koperasi_id = {}", k
        )

        def net(kind: AccountType) -> int:
            """Debits minus credits of every account of the type, contra accounts included:
            what the statement's total must come to, computed without `balance()`."""
            return sum(
                sums.get(a, (0, 0))[0] - sums.get(a, (0, 0))[1]
                for a, t in kinds.items()
                if t is kind
            )

        aset = net(AccountType.ASET)
        surplus = -net(AccountType.PENDAPATAN) - net(AccountType.BEBAN)
        checks = {
            "neraca_balanced": sheet.balanced,
            "total_aset": sheet.aset.totals,
            "total_kewajiban_ekuitas": sheet.total_kewajiban_ekuitas,
            "implied_total_aset": aset,
            # No line is dated after 2026-12-31: the first column is every line.
            "aset_matches_bare": sheet.aset.totals[0] == aset,
            "debits_equal_credits": sum(d for d, _ in sums.values())
            == sum(c for _, c in sums.values()),
            # What the trigger kept while the lines went in = the fold of the lines.
            "day_totals_match_bare": day_totals == sums,
            "shu_2025_plus_2026": sum(income.shu),
            "implied_shu": surplus,
            "shu_matches_bare": sum(income.shu) == surplus,
        }
        checks["ok"] = all(
            checks[name]
            for name in (
                "neraca_balanced",
                "aset_matches_bare",
                "debits_equal_credits",
                "shu_matches_bare",
                "day_totals_match_bare",
            )
        )

        plans = {}
        if args.explain:
            plans["bare"] = await explain(JournalLine, BARE_SQL, (k,), postgres)
            for i, (table, text, sql_args) in enumerate(statement_sql):
                plans[f"statement_sql_{i + 1}"] = await explain(table, text, sql_args, postgres)
            plans["statement_sql_text"] = "\n\n".join(text for _, text, _ in statement_sql)

    med = {name: statistics.median(values) for name, values in samples.items()}
    ratio = med["statements"] / med["bare"]
    return EngineResult(
        engine=engine,
        lines=books.lines_per_koperasi[0],
        table_lines=books.total_lines,
        day_totals=int(day_rows[0]["n"]),
        entries=len(books.entries),
        load_s=round(load_s, 2),
        statements_ms=round(med["statements"], 1),
        bare_ms=round(med["bare"], 1),
        ratio=round(ratio, 2),
        goal_met=ratio <= GOAL_RATIO and med["statements"] < GOAL_MS,
        neraca_ms=round(med["neraca"], 1),
        phu_ms=round(med["phu"], 1),
        statement_sql_ms=[
            round(med[f"statement_sql_{i + 1}"], 1) for i in range(len(statement_sql))
        ],
        samples_ms={name: [round(v, 2) for v in values] for name, values in samples.items()},
        checks=checks,
        cpu=cpu,
        plans=plans,
    )


# --------------------------------------------------------------------------------------------
# Databases and the run
# --------------------------------------------------------------------------------------------


async def _pg_admin(admin_url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextlib.contextmanager
def pg_database(admin_url: str) -> Iterator[str]:
    """A new, empty database `koroena_bench_<random>` for this run; dropped afterwards (also
    after Ctrl+C: the drop runs on a fresh event loop once the benchmark's loop is gone)."""
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


def run_engine(engine: str, books: Books, args: argparse.Namespace, tmp: Path) -> EngineResult:
    from backend.settings import Settings

    if engine == "sqlite":
        settings = Settings(data_dir=tmp / "sqlite")
        return asyncio.run(bench_engine(engine, settings, books, args))
    with pg_database(args.postgres_url) as url:
        settings = Settings(data_dir=tmp / "postgres", database_url=url)
        return asyncio.run(bench_engine(engine, settings, books, args))


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def print_table(results: list[EngineResult]) -> None:
    header = (
        f"{'engine':<9} {'lines':>10} {'in table':>10} {'load s':>7} {'statements ms':>14} "
        f"{'bare ms':>8} {'ratio':>6}  goal (ratio <= {GOAL_RATIO:g}, < {GOAL_MS:g} ms)"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.engine:<9} {r.lines:>10,} {r.table_lines:>10,} {r.load_s:>7.1f} "
            f"{r.statements_ms:>14.1f} {r.bare_ms:>8.1f} {r.ratio:>6.2f}  "
            f"{'met' if r.goal_met else 'NOT met'}"
        )
    print("(medians; statements = neraca + phu, bare = one GROUP BY account_id over the lines)")
    for r in results:
        sql = " + ".join(f"{ms:.1f}" for ms in r.statement_sql_ms)
        print(
            f"\n{r.engine}: neraca {r.neraca_ms:.1f} ms + phu {r.phu_ms:.1f} ms; their SQL on its "
            f"own {sql} ms, over {r.day_totals:,} per-day totals. CPU during the runs (% of one "
            f"core): this process "
            f"{fmt(r.cpu.get('own_pct'))}, rest of the machine {fmt(r.cpu.get('other_pct'))}, "
            f"load average {fmt(r.cpu.get('load_average_1min'))}."
        )
        c = r.checks
        print(
            f"  checks: Neraca balanced {c['neraca_balanced']} (aset {c['total_aset']}, "
            f"kewajiban + ekuitas {c['total_kewajiban_ekuitas']}); total aset = bare "
            f"{c['aset_matches_bare']} ({c['implied_total_aset']}); SHU 2025 + 2026 = bare "
            f"{c['shu_matches_bare']}; debits = credits {c['debits_equal_credits']}; "
            f"day totals = bare {c['day_totals_match_bare']}" + ("" if c["ok"] else "  -> FAILED")
        )
        # The PostgreSQL server is expected "rest of the machine"; on SQLite it is noise.
        if r.engine == "sqlite" and (r.cpu.get("other_pct") or 0) > 25:
            print("  warning: other processes used the CPU during the runs; figures are noisy")
        for name, plan in r.plans.items():
            if name != "statement_sql_text":
                print(f"  plan {name}:\n    " + plan.replace("\n", "\n    "))


def write_json(args: argparse.Namespace, results: list[EngineResult], failures: dict[str, str]):
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"statements-{stamp}.json"
    document = {
        "benchmark": "statements",
        "timestamp": stamp,
        "settings": {
            "lines": args.lines,
            "other_koperasi_lines": args.lines // OTHER_SHARE,
            "engines": args.engines,
            "repeat": args.repeat,
            "seed": args.seed,
            "postgres_url": args.postgres_url if "postgres" in args.engines else None,
            "goal": {"ratio_at_most": GOAL_RATIO, "statements_ms_below": GOAL_MS},
        },
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "results": [asdict(r) for r in results],
        "failures": failures,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    print(f"\nresults written to {path.relative_to(REPO)}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--lines", type=int, default=1_000_000, help="lines of the benchmarked koperasi"
    )
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated: sqlite,postgres"
    )
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each (5)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated books")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_PG_URL,
        metavar="URL",
        help=f"server for the PostgreSQL half (default {DEFAULT_PG_URL}); a database "
        "koroena_bench_<random> is created there for the run and dropped after it",
    )
    parser.add_argument("--explain", action="store_true", help="print (and save) the query plans")
    args = parser.parse_args(argv)
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in args.engines if e not in ENGINES]
    if unknown or not args.engines:
        parser.error(f"--engines takes {','.join(ENGINES)}, got {unknown or 'nothing'}")
    if args.lines < 10 or args.repeat < 1:
        parser.error("--lines must be at least 10 and --repeat at least 1")
    return args


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up exactly like Ctrl+C


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    print(
        f"Neraca + PHU vs the bare aggregate: {args.lines:,} lines of one koperasi "
        f"(+{args.lines // OTHER_SHARE:,} of another), {args.repeat} runs each, "
        f"engines {', '.join(args.engines)}.",
        flush=True,
    )
    start = time.perf_counter()
    books = make_books(args.lines, args.seed)
    print(f"generated {len(books.entries):,} entries in {time.perf_counter() - start:.1f} s\n")
    tmp = Path(tempfile.mkdtemp(prefix="koroena-bench-statements-"))
    results: list[EngineResult] = []
    failures: dict[str, str] = {}
    try:
        for engine in args.engines:
            print(f"{engine}:", flush=True)
            try:
                results.append(run_engine(engine, books, args, tmp))
            except BenchError as exc:
                failures[engine] = str(exc)
                print(f"  FAILED: {exc}", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        print("\ninterrupted: databases dropped, temp files removed", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print_table(results)
    write_json(args, results, failures)
    bad = failures or any(not r.checks["ok"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
