"""Current stock per place: `stock_level` holds, for each koperasi, place and product, the
sum of the stock movements' quantities. Stock questions (a sale's oversold flag, the stock
list, a count's expected figure) read these rows instead of summing every movement, which
grew slower with each sale.

The database keeps the levels itself, in the transaction that inserts the movements: a
trigger after every INSERT on stock_movement (SQLite: for each row; PostgreSQL: once per
statement, from its new rows). Movements never change or go (the immutability triggers),
so a level always equals the sum of its movements. `place` is the outlet's id, or 0 for
the store room (a NULL outlet), because NULLs never meet in a unique key. Existing
movements are added up once, here.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T11:00:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "current stock per place, kept by a trigger"

COLUMNS = "koperasi_id, place, product_id, quantity"
TABLE = (
    'CREATE TABLE stock_level ("koperasi_id" INTEGER NOT NULL REFERENCES koperasi (id),'
    ' "place" INTEGER NOT NULL, "product_id" INTEGER NOT NULL REFERENCES product (id),'
    ' "quantity" BIGINT NOT NULL, PRIMARY KEY ("koperasi_id", "place", "product_id"))'
)
BACKFILL = (
    f"INSERT INTO stock_level ({COLUMNS}) SELECT koperasi_id, COALESCE(outlet_id, 0),"
    " product_id, SUM(quantity) FROM stock_movement"
    " GROUP BY koperasi_id, COALESCE(outlet_id, 0), product_id"
)

SQLITE = [
    TABLE + " WITHOUT ROWID",
    BACKFILL,
    'CREATE TRIGGER stock_movement_level AFTER INSERT ON "stock_movement" BEGIN'
    f" INSERT INTO stock_level ({COLUMNS})"
    " VALUES (NEW.koperasi_id, COALESCE(NEW.outlet_id, 0), NEW.product_id, NEW.quantity)"
    " ON CONFLICT (koperasi_id, place, product_id) DO UPDATE"
    " SET quantity = quantity + excluded.quantity; END",
    'CREATE TRIGGER stock_level_no_delete BEFORE DELETE ON "stock_level"'
    " BEGIN SELECT RAISE(ABORT, 'stock levels follow the stock movements'); END",
]

POSTGRES = [
    TABLE,
    BACKFILL,
    f"""CREATE FUNCTION koroena_add_stock_levels() RETURNS trigger AS $$
BEGIN
    INSERT INTO stock_level AS t ({COLUMNS})
    SELECT koperasi_id, COALESCE(outlet_id, 0), product_id, SUM(quantity) FROM new_movements
    GROUP BY koperasi_id, COALESCE(outlet_id, 0), product_id
    ON CONFLICT (koperasi_id, place, product_id) DO UPDATE
    SET quantity = t.quantity + EXCLUDED.quantity;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    'CREATE TRIGGER stock_movement_level AFTER INSERT ON "stock_movement"'
    " REFERENCING NEW TABLE AS new_movements FOR EACH STATEMENT"
    " EXECUTE FUNCTION koroena_add_stock_levels()",
    # Only the trigger above (trigger depth 2) may change a level.
    """CREATE FUNCTION koroena_guard_stock_levels() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'stock levels follow the stock movements: % refused', TG_OP;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql""",
    'CREATE TRIGGER stock_level_guard BEFORE UPDATE OR DELETE ON "stock_level"'
    " FOR EACH ROW EXECUTE FUNCTION koroena_guard_stock_levels()",
]

SQLITE_DROPS = [
    "DROP TRIGGER IF EXISTS stock_movement_level",
    "DROP TABLE IF EXISTS stock_level",
]
POSTGRES_DROPS = [
    'DROP TRIGGER IF EXISTS stock_movement_level ON "stock_movement"',
    "DROP FUNCTION IF EXISTS koroena_add_stock_levels()",
    "DROP TABLE IF EXISTS stock_level",
    "DROP FUNCTION IF EXISTS koroena_guard_stock_levels()",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inventory", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        for sql in SQLITE if engine.engine_type == "sqlite" else POSTGRES:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        for sql in SQLITE_DROPS if engine.engine_type == "sqlite" else POSTGRES_DROPS:
            await engine.run_ddl(sql)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
