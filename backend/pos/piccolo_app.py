from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.pos.tables import ApiToken, PosDevice, Sale, SaleLine, Shift

APP_CONFIG = AppConfig(
    app_name="pos",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "pos"),
    table_classes=[PosDevice, Shift, Sale, SaleLine, ApiToken],
    migration_dependencies=[
        "backend.ledger.piccolo_app",
        "backend.members.piccolo_app",
        "backend.catalog.piccolo_app",
        "backend.accounts.piccolo_app",
    ],
    commands=[],
)
