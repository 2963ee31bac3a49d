"""Keys of the ledger tables, as plain SQL both engines accept (Piccolo cannot add composite
constraints on SQLite; see docs/decisions/0002-unique-keys-as-indexes.md).

- account codes, entry numbers and closed periods are unique per koperasi;
- an entry is reversed at most once;
- statements sum one koperasi's lines per account and date range (journal_line carries
  koperasi_id and entry_date; the covering index answers without reading the table).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T06:26:57:603469"
VERSION = "1.38.0"
DESCRIPTION = "ledger keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX ledger_account_koperasi_code_key ON "ledger_account" ("koperasi_id", "code")',
    'CREATE UNIQUE INDEX journal_entry_koperasi_number_key ON "journal_entry" ("koperasi_id", "number")',
    'CREATE UNIQUE INDEX journal_entry_reverses_key ON "journal_entry" ("reverses_id")',
    'CREATE UNIQUE INDEX period_close_koperasi_period_key ON "period_close" ("koperasi_id", "period")',
    'CREATE INDEX journal_entry_koperasi_date_idx ON "journal_entry" ("koperasi_id", "entry_date")',
    # Covering index: each statement bucket is one range scan per account, no table reads.
    'CREATE INDEX journal_line_account_date_idx ON "journal_line"'
    ' ("koperasi_id", "account_id", "entry_date", "debit", "credit")',
    'CREATE INDEX journal_line_entry_idx ON "journal_line" ("entry_id")',
]
DROPS = [
    "DROP INDEX IF EXISTS ledger_account_koperasi_code_key",
    "DROP INDEX IF EXISTS journal_entry_koperasi_number_key",
    "DROP INDEX IF EXISTS journal_entry_reverses_key",
    "DROP INDEX IF EXISTS period_close_koperasi_period_key",
    "DROP INDEX IF EXISTS journal_entry_koperasi_date_idx",
    "DROP INDEX IF EXISTS journal_line_account_date_idx",
    "DROP INDEX IF EXISTS journal_line_entry_idx",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ledger", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
