"""Posted books cannot be changed, even by hand: the database refuses UPDATE and DELETE on
journal entries and lines (corrections are reversing entries)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T06:26:57:603470"
VERSION = "1.38.0"
DESCRIPTION = "journal rows are immutable"

TABLES = ["journal_entry", "journal_line"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION koroena_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'posted books are immutable: % on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


def _sqlite(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, 'posted books are immutable'); END"
        for op in ("UPDATE", "DELETE")
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ledger", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            statements = [sql for table in TABLES for sql in _sqlite(table)]
        else:
            statements = [POSTGRES_FUNCTION] + [
                f'CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_change()"
                for table in TABLES
            ]
        for sql in statements:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        for table in TABLES:
            if engine.engine_type == "sqlite":
                for op in ("update", "delete"):
                    await engine.run_ddl(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            else:
                await engine.run_ddl(f'DROP TRIGGER IF EXISTS {table}_immutable ON "{table}"')

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
