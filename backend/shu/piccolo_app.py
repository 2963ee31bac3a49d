from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.shu.tables import ShuAllocationRow, ShuDistribution, ShuMemberShare

APP_CONFIG = AppConfig(
    app_name="shu",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "shu"),
    table_classes=[ShuAllocationRow, ShuDistribution, ShuMemberShare],
    migration_dependencies=[
        "backend.ledger.piccolo_app",
        "backend.members.piccolo_app",
        "backend.savings.piccolo_app",
    ],
    commands=[],
)
