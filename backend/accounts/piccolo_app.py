from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.accounts.tables import (
    AuditEvent,
    AuthSession,
    Invitation,
    Passkey,
    RoleGrant,
    UserAccount,
    WebAuthnChallenge,
)

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "accounts"),
    table_classes=[
        UserAccount,
        Passkey,
        RoleGrant,
        Invitation,
        AuthSession,
        WebAuthnChallenge,
        AuditEvent,
    ],
    migration_dependencies=["backend.tenancy.piccolo_app", "backend.members.piccolo_app"],
    commands=[],
)
