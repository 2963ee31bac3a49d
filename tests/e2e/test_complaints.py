"""Public complaints in a real browser (decision 0019): someone opens /pengaduan with
signal (the page keeps a few security questions on the phone), loses the signal, reloads
(the service worker serves the page), files a complaint: it waits on the phone. Back
online, the service worker's Background Sync event (dispatched through CDP) sends it: the
page shows the ticket number and the server holds exactly one complaint. A Dinas officer
answers it on the desk; the complainant's ticket page shows the answer. The pages pass axe
at 390 px without sideways scrolling."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect

from backend.complaints.challenge import NUMBERS
from backend.complaints.tables import Complaint

from ._support import TIMEOUT_MS, wait_for_service_worker
from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register
from .test_pos import server_db

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SYNC_TAG = "koroena-complaints"
PHONE = ViewportSize(width=390, height=844)
TEXT = "Pengurus menahan pencairan simpanan sukarela saya sejak Agustus tanpa alasan jelas."
REPLY = "Dinas sudah memanggil pengurus; dana Anda dicairkan paling lambat Jumat ini."


async def dispatch_sync(page: Page, server: str, tag: str) -> None:
    """Fire the service worker's Background Sync event with `tag` now (CDP)."""
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
            {"origin": server, "registrationId": registration_id, "tag": tag, "lastChance": False},
        )
    finally:
        await cdp.detach()


async def complaints_ready(page: Page) -> None:
    await page.wait_for_function(
        "() => document.documentElement.dataset.complaintsReady === 'true'",
        timeout=2 * TIMEOUT_MS,
    )


async def open_complaints(context: BrowserContext) -> Page:
    page = await context.new_page()
    await page.goto("/pengaduan")
    await page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not await page.evaluate("() => navigator.serviceWorker.controller !== null"):
        await page.reload()
    await wait_for_service_worker(page)
    await complaints_ready(page)
    return page


async def server_complaints(running_server: RunningServer) -> list[dict[str, Any]]:
    async with server_db(running_server):
        return await Complaint.select().where(Complaint.body == TEXT).order_by(Complaint.id)


async def wait_for_complaints(running_server: RunningServer, count: int) -> list[dict[str, Any]]:
    deadline = asyncio.get_running_loop().time() + 2 * TIMEOUT_MS / 1000
    while True:
        rows = await server_complaints(running_server)
        if len(rows) >= count or asyncio.get_running_loop().time() > deadline:
            return rows
        await asyncio.sleep(0.2)


def answer_of(question: str) -> str:
    words = re.search(r"berapa (\w+) (ditambah|dikurangi) (\w+)\?", question)
    assert words, question
    a, b = NUMBERS.index(words.group(1)), NUMBERS.index(words.group(3))
    return str(a + b if words.group(2) == "ditambah" else a - b)


async def no_sideways_scroll(page: Page, what: str) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what} scrolls sideways at 390 px ({width} px)"


