"""Keys of the SHU tables as plain SQL both engines accept (see decision 0002), and a
posted distribution cannot be changed, even by hand: the database refuses UPDATE and DELETE
on shu_distribution and shu_member_share (like journal entries)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T10:53:19:760852"
VERSION = "1.38.0"
DESCRIPTION = "shu keys; posted distributions are immutable"

INDEXES = [
    'CREATE UNIQUE INDEX shu_allocation_koperasi_year_key ON "shu_allocation" ("koperasi_id", "year")',
    'CREATE UNIQUE INDEX shu_distribution_koperasi_year_key ON "shu_distribution" ("koperasi_id", "year")',
    'CREATE UNIQUE INDEX shu_member_share_koperasi_year_member_key ON "shu_member_share" ("koperasi_id", "year", "member_id")',
    'CREATE INDEX shu_member_share_member_idx ON "shu_member_share" ("koperasi_id", "member_id")',
]
DROPS = [
    "DROP INDEX IF EXISTS shu_allocation_koperasi_year_key",
    "DROP INDEX IF EXISTS shu_distribution_koperasi_year_key",
    "DROP INDEX IF EXISTS shu_member_share_koperasi_year_member_key",
    "DROP INDEX IF EXISTS shu_member_share_member_idx",
]

IMMUTABLE = ["shu_distribution", "shu_member_share"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION koroena_refuse_shu_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'posted SHU is immutable: % on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


def _sqlite(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, 'posted SHU is immutable'); END"
        for op in ("UPDATE", "DELETE")
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="shu", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        statements = list(INDEXES)
        if engine.engine_type == "sqlite":
            statements += [sql for table in IMMUTABLE for sql in _sqlite(table)]
        else:
            statements += [POSTGRES_FUNCTION] + [
                f'CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_shu_change()"
                for table in IMMUTABLE
            ]
        for sql in statements:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        for table in IMMUTABLE:
            if engine.engine_type == "sqlite":
                for op in ("update", "delete"):
                    await engine.run_ddl(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            else:
                await engine.run_ddl(f'DROP TRIGGER IF EXISTS {table}_immutable ON "{table}"')
        for sql in DROPS:
            await engine.run_ddl(sql)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
