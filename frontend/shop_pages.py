"""The shop pages, plain HTML with one small script (`static/shop.js`, no ReactPy):

- `/toko` — the catalog. Pengurus search the products, add and change them, make them
  inactive (or active again), import a product list from Excel/CSV (template → "Periksa"
  lists every row with what it would do and, for a bad row, why → "Impor"), and set the
  shop's rules (the largest line discount a cashier may give, the static QRIS). A kasir
  sees the product list only.
- `/toko/stok` — stock per outlet and in total, the low-stock list; for pengurus also a
  purchase, an adjustment, a stock count (opname) and the movement history.

The search and the outlet filter are plain GET forms (they work without the script); every
change goes through the JSON API with the session's CSRF token. Anggota and Dinas officers
get a refusal page. Personal: `Cache-Control: no-store`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import QueryParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.catalog import service as catalog
from backend.catalog.domain import MAX_PRICE, MAX_STOCK
from backend.formatting import number, rupiah
from backend.imports.sheets import MAX_BYTES, MAX_ROWS
from backend.inventory import service as inventory
from backend.inventory.domain import MAX_QUANTITY, Payment
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    REGION_TZ,
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

CATALOG_PATH = "/toko"
STOCK_PATH = "/toko/stok"
SHOP_JS = "/static/shop.js"
SHOP_CSS = "/static/shop.css"
PRODUCTS_SHOWN = 500
HISTORY_SHOWN = 20
STORE_ROOM = "-"  # the outlet select's value for stock kept outside the outlets

NOT_ALLOWED = N_(
    "Halaman toko untuk pengurus dan kasir koperasi. Bila Anda pengurus atau kasir, pilih "
    "peran itu sebagai peran aktif di halaman Akun."
)

# What shop.js may say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "saving": N_("Menyimpan…"),
    "product_added": N_("Barang {name} ditambahkan."),
    "product_saved": N_("Perubahan {name} disimpan."),
    "activated": N_("{name} aktif lagi dan dijual di kasir."),
    "deactivated": N_("{name} nonaktif: tidak dijual lagi, riwayatnya tetap tersimpan."),
    "activate": N_("Aktifkan"),
    "deactivate": N_("Nonaktifkan"),
    "inactive": N_("Nonaktif"),
    "edit_heading": N_("Ubah barang {sku}"),
    "add_heading": N_("Tambah barang"),
    "settings_saved": N_("Pengaturan toko disimpan."),
    "choose_file": N_("Pilih berkas Excel (.xlsx) atau CSV dulu."),
    "too_large": N_("Berkas terlalu besar: paling besar {size} MB."),
    "checking": N_("Memeriksa berkas…"),
    "importing": N_("Mengimpor… Jangan tutup halaman ini."),
    "changed": N_("Berkas atau pilihan berubah: tekan Periksa lagi sebelum mengimpor."),
    "result_heading": N_("Hasil pemeriksaan"),
    "row": N_("Baris"),
    "remarks": N_("Keterangan"),
    "changes": N_("Berubah: {fields}"),
    "problems": N_("Yang harus diperbaiki"),
    "caption": N_("Pratinjau {file}"),
    "name_column": N_("Nama barang"),
    "price_column": N_("Harga jual"),
    "line": N_("Barang {n}"),
    "remove_line": N_("Hapus barang {n}"),
    "total": N_("Total {amount}"),
    "nothing_counted": N_("Isi hasil hitung paling sedikit satu barang."),
    "loading": N_("Memuat…"),
    "history_end": N_("Semua riwayat sudah tampil."),
    "store_room": N_("Gudang"),
    "entry": N_("jurnal #{number}"),
}
STOCK_ONLY = ("line", "remove_line", "total", "nothing_counted", "store_room", "entry")
CATALOG_MESSAGES = tuple(k for k in SCRIPT_MESSAGES if k not in STOCK_ONLY)
STOCK_MESSAGES = tuple(SCRIPT_MESSAGES)

SHOP_ROLES = (Role.PENGURUS, Role.KASIR)


def _today() -> date:
    return datetime.now(UTC).astimezone(REGION_TZ).date()


def _stylesheet() -> str:
    return el("link", rel="stylesheet", href=SHOP_CSS)


def _refusal(request: Request[Any, Any, Any], user: CurrentUser, language: str) -> Response[str]:
    _ = translator(language)
    return refusal_page(request, user, language, 403, _("Tidak diizinkan"), _(NOT_ALLOWED))


def _section_messages() -> str:
    """A panel's own message boxes (passkey.js `showError(message, panel)`)."""
    return el(
        "div",
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
    )


