"""Unique keys of the shop: a barcode belongs to one product of a koperasi (when it has
one: a partial unique index, which SQLite and PostgreSQL both understand), and a koperasi
has one row of shop settings. Plain CREATE UNIQUE INDEX for the reasons given in
catalog_2026_11_29t05_07_15_786101_unique_keys.py."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T07:49:44:138860"
VERSION = "1.38.0"
DESCRIPTION = "unique barcode per koperasi; one shop settings row per koperasi"

UNIQUE_INDEXES = [
    'CREATE UNIQUE INDEX product_koperasi_barcode_key ON "product" ("koperasi_id", "barcode") '
    "WHERE \"barcode\" <> ''",
    'CREATE UNIQUE INDEX shop_settings_koperasi_key ON "shop_settings" ("koperasi_id")',
]
DROP_UNIQUE_INDEXES = [
    "DROP INDEX IF EXISTS product_koperasi_barcode_key",
    "DROP INDEX IF EXISTS shop_settings_koperasi_key",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="catalog", description=DESCRIPTION)

    async def create_unique_indexes():
        for sql in UNIQUE_INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_unique_indexes():
        for sql in DROP_UNIQUE_INDEXES:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_unique_indexes)
    manager.add_raw_backwards(drop_unique_indexes)
    return manager
