"""The legality record pages, plain HTML with one small script (`service_worker/record.js`,
served at `/rekam/record.js`; no ReactPy):

- `/rekam` — a pengurus's own koperasi: what to fix, the compliance calendar with
  countdowns, the KUK class with its inputs, the legality profile, deed amendments, board
  and supervisors, and the documents — exactly what the Dinas sees — plus the forms to
  change them and to upload documents.
- `/pengawasan/koperasi/{slug}` — the same record of a koperasi of the officer's region,
  with the verify/reject controls for the profile and each document.
- `/pengawasan/kepatuhan` — the region's compliance calendar: every koperasi's overdue and
  upcoming items, most urgent first, filtered by status.

The Dinas dashboard links here with `record_path(slug)` and `compliance_path(status)`;
the data behind the pages comes from `backend.supervision.service` (`record`,
`region_compliance`, `region_overview`). All pages are personal (`Cache-Control: no-store`)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from litestar import Request, Response, get
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE, PUBLIC
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.formatting import long_date, number, rupiah
from backend.supervision import service
from backend.supervision.compliance import (
    ComplianceItem,
    ComplianceStatus,
    countdown_text,
    item_text,
    rules_for,
)
from backend.supervision.documents import ALLOWED_TYPES, size_text
from backend.supervision.domain import (
    NOT_FILLED_LABEL,
    Bentuk,
    BoardBody,
    DocumentKind,
    VerificationStatus,
    format_npwp,
)
from backend.supervision.kuk import KukResult
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    REGION_TZ,
    document,
    facts,
    field,
    language_of_request,
    noscript,
    panel,
    refusal_page,
    script_messages,
    sign_in_redirect,
)

RECORD_PATH = "/rekam"
DINAS_RECORD_PATH = "/pengawasan/koperasi/"
COMPLIANCE_PATH = "/pengawasan/kepatuhan"
RECORD_JS = "/rekam/record.js"
RECORD_CSS = "/static/record.css"
SCRIPT_FILE = Path(__file__).resolve().parents[1] / "service_worker" / "record.js"
API = "/api/v1/supervision"


def record_path(slug: str) -> str:
    """Where a Dinas officer reads one koperasi's record."""
    return DINAS_RECORD_PATH + quote(slug, safe="")


def compliance_path(status: ComplianceStatus | None = None) -> str:
    """The region's compliance calendar, optionally only one status."""
    return COMPLIANCE_PATH + ("?" + urlencode({"status": status.value}) if status else "")


# What the script may say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "saving": N_("Menyimpan…"),
    "uploading": N_("Mengunggah…"),
    "file_required": N_("Pilih berkas PDF atau gambar."),
    "file_too_large": N_("Berkas terlalu besar: paling besar {size}."),
    "confirm_delete": N_("Hapus dokumen {name}? Dokumen yang dihapus tidak dapat dikembalikan."),
    "amendment_legend": N_("Perubahan akta {n}"),
    "board_legend": N_("Orang {n}"),
    "remove_row": N_("Hapus baris {n}"),
    "field_problem": N_("{label}: {message}"),
    "choose_verdict": N_("Pilih terverifikasi atau ditolak."),
}

# Shown after the script saved something and reloaded the page (`?pesan=<key>`).
NOTICES: dict[str, str] = {
    "profil": N_("Profil legalitas disimpan. Dinas akan memeriksanya."),
    "akta": N_("Daftar perubahan akta disimpan."),
    "susunan": N_("Susunan pengurus dan pengawas disimpan."),
    "dokumen": N_("Dokumen diunggah dan menunggu verifikasi Dinas."),
    "hapus": N_("Dokumen dihapus."),
    "verifikasi": N_("Keputusan verifikasi disimpan."),
}

NOT_ALLOWED = N_("Rekam koperasi hanya untuk pengurus koperasinya dan Dinas wilayahnya.")
DINAS_ONLY = N_("Halaman pengawasan untuk petugas Dinas Koperasi.")


def _stylesheet() -> str:
    return el("link", rel="stylesheet", href=RECORD_CSS)


def _day(value: date | None, language: str, _: Translate) -> str:
    return long_date(value, language) if value else "—"


def _moment(value: datetime | None, language: str) -> str:
    if value is None:
        return ""
    return long_date(value.astimezone(REGION_TZ), language)


def _verification_tag(status: str | None, _: Translate) -> str:
    if status is None:
        return tx("span", _(NOT_FILLED_LABEL), class_="tag verify-kosong")
    state = VerificationStatus(status)
    return tx("span", _(state.label), class_=f"tag verify-{state.value}")


# Compliance


def _status_tag(status: ComplianceStatus, _: Translate) -> str:
    return tx("span", _(status.label), class_=f"tag due-{status.value}")


