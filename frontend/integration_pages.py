"""`/toko/integrasi` — the shop's ties to other retail apps, for pengurus only. Plain HTML
with one small script (`static/integration.js`, no ReactPy):

- "Penjualan terlambat": sales that arrived after their shift was closed (server-rendered
  from `backend.pos.reports.late_sales`, the same list as `GET /api/v1/pos/late-sales`).
- "Kunci API aplikasi lain": the koperasi's API keys (`GET /api/v1/pos/tokens`), a new key
  (`POST`, shown once with a copy button) and revoking one (`DELETE …/{id}`, confirmed),
  with an example of `POST /api/v1/ingest/sales`.
- "Unggah CSV penjualan": "Periksa" (`POST /api/v1/pos/imports/sales-csv`, commit=false)
  and "Impor" (commit=true) with one result per sale; a re-uploaded file only answers
  `duplicate`.

Kasir, anggota and Dinas officers get a refusal page. Personal: `Cache-Control: no-store`."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.formatting import number, rupiah
from backend.inventory import service as inventory
from backend.pos import ingest, reports
from backend.pos.domain import PaymentMethod
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
    refusal_page,
    script_messages,
    sign_in_redirect,
    when,
)

INTEGRATION_PATH = "/toko/integrasi"
INTEGRATION_JS = "/static/integration.js"
STYLESHEETS = ("/static/shop.css", "/static/integration.css")
CSV_MAX_BYTES = 5_000_000  # the API's own limit (backend.pos.api.upload_sales_csv)

NOT_ALLOWED = N_(
    "Halaman integrasi hanya untuk pengurus koperasi. Bila Anda pengurus, pilih peran itu "
    "sebagai peran aktif di halaman Akun."
)

METHODS: dict[str, str] = {
    PaymentMethod.TUNAI: N_("Tunai"),
    PaymentMethod.QRIS: N_("QRIS"),
    PaymentMethod.TRANSFER: N_("Transfer"),
    PaymentMethod.KREDIT: N_("Kredit anggota"),
}

# What integration.js may say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "saving": N_("Menyimpan…"),
    "token_made": N_("Kunci “{name}” dibuat. Salin sekarang: kunci ini hanya tampil sekali."),
    "copied": N_("Kunci disalin."),
    "copy_failed": N_("Tidak dapat menyalin otomatis. Pilih teks kunci lalu salin."),
    "confirm_revoke": N_(
        "Cabut kunci “{name}”? Aplikasi yang memakainya tidak bisa mengirim penjualan lagi."
    ),
    "revoked": N_("Kunci “{name}” dicabut."),
    "active": N_("Aktif"),
    "revoke": N_("Cabut kunci {name}"),
    "token_facts": N_("Awalan {prefix} · perangkat {device}"),
    "made_at": N_("Dibuat {when}"),
    "never_used": N_("Belum pernah dipakai"),
    "choose_file": N_("Pilih berkas CSV dulu."),
    "too_large": N_("Berkas terlalu besar: paling besar {size} MB."),
    "checking": N_("Memeriksa berkas…"),
    "importing": N_("Mengimpor… Jangan tutup halaman ini."),
    "changed": N_("Berkas atau pilihan berubah: tekan Periksa lagi sebelum mengimpor."),
    "checked": N_("{sales} penjualan terbaca, {refused} baris ditolak."),
    "imported": N_("{created} tercatat, {duplicate} sudah ada, {rejected} ditolak."),
    "refused_heading": N_("Baris yang ditolak"),
    "refused_row": N_("Baris {row}: {reason}"),
    "result_heading": N_("Hasil"),
    "results_caption": N_("Hasil impor {file}"),
    "transaction": N_("ID transaksi"),
    "outcome": N_("Hasil"),
    "remarks": N_("Keterangan"),
    "created": N_("Tercatat"),
    "duplicate": N_("Sudah ada"),
    "rejected": N_("Ditolak"),
    "conflict": N_("Bentrok"),
    "receipt": N_("Struk {number}"),
    "late": N_("terlambat"),
    "oversold": N_("stok minus"),
}


def _stylesheets() -> str:
    return "".join(el("link", rel="stylesheet", href=href) for href in STYLESHEETS)


def _section_messages() -> str:
    """A panel's own message boxes (passkey.js `showError(message, panel)`)."""
    return el(
        "div",
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
    )


