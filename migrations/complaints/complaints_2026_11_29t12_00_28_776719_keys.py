"""Keys of the complaints tables as plain SQL both engines accept (see decision 0002).

Complaints belong to a region until the Dinas triages them (decision 0019): the
exactly-once key of the offline form is (region_id, client_id), the public ticket is
unique on its own (the status page finds a complaint by it alone)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T12:00:28:776719"
VERSION = "1.38.0"
DESCRIPTION = "complaints keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX complaint_secret_name_key ON "complaint_secret" ("name")',
    'CREATE UNIQUE INDEX complaint_challenge_use_token_key ON "complaint_challenge_use" ("token_id")',
    'CREATE INDEX complaint_challenge_use_expires_idx ON "complaint_challenge_use" ("expires_at")',
    'CREATE UNIQUE INDEX complaint_region_client_key ON "complaint" ("region_id", "client_id")',
    'CREATE UNIQUE INDEX complaint_ticket_key ON "complaint" ("ticket")',
    'CREATE INDEX complaint_region_status_idx ON "complaint" ("region_id", "status", "created_at")',
    'CREATE INDEX complaint_koperasi_idx ON "complaint" ("koperasi_id", "forwarded")',
    'CREATE UNIQUE INDEX complaint_photo_complaint_key ON "complaint_photo" ("complaint_id")',
    'CREATE INDEX complaint_event_complaint_idx ON "complaint_event" ("complaint_id", "id")',
    'CREATE UNIQUE INDEX consultation_ticket_key ON "consultation" ("ticket")',
    'CREATE INDEX consultation_region_idx ON "consultation" ("region_id", "status", "updated_at")',
    'CREATE INDEX consultation_koperasi_idx ON "consultation" ("koperasi_id", "updated_at")',
    'CREATE INDEX consultation_message_thread_idx ON "consultation_message" ("consultation_id", "id")',
]
DROPS = [
    "DROP INDEX IF EXISTS " + sql.split(" INDEX ", 1)[1].split(" ON ", 1)[0] for sql in INDEXES
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
