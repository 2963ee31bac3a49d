"""A report filed with the Dinas cannot be changed, even by hand: the database refuses
UPDATE and DELETE on report_submission (a correction is a new revision; the Dinas sees the
latest and the history)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T11:03:56:062315"
VERSION = "1.38.0"
DESCRIPTION = "report submissions are immutable"

TABLE = "report_submission"

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION koroena_refuse_report_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'report submissions are immutable: % on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="reporting", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            statements = [
                f'CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON "{TABLE}" '
                "BEGIN SELECT RAISE(ABORT, 'report submissions are immutable'); END"
                for op in ("UPDATE", "DELETE")
            ]
        else:
            statements = [
                POSTGRES_FUNCTION,
                f'CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON "{TABLE}" '
                "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_report_change()",
            ]
        for sql in statements:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            for op in ("update", "delete"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}")
        else:
            await engine.run_ddl(f'DROP TRIGGER IF EXISTS {TABLE}_immutable ON "{TABLE}"')
            await engine.run_ddl("DROP FUNCTION IF EXISTS koroena_refuse_report_change()")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
