"""The report forms (/laporan) in a real browser: a pengurus opens the page with signal (the
books' figures of the periods still to file are kept on the phone), loses the signal,
reloads (the service worker serves the page), fills the monthly report and sends it: it
waits on the phone. Back online, the service worker's Background Sync event (dispatched
through CDP) sends it: the server holds exactly one submission, with the declared figures
beside the books'. Around it: sign-out refused while a report waits, a report the server
refuses fixed from "Perlu ditinjau" and sent again as a new item, the Dinas's region page
and a submission, and the pages at 360 px with axe.

Each test uses a koperasi of its own (the server is shared with the other e2e tests):
their monthly report of last month is missing in the demo."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, Route, ViewportSize, expect

from backend.reporting import service
from backend.reporting.domain import Period, PeriodKind, last_complete, period_label
from backend.reporting.forms import MONTHLY_V1
from backend.reporting.tables import ReportSubmission
from backend.tenancy.tables import Koperasi

from ._support import TIMEOUT_MS, wait_for_service_worker
from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register
from .test_pos import server_db

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SYNC_TAG = "koroena-reports"
WIB = timezone(timedelta(hours=7))


def _(text: str, **values: object) -> str:
    return text.format(**values) if values else text


def last_month() -> Period:
    return last_complete(PeriodKind.MONTH, datetime.now(UTC).astimezone(WIB).date())


def grouped(amount: int) -> str:
    return ("-" if amount < 0 else "") + f"{abs(amount):,}".replace(",", ".")


@pytest_asyncio.fixture(loop_scope="session")
async def people(browser: Browser, server: str) -> AsyncIterator[list[Person]]:
    made: list[Person] = []
    yield made
    for person in made:
        await person.context.close()


async def pengurus(
    browser: Browser,
    server: str,
    running_server: RunningServer,
    koperasi: str,
    name: str,
    *,
    bypass_csp: bool = False,
) -> Person:
    person = await _person(browser, server, bypass_csp=bypass_csp)
    link = _link(
        running_server.koroena(
            "invite", "--koperasi", koperasi, "--role", "pengurus", "--name", name
        )
    )
    await _register(person, link, f"HP {name}")
    return person


async def reports_ready(page: Page) -> None:
    await page.wait_for_function(
        "() => document.documentElement.dataset.reports === 'ready'", timeout=2 * TIMEOUT_MS
    )


async def open_reports(context: BrowserContext) -> Page:
    """/laporan in a new tab, with the service worker in control (see test_pos.open_till)."""
    page = await context.new_page()
    await page.goto("/laporan")
    await page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not await page.evaluate("() => navigator.serviceWorker.controller !== null"):
        await page.reload()
    await wait_for_service_worker(page)
    await reports_ready(page)
    return page


def period_row(page: Page, period: Period) -> Any:
    return page.locator(f'li.report-period[data-period="{period.code}"]')


async def dispatch_sync(page: Page, server: str) -> None:
    """Fire the service worker's Background Sync event of the report forms now (CDP)."""
    cdp = await page.context.new_cdp_session(page)
    found: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def seen(event: dict[str, Any]) -> None:
        for registration in event["registrations"]:
            if (
                registration["scopeURL"] == f"{server}/"
                and not registration.get("isDeleted")
                and not found.done()
            ):
                found.set_result(registration["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    try:
        await cdp.send("ServiceWorker.enable")
        registration_id = await asyncio.wait_for(found, TIMEOUT_MS / 1000)
        await cdp.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": server,
                "registrationId": registration_id,
                "tag": SYNC_TAG,
                "lastChance": False,
            },
        )
    finally:
        await cdp.detach()


async def koperasi_id(running_server: RunningServer, slug: str) -> int:
    async with server_db(running_server):
        row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == slug).first()
    assert row is not None
    return int(row["id"])


async def server_reports(
    running_server: RunningServer, k: int, period: Period
) -> list[dict[str, Any]]:
    """The koperasi's submissions of the monthly report of `period`."""
    async with server_db(running_server):
        rows = await (
            ReportSubmission.select()
            .where(
                (ReportSubmission.koperasi == k)
                & (ReportSubmission.form_key == "bulanan")
                & (ReportSubmission.period == period.code)
            )
            .order_by(ReportSubmission.id)
        )
    for row in rows:
        row["declared"] = json.loads(row["declared"])
        row["books"] = json.loads(row["books"])
    return rows


async def wait_for_reports(
    running_server: RunningServer, k: int, period: Period, count: int
) -> list[dict[str, Any]]:
    deadline = asyncio.get_running_loop().time() + 2 * TIMEOUT_MS / 1000
    while True:
        rows = await server_reports(running_server, k, period)
        if len(rows) >= count or asyncio.get_running_loop().time() > deadline:
            return rows
        await asyncio.sleep(0.2)


