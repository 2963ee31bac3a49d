"""Piccolo tables of the members context."""

from piccolo.columns import Date, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.tenancy.tables import Koperasi


class Member(Table, tablename="member"):
    """An anggota of one koperasi. Unique per koperasi: member_number, nik (unique
    indexes made in the migration: SQLite cannot add constraints to a table)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    member_number = Varchar(length=20)
    full_name = Varchar(length=200)
    nik = Varchar(length=16)
    phone = Varchar(length=20, default="")
    address = Text(default="")
    joined_on = Date()
    status = Varchar(length=12, default="aktif")
    left_on = Date(null=True, default=None)  # set when the member leaves (status "keluar")
    created_at = Timestamptz(default=TimestamptzNow())
