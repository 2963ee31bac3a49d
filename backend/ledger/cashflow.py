"""Laporan Arus Kas by the indirect method, from the same bucketed sums as the other
statements. Each account says which activity its movements belong to (`cash_flow`): the
cash effect of an account over a period is minus its net debit change, because every entry
balances; so the three activities always add up to the change in cash and bank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backend.ledger.domain import AccountType, CashFlow
from backend.ledger.statements import Section, StatementLine, Window, window_sums
from backend.ledger.tables import LedgerAccount
from backend.texts import N_

SECTION_TITLES = {
    CashFlow.OPERASI: N_("Arus kas dari aktivitas operasi"),
    CashFlow.INVESTASI: N_("Arus kas dari aktivitas investasi"),
    CashFlow.PENDANAAN: N_("Arus kas dari aktivitas pendanaan"),
}
SURPLUS = N_("SHU periode berjalan")


@dataclass(frozen=True)
class ArusKas:
    windows: list[tuple[date, date]]
    opening_cash: list[int]
    sections: list[Section]  # operasi, investasi, pendanaan
    net_change: list[int]
    closing_cash: list[int]


async def arus_kas(
    koperasi_id: int, since: date, until: date, compare: tuple[date, date] | None = None
) -> ArusKas:
    periods = [(since, until)] if compare is None else [(since, until), compare]
    windows: list[Window] = []
    for start, end in periods:
        windows += [(None, start - timedelta(days=1)), (start, end)]
    sums = await window_sums(koperasi_id, windows)
    accounts = (
        await LedgerAccount.select(
            LedgerAccount.id,
            LedgerAccount.code,
            LedgerAccount.name,
            LedgerAccount.type,
            LedgerAccount.cash_flow,
        )
        .where(LedgerAccount.koperasi == koperasi_id)
        .order_by(LedgerAccount.code)
    )
    n = len(periods)
    opening = [0] * n
    surplus = [0] * n
    lines: dict[CashFlow, list[StatementLine]] = {flow: [] for flow in SECTION_TITLES}
    for account in accounts:
        per = sums.get(account["id"], [0] * 2 * n)
        flow = CashFlow(account["cash_flow"])
        effect = [-per[2 * i + 1] for i in range(n)]  # cash moves opposite to the account
        if flow is CashFlow.KAS:
            for i in range(n):
                opening[i] += per[2 * i]
            continue
        kind = AccountType(account["type"])
        if flow is CashFlow.OPERASI and kind in (AccountType.PENDAPATAN, AccountType.BEBAN):
            surplus = [surplus[i] + effect[i] for i in range(n)]
        elif any(effect):
            lines[flow].append(StatementLine(account["code"], account["name"], effect))
    lines[CashFlow.OPERASI].insert(0, StatementLine("", SURPLUS, surplus))
    sections = [
        Section(
            title=title,
            lines=lines[flow],
            totals=[sum(line.amounts[i] for line in lines[flow]) for i in range(n)],
        )
        for flow, title in SECTION_TITLES.items()
    ]
    net = [sum(section.totals[i] for section in sections) for i in range(n)]
    return ArusKas(
        windows=periods,
        opening_cash=opening,
        sections=sections,
        net_change=net,
        closing_cash=[opening[i] + net[i] for i in range(n)],
    )
