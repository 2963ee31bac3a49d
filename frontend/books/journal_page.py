"""`/pembukuan/jurnal`: the general journal. Entries newest first with their lines (pages
by entry number: "Muat lagi" is a link to the next page, which books.js appends in
place), reversed entries marked; for a pengurus also the manual entry form with live
totals, reversing an entry, and closing a month. A Dinas officer reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import QueryParameter

from backend.accounts.guards import PAGE
from backend.formatting import short_date
from backend.ledger import accounts as chart_service
from backend.ledger import journal
from backend.ledger.domain import AccountType
from backend.savings.service import policy as savings_policy
from backend.texts import N_
from frontend.books.common import (
    BOOKS_JS,
    JOURNAL_PATH,
    Books,
    books_document,
    books_nav,
    books_of,
    choose_first,
    heading,
    koperasi_chooser,
    money,
    today,
)
from frontend.books.periods import month_name
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate
from frontend.personal import field, noscript, script_messages, when

PAGE_SIZE = 20
FIRST_LINES = 2

SOURCES: dict[str, str] = {
    "manual": N_("Jurnal umum"),
    "reversal": N_("Jurnal pembalik"),
    "savings": N_("Transaksi simpanan"),
    "opening": N_("Saldo awal"),
    "demo": N_("Data contoh"),
}
# Entries a pengurus may reverse here. Entries of business records with their own ledger
# (savings movements, later sales and loans) are corrected through those records, or the
# sub-ledger and the books would part.
REVERSIBLE_SOURCES = frozenset({"manual", "opening", "demo"})
TYPE_LABELS: dict[str, str] = {
    AccountType.ASET.value: N_("Aset"),
    AccountType.KEWAJIBAN.value: N_("Kewajiban"),
    AccountType.EKUITAS.value: N_("Ekuitas"),
    AccountType.PENDAPATAN.value: N_("Pendapatan"),
    AccountType.BEBAN.value: N_("Beban"),
}

# What books.js may say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "line_legend": N_("Baris {n}"),
    "remove_line": N_("Hapus baris {n}"),
    "balanced": N_("Seimbang"),
    "unbalanced": N_("Tidak seimbang: selisih {amount}"),
    "empty_totals": N_("Isi jumlah debit dan kredit."),
    "not_rupiah": N_("Jumlah harus rupiah bulat, tanpa koma atau desimal."),
    "line_account": N_("Pilih akun di baris {n}."),
    "too_few_lines": N_("Jurnal memerlukan paling sedikit dua baris berisi akun dan jumlah."),
    "saving": N_("Menyimpan…"),
    "posted": N_("Jurnal #{number} dicatat."),
    "reversed": N_("Jurnal #{number} dibalik dengan jurnal #{reversal}."),
    "confirm_close": N_(
        "Tutup periode {month}? Ini tidak dapat dibatalkan: jurnal bertanggal {month} atau "
        "sebelumnya tidak bisa dicatat lagi."
    ),
    "closed": N_("Periode {month} ditutup."),
    "loading": N_("Memuat…"),
    "loaded": N_("{count} jurnal lagi dimuat."),
    "month_required": N_("Pilih bulan yang ditutup."),
}
JOURNAL_MESSAGES = tuple(SCRIPT_MESSAGES)


def _messages() -> str:
    return el("div", class_="error-box message", role="alert") + el(
        "div", class_="status-box message", role="status"
    )


# --- the list -------------------------------------------------------------------------


def _amount_cell(amount: int) -> str:
    return tx("td", money(amount) if amount else "", class_="num")


def _entry_item(books: Books, entry: journal.EntryView, today_: date) -> str:
    _ = books._
    n = entry.number
    title_id = f"entry-{n}-title"
    lines = [
        el(
            "tr",
            el(
                "th",
                tx("span", line.code, class_="code") + " " + tx("span", _(line.name)),
                tx("span", line.memo, class_="memo") if line.memo else "",
                scope="row",
            ),
            _amount_cell(line.debit),
            _amount_cell(line.credit),
        )
        for line in entry.lines
    ]
    total = el(
        "tr",
        tx("th", _("Jumlah"), scope="row"),
        tx("td", money(entry.total), class_="num"),
        tx("td", money(entry.total), class_="num"),
        class_="total",
    )
    caption_id = f"entry-{n}-caption"
    table = el(
        "div",
        el(
            "table",
            tx("caption", _("Baris jurnal #{number}", number=n), id=caption_id, class_="sr-only"),
            el(
                "thead",
                el(
                    "tr",
                    tx("th", _("Akun"), scope="col"),
                    tx("th", _("Debit"), scope="col", class_="num"),
                    tx("th", _("Kredit"), scope="col", class_="num"),
                ),
            ),
            el("tbody", *lines),
            el("tfoot", total),
            class_="table entry-lines",
        ),
        class_="table-wrap",
        role="region",
        aria_labelledby=caption_id,
        tabindex="0",
    )
    tags = []
    if entry.reversed_by is not None:
        tags.append(
            tx("span", _("Dibalik oleh #{number}", number=entry.reversed_by), class_="tag warn")
        )
    if entry.reverses is not None:
        tags.append(tx("span", _("Membalik #{number}", number=entry.reverses), class_="tag"))
    source = _(SOURCES.get(entry.source, entry.source))
    meta = [short_date(entry.entry_date, books.language), source]
    if entry.created_by:
        meta.append(_("oleh {who}", who=entry.created_by))
    reversible = (
        books.can_write
        and entry.source in REVERSIBLE_SOURCES
        and entry.reversed_by is None
        and entry.reverses is None
    )
    return el(
        "li",
        tx("h3", f"#{n} · {entry.description}", id=title_id, tabindex="-1"),
        tx("p", " · ".join(meta), class_="muted"),
        el("p", *tags, class_="tags") if tags else "",
        table,
        _reverse_controls(books, n, today_) if reversible else "",
        class_="entry" + (" reversed" if entry.reversed_by is not None else ""),
        id=f"jurnal-{n}",
        data_number=n,
        aria_labelledby=title_id,
    )


def _reverse_controls(books: Books, n: int, today_: date) -> str:
    _ = books._
    date_id = f"reverse-{n}-date"
    form = el(
        "form",
        tx(
            "p",
            _(
                "Jurnal pembalik mencatat baris yang sama di sisi sebaliknya pada tanggal "
                "yang dipilih. Jurnal #{number} tetap tercatat dan ditandai sudah dibalik.",
                number=n,
            ),
        ),
        field(
            _("Tanggal jurnal pembalik"),
            el(
                "input",
                type="date",
                id=date_id,
                name="entry_date",
                value=today_.isoformat(),
                required=True,
            ),
            date_id,
        ),
        el(
            "div",
            tx(
                "button",
                _("Ya, balik jurnal #{number}", number=n),
                type="submit",
                class_="button button-danger",
            ),
            tx(
                "button",
                _("Batal"),
                type="button",
                class_="button button-secondary",
                data_cancel=True,
            ),
            class_="actions",
        ),
        class_="reverse-form",
        data_number=n,
        hidden=True,
    )
    return el(
        "div",
        tx(
            "button",
            _("Balik"),
            type="button",
            class_="button button-secondary",
            data_reverse=n,
            aria_label=_("Balik jurnal #{number}", number=n),
            aria_expanded="false",
        ),
        form,
        class_="reverse",
    )


def _entries_section(books: Books, page: journal.EntryPage, before: int | None) -> str:
    _ = books._
    today_ = today()
    items = [_entry_item(books, entry, today_) for entry in page.items]
    if items:
        listing = el("ol", *items, class_="plain-list entries", id="entries")
    elif before is None:
        listing = tx(
            "p",
            _("Belum ada jurnal di pembukuan koperasi ini."),
            class_="notice",
            id="no-entries",
        )
    else:
        listing = tx("p", _("Tidak ada jurnal yang lebih lama."), class_="muted")
    more = ""
    if page.next_before is not None:
        more = tx(
            "a",
            _("Muat lagi"),
            href=books.link(JOURNAL_PATH, sebelum=str(page.next_before)),
            class_="button button-secondary",
            id="more-entries",
        )
    newest = ""
    if before is not None:
        newest = el("p", tx("a", _("Kembali ke jurnal terbaru"), href=books.link(JOURNAL_PATH)))
    return el(
        "section",
        tx("h2", _("Daftar jurnal"), id="entries-heading"),
        tx("p", _("Terbaru di atas. Jurnal yang sudah dibalik ditandai."), class_="muted"),
        newest,
        _messages(),
        listing,
        el("p", more, class_="more") if more else "",
        class_="panel",
        id="entries-section",
        aria_labelledby="entries-heading",
    )


# --- the entry form -------------------------------------------------------------------


def _account_options(_: Translate, accounts: Sequence[chart_service.ChartEntry]) -> str:
    groups = []
    for kind, label in TYPE_LABELS.items():
        options = [
            tx("option", a.code + " " + _(a.name), value=a.code)
            for a in accounts
            if a.type == kind and not a.control
        ]
        if options:
            groups.append(el("optgroup", *options, label=_(label)))
    return tx("option", _("Pilih akun…"), value="") + "".join(groups)


def line_fields(_: Translate, options: str, n: str) -> str:
    """One line of the entry form; `n` its number (`__N__` in the template)."""

    def control_id(name: str) -> str:
        return f"line-{n}-{name}"

    amount = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "0"}
    return el(
        "fieldset",
        tx("legend", _("Baris {n}", n=n)),
        field(
            _("Akun"),
            el("select", options, id=control_id("account"), name="account"),
            control_id("account"),
            data_part="account",
        ),
        field(
            _("Debit"),
            el("input", id=control_id("debit"), name="debit", **amount),
            control_id("debit"),
            data_part="amount",
        ),
        field(
            _("Kredit"),
            el("input", id=control_id("credit"), name="credit", **amount),
            control_id("credit"),
            data_part="amount",
        ),
        field(
            _("Catatan baris"),
            el("input", id=control_id("memo"), name="memo", maxlength=200, autocomplete="off"),
            control_id("memo"),
            data_part="memo",
        ),
        tx(
            "button",
            _("Hapus baris"),
            type="button",
            class_="button button-danger remove-line",
            aria_label=_("Hapus baris {n}", n=n),
            data_remove_line=True,
        ),
        class_="entry-line",
        data_line=n,
    )


def _entry_form(books: Books, accounts: Sequence[chart_service.ChartEntry]) -> str:
    _ = books._
    options = _account_options(_, accounts)
    description = el(
        "input",
        id="entry-description",
        name="description",
        maxlength=300,
        required=True,
        autocomplete="off",
    )
    totals = el(
        "div",
        el(
            "dl",
            el("div", tx("dt", _("Total debit")), tx("dd", money(0), id="total-debit")),
            el("div", tx("dt", _("Total kredit")), tx("dd", money(0), id="total-credit")),
            class_="totals",
        ),
        tx(
            "p",
            _("Isi jumlah debit dan kredit."),
            id="entry-balance",
            class_="balance",
            data_state="empty",
        ),
        class_="entry-totals",
        aria_live="polite",
    )
    form = el(
        "form",
        field(
            _("Tanggal"),
            el(
                "input",
                type="date",
                id="entry-date",
                name="entry_date",
                value=today().isoformat(),
                required=True,
            ),
            "entry-date",
        ),
        field(
            _("Keterangan"),
            description,
            "entry-description",
            _("Contoh: Bayar listrik kantor bulan Maret."),
        ),
        tx(
            "p",
            _(
                "Setiap baris berisi debit atau kredit saja. Akun simpanan tidak ada di "
                "daftar: akun itu hanya bergerak lewat transaksi simpanan anggota."
            ),
            class_="hint",
        ),
        el(
            "div",
            *[line_fields(_, options, str(i)) for i in range(1, FIRST_LINES + 1)],
            id="entry-lines",
        ),
        el("template", line_fields(_, options, "__N__"), id="line-template"),
        el(
            "div",
            tx(
                "button",
                _("Tambah baris"),
                type="button",
                class_="button button-secondary",
                id="add-line",
            ),
            class_="actions",
        ),
        totals,
        _messages(),
        tx("button", _("Simpan jurnal"), type="submit", class_="button", id="entry-submit"),
        id="entry-form",
        novalidate=True,
    )
    return el(
        "section",
        tx("h2", _("Catat jurnal umum"), id="entry-heading"),
        noscript(_),
        form,
        class_="panel",
        id="entry-section",
        aria_labelledby="entry-heading",
    )


# --- closing a month ------------------------------------------------------------------


def _closing_section(books: Books, periods: journal.Periods) -> str:
    _ = books._
    if periods.closed_through:
        year, month = (int(part) for part in periods.closed_through.split("-"))
        through = _(
            "Periode tertutup sampai {month}.",
            month=month_name(date(year, month, 1), books.language),
        )
    else:
        through = _("Belum ada periode yang ditutup.")
    history = ""
    if periods.closes:
        history = el(
            "details",
            tx("summary", _("Riwayat penutupan")),
            el(
                "ul",
                *[
                    tx(
                        "li",
                        _(
                            "{month}: ditutup {time} oleh {who}",
                            month=month_name(
                                date(int(c.period[:4]), int(c.period[5:]), 1), books.language
                            ),
                            time=when(c.closed_at, books.language),
                            who=c.closed_by or _("Sistem"),
                        ),
                    )
                    for c in periods.closes[:12]
                ],
                class_="list",
            ),
        )
    close = ""
    if books.can_write:
        now = today()
        last_month = (
            date(now.year - 1, 12, 1) if now.month == 1 else date(now.year, now.month - 1, 1)
        )
        suggested = f"{last_month.year:04d}-{last_month.month:02d}"
        if periods.closed_through and suggested <= periods.closed_through:
            suggested = ""
        close = el(
            "form",
            field(
                _("Bulan yang ditutup"),
                el(
                    "input",
                    type="month",
                    id="close-month",
                    name="period",
                    value=suggested,
                    required=True,
                    aria_describedby="close-month-hint",
                ),
                "close-month",
                _(
                    "Tidak dapat dibatalkan. Bulan ini dan semua bulan sebelumnya tidak "
                    "menerima jurnal lagi; koreksi dicatat di periode yang masih terbuka."
                ),
            ),
            _messages(),
            tx("button", _("Tutup periode"), type="submit", class_="button button-danger"),
            id="close-form",
            novalidate=True,
        )
    return el(
        "section",
        tx("h2", _("Tutup periode"), id="close-heading"),
        tx("p", through, id="closed-through", class_="lead"),
        history,
        close,
        class_="panel",
        id="close-section",
        aria_labelledby="close-heading",
    )


@get(JOURNAL_PATH, include_in_schema=False, opt=PAGE, name="books_journal_page")
async def journal_page(
    request: Request[Any, Any, Any],
    koperasi: Annotated[str | None, QueryParameter(max_length=80)] = None,
    sebelum: Annotated[int | None, QueryParameter(gt=0)] = None,
) -> Response[Any]:
    books = await books_of(request, koperasi)
    if isinstance(books, Response):
        return books
    _ = books._
    title = _("Jurnal umum")
    parts = [heading(books, title), books_nav(books, JOURNAL_PATH)]
    k = books.koperasi_id
    if k is None:
        parts += [choose_first(books), koperasi_chooser(books, JOURNAL_PATH)]
        return books_document(books, title=title, main_html="".join(parts))
    page = await journal.entries(k, before=sebelum, limit=PAGE_SIZE)
    periods = await journal.periods(k)
    if books.is_dinas:
        parts.append(koperasi_chooser(books, JOURNAL_PATH))
    if books.can_write and sebelum is None:
        control = (await savings_policy(k)).control_accounts
        accounts = await chart_service.chart(k, control)
        parts.append(_entry_form(books, accounts))
    parts.append(_entries_section(books, page, sebelum))
    parts.append(_closing_section(books, periods))
    parts.append(script_messages(_, SCRIPT_MESSAGES, JOURNAL_MESSAGES))
    return books_document(books, title=title, main_html="".join(parts), scripts=(BOOKS_JS,))
