"""The till (/kasir) in a real browser: a cashier registers the phone, opens a shift, loses
the signal, reloads (the service worker serves the page), sells three sales — one to a
member on credit, one in cash with change, one by transfer — and closes the tab. Back
online, the service worker's Background Sync event (dispatched through CDP) sends them:
the server holds exactly those three sales under their receipt numbers, the stock went
down and the books balance. Around it: the QRIS amount and the QR code the page draws
(compared with Python references), and the page at 360 px with axe.

These tests use a koperasi of their own (KSU Bina Usaha Sejahtera): the server is shared
with the other e2e tests."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
import segno
from playwright.async_api import Browser, BrowserContext, Page, expect
from segno import consts as segno_consts
from segno import encoder as segno_encoder

from backend.catalog.domain import qris_crc, qris_with_amount
from backend.catalog.tables import Product, ShopSettings
from backend.db import connected, current_engine, use_engine
from backend.i18n import LANGUAGE_COOKIE
from backend.inventory.service import stock_at
from backend.ledger.service import trial_balance
from backend.members.tables import Member
from backend.pos.tables import PosDevice, Sale, SaleLine
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Outlet

from ._support import TIMEOUT_MS, wait_for_service_worker
from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "ksu-bina-usaha-sejahtera"
OUTLET = "T02 · Toko Sejahtera Surodinawan"
RECEIPT = re.compile(r"^T0[12]-\d+-\d{6}$")
SYNC_TAG = "koroena-outbox"


# --- people, the till and the server's database ---------------------------------------------


@pytest_asyncio.fixture(loop_scope="session")
async def phones(browser: Browser, server: str) -> AsyncIterator[list[Person]]:
    """Make people with `await kasir(...)` and append them: closed after the test."""
    made: list[Person] = []
    yield made
    for person in made:
        await person.context.close()


async def kasir(
    browser: Browser,
    server: str,
    running_server: RunningServer,
    name: str,
    *,
    bypass_csp: bool = False,
) -> Person:
    """A cashier of the koperasi, invited from the command line and signed in (on /akun)."""
    person = await _person(browser, server, bypass_csp=bypass_csp)
    link = _link(
        running_server.koroena("invite", "--koperasi", KOPERASI, "--role", "kasir", "--name", name)
    )
    await _register(person, link, f"HP {name}")
    return person


async def open_till(context: BrowserContext) -> Page:
    """/kasir in a new tab of the person's context (no CDP session on it: offline emulation
    must stay the context's own), with the service worker in control."""
    page = await context.new_page()
    await page.goto("/kasir")
    # A page that began loading while the worker was still installing (started by the
    # person's earlier pages) can miss its `clients.claim()`; once the worker is active, a
    # reload is controlled, as any later visit of a real cashier is.
    await page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not await page.evaluate("() => navigator.serviceWorker.controller !== null"):
        await page.reload()
    await wait_for_service_worker(page)
    await till_ready(page)
    return page


async def till_ready(page: Page) -> None:
    await page.wait_for_function(
        "() => document.documentElement.dataset.pos === 'ready'", timeout=TIMEOUT_MS
    )


async def register_device(page: Page, outlet: str = OUTLET) -> str:
    """Register the phone as a till; its device code (e.g. T02-1)."""
    await expect(
        page.get_by_role("heading", name="Daftarkan ponsel ini sebagai kasir")
    ).to_be_visible()
    await page.get_by_label("Toko/gerai").select_option(label=outlet)
    await page.get_by_label("Nama perangkat").fill("HP kasir depan")
    await page.get_by_role("button", name="Daftarkan perangkat").click()
    await expect(page.get_by_role("heading", name="Buka shift")).to_be_visible()
    status = await page.locator("#message-status").text_content()
    found = re.search(r"(T0[12]-\d+)", status or "")
    assert found, status
    return found.group(1)


async def open_shift(page: Page, opening_cash: int) -> None:
    await page.get_by_label("Modal kas awal (Rp)").fill(str(opening_cash))
    await page.get_by_role("button", name="Buka shift").click()
    await expect(page.get_by_role("heading", name="Penjualan", exact=True)).to_be_visible()


