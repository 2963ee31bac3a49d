from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.push.tables import (
    PushDelivery,
    PushNotification,
    PushPreference,
    PushSubscription,
    VapidKey,
)

APP_CONFIG = AppConfig(
    app_name="push",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "push"),
    table_classes=[VapidKey, PushSubscription, PushPreference, PushNotification, PushDelivery],
    migration_dependencies=["backend.tenancy.piccolo_app", "backend.accounts.piccolo_app"],
    commands=[],
)
