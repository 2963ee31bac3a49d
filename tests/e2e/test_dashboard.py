"""The Dinas dashboard in a real browser on a 390 px phone: the officer opens it from the
header, a kasir's sale arrives through POST /api/v1/sync a moment later, and on reload the
dashboard shows it in today's sales, in the koperasi's row and in the chart's table. The
filters work without JavaScript, the chart switches by link, the drill-down opens the
koperasi's record. Every view passes axe and none scrolls sideways.

The server is shared with the other end-to-end tests: figures are compared before and after
the sale, never as absolute amounts."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from backend.catalog.tables import Product
from backend.db import connected, current_engine, use_engine
from backend.settings import Settings
from backend.tenancy.tables import Koperasi

from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

KOPERASI = "kopwan-srikandi"
KOPERASI_NAME = "Koperasi Wanita Srikandi"
PHONE: ViewportSize = {"width": 390, "height": 844}


@asynccontextmanager
async def server_db(running_server: RunningServer) -> AsyncIterator[None]:
    previous = current_engine()
    try:
        async with connected(Settings.from_env(running_server.env)):
            yield
    finally:
        use_engine(previous)


async def _product(running_server: RunningServer) -> tuple[int, int]:
    async with server_db(running_server):
        k = await Koperasi.select(Koperasi.id).where(Koperasi.slug == KOPERASI).first()
        assert k is not None
        product = (
            await Product.select(Product.id, Product.price)
            .where(Product.koperasi == k["id"])
            .order_by(Product.id)
            .first()
        )
        assert product is not None
    return int(product["id"]), int(product["price"])


def _amount(text: str | None) -> int:
    digits = re.sub(r"[^\d-]", "", text or "")
    return int(digits or 0)


async def _no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


async def _signed_in(browser: Browser, server: str, people: list[Person], link: str) -> Page:
    person = await _person(browser, server, bypass_csp=True)  # axe is injected
    people.append(person)
    await _register(person, link, "HP " + uuid.uuid4().hex[:6])
    await person.page.set_viewport_size(PHONE)
    return person.page


async def _sell(page: Page, server: str, product_id: int, price: int, quantity: int) -> None:
    """A kasir's till: register a device and sync one sale over HTTP, as the outbox does."""
    await page.goto("/akun")
    csrf = await page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert csrf
    headers = {"x-csrf-token": csrf, "origin": server}
    device = await page.request.post(
        "/api/v1/pos/devices", data={"outlet_code": "T01", "name": "HP Dasbor"}, headers=headers
    )
    assert device.status == 201, await device.text()
    code = (await device.json())["code"]
    sale = {
        "id": str(uuid.uuid4()),
        "kind": "sale",
        "payload": {
            "receipt_number": f"{code}-000001",
            "device_seq": 1,
            "sold_at": datetime.now(UTC).isoformat(),
            "shift_id": None,
            "member_number": None,
            "method": "tunai",
            "cash_given": None,
            "lines": [{"product_id": product_id, "quantity": quantity, "unit_price": price}],
            "total": price * quantity,
        },
    }
    synced = await page.request.post(
        "/api/v1/sync", data={"device": code, "items": [sale]}, headers=headers
    )
    assert synced.status == 200, await synced.text()
    assert (await synced.json())["results"][0]["status"] == "created"


async def test_the_dashboard_shows_a_sale_made_a_moment_earlier(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    people: list[Person] = []
    product_id, price = await _product(running_server)
    try:
        officer = await _signed_in(
            browser,
            server,
            people,
            _link(
                running_server.koroena(
                    "create-admin", "--region", "kota-mojokerto", "--name", "Bu Dasbor"
                )
            ),
        )
        page = officer
        await (
            page.get_by_role("navigation", name="Navigasi utama")
            .get_by_role("link", name="Pengawasan")
            .click()
        )
        await expect(page).to_have_url(re.compile(r"/pengawasan$"))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor pengawasan")
        row = page.locator(f'tr[data-koperasi="{KOPERASI}"]')
        await expect(row).to_contain_text(KOPERASI_NAME)
        today_before = _amount(await page.locator("#sales-today").text_content())
        row_before = _amount(await row.locator("td").nth(6).locator("span").first.text_content())
        await _axe(page, "/pengawasan")
        await _no_sideways_scroll(page)

        kasir = await _signed_in(
            browser,
            server,
            people,
            _link(
                running_server.koroena(
                    "invite", "--koperasi", KOPERASI, "--role", "kasir", "--name", "Kasir Dasbor"
                )
            ),
        )
        await _sell(kasir, server, product_id, price, quantity=3)

        # Back on the officer's phone: the sale is in today's figures at once.
        page = officer
        await page.reload()
        await expect(page.locator("#sales-today")).to_have_text(
            "Rp " + f"{today_before + 3 * price:,}".replace(",", ".")
        )
        row_after = _amount(await row.locator("td").nth(6).locator("span").first.text_content())
        assert row_after == row_before + 3 * price
        await page.get_by_text("Tabel angka grafik").click()
        today_line = page.locator(".chart-data tbody tr").first
        assert _amount(await today_line.locator("td").last.text_content()) >= 3 * price

        # Filters are a GET form; the chart switches by link.
        await page.get_by_label("Jenis", exact=True).select_option(label="Koperasi Simpan Pinjam")
        await page.get_by_role("button", name="Terapkan").click()
        await expect(page).to_have_url(re.compile(r"jenis=ksp"))
        await expect(page.locator("tr[data-koperasi]")).to_have_count(1)
        await expect(row).to_have_count(0)
        await page.get_by_role("link", name="Hapus saringan").click()
        await page.get_by_role("link", name="Per bulan (12 bulan)").click()
        await expect(page).to_have_url(re.compile(r"grafik=bulan"))
        await expect(page.locator(".chart .bar")).to_have_count(12)
        await _axe(page, "/pengawasan?grafik=bulan")
        await page.set_viewport_size({"width": 360, "height": 740})
        width = await page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, width
        await page.set_viewport_size(PHONE)

        # The drill-down: the koperasi's record.
        await row.get_by_role("link", name=KOPERASI_NAME).click()
        await expect(page).to_have_url(re.compile(rf"/pengawasan/koperasi/{KOPERASI}$"))
    finally:
        for person in people:
            await person.context.close()
