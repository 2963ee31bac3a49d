"""Keys and indexes of the outreach tables as plain SQL both engines accept (decision
0002). An article's slug is unique on its own: its public address names no region
(decision 0017). A person holds at most one live registration per training (a partial
unique index: cancelled rows stay as history)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T11:38:11:450828"
VERSION = "1.38.0"
DESCRIPTION = "outreach keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX edu_article_slug_key ON "edu_article" ("slug")',
    'CREATE INDEX edu_article_published_idx ON "edu_article" ("status", "published_at", "id")',
    'CREATE INDEX edu_article_region_idx ON "edu_article" ("region_id", "id")',
    'CREATE INDEX edu_attachment_article_idx ON "edu_attachment" ("article_id")',
    'CREATE INDEX news_post_region_feed_idx ON "news_post" ("region_id", "scope", "published_at", "id")',
    'CREATE INDEX news_post_koperasi_feed_idx ON "news_post" ("koperasi_id", "published_at", "id")',
    'CREATE INDEX training_event_region_idx ON "training_event" ("region_id", "starts_at")',
    'CREATE INDEX training_event_reminder_idx ON "training_event" ("status", "starts_at")',
    'CREATE UNIQUE INDEX training_audience_event_koperasi_key ON "training_audience" ("event_id", "koperasi_id")',
    'CREATE INDEX training_audience_koperasi_idx ON "training_audience" ("koperasi_id")',
    "CREATE UNIQUE INDEX training_registration_live_key ON \"training_registration\" (\"event_id\", \"user_id\") WHERE status <> 'batal'",
    'CREATE INDEX training_registration_event_idx ON "training_registration" ("event_id", "status", "id")',
    'CREATE INDEX training_registration_user_idx ON "training_registration" ("user_id", "event_id")',
]
DROPS = [
    "DROP INDEX IF EXISTS edu_article_slug_key",
    "DROP INDEX IF EXISTS edu_article_published_idx",
    "DROP INDEX IF EXISTS edu_article_region_idx",
    "DROP INDEX IF EXISTS edu_attachment_article_idx",
    "DROP INDEX IF EXISTS news_post_region_feed_idx",
    "DROP INDEX IF EXISTS news_post_koperasi_feed_idx",
    "DROP INDEX IF EXISTS training_event_region_idx",
    "DROP INDEX IF EXISTS training_event_reminder_idx",
    "DROP INDEX IF EXISTS training_audience_event_koperasi_key",
    "DROP INDEX IF EXISTS training_audience_koperasi_idx",
    "DROP INDEX IF EXISTS training_registration_live_key",
    "DROP INDEX IF EXISTS training_registration_event_idx",
    "DROP INDEX IF EXISTS training_registration_user_idx",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="outreach", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