async def books_figures(running_server: RunningServer, k: int, period: Period) -> dict[str, int]:
    async with server_db(running_server):
        return (await service.prefill(k, MONTHLY_V1, period)).values


def monthly(page: Page) -> Any:
    """The monthly form's fields (the quarterly form's are in the page too, hidden)."""
    return page.locator('.report-fields[data-form="bulanan"]')


async def fill_rest(page: Page, employees: int = 3) -> None:
    """The fields the books cannot fill."""
    form = monthly(page)
    await form.get_by_label("Jumlah karyawan").fill(str(employees))
    await form.get_by_label("Masalah yang dihadapi").fill("Modal usaha terbatas.")
    await form.get_by_label("Nama narahubung").fill("Bambang Sutrisno")
    await form.get_by_label("Nomor telepon/WhatsApp narahubung").fill("0822 5566 7788")


# --- the main story ----------------------------------------------------------------------------


async def test_a_report_filled_offline_reaches_the_server_exactly_once(
    browser: Browser, server: str, running_server: RunningServer, people: list[Person]
) -> None:
    slug = "kopjas-wilwatikta"
    k = await koperasi_id(running_server, slug)
    period = last_month()
    name = period_label(period, "id", _)
    figures = await books_figures(running_server, k, period)
    person = await pengurus(browser, server, running_server, slug, "Bambang Sutrisno")
    people.append(person)
    page = await open_reports(person.context)
    row = period_row(page, period)
    await expect(row).to_contain_text(name)
    await expect(row).to_contain_text(re.compile("Terlambat|Belum dikirim"))
    # The books' figures of the periods still to file are on the phone now.
    kept = await page.evaluate(
        """async (period) => {
            const R = self.KoroenaReports;
            const all = await R.run("prefill", "readonly", (s) => R.req(s.prefill.getAll()));
            return all.filter((p) => p.period === period && p.form === "bulanan")
                .map((p) => p.values);
        }""",
        period.code,
    )
    assert kept == [figures]

    await person.context.set_offline(True)
    await page.reload()  # no network: the service worker serves the page and its scripts
    await reports_ready(page)
    await expect(page.locator("#offline-banner")).to_be_visible()
    await expect(page.locator("#reports-who")).to_contain_text("(data tersimpan, tanpa sinyal)")
    await expect(page.locator("#status-source")).to_contain_text("Status tersimpan di ponsel")
    await row.get_by_role("button", name=f"Isi laporan {name}").click()
    await expect(
        page.get_by_role("heading", name=f"Laporan bulanan koperasi · {name}")
    ).to_be_visible()
    await expect(page.locator("#fill-source")).to_contain_text("Angka dari pembukuan per")
    assets = monthly(page).get_by_label("Total aset pada akhir periode (Rp)")
    await expect(assets).to_have_value(grouped(figures["assets"]))
    await expect(page.locator("#bulanan-assets-books")).to_have_text(
        f"Dari pembukuan: Rp {grouped(figures['assets'])}"
    )
    members = monthly(page).get_by_label("Jumlah anggota pada akhir periode")
    await expect(members).to_have_value(grouped(figures["members_end"]))

    # Sent without the contact person: the page says what is missing, nothing is queued.
    await monthly(page).get_by_label("Jumlah karyawan").fill("3")
    await page.get_by_role("button", name="Kirim laporan").click()
    await expect(page.locator("#message-alert")).to_contain_text("2 isian perlu diperbaiki")
    await expect(page.locator("#bulanan-contact_name-error")).to_have_text("Wajib diisi.")
    await expect(monthly(page).get_by_label("Nama narahubung")).to_be_focused()
    await expect(page.locator("#sync-pending")).to_have_text("0")

    await fill_rest(page)
    declared_assets = figures["assets"] + 1_250_000  # the koperasi declares another figure
    await assets.fill(str(declared_assets))
    await assets.press("Tab")
    await expect(assets).to_have_value(grouped(declared_assets))
    await page.get_by_role("button", name="Kirim laporan").click()
    await expect(page.locator("#message-status")).to_have_text(
        "Laporan tersimpan di ponsel, menunggu sinyal."
    )
    await expect(page.locator("#sync-pending")).to_have_text("1")
    await expect(page.locator("#sync-state")).to_contain_text("Tidak ada sinyal")
    await expect(row).to_contain_text("Menunggu sinyal")
    assert await server_reports(running_server, k, period) == []

    # No page left to send anything: the service worker alone does it.
    await page.close()
    await person.context.set_offline(False)
    await dispatch_sync(person.page, server)
    rows = await wait_for_reports(running_server, k, period, 1)
    await asyncio.sleep(0.5)  # nothing more arrives
    rows = await server_reports(running_server, k, period)
    assert len(rows) == 1
    [report] = rows
    assert (report["form_key"], report["period"], report["revision"]) == (
        "bulanan",
        period.code,
        1,
    )
    assert report["declared"]["assets"] == declared_assets
    assert report["books"]["assets"] == figures["assets"]
    assert report["declared"]["members_end"] == figures["members_end"]
    assert (report["declared"]["employees"], report["declared"]["contact_phone"]) == (
        3,
        "0822 5566 7788",
    )
    assert report["declared"]["help_needed"] == ""

    # The page, opened again: nothing waits, the period is filed.
    page = await open_reports(person.context)
    await expect(page.locator("#sync-pending")).to_have_text("0")
    row = period_row(page, period)
    await expect(row).to_contain_text("Sudah dikirim (revisi 1)")
    await expect(row.get_by_role("button", name=f"Kirim koreksi {name}")).to_be_visible()

    # The submission page: declared beside the books, the difference marked.
    await row.get_by_role("link", name=f"Lihat laporan {name} yang sudah dikirim").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Laporan bulanan koperasi · {name}"
    )
    difference = page.get_by_role("row", name=re.compile("^Total aset pada akhir periode"))
    await expect(difference).to_contain_text("Rp 1.250.000")
    assert rows == await server_reports(running_server, k, period)  # still exactly one


