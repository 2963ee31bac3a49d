"""Piccolo tables of the reporting context."""

from piccolo.columns import (
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
from backend.tenancy.tables import Koperasi


class ReportSubmission(Table, tablename="report_submission"):
    """One accepted report: a koperasi's declared figures for one form and period, beside
    the figures its books gave when the report arrived. Never changed: a correction is a
    new row with the next revision (the database refuses UPDATE and DELETE).

    Unique per koperasi (unique indexes, see the migrations): client_id (the id the phone
    made, for exactly-once), and (form_key, period, revision)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    client_id = Varchar(length=36)
    form_key = Varchar(length=20)
    form_version = Integer()
    period = Varchar(length=10)  # 2026-10 or 2026-Q3
    period_start = Date()
    period_end = Date()
    revision = Integer()  # 1, then +1 for each correction
    declared = Text()  # JSON: field key -> value, as the koperasi declared it
    books = Text()  # JSON: field key -> the books' figure when the report arrived
    books_notes = Text(default="{}")  # JSON: field key -> why a figure is what it is
    correction_reason = Text(default="")
    payload_hash = Varchar(length=64)
    created_at = Timestamptz()  # on the phone, when the person pressed "Kirim"
    received_at = Timestamptz(default=TimestamptzNow())
    submitted_by = ForeignKey(
        UserAccount, db_column_name="submitted_by_id", null=True, on_delete=OnDelete.restrict
    )
