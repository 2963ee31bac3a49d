"""`/pembukuan/akun`: the chart of accounts (bagan akun) grouped by type, with what each
account is used for. A pengurus adds accounts, renames them or moves them to another cash
flow group, and deletes an account that has no journal lines (the server refuses the rest
anyway). A Dinas officer reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import QueryParameter

from backend.accounts.guards import PAGE
from backend.ledger import accounts as chart_service
from backend.ledger.domain import CashFlow
from backend.savings.service import policy as savings_policy
from backend.texts import N_
from frontend.books.common import (
    BOOKS_JS,
    CHART_PATH,
    Books,
    books_document,
    books_nav,
    books_of,
    choose_first,
    header_row,
    heading,
    koperasi_chooser,
    scroll_table,
)
from frontend.books.journal_page import TYPE_LABELS
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate
from frontend.personal import field, noscript, script_messages

CASH_FLOW_LABELS: dict[str, str] = {
    CashFlow.KAS.value: N_("Kas dan bank"),
    CashFlow.OPERASI.value: N_("Aktivitas operasi"),
    CashFlow.INVESTASI.value: N_("Aktivitas investasi"),
    CashFlow.PENDANAAN.value: N_("Aktivitas pendanaan"),
}
TYPE_DIGITS = {"aset": "1", "kewajiban": "2", "ekuitas": "3", "pendapatan": "4", "beban": "5"}

SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "saving": N_("Menyimpan…"),
    "account_added": N_("Akun {code} {name} ditambahkan."),
    "account_changed": N_("Akun {code} disimpan."),
    "confirm_delete": N_("Hapus akun {code} {name}? Akun ini belum pernah dipakai."),
    "account_deleted": N_("Akun {code} dihapus."),
}
CHART_MESSAGES = tuple(SCRIPT_MESSAGES)


def _messages() -> str:
    return el("div", class_="error-box message", role="alert") + el(
        "div", class_="status-box message", role="status"
    )


def _flags(_: Translate, account: chart_service.ChartEntry) -> str:
    flags = []
    if account.contra:
        flags.append(tx("span", _("Kontra"), class_="tag"))
    if account.control:
        flags.append(tx("span", _("Akun simpanan"), class_="tag warn"))
    flags.append(
        tx("span", _("Sudah dipakai"), class_="tag")
        if account.used
        else tx("span", _("Belum dipakai"), class_="tag muted-tag")
    )
    return " ".join(flags)


def _row(books: Books, account: chart_service.ChartEntry) -> str:
    _ = books._
    name = _(account.name)
    cells = [
        el("th", tx("span", account.code, class_="code"), " ", tx("span", name), scope="row"),
        tx("td", _(CASH_FLOW_LABELS.get(account.cash_flow, account.cash_flow))),
        el("td", _flags(_, account)),
    ]
    if books.can_write:
        buttons = [
            tx(
                "button",
                _("Ubah"),
                type="button",
                class_="button button-secondary",
                data_edit=account.code,
                aria_label=_("Ubah akun {code} {name}", code=account.code, name=name),
            )
        ]
        if not account.used and not account.control:
            buttons.append(
                tx(
                    "button",
                    _("Hapus"),
                    type="button",
                    class_="button button-danger",
                    data_delete=account.code,
                    aria_label=_("Hapus akun {code} {name}", code=account.code, name=name),
                )
            )
        cells.append(el("td", el("div", *buttons, class_="row-actions")))
    return el(
        "tr",
        *cells,
        data_code=account.code,
        data_name=name,
        data_cash_flow=account.cash_flow,
    )


def _tables(books: Books, accounts: Sequence[chart_service.ChartEntry]) -> str:
    _ = books._
    headers = [_("Akun"), _("Arus kas"), _("Keterangan")]
    if books.can_write:
        headers.append(_("Tindakan"))
    tables = []
    for kind, label in TYPE_LABELS.items():
        rows = [_row(books, a) for a in accounts if a.type == kind]
        caption_id = f"chart-{kind}"
        caption = _("{type} ({count} akun)", type=_(label), count=len(rows))
        table = el(
            "table",
            tx("caption", caption, id=caption_id),
            header_row(headers, len(headers)),
            el("tbody", *rows),
            class_="table chart",
        )
        tables.append(scroll_table(table, caption_id))
    return el(
        "section",
        tx("h2", _("Daftar akun"), id="chart-heading"),
        tx(
            "p",
            _(
                "Akun yang sudah dipakai tidak dapat dihapus, hanya diganti namanya. Akun "
                "simpanan hanya bergerak lewat transaksi simpanan anggota."
            ),
            class_="muted",
        ),
        el("p", tx("a", _("Ke formulir tambah akun"), href="#add-heading"))
        if books.can_write
        else "",
        _messages(),
        *tables,
        class_="panel",
        id="chart-section",
        aria_labelledby="chart-heading",
    )


def _cash_flow_select(_: Translate, control_id: str, chosen: str) -> str:
    return el(
        "select",
        *[
            tx("option", _(label), value=value, selected=value == chosen)
            for value, label in CASH_FLOW_LABELS.items()
        ],
        id=control_id,
        name="cash_flow",
    )


def _add_form(books: Books) -> str:
    _ = books._
    types = el(
        "select",
        *[
            tx("option", _(label), value=kind, data_digit=TYPE_DIGITS[kind])
            for kind, label in TYPE_LABELS.items()
        ],
        id="account-type",
        name="type",
    )
    form = el(
        "form",
        field(_("Jenis akun"), types, "account-type"),
        field(
            _("Kode akun"),
            el(
                "input",
                id="account-code",
                name="code",
                required=True,
                maxlength=20,
                autocomplete="off",
                inputmode="numeric",
                placeholder="1-1150",
                aria_describedby="account-code-hint",
            ),
            "account-code",
            _(
                "Angka pertama sesuai jenisnya: 1 aset, 2 kewajiban, 3 ekuitas, 4 pendapatan, "
                "5 beban. Kode tidak dapat diubah kemudian."
            ),
        ),
        field(
            _("Nama akun"),
            el(
                "input",
                id="account-name",
                name="name",
                required=True,
                maxlength=200,
                autocomplete="off",
            ),
            "account-name",
        ),
        field(
            _("Kelompok arus kas"),
            _cash_flow_select(_, "account-cash-flow", CashFlow.OPERASI.value),
            "account-cash-flow",
            _("Di bagian mana laporan arus kas perubahan akun ini tampil."),
        ),
        el(
            "div",
            el(
                "input",
                type="checkbox",
                id="account-contra",
                name="contra",
                aria_describedby="account-contra-hint",
            ),
            tx("label", _("Akun kontra"), for_="account-contra"),
            tx(
                "p",
                _("Mengurangi kelompoknya, misalnya akumulasi penyusutan."),
                id="account-contra-hint",
                class_="hint",
            ),
            class_="field checkbox",
        ),
        _messages(),
        tx("button", _("Tambah akun"), type="submit", class_="button"),
        id="account-form",
        novalidate=True,
    )
    return el(
        "section",
        tx("h2", _("Tambah akun"), id="add-heading", tabindex="-1"),
        noscript(_),
        form,
        class_="panel",
        id="add-section",
        aria_labelledby="add-heading",
    )


def _edit_dialog(books: Books) -> str:
    """One dialog for every account's "Ubah": books.js fills it from the row."""
    _ = books._
    return el(
        "dialog",
        el(
            "form",
            tx("h2", _("Ubah akun"), id="edit-heading"),
            tx("p", "", id="edit-code", class_="muted"),
            field(
                _("Nama akun"),
                el(
                    "input",
                    id="edit-name",
                    name="name",
                    required=True,
                    maxlength=200,
                    autocomplete="off",
                ),
                "edit-name",
            ),
            field(
                _("Kelompok arus kas"),
                _cash_flow_select(_, "edit-cash-flow", CashFlow.OPERASI.value),
                "edit-cash-flow",
            ),
            _messages(),
            el(
                "div",
                tx("button", _("Simpan"), type="submit", class_="button"),
                tx(
                    "button",
                    _("Batal"),
                    type="button",
                    class_="button button-secondary",
                    data_close=True,
                ),
                class_="actions",
            ),
            id="edit-form",
            method="dialog",
            novalidate=True,
        ),
        id="edit-dialog",
        aria_labelledby="edit-heading",
    )


@get(CHART_PATH, include_in_schema=False, opt=PAGE, name="books_chart_page")
async def chart_page(
    request: Request[Any, Any, Any],
    koperasi: Annotated[str | None, QueryParameter(max_length=80)] = None,
) -> Response[Any]:
    books = await books_of(request, koperasi)
    if isinstance(books, Response):
        return books
    _ = books._
    title = _("Bagan akun")
    parts = [heading(books, title), books_nav(books, CHART_PATH)]
    k = books.koperasi_id
    if k is None:
        parts += [choose_first(books), koperasi_chooser(books, CHART_PATH)]
        return books_document(books, title=title, main_html="".join(parts))
    if books.is_dinas:
        parts.append(koperasi_chooser(books, CHART_PATH))
    control = (await savings_policy(k)).control_accounts
    accounts = await chart_service.chart(k, control)
    parts.append(_tables(books, accounts))
    if books.can_write:
        parts += [_add_form(books), _edit_dialog(books)]
    parts.append(script_messages(_, SCRIPT_MESSAGES, CHART_MESSAGES))
    return books_document(books, title=title, main_html="".join(parts), scripts=(BOOKS_JS,))
