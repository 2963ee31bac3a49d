"""Complaint and consultation pages (decision 0019):

- `/pengaduan` — the public complaint form, the same for everyone in one language (no
  name, no token), precached by the service worker so it opens and files without signal;
  `service_worker/complaint.js` keeps the queue, the security questions and "Pengaduan
  saya" in IndexedDB. A ticket search box leads to
- `/pengaduan/{ticket}` — the ticket holder's page: status, timeline, public replies, the
  photo, and a form to add information (plain HTML: no script needed).
- `/pengawasan/pengaduan` and `/pengawasan/pengaduan/{id}` — the Dinas's desk: filters,
  time left against the target, export; one complaint with its timeline and actions.
- `/konsultasi` (pengurus: threads of their koperasi, a new question, the complaints the
  Dinas forwarded), `/konsultasi/{id}`, `/konsultasi/pengaduan/{id}`;
  `/pengawasan/konsultasi` and `/pengawasan/konsultasi/{id}` (Dinas);
  `/konsultasi/tanya` and `/konsultasi/tiket/{ticket}` (the public, with the challenge).
Signed-in actions go through the JSON API with `static/outreach.js`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Redirect

from backend.accounts.domain import Actor, Role
from backend.accounts.guards import PAGE, PUBLIC
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import client_ip, user_of
from backend.complaints import service
from backend.complaints.api import limits_of, parse_filters
from backend.complaints.domain import (
    PHOTO_MAX_BYTES,
    REGION_TZ,
    Action,
    Author,
    Category,
    ConsultationStatus,
    Status,
    normalise_ticket,
    targets,
)
from backend.errors import AppError
from backend.formatting import long_date
from backend.ratelimit import TooManyRequests
from backend.texts import N_
from frontend.document import element as el
from frontend.document import frame_html, page
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.outreach_common import OUTREACH_JS, messages, section_messages, stylesheet
from frontend.personal import (
    PERSONAL_HEADERS,
    PUBLIC_HEADERS,
    document,
    facts,
    field,
    language_of_request,
    message_boxes,
    noscript,
    panel,
    refusal_page,
    script_messages,
    sign_in_redirect,
    when,
)

SERVICE_WORKER_DIR = Path(__file__).resolve().parents[1] / "service_worker"
COMPLAINT_PATH = "/pengaduan"
DINAS_PATH = "/pengawasan/pengaduan"
CONSULT_PATH = "/konsultasi"
DINAS_CONSULT_PATH = "/pengawasan/konsultasi"
COMPLAINT_MODULE = "complaint.js"
COMPLAINT_JS = "/sw/" + COMPLAINT_MODULE
OUTBOX_JS = "/sw/outbox.js"

Ticket = Annotated[str, PathParameter(max_length=40)]
Id = Annotated[int, PathParameter(gt=0)]
Notice = Annotated[str | None, QueryParameter(max_length=20)]


def module_paths() -> list[Path]:
    return [SERVICE_WORKER_DIR / COMPLAINT_MODULE]


def precache_urls() -> list[str]:
    """What the service worker stores at install for the form to open offline."""
    return [COMPLAINT_PATH, COMPLAINT_JS]


# What complaint.js may say, by key.
MESSAGES: dict[str, str] = {
    "question": N_("Pertanyaan pengaman: berapa {question}?"),
    "region_required": N_("Pilih Dinas tujuan pengaduan."),
    "category_required": N_("Pilih jenis pengaduan."),
    "text_short": N_("Tulis isi pengaduan paling sedikit 20 huruf."),
    "text_long": N_("Isi pengaduan paling banyak 4000 huruf."),
    "photo_large": N_("Foto terlalu besar: paling besar 2 MB."),
    "photo_type": N_("Jenis berkas tidak diterima. Lampirkan foto JPEG, PNG atau WebP."),
    "answer_required": N_("Jawab pertanyaan pengaman dengan angka."),
    "queued": N_("Tersimpan, akan dikirim saat ada sinyal."),
    "save_failed": N_("Pengaduan tidak tersimpan di perangkat: {error}. Coba lagi."),
    "sent": N_("Pengaduan terkirim. Nomor tiket: {ticket}. Simpan nomor ini."),
    "state_review": N_("{count} pengaduan perlu ditinjau (lihat di bawah)."),
    "state_limited": N_(
        "Terlalu banyak pengaduan dari jaringan ini. Pengaduan tetap tersimpan dan dikirim nanti."
    ),
    "state_error": N_(
        "Server belum bisa menerima pengaduan (kode {status}). Pengaduan tetap tersimpan dan "
        "dicoba lagi otomatis."
    ),
    "state_offline": N_("Tidak ada sinyal. Pengaduan dikirim otomatis saat ada sinyal."),
    "storage_unsupported": N_(
        "Peramban ini tidak bisa menyimpan pengaduan di perangkat. Pakai Chrome versi terbaru."
    ),
    "mine_pending": N_("Menunggu sinyal"),
    "mine_review": N_("Perlu ditinjau"),
    "no_ticket_yet": N_("Belum bernomor"),
    "review_fetching": N_("Mengambil pertanyaan pengaman baru…"),
    "review_offline": N_("Butuh sinyal untuk pertanyaan pengaman baru. Coba lagi nanti."),
    "answer_label": N_("Jawaban (angka)"),
    "resend": N_("Kirim lagi"),
    "dismiss": N_("Hapus"),
    "dismiss_label": N_("Hapus pengaduan {text} dari daftar"),
    "confirm_dismiss": N_("Hapus dari daftar? Pengaduan ini tidak akan dikirim."),
}

NOTICES: dict[str, str] = {
    "tambah": N_("Tambahan informasi terkirim."),
    "saved": N_("Tersimpan."),
    "sent": N_("Terkirim."),
}


def _notice(key: str | None, _: Translate) -> str:
    message = NOTICES.get(key or "")
    return _(message) if message else ""


def _message_area(notice: str = "") -> str:
    return el("div", id="message-alert", class_="error-box message", role="alert") + tx(
        "div", notice, id="message-status", class_="status-box message", role="status"
    )


# --- /pengaduan: the offline form -----------------------------------------------------------


def _options(choices: list[tuple[str, str]], placeholder: str) -> str:
    return tx("option", placeholder, value="") + "".join(
        tx("option", label, value=value) for value, label in choices
    )


def complaint_form_html(regions: list[service.RegionChoice], _: Translate) -> str:
    """The `<main>` of /pengaduan (the same for everyone in one language)."""
    region_options = "".join(
        tx("option", f"{r.dinas_name} ({r.name})", value=r.slug, selected=len(regions) == 1)
        for r in regions
    )
    koperasi_options = tx("option", _("Tidak menyebut koperasi"), value="") + "".join(
        tx("option", k.name, value=k.slug, data_region=r.slug) for r in regions for k in r.koperasi
    )
    categories = _options([(c.value, _(c.label)) for c in Category], _("Pilih jenis"))
    days = targets().first_answer_days
    form = el(
        "form",
        field(
            _("Dinas tujuan"),
            el(
                "select",
                tx("option", _("Pilih Dinas"), value="") + region_options,
                id="complaint-region",
                name="region",
                required=True,
            ),
            "complaint-region",
        ),
        field(
            _("Jenis pengaduan"),
            el("select", categories, id="complaint-category", name="category", required=True),
            "complaint-category",
        ),
        field(
            _("Koperasi yang diadukan (boleh dikosongkan)"),
            el("select", koperasi_options, id="complaint-koperasi", name="koperasi"),
            "complaint-koperasi",
        ),
        field(
            _("Isi pengaduan"),
            tx(
                "textarea",
                "",
                id="complaint-text",
                name="text",
                rows=6,
                minlength=20,
                maxlength=4000,
                required=True,
                aria_describedby="complaint-text-hint",
            ),
            "complaint-text",
            _("Ceritakan apa yang terjadi, kapan dan di mana. 20–4000 huruf."),
        ),
        field(
            _("Foto (boleh dikosongkan)"),
            el(
                "input",
                type="file",
                id="complaint-photo",
                name="photo",
                accept="image/jpeg,image/png,image/webp",
                data_max=str(PHOTO_MAX_BYTES),
                aria_describedby="complaint-photo-hint",
            ),
            "complaint-photo",
            _("JPEG, PNG atau WebP, paling besar 2 MB."),
        ),
        el(
            "fieldset",
            tx("legend", _("Kontak (boleh dikosongkan)")),
            tx(
                "p",
                _(
                    "Tanpa nomor telepon atau email, Dinas tidak bisa menghubungi Anda: simpan "
                    "nomor tiket untuk melihat balasan."
                ),
                class_="hint",
                id="complaint-contact-hint",
            ),
            field(
                _("Nama"),
                el("input", id="complaint-name", name="name", maxlength=120, autocomplete="name"),
                "complaint-name",
            ),
            field(
                _("Nomor telepon"),
                el(
                    "input",
                    id="complaint-phone",
                    name="phone",
                    type="tel",
                    maxlength=20,
                    autocomplete="tel",
                ),
                "complaint-phone",
            ),
            field(
                _("Email"),
                el(
                    "input",
                    id="complaint-email",
                    name="email",
                    type="email",
                    maxlength=200,
                    autocomplete="email",
                ),
                "complaint-email",
            ),
            class_="panel",
        ),
        # The honeypot: hidden from people (and screen readers); a program fills it.
        el(
            "div",
            tx("label", "Website", for_="complaint-website"),
            el("input", id="complaint-website", name="website", tabindex="-1", autocomplete="off"),
            hidden=True,
        ),
        el(
            "div",
            tx("p", "", id="complaint-question"),
            tx(
                "p",
                _(
                    "Pertanyaan pengaman belum tersimpan di ponsel ini. Pengaduan tetap bisa "
                    "disimpan; saat ada sinyal Anda diminta menjawab pertanyaan."
                ),
                id="complaint-question-missing",
                class_="hint",
                hidden=True,
            ),
            tx("label", _("Jawaban (angka)"), for_="complaint-answer"),
            el(
                "input",
                id="complaint-answer",
                name="answer",
                inputmode="numeric",
                autocomplete="off",
                maxlength=10,
                aria_describedby="complaint-question",
            ),
            class_="field",
        ),
        el(
            "p",
            tx("button", _("Simpan & kirim pengaduan"), type="submit", class_="button"),
            class_="actions",
        ),
        id="complaint-form",
        novalidate=True,
        aria_labelledby="complaint-form-heading",
    )
    sync = el(
        "p",
        tx("span", _("Belum terkirim:") + " "),
        tx("strong", "0", id="complaint-pending"),
        " ",
        tx(
            "button",
            _("Kirim sekarang"),
            type="button",
            id="complaint-send",
            class_="button button-secondary",
            hidden=True,
        ),
        class_="panel",
    )
    mine = el(
        "section",
        tx("h2", _("Pengaduan saya"), id="complaint-mine-heading"),
        tx("p", _("Pengaduan yang diajukan dari ponsel ini."), class_="hint"),
        el("ul", id="complaint-mine", class_="plain-list"),
        id="complaint-mine-section",
        aria_labelledby="complaint-mine-heading",
        hidden=True,
    )
    review = el(
        "section",
        tx("h2", _("Perlu ditinjau"), id="complaint-review-heading"),
        tx("p", _("Pengaduan yang ditolak server, dengan alasannya."), class_="hint"),
        el("ul", id="complaint-review", class_="plain-list"),
        id="complaint-review-section",
        aria_labelledby="complaint-review-heading",
        hidden=True,
    )
    lookup = el(
        "form",
        field(
            _("Nomor tiket"),
            el(
                "input",
                id="lookup-ticket",
                name="tiket",
                required=True,
                maxlength=40,
                autocomplete="off",
                placeholder="ADU-2611-XXXXXXXX",
            ),
            "lookup-ticket",
        ),
        tx("button", _("Lihat status"), type="submit", class_="button button-secondary"),
        method="get",
        action=COMPLAINT_PATH + "/lacak",
        aria_labelledby="lookup-heading",
    )
    return el(
        "div",
        stylesheet(),
        tx("h1", _("Pengaduan koperasi")),
        tx(
            "p",
            _(
                "Laporkan masalah dengan koperasi kepada Dinas Koperasi, tanpa akun. Dinas "
                "menjawab paling lambat {days} hari kerja (Senin–Jumat).",
                days=days,
            ),
            class_="lead",
        ),
        noscript(_),
        message_boxes(),
        sync,
        el(
            "section",
            tx("h2", _("Ajukan pengaduan"), id="complaint-form-heading"),
            form,
            class_="panel",
            aria_labelledby="complaint-form-heading",
        ),
        mine,
        review,
        el(
            "section",
            tx("h2", _("Lacak pengaduan"), id="lookup-heading"),
            lookup,
            tx("p", tx("a", _("Bertanya kepada Dinas (konsultasi)"), href="/konsultasi/tanya")),
            class_="panel",
            aria_labelledby="lookup-heading",
        ),
        script_messages(_, MESSAGES, MESSAGES.keys()),
        class_="complaints",
    )


async def complaint_document(language: str) -> str:
    _ = translator(language)
    main = complaint_form_html(await service.places(), _)
    body = frame_html(language, _, COMPLAINT_PATH, main, signed_in=None)
    return page(
        title=_("Pengaduan") + " · Koroena",
        language=language,
        body_html=body,
        component=None,
        _=_,
        scripts=(OUTBOX_JS, COMPLAINT_JS),
    )


@get(COMPLAINT_PATH, include_in_schema=False, opt=PUBLIC, name="complaint_page")
async def complaint_page(request: Request[Any, Any, Any]) -> Response[str]:
    return Response(
        await complaint_document(language_of_request(request)),
        media_type="text/html",
        headers=PUBLIC_HEADERS,
    )


def complaint_module_route() -> Any:
    """The page's script (read once, when the app is made); the worker imports it too."""
    source = (SERVICE_WORKER_DIR / COMPLAINT_MODULE).read_text(encoding="utf-8")

    @get(COMPLAINT_JS, include_in_schema=False, opt=PUBLIC, name="complaint_module")
    async def complaint_module() -> Response[str]:
        return Response(source, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    return complaint_module


@get(COMPLAINT_PATH + "/lacak", include_in_schema=False, opt=PUBLIC, name="complaint_lookup")
async def complaint_lookup(
    request: Request[Any, Any, Any],
    tiket: Annotated[str, QueryParameter(max_length=40)] = "",
) -> Response[Any]:
    ticket = normalise_ticket(tiket)
    if ticket is not None and ticket.startswith("KON-"):
        return Redirect(f"{CONSULT_PATH}/tiket/{ticket}", status_code=303, headers=PERSONAL_HEADERS)
    if ticket is not None:
        return Redirect(f"{COMPLAINT_PATH}/{ticket}", status_code=303, headers=PERSONAL_HEADERS)
    return _public_refusal(
        request, 404, N_("Nomor tiket tidak dikenali. Periksa lagi, misalnya ADU-2611-7K3QF9XB.")
    )


def _public_refusal(request: Request[Any, Any, Any], status: int, message: str) -> Response[str]:
    language = language_of_request(request)
    _ = translator(language)
    main = el(
        "section",
        tx("h1", _("Tidak ditemukan") if status == 404 else _("Tidak bisa diproses")),
        tx("p", _(message), class_="error-box"),
        el("p", tx("a", _("Ke halaman pengaduan"), href=COMPLAINT_PATH, class_="button")),
        class_="narrow",
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Pengaduan"),
        main_html=main,
        user=user_of(request),
        scripts=(),
        status=status,
        headers=PERSONAL_HEADERS,
    )


def _event_item(event: service.EventView, language: str, _: Translate, public: bool) -> str:
    who = {
        Author.PUBLIK: _("Pelapor"),
        Author.DINAS: _("Dinas Koperasi"),
        Author.KOPERASI: _("Koperasi"),
    }[event.author]
    if not public and event.actor_name:
        who += f" ({event.actor_name})"
    label = _(event.action.label)
    if event.action is Action.ASSIGN and event.body:
        body = tx("p", _("Petugas: {name}", name=event.body))
    else:
        body = tx("p", event.body, class_="prose") if event.body else ""
    return el(
        "li",
        el(
            "p",
            tx("strong", label),
            tx("span", f" · {who} · {when(event.at, language)}"),
            " ",
            tx("span", _("internal"), class_="tag tag-draft") if event.internal else "",
        ),
        body,
        data_action=event.action.value,
    )


def _timeline(events: list[service.EventView], language: str, _: Translate, public: bool) -> str:
    return panel(
        "timeline-heading",
        _("Riwayat"),
        el(
            "ol",
            *[_event_item(e, language, _, public) for e in events],
            class_="plain-list",
            id="timeline",
        ),
    )


def _target_text(row: service.ComplaintRow, language: str, _: Translate) -> str:
    if row.answered_at is not None:
        return _("Dijawab tepat waktu") if row.deadline.met else _("Dijawab melewati target")
    if row.status.closed:
        return "—"
    if row.deadline.overdue:
        return _("Terlambat {days} hari kerja", days=max(1, -row.deadline.working_days_left))
    return _(
        "{days} hari kerja lagi (sampai {date})",
        days=row.deadline.working_days_left,
        date=long_date(row.due_at.astimezone(REGION_TZ), language),
    )


def _status_tag(status: Status, _: Translate) -> str:
    tone = {
        Status.BARU: "tag-draft",
        Status.DIJAWAB: "tag-open",
        Status.SELESAI: "tag-open",
    }.get(status, "")
    return tx("span", _(status.label), class_=f"tag {tone}".strip())


def _limited(request: Request[Any, Any, Any]) -> Response[str] | None:
    try:
        limits_of(request.app.state).lookup.check(client_ip(request.scope) or "unknown")
    except TooManyRequests as error:
        response = _public_refusal(request, 429, error.message)
        response.headers["Retry-After"] = str(error.retry_after_s)
        return response
    return None


@get(COMPLAINT_PATH + "/{ticket:str}", include_in_schema=False, opt=PUBLIC, name="complaint_ticket")
async def complaint_ticket_page(
    request: Request[Any, Any, Any], ticket: Ticket, pesan: Notice = None
) -> Response[Any]:
    limited = _limited(request)
    if limited is not None:
        return limited
    try:
        found = await service.by_ticket(ticket)
    except AppError as error:
        return _public_refusal(request, error.status, error.message)
    language = language_of_request(request)
    _ = translator(language)
    row = found.row
    if row.ticket != ticket:
        return Redirect(f"{COMPLAINT_PATH}/{row.ticket}", status_code=303, headers=PERSONAL_HEADERS)
    about = facts(
        [
            (_("Nomor tiket"), row.ticket),
            (_("Status"), _(row.status.label)),
            (_("Jenis"), _(row.category.label)),
            (_("Koperasi"), row.koperasi_name or None),
            (_("Dinas tujuan"), found.region_name),
            (_("Diterima"), when(row.created_at, language)),
            (_("Target jawaban"), long_date(row.due_at.astimezone(REGION_TZ), language)),
            (_("Alasan penolakan"), found.reject_reason or None),
        ]
    )
    photo = (
        el(
            "p",
            el(
                "img",
                src=f"/api/v1/complaints/ticket/{row.ticket}/photo",
                alt=_("Foto yang dilampirkan pada pengaduan"),
                class_="complaint-photo",
                width=320,
            ),
        )
        if found.has_photo
        else ""
    )
    add = ""
    if not row.status.closed:
        add = panel(
            "add-heading",
            _("Tambah informasi"),
            el(
                "form",
                field(
                    _("Informasi tambahan"),
                    tx(
                        "textarea",
                        "",
                        id="add-text",
                        name="text",
                        rows=4,
                        minlength=20,
                        maxlength=4000,
                        required=True,
                    ),
                    "add-text",
                    _("Paling sedikit 20 huruf. Jangan menulis PIN atau kata sandi."),
                ),
                tx("button", _("Kirim tambahan"), type="submit", class_="button"),
                method="post",
                action=f"{COMPLAINT_PATH}/{row.ticket}/tambah",
            ),
        )
    main = (
        stylesheet()
        + tx("h1", _("Pengaduan {ticket}", ticket=row.ticket))
        + tx(
            "p",
            _("Simpan nomor tiket ini: siapa pun yang memegangnya bisa melihat halaman ini."),
            class_="hint",
        )
        + _message_area(_notice(pesan, _))
        + el("section", about, photo, class_="panel")
        + _timeline(found.events, language, _, public=True)
        + add
        + el("p", tx("a", _("Ke halaman pengaduan"), href=COMPLAINT_PATH), class_="actions")
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Pengaduan {ticket}", ticket=row.ticket),
        main_html=main,
        user=user_of(request),
        scripts=(),
        headers=PERSONAL_HEADERS,
    )


Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


@post(
    COMPLAINT_PATH + "/{ticket:str}/tambah",
    include_in_schema=False,
    opt=PUBLIC,
    name="complaint_add_info",
)
async def complaint_add_info(
    request: Request[Any, Any, Any], ticket: Ticket, data: Form
) -> Response[Any]:
    try:
        limits_of(request.app.state).info.check(client_ip(request.scope) or "unknown")
        await service.add_info(ticket, str(data.get("text", ""))[:5000])
    except AppError as error:
        params = getattr(error, "params", {}) or {}
        _ = translator(language_of_request(request))
        return _public_refusal(request, error.status, _(error.message, **params))
    clean = normalise_ticket(ticket) or ticket
    return Redirect(
        f"{COMPLAINT_PATH}/{quote(clean)}?pesan=tambah", status_code=303, headers=PERSONAL_HEADERS
    )


# --- the Dinas's desk -----------------------------------------------------------------------


def _dinas(user: CurrentUser) -> Actor | None:
    actor = user.actor
    return actor if actor is not None and actor.role is Role.DINAS else None


def _tabs(current: str, _: Translate) -> str:
    items = [(DINAS_PATH, _("Pengaduan")), (DINAS_CONSULT_PATH, _("Konsultasi"))]
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
                for href, label in items
            ],
            class_="tabs",
        ),
        aria_label=_("Pengaduan dan konsultasi"),
    )