def _checkbox(label: str, control_id: str, name: str, checked: bool, hint: str = "") -> str:
    return el(
        "div",
        el("input", type="checkbox", id=control_id, name=name, value="1", checked=checked),
        tx("label", label, for_=control_id),
        tx("p", hint, class_="hint") if hint else "",
        class_="checkbox",
    )


def _money_input(control_id: str, name: str, required: bool = False, value: str = "") -> str:
    return el(
        "input",
        id=control_id,
        name=name,
        type="number",
        inputmode="numeric",
        min=0,
        max=MAX_PRICE,
        step=1,
        required=required,
        value=value or None,
        aria_describedby=f"{control_id}-hint",
    )


def _lead(user: CurrentUser, link: tuple[str, str], text: str) -> str:
    koperasi = (user.active.koperasi_name if user.active else None) or ""
    return el(
        "p",
        tx("strong", koperasi),
        el("br"),
        tx("span", text, class_="muted"),
        el("br"),
        tx("a", link[1], href=link[0]),
        class_="lead",
    )


def _shop_actor(user: CurrentUser) -> Actor | None:
    actor = user.actor
    if actor is None or actor.role not in SHOP_ROLES or actor.koperasi_id is None:
        return None
    return actor


# /toko ------------------------------------------------------------------------------------


def _product_data(product: catalog.ProductDetail) -> str:
    return json.dumps(
        {
            "sku": product.sku,
            "barcode": product.barcode,
            "name": product.name,
            "category": product.category,
            "unit": product.unit,
            "price": product.price,
            "member_price": product.member_price,
            "cost_price": product.cost_price,
            "track_stock": product.track_stock,
            "min_stock": product.min_stock,
            "active": product.active,
        },
        ensure_ascii=False,
    )


def product_item(product: catalog.ProductDetail, manager: bool, _: Translate) -> str:
    meta = " · ".join(
        part
        for part in (
            product.sku,
            product.barcode,
            product.unit,
            product.category,
        )
        if part
    )
    prices = [_("Harga {amount}", amount=rupiah(product.price))]
    if product.member_price is not None:
        prices.append(_("Anggota {amount}", amount=rupiah(product.member_price)))
    if manager:
        prices.append(_("Pokok {amount}", amount=rupiah(product.cost_price)))
    tags = []
    if not product.active:
        tags.append(tx("span", _("Nonaktif"), class_="tag tag-off", data_inactive=True))
    if not product.track_stock:
        tags.append(tx("span", _("Stok tidak dilacak"), class_="tag"))
    actions = ""
    if manager:
        actions = el(
            "div",
            tx(
                "button",
                _("Ubah"),
                type="button",
                class_="button button-secondary",
                data_edit=_product_data(product),
                aria_label=_("Ubah {name}", name=product.name),
            ),
            tx(
                "button",
                _("Aktifkan") if not product.active else _("Nonaktifkan"),
                type="button",
                class_="button button-secondary",
                data_toggle=product.sku,
                data_name=product.name,
                data_active="1" if product.active else "0",
                aria_label=_("Aktifkan {name}", name=product.name)
                if not product.active
                else _("Nonaktifkan {name}", name=product.name),
            ),
            class_="actions product-actions",
        )
    return el(
        "li",
        el("p", tx("strong", product.name, class_="product-name"), " ", *tags),
        tx("p", meta, class_="muted product-meta"),
        tx("p", " · ".join(prices), class_="product-prices"),
        actions,
        class_="product-item" + ("" if product.active else " product-inactive"),
        id=f"produk-{product.sku}",
        data_sku=product.sku,
    )