def _refusal(request: Request[Any, Any, Any], user: CurrentUser, language: str) -> Response[str]:
    _ = translator(language)
    return refusal_page(request, user, language, 403, _("Tidak diizinkan"), _(NOT_ALLOWED))


def _method(method: str, _: Translate) -> str:
    label = METHODS.get(method)
    return _(label) if label else method


def _late_section(sales: list[reports.SaleSummary], language: str, _: Translate) -> str:
    intro = tx(
        "p",
        _(
            "Penjualan yang sampai di server setelah shiftnya ditutup (misalnya ponsel kasir "
            "baru mendapat sinyal). Penjualan ini tetap tercatat di buku, tetapi tidak ada di "
            "laporan tutup shift: periksa uang kasnya."
        ),
        class_="muted",
    )
    if not sales:
        return panel(
            "late-heading",
            _("Penjualan terlambat"),
            intro,
            tx("p", _("Tidak ada penjualan terlambat."), class_="status-box"),
            id="late-panel",
        )
    rows = [
        el(
            "tr",
            tx("th", sale.receipt_number, scope="row"),
            tx("td", sale.device),
            tx("td", when(sale.sold_at, language)),
            tx("td", when(sale.received_at, language)),
            tx("td", rupiah(sale.total, language), class_="num"),
            tx("td", _method(sale.payment_method, _)),
            tx("td", sale.member_number or "—"),
        )
        for sale in sales
    ]
    caption = _("Penjualan terlambat: {count}", count=number(len(sales)))
    table = el(
        "div",
        el(
            "table",
            tx("caption", caption),
            el(
                "thead",
                el(
                    "tr",
                    tx("th", _("Struk"), scope="col"),
                    tx("th", _("Perangkat"), scope="col"),
                    tx("th", _("Waktu jual"), scope="col"),
                    tx("th", _("Diterima server"), scope="col"),
                    tx("th", _("Total"), scope="col", class_="num"),
                    tx("th", _("Cara bayar"), scope="col"),
                    tx("th", _("Anggota"), scope="col"),
                ),
            ),
            el("tbody", *rows),
            class_="table late-table",
        ),
        class_="table-wrap",
        tabindex=0,
        role="region",
        aria_label=caption,
    )
    return panel("late-heading", _("Penjualan terlambat"), intro, table, id="late-panel")


def _outlet_options(outlets: list[inventory.OutletInfo]) -> str:
    return "".join(tx("option", f"{o.code} · {o.name}", value=o.code) for o in outlets)


def token_item(token: ingest.TokenInfo, language: str, _: Translate) -> str:
    """One API key: the same markup integration.js builds for a new key."""
    revoked = token.revoked_at is not None
    status = (
        tx("span", _("Dicabut {when}", when=when(token.revoked_at, language)), class_="tag")
        if token.revoked_at is not None
        else tx("span", _("Aktif"), class_="tag tag-active")
    )
    used = (
        _("Terakhir dipakai {when}", when=when(token.last_used_at, language))
        if token.last_used_at is not None
        else _("Belum pernah dipakai")
    )
    revoke = (
        ""
        if revoked
        else el(
            "p",
            tx(
                "button",
                _("Cabut kunci {name}", name=token.name),
                type="button",
                class_="button button-danger",
                data_revoke=token.id,
                data_name=token.name,
            ),
            class_="actions",
        )
    )
    return el(
        "li",
        el("p", tx("strong", token.name), " ", status),
        tx(
            "p",
            _("Awalan {prefix} · perangkat {device}", prefix=token.prefix, device=token.device),
            class_="muted token-facts",
        ),
        tx(
            "p",
            _("Dibuat {when}", when=when(token.created_at, language)) + " · " + used,
            class_="muted token-time",
        ),
        revoke,
        class_="token-item" + (" token-revoked" if revoked else ""),
        id=f"kunci-{token.id}",
    )


def _example(endpoint: str) -> str:
    return (
        f"POST {endpoint}\n"
        "Authorization: Bearer <kunci>\n"
        "Content-Type: application/json\n"
        "\n"
        '{"sales": [{\n'
        '  "id": "INV-001",\n'
        '  "sold_at": "2026-11-28T09:00:00+07:00",\n'
        '  "lines": [{"sku": "BRS-5KG", "quantity": 2,\n'
        '             "unit_price": 75000, "discount": 0}],\n'
        '  "total": 150000,\n'
        '  "method": "tunai",\n'
        '  "member_number": null,\n'
        '  "receipt_number": null\n'
        "}]}"
    )


