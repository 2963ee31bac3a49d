"""The legality record in a real browser on a 390 px phone: a pengurus fills in the profile
and uploads a document (a text file named .pdf is refused with the server's reason), the
Dinas officer finds the koperasi in the region's compliance calendar, opens its record,
sees what the pengurus entered and verifies the profile and the document; the pengurus
then sees "Terverifikasi". Every page passes axe and none scrolls sideways.

This test uses a koperasi of its own (Onde-Onde Kranggan, whose record the demo leaves
empty): the server is shared with the other end-to-end tests."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from backend.supervision.demo import sample_pdf

from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "koppas-onde-onde-kranggan"
KOPERASI_NAME = "Koperasi Pemasaran Onde-Onde Kranggan"
PHONE: ViewportSize = {"width": 390, "height": 844}
BADAN_HUKUM = "518/21/BH/XVI.30/2017"


async def _no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


async def _signed_in(
    browser: Browser, server: str, people: list[Person], link: str, device: str
) -> Page:
    person = await _person(browser, server, bypass_csp=True)  # axe is injected
    people.append(person)
    await _register(person, link, device)
    await person.page.set_viewport_size(PHONE)
    return person.page


async def test_pengurus_fills_in_the_record_and_the_dinas_verifies_it(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    people: list[Person] = []
    try:
        pengurus = await _signed_in(
            browser,
            server,
            people,
            _link(
                running_server.koroena(
                    "invite", "--koperasi", KOPERASI, "--role", "pengurus", "--name", "Bu Rekam"
                )
            ),
            "HP Bu Rekam",
        )
        page = pengurus
        await page.goto("/akun")
        await (
            page.get_by_role("navigation", name="Navigasi utama")
            .get_by_role("link", name="Rekam koperasi")
            .click()
        )
        await expect(page).to_have_url(re.compile(r"/rekam$"))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Rekam koperasi")
        await expect(page.get_by_text(KOPERASI_NAME).first).to_be_visible()
        fix = page.locator("#perbaiki")
        await expect(fix).to_contain_text("Profil legalitas belum diisi")
        await expect(fix).to_contain_text("Dokumen belum diunggah: Akta pendirian")
        await _axe(page, "/rekam (empty record)")
        await _no_sideways_scroll(page)

        # The profile.
        await page.get_by_text("Ubah profil legalitas").click()
        form = page.locator("#profile-form")
        await form.get_by_label("Nomor badan hukum").fill(BADAN_HUKUM)
        await form.get_by_label("Tanggal badan hukum").fill("2017-05-08")
        await form.get_by_label("Nomor akta pendirian").fill("14")
        await form.get_by_label("Tanggal akta pendirian").fill("2017-03-13")
        await form.get_by_label("Nomor Induk Koperasi (NIK)").fill("3576030030000199")
        await form.get_by_label("Tanggal terbit sertifikat NIK").fill("2025-09-01")
        await form.get_by_label("NIB").fill("9120007890123")
        await form.get_by_label("Kode KBLI").fill("47241, 10794")
        await form.get_by_label("NPWP", exact=True).fill("12.345")  # too short: refused
        await form.get_by_label("Tanggal RAT terakhir").fill("2026-03-21")
        await form.get_by_role("button", name="Simpan profil").click()
        alert = form.get_by_role("alert")
        await expect(alert).to_contain_text("NPWP terdiri dari 15 atau 16 angka")
        npwp = form.get_by_label("NPWP", exact=True)
        await expect(npwp).to_be_focused()
        await expect(npwp).to_have_attribute("aria-invalid", "true")
        await npwp.fill("07.654.321.0-602.000")
        await form.get_by_role("button", name="Simpan profil").click()
        await expect(page).to_have_url(re.compile(r"\?pesan=profil"))
        await expect(page.locator("#message-status")).to_have_text(
            "Profil legalitas disimpan. Dinas akan memeriksanya."
        )
        profile = page.locator("#profil")
        await expect(profile).to_contain_text(BADAN_HUKUM)
        await expect(profile).to_contain_text("07.654.321.0-602.000")
        await expect(profile).to_contain_text("1 September 2027")  # expiry: issue + 2 years
        await expect(profile).to_contain_text("Menunggu verifikasi Dinas")

        # A document: a text file named .pdf is refused by what it is, a real PDF is kept.
        upload = page.locator("#upload-form")
        await upload.get_by_label("Jenis dokumen").select_option(label="Akta pendirian")
        await upload.get_by_label("Berkas").set_input_files(
            {"name": "akta.pdf", "mimeType": "application/pdf", "buffer": b"bukan pdf"}
        )
        await upload.get_by_role("button", name="Unggah dokumen").click()
        await expect(upload.get_by_role("alert")).to_contain_text("Jenis berkas tidak diterima")
        await upload.get_by_label("Berkas").set_input_files(
            {
                "name": "akta-pendirian.pdf",
                "mimeType": "application/pdf",
                "buffer": sample_pdf("Akta Pendirian", [KOPERASI_NAME]),
            }
        )
        await upload.get_by_role("button", name="Unggah dokumen").click()
        await expect(page.locator("#message-status")).to_have_text(
            "Dokumen diunggah dan menunggu verifikasi Dinas."
        )
        documents = page.locator("#dokumen")
        await expect(documents.get_by_role("link", name="akta-pendirian.pdf")).to_be_visible()
        await expect(page.locator("#perbaiki")).not_to_contain_text(
            "Dokumen belum diunggah: Akta pendirian"
        )
        await _axe(page, "/rekam (filled in)")
        await _no_sideways_scroll(page)

        # The Dinas officer.
        officer = await _signed_in(
            browser,
            server,
            people,
            _link(
                running_server.koroena(
                    "create-admin", "--region", "kota-mojokerto", "--name", "Pak Pengawas"
                )
            ),
            "HP Pak Pengawas",
        )
        page = officer
        await (
            page.get_by_role("navigation", name="Navigasi utama")
            .get_by_role("link", name="Pengawasan")
            .click()
        )
        await expect(page).to_have_url(re.compile(r"/pengawasan$"))
        # From the dashboard to the region's compliance calendar.
        await page.get_by_role("link", name="Kalender kepatuhan").first.click()
        await expect(page).to_have_url(re.compile(r"/pengawasan/kepatuhan$"))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Kalender kepatuhan")
        await _axe(page, "/pengawasan/kepatuhan")
        await _no_sideways_scroll(page)
        await page.get_by_label("Status", exact=True).select_option(label="Segera")
        await page.get_by_role("button", name="Tampilkan").click()
        await expect(page).to_have_url(re.compile(r"status=segera"))
        await expect(page.locator(".region-due")).to_contain_text("Sertifikat NIK berlaku sampai")
        await page.get_by_label("Status", exact=True).select_option(label="Semua status")
        await page.get_by_role("button", name="Tampilkan").click()
        await page.get_by_role("link", name=KOPERASI_NAME).first.click()
        await expect(page).to_have_url(re.compile(rf"/pengawasan/koperasi/{KOPERASI}$"))
        profile = page.locator("#profil")
        await expect(profile).to_contain_text(BADAN_HUKUM)
        await expect(profile).to_contain_text("Menunggu verifikasi Dinas")
        await _axe(page, "/pengawasan/koperasi/… (Dinas)")
        await _no_sideways_scroll(page)

        verdict = page.locator("#profile-verdict")
        await verdict.get_by_label("Terverifikasi").check()
        await verdict.get_by_role("button", name="Simpan keputusan").click()
        await expect(page.locator("#message-status")).to_have_text("Keputusan verifikasi disimpan.")
        await expect(page.locator("#profil .verify-line")).to_contain_text("Terverifikasi")
        document = page.locator(".doc-item", has_text="akta-pendirian.pdf")
        await document.get_by_label("Terverifikasi").check()
        await document.get_by_role("button", name="Simpan keputusan").click()
        await expect(page.locator("#message-status")).to_have_text("Keputusan verifikasi disimpan.")
        await expect(
            page.locator(".doc-item", has_text="akta-pendirian.pdf").locator(".doc-head")
        ).to_contain_text("Terverifikasi")

        # Back on the pengurus's phone: what the Dinas decided.
        page = pengurus
        await page.goto("/rekam")
        await expect(page.locator("#profil .verify-line")).to_contain_text("Terverifikasi")
        await expect(page.locator("#profil")).to_contain_text("Pak Pengawas")
        await expect(
            page.locator(".doc-item", has_text="akta-pendirian.pdf").locator(".doc-head")
        ).to_contain_text("Terverifikasi")
        await _axe(page, "/rekam (verified)")
        await page.set_viewport_size({"width": 360, "height": 740})
        width = await page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, width
    finally:
        for person in people:
            await person.context.close()
