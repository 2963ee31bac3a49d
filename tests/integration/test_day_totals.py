"""The per-day totals statements read (`journal_day_total`) always equal the fold of the
journal lines: the database adds every inserted line to its day, in the inserting
transaction, and refuses changes by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from backend.db import is_sqlite, write_transaction
from backend.demo.books import load_demo_books
from backend.ledger.domain import Line
from backend.ledger.service import post_entry, reverse_entry
from backend.ledger.tables import JournalLine
from backend.settings import Settings
from backend.tenancy.tables import Koperasi

FOLD = (
    "SELECT koperasi_id, account_id, entry_date, SUM(debit) AS debit, SUM(credit) AS credit"
    " FROM journal_line GROUP BY koperasi_id, account_id, entry_date"
)
TOTALS = "SELECT koperasi_id, account_id, entry_date, debit, credit FROM journal_day_total"


def _rows(rows: list[dict[str, Any]]) -> list[tuple[int, int, str, int, int]]:
    return sorted(
        (
            int(r["koperasi_id"]),
            int(r["account_id"]),
            str(r["entry_date"]),
            int(r["debit"]),
            int(r["credit"]),
        )
        for r in rows
    )


async def _folded() -> list[tuple[int, int, str, int, int]]:
    return _rows(await JournalLine.raw(FOLD).run())


async def _totals() -> list[tuple[int, int, str, int, int]]:
    return _rows(await JournalLine.raw(TOTALS).run())


async def _koperasi(slug: str) -> int:
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == slug).first()
    assert row is not None
    return int(row["id"])


async def test_totals_follow_postings_reversals_and_rollbacks(demo: Settings) -> None:
    assert await load_demo_books(date(2026, 11, 29)) > 700
    k = await _koperasi("kopwan-srikandi")
    day = date(2026, 11, 29)
    sale = [Line("1-1100", 70_000), Line("4-1200", 0, 70_000)]
    first = await post_entry(k, day, "Penjualan", sale)
    # Same account and day twice in one entry, and again in a second entry.
    await post_entry(
        k,
        day,
        "Dua baris kas",
        [Line("1-1100", 5_000), Line("1-1100", 7_000), Line("4-1200", 0, 12_000)],
    )
    await reverse_entry(k, first.number, day)
    folded = await _folded()
    assert len(folded) > 1000
    assert await _totals() == folded

    class Undo(Exception):
        pass

    with pytest.raises(Undo):
        async with write_transaction():
            await post_entry(k, day, "Batal", [Line("1-1100", 1_000), Line("4-1200", 0, 1_000)])
            raise Undo
    assert await _totals() == folded


async def test_totals_refuse_changes_by_hand(demo: Settings) -> None:
    k = await _koperasi("kopwan-srikandi")
    await post_entry(
        k, date(2026, 1, 5), "Penjualan", [Line("1-1100", 9_000), Line("4-1200", 0, 9_000)]
    )
    before = await _totals()
    with pytest.raises(Exception, match="day totals follow the posted books"):
        await JournalLine.raw("DELETE FROM journal_day_total").run()
    if not is_sqlite():  # SQLite cannot tell the trigger's update from one by hand
        with pytest.raises(Exception, match="day totals follow the posted books"):
            await JournalLine.raw("UPDATE journal_day_total SET debit = debit + 1").run()
    assert await _totals() == before == await _folded()
