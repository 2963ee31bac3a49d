"""Building blocks of the plain-HTML pages a signed-in person uses (account, books,
savings): the document frame, panels, form fields, message boxes for the page scripts and
the caching headers that keep personal pages off shared phones' caches.

These pages are HTML with small scripts (no ReactPy): every action goes through the JSON
API under /api/v1 with the session's CSRF token, carried in `<meta name="csrf-token">`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.response import Redirect

from backend.accounts.sessions import CurrentUser
from backend.formatting import date_time
from backend.settings import Settings
from frontend.document import element as el
from frontend.document import frame_html, page
from frontend.document import text_element as tx
from frontend.i18n import Translate, language_from_headers, translator

PERSONAL_HEADERS = {
    "Cache-Control": "no-store",
    "Vary": "Cookie",
    "X-Robots-Tag": "noindex",
}
PUBLIC_HEADERS = {"Cache-Control": "no-cache", "Vary": "Cookie"}

# Times are shown on the wall clock of the region. Kota Mojokerto, the only region so far,
# is on WIB (UTC+7); a region's own zone belongs in its data once there are others.
REGION_TZ = timezone(timedelta(hours=7), "WIB")


def settings_of(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def language_of_request(request: Request[Any, Any, Any]) -> str:
    return language_from_headers(request.scope["headers"], settings_of(request).default_language)


def when(value: datetime, language: str) -> str:
    return date_time(value.astimezone(REGION_TZ), language) + " WIB"


def sign_in_redirect(request: Request[Any, Any, Any]) -> Redirect:
    here = request.url.path + ("?" + request.url.query if request.url.query else "")
    return Redirect("/masuk?next=" + quote(here), status_code=303, headers=PERSONAL_HEADERS)


def script_messages(_: Translate, messages: Mapping[str, str], keys: Iterable[str]) -> str:
    """What the page's scripts may say, in the page's language, by key (see app.js/
    passkey.js `text()`)."""
    items = "".join(tx("p", _(messages[key]), data_key=key) for key in keys)
    return el("template", items, id="koroena-messages")


def message_boxes() -> str:
    """Where the scripts speak: errors in an alert, progress and success in a status."""
    return el("div", id="message-alert", class_="error-box message", role="alert") + el(
        "div", id="message-status", class_="status-box message", role="status"
    )


def noscript(_: Translate) -> str:
    message = _("Halaman ini memerlukan JavaScript. Aktifkan JavaScript lalu muat ulang halaman.")
    return el("noscript", tx("p", message, class_="error-box"))


def field(label: str, control: str, control_id: str, hint: str = "", **attributes: Any) -> str:
    """A label, its control and an optional hint, stacked."""
    return el(
        "div",
        tx("label", label, for_=control_id),
        control,
        tx("p", hint, id=f"{control_id}-hint", class_="hint") if hint else "",
        class_="field",
        **attributes,
    )


def panel(heading_id: str, heading: str, *children: str, **attributes: Any) -> str:
    return el(
        "section",
        tx("h2", heading, id=heading_id),
        *children,
        class_="panel",
        aria_labelledby=heading_id,
        **attributes,
    )


def facts(rows: Iterable[tuple[str, str | None]]) -> str:
    return el(
        "dl",
        *[el("div", tx("dt", label), tx("dd", value)) for label, value in rows if value],
        class_="facts",
    )


def document(
    request: Request[Any, Any, Any],
    *,
    language: str,
    _: Translate,
    title: str,
    main_html: str,
    user: CurrentUser | None,
    scripts: tuple[str, ...],
    status: int = 200,
    headers: Mapping[str, str] = PERSONAL_HEADERS,
    meta: Mapping[str, str] | None = None,
) -> Response[str]:
    path = request.url.path
    here = path + ("?" + request.url.query if request.url.query else "")
    role = user.active.role.value if user is not None and user.active is not None else None
    body = frame_html(
        language, _, path, main_html, signed_in=user is not None, here=here, role=role
    )
    return Response(
        page(
            title=title + " · Koroena",
            language=language,
            body_html=body,
            component=None,
            _=_,
            scripts=scripts,
            meta=meta,
        ),
        status_code=status,
        media_type="text/html",
        headers=dict(headers),
    )


def refusal_page(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    language: str,
    status: int,
    title: str,
    message: str,
) -> Response[str]:
    """A personal page saying why it cannot be shown (403, 404), with the ways on."""
    _ = translator(language)
    main = el(
        "section",
        tx("h1", title),
        tx("p", message, class_="error-box"),
        el(
            "p",
            tx("a", _("Ke halaman Akun"), href="/akun", class_="button"),
            " ",
            tx("a", _("Kembali ke beranda"), href="/", class_="button button-secondary"),
            class_="actions",
        ),
        class_="narrow",
    )
    return document(
        request,
        language=language,
        _=_,
        title=title,
        main_html=main,
        user=user,
        scripts=(),
        status=status,
        headers=PERSONAL_HEADERS,
    )
