"""Beranda: the region's koperasi directory with search and a filter by kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reactpy import component, event, html, use_state

from backend.formatting import number
from backend.tenancy import service as tenancy
from backend.tenancy.domain import KIND_LABELS
from frontend.components import (
    error_box,
    loading,
    page_frame,
    stat,
    target_value,
    use_i18n,
)
from frontend.data import use_loaded
from frontend.i18n import Translate


@dataclass(frozen=True)
class HomeData:
    region: tenancy.RegionInfo | None
    koperasi: list[tenancy.KoperasiSummary]


async def load_home() -> HomeData:
    regions = await tenancy.list_regions()
    if not regions:
        return HomeData(region=None, koperasi=[])
    region, koperasi = await tenancy.region_directory(regions[0].slug)
    return HomeData(region=region, koperasi=koperasi)


def _matches(k: tenancy.KoperasiSummary, search: str, kind: str) -> bool:
    term = search.strip().lower()
    return (not kind or k.kind == kind) and (not term or term in k.name.lower())


def _card(k: tenancy.KoperasiSummary, _: Translate) -> Any:
    return html.li(
        {"class": "card", "key": k.slug},
        html.h2({"class": "card-title"}, html.a({"href": f"/koperasi/{k.slug}"}, k.name)),
        html.p({"class": "tag"}, _(k.kind_label)),
        html.p(
            {"class": "muted"},
            _(
                "{members} anggota · {outlets} gerai",
                members=number(k.member_count),
                outlets=number(k.outlet_count),
            ),
        ),
    )


@component
def HomePage() -> Any:
    language, _ = use_i18n()
    loaded = use_loaded("home", load_home)
    search, set_search = use_state("")
    kind, set_kind = use_state("")

    if loaded.error:
        body: Any = error_box(_(loaded.error.message))
    elif loaded.value is None:
        body = loading(_)
    elif loaded.value.region is None:
        body = html.section(
            html.h1(_("Selamat datang di Koroena")),
            html.p(_("Belum ada data koperasi. Jalankan `koroena demo` untuk data contoh.")),
        )
    else:
        data = loaded.value
        region = data.region
        assert region is not None
        shown = [k for k in data.koperasi if _matches(k, search, kind)]
        body = html.section(
            html.h1(_("Koperasi di {region}", region=region.name)),
            html.p({"class": "muted"}, region.dinas_name),
            html.div(
                {"class": "stats", "aria-label": _("Ringkasan wilayah")},
                stat(_("Koperasi"), len(data.koperasi)),
                stat(_("Anggota"), sum(k.member_count for k in data.koperasi)),
                stat(_("Gerai"), sum(k.outlet_count for k in data.koperasi)),
            ),
            html.form(
                {"class": "filters", "role": "search", "onSubmit": _prevent},
                html.label({"for": "cari"}, _("Cari koperasi")),
                html.input(
                    {
                        "id": "cari",
                        "type": "search",
                        "value": search,
                        "placeholder": _("Nama koperasi"),
                        "onChange": lambda event: set_search(target_value(event)),
                    }
                ),
                html.label({"for": "jenis"}, _("Jenis")),
                html.select(
                    {
                        "id": "jenis",
                        "value": kind,
                        "onChange": lambda event: set_kind(target_value(event)),
                    },
                    html.option({"value": ""}, _("Semua jenis")),
                    *[
                        html.option({"value": k.value, "key": k.value}, _(label))
                        for k, label in KIND_LABELS.items()
                    ],
                ),
            ),
            html.p(
                {"class": "muted", "role": "status", "aria-live": "polite"},
                _(
                    "Menampilkan {shown} dari {total} koperasi",
                    shown=len(shown),
                    total=len(data.koperasi),
                ),
            ),
            html.ul({"class": "cards"}, *[_card(k, _) for k in shown]),
        )
    return page_frame(language, _, body)


@event(prevent_default=True)
def _prevent(event: Any) -> None:
    """Searching filters as you type; pressing Enter must not reload the page."""
