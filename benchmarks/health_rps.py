"""Requests per second of Koroena's GET /api/v1/health next to a bare Litestar endpoint.

Each target runs as its own uvicorn process (one worker) on a free loopback port, one after
the other so they never compete for the CPU. A load generator in a separate process keeps N
keep-alive HTTP/1.1 connections busy for a warm-up and then a measured window, and reports
the 200 responses completed inside the window. The ratio koroena/bare is the headline figure:
it is far steadier across machines than either absolute number.

Usage: .venv/bin/python benchmarks/health_rps.py [--duration 10] [--concurrency 32]
       [--warmup 2] [--postgres [URL]]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_DIR = HERE / "results"
HOST = "127.0.0.1"
# Any database on the server will do: the benchmark only connects to it to create its own.
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
KOROENA_PATH = "/api/v1/health"
BARE_PATH = "/health"
STARTUP_TIMEOUT_S = 60.0
# Target -> name in "ratio <name>/bare"; plain "koroena" is the default (SQLite) setup.
RATIO_LABELS = {"koroena (sqlite)": "koroena", "koroena (postgresql)": "koroena-postgresql"}


class BenchError(RuntimeError):
    """A target could not be set up or measured; the message says why."""


# --------------------------------------------------------------------------------------------
# Load generator: runs in its own process (see `measure`), so nothing here shares a GIL with
# the orchestration, and nothing here imports anything outside the standard library + uvloop.
# --------------------------------------------------------------------------------------------


class _Tally:
    """Outcomes by completion time: before the window is warm-up, after it is discarded."""

    def __init__(self, t_measure: float, t_end: float) -> None:
        self.t_measure = t_measure
        self.t_end = t_end
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.warmup_ok = 0
        self.warmup_errors = 0

    def response(self, status: int, latency: float, done: float) -> None:
        if done < self.t_measure:
            if status == 200:
                self.warmup_ok += 1
            else:
                self.warmup_errors += 1
        elif done < self.t_end:
            if status == 200:
                self.latencies.append(latency)
            else:
                self.errors[f"HTTP {status}"] += 1

    def error(self, kind: str, when: float) -> None:
        if when < self.t_measure:
            self.warmup_errors += 1
        elif when < self.t_end:
            self.errors[kind] += 1


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readline()).split(b";", 1)[0], 16)
        if size == 0:
            # Trailers (rare) end with an empty line, like the head.
            while (await reader.readline()) not in (b"\r\n", b""):
                pass
            return
        await reader.readexactly(size + 2)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; returns (status, connection stays open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = -1
    chunked = False
    keep_alive = True  # HTTP/1.1 default
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep_alive = b"close" not in value.lower()
    if chunked:
        await _read_chunked(reader)
    elif length >= 0:
        await reader.readexactly(length)
    else:
        # A body delimited by closing the connection would make every request a new
        # connection: that is not what we measure, so treat it as a failure.
        raise ValueError("response has neither Content-Length nor chunked encoding")
    return status, keep_alive


async def _client(port: int, request: bytes, tally: _Tally) -> None:
    """One keep-alive connection sending a request, waiting for its response, repeating."""
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    try:
        while (now := time.perf_counter()) < tally.t_end:
            if reader is None or writer is None:
                try:
                    reader, writer = await asyncio.open_connection(HOST, port)
                except OSError as exc:
                    tally.error(f"connect {type(exc).__name__}", now)
                    await asyncio.sleep(0.05)  # server gone or backlog full: do not spin
                    continue
            started = time.perf_counter()
            try:
                writer.write(request)
                status, keep_alive = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                tally.error(f"io {type(exc).__name__}", time.perf_counter())
                keep_alive = False
            except (ValueError, IndexError) as exc:  # a malformed response
                tally.error(f"protocol {type(exc).__name__}", time.perf_counter())
                keep_alive = False
            else:
                done = time.perf_counter()
                tally.response(status, done - started, done)
            if not keep_alive:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of `pid` from /proc (Linux); None elsewhere."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    fields = raw.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> float | None:
    """CPU seconds spent busy on all cores since boot, from /proc/stat (Linux); None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _pct(before: float | None, after: float | None, wall: float) -> float | None:
    return None if before is None or after is None else round(100 * (after - before) / wall, 1)


