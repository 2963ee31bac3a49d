"""Push fan-out: one announcement to 10,000 subscriptions, delivered by the sender to the
local stand-in push service (tests/support/push_service.py) on 127.0.0.1.

For each engine (SQLite, PostgreSQL) the script makes a fresh database and migrates it,
creates a koperasi with --subscriptions members (one anggota role and one subscribed
device each; each device has its own P-256 key pair and auth secret, made by the stand-in,
which runs as its own process so the two share no core), then times

- enqueue: `push.service.enqueue(Audience.in_koperasi(k, Role.ANGGOTA), …)` — the audience
  resolved into one outbox row per subscription;
- send: `PushWorker.run_until_idle()` — claim in batches, encrypt (aes128gcm) and sign
  (VAPID) every push, POST it with at most --concurrency in flight, record the answers.

The stand-in checks every token and decrypts every body; the run counts only if it
received each push exactly once with nothing refused and every outbox row is `sent`.
Goal (issue 8): enqueue + send under 10 s.

Usage: .venv/bin/python benchmarks/push_fanout.py [--subscriptions 10000]
       [--concurrency 100] [--batch 1000] [--engines sqlite,postgres] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
GOAL_SECONDS = 10.0
RESULTS_DIR = HERE / "results"
CHUNK = 500


class StandIn:
    """The stand-in push service in its own process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.push_service", "--port", "0"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("ready "):
            self.stop()
            raise RuntimeError(f"stand-in push service did not start: {line!r}")
        self.url = f"http://127.0.0.1:{line.split()[1]}"

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        import aiohttp

        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session,
            session.request(method, self.url + path, json=body) as response,
        ):
            response.raise_for_status()
            return await response.json()

    def cpu_seconds(self) -> float:
        """CPU time the stand-in process used so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _population(stand_in: StandIn, count: int) -> int:
    """A koperasi with `count` anggota, each with one subscribed device: bulk inserts
    (setting up is not what is measured). Returns the koperasi's id."""
    from backend.accounts.tables import RoleGrant, UserAccount
    from backend.push.tables import PushSubscription
    from backend.push.vapid import public_key
    from backend.tenancy.tables import Koperasi, Region

    region = await Region.insert(
        Region(slug="bench", name="Kota Bench", dinas_name="Dinas Bench")
    ).returning(Region.id)
    koperasi = await Koperasi.insert(
        Koperasi(region=region[0]["id"], slug="kop-bench", name="Kop Bench", kind="ksu")
    ).returning(Koperasi.id)
    k = int(koperasi[0]["id"])
    key = await public_key()
    subscriptions = await stand_in.call(
        "POST", "/_admin/subscribers", {"count": count, "application_server_key": key}
    )
    for start in range(0, count, CHUNK):
        part = subscriptions[start : start + CHUNK]
        users = await UserAccount.insert(
            *[
                UserAccount(display_name=f"Anggota {start + i}", user_handle=f"b{start + i}")
                for i in range(len(part))
            ]
        ).returning(UserAccount.id)
        ids = [int(u["id"]) for u in users]
        await RoleGrant.insert(
            *[RoleGrant(user=u, role="anggota", region=region[0]["id"], koperasi=k) for u in ids]
        )
        await PushSubscription.insert(
            *[
                PushSubscription(
                    user=u,
                    endpoint=s["endpoint"],
                    p256dh=s["keys"]["p256dh"],
                    auth=s["keys"]["auth"],
                    device_label="Chrome · Android",
                )
                for u, s in zip(ids, part, strict=True)
            ]
        )
    return k


async def run(engine_name: str, args: argparse.Namespace) -> dict[str, Any]:
    from backend.accounts.domain import Role
    from backend.db import connected, migrate
    from backend.push import service
    from backend.push.domain import Audience, Topic
    from backend.push.worker import PushWorker, WorkerConfig
    from backend.settings import Settings

    stand_in = StandIn()
    url = await _create_pg(args.postgres_url) if engine_name == "postgres" else ""
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = replace(Settings(), data_dir=Path(tmp), database_url=url)
            async with connected(settings):
                await migrate()
                k = await _population(stand_in, args.subscriptions)
                config = WorkerConfig.from_settings(
                    settings, concurrency=args.concurrency, batch=args.batch
                )
                async with PushWorker(config, name="bench") as worker:
                    cpu_before = _cpu_seconds()
                    stand_in_before = stand_in.cpu_seconds()
                    started = time.perf_counter()
                    notification_id = await service.enqueue(
                        Audience.in_koperasi(k, Role.ANGGOTA),
                        Topic.BERITA,
                        "Rapat Anggota Tahunan 2026",
                        "RAT tahun buku 2026 diadakan Sabtu, 16 Januari 2027 pukul 09.00 WIB "
                        "di aula koperasi. Mohon hadir tepat waktu dan membawa kartu anggota.",
                        "/berita/rat-2026",
                    )
                    enqueued = time.perf_counter()
                    stats = await worker.run_until_idle()
                    finished = time.perf_counter()
                    sender_cpu = _cpu_seconds() - cpu_before
                    stand_in_cpu = stand_in.cpu_seconds() - stand_in_before
                counts = await service.delivery_counts(notification_id)
    finally:
        received = await stand_in.call("GET", "/_admin/stats")
        stand_in.stop()
        if url:
            await _drop_pg(args.postgres_url, url)
    total = finished - started
    return {
        "engine": engine_name,
        "subscriptions": args.subscriptions,
        "concurrency": args.concurrency,
        "batch": args.batch,
        "enqueue_s": round(enqueued - started, 3),
        "send_s": round(finished - enqueued, 3),
        "total_s": round(total, 3),
        "deliveries_per_s": round(stats.sent / total, 1),
        # CPU seconds used meanwhile: on a busy machine wall time says little by itself.
        "sender_cpu_s": round(sender_cpu, 2),
        "stand_in_cpu_s": round(stand_in_cpu, 2),
        "load_average": list(os.getloadavg()),
        "sent": stats.sent,
        "outbox": {"sent": counts.sent, "other": counts.total - counts.sent},
        "stand_in": received,
    }


async def _create_pg(admin_url: str) -> str:
    import asyncpg

    name = f"bench_push_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def _drop_pg(admin_url: str, url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    failed = False
    results = []
    for name in args.engines.split(","):
        result = asyncio.run(run(name, args))
        results.append(result)
        exact = (
            result["stand_in"]["received"] == args.subscriptions
            and result["stand_in"]["rejected"] == 0
            and result["stand_in"]["duplicates"] == 0
            and result["outbox"]["other"] == 0
        )
        fast = result["total_s"] < GOAL_SECONDS
        failed |= not (exact and fast)
        verdict = "ok" if exact and fast else ("NOT EXACT" if not exact else "SLOWER THAN GOAL")
        print(
            f"{name:9} {args.subscriptions} pushes in {result['total_s']:6.2f} s"
            f" (enqueue {result['enqueue_s']:.2f} s, send {result['send_s']:.2f} s)"
            f" = {result['deliveries_per_s']:7.0f}/s; stand-in received"
            f" {result['stand_in']['received']}, refused {result['stand_in']['rejected']},"
            f" twice {result['stand_in']['duplicates']}  (goal < {GOAL_SECONDS:.0f} s) {verdict}"
        )
        print(
            f"{'':9} CPU: sender {result['sender_cpu_s']:.1f} s, stand-in"
            f" {result['stand_in_cpu_s']:.1f} s; load average"
            f" {result['load_average'][0]:.1f} on {os.cpu_count()} cores"
        )
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"push_fanout-{stamp}.json").write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
