"""The books pages in a real browser, on a phone-sized screen: a pengurus records journal
entries through the form (live totals, the balanced indicator, the server's refusal shown),
sees them in the list, reverses one, opens the Neraca and downloads it as PDF; keeps the
chart of accounts (add, rename, delete an unused account). The pages pass axe at 390 px
and do not scroll sideways at 360 px.

These tests use koperasi of their own (Sumber Rejeki, KPRI Majapahit): the server is
shared with the other end-to-end tests."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, ConsoleMessage, Dialog, Page, ViewportSize, expect

from .conftest import RunningServer
from .test_accounts import BLOCKING_IMPACTS, Person, _describe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SUMBER_REJEKI = "kopprod-sumber-rejeki"
MAJAPAHIT = "kpri-majapahit"
PHONE: ViewportSize = {"width": 390, "height": 844}
NARROW: ViewportSize = {"width": 360, "height": 740}


@pytest_asyncio.fixture(loop_scope="session")
async def phones(browser: Browser, server: str) -> AsyncIterator[list[Person]]:
    made: list[Person] = []
    yield made
    for person in made:
        await person.context.close()


async def _pengurus(
    browser: Browser,
    server: str,
    running_server: RunningServer,
    phones: list[Person],
    koperasi: str,
    name: str,
    *,
    bypass_csp: bool = False,
) -> Page:
    """A pengurus of `koperasi`, signed in on a phone-sized page."""
    person = await _person(browser, server, bypass_csp=bypass_csp)
    phones.append(person)
    link = _link(
        running_server.koroena(
            "invite", "--koperasi", koperasi, "--role", "pengurus", "--name", name
        )
    )
    await _register(person, link, "HP " + name)
    await person.page.set_viewport_size(PHONE)
    return person.page


def _csp_violations(page: Page) -> list[str]:
    """What the page's Content Security Policy refused (an inline style or script)."""
    seen: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", note)
    return seen


def _today() -> str:
    return (datetime.now(UTC) + timedelta(hours=7)).date().isoformat()


async def _accept(messages: list[str], dialog: Dialog) -> None:
    messages.append(dialog.message)
    await dialog.accept()


async def _fits(page: Page, what: str) -> None:
    """Nothing in the page's content but the tables' own boxes is wider than a 360 px
    screen. (The site header is the frame's business, not these pages'.)"""
    await page.set_viewport_size(NARROW)
    wide = await page.evaluate(
        """(limit) => [...document.querySelectorAll("main, main *")]
            .filter((e) => e.getBoundingClientRect().right > limit + 1)
            .filter((e) => !e.closest(".table-wrap") || e.matches(".table-wrap"))
            .filter((e) => !e.closest("[hidden], template, dialog:not([open])"))
            .slice(0, 8)
            .map((e) => `${e.tagName}#${e.id}.${e.className}`)""",
        NARROW["width"],
    )
    assert not wide, f"{what} is wider than 360 px: {wide}"
    await page.set_viewport_size(PHONE)


async def _axe(page: Page, what: str) -> None:
    """axe on the page but the site's header navigation, which is the frame's (it does not
    fit a phone yet once a role's work items join it: reported, not ours to change)."""
    results = await Axe().run(page, context={"exclude": [[".topbar nav"]]})
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {what}:\n{_describe(blocking)}"


async def _line(page: Page, n: int, account: str, debit: str = "", credit: str = "") -> None:
    line = page.get_by_role("group", name=f"Baris {n}")
    await line.get_by_label("Akun").select_option(label=account)
    await line.get_by_label("Debit").fill(debit)
    await line.get_by_label("Kredit").fill(credit)


async def _neraca_row(page: Page, label: str) -> int:
    """The current column's amount of the Neraca row `label` (on /pembukuan)."""
    row = page.locator(".statement").get_by_role("row", name=re.compile("^" + re.escape(label)))
    cell = await row.locator("td").first.inner_text()
    digits = cell.replace("Rp", "").replace(".", "").strip()
    return -int(digits[1:]) if digits.startswith("\u2212") else int(digits)


async def _status_number(page: Page, pattern: str) -> int:
    status = page.locator("#entries-section").get_by_role("status")
    await expect(status).to_have_text(re.compile(pattern))
    found = re.search(pattern, await status.inner_text())
    assert found
    return int(found.group(1))


