"""Loans in a real browser: a pengurus adds a loan product; a member, on a 390 px phone,
applies with the schedule previewed first; the pengurus opens the application, sees its
schedule, approves, pays it out and records an installment whose split is shown before it
is saved; the member then sees what is left and when the next installment is due. axe
finds nothing serious on either page.

These tests use a koperasi no other end-to-end test uses (KSP Artha Mandiri, whose demo
loans make the lists, arrears and collectibility non-empty)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Browser, Dialog, Page, expect

from backend.formatting import long_date
from backend.loans.domain import add_months

from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "ksp-artha-mandiri"
KOPERASI_NAME = "KSP Artha Mandiri"
MEMBER = "A-0001"
PRODUCT = "Pinjaman Kilat Uji"
PHONE = {"width": 390, "height": 844}


def _accept_dialogs(page: Page, seen: list[str]) -> None:
    """Say yes to every confirmation (Playwright would dismiss it), noting its text."""

    async def accept(dialog: Dialog) -> None:
        seen.append(dialog.message)
        await dialog.accept()

    page.on("dialog", accept)


async def _no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


async def test_apply_approve_disburse_pay(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    today = (datetime.now(UTC) + timedelta(hours=7)).date()  # the region's wall clock (WIB)
    people: list[Person] = []
    try:
        pengurus = await _person(browser, server, bypass_csp=True)
        people.append(pengurus)
        link = _link(
            running_server.koroena(
                "invite", "--koperasi", KOPERASI, "--role", "pengurus", "--name", "Pengurus Artha"
            )
        )
        await _register(pengurus, link, "HP Pengurus")
        desk = pengurus.page
        confirmations: list[str] = []
        _accept_dialogs(desk, confirmations)

        # The pengurus adds a product (no savings limit, 2% a month flat).
        await desk.goto("/pinjaman/kelola")
        await expect(desk.get_by_role("heading", level=1)).to_have_text("Pinjaman")
        await expect(desk.get_by_text(KOPERASI_NAME).first).to_be_visible()
        await expect(desk.get_by_role("heading", name="Tunggakan pinjaman")).to_be_visible()
        await expect(desk.get_by_role("heading", name="Kolektibilitas dan PPAP")).to_be_visible()
        await _axe(desk, "/pinjaman/kelola")
        form = desk.locator("#product-form")
        await form.get_by_label("Nama produk").fill(PRODUCT)
        await form.get_by_label("Metode bunga").select_option(label="Bunga flat")
        await form.get_by_label("Bunga per bulan (%)").fill("2")
        await form.get_by_label("Jangka waktu terpendek (bulan)").fill("1")
        await form.get_by_label("Jangka waktu terpanjang (bulan)").fill("12")
        await form.get_by_label("Pinjaman terkecil (Rp)").fill("100000")
        await form.get_by_label("Pinjaman terbesar (Rp)").fill("5000000")
        await form.get_by_label("Provisi (% dari pinjaman)").fill("0")
        await form.get_by_label("Biaya administrasi (Rp)").fill("10000")
        await form.get_by_label("Denda keterlambatan (% per hari)").fill("0,1")
        await form.get_by_label("Batas: kelipatan simpanan anggota").fill("0")
        await form.get_by_role("button", name="Simpan produk").click()
        await expect(desk.locator("#done-message")).to_have_text("Produk pinjaman disimpan.")
        await expect(desk.get_by_role("row", name=re.compile(PRODUCT))).to_be_visible()

        # The member applies on a phone: the schedule first, then the application.
        anggota = await _person(browser, server, bypass_csp=True)
        people.append(anggota)
        await anggota.page.set_viewport_size(PHONE)
        link = _link(
            running_server.koroena(
                "invite",
                "--koperasi",
                KOPERASI,
                "--role",
                "anggota",
                "--name",
                "Anggota Artha",
                "--member",
                MEMBER,
            )
        )
        await _register(anggota, link, "HP Anggota")
        phone = anggota.page
        await phone.goto("/pinjaman")
        await expect(phone.get_by_role("heading", level=1)).to_have_text("Pinjaman saya")
        apply = phone.locator("#apply-form")
        await apply.get_by_label("Produk pinjaman").select_option(label=PRODUCT)
        await expect(phone.locator("#apply-product-hint")).to_contain_text("bunga 2% per bulan")
        await apply.get_by_label("Jumlah pinjaman (Rp)").fill("1200000")
        await expect(phone.locator("#apply-amount-hint")).to_have_text("Jumlah: Rp 1.200.000")
        await apply.get_by_label("Jangka waktu (bulan)").fill("6")
        await apply.get_by_label("Keperluan").fill("Modal jualan")
        send = apply.get_by_role("button", name="Kirim pengajuan")
        await expect(send).to_be_disabled()
        await apply.get_by_role("button", name="Lihat simulasi").click()
        preview = phone.locator("#apply-preview")
        await expect(preview).to_be_visible()
        # 1.200.000 / 6 = 200.000 principal + 2% x 1.200.000 = 24.000 interest.
        rows = preview.locator("tbody tr")
        await expect(rows).to_have_count(6)
        await expect(rows.first).to_contain_text("Rp 224.000")
        await expect(preview).to_contain_text("Rp 1.190.000")  # received after Rp 10.000
        await expect(send).to_be_enabled()
        await _no_sideways_scroll(phone)
        await _axe(phone, "/pinjaman with a preview")
        await send.click()
        await expect(phone.locator("#done-message")).to_contain_text("Pengajuan pinjaman terkirim")
        mine = phone.locator("section.loan", has_text=PRODUCT)
        await expect(mine).to_contain_text("Diajukan")
        heading = await mine.get_by_role("heading", level=2).inner_text()
        code = heading.split(" · ")[0]
        assert re.fullmatch(r"P-\d{6}", code), heading

        # The pengurus opens the application: its schedule, then approve and pay out.
        await desk.goto("/pinjaman/kelola")
        await desk.locator("#waiting-heading").scroll_into_view_if_needed()
        await desk.get_by_role("link", name=code).click()
        panel = desk.locator("#loan-panel")
        await expect(panel.get_by_role("heading", level=2)).to_contain_text(code)
        await expect(panel).to_contain_text("Simulasi jadwal angsuran (jika dicairkan hari ini)")
        await expect(panel.locator("table.schedule tbody tr")).to_have_count(6)
        await panel.get_by_role("button", name="Setujui").click()
        await expect(desk.locator("#done-message")).to_have_text(
            "Pengajuan disetujui. Pinjaman siap dicairkan."
        )
        await panel.get_by_role("button", name="Cairkan").click()
        await expect(desk.locator("#done-message")).to_have_text(
            "Pinjaman dicairkan dan dicatat di jurnal."
        )
        assert any("diterima Rp 1.190.000" in text for text in confirmations), confirmations
        panel = desk.locator("#loan-panel")
        await expect(panel.locator(".balance-amount").first).to_have_text("Rp 1.200.000")

        # An installment: the split first, then the payment.
        pay = panel.locator("#payment-form")
        await expect(pay.get_by_label("Jumlah dibayar (Rp)")).to_have_value("224000")
        await pay.get_by_role("button", name="Hitung pembagian").click()
        split = panel.locator("#payment-split")
        await expect(split).to_contain_text("Denda Rp 0, bunga Rp 24.000, pokok Rp 200.000.")
        await expect(split).to_contain_text("Sisa pokok sesudahnya Rp 1.000.000.")
        await desk.set_viewport_size(PHONE)
        await _no_sideways_scroll(desk)
        await _axe(desk, "/pinjaman/kelola with a loan and a split")
        await pay.get_by_role("button", name="Simpan pembayaran").click()
        await expect(desk.locator("#done-message")).to_have_text(
            "Pembayaran tercatat dan dibukukan."
        )
        panel = desk.locator("#loan-panel")
        await expect(panel.locator(".balance-amount").first).to_have_text("Rp 1.000.000")
        await expect(panel.locator("#payments")).to_contain_text("PA-")

        # The member sees what is left and the next due date.
        await phone.goto("/pinjaman")
        mine = phone.locator("section.loan", has_text=code)
        await expect(mine.locator(".balance-amount").first).to_have_text("Rp 1.000.000")
        await expect(mine.locator(".balance-amount").nth(1)).to_have_text("Rp 224.000")
        next_due = add_months(today, 2, today.day)
        await expect(mine.locator(".next-due")).to_have_text(f"jatuh tempo {long_date(next_due)}")
        await expect(mine).to_contain_text("Berjalan")
        await _no_sideways_scroll(phone)
        await _axe(phone, "/pinjaman with a running loan")
    finally:
        for person in people:
            await person.context.close()
