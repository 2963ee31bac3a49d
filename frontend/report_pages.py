"""Report pages for the Dinas's periodic reports:

- `/laporan` — the pengurus fills the report forms, with or without signal. Like the till,
  the page is an app shell, the same for everyone in one language (no name, no koperasi,
  no CSRF token), precached by the service worker, so it opens offline. The forms
  themselves are data (`backend/reporting/forms.py`) rendered here as fields; who is
  signed in, the periods filed or missing, the books' figures the forms open with, drafts,
  and the queue of filled forms not yet sent live in IndexedDB (`service_worker/outbox.js`,
  `KoroenaReports`) and are drawn by `service_worker/forms.js`.
- `/pengawasan/laporan` — a Dinas officer: which koperasi of the region filed the report
  of a period (and who is late), each submission, and the period's Excel export.
- `/laporan/kiriman/{id}` — one submission, declared figures beside the books' figures
  when it arrived and their difference, with every revision; for the koperasi's pengurus
  and the region's Dinas. Personal pages: `Cache-Control: no-store`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.params import PathParameter, QueryParameter

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE, PUBLIC
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.formatting import long_date, number
from backend.reporting import service
from backend.reporting.domain import (
    FieldDef,
    FieldType,
    FormDef,
    PeriodKind,
    Rejected,
    parse_period,
    period_label,
    recent_periods,
)
from backend.reporting.forms import CURRENT, form_version
from backend.tenancy.tables import Region
from backend.texts import N_
from frontend.document import element as el
from frontend.document import frame_html, page
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    PUBLIC_HEADERS,
    document,
    facts,
    language_of_request,
    message_boxes,
    noscript,
    refusal_page,
    script_messages,
    sign_in_redirect,
    when,
)

SERVICE_WORKER_DIR = Path(__file__).resolve().parents[1] / "service_worker"
REPORTS_PATH = "/laporan"
DINAS_PATH = "/pengawasan/laporan"
SUBMISSION_PATH = "/laporan/kiriman"
FORMS_MODULE = "forms.js"
FORMS_JS = "/sw/" + FORMS_MODULE
OUTBOX_JS = "/sw/outbox.js"
REPORTS_CSS = "/static/reports.css"
EXPORT_PATH = "/api/v1/reports/region/export"
MINUS = "\u2212"


def today() -> date:
    return service.region_today()


def module_paths() -> list[Path]:
    """The page's own script (outbox.js is the till's too and served with it)."""
    return [SERVICE_WORKER_DIR / FORMS_MODULE]


def precache_urls() -> list[str]:
    """What the service worker stores at install for the forms to open offline."""
    return [REPORTS_PATH, FORMS_JS]


# What the script may say, by key (see forms.js `text()`).
MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "storage_unsupported": N_(
        "Peramban ini tidak bisa menyimpan laporan di perangkat. Pakai Chrome versi terbaru."
    ),
    "who": N_("{koperasi} · {person}"),
    "who_offline": N_("(data tersimpan, tanpa sinyal)"),
    "never_synced": N_("belum pernah"),
    "pending_none": N_("Semua laporan sudah terkirim."),
    "state_offline": N_(
        "Tidak ada sinyal. Laporan tersimpan di ponsel ini dan dikirim otomatis nanti."
    ),
    "state_auth": N_(
        "Sesi habis, masuk lagi. Laporan tetap tersimpan di ponsel ini dan dikirim setelah "
        "Anda masuk."
    ),
    "state_forbidden": N_(
        "Akun yang sedang masuk tidak boleh mengirim laporan ini. Laporan tetap tersimpan; "
        "masuk sebagai pengurus koperasinya."
    ),
    "state_error": N_(
        "Server belum bisa menerima laporan (kode {status}). Laporan tetap tersimpan dan "
        "dicoba lagi otomatis."
    ),
    "state_review": N_("{count} laporan perlu ditinjau (lihat di bawah)."),
    "quarter": N_("Triwulan {quarter} {year}"),
    "status_filed": N_("Sudah dikirim (revisi {revision})"),
    "status_missing": N_("Belum dikirim · jatuh tempo {date}"),
    "status_overdue": N_("Terlambat · jatuh tempo {date}"),
    "status_unknown": N_("Status belum diketahui"),
    "status_pending": N_("Menunggu sinyal"),
    "status_draft": N_("Draf tersimpan"),
    "action_fill": N_("Isi laporan"),
    "action_draft": N_("Lanjutkan draf"),
    "action_correct": N_("Kirim koreksi"),
    "action_view": N_("Lihat"),
    "action_label": N_("{action} {period}"),
    "view_label": N_("Lihat laporan {period} yang sudah dikirim"),
    "status_source_server": N_("Status dari server, {time}."),
    "status_source_cached": N_("Status tersimpan di ponsel, {time}. Bisa sudah berubah."),
    "status_source_none": N_(
        "Status dari server belum tersimpan di ponsel ini. Buka halaman ini saat ada sinyal."
    ),
    "no_periods": N_("Tidak ada periode."),
    "fill_heading": N_("{form} · {period}"),
    "prefill_server": N_(
        "Angka dari pembukuan per {time} sudah terisi. Periksa, ubah bila perlu, lalu kirim."
    ),
    "prefill_missing": N_(
        "Angka dari pembukuan untuk periode ini belum tersimpan di ponsel. Isi sendiri, atau "
        "buka lagi saat ada sinyal."
    ),
    "draft_restored": N_("Draf dari {time} dibuka lagi."),
    "correction_notice": N_(
        "Laporan periode ini sudah dikirim (revisi {revision}). Yang Anda kirim sekarang "
        "menjadi koreksi (revisi {next}); laporan lama tetap tersimpan."
    ),
    "already_pending": N_(
        "Laporan periode ini sudah tersimpan di ponsel dan menunggu sinyal. Tunggu sampai "
        "terkirim sebelum mengirim koreksi."
    ),
    "from_books": N_("Dari pembukuan: {amount}"),
    "from_books_none": N_("Dari pembukuan: belum tersimpan"),
    "draft_saved": N_("Draf tersimpan di ponsel, {time}."),
    "required": N_("Wajib diisi."),
    "not_number": N_("Isi dengan angka bulat, tanpa koma."),
    "negative": N_("Tidak boleh kurang dari nol."),
    "too_large": N_("Angka ini terlalu besar."),
    "too_long": N_("Paling banyak {max} huruf."),
    "reason_required": N_("Tulis alasan koreksi: apa yang berubah dari laporan sebelumnya."),
    "invalid_count": N_("{count} isian perlu diperbaiki. Lihat tanda di bawah tiap isian."),
    "queued": N_("Laporan tersimpan di ponsel, menunggu sinyal."),
    "sent": N_("Laporan {label} terkirim ke Dinas (revisi {revision})."),
    "save_failed": N_("Laporan tidak tersimpan di perangkat: {error}. Coba lagi."),
    "review_fix": N_("Perbaiki"),
    "review_fix_label": N_("Perbaiki {label}"),
    "dismiss": N_("Hapus"),
    "review_dismiss": N_("Hapus {label} dari daftar tinjauan"),
    "confirm_dismiss": N_(
        "Hapus dari daftar? Laporan ini ditolak server dan tidak akan dikirim lagi."
    ),
    "problem": N_("{field}: {message}"),
    "refreshed": N_("Status laporan diperbarui."),
}


# --- /laporan: the shell --------------------------------------------------------------------


def _screen(screen_id: str, heading: str, *children: str, hidden: bool = True) -> str:
    heading_id = f"{screen_id}-heading"
    return el(
        "section",
        tx("h2", heading, id=heading_id, tabindex="-1"),
        *children,
        id=screen_id,
        class_="report-screen",
        aria_labelledby=heading_id,
        hidden=hidden,
    )


def _sync_panel(_: Translate) -> str:
    return el(
        "section",
        tx("h2", _("Status kirim"), id="sync-heading", class_="visually-hidden"),
        el(
            "p",
            tx("span", _("Belum terkirim:")),
            " ",
            tx("strong", "…", id="sync-pending"),
            tx("span", " · ", aria_hidden="true"),
            tx("span", _("Terakhir terkirim:")),
            " ",
            tx("span", "—", id="sync-last"),
            class_="report-sync-line",
        ),
        el("p", id="sync-state", class_="report-sync-state", role="status"),
        el(
            "div",
            tx(
                "a",
                _("Masuk lagi"),
                href="/masuk?next=/laporan",
                id="sync-signin",
                class_="button",
                hidden=True,
            ),
            tx(
                "button",
                _("Kirim sekarang"),
                type="button",
                id="sync-now",
                class_="button button-secondary",
            ),
            tx(
                "button",
                _("Perbarui status"),
                type="button",
                id="status-refresh",
                class_="button button-secondary",
            ),
            class_="actions",
        ),
        id="report-sync",
        class_="report-sync",
        aria_labelledby="sync-heading",
        hidden=True,
    )


def _control(form: FormDef, f: FieldDef, _: Translate) -> str:
    control_id = f"{form.key}-{f.key}"
    described = [f"{control_id}-hint"] if f.hint else []
    if f.prefill:
        described.append(f"{control_id}-books")
    described.append(f"{control_id}-error")
    common: dict[str, Any] = {
        "id": control_id,
        "name": f.key,
        "required": f.required,
        "aria_describedby": " ".join(described),
        "data_key": f.key,
        "data_type": f.type.value,
    }
    if f.numeric:
        return el(
            "input",
            type="text",
            inputmode="text" if f.signed else "numeric",
            autocomplete="off",
            class_="report-amount",
            data_signed="1" if f.signed else None,
            **common,
        )
    attributes = {**common, "maxlength": f.limit, "data_pattern_hint": _(f.pattern_hint) or None}
    if f.multiline:
        return el("textarea", rows=3, **attributes)
    return el("input", type="text", pattern=f.pattern or None, autocomplete="off", **attributes)


def _field(form: FormDef, f: FieldDef, _: Translate) -> str:
    control_id = f"{form.key}-{f.key}"
    label = _(f.label) + (" (Rp)" if f.type is FieldType.RUPIAH else "")
    return el(
        "div",
        tx("label", label, for_=control_id),
        _control(form, f, _),
        tx("p", _(f.hint), id=f"{control_id}-hint", class_="hint") if f.hint else "",
        el("p", id=f"{control_id}-books", class_="hint report-books") if f.prefill else "",
        el("p", id=f"{control_id}-error", class_="report-error"),
        class_="field report-field",
        data_field=f.key,
    )


def _form_fields(form: FormDef, _: Translate) -> str:
    return el(
        "div",
        tx("p", _(form.description), class_="hint"),
        *[
            el(
                "fieldset",
                tx("legend", _(section.title)),
                *[_field(form, f, _) for f in section.fields],
                class_="report-section",
            )
            for section in form.sections
        ],
        class_="report-fields",
        data_form=form.key,
        data_version=str(form.version),
        data_kind=form.period_kind.value,
        data_title=_(form.title),
        data_due_days=str(form.due_days),
        hidden=True,
    )


def _fill_screen(_: Translate) -> str:
    correction = el(
        "fieldset",
        tx("legend", _("Koreksi")),
        el(
            "div",
            tx("label", _("Alasan koreksi"), for_="correction-reason"),
            el(
                "textarea",
                id="correction-reason",
                name="correction_reason",
                rows=2,
                maxlength=500,
                aria_describedby="correction-reason-hint correction-reason-error",
            ),
            tx(
                "p",
                _("Apa yang berubah dari laporan sebelumnya, dan mengapa."),
                id="correction-reason-hint",
                class_="hint",
            ),
            el("p", id="correction-reason-error", class_="report-error"),
            class_="field",
        ),
        id="correction",
        class_="report-section",
        hidden=True,
    )
    return _screen(
        "screen-fill",
        _("Isi laporan"),
        el("p", id="fill-source", class_="status-box"),
        el("p", id="fill-correction", class_="notice", hidden=True),
        el(
            "form",
            *[_form_fields(form, _) for form in CURRENT.values()],
            correction,
            el("p", id="draft-status", class_="hint", aria_live="polite"),
            el(
                "div",
                tx("button", _("Kirim laporan"), type="submit", id="fill-send", class_="button"),
                tx(
                    "button",
                    _("Simpan draf dan kembali"),
                    type="button",
                    id="fill-back",
                    class_="button button-secondary",
                ),
                class_="actions",
            ),
            id="fill-form",
            novalidate=True,
            aria_labelledby="screen-fill-heading",
        ),
    )


def reports_html(_: Translate) -> str:
    """The `<main>` of /laporan (the same for everyone in one language)."""
    options = "".join(tx("option", _(form.title), value=form.key) for form in CURRENT.values())
    choose = _screen(
        "screen-choose",
        _("Pilih laporan"),
        el(
            "div",
            tx("label", _("Formulir"), for_="choose-form"),
            el("select", options, id="choose-form", name="form"),
            class_="field",
        ),
        el("p", id="status-source", class_="hint"),
        el("ul", id="periods", class_="plain-list report-periods", aria_label=_("Periode")),
    )
    review = el(
        "section",
        tx("h2", _("Perlu ditinjau"), id="review-heading"),
        tx(
            "p",
            _(
                "Laporan yang ditolak server, dengan alasannya. Perbaiki lalu kirim lagi "
                "(sebagai laporan baru), atau hapus."
            ),
            class_="hint",
        ),
        el("ul", id="review", class_="plain-list report-review"),
        class_="report-extra",
        id="review-section",
        aria_labelledby="review-heading",
        hidden=True,
    )
    return el(
        "div",
        el("link", rel="stylesheet", href=REPORTS_CSS),
        tx("h1", _("Laporan ke Dinas")),
        el("p", id="reports-who", class_="muted"),
        noscript(_),
        message_boxes(),
        _sync_panel(_),
        _screen("screen-loading", _("Memuat laporan…"), hidden=False),
        _screen(
            "screen-signin",
            _("Masuk dulu"),
            tx("p", _("Laporan ke Dinas diisi oleh pengurus koperasi yang sudah masuk.")),
            tx("a", _("Masuk"), href="/masuk?next=/laporan", class_="button"),
        ),
        _screen(
            "screen-role",
            _("Bukan untuk peran ini"),
            tx(
                "p",
                _(
                    "Laporan ke Dinas diisi oleh pengurus koperasi. Ganti peran aktif di "
                    "halaman Akun."
                ),
            ),
            el(
                "p",
                tx("a", _("Ke halaman Akun"), href="/akun", class_="button"),
                " ",
                tx(
                    "a",
                    _("Rekap laporan koperasi (Dinas)"),
                    href=DINAS_PATH,
                    id="role-dinas",
                    class_="button button-secondary",
                    hidden=True,
                ),
                class_="actions",
            ),
        ),
        choose,
        _fill_screen(_),
        review,
        script_messages(_, MESSAGES, MESSAGES.keys()),
        class_="reports",
        id="reports",
    )


def reports_document(language: str) -> str:
    _ = translator(language)
    # signed_in=None: the shell is the same for everyone, so no account item in the header.
    body = frame_html(language, _, REPORTS_PATH, reports_html(_), signed_in=None)
    return page(
        title=_("Laporan ke Dinas") + " · Koroena",
        language=language,
        body_html=body,
        component=None,
        _=_,
        scripts=(OUTBOX_JS, FORMS_JS),
    )


@get(REPORTS_PATH, include_in_schema=False, opt=PUBLIC, name="reports_page")
async def reports_page(request: Request[Any, Any, Any]) -> Response[str]:
    return Response(
        reports_document(language_of_request(request)),
        media_type="text/html",
        headers=PUBLIC_HEADERS,
    )


def forms_module_route() -> Any:
    """The page's script from service_worker/ (read once, when the app is made)."""
    source = (SERVICE_WORKER_DIR / FORMS_MODULE).read_text(encoding="utf-8")

    @get(FORMS_JS, include_in_schema=False, opt=PUBLIC, name="reports_module")
    async def reports_module() -> Response[str]:
        return Response(source, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    return reports_module


# --- the Dinas and the submissions -------------------------------------------------------------


def _money(amount: int) -> str:
    digits = number(abs(amount))
    return (MINUS if amount < 0 else "") + "Rp " + digits


def _value(kind: FieldType, value: object, _: Translate) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return _money(value) if kind is FieldType.RUPIAH else number(value)
    return str(value)


def _period_text(code: str, language: str, _: Translate) -> str:
    return period_label(parse_period(code), language, _)


def _period_options(chosen: str, language: str, _: Translate) -> str:
    groups = []
    for form in CURRENT.values():
        periods = recent_periods(
            form.period_kind, today(), 12 if form.period_kind is PeriodKind.MONTH else 8
        )
        asked = parse_period(chosen)
        if asked.kind is form.period_kind and asked not in periods:
            periods.insert(0, asked)  # an older (or later) period asked for by its address
        groups.append(
            el(
                "optgroup",
                *[
                    tx(
                        "option",
                        period_label(p, language, _),
                        value=p.code,
                        selected=p.code == chosen,
                    )
                    for p in periods
                ],
                label=_(form.title),
            )
        )
    return "".join(groups)


def _status_tag(filed: bool, overdue: bool, revisions: int, _: Translate) -> str:
    if filed:
        text = _("Sudah mengirim") + (
            " · " + _("{count} revisi", count=revisions) if revisions > 1 else ""
        )
        return tx("span", text, class_="tag report-tag-filed")
    if overdue:
        return tx("span", _("Terlambat"), class_="tag report-tag-overdue")
    return tx("span", _("Belum mengirim"), class_="tag report-tag-missing")


def _stylesheet() -> str:
    return el("link", rel="stylesheet", href=REPORTS_CSS)


@get(DINAS_PATH, include_in_schema=False, opt=PAGE, name="reports_dinas_page")
async def reports_dinas_page(
    request: Request[Any, Any, Any],
    period: Annotated[str | None, QueryParameter(max_length=10)] = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.DINAS:
        message = _("Rekap laporan koperasi untuk petugas Dinas Koperasi.")
        if actor is not None and actor.role is Role.PENGURUS:
            message += " " + _("Pengurus mengisi laporan koperasinya di halaman Laporan.")
        return refusal_page(request, user, language, 403, _("Tidak diizinkan"), message)
    code = period or recent_periods(PeriodKind.MONTH, today(), 1)[0].code
    try:
        report = await service.region_reports(actor.region_id, code, today())
    except Rejected as refused:
        return refusal_page(
            request, user, language, 404, _("Periode tidak dikenal"), _(refused.message)
        )
    region = await Region.select(Region.name).where(Region.id == actor.region_id).first()
    region_name = str(region["name"]) if region else ""
    label = _period_text(report.period, language, _)
    chooser = el(
        "form",
        el(
            "div",
            tx("label", _("Laporan dan periode"), for_="period"),
            el("select", _period_options(report.period, language, _), id="period", name="period"),
            class_="field",
        ),
        tx("button", _("Tampilkan"), type="submit", class_="button"),
        method="get",
        action=DINAS_PATH,
        class_="panel chooser",
    )
    summary = el(
        "p",
        _(
            "{filed} dari {total} koperasi sudah mengirim {form} {period}; {overdue} terlambat "
            "(jatuh tempo {due}).",
            filed=report.filed,
            total=len(report.rows),
            form=_(report.title).lower(),
            period=label,
            overdue=report.overdue,
            due=long_date(report.due, language),
        ),
        class_="lead",
    )
    rows = []
    for row in report.rows:
        latest = row.latest
        open_link = (
            tx(
                "a",
                _("Lihat"),
                href=f"{SUBMISSION_PATH}/{latest.id}",
                aria_label=_("Lihat laporan {koperasi}", koperasi=row.name),
            )
            if latest is not None
            else "—"
        )
        rows.append(
            el(
                "tr",
                tx("th", row.name, scope="row"),
                el("td", _status_tag(row.filed, row.overdue, row.revisions, _)),
                tx("td", str(latest.revision) if latest else "—", class_="num"),
                tx("td", when(latest.received_at, language) if latest else "—"),
                el("td", open_link),
            )
        )
    table = el(
        "div",
        el(
            "table",
            tx("caption", _("Koperasi dan laporannya"), id="filings-caption"),
            el(
                "thead",
                el(
                    "tr",
                    tx("th", _("Koperasi"), scope="col"),
                    tx("th", _("Status"), scope="col"),
                    tx("th", _("Revisi"), scope="col", class_="num"),
                    tx("th", _("Diterima"), scope="col"),
                    tx("th", _("Rincian"), scope="col"),
                ),
            ),
            el("tbody", *rows),
            class_="table",
        ),
        class_="table-wrap",
        role="region",
        aria_labelledby="filings-caption",
        tabindex="0",
    )
    export = tx(
        "a",
        _("Unduh Excel"),
        href=EXPORT_PATH + "?" + urlencode({"period": report.period}),
        class_="button button-secondary",
        download=True,
    )
    main = (
        _stylesheet()
        + tx("h1", _("Laporan koperasi ke Dinas"))
        + tx("p", region_name, class_="muted")
        + chooser
        + tx("h2", f"{_(report.title)} · {label}", id="period-heading")
        + summary
        + table
        + el("p", export, class_="actions")
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Laporan koperasi ke Dinas"),
        main_html=main,
        user=user,
        scripts=(),
        headers=PERSONAL_HEADERS,
    )


def _comparison_table(detail: service.SubmissionDetail, language: str, _: Translate) -> str:
    form = form_version(detail.summary.form, detail.summary.version)
    assert form is not None  # submission() refuses versions it does not know
    by_key = {row.key: row for row in detail.rows}
    sections = []
    for section in form.sections:
        numbers = [f for f in section.fields if f.numeric]
        texts = [f for f in section.fields if not f.numeric]
        parts = [tx("h3", _(section.title))]
        if numbers:
            body = []
            for f in numbers:
                row = by_key[f.key]
                difference = row.difference
                note = detail.notes.get(f.key) or ""
                books = _value(f.type, row.books, _) if f.prefill else _("tidak dari pembukuan")
                diff_text = "—"
                diff_class = "num"
                if difference is not None:
                    diff_text = (
                        _money(difference)
                        if f.type is FieldType.RUPIAH
                        else (MINUS if difference < 0 else "") + number(abs(difference))
                    )
                    if difference:
                        diff_class = "num report-differs"
                body.append(
                    el(
                        "tr",
                        el(
                            "th",
                            tx("span", _(f.label)),
                            tx("span", _(note), class_="hint report-note") if note else "",
                            scope="row",
                        ),
                        tx("td", _value(f.type, row.declared, _), class_="num"),
                        tx("td", books, class_="num"),
                        tx("td", diff_text, class_=diff_class),
                    )
                )
            caption_id = f"section-{section.key}"
            parts.append(
                el(
                    "div",
                    el(
                        "table",
                        tx("caption", _(section.title), id=caption_id, class_="visually-hidden"),
                        el(
                            "thead",
                            el(
                                "tr",
                                tx("th", _("Isian"), scope="col"),
                                tx("th", _("Dilaporkan"), scope="col", class_="num"),
                                tx("th", _("Dari pembukuan"), scope="col", class_="num"),
                                tx("th", _("Selisih"), scope="col", class_="num"),
                            ),
                        ),
                        el("tbody", *body),
                        class_="table report-compare",
                    ),
                    class_="table-wrap",
                    role="region",
                    aria_labelledby=caption_id,
                    tabindex="0",
                )
            )
        if texts:
            parts.append(
                facts([(_(f.label), _value(f.type, by_key[f.key].declared, _)) for f in texts])
            )
        sections.append(el("section", *parts, class_="panel report-detail-section"))
    return "".join(sections)


@get(
    SUBMISSION_PATH + "/{submission_id:int}",
    include_in_schema=False,
    opt=PAGE,
    name="report_submission_page",
)
async def report_submission_page(
    request: Request[Any, Any, Any],
    submission_id: Annotated[int, PathParameter(gt=0)],
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None:
        return refusal_page(
            request, user, language, 403, _("Tidak diizinkan"), _("Pilih peran di halaman Akun.")
        )
    try:
        detail = await service.submission_for(actor, submission_id)
    except AppError as error:
        return refusal_page(
            request, user, language, error.status, _("Laporan tidak ditemukan"), _(error.message)
        )
    summary = detail.summary
    label = _period_text(summary.period, language, _)
    back = (
        (DINAS_PATH + "?" + urlencode({"period": summary.period}), _("Kembali ke rekap"))
        if actor.role is Role.DINAS
        else (REPORTS_PATH, _("Kembali ke Laporan"))
    )
    newest = max(detail.history, key=lambda s: s.revision)
    notice = ""
    if not detail.is_latest:
        notice = el(
            "p",
            tx("span", _("Ini bukan revisi terakhir.") + " "),
            tx(
                "a",
                _("Buka revisi {revision}", revision=newest.revision),
                href=f"{SUBMISSION_PATH}/{newest.id}",
            ),
            class_="notice",
        )
    about = facts(
        [
            (_("Koperasi"), detail.koperasi_name),
            (
                _("Periode"),
                f"{label} ({long_date(detail.period_start, language)} – "
                f"{long_date(detail.period_end, language)})",
            ),
            (_("Revisi"), str(summary.revision)),
            (_("Diterima"), when(summary.received_at, language)),
            (_("Diisi di ponsel"), when(summary.created_at, language)),
            (_("Dikirim oleh"), summary.submitted_by or _("Sistem (data contoh)")),
            (_("Alasan koreksi"), summary.correction_reason or None),
        ]
    )
    history = el(
        "ol",
        *[
            el(
                "li",
                tx(
                    "a",
                    _("Revisi {revision}", revision=s.revision),
                    href=f"{SUBMISSION_PATH}/{s.id}",
                    aria_current="page" if s.id == summary.id else None,
                ),
                tx("span", " · " + when(s.received_at, language)),
                tx("span", " · " + s.correction_reason) if s.correction_reason else "",
            )
            for s in sorted(detail.history, key=lambda s: s.revision)
        ],
        class_="report-history",
    )
    main = (
        _stylesheet()
        + tx("h1", f"{_(detail.title)} · {label}")
        + notice
        + about
        + tx(
            "p",
            _(
                "Angka yang dilaporkan koperasi di samping angka pembukuannya saat laporan "
                "diterima. Selisih = dilaporkan − pembukuan."
            ),
            class_="hint",
        )
        + _comparison_table(detail, language, _)
        + el(
            "section",
            tx("h2", _("Riwayat revisi"), id="history-heading"),
            history,
            aria_labelledby="history-heading",
        )
        + el(
            "p", tx("a", back[1], href=back[0], class_="button button-secondary"), class_="actions"
        )
    )
    return document(
        request,
        language=language,
        _=_,
        title=f"{_(detail.title)} · {label}",
        main_html=main,
        user=user,
        scripts=(),
        headers=PERSONAL_HEADERS,
    )


REPORT_PAGES = [reports_page, reports_dinas_page, report_submission_page]