def compliance_card(
    item: ComplianceItem,
    _: Translate,
    language: str,
    koperasi: service.KoperasiRef | None = None,
) -> str:
    """One item: what, when (countdown and date), its status, and what to do. With
    `koperasi`: the region calendar's line, linking to the koperasi's record."""
    title, action = item_text(item, _, language)
    when = countdown_text(item.days_left, _)
    if item.due_date is not None:
        when += " · " + long_date(item.due_date, language)
    head = []
    if koperasi is not None:
        head.append(
            el(
                "p",
                tx("a", koperasi.name, href=record_path(koperasi.slug)),
                class_="due-koperasi",
            )
        )
    return el(
        "li",
        *head,
        el(
            "p",
            tx("strong", title, class_="due-title"),
            " ",
            _status_tag(item.status, _),
            class_="due-head",
        ),
        tx("p", when, class_="due-when"),
        tx("p", action, class_="due-action"),
        class_=f"due-item due-item-{item.status.value}",
    )


def _compliance_sections(items: list[ComplianceItem], _: Translate, language: str) -> str:
    to_fix = [i for i in items if i.status is not ComplianceStatus.AMAN]
    fix = panel(
        "fix-heading",
        _("Yang perlu diperbaiki"),
        el("ol", *[compliance_card(i, _, language) for i in to_fix], class_="plain-list due")
        if to_fix
        else tx("p", _("Tidak ada yang perlu diperbaiki saat ini."), class_="muted"),
        id="perbaiki",
    )
    calendar = panel(
        "calendar-heading",
        _("Kalender kepatuhan"),
        tx(
            "p",
            _(
                "Batas waktu RAT, laporan RAT, sertifikat NIK dan masa jabatan, paling mendesak "
                "di atas. Segera: 30 hari lagi atau kurang."
            ),
            class_="muted",
        ),
        el("ol", *[compliance_card(i, _, language) for i in items], class_="plain-list due")
        if items
        else tx("p", _("Belum ada batas waktu."), class_="muted"),
        id="kepatuhan",
    )
    return fix + calendar


# KUK


def _bound_text(criterion_money: bool, value: int | None) -> str:
    if value is None:
        return ""
    return rupiah(value) if criterion_money else number(value)


def kuk_section(result: KukResult, as_of: date, _: Translate, language: str) -> str:
    criteria = []
    for c in result.criteria:
        money = c.criterion.is_money
        value = rupiah(c.value) if money else number(c.value)
        notes = []
        if c.next_bound is not None:
            notes.append(
                _(
                    "KUK {next} mulai {bound}",
                    next=c.kuk_class + 1,
                    bound=_bound_text(money, c.next_bound),
                )
            )
        if c.lower_bound is not None:
            notes.append(
                _(
                    "KUK {kuk} mulai {bound}",
                    kuk=c.kuk_class,
                    bound=_bound_text(money, c.lower_bound),
                )
            )
        # Only worth saying when the class is above the lowest (at KUK 1 every criterion
        # "decides").
        decided = c.criterion in result.decided_by and result.kuk_class > 1
        criteria.append(
            el(
                "li",
                el(
                    "p",
                    tx("strong", _(c.criterion.label)),
                    " ",
                    tx("span", _("KUK {kuk}", kuk=c.kuk_class), class_="tag"),
                    " "
                    + (
                        tx("span", _("menentukan kelas"), class_="tag kuk-decides")
                        if decided
                        else ""
                    ),
                    class_="kuk-criterion",
                ),
                tx("p", value, class_="kuk-value"),
                tx("p", " · ".join(notes), class_="muted"),
            )
        )
    decided_by = ", ".join(_(c.label) for c in result.decided_by)
    return panel(
        "kuk-heading",
        _("Klasifikasi usaha koperasi (KUK)"),
        el(
            "p",
            tx("span", _("KUK {kuk}", kuk=result.kuk_class), class_="kuk-class"),
            " ",
            tx("span", _(result.sector.label), class_="tag"),
            class_="kuk-summary",
        ),
        tx(
            "p",
            _(
                "Per {date}. Kelas tertinggi yang dicapai salah satu kriteria; ditentukan oleh: "
                "{criteria}.",
                date=long_date(as_of, language),
                criteria=decided_by,
            )
            if result.kuk_class > 1
            else _(
                "Per {date}. Semua kriteria masih di bawah batas KUK 2.",
                date=long_date(as_of, language),
            ),
        ),
        el("ul", *criteria, class_="plain-list kuk-criteria"),
        tx(
            "p",
            _(
                "Anggota aktif dari daftar anggota; modal sendiri dan total aset dari Neraca "
                "pembukuan. Batas kelas: {source} (versi {version}, perlu diverifikasi). Nilai "
                "tepat pada batas masuk kelas yang lebih tinggi.",
                source=result.source,
                version=result.version,
            ),
            class_="muted small",
        ),
        id="kuk",
    )


