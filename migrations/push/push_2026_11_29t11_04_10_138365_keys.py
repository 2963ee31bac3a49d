"""Keys of the push tables as plain SQL both engines accept (see decision 0002). The
subscription and preference keys are per person, not per koperasi (decision 0015); the
due index serves the sender's claim."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T11:04:10:138365"
VERSION = "1.38.0"
DESCRIPTION = "push keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX push_vapid_key_name_key ON "push_vapid_key" ("name")',
    'CREATE UNIQUE INDEX push_subscription_endpoint_key ON "push_subscription" ("endpoint")',
    'CREATE INDEX push_subscription_user_idx ON "push_subscription" ("user_id")',
    'CREATE UNIQUE INDEX push_preference_user_topic_key ON "push_preference" ("user_id", "topic")',
    'CREATE INDEX push_notification_created_by_idx ON "push_notification" ("created_by_id", "topic", "created_at")',
    'CREATE INDEX push_delivery_due_idx ON "push_delivery" ("status", "next_attempt_at")',
    'CREATE INDEX push_delivery_notification_idx ON "push_delivery" ("notification_id")',
    'CREATE INDEX push_delivery_subscription_idx ON "push_delivery" ("subscription_id")',
]
DROPS = [
    "DROP INDEX IF EXISTS push_vapid_key_name_key",
    "DROP INDEX IF EXISTS push_subscription_endpoint_key",
    "DROP INDEX IF EXISTS push_subscription_user_idx",
    "DROP INDEX IF EXISTS push_preference_user_topic_key",
    "DROP INDEX IF EXISTS push_notification_created_by_idx",
    "DROP INDEX IF EXISTS push_delivery_due_idx",
    "DROP INDEX IF EXISTS push_delivery_notification_idx",
    "DROP INDEX IF EXISTS push_delivery_subscription_idx",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="push", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
