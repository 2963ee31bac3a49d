"""The dashboard's SQL: grouped queries over a whole region, a fixed number of them whatever
the number of koperasi (no query per koperasi). Every query is scoped to the region by
`koperasi_id IN (SELECT id FROM koperasi WHERE region_id = …)`.

They read other contexts' tables directly, in bulk, where those contexts answer for one
koperasi at a time: members (`backend.supervision.service.active_members`), the books'
positions (`backend.ledger.statements.neraca`, from the same `journal_day_total` rows), the
latest health assessment (`backend.health.service.latest`), the board
(`legality_board_member`) and the last RAT (`legality_profile`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from backend.dashboard.domain import DayTotal, Granularity
from backend.db import is_sqlite
from backend.tenancy.tables import Koperasi

IN_REGION = "koperasi_id IN (SELECT id FROM koperasi WHERE region_id = {})"


def as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_optional_date(value: object) -> date | None:
    return None if value is None or value == "" else as_date(value)


async def _rows(sql: str, *args: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Koperasi.raw(sql, *args).run()
    return rows


@dataclass(frozen=True)
class KoperasiBase:
    id: int
    slug: str
    name: str
    kind: str


async def region_koperasi(region_id: int) -> list[KoperasiBase]:
    rows = await _rows(
        "SELECT id, slug, name, kind FROM koperasi WHERE region_id = {} ORDER BY name, id",
        region_id,
    )
    return [
        KoperasiBase(int(r["id"]), str(r["slug"]), str(r["name"]), str(r["kind"])) for r in rows
    ]


async def active_members(region_id: int, as_of: date) -> dict[int, int]:
    """koperasi id -> members with status "aktif" who had joined by `as_of` (as
    `supervision.service.active_members`, for the whole region at once)."""
    rows = await _rows(
        "SELECT koperasi_id, COUNT(*) AS members FROM member"
        f" WHERE {IN_REGION} AND status = 'aktif' AND joined_on <= {{}}"
        " GROUP BY koperasi_id",
        region_id,
        as_of,
    )
    return {int(r["koperasi_id"]): int(r["members"]) for r in rows}


BOOKS_SQL = (
    "SELECT j.koperasi_id AS koperasi_id, a.type AS type,"
    " SUM(j.debit - j.credit) AS net,"
    " SUM(CASE WHEN j.entry_date >= {} THEN j.debit - j.credit ELSE 0 END) AS flow"
    " FROM journal_day_total j JOIN ledger_account a ON a.id = j.account_id"
    f" WHERE j.{IN_REGION} AND j.entry_date <= {{}}"
    " GROUP BY j.koperasi_id, a.type"
)  # args: flows since, region id, as of


@dataclass(frozen=True)
class Books:
    """A koperasi's books in whole rupiah: positions at a day, flows over a period."""

    assets: int = 0
    liabilities: int = 0
    own_capital: int = 0  # equity accounts plus every surplus not yet closed (as the Neraca)
    revenue: int = 0  # over the period asked for
    expenses: int = 0

    @property
    def surplus(self) -> int:
        return self.revenue - self.expenses


async def books(region_id: int, as_of: date, since: date | None = None) -> dict[int, Books]:
    """koperasi id -> positions at `as_of` (the Neraca's totals: assets, liabilities, own
    capital = equity accounts + all surplus to date) and, with `since`, revenue and
    expenses from `since` to `as_of`: one grouped query over the per-day totals of the
    books (`journal_day_total`) of the region."""
    flow_since = since or as_of
    rows = await _rows(BOOKS_SQL, flow_since, region_id, as_of)
    nets: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for r in rows:
        nets[int(r["koperasi_id"])][str(r["type"])] = (int(r["net"] or 0), int(r["flow"] or 0))
    result = {}
    for koperasi_id, by_type in nets.items():

        def net(kind: str, by_type: dict[str, tuple[int, int]] = by_type) -> int:
            return by_type.get(kind, (0, 0))[0]

        def flow(kind: str, by_type: dict[str, tuple[int, int]] = by_type) -> int:
            return by_type.get(kind, (0, 0))[1]

        result[koperasi_id] = Books(
            assets=net("aset"),
            liabilities=-net("kewajiban"),
            own_capital=-(net("ekuitas") + net("pendapatan") + net("beban")),
            revenue=-flow("pendapatan") if since else 0,
            expenses=flow("beban") if since else 0,
        )
    return result