async def test_a_complaint_filed_offline_is_answered_and_seen_by_ticket(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    # axe is injected as a script, which the pages' strict CSP would (rightly) refuse.
    context = await browser.new_context(base_url=server, bypass_csp=True, viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    officer: Person | None = None
    try:
        page = await open_complaints(context)
        question = page.locator("#complaint-question")
        await expect(question).to_contain_text("Pertanyaan pengaman: berapa")
        kept = await page.evaluate(
            "async () => (await self.KoroenaComplaints.getMeta('challenges') || []).length"
        )
        assert kept >= 1
        await _axe(page, "/pengaduan")
        await no_sideways_scroll(page, "/pengaduan")

        await context.set_offline(True)
        await page.reload()  # no network: the service worker serves the page and its scripts
        await complaints_ready(page)
        await expect(page.locator("#offline-banner")).to_be_visible()
        await page.get_by_label("Dinas tujuan").select_option("kota-mojokerto")
        await page.get_by_label("Jenis pengaduan").select_option("keuangan")
        await page.get_by_label("Koperasi yang diadukan (boleh dikosongkan)").select_option(
            "kopwan-srikandi"
        )
        # Too short first: the page says so, nothing is queued.
        await page.get_by_label("Isi pengaduan").fill("Terlalu pendek")
        await page.get_by_role("button", name="Simpan & kirim pengaduan").click()
        await expect(page.locator("#message-alert")).to_contain_text("paling sedikit 20 huruf")
        await expect(page.locator("#complaint-pending")).to_have_text("0")
        await page.get_by_label("Isi pengaduan").fill(TEXT)
        await page.get_by_label("Nama").fill("Ibu Warsini")
        await page.get_by_label("Nomor telepon").fill("0813 2222 3333")
        await page.get_by_label("Jawaban (angka)").fill(answer_of(await question.inner_text()))
        await page.get_by_role("button", name="Simpan & kirim pengaduan").click()
        await expect(page.locator("#message-status")).to_have_text(
            "Tersimpan, akan dikirim saat ada sinyal."
        )
        await expect(page.locator("#complaint-pending")).to_have_text("1")
        await expect(page.locator("#complaint-mine")).to_contain_text("Menunggu sinyal")
        await _axe(page, "/pengaduan (offline, one waiting)")
        assert await server_complaints(running_server) == []

        await context.set_offline(False)
        await dispatch_sync(page, server, SYNC_TAG)
        rows = await wait_for_complaints(running_server, 1)
        await asyncio.sleep(0.5)  # nothing more arrives
        rows = await server_complaints(running_server)
        assert len(rows) == 1
        [complaint] = rows
        ticket = str(complaint["ticket"])
        assert complaint["status"] == "baru" and complaint["contact_name"] == "Ibu Warsini"
        await expect(page.locator("#message-status")).to_contain_text(f"Nomor tiket: {ticket}")
        await expect(page.locator("#complaint-pending")).to_have_text("0")
        link = page.get_by_role("link", name=ticket)
        await expect(link).to_be_visible()

        # The Dinas answers on its desk.
        officer = await _person(browser, server, bypass_csp=True)
        await _register(
            officer,
            _link(
                running_server.koroena(
                    "create-admin", "--region", "kota-mojokerto", "--name", "Dinas Pengaduan"
                )
            ),
            "HP Dinas Pengaduan",
        )
        desk = officer.page
        await desk.set_viewport_size(PHONE)
        await desk.goto("/pengawasan/pengaduan")
        await expect(desk.get_by_role("heading", level=1)).to_have_text("Pengaduan masyarakat")
        await _axe(desk, "/pengawasan/pengaduan")
        await no_sideways_scroll(desk, "/pengawasan/pengaduan")
        await desk.get_by_role("link", name=f"Buka pengaduan {ticket}").click()
        await expect(desk.get_by_role("heading", level=1)).to_have_text(f"Pengaduan {ticket}")
        await _axe(desk, "/pengawasan/pengaduan/{id}")
        await no_sideways_scroll(desk, "/pengawasan/pengaduan/{id}")
        await desk.get_by_label("Balasan", exact=True).fill(REPLY)
        await desk.get_by_role("button", name="Kirim balasan").click()
        await expect(desk).to_have_url(re.compile(r"pesan=sent"))
        await expect(desk.locator("#timeline")).to_contain_text(REPLY)

        # The complainant opens the ticket from "Pengaduan saya" and reads the answer.
        await link.click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(f"Pengaduan {ticket}")
        await expect(page.locator("#timeline")).to_contain_text(REPLY)
        await expect(page.locator(".facts")).to_contain_text("Dijawab")
        await _axe(page, "/pengaduan/{ticket}")
        await no_sideways_scroll(page, "/pengaduan/{ticket}")
        assert len(await server_complaints(running_server)) == 1  # still exactly one
    finally:
        if officer is not None:
            await officer.context.close()
        await context.close()