async def _sample_cpu(server_pid: int, tally: _Tally) -> dict[str, float | None]:
    """CPU use over the measured window in % of one core: the server, this process and the
    whole machine (whatever else runs, e.g. PostgreSQL or someone's tests, is the rest)."""
    await asyncio.sleep(max(0.0, tally.t_measure - time.perf_counter()))
    before = (_cpu_seconds(server_pid), time.process_time(), _machine_busy_seconds())
    wall0 = time.perf_counter()
    await asyncio.sleep(max(0.0, tally.t_end - time.perf_counter()))
    after = (_cpu_seconds(server_pid), time.process_time(), _machine_busy_seconds())
    wall = time.perf_counter() - wall0
    server, client, machine = (_pct(b, a, wall) for b, a in zip(before, after, strict=True))
    return {"server_cpu_pct": server, "client_cpu_pct": client, "machine_cpu_pct": machine}


def _percentile_ms(cuts: list[float], p: int) -> float:
    return round(cuts[p - 1] * 1000, 3)


async def _run_load(
    port: int, path: str, concurrency: int, warmup: float, duration: float, server_pid: int
) -> dict[str, Any]:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n\r\n"
    ).encode()
    t_measure = time.perf_counter() + warmup
    tally = _Tally(t_measure, t_measure + duration)
    sampler = asyncio.create_task(_sample_cpu(server_pid, tally))
    clients = [asyncio.create_task(_client(port, request, tally)) for _ in range(concurrency)]
    # A request still in flight at the end is not counted anyway: give stragglers 5 s.
    done, pending = await asyncio.wait(clients, timeout=warmup + duration + 5)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        if (exc := task.exception()) is not None:
            raise exc  # a bug in the client, not a server error: fail loudly
    cpu = await sampler
    latencies = tally.latencies
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    return {
        "requests": len(latencies),
        "seconds": duration,
        "rps": round(len(latencies) / duration, 1),
        "p50_ms": _percentile_ms(cuts, 50) if cuts else None,
        "p90_ms": _percentile_ms(cuts, 90) if cuts else None,
        "p99_ms": _percentile_ms(cuts, 99) if cuts else None,
        "max_ms": round(max(latencies) * 1000, 3) if latencies else None,
        "errors": dict(tally.errors),
        "warmup_requests": tally.warmup_ok,
        "warmup_errors": tally.warmup_errors,
        **cpu,
        "pending_at_end": len(pending),
    }


def _load_process(conn: Connection, *args: Any) -> None:
    """Entry point of the load-generator process: run the load, send the summary back."""
    # Ctrl+C is for the parent, which stops this process itself; no second traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None
    with contextlib.suppress(ImportError):
        # Installed with uvicorn[standard]. A third less client CPU than asyncio, and with it
        # the bare app's figure matches wrk's (see README).
        import uvloop

        loop_factory = uvloop.new_event_loop
    try:
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            result = runner.run(_run_load(*args))
        result["client_loop"] = "uvloop" if loop_factory else "asyncio"
        conn.send(result)
    except BaseException as exc:
        conn.send({"failure": f"load generator failed: {type(exc).__name__}: {exc}"})
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# Orchestration: servers, readiness, measuring, reporting.
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    target: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    errors: dict[str, int]
    warmup_requests: int
    warmup_errors: int
    server_cpu_pct: float | None
    client_cpu_pct: float | None
    machine_cpu_pct: float | None  # all cores, so up to cpu_count * 100
    pending_at_end: int
    client_loop: str
    extra: dict[str, Any] = field(default_factory=dict)


def free_port() -> int:
    # Let the kernel pick, then release it for the server. Another process could take it in
    # between; the server then fails to start, which wait_ready reports.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def clean_env(**koroena: str) -> dict[str, str]:
    """This environment without KOROENA_* (a developer's settings must not leak in) + ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOROENA_")}
    env.update(koroena)
    return env


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


# No proxy: an http_proxy in the environment must not intercept loopback probes.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def wait_ready(proc: subprocess.Popen[bytes], name: str, url: str, log: Path) -> dict[str, Any]:
    """Poll `url` until it answers 200 with JSON; fail early if the server exits."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last = "no answer"
    while time.monotonic() < deadline:
        if (code := proc.poll()) is not None:
            raise BenchError(f"{name} exited with code {code} while starting:\n{log_tail(log)}")
        try:
            with _OPENER.open(url, timeout=2) as response:
                body: dict[str, Any] = json.loads(response.read())
                return body
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read()[:300]!r}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.1)
    raise BenchError(f"{name} not ready after {STARTUP_TIMEOUT_S:.0f} s ({last}):\n{log_tail(log)}")


