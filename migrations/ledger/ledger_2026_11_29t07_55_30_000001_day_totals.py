"""Per-day totals of the books: `journal_day_total` holds, for each koperasi, account and
date, the sum of the debits and of the credits of its journal lines. Statements read these
totals instead of every line (`backend.ledger.statements.window_sums`): a koperasi posts on a
few dozen accounts a day, so a year is thousands of rows, not hundreds of thousands.

The database keeps the totals itself, in the transaction that inserts the lines: a trigger
after every INSERT on journal_line adds the new lines to their day (SQLite: for each row;
PostgreSQL: once per statement, from the statement's new rows). Every way lines get in —
`post_entry`, imports, bulk loads — is covered, and lines can never change or go (the
immutability triggers), so the totals always equal the fold of the lines. Existing lines are
added up once, here.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T07:55:30:000001"
VERSION = "1.38.0"
DESCRIPTION = "per-day totals of journal lines, kept by a trigger"

COLUMNS = "koperasi_id, account_id, entry_date, debit, credit"
BACKFILL = (
    f"INSERT INTO journal_day_total ({COLUMNS}) SELECT koperasi_id, account_id, entry_date,"
    " SUM(debit), SUM(credit) FROM journal_line GROUP BY koperasi_id, account_id, entry_date"
)


def _table(date_type: str, key_suffix: str, suffix: str) -> str:
    return (
        'CREATE TABLE journal_day_total ("koperasi_id" INTEGER NOT NULL REFERENCES koperasi (id),'
        ' "account_id" INTEGER NOT NULL REFERENCES ledger_account (id),'
        f' "entry_date" {date_type} NOT NULL, "debit" BIGINT NOT NULL, "credit" BIGINT NOT NULL,'
        f' PRIMARY KEY ("koperasi_id", "account_id", "entry_date"){key_suffix}){suffix}'
    )


SQLITE = [
    # TEXT, not DATE: the dates are ISO text as in journal_line, and a column without
    # NUMERIC affinity compares with the ISO text parameters as they are. WITHOUT ROWID: the
    # rows are stored in key order, so an account's days are next to each other.
    _table("TEXT", "", " WITHOUT ROWID"),
    BACKFILL,
    'CREATE TRIGGER journal_line_day_total AFTER INSERT ON "journal_line" BEGIN'
    f" INSERT INTO journal_day_total ({COLUMNS})"
    " VALUES (NEW.koperasi_id, NEW.account_id, NEW.entry_date, NEW.debit, NEW.credit)"
    " ON CONFLICT (koperasi_id, account_id, entry_date) DO UPDATE"
    " SET debit = debit + excluded.debit, credit = credit + excluded.credit; END",
    'CREATE TRIGGER journal_day_total_no_delete BEFORE DELETE ON "journal_day_total"'
    " BEGIN SELECT RAISE(ABORT, 'day totals follow the posted books'); END",
]

POSTGRES = [
    # The key carries the sums (INCLUDE): statements read an account's days by index-only
    # scan, wherever the rows lie in the heap (they are written day by day, so an account's
    # days are on different pages). The price: updating a total is not HOT (a new index
    # entry per update), which vacuum and bottom-up index deletion clean up.
    _table("DATE", ' INCLUDE ("debit", "credit")', ""),
    BACKFILL,
    # One upsert per INSERT statement, of the statement's lines added up per day. Posting
    # is serialised per koperasi (post_entry locks the koperasi row), so writers of one
    # koperasi never wait on each other's totals rows.
    f"""CREATE FUNCTION koroena_add_day_totals() RETURNS trigger AS $$
BEGIN
    INSERT INTO journal_day_total AS t ({COLUMNS})
    SELECT koperasi_id, account_id, entry_date, SUM(debit), SUM(credit) FROM new_lines
    GROUP BY koperasi_id, account_id, entry_date
    ON CONFLICT (koperasi_id, account_id, entry_date) DO UPDATE
    SET debit = t.debit + EXCLUDED.debit, credit = t.credit + EXCLUDED.credit;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    'CREATE TRIGGER journal_line_day_total AFTER INSERT ON "journal_line"'
    " REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT"
    " EXECUTE FUNCTION koroena_add_day_totals()",
    # Only the trigger above may change totals (it runs at trigger depth 2); deleting or
    # updating them by hand is refused like changing the books.
    """CREATE FUNCTION koroena_guard_day_totals() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'day totals follow the posted books: % refused', TG_OP;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql""",
    'CREATE TRIGGER journal_day_total_guard BEFORE UPDATE OR DELETE ON "journal_day_total"'
    " FOR EACH ROW EXECUTE FUNCTION koroena_guard_day_totals()",
]

SQLITE_DROPS = [
    "DROP TRIGGER IF EXISTS journal_line_day_total",
    "DROP TABLE IF EXISTS journal_day_total",
]
POSTGRES_DROPS = [
    'DROP TRIGGER IF EXISTS journal_line_day_total ON "journal_line"',
    "DROP FUNCTION IF EXISTS koroena_add_day_totals()",
    "DROP TABLE IF EXISTS journal_day_total",
    "DROP FUNCTION IF EXISTS koroena_guard_day_totals()",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ledger", description=DESCRIPTION)

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
