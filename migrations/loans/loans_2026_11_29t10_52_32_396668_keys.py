"""Keys and indexes of the loans tables as plain SQL both engines accept (decision 0002)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T10:52:32:396668"
VERSION = "1.38.0"
DESCRIPTION = "loans keys and indexes"

INDEXES = [
    'CREATE UNIQUE INDEX loan_product_koperasi_name_key ON "loan_product" ("koperasi_id", "name")',
    'CREATE UNIQUE INDEX loan_koperasi_number_key ON "loan" ("koperasi_id", "number")',
    'CREATE INDEX loan_member_idx ON "loan" ("koperasi_id", "member_id", "status")',
    'CREATE INDEX loan_status_idx ON "loan" ("koperasi_id", "status")',
    'CREATE UNIQUE INDEX loan_installment_loan_number_key ON "loan_installment" ("koperasi_id", "loan_id", "number")',
    'CREATE UNIQUE INDEX loan_payment_number_key ON "loan_payment" ("koperasi_id", "number")',
    'CREATE INDEX loan_payment_loan_idx ON "loan_payment" ("koperasi_id", "loan_id", "paid_on")',
    'CREATE INDEX loan_payment_paid_on_idx ON "loan_payment" ("koperasi_id", "paid_on")',
    'CREATE INDEX loan_payment_line_loan_idx ON "loan_payment_line" ("koperasi_id", "loan_id", "installment_number")',
    'CREATE INDEX loan_payment_line_payment_idx ON "loan_payment_line" ("payment_id")',
    'CREATE UNIQUE INDEX loan_payment_reversal_payment_key ON "loan_payment_reversal" ("koperasi_id", "payment_id")',
    'CREATE INDEX loan_payment_reversal_loan_idx ON "loan_payment_reversal" ("koperasi_id", "loan_id")',
]
DROPS = [
    "DROP INDEX IF EXISTS " + sql.split(" INDEX ", 1)[1].split(" ON ", 1)[0] for sql in INDEXES
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="loans", description=DESCRIPTION)

    async def create_indexes():
        for sql in INDEXES:
            await engine_finder().run_ddl(sql)

    async def drop_indexes():
        for sql in DROPS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