@dataclass(frozen=True)
class LatestHealth:
    number: int
    as_of: date
    scheme: str
    version: str
    category: str
    total_score: str


async def latest_health(region_id: int) -> dict[int, LatestHealth]:
    """koperasi id -> its most recent final assessment (by date, then number), as
    `health.service.latest` for the whole region at once."""
    rows = await _rows(
        "SELECT koperasi_id, number, as_of, scheme, version, category, total_score FROM ("
        " SELECT koperasi_id, number, as_of, scheme, version, category, total_score,"
        " ROW_NUMBER() OVER (PARTITION BY koperasi_id ORDER BY as_of DESC, number DESC) AS rn"
        f" FROM health_assessment WHERE {IN_REGION} AND status = 'final') ranked"
        " WHERE rn = 1",
        region_id,
    )
    return {
        int(r["koperasi_id"]): LatestHealth(
            number=int(r["number"]),
            as_of=as_date(r["as_of"]),
            scheme=str(r["scheme"]),
            version=str(r["version"]),
            category=str(r["category"]),
            total_score=str(r["total_score"]),
        )
        for r in rows
    }


@dataclass(frozen=True)
class SalesFigures:
    count_30d: int = 0
    amount_30d: int = 0
    this_month: int = 0
    last_month: int = 0
    today: int = 0
    today_count: int = 0


async def sales_figures(
    region_id: int, today: date, since_30d: date, this_month: date, last_month: date
) -> dict[int, SalesFigures]:
    """koperasi id -> sales of the last 30 days (count, amount), this month to date, last
    month and today, from the per-day totals (`pos_day_total`)."""
    start = min(since_30d, last_month)
    rows = await _rows(
        "SELECT koperasi_id,"
        " SUM(CASE WHEN day >= {} THEN sales ELSE 0 END) AS count_30d,"
        " SUM(CASE WHEN day >= {} THEN amount ELSE 0 END) AS amount_30d,"
        " SUM(CASE WHEN day >= {} THEN amount ELSE 0 END) AS this_month,"
        " SUM(CASE WHEN day < {} THEN amount ELSE 0 END) AS last_month,"
        " SUM(CASE WHEN day = {} THEN amount ELSE 0 END) AS today_amount,"
        " SUM(CASE WHEN day = {} THEN sales ELSE 0 END) AS today_count"
        f" FROM pos_day_total WHERE {IN_REGION} AND day >= {{}} AND day <= {{}}"
        " GROUP BY koperasi_id",
        since_30d,
        since_30d,
        this_month,
        this_month,
        today,
        today,
        region_id,
        start,
        today,
    )
    return {
        int(r["koperasi_id"]): SalesFigures(
            count_30d=int(r["count_30d"] or 0),
            amount_30d=int(r["amount_30d"] or 0),
            this_month=int(r["this_month"] or 0),
            last_month=int(r["last_month"] or 0),
            today=int(r["today_amount"] or 0),
            today_count=int(r["today_count"] or 0),
        )
        for r in rows
    }


def bucket_expression(granularity: Granularity) -> str:
    """SQL for the first day of the bucket holding `day` (ISO weeks start on Monday)."""
    if is_sqlite():
        return {
            Granularity.HARI: "day",
            Granularity.MINGGU: "date(day, 'weekday 0', '-6 days')",
            Granularity.BULAN: "date(day, 'start of month')",
        }[granularity]
    return {
        Granularity.HARI: "day",
        Granularity.MINGGU: "CAST(date_trunc('week', day) AS date)",
        Granularity.BULAN: "CAST(date_trunc('month', day) AS date)",
    }[granularity]


