"""Piccolo tables of the tenancy context."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Region(Table, tablename="region"):
    """The area one Dinas Koperasi supervises, e.g. Kota Mojokerto."""

    id = Serial(primary_key=True)
    slug = Varchar(length=64, unique=True)
    name = Varchar(length=200)
    dinas_name = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())


class Koperasi(Table, tablename="koperasi"):
    """The tenant: every tenant row elsewhere carries its id as `koperasi_id`."""

    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=20)
    address = Text(default="")
    city = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Outlet(Table, tablename="outlet"):
    """A shop (toko / unit usaha) of one koperasi. `code` is unique per koperasi (a unique
    index made in the migration)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    code = Varchar(length=20)
    name = Varchar(length=200)
    address = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
