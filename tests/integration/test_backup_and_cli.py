"""Backup → restore round trips, and the `koroena` command's messages."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from backend.backup import BackupError, backup, restore
from backend.db import all_tables
from backend.members.tables import Member
from backend.settings import Settings
from backend.tenancy.tables import Koperasi


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in a stable order, as plain values."""
    result = {}
    for table in all_tables():
        rows = await table.select().order_by(table._meta.primary_key)
        result[table._meta.tablename] = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
            for row in rows
        ]
    return result


async def test_backup_restore_round_trip(demo: Settings, tmp_path: Path) -> None:
    if demo.is_postgres and not _has("pg_dump"):
        pytest.skip("pg_dump is not installed")
    before = await snapshot()
    target = tmp_path / "cadangan.backup"
    await asyncio.to_thread(backup, demo, target)
    assert target.stat().st_size > 0

    # Change the data after the backup: a new member, a renamed koperasi, a deletion.
    kop = await Koperasi.select(Koperasi.id).first()
    assert kop is not None
    await Member.insert(
        Member(
            koperasi=kop["id"],
            member_number="A-0999",
            full_name="Sesudah Cadangan",
            nik="3576010101990001",
            joined_on=date(2026, 1, 1),
        )
    )
    await Koperasi.update({Koperasi.name: "Diubah"}).where(Koperasi.id == kop["id"])
    await Member.delete().where(Member.member_number == "A-0002")
    assert await snapshot() != before

    if demo.is_postgres:
        # pg_restore --clean needs the app's pooled connections out of the way.
        await Member._meta.db.close_connection_pool()
    await asyncio.to_thread(restore, demo, target)
    if demo.is_postgres:
        await Member._meta.db.start_connection_pool(min_size=1, max_size=4)
    assert await snapshot() == before


def _has(tool: str) -> bool:
    from shutil import which

    return which(tool) is not None


@pytest.mark.parametrize("demo", ["sqlite"], indirect=True)  # SQLite's backup API
async def test_sqlite_backup_is_consistent_while_writing(demo: Settings, tmp_path: Path) -> None:
    source = demo.sqlite_path
    stop = False

    def writer() -> int:
        written = 0
        with contextlib.closing(sqlite3.connect(source, timeout=30)) as conn:
            while not stop and written < 2000:
                with conn:
                    conn.execute(
                        "UPDATE product SET price = price + 1"
                        " WHERE id = (SELECT MIN(id) FROM product)"
                    )
                written += 1
        return written

    task = asyncio.create_task(asyncio.to_thread(writer))
    await asyncio.sleep(0.05)
    target = tmp_path / "saat-menulis.sqlite"
    await asyncio.to_thread(backup, demo, target)
    stop = True
    assert await task > 0
    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) FROM member").fetchone()[0] >= 30


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    settings = replace(Settings(), data_dir=tmp_path)
    junk = tmp_path / "bukan.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackupError, match="not a Koroena"):
        restore(settings, junk)
    empty = tmp_path / "kosong.sqlite"
    sqlite3.connect(empty).close()
    with pytest.raises(BackupError, match="missing tables"):
        restore(settings, empty)
    with pytest.raises(BackupError, match="does not exist"):
        restore(settings, tmp_path / "tidak-ada.sqlite")


def koroena(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli_env(settings: Settings) -> dict[str, str]:
    env = {"KOROENA_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["KOROENA_DATABASE_URL"] = settings.database_url
    return env


async def test_cli_on_a_database_behind_says_what_to_do(database: Settings) -> None:
    env = cli_env(database)
    for command in (["demo"], ["status"]):
        result = await asyncio.to_thread(koroena, *command, env=env)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
    demo_result = await asyncio.to_thread(koroena, "demo", env=env)
    assert "koroena migrate" in demo_result.stderr
    serve = await asyncio.to_thread(koroena, "serve", "--port", "1", env=env)
    assert serve.returncode == 2
    assert "koroena migrate" in serve.stderr and "Traceback" not in serve.stderr


async def test_cli_migrate_demo_backup_restore(database: Settings, tmp_path: Path) -> None:
    env = cli_env(database)
    migrate = await asyncio.to_thread(koroena, "migrate", env=env)
    assert migrate.returncode == 0, migrate.stderr
    assert "Migrasi selesai" in migrate.stdout
    again = await asyncio.to_thread(koroena, "migrate", env=env)
    assert "sudah mutakhir" in again.stdout
    first = await asyncio.to_thread(koroena, "demo", "--first-run", env=env)
    assert "Data contoh Kota Mojokerto dimuat" in first.stdout
    second = await asyncio.to_thread(koroena, "demo", env=env)
    assert "tidak ada yang diubah" in second.stdout
    if database.is_postgres:
        return  # the PostgreSQL round trip is covered above; pg_dump is slow to repeat
    target = tmp_path / "cli.sqlite"
    made = await asyncio.to_thread(koroena, "backup", str(target), env=env)
    assert made.returncode == 0, made.stderr
    twice = await asyncio.to_thread(koroena, "backup", str(target), env=env)
    assert twice.returncode == 2 and "already exists" in twice.stderr
    restored = await asyncio.to_thread(koroena, "restore", str(target), env=env)
    assert restored.returncode == 0, restored.stderr


def test_cli_rejects_bad_settings() -> None:
    result = koroena("status", env={"KOROENA_DATABASE_URL": "mysql://x"})
    assert result.returncode == 2
    assert "KOROENA_DATABASE_URL" in result.stderr and "Traceback" not in result.stderr