def region_series_sql(granularity: Granularity) -> str:
    """The region's sales per bucket: the dashboard's heaviest query (it reads every
    koperasi's days in the span; the benchmark times it bare)."""
    bucket = bucket_expression(granularity)
    return (
        f"SELECT {bucket} AS bucket, SUM(sales) AS sales, SUM(amount) AS amount"
        f" FROM pos_day_total WHERE {IN_REGION} AND day >= {{}} AND day <= {{}}"
        f" GROUP BY {bucket} ORDER BY 1"
    )


async def region_series(
    region_id: int, granularity: Granularity, since: date, until: date
) -> list[DayTotal]:
    """The region's sales added up per bucket in SQL (each bucket named by its first day)."""
    rows = await _rows(region_series_sql(granularity), region_id, since, until)
    return [
        DayTotal(as_date(r["bucket"]), int(r["sales"] or 0), int(r["amount"] or 0)) for r in rows
    ]


async def weekly_sales(region_id: int, since: date, until: date) -> dict[int, dict[date, int]]:
    """koperasi id -> {Monday of the ISO week: sales amount} (the table's sparklines)."""
    bucket = bucket_expression(Granularity.MINGGU)
    rows = await _rows(
        f"SELECT koperasi_id, {bucket} AS week, SUM(amount) AS amount FROM pos_day_total"
        f" WHERE {IN_REGION} AND day >= {{}} AND day <= {{}} GROUP BY koperasi_id, {bucket}",
        region_id,
        since,
        until,
    )
    result: dict[int, dict[date, int]] = defaultdict(dict)
    for r in rows:
        result[int(r["koperasi_id"])][as_date(r["week"])] = int(r["amount"] or 0)
    return result


async def day_totals(koperasi_id: int, since: date, until: date) -> list[DayTotal]:
    """One koperasi's per-day sales between two days (inclusive)."""
    rows = await _rows(
        "SELECT day, sales, amount FROM pos_day_total"
        " WHERE koperasi_id = {} AND day >= {} AND day <= {} ORDER BY day",
        koperasi_id,
        since,
        until,
    )
    return [DayTotal(as_date(r["day"]), int(r["sales"]), int(r["amount"])) for r in rows]


@dataclass(frozen=True)
class Legality:
    nik: str = ""  # Nomor Induk Koperasi
    last_rat: date | None = None
    managers: int = 0  # pengurus in office on the day asked for


async def legality(region_id: int, as_of: date) -> dict[int, Legality]:
    """koperasi id -> NIK, date of the last RAT and pengurus in office on `as_of`."""
    profiles = await _rows(
        f"SELECT koperasi_id, nik, last_rat_date FROM legality_profile WHERE {IN_REGION}",
        region_id,
    )
    board = await _rows(
        "SELECT koperasi_id, COUNT(*) AS managers FROM legality_board_member"
        f" WHERE {IN_REGION} AND body = 'pengurus'"
        " AND (term_start IS NULL OR term_start <= {})"
        " AND (term_end IS NULL OR term_end >= {})"
        " GROUP BY koperasi_id",
        region_id,
        as_of,
        as_of,
    )
    managers = {int(r["koperasi_id"]): int(r["managers"]) for r in board}
    result = {
        int(r["koperasi_id"]): Legality(
            nik=str(r["nik"] or ""),
            last_rat=as_optional_date(r["last_rat_date"]),
            managers=managers.get(int(r["koperasi_id"]), 0),
        )
        for r in profiles
    }
    for koperasi_id, count in managers.items():
        result.setdefault(koperasi_id, Legality(managers=count))
    return result


async def posted_in(region_id: int, since: date, until: date) -> set[int]:
    """The koperasi of the region that posted anything to their books between two days."""
    rows = await _rows(
        "SELECT DISTINCT koperasi_id FROM journal_day_total"
        f" WHERE {IN_REGION} AND entry_date >= {{}} AND entry_date <= {{}}",
        region_id,
        since,
        until,
    )
    return {int(r["koperasi_id"]) for r in rows}
