"""Piccolo tables of the complaints context (decision 0019).

A complaint belongs to a region (the Dinas it goes to), not to a koperasi: it may name no
koperasi at all, or one the complainant picked wrongly, until the Dinas triages it. Its
keys are therefore `(region_id, client_id)` (the phone's id of the filing, for
exactly-once sync) and `ticket` (globally unique: the public page finds a complaint by its
ticket alone). Unique keys and indexes are made in the `*_keys` migration (decision 0002).
Consultations of a signed-in pengurus carry their koperasi; public ones only the region.
"""

from piccolo.columns import (
    Boolean,
    Bytea,
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


class ComplaintSecret(Table, tablename="complaint_secret"):
    """The key the challenges are signed with, made on first use and kept in the database
    (every process agrees on it; it is in every backup). `name` is unique."""

    id = Serial(primary_key=True)
    name = Varchar(length=20, default="challenge")
    secret = Varchar(length=128)
    created_at = Timestamptz(default=TimestamptzNow())


class ChallengeUse(Table, tablename="complaint_challenge_use"):
    """The id of every challenge token spent, until the token would have expired anyway
    (single use). `token_id` is unique."""

    id = Serial(primary_key=True)
    token_id = Varchar(length=32)
    expires_at = Timestamptz()
    used_at = Timestamptz(default=TimestamptzNow())


class Complaint(Table, tablename="complaint"):
    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    client_id = Varchar(length=36)
    fingerprint = Varchar(length=64)
    ticket = Varchar(length=20)
    category = Varchar(length=20)
    body = Text()
    contact_name = Varchar(length=120, default="")
    contact_phone = Varchar(length=20, default="")
    contact_email = Varchar(length=200, default="")
    status = Varchar(length=20, default="baru")
    assigned_to = ForeignKey(
        UserAccount, db_column_name="assigned_to_id", null=True, on_delete=OnDelete.restrict
    )
    forwarded = Boolean(default=False)
    reject_reason = Text(default="")
    has_photo = Boolean(default=False)
    ip_hash = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())  # received by the server
    filed_at = Timestamptz(default=TimestamptzNow())  # written on the phone (may be earlier)
    due_at = Timestamptz()
    answered_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class ComplaintPhoto(Table, tablename="complaint_photo"):
    """The one photo a complaint may carry, apart so lists never read it."""

    id = Serial(primary_key=True)
    complaint = ForeignKey(
        Complaint, db_column_name="complaint_id", null=False, on_delete=OnDelete.cascade
    )
    content_type = Varchar(length=20)
    size = Integer()
    sha256 = Varchar(length=64)
    content = Bytea()


class ComplaintEvent(Table, tablename="complaint_event"):
    """One line of a complaint's timeline: who did what, when, with what words; `internal`
    lines are the Dinas's own."""

    id = Serial(primary_key=True)
    complaint = ForeignKey(
        Complaint, db_column_name="complaint_id", null=False, on_delete=OnDelete.cascade
    )
    action = Varchar(length=20)
    author = Varchar(length=20)  # publik, dinas, koperasi
    actor = ForeignKey(
        UserAccount, db_column_name="actor_id", null=True, on_delete=OnDelete.restrict
    )
    body = Text(default="")
    internal = Boolean(default=False)
    status_after = Varchar(length=20)
    created_at = Timestamptz(default=TimestamptzNow())


class Consultation(Table, tablename="consultation"):
    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    ticket = Varchar(length=20)
    asked_by = ForeignKey(
        UserAccount, db_column_name="asked_by_id", null=True, on_delete=OnDelete.restrict
    )
    contact_name = Varchar(length=120, default="")
    contact_phone = Varchar(length=20, default="")
    contact_email = Varchar(length=200, default="")
    topic = Varchar(length=150)
    status = Varchar(length=20, default="terbuka")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ConsultationMessage(Table, tablename="consultation_message"):
    id = Serial(primary_key=True)
    consultation = ForeignKey(
        Consultation, db_column_name="consultation_id", null=False, on_delete=OnDelete.cascade
    )
    author = Varchar(length=20)  # penanya, dinas
    actor = ForeignKey(
        UserAccount, db_column_name="actor_id", null=True, on_delete=OnDelete.restrict
    )
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())
