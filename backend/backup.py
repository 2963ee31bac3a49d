"""Backups: SQLite through its online backup API (a consistent copy while the app is
serving), PostgreSQL through pg_dump/pg_restore."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

from backend.settings import Settings

REQUIRED_TABLES = {"region", "koperasi", "outlet", "member", "product", "migration"}


class BackupError(RuntimeError):
    pass


def backup(settings: Settings, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    if settings.is_postgres:
        _pg_tool(
            "pg_dump", "--format=custom", "--no-owner", f"--file={target}", settings.database_url
        )
        return target
    source = settings.sqlite_path
    if not source.exists():
        raise BackupError(f"No database at {source}: nothing to back up.")
    timeout = settings.sqlite_busy_timeout_s
    with (
        contextlib.closing(sqlite3.connect(source, timeout=timeout)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        # Copies page by page while other connections keep writing; restarts the copy
        # if a writer changes a page already copied, so the result is consistent.
        src.backup(dst, pages=256)
    return target


def _check_sqlite_backup(path: Path) -> None:
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            (status,) = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a Koroena SQLite backup: {exc}") from exc
    if status != "ok":
        raise BackupError(f"{path} is damaged: {status}")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(
            f"{path} is not a Koroena backup (missing tables: {', '.join(sorted(missing))})."
        )


def restore(settings: Settings, source: Path) -> None:
    if settings.is_postgres:
        if not source.exists():
            raise BackupError(f"{source} does not exist.")
        _pg_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            f"--dbname={settings.database_url}",
            str(source),
        )
        return
    _check_sqlite_backup(source)
    target = settings.sqlite_path
    target.parent.mkdir(parents=True, exist_ok=True)
    timeout = settings.sqlite_busy_timeout_s
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target, timeout=timeout)) as dst,
    ):
        # The backup API replaces the live database in one step under its write lock.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")


def _pg_tool(tool: str, *args: str) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run([executable, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")
