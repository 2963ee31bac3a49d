"""Tenant-scoped unique keys of the members tables, as unique indexes.

Piccolo adds `Unique` constraints with ALTER TABLE ... ADD CONSTRAINT, which SQLite does
not support, and runs a migration's raw SQL before its tables are created; hence this
separate migration with plain CREATE UNIQUE INDEX, which both engines understand.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T05:07:14:277608"
VERSION = "1.38.0"
DESCRIPTION = "unique keys per koperasi"

UNIQUE_INDEXES = [
        'CREATE UNIQUE INDEX member_koperasi_number_key ON "member" ("koperasi_id", "member_number")',
        'CREATE UNIQUE INDEX member_koperasi_nik_key ON "member" ("koperasi_id", "nik")',
]
DROP_UNIQUE_INDEXES = [
        "DROP INDEX IF EXISTS member_koperasi_number_key",
        "DROP INDEX IF EXISTS member_koperasi_nik_key",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="members", description=DESCRIPTION)

    async def create_unique_indexes():
        for sql in UNIQUE_INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_unique_indexes():
        for sql in DROP_UNIQUE_INDEXES:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_unique_indexes)
    manager.add_raw_backwards(drop_unique_indexes)
    return manager