async def test_sign_out_is_refused_while_a_report_waits(
    browser: Browser, server: str, running_server: RunningServer, people: list[Person]
) -> None:
    slug = "koppas-onde-onde-kranggan"
    k = await koperasi_id(running_server, slug)
    period = last_month()
    name = period_label(period, "id", _)
    person = await pengurus(browser, server, running_server, slug, "Nur Aini")
    people.append(person)
    page = await open_reports(person.context)

    async def cut(route: Route) -> None:
        await route.abort("internetdisconnected")

    # The report cannot reach the server (the page's flush and the worker's alike).
    await person.context.route("**/api/v1/reports/sync", cut)
    await period_row(page, period).get_by_role("button", name=f"Isi laporan {name}").click()
    await fill_rest(page, employees=2)
    await page.get_by_role("button", name="Kirim laporan").click()
    await expect(page.locator("#sync-pending")).to_have_text("1")
    await expect(page.locator("#sync-state")).to_contain_text("Tidak ada sinyal")

    account = person.page
    await account.goto("/akun")
    await account.get_by_role("button", name="Keluar dari perangkat ini").click()
    await expect(account.locator("#message-alert")).to_contain_text(
        "Belum bisa keluar: 1 laporan ke Dinas"
    )
    await expect(account).to_have_url(re.compile(r"/akun$"))

    await person.context.unroute("**/api/v1/reports/sync", cut)
    await page.get_by_role("button", name="Kirim sekarang").click()
    await expect(page.locator("#sync-pending")).to_have_text("0")
    await expect(page.locator("#message-status")).to_contain_text("terkirim ke Dinas (revisi 1)")
    assert len(await server_reports(running_server, k, period)) == 1
    await account.get_by_role("button", name="Keluar dari perangkat ini").click()
    await expect(account).to_have_url(f"{server}/")
    # Signed out: the page asks to sign in; the koperasi's figures left the phone.
    page = await open_reports(person.context)
    await expect(page.get_by_role("heading", name="Masuk dulu")).to_be_visible()
    kept = await page.evaluate(
        """async () => {
            const R = self.KoroenaReports;
            return [await R.getMeta("status"), await R.getMeta("identity"),
                (await R.run("prefill", "readonly", (s) => R.req(s.prefill.count())))];
        }"""
    )
    assert kept == [None, None, 0]