@contextlib.contextmanager
def server(
    name: str, argv: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server for the block's duration; always stop it, Ctrl+C included."""
    with log.open("wb") as log_file:
        # Own session: a Ctrl+C in the terminal reaches only us, and we stop the server in
        # order. Output goes to a file: Koroena logs a line per request and a full pipe
        # would stall it.
        proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(target: str, port: int, path: str, server_pid: int, args: argparse.Namespace) -> Result:
    # spawn, not fork: the child starts clean instead of inheriting the parent's state.
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    load_args = (port, path, args.concurrency, args.warmup, args.duration, server_pid)
    proc = ctx.Process(target=_load_process, args=(sender, *load_args), daemon=True)
    proc.start()
    sender.close()
    payload: dict[str, Any] | None = None
    try:
        # Bounded wait: start-up of the child + warm-up + window + the stragglers' 5 s.
        if not receiver.poll(args.warmup + args.duration + 30):
            raise BenchError(f"{target}: load generator did not finish in time")
        payload = receiver.recv()
    except EOFError as exc:
        raise BenchError(f"{target}: load generator died (exit code {proc.exitcode})") from exc
    finally:
        # With its summary sent the child is exiting; otherwise (timeout, Ctrl+C) stop it now.
        proc.join(timeout=5 if payload is not None else 0)
        if proc.is_alive():
            proc.terminate()
            proc.join()
        receiver.close()
    assert payload is not None  # every other path raised above
    if "failure" in payload:
        raise BenchError(f"{target}: {payload['failure']}")
    return Result(target=target, **payload)


def measure_alive(
    target: str,
    proc: subprocess.Popen[bytes],
    port: int,
    path: str,
    log: Path,
    args: argparse.Namespace,
) -> Result:
    """`measure`, but a server that died on the way is a failure with its log, not a figure."""
    result = measure(target, port, path, proc.pid, args)
    if (code := proc.poll()) is not None:
        raise BenchError(f"{target} exited with code {code} during the run:\n{log_tail(log)}")
    return result


def run_cli(koroena: str, command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [koroena, *command],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise BenchError(f"`koroena {' '.join(command)}` failed ({done.returncode}):\n{output}")


def bench_bare(args: argparse.Namespace, tmp: Path) -> Result:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(HERE),
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
        "bare_app:app",
    ]
    log = tmp / "bare.log"
    with server("bare", argv, clean_env(), log) as proc:
        wait_ready(proc, "bare", f"http://{HOST}:{port}{BARE_PATH}", log)
        return measure_alive("bare", proc, port, BARE_PATH, log, args)


def bench_koroena(
    args: argparse.Namespace, tmp: Path, koroena: str, database_url: str | None
) -> Result:
    engine = "postgresql" if database_url else "sqlite"
    target = f"koroena ({engine})"
    data_dir = tmp / f"data-{engine}"
    data_dir.mkdir()
    extra = {"KOROENA_DATABASE_URL": database_url} if database_url else {}
    env = clean_env(KOROENA_DATA_DIR=str(data_dir), **extra)
    run_cli(koroena, ["migrate"], env)
    run_cli(koroena, ["demo"], env)
    port = free_port()
    # `koroena serve` is uvicorn with one worker, log level warning and no access log.
    argv = [koroena, "serve", "--host", HOST, "--port", str(port)]
    log = tmp / f"koroena-{engine}.log"
    with server(target, argv, env, log) as proc:
        body = wait_ready(proc, target, f"http://{HOST}:{port}{KOROENA_PATH}", log)
        database = body.get("database", {})
        if body.get("status") != "ok" or database.get("engine") != engine:
            raise BenchError(f"{target}: unexpected health answer {body}")
        result = measure_alive(target, proc, port, KOROENA_PATH, log, args)
    result.extra["database"] = database_url or "sqlite file in a temp dir"
    return result


async def _pg_admin(admin_url: str, statement: str) -> None:
    import asyncpg  # installed with piccolo[postgres]

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextlib.contextmanager
def pg_database(admin_url: str) -> Iterator[str]:
    """A new, empty database for this run on the server of `admin_url`; dropped afterwards.

    A fresh one each run: `koroena migrate` leaves its schema and the demo data behind, and
    a database kept from an older checkout could hold migrations the code no longer has.
    """
    import asyncpg

    name = f"koroena_bench_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_pg_admin(admin_url, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        raise BenchError(f"PostgreSQL at {admin_url} is not usable: {exc}") from exc
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        try:
            asyncio.run(_pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except (OSError, asyncpg.PostgresError) as exc:
            print(f"warning: could not drop database {name}: {exc}", file=sys.stderr)


def find_koroena() -> str:
    beside = Path(sys.executable).with_name("koroena")
    found = str(beside) if beside.exists() else shutil.which("koroena")
    if not found:
        raise BenchError("the `koroena` command is missing: run `make install` first")
    return found


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def other_cpu(r: Result) -> float | None:
    """CPU the machine spent outside the server and the load generator during the window."""
    if r.machine_cpu_pct is None or r.server_cpu_pct is None or r.client_cpu_pct is None:
        return None
    return max(0.0, r.machine_cpu_pct - r.server_cpu_pct - r.client_cpu_pct)


def print_table(results: list[Result]) -> None:
    header = (
        f"{'target':<20} {'requests':>9} {'seconds':>8} {'req/s':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7} {'CPU% server':>12} {'client':>7} {'other':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.target:<20} {r.requests:>9} {r.seconds:>8.2f} {r.rps:>9.1f} "
            f"{fmt(r.p50_ms, '.2f'):>8} {fmt(r.p99_ms, '.2f'):>8} {sum(r.errors.values()):>7} "
            f"{fmt(r.server_cpu_pct, '.0f'):>12} {fmt(r.client_cpu_pct, '.0f'):>7} "
            f"{fmt(other_cpu(r), '.0f'):>6}"
        )
    print(
        "CPU% is of one core over the window; 'other' is the rest of the machine (on "
        "PostgreSQL that includes the database server)."
    )
    for r in results:
        if r.errors:
            print(f"  errors in {r.target}: {r.errors}")
    # The database server is expected "other" load; anything else means a noisy run.
    busy = [r.target for r in results if "postgresql" not in r.target and (other_cpu(r) or 0) > 25]
    if busy:
        print(f"  warning: other processes used CPU during {', '.join(busy)}; figures are noisy")


def ratio(results: dict[str, Result], target: str) -> float | None:
    bare, other = results.get("bare"), results.get(target)
    if bare is None or other is None or bare.rps == 0:
        return None
    return round(other.rps / bare.rps, 3)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds (10)")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive clients (32)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first (2)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=DEFAULT_PG_URL,
        metavar="URL",
        help="also measure Koroena on PostgreSQL; URL names the server (default "
        f"{DEFAULT_PG_URL}); a database koroena_bench_<random> is created there for the "
        "run and dropped after it",
    )
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.warmup < 0 or args.concurrency < 1:
        parser.error("--duration must be > 0, --warmup >= 0 and --concurrency >= 1")
    return args


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up exactly like Ctrl+C


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    cores = os.cpu_count() or 0
    print(
        f"Health endpoint req/s: {args.concurrency} keep-alive clients, {args.warmup:g} s "
        f"warm-up, {args.duration:g} s measured, one uvicorn worker per server.\n"
        f"Note: client and server share this machine ({cores} cores), so the figures are "
        "lower bounds; compare the ratio, not the absolute numbers.\n",
        flush=True,
    )
    tmp = Path(tempfile.mkdtemp(prefix="koroena-bench-"))
    results: dict[str, Result] = {}
    failures: dict[str, str] = {}
    plan: list[tuple[str, Callable[[], Result]]] = []
    try:
        koroena = find_koroena()
        plan = [
            ("bare", lambda: bench_bare(args, tmp)),
            ("koroena (sqlite)", lambda: bench_koroena(args, tmp, koroena, None)),
        ]
        if args.postgres:
            url: str = args.postgres

            def postgres() -> Result:
                with pg_database(url) as database_url:
                    return bench_koroena(args, tmp, koroena, database_url)

            plan.append(("koroena (postgresql)", postgres))
        for target, run in plan:
            print(f"measuring {target} ...", flush=True)
            try:
                results[target] = run()
            except BenchError as exc:
                failures[target] = str(exc)
                print(f"  FAILED: {exc}", file=sys.stderr, flush=True)
    except BenchError as exc:
        print(f"health_rps: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped, temp files removed", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print_table(list(results.values()))
    ratios = {
        label: ratio(results, name) for name, label in RATIO_LABELS.items() if name in results
    }
    print()
    for name, value in ratios.items():
        print(f"ratio {name}/bare = {fmt(value, '.2f')}")
    write_json(args, results, ratios, failures, cores)
    return 1 if failures else 0


def write_json(
    args: argparse.Namespace,
    results: dict[str, Result],
    ratios: dict[str, float | None],
    failures: dict[str, str],
    cores: int,
) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"health_rps-{stamp}.json"
    document = {
        "benchmark": "health_rps",
        "timestamp": stamp,
        "settings": {
            "duration_s": args.duration,
            "concurrency": args.concurrency,
            "warmup_s": args.warmup,
            "postgres": args.postgres,
        },
        "machine": {
            "cpu_count": cores,
            "platform": platform.platform(),
            "python": platform.python_version(),
            "note": "load generator and servers share the machine",
        },
        "results": [asdict(r) for r in results.values()],
        "ratios_vs_bare": ratios,
        "failures": failures,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nresults written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    raise SystemExit(main())
