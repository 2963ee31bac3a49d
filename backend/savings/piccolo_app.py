from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.savings.tables import SavingsMovement, SavingsPolicyRow

APP_CONFIG = AppConfig(
    app_name="savings",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "savings"),
    table_classes=[SavingsPolicyRow, SavingsMovement],
    migration_dependencies=["backend.ledger.piccolo_app", "backend.members.piccolo_app"],
    commands=[],
)