def _signed_in_page(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    language: str,
    _: Translate,
    title: str,
    main: str,
    writes: bool,
) -> Response[str]:
    return document(
        request,
        language=language,
        _=_,
        title=title,
        main_html=main + (messages(_) if writes else ""),
        user=user,
        scripts=(OUTREACH_JS,) if writes else (),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


def _refuse_role(
    request: Request[Any, Any, Any], user: CurrentUser, language: str, message: str
) -> Response[str]:
    _ = translator(language)
    return refusal_page(request, user, language, 403, _("Tidak diizinkan"), _(message))


@get(DINAS_PATH, include_in_schema=False, opt=PAGE, name="complaints_dinas_page")
async def complaints_dinas_page(
    request: Request[Any, Any, Any],
    status: Annotated[str | None, QueryParameter(max_length=20)] = None,
    category: Annotated[str | None, QueryParameter(max_length=20)] = None,
    koperasi: Annotated[str | None, QueryParameter(max_length=80)] = None,
    overdue: Annotated[str | None, QueryParameter(max_length=5)] = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = _dinas(user)
    if actor is None:
        return _refuse_role(
            request, user, language, N_("Meja pengaduan untuk petugas Dinas Koperasi.")
        )
    late = overdue in ("1", "true", "ya")
    try:
        filters = parse_filters(status or None, category or None, koperasi or None, late)
    except AppError as error:
        return refusal_page(request, user, language, 422, _("Saringan"), _(error.message))
    rows = await service.region_complaints(actor, filters)
    regions = [r for r in await service.places()]
    kops = [k for r in regions for k in r.koperasi]
    chooser = el(
        "form",
        field(
            _("Status"),
            el(
                "select",
                tx("option", _("Semua"), value="")
                + "".join(
                    tx("option", _(s.label), value=s.value, selected=filters.status is s)
                    for s in Status
                ),
                id="filter-status",
                name="status",
            ),
            "filter-status",
        ),
        field(
            _("Jenis"),
            el(
                "select",
                tx("option", _("Semua"), value="")
                + "".join(
                    tx("option", _(c.label), value=c.value, selected=filters.category is c)
                    for c in Category
                ),
                id="filter-category",
                name="category",
            ),
            "filter-category",
        ),
        field(
            _("Koperasi"),
            el(
                "select",
                tx("option", _("Semua"), value="")
                + "".join(
                    tx("option", k.name, value=k.slug, selected=filters.koperasi == k.slug)
                    for k in kops
                ),
                id="filter-koperasi",
                name="koperasi",
            ),
            "filter-koperasi",
        ),
        el(
            "div",
            el(
                "input",
                type="checkbox",
                id="filter-overdue",
                name="overdue",
                value="1",
                checked=late,
            ),
            tx("label", _("Hanya yang terlambat"), for_="filter-overdue"),
            class_="field",
        ),
        tx("button", _("Tampilkan"), type="submit", class_="button"),
        method="get",
        action=DINAS_PATH,
        class_="panel",
    )
    body = []
    for r in rows:
        body.append(
            el(
                "tr",
                el(
                    "th",
                    tx(
                        "a",
                        r.ticket,
                        href=f"{DINAS_PATH}/{r.id}",
                        aria_label=_("Buka pengaduan {ticket}", ticket=r.ticket),
                    ),
                    scope="row",
                ),
                tx("td", when(r.created_at, language)),
                tx("td", _(r.category.label)),
                tx("td", r.koperasi_name or "—"),
                el("td", _status_tag(r.status, _)),
                tx(
                    "td",
                    _target_text(r, language, _),
                    class_="complaint-overdue" if r.deadline.overdue else None,
                ),
                tx("td", r.assigned_name or "—"),
            )
        )
    table = (
        el(
            "div",
            el(
                "table",
                tx("caption", _("Pengaduan di wilayah"), id="complaints-caption"),
                el(
                    "thead",
                    el(
                        "tr",
                        *[
                            tx("th", h, scope="col")
                            for h in (
                                _("Tiket"),
                                _("Diterima"),
                                _("Jenis"),
                                _("Koperasi"),
                                _("Status"),
                                _("Target"),
                                _("Petugas"),
                            )
                        ],
                    ),
                ),
                el("tbody", *body),
                class_="table",
            ),
            class_="table-wrap",
            role="region",
            aria_labelledby="complaints-caption",
            tabindex="0",
        )
        if rows
        else tx("p", _("Tidak ada pengaduan dengan saringan ini."), class_="muted")
    )
    query = {
        k: v
        for k, v in (
            ("status", status or ""),
            ("category", category or ""),
            ("koperasi", koperasi or ""),
            ("overdue", "true" if late else ""),
        )
        if v
    }
    exports = el(
        "p",
        tx(
            "a",
            _("Unduh Excel"),
            href="/api/v1/complaints/export?" + urlencode({**query, "format": "xlsx"}),
            class_="button button-secondary",
            download=True,
        ),
        " ",
        tx(
            "a",
            _("Unduh CSV"),
            href="/api/v1/complaints/export?" + urlencode({**query, "format": "csv"}),
            class_="button button-secondary",
            download=True,
        ),
        class_="actions",
    )
    main = (
        stylesheet()
        + _tabs(DINAS_PATH, _)
        + tx("h1", _("Pengaduan masyarakat"))
        + tx(
            "p",
            _(
                "Target jawaban pertama: {days} hari kerja (Senin–Jumat; hari libur belum "
                "dihitung).",
                days=targets().first_answer_days,
            ),
            class_="hint",
        )
        + chooser
        + table
        + exports
    )
    return _signed_in_page(request, user, language, _, _("Pengaduan"), main, writes=False)


def _action_form(
    complaint_id: int,
    heading_id: str,
    heading: str,
    action: str,
    button: str,
    *controls: str,
    notice: str = "saved",
) -> str:
    return el(
        "section",
        tx("h3", heading, id=heading_id),
        el(
            "form",
            *controls,
            el("input", type="hidden", data_field="action", value=action),
            tx("button", button, type="submit", class_="button"),
            section_messages(),
            data_api=f"POST /api/v1/complaints/{complaint_id}/actions",
            data_notice=notice,
            data_messages=True,
            aria_labelledby=heading_id,
        ),
        class_="actions-block",
    )


def _textarea(
    control_id: str, label: str, required: bool, hint: str = "", name: str = "body"
) -> str:
    return field(
        label,
        tx(
            "textarea",
            "",
            id=control_id,
            data_field=name,
            rows=4,
            maxlength=4000,
            required=required,
        ),
        control_id,
        hint,
    )


def _dinas_actions(
    found: service.ComplaintDetail, officers: list[service.Officer], _: Translate
) -> str:
    row = found.row
    if row.status.closed:
        return tx("p", _("Pengaduan ini sudah ditutup."), class_="muted")
    cid = row.id
    parts = []
    if row.status is Status.BARU:
        parts.append(
            _action_form(cid, "act-triage", _("Mulai telaah"), "ditelaah", _("Tandai ditelaah"))
        )
    parts.append(
        _action_form(
            cid,
            "act-assign",
            _("Tugaskan"),
            "ditugaskan",
            _("Tugaskan"),
            field(
                _("Petugas"),
                el(
                    "select",
                    "".join(
                        tx(
                            "option",
                            o.name,
                            value=str(o.user_id),
                            selected=o.user_id == row.assigned_to,
                        )
                        for o in officers
                    ),
                    id="assign-officer",
                    data_field="assignee_id",
                    data_type="int",
                ),
                "assign-officer",
            ),
        )
    )
    parts.append(
        _action_form(
            cid,
            "act-reply",
            _("Balas"),
            "balasan",
            _("Kirim balasan"),
            _textarea("reply-body", _("Balasan"), True, _("Balasan terlihat oleh pelapor.")),
            el(
                "div",
                el(
                    "input",
                    type="checkbox",
                    id="reply-internal",
                    data_field="internal",
                    data_type="bool",
                ),
                tx(
                    "label",
                    _("Catatan internal (tidak terlihat oleh pelapor)"),
                    for_="reply-internal",
                ),
                class_="field",
            ),
            notice="sent",
        )
    )
    if row.koperasi_id is not None and not row.forwarded:
        parts.append(
            _action_form(
                cid,
                "act-forward",
                _("Teruskan ke koperasi"),
                "diteruskan",
                _("Teruskan ke pengurus {koperasi}", koperasi=row.koperasi_name),
                _textarea("forward-body", _("Catatan untuk pengurus (internal)"), False),
            )
        )
    if row.status is not Status.BARU:
        parts.append(
            _action_form(
                cid,
                "act-close",
                _("Selesaikan"),
                "selesai",
                _("Tutup sebagai selesai"),
                _textarea("close-body", _("Penutup untuk pelapor (boleh dikosongkan)"), False),
            )
        )
    parts.append(
        _action_form(
            cid,
            "act-reject",
            _("Tolak"),
            "ditolak",
            _("Tolak pengaduan"),
            _textarea(
                "reject-body",
                _("Alasan penolakan"),
                True,
                _("Misalnya spam atau di luar kewenangan Dinas. Terlihat oleh pelapor."),
            ),
        )
    )
    return panel("actions-heading", _("Tindakan"), *parts)


def _complaint_facts(found: service.ComplaintDetail, language: str, _: Translate) -> str:
    row = found.row
    return facts(
        [
            (_("Nomor tiket"), row.ticket),
            (_("Status"), _(row.status.label)),
            (_("Jenis"), _(row.category.label)),
            (_("Koperasi"), row.koperasi_name or _("Tidak disebut")),
            (_("Diterima"), when(row.created_at, language)),
            (_("Target"), _target_text(row, language, _)),
            (_("Petugas"), row.assigned_name or None),
            (_("Diteruskan ke koperasi"), _("ya") if row.forwarded else None),
        ]
    )


@get(
    DINAS_PATH + "/{complaint_id:int}",
    include_in_schema=False,
    opt=PAGE,
    name="complaint_dinas_page",
)
async def complaint_dinas_page(
    request: Request[Any, Any, Any], complaint_id: Id, pesan: Notice = None
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = _dinas(user)
    if actor is None:
        return _refuse_role(
            request, user, language, N_("Meja pengaduan untuk petugas Dinas Koperasi.")
        )
    try:
        found = await service.complaint_for(actor, complaint_id)
    except AppError as error:
        return refusal_page(
            request, user, language, error.status, _("Tidak ditemukan"), _(error.message)
        )
    actions = _dinas_actions(found, await service.officers(found.region_id), _)
    contact = facts(
        [
            (_("Nama"), found.contact_name or _("Tidak disebut")),
            (_("Telepon"), found.contact_phone or None),
            (_("Email"), found.contact_email or None),
        ]
    )
    photo = (
        el(
            "p",
            el(
                "img",
                src=f"/api/v1/complaints/{found.row.id}/photo",
                alt=_("Foto yang dilampirkan pelapor"),
                width=320,
            ),
        )
        if found.has_photo
        else ""
    )
    main = (
        stylesheet()
        + _tabs(DINAS_PATH, _)
        + tx("h1", _("Pengaduan {ticket}", ticket=found.row.ticket))
        + _message_area(_notice(pesan, _))
        + el(
            "section",
            _complaint_facts(found, language, _),
            tx("h2", _("Isi pengaduan"), id="body-heading"),
            tx("p", found.body, class_="prose"),
            photo,
            tx("h2", _("Kontak pelapor"), id="contact-heading"),
            contact,
            class_="panel",
        )
        + _timeline(found.events, language, _, public=False)
        + actions
        + el("p", tx("a", _("Kembali ke daftar"), href=DINAS_PATH), class_="actions")
    )
    return _signed_in_page(
        request, user, language, _, _("Pengaduan {ticket}", ticket=found.row.ticket), main, True
    )


# --- consultations --------------------------------------------------------------------------


def _thread(found: service.ConsultationDetail, language: str, _: Translate, public: bool) -> str:
    items = []
    for m in found.messages:
        if m.author == "dinas":
            who = _("Dinas Koperasi")
            if not public and m.actor_name:
                who += f" ({m.actor_name})"
        else:
            who = m.actor_name or found.row.asker or _("Penanya")
        items.append(
            el(
                "li",
                el("p", tx("strong", who), tx("span", " · " + when(m.at, language))),
                tx("p", m.body, class_="prose"),
                data_author=m.author,
            )
        )
    return panel("thread-heading", _("Percakapan"), el("ol", *items, class_="plain-list"))


def _consultation_facts(found: service.ConsultationDetail, language: str, _: Translate) -> str:
    row = found.row
    return facts(
        [
            (_("Nomor tiket"), row.ticket),
            (_("Status"), _(row.status.label)),
            (_("Koperasi"), row.koperasi_name or None),
            (_("Penanya"), row.asker or None),
            (_("Telepon"), found.contact_phone or None),
            (_("Email"), found.contact_email or None),
            (_("Dibuka"), when(row.created_at, language)),
            (_("Target jawaban"), long_date(found.due_at.astimezone(REGION_TZ), language)),
        ]
    )


def _reply_form(consultation_id: int, _: Translate) -> str:
    return panel(
        "reply-heading",
        _("Balas"),
        el(
            "form",
            _textarea("message-body", _("Pesan"), True, name="text"),
            tx("button", _("Kirim"), type="submit", class_="button"),
            section_messages(),
            data_api=f"POST /api/v1/consultations/{consultation_id}/messages",
            data_notice="sent",
            data_messages=True,
        ),
        el(
            "p",
            tx(
                "button",
                _("Tandai selesai"),
                type="button",
                class_="button button-secondary",
                data_api=f"POST /api/v1/consultations/{consultation_id}/close",
                data_notice="saved",
                data_confirm=_("Selesaikan konsultasi ini? Tidak bisa dibalas lagi."),
            ),
            data_messages=True,
            class_="actions",
        ),
    )


def _consultation_list(
    rows: list[service.ConsultationRow], base: str, language: str, _: Translate
) -> str:
    if not rows:
        return tx("p", _("Belum ada konsultasi."), class_="muted")
    public = _("Masyarakat")
    return el(
        "ul",
        *[
            el(
                "li",
                tx("a", r.topic, href=f"{base}/{r.id}"),
                tx(
                    "span",
                    f" · {r.koperasi_name or r.asker or public} · {when(r.updated_at, language)} ",
                ),
                tx("span", _(r.status.label), class_="tag"),
            )
            for r in rows
        ],
        class_="plain-list",
    )


@get(DINAS_CONSULT_PATH, include_in_schema=False, opt=PAGE, name="consultations_dinas_page")
async def consultations_dinas_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = _dinas(user)
    if actor is None:
        return _refuse_role(request, user, language, N_("Konsultasi untuk petugas Dinas Koperasi."))
    rows = await service.consultations_for(actor)
    main = (
        stylesheet()
        + _tabs(DINAS_CONSULT_PATH, _)
        + tx("h1", _("Konsultasi"))
        + tx("p", _("Pertanyaan pengurus koperasi dan masyarakat kepada Dinas."), class_="lead")
        + panel(
            "threads-heading",
            _("Semua konsultasi"),
            _consultation_list(rows, DINAS_CONSULT_PATH, language, _),
        )
    )
    return _signed_in_page(request, user, language, _, _("Konsultasi"), main, writes=False)


async def _thread_page(
    request: Request[Any, Any, Any], consultation_id: int, dinas: bool, pesan: str | None
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    wanted = Role.DINAS if dinas else Role.PENGURUS
    if actor is None or actor.role is not wanted:
        return _refuse_role(
            request,
            user,
            language,
            N_("Konsultasi untuk petugas Dinas Koperasi.")
            if dinas
            else N_("Konsultasi untuk pengurus koperasi."),
        )
    try:
        found = await service.consultation_for(actor, consultation_id)
    except AppError as error:
        return refusal_page(
            request, user, language, error.status, _("Tidak ditemukan"), _(error.message)
        )
    closed = found.row.status is ConsultationStatus.SELESAI
    back = DINAS_CONSULT_PATH if dinas else CONSULT_PATH
    main = (
        stylesheet()
        + (_tabs(DINAS_CONSULT_PATH, _) if dinas else "")
        + tx("h1", found.row.topic)
        + _message_area(_notice(pesan, _))
        + el("section", _consultation_facts(found, language, _), class_="panel")
        + _thread(found, language, _, public=False)
        + ("" if closed else _reply_form(found.row.id, _))
        + el("p", tx("a", _("Kembali ke daftar"), href=back), class_="actions")
    )
    return _signed_in_page(request, user, language, _, found.row.topic, main, not closed)


@get(
    DINAS_CONSULT_PATH + "/{consultation_id:int}",
    include_in_schema=False,
    opt=PAGE,
    name="consultation_dinas_page",
)
async def consultation_dinas_page(
    request: Request[Any, Any, Any], consultation_id: Id, pesan: Notice = None
) -> Response[Any]:
    return await _thread_page(request, consultation_id, True, pesan)


@get(CONSULT_PATH, include_in_schema=False, opt=PAGE, name="consultations_page")
async def consultations_page(
    request: Request[Any, Any, Any], pesan: Notice = None
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is not None and actor.role is Role.DINAS:
        return Redirect(DINAS_CONSULT_PATH, status_code=303, headers=PERSONAL_HEADERS)
    if actor is None or actor.role is not Role.PENGURUS:
        return _refuse_role(
            request,
            user,
            language,
            N_("Konsultasi untuk pengurus koperasi. Masyarakat bertanya lewat halaman Pengaduan."),
        )
    threads = await service.consultations_for(actor)
    forwarded = await service.koperasi_complaints(actor)
    ask = panel(
        "ask-heading",
        _("Bertanya kepada Dinas"),
        el(
            "form",
            field(
                _("Pokok pertanyaan"),
                el("input", id="ask-topic", data_field="topic", maxlength=150, required=True),
                "ask-topic",
            ),
            field(
                _("Pertanyaan"),
                tx(
                    "textarea",
                    "",
                    id="ask-text",
                    data_field="text",
                    rows=5,
                    maxlength=4000,
                    required=True,
                ),
                "ask-text",
                _("Paling sedikit 20 huruf."),
            ),
            tx("button", _("Kirim pertanyaan"), type="submit", class_="button"),
            section_messages(),
            data_api="POST /api/v1/consultations",
            data_notice="sent",
            data_next=CONSULT_PATH + "/{id}",
            data_messages=True,
        ),
    )
    complaints = panel(
        "forwarded-heading",
        _("Pengaduan yang diteruskan Dinas"),
        el(
            "ul",
            *[
                el(
                    "li",
                    tx("a", r.ticket, href=f"{CONSULT_PATH}/pengaduan/{r.id}"),
                    tx("span", f" · {_(r.category.label)} · {when(r.created_at, language)} "),
                    _status_tag(r.status, _),
                )
                for r in forwarded
            ],
            class_="plain-list",
        )
        if forwarded
        else tx("p", _("Tidak ada pengaduan yang diteruskan."), class_="muted"),
    )
    main = (
        stylesheet()
        + tx("h1", _("Konsultasi dengan Dinas"))
        + noscript(_)
        + _message_area(_notice(pesan, _))
        + el(
            "div",
            ask,
            panel(
                "threads-heading",
                _("Konsultasi koperasi Anda"),
                _consultation_list(threads, CONSULT_PATH, language, _),
            ),
            complaints,
            class_="panels",
        )
    )
    return _signed_in_page(request, user, language, _, _("Konsultasi"), main, writes=True)


@get(
    CONSULT_PATH + "/{consultation_id:int}",
    include_in_schema=False,
    opt=PAGE,
    name="consultation_page",
)
async def consultation_page(
    request: Request[Any, Any, Any], consultation_id: Id, pesan: Notice = None
) -> Response[Any]:
    return await _thread_page(request, consultation_id, False, pesan)


@get(
    CONSULT_PATH + "/pengaduan/{complaint_id:int}",
    include_in_schema=False,
    opt=PAGE,
    name="complaint_koperasi_page",
)
async def complaint_koperasi_page(
    request: Request[Any, Any, Any], complaint_id: Id, pesan: Notice = None
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.PENGURUS:
        return _refuse_role(request, user, language, N_("Untuk pengurus koperasi."))
    try:
        found = await service.complaint_for(actor, complaint_id)
    except AppError as error:
        return refusal_page(
            request, user, language, error.status, _("Tidak ditemukan"), _(error.message)
        )
    reply = ""
    if not found.row.status.closed:
        reply = panel(
            "reply-heading",
            _("Jawaban koperasi"),
            el(
                "form",
                _textarea(
                    "koperasi-reply",
                    _("Jawaban"),
                    True,
                    _(
                        "Jawaban dikirim lewat Dinas dan terlihat oleh pelapor sebagai jawaban "
                        "koperasi."
                    ),
                ),
                el("input", type="hidden", data_field="action", value="balasan"),
                tx("button", _("Kirim jawaban"), type="submit", class_="button"),
                section_messages(),
                data_api=f"POST /api/v1/complaints/{complaint_id}/actions",
                data_notice="sent",
                data_messages=True,
            ),
        )
    main = (
        stylesheet()
        + tx("h1", _("Pengaduan {ticket}", ticket=found.row.ticket))
        + _message_area(_notice(pesan, _))
        + el(
            "section",
            _complaint_facts(found, language, _),
            tx("h2", _("Isi pengaduan"), id="body-heading"),
            tx("p", found.body, class_="prose"),
            class_="panel",
        )
        + _timeline(found.events, language, _, public=True)
        + reply
        + el("p", tx("a", _("Kembali"), href=CONSULT_PATH), class_="actions")
    )
    return _signed_in_page(
        request, user, language, _, _("Pengaduan {ticket}", ticket=found.row.ticket), main, True
    )


# --- the public consultation (online, plain HTML forms) ------------------------------------


def _public_ask_main(
    regions: list[service.RegionChoice],
    challenge: Any,
    values: dict[str, str],
    error: str,
    _: Translate,
) -> str:
    def value(name: str) -> str:
        return values.get(name, "")

    return (
        stylesheet()
        + tx("h1", _("Konsultasi dengan Dinas Koperasi"))
        + tx(
            "p",
            _("Tanyakan soal perkoperasian. Tulis nomor telepon atau email agar bisa dijawab."),
            class_="lead",
        )
        + (tx("p", error, class_="error-box", role="alert") if error else "")
        + el(
            "form",
            field(
                _("Dinas tujuan"),
                el(
                    "select",
                    "".join(
                        tx(
                            "option",
                            f"{r.dinas_name} ({r.name})",
                            value=r.slug,
                            selected=value("region") == r.slug,
                        )
                        for r in regions
                    ),
                    id="ask-region",
                    name="region",
                    required=True,
                ),
                "ask-region",
            ),
            field(
                _("Pokok pertanyaan"),
                el(
                    "input",
                    id="ask-topic",
                    name="topic",
                    maxlength=150,
                    required=True,
                    value=value("topic"),
                ),
                "ask-topic",
            ),
            field(
                _("Pertanyaan"),
                tx(
                    "textarea",
                    value("text"),
                    id="ask-text",
                    name="text",
                    rows=5,
                    maxlength=4000,
                    required=True,
                ),
                "ask-text",
                _("Paling sedikit 20 huruf."),
            ),
            field(
                _("Nama"),
                el(
                    "input",
                    id="ask-name",
                    name="name",
                    maxlength=120,
                    autocomplete="name",
                    value=value("name"),
                ),
                "ask-name",
            ),
            field(
                _("Nomor telepon"),
                el(
                    "input",
                    id="ask-phone",
                    name="phone",
                    type="tel",
                    maxlength=20,
                    autocomplete="tel",
                    value=value("phone"),
                ),
                "ask-phone",
            ),
            field(
                _("Email"),
                el(
                    "input",
                    id="ask-email",
                    name="email",
                    type="email",
                    maxlength=200,
                    autocomplete="email",
                    value=value("email"),
                ),
                "ask-email",
            ),
            el(
                "div",
                tx("label", "Website", for_="ask-website"),
                el("input", id="ask-website", name="website", tabindex="-1", autocomplete="off"),
                hidden=True,
            ),
            el("input", type="hidden", name="challenge", value=challenge.token),
            field(
                _("Pertanyaan pengaman: berapa {question}?", question=challenge.question),
                el(
                    "input",
                    id="ask-answer",
                    name="answer",
                    inputmode="numeric",
                    autocomplete="off",
                    maxlength=10,
                    required=True,
                ),
                "ask-answer",
            ),
            tx("button", _("Kirim pertanyaan"), type="submit", class_="button"),
            method="post",
            action=CONSULT_PATH + "/tanya",
            class_="panel",
        )
    )


async def _public_ask_response(
    request: Request[Any, Any, Any], values: dict[str, str], error: str, status: int
) -> Response[str]:
    language = language_of_request(request)
    _ = translator(language)
    challenge = await service.new_challenge()
    main = _public_ask_main(await service.places(), challenge, values, error, _)
    return document(
        request,
        language=language,
        _=_,
        title=_("Konsultasi"),
        main_html=main,
        user=user_of(request),
        scripts=(),
        status=status,
        headers=PERSONAL_HEADERS,
    )


@get(CONSULT_PATH + "/tanya", include_in_schema=False, opt=PUBLIC, name="consultation_ask_page")
async def consultation_ask_page(request: Request[Any, Any, Any]) -> Response[str]:
    try:
        limits_of(request.app.state).challenge.check(client_ip(request.scope) or "unknown")
    except TooManyRequests as error:
        return _public_refusal(request, 429, error.message)
    return await _public_ask_response(request, {}, "", 200)


@post(CONSULT_PATH + "/tanya", include_in_schema=False, opt=PUBLIC, name="consultation_ask")
async def consultation_ask(request: Request[Any, Any, Any], data: Form) -> Response[Any]:
    values = {k: str(v)[:5000] for k, v in data.items()}
    language = language_of_request(request)
    _ = translator(language)
    try:
        limits_of(request.app.state).consultation.check(client_ip(request.scope) or "unknown")
        if values.get("website"):
            return _public_refusal(request, 422, N_("Konsultasi ditolak."))
        question = service.QuestionIn(
            values.get("topic", ""),
            values.get("text", ""),
            values.get("name", ""),
            values.get("phone", ""),
            values.get("email", ""),
        )
        made = await service.ask_public(
            values.get("region", ""), question, values.get("challenge"), values.get("answer")
        )
    except TooManyRequests as error:
        return _public_refusal(request, 429, error.message)
    except AppError as error:
        params = getattr(error, "params", {}) or {}
        return await _public_ask_response(request, values, _(error.message, **params), error.status)
    return Redirect(
        f"{CONSULT_PATH}/tiket/{made.ticket}?pesan=sent", status_code=303, headers=PERSONAL_HEADERS
    )


@get(
    CONSULT_PATH + "/tiket/{ticket:str}",
    include_in_schema=False,
    opt=PUBLIC,
    name="consultation_ticket_page",
)
async def consultation_ticket_page(
    request: Request[Any, Any, Any], ticket: Ticket, pesan: Notice = None
) -> Response[Any]:
    limited = _limited(request)
    if limited is not None:
        return limited
    try:
        found = await service.consultation_by_ticket(ticket)
    except AppError as error:
        return _public_refusal(request, error.status, error.message)
    language = language_of_request(request)
    _ = translator(language)
    closed = found.row.status is ConsultationStatus.SELESAI
    reply = (
        ""
        if closed
        else panel(
            "reply-heading",
            _("Tulis lagi"),
            el(
                "form",
                field(
                    _("Pesan"),
                    tx(
                        "textarea",
                        "",
                        id="ticket-message",
                        name="text",
                        rows=4,
                        maxlength=4000,
                        required=True,
                    ),
                    "ticket-message",
                ),
                tx("button", _("Kirim"), type="submit", class_="button"),
                method="post",
                action=f"{CONSULT_PATH}/tiket/{found.row.ticket}/pesan",
            ),
        )
    )
    about = facts(
        [
            (_("Nomor tiket"), found.row.ticket),
            (_("Status"), _(found.row.status.label)),
            (_("Dibuka"), when(found.row.created_at, language)),
        ]
    )
    main = (
        stylesheet()
        + tx("h1", found.row.topic)
        + tx(
            "p",
            _("Simpan nomor tiket ini: siapa pun yang memegangnya bisa melihat halaman ini."),
            class_="hint",
        )
        + _message_area(_notice(pesan, _))
        + el("section", about, class_="panel")
        + _thread(found, language, _, public=True)
        + reply
    )
    return document(
        request,
        language=language,
        _=_,
        title=found.row.topic,
        main_html=main,
        user=user_of(request),
        scripts=(),
        headers=PERSONAL_HEADERS,
    )


@post(
    CONSULT_PATH + "/tiket/{ticket:str}/pesan",
    include_in_schema=False,
    opt=PUBLIC,
    name="consultation_ticket_message",
)
async def consultation_ticket_message(
    request: Request[Any, Any, Any], ticket: Ticket, data: Form
) -> Response[Any]:
    try:
        limits_of(request.app.state).info.check(client_ip(request.scope) or "unknown")
        await service.reply_by_ticket(ticket, str(data.get("text", ""))[:5000])
    except AppError as error:
        params = getattr(error, "params", {}) or {}
        _ = translator(language_of_request(request))
        return _public_refusal(request, error.status, _(error.message, **params))
    clean = normalise_ticket(ticket) or ticket
    return Redirect(
        f"{CONSULT_PATH}/tiket/{quote(clean)}?pesan=sent", status_code=303, headers=PERSONAL_HEADERS
    )


COMPLAINT_PAGES = [
    complaint_page,
    complaint_lookup,
    complaint_ticket_page,
    complaint_add_info,
    complaints_dinas_page,
    complaint_dinas_page,
    consultations_dinas_page,
    consultation_dinas_page,
    consultations_page,
    consultation_page,
    complaint_koperasi_page,
    consultation_ask_page,
    consultation_ask,
    consultation_ticket_page,
    consultation_ticket_message,
]
