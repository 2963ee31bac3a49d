from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.complaints.tables import (
    ChallengeUse,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintSecret,
    Consultation,
    ConsultationMessage,
)

APP_CONFIG = AppConfig(
    app_name="complaints",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "complaints"),
    table_classes=[
        ComplaintSecret,
        ChallengeUse,
        Complaint,
        ComplaintPhoto,
        ComplaintEvent,
        Consultation,
        ConsultationMessage,
    ],
    migration_dependencies=["backend.tenancy.piccolo_app", "backend.accounts.piccolo_app"],
    commands=[],
)
