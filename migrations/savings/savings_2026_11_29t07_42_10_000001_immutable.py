"""Savings movements cannot be changed, even by hand: the database refuses UPDATE and DELETE
on savings_movement (a movement is corrected by a new one, like a journal entry). Also the
index the member history pages by (koperasi, member, receipt number)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T07:42:10:000001"
VERSION = "1.38.0"
DESCRIPTION = "savings movements are immutable; history index"

TABLE = "savings_movement"
INDEX = (
    "CREATE INDEX savings_movement_history_idx ON "
    '"savings_movement" ("koperasi_id", "member_id", "receipt_number")'
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION koroena_refuse_savings_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'savings movements are immutable: % on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="savings", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            statements = [
                f'CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON "{TABLE}" '
                "BEGIN SELECT RAISE(ABORT, 'savings movements are immutable'); END"
                for op in ("UPDATE", "DELETE")
            ]
        else:
            statements = [
                POSTGRES_FUNCTION,
                f'CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON "{TABLE}" '
                "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_savings_change()",
            ]
        for sql in [INDEX, *statements]:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            for op in ("update", "delete"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}")
        else:
            await engine.run_ddl(f'DROP TRIGGER IF EXISTS {TABLE}_immutable ON "{TABLE}"')
            await engine.run_ddl("DROP FUNCTION IF EXISTS koroena_refuse_savings_change()")
        await engine.run_ddl("DROP INDEX IF EXISTS savings_movement_history_idx")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
