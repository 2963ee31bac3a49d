from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.ledger.tables import JournalEntry, JournalLine, LedgerAccount, PeriodClose

APP_CONFIG = AppConfig(
    app_name="ledger",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "ledger"),
    table_classes=[LedgerAccount, JournalEntry, JournalLine, PeriodClose],
    migration_dependencies=["backend.tenancy.piccolo_app", "backend.accounts.piccolo_app"],
    commands=[],
)
