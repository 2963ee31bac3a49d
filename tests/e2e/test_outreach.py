"""Education and training in a real browser on a 390 px phone (decision 0017):

- A Dinas officer writes an article, attaches a PDF and publishes it; someone not signed
  in opens it once online, loses the signal, reloads: the article and its PDF are still
  there (the service worker's education cache).
- The officer plans a training that is under way and opens registration; a member
  registers on /pelatihan; the officer marks them present; the member sees it.

Every page passes axe and none scrolls sideways. The data (an article, a training, a
member of KPRI Majapahit) is this test's own: the server is shared with the other tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect

from backend.outreach.domain import REGION_TZ
from backend.supervision.demo import sample_pdf

from ._support import TIMEOUT_MS, wait_for_service_worker
from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PHONE: ViewportSize = {"width": 390, "height": 844}
KOPERASI = "kpri-majapahit"  # Wilwatikta and Kranggan: test_people counts their people
ARTICLE = "Menyusun Neraca Koperasi Kecil"
SLUG = "menyusun-neraca-koperasi-kecil"
PDF_NAME = "contoh-neraca.pdf"
TRAINING = "Diklat Tata Kelola RAT"
MEMBER_NAME = "Bu Diklat"


def _accept(page: Page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())


async def _no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


async def _officer(
    browser: Browser, server: str, running_server: RunningServer, name: str
) -> Person:
    person = await _person(browser, server, bypass_csp=True)  # axe is injected
    link = _link(
        running_server.koroena("create-admin", "--region", "kota-mojokerto", "--name", name)
    )
    await _register(person, link, f"HP {name}")
    await person.page.set_viewport_size(PHONE)
    return person


async def _education_cache(page: Page) -> list[str]:
    paths: list[str] = await page.evaluate(
        """async () => {
            const cache = await caches.open("koroena-edukasi-v1");
            return (await cache.keys()).map((r) => decodeURIComponent(new URL(r.url).pathname));
        }"""
    )
    return paths


async def _wait_education_cached(page: Page, *paths: str) -> None:
    for _ in range(100):
        cached = await _education_cache(page)
        if all(p in cached for p in paths):
            return
        await page.wait_for_timeout(100)
    raise AssertionError(f"{paths} not in the education cache: {await _education_cache(page)}")


async def test_an_article_opened_once_reads_offline(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    people: list[Person] = []
    reader: BrowserContext | None = None
    try:
        officer = await _officer(browser, server, running_server, "Petugas Edukasi")
        people.append(officer)
        page = officer.page
        await page.goto("/akun")
        await (
            page.get_by_role("navigation", name="Navigasi utama")
            .get_by_role("link", name="Berita & diklat")
            .click()
        )
        await expect(page).to_have_url(re.compile(r"/berita$"))
        await (
            page.get_by_role("navigation", name="Berita dan diklat")
            .get_by_role("link", name="Edukasi")
            .click()
        )
        await expect(page.get_by_role("heading", level=1)).to_have_text("Meja edukasi")

        form = page.locator("#article-form")
        await form.get_by_label("Judul").fill(ARTICLE)
        await form.get_by_label("Topik").select_option(label="Pembukuan dan keuangan")
        await form.get_by_label("Ringkasan").fill("Langkah demi langkah menyusun neraca.")
        await form.get_by_label("Isi").fill(
            "## Langkah pertama\n\nKumpulkan **saldo akhir** setiap akun.\n\n"
            "- kas\n- piutang\n\n<script>alert('x')</script>"
        )
        await form.get_by_label("Tautan").fill("Panduan | http://tidak-aman.example")
        await form.get_by_role("button", name="Simpan draf").click()
        await expect(form.get_by_role("alert")).to_contain_text("https://")
        await expect(form.get_by_label("Tautan")).to_have_attribute("aria-invalid", "true")
        await form.get_by_label("Tautan").fill("Panduan SAK EP | https://iaiglobal.or.id/")
        await form.get_by_role("button", name="Simpan draf").click()
        await expect(page).to_have_url(re.compile(r"\?ubah=\d+&pesan=dibuat$"))
        await expect(page.locator("#message-status")).to_contain_text("Materi disimpan")

        upload = page.locator("#attachment-form")
        await upload.get_by_label("Berkas PDF").set_input_files(
            {"name": "palsu.pdf", "mimeType": "application/pdf", "buffer": b"bukan pdf"}
        )
        await upload.get_by_role("button", name="Lampirkan PDF").click()
        await expect(upload.get_by_role("alert")).to_contain_text("Unggah berkas PDF")
        await upload.get_by_label("Berkas PDF").set_input_files(
            {
                "name": PDF_NAME,
                "mimeType": "application/pdf",
                "buffer": sample_pdf("Contoh neraca", ["Kas", "Piutang"]),
            }
        )
        await upload.get_by_role("button", name="Lampirkan PDF").click()
        await expect(page.locator("#message-status")).to_have_text("PDF dilampirkan.")
        await expect(page.get_by_role("link", name=PDF_NAME)).to_be_visible()
        await _axe(page, "/pengawasan/edukasi (editing)")
        await _no_sideways_scroll(page)
        _accept(page)
        await page.get_by_role("button", name="Terbitkan").click()
        await expect(page.locator("#message-status")).to_have_text(
            "Materi terbit dan diumumkan ke wilayah Anda."
        )

        # Someone with no account, on a phone.
        reader = await browser.new_context(base_url=server, bypass_csp=True, viewport=PHONE)
        reader.set_default_timeout(TIMEOUT_MS)
        phone = await reader.new_page()
        await phone.goto("/edukasi")
        await wait_for_service_worker(phone)
        await (
            phone.get_by_role("navigation", name="Topik")
            .get_by_role("link", name="Pembukuan dan keuangan")
            .click()
        )
        await phone.get_by_role("link", name=ARTICLE).click()
        heading = phone.get_by_role("heading", level=1)
        await expect(heading).to_have_text(ARTICLE)
        body = phone.locator(".prose")
        await expect(body.get_by_role("heading", name="Langkah pertama")).to_be_visible()
        await expect(body).to_contain_text("<script>alert('x')</script>")  # shown, not run
        await expect(phone.get_by_role("link", name=PDF_NAME)).to_be_visible()
        await _axe(phone, f"/edukasi/{SLUG}")
        await _no_sideways_scroll(phone)
        pdf_path = await phone.get_by_role("link", name=PDF_NAME).get_attribute("href")
        assert pdf_path is not None
        await _wait_education_cached(phone, f"/edukasi/{SLUG}", f"{pdf_path}")

        await reader.set_offline(True)
        await phone.reload()
        await expect(heading).to_have_text(ARTICLE)
        await expect(body).to_contain_text("saldo akhir")
        await expect(phone.locator("#offline-banner")).to_be_visible()
        start: str = await phone.evaluate(
            """async (path) => {
                const response = await fetch(path);
                const bytes = new Uint8Array(await response.arrayBuffer());
                return response.status + " " + String.fromCharCode(...bytes.slice(0, 5));
            }""",
            pdf_path,
        )
        assert start == "200 %PDF-", start
        # A page never opened is not there: the offline page says so.
        await phone.goto("/edukasi/belum-pernah-dibuka")
        await expect(heading).to_have_text("Anda sedang offline")
    finally:
        if reader is not None:
            await reader.close()
        for person in people:
            await person.context.close()


def _local(moment: datetime) -> str:
    return moment.astimezone(REGION_TZ).strftime("%Y-%m-%dT%H:%M")


async def test_a_member_registers_and_the_dinas_marks_attendance(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    people: list[Person] = []
    try:
        officer = await _officer(browser, server, running_server, "Petugas Diklat")
        people.append(officer)
        desk = officer.page
        await desk.goto("/pengawasan/pelatihan")
        await expect(desk.get_by_role("heading", level=1)).to_have_text("Meja pelatihan")
        # Under way: started an hour ago, so attendance can be marked today.
        now = datetime.now(UTC)
        form = desk.locator("#training-form")
        await form.get_by_label("Judul").fill(TRAINING)
        await form.get_by_label("Keterangan").fill("Persiapan RAT untuk **pengurus** dan anggota.")
        await form.get_by_label("Mulai").fill(_local(now - timedelta(hours=1)))
        await form.get_by_label("Selesai").fill(_local(now + timedelta(hours=5)))
        await form.get_by_label("Batas pendaftaran").fill(_local(now + timedelta(hours=4)))
        await form.get_by_label("Tempat").fill("Aula Dinas Koperasi Kota Mojokerto")
        await form.get_by_label("Kuota peserta").fill("25")
        await form.get_by_label("Koperasi Konsumen Pegawai Republik Indonesia Majapahit").check()
        await form.get_by_label("Umumkan juga di halaman publik").check()
        await _axe(desk, "/pengawasan/pelatihan")
        await _no_sideways_scroll(desk)
        await form.get_by_role("button", name="Simpan draf pelatihan").click()
        await expect(desk).to_have_url(re.compile(r"/pengawasan/pelatihan/\d+\?pesan=dibuat$"))
        await expect(desk.get_by_role("heading", level=1)).to_have_text(TRAINING)
        _accept(desk)
        await desk.get_by_role("button", name="Buka pendaftaran").click()
        await expect(desk.locator("#message-status")).to_have_text("Status pelatihan diubah.")
        await expect(desk.locator("#summary-heading + .tag")).to_have_text("Pendaftaran dibuka")
        manage_url = desk.url.split("?")[0]

        # The member, on a phone.
        member = await _person(browser, server, bypass_csp=True)
        people.append(member)
        await member.page.set_viewport_size(PHONE)
        link = _link(
            running_server.koroena(
                "invite",
                "--koperasi",
                KOPERASI,
                "--role",
                "anggota",
                "--name",
                MEMBER_NAME,
                "--member",
                "A-0002",
            )
        )
        await _register(member, link, "HP Bu Diklat")
        phone = member.page
        await phone.goto("/berita")
        await phone.get_by_role("link", name="Pelatihan", exact=True).first.click()
        await expect(phone.get_by_role("heading", level=1)).to_have_text("Pelatihan")
        card = phone.locator("article.training", has_text=TRAINING)
        await expect(card).to_contain_text("Aula Dinas Koperasi Kota Mojokerto")
        await expect(card).to_contain_text("Kuota 25 orang · 0 terdaftar · sisa 25")
        await _axe(phone, "/pelatihan (before registering)")
        await _no_sideways_scroll(phone)
        await card.get_by_role("button", name=f"Daftar {TRAINING}").click()
        await expect(phone.locator("#message-status")).to_have_text("Pendaftaran Anda tercatat.")
        card = phone.locator("article.training", has_text=TRAINING)
        await expect(card).to_contain_text("Status Anda: Terdaftar")
        mine = phone.locator("#mine-heading + div")
        await expect(mine).to_contain_text(TRAINING)
        await _axe(phone, "/pelatihan (registered)")
        await _no_sideways_scroll(phone)

        # The officer marks the member present.
        await desk.goto(manage_url)
        seated = desk.locator("#attendance-form")
        await expect(seated).to_contain_text(MEMBER_NAME)
        await seated.get_by_label(f"Kehadiran {MEMBER_NAME}").select_option(label="Hadir")
        await seated.get_by_role("button", name="Simpan kehadiran").click()
        await expect(desk.locator("#message-status")).to_have_text("Kehadiran disimpan.")
        await expect(desk.get_by_label(f"Kehadiran {MEMBER_NAME}")).to_have_value("hadir")
        await _axe(desk, "/pengawasan/pelatihan/{id}")
        await _no_sideways_scroll(desk)
        async with desk.expect_download() as download_info:
            await desk.get_by_role("link", name="Unduh daftar hadir (Excel)").click()
        download = await download_info.value
        assert download.suggested_filename.startswith("daftar-hadir-pelatihan-")

        await phone.reload()
        card = phone.locator("article.training", has_text=TRAINING)
        await expect(card).to_contain_text("Status Anda: Terdaftar · Hadir")
    finally:
        for person in people:
            await person.context.close()
