"""`/pembukuan`: the financial statements of one koperasi for a period, rendered on the
server from the query string (a shareable address that works without the script), with
the comparison column, export links (PDF, Excel) for the same parameters, and an empty
state for books without entries.

Query: `laporan` (neraca, phu, arus-kas, ekuitas, neraca-saldo, buku-besar), `periode`
(bulan, tahun, rentang) with `bulan` (YYYY-MM), `tahun` (YYYY) or `dari`/`sampai`
(YYYY-MM-DD), `banding` (sebelumnya, tidak), `akun` (for the buku besar), and for a Dinas
officer `koperasi` (slug)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.params import QueryParameter

from backend.accounts.guards import PAGE
from backend.errors import AppError
from backend.formatting import long_date, short_date
from backend.ledger import accounts as chart_service
from backend.ledger import cashflow, journal, service, statements
from backend.ledger.statements import Section
from backend.texts import N_
from frontend.books.common import (
    BOOKS_JS,
    JOURNAL_PATH,
    REPORTS_PATH,
    Books,
    amount_cells,
    books_document,
    books_nav,
    books_of,
    choose_first,
    header_row,
    heading,
    koperasi_chooser,
    scroll_table,
    today,
)
from frontend.books.periods import (
    KIND_LABELS,
    Period,
    PeriodRequest,
    resolve,
    span_label,
)
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate
from frontend.personal import field

Text = Annotated[str | None, QueryParameter(max_length=40)]

REPORTS: dict[str, str] = {
    "neraca": N_("Neraca"),
    "phu": N_("Perhitungan Hasil Usaha"),
    "arus-kas": N_("Arus Kas"),
    "ekuitas": N_("Perubahan Ekuitas"),
    "neraca-saldo": N_("Neraca Saldo"),
    "buku-besar": N_("Buku Besar"),
}
# Where each report's file comes from (GET /api/v1/books/exports/…).
EXPORTS: dict[str, str] = {
    "neraca": "neraca",
    "phu": "phu",
    "arus-kas": "cash-flow",
    "ekuitas": "equity-changes",
    "neraca-saldo": "trial-balance",
    "buku-besar": "ledger",
}
DEFAULT_ACCOUNT = "1-1100"


@dataclass(frozen=True)
class Choice:
    report: str
    period: Period
    account: str
    problems: list[str]


def _choice(laporan: str | None, asked: PeriodRequest, account: str | None, on: date) -> Choice:
    problems = []
    report = laporan or "neraca"
    if report not in REPORTS:
        problems.append(N_("Laporan tidak dikenal; yang ditampilkan Neraca."))
        report = "neraca"
    period, problem = resolve(asked, on)
    if problem:
        problems.append(problem)
    return Choice(report, period, (account or DEFAULT_ACCOUNT).strip(), problems)


# --- the picker -----------------------------------------------------------------------


def _options(choices: Sequence[tuple[str, str]], chosen: str) -> list[str]:
    return [tx("option", label, value=value, selected=value == chosen) for value, label in choices]


def _picker(books: Books, choice: Choice, accounts: list[tuple[str, str]]) -> str:
    _ = books._
    period = choice.period
    report = el(
        "select",
        *_options([(k, _(v)) for k, v in REPORTS.items()], choice.report),
        id="laporan",
        name="laporan",
    )
    kind = el(
        "select",
        *_options([(k.value, _(v)) for k, v in KIND_LABELS.items()], period.kind.value),
        id="periode",
        name="periode",
    )
    month = el("input", type="month", id="bulan", name="bulan", value=period.month)
    year = el(
        "input",
        type="number",
        id="tahun",
        name="tahun",
        min=1901,
        max=2999,
        inputmode="numeric",
        value=period.since.year,
    )
    since = el("input", type="date", id="dari", name="dari", value=period.since.isoformat())
    until = el("input", type="date", id="sampai", name="sampai", value=period.until.isoformat())
    account = el(
        "select",
        *_options(accounts, choice.account),
        id="akun",
        name="akun",
    )
    compare = el(
        "select",
        *_options(
            [
                ("sebelumnya", _("Periode sebelumnya")),
                ("tidak", _("Tanpa pembanding")),
            ],
            "tidak" if period.compare is None else "sebelumnya",
        ),
        id="banding",
        name="banding",
        aria_describedby="banding-hint",
    )
    return el(
        "form",
        tx("h2", _("Pilih laporan dan periode"), id="picker-heading"),
        koperasi_chooser(books, REPORTS_PATH, inline=True),
        el(
            "div",
            field(_("Laporan"), report, "laporan"),
            field(_("Akun"), account, "akun", data_for_report="buku-besar"),
            field(_("Jenis periode"), kind, "periode"),
            field(_("Bulan"), month, "bulan", data_for_period="bulan"),
            field(_("Tahun"), year, "tahun", data_for_period="tahun"),
            field(_("Dari tanggal"), since, "dari", data_for_period="rentang"),
            field(_("Sampai tanggal"), until, "sampai", data_for_period="rentang"),
            field(
                _("Kolom pembanding"),
                compare,
                "banding",
                _(
                    "Pembanding: periode sebelumnya dengan panjang yang sama — bulan "
                    "sebelumnya, tahun sebelumnya, atau jumlah hari yang sama tepat sebelum "
                    "rentang tanggal."
                ),
            ),
            class_="picker-fields",
        ),
        tx("button", _("Tampilkan laporan"), type="submit", class_="button"),
        method="get",
        action=REPORTS_PATH,
        id="report-form",
        class_="panel report-form",
        aria_labelledby="picker-heading",
    )


# --- statements -----------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A statement's table(s) and what the page says about its columns."""

    html: str
    export_params: dict[str, str]
    note: str = ""


