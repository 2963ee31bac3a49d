"""The till (/kasir): how much it costs a cheap phone to load, and how fast a sale is safe.

1. Size: the JavaScript and CSS the page loads (every `<script src>` and stylesheet of
   /kasir, as served), raw and gzipped (level 9, as a compressing proxy or CDN would send
   them). Goal: well under 50 KB gzipped in total.
2. Tap on "Bayar" → the sale durable in IndexedDB: the page marks `performance.now()` when
   the tap's handler starts and measures `koroena-sale-durable` when the IndexedDB
   transaction that stores the sale, its outbox item and the next receipt number completes
   (durability "strict": on disk). Headless Debian Chromium with a real profile on disk (a
   persistent context: an incognito context keeps IndexedDB in memory), a cashier signed in
   with a passkey (virtual authenticator), a registered till and an open shift; N sales of
   one or two items, online (each sale is also sent to the server right after, as in a
   shop with signal). Goal: median under 30 ms.

It starts its own server (temporary data directory, `koroena migrate`, `koroena demo`,
`koroena serve` on a free port) and removes everything at the end.

Usage: .venv/bin/python benchmarks/pos_page.py [--sales 50] [--offline]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page, async_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_DIR = HERE / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KOPERASI = "ksu-bina-usaha-sejahtera"
PRODUCTS = ["Mi Instan Goreng", "Air Mineral 600 ml", "Teh Celup isi 25", "Gula Pasir 1 kg"]
SIZE_GOAL_KB = 50
DURABLE_GOAL_MS = 30
TIMEOUT_MS = 30_000
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}
# No proxy: an http_proxy in the environment must not intercept loopback requests.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class BenchError(RuntimeError):
    """The benchmark could not be set up or run; the message says why."""


@dataclass
class Asset:
    url: str
    raw: int
    gzipped: int


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_koroena() -> str:
    beside = Path(sys.executable).with_name("koroena")
    found = str(beside) if beside.exists() else shutil.which("koroena")
    if not found:
        raise BenchError("the `koroena` command is missing: run `make install` first")
    return found


def koroena(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [find_koroena(), *command],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"`koroena {' '.join(command)}` failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def get(url: str) -> bytes:
    with _OPENER.open(url, timeout=10) as response:
        return bytes(response.read())


def wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"koroena serve exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            get(f"{base}/api/v1/health")
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError("koroena serve did not answer within 60 s")


def page_assets(base: str) -> list[Asset]:
    """Every script and stylesheet /kasir loads, with its size raw and gzipped."""
    html = get(f"{base}/kasir").decode()
    urls = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    urls += re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets = []
    for url in urls:
        body = get(base + url)
        assets.append(Asset(url, len(body), len(gzip.compress(body, compresslevel=9))))
    return assets


async def sign_in_kasir(context: BrowserContext, link: str) -> None:
    """Join by the invitation with a passkey made by a virtual authenticator."""
    page = context.pages[0] if context.pages else await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable")
    await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    await page.goto(link)
    await page.get_by_label("Nama perangkat").fill("HP benchmark")
    await page.get_by_role("button", name=re.compile("passkey")).click()
    await page.wait_for_url(re.compile(r"/akun$"))


async def prepare_till(context: BrowserContext) -> Page:
    till = await context.new_page()
    await till.goto("/kasir")
    await till.wait_for_function("() => document.documentElement.dataset.pos === 'ready'")
    await till.get_by_label("Toko/gerai").select_option(index=0)
    await till.get_by_role("button", name="Daftarkan perangkat").click()
    await till.get_by_label("Modal kas awal (Rp)").fill("0")
    await till.get_by_role("button", name="Buka shift").click()
    await till.get_by_role("heading", name="Penjualan", exact=True).wait_for()
    return till


async def sell(till: Page, index: int) -> None:
    for name in PRODUCTS[index % len(PRODUCTS) : index % len(PRODUCTS) + 1 + index % 2]:
        await till.get_by_label("Cari barang, SKU atau barcode").fill(name)
        await till.get_by_role("button", name=f"Tambah {name}, Rp").click()
    await till.get_by_role("button", name="Bayar", exact=True).click()
    await till.get_by_role("heading", name="Struk", exact=True).wait_for()
    await till.get_by_role("button", name="Penjualan baru").click()
    await till.get_by_role("heading", name="Penjualan", exact=True).wait_for()


async def measure_sales(base: str, env: dict[str, str], sales: int, offline: bool) -> list[float]:
    link_text = koroena(
        ["invite", "--koperasi", KOPERASI, "--role", "kasir", "--name", "Kasir Benchmark"], env
    )
    found = re.search(r"http://localhost:\d+/undangan/[A-Za-z0-9_-]+", link_text)
    if not found:
        raise BenchError(f"no invitation link in:\n{link_text}")
    profile = Path(tempfile.mkdtemp(prefix="koroena-pos-profile-"))
    try:
        async with async_playwright() as p:
            context = await p.chromium.launch_persistent_context(
                user_data_dir=profile,
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
                headless=True,
                base_url=base,
            )
            context.set_default_timeout(TIMEOUT_MS)
            try:
                await sign_in_kasir(context, found.group(0))
                till = await prepare_till(context)
                if offline:
                    await context.set_offline(True)
                for index in range(sales):
                    await sell(till, index)
                durations: list[float] = await till.evaluate(
                    "() => performance.getEntriesByName('koroena-sale-durable')"
                    ".map((entry) => entry.duration)"
                )
            finally:
                await context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if len(durations) != sales:
        raise BenchError(f"{len(durations)} sales measured, expected {sales}")
    return durations


def report(assets: list[Asset], durations: list[float], args: argparse.Namespace) -> dict[str, Any]:
    print("\nPOS page (/kasir): JavaScript and CSS as served, gzip level 9\n")
    print(f"{'file':<28}{'raw B':>10}{'gzip B':>10}")
    for asset in assets:
        print(f"{asset.url:<28}{asset.raw:>10,}{asset.gzipped:>10,}")
    raw = sum(a.raw for a in assets)
    zipped = sum(a.gzipped for a in assets)
    verdict = "ok" if zipped < SIZE_GOAL_KB * 1000 else "OVER"
    goal = f"goal < {SIZE_GOAL_KB} KB: {verdict}"
    print(f"{'total':<28}{raw:>10,}{zipped:>10,}  ({zipped / 1000:.1f} KB; {goal})")
    ordered = sorted(durations)
    median = statistics.median(ordered)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    where = "offline" if args.offline else "online"
    print(f'\nTap on "Bayar" → sale durable in IndexedDB ({len(durations)} sales, {where}, strict)')
    spread = f"p90 {p90:.1f} ms · min {ordered[0]:.1f} ms · max {ordered[-1]:.1f} ms"
    verdict = "ok" if median < DURABLE_GOAL_MS else "OVER"
    print(f"median {median:.1f} ms · {spread}  (goal: median < {DURABLE_GOAL_MS} ms: {verdict})")
    return {
        "assets": [asdict(a) for a in assets],
        "total_raw_bytes": raw,
        "total_gzip_bytes": zipped,
        "sales": len(durations),
        "network": where,
        "durable_ms": {"median": median, "p90": p90, "min": ordered[0], "max": ordered[-1]},
        "durations_ms": durations,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sales", type=int, default=50, help="sales to time (default 50)")
    parser.add_argument(
        "--offline", action="store_true", help="sell with the network off (nothing is sent)"
    )
    parser.add_argument("--no-json", action="store_true", help="do not write benchmarks/results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    data_dir = Path(tempfile.mkdtemp(prefix="koroena-pos-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOROENA_")}
    env.update(KOROENA_DATA_DIR=str(data_dir), KOROENA_PORT=str(port))
    base = f"http://localhost:{port}"
    log = data_dir / "serve.log"
    proc: subprocess.Popen[bytes] | None = None
    try:
        koroena(["migrate"], env)
        koroena(["demo"], env)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [find_koroena(), "serve", "--port", str(port)],
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_ready(proc, base, log)
        assets = page_assets(base)
        durations = asyncio.run(measure_sales(base, env, args.sales, args.offline))
        result = report(assets, durations, args)
        if not args.no_json:
            RESULTS_DIR.mkdir(exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            path = RESULTS_DIR / f"pos_page-{stamp}.json"
            result["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
            path.write_text(json.dumps(result, indent=2) + "\n")
            print(f"\nwritten: {path.relative_to(REPO)}")
        return 0
    except BenchError as error:
        print(f"pos_page: {error}", file=sys.stderr)
        return 1
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
