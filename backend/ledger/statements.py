"""Financial statements: Neraca (statement of financial position) and Perhitungan Hasil
Usaha (PHU, the income statement), each with a comparison column. Every figure comes from
one SQL query: per account, sums over disjoint date buckets of the per-day totals the
database keeps of the journal lines (`window_sums`); Python only adds buckets into windows and
arranges the totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backend.errors import NotFound
from backend.ledger.domain import AccountType, balance
from backend.ledger.tables import JournalLine, LedgerAccount
from backend.texts import N_

Window = tuple[date | None, date]  # inclusive; None: from the beginning


async def window_sums(koperasi_id: int, windows: list[Window]) -> dict[int, list[int]]:
    """account id -> [debit minus credit in each window], for every account of the koperasi.

    Reads the per-day totals the database keeps of the journal lines (`journal_day_total`,
    one row per koperasi, account and date, added to by a trigger on every line inserted;
    see migrations/ledger/*_day_totals.py) rather than the lines: a few dozen rows a day
    instead of thousands. The windows' edges cut time into disjoint buckets; each (account,
    bucket) is one range scan of the totals' key (koperasi_id, account_id, entry_date), so
    every day is read once however many windows overlap it. Python adds buckets up into
    windows."""
    cuts = sorted({u for _, u in windows} | {s - timedelta(days=1) for s, _ in windows if s})
    # Bucket i holds the lines dated in (cuts[i-1], cuts[i]]; bucket 0 everything until cuts[0].
    spans = [
        (0 if since is None else cuts.index(since - timedelta(days=1)) + 1, cuts.index(until))
        for since, until in windows
    ]
    needed = sorted({i for first, last in spans for i in range(first, last + 1)})
    columns: list[str] = []
    args: list[object] = []
    for i in needed:
        condition = "j.entry_date <= {}"
        bucket_args: list[object] = [cuts[i]]
        if i > 0:
            condition = "j.entry_date > {} AND " + condition
            bucket_args = [cuts[i - 1], cuts[i]]
        columns.append(
            "(SELECT SUM(j.debit - j.credit) FROM journal_day_total j"
            " WHERE j.koperasi_id = a.koperasi_id AND j.account_id = a.id"
            f" AND {condition}) AS b{i}"
        )
        args.extend(bucket_args)
    sql = (
        f"SELECT a.id AS account_id, {', '.join(columns)} FROM ledger_account a"
        " WHERE a.koperasi_id = {}"
    )
    rows = await JournalLine.raw(sql, *args, koperasi_id).run()
    result: dict[int, list[int]] = {}
    for row in rows:
        bucket = {i: int(row[f"b{i}"] or 0) for i in needed}
        result[int(row["account_id"])] = [
            sum(bucket[i] for i in range(first, last + 1)) for first, last in spans
        ]
    return result


@dataclass(frozen=True)
class StatementLine:
    code: str
    name: str
    amounts: list[int]  # one per column (current, comparison)


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[StatementLine]
    totals: list[int]


@dataclass(frozen=True)
class Neraca:
    dates: list[date]
    aset: Section
    kewajiban: Section
    ekuitas: Section
    total_kewajiban_ekuitas: list[int]

    @property
    def balanced(self) -> bool:
        return self.aset.totals == self.total_kewajiban_ekuitas


@dataclass(frozen=True)
class Phu:
    windows: list[tuple[date, date]]
    pendapatan: Section
    beban: Section
    shu: list[int]


async def _accounts(koperasi_id: int) -> list[dict[str, object]]:
    return (
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


def _section(
    title: str,
    accounts: list[dict[str, object]],
    kind: AccountType,
    sums: dict[int, list[int]],
    columns: list[int],
) -> Section:
    lines = []
    for account in accounts:
        if account["type"] != kind.value:
            continue
        per = sums.get(int(str(account["id"])), [])
        # On the section's side: a contra account (accumulated depreciation, PPAP) shows
        # as a negative amount that reduces its section's total.
        amounts = [balance(kind, False, per[c], 0) if per else 0 for c in columns]
        lines.append(StatementLine(str(account["code"]), str(account["name"]), amounts))
    totals = [sum(line.amounts[i] for line in lines) for i in range(len(columns))]
    return Section(title=title, lines=lines, totals=totals)


def _year_start(day: date) -> date:
    return date(day.year, 1, 1)


async def neraca(koperasi_id: int, as_of: date, compare_as_of: date | None = None) -> Neraca:
    """Positions at `as_of` (and `compare_as_of`). Until the year-end closing entries exist,
    the surplus is shown in equity: this year's (SHU tahun berjalan) and earlier years'
    not yet distributed."""
    dates = [as_of] if compare_as_of is None else [as_of, compare_as_of]
    windows: list[Window] = []
    for day in dates:
        windows.append((None, day))  # positions
        windows.append((None, _year_start(day) - timedelta(days=1)))  # surplus of past years
    sums = await window_sums(koperasi_id, windows)
    accounts = await _accounts(koperasi_id)
    now_cols = [2 * i for i in range(len(dates))]
    past_cols = [2 * i + 1 for i in range(len(dates))]
    aset = _section(N_("Aset"), accounts, AccountType.ASET, sums, now_cols)
    kewajiban = _section(N_("Kewajiban"), accounts, AccountType.KEWAJIBAN, sums, now_cols)
    ekuitas = _section(N_("Ekuitas"), accounts, AccountType.EKUITAS, sums, now_cols)
    income = _section("", accounts, AccountType.PENDAPATAN, sums, now_cols + past_cols)
    costs = _section("", accounts, AccountType.BEBAN, sums, now_cols + past_cols)
    n = len(dates)
    surplus_total = [income.totals[i] - costs.totals[i] for i in range(n)]
    surplus_past = [income.totals[n + i] - costs.totals[n + i] for i in range(n)]
    surplus_year = [surplus_total[i] - surplus_past[i] for i in range(n)]
    equity_lines = [
        *ekuitas.lines,
        StatementLine("", N_("SHU tahun lalu belum dibagi"), surplus_past),
        StatementLine("", N_("SHU tahun berjalan (belum ditutup)"), surplus_year),
    ]
    equity_totals = [ekuitas.totals[i] + surplus_total[i] for i in range(n)]
    ekuitas = Section(ekuitas.title, equity_lines, equity_totals)
    return Neraca(
        dates=dates,
        aset=aset,
        kewajiban=kewajiban,
        ekuitas=ekuitas,
        total_kewajiban_ekuitas=[kewajiban.totals[i] + equity_totals[i] for i in range(n)],
    )


async def phu(
    koperasi_id: int, since: date, until: date, compare: tuple[date, date] | None = None
) -> Phu:
    """Revenue and expenses over a period (and a comparison period); SHU is their
    difference (before tax and allocation)."""
    periods = [(since, until)] if compare is None else [(since, until), compare]
    sums = await window_sums(koperasi_id, [(s, u) for s, u in periods])
    accounts = await _accounts(koperasi_id)
    cols = list(range(len(periods)))
    pendapatan = _section(N_("Pendapatan"), accounts, AccountType.PENDAPATAN, sums, cols)
    beban = _section(N_("Beban"), accounts, AccountType.BEBAN, sums, cols)
    return Phu(
        windows=periods,
        pendapatan=pendapatan,
        beban=beban,
        shu=[pendapatan.totals[i] - beban.totals[i] for i in cols],
    )


@dataclass(frozen=True)
class LedgerRow:
    entry_date: date
    number: int
    description: str
    debit: int
    credit: int
    balance: int


@dataclass(frozen=True)
class GeneralLedger:
    code: str
    name: str
    since: date
    until: date
    opening: int
    rows: list[LedgerRow]
    closing: int


GENERAL_LEDGER_MAX_ROWS = 5000


async def general_ledger(koperasi_id: int, code: str, since: date, until: date) -> GeneralLedger:
    """Buku besar of one account: the opening balance, each line with its running balance
    (a window function in the database), the closing balance; on the account's normal side."""
    account = (
        await LedgerAccount.select(LedgerAccount.id, LedgerAccount.name, LedgerAccount.type)
        .where((LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.code == code))
        .first()
    )
    if account is None:
        raise NotFound("account_not_found", N_("Akun tidak ditemukan di bagan akun koperasi ini."))
    sign = 1 if AccountType(account["type"]).debit_normal else -1
    before = await JournalLine.raw(
        "SELECT SUM(debit - credit) AS net FROM journal_line"
        " WHERE koperasi_id = {} AND account_id = {} AND entry_date < {}",
        koperasi_id,
        account["id"],
        since,
    ).run()
    opening = sign * int(before[0]["net"] or 0) if before else 0
    rows = await JournalLine.raw(
        "SELECT l.entry_date AS entry_date, e.number AS number, e.description AS description,"
        " l.debit AS debit, l.credit AS credit,"
        " SUM(l.debit - l.credit) OVER (ORDER BY l.entry_date, e.number, l.id) AS running"
        " FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id"
        " WHERE l.koperasi_id = {} AND l.account_id = {} AND l.entry_date >= {}"
        " AND l.entry_date <= {} ORDER BY l.entry_date, e.number, l.id LIMIT {}",
        koperasi_id,
        account["id"],
        since,
        until,
        GENERAL_LEDGER_MAX_ROWS,
    ).run()
    lines = [
        LedgerRow(
            entry_date=_as_date(row["entry_date"]),
            number=int(row["number"]),
            description=str(row["description"]),
            debit=int(row["debit"]),
            credit=int(row["credit"]),
            balance=opening + sign * int(row["running"]),
        )
        for row in rows
    ]
    return GeneralLedger(
        code=code,
        name=str(account["name"]),
        since=since,
        until=until,
        opening=opening,
        rows=lines,
        closing=lines[-1].balance if lines else opening,
    )


def _as_date(value: object) -> date:
    # SQLite hands raw query dates back as ISO text; PostgreSQL as dates.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass(frozen=True)
class EquityRow:
    code: str
    name: str
    opening: int
    change: int
    closing: int


@dataclass(frozen=True)
class EquityChanges:
    """Laporan perubahan ekuitas: each equity account and the surplus, from the day before
    `since` to `until`."""

    since: date
    until: date
    rows: list[EquityRow]
    opening: int
    change: int
    closing: int


async def perubahan_ekuitas(koperasi_id: int, since: date, until: date) -> EquityChanges:
    sums = await window_sums(koperasi_id, [(None, since - timedelta(days=1)), (since, until)])
    accounts = await _accounts(koperasi_id)
    rows: list[EquityRow] = []
    surplus = [0, 0]
    for account in accounts:
        kind = AccountType(str(account["type"]))
        before, during = sums.get(int(str(account["id"])), [0, 0])
        if kind is AccountType.EKUITAS:
            opening, change = -before, -during  # credit-normal
            rows.append(
                EquityRow(
                    str(account["code"]), str(account["name"]), opening, change, opening + change
                )
            )
        elif kind in (AccountType.PENDAPATAN, AccountType.BEBAN):
            surplus[0] -= before
            surplus[1] -= during
    rows.append(
        EquityRow("", N_("Sisa hasil usaha"), surplus[0], surplus[1], surplus[0] + surplus[1])
    )
    return EquityChanges(
        since=since,
        until=until,
        rows=rows,
        opening=sum(r.opening for r in rows),
        change=sum(r.change for r in rows),
        closing=sum(r.closing for r in rows),
    )