def _statement_table(
    caption_id: str,
    caption: str,
    columns: Sequence[str],
    sections: Sequence[tuple[str, Section, str]],
    totals: Sequence[tuple[str, Sequence[int]]],
    _: Translate,
    leading: Sequence[tuple[str, Sequence[int]]] = (),
) -> str:
    """Sections of account lines with their totals, then the statement's totals.
    `sections`: (title, section, total label)."""
    bodies = []
    span = 1 + len(columns)
    if leading:
        bodies.append(
            el(
                "tbody",
                *[
                    el("tr", tx("th", label, scope="row"), amount_cells(amounts), class_="total")
                    for label, amounts in leading
                ],
            )
        )
    for title, section, total_label in sections:
        rows = [
            el(
                "tr",
                tx("th", title, scope="rowgroup", colspan=span),
                class_="section-title",
            )
        ]
        shown = [line for line in section.lines if any(line.amounts)]
        if not shown:
            rows.append(
                el("tr", tx("td", _("Tidak ada akun bersaldo."), colspan=span, class_="muted"))
            )
        for line in shown:
            label = el(
                "th",
                tx("span", line.code, class_="code") + " " if line.code else "",
                tx("span", _(line.name)),
                scope="row",
            )
            rows.append(el("tr", label, amount_cells(line.amounts)))
        rows.append(
            el(
                "tr",
                tx("th", total_label, scope="row"),
                amount_cells(section.totals),
                class_="total",
            )
        )
        bodies.append(el("tbody", *rows))
    if totals:
        bodies.append(
            el(
                "tbody",
                *[
                    el("tr", tx("th", label, scope="row"), amount_cells(amounts), class_="grand")
                    for label, amounts in totals
                ],
            )
        )
    table = el(
        "table",
        tx("caption", caption, id=caption_id),
        header_row([_("Akun"), *columns], 1),
        *bodies,
        class_="table statement",
    )
    return scroll_table(table, caption_id)


def _span(window: tuple[date, date], books: Books) -> str:
    return f"{short_date(window[0], books.language)} – {short_date(window[1], books.language)}"


def _period_columns(books: Books, period: Period) -> list[str]:
    _ = books._
    columns = [span_label(period.kind, period.since, period.until, books.language, _)]
    if period.compare:
        columns.append(
            span_label(period.kind, period.compare[0], period.compare[1], books.language, _)
        )
    return columns


def _compare_params(period: Period) -> dict[str, str]:
    if period.compare is None:
        return {}
    return {
        "compare_since": period.compare[0].isoformat(),
        "compare_until": period.compare[1].isoformat(),
    }


