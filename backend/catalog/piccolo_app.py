"""Catalog: the products a koperasi shop sells, and the shop's settings."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.catalog.tables import Product, ProductPriceChange, ShopSettings

APP_CONFIG = AppConfig(
    app_name="catalog",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "catalog"),
    table_classes=[Product, ShopSettings, ProductPriceChange],
    migration_dependencies=["backend.tenancy.piccolo_app"],
    commands=[],
)
