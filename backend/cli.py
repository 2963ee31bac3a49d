"""The `koroena` command: serve, migrate, demo, backup, restore."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from backend.backup import BackupError, backup, restore
from backend.db import DatabaseBehind, connected, ensure_current, migrate, migration_state
from backend.errors import AppError
from backend.settings import Settings, SettingsError


def _print(message: str) -> None:
    print(message, flush=True)


def _fail(message: str, code: int = 2) -> int:
    print(f"koroena: {message}", file=sys.stderr, flush=True)
    return code


async def _migrate(settings: Settings) -> int:
    async with connected(settings):
        applied = await migrate()
    if applied:
        _print(f"Migrasi selesai: {len(applied)} langkah diterapkan.")
        for item in applied:
            _print(f"  - {item}")
    else:
        _print("Basis data sudah mutakhir.")
    return 0


async def _demo(settings: Settings, first_run_only: bool) -> int:
    from backend.accounts.invitations import create_admin_invitation
    from backend.demo.books import load_demo_books
    from backend.demo.service import load_demo
    from backend.inventory.demo import load_demo_stock
    from backend.loans.demo import load_demo_loans
    from backend.reporting.demo import load_demo_reports
    from backend.tenancy.tables import Region

    async with connected(settings):
        await ensure_current()
        if first_run_only and await Region.count() > 0:
            _print("Data sudah ada; data contoh tidak dimuat ulang.")
            return 0
        result = await load_demo(date.today())
        result.created["journal_entry"] = await load_demo_books(date.today())
        # After the books: the opening stock's purchases post entries of their own.
        result.created["stock_movement"] = await load_demo_stock(date.today())
        # After the books (whose savings the loans' limit reads): loans paid out and repaid.
        result.created["loan"] = await load_demo_loans(date.today())
        # After the books and the stock: the reports declare what the books say.
        result.created["report_submission"] = await load_demo_reports(date.today())
        if not result.total_created:
            _print("Data contoh sudah lengkap; tidak ada yang diubah.")
            return 0
        parts = ", ".join(f"{n} {name}" for name, n in result.created.items() if n)
        _print(f"Data contoh Kota Mojokerto dimuat: {parts}.")
        if first_run_only:
            # A newcomer's first run: give them a way in straight away.
            who = "Petugas Dinas Demo"
            created = await create_admin_invitation(
                "kota-mojokerto", who, settings, datetime.now(UTC)
            )
            _print_invitation(created.url, created.expires_at, who)
    return 0


async def _check_current(settings: Settings) -> None:
    async with connected(settings):
        await ensure_current()


def _serve(settings: Settings) -> int:
    import uvicorn

    from backend.app import create_app

    try:
        asyncio.run(_check_current(settings))
    except DatabaseBehind as exc:
        return _fail(f"{exc}\n  Pending: {', '.join(exc.pending)}")
    shown_host = "localhost" if settings.host in {"127.0.0.1", "0.0.0.0", "::"} else settings.host
    _print(
        f"\nKoroena berjalan di http://{shown_host}:{settings.port}/\n"
        "  Halaman publik (direktori koperasi, harga toko) terbuka tanpa masuk.\n"
        f"  Masuk dengan passkey: http://{shown_host}:{settings.port}/masuk\n"
        "  Akun pertama: buka tautan undangan Petugas Dinas yang dicetak saat data contoh\n"
        "  dimuat, atau buat yang baru:\n"
        "    .venv/bin/koroena create-admin --region kota-mojokerto --name 'Nama Anda'\n"
        f"  Dokumentasi API: http://{shown_host}:{settings.port}/api/docs\n"
        "  Tekan Ctrl+C untuk berhenti.\n"
    )
    config = uvicorn.Config(
        create_app(settings, push_worker=settings.push_worker),
        host=settings.host,
        port=settings.port,
        access_log=False,  # our middleware logs each request with its request id
        log_level="warning",
        proxy_headers=False,
    )
    uvicorn.Server(config).run()
    return 0


async def _create_admin(settings: Settings, region: str, name: str) -> int:
    from backend.accounts.invitations import create_admin_invitation

    async with connected(settings):
        await ensure_current()
        created = await create_admin_invitation(region, name, settings, datetime.now(UTC))
    _print_invitation(created.url, created.expires_at, f"Petugas Dinas ({name})")
    return 0


async def _invite(
    settings: Settings,
    koperasi: str | None,
    region: str | None,
    role: str,
    name: str,
    member: str | None,
) -> int:
    from backend.accounts.domain import Role
    from backend.accounts.invitations import create_invitation

    async with connected(settings):
        await ensure_current()
        created = await create_invitation(
            None,
            role=Role(role),
            koperasi_slug=koperasi,
            region_slug=region,
            name=name,
            member_number=member,
            settings=settings,
            now=datetime.now(UTC),
        )
    _print_invitation(created.url, created.expires_at, f"{Role(role).label} ({name})")
    return 0


async def _worker(settings: Settings, once: bool, concurrency: int | None) -> int:
    """The push sender as its own process: until SIGTERM/Ctrl+C (the round in progress
    finishes first), or with --once until nothing is due."""
    import signal

    from backend.logging import configure_logging
    from backend.push.worker import PushWorker, WorkerConfig
    from backend.scheduled import JOBS

    configure_logging(settings)
    overrides = {"concurrency": concurrency} if concurrency else {}
    config = WorkerConfig.from_settings(settings, **overrides)
    async with connected(settings):
        await ensure_current()
        jobs = () if once else JOBS  # --once drains the outbox only
        async with PushWorker(config, name=f"worker-{os.getpid()}", jobs=jobs) as worker:
            if once:
                stats = await worker.run_until_idle()
                _print(
                    f"Notifikasi: {stats.sent} terkirim, {stats.retried} dicoba lagi nanti, "
                    f"{stats.gone} perangkat sudah tidak ada, {stats.failed} gagal."
                )
                return 0
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
            _print(f"Pengirim notifikasi berjalan (paling banyak {config.concurrency} sekaligus).")
            await worker.run(stop)
    return 0


def _print_invitation(url: str, expires_at: datetime, who: str) -> None:
    _print(f"Undangan untuk {who}:\n\n  {url}\n")
    _print(
        "Buka tautan ini di ponsel orang yang diundang dan buat passkey di sana. "
        f"Berlaku sekali, sampai {expires_at:%Y-%m-%d %H:%M} UTC."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="koroena", description="Koroena: aplikasi koperasi.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web app")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    sub.add_parser("migrate", help="bring the database schema up to date")
    demo = sub.add_parser("demo", help="load the Kota Mojokerto demo data (idempotent)")
    demo.add_argument(
        "--first-run", action="store_true", help="only load when the database has no data yet"
    )
    sub.add_parser("status", help="show the database and migration status")
    admin = sub.add_parser(
        "create-admin", help="print a one-time link for the first Dinas officer of a region"
    )
    admin.add_argument("--region", required=True, help="region slug, e.g. kota-mojokerto")
    admin.add_argument("--name", required=True, help="the officer's name")
    invite = sub.add_parser("invite", help="print a one-time invitation link")
    invite.add_argument("--koperasi", help="koperasi slug (not for role dinas)")
    invite.add_argument("--region", help="region slug (role dinas only)")
    invite.add_argument("--role", required=True, choices=["dinas", "pengurus", "kasir", "anggota"])
    invite.add_argument("--name", required=True, help="the invitee's name")
    invite.add_argument("--member", help="member number, required for role anggota")
    worker = sub.add_parser(
        "worker", help="send push notifications from the outbox (its own process)"
    )
    worker.add_argument("--once", action="store_true", help="send what is due now, then exit")
    worker.add_argument(
        "--concurrency",
        type=int,
        help="pushes in flight at once (default KOROENA_PUSH_CONCURRENCY)",
    )
    bk = sub.add_parser("backup", help="write a consistent copy of the database to PATH")
    bk.add_argument("path", type=Path)
    rs = sub.add_parser("restore", help="replace the database with the backup at PATH")
    rs.add_argument("path", type=Path)
    return parser


async def _status(settings: Settings) -> int:
    async with connected(settings):
        state = await migration_state()
    where = settings.database_url or str(settings.sqlite_path)
    _print(f"Basis data: {where}")
    _print(f"Migrasi diterapkan: {len(state.applied)}; tertunda: {len(state.pending)}")
    for item in state.pending:
        _print(f"  - {item}")
    return 0 if state.is_current else 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        return _fail(str(exc))
    try:
        if args.command == "serve":
            if args.host:
                settings = replace(settings, host=args.host)
            if args.port:
                settings = replace(settings, port=args.port)
            return _serve(settings)
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "demo":
            return asyncio.run(_demo(settings, args.first_run))
        if args.command == "status":
            return asyncio.run(_status(settings))
        if args.command == "create-admin":
            return asyncio.run(_create_admin(settings, args.region, args.name))
        if args.command == "invite":
            return asyncio.run(
                _invite(settings, args.koperasi, args.region, args.role, args.name, args.member)
            )
        if args.command == "worker":
            return asyncio.run(_worker(settings, args.once, args.concurrency))
        if args.command == "backup":
            written = backup(settings, args.path)
            _print(f"Cadangan tersimpan di {written}")
            return 0
        if args.command == "restore":
            restore(settings, args.path)
            _print(f"Basis data dipulihkan dari {args.path}")
            return 0
    except DatabaseBehind as exc:
        return _fail(f"{exc}\n  Pending: {', '.join(exc.pending)}")
    except BackupError as exc:
        return _fail(str(exc))
    except AppError as exc:
        return _fail(exc.message)
    except OSError as exc:  # e.g. PostgreSQL refused the connection, a folder not writable
        return _fail(str(exc))
    return _fail(f"unknown command {args.command}")


if __name__ == "__main__":
    raise SystemExit(main())
