"""Shared constants and helpers of the end-to-end tests."""

from __future__ import annotations

from playwright.async_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: a cold Chromium on a busy CI machine is slow; a warm one is fast anyway.
TIMEOUT_MS = 15_000

HOME_HEADING = "Koperasi di Kota Mojokerto"
OFFLINE_HEADING = "Anda sedang offline"


async def wait_for_service_worker(page: Page) -> None:
    """Wait until the worker is active (its install precached the shell) and controls
    `page` (its activate ran clients.claim)."""
    await page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    # The install precaches the shell and the till's scripts; with the other test worker
    # busy on the same two cores, taking control has been seen to need more than 15 s.
    await page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null", timeout=3 * TIMEOUT_MS
    )


async def wait_for_live(page: Page) -> None:
    """Wait until app.js swapped the pre-rendered page for the live ReactPy one.
    (Predicates are functions, not strings: a string would need eval, which the CSP
    forbids.)"""
    await page.wait_for_function(
        "() => document.documentElement.dataset.live === 'true'", timeout=TIMEOUT_MS
    )
