"""A loan's schedule, its payments, their split and their reversals cannot be changed, even
by hand: the database refuses UPDATE and DELETE on them (a payment is corrected by a
reversal, like a journal entry). The loan row itself changes status and is audited."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T10:52:32:396669"
VERSION = "1.38.0"
DESCRIPTION = "loan schedules and payments are immutable"

TABLES = ["loan_installment", "loan_payment", "loan_payment_line", "loan_payment_reversal"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION koroena_refuse_loan_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'loan schedules and payments are immutable: % on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="loans", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            statements = [
                f'CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON "{table}" '
                "BEGIN SELECT RAISE(ABORT, 'loan schedules and payments are immutable'); END"
                for table in TABLES
                for op in ("UPDATE", "DELETE")
            ]
        else:
            statements = [POSTGRES_FUNCTION] + [
                f'CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_loan_change()"
                for table in TABLES
            ]
        for sql in statements:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        for table in TABLES:
            if engine.engine_type == "sqlite":
                for op in ("update", "delete"):
                    await engine.run_ddl(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            else:
                await engine.run_ddl(f'DROP TRIGGER IF EXISTS {table}_immutable ON "{table}"')
        if engine.engine_type != "sqlite":
            await engine.run_ddl("DROP FUNCTION IF EXISTS koroena_refuse_loan_change()")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