async def add_item(page: Page, name: str, quantity: int = 1) -> None:
    await page.get_by_label("Cari barang, SKU atau barcode").fill(name)
    await page.get_by_role("button", name=f"Tambah {name}, Rp").click()
    if quantity != 1:
        box = page.get_by_label(f"Jumlah {name}", exact=True)
        await box.fill(str(quantity))
        await box.press("Tab")  # `change`
        await expect(page.get_by_label(f"Jumlah {name}", exact=True)).to_have_value(str(quantity))


async def choose_member(page: Page, number: str) -> None:
    await page.get_by_label("Cari anggota (nomor atau nama), boleh dikosongkan").fill(number)
    await page.get_by_role("button", name=re.compile(f"^Pilih {number} ")).click()
    await expect(page.locator("#member-chosen")).to_contain_text(number)


async def pay(page: Page, method: str = "Tunai", cash: int | None = None) -> str:
    """Pay the cart; the receipt number shown."""
    await page.get_by_label(method, exact=True).check()
    if cash is not None:
        await page.get_by_label("Uang diterima (Rp)").fill(str(cash))
    await page.get_by_role("button", name="Bayar", exact=True).click()
    await expect(page.get_by_role("heading", name="Struk", exact=True)).to_be_visible()
    number = (await page.locator(".pos-receipt-number").text_content()) or ""
    assert RECEIPT.match(number), number
    return number


async def new_sale(page: Page) -> None:
    await page.get_by_role("button", name="Penjualan baru").click()
    await expect(page.get_by_role("heading", name="Penjualan", exact=True)).to_be_visible()


async def pending(page: Page) -> int:
    return int((await page.locator("#sync-pending").text_content()) or "-1")


async def dispatch_sync(page: Page, server: str) -> None:
    """Fire the service worker's Background Sync event now (CDP), as Chrome does when the
    signal comes back. `page` is any page of the context, not the till."""
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


@asynccontextmanager
async def server_db(running_server: RunningServer) -> AsyncIterator[None]:
    """The tables bound to the running server's database for the block."""
    previous = current_engine()
    try:
        async with connected(Settings.from_env(running_server.env)):
            yield
    finally:
        use_engine(previous)


@dataclass(frozen=True)
class Shop:
    koperasi_id: int
    outlet_id: int
    products: dict[str, dict[str, Any]]  # by name
    member: tuple[str, str]  # an active member's (number, name)


async def shop(running_server: RunningServer, outlet_code: str = "T02") -> Shop:
    async with server_db(running_server):
        k = await Koperasi.select(Koperasi.id).where(Koperasi.slug == KOPERASI).first()
        assert k is not None
        outlet = (
            await Outlet.select(Outlet.id)
            .where((Outlet.koperasi == k["id"]) & (Outlet.code == outlet_code))
            .first()
        )
        assert outlet is not None
        products = await Product.select().where(Product.koperasi == k["id"])
        member = (
            await Member.select(Member.member_number, Member.full_name)
            .where((Member.koperasi == k["id"]) & (Member.status == "aktif"))
            .order_by(Member.member_number)
            .first()
        )
        assert member is not None
    return Shop(
        k["id"],
        outlet["id"],
        {p["name"]: p for p in products},
        (member["member_number"], member["full_name"]),
    )


async def server_sales(running_server: RunningServer, device: str) -> list[dict[str, Any]]:
    async with server_db(running_server):
        rows = await (
            Sale.select(
                Sale.id,
                Sale.receipt_number,
                Sale.total,
                Sale.payment_method,
                Sale.cash_given,
                Sale.change,
                Sale.member.member_number.as_alias("member_number"),
                Sale.late,
            )
            .where(Sale.device.code == device)
            .order_by(Sale.device_seq)
        )
        for row in rows:
            row["lines"] = await SaleLine.select(
                SaleLine.product.as_alias("product"),
                SaleLine.quantity,
                SaleLine.unit_price,
                SaleLine.discount,
            ).where(SaleLine.sale == row["id"])
    return rows