# The profile


def _profile_facts(profile: service.ProfileOut | None, _: Translate, language: str) -> str:
    if profile is None:
        return tx("p", _("Profil legalitas belum diisi pengurus."), class_="notice")

    def text(value: str) -> str:
        return value or "—"

    coordinates = ""
    if profile.latitude and profile.longitude:
        coordinates = f"{profile.latitude}, {profile.longitude}"
    rows = [
        (_("Nomor badan hukum"), text(profile.badan_hukum_number)),
        (_("Tanggal badan hukum"), _day(profile.badan_hukum_date, language, _)),
        (_("Akta pendirian"), text(profile.akta_number)),
        (_("Tanggal akta pendirian"), _day(profile.akta_date, language, _)),
        (_("Notaris"), text(profile.akta_notary)),
        (_("Nomor Induk Koperasi (NIK)"), text(profile.nik)),
        (_("Sertifikat NIK terbit"), _day(profile.nik_issued_on, language, _)),
        (_("Sertifikat NIK berlaku sampai"), _day(profile.nik_expires_on, language, _)),
        (_("NIB"), text(profile.nib)),
        (_("Kode KBLI"), text(", ".join(profile.kbli))),
        (_("NPWP"), text(format_npwp(profile.npwp))),
        (_("Izin usaha simpan pinjam"), text(profile.izin_usp_number)),
        (_("Tanggal izin usaha simpan pinjam"), _day(profile.izin_usp_date, language, _)),
        (_("RAT terakhir"), _day(profile.last_rat_date, language, _)),
        (_("Laporan RAT diserahkan"), _day(profile.last_rat_report_date, language, _)),
        (_("Bentuk koperasi"), _(profile.bentuk_label)),
        (_("Kelompok koperasi"), text(profile.kelompok)),
        (_("Koordinat"), text(coordinates)),
    ]
    return facts(rows)


def _verification_note(profile: service.ProfileOut | None, _: Translate, language: str) -> str:
    if profile is None or profile.status == VerificationStatus.MENUNGGU.value:
        if profile is not None and profile.verified_by:
            return tx(
                "p",
                _("Diubah sejak diperiksa Dinas; menunggu pemeriksaan ulang."),
                class_="muted",
            )
        return ""
    who = profile.verified_by or _("Dinas")
    line = _(
        "{status} oleh {who}, {date}.",
        status=_(profile.status_label),
        who=who,
        date=_moment(profile.verified_at, language),
    )
    note = ""
    if profile.verification_note:
        note = tx("p", _("Catatan Dinas: {note}", note=profile.verification_note), class_="notice")
    return tx("p", line, class_="muted") + note


def _control_id(name: str) -> str:
    return "profile-" + name.replace("_", "-")


def _profile_field(label: str, name: str, hint: str, control: str) -> str:
    return field(label, control, _control_id(name), hint)


def _profile_input(name: str, value: str, hint: str, **attributes: Any) -> str:
    return el(
        "input",
        id=_control_id(name),
        name=name,
        value=value,
        data_field=name,
        aria_describedby=_control_id(name) + "-hint" if hint else None,
        **attributes,
    )


