"""Stock movements cannot be changed, even by hand: the database refuses UPDATE and DELETE
on stock_movement (a mistake is corrected by a new movement, like a journal entry). Also
the indexes stock sums and the movement history read: (koperasi, product, outlet) and
(koperasi, id)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T07:49:57:084379"
VERSION = "1.38.0"
DESCRIPTION = "stock movements are immutable; stock and history indexes"

TABLE = "stock_movement"
INDEXES = [
    "CREATE INDEX stock_movement_stock_idx ON "
    '"stock_movement" ("koperasi_id", "product_id", "outlet_id", "quantity")',
    'CREATE INDEX stock_movement_history_idx ON "stock_movement" ("koperasi_id", "id")',
]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION koroena_refuse_stock_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stock movements are immutable: % on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inventory", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            statements = [
                f'CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON "{TABLE}" '
                "BEGIN SELECT RAISE(ABORT, 'stock movements are immutable'); END"
                for op in ("UPDATE", "DELETE")
            ]
        else:
            statements = [
                POSTGRES_FUNCTION,
                f'CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON "{TABLE}" '
                "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_stock_change()",
            ]
        for sql in [*INDEXES, *statements]:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            for op in ("update", "delete"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}")
        else:
            await engine.run_ddl(f'DROP TRIGGER IF EXISTS {TABLE}_immutable ON "{TABLE}"')
            await engine.run_ddl("DROP FUNCTION IF EXISTS koroena_refuse_stock_change()")
        await engine.run_ddl("DROP INDEX IF EXISTS stock_movement_stock_idx")
        await engine.run_ddl("DROP INDEX IF EXISTS stock_movement_history_idx")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
