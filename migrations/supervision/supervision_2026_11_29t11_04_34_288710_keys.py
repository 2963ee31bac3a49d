"""Keys of the supervision tables as plain SQL both engines accept (see decision 0002):
one legality profile per koperasi; lookups of amendments, board members and documents by
koperasi."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T11:04:34:288710"
VERSION = "1.38.0"
DESCRIPTION = "supervision keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX legality_profile_koperasi_key ON "legality_profile" ("koperasi_id")',
    'CREATE INDEX legality_amendment_koperasi_idx ON "legality_amendment" ("koperasi_id", "position")',
    'CREATE INDEX legality_board_member_koperasi_idx ON "legality_board_member" ("koperasi_id", "position")',
    'CREATE INDEX legality_document_koperasi_idx ON "legality_document" ("koperasi_id", "kind", "id")',
]
DROPS = [
    "DROP INDEX IF EXISTS legality_profile_koperasi_key",
    "DROP INDEX IF EXISTS legality_amendment_koperasi_idx",
    "DROP INDEX IF EXISTS legality_board_member_koperasi_idx",
    "DROP INDEX IF EXISTS legality_document_koperasi_idx",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="supervision", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
