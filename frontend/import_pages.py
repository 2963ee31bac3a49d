"""The import page (`/pembukuan/impor`): a koperasi moving from spreadsheets brings in its
opening balances and its members with their savings balances. Plain HTML with a small
script (static/imports.js): download a template, choose the filled file, "Periksa" shows
every row with its status and, for bad rows, why (nothing stored), "Impor" sends the same
file again and writes it all or nothing. Only pengurus of the koperasi import; anyone else
gets a refusal page.

The page also shows the suspense account's balance ("selisih saldo awal"): zero when the
opening balances' savings and the members' imported savings agree."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, Response, get

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.formatting import long_date, number, rupiah
from backend.imports import service
from backend.imports.api import suspense_note, today
from backend.imports.domain import SUSPENSE_CODE, SUSPENSE_NAME
from backend.imports.sheets import MAX_BYTES, MAX_ROWS
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    document,
    field,
    language_of_request,
    noscript,
    panel,
    refusal_page,
    script_messages,
    sign_in_redirect,
)

PATH = "/pembukuan/impor"
IMPORTS_JS = "/static/imports.js"
IMPORTS_CSS = "/static/imports.css"
API = "/api/v1/books/imports"

NOT_ALLOWED = N_(
    "Impor data hanya dapat dilakukan oleh pengurus koperasi. Bila Anda pengurus, pilih "
    "peran pengurus sebagai peran aktif di halaman Akun."
)

# What imports.js may say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "choose_file": N_("Pilih berkas Excel (.xlsx) atau CSV dulu."),
    "too_large": N_("Berkas terlalu besar: paling besar {size} MB."),
    "checking": N_("Memeriksa berkas…"),
    "importing": N_("Mengimpor… Jangan tutup halaman ini."),
    "checked": N_("Pemeriksaan selesai."),
    "changed": N_("Berkas atau tanggal berubah: tekan Periksa lagi sebelum mengimpor."),
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "result_heading": N_("Hasil pemeriksaan"),
    "caption": N_("Pratinjau {file}"),
    "row": N_("Baris"),
    "remarks": N_("Hasil periksa"),
    "problems": N_("Yang harus diperbaiki"),
    "more_problems": N_("… dan {count} lagi."),
}
MESSAGE_KEYS = tuple(SCRIPT_MESSAGES)


def _refusal(request: Request[Any, Any, Any], user: CurrentUser, language: str) -> Response[str]:
    _ = translator(language)
    return refusal_page(request, user, language, 403, _("Tidak diizinkan"), _(NOT_ALLOWED))


def _panel_messages(prefix: str) -> str:
    """A panel's own message boxes (passkey.js `showError(message, panel)`)."""
    return el(
        "div",
        el("div", id=f"{prefix}-alert", class_="error-box message", role="alert"),
        el("div", id=f"{prefix}-status", class_="status-box message", role="status"),
    )


def _upload_form(
    prefix: str,
    *,
    date_label: str,
    date_hint: str,
    default_day: date,
    latest: date,
    commit_label: str,
    hidden: bool,
    _: Translate,
) -> str:
    day = el(
        "input",
        type="date",
        id=f"{prefix}-date",
        name="opening_date",
        value=default_day.isoformat(),
        max=latest.isoformat(),
        required=True,
        aria_describedby=f"{prefix}-date-hint",
    )
    upload = el(
        "input",
        type="file",
        id=f"{prefix}-file",
        name="file",
        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
        required=True,
        aria_describedby=f"{prefix}-file-hint",
    )
    limits = _(
        "Excel (.xlsx) atau CSV, paling besar {size} MB, paling banyak {rows} baris.",
        size=MAX_BYTES // (1024 * 1024),
        rows=number(MAX_ROWS),
    )
    return el(
        "form",
        field(date_label, day, f"{prefix}-date", date_hint),
        field(_("Berkas yang sudah diisi"), upload, f"{prefix}-file", limits),
        el(
            "div",
            tx("button", _("Periksa"), type="submit", class_="button"),
            tx(
                "button",
                commit_label,
                type="button",
                class_="button button-secondary",
                data_commit=True,
                disabled=True,
                aria_describedby=f"{prefix}-commit-hint",
            ),
            class_="actions",
        ),
        tx(
            "p",
            _("“Impor” bisa ditekan setelah pemeriksaan tidak menemukan masalah."),
            id=f"{prefix}-commit-hint",
            class_="hint",
        ),
        id=f"{prefix}-form",
        class_="import-form",
        data_kind=prefix,
        data_preview=f"{API}/{'opening-balances' if prefix == 'opening' else 'members'}/preview",
        data_commit_url=f"{API}/{'opening-balances' if prefix == 'opening' else 'members'}",
        data_max_bytes=MAX_BYTES,
        novalidate=True,
        hidden=hidden,
    )


def _template_step(href: str, label: str, _: Translate) -> str:
    return el(
        "li",
        tx("span", _("Unduh templat, isi di Excel, lalu simpan sebagai .xlsx.")),
        el("br"),
        tx("a", label, href=href, class_="button button-secondary", download=True),
    )


