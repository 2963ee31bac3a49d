from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.supervision.tables import (
    BoardMemberRow,
    DeedAmendment,
    LegalityDocument,
    LegalityProfile,
)

APP_CONFIG = AppConfig(
    app_name="supervision",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "supervision"),
    table_classes=[LegalityProfile, DeedAmendment, BoardMemberRow, LegalityDocument],
    migration_dependencies=["backend.tenancy.piccolo_app", "backend.accounts.piccolo_app"],
    commands=[],
)
