"""What the news, education and training pages share: their script and stylesheet, the
messages the script may say, the notice shown after a save, the Dinas's tabs, the
markup hint, and buttons and forms that call the API (see `static/outreach.js`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from litestar.params import QueryParameter

from backend.formatting import date_time, long_date
from backend.outreach.domain import REGION_TZ
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate
from frontend.personal import script_messages

OUTREACH_JS = "/static/outreach.js"
OUTREACH_CSS = "/static/outreach.css"
TZ_OFFSET = "+07:00"  # REGION_TZ as an ISO offset, for the date-time inputs

Notice = Annotated[str | None, QueryParameter(max_length=20)]

SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "saving": N_("Menyimpan…"),
    "uploading": N_("Mengunggah…"),
    "choose_file": N_("Pilih berkas PDF."),
}


def messages(_: Translate) -> str:
    return script_messages(_, SCRIPT_MESSAGES, SCRIPT_MESSAGES)


def stylesheet() -> str:
    # A stylesheet linked in the body applies the same way (and is precached).
    return el("link", rel="stylesheet", href=OUTREACH_CSS)


def message_area(notice: str = "") -> str:
    """The page's message boxes; `notice` is what the last save said."""
    return el("div", id="message-alert", class_="error-box message", role="alert") + tx(
        "div", notice, id="message-status", class_="status-box message", role="status"
    )


def section_messages() -> str:
    """A form's own message boxes (closer to what was tapped on a long page)."""
    return el("div", class_="error-box message", role="alert") + el(
        "div", class_="status-box message", role="status"
    )


def notice_text(key: str | None, notices: Mapping[str, str], _: Translate) -> str:
    message = notices.get(key or "")
    return _(message) if message else ""


def moment(value: datetime, language: str) -> str:
    """`5 Desember 2026 09.00 WIB`."""
    return date_time(value.astimezone(REGION_TZ), language) + " WIB"


def day(value: datetime, language: str) -> str:
    return long_date(value.astimezone(REGION_TZ), language)


def span_text(starts: datetime, ends: datetime, language: str, _: Translate) -> str:
    """`5 Desember 2026 09.00–12.00 WIB` on one day, else both ends in full."""
    start, end = starts.astimezone(REGION_TZ), ends.astimezone(REGION_TZ)
    if start.date() == end.date():
        return _(
            "{day} {start}–{end} WIB",
            day=long_date(start, language),
            start=start.strftime("%H.%M"),
            end=end.strftime("%H.%M"),
        )
    return _("{start} sampai {end}", start=moment(starts, language), end=moment(ends, language))


def local_input(value: datetime | None) -> str:
    """A `datetime-local` input's value on the region's clock."""
    return value.astimezone(REGION_TZ).strftime("%Y-%m-%dT%H:%M") if value else ""


def time_element(value: datetime, language: str) -> str:
    return tx("time", moment(value, language), datetime=value.isoformat())


def dinas_tabs(current: str, _: Translate) -> str:
    """The Dinas's three places to write: news, education and trainings."""
    tabs = [
        ("/berita", _("Berita")),
        ("/pengawasan/edukasi", _("Edukasi")),
        ("/pengawasan/pelatihan", _("Pelatihan")),
    ]
    return el(
        "nav",
        el(
            "ul",
            *[
                el(
                    "li",
                    tx(
                        "a",
                        label,
                        href=href,
                        class_="tab",
                        aria_current="page" if href == current else None,
                    ),
                )
                for href, label in tabs
            ],
            class_="tabs",
        ),
        aria_label=_("Berita dan diklat"),
    )


def markup_hint(_: Translate) -> str:
    return _(
        "Pisahkan paragraf dengan baris kosong. Bisa memakai ## Subjudul, - daftar, "
        "**tebal**, *miring* dan [teks tautan](https://alamat)."
    )


def api_button(
    label: str,
    spec: str,
    notice: str,
    *,
    confirm: str | None = None,
    secondary: bool = False,
    danger: bool = False,
    next_path: str | None = None,
    **attributes: Any,
) -> str:
    """A button that makes one API call (`spec`: "POST /api/v1/…") and reloads."""
    classes = (
        "button" + (" button-secondary" if secondary else "") + (" button-danger" if danger else "")
    )
    return tx(
        "button",
        label,
        type="button",
        class_=classes,
        data_api=spec,
        data_notice=notice,
        data_confirm=confirm,
        data_next=next_path,
        **attributes,
    )


def submit(label: str, *, extra: Mapping[str, Any] | None = None, **attributes: Any) -> str:
    return tx(
        "button",
        label,
        type="submit",
        data_extra=json.dumps(extra) if extra else None,
        **{"class_": "button", **attributes},
    )
