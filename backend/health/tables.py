"""Piccolo tables of the health-assessment context. Every assessment row carries
`koperasi_id`; unique keys include it (unique indexes in `migrations/health/*_keys.py`,
decision 0002). The region settings (ATMR weights, confirmed rows) are per region.

An assessment is a draft while pengurus and the Dinas work on it; a Dinas officer of the
region makes it final, and from then on the database refuses any change to it, its
indicators, its answers and its figures (triggers in `*_keys.py`): a correction is a new
assessment."""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import UserAccount
from backend.tenancy.tables import Koperasi, Region


class HealthAssessment(Table, tablename="health_assessment"):
    """One assessment of one koperasi on one day with one rule set (scheme + version).
    Unique per koperasi: number; at most one draft per koperasi (a partial unique index).
    `total_score` is the total rounded to two decimals, as text ("72.35")."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    number = Integer()
    scheme = Varchar(length=40)
    version = Varchar(length=40)
    as_of = Date()
    period_start = Date()  # the year of flows (revenue, costs) ends on as_of
    status = Varchar(length=10, default="draft")  # draft | final
    total_score = Varchar(length=12, default="0.00")
    category = Varchar(length=40, default="")
    # Rule-set rows of low confidence not confirmed for the region when last computed
    # (JSON list, e.g. ["_bobot", "car"]): they are shown as "sementara".
    provisional_rows = Text(default="[]")
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_role = Varchar(length=12, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    computed_at = Timestamptz(default=TimestamptzNow())
    finalised_by = ForeignKey(
        UserAccount, db_column_name="finalised_by_id", null=True, on_delete=OnDelete.restrict
    )
    finalised_at = Timestamptz(null=True, default=None)


class HealthIndicator(Table, tablename="health_indicator"):
    """An indicator's result in an assessment: its value (ratio % or share of items met),
    nilai and skor (text, two decimals), the evidence it was computed from (JSON) and
    whether it was provisional ("sementara") when computed. Unique per koperasi:
    (assessment, code)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    assessment = ForeignKey(
        HealthAssessment,
        db_column_name="assessment_id",
        null=False,
        on_delete=OnDelete.restrict,
    )
    position = Integer()
    aspect = Varchar(length=60)
    code = Varchar(length=60)
    kind = Varchar(length=12)
    status = Varchar(length=20)
    value = Varchar(length=24, null=True, default=None)
    nilai = Varchar(length=12)
    skor = Varchar(length=12)
    at_best = Boolean(default=False)
    provisional = Boolean(default=False)
    met = Integer(default=0)
    items = Integer(default=0)
    evidence = Text(default="{}")


class HealthAspectScore(Table, tablename="health_aspect_score"):
    """An aspect's score in an assessment (text, two decimals). Unique per koperasi:
    (assessment, aspect)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    assessment = ForeignKey(
        HealthAssessment,
        db_column_name="assessment_id",
        null=False,
        on_delete=OnDelete.restrict,
    )
    aspect = Varchar(length=60)
    score = Varchar(length=12)
    weight = Varchar(length=12)


class HealthAnswer(Table, tablename="health_answer"):
    """A checklist item's answer, and who gave it (pengurus or dinas). Unique per koperasi:
    (assessment, item)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    assessment = ForeignKey(
        HealthAssessment,
        db_column_name="assessment_id",
        null=False,
        on_delete=OnDelete.restrict,
    )
    item = Varchar(length=60)
    met = Boolean(default=False)
    answered_role = Varchar(length=12)
    answered_by = ForeignKey(
        UserAccount, db_column_name="answered_by_id", null=True, on_delete=OnDelete.restrict
    )
    answered_at = Timestamptz(default=TimestamptzNow())


class HealthFigure(Table, tablename="health_figure"):
    """A figure entered by hand for an assessment, used when the books and the loan
    register do not hold it. Unique per koperasi: (assessment, code)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    assessment = ForeignKey(
        HealthAssessment,
        db_column_name="assessment_id",
        null=False,
        on_delete=OnDelete.restrict,
    )
    code = Varchar(length=60)
    amount = BigInt()
    entered_role = Varchar(length=12)
    entered_by = ForeignKey(
        UserAccount, db_column_name="entered_by_id", null=True, on_delete=OnDelete.restrict
    )
    entered_at = Timestamptz(default=TimestamptzNow())


class HealthAtmrWeight(Table, tablename="health_atmr_weight"):
    """A region's own ATMR risk weight for one asset account, overriding the rule set's
    default. Unique: (region, account)."""

    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    account = Varchar(length=20)
    weight_bp = Integer()
    changed_by = ForeignKey(
        UserAccount, db_column_name="changed_by_id", null=True, on_delete=OnDelete.restrict
    )
    changed_at = Timestamptz(default=TimestamptzNow())


class HealthRuleConfirmation(Table, tablename="health_rule_confirmation"):
    """A Dinas officer confirmed a low-confidence row of a rule set for the region: it is
    no longer shown as "sementara" there. Unique: (region, scheme, version, row)."""

    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    scheme = Varchar(length=40)
    version = Varchar(length=40)
    row = Varchar(length=60)
    confirmed_by = ForeignKey(
        UserAccount, db_column_name="confirmed_by_id", null=True, on_delete=OnDelete.restrict
    )
    confirmed_at = Timestamptz(default=TimestamptzNow())
