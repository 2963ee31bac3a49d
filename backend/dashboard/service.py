"""The Dinas dashboard's use cases: the region at a glance (summary, the table of every
koperasi with its KUK class, latest health category, compliance status, members, assets and
retail sales, the region's sales trend) and the annual figures the ministry's Online Data
System (ODS) collects. Read-only: no transaction, no audit.

Who may read: only a Dinas officer, and only their own region (`region_of`). Everything is
computed from a fixed number of grouped queries (`backend.dashboard.queries`) plus the
supervision context's batched region compliance (`region_compliance`, five queries)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from backend.accounts.domain import Actor, Role
from backend.dashboard import queries
from backend.dashboard.domain import (
    Bucket,
    Filters,
    Granularity,
    KoperasiRow,
    add_months,
    apply,
    bucket_starts,
    fold,
    month_start,
    worst_status,
)
from backend.errors import Forbidden
from backend.health import rules as health_rules
from backend.supervision import service as supervision
from backend.supervision.compliance import ComplianceStatus
from backend.supervision.kuk import KukInputs, classify, sector_of, version_for
from backend.tenancy.domain import KoperasiKind
from backend.texts import N_

TREND_WEEKS = 12  # the table's sparkline: the last twelve ISO weeks
TOP_COUNT = 10


def region_of(actor: Actor | None) -> int:
    """The region whose dashboard `actor` may read: a Dinas officer's own; nobody else's."""
    if actor is None or actor.role is not Role.DINAS:
        raise Forbidden(
            "dashboard_forbidden", N_("Dasbor pengawasan hanya untuk petugas Dinas Koperasi.")
        )
    return int(actor.region_id)


def kind_label(kind: str) -> str:
    try:
        return KoperasiKind(kind).label
    except ValueError:
        return kind


@dataclass(frozen=True)
class HealthCategory:
    code: str
    label: str


def health_categories(language: str = "id") -> list[HealthCategory]:
    """Every category code of every health rule set (for the filter), first label wins."""
    seen: dict[str, str] = {}
    for scheme in health_rules.all_schemes():
        for category in scheme.categories:
            seen.setdefault(category.code, category.label.in_(language))
    return [HealthCategory(code, label) for code, label in seen.items()]


def _health_label(scheme_id: str, version: str, category: str, language: str) -> tuple[str, str]:
    scheme = health_rules.scheme_version(scheme_id, version)
    if scheme is None:
        return scheme_id, category
    label = next((c.label.in_(language) for c in scheme.categories if c.code == category), "")
    return scheme.short_name.in_(language), label or category


@dataclass(frozen=True)
class Summary:
    koperasi: int
    members: int
    assets: int
    sales_today: int
    sales_today_count: int
    sales_this_month: int
    sales_last_month: int
    sales_last_month_to_date: int  # last month up to the same day of the month
    compliance: dict[ComplianceStatus, int]  # koperasi per worst status
    overdue_items: int  # compliance items past their deadline, all koperasi
    health: dict[str, int]  # koperasi per latest health category ("" = never assessed)


@dataclass(frozen=True)
class TopSeller:
    koperasi: KoperasiRow
    amount: int
    share_bp: int  # of the region's sales in the last 30 days, basis points


@dataclass(frozen=True)
class Dashboard:
    today: date
    rows: list[KoperasiRow]  # every koperasi of the region
    shown: list[KoperasiRow]  # the rows the filters keep, sorted
    filters: Filters
    summary: Summary
    granularity: Granularity
    series: list[Bucket]
    trend_weeks: list[date]  # the sparklines' weeks (Mondays), oldest first
    top: list[TopSeller]
    kinds: list[tuple[str, str]]  # (code, label) of the kinds present in the region
    categories: list[HealthCategory]


def series_since(today: date, granularity: Granularity) -> date:
    return bucket_starts(today, granularity)[0]


async def region_rows(
    region_id: int, today: date, language: str = "id"
) -> tuple[list[KoperasiRow], dict[int, queries.SalesFigures], list[date], int]:
    """Every koperasi of the region as a table row; also the sales figures per koperasi,
    the sparkline weeks and the number of overdue compliance items."""
    koperasi = await queries.region_koperasi(region_id)
    members = await queries.active_members(region_id, today)
    books = await queries.books(region_id, today)
    health = await queries.latest_health(region_id)
    first_of_month = month_start(today)
    sales = await queries.sales_figures(
        region_id,
        today,
        since_30d=today - timedelta(days=29),
        this_month=first_of_month,
        last_month=add_months(first_of_month, -1),
    )
    weeks = bucket_starts(today, Granularity.MINGGU, TREND_WEEKS)
    weekly = await queries.weekly_sales(region_id, weeks[0], today)
    compliance = await supervision.region_compliance(region_id, today)
    statuses: dict[int, list[ComplianceStatus]] = {}
    overdue: Counter[int] = Counter()
    for entry in compliance:
        statuses.setdefault(entry.koperasi.id, []).append(entry.item.status)
        if entry.item.status is ComplianceStatus.TERLAMBAT:
            overdue[entry.koperasi.id] += 1
    version = version_for(today)
    rows = []
    for k in koperasi:
        position = books.get(k.id, queries.Books())
        count = members.get(k.id, 0)
        kuk = classify(
            KukInputs(members=count, own_capital=position.own_capital, assets=position.assets),
            sector_of(k.kind),
            version,
        )
        latest = health.get(k.id)
        scheme_name = label = None
        if latest is not None:
            scheme_name, label = _health_label(
                latest.scheme, latest.version, latest.category, language
            )
        figures = sales.get(k.id, queries.SalesFigures())
        rows.append(
            KoperasiRow(
                id=k.id,
                slug=k.slug,
                name=k.name,
                kind=k.kind,
                kind_label=kind_label(k.kind),
                kuk_class=kuk.kuk_class,
                health_category=latest.category if latest else None,
                health_label=label,
                health_scheme=scheme_name,
                health_date=latest.as_of if latest else None,
                compliance=worst_status(statuses.get(k.id, [])),
                overdue_items=overdue[k.id],
                members=count,
                assets=position.assets,
                own_capital=position.own_capital,
                sales_30d=figures.amount_30d,
                sales_count_30d=figures.count_30d,
                trend=tuple(weekly.get(k.id, {}).get(week, 0) for week in weeks),
            )
        )
    return rows, sales, weeks, sum(overdue.values())


def _last_month_to_date(today: date) -> tuple[date, date]:
    start = add_months(month_start(today), -1)
    end_of_month = month_start(today) - timedelta(days=1)
    return start, min(end_of_month, start + timedelta(days=today.day - 1))


async def dashboard(
    region_id: int,
    today: date,
    filters: Filters,
    granularity: Granularity,
    language: str = "id",
) -> Dashboard:
    rows, sales, weeks, overdue_items = await region_rows(region_id, today, language)
    since = series_since(today, granularity)
    series = fold(
        await queries.region_series(region_id, granularity, since, today), today, granularity
    )
    start, end = _last_month_to_date(today)
    last_month_to_date = sum(
        d.amount for d in await queries.region_series(region_id, Granularity.BULAN, start, end)
    )
    total_30d = sum(row.sales_30d for row in rows)
    top = [
        TopSeller(row, row.sales_30d, row.sales_30d * 10_000 // total_30d if total_30d else 0)
        for row in sorted(rows, key=lambda r: (-r.sales_30d, r.name.casefold()))
        if row.sales_30d > 0
    ][:TOP_COUNT]
    compliance_counts = Counter(row.compliance for row in rows)
    health_counts = Counter(row.health_category or "" for row in rows)
    summary = Summary(
        koperasi=len(rows),
        members=sum(row.members for row in rows),
        assets=sum(row.assets for row in rows),
        sales_today=sum(s.today for s in sales.values()),
        sales_today_count=sum(s.today_count for s in sales.values()),
        sales_this_month=sum(s.this_month for s in sales.values()),
        sales_last_month=sum(s.last_month for s in sales.values()),
        sales_last_month_to_date=last_month_to_date,
        compliance={status: compliance_counts.get(status, 0) for status in ComplianceStatus},
        overdue_items=overdue_items,
        health=dict(health_counts),
    )
    kinds = sorted({(row.kind, row.kind_label) for row in rows}, key=lambda k: k[1])
    return Dashboard(
        today=today,
        rows=rows,
        shown=apply(rows, filters),
        filters=filters,
        summary=summary,
        granularity=granularity,
        series=series,
        trend_weeks=weeks,
        top=top,
        kinds=kinds,
        categories=health_categories(language),
    )


# --- the annual data for the ministry's Online Data System ----------------------------


@dataclass(frozen=True)
class AnnualRow:
    """One koperasi's year as the ODS collects it. `employees` is None: Koroena keeps no
    staff register, so the column is left blank with a note."""

    koperasi: queries.KoperasiBase
    kind_label: str
    year: int
    nik: str
    active: bool
    rat_held: bool
    rat_date: date | None
    members: int
    managers: int
    employees: int | None
    own_capital: int
    outside_capital: int
    business_volume: int
    shu: int
    assets: int


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


async def annual(region_id: int, year: int, today: date) -> list[AnnualRow]:
    """Every koperasi of the region for the financial year `year` (positions at its end, or
    today for the running year): active status (a RAT held in the year or anything posted to
    its books in the year), the RAT date when it fell in the year (or the RAT held for the
    year, in the first months of the next one), members, pengurus in office, own capital,
    outside capital (liabilities), business volume (revenue), SHU (revenue − expenses) and
    assets."""
    since, until = year_bounds(year)
    as_of = min(until, today)
    koperasi = await queries.region_koperasi(region_id)
    members = await queries.active_members(region_id, as_of)
    books = await queries.books(region_id, as_of, since)
    legality = await queries.legality(region_id, as_of)
    posted = await queries.posted_in(region_id, since, as_of)
    rows = []
    for k in koperasi:
        position = books.get(k.id, queries.Books())
        record = legality.get(k.id, queries.Legality())
        rat_date = record.last_rat
        # The RAT for year Y is held early in Y+1; the one held in Y approves Y-1. Both
        # count as "RAT held" in Y's report when they fall in Y.
        rat_in_year = rat_date is not None and since <= rat_date <= until
        rows.append(
            AnnualRow(
                koperasi=k,
                kind_label=kind_label(k.kind),
                year=year,
                active=rat_in_year or k.id in posted,
                rat_held=rat_in_year,
                rat_date=rat_date if rat_in_year else None,
                members=members.get(k.id, 0),
                nik=record.nik,
                managers=record.managers,
                employees=None,
                own_capital=position.own_capital,
                outside_capital=position.liabilities,
                business_volume=position.revenue,
                shu=position.surplus,
                assets=position.assets,
            )
        )
    return rows
