"""Inventory: stock movements and current stock of a koperasi's shop."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.inventory.tables import StockMovement

APP_CONFIG = AppConfig(
    app_name="inventory",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "inventory"),
    table_classes=[StockMovement],
    migration_dependencies=[
        "backend.tenancy.piccolo_app",
        "backend.catalog.piccolo_app",
        "backend.accounts.piccolo_app",
        "backend.ledger.piccolo_app",
    ],
    commands=[],
)
