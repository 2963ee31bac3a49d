"""Per-day retail sales: `pos_day_total` holds, for each koperasi and day (the region's
calendar day, WIB = UTC+7, Asia/Jakarta has no daylight saving), the number of sales and their
total. The Dinas dashboard reads these rows instead of every sale: 200 koperasi with a year
of sales are 73,000 rows, not millions.

The database keeps the totals itself, in the transaction that inserts the sales: a trigger
after every INSERT on pos_sale (SQLite: for each row; PostgreSQL: once per statement, from
the statement's new rows). Every way sales get in — the till's sync, another app's API, a
CSV upload, bulk loads — is covered; sales are never changed or deleted by the app, so the
totals equal the fold of the sales. Existing sales are added up once, here. A sale made a
moment ago is in its day's total as soon as its transaction commits: nothing to invalidate.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T12:00:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "per-day retail sales totals per koperasi, kept by a trigger on pos_sale"

COLUMNS = "koperasi_id, day, sales, amount"
# The region's day of a moment: UTC plus seven hours.
SQLITE_DAY = "date({}, '+7 hours')"
POSTGRES_DAY = "(({} AT TIME ZONE 'UTC') + INTERVAL '7 hours')::date"


def _table(date_type: str, suffix: str) -> str:
    return (
        'CREATE TABLE pos_day_total ("koperasi_id" INTEGER NOT NULL REFERENCES koperasi (id),'
        f' "day" {date_type} NOT NULL, "sales" BIGINT NOT NULL, "amount" BIGINT NOT NULL,'
        f' PRIMARY KEY ("koperasi_id", "day")){suffix}'
    )


def _backfill(day: str) -> str:
    expression = day.format("sold_at")
    return (
        f"INSERT INTO pos_day_total ({COLUMNS}) SELECT koperasi_id, {expression},"
        f" COUNT(*), SUM(total) FROM pos_sale GROUP BY koperasi_id, {expression}"
    )


SQLITE = [
    # TEXT dates (ISO), as journal_day_total: they compare with ISO text parameters as they
    # are. WITHOUT ROWID: a koperasi's days lie next to each other in key order.
    _table("TEXT", " WITHOUT ROWID"),
    _backfill(SQLITE_DAY),
    'CREATE TRIGGER pos_sale_day_total AFTER INSERT ON "pos_sale" BEGIN'
    f" INSERT INTO pos_day_total ({COLUMNS})"
    f" VALUES (NEW.koperasi_id, {SQLITE_DAY.format('NEW.sold_at')}, 1, NEW.total)"
    " ON CONFLICT (koperasi_id, day) DO UPDATE"
    " SET sales = sales + excluded.sales, amount = amount + excluded.amount; END",
    'CREATE TRIGGER pos_sale_day_total_no_delete BEFORE DELETE ON "pos_day_total"'
    " BEGIN SELECT RAISE(ABORT, 'sales day totals follow the sales'); END",
]

POSTGRES = [
    _table("DATE", ""),
    _backfill(POSTGRES_DAY),
    # One upsert per INSERT statement, of its sales added up per koperasi and day.
    f"""CREATE FUNCTION koroena_add_pos_day_totals() RETURNS trigger AS $$
BEGIN
    INSERT INTO pos_day_total AS t ({COLUMNS})
    SELECT koperasi_id, {POSTGRES_DAY.format("sold_at")}, COUNT(*), SUM(total) FROM new_sales
    GROUP BY koperasi_id, {POSTGRES_DAY.format("sold_at")}
    ON CONFLICT (koperasi_id, day) DO UPDATE
    SET sales = t.sales + EXCLUDED.sales, amount = t.amount + EXCLUDED.amount;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    'CREATE TRIGGER pos_sale_day_total AFTER INSERT ON "pos_sale"'
    " REFERENCING NEW TABLE AS new_sales FOR EACH STATEMENT"
    " EXECUTE FUNCTION koroena_add_pos_day_totals()",
    # Only the trigger above (trigger depth 2) may change a total.
    """CREATE FUNCTION koroena_guard_pos_day_totals() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'sales day totals follow the sales: % refused', TG_OP;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql""",
    'CREATE TRIGGER pos_day_total_guard BEFORE UPDATE OR DELETE ON "pos_day_total"'
    " FOR EACH ROW EXECUTE FUNCTION koroena_guard_pos_day_totals()",
]

SQLITE_DROPS = [
    "DROP TRIGGER IF EXISTS pos_sale_day_total",
    "DROP TABLE IF EXISTS pos_day_total",
]
POSTGRES_DROPS = [
    'DROP TRIGGER IF EXISTS pos_sale_day_total ON "pos_sale"',
    "DROP FUNCTION IF EXISTS koroena_add_pos_day_totals()",
    "DROP TABLE IF EXISTS pos_day_total",
    "DROP FUNCTION IF EXISTS koroena_guard_pos_day_totals()",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dashboard", description=DESCRIPTION)

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
