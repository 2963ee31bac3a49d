"""Savings in a real browser: a kasir records a deposit at the counter (/simpanan/loket) and
opens its receipt, which prints 58 mm wide; the member, signed in on a 390 px phone, sees
the balance and the history on /simpanan and loads older history with "Muat lagi".

These tests use a koperasi of their own (Sumber Rejeki): the server is shared with the other
end-to-end tests."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "kopprod-sumber-rejeki"
KOPERASI_NAME = "Koperasi Produsen Tahu Tempe Sumber Rejeki"
MEMBER = "A-0002"
PHONE = {"width": 390, "height": 844}
MM_58 = 58 / 25.4 * 96  # CSS pixels


def _rupiah(amount: int) -> str:
    return f"Rp {amount:,}".replace(",", ".")


def _rupiah_value(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


async def _record_more(page: Page, count: int) -> None:
    """More small deposits through the API, with the page's session and CSRF token."""
    await page.evaluate(
        """async ([member, count]) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            for (let i = 0; i < count; i += 1) {
                const response = await fetch("/api/v1/savings/movements", {
                    method: "POST",
                    headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
                    body: JSON.stringify({
                        member_number: member, kind: "sukarela", movement: "setor",
                        amount: 1000 + i,
                    }),
                });
                if (response.status !== 201) throw new Error(await response.text());
            }
        }""",
        [MEMBER, count],
    )


async def test_counter_deposit_receipt_and_the_members_page(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    people: list[Person] = []
    try:
        kasir = await _person(browser, server, bypass_csp=True)  # axe below
        people.append(kasir)
        link = _link(
            running_server.koroena(
                "invite", "--koperasi", KOPERASI, "--role", "kasir", "--name", "Kasir Rejeki"
            )
        )
        await _register(kasir, link, "HP Kasir")
        page = kasir.page

        # The counter: find the member, record a deposit, open its receipt.
        await page.goto("/simpanan")  # counter staff are sent on to the counter
        await expect(page).to_have_url(re.compile(r"/simpanan/loket$"))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Loket simpanan")
        await expect(page.get_by_text(KOPERASI_NAME).first).to_be_visible()
        await _axe(page, "/simpanan/loket")
        # The demo's year of books gave the member some history; make it longer than a page.
        await _record_more(page, 21)
        await page.get_by_label("Nama atau nomor anggota").fill(MEMBER)
        results = page.locator("#member-results")
        choice = results.get_by_role("button", name=re.compile(f"^{MEMBER} · "))
        await expect(choice).to_have_count(1)
        await expect(results.get_by_role("button")).to_have_count(1)
        await choice.click()
        member = page.locator("#member-panel")
        await expect(member).to_be_visible()
        await expect(member.get_by_role("heading", level=2)).to_contain_text(f"({MEMBER})")
        await expect(page.locator("#member-heading")).to_be_focused()
        balance = member.locator('[data-balance="sukarela"]')
        await expect(balance).to_have_text(re.compile(r"^Rp [\d.]+$"))
        after = _rupiah_value(await balance.inner_text()) + 150_000
        form = page.locator("#movement-form")
        await form.get_by_label("Jenis simpanan").select_option(label="Simpanan sukarela")
        await expect(form.get_by_label("Setor")).to_be_checked()
        await form.get_by_label("Jumlah (Rp)").fill("150000")
        await expect(page.locator("#movement-amount-hint")).to_have_text("Jumlah: Rp 150.000")
        await form.get_by_role("button", name="Simpan transaksi").click()
        await expect(member.get_by_role("status")).to_contain_text(
            "Setoran simpanan sukarela sebesar Rp 150.000"
        )
        receipt_link = form.get_by_role("link", name=re.compile(r"^Lihat kuitansi S-\d{6}$"))
        await expect(receipt_link).to_be_focused()
        await expect(balance).to_have_text(_rupiah(after))
        # The counter on a phone too: nothing wider than the screen (the table scrolls).
        await page.set_viewport_size(PHONE)
        assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        await _axe(page, "/simpanan/loket with a member")
        await receipt_link.click()
        await expect(page).to_have_url(re.compile(r"/simpanan/kuitansi/\d+$"))
        receipt = page.locator("#receipt")
        await expect(receipt.get_by_role("heading", level=1)).to_have_text("KUITANSI SIMPANAN")
        await expect(receipt).to_contain_text(KOPERASI_NAME)
        await expect(receipt).to_contain_text("Rp 150.000")
        await expect(receipt).to_contain_text("Kasir Rejeki")
        await expect(page.get_by_role("button", name="Cetak")).to_be_visible()
        share = page.get_by_role("link", name="Bagikan")
        href = await share.get_attribute("href")
        assert href is not None and href.startswith("https://wa.me/?text=")
        await _axe(page, "a receipt")

        # On paper: only the receipt, 58 mm wide.
        await page.emulate_media(media="print")
        width = await receipt.evaluate("(node) => parseFloat(getComputedStyle(node).width)")
        assert abs(width - MM_58) < 1, width
        await expect(page.locator(".topbar")).to_be_hidden()
        await expect(page.get_by_role("button", name="Cetak")).to_be_hidden()
        await page.emulate_media(media="screen")
        await expect(page.get_by_role("button", name="Cetak")).to_be_visible()
        assert await receipt.evaluate("(node) => node.getBoundingClientRect().width") > MM_58

        # The member, on a phone 390 px wide.
        anggota = await _person(browser, server)
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
                "Anggota Rejeki",
                "--member",
                MEMBER,
            )
        )
        await _register(anggota, link, "HP Anggota")
        phone = anggota.page
        await phone.goto("/simpanan")
        await expect(phone.get_by_role("heading", level=1)).to_have_text("Simpanan saya")
        sukarela = phone.locator(".balance-sukarela .balance-amount")
        await expect(sukarela).to_have_text(_rupiah(after))
        await expect(phone.locator(".balance-wajib .balance-note")).to_be_visible()
        history = phone.locator("#history-list > li")
        await expect(history).to_have_count(20)
        await expect(history.first).to_contain_text("+Rp 150.000")
        await expect(history.first).to_contain_text(f"Saldo {_rupiah(after)}")
        # Nothing wider than the phone.
        assert await phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        more = phone.get_by_role("button", name="Muat lagi")
        for _ in range(5):
            if not await more.is_visible():
                break
            shown = await history.count()
            await more.click()
            await expect(history).not_to_have_count(shown)
        assert await history.count() > 21
        await expect(more).to_be_hidden()
        await expect(phone.get_by_text("Semua riwayat sudah tampil.")).to_be_visible()
        # The oldest movement is the pokok paid at the start of the demo's books.
        await expect(history.last).to_contain_text("Simpanan pokok")
        await history.first.get_by_role("link").click()
        await expect(phone.locator("#receipt")).to_contain_text("Rp 150.000")
        assert await phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        for person in people:
            await person.context.close()
