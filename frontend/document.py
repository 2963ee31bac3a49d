"""The HTML document around every page: head (manifest, icons, styles), the pre-rendered
body, and the scripts. No inline script except the import map, whose hash the CSP allows."""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

from frontend.i18n import Translate

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


def head(title: str, language: str, description: str) -> str:
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
    )


def page(
    *,
    title: str,
    language: str,
    body_html: str,
    component: str | None,
    _: Translate,
) -> str:
    """A full document. `component` is the ReactPy root that takes over the pre-rendered
    body once its websocket is connected (None for a static page)."""
    mount = f' data-reactpy-component="{escape(component)}"' if component else ""
    return (
        f'<!doctype html><html lang="{escape(language)}"><head>'
        + head(title, language, _("Koroena: aplikasi koperasi untuk anggota, pengurus dan Dinas"))
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
