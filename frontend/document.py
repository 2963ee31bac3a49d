"""The HTML document around every page: head (manifest, icons, styles), the pre-rendered
body, and the scripts. No inline script except the import map, whose hash the CSP allows."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from html import escape
from urllib.parse import quote, urlsplit

from frontend.i18n import LANGUAGES, Translate

REACTPY_PREFIX = "/_reactpy/"
THEME_COLOR = "#0b6e4f"

# ReactPy's client imports "react"; the import map points it at ReactPy's bundled Preact.
IMPORT_MAP = json.dumps(
    {
        "imports": {
            "react": f"{REACTPY_PREFIX}static/preact.js",
            "react-dom": f"{REACTPY_PREFIX}static/preact-dom.js",
            "react-dom/client": f"{REACTPY_PREFIX}static/preact-dom.js",
            "react/jsx-runtime": f"{REACTPY_PREFIX}static/preact-jsx-runtime.js",
        }
    },
    separators=(",", ":"),
)
IMPORT_MAP_CSP_HASH = (
    "'sha256-" + base64.b64encode(hashlib.sha256(IMPORT_MAP.encode()).digest()).decode() + "'"
)


def head(
    title: str,
    language: str,
    description: str,
    scripts: Sequence[str] = (),
    meta: Mapping[str, str] | None = None,
) -> str:
    """`scripts`: extra module scripts (our own static files); `meta`: extra
    `<meta name=… content=…>` tags (e.g. the CSRF token of a personal page)."""
    return (
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">'
        f"<title>{escape(title)}</title>"
        f'<meta name="description" content="{escape(description)}">'
        f'<meta name="theme-color" content="{THEME_COLOR}">'
        '<link rel="manifest" href="/manifest.webmanifest">'
        '<link rel="icon" href="/static/icons/icon-192.png" type="image/png">'
        '<link rel="apple-touch-icon" href="/static/icons/icon-192.png">'
        '<link rel="stylesheet" href="/static/app.css">'
        f'<script type="importmap">{IMPORT_MAP}</script>'
        '<script type="module" src="/static/app.js"></script>'
        f'<meta name="koroena-language" content="{escape(language)}">'
        + "".join(
            f'<meta name="{escape(name)}" content="{escape(content)}">'
            for name, content in (meta or {}).items()
        )
        + "".join(f'<script type="module" src="{escape(src)}"></script>' for src in scripts)
    )


def page(
    *,
    title: str,
    language: str,
    body_html: str,
    component: str | None,
    _: Translate,
    scripts: Sequence[str] = (),
    meta: Mapping[str, str] | None = None,
) -> str:
    """A full document. `component` is the ReactPy root that takes over the pre-rendered
    body once its websocket is connected (None for a static page)."""
    mount = f' data-reactpy-component="{escape(component)}"' if component else ""
    return (
        f'<!doctype html><html lang="{escape(language)}"><head>'
        + head(
            title,
            language,
            _("Koroena: aplikasi koperasi untuk anggota, pengurus dan Dinas"),
            scripts,
            meta,
        )
        + "</head><body>"
        + '<a class="skip-link" href="#main">'
        + escape(_("Langsung ke konten"))
        + "</a>"
        + '<div class="offline-banner" id="offline-banner" role="status" hidden>'
        + escape(_("Anda sedang offline. Data yang tampil mungkin bukan yang terbaru."))
        + "</div>"
        + f'<div id="app"{mount}>{body_html}</div>'
        + "</body></html>"
    )


def local_path(target: str, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: an open redirect would let
    others borrow our domain. Browsers read a backslash as a slash, so "/\\evil" would be
    "//evil" to them."""
    parts = urlsplit(target)
    is_local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if is_local and not parts.netloc and not parts.scheme else default


Attribute = str | int | bool | None


def element(tag: str, *children: str, **attributes: Attribute) -> str:
    """`<tag …>children</tag>`. Children are HTML (escape text with `text_element()` or
    `escape()`); attribute values are escaped here. Attribute names: a trailing underscore
    is dropped and underscores become hyphens (`class_`, `aria_label`, `data_next`); True
    writes a bare attribute, None and False leave it out. Void elements get no end tag."""
    parts = [tag]
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(key if value is True else f'{key}="{escape(str(value))}"')
    start = "<" + " ".join(parts) + ">"
    if tag in VOID_ELEMENTS:
        return start
    return start + "".join(children) + f"</{tag}>"


def text_element(tag: str, content: str, **attributes: Attribute) -> str:
    """An element holding plain text (escaped)."""
    return element(tag, escape(content), **attributes)


VOID_ELEMENTS = frozenset({"br", "img", "input", "meta", "link", "hr"})


