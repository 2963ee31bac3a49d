"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

Integration tests take the `database` fixture, which is parametrized over both engines.
PostgreSQL is the server on 127.0.0.1:5432 (trust auth, database `test`) that this machine
and CI run; each test gets its own throw-away database created from there. Where no
server is reachable the PostgreSQL half is skipped with the reason shown.
"""

from __future__ import annotations

import os
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


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings of an empty database, with every table bound to it for the test."""
    url = await _create_pg_database() if request.param == "postgres" else ""
    settings = make_settings(tmp_path, request.param, url)
    try:
        async with connected(settings):
            yield settings
    finally:
        if url:
            await _drop_pg_database(url)


@pytest.fixture
async def migrated(database: Settings) -> Settings:
    from backend.db import migrate

    await migrate()
    return database


@pytest.fixture
async def demo(migrated: Settings) -> Settings:
    from backend.demo.service import load_demo

    await load_demo()
    return migrated
