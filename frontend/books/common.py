"""What the books pages share: whose books a request reads (a pengurus their own koperasi,
a Dinas officer any koperasi of the region chosen with `?koperasi=<slug>`), the refusal
page for everyone else, money and table building blocks, the books' own navigation and
the koperasi chooser of an officer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response

from backend.accounts.domain import Role
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.formatting import rupiah
from backend.ledger.access import books_to_read
from backend.tenancy import service as tenancy
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    REGION_TZ,
    document,
    language_of_request,
    refusal_page,
    sign_in_redirect,
)

BOOKS_JS = "/static/books.js"
BOOKS_CSS = "/static/books.css"
MINUS = "\u2212"  # a real minus sign: screen readers say "minus"

REPORTS_PATH = "/pembukuan"
JOURNAL_PATH = "/pembukuan/jurnal"
CHART_PATH = "/pembukuan/akun"

NOT_ALLOWED = N_(
    "Pembukuan hanya dapat dibuka oleh pengurus koperasi dan petugas Dinas Koperasi. "
    "Bila Anda pengurus, pilih peran pengurus sebagai peran aktif di halaman Akun."
)


@dataclass(frozen=True)
class KoperasiChoice:
    slug: str
    name: str


@dataclass
class Books:
    """Whose books this request shows, and what the reader may do with them."""

    request: Request[Any, Any, Any]
    user: CurrentUser
    language: str
    _: Translate
    role: Role
    koperasi_id: int | None  # None: an officer who has not chosen a koperasi yet
    slug: str | None
    name: str
    choices: list[KoperasiChoice] = field(default_factory=list)  # an officer's region

    @property
    def is_dinas(self) -> bool:
        return self.role is Role.DINAS

    @property
    def can_write(self) -> bool:
        """Only pengurus keep their own books; officers read."""
        return self.role is Role.PENGURUS

    def link(self, path: str, **params: str | None) -> str:
        """`path` with `params` (empty ones left out), keeping an officer's koperasi."""
        query = {k: v for k, v in params.items() if v}
        if self.is_dinas and self.slug:
            query = {"koperasi": self.slug, **query}
        return path + ("?" + urlencode(query) if query else "")


def today() -> date:
    """Today on the region's wall clock."""
    return datetime.now(REGION_TZ).date()


async def region_choices(region_id: int) -> list[KoperasiChoice]:
    for region in await tenancy.list_regions():
        if region.id == region_id:
            return [
                KoperasiChoice(k.slug, k.name)
                for k in (await tenancy.region_directory(region.slug))[1]
            ]
    return []


async def books_of(request: Request[Any, Any, Any], slug: str | None) -> Books | Response[Any]:
    """Whose books `request` may read, or the answer to send instead: the sign-in page for
    an anonymous visitor, a friendly refusal for a role without books or a koperasi the
    reader may not see."""
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    slug = slug.strip() if slug and slug.strip() else None
    if actor is None or actor.role not in (Role.PENGURUS, Role.DINAS):
        return refusal_page(request, user, language, 403, _("Tidak diizinkan"), _(NOT_ALLOWED))
    choices = await region_choices(actor.region_id) if actor.role is Role.DINAS else []
    if actor.role is Role.DINAS and slug is None:
        return Books(request, user, language, _, actor.role, None, None, "", choices)
    try:
        koperasi_id = await books_to_read(actor, slug)
    except AppError as error:
        title = _("Tidak diizinkan") if error.status == 403 else _("Koperasi tidak ditemukan")
        return refusal_page(request, user, language, error.status, title, _(error.message))
    if actor.role is Role.DINAS:
        name = next((c.name for c in choices if c.slug == slug), slug or "")
    else:
        active = user.active
        name = (active.koperasi_name if active else None) or ""
        slug = active.koperasi_slug if active else None
    return Books(request, user, language, _, actor.role, koperasi_id, slug, name, choices)


def books_document(
    books: Books, *, title: str, main_html: str, scripts: tuple[str, ...] = ()
) -> Response[str]:
    stylesheet = el("link", rel="stylesheet", href=BOOKS_CSS)
    return document(
        books.request,
        language=books.language,
        _=books._,
        title=title,
        main_html=stylesheet + main_html,
        user=books.user,
        scripts=scripts,
        status=200,
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": books.user.csrf_token},
    )