def account_link(signed_in: bool, _: Translate) -> tuple[str, str]:
    """The header's account item: "Akun" for a signed-in person, else "Masuk". Never the
    person's name: the header is the same on a shared phone and in cached pages."""
    return ("/akun", _("Akun")) if signed_in else ("/masuk", _("Masuk"))


def role_links(role: str | None, _: Translate) -> list[tuple[str, str]]:
    """The header's work items for the active role: the books for pengurus and Dinas,
    the savings counter and the shop for pengurus and kasir (the till for kasir), their
    own savings for an anggota, the news for everyone signed in (the Dinas also writes
    education material and plans trainings there). No role (the public): education and
    trainings."""
    links = {
        "": [
            ("/edukasi", _("Edukasi")),
            ("/pelatihan", _("Pelatihan")),
            ("/pengaduan", _("Pengaduan")),
        ],
        "pengurus": [
            ("/pembukuan", _("Pembukuan")),
            ("/simpanan/loket", _("Simpanan")),
            ("/toko", _("Toko")),
            ("/pinjaman/kelola", _("Pinjaman")),
            ("/shu", _("SHU & RAT")),
            ("/laporan", _("Laporan Dinas")),
            ("/rekam", _("Rekam koperasi")),
            ("/konsultasi", _("Konsultasi")),
            ("/berita", _("Berita")),
        ],
        "dinas": [
            ("/pembukuan", _("Pembukuan")),
            ("/pengawasan/laporan", _("Laporan koperasi")),
            ("/pengawasan", _("Pengawasan")),
            ("/pengawasan/pengaduan", _("Pengaduan")),
            ("/berita", _("Berita & diklat")),
        ],
        "kasir": [
            ("/kasir", _("Kasir")),
            ("/simpanan/loket", _("Simpanan")),
            ("/toko/stok", _("Stok")),
            ("/pinjaman/kelola", _("Pinjaman")),
            ("/berita", _("Berita")),
        ],
        "anggota": [
            ("/simpanan", _("Simpanan saya")),
            ("/pinjaman", _("Pinjaman saya")),
            ("/shu/saya", _("SHU saya")),
            ("/berita", _("Berita")),
        ],
    }
    return links.get(role or "", [])


def _nav_item(href: str, label: str, current_path: str) -> str:
    is_current = current_path == href or (href != "/" and current_path.startswith(href))
    link = text_element(
        "a", label, href=href, class_="nav-link", aria_current="page" if is_current else None
    )
    return element("li", link)


def frame_html(
    language: str,
    _: Translate,
    path: str,
    main_html: str,
    *,
    signed_in: bool | None,
    language_switch: bool = True,
    here: str | None = None,
    role: str | None = None,
) -> str:
    """The frame of a page that is plain HTML (no ReactPy): the same header, navigation
    and footer as `frontend.components.page_frame`. `signed_in=None`: not known (the
    offline page, which is cached for everyone), so no account item. `here`: where the
    language switch returns to (default `path`; e.g. with the page's query string).
    `role`: the signed-in person's active role, for the work items of the header."""
    items = [("/", _("Beranda")), ("/tentang", _("Tentang")), *role_links(role, _)]
    if signed_in is not None:
        items.append(account_link(signed_in, _))
    nav = "".join(_nav_item(href, label, path) for href, label in items)
    switch = ""
    if language_switch:
        other = "en" if language == "id" else "id"
        switch = text_element(
            "a",
            LANGUAGES[other],
            href=f"/bahasa/{other}?next={quote(here or path)}",
            class_="lang-switch",
            hreflang=other,
            lang=other,
            aria_label=_("Ganti bahasa ke {language}", language=LANGUAGES[other]),
        )
    brand = element(
        "a",
        element("img", src="/static/icons/icon-192.png", alt="", width=32, height=32),
        element("span", "Koroena"),
        href="/",
        class_="brand",
        aria_label=_("Koroena, ke beranda"),
    )
    header = element(
        "header",
        brand,
        element("nav", element("ul", nav, class_="nav"), aria_label=_("Navigasi utama")),
        switch,
        class_="topbar",
    )
    footer = _("Koroena — aplikasi koperasi terbuka untuk anggota, pengurus dan Dinas.")
    return element(
        "div",
        header,
        element("main", main_html, id="main", class_="content", tabindex="-1"),
        element(
            "footer",
            text_element("p", footer),
            # Public complaints (decision 0019): reachable from every page, signed in or not.
            element(
                "p",
                text_element("a", _("Pengaduan & konsultasi"), href="/pengaduan"),
            ),
            class_="footer",
        ),
        class_="frame",
    )