async def test_pengurus_posts_reverses_and_reads_the_neraca(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    page = await _pengurus(browser, server, running_server, phones, SUMBER_REJEKI, "Sri Wahyuni")
    errors = _csp_violations(page)
    # The demo's books already hold a year; the cash before this test's entries.
    await page.goto("/pembukuan?laporan=neraca")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Laporan keuangan")
    cash_before = await _neraca_row(page, "1-1100 Kas")

    response = await page.goto("/pembukuan/jurnal")
    assert response is not None and response.status == 200
    await expect(page.get_by_role("heading", level=1)).to_have_text("Jurnal umum")
    await expect(page.locator("#closed-through")).to_have_text(re.compile("^Periode tertutup"))
    form = page.locator("#entry-form")
    balance = page.locator("#entry-balance")
    await expect(form.get_by_label("Tanggal")).to_have_value(_today())

    # A grant: totals follow what is typed.
    await form.get_by_label("Keterangan").fill("Hibah alat produksi dari Pemkot")
    await _line(page, 1, "1-1100 Kas", debit="2.000.000")
    await expect(balance).to_have_text("Tidak seimbang: selisih Rp 2.000.000")
    await _line(page, 2, "3-1400 Hibah", credit="1500000")
    await expect(page.locator("#total-debit")).to_have_text("Rp 2.000.000")
    await expect(page.locator("#total-credit")).to_have_text("Rp 1.500.000")
    await expect(balance).to_have_text("Tidak seimbang: selisih Rp 500.000")
    # Savings accounts are not offered (only savings transactions post to them).
    options = (
        await page.get_by_role("group", name="Baris 1")
        .get_by_label("Akun")
        .locator("option")
        .all_inner_texts()
    )
    assert "1-1100 Kas" in options and not [o for o in options if o.startswith("2-1100")]

    # Sent unbalanced anyway: the server's refusal, in the form's alert; nothing posted.
    await form.get_by_role("button", name="Simpan jurnal").click()
    await expect(form.get_by_role("alert")).to_have_text(
        "Jurnal tidak seimbang: total debit harus sama dengan kredit."
    )
    # A third line makes it balance; a fourth comes and goes.
    await form.get_by_role("button", name="Tambah baris").click()
    await expect(page.get_by_role("group", name="Baris 3")).to_be_visible()
    await expect(page.get_by_role("group", name="Baris 3").get_by_label("Akun")).to_be_focused()
    await _line(page, 3, "4-3100 Pendapatan lain-lain", credit="500.000")
    await expect(balance).to_have_text("Seimbang")
    await form.get_by_role("button", name="Tambah baris").click()
    await page.get_by_role("button", name="Hapus baris 4").click()
    await expect(page.get_by_role("group", name="Baris 4")).to_have_count(0)
    await page.get_by_role("group", name="Baris 3").get_by_label("Kredit").fill("5OO")
    await expect(balance).to_have_text("Jumlah harus rupiah bulat, tanpa koma atau desimal.")
    await page.get_by_role("group", name="Baris 3").get_by_label("Kredit").fill("500.000")
    await expect(balance).to_have_text("Seimbang")
    await form.get_by_role("button", name="Simpan jurnal").click()

    # Back on the page: said so, and the entry heads the list with its lines.
    grant = await _status_number(page, r"^Jurnal #(\d+) dicatat\.$")
    entries = page.locator("#entries > li")
    first = entries.first
    await expect(first).to_have_id(f"jurnal-{grant}")
    await expect(first.get_by_role("heading")).to_have_text(
        f"#{grant} · Hibah alat produksi dari Pemkot"
    )
    await expect(first.get_by_role("row", name=re.compile("^1-1100 Kas"))).to_contain_text(
        "Rp 2.000.000"
    )
    await expect(first.get_by_role("row", name=re.compile("^Jumlah"))).to_contain_text(
        "Rp 2.000.000"
    )

    # A mistake, posted and then reversed.
    await form.get_by_label("Keterangan").fill("Salah catat biaya")
    await _line(page, 1, "5-2100 Beban usaha", debit="75000")
    await _line(page, 2, "1-1100 Kas", credit="75000")
    await expect(balance).to_have_text("Seimbang")
    await form.get_by_role("button", name="Simpan jurnal").click()
    wrong = await _status_number(page, r"^Jurnal #(\d+) dicatat\.$")
    assert wrong == grant + 1
    mistake = page.locator(f"#jurnal-{wrong}")
    await mistake.get_by_role("button", name=f"Balik jurnal #{wrong}").click()
    await expect(mistake.get_by_text("Jurnal pembalik mencatat baris yang sama")).to_be_visible()
    await expect(mistake.get_by_label("Tanggal jurnal pembalik")).to_be_focused()
    await mistake.get_by_role("button", name="Batal").click()
    await expect(mistake.locator(".reverse-form")).to_be_hidden()
    await mistake.get_by_role("button", name=f"Balik jurnal #{wrong}").click()
    await mistake.get_by_role("button", name=f"Ya, balik jurnal #{wrong}").click()
    reversal = await _status_number(page, rf"^Jurnal #{wrong} dibalik dengan jurnal #(\d+)\.$")
    await expect(entries.first).to_have_id(f"jurnal-{reversal}")
    await expect(page.locator(f"#jurnal-{wrong}")).to_contain_text(f"Dibalik oleh #{reversal}")
    await expect(page.locator(f"#jurnal-{reversal}")).to_contain_text(f"Membalik #{wrong}")
    await expect(page.locator(f"#jurnal-{reversal}").get_by_role("heading")).to_have_text(
        f"#{reversal} · Pembalik jurnal #{wrong}: Salah catat biaya"
    )
    # Neither the reversed entry nor the reversal can be reversed again.
    for number in (wrong, reversal):
        await expect(page.get_by_role("button", name=f"Balik jurnal #{number}")).to_have_count(0)
    await expect(page.get_by_role("button", name=f"Balik jurnal #{grant}")).to_be_visible()

    # Older entries come in place.
    before = await entries.count()
    await page.get_by_role("link", name="Muat lagi").click()
    await expect(entries).to_have_count(before + 20)
    await expect(entries.nth(before).get_by_role("heading")).to_be_focused()
    await expect(page.locator("#entries-section").get_by_role("status")).to_have_text(
        "20 jurnal lagi dimuat."
    )
    await _fits(page, "/pembukuan/jurnal")

    # The Neraca of this month, picked with the form.
    await (
        page.get_by_role("navigation", name="Pembukuan")
        .get_by_role("link", name="Laporan keuangan")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Laporan keuangan")
    picker = page.locator("#report-form")
    await picker.get_by_label("Laporan").select_option(label="Buku Besar")
    await expect(picker.get_by_label("Akun")).to_be_visible()
    await picker.get_by_label("Laporan").select_option(label="Perhitungan Hasil Usaha")
    await expect(picker.get_by_label("Akun")).to_be_hidden()  # only for the buku besar
    await expect(picker.get_by_label("Tahun")).to_be_hidden()  # a month is chosen
    await picker.get_by_label("Laporan").select_option(label="Neraca")
    await picker.get_by_role("button", name="Tampilkan laporan").click()
    await expect(page).to_have_url(re.compile(r"/pembukuan\?laporan=neraca&periode=bulan&bulan="))
    statement = page.locator(".statement-section")
    await expect(statement.get_by_role("heading", level=2)).to_have_text("Neraca")
    await expect(statement).to_contain_text("Kolom pembanding: posisi per")
    assert await _neraca_row(page, "1-1100 Kas") == cash_before + 2_000_000
    assets = await _neraca_row(page, "Jumlah aset")
    assert assets == await _neraca_row(page, "Jumlah kewajiban dan ekuitas")
    await _fits(page, "/pembukuan")

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Unduh Neraca sebagai PDF").click()
    download = await waiting.value
    assert re.fullmatch(
        rf"neraca-\d{{4}}-\d{{2}}-\d{{2}}-{SUMBER_REJEKI}\.pdf", download.suggested_filename
    ), download.suggested_filename
    saved = await download.path()
    assert saved is not None and saved.read_bytes().startswith(b"%PDF")

    # The address is the report: opening it again shows the same statement.
    await page.reload()
    assert await _neraca_row(page, "Jumlah aset") == assets

    # Closing last month: asked first (cancelling keeps it open), then closed.
    await page.goto("/pembukuan/jurnal")
    closed_before = await page.locator("#closed-through").inner_text()
    close = page.locator("#close-form")
    month = await close.get_by_label("Bulan yang ditutup").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}", month), month  # last month, still open
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: dialog.dismiss())
    await close.get_by_role("button", name="Tutup periode").click()
    await expect(page.locator("#closed-through")).to_have_text(closed_before)
    page.once("dialog", lambda dialog: _accept(dialogs, dialog))
    await close.get_by_role("button", name="Tutup periode").click()
    await expect(page.locator("#close-section").get_by_role("status")).to_have_text(
        re.compile(r"^Periode \w+ \d{4} ditutup\.$")
    )
    label = (await page.locator("#close-section").get_by_role("status").inner_text())[8:-9]
    await expect(page.locator("#closed-through")).to_have_text(f"Periode tertutup sampai {label}.")
    assert dialogs[0].startswith(f"Tutup periode {label}? Ini tidak dapat dibatalkan"), dialogs
    # A posting into it: the server's refusal.
    await form.get_by_label("Tanggal").fill(month + "-15")
    await form.get_by_label("Keterangan").fill("Terlambat")
    await _line(page, 1, "1-1100 Kas", debit="1000")
    await _line(page, 2, "4-3100 Pendapatan lain-lain", credit="1000")
    await form.get_by_role("button", name="Simpan jurnal").click()
    await expect(form.get_by_role("alert")).to_have_text(
        "Periode ini sudah ditutup: buat jurnal di periode yang masih terbuka."
    )
    assert not errors, errors

    # The same pages, checked with axe (a second pengurus; axe needs the CSP bypassed).
    auditor = await _pengurus(
        browser, server, running_server, phones, SUMBER_REJEKI, "Rudi Hartono", bypass_csp=True
    )
    for path in (
        "/pembukuan/jurnal",
        "/pembukuan?laporan=neraca",
        "/pembukuan?laporan=buku-besar&akun=1-1100&periode=tahun",
        "/pembukuan?laporan=arus-kas",
        "/pembukuan/akun",
    ):
        await auditor.goto(path)
        await expect(auditor.get_by_role("heading", level=1)).to_be_visible()
        await _axe(auditor, f"{path} at 390 px")
    await auditor.goto("/pembukuan/jurnal")
    await auditor.get_by_role("button", name=f"Balik jurnal #{grant}").click()
    await auditor.get_by_role("group", name="Baris 1").get_by_label("Debit").fill("1,5")
    await _axe(auditor, "/pembukuan/jurnal with an open reversal and a wrong amount")


