"""The figures a health assessment is computed from, read from the koperasi's books
(`ledger.statements.window_sums`: balances on the day and a year before, movements over
the year that ends on the day), its loan register (`loans.service.collectibility_summary`:
outstanding principal per collectibility class and RPM) and its SHU split
(`shu.service.allocation`: the members' share), as the rule set's figure definitions say
(which accounts make "kas + bank", "kewajiban lancar", "modal sendiri", …).

Each figure comes back with where it came from (accounts, totals, the loan register) or why
it is missing; a missing figure may be filled by one entered by hand for the assessment
(`Entered`). The books win over a hand-entered figure whenever they hold it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from piccolo.query.functions.aggregate import Sum

from backend.health.domain import (
    FULL_BP,
    OTHER_ACCOUNTS,
    Basis,
    Figure,
    FigureSource,
    FigureSpec,
    LoanMeasure,
    Missing,
    Origin,
    Scheme,
    period_start,
    to_rupiah,
    year_before,
)
from backend.health.tables import HealthAtmrWeight
from backend.ledger.domain import AccountType, balance
from backend.ledger.statements import window_sums
from backend.ledger.tables import JournalEntry, LedgerAccount

NOW, PRIOR, YEAR = 0, 1, 2  # the windows: balances on the day, a year before; the year's flows


@dataclass(frozen=True)
class Entered:
    """A figure typed in for an assessment by a pengurus or a Dinas officer."""

    amount: int
    role: str


@dataclass(frozen=True)
class _Account:
    id: int
    code: str
    type: AccountType
    contra: bool


def _as_date(value: object) -> date:
    # SQLite hands raw query dates back as ISO text; PostgreSQL as dates.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def first_entry_day(koperasi_id: int) -> date | None:
    """The day of the koperasi's first journal entry (None: the books are empty)."""
    rows = await JournalEntry.raw(
        "SELECT MIN(entry_date) AS first FROM journal_entry WHERE koperasi_id = {}", koperasi_id
    ).run()
    first = rows[0]["first"] if rows else None
    return _as_date(first) if first else None


async def atmr_overrides(region_id: int) -> dict[str, int]:
    """The region's own ATMR risk weights (account -> basis points)."""
    rows = await HealthAtmrWeight.select(
        HealthAtmrWeight.account, HealthAtmrWeight.weight_bp
    ).where(HealthAtmrWeight.region == region_id)
    return {str(r["account"]): int(r["weight_bp"]) for r in rows}


class _Books:
    """The koperasi's accounts and their sums in the three windows."""

    def __init__(self, accounts: list[_Account], sums: dict[int, list[int]]) -> None:
        self.accounts = accounts
        self.by_code = {a.code: a for a in accounts}
        self.sums = sums

    def _net(self, account: _Account, window: int) -> int:
        return self.sums.get(account.id, [0, 0, 0])[window]

    def own(self, code: str, window: int) -> int:
        """On the account's own normal side (a contra account's balance is positive)."""
        account = self.by_code[code]
        return balance(account.type, account.contra, self._net(account, window), 0)

    def section(self, account: _Account, window: int) -> int:
        """As it counts in its statement section (a contra account reduces it)."""
        return balance(account.type, False, self._net(account, window), 0)

    def type_total(self, kind: AccountType, window: int) -> int:
        return sum(self.section(a, window) for a in self.accounts if a.type is kind)

    def surplus(self, window: int) -> int:
        return self.type_total(AccountType.PENDAPATAN, window) - self.type_total(
            AccountType.BEBAN, window
        )

    def total(self, name: str, window: int) -> int:
        """A statement total: for equity, the Neraca's (with the surplus not yet closed)."""
        amount = self.type_total(AccountType(name), window)
        if name == AccountType.EKUITAS.value:
            amount += self.surplus(window)
        return amount


async def _books(koperasi_id: int, as_of: date) -> _Books:
    rows = await LedgerAccount.select(
        LedgerAccount.id, LedgerAccount.code, LedgerAccount.type, LedgerAccount.contra
    ).where(LedgerAccount.koperasi == koperasi_id)
    accounts = [
        _Account(int(r["id"]), str(r["code"]), AccountType(r["type"]), bool(r["contra"]))
        for r in rows
    ]
    prior = year_before(as_of)
    sums = await window_sums(
        koperasi_id, [(None, as_of), (None, prior), (period_start(as_of), as_of)]
    )
    return _Books(accounts, sums)


class _Loans:
    """The loan register's figures on the day, read once when a figure needs them."""

    def __init__(self, koperasi_id: int, as_of: date) -> None:
        self.koperasi_id = koperasi_id
        self.as_of = as_of
        self._summary: Any = None
        self._used: bool | None = None

    async def used(self) -> bool:
        """Whether the register holds any loan paid out by the day."""
        if self._used is None:
            from backend.loans.tables import Loan

            self._used = bool(
                await Loan.exists().where(
                    (Loan.koperasi == self.koperasi_id)
                    & Loan.disbursed_on.is_not_null()
                    & (Loan.disbursed_on <= self.as_of)
                )
            )
        return self._used

    async def measure(self, measure: LoanMeasure) -> int:
        if measure is LoanMeasure.DISBURSED:
            from backend.loans.tables import Loan

            row = (
                await Loan.select(Sum(Loan.principal, alias="total"))
                .where(
                    (Loan.koperasi == self.koperasi_id)
                    & (Loan.disbursed_on >= period_start(self.as_of))
                    & (Loan.disbursed_on <= self.as_of)
                )
                .first()
            )
            return int((row or {}).get("total") or 0)
        if self._summary is None:
            from backend.loans.service import collectibility_summary

            self._summary = await collectibility_summary(self.koperasi_id, self.as_of)
        summary = self._summary
        if measure is LoanMeasure.OUTSTANDING:
            return int(summary.outstanding)
        if measure is LoanMeasure.RPM:
            return int(summary.rpm)
        # Risky: every class after the first (lancar).
        return sum(int(c.outstanding) for c in summary.classes[1:])


