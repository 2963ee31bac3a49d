from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.members.tables import Member

APP_CONFIG = AppConfig(
    app_name="members",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "members"),
    table_classes=[Member],
    migration_dependencies=["backend.tenancy.piccolo_app"],
    commands=[],
)