def _profile_form(
    profile: service.ProfileOut | None, koperasi_kind: str, today: date, _: Translate
) -> str:
    """The pengurus's form: every field of the profile, prefilled."""
    p = profile
    rules = rules_for(today)

    def text(label: str, name: str, hint: str = "", **attributes: Any) -> str:
        value = str(getattr(p, name) or "") if p is not None else ""
        if name == "npwp":
            value = format_npwp(value)
        if name == "kbli":
            value = ", ".join(p.kbli) if p is not None else ""
        return _profile_field(label, name, hint, _profile_input(name, value, hint, **attributes))

    def day(label: str, name: str, hint: str = "") -> str:
        value: date | None = getattr(p, name) if p is not None else None
        control = _profile_input(name, value.isoformat() if value else "", hint, type="date")
        return _profile_field(label, name, hint, control)

    usp_hint = (
        _("Wajib untuk koperasi simpan pinjam.")
        if koperasi_kind == "ksp"
        else _("Hanya untuk koperasi yang menjalankan usaha simpan pinjam.")
    )
    bentuk = p.bentuk if p is not None else Bentuk.PRIMER.value
    bentuk_hint = _("Koperasi sekunder (anggotanya koperasi) boleh RAT lebih lambat.")
    bentuk_select = el(
        "select",
        *[tx("option", _(b.label), value=b.value, selected=b.value == bentuk) for b in Bentuk],
        id=_control_id("bentuk"),
        name="bentuk",
        data_field="bentuk",
        aria_describedby=_control_id("bentuk") + "-hint",
    )
    numeric = {"inputmode": "numeric", "autocomplete": "off"}
    return el(
        "details",
        tx("summary", _("Ubah profil legalitas"), class_="button button-secondary"),
        el(
            "form",
            el("div", class_="error-box message", role="alert"),
            el("div", class_="status-box message", role="status"),
            text(
                _("Nomor badan hukum"),
                "badan_hukum_number",
                _("Nomor SK pengesahan badan hukum (AHU), seperti tertulis."),
                maxlength=100,
            ),
            day(_("Tanggal badan hukum"), "badan_hukum_date"),
            text(_("Nomor akta pendirian"), "akta_number", maxlength=100),
            day(_("Tanggal akta pendirian"), "akta_date"),
            text(_("Notaris"), "akta_notary", maxlength=200, autocomplete="off"),
            text(
                _("Nomor Induk Koperasi (NIK)"),
                "nik",
                _("{digits} angka, dari sertifikat NIK.", digits=rules.nik_digits),
                maxlength=40,
                **numeric,
            ),
            day(_("Tanggal terbit sertifikat NIK"), "nik_issued_on"),
            day(
                _("Sertifikat NIK berlaku sampai"),
                "nik_expires_on",
                _(
                    "Kosongkan bila sama dengan {years} tahun sejak terbit.",
                    years=rules.nik_valid_years,
                ),
            ),
            text(_("NIB"), "nib", _("Nomor Induk Berusaha, 13 angka."), maxlength=20, **numeric),
            text(
                _("Kode KBLI"),
                "kbli",
                _("Lima angka per kode, pisahkan dengan koma, misalnya 64141, 47111."),
                maxlength=300,
                autocomplete="off",
            ),
            text(
                _("NPWP"),
                "npwp",
                _("15 atau 16 angka; titik dan tanda hubung boleh."),
                maxlength=30,
                **numeric,
            ),
            text(_("Nomor izin usaha simpan pinjam"), "izin_usp_number", usp_hint, maxlength=100),
            day(_("Tanggal izin usaha simpan pinjam"), "izin_usp_date"),
            day(_("Tanggal RAT terakhir"), "last_rat_date"),
            day(
                _("Tanggal laporan RAT diserahkan"),
                "last_rat_report_date",
                _("Tanggal laporan hasil RAT terakhir diserahkan ke Dinas."),
            ),
            _profile_field(_("Bentuk koperasi"), "bentuk", bentuk_hint, bentuk_select),
            text(
                _("Kelompok koperasi"),
                "kelompok",
                _("Misalnya KPRI, Kopwan, KSP, KUD."),
                maxlength=200,
            ),
            text(
                _("Lintang"),
                "latitude",
                _("Derajat desimal, misalnya -7.4726. Boleh dikosongkan."),
                inputmode="decimal",
                maxlength=20,
                autocomplete="off",
            ),
            text(
                _("Bujur"),
                "longitude",
                _("Derajat desimal, misalnya 112.4338."),
                inputmode="decimal",
                maxlength=20,
                autocomplete="off",
            ),
            tx("button", _("Simpan profil"), type="submit", class_="button"),
            id="profile-form",
            novalidate=True,
        ),
        class_="editor",
    )


def _verdict_form(
    form_id: str, target: str, _: Translate, revision: int | None = None, what: str = ""
) -> str:
    """The Dinas's decision: verified or rejected (with a note)."""
    note_id = f"{form_id}-note"
    return el(
        "form",
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        el(
            "fieldset",
            tx("legend", _("Keputusan Dinas") + (" · " + what if what else "")),
            el(
                "label",
                el("input", type="radio", name="status", value="terverifikasi", required=True),
                " " + tx("span", _("Terverifikasi")),
                class_="choice",
            ),
            el(
                "label",
                el("input", type="radio", name="status", value="ditolak"),
                " " + tx("span", _("Ditolak")),
                class_="choice",
            ),
            class_="choices",
        ),
        field(
            _("Catatan untuk pengurus"),
            el(
                "textarea",
                id=note_id,
                name="note",
                rows=2,
                maxlength=1000,
                aria_describedby=f"{note_id}-hint",
            ),
            note_id,
            _("Wajib bila ditolak: tuliskan apa yang harus diperbaiki."),
        ),
        tx("button", _("Simpan keputusan"), type="submit", class_="button"),
        id=form_id,
        class_="verdict-form",
        data_target=target,
        data_revision=revision,
    )