async def _neraca(books: Books, k: int, period: Period) -> Rendered:
    _ = books._
    compare_as_of = period.compare[1] if period.compare else None
    sheet = await statements.neraca(k, period.until, compare_as_of)
    columns = [long_date(day, books.language) for day in sheet.dates]
    table = _statement_table(
        "statement-caption",
        _("Neraca per {date}", date=columns[0]),
        columns,
        [
            (_(sheet.aset.title), sheet.aset, _("Jumlah aset")),
            (_(sheet.kewajiban.title), sheet.kewajiban, _("Jumlah kewajiban")),
            (_(sheet.ekuitas.title), sheet.ekuitas, _("Jumlah ekuitas")),
        ],
        [(_("Jumlah kewajiban dan ekuitas"), sheet.total_kewajiban_ekuitas)],
        _,
    )
    params = {"as_of": period.until.isoformat()}
    note = ""
    if compare_as_of:
        params["compare_as_of"] = compare_as_of.isoformat()
        note = _(
            "Kolom pembanding: posisi per {date}, akhir periode sebelumnya.",
            date=long_date(compare_as_of, books.language),
        )
    if not sheet.balanced:
        table = (
            tx(
                "p",
                _("Peringatan: jumlah aset tidak sama dengan jumlah kewajiban dan ekuitas."),
                class_="error-box",
            )
            + table
        )
    return Rendered(table, params, note)


async def _phu(books: Books, k: int, period: Period) -> Rendered:
    _ = books._
    income = await statements.phu(k, period.since, period.until, period.compare)
    table = _statement_table(
        "statement-caption",
        _("Perhitungan hasil usaha {period}", period=_span(income.windows[0], books)),
        _period_columns(books, period),
        [
            (_(income.pendapatan.title), income.pendapatan, _("Jumlah pendapatan")),
            (_(income.beban.title), income.beban, _("Jumlah beban")),
        ],
        [(_("Sisa hasil usaha (SHU)"), income.shu)],
        _,
    )
    params = {
        "since": period.since.isoformat(),
        "until": period.until.isoformat(),
        **_compare_params(period),
    }
    return Rendered(table, params, _compare_note(books, period))


def _compare_note(books: Books, period: Period) -> str:
    if period.compare is None:
        return ""
    _ = books._
    return _(
        "Kolom pembanding: {period}, periode sebelumnya dengan panjang yang sama.",
        period=_span(period.compare, books),
    )


async def _cash_flow(books: Books, k: int, period: Period) -> Rendered:
    _ = books._
    flows = await cashflow.arus_kas(k, period.since, period.until, period.compare)
    table = _statement_table(
        "statement-caption",
        _("Arus kas {period}", period=_span(flows.windows[0], books)),
        _period_columns(books, period),
        [(_(section.title), section, _("Arus kas bersih")) for section in flows.sections],
        [
            (_("Kenaikan (penurunan) kas bersih"), flows.net_change),
            (_("Kas dan bank akhir periode"), flows.closing_cash),
        ],
        _,
        leading=[(_("Kas dan bank awal periode"), flows.opening_cash)],
    )
    params = {
        "since": period.since.isoformat(),
        "until": period.until.isoformat(),
        **_compare_params(period),
    }
    note = _(
        "Metode tidak langsung: SHU periode berjalan disesuaikan dengan perubahan akun "
        "lain menurut kelompok arus kasnya (diatur di Bagan akun)."
    )
    compare = _compare_note(books, period)
    return Rendered(table, params, note + (" " + compare if compare else ""))


async def _equity(books: Books, k: int, period: Period) -> Rendered:
    _ = books._
    changes = await statements.perubahan_ekuitas(k, period.since, period.until)
    caption_id = "statement-caption"
    rows = []
    for row in changes.rows:
        if not (row.opening or row.change or row.closing):
            continue
        label = el(
            "th",
            tx("span", row.code, class_="code") + " " if row.code else "",
            tx("span", _(row.name)),
            scope="row",
        )
        rows.append(el("tr", label, amount_cells([row.opening, row.change, row.closing])))
    total = el(
        "tr",
        tx("th", _("Jumlah ekuitas"), scope="row"),
        amount_cells([changes.opening, changes.change, changes.closing]),
        class_="grand",
    )
    opening_day = long_date(period.since - timedelta(days=1), books.language)
    closing_day = long_date(period.until, books.language)
    table = el(
        "table",
        tx(
            "caption",
            _("Perubahan ekuitas {period}", period=_span((period.since, period.until), books)),
            id=caption_id,
        ),
        header_row(
            [
                _("Akun"),
                _("Saldo per {date}", date=opening_day),
                _("Perubahan"),
                _("Saldo per {date}", date=closing_day),
            ],
            1,
        ),
        el("tbody", *rows),
        el("tbody", total),
        class_="table statement",
    )
    params = {"since": period.since.isoformat(), "until": period.until.isoformat()}
    note = _("Laporan ini tidak memakai kolom pembanding: awal dan akhir periode ada di kolomnya.")
    return Rendered(scroll_table(table, caption_id), params, note)


