"""Ledger use cases. `post_entry` is the one door every business event (savings, sales,
loans) goes through, inside the caller's transaction; balances and statements are SQL
aggregates, never Python loops over journal lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum

from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.ledger.chart import DEFAULT_CHART
from backend.ledger.domain import (
    AccountType,
    Line,
    balance,
    is_valid_period,
    period_of,
    reversal_of,
    validate_lines,
)
from backend.ledger.tables import JournalEntry, JournalLine, LedgerAccount, PeriodClose
from backend.tenancy.tables import Koperasi
from backend.texts import N_


@dataclass(frozen=True)
class PostedEntry:
    id: int
    number: int
    period: str


@dataclass(frozen=True)
class AccountBalance:
    code: str
    name: str
    type: AccountType
    contra: bool
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        return balance(self.type, self.contra, self.debit, self.credit)


async def ensure_chart(koperasi_id: int) -> int:
    """Give the koperasi the default chart of accounts (idempotent); returns how many
    accounts were added."""
    async with write_transaction():
        existing = {
            row["code"]
            for row in await LedgerAccount.select(LedgerAccount.code).where(
                LedgerAccount.koperasi == koperasi_id
            )
        }
        missing = [a for a in DEFAULT_CHART if a.code not in existing]
        if missing:
            await LedgerAccount.insert(
                *[
                    LedgerAccount(
                        koperasi=koperasi_id,
                        code=a.code,
                        name=a.name,
                        type=a.type.value,
                        contra=a.contra,
                        cash_flow=a.flow.value,
                    )
                    for a in missing
                ]
            )
    return len(missing)


async def is_closed(koperasi_id: int, period: str) -> bool:
    """Closing a month closes it and every month before it."""
    return bool(
        await PeriodClose.exists().where(
            (PeriodClose.koperasi == koperasi_id) & (PeriodClose.period >= period)
        )
    )


async def _lock_books(koperasi_id: int) -> None:
    # Entry numbers run without gaps per koperasi: writers of one koperasi take turns.
    # (SQLite's IMMEDIATE transaction already serialises every writer.)
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


async def post_entry(
    koperasi_id: int,
    entry_date: date,
    description: str,
    lines: list[Line],
    *,
    source: str = "manual",
    created_by: int | None = None,
    reverses: int | None = None,
) -> PostedEntry:
    """Post a balanced entry. Inside a caller's transaction it joins that transaction, so
    the business event and its entry land (or fail) together."""
    validate_lines(lines)
    text = " ".join(description.split())
    if not text:
        raise ValidationFailed("description_required", N_("Keterangan jurnal wajib diisi."))
    if len(text) > 300:
        raise ValidationFailed("description_too_long", N_("Keterangan jurnal terlalu panjang."))
    period = period_of(entry_date)
    codes = sorted({line.account_code for line in lines})
    async with write_transaction():
        await _lock_books(koperasi_id)
        # One statement after the lock (not in it: under READ COMMITTED the subqueries of a
        # FOR UPDATE query may read a snapshot from before the lock wait): the accounts,
        # whether the period is closed, and the last entry number. Every event posts here,
        # so plain SQL: Piccolo's query building costs more than these indexed lookups.
        found = await JournalEntry.raw(
            "SELECT a.id AS id, a.code AS code,"
            " (SELECT MAX(e.number) FROM journal_entry e WHERE e.koperasi_id = {}) AS last,"
            " EXISTS (SELECT 1 FROM period_close p WHERE p.koperasi_id = {} AND p.period >= {})"
            " AS closed FROM ledger_account a WHERE a.koperasi_id = {}"
            f" AND a.code IN ({', '.join('{}' for _ in codes)})",
            koperasi_id,
            koperasi_id,
            period,
            koperasi_id,
            *codes,
        ).run()
        if found and found[0]["closed"]:
            raise Conflict(
                "period_closed",
                N_("Periode ini sudah ditutup: buat jurnal di periode yang masih terbuka."),
            )
        accounts = {row["code"]: row["id"] for row in found}
        if len(accounts) != len(codes):
            if await is_closed(koperasi_id, period):  # refuse for the closed period first
                raise Conflict(
                    "period_closed",
                    N_("Periode ini sudah ditutup: buat jurnal di periode yang masih terbuka."),
                )
            raise ValidationFailed(
                "account_not_found", N_("Akun tidak ditemukan di bagan akun koperasi ini.")
            )
        number = int(found[0]["last"] or 0) + 1
        created = await JournalEntry.raw(
            "INSERT INTO journal_entry (koperasi_id, number, entry_date, period, description,"
            " source, reverses_id, created_by_id, created_at)"
            " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}) RETURNING id",
            koperasi_id,
            number,
            entry_date,
            period,
            text,
            source,
            reverses,
            created_by,
            datetime.now(UTC),
        ).run()
        entry_id = int(created[0]["id"])
        values: list[Any] = []
        for line in lines:
            values += [
                koperasi_id,
                entry_id,
                entry_date,
                accounts[line.account_code],
                line.debit,
                line.credit,
                line.memo[:200],
            ]
        await JournalLine.raw(
            "INSERT INTO journal_line (koperasi_id, entry_id, entry_date, account_id, debit,"
            " credit, memo) VALUES " + ", ".join("({}, {}, {}, {}, {}, {}, {})" for _ in lines),
            *values,
        ).run()
    return PostedEntry(id=entry_id, number=number, period=period)


async def entry_lines(koperasi_id: int, number: int) -> tuple[dict[str, Any], list[Line]]:
    entry = (
        await JournalEntry.select(
            JournalEntry.id,
            JournalEntry.description,
            JournalEntry.source,
            JournalEntry.reverses.as_alias("reverses"),
        )
        .where((JournalEntry.koperasi == koperasi_id) & (JournalEntry.number == number))
        .first()
    )
    if entry is None:
        raise NotFound("entry_not_found", N_("Jurnal tidak ditemukan."))
    rows = (
        await JournalLine.select(
            JournalLine.account.code.as_alias("code"),
            JournalLine.debit,
            JournalLine.credit,
            JournalLine.memo,
        )
        .where(JournalLine.entry == entry["id"])
        .order_by(JournalLine.id)
    )
    return entry, [Line(r["code"], r["debit"], r["credit"], r["memo"]) for r in rows]


# Entries a person may reverse by hand. Entries of business events (savings, sales, …) are
# corrected through their own context, which keeps its records and the books in step.
REVERSIBLE_SOURCES = ("manual", "opening", "demo")


async def reverse_entry(
    koperasi_id: int,
    number: int,
    entry_date: date,
    created_by: int | None = None,
    *,
    sources: tuple[str, ...] | None = None,
) -> PostedEntry:
    """Correct a posted entry by posting its mirror image (the original stays as it was).
    `sources`: only entries of these sources may be reversed (None: any)."""
    async with write_transaction():
        entry, lines = await entry_lines(koperasi_id, number)
        if sources is not None and entry["source"] not in sources:
            raise Conflict(
                "not_reversible",
                N_(
                    "Jurnal ini dibuat oleh transaksi lain (simpanan, penjualan); koreksi lewat "
                    "transaksinya, bukan dengan jurnal pembalik."
                ),
            )
        if entry["reverses"] is not None:
            raise Conflict("reversal_of_reversal", N_("Jurnal pembalik tidak dapat dibalik lagi."))
        if await JournalEntry.exists().where(JournalEntry.reverses == entry["id"]):
            raise Conflict("already_reversed", N_("Jurnal ini sudah pernah dibalik."))
        return await post_entry(
            koperasi_id,
            entry_date,
            f"Pembalik jurnal #{number}: {entry['description']}"[:300],
            reversal_of(lines),
            source="reversal",
            created_by=created_by,
            reverses=entry["id"],
        )


async def close_period(koperasi_id: int, period: str, closed_by: int | None = None) -> None:
    """Close a month (and with it every earlier one). A year is closed by closing its
    December."""
    if not is_valid_period(period):
        raise ValidationFailed("period_invalid", N_("Periode harus berbentuk TTTT-BB."))
    async with write_transaction():
        await _lock_books(koperasi_id)
        if await is_closed(koperasi_id, period):
            raise Conflict("period_closed", N_("Periode ini sudah ditutup."))
        await PeriodClose.insert(
            PeriodClose(koperasi=koperasi_id, period=period, closed_by=closed_by)
        )


async def trial_balance(
    koperasi_id: int, until: date | None = None, since: date | None = None
) -> list[AccountBalance]:
    """Every account of the koperasi with its debit and credit totals over the dates given,
    summed by the database."""
    query = JournalLine.select(
        JournalLine.account.as_alias("account_id"),
        Sum(JournalLine.debit, alias="debit"),
        Sum(JournalLine.credit, alias="credit"),
    ).where(JournalLine.koperasi == koperasi_id)
    if until is not None:
        query = query.where(JournalLine.entry_date <= until)
    if since is not None:
        query = query.where(JournalLine.entry_date >= since)
    sums = {
        row["account_id"]: (int(row["debit"] or 0), int(row["credit"] or 0))
        for row in await query.group_by(JournalLine.account)
    }
    accounts = (
        await LedgerAccount.select(
            LedgerAccount.id,
            LedgerAccount.code,
            LedgerAccount.name,
            LedgerAccount.type,
            LedgerAccount.contra,
        )
        .where(LedgerAccount.koperasi == koperasi_id)
        .order_by(LedgerAccount.code)
    )
    return [
        AccountBalance(
            code=a["code"],
            name=a["name"],
            type=AccountType(a["type"]),
            contra=bool(a["contra"]),
            debit=sums.get(a["id"], (0, 0))[0],
            credit=sums.get(a["id"], (0, 0))[1],
        )
        for a in accounts
    ]
