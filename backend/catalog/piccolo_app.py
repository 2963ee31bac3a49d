from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.catalog.tables import Product

APP_CONFIG = AppConfig(
    app_name="catalog",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "catalog"),
    table_classes=[Product],
    migration_dependencies=["backend.tenancy.piccolo_app"],
    commands=[],
)
