"""Education pages, plain HTML (decision 0017):

- `/edukasi` (public) — published material, newest first, filtered by topic, a page at a
  time ("Lebih lama" follows a keyset link; no script needed).
- `/edukasi/{slug}` (public) — one article: its text (the safe Markdown subset rendered
  on the server), its PDFs and links. Once opened it reads offline: the service worker
  keeps the page and the PDFs it names in `X-Koroena-Offline` (decision 0005/0017). A
  draft is shown only to the officers of its region, never cached.
- `/edukasi/berkas/{id}/{name}` (public) — a PDF of a published article.
- `/pengawasan/edukasi` — the Dinas officers' desk: their region's articles, a form to
  write or change one, its PDFs, publish / take back / delete."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from litestar import Request, Response, get
from litestar.params import PathParameter, QueryParameter

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE, PUBLIC
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.outreach import education
from backend.outreach.domain import (
    ARTICLE_BODY_MAX,
    ATTACHMENT_MAX_BYTES,
    SUMMARY_MAX,
    ArticleStatus,
    EduTopic,
)
from backend.supervision.documents import content_disposition, size_text
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.outreach_common import (
    OUTREACH_JS,
    Notice,
    api_button,
    day,
    dinas_tabs,
    markup_hint,
    message_area,
    messages,
    notice_text,
    section_messages,
    stylesheet,
    submit,
)
from frontend.personal import (
    PERSONAL_HEADERS,
    PUBLIC_HEADERS,
    document,
    field,
    language_of_request,
    noscript,
    panel,
    refusal_page,
    sign_in_redirect,
)

OFFLINE_HEADER = "X-Koroena-Offline"
PAGE_SIZE = 12

NOTICES: dict[str, str] = {
    "dibuat": N_("Materi disimpan sebagai draf. Lampirkan PDF bila perlu, lalu terbitkan."),
    "disimpan": N_("Perubahan materi disimpan."),
    "terbit": N_("Materi terbit dan diumumkan ke wilayah Anda."),
    "ditarik": N_("Materi ditarik menjadi draf."),
    "dihapus": N_("Draf materi dihapus."),
    "lampiran": N_("PDF dilampirkan."),
    "lampiran_dihapus": N_("Lampiran dihapus."),
}


def _topic_label(topic: str, _: Translate) -> str:
    return _(EduTopic(topic).label)


def _topic_links(current: EduTopic | None, _: Translate) -> str:
    items = [(None, _("Semua topik"))] + [(t, _(t.label)) for t in EduTopic]
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
                        href="/edukasi" + (f"?topik={topic.value}" if topic else ""),
                        class_="chip",
                        aria_current="page" if topic == current else None,
                    ),
                )
                for topic, label in items
            ],
            class_="chips",
        ),
        aria_label=_("Topik"),
    )


def _card(card: education.ArticleCard, language: str, _: Translate) -> str:
    meta = [_topic_label(card.topic, _)]
    if card.published_at:
        meta.append(day(card.published_at, language))
    if card.attachments:
        meta.append(_("{count} PDF", count=card.attachments))
    return el(
        "li",
        el(
            "article",
            el("h2", tx("a", card.title, href=card.url), class_="card-title"),
            tx("p", " · ".join(meta), class_="muted"),
            tx("p", card.summary) if card.summary else "",
            tx("p", card.dinas_name, class_="muted small"),
            class_="card",
        ),
    )


Topic = Annotated[str | None, QueryParameter(name="topik", max_length=20)]
Before = Annotated[str | None, QueryParameter(name="sebelum", max_length=40)]


@get("/edukasi", include_in_schema=False, opt=PUBLIC, name="education_page")
async def education_page(
    request: Request[Any, Any, Any], topik: Topic = None, sebelum: Before = None
) -> Response[str]:
    user = user_of(request)
    language = language_of_request(request)
    _ = translator(language)
    topic = next((t for t in EduTopic if t.value == topik), None)
    page = await education.published(topic, sebelum, PAGE_SIZE)
    heading = _("Edukasi koperasi")
    items = [_card(c, language, _) for c in page.items]
    more = ""
    if page.next_before:
        query = {"sebelum": page.next_before, **({"topik": topic.value} if topic else {})}
        more = el(
            "p",
            tx(
                "a",
                _("Materi lebih lama"),
                href="/edukasi?" + urlencode(query),
                class_="button button-secondary",
            ),
            class_="actions",
        )
    empty = tx(
        "p",
        _("Belum ada materi untuk topik ini.") if topic else _("Belum ada materi edukasi."),
        class_="muted",
    )
    main = (
        stylesheet()
        + tx("h1", heading)
        + tx(
            "p",
            _(
                "Materi dari Dinas Koperasi: bacaan, PDF dan tautan. Materi yang pernah Anda "
                "buka tetap bisa dibaca tanpa sinyal."
            ),
            class_="lead",
        )
        + _topic_links(topic, _)
        + (el("ul", *items, class_="cards articles") if items else empty)
        + more
    )
    title = heading if topic is None else f"{heading}: {_topic_label(topic.value, _)}"
    return document(
        request,
        language=language,
        _=_,
        title=title,
        main_html=main,
        user=user,
        scripts=(),
        headers=PUBLIC_HEADERS,
    )


def article_html(found: education.ArticleOut, language: str, _: Translate) -> str:
    meta = [_topic_label(found.topic, _), found.dinas_name]
    if found.published_at:
        meta.append(day(found.published_at, language))
    files = ""
    if found.attachments:
        files = panel(
            "files-heading",
            _("Berkas PDF"),
            el(
                "ul",
                *[
                    el(
                        "li",
                        tx("a", a.filename, href=a.url, class_="file-link"),
                        " ",
                        tx("span", f"(PDF, {a.size_text})", class_="muted"),
                    )
                    for a in found.attachments
                ],
                class_="plain-list",
            ),
        )
    links = ""
    if found.links:
        links = panel(
            "links-heading",
            _("Tautan"),
            el(
                "ul",
                *[
                    el(
                        "li",
                        tx(
                            "a",
                            link.title,
                            href=link.url,
                            rel="noopener noreferrer nofollow",
                            class_="external",
                        ),
                    )
                    for link in found.links
                ],
                class_="plain-list",
            ),
            tx("p", _("Tautan ke situs lain perlu sinyal."), class_="muted small"),
        )
    return el(
        "article",
        el(
            "nav",
            tx("a", _("Semua materi"), href="/edukasi"),
            " / ",
            tx("a", _topic_label(found.topic, _), href=f"/edukasi?topik={found.topic}"),
            class_="breadcrumb",
            aria_label=_("Remah roti"),
        ),
        tx("h1", found.title),
        tx("p", " · ".join(meta), class_="muted"),
        tx("p", found.summary, class_="lead") if found.summary else "",
        el("div", found.body_html, class_="prose"),
        files,
        links,
        class_="article",
    )


@get("/edukasi/{slug:str}", include_in_schema=False, opt=PUBLIC, name="education_article_page")
async def education_article_page(
    request: Request[Any, Any, Any], slug: Annotated[str, PathParameter(max_length=100)]
) -> Response[str]:
    user = user_of(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor if user is not None else None
    try:
        found = await education.article_by_slug(slug, actor)
    except AppError:
        main = (
            tx("h1", _("Materi tidak ditemukan"))
            + tx(
                "p",
                _("Materi ini tidak ada atau sudah ditarik oleh Dinas."),
                class_="error-box",
            )
            + el(
                "p",
                tx("a", _("Lihat semua materi"), href="/edukasi", class_="button"),
                class_="actions",
            )
        )
        return document(
            request,
            language=language,
            _=_,
            title=_("Materi tidak ditemukan"),
            main_html=main,
            user=user,
            scripts=(),
            status=404,
            headers={**PUBLIC_HEADERS, "Cache-Control": "no-store"},
        )
    draft = found.status != ArticleStatus.TERBIT.value
    notice = ""
    if draft:
        notice = tx(
            "p",
            _("Draf: hanya petugas Dinas wilayah ini yang dapat melihatnya."),
            class_="notice",
        ) + el(
            "p",
            tx("a", _("Kembali ke meja edukasi"), href=f"/pengawasan/edukasi?ubah={found.id}"),
        )
    headers = dict(PERSONAL_HEADERS) if draft else dict(PUBLIC_HEADERS)
    if not draft and found.attachments:
        # The service worker keeps these with the page, so its PDFs read offline too.
        headers[OFFLINE_HEADER] = " ".join(quote(a.url) for a in found.attachments)
    return document(
        request,
        language=language,
        _=_,
        title=found.title,
        main_html=stylesheet() + notice + article_html(found, language, _),
        user=user,
        scripts=(),
        headers=headers,
    )


@get(
    "/edukasi/berkas/{attachment_id:int}/{name:str}",
    include_in_schema=False,
    opt=PUBLIC,
    name="education_file",
)
async def education_file(
    request: Request[Any, Any, Any],
    attachment_id: Annotated[int, PathParameter(ge=1, le=2**31 - 1)],
    name: Annotated[str, PathParameter(max_length=200)],
) -> Response[bytes]:
    user = user_of(request)
    actor = user.actor if user is not None else None
    try:
        stored = await education.attachment_file(attachment_id, actor)
    except AppError:
        return Response(
            b"Berkas tidak ditemukan.",
            status_code=404,
            media_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )
    # Every file is its own row, never changed: a published one may be kept for long.
    # (A draft's file is for its region's officers only: not kept anywhere.)
    public = stored.published
    return Response(
        stored.content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": "inline"
            + content_disposition(stored.filename)[len("attachment") :],
            "Cache-Control": "public, max-age=604800, immutable" if public else "no-store",
            "ETag": f'"{stored.sha256}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


# /pengawasan/edukasi


def _topic_options(current: str, _: Translate) -> str:
    return "".join(
        tx("option", _(t.label), value=t.value, selected=t.value == current) for t in EduTopic
    )


def _links_text(found: education.ArticleOut | None) -> str:
    if found is None:
        return ""
    return "\n".join(
        f"{link.title} | {link.url}" if link.title != link.url else link.url for link in found.links
    )


def _article_form(found: education.ArticleOut | None, _: Translate) -> str:
    editing = found is not None
    spec = (
        f"PUT /api/v1/education/articles/{found.id}" if found else "POST /api/v1/education/articles"
    )
    prefix = "article"
    return el(
        "form",
        section_messages(),
        field(
            _("Judul"),
            el(
                "input",
                id=f"{prefix}-title",
                data_field="title",
                required=True,
                maxlength=200,
                value=found.title if found else "",
            ),
            f"{prefix}-title",
        ),
        field(
            _("Topik"),
            el(
                "select",
                _topic_options(found.topic if found else EduTopic.DASAR.value, _),
                id=f"{prefix}-topic",
                data_field="topic",
            ),
            f"{prefix}-topic",
        ),
        field(
            _("Ringkasan"),
            tx(
                "textarea",
                found.summary if found else "",
                id=f"{prefix}-summary",
                data_field="summary",
                rows=2,
                maxlength=SUMMARY_MAX,
                aria_describedby=f"{prefix}-summary-hint",
            ),
            f"{prefix}-summary",
            _("Satu-dua kalimat yang tampil di daftar materi dan di notifikasi."),
        ),
        field(
            _("Isi"),
            tx(
                "textarea",
                found.body if found else "",
                id=f"{prefix}-body",
                data_field="body",
                rows=12,
                maxlength=ARTICLE_BODY_MAX,
                aria_describedby=f"{prefix}-body-hint",
            ),
            f"{prefix}-body",
            markup_hint(_),
        ),
        field(
            _("Tautan"),
            tx(
                "textarea",
                _links_text(found),
                id=f"{prefix}-links",
                data_field="links",
                data_type="links",
                rows=3,
                aria_describedby=f"{prefix}-links-hint",
            ),
            f"{prefix}-links",
            _("Satu tautan per baris: Nama tautan | https://alamat"),
        ),
        submit(_("Simpan perubahan") if editing else _("Simpan draf")),
        data_api=spec,
        data_notice="disimpan" if editing else "dibuat",
        data_next=None if editing else "/pengawasan/edukasi?ubah={id}",
        id="article-form",
    )


def _attachments_section(found: education.ArticleOut, _: Translate) -> str:
    rows = [
        el(
            "li",
            tx("a", a.filename, href=a.url),
            " ",
            tx("span", f"(PDF, {a.size_text})", class_="muted"),
            " ",
            api_button(
                _("Hapus"),
                f"DELETE /api/v1/education/attachments/{a.id}",
                "lampiran_dihapus",
                confirm=_("Hapus lampiran {name}?", name=a.filename),
                secondary=True,
                aria_label=_("Hapus lampiran {name}", name=a.filename),
            ),
            class_="file-row",
        )
        for a in found.attachments
    ]
    upload = el(
        "form",
        section_messages(),
        field(
            _("Berkas PDF"),
            el(
                "input",
                type="file",
                id="attachment-file",
                accept="application/pdf,.pdf",
                required=True,
                aria_describedby="attachment-file-hint",
            ),
            "attachment-file",
            _("PDF paling besar {size}.", size=size_text(ATTACHMENT_MAX_BYTES)),
        ),
        submit(_("Lampirkan PDF")),
        data_api=f"POST /api/v1/education/articles/{found.id}/attachments",
        data_upload=True,
        data_notice="lampiran",
        id="attachment-form",
    )
    return panel(
        "attachments-heading",
        _("Lampiran PDF"),
        el("ul", *rows, class_="plain-list")
        if rows
        else tx("p", _("Belum ada lampiran."), class_="muted"),
        upload,
    )


def _actions(found: education.ArticleOut, _: Translate) -> str:
    base = f"/api/v1/education/articles/{found.id}"
    if found.status == ArticleStatus.TERBIT.value:
        buttons = [
            tx("a", _("Lihat halaman publik"), href=found.url, class_="button button-secondary"),
            api_button(
                _("Tarik menjadi draf"),
                f"POST {base}/unpublish",
                "ditarik",
                confirm=_("Tarik materi ini dari halaman publik?"),
                secondary=True,
            ),
        ]
    else:
        buttons = [
            tx("a", _("Pratinjau"), href=found.url, class_="button button-secondary"),
            api_button(
                _("Terbitkan"),
                f"POST {base}/publish",
                "terbit",
                confirm=_("Terbitkan materi ini? Semua orang di wilayah Anda diberi tahu."),
            ),
            api_button(
                _("Hapus draf"),
                f"DELETE {base}",
                "dihapus",
                confirm=_("Hapus draf ini beserta lampirannya?"),
                danger=True,
                next_path="/pengawasan/edukasi",
            ),
        ]
    return el(
        "div",
        section_messages(),
        el("p", *buttons, class_="actions"),
        data_messages=True,
    )


def _article_list(
    cards: list[education.ArticleCard], current: int | None, language: str, _: Translate
) -> str:
    if not cards:
        return tx("p", _("Belum ada materi di wilayah Anda."), class_="muted")
    rows = []
    for card in cards:
        when = day(card.published_at, language) if card.published_at else ""
        rows.append(
            el(
                "li",
                tx(
                    "a",
                    card.title,
                    href=f"/pengawasan/edukasi?ubah={card.id}",
                    aria_current="true" if card.id == current else None,
                ),
                " ",
                tx(
                    "span",
                    _(card.status_label),
                    class_="tag"
                    + (" tag-draft" if card.status == ArticleStatus.DRAF.value else ""),
                ),
                tx(
                    "p",
                    " · ".join(x for x in (_topic_label(card.topic, _), when) if x),
                    class_="muted small",
                ),
            )
        )
    return el("ul", *rows, class_="plain-list")


@get("/pengawasan/edukasi", include_in_schema=False, opt=PAGE, name="education_desk_page")
async def education_desk_page(
    request: Request[Any, Any, Any],
    ubah: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    pesan: Notice = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.DINAS:
        return refusal_page(
            request,
            user,
            language,
            403,
            _("Meja edukasi"),
            _("Halaman ini untuk petugas Dinas Koperasi."),
        )
    cards = await education.region_articles(actor)
    found = None
    if ubah is not None:
        try:
            found = await education.article(actor, ubah)
        except AppError:
            found = None
    editor = panel(
        "editor-heading",
        _("Ubah materi: {title}", title=found.title) if found else _("Tulis materi baru"),
        tx("p", _(found.status_label), class_="tag") if found else "",
        _actions(found, _) if found else "",
        _article_form(found, _),
    )
    main = (
        stylesheet()
        + dinas_tabs("/pengawasan/edukasi", _)
        + tx("h1", _("Meja edukasi"))
        + tx(
            "p",
            _("Materi yang terbit tampil di halaman Edukasi untuk semua orang."),
            class_="lead",
        )
        + noscript(_)
        + message_area(notice_text(pesan, NOTICES, _))
        + el(
            "div",
            editor,
            _attachments_section(found, _) if found else "",
            panel(
                "list-heading",
                _("Materi wilayah Anda"),
                tx(
                    "a",
                    _("Tulis materi baru"),
                    href="/pengawasan/edukasi",
                    class_="button button-secondary",
                )
                if found
                else "",
                _article_list(cards, found.id if found else None, language, _),
            ),
            class_="panels",
        )
        + messages(_)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Meja edukasi"),
        main_html=main,
        user=user,
        scripts=(OUTREACH_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


EDUCATION_PAGES = [education_page, education_article_page, education_file, education_desk_page]
