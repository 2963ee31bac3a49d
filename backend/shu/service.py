"""SHU use cases: the allocation settings per koperasi and year, the preview computed from
the books of a closed year (the pool from the PHU; members' savings at the year end,
purchases and loan interest paid from SQL aggregates), and the posting of the
distribution — one journal entry, the members' shares and (mode sukarela) their savings
movements, all in one transaction, once per koperasi and year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from piccolo.query.functions.aggregate import Max, Min, Sum

from backend.accounts import audit
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, NotFound
from backend.ledger.service import is_closed, post_entry
from backend.ledger.statements import phu
from backend.ledger.tables import JournalEntry, PeriodClose
from backend.members.domain import MemberStatus
from backend.members.tables import Member
from backend.pos.domain import REGION_TZ
from backend.pos.tables import Sale
from backend.savings import service as savings
from backend.savings.domain import SavingsKind, receipt_code
from backend.savings.tables import SavingsMovement
from backend.shu.domain import (
    Allocation,
    Component,
    ComponentAmount,
    Destination,
    Distribution,
    MemberBase,
    MemberShare,
    Mode,
    Summary,
    UsahaBasis,
    allocate,
    allocation_changes,
    check_allocation,
    check_postable,
    check_year_closed,
    credits_to_savings,
    default_allocation,
    distribution_lines,
)
from backend.shu.tables import ShuAllocationRow, ShuDistribution, ShuMemberShare
from backend.tenancy.tables import Koperasi
from backend.texts import N_

SOURCE = "shu"  # journal entries of SHU distributions
INSERT_BATCH = 500  # rows per INSERT: well under SQLite's limit of bound parameters
MEMBERS_MAX = 1000  # one page of the members' list


def year_start(year: int) -> date:
    return date(year, 1, 1)


def year_end(year: int) -> date:
    return date(year, 12, 31)


async def _lock(koperasi_id: int) -> None:
    """SHU writes of one koperasi take turns (PostgreSQL: the koperasi row, the lock
    `post_entry` takes too; SQLite's IMMEDIATE transaction already serialises writers)."""
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


# --- the allocation ----------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationSettings:
    year: int
    allocation: Allocation
    saved: bool  # False: the defaults, nobody has saved this year's split yet
    posted: bool  # True: frozen


async def _koperasi_kind(koperasi_id: int) -> str:
    row = await Koperasi.select(Koperasi.kind).where(Koperasi.id == koperasi_id).first()
    if row is None:
        raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
    return str(row["kind"])


def _allocation_of(row: dict[str, Any]) -> Allocation:
    return Allocation(
        cadangan_bp=int(row["cadangan_bp"]),
        jasa_modal_bp=int(row["jasa_modal_bp"]),
        jasa_usaha_bp=int(row["jasa_usaha_bp"]),
        pengurus_bp=int(row["pengurus_bp"]),
        karyawan_bp=int(row["karyawan_bp"]),
        pendidikan_bp=int(row["pendidikan_bp"]),
        sosial_bp=int(row["sosial_bp"]),
        daerah_kerja_bp=int(row["daerah_kerja_bp"]),
        count_pokok=bool(row["count_pokok"]),  # SQLite answers 0/1
        count_wajib=bool(row["count_wajib"]),
        count_sukarela=bool(row["count_sukarela"]),
        usaha_basis=UsahaBasis(row["usaha_basis"]),
        mode=Mode(row["mode"]),
    )


def _allocation_values(allocation: Allocation) -> dict[str, Any]:
    values = asdict(allocation)
    values["usaha_basis"] = allocation.usaha_basis.value
    values["mode"] = allocation.mode.value
    return values


async def _is_posted(koperasi_id: int, year: int) -> bool:
    return bool(
        await ShuDistribution.exists().where(
            (ShuDistribution.koperasi == koperasi_id) & (ShuDistribution.year == year)
        )
    )


async def allocation(koperasi_id: int, year: int) -> AllocationSettings:
    """The year's split: as saved, else the defaults for the koperasi's kind."""
    row = (
        await ShuAllocationRow.select()
        .where((ShuAllocationRow.koperasi == koperasi_id) & (ShuAllocationRow.year == year))
        .first()
    )
    chosen = _allocation_of(row) if row else default_allocation(await _koperasi_kind(koperasi_id))
    return AllocationSettings(
        year=year,
        allocation=chosen,
        saved=row is not None,
        posted=await _is_posted(koperasi_id, year),
    )


async def _store_allocation(
    koperasi_id: int, year: int, chosen: Allocation, updated_by: int | None
) -> None:
    values = _allocation_values(chosen)
    where = (ShuAllocationRow.koperasi == koperasi_id) & (ShuAllocationRow.year == year)
    if await ShuAllocationRow.exists().where(where):
        await ShuAllocationRow.update(
            {
                **{getattr(ShuAllocationRow, name): value for name, value in values.items()},
                ShuAllocationRow.updated_by: updated_by,
                ShuAllocationRow.updated_at: datetime.now(REGION_TZ),
            }
        ).where(where)
    else:
        await ShuAllocationRow.insert(
            ShuAllocationRow(koperasi=koperasi_id, year=year, updated_by=updated_by, **values)
        )


async def set_allocation(
    koperasi_id: int,
    year: int,
    new: Allocation,
    *,
    changed_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> AllocationSettings:
    """Save the year's split (pengurus, until the year is posted)."""
    check_allocation(new)
    async with write_transaction():
        await _lock(koperasi_id)
        current = await allocation(koperasi_id, year)
        if current.posted:
            raise Conflict(
                "shu_posted",
                N_(
                    "SHU tahun ini sudah dibukukan: ketentuan pembagiannya tidak dapat diubah lagi."
                ),
            )
        await _store_allocation(koperasi_id, year, new, changed_by)
        changes = allocation_changes(current.allocation, new)
        if changes or not current.saved:
            await audit.record(
                "shu_allocation_changed",
                actor_id=changed_by,
                region_id=region_id,
                koperasi_id=koperasi_id,
                ip=ip,
                year=year,
                changes=changes,
            )
    return AllocationSettings(year=year, allocation=new, saved=True, posted=False)


# --- the years ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    year: int
    posted: bool


async def years(koperasi_id: int) -> list[YearStatus]:
    """The koperasi's closed years (their December is closed), newest first, from the
    year of its first journal entry."""
    last = (
        await PeriodClose.select(Max(PeriodClose.period, alias="period"))
        .where(PeriodClose.koperasi == koperasi_id)
        .first()
    )
    period = (last or {}).get("period")
    if not period:
        return []
    last_year = int(period[:4]) if period[5:] == "12" else int(period[:4]) - 1
    first = (
        await JournalEntry.select(Min(JournalEntry.entry_date, alias="first"))
        .where(JournalEntry.koperasi == koperasi_id)
        .first()
    )
    first_day = (first or {}).get("first")
    first_year = _as_date(first_day).year if first_day else last_year
    posted = {
        int(row["year"])
        for row in await ShuDistribution.select(ShuDistribution.year).where(
            ShuDistribution.koperasi == koperasi_id
        )
    }
    return [
        YearStatus(year=year, posted=year in posted)
        for year in range(last_year, min(first_year, last_year) - 1, -1)
    ]


def _as_date(value: object) -> date:
    # SQLite hands raw query dates back as ISO text; PostgreSQL as dates.
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# --- what the shares are computed from ---------------------------------------------------


async def _savings_at(koperasi_id: int, day: date) -> dict[int, dict[str, int]]:
    """member id -> savings kind -> balance at the end of `day` (one GROUP BY)."""
    rows = (
        await SavingsMovement.select(
            SavingsMovement.member.as_alias("member_id"),
            SavingsMovement.kind,
            Sum(SavingsMovement.signed_amount, alias="total"),
        )
        .where((SavingsMovement.koperasi == koperasi_id) & (SavingsMovement.movement_date <= day))
        .group_by(SavingsMovement.member, SavingsMovement.kind)
    )
    balances: dict[int, dict[str, int]] = {}
    for row in rows:
        balances.setdefault(int(row["member_id"]), {})[str(row["kind"])] = int(row["total"] or 0)
    return balances


async def purchases_by_member(koperasi_id: int, year: int) -> dict[int, int]:
    """member id -> total of their shop sales sold in `year` (on the region's calendar,
    like the sales' journal entries), from the server's own totals (one GROUP BY)."""
    since = datetime(year, 1, 1, tzinfo=REGION_TZ)
    until = datetime(year + 1, 1, 1, tzinfo=REGION_TZ)
    rows = (
        await Sale.select(Sale.member.as_alias("member_id"), Sum(Sale.total, alias="total"))
        .where(
            (Sale.koperasi == koperasi_id)
            & Sale.member.is_not_null()
            & (Sale.sold_at >= since)
            & (Sale.sold_at < until)
        )
        .group_by(Sale.member)
    )
    return {int(row["member_id"]): int(row["total"] or 0) for row in rows}


async def interest_by_member(koperasi_id: int, year: int) -> dict[int, int]:
    """member id -> loan interest (jasa pinjaman) they paid in `year`, from the loans
    context. Imported here: only a koperasi sharing jasa usaha by interest needs it."""
    from backend.loans.service import interest_paid_by_member

    paid = await interest_paid_by_member(koperasi_id, year_start(year), year_end(year))
    return {int(member_id): int(amount) for member_id, amount in paid.items()}


async def member_bases(koperasi_id: int, year: int, chosen: Allocation) -> list[MemberBase]:
    """Every member who belonged to the koperasi during `year` or has something counted,
    with their savings at the year end, purchases and (if counted) loan interest paid."""
    balances = await _savings_at(koperasi_id, year_end(year))
    bought = await purchases_by_member(koperasi_id, year) if chosen.usaha_basis.purchases else {}
    interest = await interest_by_member(koperasi_id, year) if chosen.usaha_basis.interest else {}
    rows = await Member.select(
        Member.id,
        Member.member_number,
        Member.full_name,
        Member.status,
        Member.joined_on,
        Member.left_on,
    ).where(Member.koperasi == koperasi_id)
    bases = []
    for row in rows:
        member_id = int(row["id"])
        kinds = balances.get(member_id, {})
        base = MemberBase(
            member_id=member_id,
            member_number=str(row["member_number"]),
            name=str(row["full_name"]),
            pokok=kinds.get(SavingsKind.POKOK.value, 0),
            wajib=kinds.get(SavingsKind.WAJIB.value, 0),
            sukarela=kinds.get(SavingsKind.SUKARELA.value, 0),
            purchases=bought.get(member_id, 0),
            interest=interest.get(member_id, 0),
            active=row["status"] == MemberStatus.AKTIF.value,
        )
        joined, left = row["joined_on"], row["left_on"]
        belonged = (joined is None or _as_date(joined) <= year_end(year)) and (
            left is None or _as_date(left) >= year_start(year)
        )
        if belonged or base.modal_base(chosen) or base.usaha_base(chosen):
            bases.append(base)
    return bases


async def pool_of(koperasi_id: int, year: int) -> int:
    """The year's SHU in the books: revenue minus expenses of 1 January–31 December."""
    income = await phu(koperasi_id, year_start(year), year_end(year))
    return income.shu[0]


async def compute(koperasi_id: int, year: int) -> Distribution:
    """The distribution the books and the year's allocation give now (a closed year only)."""
    check_year_closed(await is_closed(koperasi_id, f"{year:04d}-12"))
    chosen = (await allocation(koperasi_id, year)).allocation
    pool = await pool_of(koperasi_id, year)
    return allocate(year, pool, chosen, await member_bases(koperasi_id, year, chosen))


# --- a year as posted --------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    posted_on: date
    entry_number: int
    members_total: int
    credited_total: int


@dataclass(frozen=True)
class YearView:
    """A year's SHU: posted (what was booked) or a preview (what the books give now)."""

    summary: Summary
    posting: Posting | None
    member_count: int  # members with a share above zero

    @property
    def posted(self) -> bool:
        return self.posting is not None


async def _posted_row(koperasi_id: int, year: int) -> dict[str, Any] | None:
    return await (
        ShuDistribution.select(
            *ShuDistribution.all_columns(),
            ShuDistribution.entry.number.as_alias("entry_number"),
        )
        .where((ShuDistribution.koperasi == koperasi_id) & (ShuDistribution.year == year))
        .first()
    )


async def _posted_summary(koperasi_id: int, row: dict[str, Any]) -> Summary:
    year = int(row["year"])
    chosen = (await allocation(koperasi_id, year)).allocation
    modal_base, usaha_base = int(row["modal_total_base"]), int(row["usaha_total_base"])
    components = []
    for c in Component:
        amount = int(row[f"{c.value}_amount"])
        unpaid = (c is Component.JASA_MODAL and not modal_base) or (
            c is Component.JASA_USAHA and not usaha_base
        )
        components.append(ComponentAmount(c, chosen.bp(c), amount, 0 if unpaid else amount))
    return Summary(
        year=year,
        pool=int(row["pool"]),
        allocation=chosen,
        components=components,
        modal_total_base=modal_base,
        usaha_total_base=usaha_base,
    )


def _posting(row: dict[str, Any]) -> Posting:
    return Posting(
        posted_on=_as_date(row["posted_on"]),
        entry_number=int(row["entry_number"]),
        members_total=int(row["members_total"]),
        credited_total=int(row["credited_total"]),
    )


async def year_view(koperasi_id: int, year: int) -> YearView:
    """The year's SHU: as posted, else the preview (refused for a year not closed)."""
    row = await _posted_row(koperasi_id, year)
    if row is not None:
        count = await ShuMemberShare.count().where(
            (ShuMemberShare.koperasi == koperasi_id)
            & (ShuMemberShare.year == year)
            & ((ShuMemberShare.jasa_modal > 0) | (ShuMemberShare.jasa_usaha > 0))
        )
        return YearView(await _posted_summary(koperasi_id, row), _posting(row), int(count))
    distribution = await compute(koperasi_id, year)
    count = sum(1 for s in distribution.shares if s.total > 0)
    return YearView(distribution.summary, None, count)


@dataclass(frozen=True)
class ShareRow:
    """A member's line of the SHU list, with where it went once posted."""

    share: MemberShare
    credited: bool = False
    receipt_number: int | None = None

    @property
    def receipt(self) -> str | None:
        return receipt_code(self.receipt_number) if self.receipt_number else None


async def _posted_shares(
    koperasi_id: int,
    year: int,
    *,
    member_id: int | None = None,
    member_number: str | None = None,
) -> list[ShareRow]:
    query = ShuMemberShare.select(
        ShuMemberShare.member.as_alias("member_id"),
        ShuMemberShare.member.member_number.as_alias("member_number"),
        ShuMemberShare.member.full_name.as_alias("name"),
        ShuMemberShare.member.status.as_alias("status"),
        ShuMemberShare.pokok,
        ShuMemberShare.wajib,
        ShuMemberShare.sukarela,
        ShuMemberShare.purchases,
        ShuMemberShare.interest,
        ShuMemberShare.modal_base,
        ShuMemberShare.usaha_base,
        ShuMemberShare.jasa_modal,
        ShuMemberShare.jasa_usaha,
        ShuMemberShare.credited,
        ShuMemberShare.receipt_number,
    ).where((ShuMemberShare.koperasi == koperasi_id) & (ShuMemberShare.year == year))
    if member_id is not None:
        query = query.where(ShuMemberShare.member == member_id)
    if member_number is not None:
        query = query.where(ShuMemberShare.member.member_number == member_number)
    rows = await query
    result = [
        ShareRow(
            share=MemberShare(
                member_id=int(row["member_id"]),
                member_number=str(row["member_number"]),
                name=str(row["name"]),
                pokok=int(row["pokok"]),
                wajib=int(row["wajib"]),
                sukarela=int(row["sukarela"]),
                purchases=int(row["purchases"]),
                interest=int(row["interest"]),
                modal_base=int(row["modal_base"]),
                usaha_base=int(row["usaha_base"]),
                jasa_modal=int(row["jasa_modal"]),
                jasa_usaha=int(row["jasa_usaha"]),
                active=row["status"] == MemberStatus.AKTIF.value,
            ),
            credited=bool(row["credited"]),
            receipt_number=int(row["receipt_number"]) if row["receipt_number"] else None,
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (r.share.member_number, r.share.member_id))


async def shares(koperasi_id: int, year: int) -> tuple[YearView, list[ShareRow]]:
    """The year's SHU and every member's line (posted, else the preview)."""
    row = await _posted_row(koperasi_id, year)
    if row is not None:
        rows = await _posted_shares(koperasi_id, year)
        count = sum(1 for r in rows if r.share.total > 0)
        view = YearView(await _posted_summary(koperasi_id, row), _posting(row), count)
        return view, rows
    distribution = await compute(koperasi_id, year)
    count = sum(1 for s in distribution.shares if s.total > 0)
    view = YearView(distribution.summary, None, count)
    return view, [ShareRow(share) for share in distribution.shares]


@dataclass(frozen=True)
class MemberYear:
    """One member's share of one year, with everything its explanation needs."""

    view: YearView
    row: ShareRow

    @property
    def destination(self) -> Destination | None:
        if self.view.posting is None:
            return None
        return Destination(self.view.posting.posted_on, self.row.credited, self.row.receipt)


async def member_year(koperasi_id: int, year: int, member_number: str) -> MemberYear:
    """A member's share of `year` (posted, else the preview), for the pengurus."""
    view, rows = await shares(koperasi_id, year)
    for row in rows:
        if row.share.member_number == member_number:
            return MemberYear(view, row)
    raise NotFound(
        "member_not_found", N_("Anggota ini tidak ada dalam pembagian SHU tahun tersebut.")
    )


async def member_history(koperasi_id: int, member_id: int) -> list[MemberYear]:
    """A member's own SHU of every posted year, newest first (what /shu/saya shows).
    Before posting the split may still change, so a member sees a year once it is posted."""
    years_of_member = (
        await ShuMemberShare.select(ShuMemberShare.year)
        .where((ShuMemberShare.koperasi == koperasi_id) & (ShuMemberShare.member == member_id))
        .order_by(ShuMemberShare.year, ascending=False)
    )
    result: list[MemberYear] = []
    for item in years_of_member:
        year = int(item["year"])
        row = await _posted_row(koperasi_id, year)
        if row is None:  # cannot happen: a share exists only with its distribution
            continue
        own = await _posted_shares(koperasi_id, year, member_id=member_id)
        view = YearView(await _posted_summary(koperasi_id, row), _posting(row), 0)
        result.extend(MemberYear(view, share) for share in own)
    return result


# --- posting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    year: int
    pool: int
    posted_on: date
    entry_number: int
    members_total: int
    credited_total: int
    credited_members: int
    mode: Mode


def _share_rows(
    koperasi_id: int,
    distribution_id: int,
    year: int,
    member_shares: Sequence[MemberShare],
    receipts: dict[int, int],
) -> list[ShuMemberShare]:
    return [
        ShuMemberShare(
            koperasi=koperasi_id,
            distribution=distribution_id,
            year=year,
            member=s.member_id,
            pokok=s.pokok,
            wajib=s.wajib,
            sukarela=s.sukarela,
            purchases=s.purchases,
            interest=s.interest,
            modal_base=s.modal_base,
            usaha_base=s.usaha_base,
            jasa_modal=s.jasa_modal,
            jasa_usaha=s.jasa_usaha,
            credited=s.member_id in receipts,
            receipt_number=receipts.get(s.member_id),
        )
        for s in member_shares
    ]


async def post(
    koperasi_id: int,
    year: int,
    posted_on: date,
    *,
    today: date,
    created_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> Posted:
    """Book the year's distribution on `posted_on` (an open period after the year's end):
    one journal entry (source "shu"), the frozen allocation, the members' shares and, in
    mode sukarela, a sukarela deposit per member with a share — together or not at all,
    and once per koperasi and year."""
    async with write_transaction():
        await _lock(koperasi_id)
        if await _is_posted(koperasi_id, year):
            raise Conflict(
                "shu_already_posted",
                N_("SHU tahun ini sudah dibukukan; pembagiannya hanya sekali."),
            )
        current = await allocation(koperasi_id, year)
        distribution = await compute(koperasi_id, year)
        summary = distribution.summary
        check_postable(summary, posted_on, today)
        rules = await savings.policy(koperasi_id)
        entry = await post_entry(
            koperasi_id,
            posted_on,
            f"Pembagian SHU tahun {year}",
            distribution_lines(distribution, rules.sukarela_account),
            source=SOURCE,
            created_by=created_by,
        )
        credits = credits_to_savings(distribution)
        receipts = await savings.credit_sukarela(
            koperasi_id, entry.id, posted_on, credits, created_by=created_by
        )
        if not current.saved:
            await _store_allocation(koperasi_id, year, current.allocation, created_by)
        record = ShuDistribution(
            koperasi=koperasi_id,
            year=year,
            pool=summary.pool,
            posted_on=posted_on,
            entry=entry.id,
            modal_total_base=summary.modal_total_base,
            usaha_total_base=summary.usaha_total_base,
            members_total=summary.members_total,
            credited_total=sum(credits.values()),
            posted_by=created_by,
        )
        for c in Component:
            setattr(record, f"{c.value}_amount", summary.part(c).amount)
        created = await ShuDistribution.insert(record).returning(ShuDistribution.id)
        rows = _share_rows(koperasi_id, created[0]["id"], year, distribution.shares, receipts)
        for start in range(0, len(rows), INSERT_BATCH):
            await ShuMemberShare.insert(*rows[start : start + INSERT_BATCH])
        await audit.record(
            "shu_posted",
            actor_id=created_by,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            year=year,
            pool=summary.pool,
            posted_on=posted_on.isoformat(),
            entry=entry.number,
            mode=summary.allocation.mode.value,
            members_total=summary.members_total,
            credited_total=sum(credits.values()),
            cadangan=summary.cadangan_total,
        )
    return Posted(
        year=year,
        pool=summary.pool,
        posted_on=posted_on,
        entry_number=entry.number,
        members_total=summary.members_total,
        credited_total=sum(credits.values()),
        credited_members=len(credits),
        mode=summary.allocation.mode,
    )


@dataclass(frozen=True)
class MemberIdentity:
    member_number: str
    name: str


async def member_identity(koperasi_id: int, member_id: int) -> MemberIdentity:
    row = (
        await Member.select(Member.member_number, Member.full_name)
        .where((Member.koperasi == koperasi_id) & (Member.id == member_id))
        .first()
    )
    if row is None:
        raise NotFound("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
    return MemberIdentity(str(row["member_number"]), str(row["full_name"]))
