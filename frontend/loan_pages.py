"""Loan pages, plain HTML with one small script (`static/loans.js`, no ReactPy):

- `/pinjaman` — an anggota's own loans: for each, what is still owed, the next installment
  (date and amount), what is late, the schedule with what is paid, the payments; and a
  form to apply, whose schedule is previewed (from the API) before it can be sent.
  Counter staff are sent on to `/pinjaman/kelola`.
- `/pinjaman/kelola` — pengurus and kasir. Both: the running loans, one loan at a time
  (`?pinjaman=N`) with its schedule, a payment whose split is shown before it is saved,
  and the early payoff. Pengurus also: applications with their schedule to approve or
  refuse, disbursement, reversal of a mistaken payment, write-off (after a confirmation),
  applying for a member, the arrears list with collectibility, the PPAP and RPM figures
  and the loan products.

After an action the script reloads the page with `?selesai=<what>` and the page says
what was done. All are personal: `Cache-Control: no-store`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from litestar import Request, Response, get
from litestar.params import QueryParameter
from litestar.response import Redirect

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.formatting import long_date, rupiah
from backend.loans import service as loans
from backend.loans.api import summary_for, today
from backend.loans.collectibility import rules_on
from backend.loans.domain import METHOD_LABELS, LoanStatus
from backend.texts import N_
from frontend.document import Attribute
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    document,
    field,
    language_of_request,
    message_boxes,
    noscript,
    panel,
    refusal_page,
    script_messages,
    sign_in_redirect,
)

LOANS_JS = "/static/loans.js"
LOANS_CSS = "/static/loans.css"
COUNTER_ROLES = (Role.PENGURUS, Role.KASIR)
LIST_SHOWN = 200

# What the script may say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "loading": N_("Memuat…"),
    "amount_hint": N_("Jumlah: {amount}"),
    "amount_invalid": N_("Isi jumlah dalam rupiah bulat, lebih dari nol."),
    "term_invalid": N_("Isi jangka waktu dalam bulan."),
    "percent_invalid": N_("Isi persen dengan paling banyak dua angka di belakang koma."),
    "terms": N_("{method}, bunga {rate} per bulan, {min}–{max} bulan, {low} sampai {high}."),
    "preview_ready": N_("Simulasi siap. Periksa jadwalnya, lalu kirim pengajuan."),
    "preview_stale": N_("Isian berubah: lihat simulasi lagi sebelum mengirim."),
    "limit": N_("Batas pinjaman Anda: {amount} lagi (dari simpanan {savings})."),
    "no_limit": N_("Produk ini tidak dibatasi kelipatan simpanan."),
    "col_number": N_("Ke"),
    "col_due": N_("Jatuh tempo"),
    "col_principal": N_("Pokok"),
    "col_interest": N_("Bunga"),
    "col_penalty": N_("Denda"),
    "col_total": N_("Angsuran"),
    "col_paid": N_("Dibayar"),
    "col_balance": N_("Sisa pokok"),
    "schedule_caption": N_("Jadwal {count} angsuran, jumlah {total}"),
    "schedule_region": N_("Jadwal angsuran"),
    "split_caption": N_("Pembagian pembayaran {amount}"),
    "split_region": N_("Pembagian pembayaran"),
    "fees": N_("Potongan provisi dan administrasi"),
    "net": N_("Diterima bersih"),
    "total_interest": N_("Jumlah bunga"),
    "total_payable": N_("Jumlah yang dibayar kembali"),
    "split_summary": N_("Denda {penalty}, bunga {interest}, pokok {principal}."),
    "split_after": N_("Sisa pokok sesudahnya {amount}."),
    "split_settles": N_("Pembayaran ini melunasi pinjaman."),
    "waived": N_("Bunga yang dibebaskan: {amount}."),
    "payoff_total": N_("Pelunasan hari ini: {amount}"),
    "confirm_payment": N_("Simpan pembayaran {amount} untuk {loan} ({name})?"),
    "confirm_payoff": N_(
        "Lunasi {loan} ({name}) sebesar {amount}? Bunga yang dibebaskan {waived}."
    ),
    "confirm_disburse": N_(
        "Cairkan {loan} untuk {name}: pokok {principal}, dipotong {fees}, diterima {net}?"
    ),
    "confirm_reject": N_("Tolak pengajuan {loan} ({name})?"),
    "confirm_cancel": N_("Batalkan pengajuan {loan}?"),
    "confirm_write_off": N_(
        "Hapus buku {loan} ({name}): sisa pokok {amount} keluar dari piutang dan tidak ada "
        "pembayaran yang diterima lagi. Tidak dapat dibatalkan. Lanjutkan?"
    ),
    "reason_prompt": N_("Alasan membatalkan pembayaran {receipt}:"),
    "confirm_ppap": N_("Bukukan penyesuaian PPAP sebesar {amount}?"),
    "saving": N_("Menyimpan…"),
}
_COMMON = ("network", "failed", "loading", "amount_hint", "amount_invalid", "saving")
_COLUMNS = tuple(k for k in SCRIPT_MESSAGES if k.startswith("col_"))
_APPLY = (
    *("term_invalid", "terms", "preview_ready", "preview_stale", "limit", "no_limit"),
    *("schedule_caption", "schedule_region", "fees", "net", "total_interest", "total_payable"),
)
_PAYMENT = (
    *("split_caption", "split_region", "split_summary", "split_after", "split_settles"),
    *("waived", "payoff_total", "confirm_payment", "confirm_payoff"),
)
MEMBER_MESSAGES = (*_COMMON, *_COLUMNS, *_APPLY, "confirm_cancel")
KASIR_MESSAGES = (*_COMMON, *_COLUMNS, *_PAYMENT)
PENGURUS_MESSAGES = tuple(SCRIPT_MESSAGES)

# What the page says after the script reloaded it (`?selesai=…`).
DONE_MESSAGES: dict[str, str] = {
    "diajukan": N_("Pengajuan pinjaman terkirim. Pengurus akan memeriksanya."),
    "disetujui": N_("Pengajuan disetujui. Pinjaman siap dicairkan."),
    "ditolak": N_("Pengajuan ditolak."),
    "dibatalkan": N_("Pengajuan dibatalkan."),
    "dicairkan": N_("Pinjaman dicairkan dan dicatat di jurnal."),
    "dibayar": N_("Pembayaran tercatat dan dibukukan."),
    "lunas": N_("Pinjaman lunas."),
    "pembayaran_dibatalkan": N_("Pembayaran dibatalkan dengan jurnal pembalik."),
    "dihapusbukukan": N_("Pinjaman dihapusbukukan."),
    "ppap": N_("Penyesuaian PPAP dibukukan."),
    "produk": N_("Produk pinjaman disimpan."),
}

STATE_CLASS = {
    "lunas": "paid",
    "dibebaskan": "paid",
    "terlambat": "late",
    "jatuh_tempo": "due",
    "sebagian": "part",
    "belum": "",
}


def percent(bp: int, language: str) -> str:
    """Basis points as a percentage the reader writes: 150 -> `1,5%` (`1.5%` in English)."""
    value = Decimal(bp) / 100
    locale = "en_ID" if language == "en" else "id_ID"
    return format_decimal(value, format="#,##0.##", locale=locale) + "%"


def times(bp: int, language: str) -> str:
    """A multiple in basis points: 30000 -> `3×`."""
    locale = "en_ID" if language == "en" else "id_ID"
    return format_decimal(Decimal(bp) / 10_000, format="#,##0.##", locale=locale) + "×"


def _stylesheet() -> str:
    return el("link", rel="stylesheet", href=LOANS_CSS)


def _done(request: Request[Any, Any, Any], _: Translate) -> str:
    key = request.query_params.get("selesai", "")
    if key not in DONE_MESSAGES:
        return ""
    return tx("p", _(DONE_MESSAGES[key]), class_="status-box done", id="done-message")


def _facts(rows: list[tuple[str, str]]) -> str:
    return el(
        "dl",
        *[el("div", tx("dt", label), tx("dd", value)) for label, value in rows if value],
        class_="facts",
    )


def _scroll(table: str, label: str) -> str:
    # A table wider than the phone scrolls inside this box, which keyboards must reach.
    return el("div", table, class_="table-wrap", tabindex="0", role="region", aria_label=label)


def schedule_table(
    rows: list[loans.ScheduleRow], language: str, _: Translate, *, with_state: bool
) -> str:
    head = [
        tx("th", _("Ke"), scope="col", class_="num"),
        tx("th", _("Jatuh tempo"), scope="col"),
        tx("th", _("Pokok"), scope="col", class_="num"),
        tx("th", _("Bunga"), scope="col", class_="num"),
        tx("th", _("Angsuran"), scope="col", class_="num"),
        tx("th", _("Sisa pokok"), scope="col", class_="num"),
    ]
    if with_state:
        head.append(tx("th", _("Status"), scope="col"))
    body = []
    for row in rows:
        cells = [
            tx("td", str(row.number), class_="num"),
            tx("td", long_date(row.due_date, language)),
            tx("td", rupiah(row.principal, language), class_="num"),
            tx("td", rupiah(row.interest, language), class_="num"),
            tx("td", rupiah(row.total, language), class_="num"),
            tx("td", rupiah(row.balance_after, language), class_="num"),
        ]
        if with_state:
            label = _(row.state_label)
            if row.state in ("sebagian", "terlambat", "jatuh_tempo") and row.paid:
                label += " · " + _("dibayar {amount}", amount=rupiah(row.paid, language))
            cells.append(tx("td", label))
        body.append(el("tr", *cells, class_=f"installment {STATE_CLASS.get(row.state, '')}"))
    total = sum(r.total for r in rows)
    caption = _(
        "Jadwal {count} angsuran, jumlah {total}",
        count=len(rows),
        total=rupiah(total, language),
    )
    table = el(
        "table",
        tx("caption", caption),
        el("thead", el("tr", *head)),
        el("tbody", *body),
        class_="table schedule",
    )
    return _scroll(table, _("Jadwal angsuran"))


def payments_list(
    payments: list[loans.PaymentRow],
    language: str,
    _: Translate,
    *,
    reversible: int | None = None,
) -> str:
    if not payments:
        return tx("p", _("Belum ada pembayaran."), class_="muted")
    items = []
    for p in payments:
        parts = [
            _("Denda {amount}", amount=rupiah(p.penalty, language)) if p.penalty else "",
            _("Bunga {amount}", amount=rupiah(p.interest, language)),
            _("Pokok pinjaman {amount}", amount=rupiah(p.principal, language)),
        ]
        meta = " · ".join([_(p.kind_label), long_date(p.paid_on, language), p.receipt])
        extra = ""
        if p.reversed and p.reversed_on is not None:
            extra = tx(
                "p",
                _(
                    "Dibatalkan {date}: {reason}",
                    date=long_date(p.reversed_on, language),
                    reason=p.reversal_reason,
                ),
                class_="reversed-note",
            )
        button = ""
        if reversible is not None and p.receipt_number == reversible and not p.reversed:
            button = tx(
                "button",
                _("Batalkan pembayaran {receipt}", receipt=p.receipt),
                type="button",
                class_="button button-danger reverse-payment",
                data_receipt=p.receipt_number,
                data_receipt_code=p.receipt,
            )
        items.append(
            el(
                "li",
                el(
                    "p",
                    tx("strong", rupiah(p.amount, language), class_="payment-amount"),
                    " ",
                    tx("span", meta, class_="muted"),
                ),
                tx("p", ", ".join(x for x in parts if x), class_="payment-split"),
                extra,
                button,
                class_="payment" + (" reversed" if p.reversed else ""),
            )
        )
    return el("ul", *items, class_="plain-list payments")


def _terms_rows(detail: loans.LoanDetail, language: str, _: Translate) -> list[tuple[str, str]]:
    loan = detail.loan
    rows = [
        (_("Produk"), loan.product_name),
        (_("Jumlah pinjaman"), rupiah(loan.principal, language)),
        (_("Jangka waktu"), _("{months} bulan", months=loan.term_months)),
        (
            _("Bunga"),
            _(
                "{rate} per bulan, {method}",
                rate=percent(loan.monthly_rate_bp, language),
                method=_(loan.method_label).lower(),
            ),
        ),
        (
            _("Provisi dan administrasi"),
            rupiah(detail.fees, language),
        ),
        (_("Diterima bersih"), rupiah(detail.net_disbursed, language)),
        (
            _("Denda keterlambatan"),
            _(
                "{rate} per hari dari angsuran yang terlambat",
                rate=percent(detail.penalty_bp_per_day, language),
            )
            if detail.penalty_bp_per_day
            else _("tidak ada"),
        ),
        (_("Diajukan"), long_date(loan.applied_on, language)),
    ]
    if detail.decided_on and loan.status is not LoanStatus.DIAJUKAN:
        rows.append((_("Diputuskan"), long_date(detail.decided_on, language)))
    if loan.disbursed_on:
        rows.append((_("Dicairkan"), long_date(loan.disbursed_on, language)))
    if loan.closed_on:
        rows.append((_("Selesai"), long_date(loan.closed_on, language)))
    if detail.purpose:
        rows.append((_("Keperluan"), detail.purpose))
    if detail.decision_note:
        rows.append((_("Catatan pengurus"), detail.decision_note))
    return rows


def _balance_cards(detail: loans.LoanDetail, language: str, _: Translate) -> str:
    loan = detail.loan
    cards = [
        el(
            "li",
            tx("h3", _("Sisa pokok"), class_="balance-kind"),
            tx("p", rupiah(loan.outstanding, language), class_="balance-amount"),
            class_="balance-card",
        )
    ]
    if loan.next_due_date is not None:
        cards.append(
            el(
                "li",
                tx("h3", _("Angsuran berikutnya"), class_="balance-kind"),
                tx("p", rupiah(loan.next_due_amount, language), class_="balance-amount"),
                tx(
                    "p",
                    _("jatuh tempo {date}", date=long_date(loan.next_due_date, language)),
                    class_="balance-note next-due",
                ),
                class_="balance-card",
            )
        )
    late = ""
    if loan.days_past_due > 0:
        late = tx(
            "p",
            _(
                "Terlambat {days} hari. Yang harus dibayar sekarang {amount}, termasuk denda.",
                days=loan.days_past_due,
                amount=rupiah(loan.due_now, language),
            ),
            class_="notice late",
        )
    return el("ul", *cards, class_="balances", aria_label=_("Ringkasan pinjaman")) + late


def _loan_heading(detail: loans.LoanDetail, heading_id: str, _: Translate, member: bool) -> str:
    loan = detail.loan
    title = f"{loan.code} · {loan.product_name}"
    if not member:
        title = f"{loan.code} · {loan.member_name} ({loan.member_number})"
    return el(
        "div",
        tx("h2", title, id=heading_id, tabindex="-1"),
        tx("span", _(loan.status_label), class_=f"tag status-{loan.status.value}"),
        class_="loan-head",
    )


# /pinjaman


def _member_loan(detail: loans.LoanDetail, language: str, _: Translate) -> str:
    loan = detail.loan
    heading_id = f"loan-{loan.number}"
    parts = [_loan_heading(detail, heading_id, _, member=True)]
    if loan.status is LoanStatus.DICAIRKAN:
        parts.append(_balance_cards(detail, language, _))
    elif loan.status is LoanStatus.DIAJUKAN:
        parts.append(tx("p", _("Menunggu keputusan pengurus."), class_="muted"))
    elif loan.status is LoanStatus.DISETUJUI:
        parts.append(tx("p", _("Disetujui. Menunggu pencairan."), class_="muted"))
    parts.append(_facts(_terms_rows(detail, language, _)))
    if detail.schedule:
        note = (
            tx(
                "p",
                _("Perkiraan: tanggal jatuh tempo dihitung dari hari pencairan."),
                class_="hint",
            )
            if detail.preview
            else ""
        )
        parts.append(
            el(
                "details",
                tx("summary", _("Jadwal angsuran")),
                note,
                schedule_table(detail.schedule, language, _, with_state=not detail.preview),
                open=loan.status is LoanStatus.DICAIRKAN,
            )
        )
    if detail.payments:
        parts.append(
            el(
                "details",
                tx("summary", _("Riwayat pembayaran")),
                payments_list(detail.payments, language, _),
            )
        )
    if loan.status is LoanStatus.DIAJUKAN:
        parts.append(
            tx(
                "button",
                _("Batalkan pengajuan {loan}", loan=loan.code),
                type="button",
                class_="button button-danger loan-action",
                data_action="cancel",
                data_loan=loan.number,
                data_code=loan.code,
            )
        )
    return el(
        "section",
        *parts,
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        class_="panel loan",
        aria_labelledby=heading_id,
    )


def _product_option(p: loans.ProductView, language: str, _: Translate) -> str:
    return tx(
        "option",
        p.name,
        value=p.id,
        data_method=_(p.method_label),
        data_rate=percent(p.monthly_rate_bp, language),
        data_min_term=p.min_term_months,
        data_max_term=p.max_term_months,
        data_min_amount=rupiah(p.min_amount, language),
        data_max_amount=rupiah(p.max_amount, language),
    )


def apply_form(
    products: list[loans.ProductView], language: str, _: Translate, *, for_member: bool
) -> str:
    """The application form: a product, the amount and term, the purpose; the schedule
    is previewed (loans.js) before "Kirim pengajuan" is enabled."""
    if not products:
        return tx("p", _("Koperasi belum menawarkan produk pinjaman."), class_="muted")
    first = products[0]
    member = ""
    if not for_member:
        member = field(
            _("Nomor anggota"),
            el(
                "input",
                id="apply-member",
                name="member_number",
                required=True,
                maxlength=20,
                autocomplete="off",
                aria_describedby="apply-member-hint",
            ),
            "apply-member",
            _("Misalnya A-0001. Daftar anggota ada di loket simpanan."),
        )
    return el(
        "form",
        member,
        field(
            _("Produk pinjaman"),
            el(
                "select",
                *[_product_option(p, language, _) for p in products],
                id="apply-product",
                name="product_id",
                aria_describedby="apply-product-hint",
            ),
            "apply-product",
            _(
                "{method}, bunga {rate} per bulan, {min}–{max} bulan, {low} sampai {high}.",
                method=_(first.method_label),
                rate=percent(first.monthly_rate_bp, language),
                min=first.min_term_months,
                max=first.max_term_months,
                low=rupiah(first.min_amount, language),
                high=rupiah(first.max_amount, language),
            ),
        ),
        field(
            _("Jumlah pinjaman (Rp)"),
            el(
                "input",
                id="apply-amount",
                name="principal",
                inputmode="numeric",
                autocomplete="off",
                required=True,
                maxlength=17,
                placeholder="5000000",
                aria_describedby="apply-amount-hint",
            ),
            "apply-amount",
            _("Rupiah bulat tanpa titik, misalnya 5000000."),
        ),
        field(
            _("Jangka waktu (bulan)"),
            el(
                "input",
                id="apply-term",
                name="term_months",
                type="number",
                inputmode="numeric",
                min=first.min_term_months,
                max=first.max_term_months,
                step=1,
                required=True,
            ),
            "apply-term",
        ),
        field(
            _("Keperluan"),
            el("input", id="apply-purpose", name="purpose", maxlength=300, autocomplete="off"),
            "apply-purpose",
        ),
        el(
            "div",
            tx("button", _("Lihat simulasi"), type="submit", class_="button"),
            class_="actions",
        ),
        el("div", id="apply-preview", class_="preview", hidden=True, tabindex="-1"),
        el(
            "div",
            tx(
                "button",
                _("Kirim pengajuan"),
                type="button",
                class_="button",
                id="apply-send",
                disabled=True,
            ),
            class_="actions",
        ),
        id="apply-form",
        data_for_member="true" if for_member else "false",
        novalidate=True,
    )


@get("/pinjaman", include_in_schema=False, opt=PAGE, name="loans_page")
async def loans_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is not None and actor.role in COUNTER_ROLES:
        return Redirect("/pinjaman/kelola", status_code=303, headers=PERSONAL_HEADERS)
    if (
        actor is None
        or actor.role is not Role.ANGGOTA
        or actor.member_id is None
        or actor.koperasi_id is None
    ):
        return refusal_page(
            request,
            user,
            language,
            403,
            _("Pinjaman"),
            _(
                "Halaman pinjaman untuk anggota koperasi. Masuk dengan peran anggota untuk "
                "melihat pinjaman Anda, atau pilih peran lain di halaman Akun."
            ),
        )
    k, member_id = actor.koperasi_id, actor.member_id
    day = today()
    mine = await loans.member_loans(k, member_id, day)
    number = await loans.member_number_of(k, member_id)
    offered = await loans.products(k, active_only=True)
    koperasi_name = user.active.koperasi_name if user.active else ""
    name = mine[0].loan.member_name if mine else ""
    lead = el(
        "p",
        tx("strong", name) + el("br") if name else "",
        tx(
            "span",
            _("No. anggota {number}", number=number)
            + (" · " + koperasi_name if koperasi_name else ""),
            class_="muted",
        ),
        class_="lead",
    )
    loans_html = (
        "".join(_member_loan(detail, language, _) for detail in mine)
        if mine
        else tx("p", _("Anda belum memiliki pinjaman."), class_="muted", id="no-loans")
    )
    apply = panel(
        "apply-heading",
        _("Ajukan pinjaman"),
        tx(
            "p",
            _(
                "Pilih produk, isi jumlah dan jangka waktu, lalu lihat simulasi jadwal "
                "angsurannya. Pengajuan dikirim setelah Anda memeriksa simulasinya."
            ),
            class_="muted",
        ),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        apply_form(offered, language, _, for_member=True),
    )
    main = (
        _stylesheet()
        + tx("h1", _("Pinjaman saya"))
        + lead
        + noscript(_)
        + _done(request, _)
        + el("div", loans_html, apply, class_="panels")
        + script_messages(_, SCRIPT_MESSAGES, MEMBER_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Pinjaman saya"),
        main_html=main,
        user=user,
        scripts=(LOANS_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


# /pinjaman/kelola


def _loan_link(summary: loans.LoanSummary) -> str:
    query = urlencode({"pinjaman": summary.number})
    return tx("a", summary.code, href=f"/pinjaman/kelola?{query}#loan-heading")


def _loans_table(
    rows: list[loans.LoanSummary], language: str, _: Translate, *, caption: str, running: bool
) -> str:
    if not rows:
        return tx("p", _("Tidak ada pinjaman."), class_="muted")
    head = [
        tx("th", _("Pinjaman"), scope="col"),
        tx("th", _("Anggota"), scope="col"),
        tx("th", _("Pokok"), scope="col", class_="num"),
    ]
    if running:
        head += [
            tx("th", _("Sisa pokok"), scope="col", class_="num"),
            tx("th", _("Angsuran berikutnya"), scope="col"),
            tx("th", _("Kolektibilitas"), scope="col"),
        ]
    else:
        head += [tx("th", _("Status"), scope="col"), tx("th", _("Diajukan"), scope="col")]
    body = []
    for s in rows:
        cells = [
            el("th", _loan_link(s), scope="row"),
            tx("td", f"{s.member_number} · {s.member_name}"),
            tx("td", rupiah(s.principal, language), class_="num"),
        ]
        if running:
            nxt = (
                _(
                    "{amount}, {date}",
                    amount=rupiah(s.next_due_amount, language),
                    date=long_date(s.next_due_date, language),
                )
                if s.next_due_date
                else "—"
            )
            late = (
                " · " + _("terlambat {days} hari", days=s.days_past_due) if s.days_past_due else ""
            )
            cells += [
                tx("td", rupiah(s.outstanding, language), class_="num"),
                tx("td", nxt),
                tx("td", _(s.collectibility_label) + late),
            ]
        else:
            cells += [tx("td", _(s.status_label)), tx("td", long_date(s.applied_on, language))]
        body.append(el("tr", *cells))
    table = el(
        "table",
        tx("caption", caption),
        el("thead", el("tr", *head)),
        el("tbody", *body),
        class_="table",
    )
    return _scroll(table, caption)


def _filter_form(member: str, _: Translate) -> str:
    return el(
        "form",
        field(
            _("Nomor anggota"),
            el(
                "input",
                id="filter-member",
                name="anggota",
                value=member,
                maxlength=20,
                autocomplete="off",
                aria_describedby="filter-member-hint",
            ),
            "filter-member",
            _("Kosongkan untuk melihat semua."),
        ),
        el(
            "div",
            tx("button", _("Tampilkan"), type="submit", class_="button button-secondary"),
            class_="actions",
        ),
        method="get",
        action="/pinjaman/kelola",
        role="search",
        aria_label=_("Cari pinjaman anggota"),
    )


def _payment_forms(detail: loans.LoanDetail, language: str, _: Translate, day: date) -> str:
    loan = detail.loan
    data: dict[str, Attribute] = {
        "data_loan": loan.number,
        "data_code": loan.code,
        "data_name": loan.member_name,
    }
    pay = el(
        "form",
        tx("h3", _("Terima angsuran")),
        field(
            _("Jumlah dibayar (Rp)"),
            el(
                "input",
                id="payment-amount",
                name="amount",
                inputmode="numeric",
                autocomplete="off",
                required=True,
                maxlength=17,
                value=loan.due_now or loan.next_due_amount or "",
                aria_describedby="payment-amount-hint",
            ),
            "payment-amount",
            _(
                "Jatuh tempo sampai hari ini {amount} (termasuk denda).",
                amount=rupiah(loan.due_now, language),
            ),
        ),
        field(
            _("Tanggal bayar"),
            el(
                "input",
                id="payment-date",
                name="paid_on",
                type="date",
                value=day.isoformat(),
                max=day.isoformat(),
                required=True,
            ),
            "payment-date",
        ),
        el(
            "div",
            tx(
                "button",
                _("Hitung pembagian"),
                type="button",
                class_="button button-secondary",
                id="payment-preview",
            ),
            tx("button", _("Simpan pembayaran"), type="submit", class_="button"),
            class_="actions",
        ),
        el("div", id="payment-split", class_="preview", hidden=True, tabindex="-1"),
        id="payment-form",
        novalidate=True,
        **data,
    )
    payoff = el(
        "form",
        tx("h3", _("Pelunasan dipercepat")),
        tx(
            "p",
            _(
                "Sisa pokok, bunga angsuran yang sudah jatuh tempo dan dendanya; bunga "
                "angsuran yang belum jatuh tempo dibebaskan."
            ),
            class_="muted",
        ),
        field(
            _("Tanggal pelunasan"),
            el(
                "input",
                id="payoff-date",
                name="paid_on",
                type="date",
                value=day.isoformat(),
                max=day.isoformat(),
                required=True,
            ),
            "payoff-date",
        ),
        el(
            "div",
            tx(
                "button",
                _("Hitung pelunasan"),
                type="button",
                class_="button button-secondary",
                id="payoff-quote",
            ),
            tx("button", _("Lunasi"), type="submit", class_="button"),
            class_="actions",
        ),
        el("div", id="payoff-result", class_="preview", hidden=True, tabindex="-1"),
        id="payoff-form",
        novalidate=True,
        **data,
    )
    return pay + payoff


def _decision_forms(detail: loans.LoanDetail, language: str, _: Translate, day: date) -> str:
    loan = detail.loan
    data: dict[str, Attribute] = {
        "data_loan": loan.number,
        "data_code": loan.code,
        "data_name": loan.member_name,
        "data_principal": rupiah(loan.principal, language),
        "data_fees": rupiah(detail.fees, language),
        "data_net": rupiah(detail.net_disbursed, language),
    }
    if loan.status is LoanStatus.DIAJUKAN:
        return el(
            "form",
            tx("h3", _("Keputusan pengurus")),
            field(
                _("Catatan (tidak wajib)"),
                el("input", id="decision-note", name="note", maxlength=300, autocomplete="off"),
                "decision-note",
            ),
            el(
                "div",
                tx(
                    "button",
                    _("Setujui"),
                    type="button",
                    class_="button loan-action",
                    data_action="approve",
                ),
                tx(
                    "button",
                    _("Tolak"),
                    type="button",
                    class_="button button-danger loan-action",
                    data_action="reject",
                ),
                class_="actions",
            ),
            id="decision-form",
            **data,
        )
    if loan.status is LoanStatus.DISETUJUI:
        return el(
            "form",
            tx("h3", _("Pencairan")),
            tx(
                "p",
                _(
                    "Dicairkan {net}: pokok {principal} dipotong provisi dan administrasi "
                    "{fees}. Jadwal angsuran dihitung dari tanggal pencairan.",
                    net=rupiah(detail.net_disbursed, language),
                    principal=rupiah(loan.principal, language),
                    fees=rupiah(detail.fees, language),
                ),
                class_="muted",
            ),
            field(
                _("Tanggal pencairan"),
                el(
                    "input",
                    id="disburse-date",
                    name="disbursed_on",
                    type="date",
                    value=day.isoformat(),
                    max=day.isoformat(),
                    required=True,
                ),
                "disburse-date",
            ),
            el(
                "div",
                tx(
                    "button",
                    _("Cairkan"),
                    type="button",
                    class_="button loan-action",
                    data_action="disburse",
                ),
                tx(
                    "button",
                    _("Batalkan"),
                    type="button",
                    class_="button button-danger loan-action",
                    data_action="cancel",
                ),
                class_="actions",
            ),
            id="decision-form",
            **data,
        )
    return ""


def _write_off_form(detail: loans.LoanDetail, language: str, _: Translate, day: date) -> str:
    loan = detail.loan
    return el(
        "form",
        tx("h3", _("Hapus buku")),
        tx(
            "p",
            _(
                "Untuk pinjaman yang tidak dapat ditagih lagi: sisa pokok {amount} diambil dari "
                "cadangan PPAP sejauh cukup, sisanya menjadi beban.",
                amount=rupiah(loan.outstanding, language),
            ),
            class_="muted",
        ),
        field(
            _("Alasan"),
            el("input", id="write-off-note", name="note", maxlength=300, autocomplete="off"),
            "write-off-note",
        ),
        field(
            _("Tanggal hapus buku"),
            el(
                "input",
                id="write-off-date",
                name="written_off_on",
                type="date",
                value=day.isoformat(),
                max=day.isoformat(),
                required=True,
            ),
            "write-off-date",
        ),
        tx("button", _("Hapus buku pinjaman ini"), type="submit", class_="button button-danger"),
        id="write-off-form",
        data_loan=loan.number,
        data_code=loan.code,
        data_name=loan.member_name,
        data_amount=rupiah(loan.outstanding, language),
    )


def _loan_panel(
    detail: loans.LoanDetail, role: Role, language: str, _: Translate, day: date
) -> str:
    loan = detail.loan
    pengurus = role is Role.PENGURUS
    parts = [_loan_heading(detail, "loan-heading", _, member=False)]
    parts.append(el("div", class_="error-box message", role="alert"))
    parts.append(el("div", class_="status-box message", role="status"))
    if loan.status is LoanStatus.DICAIRKAN:
        parts.append(_balance_cards(detail, language, _))
    parts.append(_facts(_terms_rows(detail, language, _)))
    if pengurus:
        parts.append(_decision_forms(detail, language, _, day))
    if loan.status is LoanStatus.DICAIRKAN:
        parts.append(_payment_forms(detail, language, _, day))
    if detail.schedule:
        heading = (
            _("Simulasi jadwal angsuran (jika dicairkan hari ini)")
            if detail.preview
            else _("Jadwal angsuran")
        )
        parts.append(tx("h3", heading))
        parts.append(schedule_table(detail.schedule, language, _, with_state=not detail.preview))
    if detail.payments or loan.disbursed_on:
        latest = next((p.receipt_number for p in detail.payments if not p.reversed), None)
        reversible = (
            latest if pengurus and loan.status in (LoanStatus.DICAIRKAN, LoanStatus.LUNAS) else None
        )
        parts.append(tx("h3", _("Riwayat pembayaran")))
        parts.append(
            el(
                "div",
                payments_list(detail.payments, language, _, reversible=reversible),
                id="payments",
                data_loan=loan.number,
                data_code=loan.code,
            )
        )
    if pengurus and loan.status is LoanStatus.DICAIRKAN:
        parts.append(_write_off_form(detail, language, _, day))
    parts.append(
        el(
            "p",
            tx("a", _("Kembali ke daftar pinjaman"), href="/pinjaman/kelola"),
            class_="back",
        )
    )
    return el(
        "section", *parts, class_="panel loan", id="loan-panel", aria_labelledby="loan-heading"
    )


def _arrears_section(rows: list[loans.ArrearsRow], language: str, _: Translate) -> str:
    if not rows:
        body = tx("p", _("Tidak ada angsuran pinjaman yang terlambat."), class_="muted")
    else:
        head = el(
            "tr",
            tx("th", _("Pinjaman"), scope="col"),
            tx("th", _("Anggota"), scope="col"),
            tx("th", _("Terlambat"), scope="col", class_="num"),
            tx("th", _("Kolektibilitas"), scope="col"),
            tx("th", _("Tunggakan"), scope="col", class_="num"),
            tx("th", _("Denda"), scope="col", class_="num"),
            tx("th", _("Sisa pokok"), scope="col", class_="num"),
        )
        body_rows = [
            el(
                "tr",
                el(
                    "th",
                    tx(
                        "a",
                        r.loan_code,
                        href=f"/pinjaman/kelola?pinjaman={r.loan_number}#loan-heading",
                    ),
                    scope="row",
                ),
                tx("td", f"{r.member_number} · {r.member_name}"),
                tx("td", _("{days} hari", days=r.days_past_due), class_="num"),
                tx("td", _(r.collectibility_label)),
                tx("td", rupiah(r.overdue, language), class_="num"),
                tx("td", rupiah(r.penalty, language), class_="num"),
                tx("td", rupiah(r.outstanding, language), class_="num"),
            )
            for r in rows
        ]
        caption = _(
            "{count} pinjaman, tunggakan {amount}",
            count=len(rows),
            amount=rupiah(sum(r.amount_due for r in rows), language),
        )
        body = _scroll(
            el(
                "table",
                tx("caption", caption),
                el("thead", head),
                el("tbody", *body_rows),
                class_="table",
            ),
            _("Tunggakan pinjaman"),
        )
    return panel(
        "arrears-heading",
        _("Tunggakan pinjaman"),
        tx(
            "p",
            _("Pinjaman berjalan dengan angsuran yang lewat jatuh tempo dan belum dibayar."),
            class_="muted",
        ),
        body,
    )


async def _summary_section(k: int, day: date, language: str, _: Translate) -> str:
    made = await summary_for(k, day)
    summary = made.summary
    rules = {b.code: b for b in rules_on(day).bands}
    low = 0
    rows = []
    for c in summary.classes:
        band = rules[c.code]
        days = (
            _("{low}–{high} hari", low=low, high=band.max_days)
            if band.max_days is not None
            else _("lebih dari {days} hari", days=low - 1)
        )
        low = (band.max_days or 0) + 1
        rows.append(
            el(
                "tr",
                tx("th", _(c.label), scope="row"),
                tx("td", days),
                tx("td", str(c.loans), class_="num"),
                tx("td", rupiah(c.outstanding, language), class_="num"),
                tx("td", percent(c.ppap_bp, language), class_="num"),
                tx("td", rupiah(c.ppap, language), class_="num"),
            )
        )
    total = el(
        "tr",
        tx("th", _("Jumlah"), scope="row"),
        tx("td", ""),
        tx("td", str(summary.loans), class_="num"),
        tx("td", rupiah(summary.outstanding, language), class_="num"),
        tx("td", ""),
        tx("td", rupiah(summary.ppap_required, language), class_="num"),
    )
    table = el(
        "table",
        tx("caption", _("Kolektibilitas per {date}", date=long_date(day, language))),
        el(
            "thead",
            el(
                "tr",
                tx("th", _("Kelas"), scope="col"),
                tx("th", _("Keterlambatan"), scope="col"),
                tx("th", _("Pinjaman"), scope="col", class_="num"),
                tx("th", _("Sisa pokok"), scope="col", class_="num"),
                tx("th", _("Tarif PPAP"), scope="col", class_="num"),
                tx("th", _("PPAP"), scope="col", class_="num"),
            ),
        ),
        el("tbody", *rows),
        el("tfoot", total),
        class_="table",
    )
    facts = _facts(
        [
            (_("PPAP yang diperlukan"), rupiah(summary.ppap_required, language)),
            (_("PPAP di buku (akun 1-1390)"), rupiah(made.ppap_booked, language)),
            (_("Selisih yang perlu dibukukan"), rupiah(made.ppap_difference, language)),
            (
                _("RPM (50% kurang lancar + 75% diragukan + 100% macet)"),
                rupiah(summary.rpm, language),
            ),
        ]
    )
    button = (
        tx(
            "button",
            _("Bukukan penyesuaian PPAP"),
            type="button",
            class_="button",
            id="post-ppap",
            data_amount=rupiah(made.ppap_difference, language),
        )
        if made.ppap_difference
        else tx("p", _("Cadangan PPAP di buku sudah sesuai."), class_="muted")
    )
    source = _(
        "Ketentuan kolektibilitas versi {version}: {source}",
        version=summary.rules_version,
        source=summary.rules_source,
    )
    verify = _("Angka ini perlu diverifikasi.") if summary.rules_verify else ""
    return panel(
        "summary-heading",
        _("Kolektibilitas dan PPAP"),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        _scroll(table, _("Kolektibilitas pinjaman")),
        facts,
        el("div", button, class_="actions"),
        tx("p", f"{source} {verify}".strip(), class_="hint"),
    )


def _product_rows(products: list[loans.ProductView], language: str, _: Translate) -> str:
    if not products:
        return tx("p", _("Belum ada produk pinjaman."), class_="muted")
    body = [
        el(
            "tr",
            tx("th", p.name, scope="row"),
            tx("td", _(p.method_label)),
            tx("td", percent(p.monthly_rate_bp, language), class_="num"),
            tx("td", _("{min}–{max} bulan", min=p.min_term_months, max=p.max_term_months)),
            tx(
                "td",
                f"{rupiah(p.min_amount, language)} – {rupiah(p.max_amount, language)}",
            ),
            tx(
                "td",
                times(p.savings_multiple_bp, language) if p.savings_multiple_bp else _("tanpa"),
                class_="num",
            ),
            tx("td", _("Ditawarkan") if p.active else _("Tidak ditawarkan")),
            el(
                "td",
                tx(
                    "a",
                    _("Ubah {name}", name=p.name),
                    href=f"/pinjaman/kelola?produk={p.id}#product-form-heading",
                ),
            ),
        )
        for p in products
    ]
    table = el(
        "table",
        tx("caption", _("{count} produk", count=len(products))),
        el(
            "thead",
            el(
                "tr",
                tx("th", _("Produk"), scope="col"),
                tx("th", _("Metode"), scope="col"),
                tx("th", _("Bunga per bulan"), scope="col", class_="num"),
                tx("th", _("Jangka waktu"), scope="col"),
                tx("th", _("Jumlah"), scope="col"),
                tx("th", _("Batas simpanan"), scope="col", class_="num"),
                tx("th", _("Status"), scope="col"),
                tx("th", _("Ubah"), scope="col"),
            ),
        ),
        el("tbody", *body),
        class_="table",
    )
    return _scroll(table, _("Produk pinjaman"))


def _plain_percent(bp: int) -> str:
    """A value for a text field: 150 -> `1,5` (typed back the same way)."""
    text = format_decimal(Decimal(bp) / 100, format="0.##", locale="id_ID")
    return text


def _product_form(chosen: loans.ProductView | None, _: Translate) -> str:
    def number(name: str, label: str, value: Attribute, hint: str = "") -> str:
        control_id = "product-" + name.replace("_", "-")
        return field(
            label,
            el(
                "input",
                id=control_id,
                name=name,
                value=value,
                inputmode="decimal",
                autocomplete="off",
                required=True,
                aria_describedby=f"{control_id}-hint" if hint else None,
            ),
            control_id,
            hint,
        )

    p = chosen
    methods = [
        tx("option", _(label), value=m.value, selected=p is not None and p.method is m)
        for m, label in METHOD_LABELS.items()
    ]
    heading = _("Ubah produk {name}", name=p.name) if p else _("Tambah produk pinjaman")
    return el(
        "form",
        tx("h3", heading, id="product-form-heading", tabindex="-1"),
        field(
            _("Nama produk"),
            el(
                "input",
                id="product-name",
                name="name",
                value=p.name if p else "",
                maxlength=100,
                required=True,
                autocomplete="off",
            ),
            "product-name",
        ),
        field(
            _("Metode bunga"),
            el("select", *methods, id="product-method", name="method"),
            "product-method",
        ),
        number(
            "monthly_rate",
            _("Bunga per bulan (%)"),
            _plain_percent(p.monthly_rate_bp) if p else "1,5",
            _("Misalnya 1,5 untuk 1,5% per bulan."),
        ),
        number(
            "min_term_months", _("Jangka waktu terpendek (bulan)"), p.min_term_months if p else 3
        ),
        number(
            "max_term_months", _("Jangka waktu terpanjang (bulan)"), p.max_term_months if p else 24
        ),
        number("min_amount", _("Pinjaman terkecil (Rp)"), p.min_amount if p else 500_000),
        number("max_amount", _("Pinjaman terbesar (Rp)"), p.max_amount if p else 20_000_000),
        number(
            "provisi",
            _("Provisi (% dari pinjaman)"),
            _plain_percent(p.provisi_bp) if p else "1",
            _("Dipotong saat pencairan."),
        ),
        number(
            "admin_fee",
            _("Biaya administrasi (Rp)"),
            p.admin_fee if p else 25_000,
            _("Dipotong saat pencairan."),
        ),
        number(
            "penalty",
            _("Denda keterlambatan (% per hari)"),
            _plain_percent(p.penalty_bp_per_day) if p else "0,1",
            _("Dari angsuran yang terlambat, per hari keterlambatan."),
        ),
        number(
            "savings_multiple",
            _("Batas: kelipatan simpanan anggota"),
            _plain_percent(p.savings_multiple_bp // 100) if p else "3",
            _(
                "Misalnya 3: seluruh pinjaman anggota paling banyak 3 kali simpanannya. "
                "0: tanpa batas ini."
            ),
        ),
        el(
            "label",
            el(
                "input",
                type="checkbox",
                name="active",
                id="product-active",
                checked=p is None or p.active,
            ),
            " " + tx("span", _("Ditawarkan kepada anggota")),
            class_="choice",
            for_="product-active",
        ),
        el(
            "div",
            tx("button", _("Simpan produk"), type="submit", class_="button"),
            tx(
                "a",
                _("Batal"),
                href="/pinjaman/kelola#products-heading",
                class_="button button-secondary",
            )
            if p
            else "",
            class_="actions",
        ),
        id="product-form",
        data_product=p.id if p else None,
        novalidate=True,
    )


async def _chosen_loan(
    k: int, request: Request[Any, Any, Any], day: date
) -> loans.LoanDetail | None:
    raw = request.query_params.get("pinjaman")
    if raw is None or not raw.isdigit() or not 0 < int(raw) < 2**31:
        return None
    try:
        return await loans.loan_detail(k, int(raw), day)
    except AppError:
        return None


@get("/pinjaman/kelola", include_in_schema=False, opt=PAGE, name="loans_manage_page")
async def loans_manage_page(
    request: Request[Any, Any, Any],
    anggota: Annotated[str, QueryParameter(max_length=20)] = "",
    produk: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role not in COUNTER_ROLES or actor.koperasi_id is None:
        return _refused_counter(request, user, language, _)
    k = actor.koperasi_id
    role = actor.role
    day = today()
    pengurus = role is Role.PENGURUS
    member = anggota.strip()
    chosen = await _chosen_loan(k, request, day)
    running = await loans.list_loans(
        k,
        day,
        statuses=[LoanStatus.DICAIRKAN],
        member_number=member or None,
        limit=LIST_SHOWN,
    )
    sections = []
    if request.query_params.get("pinjaman") and chosen is None:
        sections.append(tx("p", _("Pinjaman tidak ditemukan di koperasi ini."), class_="error-box"))
    if chosen is not None:
        sections.append(_loan_panel(chosen, role, language, _, day))
    filtered = _("anggota {number}", number=member) if member else ""
    sections.append(
        panel(
            "running-heading",
            _("Pinjaman berjalan"),
            _filter_form(member, _),
            _loans_table(
                running,
                language,
                _,
                caption=_("{count} pinjaman berjalan", count=len(running))
                + (f" · {filtered}" if filtered else ""),
                running=True,
            ),
        )
    )
    if pengurus:
        waiting = await loans.list_loans(
            k,
            day,
            statuses=[LoanStatus.DIAJUKAN, LoanStatus.DISETUJUI],
            member_number=member or None,
            limit=LIST_SHOWN,
        )
        sections.append(
            panel(
                "waiting-heading",
                _("Pengajuan"),
                tx(
                    "p",
                    _("Buka pengajuan untuk melihat simulasi jadwalnya sebelum memutuskan."),
                    class_="muted",
                ),
                _loans_table(
                    waiting,
                    language,
                    _,
                    caption=_("{count} menunggu keputusan atau pencairan", count=len(waiting)),
                    running=False,
                ),
            )
        )
        offered = await loans.products(k, active_only=True)
        sections.append(
            panel(
                "apply-heading",
                _("Ajukan untuk anggota"),
                el("div", class_="error-box message", role="alert"),
                el("div", class_="status-box message", role="status"),
                apply_form(offered, language, _, for_member=False),
            )
        )
        sections.append(_arrears_section(await loans.arrears(k, day), language, _))
        sections.append(await _summary_section(k, day, language, _))
        everything = await loans.products(k)
        editing = next((p for p in everything if p.id == produk), None)
        sections.append(
            panel(
                "products-heading",
                _("Produk pinjaman"),
                el("div", class_="error-box message", role="alert"),
                el("div", class_="status-box message", role="status"),
                _product_rows(everything, language, _),
                _product_form(editing, _),
            )
        )
    koperasi_name = (user.active.koperasi_name if user.active else "") or ""
    title = _("Pinjaman") if pengurus else _("Angsuran pinjaman")
    main = (
        _stylesheet()
        + tx("h1", title)
        + tx("p", koperasi_name, class_="lead")
        + noscript(_)
        + message_boxes()
        + _done(request, _)
        + el("div", *sections, class_="panels")
        + script_messages(_, SCRIPT_MESSAGES, PENGURUS_MESSAGES if pengurus else KASIR_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=title,
        main_html=main,
        user=user,
        scripts=(LOANS_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


def _refused_counter(
    request: Request[Any, Any, Any], user: CurrentUser, language: str, _: Translate
) -> Response[str]:
    return refusal_page(
        request,
        user,
        language,
        403,
        _("Pinjaman"),
        _(
            "Halaman ini untuk pengurus dan kasir koperasi. Anggota melihat pinjamannya di "
            "/pinjaman."
        ),
    )


LOAN_PAGES = (loans_page, loans_manage_page)
