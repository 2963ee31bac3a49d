"""End-to-end fixtures: a real `koroena serve` on a free port with the demo data, and one
headless Debian Chromium for the session (a fresh browser context per test).

The tests use Playwright's async API on pytest-asyncio's session loop: the sync API marks
its own event loop as running in the main thread for as long as it is open, which breaks
every async test that runs after it in the same process (xdist worker)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    async_playwright,
    expect,
)

from ._support import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

STARTUP_TIMEOUT_S = 30.0

expect.set_options(timeout=TIMEOUT_MS)

# The `koroena` script installed beside this interpreter (the project's virtualenv).
KOROENA = Path(sys.executable).with_name("koroena")
if not KOROENA.exists():
    KOROENA = Path(shutil.which("koroena") or KOROENA)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _koroena(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(KOROENA), *args], env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        pytest.fail(
            f"koroena {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"koroena serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer 200 within {STARTUP_TIMEOUT_S:.0f} s:\n{log.read_text()}")


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    data_dir: Path
    env: dict[str, str]

    @property
    def database(self) -> Path:
        """The SQLite file the server uses."""
        return self.data_dir / "koroena.sqlite"

    def koroena(self, *args: str) -> str:
        """Run the `koroena` command against the server's database; its output. Links it
        prints point at the server (KOROENA_PORT is the server's port)."""
        return _koroena(*args, env=self.env)

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(
                f"koroena serve exited with {self.process.returncode}:\n{self.log.read_text()}"
            )


@pytest.fixture(scope="session")
def running_server() -> Iterator[RunningServer]:
    """A running Koroena with the demo data loaded, on a free port."""
    if not KOROENA.exists():
        pytest.fail(f"{KOROENA} not found: install the project (pip install -e '.[dev]')")
    data_dir = Path(tempfile.mkdtemp(prefix="koroena-e2e-"))
    env = {**os.environ, "KOROENA_DATA_DIR": str(data_dir)}
    for name in [n for n in env if n.startswith("KOROENA_") and n != "KOROENA_DATA_DIR"]:
        del env[name]  # a developer's own settings must not leak into the tests
    port = _free_port()
    env["KOROENA_PORT"] = str(port)
    # Every test signs people in and opens invitations from the same address (127.0.0.1):
    # the per-address limit of a real server would stop the suite, not an attacker.
    env["KOROENA_AUTH_ATTEMPTS_PER_MINUTE"] = "1000"
    _koroena("migrate", env=env)
    _koroena("demo", env=env)
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(KOROENA), "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://localhost:{port}"
    try:
        _wait_healthy(f"{base_url}/api/v1/health", process, log)
        yield RunningServer(base_url, process, log, data_dir, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def server(running_server: RunningServer) -> Iterator[str]:
    """Base URL (http://localhost:<port>) of the running Koroena; the test fails with the
    server's log if the server died before or during it."""
    running_server.check_alive()
    yield running_server.url
    running_server.check_alive()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium")
    async with async_playwright() as p:
        yield p


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    browser = await playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def context(browser: Browser, server: str) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(context: BrowserContext) -> Page:
    return await context.new_page()