def _products_section(
    found: list[catalog.ProductDetail],
    categories: list[str],
    q: str,
    category: str,
    include_inactive: bool,
    manager: bool,
    _: Translate,
) -> str:
    search = el(
        "form",
        field(
            _("Cari nama, SKU atau barcode"),
            el(
                "input",
                type="search",
                id="product-q",
                name="q",
                value=q,
                maxlength=100,
                autocomplete="off",
            ),
            "product-q",
        ),
        field(
            _("Kategori"),
            el(
                "select",
                tx("option", _("Semua kategori"), value=""),
                *[tx("option", c, value=c, selected=c == category or None) for c in categories],
                id="product-category",
                name="kategori",
            ),
            "product-category",
        ),
        _checkbox(_("Tampilkan juga yang nonaktif"), "product-inactive", "semua", include_inactive),
        tx("button", _("Cari"), type="submit", class_="button"),
        method="get",
        action=CATALOG_PATH,
        role="search",
        class_="search-form",
    )
    shown = found[:PRODUCTS_SHOWN]
    if shown:
        listing = el(
            "ul",
            *[product_item(p, manager, _) for p in shown],
            class_="plain-list product-list",
            id="product-list",
        )
    else:
        listing = tx("p", _("Tidak ada barang yang cocok."), class_="muted", id="product-list")
    count = _("{count} barang", count=number(len(found)))
    if len(found) > len(shown):
        count += " " + _("(tampil {shown} pertama: persempit pencarian)", shown=number(len(shown)))
    return panel(
        "products-heading",
        _("Barang"),
        search,
        tx("p", count, class_="muted", role="status"),
        _section_messages(),
        listing,
        id="products-panel",
    )


def _product_form(categories: list[str], _: Translate) -> str:
    def text_input(control_id: str, name: str, maxlength: int, **extra: Any) -> str:
        return el(
            "input", id=control_id, name=name, maxlength=maxlength, autocomplete="off", **extra
        )

    form = el(
        "form",
        field(
            _("SKU (kode barang)"),
            text_input(
                "product-sku",
                "sku",
                40,
                required=True,
                autocapitalize="characters",
                aria_describedby="product-sku-hint",
            ),
            "product-sku",
            _("Huruf, angka, titik, garis miring atau tanda hubung; unik di koperasi."),
        ),
        field(
            _("Nama barang"),
            text_input("product-name", "name", 200, required=True),
            "product-name",
        ),
        field(
            _("Barcode (boleh kosong)"),
            text_input(
                "product-barcode",
                "barcode",
                14,
                inputmode="numeric",
                aria_describedby="product-barcode-hint",
            ),
            "product-barcode",
            _("EAN-13 (13 angka) atau kode toko sendiri yang diawali angka 2."),
        ),
        field(
            _("Kategori"),
            text_input("product-category-input", "category", 60, list="category-options"),
            "product-category-input",
        ),
        el("datalist", *[el("option", value=c) for c in categories], id="category-options"),
        field(
            _("Satuan"),
            text_input("product-unit", "unit", 20, placeholder="pcs"),
            "product-unit",
        ),
        field(
            _("Harga jual (Rp)"),
            _money_input("product-price", "price", required=True),
            "product-price",
            _("Rupiah bulat tanpa titik, misalnya 15000."),
        ),
        field(
            _("Harga anggota (Rp, boleh kosong)"),
            _money_input("product-member-price", "member_price"),
            "product-member-price",
            _("Tidak boleh lebih tinggi daripada harga jual."),
        ),
        field(
            _("Harga pokok (Rp)"),
            _money_input("product-cost-price", "cost_price"),
            "product-cost-price",
            _("Harga beli per satuan; dipakai untuk HPP dan nilai persediaan."),
        ),
        _checkbox(
            _("Lacak stok barang ini"),
            "product-track",
            "track_stock",
            True,
            _("Matikan untuk barang tanpa stok, misalnya pulsa atau token listrik."),
        ),
        field(
            _("Stok minimum"),
            el(
                "input",
                id="product-min-stock",
                name="min_stock",
                type="number",
                inputmode="numeric",
                min=0,
                max=MAX_STOCK,
                step=1,
                value="0",
                aria_describedby="product-min-stock-hint",
            ),
            "product-min-stock",
            _("Masuk daftar stok menipis bila stoknya sebanyak ini atau kurang."),
        ),
        _checkbox(_("Aktif (dijual di kasir)"), "product-active", "active", True),
        el(
            "div",
            tx("button", _("Simpan barang"), type="submit", class_="button"),
            tx(
                "button",
                _("Batal ubah"),
                type="button",
                class_="button button-secondary",
                id="product-cancel",
                hidden=True,
            ),
            class_="actions",
        ),
        id="product-form",
        novalidate=True,
    )
    return panel(
        "product-form-heading",
        _("Tambah barang"),
        _section_messages(),
        form,
        id="product-panel",
    )


