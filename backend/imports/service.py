"""Import use cases: check a file against what the koperasi already has (the preview, which
stores nothing), and commit it in one transaction, all rows or none.

Opening balances post ONE entry (`source="opening"`), once per koperasi. Savings control
accounts are sub-ledgers that only move with member records, so their opening balances go
to the suspense account 3-9900 "Ayat silang saldo awal"; the member import then records
each member's savings (movements with receipts) and ONE entry that moves the total from the
suspense account to the savings accounts. When both files agree the suspense is zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from piccolo.query.functions.aggregate import Sum

from backend.accounts import audit
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, ValidationFailed
from backend.imports.domain import (
    SAVINGS_KEYS,
    SUSPENSE_CODE,
    SUSPENSE_NAME,
    Issue,
    MembersPreview,
    OpeningPreview,
    SheetRow,
    check_members,
    check_opening,
)
from backend.imports.templates import ChartLine
from backend.ledger.domain import AccountType, Line, period_of
from backend.ledger.service import is_closed, post_entry
from backend.ledger.tables import JournalEntry, JournalLine, LedgerAccount
from backend.members import bulk
from backend.savings.domain import Movement, SavingsKind
from backend.savings.service import policy as savings_policy
from backend.savings.tables import SavingsMovement
from backend.tenancy.tables import Koperasi
from backend.texts import N_

SOURCE = "opening"
# Stored descriptions (the journal's language is the koperasi's: Indonesian).
OPENING_DESCRIPTION = "Saldo awal neraca (impor berkas)"
MEMBERS_DESCRIPTION = "Saldo awal simpanan {count} anggota (impor berkas)"
MOVEMENT_BATCH = 400


class AlreadyImported(Conflict):
    def __init__(self, number: int) -> None:
        super().__init__(
            "opening_already_imported",
            N_(
                "Saldo awal koperasi ini sudah diimpor (jurnal #{number}). Saldo awal hanya "
                "diimpor sekali; untuk memperbaikinya, balik jurnal itu lalu impor lagi."
            ),
        )
        self.params = {"number": number}


class RowsRefused(ValidationFailed):
    """The file still has bad rows (`rows`: row number and reason), or does not add up
    (`problems`): nothing was written (422). The API words the message."""

    def __init__(self, rows: Sequence[tuple[int, Issue]], problems: Sequence[Issue]) -> None:
        code = "import_rows_invalid" if rows else (problems[0].code if problems else "invalid")
        super().__init__(code, N_("Berkas masih bermasalah. Tidak ada yang dicatat."))
        self.rows = list(rows)
        self.problems = list(problems)


@dataclass(frozen=True)
class OpeningEntry:
    number: int
    entry_date: date


@dataclass(frozen=True)
class ImportStatus:
    opening: OpeningEntry | None
    suspense_balance: int  # credit side positive (an equity account)


@dataclass(frozen=True)
class OpeningCheck:
    preview: OpeningPreview
    existing: OpeningEntry | None
    period_closed: bool

    @property
    def blocking(self) -> list[Issue]:
        issues = list(self.preview.problems)
        if self.existing is not None:
            issues.insert(0, _already_imported_issue(self.existing))
        if self.period_closed:
            issues.append(_period_closed_issue())
        return issues

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.preview.bad_rows


@dataclass(frozen=True)
class MembersCheck:
    preview: MembersPreview
    period_closed: bool

    @property
    def blocking(self) -> list[Issue]:
        issues = list(self.preview.problems)
        if self.period_closed:
            issues.append(_period_closed_issue())
        return issues

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.preview.bad_rows


@dataclass(frozen=True)
class Imported:
    entry_number: int | None
    rows: int  # accounts posted, or members created
    movements: int
    total: int
    suspense_balance: int


def _already_imported_issue(entry: OpeningEntry) -> Issue:
    return Issue(
        "",
        "opening_already_imported",
        N_(
            "Saldo awal koperasi ini sudah diimpor (jurnal #{number}). Saldo awal hanya "
            "diimpor sekali; untuk memperbaikinya, balik jurnal itu lalu impor lagi."
        ),
        {"number": entry.number},
    )


def _period_closed_issue() -> Issue:
    return Issue(
        "",
        "period_closed",
        N_("Periode ini sudah ditutup: buat jurnal di periode yang masih terbuka."),
    )


async def _lock_books(koperasi_id: int) -> None:
    """Imports of one koperasi take turns with each other and with every posting (the
    ledger locks the same row; SQLite's IMMEDIATE transaction already serialises)."""
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


async def ensure_suspense(koperasi_id: int) -> None:
    """Add 3-9900 "Ayat silang saldo awal" (equity) to the chart if it is not there."""
    async with write_transaction():
        if not await LedgerAccount.exists().where(
            (LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.code == SUSPENSE_CODE)
        ):
            await LedgerAccount.insert(
                LedgerAccount(
                    koperasi=koperasi_id,
                    code=SUSPENSE_CODE,
                    name=SUSPENSE_NAME,
                    type=AccountType.EKUITAS.value,
                    contra=False,
                )
            )


async def chart(koperasi_id: int) -> dict[str, str]:
    rows = await LedgerAccount.select(LedgerAccount.code, LedgerAccount.name).where(
        LedgerAccount.koperasi == koperasi_id
    )
    return {row["code"]: row["name"] for row in rows}


async def chart_lines(koperasi_id: int) -> list[ChartLine]:
    """The chart as the opening template lists it (the suspense account left out: it is
    filled by the import itself)."""
    controlled = set((await savings_policy(koperasi_id)).control_accounts)
    rows = (
        await LedgerAccount.select(LedgerAccount.code, LedgerAccount.name, LedgerAccount.type)
        .where((LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.code != SUSPENSE_CODE))
        .order_by(LedgerAccount.code)
    )
    return [ChartLine(r["code"], r["name"], r["type"], r["code"] in controlled) for r in rows]


async def opening_entry(koperasi_id: int) -> OpeningEntry | None:
    """The koperasi's opening balances: an entry of source "opening" that is not the
    savings of imported members (those entries carry savings movements) and was not
    reversed. Whether imported here or posted by other means (the demo), there is one."""
    rows = (
        await JournalEntry.select(JournalEntry.id, JournalEntry.number, JournalEntry.entry_date)
        .where((JournalEntry.koperasi == koperasi_id) & (JournalEntry.source == SOURCE))
        .order_by(JournalEntry.number)
    )
    for row in rows:
        if await SavingsMovement.exists().where(
            (SavingsMovement.koperasi == koperasi_id) & (SavingsMovement.entry == row["id"])
        ):
            continue
        if await JournalEntry.exists().where(
            (JournalEntry.koperasi == koperasi_id) & (JournalEntry.reverses == row["id"])
        ):
            continue
        return OpeningEntry(row["number"], row["entry_date"])
    return None


async def suspense_balance(koperasi_id: int) -> int:
    account = (
        await LedgerAccount.select(LedgerAccount.id)
        .where((LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.code == SUSPENSE_CODE))
        .first()
    )
    if account is None:
        return 0
    row = (
        await JournalLine.select(
            Sum(JournalLine.debit, alias="debit"), Sum(JournalLine.credit, alias="credit")
        )
        .where((JournalLine.koperasi == koperasi_id) & (JournalLine.account == account["id"]))
        .first()
    )
    row = row or {}
    return int(row.get("credit") or 0) - int(row.get("debit") or 0)


async def status(koperasi_id: int) -> ImportStatus:
    return ImportStatus(await opening_entry(koperasi_id), await suspense_balance(koperasi_id))


# --- opening balances ---------------------------------------------------------------------


async def _check_opening(
    koperasi_id: int, rows: Sequence[SheetRow], opening_date: date
) -> OpeningCheck:
    accounts = await chart(koperasi_id)
    controlled = set((await savings_policy(koperasi_id)).control_accounts)
    preview = check_opening(rows, accounts, controlled, SUSPENSE_CODE)
    return OpeningCheck(
        preview,
        await opening_entry(koperasi_id),
        await is_closed(koperasi_id, period_of(opening_date)),
    )


async def preview_opening(
    koperasi_id: int, rows: Sequence[SheetRow], opening_date: date
) -> OpeningCheck:
    """Every row with its status and reasons; nothing is stored."""
    return await _check_opening(koperasi_id, rows, opening_date)


def _refusal(rows: Sequence[tuple[int, Sequence[Issue]]], problems: Sequence[Issue]) -> RowsRefused:
    return RowsRefused([(number, issue) for number, issues in rows for issue in issues], problems)


async def import_opening(
    koperasi_id: int,
    rows: Sequence[SheetRow],
    opening_date: date,
    *,
    actor_id: int | None,
    region_id: int | None,
    ip: str = "",
) -> Imported:
    """Post the opening balances as one entry, exactly once per koperasi (a reversed
    opening entry may be imported again), with its audit record."""
    async with write_transaction():
        await _lock_books(koperasi_id)
        existing = await opening_entry(koperasi_id)
        if existing is not None:
            raise AlreadyImported(existing.number)
        await ensure_suspense(koperasi_id)
        check = await _check_opening(koperasi_id, rows, opening_date)
        if not check.ready:
            raise _refusal(
                [(row.number, row.issues) for row in check.preview.bad_rows], check.blocking
            )
        lines = check.preview.lines(SUSPENSE_CODE)
        posted = await post_entry(
            koperasi_id,
            opening_date,
            OPENING_DESCRIPTION,
            lines,
            source=SOURCE,
            created_by=actor_id,
        )
        await audit.record(
            "opening_balances_imported",
            actor_id=actor_id,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            number=posted.number,
            opening_date=opening_date.isoformat(),
            accounts=len(lines),
            total=check.preview.total_debit,
            to_suspense=check.preview.suspense_amount,
        )
    return Imported(
        entry_number=posted.number,
        rows=len(lines),
        movements=0,
        total=check.preview.total_debit,
        suspense_balance=await suspense_balance(koperasi_id),
    )


# --- members and their savings ------------------------------------------------------------


async def _check_members(
    koperasi_id: int, rows: Sequence[SheetRow], balance_date: date
) -> MembersCheck:
    rules = await savings_policy(koperasi_id)
    numbers, niks = await bulk.existing_keys(koperasi_id)
    preview = check_members(
        rows,
        rules=bulk.member_problems,
        existing_numbers=numbers,
        existing_niks=niks,
        pokok_limit=rules.pokok_amount,
        balance_date=balance_date,
    )
    closed = preview.total > 0 and await is_closed(koperasi_id, period_of(balance_date))
    return MembersCheck(preview, closed)


async def preview_members(
    koperasi_id: int, rows: Sequence[SheetRow], balance_date: date
) -> MembersCheck:
    """Every row with its status and reasons; nothing is stored."""
    return await _check_members(koperasi_id, rows, balance_date)


def member_lines(totals: dict[str, int], accounts: dict[str, str]) -> list[Line]:
    """Savings balances out of the suspense account into each savings account."""
    credits = [
        Line(accounts[kind], credit=totals[kind], memo=SavingsKind(kind).label)
        for kind in SAVINGS_KEYS
        if totals.get(kind, 0) > 0
    ]
    if not credits:
        return []
    return [Line(SUSPENSE_CODE, debit=sum(line.credit for line in credits)), *credits]


async def _record_movements(
    koperasi_id: int,
    member_ids: dict[str, int],
    preview: MembersPreview,
    entry_id: int,
    balance_date: date,
    created_by: int | None,
) -> int:
    """One deposit per member and kind with a balance, numbered on from the koperasi's last
    receipt (the savings context's sequence), all pointing at the one opening entry."""
    last = (
        await SavingsMovement.select(SavingsMovement.receipt_number)
        .where(SavingsMovement.koperasi == koperasi_id)
        .order_by(SavingsMovement.receipt_number, ascending=False)
        .first()
    )
    receipt = last["receipt_number"] if last else 0
    movements: list[SavingsMovement] = []
    for row in preview.rows:
        for kind in SAVINGS_KEYS:
            amount = row.savings[kind]
            if amount <= 0:
                continue
            receipt += 1
            movements.append(
                SavingsMovement(
                    koperasi=koperasi_id,
                    member=member_ids[row.member_number],
                    kind=SavingsKind(kind).value,
                    movement=Movement.SETOR.value,
                    amount=amount,
                    signed_amount=amount,
                    movement_date=balance_date,
                    receipt_number=receipt,
                    entry=entry_id,
                    created_by=created_by,
                )
            )
    for start in range(0, len(movements), MOVEMENT_BATCH):
        await SavingsMovement.insert(*movements[start : start + MOVEMENT_BATCH])
    return len(movements)


async def import_members(
    koperasi_id: int,
    rows: Sequence[SheetRow],
    balance_date: date,
    *,
    actor_id: int | None,
    region_id: int | None,
    ip: str = "",
) -> Imported:
    """Create every member of the file with their savings balances, all or nothing."""
    rules = await savings_policy(koperasi_id)
    accounts = {
        SavingsKind.POKOK.value: rules.pokok_account,
        SavingsKind.WAJIB.value: rules.wajib_account,
        SavingsKind.SUKARELA.value: rules.sukarela_account,
    }
    async with write_transaction():
        await _lock_books(koperasi_id)
        check = await _check_members(koperasi_id, rows, balance_date)
        if not check.ready:
            raise _refusal(
                [(row.number, row.issues) for row in check.preview.bad_rows], check.blocking
            )
        preview = check.preview
        member_ids = await bulk.insert_members(
            koperasi_id,
            [
                bulk.BulkMember(
                    member_number=row.member_number,
                    full_name=row.full_name,
                    nik=row.nik,
                    phone=row.phone,
                    address=row.address,
                    joined_on=row.joined_on or balance_date,
                )
                for row in preview.rows
            ],
        )
        entry_number: int | None = None
        movements = 0
        lines = member_lines(dict(preview.totals), accounts)
        if lines:
            await ensure_suspense(koperasi_id)
            posted = await post_entry(
                koperasi_id,
                balance_date,
                MEMBERS_DESCRIPTION.format(count=len(preview.rows)),
                lines,
                source=SOURCE,
                created_by=actor_id,
            )
            entry_number = posted.number
            movements = await _record_movements(
                koperasi_id, member_ids, preview, posted.id, balance_date, actor_id
            )
        await audit.record(
            "members_imported",
            actor_id=actor_id,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            count=len(preview.rows),
            number=entry_number,
            balance_date=balance_date.isoformat(),
            total=preview.total,
            **{kind: preview.totals[kind] for kind in SAVINGS_KEYS},
        )
    return Imported(
        entry_number=entry_number,
        rows=len(preview.rows),
        movements=movements,
        total=preview.total,
        suspense_balance=await suspense_balance(koperasi_id),
    )
