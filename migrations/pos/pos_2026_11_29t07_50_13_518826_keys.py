"""Keys of the point-of-sale tables as plain SQL both engines accept (see decision 0002).
(koperasi_id, client_id) is the exactly-once guarantee of the offline sync."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T07:50:13:518826"
VERSION = "1.38.0"
DESCRIPTION = "point of sale keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX pos_device_koperasi_code_key ON "pos_device" ("koperasi_id", "code")',
    'CREATE UNIQUE INDEX pos_shift_client_key ON "pos_shift" ("koperasi_id", "client_id")',
    'CREATE UNIQUE INDEX pos_sale_client_key ON "pos_sale" ("koperasi_id", "client_id")',
    'CREATE UNIQUE INDEX pos_sale_receipt_key ON "pos_sale" ("koperasi_id", "receipt_number")',
    'CREATE INDEX pos_sale_koperasi_sold_idx ON "pos_sale" ("koperasi_id", "sold_at")',
    'CREATE INDEX pos_sale_shift_idx ON "pos_sale" ("shift_id")',
    'CREATE INDEX pos_sale_line_sale_idx ON "pos_sale_line" ("sale_id")',
]
DROPS = [
    "DROP INDEX IF EXISTS pos_device_koperasi_code_key",
    "DROP INDEX IF EXISTS pos_shift_client_key",
    "DROP INDEX IF EXISTS pos_sale_client_key",
    "DROP INDEX IF EXISTS pos_sale_receipt_key",
    "DROP INDEX IF EXISTS pos_sale_koperasi_sold_idx",
    "DROP INDEX IF EXISTS pos_sale_shift_idx",
    "DROP INDEX IF EXISTS pos_sale_line_sale_idx",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pos", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