def _import_section(_: Translate) -> str:
    upload = el(
        "input",
        type="file",
        id="catalog-file",
        name="file",
        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
        required=True,
        aria_describedby="catalog-file-hint",
    )
    limits = _(
        "Excel (.xlsx) atau CSV, paling besar {size} MB, paling banyak {rows} baris.",
        size=MAX_BYTES // (1024 * 1024),
        rows=number(MAX_ROWS),
    )
    steps = el(
        "ol",
        el(
            "li",
            tx(
                "span",
                _(
                    "Unduh templat: berisi barang yang sudah ada, bisa diubah atau ditambah "
                    "barisnya."
                ),
            ),
            el("br"),
            tx(
                "a",
                _("Unduh templat katalog"),
                href="/api/v1/catalog/imports/template",
                class_="button button-secondary",
                download=True,
            ),
        ),
        tx("li", _("Isi di Excel lalu simpan sebagai .xlsx (atau CSV).")),
        tx(
            "li",
            _("Pilih berkasnya, tekan “Periksa”, lalu “Impor” bila tidak ada masalah."),
        ),
        class_="steps",
    )
    form = el(
        "form",
        field(_("Berkas yang sudah diisi"), upload, "catalog-file", limits),
        _checkbox(
            _("Perbarui yang sudah ada"),
            "catalog-update",
            "update_existing",
            False,
            _(
                "Tanpa centang, SKU yang sudah ada di katalog hanya dilaporkan dan tidak diubah. "
                "Sel kosong tidak mengubah data yang tersimpan."
            ),
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
                aria_describedby="catalog-commit-hint",
            ),
            class_="actions",
        ),
        tx(
            "p",
            _("“Impor” bisa ditekan setelah pemeriksaan tidak menemukan masalah."),
            id="catalog-commit-hint",
            class_="hint",
        ),
        id="catalog-import-form",
        data_max_bytes=MAX_BYTES,
        novalidate=True,
    )
    return panel(
        "import-heading",
        _("Impor dari Excel"),
        tx(
            "p",
            _(
                "Setiap SKU hanya sekali: baris baru ditambahkan, baris yang sama persis tidak "
                "mengubah apa pun, jadi mengimpor berkas yang sama dua kali tidak menambah "
                "apa pun."
            ),
            class_="muted",
        ),
        steps,
        form,
        _section_messages(),
        el("div", id="catalog-preview", class_="preview", hidden=True),
        id="import-panel",
    )


def _settings_section(settings: catalog.ShopSettingsInfo, _: Translate) -> str:
    merchant = ""
    if settings.qris_payload:
        merchant = tx(
            "p",
            _(
                "QRIS tersimpan atas nama {name}, {city}.",
                name=settings.qris_merchant_name or "?",
                city=settings.qris_merchant_city or "?",
            ),
            class_="status-box",
            id="qris-merchant",
        )
    form = el(
        "form",
        field(
            _("Batas diskon per baris (%)"),
            el(
                "input",
                id="settings-discount",
                name="max_discount_percent",
                type="number",
                inputmode="numeric",
                min=0,
                max=100,
                step=1,
                required=True,
                value=str(settings.max_discount_percent),
                aria_describedby="settings-discount-hint",
            ),
            "settings-discount",
            _(
                "Diskon terbesar yang boleh diberikan kasir pada satu baris belanja. "
                "0: tanpa diskon."
            ),
        ),
        field(
            _("QRIS statis koperasi"),
            tx(
                "textarea",
                settings.qris_payload,
                id="settings-qris",
                name="qris_payload",
                rows=4,
                maxlength=512,
                spellcheck="false",
                autocomplete="off",
                aria_describedby="settings-qris-hint",
            ),
            "settings-qris",
            _(
                "Teks dari stiker QRIS koperasi (pindai dengan aplikasi pembaca QR, lalu salin "
                "teksnya; diawali 000201). Kasir membuat QR berisi jumlah belanja dari sini. "
                "Kosongkan bila belum ada."
            ),
        ),
        merchant,
        tx("button", _("Simpan pengaturan"), type="submit", class_="button"),
        id="settings-form",
        novalidate=True,
    )
    return panel(
        "settings-heading",
        _("Pengaturan toko"),
        _section_messages(),
        form,
        id="settings-panel",
    )


