"""The live ReactPy pages: search filters as you type, nothing errors or breaks the CSP,
the language switch works, and the websocket refuses other sites."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest
from playwright.async_api import ConsoleMessage, Error, Page, expect
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from frontend.i18n import translator

from ._support import HOME_HEADING, wait_for_live

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

DEMO_KOPERASI = 7
HOME_COMPONENT = "frontend.pages.home.HomePage"

# Runs before any page script, through the DevTools protocol, so the CSP does not apply to
# it; it records every CSP violation the page reports.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


async def test_live_search_filters_without_errors(page: Page) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"console.{message.type}: {message.text} @ {message.location}")

    def on_page_error(error: Error) -> None:
        problems.append(f"pageerror: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    await page.add_init_script(RECORD_CSP_VIOLATIONS)

    await page.goto("/")
    await wait_for_live(page)
    await expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    cards = page.locator("ul.cards > li")
    await expect(cards).to_have_count(DEMO_KOPERASI)

    # Filtering happens on the server, so this proves the websocket round trip works.
    await page.locator("#cari").fill("wanita")
    await expect(cards).to_have_count(1)
    await expect(cards.get_by_role("link")).to_have_text("Koperasi Wanita Srikandi")
    await expect(page.get_by_role("status").filter(has_text="Menampilkan")).to_have_text(
        f"Menampilkan 1 dari {DEMO_KOPERASI} koperasi"
    )

    # Enter in the search box must not submit (reload) the page.
    await page.locator("#cari").press("Enter")
    await expect(cards).to_have_count(1)
    assert await page.evaluate("document.documentElement.dataset.live") == "true"
    assert await page.evaluate("location.pathname + location.search") == "/"

    await page.locator("#cari").fill("")
    await expect(cards).to_have_count(DEMO_KOPERASI)

    assert await page.evaluate("window.__cspViolations") == []
    assert problems == [], "\n".join(problems)


async def test_kind_filter_select(page: Page) -> None:
    await page.goto("/")
    await wait_for_live(page)
    cards = page.locator("ul.cards > li")
    await expect(cards).to_have_count(DEMO_KOPERASI)
    await page.locator("#jenis").select_option("ksp")
    await expect(cards).to_have_count(1, timeout=5_000)
    await expect(cards.get_by_role("link")).to_have_text("KSP Artha Mandiri")


async def test_price_category_select(page: Page) -> None:
    await page.goto("/koperasi/kopwan-srikandi")
    await wait_for_live(page)
    rows = page.locator("table tbody tr")
    await expect(rows.first).to_be_visible()
    total = await rows.count()
    await page.locator("#kategori").select_option("Minuman")
    await expect(rows).not_to_have_count(total, timeout=5_000)
    groups = page.locator("table tbody th[scope=colgroup]")
    await expect(groups).to_have_count(1)
    await expect(groups).to_have_text("Minuman")
    await expect(page.locator("table")).to_contain_text("Air Mineral 600 ml")
    await expect(page.locator("table")).not_to_contain_text("Beras Premium")


async def test_language_switch(page: Page) -> None:
    html = page.locator("html")
    switch = page.locator("a.lang-switch")
    heading = page.get_by_role("heading", level=1)
    await page.goto("/")
    await wait_for_live(page)
    await expect(html).to_have_attribute("lang", "id")
    await expect(switch).to_have_text("English")

    english = translator("en")
    english_heading = english("Koperasi di {region}", region="Kota Mojokerto")
    await switch.click()
    # /bahasa/en sets the cookie and sends the browser back (303) to where it was.
    await expect(html).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/"
    await expect(switch).to_have_text("Bahasa Indonesia")
    await expect(switch).to_have_attribute("hreflang", "id")
    # Whatever the English catalog says (the source text while it is untranslated).
    await expect(heading).to_have_text(english_heading)
    cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
    assert cookies.get("koroena_lang") == "en"

    # The live page speaks the same language as the pre-rendered one.
    await wait_for_live(page)
    await expect(heading).to_have_text(english_heading)
    await expect(switch).to_have_text("Bahasa Indonesia")
    await expect(page.get_by_role("navigation").get_by_role("link").first).to_have_text(
        english("Beranda")
    )

    await switch.click()
    await expect(html).to_have_attribute("lang", "id")
    assert urlsplit(page.url).path == "/"
    await expect(heading).to_have_text(HOME_HEADING)
    await expect(switch).to_have_text("English")


def _websocket_url(server: str) -> str:
    return f"ws://{urlsplit(server).netloc}/_reactpy/{HOME_COMPONENT}/"


async def test_websocket_refuses_foreign_origin(server: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            _websocket_url(server), origin=Origin("http://evil.example"), open_timeout=10
        ):
            pass
    assert refused.value.response.status_code == 403


async def test_websocket_accepts_own_origin(server: str) -> None:
    frames: list[str] = []
    async with connect(_websocket_url(server), origin=Origin(server), open_timeout=10) as websocket:
        assert websocket.response is not None and websocket.response.status_code == 101
        # The first frame may show "Memuat…"; the directory follows once its data loaded.
        async with asyncio.timeout(15):
            while not any(HOME_HEADING in frame for frame in frames):
                frame = await websocket.recv()
                frames.append(frame if isinstance(frame, str) else frame.decode())
    assert all('"type":"layout-update"' in frame for frame in frames), frames
