"""Piccolo tables of the SHU context. Every row carries `koperasi_id`; the keys (unique
indexes, decision 0002) are (koperasi_id, year) for the allocation and the distribution and
(koperasi_id, year, member_id) for the members' shares. A posted distribution and its
shares are never changed (database triggers refuse UPDATE and DELETE)."""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import UserAccount
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.tenancy.tables import Koperasi


class ShuAllocationRow(Table, tablename="shu_allocation"):
    """How a koperasi splits one year's SHU (the AD/ART split the RAT confirms), in basis
    points summing to 10,000; which savings count for jasa modal; what jasa usaha is shared
    by; where the members' part goes. Editable until the year is posted."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    year = Integer()
    cadangan_bp = Integer(default=4_000)
    jasa_modal_bp = Integer(default=2_000)
    jasa_usaha_bp = Integer(default=2_000)
    pengurus_bp = Integer(default=500)
    karyawan_bp = Integer(default=500)
    pendidikan_bp = Integer(default=500)
    sosial_bp = Integer(default=500)
    daerah_kerja_bp = Integer(default=0)
    count_pokok = Boolean(default=True)
    count_wajib = Boolean(default=True)
    count_sukarela = Boolean(default=False)
    usaha_basis = Varchar(length=10, default="pembelian")
    mode = Varchar(length=10, default="utang")
    updated_by = ForeignKey(
        UserAccount, db_column_name="updated_by_id", null=True, on_delete=OnDelete.restrict
    )
    updated_at = Timestamptz(default=TimestamptzNow())


class ShuDistribution(Table, tablename="shu_distribution"):
    """A year's SHU as it was posted: the pool, each component's amount (after the largest
    remainder), the total bases, and the journal entry that booked it. Once per koperasi and
    year."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    year = Integer()
    pool = BigInt()
    posted_on = Date()
    entry = ForeignKey(
        JournalEntry, db_column_name="entry_id", null=False, on_delete=OnDelete.restrict
    )
    cadangan_amount = BigInt()
    jasa_modal_amount = BigInt()
    jasa_usaha_amount = BigInt()
    pengurus_amount = BigInt()
    karyawan_amount = BigInt()
    pendidikan_amount = BigInt()
    sosial_amount = BigInt()
    daerah_kerja_amount = BigInt()
    modal_total_base = BigInt()
    usaha_total_base = BigInt()
    members_total = BigInt()
    credited_total = BigInt(default=0)  # of members_total, into simpanan sukarela
    posted_by = ForeignKey(
        UserAccount, db_column_name="posted_by_id", null=True, on_delete=OnDelete.restrict
    )
    posted_at = Timestamptz(default=TimestamptzNow())


class ShuMemberShare(Table, tablename="shu_member_share"):
    """One member's share of a posted year, with what it was computed from, so the member's
    explanation reads the same forever (even if a late sale of that year arrives later)."""

    id = Serial(primary_key=True)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )
    distribution = ForeignKey(
        ShuDistribution,
        db_column_name="distribution_id",
        null=False,
        on_delete=OnDelete.restrict,
    )
    year = Integer()
    member = ForeignKey(Member, db_column_name="member_id", null=False, on_delete=OnDelete.restrict)
    pokok = BigInt(default=0)
    wajib = BigInt(default=0)
    sukarela = BigInt(default=0)
    purchases = BigInt(default=0)
    interest = BigInt(default=0)
    modal_base = BigInt(default=0)
    usaha_base = BigInt(default=0)
    jasa_modal = BigInt(default=0)
    jasa_usaha = BigInt(default=0)
    credited = Boolean(default=False)  # into simpanan sukarela (else the payable)
    receipt_number = Integer(null=True, default=None)  # of that sukarela movement