def _tokens_section(
    tokens: list[ingest.TokenInfo],
    outlets: list[inventory.OutletInfo],
    endpoint: str,
    language: str,
    _: Translate,
) -> str:
    listing = el(
        "ul",
        *[token_item(t, language, _) for t in tokens],
        id="token-list",
        class_="plain-list token-list",
        aria_labelledby="token-list-heading",
    )
    empty = tx(
        "p",
        _("Belum ada kunci API."),
        id="token-empty",
        class_="muted",
        hidden=bool(tokens),
    )
    form = el(
        "form",
        field(
            _("Nama aplikasi"),
            el(
                "input",
                id="token-name",
                name="name",
                type="text",
                maxlength=100,
                required=True,
                autocomplete="off",
                aria_describedby="token-name-hint",
            ),
            "token-name",
            _("Misalnya nama aplikasi kasir lama atau toko cabang yang memakainya."),
        ),
        field(
            _("Toko/gerai penjualannya"),
            el("select", _outlet_options(outlets), id="token-outlet", name="outlet_code"),
            "token-outlet",
        ),
        tx("button", _("Buat kunci"), type="submit", class_="button"),
        id="token-form",
        novalidate=True,
    )
    once = el(
        "div",
        tx("h3", _("Kunci baru"), id="token-once-heading", tabindex=-1),
        tx(
            "p",
            _(
                "Salin kunci ini sekarang dan simpan di aplikasi yang memakainya. Kunci hanya "
                "tampil sekali: Koroena tidak menyimpannya dan tidak bisa menampilkannya lagi. "
                "Jangan bagikan kunci lewat grup obrolan."
            ),
            class_="error-box",
        ),
        field(
            _("Kunci API baru"),
            el(
                "input",
                id="token-value",
                type="text",
                readonly=True,
                autocomplete="off",
                spellcheck="false",
                class_="token-value",
            ),
            "token-value",
        ),
        tx("button", _("Salin kunci"), type="button", class_="button", id="token-copy"),
        id="token-once",
        class_="token-once",
        hidden=True,
    )
    example = el(
        "div",
        tx("pre", _example(endpoint), class_="example"),
        class_="table-wrap",
        tabindex=0,
        role="region",
        aria_label=_("Contoh pengiriman penjualan"),
    )
    explain = el(
        "ul",
        tx(
            "li",
            _(
                "id: nomor transaksi di aplikasi Anda. Penjualan yang dikirim lagi dengan id "
                "yang sama tidak dicatat dua kali (hasilnya duplicate)."
            ),
        ),
        tx("li", _("sold_at: waktu jual dengan zona waktu (+07:00 untuk WIB).")),
        tx(
            "li",
            _(
                "lines: barang menurut SKU di katalog Koroena, jumlah, harga satuan dan "
                "diskon dalam rupiah bulat; total = jumlah semua baris."
            ),
        ),
        tx(
            "li",
            _(
                "method: tunai, qris, transfer atau kredit (kredit memerlukan "
                "member_number). receipt_number boleh kosong."
            ),
        ),
        tx(
            "li",
            _(
                "Jawaban: satu hasil per penjualan (created, duplicate, conflict atau "
                "rejected dengan alasannya)."
            ),
        ),
        class_="hint-list",
    )
    return panel(
        "token-heading",
        _("Kunci API aplikasi lain"),
        tx(
            "p",
            _(
                "Aplikasi ritel lain yang sudah dipakai koperasi dapat mengirim penjualannya ke "
                "Koroena dengan kunci API. Setiap penjualan masuk buku dan mengurangi stok "
                "tepat sekali."
            ),
            class_="muted",
        ),
        tx("h3", _("Kunci yang ada"), id="token-list-heading"),
        listing,
        empty,
        _section_messages(),
        once,
        tx("h3", _("Buat kunci baru"), id="token-form-heading"),
        form,
        tx("h3", _("Cara mengirim penjualan"), id="token-example-heading"),
        example,
        explain,
        id="token-panel",
        data_endpoint=endpoint,
    )


CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id_transaksi", N_("nomor transaksi di aplikasi asal (wajib); satu baris per barang")),
    (
        "waktu",
        N_("waktu jual (wajib): 2026-11-28 09:00 dianggap WIB, atau ISO 8601 dengan zona"),
    ),
    ("sku", N_("SKU barang di katalog Koroena (wajib)")),
    ("jumlah", N_("jumlah barang, bilangan bulat (wajib)")),
    ("harga", N_("harga satuan dalam rupiah, mis. 12500 atau 12.500 (wajib)")),
    ("diskon", N_("diskon baris dalam rupiah (boleh kosong)")),
    ("cara_bayar", N_("tunai, qris, transfer atau kredit (kosong: tunai)")),
    ("nomor_anggota", N_("nomor anggota, bila penjualan untuk anggota (boleh kosong)")),
)


def _csv_section(outlets: list[inventory.OutletInfo], _: Translate) -> str:
    upload = el(
        "input",
        type="file",
        id="sales-file",
        name="file",
        accept=".csv,text/csv",
        required=True,
        aria_describedby="sales-file-hint",
    )
    columns = el(
        "dl",
        *[
            el("div", el("dt", tx("code", name)), tx("dd", _(meaning)))
            for name, meaning in CSV_COLUMNS
        ],
        class_="columns",
    )
    form = el(
        "form",
        field(
            _("Toko/gerai penjualannya"),
            el("select", _outlet_options(outlets), id="sales-outlet", name="outlet_code"),
            "sales-outlet",
        ),
        field(
            _("Berkas CSV penjualan"),
            upload,
            "sales-file",
            _("CSV (UTF-8, dipisah koma atau titik koma), paling besar 5 MB."),
        ),
        el(
            "div",
            tx("button", _("Periksa"), type="submit", class_="button"),
            tx(
                "button",
                _("Impor"),
                type="button",
                class_="button button-secondary",
                data_commit=True,
                disabled=True,
                aria_describedby="sales-commit-hint",
            ),
            class_="actions",
        ),
        tx(
            "p",
            _("“Impor” bisa ditekan setelah berkas diperiksa."),
            id="sales-commit-hint",
            class_="hint",
        ),
        id="sales-csv-form",
        data_max_bytes=CSV_MAX_BYTES,
        novalidate=True,
    )
    return panel(
        "csv-heading",
        _("Unggah CSV penjualan"),
        tx(
            "p",
            _(
                "Ekspor penjualan dari aplikasi kasir lain, satu baris per barang terjual. "
                "Setiap transaksi hanya dicatat sekali: mengunggah berkas yang sama lagi tidak "
                "menambah apa pun (hasilnya “Sudah ada”)."
            ),
            class_="muted",
        ),
        tx("h3", _("Kolom berkas"), id="csv-columns-heading"),
        columns,
        form,
        _section_messages(),
        el("div", id="sales-result", class_="preview", hidden=True),
        id="csv-panel",
    )


@get(INTEGRATION_PATH, include_in_schema=False, opt=PAGE, name="shop_integration_page")
async def integration_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        return _refusal(request, user, language)
    k = actor.koperasi_id
    outlets = await inventory.outlets(k)
    endpoint = str(request.base_url).rstrip("/") + "/api/v1/ingest/sales"
    sections = [
        _late_section(await reports.late_sales(k), language, _),
        _tokens_section(await ingest.list_tokens(k), outlets, endpoint, language, _),
        _csv_section(outlets, _),
    ]
    koperasi = (user.active.koperasi_name if user.active else None) or ""
    lead = el(
        "p",
        tx("strong", koperasi),
        el("br"),
        tx(
            "span",
            _("Penjualan terlambat, kunci API aplikasi lain dan unggahan CSV penjualan."),
            class_="muted",
        ),
        el("br"),
        tx("a", _("Ke daftar barang"), href="/toko"),
        class_="lead",
    )
    main = (
        _stylesheets()
        + tx("h1", _("Integrasi toko"))
        + lead
        + noscript(_)
        + message_boxes()
        + el("div", *sections, class_="panels")
        + script_messages(_, SCRIPT_MESSAGES, tuple(SCRIPT_MESSAGES))
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Integrasi toko"),
        main_html=main,
        user=user,
        scripts=(INTEGRATION_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


INTEGRATION_PAGES = (integration_page,)