async def _trial_balance(books: Books, k: int, period: Period) -> Rendered:
    _ = books._
    balances = await service.trial_balance(k, until=period.until)
    caption_id = "statement-caption"
    rows = []
    debit_total = credit_total = 0
    for b in balances:
        net = b.debit - b.credit
        if not net:
            continue
        debit, credit = max(net, 0), max(-net, 0)
        debit_total += debit
        credit_total += credit
        label = el(
            "th",
            tx("span", b.code, class_="code") + " ",
            tx("span", _(b.name)),
            scope="row",
        )
        rows.append(el("tr", label, amount_cells([debit, credit])))
    if not rows:
        rows.append(el("tr", tx("td", _("Semua akun bersaldo nol."), colspan=3, class_="muted")))
    total = el(
        "tr",
        tx("th", _("Jumlah"), scope="row"),
        amount_cells([debit_total, credit_total]),
        class_="grand",
    )
    until = long_date(period.until, books.language)
    table = el(
        "table",
        tx("caption", _("Neraca saldo per {date}", date=until), id=caption_id),
        header_row([_("Akun"), _("Debit"), _("Kredit")], 1),
        el("tbody", *rows),
        el("tbody", total),
        class_="table statement",
    )
    note = _(
        "Saldo setiap akun sampai {date}, di sisi debit atau kredit. Neraca saldo tidak "
        "memakai kolom pembanding.",
        date=until,
    )
    return Rendered(scroll_table(table, caption_id), {"until": period.until.isoformat()}, note)


async def _ledger(books: Books, k: int, period: Period, code: str) -> Rendered:
    _ = books._
    book = await statements.general_ledger(k, code, period.since, period.until)
    caption_id = "statement-caption"
    rows = [
        el(
            "tr",
            tx("td", short_date(row.entry_date, books.language)),
            tx("td", "#" + str(row.number)),
            tx("th", row.description, scope="row", class_="description"),
            amount_cells([row.debit, row.credit, row.balance]),
        )
        for row in book.rows
    ]
    if not rows:
        rows.append(
            el(
                "tr",
                tx("td", _("Tidak ada jurnal pada periode ini."), colspan=6, class_="muted"),
            )
        )
    opening = el(
        "tr",
        tx("th", _("Saldo awal"), scope="row", colspan=5),
        amount_cells([book.opening]),
        class_="total",
    )
    closing = el(
        "tr",
        tx("th", _("Saldo akhir"), scope="row", colspan=3),
        amount_cells(
            [sum(r.debit for r in book.rows), sum(r.credit for r in book.rows), book.closing]
        ),
        class_="grand",
    )
    table = el(
        "table",
        tx(
            "caption",
            _(
                "Buku besar {code} {name}, {period}",
                code=book.code,
                name=_(book.name),
                period=_span((book.since, book.until), books),
            ),
            id=caption_id,
        ),
        header_row(
            [_("Tanggal"), _("Nomor"), _("Keterangan"), _("Debit"), _("Kredit"), _("Saldo")], 3
        ),
        el("tbody", opening),
        el("tbody", *rows),
        el("tbody", closing),
        class_="table statement ledger",
    )
    note = _("Saldo di sisi normal akun. Buku besar tidak memakai kolom pembanding.")
    if len(book.rows) >= statements.GENERAL_LEDGER_MAX_ROWS:
        note += " " + _(
            "Hanya {count} baris pertama yang ditampilkan; pilih periode yang lebih pendek.",
            count=statements.GENERAL_LEDGER_MAX_ROWS,
        )
    params = {"since": period.since.isoformat(), "until": period.until.isoformat()}
    return Rendered(scroll_table(table, caption_id), params, note)


async def _render(books: Books, k: int, choice: Choice) -> Rendered:
    period = choice.period
    if choice.report == "phu":
        return await _phu(books, k, period)
    if choice.report == "arus-kas":
        return await _cash_flow(books, k, period)
    if choice.report == "ekuitas":
        return await _equity(books, k, period)
    if choice.report == "neraca-saldo":
        return await _trial_balance(books, k, period)
    if choice.report == "buku-besar":
        return await _ledger(books, k, period, choice.account)
    return await _neraca(books, k, period)


