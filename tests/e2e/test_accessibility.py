"""axe-core finds no serious or critical accessibility violation on the public pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, expect

from ._support import TIMEOUT_MS, wait_for_live

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest_asyncio.fixture(loop_scope="session")
async def axe_context(browser: Browser, server: str) -> AsyncIterator[BrowserContext]:
    # axe is injected as a script, which the page's strict CSP would (rightly) refuse.
    context = await browser.new_context(base_url=server, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    await context.close()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').strip()}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("path", "live"),
    [
        ("/", True),
        ("/offline", False),
        ("/tentang", True),
        ("/koperasi/kopwan-srikandi", True),
    ],
)
async def test_no_serious_accessibility_violations(
    axe_context: BrowserContext, path: str, live: bool
) -> None:
    page = await axe_context.new_page()
    response = await page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    if live:
        await wait_for_live(page)  # check the page people use, not only the pre-rendered one

    results = await Axe().run(page)
    assert results.response["testEngine"]["name"] == "axe-core"
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {path}:\n{_describe(blocking)}"
