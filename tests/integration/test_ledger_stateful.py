"""A Hypothesis state machine drives random manual postings, reversals, sukarela deposits
and withdrawals and period closes against the real books (SQLite and PostgreSQL) and an
in-memory reference ledger, and checks after every step: every entry balanced, trial
balance zero, every account's totals equal to the fold of its lines, closed periods
unchanged, sukarela never negative and equal to the books."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable
from datetime import date
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from piccolo.query.functions.aggregate import Count, Sum

from backend.db import close_engine, make_engine, use_engine
from backend.errors import AppError
from backend.ledger import service as ledger
from backend.ledger.chart import DEFAULT_CHART
from backend.ledger.domain import Line
from backend.ledger.tables import JournalEntry, JournalLine
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region

T = TypeVar("T")
CODES = [a.code for a in DEFAULT_CHART if a.code != "2-1100"]  # sukarela: via savings only
MEMBERS = ["A-0001", "A-0002"]
_counter = itertools.count()

amounts = st.integers(min_value=1, max_value=10**9)
days = st.builds(date, st.just(2026), st.integers(min_value=1, max_value=12), st.integers(1, 28))


@st.composite
def balanced_lines(draw: st.DrawFn) -> list[Line]:
    debits = draw(st.lists(amounts, min_size=1, max_size=3))
    total = sum(debits)
    # Split the same total over 1–3 credit lines.
    cuts = (
        sorted(draw(st.lists(st.integers(1, total - 1), max_size=2, unique=True)))
        if total > 1
        else []
    )
    credits = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    pick = st.sampled_from(CODES)
    return [Line(draw(pick), debit=d) for d in debits] + [
        Line(draw(pick), credit=c) for c in credits
    ]


class Books(RuleBasedStateMachine):
    loop: asyncio.AbstractEventLoop
    region_id: int

    def __init__(self) -> None:
        super().__init__()
        n = next(_counter)
        self.koperasi_id = self.run(self._new_koperasi(n))
        self.reference: dict[str, list[int]] = {a.code: [0, 0] for a in DEFAULT_CHART}
        self.posted: list[tuple[int, list[Line], bool]] = []  # number, lines, reversible
        self.closed_through: str | None = None
        self.closed_snapshot: Any = None
        self.sukarela = dict.fromkeys(MEMBERS, 0)

    def run(self, awaitable: Awaitable[T]) -> T:
        return self.loop.run_until_complete(awaitable)  # type: ignore[arg-type]

    async def _new_koperasi(self, n: int) -> int:
        created = await Koperasi.insert(
            Koperasi(region=self.region_id, slug=f"buku-{n}", name=f"Koperasi Buku {n}", kind="ksu")
        ).returning(Koperasi.id)
        await ledger.ensure_chart(created[0]["id"])
        for number in MEMBERS:
            await Member.insert(
                Member(
                    koperasi=created[0]["id"],
                    member_number=number,
                    full_name=f"Anggota {number}",
                    nik=f"357601010190{number[-4:]}",
                    joined_on=date(2020, 1, 1),
                )
            )
        return int(created[0]["id"])

    def _closed(self, day: date) -> bool:
        return self.closed_through is not None and f"{day:%Y-%m}" <= self.closed_through

    def _apply(self, lines: list[Line]) -> None:
        for line in lines:
            self.reference[line.account_code][0] += line.debit
            self.reference[line.account_code][1] += line.credit

    @rule(lines=balanced_lines(), day=days)
    def post(self, lines: list[Line], day: date) -> None:
        try:
            posted = self.run(ledger.post_entry(self.koperasi_id, day, "Jurnal acak", lines))
        except AppError as error:
            assert error.code == "period_closed" and self._closed(day)
            return
        assert not self._closed(day)
        self._apply(lines)
        self.posted.append((posted.number, lines, True))

    @rule(data=st.data(), day=days)
    def reverse(self, data: st.DataObject, day: date) -> None:
        candidates = [i for i, (_, _, reversible) in enumerate(self.posted) if reversible]
        if not candidates:
            return
        index = data.draw(st.sampled_from(candidates))
        number, lines, _ = self.posted[index]
        try:
            undo = self.run(ledger.reverse_entry(self.koperasi_id, number, day))
        except AppError as error:
            assert error.code == "period_closed" and self._closed(day)
            return
        mirror = [Line(line.account_code, line.credit, line.debit) for line in lines]
        self._apply(mirror)
        self.posted[index] = (number, lines, False)
        self.posted.append((undo.number, mirror, False))

    @rule(
        member=st.sampled_from(MEMBERS),
        amount=st.integers(1, 5_000_000),
        withdraw=st.booleans(),
        day=days,
    )
    def sukarela(self, member: str, amount: int, withdraw: bool, day: date) -> None:
        movement = Movement.TARIK if withdraw else Movement.SETOR
        try:
            self.run(
                savings.record(
                    self.koperasi_id, member, SavingsKind.SUKARELA, movement, amount, day
                )
            )
        except AppError as error:
            if error.code == "insufficient_balance":
                assert withdraw and amount > self.sukarela[member]
            else:
                assert error.code == "period_closed" and self._closed(day)
            return
        assert not self._closed(day)
        assert not (withdraw and amount > self.sukarela[member])
        cash, account = Line("1-1100", amount, 0), Line("2-1100", 0, amount)
        lines = (
            [Line("2-1100", amount, 0), Line("1-1100", 0, amount)] if withdraw else [cash, account]
        )
        self._apply(lines)
        self.sukarela[member] += -amount if withdraw else amount
        self.posted.append((-1, lines, False))  # corrected through savings, not reversed by hand

    @invariant()
    def sukarela_is_never_negative_and_matches_the_books(self) -> None:
        for member, expected in self.sukarela.items():
            assert expected >= 0
            held = self.run(savings.member_savings(self.koperasi_id, member, date(2026, 12, 31)))
            assert held.balances["sukarela"] == expected
        books = {b.code: b.balance for b in self.run(ledger.trial_balance(self.koperasi_id))}
        assert books["2-1100"] == sum(self.sukarela.values())

    @rule(month=st.integers(1, 12))
    def close(self, month: int) -> None:
        period = f"2026-{month:02d}"
        try:
            self.run(ledger.close_period(self.koperasi_id, period))
        except AppError as error:
            assert error.code == "period_closed"
            assert self.closed_through is not None and period <= self.closed_through
            return
        self.closed_through = period
        self.closed_snapshot = self.run(self._closed_books())

    async def _closed_books(self) -> Any:
        return await JournalLine.select(
            Count(alias="lines"),
            Sum(JournalLine.debit, alias="debit"),
            Sum(JournalLine.credit, alias="credit"),
        ).where(
            (JournalLine.koperasi == self.koperasi_id)
            & (JournalLine.entry.period <= (self.closed_through or ""))
        )

    @invariant()
    def books_match_the_reference(self) -> None:
        balances = {
            b.code: [b.debit, b.credit] for b in self.run(ledger.trial_balance(self.koperasi_id))
        }
        assert balances == self.reference
        assert sum(d for d, _ in balances.values()) == sum(c for _, c in balances.values())

    @invariant()
    def every_entry_is_balanced(self) -> None:
        rows = self.run(
            JournalLine.select(
                JournalLine.entry.as_alias("entry_id"),
                Sum(JournalLine.debit, alias="debit"),
                Sum(JournalLine.credit, alias="credit"),
            )
            .where(JournalLine.koperasi == self.koperasi_id)
            .group_by(JournalLine.entry)
        )
        assert all(row["debit"] == row["credit"] for row in rows)
        count = self.run(JournalEntry.count().where(JournalEntry.koperasi == self.koperasi_id))
        assert count == len(self.posted) == len(rows)

    @invariant()
    def closed_periods_do_not_change(self) -> None:
        if self.closed_through is not None:
            assert self.run(self._closed_books()) == self.closed_snapshot


def test_books_against_a_reference_ledger(migrated: Settings) -> None:
    loop = asyncio.new_event_loop()
    engine = make_engine(migrated)

    async def start() -> int:
        use_engine(engine)
        if migrated.is_postgres:
            await engine.start_connection_pool(min_size=1, max_size=4)  # type: ignore[attr-defined]
        region = await Region.insert(
            Region(slug="wilayah-buku", name="Wilayah Buku", dinas_name="Dinas Buku")
        ).returning(Region.id)
        return int(region[0]["id"])

    try:
        Books.loop = loop
        Books.region_id = loop.run_until_complete(start())
        run_state_machine_as_test(
            Books,
            settings=settings(
                max_examples=15,
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            ),
        )
    finally:
        loop.run_until_complete(close_engine(engine))
        loop.close()


pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
