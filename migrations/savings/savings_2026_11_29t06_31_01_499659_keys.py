"""Keys of the savings tables as plain SQL both engines accept (see decision 0002)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T06:31:01:499659"
VERSION = "1.38.0"
DESCRIPTION = "savings keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX savings_policy_koperasi_key ON "savings_policy" ("koperasi_id")',
    'CREATE UNIQUE INDEX savings_movement_receipt_key ON "savings_movement" ("koperasi_id", "receipt_number")',
    'CREATE INDEX savings_movement_member_idx ON "savings_movement" ("koperasi_id", "member_id", "kind")',
]
DROPS = [
    "DROP INDEX IF EXISTS savings_policy_koperasi_key",
    "DROP INDEX IF EXISTS savings_movement_receipt_key",
    "DROP INDEX IF EXISTS savings_movement_member_idx",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="savings", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