def money(amount: int) -> str:
    """`Rp 1.500.000`; a negative amount `−Rp 1.500` (with a minus sign, everywhere in the
    books pages and their script)."""
    return (MINUS if amount < 0 else "") + rupiah(abs(amount))


IMPORT_PATH = "/pembukuan/impor"  # frontend/import_pages.py


def books_nav(books: Books, current: str) -> str:
    """The books' own navigation: statements, journal, chart."""
    _ = books._
    items = [
        (REPORTS_PATH, _("Laporan keuangan")),
        (JOURNAL_PATH, _("Jurnal umum")),
        (CHART_PATH, _("Bagan akun")),
    ]
    if books.can_write:
        items.append((IMPORT_PATH, _("Impor dari Excel")))
    links = [
        el(
            "li",
            tx(
                "a",
                label,
                href=books.link(path),
                class_="books-nav-link",
                aria_current="page" if path == current else None,
            ),
        )
        for path, label in items
    ]
    return el("nav", el("ul", *links, class_="books-nav"), aria_label=_("Pembukuan"))


def heading(books: Books, title: str) -> str:
    """The page's h1 and whose books these are."""
    _ = books._
    whose = ""
    if books.koperasi_id is not None:
        who = (
            _("Dibuka oleh Dinas Koperasi: hanya baca.")
            if books.is_dinas
            else _("Anda pengurus koperasi ini.")
        )
        whose = el(
            "p",
            tx("strong", books.name),
            el("br"),
            tx("span", who, class_="muted"),
            class_="lead",
        )
    return tx("h1", title) + whose


def koperasi_chooser(
    books: Books, action: str, keep: Iterable[tuple[str, str]] = (), *, inline: bool = False
) -> str:
    """An officer's choice of koperasi (a GET form to `action`, keeping `keep`). `inline`:
    only the field, for a form that has its own button."""
    if not books.is_dinas:
        return ""
    _ = books._
    options = [tx("option", _("Pilih koperasi…"), value="", selected=books.slug is None)]
    options += [
        tx("option", choice.name, value=choice.slug, selected=choice.slug == books.slug)
        for choice in books.choices
    ]
    select = el("select", *options, id="koperasi", name="koperasi", required=True)
    chooser = el(
        "div",
        tx("label", _("Koperasi"), for_="koperasi"),
        select,
        tx(
            "p",
            _("Koperasi di wilayah Anda. Petugas Dinas hanya membaca pembukuan."),
            id="koperasi-hint",
            class_="hint",
        ),
        class_="field",
    )
    if inline:
        return chooser
    hidden = "".join(el("input", type="hidden", name=k, value=v) for k, v in keep)
    return el(
        "form",
        chooser,
        hidden,
        tx("button", _("Buka pembukuan"), type="submit", class_="button"),
        method="get",
        action=action,
        class_="panel chooser",
    )


def choose_first(books: Books) -> str:
    _ = books._
    if not books.choices:
        return tx("p", _("Belum ada koperasi di wilayah Anda."), class_="notice")
    return tx(
        "p",
        _("Pilih koperasi yang pembukuannya ingin Anda lihat."),
        class_="notice",
        id="choose-koperasi",
    )


def scroll_table(table: str, caption_id: str) -> str:
    """A wide table scrolls sideways inside its own box (a keyboard can scroll it too)."""
    return el(
        "div",
        table,
        class_="table-wrap",
        role="region",
        aria_labelledby=caption_id,
        tabindex="0",
    )


def header_row(labels: Sequence[str], numeric_from: int) -> str:
    return el(
        "thead",
        el(
            "tr",
            *[
                tx("th", label, scope="col", class_="num" if i >= numeric_from else None)
                for i, label in enumerate(labels)
            ],
        ),
    )


def amount_cells(amounts: Sequence[int]) -> str:
    return "".join(tx("td", money(a), class_="num negative" if a < 0 else "num") for a in amounts)
