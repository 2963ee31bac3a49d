"""A koperasi's public profile: who they are, their outlets, and their shop's prices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reactpy import component, html, use_location, use_state

from backend.catalog import service as catalog
from backend.formatting import rupiah
from backend.tenancy import service as tenancy
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
class KoperasiData:
    profile: tenancy.KoperasiProfile
    products: list[catalog.ProductInfo]


def slug_from_path(path: str) -> str:
    return path.removeprefix("/koperasi/").strip("/").split("/")[0]


def _loader(slug: str) -> Any:
    async def load() -> KoperasiData:
        profile = await tenancy.koperasi_profile(slug)
        return KoperasiData(profile=profile, products=await catalog.list_products(profile.id))

    return load


def _price_cell(product: catalog.ProductInfo, _: Translate) -> Any:
    cell: list[Any] = [html.span({"class": "price"}, rupiah(product.price))]
    if product.member_price and product.member_price < product.price:
        cell.append(
            html.span(
                {"class": "member-price"},
                _("Anggota {price}", price=rupiah(product.member_price)),
            )
        )
    return html.td({"class": "num"}, *cell)


def _price_table(products: list[catalog.ProductInfo], category: str, _: Translate) -> Any:
    """Two columns so it fits a phone: the item (with its unit) and the price (with the
    member price under it). One row group per category."""
    shown = [p for p in products if not category or p.category == category]
    groups = sorted({p.category for p in shown})
    return html.table(
        {"class": "table prices"},
        html.caption(_("Daftar harga toko koperasi")),
        html.thead(
            html.tr(
                html.th({"scope": "col"}, _("Barang")),
                html.th({"scope": "col", "class": "num"}, _("Harga")),
            )
        ),
        *[
            html.tbody(
                {"key": group},
                html.tr(html.th({"scope": "colgroup", "colSpan": 2, "class": "group"}, _(group))),
                *[
                    html.tr(
                        {"key": p.sku},
                        html.th(
                            {"scope": "row"},
                            p.name,
                            html.span({"class": "unit"}, _("per {unit}", unit=p.unit)),
                        ),
                        _price_cell(p, _),
                    )
                    for p in shown
                    if p.category == group
                ],
            )
            for group in groups
        ],
    )


@component
def KoperasiPage() -> Any:
    language, _ = use_i18n()
    slug = slug_from_path(use_location().path)
    loaded = use_loaded(f"koperasi:{slug}", _loader(slug))
    category, set_category = use_state("")

    if loaded.error:
        body: Any = html.section(
            html.h1(_("Koperasi tidak ditemukan")),
            error_box(_(loaded.error.message)),
            html.p(html.a({"href": "/"}, _("Kembali ke beranda"))),
        )
    elif loaded.value is None:
        body = loading(_)
    else:
        profile = loaded.value.profile
        products = loaded.value.products
        categories = sorted({p.category for p in products})
        body = html.article(
            html.nav(
                {"aria-label": _("Jejak navigasi"), "class": "breadcrumb"},
                html.a({"href": "/"}, profile.region.name),
                " › ",
                html.span(profile.name),
            ),
            html.h1(profile.name),
            html.p({"class": "tag"}, _(profile.kind_label)),
            html.p(profile.address),
            html.div(
                {"class": "stats"},
                stat(_("Anggota aktif"), profile.active_member_count),
                stat(_("Seluruh anggota"), profile.member_count),
                stat(_("Gerai"), len(profile.outlets)),
            ),
            html.h2(_("Gerai")),
            html.ul(
                {"class": "list"},
                *[
                    html.li({"key": o.code}, html.strong(o.name), html.br(), o.address)
                    for o in profile.outlets
                ],
            ),
            html.h2(_("Harga barang")),
            (
                html.div(
                    html.label({"for": "kategori"}, _("Kategori")),
                    html.select(
                        {
                            "id": "kategori",
                            "value": category,
                            "onChange": lambda event: set_category(target_value(event)),
                        },
                        html.option({"value": ""}, _("Semua kategori")),
                        *[html.option({"value": c, "key": c}, _(c)) for c in categories],
                    ),
                    html.div({"class": "table-wrap"}, _price_table(products, category, _)),
                )
                if products
                else html.p({"class": "muted"}, _("Koperasi ini belum memiliki toko."))
            ),
        )
    return page_frame(language, _, body)
