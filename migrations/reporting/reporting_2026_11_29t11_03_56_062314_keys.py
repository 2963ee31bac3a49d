"""Keys of the report submissions as plain SQL both engines accept (see decision 0002).
(koperasi_id, client_id) is the exactly-once guarantee of the offline forms;
(koperasi_id, form_key, period, revision) lets one submission per period through, and a
correction only as the next revision."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T11:03:56:062314"
VERSION = "1.38.0"
DESCRIPTION = "report submission keys"

INDEXES = [
    'CREATE UNIQUE INDEX report_submission_client_key ON "report_submission"'
    ' ("koperasi_id", "client_id")',
    'CREATE UNIQUE INDEX report_submission_revision_key ON "report_submission"'
    ' ("koperasi_id", "form_key", "period", "revision")',
    'CREATE INDEX report_submission_period_idx ON "report_submission" ("form_key", "period")',
]
DROPS = [
    "DROP INDEX IF EXISTS report_submission_client_key",
    "DROP INDEX IF EXISTS report_submission_revision_key",
    "DROP INDEX IF EXISTS report_submission_period_idx",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="reporting", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