def _profile_section(record: service.KoperasiRecord, mode: str, _: Translate, language: str) -> str:
    profile = record.profile
    status = profile.status if profile else None
    parts = [
        el(
            "p",
            tx("span", _("Status verifikasi Dinas:")),
            " ",
            _verification_tag(status, _),
            class_="verify-line",
        ),
        _verification_note(profile, _, language),
        _profile_facts(profile, _, language),
    ]
    if mode == "pengurus":
        parts.append(_profile_form(profile, record.koperasi.kind, record.today, _))
    elif profile is not None:
        parts.append(
            _verdict_form(
                "profile-verdict",
                f"{API}/koperasi/{quote(record.koperasi.slug, safe='')}/verdict",
                _,
                revision=profile.revision,
                what=_("profil, perubahan akta, pengurus dan pengawas"),
            )
        )
    return panel("profile-heading", _("Profil legalitas"), *parts, id="profil")


# Deed amendments and the board


def _row_input(prefix: str, index: int, name: str, value: str, **attributes: Any) -> str:
    return el(
        "input",
        id=f"{prefix}-{index}-{name}",
        data_name=name,
        value=value,
        **attributes,
    )


def _amendment_row(index: int, item: service.AmendmentOut | None, _: Translate) -> str:
    prefix = "amendment"

    def f(label: str, name: str, control: str) -> str:
        return field(label, control, f"{prefix}-{index}-{name}")

    return el(
        "fieldset",
        tx("legend", _("Perubahan akta {n}", n=index + 1)),
        f(
            _("Nomor akta"),
            "number",
            _row_input(
                prefix, index, "number", item.number if item else "", maxlength=100, required=True
            ),
        ),
        f(
            _("Tanggal akta"),
            "deed_date",
            _row_input(
                prefix,
                index,
                "deed_date",
                item.deed_date.isoformat() if item else "",
                type="date",
                required=True,
            ),
        ),
        f(
            _("Notaris"),
            "notary",
            _row_input(prefix, index, "notary", item.notary if item else "", maxlength=200),
        ),
        f(
            _("Isi perubahan"),
            "summary",
            el(
                "textarea",
                item.summary if item else "",
                id=f"{prefix}-{index}-summary",
                data_name="summary",
                rows=2,
                maxlength=500,
            ),
        ),
        tx(
            "button",
            _("Hapus baris"),
            type="button",
            class_="button button-secondary row-remove",
            aria_label=_("Hapus baris {n}", n=index + 1),
        ),
        class_="row-fieldset",
        data_row=prefix,
    )


def _board_row(index: int, member: service.BoardMemberOut | None, _: Translate) -> str:
    prefix = "board"

    def f(label: str, name: str, control: str) -> str:
        return field(label, control, f"{prefix}-{index}-{name}")

    body = member.body if member else BoardBody.PENGURUS.value
    return el(
        "fieldset",
        tx("legend", _("Orang {n}", n=index + 1)),
        f(
            _("Badan"),
            "body",
            el(
                "select",
                *[
                    tx("option", _(b.label), value=b.value, selected=b.value == body)
                    for b in BoardBody
                ],
                id=f"{prefix}-{index}-body",
                data_name="body",
            ),
        ),
        f(
            _("Nama"),
            "name",
            _row_input(
                prefix,
                index,
                "name",
                member.name if member else "",
                maxlength=200,
                required=True,
                autocomplete="off",
            ),
        ),
        f(
            _("Jabatan"),
            "title",
            _row_input(
                prefix, index, "title", member.title if member else "", maxlength=100, required=True
            ),
        ),
        f(
            _("Mulai menjabat"),
            "term_start",
            _row_input(
                prefix,
                index,
                "term_start",
                member.term_start.isoformat() if member and member.term_start else "",
                type="date",
            ),
        ),
        f(
            _("Akhir masa jabatan"),
            "term_end",
            _row_input(
                prefix,
                index,
                "term_end",
                member.term_end.isoformat() if member and member.term_end else "",
                type="date",
            ),
        ),
        tx(
            "button",
            _("Hapus baris"),
            type="button",
            class_="button button-secondary row-remove",
            aria_label=_("Hapus baris {n}", n=index + 1),
        ),
        class_="row-fieldset",
        data_row=prefix,
    )


def _rows_editor(
    *,
    form_id: str,
    summary: str,
    rows: list[str],
    template: str,
    add_label: str,
    save_label: str,
) -> str:
    return el(
        "details",
        tx("summary", summary, class_="button button-secondary"),
        el(
            "form",
            el("div", class_="error-box message", role="alert"),
            el("div", class_="status-box message", role="status"),
            el("div", *rows, class_="rows"),
            el("template", template),
            el(
                "p",
                tx("button", add_label, type="button", class_="button button-secondary row-add"),
                tx("button", save_label, type="submit", class_="button"),
                class_="actions",
            ),
            id=form_id,
            novalidate=True,
        ),
        class_="editor",
    )


def _amendments_section(
    record: service.KoperasiRecord, mode: str, _: Translate, language: str
) -> str:
    items = [
        el(
            "li",
            el(
                "p",
                tx("strong", a.number),
                " · " + tx("span", long_date(a.deed_date, language)),
            ),
            tx("p", _("Notaris {name}", name=a.notary), class_="muted") if a.notary else "",
            tx("p", a.summary) if a.summary else "",
        )
        for a in record.amendments
    ]
    parts = [
        el("ul", *items, class_="plain-list")
        if items
        else tx("p", _("Belum ada perubahan akta tercatat."), class_="muted")
    ]
    if mode == "pengurus":
        parts.append(
            _rows_editor(
                form_id="amendments-form",
                summary=_("Ubah daftar perubahan akta"),
                rows=[_amendment_row(i, a, _) for i, a in enumerate(record.amendments)],
                template=_amendment_row(0, None, _),
                add_label=_("Tambah perubahan akta"),
                save_label=_("Simpan perubahan akta"),
            )
        )
    return panel("amendments-heading", _("Perubahan akta"), *parts, id="akta")


def _board_section(record: service.KoperasiRecord, mode: str, _: Translate, language: str) -> str:
    groups = []
    for body in BoardBody:
        people = [m for m in record.board if m.body == body.value]
        if not people:
            groups.append(tx("h3", _(body.label)) + tx("p", _("Belum diisi."), class_="muted"))
            continue
        items = []
        for m in people:
            term = ""
            if m.term_start or m.term_end:
                term = _(
                    "Masa jabatan {start} – {end}",
                    start=_day(m.term_start, language, _),
                    end=_day(m.term_end, language, _),
                )
            items.append(
                el(
                    "li",
                    el("p", tx("strong", m.name), " · " + tx("span", m.title)),
                    tx("p", term, class_="muted") if term else "",
                )
            )
        groups.append(tx("h3", _(body.label)) + el("ul", *items, class_="plain-list"))
    parts = list(groups)
    if mode == "pengurus":
        parts.append(
            _rows_editor(
                form_id="board-form",
                summary=_("Ubah susunan pengurus dan pengawas"),
                rows=[_board_row(i, m, _) for i, m in enumerate(record.board)],
                template=_board_row(0, None, _),
                add_label=_("Tambah orang"),
                save_label=_("Simpan susunan"),
            )
        )
    return panel("board-heading", _("Pengurus dan pengawas"), *parts, id="susunan")


# Documents


def _document_item(d: service.DocumentOut, mode: str, _: Translate, language: str) -> str:
    meta = " · ".join(
        part
        for part in (
            size_text(d.size),
            _moment(d.uploaded_at, language),
            _("oleh {who}", who=d.uploaded_by) if d.uploaded_by else "",
        )
        if part
    )
    parts = [
        el(
            "p",
            tx("strong", _(d.kind_label)),
            " ",
            _verification_tag(d.status, _),
            class_="doc-head",
        ),
        el(
            "p",
            tx(
                "a",
                d.filename,
                href=f"{API}/documents/{d.id}/file",
                download=d.filename,
                class_="doc-link",
            ),
            el("br"),
            tx("span", meta, class_="muted"),
        ),
    ]
    if d.status != VerificationStatus.MENUNGGU.value:
        parts.append(
            tx(
                "p",
                _(
                    "{status} oleh {who}, {date}.",
                    status=_(d.status_label),
                    who=d.verified_by or _("Dinas"),
                    date=_moment(d.verified_at, language),
                ),
                class_="muted",
            )
        )
    if d.verification_note:
        parts.append(tx("p", _("Catatan Dinas: {note}", note=d.verification_note), class_="notice"))
    if mode == "pengurus" and d.status != VerificationStatus.TERVERIFIKASI.value:
        parts.append(
            tx(
                "button",
                _("Hapus"),
                type="button",
                class_="button button-secondary doc-delete",
                data_id=d.id,
                data_name=d.filename,
                aria_label=_("Hapus dokumen {name}", name=d.filename),
            )
        )
    if mode == "dinas":
        parts.append(
            _verdict_form(
                f"document-{d.id}-verdict",
                f"{API}/documents/{d.id}/verdict",
                _,
                what=d.filename,
            )
        )
    return el("li", *parts, class_="doc-item", id=f"dokumen-{d.id}")


def _upload_form(max_bytes: int, _: Translate) -> str:
    return el(
        "form",
        tx("h3", _("Unggah dokumen")),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        field(
            _("Jenis dokumen"),
            el(
                "select",
                *[tx("option", _(k.label), value=k.value) for k in DocumentKind],
                id="upload-kind",
                name="kind",
            ),
            "upload-kind",
        ),
        field(
            _("Berkas"),
            el(
                "input",
                type="file",
                id="upload-file",
                name="file",
                accept=",".join(ALLOWED_TYPES),
                required=True,
                aria_describedby="upload-file-hint",
            ),
            "upload-file",
            _(
                "PDF, PNG, JPEG atau WebP, paling besar {size}. Foto dokumen boleh.",
                size=size_text(max_bytes),
            ),
        ),
        tx("button", _("Unggah dokumen"), type="submit", class_="button"),
        id="upload-form",
        data_max_bytes=max_bytes,
        data_max_text=size_text(max_bytes),
    )


