"""Reading the journal: entries newest first with their lines (keyset pages by entry
number), one entry, and the closed periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from backend.errors import NotFound
from backend.ledger.statements import _as_date
from backend.ledger.tables import JournalEntry, PeriodClose
from backend.texts import N_

MAX_PAGE = 100


@dataclass(frozen=True)
class EntryLine:
    code: str
    name: str
    debit: int
    credit: int
    memo: str


@dataclass(frozen=True)
class EntryView:
    number: int
    entry_date: date
    period: str
    description: str
    source: str
    reverses: int | None  # number of the entry this one reverses
    reversed_by: int | None  # number of the entry that reversed this one
    created_by: str
    lines: list[EntryLine]
    total: int


@dataclass(frozen=True)
class EntryPage:
    items: list[EntryView]
    next_before: int | None


_ENTRIES = (
    "SELECT e.id AS id, e.number AS number, e.entry_date AS entry_date, e.period AS period,"
    " e.description AS description, e.source AS source, r.number AS reverses,"
    " x.number AS reversed_by, COALESCE(u.display_name, '') AS created_by"
    " FROM journal_entry e"
    " LEFT JOIN journal_entry r ON r.id = e.reverses_id"
    " LEFT JOIN journal_entry x ON x.reverses_id = e.id"
    " LEFT JOIN user_account u ON u.id = e.created_by_id"
    " WHERE e.koperasi_id = {}"
)


async def _with_lines(rows: list[dict[str, object]]) -> list[EntryView]:
    if not rows:
        return []
    ids = [int(str(row["id"])) for row in rows]
    placeholders = ", ".join("{}" for _ in ids)
    lines = await JournalEntry.raw(
        "SELECT l.entry_id AS entry_id, a.code AS code, a.name AS name, l.debit AS debit,"
        " l.credit AS credit, l.memo AS memo FROM journal_line l"
        " JOIN ledger_account a ON a.id = l.account_id"
        f" WHERE l.entry_id IN ({placeholders}) ORDER BY l.entry_id, l.id",
        *ids,
    ).run()
    by_entry: dict[int, list[EntryLine]] = {i: [] for i in ids}
    for line in lines:
        by_entry[int(line["entry_id"])].append(
            EntryLine(
                line["code"], line["name"], int(line["debit"]), int(line["credit"]), line["memo"]
            )
        )
    return [
        EntryView(
            number=int(str(row["number"])),
            entry_date=_as_date(row["entry_date"]),
            period=str(row["period"]),
            description=str(row["description"]),
            source=str(row["source"]),
            reverses=None if row["reverses"] is None else int(str(row["reverses"])),
            reversed_by=None if row["reversed_by"] is None else int(str(row["reversed_by"])),
            created_by=str(row["created_by"]),
            lines=by_entry[int(str(row["id"]))],
            total=sum(line.debit for line in by_entry[int(str(row["id"]))]),
        )
        for row in rows
    ]


async def entries(
    koperasi_id: int,
    *,
    since: date | None = None,
    until: date | None = None,
    before: int | None = None,
    limit: int = 50,
) -> EntryPage:
    """Entries newest first; `before`: the page after the entry numbered so."""
    limit = max(1, min(limit, MAX_PAGE))
    sql, args = _ENTRIES, [koperasi_id]
    if before is not None:
        sql += " AND e.number < {}"
        args.append(before)
    if since is not None:
        sql += " AND e.entry_date >= {}"
        args.append(since)  # type: ignore[arg-type]
    if until is not None:
        sql += " AND e.entry_date <= {}"
        args.append(until)  # type: ignore[arg-type]
    rows = await JournalEntry.raw(sql + " ORDER BY e.number DESC LIMIT {}", *args, limit + 1).run()
    more = len(rows) > limit
    items = await _with_lines(rows[:limit])
    return EntryPage(items=items, next_before=items[-1].number if more else None)


async def entry(koperasi_id: int, number: int) -> EntryView:
    rows = await JournalEntry.raw(_ENTRIES + " AND e.number = {}", koperasi_id, number).run()
    if not rows:
        raise NotFound("entry_not_found", N_("Jurnal tidak ditemukan."))
    return (await _with_lines(rows))[0]


@dataclass(frozen=True)
class ClosedPeriod:
    period: str
    closed_at: datetime
    closed_by: str


@dataclass(frozen=True)
class Periods:
    closed_through: str | None  # every month up to and including this one is closed
    closes: list[ClosedPeriod]


async def periods(koperasi_id: int) -> Periods:
    rows = (
        await PeriodClose.select(
            PeriodClose.period,
            PeriodClose.closed_at,
            PeriodClose.closed_by.display_name.as_alias("closed_by"),
        )
        .where(PeriodClose.koperasi == koperasi_id)
        .order_by(PeriodClose.period, ascending=False)
    )
    closes = [ClosedPeriod(row["period"], row["closed_at"], row["closed_by"] or "") for row in rows]
    return Periods(closed_through=closes[0].period if closes else None, closes=closes)
