"""Spreadsheet imports in a real browser, on a phone-sized screen: a pengurus uploads an
opening-balance workbook, "Periksa" shows the preview with the bad row and why, "Impor"
stays disabled; the fixed file imports; then a member file fills the savings, and the
"selisih saldo awal" goes back to zero. The page's content passes axe with the preview
shown and does not scroll sideways at 360 px (the preview table scrolls in its own box).

Opening balances are imported once per koperasi and every demo koperasi already has its
books, so this test adds a koperasi of its own, without books, in a region of its own (the
server is shared with the other end-to-end tests, which count Kota Mojokerto's koperasi)."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import AsyncIterator, Sequence

import openpyxl
import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Locator, Page, expect

from .conftest import RunningServer
from .test_accounts import BLOCKING_IMPACTS, Person, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "kop-uji-impor"
# A koperasi without books (as a real one is when it moves to Koroena), made with the
# app's own services against the server's database.
NEW_KOPERASI = """
import asyncio

from backend.db import connected
from backend.ledger.service import ensure_chart
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region


async def main() -> None:
    async with connected(Settings.from_env()):
        region = await Region.select(Region.id).where(Region.slug == "zona-uji-impor").first()
        if region is None:
            region = (
                await Region.insert(
                    Region(slug="zona-uji-impor", name="Zona Uji Impor", dinas_name="Dinas Uji")
                ).returning(Region.id)
            )[0]
        kop = await Koperasi.select(Koperasi.id).where(Koperasi.slug == "kop-uji-impor").first()
        if kop is None:
            kop = (
                await Koperasi.insert(
                    Koperasi(
                        region=region["id"], slug="kop-uji-impor", name="Koperasi Uji Impor",
                        kind="ksu",
                    )
                ).returning(Koperasi.id)
            )[0]
        await ensure_chart(kop["id"])


asyncio.run(main())
"""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}
OPENING_HEADER = ["kode akun", "nama akun", "debit", "kredit"]
MEMBER_HEADER = [
    "nomor anggota",
    "nama",
    "NIK",
    "tanggal masuk",
    "telepon",
    "alamat",
    "simpanan pokok",
    "simpanan wajib",
    "simpanan sukarela",
]


def workbook(header: Sequence[object], rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def opening(reserve: object) -> bytes:
    return workbook(
        OPENING_HEADER,
        [
            ["1-1100", "Kas", "Rp 5.000.000", None],
            ["3-1100", "Simpanan pokok", None, 100_000],
            ["3-1200", "Simpanan wajib", None, 400_000],
            ["3-1500", "Cadangan", None, reserve],
        ],
    )


@pytest_asyncio.fixture(loop_scope="session")
async def phones(browser: Browser, server: str) -> AsyncIterator[list[Person]]:
    made: list[Person] = []
    yield made
    for person in made:
        await person.context.close()


async def choose(panel: Locator, name: str, content: bytes) -> None:
    await panel.get_by_label("Berkas yang sudah diisi").set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": content}]
    )


async def axe_main(page: Page, what: str) -> None:
    """axe on the page's own content (the shared header is checked by the frame's tests)."""
    results = await Axe().run(page, context="#main")
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {what}: {[(v['id'], v['nodes'][0]['target']) for v in blocking]}"


async def fits(page: Page) -> None:
    """Nothing of the page's content sticks out sideways (a wide table scrolls inside its
    own box). The shared header is the frame's business."""
    wide = await page.evaluate(
        """() => [...document.querySelectorAll('#main *')]
            .filter((e) => !e.closest('.table-wrap') || e.classList.contains('table-wrap'))
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .map((e) => `${e.tagName}#${e.id}.${e.className}`)"""
    )
    assert not wide, f"sticking out sideways: {wide[:8]}"


