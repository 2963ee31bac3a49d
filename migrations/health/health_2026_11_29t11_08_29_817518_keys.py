"""Keys of the health-assessment tables as plain SQL both engines accept (decision 0002):
numbers per koperasi, at most one draft per koperasi (a partial unique index), one row per
indicator / aspect / item / figure of an assessment, one ATMR weight per region and account,
one confirmation per region and rule row. And a final assessment cannot be changed, even by
hand: the database refuses UPDATE and DELETE of a final assessment and any INSERT, UPDATE or
DELETE of the rows that belong to one (a correction is a new assessment)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T11:08:29:817518"
VERSION = "1.38.0"
DESCRIPTION = "health keys; final assessments are immutable"

INDEXES = [
    'CREATE UNIQUE INDEX health_assessment_koperasi_number_key ON "health_assessment" ("koperasi_id", "number")',
    "CREATE UNIQUE INDEX health_assessment_koperasi_draft_key ON \"health_assessment\" (\"koperasi_id\") WHERE status = 'draft'",
    'CREATE INDEX health_assessment_koperasi_as_of_idx ON "health_assessment" ("koperasi_id", "as_of")',
    'CREATE UNIQUE INDEX health_indicator_koperasi_assessment_code_key ON "health_indicator" ("koperasi_id", "assessment_id", "code")',
    'CREATE UNIQUE INDEX health_aspect_score_koperasi_assessment_aspect_key ON "health_aspect_score" ("koperasi_id", "assessment_id", "aspect")',
    'CREATE UNIQUE INDEX health_answer_koperasi_assessment_item_key ON "health_answer" ("koperasi_id", "assessment_id", "item")',
    'CREATE UNIQUE INDEX health_figure_koperasi_assessment_code_key ON "health_figure" ("koperasi_id", "assessment_id", "code")',
    'CREATE UNIQUE INDEX health_atmr_weight_region_account_key ON "health_atmr_weight" ("region_id", "account")',
    'CREATE UNIQUE INDEX health_rule_confirmation_region_row_key ON "health_rule_confirmation" ("region_id", "scheme", "version", "row")',
]
DROPS = [
    "DROP INDEX IF EXISTS " + sql.split(" INDEX ", 1)[1].split(" ON ", 1)[0] for sql in INDEXES
]

CHILDREN = ["health_indicator", "health_aspect_score", "health_answer", "health_figure"]
MESSAGE = "a final health assessment is immutable"

POSTGRES_FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION koroena_refuse_final_health_assessment() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'final' THEN
        RAISE EXCEPTION '{MESSAGE}: % on %', TG_OP, TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
    f"""
CREATE OR REPLACE FUNCTION koroena_refuse_final_health_row() RETURNS trigger AS $$
DECLARE
    parent integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        parent := NEW.assessment_id;
    ELSE
        parent := OLD.assessment_id;
    END IF;
    IF (SELECT status FROM health_assessment WHERE id = parent) = 'final' THEN
        RAISE EXCEPTION '{MESSAGE}: % on %', TG_OP, TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
]


def _sqlite_triggers() -> list[str]:
    statements = [
        f'CREATE TRIGGER health_assessment_final_no_{op.lower()} BEFORE {op} ON "health_assessment" '
        f"WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        for op in ("UPDATE", "DELETE")
    ]
    for table in CHILDREN:
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            statements.append(
                f'CREATE TRIGGER {table}_final_no_{op.lower()} BEFORE {op} ON "{table}" '
                f"WHEN (SELECT status FROM health_assessment WHERE id = {row}.assessment_id)"
                f" = 'final' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    return statements


def _postgres_triggers() -> list[str]:
    statements = [
        'CREATE TRIGGER health_assessment_final BEFORE UPDATE OR DELETE ON "health_assessment" '
        "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_final_health_assessment()"
    ]
    statements += [
        f'CREATE TRIGGER {table}_final BEFORE INSERT OR UPDATE OR DELETE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION koroena_refuse_final_health_row()"
        for table in CHILDREN
    ]
    return statements


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="health", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        statements = list(INDEXES)
        if engine.engine_type == "sqlite":
            statements += _sqlite_triggers()
        else:
            statements += POSTGRES_FUNCTIONS + _postgres_triggers()
        for sql in statements:
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            for op in ("update", "delete"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS health_assessment_final_no_{op}")
            for table in CHILDREN:
                for op in ("insert", "update", "delete"):
                    await engine.run_ddl(f"DROP TRIGGER IF EXISTS {table}_final_no_{op}")
        else:
            await engine.run_ddl(
                'DROP TRIGGER IF EXISTS health_assessment_final ON "health_assessment"'
            )
            for table in CHILDREN:
                await engine.run_ddl(f'DROP TRIGGER IF EXISTS {table}_final ON "{table}"')
            await engine.run_ddl("DROP FUNCTION IF EXISTS koroena_refuse_final_health_assessment()")
            await engine.run_ddl("DROP FUNCTION IF EXISTS koroena_refuse_final_health_row()")
        for sql in DROPS:
            await engine.run_ddl(sql)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
