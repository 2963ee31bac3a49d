"""Savings use cases. Every deposit or withdrawal posts its journal entry in the same
transaction; balances are SQL sums of the movements."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from piccolo.query.functions.aggregate import Max, Sum

from backend.accounts import audit
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, NotFound
from backend.ledger.domain import Line
from backend.ledger.service import post_entry
from backend.ledger.tables import LedgerAccount
from backend.members.domain import MemberStatus
from backend.members.tables import Member
from backend.savings.domain import (
    Movement,
    SavingsKind,
    SavingsPolicy,
    check_exit,
    check_movement,
    check_policy,
    exit_lines,
    months_behind,
    policy_changes,
    receipt_code,
    wajib_arrears,
)
from backend.savings.receipts import ReceiptDetail, clock, movement_label
from backend.savings.tables import SavingsMovement, SavingsPolicyRow
from backend.tenancy.tables import Koperasi
from backend.texts import N_

# Journal entry sources of savings: a movement at the counter, and a member's exit.
SOURCE_MOVEMENT = "savings"
SOURCE_EXIT = "savings_exit"
HISTORY_MAX = 100


@dataclass(frozen=True)
class Receipt:
    receipt: str
    receipt_number: int
    member_number: str
    member_name: str
    kind: SavingsKind
    kind_label: str
    movement: Movement
    amount: int
    balance_after: int
    movement_date: date
    entry_number: int


@dataclass(frozen=True)
class MemberSavings:
    member_number: str
    member_name: str
    balances: dict[str, int]
    total: int
    wajib_arrears: int
    wajib_months_behind: int = 0
    status: str = MemberStatus.AKTIF.value
    status_label: str = MemberStatus.AKTIF.label
    joined_on: date | None = None
    left_on: date | None = None


async def policy(koperasi_id: int) -> SavingsPolicy:
    row = await SavingsPolicyRow.select().where(SavingsPolicyRow.koperasi == koperasi_id).first()
    if row is None:
        return SavingsPolicy()
    return SavingsPolicy(
        pokok_amount=row["pokok_amount"],
        wajib_monthly=row["wajib_monthly"],
        pokok_account=row["pokok_account"],
        wajib_account=row["wajib_account"],
        sukarela_account=row["sukarela_account"],
        cash_account=row["cash_account"],
    )


async def _lock_savings(koperasi_id: int) -> None:
    """Savings writes of one koperasi take turns (PostgreSQL: the koperasi row, the same lock
    `post_entry` takes; SQLite's IMMEDIATE transaction already serialises every writer), so
    a balance check, the policy read and the receipt number hold until the commit."""
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


async def _member(koperasi_id: int, member_number: str) -> dict[str, Any]:
    row = (
        await Member.select(
            Member.id,
            Member.member_number,
            Member.full_name,
            Member.status,
            Member.joined_on,
            Member.left_on,
        )
        .where((Member.koperasi == koperasi_id) & (Member.member_number == member_number))
        .first()
    )
    if row is None:
        raise NotFound("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
    return row


async def balance(koperasi_id: int, member_id: int, kind: SavingsKind) -> int:
    row = (
        await SavingsMovement.select(Sum(SavingsMovement.signed_amount, alias="total"))
        .where(
            (SavingsMovement.koperasi == koperasi_id)
            & (SavingsMovement.member == member_id)
            & (SavingsMovement.kind == kind.value)
        )
        .first()
    )
    return int((row or {}).get("total") or 0)


async def record(
    koperasi_id: int,
    member_number: str,
    kind: SavingsKind,
    movement: Movement,
    amount: int,
    movement_date: date,
    *,
    created_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> Receipt:
    """A deposit or withdrawal and its journal entry, together or not at all."""
    async with write_transaction():
        await _lock_savings(koperasi_id)
        rules = await policy(koperasi_id)
        member = await _member(koperasi_id, member_number)
        member_id = int(member["id"])
        before = await balance(koperasi_id, member_id, kind)
        check_movement(
            kind, movement, amount, before, member["status"] == MemberStatus.AKTIF.value, rules
        )
        cash, savings = rules.cash_account, rules.account_for(kind)
        deposit = movement is Movement.SETOR
        label = f"{'Setoran' if deposit else 'Penarikan'} {kind.label.lower()} {member_number}"
        lines = (
            [Line(cash, debit=amount), Line(savings, credit=amount)]
            if deposit
            else [Line(savings, debit=amount), Line(cash, credit=amount)]
        )
        entry = await post_entry(
            koperasi_id, movement_date, label, lines, source=SOURCE_MOVEMENT, created_by=created_by
        )
        receipt_number = await _next_receipt_number(koperasi_id)
        await SavingsMovement.insert(
            SavingsMovement(
                koperasi=koperasi_id,
                member=member_id,
                kind=kind.value,
                movement=movement.value,
                amount=amount,
                signed_amount=amount if deposit else -amount,
                movement_date=movement_date,
                receipt_number=receipt_number,
                entry=entry.id,
                created_by=created_by,
            )
        )
        await audit.record(
            "savings_deposit" if deposit else "savings_withdrawal",
            actor_id=created_by,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            member=member_number,
            kind=kind.value,
            amount=amount,
            entry=entry.number,
        )
    return Receipt(
        receipt=receipt_code(receipt_number),
        receipt_number=receipt_number,
        member_number=member_number,
        member_name=str(member["full_name"]),
        kind=kind,
        kind_label=kind.label,
        movement=movement,
        amount=amount,
        balance_after=before + (amount if deposit else -amount),
        movement_date=movement_date,
        entry_number=entry.number,
    )


async def _next_receipt_number(koperasi_id: int) -> int:
    """One past the koperasi's last receipt. Call after `post_entry` inside the same
    transaction: it holds the koperasi's books lock, so receipts take turns too."""
    last = (
        await SavingsMovement.select(SavingsMovement.receipt_number)
        .where(SavingsMovement.koperasi == koperasi_id)
        .order_by(SavingsMovement.receipt_number, ascending=False)
        .first()
    )
    return (last["receipt_number"] if last else 0) + 1


async def _balances(koperasi_id: int, member_id: int) -> dict[SavingsKind, int]:
    rows = (
        await SavingsMovement.select(
            SavingsMovement.kind, Sum(SavingsMovement.signed_amount, alias="total")
        )
        .where((SavingsMovement.koperasi == koperasi_id) & (SavingsMovement.member == member_id))
        .group_by(SavingsMovement.kind)
    )
    balances = dict.fromkeys(SavingsKind, 0)
    balances.update({SavingsKind(row["kind"]): int(row["total"] or 0) for row in rows})
    return balances


def _arrears_of(member: dict[str, Any], paid: int, today: date, monthly: int) -> int:
    """What a member still owes of wajib: nothing once they have left."""
    if member["status"] == MemberStatus.KELUAR.value:
        return 0
    return wajib_arrears(member["joined_on"], today, paid, monthly)


async def member_savings(koperasi_id: int, member_number: str, today: date) -> MemberSavings:
    member = await _member(koperasi_id, member_number)
    balances = await _balances(koperasi_id, int(member["id"]))
    rules = await policy(koperasi_id)
    arrears = _arrears_of(member, balances[SavingsKind.WAJIB], today, rules.wajib_monthly)
    status = MemberStatus(member["status"])
    return MemberSavings(
        member_number=member_number,
        member_name=str(member["full_name"]),
        balances={kind.value: amount for kind, amount in balances.items()},
        total=sum(balances.values()),
        wajib_arrears=arrears,
        wajib_months_behind=months_behind(arrears, rules.wajib_monthly),
        status=status.value,
        status_label=status.label,
        joined_on=member["joined_on"],
        left_on=member["left_on"],
    )


async def member_number_of(koperasi_id: int, member_id: int) -> str:
    row = (
        await Member.select(Member.member_number)
        .where((Member.koperasi == koperasi_id) & (Member.id == member_id))
        .first()
    )
    if row is None:
        raise NotFound("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
    return str(row["member_number"])


# History


@dataclass(frozen=True)
class HistoryItem:
    receipt: str
    receipt_number: int
    kind: SavingsKind
    kind_label: str
    movement: Movement
    amount: int
    balance_after: int  # of this kind, after this movement
    movement_date: date


@dataclass(frozen=True)
class HistoryPage:
    items: list[HistoryItem]
    next_before: int | None  # pass as `before` for the next (older) page


def _as_date(value: object) -> date:
    # SQLite hands raw query dates back as ISO text; PostgreSQL as dates.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def history(
    koperasi_id: int,
    member_number: str,
    *,
    kind: SavingsKind | None = None,
    before: int | None = None,
    limit: int = 20,
) -> HistoryPage:
    """A member's movements, newest first, `limit` at a time (keyset pagination on the
    receipt number). Each movement's balance after it (of its kind) is a window sum in
    the database: the rows before `before` hold everything an earlier balance depends on."""
    member = await _member(koperasi_id, member_number)
    limit = max(1, min(limit, HISTORY_MAX))
    conditions = ["s.koperasi_id = {}", "s.member_id = {}"]
    args: list[object] = [koperasi_id, int(member["id"])]
    if kind is not None:
        conditions.append("s.kind = {}")
        args.append(kind.value)
    if before is not None:
        conditions.append("s.receipt_number < {}")
        args.append(before)
    sql = (
        "SELECT receipt_number, kind, movement, amount, movement_date, balance_after FROM ("
        " SELECT s.receipt_number AS receipt_number, s.kind AS kind, s.movement AS movement,"
        " s.amount AS amount, s.movement_date AS movement_date,"
        " SUM(s.signed_amount) OVER (PARTITION BY s.kind ORDER BY s.receipt_number)"
        " AS balance_after"
        f" FROM savings_movement s WHERE {' AND '.join(conditions)}"
        ") h ORDER BY receipt_number DESC LIMIT {}"
    )
    rows = await SavingsMovement.raw(sql, *args, limit + 1).run()
    items = [
        HistoryItem(
            receipt=receipt_code(int(row["receipt_number"])),
            receipt_number=int(row["receipt_number"]),
            kind=SavingsKind(row["kind"]),
            kind_label=SavingsKind(row["kind"]).label,
            movement=Movement(row["movement"]),
            amount=int(row["amount"]),
            balance_after=int(row["balance_after"]),
            movement_date=_as_date(row["movement_date"]),
        )
        for row in rows[:limit]
    ]
    more = len(rows) > limit
    return HistoryPage(items=items, next_before=items[-1].receipt_number if more else None)


# Receipts


async def receipt(
    koperasi_id: int, receipt_number: int, member_id: int | None = None
) -> ReceiptDetail:
    """A receipt of the koperasi; with `member_id`, only if it is that member's."""
    query = SavingsMovement.select(
        SavingsMovement.member.as_alias("member_id"),
        SavingsMovement.kind,
        SavingsMovement.movement,
        SavingsMovement.amount,
        SavingsMovement.movement_date,
        SavingsMovement.created_at,
        SavingsMovement.member.member_number.as_alias("member_number"),
        SavingsMovement.member.full_name.as_alias("member_name"),
        SavingsMovement.koperasi.name.as_alias("koperasi_name"),
        SavingsMovement.entry.number.as_alias("entry_number"),
        SavingsMovement.entry.source.as_alias("source"),
        SavingsMovement.created_by.display_name.as_alias("recorded_by"),
    ).where(
        (SavingsMovement.koperasi == koperasi_id)
        & (SavingsMovement.receipt_number == receipt_number)
    )
    if member_id is not None:
        query = query.where(SavingsMovement.member == member_id)
    row = await query.first()
    if row is None:
        raise NotFound("receipt_not_found", N_("Kuitansi tidak ditemukan."))
    kind, movement = SavingsKind(row["kind"]), Movement(row["movement"])
    after = (
        await SavingsMovement.select(Sum(SavingsMovement.signed_amount, alias="total"))
        .where(
            (SavingsMovement.koperasi == koperasi_id)
            & (SavingsMovement.member == row["member_id"])
            & (SavingsMovement.kind == kind.value)
            & (SavingsMovement.receipt_number <= receipt_number)
        )
        .first()
    )
    member_exit = row["source"] == SOURCE_EXIT
    recorded_at, time = clock(_as_datetime(row["created_at"]))
    return ReceiptDetail(
        receipt=receipt_code(receipt_number),
        receipt_number=receipt_number,
        koperasi_name=str(row["koperasi_name"]),
        member_number=str(row["member_number"]),
        member_name=str(row["member_name"]),
        kind=kind,
        kind_label=kind.label,
        movement=movement,
        movement_label=movement_label(movement, member_exit),
        member_exit=member_exit,
        amount=int(row["amount"]),
        balance_after=int((after or {}).get("total") or 0),
        movement_date=row["movement_date"],
        recorded_at=recorded_at,
        time=time,
        recorded_by=row["recorded_by"],
        entry_number=int(row["entry_number"]),
    )


def _as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


# Arrears


@dataclass(frozen=True)
class ArrearsRow:
    member_number: str
    member_name: str
    months_behind: int
    amount_owed: int
    last_payment: date | None


def _month_index(column: str) -> str:
    """year × 12 + month of a date column, in the engine's SQL."""
    if is_sqlite():
        return (
            f"(CAST(strftime('%Y', {column}) AS INTEGER) * 12"
            f" + CAST(strftime('%m', {column}) AS INTEGER))"
        )
    return (
        f"(CAST(EXTRACT(YEAR FROM {column}) AS INTEGER) * 12"
        f" + CAST(EXTRACT(MONTH FROM {column}) AS INTEGER))"
    )


async def arrears(
    koperasi_id: int, today: date, limit: int = 500, offset: int = 0
) -> list[ArrearsRow]:
    """Active members behind on wajib, most owed first: one aggregate per member in the
    database (the same rule as `domain.wajib_arrears`: every month from the joining month
    up to this one is due, paid is the wajib balance)."""
    monthly = (await policy(koperasi_id)).wajib_monthly
    if monthly <= 0:
        return []
    due = (
        "CASE WHEN m.joined_on > {} THEN 0 ELSE"
        f" CAST({{}} AS BIGINT) - {_month_index('m.joined_on')} + 1 END"
    )
    paid = "CAST(COALESCE(SUM(s.signed_amount), 0) AS BIGINT)"
    sql = (
        "SELECT member_number, full_name, last_paid, owed,"
        " (owed + CAST({} AS BIGINT) - 1) / CAST({} AS BIGINT) AS months FROM ("
        " SELECT m.member_number AS member_number, m.full_name AS full_name,"
        " MAX(CASE WHEN s.movement = 'setor' THEN s.movement_date END) AS last_paid,"
        f" ({due}) * CAST({{}} AS BIGINT) - {paid} AS owed"
        " FROM member m LEFT JOIN savings_movement s ON s.koperasi_id = m.koperasi_id"
        " AND s.member_id = m.id AND s.kind = 'wajib'"
        " WHERE m.koperasi_id = {} AND m.status = 'aktif'"
        " GROUP BY m.id, m.member_number, m.full_name, m.joined_on"
        ") a WHERE owed > 0 ORDER BY owed DESC, member_number LIMIT {} OFFSET {}"
    )
    this_month = today.year * 12 + today.month
    rows = await SavingsMovement.raw(
        sql, monthly, monthly, today, this_month, monthly, koperasi_id, limit, offset
    ).run()
    return [
        ArrearsRow(
            member_number=str(row["member_number"]),
            member_name=str(row["full_name"]),
            months_behind=int(row["months"]),
            amount_owed=int(row["owed"]),
            last_payment=_as_date(row["last_paid"]) if row["last_paid"] else None,
        )
        for row in rows
    ]


# A member leaves


@dataclass(frozen=True)
class ExitResult:
    member_number: str
    member_name: str
    exit_date: date
    returned: dict[str, int]
    total: int
    entry_number: int | None  # None when there was nothing to return
    receipts: list[Receipt]


async def exit_member(
    koperasi_id: int,
    member_number: str,
    exit_date: date,
    *,
    created_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> ExitResult:
    """The member leaves: every savings balance (pokok, wajib, sukarela) is paid back in
    one journal entry, one movement (and receipt) per kind, and the member's status becomes
    "keluar" — all in one transaction. A member with an open loan (an application, an
    approved loan or one still being repaid) cannot leave: `open_loans`."""
    async with write_transaction():
        await _lock_savings(koperasi_id)
        rules = await policy(koperasi_id)
        member = await _member(koperasi_id, member_number)
        member_id = int(member["id"])
        # Imported here: the loans context reads savings (the limit rule) at import time.
        from backend.loans.service import has_open_loans

        if member["status"] != MemberStatus.KELUAR.value and await has_open_loans(
            koperasi_id, member_id
        ):
            raise Conflict(
                "open_loans",
                N_(
                    "Anggota ini masih memiliki pinjaman yang berjalan atau pengajuan yang "
                    "belum selesai: lunasi, batalkan atau hapus buku dulu sebelum keluar."
                ),
            )
        balances = await _balances(koperasi_id, member_id)
        last = (
            await SavingsMovement.select(Max(SavingsMovement.movement_date, alias="last"))
            .where(
                (SavingsMovement.koperasi == koperasi_id) & (SavingsMovement.member == member_id)
            )
            .first()
        )
        last_movement = (last or {}).get("last")
        check_exit(
            member["status"],
            member["joined_on"],
            exit_date,
            _as_date(last_movement) if last_movement else None,
        )
        lines = exit_lines(balances, rules)
        receipts: list[Receipt] = []
        entry_number = None
        if lines:
            entry = await post_entry(
                koperasi_id,
                exit_date,
                f"Pengembalian simpanan anggota keluar {member_number}",
                lines,
                source=SOURCE_EXIT,
                created_by=created_by,
            )
            entry_number = entry.number
            number = await _next_receipt_number(koperasi_id)
            rows = []
            for kind in SavingsKind:
                amount = balances[kind]
                if amount <= 0:
                    continue
                rows.append(
                    SavingsMovement(
                        koperasi=koperasi_id,
                        member=member_id,
                        kind=kind.value,
                        movement=Movement.TARIK.value,
                        amount=amount,
                        signed_amount=-amount,
                        movement_date=exit_date,
                        receipt_number=number,
                        entry=entry.id,
                        created_by=created_by,
                    )
                )
                receipts.append(
                    Receipt(
                        receipt=receipt_code(number),
                        receipt_number=number,
                        member_number=member_number,
                        member_name=str(member["full_name"]),
                        kind=kind,
                        kind_label=kind.label,
                        movement=Movement.TARIK,
                        amount=amount,
                        balance_after=0,
                        movement_date=exit_date,
                        entry_number=entry.number,
                    )
                )
                number += 1
            await SavingsMovement.insert(*rows)
        await Member.update(
            {Member.status: MemberStatus.KELUAR.value, Member.left_on: exit_date}
        ).where((Member.koperasi == koperasi_id) & (Member.id == member_id))
        returned = {kind.value: amount for kind, amount in balances.items() if amount > 0}
        await audit.record(
            "member_exit",
            actor_id=created_by,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            member=member_number,
            exit_date=exit_date.isoformat(),
            status_before=member["status"],
            returned=returned,
            total=sum(returned.values()),
            entry=entry_number,
            receipts=[r.receipt for r in receipts],
        )
    return ExitResult(
        member_number=member_number,
        member_name=str(member["full_name"]),
        exit_date=exit_date,
        returned=returned,
        total=sum(returned.values()),
        entry_number=entry_number,
        receipts=receipts,
    )


# The savings policy


@dataclass(frozen=True)
class PolicySettings:
    pokok_amount: int
    wajib_monthly: int
    pokok_account: str
    wajib_account: str
    sukarela_account: str
    cash_account: str
    locked_kinds: list[str]  # kinds with movements: their account can no longer change


async def _kinds_with_movements(koperasi_id: int) -> frozenset[SavingsKind]:
    rows = (
        await SavingsMovement.select(SavingsMovement.kind)
        .where(SavingsMovement.koperasi == koperasi_id)
        .distinct()
    )
    return frozenset(SavingsKind(row["kind"]) for row in rows)


def _settings(rules: SavingsPolicy, locked: frozenset[SavingsKind]) -> PolicySettings:
    return PolicySettings(
        **asdict(rules), locked_kinds=[kind.value for kind in SavingsKind if kind in locked]
    )


async def policy_settings(koperasi_id: int) -> PolicySettings:
    return _settings(await policy(koperasi_id), await _kinds_with_movements(koperasi_id))


async def _accounts_with_other_lines(koperasi_id: int, codes: list[str]) -> frozenset[str]:
    """Which of `codes` hold journal lines that did not come from savings."""
    placeholders = ", ".join("{}" for _ in codes)
    rows = await SavingsMovement.raw(
        "SELECT DISTINCT a.code AS code FROM ledger_account a"
        " JOIN journal_line l ON l.account_id = a.id AND l.koperasi_id = a.koperasi_id"
        " JOIN journal_entry e ON e.id = l.entry_id"
        f" WHERE a.koperasi_id = {{}} AND a.code IN ({placeholders})"
        " AND e.source NOT IN ({}, {})",
        koperasi_id,
        *codes,
        SOURCE_MOVEMENT,
        SOURCE_EXIT,
    ).run()
    return frozenset(str(row["code"]) for row in rows)


async def set_policy(
    koperasi_id: int,
    new: SavingsPolicy,
    *,
    changed_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> PolicySettings:
    """Change the koperasi's savings settings. Amounts may change any time; a savings
    account only while no movement of its kind exists (see `domain.check_policy`)."""
    async with write_transaction():
        await _lock_savings(koperasi_id)
        old = await policy(koperasi_id)
        accounts = await LedgerAccount.select(
            LedgerAccount.code, LedgerAccount.type, LedgerAccount.contra
        ).where(LedgerAccount.koperasi == koperasi_id)
        types = {a["code"]: "kontra" if a["contra"] else a["type"] for a in accounts}
        locked = await _kinds_with_movements(koperasi_id)
        codes = sorted(set(new.control_accounts) - set(old.control_accounts))
        in_use = await _accounts_with_other_lines(koperasi_id, codes) if codes else frozenset()
        check_policy(new, old, types, locked, in_use)
        changes = policy_changes(old, new)
        if changes:
            values = asdict(new)
            if await SavingsPolicyRow.exists().where(SavingsPolicyRow.koperasi == koperasi_id):
                await SavingsPolicyRow.update(
                    {getattr(SavingsPolicyRow, name): value for name, value in values.items()}
                ).where(SavingsPolicyRow.koperasi == koperasi_id)
            else:
                await SavingsPolicyRow.insert(SavingsPolicyRow(koperasi=koperasi_id, **values))
            await audit.record(
                "savings_policy_changed",
                actor_id=changed_by,
                region_id=region_id,
                koperasi_id=koperasi_id,
                ip=ip,
                changes=changes,
            )
    return _settings(new, locked)


# Credits many members at once (their SHU, decided elsewhere)

CREDIT_BATCH = 500  # rows per INSERT: well under SQLite's limit of bound parameters


async def credit_sukarela(
    koperasi_id: int,
    entry_id: int,
    movement_date: date,
    amounts: dict[int, int],
    *,
    created_by: int | None = None,
) -> dict[int, int]:
    """Deposit into many members' simpanan sukarela inside the caller's transaction, each
    as a movement (with its own receipt number) linked to the one journal entry the caller
    has just posted in that transaction, which credits the sukarela account with the sum
    of `amounts` (member id -> whole rupiah > 0). The caller owns the decision and the
    entry (e.g. the SHU distribution); this keeps the member sub-ledger in step with it.
    Returns member id -> receipt number."""
    if not amounts:
        return {}
    if any(isinstance(a, bool) or not isinstance(a, int) or a <= 0 for a in amounts.values()):
        raise ValueError("every credit must be whole rupiah above zero")
    async with write_transaction():
        await _lock_savings(koperasi_id)
        entry = await SavingsMovement.raw(
            "SELECT id FROM journal_entry WHERE id = {} AND koperasi_id = {}",
            entry_id,
            koperasi_id,
        ).run()
        if not entry:
            raise NotFound("entry_not_found", N_("Jurnal tidak ditemukan."))
        member_ids = sorted(amounts)
        found = 0
        for start in range(0, len(member_ids), CREDIT_BATCH):
            found += await Member.count().where(
                (Member.koperasi == koperasi_id)
                & Member.id.is_in(member_ids[start : start + CREDIT_BATCH])
            )
        if found != len(member_ids):
            raise NotFound("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
        number = await _next_receipt_number(koperasi_id)
        receipts: dict[int, int] = {}
        rows: list[SavingsMovement] = []
        for member_id in member_ids:
            receipts[member_id] = number
            rows.append(
                SavingsMovement(
                    koperasi=koperasi_id,
                    member=member_id,
                    kind=SavingsKind.SUKARELA.value,
                    movement=Movement.SETOR.value,
                    amount=amounts[member_id],
                    signed_amount=amounts[member_id],
                    movement_date=movement_date,
                    receipt_number=number,
                    entry=entry_id,
                    created_by=created_by,
                )
            )
            number += 1
        for start in range(0, len(rows), CREDIT_BATCH):
            await SavingsMovement.insert(*rows[start : start + CREDIT_BATCH])
    return receipts