async def test_pengurus_keeps_the_chart_of_accounts(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    page = await _pengurus(browser, server, running_server, phones, MAJAPAHIT, "Dewi Lestari")
    errors = _csp_violations(page)
    await page.goto("/pembukuan/akun")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Bagan akun")
    costs = page.get_by_role("table", name=re.compile("^Beban"))
    await expect(costs.get_by_role("row", name=re.compile("Harga pokok penjualan"))).to_be_visible()
    # The default savings accounts are marked and cannot be deleted.
    sukarela = page.get_by_role("row", name=re.compile("Simpanan sukarela"))
    await expect(sukarela).to_contain_text("Akun simpanan")
    await expect(sukarela.get_by_role("button", name=re.compile("^Hapus"))).to_have_count(0)

    form = page.locator("#account-form")
    await form.get_by_label("Jenis akun").select_option(label="Beban")
    await form.get_by_label("Kode akun").fill("4-2200")
    await form.get_by_label("Nama akun").fill("Beban transportasi")
    await form.get_by_role("button", name="Tambah akun").click()
    await expect(form.get_by_role("alert")).to_contain_text("Angka pertama kode akun")
    await form.get_by_label("Kode akun").fill("5-2300")
    await form.get_by_role("button", name="Tambah akun").click()
    await expect(page.locator("#chart-section").get_by_role("status")).to_have_text(
        "Akun 5-2300 Beban transportasi ditambahkan."
    )
    row = costs.get_by_role("row", name=re.compile("Beban transportasi"))
    await expect(row).to_contain_text("Aktivitas operasi")
    await expect(row).to_contain_text("Belum dipakai")

    await row.get_by_role("button", name="Ubah akun 5-2300 Beban transportasi").click()
    dialog = page.get_by_role("dialog", name="Ubah akun")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("Nama akun")).to_be_focused()
    await dialog.get_by_label("Nama akun").fill("Beban transport dan kirim")
    await dialog.get_by_role("button", name="Simpan").click()
    await expect(page.locator("#chart-section").get_by_role("status")).to_have_text(
        "Akun 5-2300 disimpan."
    )
    row = costs.get_by_role("row", name=re.compile("Beban transport dan kirim"))
    await expect(row).to_be_visible()

    dialogs: list[str] = []
    page.once("dialog", lambda d: _accept(dialogs, d))
    await row.get_by_role("button", name="Hapus akun 5-2300 Beban transport dan kirim").click()
    await expect(page.locator("#chart-section").get_by_role("status")).to_have_text(
        "Akun 5-2300 dihapus."
    )
    await expect(costs.get_by_role("row", name=re.compile("Beban transport"))).to_have_count(0)
    assert dialogs == [
        "Hapus akun 5-2300 Beban transport dan kirim? Akun ini belum pernah dipakai."
    ]
    await _fits(page, "/pembukuan/akun")
    assert not errors, errors
