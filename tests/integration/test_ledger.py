"""The books on SQLite and PostgreSQL: posting, refusals that write nothing, reversals,
period close, trial balance by SQL aggregation."""

from __future__ import annotations

from datetime import date

import pytest

from backend.errors import AppError
from backend.ledger import service as ledger
from backend.ledger.chart import DEFAULT_CHART
from backend.ledger.domain import Line
from backend.ledger.tables import JournalEntry, JournalLine, LedgerAccount
from backend.settings import Settings
from backend.tenancy.tables import Koperasi

KAS, BANK, SUKARELA, POKOK, PENJUALAN, HPP, PERSEDIAAN = (
    "1-1100",
    "1-1200",
    "2-1100",
    "3-1100",
    "4-1200",
    "5-1100",
    "1-1400",
)


async def two_koperasi() -> tuple[int, int]:
    rows = (
        await Koperasi.select(Koperasi.id)
        .where(Koperasi.slug.is_in(["kopwan-srikandi", "ksp-artha-mandiri"]))
        .order_by(Koperasi.slug)
    )
    a, b = rows[1]["id"], rows[0]["id"]  # srikandi, artha mandiri
    for k in (a, b):
        await ledger.ensure_chart(k)
    return a, b


async def written() -> tuple[int, int]:
    return await JournalEntry.count(), await JournalLine.count()


async def refuse(code: str, coro: object) -> None:
    before = await written()
    with pytest.raises(AppError) as error:
        await coro  # type: ignore[misc]
    assert error.value.code == code
    assert error.value.message
    assert await written() == before  # nothing written


async def test_chart_is_created_once(demo: Settings) -> None:
    k, _ = await two_koperasi()
    assert await LedgerAccount.count().where(LedgerAccount.koperasi == k) == len(DEFAULT_CHART)
    assert await ledger.ensure_chart(k) == 0


async def test_posting_numbers_and_trial_balance(demo: Settings) -> None:
    k, other = await two_koperasi()
    first = await ledger.post_entry(
        k,
        date(2026, 1, 2),
        "Setoran simpanan pokok Siti Nurhaliza",
        [Line(KAS, debit=100_000), Line(POKOK, credit=100_000)],
    )
    second = await ledger.post_entry(
        k,
        date(2026, 1, 5),
        "Penjualan tunai beras",
        [
            Line(KAS, debit=78_000),
            Line(PENJUALAN, credit=78_000),
            Line(HPP, debit=71_500),
            Line(PERSEDIAAN, credit=71_500),
        ],
    )
    elsewhere = await ledger.post_entry(
        other, date(2026, 1, 5), "Setoran", [Line(KAS, debit=5), Line(POKOK, credit=5)]
    )
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert first.period == "2026-01"
    balances = {b.code: b for b in await ledger.trial_balance(k)}
    assert balances[KAS].balance == 178_000
    assert balances[POKOK].balance == 100_000
    assert balances[PERSEDIAAN].balance == -71_500
    assert sum(b.debit for b in balances.values()) == sum(b.credit for b in balances.values())
    january_second = {b.code: b for b in await ledger.trial_balance(k, until=date(2026, 1, 2))}
    assert january_second[KAS].balance == 100_000


async def test_refused_inputs_write_nothing(demo: Settings) -> None:
    k, other = await two_koperasi()
    await refuse(
        "entry_unbalanced",
        ledger.post_entry(k, date(2026, 2, 1), "x", [Line(KAS, debit=10), Line(POKOK, credit=9)]),
    )
    await refuse(
        "line_one_side",
        ledger.post_entry(k, date(2026, 2, 1), "x", [Line(KAS, 5, 5), Line(POKOK, credit=0)]),
    )
    await refuse(
        "amount_not_rupiah",
        ledger.post_entry(
            k,
            date(2026, 2, 1),
            "x",
            [Line(KAS, debit=1.5), Line(POKOK, credit=1.5)],  # type: ignore[arg-type]
        ),
    )
    # An account only the other koperasi has is not reachable from this one.
    await LedgerAccount.insert(
        LedgerAccount(koperasi=other, code="9-9999", name="Milik koperasi lain", type="aset")
    )
    await refuse(
        "account_not_found",
        ledger.post_entry(
            k, date(2026, 2, 1), "x", [Line("9-9999", debit=10), Line(POKOK, credit=10)]
        ),
    )
    await refuse(
        "description_required",
        ledger.post_entry(k, date(2026, 2, 1), "  ", [Line(KAS, debit=10), Line(POKOK, credit=10)]),
    )

    await ledger.post_entry(
        k, date(2026, 2, 3), "Februari", [Line(KAS, debit=7), Line(POKOK, credit=7)]
    )
    await ledger.close_period(k, "2026-02")
    for day in (date(2026, 2, 28), date(2026, 1, 15)):  # the month and every earlier one
        await refuse(
            "period_closed",
            ledger.post_entry(k, day, "Terlambat", [Line(KAS, debit=1), Line(POKOK, credit=1)]),
        )
    await refuse("period_closed", ledger.close_period(k, "2026-01"))
    # The other koperasi's books are its own: still open.
    await ledger.post_entry(
        other, date(2026, 2, 10), "x", [Line(KAS, debit=1), Line(POKOK, credit=1)]
    )
    # March is open.
    await ledger.post_entry(
        k, date(2026, 3, 1), "Maret", [Line(KAS, debit=1), Line(POKOK, credit=1)]
    )


async def test_corrections_are_reversals(demo: Settings) -> None:
    k, _ = await two_koperasi()
    wrong = await ledger.post_entry(
        k, date(2026, 4, 1), "Salah akun", [Line(BANK, debit=50_000), Line(SUKARELA, credit=50_000)]
    )
    undo = await ledger.reverse_entry(k, wrong.number, date(2026, 4, 2))
    assert undo.number == wrong.number + 1
    balances = {b.code: b for b in await ledger.trial_balance(k)}
    assert balances[BANK].balance == 0 and balances[BANK].debit == 50_000
    _, original = await ledger.entry_lines(k, wrong.number)
    assert original == [Line(BANK, debit=50_000), Line(SUKARELA, credit=50_000)]  # untouched
    await refuse("already_reversed", ledger.reverse_entry(k, wrong.number, date(2026, 4, 3)))
    await refuse("reversal_of_reversal", ledger.reverse_entry(k, undo.number, date(2026, 4, 3)))
    await refuse("entry_not_found", ledger.reverse_entry(k, 999, date(2026, 4, 3)))


async def test_the_database_refuses_to_change_posted_books(demo: Settings) -> None:
    k, _ = await two_koperasi()
    posted = await ledger.post_entry(
        k, date(2026, 5, 1), "Tidak bisa diubah", [Line(KAS, debit=10), Line(POKOK, credit=10)]
    )
    for change in (
        JournalLine.update({JournalLine.debit: 11}).where(JournalLine.entry == posted.id),
        JournalLine.delete().where(JournalLine.entry == posted.id),
        JournalEntry.update({JournalEntry.description: "diubah"}).where(
            JournalEntry.id == posted.id
        ),
        JournalEntry.delete().where(JournalEntry.id == posted.id),
    ):
        with pytest.raises(Exception, match="immutable"):
            await change
    _, lines = await ledger.entry_lines(k, posted.number)
    assert lines == [Line(KAS, debit=10), Line(POKOK, credit=10)]
