"""Database engine, transactions and migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from backend.settings import Settings

os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")

# Order matters: later contexts hold foreign keys into earlier ones.
CONTEXTS: tuple[str, ...] = (
    "tenancy",
    "members",
    "catalog",
    "accounts",
    "ledger",
    "savings",
    "inventory",
    "pos",
    "loans",
    "shu",
    "reporting",
    "supervision",
    "push",
    "health",
    "outreach",
    "complaints",
    "dashboard",
)


class DatabaseBehind(RuntimeError):
    """The database schema is older than the code: `koroena migrate` is needed."""

    def __init__(self, pending: list[str]) -> None:
        self.pending = pending
        super().__init__(
            f"The database is behind the code by {len(pending)} migration(s). "
            "Run `koroena migrate` first."
        )


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, with queries outside a transaction sharing a few open
    connections instead of opening one (and its thread) per query.

    Opening a connection per query made a one-`SELECT` request about 15 times slower than
    a bare Litestar answer (benchmarks/). Each pooled connection commits after every
    statement, as Piccolo's own per-query connections do, so none holds a read snapshot.
    Transactions still get a connection of their own (Piccolo's `transaction()`)."""

    def __init__(self, path: str, pool_size: int = 4, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self.pool_size = pool_size
        self._idle: asyncio.Queue[aiosqlite.Connection] | None = None
        self._opened = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _borrow(self) -> aiosqlite.Connection:
        loop = asyncio.get_running_loop()
        if self._idle is None or self._loop is not loop:
            # A new event loop (tests, CLI runs) starts a new pool; the old one's
            # connections belong to a loop that is gone.
            self._idle, self._opened, self._loop = asyncio.Queue(), 0, loop
        if self._idle.empty() and self._opened < self.pool_size:
            self._opened += 1
            try:
                return await self.get_connection()
            except BaseException:
                self._opened -= 1
                raise
        return await self._idle.get()

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if query_type == "insert" and self.get_version_sync() < 3.35:
            # Old SQLite has no RETURNING; Piccolo's own path knows the workaround.
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await self._borrow()
        pool = self._idle
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
                await connection.commit()
        except BaseException:
            # A failed statement may leave the connection mid-transaction: never reuse it.
            await self._discard(connection, pool)
            raise
        if pool is self._idle and pool is not None:
            pool.put_nowait(connection)
        else:
            await connection.close()  # borrowed from a pool that has since been closed
        return rows

    async def _discard(
        self, connection: aiosqlite.Connection, pool: asyncio.Queue[aiosqlite.Connection] | None
    ) -> None:
        if pool is self._idle:
            self._opened -= 1
        await connection.close()

    async def close_pool(self) -> None:
        idle, self._idle, self._opened = self._idle, None, 0
        while idle is not None and not idle.empty():
            await idle.get_nowait().close()


def make_engine(settings: Settings) -> Engine[Any]:
    if settings.is_postgres:
        return PostgresEngine(config={"dsn": settings.database_url})
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    _prepare_sqlite_file(path, settings.sqlite_busy_timeout_s)
    # `timeout` is sqlite3's busy timeout: writers wait for the lock instead of failing.
    return PooledSQLiteEngine(path=str(path), timeout=settings.sqlite_busy_timeout_s)


def _prepare_sqlite_file(path: Path, busy_timeout_s: int) -> None:
    # WAL is a property of the file, so setting it once is enough; it lets readers
    # keep reading while one writer writes.
    with contextlib.closing(sqlite3.connect(path, timeout=busy_timeout_s)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")


def all_tables() -> list[type[Table]]:
    from backend.piccolo_conf import APP_REGISTRY

    tables: list[type[Table]] = []
    for app_config in APP_REGISTRY.app_configs.values():
        tables.extend(app_config.table_classes)
    return tables


def use_engine(engine: Engine[Any]) -> None:
    """Bind every table (ours and Piccolo's migration table) to `engine`."""
    from backend import piccolo_conf

    piccolo_conf.set_engine(engine)
    tables: list[type[Table]] = [*all_tables(), Migration]
    for table in tables:
        table._meta.db = engine


def current_engine() -> Engine[Any]:
    return Migration._meta.db


def is_sqlite(engine: Engine[Any] | None = None) -> bool:
    return isinstance(engine or current_engine(), SQLiteEngine)


def write_transaction() -> Any:
    """A transaction for read-modify-write work.

    On SQLite it is IMMEDIATE: the write lock is taken at BEGIN, so two processes cannot
    both read and then fail with "database is locked" when they try to write.
    """
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def contains_ignoring_case(column: Any, text: str) -> Any:
    """A WHERE clause `column contains text`, case-insensitive on both engines
    (SQLite's LIKE already ignores ASCII case and has no ILIKE). `%` and `_` typed by
    a person act as wildcards, which is harmless in a search box."""
    pattern = f"%{text}%"
    return column.like(pattern) if is_sqlite() else column.ilike(pattern)


@contextlib.asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[Engine[Any]]:
    """Build, bind and (for PostgreSQL) pool an engine for the block's duration."""
    engine = make_engine(settings)
    use_engine(engine)
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)
    try:
        yield engine
    finally:
        await close_engine(engine)


async def close_engine(engine: Engine[Any]) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.close_pool()


@dataclass(frozen=True)
class MigrationState:
    applied: list[str]
    pending: list[str]

    @property
    def is_current(self) -> bool:
        return not self.pending


async def migration_state() -> MigrationState:
    manager = BaseMigrationManager()
    applied: list[str] = []
    pending: list[str] = []
    migration_table_exists = await Migration.table_exists().run()
    for context in CONTEXTS:
        app_config = manager.get_app_config(context)
        modules = manager.get_migration_modules(app_config.resolved_migrations_folder_path)
        ids = manager.get_migration_ids(modules)
        ran: Iterable[str] = []
        if migration_table_exists:
            ran = await Migration.get_migrations_which_ran(app_name=context)
        ran_set = set(ran)
        applied.extend(i for i in ids if i in ran_set)
        pending.extend(f"{context}:{i}" for i in ids if i not in ran_set)
    return MigrationState(applied=applied, pending=pending)


async def ensure_current() -> None:
    state = await migration_state()
    if not state.is_current:
        raise DatabaseBehind(state.pending)


async def migrate() -> list[str]:
    """Apply every pending migration, context by context; returns what was applied."""
    before = await migration_state()
    log = io.StringIO()
    with contextlib.redirect_stdout(log):  # Piccolo prints progress with emoji; keep ours clean
        for context in CONTEXTS:
            result = await run_forwards(app_name=context)
            if not result.success:
                raise RuntimeError(
                    f"Migration of {context} failed: {result.message}\n{log.getvalue()}"
                )
    return before.pending


async def database_reachable() -> bool:
    try:
        rows = await Migration.raw("SELECT 1 AS ok").run()
    except Exception:
        return False
    return bool(rows)
