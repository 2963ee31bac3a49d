"""Piccolo tables of the supervision context. Every row carries `koperasi_id`; the unique
and lookup keys are indexes made in the `*_keys` migration (decision 0002)."""

from piccolo.columns import (
    Bytea,
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


class LegalityProfile(Table, tablename="legality_profile"):
    """One koperasi's legality profile (unique per koperasi). `status` is the Dinas's
    verification: menunggu / terverifikasi / ditolak, with who decided, when and why."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    badan_hukum_number = Varchar(length=100, default="")
    badan_hukum_date = Date(null=True, default=None)
    akta_number = Varchar(length=100, default="")
    akta_date = Date(null=True, default=None)
    akta_notary = Varchar(length=200, default="")
    nik = Varchar(length=32, default="")  # Nomor Induk Koperasi
    nik_issued_on = Date(null=True, default=None)
    nik_expires_on = Date(null=True, default=None)
    nib = Varchar(length=13, default="")
    kbli = Varchar(length=200, default="")  # comma-separated five-digit codes
    npwp = Varchar(length=16, default="")
    izin_usp_number = Varchar(length=100, default="")
    izin_usp_date = Date(null=True, default=None)
    last_rat_date = Date(null=True, default=None)
    last_rat_report_date = Date(null=True, default=None)
    bentuk = Varchar(length=10, default="primer")
    kelompok = Varchar(length=200, default="")
    latitude_e6 = Integer(null=True, default=None)  # millionths of a degree
    longitude_e6 = Integer(null=True, default=None)
    status = Varchar(length=16, default="menunggu")
    verified_by = ForeignKey(
        UserAccount, db_column_name="verified_by_id", null=True, on_delete=OnDelete.restrict
    )
    verified_at = Timestamptz(null=True, default=None)
    verification_note = Text(default="")
    # +1 on every change by the pengurus (profile, amendments, board): a Dinas verdict names
    # the revision the officer read, so it never approves something it has not seen.
    revision = Integer(default=1)
    updated_by = ForeignKey(
        UserAccount, db_column_name="updated_by_id", null=True, on_delete=OnDelete.restrict
    )
    updated_at = Timestamptz(default=TimestamptzNow())


class DeedAmendment(Table, tablename="legality_amendment"):
    """A change to the deed (akta perubahan anggaran dasar)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    number = Varchar(length=100)
    deed_date = Date()
    notary = Varchar(length=200, default="")
    summary = Text(default="")
    position = Integer(default=0)


class BoardMemberRow(Table, tablename="legality_board_member"):
    """A member of the board (pengurus) or the supervisors (pengawas), with the term."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    body = Varchar(length=10)  # pengurus / pengawas
    name = Varchar(length=200)
    title = Varchar(length=100)
    term_start = Date(null=True, default=None)
    term_end = Date(null=True, default=None)
    position = Integer(default=0)


class LegalityDocument(Table, tablename="legality_document"):
    """An uploaded document, its bytes in the database (backups carry them), its type as
    its first bytes say, and the Dinas's verification."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    kind = Varchar(length=20)
    filename = Varchar(length=200)
    content_type = Varchar(length=40)
    size = Integer()
    sha256 = Varchar(length=64)
    content = Bytea()
    uploaded_by = ForeignKey(
        UserAccount, db_column_name="uploaded_by_id", null=True, on_delete=OnDelete.restrict
    )
    uploaded_at = Timestamptz(default=TimestamptzNow())
    status = Varchar(length=16, default="menunggu")
    verified_by = ForeignKey(
        UserAccount, db_column_name="verified_by_id", null=True, on_delete=OnDelete.restrict
    )
    verified_at = Timestamptz(null=True, default=None)
    verification_note = Text(default="")
