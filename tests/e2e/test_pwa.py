"""The app is a real PWA: the service worker takes control and precaches the shell, the
shell and the offline page work without a network, and Chromium deems the app installable."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, Playwright, expect

from ._support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HOME_HEADING,
    OFFLINE_HEADING,
    TIMEOUT_MS,
    wait_for_service_worker,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_service_worker_controls_page_and_precaches_shell(page: Page) -> None:
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    await wait_for_service_worker(page)

    registration = await page.evaluate(
        """async () => {
            const reg = await navigator.serviceWorker.getRegistration("/");
            return {scope: reg.scope, script: reg.active && reg.active.scriptURL,
                    state: reg.active && reg.active.state};
        }"""
    )
    assert registration["scope"].endswith("/") and registration["script"].endswith("/sw.js")
    assert registration["state"] == "activated"

    # Still (or again) controlled after a reload, like any later visit.
    await page.reload()
    await page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    controller = await page.evaluate("() => navigator.serviceWorker.controller.scriptURL")
    assert controller.endswith("/sw.js")

    caches = await page.evaluate(
        """async () => {
            const result = {};
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                result[name] = (await cache.keys()).map((r) => new URL(r.url).pathname);
            }
            return result;
        }"""
    )
    shell = [name for name in caches if name.startswith("koroena-shell-")]
    assert len(shell) == 1, f"expected one koroena-shell-* cache, got {sorted(caches)}"
    cached = set(caches[shell[0]])
    for path in ("/", "/offline", "/tentang", "/manifest.webmanifest", "/static/app.js"):
        assert path in cached, f"{path} not precached; shell cache holds {sorted(cached)}"


async def test_offline_shows_cached_shell_and_offline_page(
    page: Page, context: BrowserContext
) -> None:
    heading = page.get_by_role("heading", level=1)
    banner = page.locator("#offline-banner")
    await page.goto("/")
    await wait_for_service_worker(page)
    # A page visited once online is kept for offline use (navigations are network-first).
    await page.goto("/koperasi/kopwan-srikandi")
    await expect(heading).to_contain_text("Srikandi")
    await page.goto("/")
    await expect(heading).to_have_text(HOME_HEADING)
    await expect(banner).to_be_hidden()

    await context.set_offline(True)
    try:
        await page.reload()
        await expect(heading).to_have_text(HOME_HEADING)
        await expect(banner).to_be_visible()
        await expect(banner).to_contain_text("offline")

        await page.goto("/koperasi/kopwan-srikandi")
        await expect(heading).to_contain_text("Srikandi")
        await expect(banner).to_be_visible()

        for never_visited in ("/koperasi/does-not-exist-xyz", "/koperasi/kpri-majapahit"):
            await page.goto(never_visited)
            await expect(heading).to_have_text(OFFLINE_HEADING)
            retry = page.get_by_role("link", name="Coba lagi")
            await expect(retry).to_have_attribute("href", "/")
    finally:
        await context.set_offline(False)

    # Back online, the same address comes from the network again.
    await page.goto("/koperasi/kpri-majapahit")
    await expect(heading).to_contain_text("Majapahit")
    await expect(banner).to_be_hidden()


async def test_app_is_installable(playwright: Playwright, server: str, tmp_path: Path) -> None:
    context = await playwright.chromium.launch_persistent_context(
        user_data_dir=tmp_path / "profile",
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=server,
    )
    try:
        context.set_default_timeout(TIMEOUT_MS)
        page = context.pages[0] if context.pages else await context.new_page()
        await page.goto("/")
        await wait_for_service_worker(page)
        cdp = await context.new_cdp_session(page)
        # Chromium checks asynchronously (manifest fetch, icon download): let it settle.
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        result = await cdp.send("Page.getInstallabilityErrors")
        while result["installabilityErrors"] and time.monotonic() < deadline:
            await page.wait_for_timeout(250)
            result = await cdp.send("Page.getInstallabilityErrors")
        assert result["installabilityErrors"] == [], result
        manifest = await cdp.send("Page.getAppManifest")
        assert manifest["url"] == f"{server}/manifest.webmanifest"
        assert not manifest.get("errors"), manifest["errors"]
    finally:
        await context.close()


async def test_manifest_fields_and_icons(server: str) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        response = await client.get("/manifest.webmanifest")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/manifest+json")
        manifest = response.json()
        assert manifest["lang"] == "id"
        assert manifest["name"].startswith("Koroena")
        assert manifest["short_name"] == "Koroena"
        assert len(manifest["short_name"]) <= 12  # fits under a home-screen icon
        assert manifest["start_url"].startswith("/")
        assert manifest["scope"] == "/"
        assert manifest["display"] == "standalone"
        assert manifest["theme_color"].startswith("#")
        assert manifest["background_color"].startswith("#")

        icons = manifest["icons"]
        sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in icons}
        assert ("192x192", "any") in sizes
        assert ("512x512", "any") in sizes
        assert any("maskable" in icon.get("purpose", "").split() for icon in icons)
        for icon in icons:
            assert icon["type"] == "image/png"
            image = await client.get(icon["src"])
            assert image.status_code == 200, icon
            assert image.headers["content-type"] == "image/png", icon
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert _png_size(image.content) == (width, height), icon

        home = await client.get("/")
        assert home.status_code == 200
        assert '<link rel="manifest" href="/manifest.webmanifest">' in home.text
        assert f'<meta name="theme-color" content="{manifest["theme_color"]}">' in home.text


async def test_service_worker_headers(server: str) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        response = await client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["service-worker-allowed"] == "/"
    assert "no-cache" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/javascript")
    assert "__CACHE_VERSION__" not in response.text
    assert "__PRECACHE_URLS__" not in response.text
    assert "koroena-shell-" in response.text