async def test_a_refused_report_is_fixed_and_sent_again_as_a_new_item(
    browser: Browser, server: str, running_server: RunningServer, people: list[Person]
) -> None:
    slug = "kopprod-sumber-rejeki"
    k = await koperasi_id(running_server, slug)
    period = last_month()
    name = period_label(period, "id", _)
    person = await pengurus(browser, server, running_server, slug, "Slamet Riyadi")
    people.append(person)
    page = await open_reports(person.context)
    await person.context.set_offline(True)
    await period_row(page, period).get_by_role("button", name=f"Isi laporan {name}").click()
    await fill_rest(page, employees=5)
    await page.get_by_role("button", name="Kirim laporan").click()
    await expect(page.locator("#sync-pending")).to_have_text("1")
    # Someone edits the queued report on the phone: a figure the server refuses.
    first_id = await page.evaluate(
        """async () => {
            const R = self.KoroenaReports;
            return R.run("outbox", "readwrite", async (s) => {
                const [item] = await R.req(s.outbox.getAll());
                item.payload.values.members_end = -5;
                s.outbox.put(item);
                return item.id;
            });
        }"""
    )
    await person.context.set_offline(False)
    await page.get_by_role("button", name="Kirim sekarang").click()
    await expect(page.locator("#sync-pending")).to_have_text("0")
    review = page.get_by_role("region", name="Perlu ditinjau")
    await expect(review).to_be_visible()
    items = review.get_by_role("listitem").filter(has_text="1 isian perlu diperbaiki.")
    await expect(items).to_have_count(1)
    await expect(items.first).to_contain_text(
        "Jumlah anggota pada akhir periode: Tidak boleh kurang dari nol."
    )
    await expect(items.first).to_contain_text("rejected · values_invalid")
    await expect(page.locator("#sync-state")).to_contain_text("1 laporan perlu ditinjau")
    assert await server_reports(running_server, k, period) == []

    label = f"Laporan bulanan koperasi · {name}"
    await items.first.get_by_role("button", name=f"Perbaiki {label}").click()
    await expect(page.get_by_role("heading", name=label)).to_be_visible()
    members = monthly(page).get_by_label("Jumlah anggota pada akhir periode")
    await expect(members).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#bulanan-members_end-error")).to_have_text(
        "Tidak boleh kurang dari nol."
    )
    await expect(monthly(page).get_by_label("Jumlah karyawan")).to_have_value("5")
    await members.fill("6")
    await page.get_by_role("button", name="Kirim laporan").click()
    await expect(page.locator("#sync-pending")).to_have_text("0")
    await expect(review).to_be_hidden()
    [report] = await wait_for_reports(running_server, k, period, 1)
    assert report["client_id"] != first_id  # a new item, not the refused one again
    assert (report["declared"]["members_end"], report["declared"]["employees"]) == (6, 5)
    await expect(period_row(page, period)).to_contain_text("Sudah dikirim (revisi 1)")


# --- the Dinas, and every page at 360 px with axe ------------------------------------------------


async def test_report_pages_at_360_px_have_no_serious_accessibility_violations(
    browser: Browser, server: str, running_server: RunningServer, people: list[Person]
) -> None:
    phone: ViewportSize = {"width": 360, "height": 740}
    person = await pengurus(
        browser, server, running_server, "ksp-artha-mandiri", "Hendro Axe", bypass_csp=True
    )
    people.append(person)
    await person.page.set_viewport_size(phone)
    page = await person.context.new_page()
    await page.set_viewport_size(phone)
    await page.goto("/laporan")
    await reports_ready(page)
    period = last_month()
    name = period_label(period, "id", _)
    await _axe(page, "/laporan (periods)")
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"/laporan scrolls sideways at 360 px ({width} px)"
    await period_row(page, period).get_by_role("button", name=f"Isi laporan {name}").click()
    await page.get_by_role("button", name="Kirim laporan").click()  # with the errors shown
    await expect(page.locator("#message-alert")).to_contain_text("isian perlu diperbaiki")
    await _axe(page, "/laporan (form with errors)")
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the form scrolls sideways at 360 px ({width} px)"
    await page.get_by_role("button", name="Simpan draf dan kembali").click()
    await expect(period_row(page, period)).to_contain_text("Draf tersimpan")
    await page.get_by_label("Formulir").select_option(label="Laporan triwulan koperasi")
    await expect(page.locator("#periods li").first).to_contain_text("Triwulan")

    officer = await _person(browser, server, bypass_csp=True)
    people.append(officer)
    link = _link(
        running_server.koroena("create-admin", "--region", "kota-mojokerto", "--name", "Dinas Axe")
    )
    await _register(officer, link, "HP Dinas")
    await officer.page.set_viewport_size(phone)
    before_last = period.previous()
    await officer.page.goto(f"/pengawasan/laporan?period={before_last.code}")
    await expect(officer.page.get_by_role("heading", level=1)).to_have_text(
        "Laporan koperasi ke Dinas"
    )
    await expect(officer.page.locator(".lead")).to_contain_text("sudah mengirim")
    await _axe(officer.page, "/pengawasan/laporan")
    width = await officer.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"/pengawasan/laporan scrolls sideways at 360 px ({width} px)"
    async with officer.page.expect_download() as download:
        await officer.page.get_by_role("link", name="Unduh Excel").click()
    assert (await download.value).suggested_filename == f"laporan-bulanan-{before_last.code}.xlsx"
    await officer.page.get_by_role("link", name="Lihat laporan Koperasi Wanita Srikandi").click()
    await expect(officer.page.get_by_role("heading", level=1)).to_contain_text(
        "Laporan bulanan koperasi"
    )
    await expect(officer.page.locator("#main")).to_contain_text(
        "Satu karyawan baru belum terhitung."
    )
    await _axe(officer.page, "/laporan/kiriman (a submission)")
    width = await officer.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"a submission scrolls sideways at 360 px ({width} px)"