def _documents_section(
    record: service.KoperasiRecord, mode: str, max_bytes: int, _: Translate, language: str
) -> str:
    items = [_document_item(d, mode, _, language) for d in record.documents]
    parts = [
        el("ul", *items, class_="plain-list docs")
        if items
        else tx("p", _("Belum ada dokumen."), class_="muted")
    ]
    if mode == "pengurus":
        parts.append(_upload_form(max_bytes, _))
    return panel("documents-heading", _("Dokumen"), *parts, id="dokumen")


# The record page (pengurus and Dinas)


def _jump_links(_: Translate) -> str:
    links = [
        ("#perbaiki", _("Yang perlu diperbaiki")),
        ("#kepatuhan", _("Kalender")),
        ("#kuk", _("KUK")),
        ("#profil", _("Profil")),
        ("#akta", _("Akta")),
        ("#susunan", _("Pengurus")),
        ("#dokumen", _("Dokumen")),
    ]
    return el(
        "nav",
        el("ul", *[el("li", tx("a", label, href=href)) for href, label in links], class_="jump"),
        aria_label=_("Bagian halaman ini"),
    )


def record_html(
    record: service.KoperasiRecord,
    mode: str,
    max_bytes: int,
    _: Translate,
    language: str,
    notice: str = "",
) -> str:
    """The record's body, the same for both readers; `mode` "pengurus" adds the forms,
    "dinas" the verification controls."""
    intro = (
        _(
            "Inilah yang dilihat Dinas tentang koperasi Anda. Lengkapi dan perbarui datanya; "
            "setiap perubahan diperiksa ulang oleh Dinas."
        )
        if mode == "pengurus"
        else _(
            "Data yang diisi pengurus. Periksa lalu verifikasi atau tolak profil dan setiap "
            "dokumen; perubahan oleh pengurus mengembalikan status ke menunggu."
        )
    )
    k = record.koperasi
    return (
        _stylesheet()
        + tx("h1", _("Rekam koperasi"))
        + el(
            "p",
            tx("strong", k.name),
            el("br"),
            tx("span", _(k.kind_label), class_="muted"),
            *([el("br"), tx("span", k.address, class_="muted")] if k.address else []),
            class_="lead",
        )
        + tx("p", intro, class_="muted")
        + noscript(_)
        + el("div", id="message-alert", class_="error-box message", role="alert")
        + el(
            "div",
            notice,
            id="message-status",
            class_="status-box message",
            role="status",
        )
        + _jump_links(_)
        + el(
            "p",
            tx(
                "a",
                _("Penilaian kesehatan koperasi dan riwayatnya"),
                href="/kesehatan" if mode == "pengurus" else f"/pengawasan/kesehatan/{k.slug}",
            ),
        )
        + el(
            "div",
            _compliance_sections(record.compliance, _, language),
            kuk_section(record.kuk, record.today, _, language),
            _profile_section(record, mode, _, language),
            _amendments_section(record, mode, _, language),
            _board_section(record, mode, _, language),
            _documents_section(record, mode, max_bytes, _, language),
            class_="panels",
        )
        + script_messages(_, SCRIPT_MESSAGES, SCRIPT_MESSAGES.keys())
    )


def _notice(key: str | None, _: Translate) -> str:
    message = NOTICES.get(key or "")
    return _(message) if message else ""


Notice = Annotated[str | None, QueryParameter(max_length=20)]


