"""The dashboard's pure rules: the region's day (WIB), days folded into ISO weeks and months
across year ends, the table's filters (GET parameters), sort order and small figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from backend.dashboard.domain import (
    NO_HEALTH,
    Bucket,
    DayTotal,
    Filters,
    Granularity,
    KoperasiRow,
    SortKey,
    add_months,
    apply,
    bucket_label,
    bucket_starts,
    change_percent,
    fold,
    parse_filters,
    region_day,
    scale,
    week_start,
    worst_status,
)
from backend.supervision.compliance import ComplianceStatus


def test_the_region_s_day_turns_at_midnight_wib() -> None:
    assert region_day(datetime(2026, 11, 28, 16, 59, 59, tzinfo=UTC)) == date(2026, 11, 28)
    assert region_day(datetime(2026, 11, 28, 17, 0, 0, tzinfo=UTC)) == date(2026, 11, 29)
    assert region_day(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == date(2027, 1, 1)
    # A moment given in another offset is the same moment.
    wita = timezone(timedelta(hours=8))
    assert region_day(datetime(2026, 11, 29, 0, 30, tzinfo=wita)) == date(2026, 11, 28)
    assert region_day(datetime(2026, 11, 28, 18, 0)) == date(2026, 11, 29)  # naive = UTC


def test_iso_weeks_start_on_monday_and_cross_the_year_end() -> None:
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)  # a Sunday
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    # 1 January 2027 is a Friday: its ISO week starts in December 2026 and is week 53.
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)
    assert date(2026, 12, 28).isocalendar()[:2] == (2026, 53)
    start = week_start(date(2027, 1, 1))
    label = bucket_label(Bucket(start, start, 0, 0), Granularity.MINGGU, str)
    assert label == "53/2026"


def test_months_add_across_years() -> None:
    assert add_months(date(2026, 11, 29), 1) == date(2026, 12, 1)
    assert add_months(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 3, 31), -14) == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("granularity", "first", "last"),
    [
        (Granularity.HARI, date(2026, 12, 4), date(2027, 1, 2)),
        (Granularity.MINGGU, date(2026, 7, 6), date(2026, 12, 28)),
        (Granularity.BULAN, date(2026, 2, 1), date(2027, 1, 1)),
    ],
)
def test_the_chart_s_buckets_end_with_today_s(
    granularity: Granularity, first: date, last: date
) -> None:
    starts = bucket_starts(date(2027, 1, 2), granularity)
    assert len(starts) == granularity.buckets
    assert (starts[0], starts[-1]) == (first, last)
    assert starts == sorted(set(starts))


def test_days_fold_into_weeks_and_months_across_the_year_end() -> None:
    today = date(2027, 1, 2)
    days = [
        DayTotal(date(2026, 12, 27), 1, 100),  # Sunday: week of 21 Dec
        DayTotal(date(2026, 12, 28), 2, 200),  # Monday: week 53 of 2026
        DayTotal(date(2026, 12, 31), 3, 300),
        DayTotal(date(2027, 1, 1), 4, 400),  # same ISO week, next month
        DayTotal(date(2027, 1, 3), 9, 900),  # after today: left out
        DayTotal(date(2020, 1, 1), 9, 900),  # before the chart: left out
    ]
    weeks = fold(days, today, Granularity.MINGGU)
    assert (weeks[-1].start, weeks[-1].end) == (date(2026, 12, 28), date(2027, 1, 3))
    assert (weeks[-1].sales, weeks[-1].amount) == (9, 900)
    assert (weeks[-2].start, weeks[-2].amount) == (date(2026, 12, 21), 100)
    months = fold(days, today, Granularity.BULAN)
    assert (months[-1].start, months[-1].end, months[-1].amount) == (
        date(2027, 1, 1),
        date(2027, 1, 31),
        400,
    )
    assert (months[-2].start, months[-2].end, months[-2].amount) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
        600,
    )
    daily = fold(days, today, Granularity.HARI)
    assert len(daily) == 30 and daily[-1].start == today
    assert sum(b.amount for b in daily) == 1000
    assert sum(b.amount for b in weeks) == sum(b.amount for b in months) == 1000
    # Buckets without sales are zero, not missing.
    assert all(b.sales == 0 for b in months[:-2])


def _row(name: str, **values: object) -> KoperasiRow:
    base: dict[str, object] = {
        "id": abs(hash(name)) % 10_000,
        "slug": name.lower().replace(" ", "-"),
        "name": name,
        "kind": "konsumen",
        "kind_label": "Koperasi Konsumen",
        "kuk_class": 1,
        "health_category": None,
        "health_label": None,
        "health_scheme": None,
        "health_date": None,
        "compliance": ComplianceStatus.AMAN,
        "overdue_items": 0,
        "members": 10,
        "assets": 1_000,
        "own_capital": 500,
        "sales_30d": 0,
        "sales_count_30d": 0,
    }
    base.update(values)
    return KoperasiRow(**base)  # type: ignore[arg-type]


ROWS = [
    _row("Kopwan Srikandi", kind="wanita", sales_30d=900, members=50),
    _row(
        "KSP Artha",
        kind="ksp",
        kuk_class=2,
        health_category="sehat",
        health_date=date(2025, 1, 1),
        compliance=ComplianceStatus.TERLAMBAT,
        overdue_items=2,
        assets=9_000,
    ),
    _row(
        "Koperasi Majapahit",
        health_category="cukup_sehat",
        health_date=date(2026, 6, 1),
        compliance=ComplianceStatus.SEGERA,
        sales_30d=100,
    ),
]


def test_filters_come_from_get_parameters_and_ignore_nonsense() -> None:
    parsed = parse_filters(
        {
            "jenis": "ksp",
            "kuk": "2",
            "kesehatan": "sehat",
            "kepatuhan": "terlambat",
            "cari": "  artha ",
            "urut": "aset",
            "arah": "turun",
        }
    )
    assert parsed == Filters(
        kind="ksp",
        kuk=2,
        health="sehat",
        compliance=ComplianceStatus.TERLAMBAT,
        search="artha",
        sort=SortKey.ASET,
        descending=True,
    )
    assert parse_filters({"kuk": "7", "kepatuhan": "x", "urut": "y", "arah": "naik"}) == Filters()
    assert parse_filters({}) == Filters() and not Filters().active
    assert len(parse_filters({"cari": "a" * 500}).search) == 100
    # The filters round-trip through their GET parameters.
    assert parse_filters(parsed.query()) == parsed
    assert Filters().query(sort=SortKey.PENJUALAN, descending=True) == {
        "urut": "penjualan",
        "arah": "turun",
    }


def test_filters_keep_the_matching_rows() -> None:
    def names(filters: Filters) -> list[str]:
        return [r.name for r in apply(ROWS, filters)]

    assert names(Filters()) == ["Koperasi Majapahit", "Kopwan Srikandi", "KSP Artha"]
    assert names(Filters(kind="ksp")) == ["KSP Artha"]
    assert names(Filters(kuk=2)) == ["KSP Artha"]
    assert names(Filters(health="cukup_sehat")) == ["Koperasi Majapahit"]
    assert names(Filters(health=NO_HEALTH)) == ["Kopwan Srikandi"]
    assert names(Filters(compliance=ComplianceStatus.SEGERA)) == ["Koperasi Majapahit"]
    assert names(Filters(search="SRIKANDI")) == ["Kopwan Srikandi"]
    assert names(Filters(kind="ksp", kuk=1)) == []


def test_sorting_by_each_column() -> None:
    def names(sort: SortKey, descending: bool = False) -> list[str]:
        return [r.name for r in apply(ROWS, Filters(sort=sort, descending=descending))]

    assert names(SortKey.NAMA, True) == ["KSP Artha", "Kopwan Srikandi", "Koperasi Majapahit"]
    assert names(SortKey.PENJUALAN, True)[0] == "Kopwan Srikandi"
    assert names(SortKey.ASET, True)[0] == "KSP Artha"
    assert names(SortKey.KEPATUHAN, True)[:2] == ["KSP Artha", "Koperasi Majapahit"]
    # Never assessed first, then the oldest assessment: who needs a visit.
    assert names(SortKey.KESEHATAN) == ["Kopwan Srikandi", "KSP Artha", "Koperasi Majapahit"]
    assert names(SortKey.ANGGOTA, True)[0] == "Kopwan Srikandi"
    assert names(SortKey.KUK, True)[0] == "KSP Artha"


def test_the_worst_compliance_item_decides() -> None:
    assert worst_status([]) is ComplianceStatus.AMAN
    assert worst_status([ComplianceStatus.AMAN, ComplianceStatus.SEGERA]) is ComplianceStatus.SEGERA
    assert (
        worst_status([ComplianceStatus.TERLAMBAT, ComplianceStatus.SEGERA])
        is ComplianceStatus.TERLAMBAT
    )


def test_small_figures() -> None:
    assert change_percent(150, 100) == 50
    assert change_percent(50, 100) == -50
    assert change_percent(1, 3) == -67  # -66.7 rounds away from zero
    assert change_percent(100, 0) is None
    assert scale([0, 5, 10], 20) == [0, 10, 20]
    assert scale([0, 0], 20) == [0, 0]
    assert scale([], 20) == []
