from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.tenancy.tables import Koperasi, Outlet, Region

APP_CONFIG = AppConfig(
    app_name="tenancy",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "tenancy"),
    table_classes=[Region, Koperasi, Outlet],
    migration_dependencies=[],
    commands=[],
)