def _page(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    title: str,
    main: str,
    language: str,
    _: Translate,
) -> Response[str]:
    return document(
        request,
        language=language,
        _=_,
        title=title,
        main_html=main,
        user=user,
        scripts=(RECORD_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


def _settings_bytes(request: Request[Any, Any, Any]) -> int:
    return int(request.app.state.settings.max_document_bytes)


@get(RECORD_PATH, include_in_schema=False, opt=PAGE, name="record_page")
async def record_page(request: Request[Any, Any, Any], pesan: Notice = None) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is not None and actor.role is Role.DINAS:
        return Redirect(COMPLIANCE_PATH, status_code=303, headers=PERSONAL_HEADERS)
    if actor is None or actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        return refusal_page(request, user, language, 403, _("Rekam koperasi"), _(NOT_ALLOWED))
    koperasi = await service.readable(actor)
    record = await service.record(koperasi, service.today())
    main = record_html(record, "pengurus", _settings_bytes(request), _, language, _notice(pesan, _))
    return _page(request, user, _("Rekam koperasi"), main, language, _)


@get(
    DINAS_RECORD_PATH + "{slug:str}",
    include_in_schema=False,
    opt=PAGE,
    name="supervision_record_page",
)
async def supervision_record_page(
    request: Request[Any, Any, Any],
    slug: Annotated[str, PathParameter(max_length=80)],
    pesan: Notice = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.DINAS:
        return refusal_page(request, user, language, 403, _("Pengawasan"), _(DINAS_ONLY))
    try:
        koperasi = await service.readable(actor, slug)
    except AppError:
        return refusal_page(
            request,
            user,
            language,
            404,
            _("Koperasi tidak ditemukan"),
            _("Koperasi ini tidak ada di wilayah Anda."),
        )
    record = await service.record(koperasi, service.today())
    back = el(
        "p",
        tx("a", _("Kembali ke kalender kepatuhan wilayah"), href=COMPLIANCE_PATH),
        class_="breadcrumb",
    )
    main = back + record_html(
        record, "dinas", _settings_bytes(request), _, language, _notice(pesan, _)
    )
    return _page(request, user, _("Rekam {name}", name=koperasi.name), main, language, _)


# The region's compliance calendar


def _filter_form(status: ComplianceStatus | None, _: Translate) -> str:
    options = [tx("option", _("Semua status"), value="", selected=status is None)] + [
        tx("option", _(s.label), value=s.value, selected=s is status) for s in ComplianceStatus
    ]
    return el(
        "form",
        field(
            _("Status"), el("select", *options, id="filter-status", name="status"), "filter-status"
        ),
        tx("button", _("Tampilkan"), type="submit", class_="button"),
        method="get",
        action=COMPLIANCE_PATH,
        class_="filter-form",
        role="search",
        aria_label=_("Saring menurut status"),
    )


def _counts(entries: list[service.RegionItem], _: Translate) -> str:
    stats = []
    for status in (ComplianceStatus.TERLAMBAT, ComplianceStatus.SEGERA, ComplianceStatus.AMAN):
        count = sum(1 for e in entries if e.item.status is status)
        stats.append(
            el(
                "li",
                el(
                    "a",
                    tx("span", number(count), class_="stat-value"),
                    " ",
                    tx("span", _(status.label), class_="stat-label"),
                    href=compliance_path(status),
                    class_="stat-link",
                ),
                class_=f"stat due-stat-{status.value}",
            )
        )
    return el("ul", *stats, class_="stats plain-stats", aria_label=_("Jumlah menurut status"))


def region_compliance_html(
    entries: list[service.RegionItem],
    status: ComplianceStatus | None,
    region_name: str,
    today: date,
    _: Translate,
    language: str,
) -> str:
    shown = [e for e in entries if status is None or e.item.status is status]
    items = [compliance_card(e.item, _, language, e.koperasi) for e in shown]
    return (
        _stylesheet()
        + tx("h1", _("Kalender kepatuhan"))
        + tx(
            "p",
            _("{region} · per {date}", region=region_name, date=long_date(today, language)),
            class_="lead",
        )
        + tx(
            "p",
            _(
                "RAT, laporan RAT, sertifikat NIK, masa jabatan, data dan dokumen yang kurang "
                "dari setiap koperasi di wilayah, paling mendesak di atas."
            ),
            class_="muted",
        )
        + _counts(entries, _)
        + _filter_form(status, _)
        + el(
            "section",
            tx(
                "h2",
                _("{count} butir", count=number(len(shown))),
                id="items-heading",
            ),
            el("ol", *items, class_="plain-list due region-due")
            if items
            else tx("p", _("Tidak ada butir dengan status ini."), class_="muted"),
            class_="panel",
            aria_labelledby="items-heading",
        )
    )


@get(COMPLIANCE_PATH, include_in_schema=False, opt=PAGE, name="region_compliance_page")
async def region_compliance_page(
    request: Request[Any, Any, Any],
    status: Annotated[str | None, QueryParameter(max_length=20)] = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.DINAS:
        return refusal_page(request, user, language, 403, _("Pengawasan"), _(DINAS_ONLY))
    try:
        chosen = ComplianceStatus(status) if status else None
    except ValueError:
        chosen = None
    today = service.today()
    entries = await service.region_compliance(actor.region_id, today)
    region_name = user.active.region_name if user.active else ""
    main = region_compliance_html(entries, chosen, region_name, today, _, language)
    return _page(request, user, _("Kalender kepatuhan"), main, language, _)


# The script


@cache
def _script_source() -> str:
    return SCRIPT_FILE.read_text(encoding="utf-8")


@get(RECORD_JS, include_in_schema=False, opt=PUBLIC, name="record_script")
async def record_script() -> Response[str]:
    return Response(
        _script_source(), media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )


RECORD_PAGES: tuple[Any, ...] = (
    record_page,
    supervision_record_page,
    region_compliance_page,
    record_script,
)