def _opening_panel(status: service.ImportStatus, language: str, _: Translate) -> str:
    opening = status.opening
    done = ""
    if opening is not None:
        done = tx(
            "p",
            _(
                "Saldo awal sudah diimpor: jurnal #{number}, tanggal {date}. Saldo awal hanya "
                "diimpor sekali; untuk memperbaikinya, balik jurnal itu di Jurnal umum lalu "
                "impor lagi.",
                number=opening.number,
                date=long_date(opening.entry_date, language),
            ),
            class_="status-box",
            id="opening-done",
        )
    steps = el(
        "ol",
        _template_step(f"{API}/opening-balances/template", _("Unduh templat saldo awal"), _),
        tx(
            "li",
            _(
                "Isi saldo setiap akun: debit atau kredit. Total debit harus sama dengan total "
                "kredit."
            ),
        ),
        tx(
            "li",
            _("Pilih tanggal dan berkasnya, tekan “Periksa”, lalu “Impor” bila tidak ada masalah."),
        ),
        class_="steps",
    )
    yesterday = today() - timedelta(days=1)
    form = _upload_form(
        "opening",
        date_label=_("Tanggal saldo awal"),
        date_hint=_("Sehari sebelum koperasi mulai mencatat di Koroena, misalnya 31 Desember."),
        default_day=yesterday,
        latest=today(),
        commit_label=_("Impor saldo awal"),
        hidden=opening is not None,
        _=_,
    )
    explain = _(
        "Saldo setiap akun neraca pada tanggal saldo awal, dicatat sebagai satu jurnal. Saldo "
        "simpanan pokok, wajib dan sukarela dicatat dulu ke akun {code} {name}, lalu diisi "
        "per anggota lewat impor anggota di bawah.",
        code=SUSPENSE_CODE,
        name=_(SUSPENSE_NAME),
    )
    return panel(
        "opening-heading",
        _("Saldo awal neraca"),
        tx("p", explain, class_="muted"),
        done,
        steps if opening is None else "",
        form,
        _panel_messages("opening"),
        el("div", id="opening-preview", class_="preview", hidden=True),
        id="opening-panel",
    )


def _members_panel(status: service.ImportStatus, _: Translate) -> str:
    steps = el(
        "ol",
        _template_step(f"{API}/members/template", _("Unduh templat anggota"), _),
        tx(
            "li",
            _(
                "Isi satu baris per anggota: nomor anggota, nama, NIK, tanggal masuk, dan saldo "
                "simpanan pokok, wajib dan sukarela."
            ),
        ),
        tx(
            "li",
            _("Pilih tanggal dan berkasnya, tekan “Periksa”, lalu “Impor” bila tidak ada masalah."),
        ),
        class_="steps",
    )
    default_day = status.opening.entry_date if status.opening else today() - timedelta(days=1)
    form = _upload_form(
        "members",
        date_label=_("Tanggal saldo simpanan"),
        date_hint=_("Biasanya sama dengan tanggal saldo awal neraca."),
        default_day=default_day,
        latest=today(),
        commit_label=_("Impor anggota"),
        hidden=False,
        _=_,
    )
    explain = _(
        "Anggota baru beserta saldo simpanannya. Setiap saldo dicatat sebagai setoran dengan "
        "nomor kuitansi, ditambah satu jurnal yang memindahkan jumlahnya dari akun {code} ke "
        "akun simpanan. Bisa dilakukan beberapa kali, misalnya per kelompok anggota.",
        code=SUSPENSE_CODE,
    )
    return panel(
        "members-heading",
        _("Anggota dan saldo simpanan"),
        tx("p", explain, class_="muted"),
        steps,
        form,
        _panel_messages("members"),
        el("div", id="members-preview", class_="preview", hidden=True),
        id="members-panel",
    )


def _suspense_panel(status: service.ImportStatus, _: Translate) -> str:
    balance = status.suspense_balance
    return panel(
        "suspense-heading",
        _("Selisih saldo awal"),
        el(
            "dl",
            el(
                "div",
                tx("dt", _("Saldo akun {code} {name}", code=SUSPENSE_CODE, name=_(SUSPENSE_NAME))),
                tx("dd", rupiah(balance), id="suspense-balance"),
            ),
            class_="facts",
        ),
        tx(
            "p",
            suspense_note(balance, _),
            id="suspense-note",
            class_="notice" if balance else "muted",
        ),
        id="suspense-panel",
    )


@get(PATH, include_in_schema=False, opt=PAGE, name="imports_page")
async def imports_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        return _refusal(request, user, language)
    status = await service.status(actor.koperasi_id)
    koperasi = (user.active.koperasi_name if user.active else None) or ""
    main = (
        el("link", rel="stylesheet", href=IMPORTS_CSS)
        + tx("h1", _("Impor dari Excel"))
        + el(
            "p",
            tx("strong", koperasi),
            el("br"),
            tx(
                "span",
                _(
                    "Pindah dari spreadsheet: impor saldo awal neraca, lalu anggota dan saldo "
                    "simpanannya."
                ),
                class_="muted",
            ),
            class_="lead",
        )
        + noscript(_)
        + el(
            "div",
            _suspense_panel(status, _),
            _opening_panel(status, language, _),
            _members_panel(status, _),
            class_="panels",
        )
        + script_messages(_, SCRIPT_MESSAGES, MESSAGE_KEYS)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Impor dari Excel"),
        main_html=main,
        user=user,
        scripts=(IMPORTS_JS,),
        status=200,
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )
