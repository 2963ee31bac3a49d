from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.health.tables import (
    HealthAnswer,
    HealthAspectScore,
    HealthAssessment,
    HealthAtmrWeight,
    HealthFigure,
    HealthIndicator,
    HealthRuleConfirmation,
)

APP_CONFIG = AppConfig(
    app_name="health",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "health"),
    table_classes=[
        HealthAssessment,
        HealthIndicator,
        HealthAspectScore,
        HealthAnswer,
        HealthFigure,
        HealthAtmrWeight,
        HealthRuleConfirmation,
    ],
    migration_dependencies=["backend.accounts.piccolo_app", "backend.tenancy.piccolo_app"],
    commands=[],
)
