"""SHU in a real browser on a 390 px phone: a pengurus opens /shu for last year (closed in
the demo's books), sees the preview, changes the allocation (the live total must reach
100%), reads a member's explanation, downloads the RAT pack and books the distribution into
the members' sukarela after a confirmation; the member, on their phone, reads their SHU and
how it was derived on /shu/saya. axe finds nothing serious on either page.

This test uses a koperasi of its own (Onde-Onde Kranggan): the server is shared with the
other end-to-end tests."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.async_api import Browser, Dialog, Page, expect

from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "koppas-onde-onde-kranggan"
KOPERASI_NAME = "Koperasi Pemasaran Onde-Onde Kranggan"
MEMBER = "A-0001"
PHONE = {"width": 390, "height": 844}


async def _fits(page: Page, what: str) -> None:
    """Nothing is wider than the phone (wide tables scroll inside their own box)."""
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what}: {width} px wide"


async def _api(page: Page, method: str, path: str) -> object:
    """A call with the page's session and CSRF token; the answer's JSON."""
    return await page.evaluate(
        """async ([method, path]) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const response = await fetch(path, {
                method, headers: { "X-CSRF-Token": token, Accept: "application/json" },
            });
            if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
            return response.json();
        }""",
        [method, path],
    )


async def _accept(messages: list[str], dialog: Dialog) -> None:
    messages.append(dialog.message)
    await dialog.accept()


async def test_pengurus_books_the_shu_and_the_member_reads_it(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    year = date.today().year - 1
    people: list[Person] = []
    try:
        pengurus = await _person(browser, server, bypass_csp=True)  # axe below
        people.append(pengurus)
        link = _link(
            running_server.koroena(
                "invite", "--koperasi", KOPERASI, "--role", "pengurus", "--name", "Pengurus SHU"
            )
        )
        await _register(pengurus, link, "HP Pengurus")
        page = pengurus.page
        await page.set_viewport_size(PHONE)
        await page.goto("/shu")
        # The demo closes its books up to the month before last: in January last year's
        # December is still open, and closing it is the pengurus' own step.
        years = await _api(page, "GET", "/api/v1/shu/years")
        assert isinstance(years, list)
        if year not in [item["year"] for item in years]:
            await _api(page, "POST", f"/api/v1/books/periods/{year}-12/close")

        await page.goto(f"/shu?tahun={year}")
        await expect(page.get_by_role("heading", level=1)).to_have_text("SHU dan paket RAT")
        await expect(page.get_by_text(KOPERASI_NAME).first).to_be_visible()
        await expect(page.get_by_role("link", name="SHU & RAT")).to_have_attribute(
            "aria-current", "page"
        )
        await expect(page.get_by_label("Tahun buku", exact=True)).to_have_value(str(year))
        await expect(page.locator("#shu-status")).to_contain_text("Pratinjau")
        summary = page.locator("section", has=page.get_by_role("heading", name=f"SHU tahun {year}"))
        await expect(summary.get_by_role("table")).to_contain_text("Cadangan")
        await _axe(page, "/shu")
        await _fits(page, "/shu")

        # The allocation: the total follows the fields and must be exactly 100%.
        form = page.locator("#allocation-form")
        total = page.locator("#allocation-total")
        await expect(total).to_have_text("Jumlah: 100%")
        await form.get_by_label("Cadangan (%)").fill("39")
        await expect(total).to_have_text("Jumlah: 99%. Harus tepat 100%.")
        await form.get_by_role("button", name="Simpan ketentuan").click()
        allocation = page.locator(
            "section", has=page.get_by_role("heading", name="Ketentuan pembagian")
        )
        await expect(allocation.get_by_role("alert")).to_have_text(
            "Jumlah semua persentase harus tepat 100%."
        )
        await form.get_by_label("Cadangan (%)").fill("35")
        await form.get_by_label("Dana pembangunan daerah kerja (%)").fill("5")
        await expect(total).to_have_text("Jumlah: 100%")
        await form.get_by_label("Dimasukkan ke simpanan sukarela anggota").check()
        await form.get_by_role("button", name="Simpan ketentuan").click()
        await expect(page.get_by_text("Ketentuan pembagian disimpan.")).to_be_visible()
        await expect(page.get_by_label("Cadangan (%)")).to_have_value("35")
        await expect(page.locator(".components")).to_contain_text("Dana pembangunan daerah kerja")
        await _fits(page, "/shu after saving")

        # A member's explanation, from the list.
        members = page.locator(".shares")
        await members.get_by_role("link", name=re.compile(f"^{MEMBER} · ")).click()
        detail = page.locator("section", has=page.locator("#rincian"))
        await expect(detail.get_by_role("heading", level=2)).to_contain_text(f"({MEMBER})")
        explanation = detail.locator(".explanation li")
        await expect(explanation.first).to_contain_text(f"SHU koperasi tahun {year}: Rp ")
        await expect(detail).to_contain_text("Jasa modal: 20% dari SHU")
        await expect(detail).to_contain_text("Hitungannya Rp ")
        await expect(detail).to_contain_text("Belum dibagikan")
        share = await detail.locator(".facts dd").nth(2).inner_text()
        await _axe(page, "/shu with a member's explanation")
        await _fits(page, "/shu with a member's explanation")

        # The RAT pack.
        async with page.expect_download() as waiting:
            await page.get_by_role("link", name=f"Unduh paket RAT {year} sebagai PDF").click()
        download = await waiting.value
        assert download.suggested_filename == f"paket-rat-{year}-{KOPERASI}.pdf"
        saved = await download.path()
        assert saved is not None and saved.read_bytes().startswith(b"%PDF")

        # Book it: a confirmation first, then the page says it is booked.
        dialogs: list[str] = []
        page.once("dialog", lambda dialog: dialog.dismiss())
        await page.get_by_role("button", name="Bukukan pembagian SHU").click()
        await expect(page.locator("#post-form")).to_be_visible()  # dismissed: nothing changed
        page.once("dialog", lambda dialog: _accept(dialogs, dialog))
        await page.get_by_role("button", name="Bukukan pembagian SHU").click()
        await expect(page.get_by_text("Pembagian SHU sudah dibukukan.")).to_be_visible()
        assert dialogs and dialogs[0].startswith(f"Bukukan pembagian SHU tahun {year} sebesar Rp ")
        await expect(page.locator("#shu-status")).to_contain_text("sudah dibukukan pada")
        await expect(page.locator("#post-form")).to_have_count(0)
        await expect(page.locator("#allocation-form")).to_have_count(0)
        await expect(page.get_by_label("Tahun buku", exact=True)).to_contain_text(
            f"{year} (sudah dibagikan)"
        )
        await _axe(page, "/shu after booking")
        await _fits(page, "/shu after booking")

        # The member, on their phone.
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
                "Anggota SHU",
                "--member",
                MEMBER,
            )
        )
        await _register(anggota, link, "HP Anggota")
        phone = anggota.page
        await phone.get_by_role("link", name="SHU saya").click()
        await expect(phone).to_have_url(re.compile(r"/shu/saya$"))
        await expect(phone.get_by_role("heading", level=1)).to_have_text("SHU saya")
        mine = phone.locator("section", has=phone.get_by_role("heading", name=f"SHU tahun {year}"))
        await expect(mine.locator(".big-amount")).to_have_text(share)
        await expect(mine.get_by_role("heading", name="Cara menghitungnya")).to_be_visible()
        await expect(mine).to_contain_text("Jasa modal: 20% dari SHU")
        await expect(mine).to_contain_text("Sudah dimasukkan ke simpanan sukarela Anda pada")
        await _axe(phone, "/shu/saya")
        await _fits(phone, "/shu/saya")
        receipt = mine.get_by_role("link", name=re.compile(r"^Lihat kuitansi S-\d{6}$"))
        await receipt.click()
        await expect(phone.locator("#receipt")).to_contain_text(share)
    finally:
        for person in people:
            await person.context.close()
