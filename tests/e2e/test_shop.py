"""The shop pages in a real browser on a 390 px phone: a pengurus adds a product on /toko
and sees it in the list, changes its price, is told why a wrong barcode is refused, makes
the product inactive; on /toko/stok records a purchase of it and sees the stock. The pages
pass axe and do not scroll sideways at 360 px.

These tests use koperasi KSU Bina Usaha Sejahtera with SKUs of their own (the server is
shared with the other end-to-end tests)."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Browser, Page, expect

from backend.catalog.domain import gtin_check_digit

from .conftest import RunningServer
from .test_accounts import Person, _axe
from .test_books import _csp_violations, _fits, _pengurus, phones

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
__all__ = ["phones"]  # the fixture, shared with the books tests

BINA_USAHA = "ksu-bina-usaha-sejahtera"


def _new_product() -> tuple[str, str, str]:
    """(SKU, name, EAN-13) no other test uses."""
    tag = uuid.uuid4().hex[:6].upper()
    body = "2" + str(int(tag, 16) % 10**11).zfill(11)
    return f"E2E-{tag}", f"Keripik Tempe {tag}", body + str(gtin_check_digit(body))


async def _fill_product(page: Page, sku: str, name: str, barcode: str) -> None:
    form = page.locator("#product-form")
    await form.get_by_label("SKU (kode barang)").fill(sku)
    await form.get_by_label("Nama barang").fill(name)
    await form.get_by_label("Barcode (boleh kosong)").fill(barcode)
    await form.get_by_label("Kategori").fill("Makanan")
    await form.get_by_label("Satuan").fill("bungkus")
    await form.get_by_label("Harga jual (Rp)").fill("12500")
    await form.get_by_label("Harga anggota (Rp, boleh kosong)").fill("12000")
    await form.get_by_label("Harga pokok (Rp)").fill("9000")
    await form.get_by_label("Stok minimum").fill("5")


async def test_pengurus_adds_a_product_and_buys_stock(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    page = await _pengurus(browser, server, running_server, phones, BINA_USAHA, "Wulan Toko")
    errors = _csp_violations(page)
    sku, name, barcode = _new_product()
    await page.goto("/toko")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Toko")

    # A wrong check digit is refused, with the reason, and the cursor on the barcode.
    wrong = barcode[:-1] + str((int(barcode[-1]) + 1) % 10)
    await _fill_product(page, sku, name, wrong)
    await page.locator("#product-form").get_by_role("button", name="Simpan barang").click()
    alert = page.locator("#product-panel").get_by_role("alert")
    await expect(alert).to_contain_text("angka pemeriksa")
    await expect(page.get_by_label("Barcode (boleh kosong)")).to_be_focused()

    # Added: the page reloads, says so, and lists it.
    await page.get_by_label("Barcode (boleh kosong)").fill(barcode)
    await page.locator("#product-form").get_by_role("button", name="Simpan barang").click()
    await expect(page.locator("#message-status")).to_have_text(f"Barang {name} ditambahkan.")
    item = page.locator(f"#produk-{sku}")
    await expect(item).to_contain_text(name)
    await expect(item).to_contain_text("Harga Rp 12.500 · Anggota Rp 12.000 · Pokok Rp 9.000")
    await expect(item).to_contain_text(barcode)

    # Changed.
    await item.get_by_role("button", name=f"Ubah {name}").click()
    await expect(page.locator("#product-form-heading")).to_have_text(f"Ubah barang {sku}")
    await page.get_by_label("Harga jual (Rp)").fill("13000")
    await page.locator("#product-form").get_by_role("button", name="Simpan barang").click()
    await expect(page.locator("#message-status")).to_have_text(f"Perubahan {name} disimpan.")
    await expect(page.locator(f"#produk-{sku}")).to_contain_text("Harga Rp 13.000")

    # Searching finds it by its barcode.
    await page.get_by_label("Cari nama, SKU atau barcode").fill(barcode)
    await page.get_by_role("button", name="Cari", exact=True).click()
    await expect(page.locator(".product-item")).to_have_count(1)
    await _fits(page, "/toko")

    # Bought into stock at T01, paid in cash.
    await page.goto("/toko/stok")
    form = page.locator("#purchase-form")
    await form.get_by_label("Tempat").select_option("T01")
    await form.get_by_label("Tunai (kas)").check()
    await form.get_by_label("Nomor faktur atau nama pemasok").fill("Nota E2E")
    line = page.get_by_role("group", name="Barang 1")
    await line.get_by_label("Barang", exact=True).select_option(sku)
    await expect(line.get_by_label("Harga beli per satuan (Rp)")).to_have_value("9000")
    await line.get_by_label("Jumlah").fill("24")
    await expect(page.locator("#purchase-total")).to_have_text("Total Rp 216.000")
    await form.get_by_role("button", name="Simpan pembelian").click()
    await expect(page.locator("#message-status")).to_contain_text(
        "Pembelian 1 barang senilai Rp 216.000 tercatat."
    )
    row = page.locator(".stock-table tr", has_text=name)
    await expect(row).to_contain_text("T01: 24")
    await expect(row).to_contain_text("24 bungkus")
    await expect(page.locator("#movement-list")).to_contain_text("Nota E2E")
    await _fits(page, "/toko/stok")

    # Retired: marked, and off the list unless asked for.
    await page.goto("/toko?q=" + sku)
    item = page.locator(f"#produk-{sku}")
    await item.get_by_role("button", name=f"Nonaktifkan {name}").click()
    await expect(item.locator(".tag-off")).to_have_text("Nonaktif")
    await expect(item.get_by_role("button", name=f"Aktifkan {name}")).to_be_visible()
    await page.reload()
    await expect(page.locator(f"#produk-{sku}")).to_have_count(0)
    assert errors == []


async def test_shop_pages_pass_axe(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    # axe is injected as a script, which the pages' strict CSP would (rightly) refuse.
    page = await _pengurus(
        browser, server, running_server, phones, BINA_USAHA, "Dewi Periksa", bypass_csp=True
    )
    await page.goto("/toko")
    await expect(page.locator("#product-form")).to_be_visible()
    await _axe(page, "/toko at 390 px")
    await page.goto("/toko/stok")
    await expect(page.locator("#count-form")).to_be_visible()
    await _axe(page, "/toko/stok at 390 px")