async def test_a_pengurus_checks_fixes_and_imports_workbooks(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    setup = await asyncio.create_subprocess_exec(
        sys.executable, "-c", NEW_KOPERASI, env=running_server.env
    )
    assert await asyncio.wait_for(setup.wait(), 60) == 0
    person = await _person(browser, server, bypass_csp=True)  # axe below
    phones.append(person)
    link = _link(
        running_server.koroena(
            "invite", "--koperasi", KOPERASI, "--role", "pengurus", "--name", "Yuli Impor"
        )
    )
    await _register(person, link, "HP Yuli")
    page = person.page
    await page.set_viewport_size(PHONE)
    await page.goto("/pembukuan/impor")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Impor dari Excel")
    await expect(page.get_by_text("Koperasi Uji Impor")).to_be_visible()
    suspense = page.locator("#suspense-balance")
    await expect(suspense).to_have_text("Rp 0")

    panel = page.get_by_role("region", name="Saldo awal neraca", exact=True)
    template = panel.get_by_role("link", name="Unduh templat saldo awal")
    await expect(template).to_have_attribute(
        "href", "/api/v1/books/imports/opening-balances/template"
    )
    await panel.get_by_label("Tanggal saldo awal").fill("2025-12-31")
    commit = panel.get_by_role("button", name="Impor saldo awal")
    await expect(commit).to_be_disabled()

    # A decimal in one row: the preview shows the row, marked, with the reason.
    await choose(panel, "saldo-awal.xlsx", opening("4.500.000,50"))
    await panel.get_by_role("button", name="Periksa").click()
    table = panel.get_by_role("table")
    await expect(table).to_be_visible()
    await expect(table.locator("caption")).to_contain_text("saldo-awal.xlsx")
    bad = table.get_by_role("row").filter(has_text="3-1500")
    await expect(bad).to_contain_text("Bermasalah")
    await expect(bad).to_contain_text("Kredit: Jumlah harus rupiah bulat tanpa desimal.")
    await expect(bad).to_contain_text("4.500.000,50")
    good = table.get_by_role("row").filter(has_text="1-1100")
    await expect(good).to_contain_text("Siap")
    await expect(table.get_by_role("row").filter(has_text="3-1100")).to_contain_text(
        "Akun simpanan"
    )
    await expect(panel).to_contain_text("3 siap, 1 bermasalah")
    await expect(commit).to_be_disabled()
    await axe_main(page, "the import page with a preview")
    await page.set_viewport_size(NARROW)
    await fits(page)

    # Fixed: ready, and imported once.
    await choose(panel, "saldo-awal.xlsx", opening(4_500_000))
    await panel.get_by_role("button", name="Periksa").click()
    await expect(panel).to_contain_text("Berkas siap diimpor.")
    await expect(commit).to_be_enabled()
    await commit.click()
    await expect(page.locator("#opening-status")).to_contain_text("Saldo awal diimpor: jurnal #")
    await expect(suspense).to_have_text("Rp 500.000")
    await expect(page.locator("#suspense-note")).to_contain_text("lebih besar daripada")
    await expect(page.locator("#opening-form")).to_be_hidden()

    # The members fill the savings accounts, member by member.
    members = page.get_by_role("region", name="Anggota dan saldo simpanan", exact=True)
    await members.get_by_label("Tanggal saldo simpanan").fill("2025-12-31")
    rows = [
        ["", "Ratna Sari", "3516015507907101", "15/07/2018", "", "", 50_000, 200_000, 0],
        ["", "Dedi Irawan", "3516011003857102", "10/03/2019", "", "", 50_000, 200_000, 0],
    ]
    await choose(members, "anggota.xlsx", workbook(MEMBER_HEADER, rows))
    await members.get_by_role("button", name="Periksa").click()
    await expect(members.get_by_role("table")).to_contain_text("Ratna Sari")
    await expect(members).to_contain_text("Berkas siap diimpor.")
    await members.get_by_role("button", name="Impor anggota").click()
    await expect(page.locator("#members-status")).to_contain_text("2 anggota diimpor")
    await expect(suspense).to_have_text("Rp 0")

    # After a reload the page says the opening balances are in, and still agree.
    await page.reload()
    await expect(page.locator("#opening-done")).to_contain_text("Saldo awal sudah diimpor")
    await expect(page.locator("#suspense-balance")).to_have_text("Rp 0")
    await fits(page)
