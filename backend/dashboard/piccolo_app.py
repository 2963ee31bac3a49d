"""The dashboard context has no Piccolo tables of its own: its one table, `pos_day_total`,
is made and kept by a raw-SQL migration (a trigger on pos_sale) and read with plain SQL."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="dashboard",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "dashboard"),
    table_classes=[],
    migration_dependencies=["backend.pos.piccolo_app"],
    commands=[],
)
