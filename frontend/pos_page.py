"""The till (`/kasir`): a cashier sells from a phone, with or without signal.

The page is an app shell, the same for everyone who opens it in one language: no name, no
koperasi, no CSRF token. So the service worker may keep it (network-first, like every
page; precached too) and the till opens with no signal at all. Who is signed in, the
device's registration, the catalog, the members list (number and name only), the outbox
of sales and shifts not yet sent and the sales history live in IndexedDB; the scripts ask
`GET /api/v1/me` when there is signal and use the copy in IndexedDB when there is none.

Texts are rendered here in the page's language (the language cookie), labels into the
HTML and what the scripts say into `<template id="koroena-messages">`. The shell is
therefore cached per language by being fetched again whenever the person is online: the
service worker serves the copy last fetched (the person's language) and falls back to the
precached one.

The scripts are plain scripts in `service_worker/` (no build step), served under `/sw/`:
`outbox.js` (IndexedDB and the exactly-once sync, shared with the service worker, which
loads it with importScripts for Background Sync), `qris.js` (QRIS with the amount),
`qr.js` (QR code drawing) and `pos.js` (the screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter

from backend.accounts.guards import PUBLIC
from backend.texts import N_
from frontend.document import element as el
from frontend.document import frame_html, page
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PUBLIC_HEADERS,
    field,
    language_of_request,
    message_boxes,
    noscript,
    script_messages,
)

SERVICE_WORKER_DIR = Path(__file__).resolve().parents[1] / "service_worker"
MODULE_PREFIX = "/sw/"
# Order matters: pos.js uses what the others define.
POS_MODULES = ("outbox.js", "qris.js", "qr.js", "pos.js")
POS_PATH = "/kasir"
POS_CSS = "/static/pos.css"


def module_url(name: str) -> str:
    return MODULE_PREFIX + name


def module_paths() -> list[Path]:
    return [SERVICE_WORKER_DIR / name for name in POS_MODULES]


def precache_urls() -> list[str]:
    """What the service worker stores at install for the till to open offline."""
    return [POS_PATH, *[module_url(name) for name in POS_MODULES]]


# What the scripts may say, by key (see pos.js `text()`).
MESSAGES: dict[str, str] = {
    "loading": N_("Memuat…"),
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "who": N_("{koperasi} · {outlet} · perangkat {device} · {cashier}"),
    "who_offline": N_("(data tersimpan, tanpa sinyal)"),
    "pending_none": N_("Semua data sudah terkirim."),
    "never_synced": N_("belum pernah"),
    "state_offline": N_(
        "Tidak ada sinyal. Penjualan tersimpan di ponsel ini dan dikirim otomatis nanti."
    ),
    "state_auth": N_(
        "Sesi habis, masuk lagi. Penjualan tetap tersimpan di ponsel ini dan dikirim setelah "
        "Anda masuk."
    ),
    "state_device": N_(
        "Server tidak mengenal perangkat kasir ini untuk akun yang sedang masuk. Penjualan "
        "tetap tersimpan; masuk dengan akun koperasi perangkat ini."
    ),
    "state_forbidden": N_(
        "Akun yang sedang masuk tidak boleh mengirim penjualan. Penjualan tetap tersimpan; "
        "masuk sebagai kasir atau pengurus."
    ),
    "state_error": N_(
        "Server belum bisa menerima data (kode {status}). Data tetap tersimpan dan dicoba lagi "
        "otomatis."
    ),
    "state_sending": N_("Mengirim…"),
    "state_sent": N_("Terkirim: {count} data."),
    "state_review": N_("{count} data perlu ditinjau (lihat di bawah)."),
    "storage_unsupported": N_(
        "Peramban ini tidak bisa menyimpan penjualan di perangkat. Pakai Chrome versi terbaru."
    ),
    "catalog_missing": N_(
        "Daftar barang belum tersimpan di perangkat ini. Buka halaman ini sekali saat ada sinyal."
    ),
    "registered": N_("Perangkat terdaftar sebagai {device}."),
    "other_koperasi": N_(
        "Perangkat ini terdaftar untuk koperasi lain. Kirim dulu semua datanya, lalu daftarkan "
        "lagi untuk koperasi Anda."
    ),
    "shift_opened": N_("Shift dibuka."),
    "no_results": N_("Barang tidak ditemukan."),
    "not_found_code": N_("Kode {code} tidak ada di daftar barang."),
    "add_item": N_("Tambah {name}"),
    "stock": N_("stok {count}"),
    "stock_out": N_("stok habis"),
    "quantity_of": N_("Jumlah {name}"),
    "less_of": N_("Kurangi {name}"),
    "more_of": N_("Tambah satu {name}"),
    "discount_of": N_("Diskon {name} (Rp, paling banyak {max})"),
    "remove_of": N_("Hapus {name} dari keranjang"),
    "member_price": N_("harga anggota"),
    "choose_member": N_("Pilih {number} {name}"),
    "member_none": N_("Anggota tidak ditemukan di daftar tersimpan."),
    "members_missing": N_("Daftar anggota belum tersimpan. Buka halaman ini saat ada sinyal."),
    "cart_empty": N_("Keranjang masih kosong."),
    "need_member": N_("Kredit anggota memerlukan anggota: pilih anggota dulu."),
    "cash_short": N_("Uang yang diterima kurang dari total."),
    "qris_missing": N_("QRIS koperasi belum diatur pengurus."),
    "qris_label": N_("Kode QRIS untuk membayar {amount}"),
    "exact": N_("Uang pas"),
    "saving": N_("Menyimpan…"),
    "saved": N_("Penjualan {receipt} tersimpan."),
    "save_failed": N_("Penjualan tidak tersimpan di perangkat: {error}. Coba lagi."),
    "method_tunai": N_("Tunai"),
    "method_qris": N_("QRIS"),
    "method_transfer": N_("Transfer"),
    "method_kredit": N_("Kredit anggota"),
    "receipt_title": N_("STRUK PENJUALAN"),
    "receipt_subtotal": N_("Subtotal"),
    "receipt_discount": N_("Diskon"),
    "receipt_total": N_("Total"),
    "receipt_paid": N_("Bayar"),
    "receipt_cash": N_("Diterima"),
    "receipt_change": N_("Kembali"),
    "receipt_member": N_("Anggota pembeli"),
    "receipt_cashier": N_("Kasir"),
    "receipt_thanks": N_("Terima kasih. Simpan struk ini."),
    "status_pending": N_("belum terkirim"),
    "status_synced": N_("terkirim"),
    "status_review": N_("perlu ditinjau"),
    "status_late": N_("terkirim, terlambat (shift sudah ditutup)"),
    "status_oversold": N_("stok di bawah nol"),
    "history_empty": N_("Belum ada penjualan di perangkat ini."),
    "view_receipt": N_("Lihat struk {receipt}"),
    "share_title": N_("Struk {receipt}"),
    "shared": N_("Struk dibagikan."),
    "review_empty": N_("Tidak ada."),
    "review_sale": N_("Penjualan {receipt} · {total}"),
    "review_shift_open": N_("Buka shift"),
    "review_shift_close": N_("Tutup shift"),
    "dismiss": N_("Hapus"),
    "review_dismiss": N_("Hapus {what} dari daftar tinjauan"),
    "confirm_dismiss": N_(
        "Hapus dari daftar? Data ini ditolak server dan tidak akan dikirim lagi. Catat dulu "
        "untuk pengurus."
    ),
    "shift_summary": N_("Shift dibuka {time} dengan modal {cash}."),
    "report_server": N_("Laporan dari server."),
    "report_local": N_(
        "Dihitung di perangkat ini: belum semua data terkirim ke server. Laporan server "
        "menyusul setelah terkirim."
    ),
    "report_opening": N_("Modal kas awal"),
    "report_sales": N_("Penjualan ({count})"),
    "report_discounts": N_("Diskon"),
    "report_expected": N_("Kas seharusnya"),
    "report_counted": N_("Kas dihitung"),
    "report_difference": N_("Selisih"),
    "report_late": N_("Penjualan terlambat ({count})"),
    "confirm_close": N_("Tutup shift dengan kas dihitung {cash}?"),
    "signout_pending": N_(
        "Belum bisa keluar: {count} data belum terkirim ke server. Kirim dulu (butuh sinyal), "
        "lalu keluar."
    ),
    "signing_out": N_("Keluar…"),
    "refreshed": N_("Daftar barang dan anggota diperbarui."),
    "camera_failed": N_("Kamera tidak bisa dibuka. Ketik kodenya saja."),
}


def _amount(control_id: str, label: str, hint: str = "") -> str:
    control = el(
        "input",
        id=control_id,
        name=control_id,
        type="text",
        inputmode="numeric",
        autocomplete="off",
        pattern="[0-9.]*",
        class_="pos-amount",
        aria_describedby=f"{control_id}-hint" if hint else None,
    )
    return field(label, control, control_id, hint)


def _screen(screen_id: str, heading: str, *children: str, hidden: bool = True) -> str:
    heading_id = f"{screen_id}-heading"
    return el(
        "section",
        tx("h2", heading, id=heading_id, tabindex="-1"),
        *children,
        id=screen_id,
        class_="pos-screen",
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
            class_="pos-sync-line",
        ),
        el("p", id="sync-state", class_="pos-sync-state", role="status"),
        el(
            "div",
            tx(
                "a",
                _("Masuk lagi"),
                href="/masuk?next=/kasir",
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
            class_="actions",
        ),
        id="pos-sync",
        class_="pos-sync",
        aria_labelledby="sync-heading",
        hidden=True,
    )


def _sell_screen(_: Translate) -> str:
    search = el(
        "form",
        el(
            "div",
            tx("label", _("Cari barang, SKU atau barcode"), for_="search"),
            el(
                "div",
                el(
                    "input",
                    id="search",
                    name="search",
                    type="search",
                    autocomplete="off",
                    enterkeyhint="search",
                    aria_describedby="search-hint",
                ),
                tx(
                    "button",
                    _("Pindai"),
                    type="button",
                    id="scan",
                    class_="button button-secondary",
                    aria_label=_("Pindai barcode dengan kamera"),
                    hidden=True,
                ),
                class_="pos-search-row",
            ),
            tx(
                "p",
                _("Ketik nama barang, atau ketik/pindai kodenya lalu tekan Enter."),
                id="search-hint",
                class_="hint",
            ),
            class_="field",
        ),
        id="search-form",
        role="search",
        aria_label=_("Cari barang"),
    )
    scanner = el(
        "div",
        el("video", id="scanner-video", muted=True, playsinline=True, aria_label=_("Kamera")),
        tx(
            "button",
            _("Tutup kamera"),
            type="button",
            id="scan-stop",
            class_="button button-secondary",
        ),
        id="scanner",
        class_="pos-scanner",
        hidden=True,
    )
    results = el("ul", id="search-results", class_="pos-results", aria_label=_("Hasil pencarian"))
    cart = el(
        "div",
        tx("h3", _("Keranjang"), id="cart-heading"),
        el("ul", id="cart", class_="pos-cart", aria_labelledby="cart-heading"),
        tx("p", _("Keranjang masih kosong."), id="cart-empty", class_="muted"),
        class_="pos-cart-wrap",
    )
    member = el(
        "div",
        tx("h3", _("Anggota pembeli"), id="member-heading"),
        el(
            "div",
            tx("label", _("Cari anggota (nomor atau nama), boleh dikosongkan"), for_="member"),
            el("input", id="member", name="member", type="search", autocomplete="off"),
            class_="field",
            id="member-search",
        ),
        el("ul", id="member-results", class_="pos-results", aria_label=_("Anggota yang cocok")),
        el(
            "p",
            tx("span", "", id="member-chosen"),
            " ",
            tx(
                "button",
                _("Hapus anggota"),
                type="button",
                id="member-clear",
                class_="button button-secondary",
            ),
            id="member-picked",
            class_="pos-member",
            hidden=True,
        ),
        class_="pos-member-wrap",
    )
    totals = el(
        "dl",
        el("div", tx("dt", _("Subtotal")), tx("dd", "Rp 0", id="subtotal")),
        el("div", tx("dt", _("Diskon")), tx("dd", "Rp 0", id="discount")),
        el("div", tx("dt", _("Total")), tx("dd", "Rp 0", id="total"), class_="pos-total"),
        class_="pos-totals",
    )
    methods = [
        ("tunai", _("Tunai")),
        ("qris", _("QRIS")),
        ("transfer", _("Transfer")),
        ("kredit", _("Kredit anggota")),
    ]
    radios = "".join(
        el(
            "label",
            el(
                "input",
                type="radio",
                name="method",
                value=value,
                id=f"method-{value}",
                checked=value == "tunai",
            ),
            tx("span", label),
            class_="pos-method",
        )
        for value, label in methods
    )
    payment = el(
        "fieldset",
        tx("legend", _("Cara bayar")),
        el("div", radios, class_="pos-methods"),
        el(
            "div",
            _amount(
                "cash-given",
                _("Uang diterima (Rp)"),
                _("Kosongkan bila uang pas."),
            ),
            el("div", id="cash-quick", class_="actions pos-quick"),
            el(
                "p",
                tx("span", _("Kembalian:")),
                " ",
                tx("strong", "Rp 0", id="change"),
                class_="pos-change",
                aria_live="polite",
            ),
            id="pay-cash",
        ),
        class_="pos-payment",
    )
    return _screen(
        "screen-sell",
        _("Penjualan"),
        search,
        scanner,
        results,
        cart,
        member,
        totals,
        payment,
        el("p", id="pay-hint", class_="error-box message", role="alert"),
        tx("button", _("Bayar"), type="button", id="pay", class_="button button-block pos-pay"),
    )


def _tools(_: Translate) -> str:
    buttons = [
        ("tool-close", _("Tutup shift")),
        ("tool-refresh", _("Perbarui data")),
        ("tool-signout", _("Keluar dari akun")),
    ]
    return el(
        "nav",
        el(
            "div",
            *[
                tx("button", label, type="button", id=button_id, class_="button button-secondary")
                for button_id, label in buttons
            ],
            class_="actions",
        ),
        id="pos-tools",
        aria_label=_("Alat kasir"),
        hidden=True,
    )


def pos_html(_: Translate) -> str:
    """The `<main>` of the till (the same for everyone in one language)."""
    register = _screen(
        "screen-register",
        _("Daftarkan ponsel ini sebagai kasir"),
        tx(
            "p",
            _(
                "Sekali saja per ponsel: pilih toko tempat ponsel ini dipakai. Nomor struk "
                "diawali kode perangkat yang diberikan server."
            ),
        ),
        el(
            "form",
            field(
                _("Toko/gerai"),
                el("select", id="register-outlet", name="outlet", required=True),
                "register-outlet",
            ),
            field(
                _("Nama perangkat"),
                el(
                    "input",
                    id="register-name",
                    name="name",
                    type="text",
                    maxlength=100,
                    autocomplete="off",
                ),
                "register-name",
                _("Misalnya: HP kasir depan."),
            ),
            tx("button", _("Daftarkan perangkat"), type="submit", class_="button button-block"),
            id="register-form",
        ),
    )
    shift_open = _screen(
        "screen-shift-open",
        _("Buka shift"),
        tx("p", _("Hitung uang di laci lalu masukkan jumlahnya sebagai modal kas awal.")),
        el(
            "form",
            _amount("opening-cash", _("Modal kas awal (Rp)")),
            tx("button", _("Buka shift"), type="submit", class_="button button-block"),
            id="shift-open-form",
        ),
    )
    qris = _screen(
        "screen-qris",
        _("Bayar dengan QRIS"),
        el("p", tx("span", _("Jumlah:")), " ", tx("strong", "", id="qris-amount")),
        el("div", id="qris-code", class_="pos-qris"),
        tx(
            "p",
            _(
                "Minta pembeli memindai kode ini. Tekan “Sudah dibayar” hanya setelah melihat "
                "bukti pembayaran berhasil dengan jumlah yang sama."
            ),
        ),
        el(
            "div",
            tx("button", _("Sudah dibayar"), type="button", id="qris-paid", class_="button"),
            tx(
                "button",
                _("Batal"),
                type="button",
                id="qris-cancel",
                class_="button button-secondary",
            ),
            class_="actions",
        ),
    )
    receipt = _screen(
        "screen-receipt",
        _("Struk"),
        el("div", id="receipt", class_="pos-receipt"),
        el(
            "div",
            tx("button", _("Cetak"), type="button", id="receipt-print", class_="button"),
            tx(
                "button",
                _("Bagikan"),
                type="button",
                id="receipt-share",
                class_="button button-secondary",
            ),
            tx(
                "a",
                _("Kirim lewat WhatsApp"),
                href="https://wa.me/",
                id="receipt-wa",
                class_="button button-secondary",
                target="_blank",
                rel="noopener",
            ),
            tx(
                "button",
                _("Penjualan baru"),
                type="button",
                id="receipt-new",
                class_="button",
            ),
            class_="actions pos-receipt-actions",
        ),
    )
    close = _screen(
        "screen-close",
        _("Tutup shift"),
        el("p", id="close-summary"),
        el(
            "dl",
            el(
                "div",
                tx("dt", _("Kas seharusnya (dihitung di perangkat)")),
                el("dd", id="close-expected"),
            ),
            class_="facts",
        ),
        el(
            "form",
            _amount("counted-cash", _("Kas dihitung (Rp)"), _("Hitung semua uang di laci.")),
            tx("button", _("Tutup shift"), type="submit", class_="button button-block"),
            tx(
                "button",
                _("Kembali ke penjualan"),
                type="button",
                id="close-back",
                class_="button button-secondary button-block",
            ),
            id="close-form",
        ),
    )
    report = _screen(
        "screen-report",
        _("Laporan tutup shift"),
        el("p", id="report-source", class_="status-box"),
        el("dl", id="report", class_="facts"),
        el("ul", id="report-methods", class_="plain-list", aria_label=_("Per cara bayar")),
        tx("button", _("Buka shift baru"), type="button", id="report-next", class_="button"),
    )
    history = el(
        "section",
        el(
            "details",
            tx("summary", _("Riwayat penjualan di perangkat ini"), id="history-heading"),
            el("ul", id="history", class_="plain-list pos-history"),
        ),
        class_="pos-extra",
        id="history-section",
        hidden=True,
    )
    review = el(
        "section",
        tx("h2", _("Perlu ditinjau"), id="review-heading"),
        tx(
            "p",
            _(
                "Data yang ditolak server, dengan alasannya. Tidak dikirim lagi; sampaikan ke "
                "pengurus."
            ),
            class_="hint",
        ),
        el("ul", id="review", class_="plain-list pos-review"),
        class_="pos-extra",
        id="review-section",
        aria_labelledby="review-heading",
        hidden=True,
    )
    return el(
        "div",
        el("link", rel="stylesheet", href=POS_CSS),
        tx("h1", _("Kasir")),
        el("p", id="pos-who", class_="muted pos-who"),
        noscript(_),
        message_boxes(),
        _sync_panel(_),
        _screen("screen-loading", _("Memuat kasir…"), hidden=False),
        _screen(
            "screen-signin",
            _("Masuk dulu"),
            tx("p", _("Kasir dipakai oleh kasir dan pengurus koperasi yang sudah masuk.")),
            tx("a", _("Masuk"), href="/masuk?next=/kasir", class_="button"),
        ),
        _screen(
            "screen-role",
            _("Bukan untuk peran ini"),
            tx(
                "p",
                _(
                    "Halaman kasir hanya untuk kasir dan pengurus koperasi. Ganti peran aktif "
                    "di halaman Akun."
                ),
            ),
            tx("a", _("Ke halaman Akun"), href="/akun", class_="button"),
        ),
        register,
        shift_open,
        _sell_screen(_),
        qris,
        receipt,
        close,
        report,
        _tools(_),
        review,
        history,
        script_messages(_, MESSAGES, MESSAGES.keys()),
        class_="pos",
        id="pos",
    )


def pos_document(language: str) -> str:
    _ = translator(language)
    # signed_in=None: the shell is the same for everyone, so no account item in the header.
    body = frame_html(language, _, POS_PATH, pos_html(_), signed_in=None)
    return page(
        title=_("Kasir") + " · Koroena",
        language=language,
        body_html=body,
        component=None,
        _=_,
        scripts=tuple(module_url(name) for name in POS_MODULES),
    )


@get(POS_PATH, include_in_schema=False, opt=PUBLIC, name="pos_page")
async def pos_page(request: Request[Any, Any, Any]) -> Response[str]:
    return Response(
        pos_document(language_of_request(request)),
        media_type="text/html",
        headers=PUBLIC_HEADERS,
    )


def _module_sources() -> dict[str, str]:
    return {name: (SERVICE_WORKER_DIR / name).read_text(encoding="utf-8") for name in POS_MODULES}


def pos_module_route() -> Any:
    """The till's scripts from service_worker/ (read once, when the app is made)."""
    sources = _module_sources()

    @get(
        MODULE_PREFIX + "{name:str}",
        include_in_schema=False,
        opt=PUBLIC,
        name="pos_module",
    )
    async def pos_module(name: Annotated[str, PathParameter(max_length=40)]) -> Response[str]:
        source = sources.get(name)
        if source is None:
            raise NotFoundException()
        return Response(source, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    return pos_module
