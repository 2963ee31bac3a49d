"""Index of the price history, read by product and time when a till's price is checked."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T09:18:23:640192"
VERSION = "1.38.0"
DESCRIPTION = "price history index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="catalog", description=DESCRIPTION)

    async def create():
        await engine_finder().run_ddl(
            'CREATE INDEX product_price_change_product_idx ON "product_price_change"'
            ' ("koperasi_id", "product_id", "changed_at")'
        )

    async def drop():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS product_price_change_product_idx")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
