"""Pure rules of the Dinas dashboard (no ORM, no HTTP): the region's calendar day, the
buckets of the sales trend (days, ISO weeks, months), the table's filters and sort order,
and the worst compliance status of a koperasi. Money is whole rupiah (int)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum

from backend.supervision.compliance import ComplianceStatus
from backend.texts import N_

# The region's wall clock. Kota Mojokerto, the only region so far, is on WIB (UTC+7, the
# Asia/Jakarta zone, without daylight saving); the database's pos_day_total uses the same
# seven hours (migrations/dashboard/*_pos_day_totals.py).
REGION_TZ = timezone(timedelta(hours=7), "WIB")


def region_day(moment: datetime) -> date:
    """The region's calendar day of a moment (a naive moment is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(REGION_TZ).date()


def region_today() -> date:
    return region_day(datetime.now(UTC))


# --- the sales trend ------------------------------------------------------------------


class Granularity(StrEnum):
    """How the region's sales chart groups days: 30 days, 26 ISO weeks or 12 months."""

    HARI = "hari"
    MINGGU = "minggu"
    BULAN = "bulan"

    @property
    def label(self) -> str:
        return {
            Granularity.HARI: N_("Per hari (30 hari)"),
            Granularity.MINGGU: N_("Per minggu (26 minggu)"),
            Granularity.BULAN: N_("Per bulan (12 bulan)"),
        }[self]

    @property
    def buckets(self) -> int:
        return {Granularity.HARI: 30, Granularity.MINGGU: 26, Granularity.BULAN: 12}[self]


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day` (ISO weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def bucket_start(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.HARI:
        return day
    if granularity is Granularity.MINGGU:
        return week_start(day)
    return month_start(day)


def bucket_end(start: date, granularity: Granularity) -> date:
    """The last day of the bucket starting on `start` (inclusive)."""
    if granularity is Granularity.HARI:
        return start
    if granularity is Granularity.MINGGU:
        return start + timedelta(days=6)
    return add_months(start, 1) - timedelta(days=1)


def bucket_starts(today: date, granularity: Granularity, count: int | None = None) -> list[date]:
    """The starts of the last `count` buckets, oldest first, the last one holding today."""
    count = granularity.buckets if count is None else count
    last = bucket_start(today, granularity)
    if granularity is Granularity.HARI:
        return [last - timedelta(days=count - 1 - i) for i in range(count)]
    if granularity is Granularity.MINGGU:
        return [last - timedelta(weeks=count - 1 - i) for i in range(count)]
    return [add_months(last, i - count + 1) for i in range(count)]


@dataclass(frozen=True)
class Bucket:
    start: date
    end: date  # inclusive; the current bucket ends after today
    sales: int
    amount: int


@dataclass(frozen=True)
class DayTotal:
    day: date
    sales: int
    amount: int


def fold(days: Iterable[DayTotal], today: date, granularity: Granularity) -> list[Bucket]:
    """Day totals added up into the chart's buckets (empty buckets are zero); days outside
    the chart's span are left out."""
    starts = bucket_starts(today, granularity)
    sums: dict[date, list[int]] = {start: [0, 0] for start in starts}
    for total in days:
        if total.day > today:
            continue
        start = bucket_start(total.day, granularity)
        if start in sums:
            sums[start][0] += total.sales
            sums[start][1] += total.amount
    return [
        Bucket(start, bucket_end(start, granularity), sums[start][0], sums[start][1])
        for start in starts
    ]


def bucket_label(
    bucket: Bucket, granularity: Granularity, short_month: Callable[[int], str]
) -> str:
    """A short axis label: "28 Nov", "Mg 48 2026" (ISO week and its year), "Nov 2026"."""
    if granularity is Granularity.HARI:
        return f"{bucket.start.day} {short_month(bucket.start.month)}"
    if granularity is Granularity.MINGGU:
        year, week, _ = bucket.start.isocalendar()
        return f"{week:02d}/{year}"
    return f"{short_month(bucket.start.month)} {bucket.start.year}"


# --- compliance -----------------------------------------------------------------------

_SEVERITY = {ComplianceStatus.AMAN: 0, ComplianceStatus.SEGERA: 1, ComplianceStatus.TERLAMBAT: 2}


def worst_status(states: Iterable[ComplianceStatus]) -> ComplianceStatus:
    """A koperasi's compliance status is its worst item's; no items at all is "aman"."""
    return max(states, key=_SEVERITY.__getitem__, default=ComplianceStatus.AMAN)


# --- the table, its filters and order -------------------------------------------------


@dataclass(frozen=True)
class KoperasiRow:
    """One line of the region table."""

    id: int
    slug: str
    name: str
    kind: str
    kind_label: str
    kuk_class: int
    health_category: str | None  # the latest final assessment's category code
    health_label: str | None
    health_scheme: str | None
    health_date: date | None
    compliance: ComplianceStatus
    overdue_items: int
    members: int
    assets: int
    own_capital: int
    sales_30d: int
    sales_count_30d: int
    trend: tuple[int, ...] = field(default=())  # weekly sales, oldest first


class SortKey(StrEnum):
    NAMA = "nama"
    JENIS = "jenis"
    KUK = "kuk"
    KESEHATAN = "kesehatan"
    KEPATUHAN = "kepatuhan"
    ANGGOTA = "anggota"
    ASET = "aset"
    PENJUALAN = "penjualan"

    @property
    def label(self) -> str:
        return {
            SortKey.NAMA: N_("Nama"),
            SortKey.JENIS: N_("Jenis"),
            SortKey.KUK: N_("KUK"),
            SortKey.KESEHATAN: N_("Kesehatan"),
            SortKey.KEPATUHAN: N_("Kepatuhan"),
            SortKey.ANGGOTA: N_("Anggota"),
            SortKey.ASET: N_("Aset"),
            SortKey.PENJUALAN: N_("Penjualan 30 hari"),
        }[self]


NO_HEALTH = "belum"  # the health filter's value for "never assessed"
MAX_SEARCH = 100


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    kuk: int | None = None
    health: str | None = None  # a category code, or NO_HEALTH
    compliance: ComplianceStatus | None = None
    search: str = ""
    sort: SortKey = SortKey.NAMA
    descending: bool = False

    @property
    def active(self) -> bool:
        return bool(self.kind or self.kuk or self.health or self.compliance or self.search.strip())

    def query(self, **changes: object) -> dict[str, str]:
        """The filters as GET parameters (only those set), with `changes` applied."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        params = {
            "jenis": chosen.kind or "",
            "kuk": str(chosen.kuk) if chosen.kuk else "",
            "kesehatan": chosen.health or "",
            "kepatuhan": chosen.compliance.value if chosen.compliance else "",
            "cari": chosen.search.strip(),
            "urut": chosen.sort.value if chosen.sort is not SortKey.NAMA else "",
            "arah": "turun" if chosen.descending else "",
        }
        return {key: value for key, value in params.items() if value}


def parse_filters(params: Mapping[str, str | None]) -> Filters:
    """Filters from GET parameters; a value that is not one of the choices is ignored
    (a stale bookmark shows the whole region rather than an error)."""

    def text(name: str) -> str:
        return (params.get(name) or "").strip()

    kuk_text = text("kuk")
    kuk = int(kuk_text) if kuk_text in {"1", "2", "3", "4"} else None
    try:
        compliance = ComplianceStatus(text("kepatuhan")) if text("kepatuhan") else None
    except ValueError:
        compliance = None
    try:
        sort = SortKey(text("urut")) if text("urut") else SortKey.NAMA
    except ValueError:
        sort = SortKey.NAMA
    kind = text("jenis")[:20] or None
    health = text("kesehatan")[:40] or None
    return Filters(
        kind=kind,
        kuk=kuk,
        health=health,
        compliance=compliance,
        search=text("cari")[:MAX_SEARCH],
        sort=sort,
        descending=text("arah") == "turun",
    )


def matches(row: KoperasiRow, filters: Filters) -> bool:
    if filters.kind and row.kind != filters.kind:
        return False
    if filters.kuk and row.kuk_class != filters.kuk:
        return False
    if filters.health:
        category = row.health_category or NO_HEALTH
        if category != filters.health:
            return False
    if filters.compliance and row.compliance is not filters.compliance:
        return False
    needle = filters.search.strip().casefold()
    return not needle or needle in row.name.casefold()


def _sort_value(row: KoperasiRow, key: SortKey) -> tuple[object, ...]:
    if key is SortKey.JENIS:
        return (row.kind_label.casefold(),)
    if key is SortKey.KUK:
        return (row.kuk_class,)
    if key is SortKey.KESEHATAN:
        # Never assessed first, then oldest assessment first (what needs a visit).
        return (row.health_date is not None, row.health_date or date.min)
    if key is SortKey.KEPATUHAN:
        return (_SEVERITY[row.compliance], row.overdue_items)
    if key is SortKey.ANGGOTA:
        return (row.members,)
    if key is SortKey.ASET:
        return (row.assets,)
    if key is SortKey.PENJUALAN:
        return (row.sales_30d,)
    return ()


def apply(rows: Sequence[KoperasiRow], filters: Filters) -> list[KoperasiRow]:
    """The rows the filters keep, in the chosen order (ties by name)."""
    kept = sorted(
        (row for row in rows if matches(row, filters)), key=lambda r: (r.name.casefold(), r.id)
    )
    if filters.sort is SortKey.NAMA:
        return kept[::-1] if filters.descending else kept
    return sorted(kept, key=lambda r: _sort_value(r, filters.sort), reverse=filters.descending)


# --- figures --------------------------------------------------------------------------


def change_percent(current: int, previous: int) -> int | None:
    """The change from `previous` to `current` in whole percent (rounded half away from
    zero); None when there is nothing to compare with."""
    if previous <= 0:
        return None
    numerator = (current - previous) * 100
    quotient, remainder = divmod(abs(numerator), previous)
    if remainder * 2 >= previous:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def scale(values: Sequence[int], height: int) -> list[int]:
    """Values scaled to 0..height (integers, the largest value at `height`)."""
    top = max(values, default=0)
    if top <= 0:
        return [0 for _ in values]
    return [max(0, value) * height // top for value in values]
