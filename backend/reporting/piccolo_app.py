from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.reporting.tables import ReportSubmission

APP_CONFIG = AppConfig(
    app_name="reporting",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "reporting"),
    table_classes=[ReportSubmission],
    migration_dependencies=["backend.tenancy.piccolo_app", "backend.accounts.piccolo_app"],
    commands=[],
)