def _export_links(books: Books, choice: Choice, params: dict[str, str]) -> str:
    _ = books._
    path = "/api/v1/books/exports/" + EXPORTS[choice.report]
    if choice.report == "buku-besar":
        path += "/" + choice.account
    title = _(REPORTS[choice.report])
    query = dict(params)
    if books.is_dinas and books.slug:
        query["koperasi"] = books.slug
    links = [
        tx(
            "a",
            label,
            href=path + "?" + urlencode({**query, "format": fmt}),
            class_="button button-secondary",
            download=True,
            aria_label=_("Unduh {report} sebagai {format}", report=title, format=label),
        )
        for fmt, label in (("pdf", "PDF"), ("xlsx", "Excel"))
    ]
    return el(
        "div",
        tx("span", _("Unduh:"), class_="muted", aria_hidden="true"),
        *links,
        class_="actions exports",
    )


def _empty_books(books: Books) -> str:
    _ = books._
    more = (
        el(
            "p",
            tx("a", _("Catat jurnal pertama"), href=books.link(JOURNAL_PATH), class_="button"),
        )
        if books.can_write
        else ""
    )
    return el(
        "div",
        tx("h3", _("Belum ada jurnal"), id="empty-heading"),
        tx(
            "p",
            _(
                "Pembukuan koperasi ini belum berisi jurnal, jadi semua laporan masih nol. "
                "Laporan terisi setelah transaksi simpanan atau jurnal umum dicatat."
            ),
        ),
        more,
        class_="panel empty-state",
        id="empty-books",
    )


@get(REPORTS_PATH, include_in_schema=False, opt=PAGE, name="books_reports_page")
async def reports_page(
    request: Request[Any, Any, Any],
    koperasi: Annotated[str | None, QueryParameter(max_length=80)] = None,
    laporan: Text = None,
    periode: Text = None,
    bulan: Text = None,
    tahun: Text = None,
    dari: Text = None,
    sampai: Text = None,
    banding: Text = None,
    akun: Text = None,
) -> Response[Any]:
    books = await books_of(request, koperasi)
    if isinstance(books, Response):
        return books
    _ = books._
    title = _("Laporan keuangan")
    asked = PeriodRequest(periode, bulan, tahun, dari, sampai, banding)
    choice = _choice(laporan, asked, akun, today())
    parts = [heading(books, title), books_nav(books, REPORTS_PATH)]
    k = books.koperasi_id
    if k is None:
        parts += [choose_first(books), _picker(books, choice, [])]
        return books_document(books, title=title, main_html="".join(parts), scripts=(BOOKS_JS,))
    accounts = [(a.code, a.code + " " + _(a.name)) for a in await chart_service.chart(k)]
    parts.append(_picker(books, choice, accounts))
    parts += [tx("p", _(problem), class_="notice") for problem in choice.problems]
    empty = not (await journal.entries(k, limit=1)).items
    report_title = _(REPORTS[choice.report])
    period_text = span_label(
        choice.period.kind, choice.period.since, choice.period.until, books.language, _
    )
    if choice.report in ("neraca", "neraca-saldo"):
        period_text = _("Per {date}", date=long_date(choice.period.until, books.language))
    try:
        rendered = await _render(books, k, choice)
    except AppError as error:
        body = tx("p", _(error.message), class_="error-box", role="alert")
    else:
        zeros = (
            ""
            if choice.report == "buku-besar"
            else " " + _("Akun yang bersaldo nol tidak ditampilkan.")
        )
        note = (rendered.note + zeros).strip()
        body = (
            (tx("p", note, class_="muted note") if note else "")
            + _export_links(books, choice, rendered.export_params)
            + rendered.html
        )
    statement = el(
        "section",
        tx("h2", report_title, id="statement-heading"),
        tx("p", books.name + " · " + period_text, class_="statement-period"),
        _empty_books(books) if empty else "",
        body,
        class_="statement-section",
        aria_labelledby="statement-heading",
    )
    parts.append(statement)
    return books_document(
        books,
        title=report_title + " · " + title,
        main_html="".join(parts),
        scripts=(BOOKS_JS,),
    )
