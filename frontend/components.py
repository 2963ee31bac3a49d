"""Building blocks shared by every ReactPy page: language, frame, navigation."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from reactpy import html, use_location, use_scope

from backend.formatting import number
from frontend.document import account_link, role_links
from frontend.i18n import LANGUAGES, Translate, language_from_headers, translator


def _default_language(scope: Any) -> str:
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    return getattr(settings, "default_language", "id")


def use_i18n() -> tuple[str, Translate]:
    """The language the person chose (cookie) and its translate function."""
    scope = use_scope()
    language = language_from_headers(scope.get("headers", []), _default_language(scope))
    return language, translator(language)


def target_value(event: dict[str, Any]) -> str:
    """The value of the element an event came from.

    ReactPy 2.0.0b13's client serializes a <select> as the list of its options (it looks
    array-like), so the chosen value is the option marked `selected`."""
    target = event.get("target")
    if isinstance(target, list):
        return next(
            (
                str(option.get("value", ""))
                for option in target
                if isinstance(option, dict) and option.get("selected")
            ),
            "",
        )
    if isinstance(target, dict):
        return str(target.get("value", ""))
    return ""


def nav_link(href: str, label: str, current_path: str) -> Any:
    is_current = current_path == href or (href != "/" and current_path.startswith(href))
    attributes: dict[str, Any] = {"href": href, "class": "nav-link"}
    if is_current:
        attributes["aria-current"] = "page"
    return html.li(html.a(attributes, label))


def language_switch(language: str, path: str, _: Translate) -> Any:
    other = "en" if language == "id" else "id"
    return html.a(
        {
            "href": f"/bahasa/{other}?next={quote(path)}",
            "class": "lang-switch",
            "hreflang": other,
            "lang": other,
            "aria-label": _("Ganti bahasa ke {language}", language=LANGUAGES[other]),
        },
        LANGUAGES[other],
    )


def page_frame(language: str, _: Translate, *children: Any) -> Any:
    """Header with brand and navigation, the page's main content, footer."""
    path = use_location().path or "/"
    # Set by the session middleware for the page request and for the live websocket alike.
    user = use_scope().get("state", {}).get("user")
    signed_in = user is not None
    account_href, account_label = account_link(signed_in, _)
    role = user.active.role.value if user is not None and user.active is not None else None
    return html.div(
        {"class": "frame"},
        html.header(
            {"class": "topbar"},
            html.a(
                {"href": "/", "class": "brand", "aria-label": _("Koroena, ke beranda")},
                html.img(
                    {"src": "/static/icons/icon-192.png", "alt": "", "width": 32, "height": 32}
                ),
                html.span("Koroena"),
            ),
            html.nav(
                {"aria-label": _("Navigasi utama")},
                html.ul(
                    {"class": "nav"},
                    nav_link("/", _("Beranda"), path),
                    nav_link("/tentang", _("Tentang"), path),
                    *[nav_link(href, label, path) for href, label in role_links(role, _)],
                    nav_link(account_href, account_label, path),
                ),
            ),
            language_switch(language, path, _),
        ),
        html.main({"id": "main", "class": "content", "tabindex": "-1"}, *children),
        html.footer(
            {"class": "footer"},
            html.p(_("Koroena — aplikasi koperasi terbuka untuk anggota, pengurus dan Dinas.")),
        ),
    )


def stat(label: str, value: int) -> Any:
    """A big figure with its label, as on the home and koperasi pages."""
    return html.div(
        {"class": "stat"},
        html.span({"class": "stat-value"}, number(value)),
        html.span({"class": "stat-label"}, label),
    )


def loading(_: Translate) -> Any:
    return html.p({"class": "muted", "role": "status"}, _("Memuat…"))


def error_box(message: str) -> Any:
    return html.div({"class": "error-box", "role": "alert"}, message)