async def _member_share_bp(koperasi_id: int, year: int) -> int:
    """The members' part of the year's SHU split (jasa modal + jasa usaha)."""
    from backend.shu.service import allocation

    chosen = (await allocation(koperasi_id, year)).allocation
    return int(chosen.jasa_modal_bp) + int(chosen.jasa_usaha_bp)


async def gather(
    koperasi_id: int,
    region_id: int,
    scheme: Scheme,
    as_of: date,
    entered: Mapping[str, Entered] | None = None,
) -> dict[str, Figure]:
    """Every figure of `scheme` for the koperasi on `as_of`."""
    entered = entered or {}
    first_day = await first_entry_day(koperasi_id)
    books = await _books(koperasi_id, as_of)
    loans = _Loans(koperasi_id, as_of)
    overrides: dict[str, int] | None = None
    share_bp: int | None = None
    since = period_start(as_of)
    figures: dict[str, Figure] = {}
    for code, spec in scheme.figures.items():
        if spec.source is FigureSource.ATMR and overrides is None:
            overrides = await atmr_overrides(region_id)
        if spec.member_share and share_bp is None:
            share_bp = await _member_share_bp(koperasi_id, as_of.year)
        figure = await _figure(
            spec, scheme, books, loans, first_day, as_of, since, overrides or {}, share_bp
        )
        if figure.amount is None and code in entered:
            figure = Figure(
                code=code,
                amount=entered[code].amount,
                origin=Origin.ENTERED,
                entered_role=entered[code].role,
            )
        figures[code] = figure
    return figures


def _missing(spec: FigureSpec, reason: Missing, since: date | None = None) -> Figure:
    return Figure(code=spec.code, amount=None, missing=reason, since=since)


async def _figure(
    spec: FigureSpec,
    scheme: Scheme,
    books: _Books,
    loans: _Loans,
    first_day: date | None,
    as_of: date,
    since: date,
    overrides: Mapping[str, int],
    share_bp: int | None,
) -> Figure:
    if spec.source is FigureSource.MANUAL:
        return _missing(spec, Missing.NOT_IN_BOOKS)
    if spec.source is FigureSource.LOANS:
        assert spec.measure is not None
        if not await loans.used():
            # An empty register means "no loans" only where the books agree.
            if first_day is None or first_day > as_of:
                return _missing(spec, Missing.NO_BOOKS, first_day)
            in_books = sum(books.own(c, NOW) for c in scheme.loan_accounts if c in books.by_code)
            if in_books > 0:
                return _missing(spec, Missing.NO_LOAN_REGISTER)
        return Figure(code=spec.code, amount=await loans.measure(spec.measure), origin=Origin.LOANS)
    day = year_before(as_of) if spec.years_before else as_of
    if first_day is None or first_day > day:
        return _missing(spec, Missing.NO_BOOKS, first_day)
    if spec.source is FigureSource.ATMR:
        return _atmr(spec, scheme, books, overrides)
    if spec.source is FigureSource.FLOW and first_day > since:
        return _missing(spec, Missing.BOOKS_TOO_SHORT, first_day)
    window = YEAR if spec.source is FigureSource.FLOW else (PRIOR if spec.years_before else NOW)
    amount = 0
    basis: list[Basis] = []
    for term in spec.terms:
        if term.accounts:
            present = [c for c in term.accounts if c in books.by_code]
            basis += [Basis("account", c, term.factor) for c in present]
            part = sum(books.own(c, window) for c in present)
        elif term.total is not None:
            basis.append(Basis("total", term.total, term.factor))
            part = books.total(term.total, window)
        else:
            basis.append(Basis("total", str(term.special), term.factor))
            part = books.surplus(window)
        amount += to_rupiah(Decimal(part) * term.factor)
    if not basis:
        return _missing(spec, Missing.NO_ACCOUNTS)
    applied_share = None
    if spec.member_share and share_bp is not None:
        applied_share = share_bp
        amount = to_rupiah(Decimal(amount) * share_bp / FULL_BP)
    return Figure(
        code=spec.code,
        amount=amount,
        origin=Origin.BOOKS,
        basis=tuple(basis),
        share_bp=applied_share,
    )


def _atmr(spec: FigureSpec, scheme: Scheme, books: _Books, overrides: Mapping[str, int]) -> Figure:
    """Σ asset accounts (as they count in the Neraca) × their risk weight, each part
    rounded to the rupiah."""
    total = 0
    shown: list[tuple[str, int]] = []
    for account in books.accounts:
        if account.type is not AccountType.ASET:
            continue
        weight = scheme.atmr.weight_of(account.code, overrides)
        total += to_rupiah(Decimal(books.section(account, NOW)) * weight / FULL_BP)
        if weight != scheme.atmr.default_weight_bp:
            shown.append((account.code, weight))
    shown.append((OTHER_ACCOUNTS, scheme.atmr.default_weight_bp))
    return Figure(
        code=spec.code,
        amount=total,
        origin=Origin.BOOKS,
        atmr_weights=tuple(shown),
    )
