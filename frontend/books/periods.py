"""The period picker of the statements page: a month, a year or a date range from the
query string, and its comparison period (the period of the same length right before it:
the previous month, the previous year, or as many days just before the range). Pure: no
database, no HTTP."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from babel.dates import format_date

from backend.formatting import long_date
from backend.i18n import Translate
from backend.texts import N_

FIRST_YEAR = 1900
LAST_YEAR = 2999
_LOCALES = {"id": "id_ID", "en": "en_ID"}


class Kind(StrEnum):
    BULAN = "bulan"
    TAHUN = "tahun"
    RENTANG = "rentang"


KINDS = frozenset(kind.value for kind in Kind)
KIND_LABELS: dict[Kind, str] = {
    Kind.BULAN: N_("Bulan"),
    Kind.TAHUN: N_("Tahun"),
    Kind.RENTANG: N_("Rentang tanggal"),
}


@dataclass(frozen=True)
class Period:
    kind: Kind
    since: date
    until: date
    compare: tuple[date, date] | None  # the comparison period, when wanted

    @property
    def month(self) -> str:
        return f"{self.since.year:04d}-{self.since.month:02d}"


@dataclass(frozen=True)
class PeriodRequest:
    """What the query string asked for (raw text), before it is checked."""

    kind: str | None = None
    month: str | None = None
    year: str | None = None
    since: str | None = None
    until: str | None = None
    compare: str | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _previous_month(first: date) -> tuple[date, date]:
    last = first - timedelta(days=1)
    return date(last.year, last.month, 1), last


def _year_ok(year: int) -> bool:
    return FIRST_YEAR < year <= LAST_YEAR  # the year before must exist for the comparison


def _parse_month(text: str | None) -> tuple[int, int] | None:
    if not text or len(text) != 7 or text[4] != "-":
        return None
    year, month = text[:4], text[5:]
    if not (year.isdigit() and month.isdigit()):
        return None
    y, m = int(year), int(month)
    return (y, m) if _year_ok(y) and 1 <= m <= 12 else None


def _parse_year(text: str | None) -> int | None:
    if not text or not text.strip().isdigit():
        return None
    year = int(text.strip())
    return year if _year_ok(year) else None


def _parse_date(text: str | None) -> date | None:
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if _year_ok(day.year) else None


def resolve(asked: PeriodRequest, today: date) -> tuple[Period, str | None]:
    """The period asked for, or this month when the request cannot be used; and the
    problem to tell the reader (None when all was well)."""
    problem: str | None = None
    kind = Kind(asked.kind) if asked.kind in KINDS else Kind.BULAN
    if asked.kind and asked.kind not in KINDS:
        problem = N_("Jenis periode tidak dikenal; yang ditampilkan bulan ini.")
    since = date(today.year, today.month, 1)
    until = _month_end(today.year, today.month)
    if kind is Kind.BULAN and asked.month:
        parsed = _parse_month(asked.month)
        if parsed is None:
            problem = N_("Bulan tidak valid; yang ditampilkan bulan ini.")
        else:
            since, until = date(*parsed, 1), _month_end(*parsed)
    elif kind is Kind.TAHUN:
        year = _parse_year(asked.year) if asked.year else today.year
        if year is None:
            problem = N_("Tahun tidak valid; yang ditampilkan bulan ini.")
            kind = Kind.BULAN
        else:
            since, until = date(year, 1, 1), date(year, 12, 31)
    elif kind is Kind.RENTANG:
        first, last = _parse_date(asked.since), _parse_date(asked.until)
        if first is None or last is None or first > last:
            problem = N_(
                "Rentang tanggal tidak valid (tanggal awal harus sebelum tanggal akhir); "
                "yang ditampilkan bulan ini."
            )
            kind = Kind.BULAN
        else:
            since, until = first, last
    compare: tuple[date, date] | None = None
    if asked.compare != "tidak":
        compare = previous(kind, since, until)
    return Period(kind, since, until, compare), problem


def previous(kind: Kind, since: date, until: date) -> tuple[date, date]:
    """The comparison period: as long as the period, right before it."""
    if kind is Kind.BULAN:
        return _previous_month(since)
    if kind is Kind.TAHUN:
        return date(since.year - 1, 1, 1), date(since.year - 1, 12, 31)
    days = (until - since).days + 1
    return since - timedelta(days=days), since - timedelta(days=1)


def month_name(day: date, language: str) -> str:
    """`Maret 2026`."""
    return format_date(day, format="MMMM y", locale=_LOCALES.get(language, "id_ID"))


def span_label(kind: Kind, since: date, until: date, language: str, _: Translate) -> str:
    """How a period reads: `Maret 2026`, `Tahun 2026` or `1 Maret 2026 – 15 April 2026`."""
    if kind is Kind.BULAN:
        return month_name(since, language)
    if kind is Kind.TAHUN:
        return _("Tahun {year}", year=since.year)
    return f"{long_date(since, language)} – {long_date(until, language)}"
