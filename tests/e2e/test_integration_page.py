"""/toko/integrasi in a real browser on a 390 px phone: a pengurus makes an API key, sees
it once (not again after a reload), revokes it after a confirmation; uploads a small sales
CSV, checks it, imports it (every sale "Tercatat"), and uploading it again only answers
"Sudah ada". The page passes axe and does not scroll sideways at 360 px.

KSU Bina Usaha Sejahtera, with transaction ids and key names of its own (the server is
shared with the other end-to-end tests)."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Browser, Dialog, Page, expect

from .conftest import RunningServer
from .test_accounts import Person
from .test_books import _axe, _csp_violations, _fits, _pengurus, phones

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
__all__ = ["phones"]

BINA_USAHA = "ksu-bina-usaha-sejahtera"
PATH = "/toko/integrasi"


async def _upload(page: Page, name: str, body: bytes) -> None:
    form = page.locator("#sales-csv-form")
    await form.get_by_label("Toko/gerai penjualannya").select_option("T01")
    await form.get_by_label("Berkas CSV penjualan").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": body}
    )
    await form.get_by_role("button", name="Periksa").click()
    await expect(page.locator("#sales-result")).to_contain_text(
        "2 penjualan terbaca, 0 baris ditolak."
    )
    await form.get_by_role("button", name="Impor").click()


async def test_pengurus_makes_and_revokes_a_key_and_uploads_sales(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    page = await _pengurus(browser, server, running_server, phones, BINA_USAHA, "Sari Integrasi")
    errors = _csp_violations(page)
    tag = uuid.uuid4().hex[:6].upper()
    app = f"Kasir Lama {tag}"

    await page.goto("/toko")
    await page.get_by_role("link", name="Integrasi toko").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Integrasi toko")
    await expect(page.get_by_role("heading", name="Penjualan terlambat")).to_be_visible()

    # A key: shown once, with the warning and a copy button.
    form = page.locator("#token-form")
    await form.get_by_label("Nama aplikasi").fill(app)
    await form.get_by_label("Toko/gerai penjualannya").select_option("T01")
    await form.get_by_role("button", name="Buat kunci").click()
    once = page.locator("#token-once")
    await expect(once).to_be_visible()
    await expect(once).to_contain_text("hanya tampil sekali")
    key = await page.get_by_label("Kunci API baru").input_value()
    assert key.startswith("kor_") and len(key) > 30
    await expect(page.get_by_role("button", name="Salin kunci")).to_be_visible()
    item = page.locator(".token-item", has_text=app)
    await expect(item).to_contain_text(key[:12])
    await _fits(page, PATH)

    # Never again.
    await page.reload()
    await expect(page.locator("#token-once")).to_be_hidden()
    assert key not in await page.content()

    # Revoked, after saying yes.
    asked: list[str] = []

    async def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.accept()

    page.once("dialog", accept)
    await page.get_by_role("button", name=f"Cabut kunci {app}").click()
    await expect(page.locator("#message-status")).to_have_text(f"Kunci “{app}” dicabut.")
    await expect(page.locator(".token-item", has_text=app)).to_contain_text("Dicabut")
    assert asked and app in asked[0]

    # A CSV: recorded once; the same file again adds nothing.
    body = (
        "id_transaksi,waktu,sku,jumlah,harga,diskon,cara_bayar,nomor_anggota\n"
        f"E2E-{tag}-1,2026-11-28 09:00,GLA-1KG,2,17.500,0,tunai,\n"
        f"E2E-{tag}-2,2026-11-28 09:10,GLA-1KG,1,17500,500,qris,\n"
    ).encode()
    await _upload(page, f"penjualan-{tag}.csv", body)
    result = page.locator("#sales-result")
    await expect(result).to_contain_text("2 tercatat, 0 sudah ada, 0 ditolak.")
    table = result.get_by_role("table", name=f"Hasil impor penjualan-{tag}.csv")
    await expect(table.locator("tbody tr", has_text=f"E2E-{tag}-1")).to_contain_text("Tercatat")
    await _fits(page, PATH)

    await _upload(page, f"penjualan-{tag}.csv", body)
    await expect(result).to_contain_text("0 tercatat, 2 sudah ada, 0 ditolak.")
    await expect(table.locator("tbody tr", has_text=f"E2E-{tag}-2")).to_contain_text("Sudah ada")
    assert errors == []


async def test_integration_page_passes_axe(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    # axe is injected as a script, which the page's strict CSP would (rightly) refuse.
    page = await _pengurus(
        browser, server, running_server, phones, BINA_USAHA, "Rudi Periksa", bypass_csp=True
    )
    await page.goto(PATH)
    await expect(page.locator("#token-form")).to_be_visible()
    await _axe(page, f"{PATH} at 390 px")
