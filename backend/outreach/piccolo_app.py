from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.outreach.tables import (
    EduArticle,
    EduAttachment,
    NewsPost,
    TrainingAudienceKoperasi,
    TrainingEvent,
    TrainingRegistration,
)

APP_CONFIG = AppConfig(
    app_name="outreach",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "outreach"),
    table_classes=[
        EduArticle,
        EduAttachment,
        NewsPost,
        TrainingEvent,
        TrainingAudienceKoperasi,
        TrainingRegistration,
    ],
    migration_dependencies=["backend.tenancy.piccolo_app", "backend.accounts.piccolo_app"],
    commands=[],
)
