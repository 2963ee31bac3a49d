"""`/berita`, plain HTML (decision 0017).

Signed in: the person's feed (their region's Dinas news and, for koperasi roles, their
koperasi's), newest first, a page at a time ("Berita lebih lama" is a keyset link). A
pengurus also writes to their koperasi's people and a Dinas officer to the region (and, if
they choose, the public page): drafts, publish (push to the audience), change, delete.
Not signed in: the Dinas news marked public. Personal when signed in (`no-store`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.params import QueryParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.guards import PUBLIC
from backend.accounts.web import user_of
from backend.outreach import news
from backend.outreach.domain import NEWS_BODY_MAX, NewsScope
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.outreach_common import (
    OUTREACH_JS,
    Notice,
    api_button,
    dinas_tabs,
    markup_hint,
    message_area,
    messages,
    notice_text,
    section_messages,
    stylesheet,
    submit,
    time_element,
)
from frontend.personal import (
    PERSONAL_HEADERS,
    PUBLIC_HEADERS,
    document,
    field,
    language_of_request,
    noscript,
    panel,
)

PAGE_SIZE = 15

NOTICES: dict[str, str] = {
    "draf": N_("Berita disimpan sebagai draf."),
    "terbit": N_("Berita terbit dan dikirim sebagai notifikasi."),
    "disimpan": N_("Perubahan berita disimpan."),
    "dihapus": N_("Berita dihapus."),
}

Before = Annotated[str | None, QueryParameter(name="sebelum", max_length=40)]
Edit = Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)]


def post_html(item: news.NewsItem, language: str, _: Translate) -> str:
    meta = [tx("span", item.author_org)]
    if item.published_at:
        meta += [" · ", time_element(item.published_at, language)]
    if item.scope == NewsScope.WILAYAH.value and item.public:
        meta += [" · ", tx("span", _("Publik"), class_="tag")]
    return el(
        "article",
        tx("h2", item.title, id=f"berita-{item.id}-judul"),
        el("p", *meta, class_="muted small"),
        el("div", item.body_html, class_="prose"),
        class_="news-post card",
        id=f"berita-{item.id}",
        aria_labelledby=f"berita-{item.id}-judul",
    )


def _feed(page: news.NewsPage, language: str, _: Translate, empty: str) -> str:
    if not page.items:
        return tx("p", empty, class_="muted")
    more = ""
    if page.next_before:
        more = el(
            "p",
            tx(
                "a",
                _("Berita lebih lama"),
                href="/berita?" + urlencode({"sebelum": page.next_before}),
                class_="button button-secondary",
            ),
            class_="actions",
        )
    return (
        el(
            "ol",
            *[el("li", post_html(i, language, _)) for i in page.items],
            class_="news-feed plain-list",
        )
        + more
    )


def _writer_form(actor: Actor, editing: news.NewsItem | None, _: Translate) -> str:
    dinas = actor.role is Role.DINAS
    controls = [
        section_messages(),
        field(
            _("Judul"),
            el(
                "input",
                id="news-title",
                data_field="title",
                required=True,
                maxlength=200,
                value=editing.title if editing else "",
            ),
            "news-title",
        ),
        field(
            _("Isi berita"),
            tx(
                "textarea",
                editing.body if editing else "",
                id="news-body",
                data_field="body",
                required=True,
                rows=8,
                maxlength=NEWS_BODY_MAX,
                aria_describedby="news-body-hint",
            ),
            "news-body",
            markup_hint(_),
        ),
    ]
    if dinas:
        controls.append(
            el(
                "div",
                el(
                    "label",
                    el(
                        "input",
                        type="checkbox",
                        id="news-public",
                        data_field="public",
                        data_type="bool",
                        checked=bool(editing and editing.public),
                    ),
                    " " + tx("span", _("Tampilkan juga di halaman publik (tanpa masuk)")),
                    class_="choice",
                ),
                class_="field",
            )
        )
    if editing is not None:
        buttons = [submit(_("Simpan perubahan"))]
        if editing.published_at is None:
            buttons.append(
                api_button(
                    _("Terbitkan"),
                    f"POST /api/v1/news/{editing.id}/publish",
                    "terbit",
                    confirm=_("Terbitkan berita ini dan kirim notifikasinya?"),
                    secondary=True,
                    next_path="/berita",
                )
            )
        buttons.append(tx("a", _("Batal"), href="/berita", class_="button button-secondary"))
        spec, notice = f"PUT /api/v1/news/{editing.id}", "disimpan"
    else:
        buttons = [
            submit(
                _("Terbitkan"),
                extra={"publish": True},
                data_notice="terbit",
                data_confirm=_("Terbitkan berita ini dan kirim notifikasinya?"),
            ),
            submit(
                _("Simpan draf"),
                extra={"publish": False},
                data_notice="draf",
                class_="button button-secondary",
            ),
        ]
        spec, notice = "POST /api/v1/news", "draf"
    audience = (
        _("Untuk semua orang di wilayah Anda: petugas Dinas, pengurus, kasir dan anggota.")
        if dinas
        else _("Untuk pengurus, kasir dan anggota koperasi Anda saja.")
    )
    return panel(
        "write-heading",
        _("Ubah berita") if editing else _("Tulis berita"),
        tx("p", audience, class_="muted"),
        el(
            "form",
            *controls,
            el("p", *buttons, class_="actions"),
            data_api=spec,
            data_notice=notice,
            data_next="/berita" if editing is not None else None,
            id="news-form",
        ),
    )


def _managed(items: list[news.NewsItem], language: str, _: Translate) -> str:
    if not items:
        return ""
    rows = []
    for item in items:
        state = (
            tx("span", _("Draf"), class_="tag tag-draft")
            if item.published_at is None
            else time_element(item.published_at, language)
        )
        rows.append(
            el(
                "li",
                tx("strong", item.title),
                " ",
                state,
                el(
                    "p",
                    tx(
                        "a",
                        _("Ubah"),
                        href=f"/berita?ubah={item.id}#write-heading",
                        class_="button button-secondary",
                        aria_label=_("Ubah {title}", title=item.title),
                    ),
                    " ",
                    api_button(
                        _("Hapus"),
                        f"DELETE /api/v1/news/{item.id}",
                        "dihapus",
                        confirm=_("Hapus berita {title}?", title=item.title),
                        danger=True,
                        aria_label=_("Hapus {title}", title=item.title),
                    ),
                    class_="actions",
                ),
            )
        )
    return panel(
        "managed-heading",
        _("Berita yang Anda kelola"),
        el("div", section_messages(), data_messages=True),
        el("ul", *rows, class_="plain-list"),
    )


@get("/berita", include_in_schema=False, opt=PUBLIC, name="news_page")
async def news_page(
    request: Request[Any, Any, Any],
    sebelum: Before = None,
    ubah: Edit = None,
    pesan: Notice = None,
) -> Response[str]:
    user = user_of(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor if user is not None else None
    if user is None or actor is None:
        page = await news.feed(None, sebelum, PAGE_SIZE)
        main = (
            stylesheet()
            + tx("h1", _("Berita"))
            + tx("p", _("Pengumuman Dinas Koperasi untuk umum."), class_="lead")
            + _feed(page, language, _, _("Belum ada berita untuk umum."))
            + (
                el(
                    "p",
                    tx(
                        "a",
                        _("Masuk untuk membaca berita koperasi Anda"),
                        href="/masuk?next=/berita",
                        class_="button button-secondary",
                    ),
                    class_="actions",
                )
                if user is None
                else ""
            )
        )
        return document(
            request,
            language=language,
            _=_,
            title=_("Berita"),
            main_html=main,
            user=user,
            scripts=(),
            headers=PUBLIC_HEADERS if user is None else PERSONAL_HEADERS,
        )
    page = await news.feed(actor, sebelum, PAGE_SIZE)
    writes = actor.role in (Role.PENGURUS, Role.DINAS)
    writer = managed = ""
    if writes:
        items = await news.managed(actor)
        editing = next((i for i in items if i.id == ubah), None)
        writer = _writer_form(actor, editing, _)
        managed = _managed(items, language, _)
    tabs = dinas_tabs("/berita", _) if actor.role is Role.DINAS else ""
    shortcuts = el(
        "p",
        tx("a", _("Pelatihan"), href="/pelatihan", class_="button button-secondary"),
        " ",
        tx("a", _("Edukasi"), href="/edukasi", class_="button button-secondary"),
        class_="actions",
    )
    feed = panel(
        "feed-heading",
        _("Terbaru"),
        _feed(page, language, _, _("Belum ada berita.")),
    )
    main = (
        stylesheet()
        + tabs
        + tx("h1", _("Berita"))
        + tx(
            "p",
            _("Pengumuman koperasi Anda dan Dinas Koperasi.")
            if actor.koperasi_id is not None and actor.role is not Role.DINAS
            else _("Pengumuman Dinas Koperasi untuk wilayah Anda."),
            class_="lead",
        )
        + (shortcuts if actor.role is not Role.DINAS else "")
        + (noscript(_) if writes else "")
        + message_area(notice_text(pesan, NOTICES, _))
        + el("div", writer, feed, managed, class_="panels")
        + (messages(_) if writes else "")
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Berita"),
        main_html=main,
        user=user,
        scripts=(OUTREACH_JS,) if writes else (),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


NEWS_PAGES = [news_page]
