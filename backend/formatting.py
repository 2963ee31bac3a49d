"""The one place that formats money and dates for people (Bahasa Indonesia first)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.numbers import format_decimal

_LOCALES = {"id": "id_ID", "en": "en_ID"}


def _locale(language: str) -> str:
    return _LOCALES.get(language, "id_ID")


def rupiah(amount: int, language: str = "id") -> str:
    """`1500000` -> `Rp 1.500.000`; negatives as `-Rp 1.500.000`.

    Amounts are whole rupiah (int): a float here is a bug upstream, so it is refused.
    English keeps Indonesian grouping on purpose: the figures must read the same on
    a receipt whichever language the app is in.
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"rupiah() takes whole rupiah as int, got {type(amount).__name__}")
    del language  # same figures in every UI language; kept for a uniform signature
    digits = format_decimal(abs(amount), format="#,##0", locale="id_ID")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {digits}"


def number(value: int) -> str:
    """Counts with Indonesian grouping: `12345` -> `12.345`."""
    return format_decimal(value, format="#,##0", locale="id_ID")


def long_date(value: date | datetime, language: str = "id") -> str:
    """`2022-05-24` -> `24 Mei 2022` (id) or `24 May 2022` (en)."""
    if isinstance(value, datetime):
        value = value.date()
    return _babel_format_date(value, format="d MMMM y", locale=_locale(language))


def short_date(value: date | datetime, language: str = "id") -> str:
    """`2022-05-24` -> `24 Mei 2022` abbreviated months where the locale has them."""
    if isinstance(value, datetime):
        value = value.date()
    return _babel_format_date(value, format="d MMM y", locale=_locale(language))


def date_time(value: datetime, language: str = "id") -> str:
    """`24 Mei 2022 14.05` (Indonesian uses a dot between hours and minutes)."""
    return _babel_format_datetime(value, format="d MMMM y HH.mm", locale=_locale(language))