@get(CATALOG_PATH, include_in_schema=False, opt=PAGE, name="shop_catalog_page")
async def catalog_page(
    request: Request[Any, Any, Any],
    q: Annotated[str, QueryParameter(max_length=100)] = "",
    kategori: Annotated[str, QueryParameter(max_length=60)] = "",
    semua: Annotated[str, QueryParameter(max_length=5)] = "",
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = _shop_actor(user)
    if actor is None or actor.koperasi_id is None:
        return _refusal(request, user, language)
    k = actor.koperasi_id
    manager = actor.role is Role.PENGURUS
    include_inactive = bool(semua)
    found = await catalog.search_products(k, q, kategori or None, include_inactive)
    categories = await catalog.categories(k)
    sections = [_products_section(found, categories, q, kategori, include_inactive, manager, _)]
    if manager:
        sections += [
            _product_form(categories, _),
            _import_section(_),
            _settings_section(await catalog.shop_settings(k), _),
        ]
    intro = (
        _("Daftar barang toko koperasi, harga dan pengaturan kasir.")
        if manager
        else _("Daftar barang toko koperasi dan harganya.")
    )
    main = (
        _stylesheet()
        + tx("h1", _("Toko"))
        + _lead(user, (STOCK_PATH, _("Lihat stok barang")), intro)
        + (
            el(
                "p",
                tx("a", _("Buka kasir di perangkat ini"), href="/kasir"),
                " · ",
                tx("a", _("Integrasi toko"), href="/toko/integrasi"),
            )
            if manager
            else ""
        )
        + noscript(_)
        + message_boxes()
        + el("div", *sections, class_="panels")
        + script_messages(_, SCRIPT_MESSAGES, CATALOG_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Toko"),
        main_html=main,
        user=user,
        scripts=(SHOP_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


# /toko/stok --------------------------------------------------------------------------------


def _place_name(code: str | None, _: Translate) -> str:
    return code if code else _("Gudang")


def _stock_table(
    rows: list[inventory.StockRow], outlet: inventory.OutletInfo | None, caption: str, _: Translate
) -> str:
    if not rows:
        return tx("p", _("Belum ada barang yang dilacak stoknya."), class_="muted")
    body = []
    for row in rows:
        places = ""
        if outlet is None and row.places:
            places = tx(
                "span",
                " · ".join(f"{_place_name(p.outlet, _)}: {number(p.quantity)}" for p in row.places),
                class_="stock-places",
            )
        name = el(
            "th",
            tx("span", row.name, class_="stock-name"),
            tx("span", row.sku, class_="stock-sku"),
            places,
            tx("span", _("Nonaktif"), class_="tag") if not row.active else "",
            scope="row",
        )
        level = tx(
            "td",
            f"{number(row.stock)} {row.unit}",
            class_="num" + (" stock-low" if row.low else ""),
        )
        minimum = el(
            "td",
            tx("span", number(row.min_stock)),
            " " + tx("span", _("Menipis"), class_="tag tag-low") if row.low else "",
            class_="num",
        )
        body.append(el("tr", name, level, minimum, class_="stock-row-low" if row.low else None))
    return el(
        "div",
        el(
            "table",
            tx("caption", caption),
            el(
                "thead",
                el(
                    "tr",
                    tx("th", _("Barang"), scope="col"),
                    tx("th", _("Stok"), scope="col", class_="num"),
                    tx("th", _("Minimum"), scope="col", class_="num"),
                ),
            ),
            el("tbody", *body),
            class_="table stock-table",
        ),
        class_="table-wrap",
        # A table wider than the phone scrolls inside this box, which keyboards must reach.
        tabindex="0",
        role="region",
        aria_label=_("Stok barang"),
    )


def _outlet_options(
    outlets: list[inventory.OutletInfo], chosen: str, _: Translate, *, everything: bool
) -> str:
    options = [tx("option", _("Semua tempat"), value="")] if everything else []
    options += [
        tx("option", f"{o.code} · {o.name}", value=o.code, selected=o.code == chosen or None)
        for o in outlets
    ]
    if not everything:  # a movement's place: an outlet or the store room
        options.append(
            tx(
                "option",
                _("Gudang (di luar outlet)"),
                value=STORE_ROOM,
                selected=chosen == STORE_ROOM or None,
            )
        )
    return "".join(options)


def _stock_section(
    rows: list[inventory.StockRow],
    outlets: list[inventory.OutletInfo],
    outlet: inventory.OutletInfo | None,
    chosen: str,
    low_only: bool,
    _: Translate,
) -> str:
    place = outlet.name if outlet else _("semua tempat")
    caption = _("Stok di {place}: {count} barang", place=place, count=number(len(rows)))
    filters = el(
        "form",
        field(
            _("Tempat"),
            el(
                "select",
                _outlet_options(outlets, chosen, _, everything=True),
                id="stock-outlet",
                name="outlet",
            ),
            "stock-outlet",
        ),
        _checkbox(_("Hanya stok menipis"), "stock-low-only", "menipis", low_only),
        tx("button", _("Tampilkan"), type="submit", class_="button"),
        method="get",
        action=STOCK_PATH,
        class_="search-form",
    )
    return panel(
        "stock-heading",
        _("Stok barang"),
        filters,
        tx(
            "p",
            _(
                "Stok = jumlah semua pergerakan: pembelian, penjualan, penyesuaian dan opname. "
                "Penjualan melewati nol tetap dicatat (stok minus) dan perlu diperiksa."
            ),
            class_="muted",
        ),
        _stock_table(rows, outlet, caption, _),
        id="stock-panel",
    )


def _low_section(rows: list[inventory.StockRow], place: str, _: Translate) -> str:
    low = [r for r in rows if r.low and r.active]
    if low:
        items = el(
            "ul",
            *[
                el(
                    "li",
                    tx("strong", r.name),
                    " ",
                    tx(
                        "span",
                        _(
                            "stok {stock}, minimum {minimum}",
                            stock=number(r.stock) + " " + r.unit,
                            minimum=number(r.min_stock),
                        ),
                        class_="stock-low" if r.stock < 0 else "muted",
                    ),
                )
                for r in low
            ],
            class_="plain-list low-list",
        )
    else:
        items = tx("p", _("Tidak ada stok yang menipis."), class_="muted")
    return panel(
        "low-heading",
        _("Stok menipis di {place}", place=place),
        tx(
            "p",
            _("Barang aktif yang stoknya sama dengan atau di bawah minimumnya."),
            class_="muted",
        ),
        items,
        id="low-panel",
    )


def _product_options(products: list[catalog.ProductDetail], _: Translate) -> str:
    return tx("option", _("Pilih barang"), value="") + "".join(
        tx(
            "option",
            f"{p.name} ({p.sku})",
            value=p.sku,
            data_cost=p.cost_price,
        )
        for p in products
    )


def _date_field(control_id: str, name: str, label: str, today: date) -> str:
    return field(
        label,
        el(
            "input",
            type="date",
            id=control_id,
            name=name,
            value=today.isoformat(),
            max=today.isoformat(),
            required=True,
        ),
        control_id,
    )


def _outlet_field(
    control_id: str, outlets: list[inventory.OutletInfo], chosen: str, _: Translate
) -> str:
    default = chosen or (outlets[0].code if outlets else STORE_ROOM)
    return field(
        _("Tempat"),
        el(
            "select",
            _outlet_options(outlets, default, _, everything=False),
            id=control_id,
            name="outlet",
        ),
        control_id,
    )


def _purchase_line(n: int, options: str, _: Translate) -> str:
    prefix = f"purchase-{n}"
    return el(
        "fieldset",
        tx("legend", _("Barang {n}", n=n)),
        field(
            _("Barang"),
            el("select", options, id=f"{prefix}-sku", name="sku", required=True),
            f"{prefix}-sku",
        ),
        field(
            _("Jumlah"),
            el(
                "input",
                id=f"{prefix}-quantity",
                name="quantity",
                type="number",
                inputmode="numeric",
                min=1,
                max=MAX_QUANTITY,
                step=1,
                required=True,
            ),
            f"{prefix}-quantity",
        ),
        field(
            _("Harga beli per satuan (Rp)"),
            el(
                "input",
                id=f"{prefix}-cost",
                name="unit_cost",
                type="number",
                inputmode="numeric",
                min=0,
                max=MAX_PRICE,
                step=1,
                required=True,
            ),
            f"{prefix}-cost",
        ),
        tx(
            "button",
            _("Hapus barang {n}", n=n),
            type="button",
            class_="button button-secondary",
            data_remove_line=True,
            hidden=n == 1,
        ),
        class_="purchase-line",
        data_line=n,
    )


def _purchase_section(
    products: list[catalog.ProductDetail],
    outlets: list[inventory.OutletInfo],
    chosen: str,
    today: date,
    _: Translate,
) -> str:
    options = _product_options(products, _)
    payment = el(
        "fieldset",
        tx("legend", _("Pembayaran")),
        *[
            el(
                "label",
                el(
                    "input",
                    type="radio",
                    name="payment",
                    value=p.value,
                    checked=p is Payment.UTANG or None,
                ),
                " " + tx("span", _(p.label)),
                class_="choice",
            )
            for p in Payment
        ],
        class_="choices",
    )
    form = el(
        "form",
        _outlet_field("purchase-outlet", outlets, chosen, _),
        _date_field("purchase-date", "purchase_date", _("Tanggal pembelian"), today),
        payment,
        field(
            _("Nomor faktur atau nama pemasok"),
            el("input", id="purchase-reference", name="reference", maxlength=100),
            "purchase-reference",
        ),
        el("div", _purchase_line(1, options, _), id="purchase-lines"),
        tx(
            "button",
            _("Tambah barang"),
            type="button",
            class_="button button-secondary",
            id="purchase-add",
        ),
        tx(
            "p",
            _("Total {amount}", amount=rupiah(0)),
            id="purchase-total",
            class_="purchase-total",
            aria_live="polite",
        ),
        tx("button", _("Simpan pembelian"), type="submit", class_="button"),
        id="purchase-form",
        novalidate=True,
    )
    return panel(
        "purchase-heading",
        _("Catat pembelian"),
        tx(
            "p",
            _(
                "Barang masuk dari pemasok. Dijurnal: persediaan bertambah, kas berkurang atau "
                "utang usaha bertambah. Harga pokok barang menjadi rata-rata tertimbang."
            ),
            class_="muted",
        ),
        _section_messages(),
        form,
        id="purchase-panel",
    )


def _adjustment_section(
    products: list[catalog.ProductDetail],
    outlets: list[inventory.OutletInfo],
    chosen: str,
    today: date,
    _: Translate,
) -> str:
    direction = el(
        "fieldset",
        tx("legend", _("Stok")),
        el(
            "label",
            el("input", type="radio", name="direction", value="-1", checked=True),
            " " + tx("span", _("Berkurang (rusak, hilang, kedaluwarsa)")),
            class_="choice",
        ),
        el(
            "label",
            el("input", type="radio", name="direction", value="1"),
            " " + tx("span", _("Bertambah (ditemukan)")),
            class_="choice",
        ),
        class_="choices",
    )
    form = el(
        "form",
        _outlet_field("adjustment-outlet", outlets, chosen, _),
        field(
            _("Barang"),
            el(
                "select",
                _product_options(products, _),
                id="adjustment-sku",
                name="sku",
                required=True,
            ),
            "adjustment-sku",
        ),
        direction,
        field(
            _("Jumlah"),
            el(
                "input",
                id="adjustment-quantity",
                name="quantity",
                type="number",
                inputmode="numeric",
                min=1,
                max=MAX_QUANTITY,
                step=1,
                required=True,
            ),
            "adjustment-quantity",
        ),
        field(
            _("Alasan"),
            el("input", id="adjustment-reason", name="reason", maxlength=200, required=True),
            "adjustment-reason",
        ),
        _date_field("adjustment-date", "adjustment_date", _("Tanggal"), today),
        tx("button", _("Simpan penyesuaian"), type="submit", class_="button"),
        id="adjustment-form",
        novalidate=True,
    )
    return panel(
        "adjustment-heading",
        _("Penyesuaian stok"),
        tx(
            "p",
            _("Dinilai dengan harga pokok dan dijurnal ke beban usaha (atau sebaliknya)."),
            class_="muted",
        ),
        _section_messages(),
        form,
        id="adjustment-panel",
    )


def _count_section(
    products: list[catalog.ProductDetail],
    outlets: list[inventory.OutletInfo],
    chosen: str,
    today: date,
    _: Translate,
) -> str:
    rows = []
    for p in products:
        control = f"count-{p.id}"
        rows.append(
            el(
                "tr",
                el(
                    "th",
                    tx("label", f"{p.name} ({p.sku})", for_=control),
                    scope="row",
                ),
                el(
                    "td",
                    el(
                        "input",
                        id=control,
                        name="counted",
                        type="number",
                        inputmode="numeric",
                        min=0,
                        max=MAX_QUANTITY,
                        step=1,
                        data_sku=p.sku,
                    ),
                    class_="num",
                ),
            )
        )
    table = el(
        "div",
        el(
            "table",
            tx("caption", _("Isi hanya barang yang dihitung; yang kosong tidak diubah.")),
            el(
                "thead",
                el(
                    "tr",
                    tx("th", _("Barang"), scope="col"),
                    tx("th", _("Hasil hitung"), scope="col", class_="num"),
                ),
            ),
            el("tbody", *rows),
            class_="table count-table",
        ),
        class_="table-wrap",
        tabindex="0",
        role="region",
        aria_label=_("Hasil hitung"),
    )
    form = el(
        "form",
        _outlet_field("count-outlet", outlets, chosen, _),
        _date_field("count-date", "count_date", _("Tanggal opname"), today),
        field(
            _("Catatan (boleh kosong)"),
            el("input", id="count-note", name="note", maxlength=200),
            "count-note",
        ),
        table,
        tx("button", _("Simpan hasil hitung"), type="submit", class_="button"),
        id="count-form",
        novalidate=True,
    )
    return panel(
        "count-heading",
        _("Stok opname"),
        tx(
            "p",
            _(
                "Hitung barang di rak, isi jumlahnya: selisih dengan catatan menjadi pergerakan "
                "opname, nilainya dijurnal dengan harga pokok."
            ),
            class_="muted",
        ),
        _section_messages(),
        form,
        el("div", id="count-result", hidden=True),
        id="count-panel",
    )


def movement_item(item: inventory.MovementItem, language: str, _: Translate) -> str:
    """One movement of the history (shop.js `movementItem()` builds the same)."""
    sign = "+" if item.quantity > 0 else "−"
    details = " · ".join(
        part
        for part in (
            _(item.kind_label),
            _place_name(item.outlet, _),
            item.reference,
            item.note,
            _("jurnal #{number}", number=item.entry_number) if item.entry_number else "",
        )
        if part
    )
    return el(
        "li",
        el(
            "p",
            tx("strong", item.name),
            " ",
            tx(
                "span",
                f"{sign}{number(abs(item.quantity))}",
                class_="movement-quantity " + ("plus" if item.quantity > 0 else "minus"),
            ),
        ),
        tx("p", details, class_="muted"),
        tx("p", when(item.created_at, language), class_="muted movement-time"),
        class_="movement-item",
    )


def _history_section(page: inventory.MovementPage, language: str, _: Translate) -> str:
    if page.items:
        listing = el(
            "ol",
            *[movement_item(i, language, _) for i in page.items],
            class_="plain-list movement-list",
            id="movement-list",
        )
    else:
        listing = tx("p", _("Belum ada pergerakan stok."), class_="muted", id="movement-list")
    more = ""
    if page.next_before:
        more = tx(
            "button",
            _("Muat lagi"),
            type="button",
            class_="button button-secondary",
            id="movement-more",
            data_before=page.next_before,
        )
    return panel(
        "history-heading",
        _("Riwayat stok"),
        _section_messages(),
        listing,
        more,
        id="history-panel",
    )


@get(STOCK_PATH, include_in_schema=False, opt=PAGE, name="shop_stock_page")
async def stock_page(
    request: Request[Any, Any, Any],
    outlet: Annotated[str, QueryParameter(max_length=20)] = "",
    menipis: Annotated[str, QueryParameter(max_length=5)] = "",
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = _shop_actor(user)
    if actor is None or actor.koperasi_id is None:
        return _refusal(request, user, language)
    k = actor.koperasi_id
    manager = actor.role is Role.PENGURUS
    outlets = await inventory.outlets(k)
    chosen = next((o for o in outlets if o.code == outlet), None)
    rows = await inventory.stock_list(k, chosen, low_only=bool(menipis))
    place = chosen.name if chosen else _("semua tempat")
    low_rows = rows if menipis else [r for r in rows if r.low]
    sections = [
        _stock_section(rows, outlets, chosen, outlet, bool(menipis), _),
        _low_section(low_rows, place, _),
    ]
    if manager:
        today = _today()
        products = [
            p for p in await catalog.search_products(k, include_inactive=False) if p.track_stock
        ]
        code = chosen.code if chosen else ""
        sections += [
            _purchase_section(products, outlets, code, today, _),
            _adjustment_section(products, outlets, code, today, _),
            _count_section(products, outlets, code, today, _),
            _history_section(await inventory.movements(k, limit=HISTORY_SHOWN), language, _),
        ]
    intro = (
        _("Stok per tempat, stok menipis, pembelian, penyesuaian dan stok opname.")
        if manager
        else _("Stok barang per tempat dan stok yang menipis.")
    )
    main = (
        _stylesheet()
        + tx("h1", _("Stok barang"))
        + _lead(user, (CATALOG_PATH, _("Ke daftar barang")), intro)
        + noscript(_)
        + message_boxes()
        + el("div", *sections, class_="panels")
        + script_messages(_, SCRIPT_MESSAGES, STOCK_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Stok barang"),
        main_html=main,
        user=user,
        scripts=(SHOP_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


SHOP_PAGES = (catalog_page, stock_page)
