"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

Integration tests take the `database` fixture, which is parametrized over both engines.
PostgreSQL is the server on 127.0.0.1:5432 (trust auth, database `test`) that this machine
and CI run; each test gets its own throw-away database created from there. Where no
server is reachable the PostgreSQL half is skipped with the reason shown.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest

from backend.db import connected
from backend.settings import Settings

PG_ADMIN_DSN = os.environ.get(
    "KOROENA_TEST_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)

_pg_unreachable: str | None = None


async def _pg_admin() -> asyncpg.Connection:
    return await asyncpg.connect(PG_ADMIN_DSN, timeout=5)


def _pg_base_dsn() -> str:
    return PG_ADMIN_DSN.rsplit("/", 1)[0]


async def _create_pg_database() -> str:
    global _pg_unreachable
    if _pg_unreachable:
        pytest.skip(_pg_unreachable)
    name = f"koroena_t_{uuid.uuid4().hex[:12]}"
    try:
        admin = await _pg_admin()
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        _pg_unreachable = f"PostgreSQL not reachable at {PG_ADMIN_DSN}: {exc}"
        pytest.skip(_pg_unreachable)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{_pg_base_dsn()}/{name}"


async def _drop_pg_database(dsn: str) -> None:
    name = dsn.rsplit("/", 1)[1]
    admin = await _pg_admin()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def make_settings(tmp_path: Path, engine: str, database_url: str = "") -> Settings:
    return replace(
        Settings(),
        data_dir=tmp_path / "data",
        database_url=database_url,
        allowed_hosts=("testserver.local", "localhost", "127.0.0.1"),
    )


# Migrated (and demo) databases are built once per test process and copied for each test:
# PostgreSQL `CREATE DATABASE … TEMPLATE`, SQLite a file copy. Running every migration and
# the demo for each of a thousand tests cost more than the tests themselves.
_TEMPLATES: dict[tuple[str, str], str] = {}
_TEMPLATE_DIR: list[Path] = []


async def _template(engine: str, level: str) -> str:
    """The PostgreSQL database name or SQLite file holding a migrated (`level` "migrated")
    or migrated-with-demo ("demo") database, built on first use."""
    key = (engine, level)
    if key not in _TEMPLATES:
        from backend.db import migrate
        from backend.demo.service import load_demo

        if not _TEMPLATE_DIR:
            _TEMPLATE_DIR.append(Path(tempfile.mkdtemp(prefix="koroena-templates-")))
        url = await _create_pg_database() if engine == "postgres" else ""
        settings = make_settings(_TEMPLATE_DIR[0] / f"{engine}-{level}", engine, url)
        async with connected(settings):
            await migrate()
            if level == "demo":
                await load_demo()
        _TEMPLATES[key] = url.rsplit("/", 1)[1] if url else str(settings.sqlite_path)
    return _TEMPLATES[key]


async def _copy_of(engine: str, level: str, settings: Settings) -> Settings:
    source = await _template(engine, level)
    if engine == "postgres":
        name = f"koroena_t_{uuid.uuid4().hex[:12]}"
        admin = await _pg_admin()
        try:
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        finally:
            await admin.close()
        return replace(settings, database_url=f"{_pg_base_dsn()}/{name}")
    _copy_sqlite(source, settings.sqlite_path)
    return settings


def _copy_sqlite(source: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if Path(source + suffix).exists():
            shutil.copyfile(source + suffix, str(target) + suffix)


@pytest.fixture(scope="session", autouse=True)
async def _drop_templates() -> AsyncIterator[None]:
    yield
    for (engine, _level), source in _TEMPLATES.items():
        if engine == "postgres":
            await _drop_pg_database(f"{_pg_base_dsn()}/{source}")
    for folder in _TEMPLATE_DIR:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.asynccontextmanager
async def _bound(engine: str, level: str | None, tmp_path: Path) -> AsyncIterator[Settings]:
    if engine == "postgres" and _pg_unreachable:
        pytest.skip(_pg_unreachable)
    settings = make_settings(tmp_path, engine)
    if level is None:
        if engine == "postgres":
            settings = replace(settings, database_url=await _create_pg_database())
    else:
        settings = await _copy_of(engine, level, settings)
    try:
        async with connected(settings):
            yield settings
    finally:
        if settings.database_url:
            await _drop_pg_database(settings.database_url)


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings of an empty database, with every table bound to it for the test."""
    async with _bound(request.param, None, tmp_path) as settings:
        yield settings


@pytest.fixture(params=["sqlite", "postgres"])
async def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """A database with every migration applied (a copy of one built per test process)."""
    async with _bound(request.param, "migrated", tmp_path) as settings:
        yield settings


@pytest.fixture(params=["sqlite", "postgres"])
async def demo(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """A migrated database with the Kota Mojokerto demo loaded (a copy, as above)."""
    async with _bound(request.param, "demo", tmp_path) as settings:
        yield settings
