"""Savings pages, plain HTML with one small script (`static/savings.js`, no ReactPy):

- `/simpanan` — an anggota's own savings: a card per kind with its balance, the total, the
  wajib arrears (or "lunas"), and the history (the first page rendered here; "Muat lagi"
  fetches older pages from the history API). Counter staff are sent on to the counter.
- `/simpanan/loket` — the counter for pengurus and kasir: find a member, see their balances
  and arrears, record a deposit or withdrawal (its receipt right away), the wajib arrears
  list; for pengurus also a member's exit (their savings paid back) and the savings policy.
- `/simpanan/kuitansi/{n}` — a receipt, 58 mm wide when printed (`static/receipt.css`), with
  "Cetak" (print) and "Bagikan" (the phone's share sheet, else a WhatsApp link carrying the
  plain-text receipt the server renders).

All are personal: `Cache-Control: no-store` keeps them out of shared phones' caches."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.params import PathParameter
from litestar.response import Redirect

from backend.accounts.domain import Actor, Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.errors import AppError, NotFound
from backend.formatting import long_date, rupiah
from backend.ledger.tables import LedgerAccount
from backend.members import service as members
from backend.members.domain import MemberStatus
from backend.savings import service as savings
from backend.savings.api import own_member, receipt_for
from backend.savings.domain import (
    CASH_ACCOUNT_TYPES,
    POLICY_ACCOUNT_FIELDS,
    SAVINGS_ACCOUNT_TYPES,
    Movement,
    SavingsKind,
)
from backend.savings.receipts import (
    WIB,
    ReceiptDetail,
    receipt_footer,
    receipt_rows,
    receipt_text,
    receipt_title,
)
from backend.texts import N_
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
    script_messages,
    sign_in_redirect,
)

SAVINGS_JS = "/static/savings.js"
SAVINGS_CSS = "/static/savings.css"
RECEIPT_CSS = "/static/receipt.css"
HISTORY_PAGE = 20
MEMBERS_SHOWN = 20
ARREARS_SHOWN = 200
COUNTER_ROLES = (Role.PENGURUS, Role.KASIR)

# What the script may say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "setor": N_("Setoran"),
    "tarik": N_("Penarikan"),
    "balance_after": N_("Saldo {amount}"),
    "loading": N_("Memuat…"),
    "history_end": N_("Semua riwayat sudah tampil."),
    "searching": N_("Mencari…"),
    "no_members": N_("Tidak ada anggota yang cocok."),
    "member_chosen": N_("Anggota dipilih: {name} ({number})."),
    "arrears": N_("Tunggakan simpanan wajib: {amount} ({months} bulan)"),
    "paid_up": N_("Simpanan wajib lunas"),
    "left_on": N_("Sudah keluar sejak {date}. Setoran tidak diterima lagi."),
    "amount_hint": N_("Jumlah: {amount}"),
    "amount_invalid": N_("Isi jumlah dalam rupiah bulat, lebih dari nol."),
    "recorded": N_("{movement} {kind} sebesar {amount} untuk {name} tercatat."),
    "view_receipt": N_("Lihat kuitansi {receipt}"),
    "confirm_exit": N_(
        "{name} ({number}) keluar dari koperasi per {date}. Simpanan yang dikembalikan: "
        "{amounts}. Total {total}. Setelah ini setoran tidak diterima lagi. Lanjutkan?"
    ),
    "nothing_to_return": N_("tidak ada"),
    "exit_done": N_("{name} sudah keluar. Simpanan dikembalikan: {total}."),
    "policy_saved": N_("Ketentuan simpanan disimpan."),
    "share_title": N_("Kuitansi simpanan {receipt}"),
}
MEMBER_PAGE_MESSAGES = (
    *("network", "failed", "setor", "tarik", "balance_after", "loading", "history_end"),
)
COUNTER_MESSAGES = tuple(k for k in SCRIPT_MESSAGES if k != "share_title")
RECEIPT_MESSAGES = ("share_title",)


def _today() -> date:
    return datetime.now(UTC).astimezone(WIB).date()


def _refusal(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    *,
    title: str,
    message: str,
    status: int,
    links: list[tuple[str, str]],
    language: str,
    _: Translate,
) -> Response[str]:
    main = el(
        "section",
        tx("h1", title),
        tx("p", message, class_="notice"),
        el(
            "p",
            *[tx("a", label, href=href, class_="button button-secondary") for href, label in links],
            class_="actions",
        ),
        class_="narrow",
    )
    return document(
        request,
        language=language,
        _=_,
        title=title,
        main_html=main,
        user=user,
        scripts=(),
        status=status,
        headers=PERSONAL_HEADERS,
    )


def _stylesheet(href: str) -> str:
    # The document head is shared by every page; a stylesheet linked in the body applies
    # the same way (and is cached like every static file).
    return el("link", rel="stylesheet", href=href)


def _signed_amount(movement: Movement, amount: int, language: str) -> str:
    return ("+" if movement is Movement.SETOR else "−") + rupiah(amount, language)


# /simpanan


def history_item(item: savings.HistoryItem, language: str, _: Translate) -> str:
    """One movement of the history list (savings.js `historyItem()` builds the same)."""
    meta = " · ".join([_(item.movement.label), long_date(item.movement_date, language)])
    return el(
        "li",
        el(
            "a",
            el(
                "span",
                tx("span", _(item.kind_label), class_="history-kind"),
                tx(
                    "span",
                    _signed_amount(item.movement, item.amount, language),
                    class_=f"history-amount {item.movement.value}",
                ),
                class_="history-main",
            ),
            el(
                "span",
                tx("span", meta),
                tx("span", item.receipt, class_="history-receipt"),
                class_="history-meta",
            ),
            tx(
                "span",
                _("Saldo {amount}", amount=rupiah(item.balance_after, language)),
                class_="history-balance",
            ),
            href=f"/simpanan/kuitansi/{item.receipt_number}",
            class_="history-link",
        ),
        class_="history-item",
    )


def history_section(
    page: savings.HistoryPage, source: str, language: str, _: Translate, heading: str
) -> str:
    items = [history_item(item, language, _) for item in page.items]
    more = tx(
        "button",
        _("Muat lagi"),
        type="button",
        class_="button button-secondary button-block",
        id="history-more",
        data_source=source,
        data_before=page.next_before,
        hidden=page.next_before is None,
    )
    return panel(
        "history-heading",
        heading,
        tx("p", _("Terbaru di atas. Ketuk transaksi untuk melihat kuitansinya."), class_="muted"),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        el("ol", *items, class_="plain-list history", id="history-list")
        if items
        else tx("p", _("Belum ada transaksi simpanan."), class_="muted", id="history-empty"),
        more,
    )


def arrears_text(amount: int, months: int, language: str, _: Translate) -> str:
    if amount <= 0:
        return _("Simpanan wajib lunas")
    return _(
        "Tunggakan simpanan wajib: {amount} ({months} bulan)",
        amount=rupiah(amount, language),
        months=months,
    )


def balance_cards(mine: savings.MemberSavings, language: str, _: Translate) -> str:
    cards = []
    for kind in SavingsKind:
        note = ""
        if kind is SavingsKind.WAJIB and mine.status != MemberStatus.KELUAR.value:
            owed = mine.wajib_arrears > 0
            note = tx(
                "p",
                arrears_text(mine.wajib_arrears, mine.wajib_months_behind, language, _),
                class_="balance-note arrears" if owed else "balance-note paid-up",
            )
        cards.append(
            el(
                "li",
                tx("h2", _(kind.label), class_="balance-kind", id=f"balance-{kind.value}"),
                tx(
                    "p",
                    rupiah(mine.balances[kind.value], language),
                    class_="balance-amount",
                    aria_describedby=f"balance-{kind.value}",
                ),
                note,
                class_=f"balance-card balance-{kind.value}",
            )
        )
    total = el(
        "li",
        tx("h2", _("Total simpanan"), class_="balance-kind", id="balance-total"),
        tx("p", rupiah(mine.total, language), class_="balance-amount"),
        class_="balance-card balance-total",
    )
    return el("ul", *cards, total, class_="balances", aria_label=_("Saldo simpanan"))


@get("/simpanan", include_in_schema=False, opt=PAGE, name="savings_page")
async def savings_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is not None and actor.role in COUNTER_ROLES:
        return Redirect("/simpanan/loket", status_code=303, headers=PERSONAL_HEADERS)
    if (
        actor is None
        or actor.role is not Role.ANGGOTA
        or actor.member_id is None
        or actor.koperasi_id is None
    ):
        return _refusal(
            request,
            user,
            title=_("Simpanan"),
            message=_(
                "Halaman simpanan untuk anggota koperasi. Masuk dengan peran anggota untuk "
                "melihat simpanan Anda, atau pilih peran lain di halaman Akun."
            ),
            status=403,
            links=[("/akun", _("Ke halaman Akun"))],
            language=language,
            _=_,
        )
    koperasi_id, member_id = own_member(actor)
    number = await savings.member_number_of(koperasi_id, member_id)
    mine = await savings.member_savings(koperasi_id, number, _today())
    page = await savings.history(koperasi_id, number, limit=HISTORY_PAGE)
    koperasi_name = user.active.koperasi_name if user.active else ""
    left = ""
    if mine.status == MemberStatus.KELUAR.value and mine.left_on is not None:
        left = tx(
            "p",
            _(
                "Anda keluar dari koperasi pada {date}. Simpanan Anda sudah dikembalikan.",
                date=long_date(mine.left_on, language),
            ),
            class_="notice",
        )
    main = (
        _stylesheet(SAVINGS_CSS)
        + tx("h1", _("Simpanan saya"))
        + el(
            "p",
            tx("strong", mine.member_name),
            el("br"),
            tx(
                "span",
                _("No. anggota {number}", number=mine.member_number)
                + (" · " + koperasi_name if koperasi_name else ""),
                class_="muted",
            ),
            class_="lead",
        )
        + left
        + balance_cards(mine, language, _)
        + history_section(page, "/api/v1/savings/mine/history", language, _, _("Riwayat"))
        + script_messages(_, SCRIPT_MESSAGES, MEMBER_PAGE_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Simpanan saya"),
        main_html=main,
        user=user,
        scripts=(SAVINGS_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


# /simpanan/loket


def _member_button(member: members.MemberInfo, _: Translate) -> str:
    return el(
        "li",
        tx(
            "button",
            f"{member.member_number} · {member.full_name}",
            type="button",
            class_="member-choice",
            data_member=member.member_number,
            data_name=member.full_name,
        ),
        tx("span", _(member.status_label), class_="tag")
        if member.status != MemberStatus.AKTIF.value
        else "",
    )


def _find_section(found: list[members.MemberInfo], _: Translate) -> str:
    search = el(
        "input",
        id="member-search",
        name="q",
        type="search",
        maxlength=100,
        autocomplete="off",
        aria_describedby="member-search-hint",
        aria_controls="member-results",
    )
    return panel(
        "find-heading",
        _("Cari anggota"),
        el(
            "form",
            field(
                _("Nama atau nomor anggota"),
                search,
                "member-search",
                _("Ketik sebagian nama atau nomor, lalu pilih anggotanya."),
            ),
            role="search",
            id="member-search-form",
        ),
        el("p", id="member-search-status", class_="muted", role="status"),
        el(
            "ul",
            *[_member_button(m, _) for m in found],
            class_="member-results",
            id="member-results",
        ),
    )


def _kind_options(_: Translate) -> str:
    return "".join(tx("option", _(kind.label), value=kind.value) for kind in SavingsKind)


def _member_section(actor: Actor, today: date, _: Translate) -> str:
    """The chosen member (hidden until one is chosen; savings.js fills it in)."""
    balances = el(
        "dl",
        *[
            el("div", tx("dt", _(kind.label)), el("dd", data_balance=kind.value))
            for kind in SavingsKind
        ],
        el("div", tx("dt", _("Total simpanan")), el("dd", data_balance="total")),
        class_="facts member-balances",
    )
    amount = el(
        "input",
        id="movement-amount",
        name="amount",
        inputmode="numeric",
        autocomplete="off",
        required=True,
        maxlength=17,
        placeholder="150000",
        aria_describedby="movement-amount-hint",
    )
    form = el(
        "form",
        tx("h3", _("Setor atau tarik")),
        field(
            _("Jenis simpanan"),
            el("select", _kind_options(_), id="movement-kind", name="kind"),
            "movement-kind",
        ),
        el(
            "fieldset",
            tx("legend", _("Transaksi")),
            el(
                "label",
                el("input", type="radio", name="movement", value="setor", checked=True),
                " " + tx("span", _("Setor")),
                class_="choice",
            ),
            el(
                "label",
                el("input", type="radio", name="movement", value="tarik"),
                " " + tx("span", _("Tarik")),
                class_="choice",
            ),
            class_="choices",
        ),
        field(
            _("Jumlah (Rp)"),
            amount,
            "movement-amount",
            _("Rupiah bulat tanpa titik, misalnya 150000."),
        ),
        field(
            _("Tanggal"),
            el(
                "input",
                id="movement-date",
                name="movement_date",
                type="date",
                value=today.isoformat(),
                required=True,
            ),
            "movement-date",
        ),
        tx("button", _("Simpan transaksi"), type="submit", class_="button"),
        el("p", id="movement-result", class_="movement-result", hidden=True),
        id="movement-form",
    )
    exit_form = ""
    if actor.role is Role.PENGURUS:
        exit_form = el(
            "form",
            tx("h3", _("Anggota keluar")),
            tx(
                "p",
                _(
                    "Semua simpanan anggota (pokok, wajib, sukarela) dikembalikan dalam satu "
                    "jurnal, lalu statusnya menjadi keluar. Tidak dapat dibatalkan."
                ),
                class_="muted",
            ),
            field(
                _("Tanggal keluar"),
                el(
                    "input",
                    id="exit-date",
                    name="exit_date",
                    type="date",
                    value=today.isoformat(),
                    required=True,
                ),
                "exit-date",
            ),
            tx("button", _("Proses anggota keluar"), type="submit", class_="button button-danger"),
            el("p", id="exit-result", class_="movement-result", hidden=True),
            id="exit-form",
        )
    return el(
        "section",
        tx("h2", _("Anggota terpilih"), id="member-heading", tabindex="-1"),
        el("p", id="member-facts", class_="muted"),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        balances,
        el("p", id="member-arrears", class_="balance-note"),
        form,
        exit_form,
        class_="panel",
        id="member-panel",
        aria_labelledby="member-heading",
        hidden=True,
    )


def _arrears_section(rows: list[savings.ArrearsRow], language: str, _: Translate) -> str:
    if not rows:
        body = tx("p", _("Tidak ada anggota aktif yang menunggak simpanan wajib."), class_="muted")
    else:
        head = el(
            "thead",
            el(
                "tr",
                tx("th", _("Anggota"), scope="col"),
                tx("th", _("Bulan tertunggak"), scope="col", class_="num"),
                tx("th", _("Tunggakan"), scope="col", class_="num"),
                tx("th", _("Terakhir bayar"), scope="col"),
            ),
        )
        body_rows = [
            el(
                "tr",
                el(
                    "th",
                    tx(
                        "button",
                        f"{row.member_number} · {row.member_name}",
                        type="button",
                        class_="member-choice link-like",
                        data_member=row.member_number,
                        data_name=row.member_name,
                    ),
                    scope="row",
                ),
                tx("td", str(row.months_behind), class_="num"),
                tx("td", rupiah(row.amount_owed, language), class_="num"),
                tx(
                    "td",
                    long_date(row.last_payment, language)
                    if row.last_payment
                    else _("belum pernah"),
                ),
            )
            for row in rows
        ]
        total = sum(row.amount_owed for row in rows)
        body = el(
            "div",
            el(
                "table",
                tx(
                    "caption",
                    _(
                        "{count} anggota, jumlah {amount}",
                        count=len(rows),
                        amount=rupiah(total, language),
                    ),
                ),
                head,
                el("tbody", *body_rows),
                class_="table",
            ),
            class_="table-wrap",
        )
    return panel(
        "arrears-heading",
        _("Tunggakan simpanan wajib"),
        tx(
            "p",
            _("Anggota aktif yang simpanan wajibnya kurang dari iuran sejak bulan masuk."),
            class_="muted",
        ),
        body,
    )


async def _policy_section(koperasi_id: int, language: str, _: Translate) -> str:
    settings = await savings.policy_settings(koperasi_id)
    accounts = (
        await LedgerAccount.select(LedgerAccount.code, LedgerAccount.name, LedgerAccount.type)
        .where((LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.contra.eq(False)))
        .order_by(LedgerAccount.code)
    )
    labels = {
        "pokok_account": _("Akun simpanan pokok"),
        "wajib_account": _("Akun simpanan wajib"),
        "sukarela_account": _("Akun simpanan sukarela"),
        "cash_account": _("Akun kas"),
    }
    selects = []
    for name, kind in POLICY_ACCOUNT_FIELDS.items():
        allowed = CASH_ACCOUNT_TYPES if kind is None else SAVINGS_ACCOUNT_TYPES
        current = getattr(settings, name)
        options = [
            tx(
                "option",
                f"{a['code']} {a['name']}",
                value=a["code"],
                selected=a["code"] == current,
            )
            for a in accounts
            if a["type"] in allowed
        ]
        locked = kind is not None and kind.value in settings.locked_kinds
        control_id = "policy-" + name.replace("_", "-")
        selects.append(
            field(
                labels[name],
                el("select", *options, id=control_id, name=name, disabled=locked),
                control_id,
                _("Sudah ada transaksi jenis ini: akunnya tidak dapat diganti lagi.")
                if locked
                else "",
            )
        )

    def amount(name: str, label: str) -> str:
        control_id = "policy-" + name.replace("_", "-")
        value = getattr(settings, name)
        return field(
            label,
            el(
                "input",
                id=control_id,
                name=name,
                type="number",
                min=0,
                step=1,
                value=value,
                required=True,
                inputmode="numeric",
                aria_describedby=f"{control_id}-hint",
            ),
            control_id,
            rupiah(value, language),
        )

    return panel(
        "policy-heading",
        _("Ketentuan simpanan"),
        tx(
            "p",
            _(
                "Besar simpanan pokok dan iuran wajib bulanan boleh diubah kapan saja. Akun "
                "buku besar tiap jenis simpanan (ekuitas atau kewajiban, sesuai kebijakan "
                "akuntansi koperasi) hanya dapat diganti selama belum ada transaksinya."
            ),
            class_="muted",
        ),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        el(
            "form",
            amount("pokok_amount", _("Simpanan pokok (Rp)")),
            amount("wajib_monthly", _("Simpanan wajib per bulan (Rp)")),
            *selects,
            tx("button", _("Simpan ketentuan"), type="submit", class_="button"),
            id="policy-form",
        ),
    )


@get("/simpanan/loket", include_in_schema=False, opt=PAGE, name="savings_counter_page")
async def savings_counter_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role not in COUNTER_ROLES or actor.koperasi_id is None:
        links = [("/akun", _("Ke halaman Akun"))]
        if actor is not None and actor.role is Role.ANGGOTA:
            links.insert(0, ("/simpanan", _("Simpanan saya")))
        return _refusal(
            request,
            user,
            title=_("Loket simpanan"),
            message=_("Loket simpanan untuk pengurus dan kasir koperasi."),
            status=403,
            links=links,
            language=language,
            _=_,
        )
    k = actor.koperasi_id
    today = _today()
    found = await members.list_members(k, limit=MEMBERS_SHOWN)
    rows = await savings.arrears(k, today, limit=ARREARS_SHOWN)
    policy = await _policy_section(k, language, _) if actor.role is Role.PENGURUS else ""
    koperasi_name = user.active.koperasi_name if user.active else ""
    main = (
        _stylesheet(SAVINGS_CSS)
        + tx("h1", _("Loket simpanan"))
        + tx("p", koperasi_name or "", class_="lead")
        + noscript(_)
        + message_boxes()
        + el(
            "div",
            _find_section(found, _),
            _member_section(actor, today, _),
            _arrears_section(rows, language, _),
            policy,
            class_="panels",
        )
        + script_messages(_, SCRIPT_MESSAGES, COUNTER_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Loket simpanan"),
        main_html=main,
        user=user,
        scripts=(SAVINGS_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


# /simpanan/kuitansi/{receipt_number}


def receipt_html(receipt: ReceiptDetail, language: str, _: Translate) -> str:
    groups = [
        el(
            "dl",
            *[el("div", tx("dt", label), tx("dd", value)) for label, value in group],
            class_="receipt-rows",
        )
        for group in receipt_rows(receipt, _, language)
    ]
    return el(
        "article",
        el(
            "header",
            tx("p", receipt.koperasi_name, class_="receipt-koperasi"),
            tx("h1", receipt_title(_), class_="receipt-title", id="receipt-title"),
            tx("p", receipt.receipt, class_="receipt-number"),
            class_="receipt-head",
        ),
        *groups,
        tx("p", receipt_footer(_), class_="receipt-foot"),
        class_="receipt",
        id="receipt",
        aria_labelledby="receipt-title",
    )


@get(
    "/simpanan/kuitansi/{receipt_number:int}",
    include_in_schema=False,
    opt=PAGE,
    name="savings_receipt_page",
)
async def savings_receipt_page(
    request: Request[Any, Any, Any],
    receipt_number: Annotated[int, PathParameter(ge=0, le=2**31 - 1)],
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    back = (
        ("/simpanan/loket", _("Kembali ke loket"))
        if actor is not None and actor.role in COUNTER_ROLES
        else ("/simpanan", _("Kembali ke simpanan"))
    )
    try:
        if actor is None:
            raise NotFound("receipt_not_found", N_("Kuitansi tidak ditemukan."))
        receipt = await receipt_for(actor, receipt_number)
    except AppError as error:
        return _refusal(
            request,
            user,
            title=_("Kuitansi tidak ditemukan"),
            message=_(
                "Kuitansi ini tidak ada, atau bukan milik Anda atau koperasi Anda. Periksa "
                "nomornya."
            ),
            status=404 if error.status in (403, 404) else error.status,
            links=[back],
            language=language,
            _=_,
        )
    text = receipt_text(receipt, _, language)
    actions = el(
        "div",
        tx("button", _("Cetak"), type="button", class_="button", id="receipt-print"),
        tx(
            "a",
            _("Bagikan"),
            href="https://wa.me/?text=" + quote(text, safe=""),
            class_="button button-secondary",
            id="receipt-share",
            data_share_text=text,
            data_share_title=receipt.receipt,
            rel="noopener",
            target="_blank",
        ),
        tx("a", back[1], href=back[0], class_="button button-secondary"),
        class_="actions receipt-actions",
    )
    main = (
        _stylesheet(RECEIPT_CSS)
        + receipt_html(receipt, language, _)
        + actions
        + script_messages(_, SCRIPT_MESSAGES, RECEIPT_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Kuitansi {receipt}", receipt=receipt.receipt),
        main_html=main,
        user=user,
        scripts=(SAVINGS_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )
