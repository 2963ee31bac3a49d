"""The health assessment in a real browser on a 390 px phone: a pengurus starts an
assessment from the koperasi's books, answers a checklist, enters a figure the books do not
hold and sees the score rise; the Dinas officer finds the koperasi in the region's list,
reviews the draft (seeing who answered what) and finalises it, after which it cannot be
changed and its score is the first point of the koperasi's record. Every page passes axe and
none scrolls sideways.

This test uses a koperasi of its own for assessments (KPRI Majapahit, which the demo gives
none): the server is shared with the other end-to-end tests."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.async_api import Browser, Dialog, Page, ViewportSize, expect

from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "kpri-majapahit"
KOPERASI_NAME = "Koperasi Konsumen Pegawai Republik Indonesia Majapahit"
PHONE: ViewportSize = {"width": 390, "height": 844}


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


async def _total(page: Page) -> Decimal:
    text = await page.locator(".total-score").inner_text()
    return Decimal(text.replace(".", "").replace(",", "."))


async def test_pengurus_answers_and_the_dinas_finalises(
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
                    "invite", "--koperasi", KOPERASI, "--role", "pengurus", "--name", "Bu Sehat"
                )
            ),
            "HP Bu Sehat",
        )
        await pengurus.goto("/kesehatan")
        await expect(pengurus.get_by_role("heading", level=1)).to_have_text("Penilaian kesehatan")
        await expect(pengurus.get_by_text(KOPERASI_NAME).first).to_be_visible()
        await expect(pengurus.get_by_text("Belum ada penilaian final.")).to_be_visible()
        await _axe(pengurus, "/kesehatan before any assessment")

        # Start an assessment with the 2016 ratio scheme, today, from the books.
        start = pengurus.locator("#start-form")
        await start.get_by_label("Aturan penilaian").select_option(
            label="Skema 2016 (rasio KSP/USP)"
        )
        await start.get_by_role("button", name="Mulai dan hitung").click()
        await expect(pengurus).to_have_url(re.compile(r"/kesehatan\?penilaian=\d+$"))
        assessment = pengurus.locator("#assessment")
        await expect(assessment.get_by_role("status")).to_contain_text("dimulai dan dihitung")
        await expect(assessment.get_by_role("heading", level=2)).to_contain_text("Penilaian no.")
        # A ratio from the books, with its figures, nilai and skor.
        cash = assessment.locator("article", has=pengurus.get_by_role("heading", name=re.compile(
            r"^Kas \+ bank ÷ kewajiban lancar")))  # fmt: skip
        await expect(cash.locator(".evidence")).to_contain_text("kas + bank Rp")
        await expect(cash.locator(".evidence")).to_contain_text("(1-1100, 1-1200)")
        # Data the books cannot give says what to record.
        await expect(assessment.get_by_text("data tidak tersedia").first).to_be_visible()
        await expect(assessment.locator(".tag.provisional").first).to_be_visible()
        before = await _total(pengurus)
        await _no_sideways_scroll(pengurus)
        await _axe(pengurus, "a draft assessment")
        assert await pengurus.locator("#finalise").count() == 0  # the Dinas finalises

        # Answer the general-management checklist "ya" and enter the staff costs.
        general = assessment.locator(
            "article", has=pengurus.get_by_role("heading", name="Manajemen umum")
        )
        boxes = general.get_by_role("checkbox")
        await expect(boxes).to_have_count(12)
        for i in range(12):
            await boxes.nth(i).check()
        await pengurus.get_by_label("biaya karyawan (Rp)").fill("5000000")
        await assessment.get_by_role("button", name="Simpan jawaban dan hitung").click()
        await expect(assessment.get_by_role("status")).to_contain_text("Jawaban dan angka disimpan")
        general = assessment.locator(
            "article", has=pengurus.get_by_role("heading", name="Manajemen umum")
        )
        await expect(general.locator(".evidence")).to_have_text(
            "12 dari 12 butir terpenuhi (100,00%)"
        )
        # Answered checklists fold away; open one to see who answered.
        await general.get_by_text("Daftar periksa (12 butir)").click()
        await expect(general.get_by_text("dijawab Pengurus (Bu Sehat)").first).to_be_visible()
        await expect(general.get_by_role("checkbox").first).to_be_checked()
        await expect(pengurus.get_by_label("biaya karyawan (Rp)")).to_have_value("5000000")
        await expect(pengurus.get_by_text("Diisi Pengurus: Rp 5.000.000")).to_be_visible()
        # Twelve "ya" of 0,25 each: three more points.
        assert await _total(pengurus) == before + 3
        await expect(pengurus.locator("#finalise-hint")).to_contain_text("Belum dijawab: 0 butir")
        await _no_sideways_scroll(pengurus)
        await _axe(pengurus, "a draft assessment with answers")

        # The Dinas officer of the region reviews and finalises.
        dinas = await _signed_in(
            browser,
            server,
            people,
            _link(
                running_server.koroena(
                    "create-admin", "--region", "kota-mojokerto", "--name", "Pak Penilai"
                )
            ),
            "HP Pak Penilai",
        )
        await dinas.goto("/kesehatan")
        await expect(dinas.get_by_role("heading", level=1)).to_have_text("Kesehatan koperasi")
        region = dinas.get_by_role("region", name="Tabel kesehatan koperasi se-wilayah")
        row = region.get_by_role("row", name=re.compile(KOPERASI_NAME))
        await expect(row).to_contain_text("draf no.")
        await _no_sideways_scroll(dinas)
        await _axe(dinas, "the region's health list")
        await row.get_by_role("link", name=KOPERASI_NAME).click()
        await expect(dinas).to_have_url(re.compile(rf"/pengawasan/kesehatan/{KOPERASI}$"))
        review = dinas.locator("#assessment")
        reviewed = review.locator(
            "article", has=dinas.get_by_role("heading", name="Manajemen umum")
        )
        await reviewed.get_by_text("Daftar periksa (12 butir)").click()
        await expect(reviewed.get_by_text("dijawab Pengurus (Bu Sehat)").first).to_be_visible()
        await expect(dinas.locator(".total-score")).to_have_text(
            await pengurus.locator(".total-score").inner_text()
        )
        await _no_sideways_scroll(dinas)
        await _axe(dinas, "the officer's review of a draft")
        questions: list[str] = []

        async def accept(dialog: Dialog) -> None:
            questions.append(dialog.message)
            await dialog.accept()

        dinas.once("dialog", accept)
        await review.get_by_role("button", name="Finalkan penilaian").click()
        await expect(review.get_by_role("status")).to_contain_text("Penilaian sudah final")
        assert questions and "tidak dapat diubah" in questions[0]
        await expect(review.get_by_text("sudah final dan tidak dapat diubah")).to_be_visible()
        await expect(review.get_by_text("Pak Penilai")).to_be_visible()
        assert await dinas.locator("#assessment-form input[data-item]:enabled").count() == 0
        # The first point of the koperasi's record.
        trend = dinas.locator("#trend")
        await expect(trend.locator("svg.trend-chart circle")).to_have_count(1)
        await expect(trend.get_by_role("img", name="Rekam skor kesehatan")).to_be_visible()
        await _no_sideways_scroll(dinas)
        await _axe(dinas, "a final assessment")

        # The pengurus sees the same, final.
        await pengurus.reload()
        await expect(pengurus.get_by_text("sudah final dan tidak dapat diubah")).to_be_visible()
        await expect(pengurus.locator("#trend svg.trend-chart circle")).to_have_count(1)
        await expect(pengurus.locator("#start-form")).to_be_visible()  # a new one may start
        # The narrowest phones too: nothing wider than 360 px.
        for page, path in ((pengurus, "/kesehatan"), (dinas, "/kesehatan")):
            await page.set_viewport_size({"width": 360, "height": 780})
            await page.goto(path)
            width = await page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 360, (path, width)
    finally:
        for person in people:
            await person.context.close()
