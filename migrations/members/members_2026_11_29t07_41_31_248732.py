from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-29T07:41:31:248732"
VERSION = "1.38.0"
DESCRIPTION = "member left_on (the day a member left)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="members", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Member",
        tablename="member",
        column_name="left_on",
        db_column_name="left_on",
        column_class_name="Date",
        column_class=Date,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