async def wait_for_sales(
    running_server: RunningServer, device: str, count: int
) -> list[dict[str, Any]]:
    deadline = asyncio.get_running_loop().time() + TIMEOUT_MS / 1000
    while True:
        sales = await server_sales(running_server, device)
        if len(sales) >= count or asyncio.get_running_loop().time() > deadline:
            return sales
        await asyncio.sleep(0.2)


async def books_balance(running_server: RunningServer, koperasi_id: int) -> None:
    async with server_db(running_server):
        balances = await trial_balance(koperasi_id)
    assert sum(b.debit for b in balances) == sum(b.credit for b in balances) > 0


async def stock(running_server: RunningServer, place: Shop) -> dict[int, int]:
    async with server_db(running_server):
        return await stock_at(place.koperasi_id, place.outlet_id)


async def device_known(running_server: RunningServer, code: str) -> bool:
    async with server_db(running_server):
        return await PosDevice.exists().where(PosDevice.code == code)


# --- the main story --------------------------------------------------------------------------


async def test_offline_sales_reach_the_server_exactly_once_by_background_sync(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    place = await shop(running_server)
    person = await kasir(browser, server, running_server, "Sari Wulandari")
    phones.append(person)
    till = await open_till(person.context)
    device = await register_device(till)
    assert await device_known(running_server, device)
    await open_shift(till, 150_000)
    await expect(till.locator("#sync-pending")).to_have_text("0")  # the shift went out
    before = await stock(running_server, place)

    await person.context.set_offline(True)
    await till.reload()  # no network: the service worker serves the page and its scripts
    await till_ready(till)
    await expect(till.locator("#offline-banner")).to_be_visible()
    await expect(till.get_by_role("heading", name="Penjualan", exact=True)).to_be_visible()
    await expect(till.locator("#pos-who")).to_contain_text(f"perangkat {device}")

    number, name = place.member
    await add_item(till, "Beras Premium 5 kg", 2)
    await add_item(till, "Gula Pasir 1 kg")
    await choose_member(till, number)
    await expect(till.locator("#total")).to_have_text("Rp 169.500")  # member prices
    first = await pay(till, "Kredit anggota")
    await expect(till.locator("#receipt")).to_contain_text(f"{number} {name}")
    await new_sale(till)

    await add_item(till, "Minyak Goreng Minyakita 1 L", 3)
    await add_item(till, "Mi Instan Goreng", 2)
    await expect(till.locator("#total")).to_have_text("Rp 54.100")
    await till.get_by_label("Uang diterima (Rp)").fill("100000")
    await expect(till.locator("#change")).to_have_text("Rp 45.900")
    second = await pay(till, "Tunai", 100_000)
    await expect(till.locator("#receipt")).to_contain_text("Rp 45.900")
    await new_sale(till)

    await add_item(till, "Teh Celup isi 25")
    third = await pay(till, "Transfer")

    assert [first, second, third] == [f"{device}-{n:06d}" for n in (1, 2, 3)]
    await expect(till.locator("#sync-pending")).to_have_text("3")
    await expect(till.locator("#sync-state")).to_contain_text("Tidak ada sinyal")
    assert await server_sales(running_server, device) == []

    # No page left to send anything: the service worker alone does it.
    await till.close()
    await person.context.set_offline(False)
    await dispatch_sync(person.page, server)
    sales = await wait_for_sales(running_server, device, 3)
    await asyncio.sleep(0.5)  # nothing more arrives
    sales = await server_sales(running_server, device)
    assert [s["receipt_number"] for s in sales] == [first, second, third]
    credit, cash, transfer = sales
    p = place.products
    assert (credit["payment_method"], credit["member_number"], credit["total"]) == (
        "kredit",
        number,
        169_500,
    )
    assert sorted(
        (line["product"], line["quantity"], line["unit_price"]) for line in credit["lines"]
    ) == sorted(
        [
            (p["Beras Premium 5 kg"]["id"], 2, 76_000),
            (p["Gula Pasir 1 kg"]["id"], 1, 17_500),
        ]
    )
    assert (cash["payment_method"], cash["total"], cash["cash_given"], cash["change"]) == (
        "tunai",
        54_100,
        100_000,
        45_900,
    )
    assert cash["member_number"] is None
    assert (transfer["payment_method"], transfer["total"]) == ("transfer", 8_500)
    assert not any(s["late"] for s in sales)

    after = await stock(running_server, place)
    for product, sold in [
        ("Beras Premium 5 kg", 2),
        ("Gula Pasir 1 kg", 1),
        ("Minyak Goreng Minyakita 1 L", 3),
        ("Mi Instan Goreng", 2),
        ("Teh Celup isi 25", 1),
    ]:
        pid = p[product]["id"]
        assert after.get(pid, 0) == before.get(pid, 0) - sold, product
    await books_balance(running_server, place.koperasi_id)

    # The till, opened again: nothing pending, the history says sent.
    till = await open_till(person.context)
    await expect(till.locator("#sync-pending")).to_have_text("0")
    await till.locator("#history-section summary").click()
    history = till.locator("#history")
    await expect(history.get_by_role("listitem")).to_have_count(3)
    await expect(history).not_to_contain_text("belum terkirim")
    await expect(history.get_by_role("listitem").first).to_contain_text("terkirim")

    # A receipt from the history, again (reprint).
    await history.get_by_role("button", name=f"Lihat struk {second}").click()
    await expect(till.locator(".pos-receipt-number")).to_have_text(second)
    await expect(till.locator("#receipt")).to_contain_text("Rp 45.900")
    share = await till.get_by_role("link", name="Kirim lewat WhatsApp").get_attribute("href")
    assert share is not None and share.startswith("https://wa.me/?text=")
    assert second in share

    # On paper: the receipt alone, 58 mm wide.
    await till.emulate_media(media="print")
    await expect(till.locator("#receipt")).to_be_visible()
    for hidden in ("#pos-sync", ".topbar", "#pos-tools", ".pos-receipt-actions"):
        await expect(till.locator(hidden)).to_be_hidden()
    box = await till.locator("#receipt").bounding_box()
    assert box is not None and abs(box["width"] - 58 / 25.4 * 96) < 2, box
    await till.emulate_media(media="screen")


async def test_closing_the_shift_shows_the_server_report(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    person = await kasir(browser, server, running_server, "Budi Santoso")
    phones.append(person)
    till = await open_till(person.context)
    device = await register_device(till, "T01 · Toko Sejahtera Gajah Mada")
    await open_shift(till, 100_000)
    await add_item(till, "Air Mineral 600 ml", 5)
    await pay(till, "Tunai", 50_000)
    await new_sale(till)
    await add_item(till, "Pasta Gigi 190 g")
    await pay(till, "Transfer")
    await new_sale(till)
    await expect(till.locator("#sync-pending")).to_have_text("0")

    await till.get_by_role("button", name="Tutup shift").click()
    await expect(till.locator("#close-expected")).to_have_text("Rp 120.000")  # 100.000 + 5 × 4.000
    till.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await till.get_by_label("Kas dihitung (Rp)").fill("119000")
    await till.locator("#close-form").get_by_role("button", name="Tutup shift").click()
    await expect(till.locator("#report-source")).to_have_text("Laporan dari server.")
    report = till.locator("#report")
    await expect(report).to_contain_text("Penjualan (2)")
    await expect(report).to_contain_text("Rp 34.000")
    await expect(report).to_contain_text("Rp 120.000")
    await expect(report).to_contain_text("Rp 119.000")
    await expect(report).to_contain_text("-Rp 1.000")
    await expect(till.locator("#report-methods")).to_contain_text("Tunai: 1 · Rp 20.000")
    assert len(await server_sales(running_server, device)) == 2

    # The next shift closes without signal: the report is the phone's own, and says so.
    await till.get_by_role("button", name="Buka shift baru").click()
    await open_shift(till, 50_000)
    await expect(till.locator("#sync-pending")).to_have_text("0")
    await person.context.set_offline(True)
    await add_item(till, "Air Mineral 600 ml", 3)
    await pay(till, "Tunai", 20_000)
    await new_sale(till)
    await till.get_by_role("button", name="Tutup shift").click()
    await expect(till.locator("#close-expected")).to_have_text("Rp 62.000")
    till.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await till.get_by_label("Kas dihitung (Rp)").fill("62000")
    await till.locator("#close-form").get_by_role("button", name="Tutup shift").click()
    await expect(till.locator("#report-source")).to_contain_text("Dihitung di perangkat ini")
    await expect(report).to_contain_text("Penjualan (1)")
    await expect(report).to_contain_text("Rp 0")  # no difference
    await expect(till.locator("#sync-pending")).to_have_text("2")  # the sale, the close
    await person.context.set_offline(False)
    await till.get_by_role("button", name="Kirim sekarang").click()
    await expect(till.locator("#sync-pending")).to_have_text("0")
    assert len(await server_sales(running_server, device)) == 3


async def set_shop_rules(
    running_server: RunningServer, koperasi_id: int, max_discount_percent: int, qris: str
) -> None:
    """What a pengurus sets on the catalog's settings page, written straight to the rows."""
    async with server_db(running_server):
        row = await ShopSettings.select(ShopSettings.id).where(ShopSettings.koperasi == koperasi_id)
        values = {
            ShopSettings.max_discount_percent: max_discount_percent,
            ShopSettings.qris_payload: qris,
        }
        if row:
            await ShopSettings.update(values).where(ShopSettings.koperasi == koperasi_id)
        else:
            await ShopSettings.insert(
                ShopSettings(
                    koperasi=koperasi_id,
                    max_discount_percent=max_discount_percent,
                    qris_payload=qris,
                )
            )


async def test_line_discount_within_the_limit_and_qris_with_the_amount(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    place = await shop(running_server)
    static = static_qris("KSU BINA USAHA SEJAHTERA", "MOJOKERTO")
    await set_shop_rules(running_server, place.koperasi_id, 10, static)
    person = await kasir(browser, server, running_server, "Agus Salim")
    phones.append(person)
    till = await open_till(person.context)
    device = await register_device(till)
    await open_shift(till, 0)

    await add_item(till, "Beras Premium 5 kg")
    discount = till.get_by_label(
        "Diskon Beras Premium 5 kg (Rp, paling banyak Rp 7.800)", exact=True
    )
    await discount.fill("10000")  # above 10 %: held at the limit
    await expect(till.locator("#total")).to_have_text("Rp 70.200")
    await discount.press("Tab")
    await expect(discount).to_have_value("7800")

    await till.get_by_label("QRIS", exact=True).check()
    await till.get_by_role("button", name="Bayar", exact=True).click()
    await expect(till.get_by_role("heading", name="Bayar dengan QRIS")).to_be_visible()
    await expect(till.locator("#qris-amount")).to_have_text("Rp 70.200")
    await expect(till.get_by_role("img", name="Kode QRIS untuk membayar Rp 70.200")).to_be_visible()
    shown = await till.locator("#qris-code").get_attribute("data-payload")
    assert shown == qris_with_amount(static, 70_200)
    await till.get_by_role("button", name="Sudah dibayar").click()
    await expect(till.locator(".pos-receipt-number")).to_have_text(f"{device}-000001")
    await expect(till.locator("#receipt")).to_contain_text("-Rp 7.800")
    await expect(till.locator("#sync-pending")).to_have_text("0")
    [sale] = await server_sales(running_server, device)
    assert (sale["payment_method"], sale["total"], sale["cash_given"]) == ("qris", 70_200, None)
    assert [line["discount"] for line in sale["lines"]] == [7_800]
    await set_shop_rules(running_server, place.koperasi_id, 0, "")


async def test_sign_out_is_refused_while_sales_wait(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    person = await kasir(browser, server, running_server, "Dewi Lestari")
    phones.append(person)
    till = await open_till(person.context)
    await register_device(till)
    await open_shift(till, 0)
    await expect(till.locator("#sync-pending")).to_have_text("0")
    await person.context.set_offline(True)
    await add_item(till, "Garam Beryodium 250 g")
    await pay(till)
    await expect(till.locator("#sync-pending")).to_have_text("1")
    await till.get_by_role("button", name="Keluar dari akun").click()
    await expect(till.locator("#message-alert")).to_contain_text("Belum bisa keluar: 1 data")
    await expect(till).to_have_url(re.compile(r"/kasir$"))
    await person.context.set_offline(False)
    await till.get_by_role("button", name="Kirim sekarang").click()
    await expect(till.locator("#sync-pending")).to_have_text("0")
    await till.get_by_role("button", name="Keluar dari akun").click()
    await expect(till).to_have_url(f"{server}/")
    till = await open_till(person.context)
    await expect(till.get_by_role("heading", name="Masuk dulu")).to_be_visible()


async def test_till_at_360_px_has_no_serious_accessibility_violations(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    person = await kasir(browser, server, running_server, "Rina Axe", bypass_csp=True)
    phones.append(person)
    await person.page.set_viewport_size({"width": 360, "height": 740})
    till = await person.context.new_page()
    await till.set_viewport_size({"width": 360, "height": 740})
    await till.goto("/kasir")
    await till_ready(till)
    await _axe(till, "/kasir (register)")
    await register_device(till)
    await _axe(till, "/kasir (open shift)")
    await open_shift(till, 50_000)
    await add_item(till, "Kecap Manis 520 ml", 2)
    await add_item(till, "Telur Ayam Ras 1 kg")
    place = await shop(running_server)
    search = till.get_by_label("Cari barang, SKU atau barcode")
    await search.fill(place.products["Air Mineral 600 ml"]["barcode"])  # typed or scanned
    await search.press("Enter")
    await expect(till.get_by_label("Jumlah Air Mineral 600 ml", exact=True)).to_have_value("1")
    await expect(search).to_have_value("")
    await search.fill("sabun")
    await _axe(till, "/kasir (cart and search results)")
    width = await till.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the till scrolls sideways at 360 px ({width} px)"
    await pay(till, "Tunai", 100_000)
    await _axe(till, "/kasir (receipt)")
    width = await till.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the receipt scrolls sideways at 360 px ({width} px)"


async def test_shell_is_the_same_for_everyone_and_cached_per_language(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        anonymous = await client.get("/kasir")
        english = await client.get("/kasir", headers={"Cookie": f"{LANGUAGE_COOKIE}=en"})
        worker = await client.get("/sw.js")
        module = await client.get("/sw/outbox.js")
        unknown = await client.get("/sw/sw.js")
    assert anonymous.status_code == 200
    # Cacheable by the service worker (no-cache revalidates; no-store would forbid it).
    assert anonymous.headers["cache-control"] == "no-cache"
    assert "csrf-token" not in anonymous.text
    assert "Daftarkan ponsel ini sebagai kasir" in anonymous.text
    assert english.status_code == 200 and 'lang="en"' in english.text
    assert "Register this phone as a till" in english.text
    assert "Daftarkan ponsel ini sebagai kasir" not in english.text
    for url in ("/kasir", "/sw/outbox.js", "/sw/qris.js", "/sw/qr.js", "/sw/pos.js"):
        assert f'"{url}"' in worker.text, url
    assert 'importScripts("/sw/outbox.js"' in worker.text
    assert module.status_code == 200
    assert module.headers["content-type"].startswith("text/javascript")
    assert unknown.status_code == 404  # only the till's modules, never sw.js's template

    # Signed in, the shell is byte for byte what anybody gets: nothing personal in it.
    person = await kasir(browser, server, running_server, "Nur Hidayah")
    phones.append(person)
    signed_in = await person.page.request.get("/kasir")
    assert signed_in.ok and await signed_in.text() == anonymous.text


async def test_offline_the_till_opens_in_the_language_last_seen(
    page: Page, context: BrowserContext, server: str
) -> None:
    await page.goto("/kasir")  # the worker installs, precaching the shell in Indonesian
    await wait_for_service_worker(page)
    await context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "en", "url": server}])
    await page.reload()  # online: the English shell, kept by the worker
    await expect(page.get_by_role("heading", level=1)).to_have_text("Cashier")
    await context.set_offline(True)
    try:
        await page.reload()
        await till_ready(page)
        await expect(page.get_by_role("heading", level=1)).to_have_text("Cashier")
        await expect(page.get_by_role("heading", name="Sign in first")).to_be_visible()
    finally:
        await context.set_offline(False)


# --- QRIS and the QR code, against the Python references -------------------------------------


def static_qris(merchant: str, city: str, extra: str = "") -> str:
    def tlv(tag: str, value: str) -> str:
        return f"{tag}{len(value):02d}{value}"

    account = tlv("00", "ID.CO.QRIS.WWW") + tlv("01", "936008990000012345") + tlv("03", "UMI")
    body = (
        tlv("00", "01")
        + tlv("01", "11")
        + tlv("26", account)
        + tlv("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID1025123456789"))
        + tlv("52", "5411")
        + tlv("53", "360")
        + tlv("58", "ID")
        + tlv("59", merchant)
        + tlv("60", city)
        + tlv("61", "61311")
        + extra
        + "6304"
    )
    return body + qris_crc(body)


QRIS_CASES = [
    (static_qris("KOPERASI SRIKANDI", "MOJOKERTO"), 1),
    (static_qris("KSU BINA USAHA", "KOTA MOJOKERTO"), 54_100),
    (static_qris("Toko Koperasi Ibu", "Mojokerto", "6207" + "0703A01"), 1_234_567),
    (static_qris("KPRI MAJAPAHIT", "MOJOKERTO"), 99_999_999_999),
]


async def test_qris_amount_and_qr_code_match_the_python_references(page: Page) -> None:
    await page.goto("/kasir")
    await till_ready(page)
    for payload, amount in QRIS_CASES:
        made = await page.evaluate(
            "([payload, amount]) => self.KoroenaQris.withAmount(payload, amount)",
            [payload, amount],
        )
        assert made == qris_with_amount(payload, amount), (payload, amount)
        assert "010212" in made and f"54{len(str(amount)):02d}{amount}" in made
        assert await page.evaluate("(p) => self.KoroenaQris.valid(p)", made)
    assert await page.evaluate("() => self.KoroenaQris.crc16('123456789')") == "29B1"

    texts = [made, "A", "x" * 100, "é ü 中文 QRIS", "0" * 500, "Z" * 2000]
    for text in texts:
        qr = await page.evaluate(
            "(t) => { const q = self.KoroenaQr.encode(t);"
            " return {version: q.version, mask: q.mask,"
            " rows: q.modules.map((r) => r.map((b) => (b ? '1' : '0')).join(''))}; }",
            text,
        )
        with _segno_spec_padding():
            reference = segno.make(
                text,
                error="m",
                version=qr["version"],
                mode="byte",
                mask=qr["mask"],
                boost_error=False,
                micro=False,
                encoding="utf-8",
            )
            smallest = segno.make(
                text, error="m", mode="byte", boost_error=False, micro=False, encoding="utf-8"
            )
        assert qr["version"] == smallest.version, text[:20]
        assert qr["rows"] == ["".join(str(b) for b in row) for row in reference.matrix], text[:20]


@contextmanager
def _segno_spec_padding() -> Iterator[None]:
    """segno pads a bit stream that already ends on a byte boundary with 8 more zero bits
    (ISO/IEC 18004 7.4.10 adds padding bits only up to the boundary). Both decode the same;
    to compare module by module, the reference uses the minimal padding the page uses."""
    original = segno_encoder.write_padding_bits

    def minimal(buff: Any, version: int, length: int) -> None:
        if version in (segno_consts.VERSION_M1, segno_consts.VERSION_M3):
            return
        buff.extend([0] * ((8 - length % 8) % 8))

    segno_encoder.write_padding_bits = minimal
    try:
        yield
    finally:
        segno_encoder.write_padding_bits = original
