"""A year of books for every demo koperasi, so a newcomer opens living statements: an
opening balance, members' pokok, monthly wajib (some members fall behind) and sukarela,
and per kind of koperasi its monthly business — shop sales and purchases, loan interest,
running costs, depreciation. Everything goes through the same posting doors as real use
(`post_entry`, `savings.service.record`); months before last month are closed.

Idempotent: a koperasi that already has journal entries is left alone."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from backend.demo import data
from backend.ledger.domain import Line, period_of
from backend.ledger.service import close_period, ensure_chart, post_entry
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.savings.domain import Movement, SavingsKind, months_due
from backend.savings.service import policy, record
from backend.tenancy.tables import Koperasi


def _months(today: date) -> list[date]:
    """The first day of each of the twelve months before this one, and of this one."""
    months = []
    year, month = today.year, today.month
    for _ in range(13):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(months)


def _day(month: date, day: int, today: date) -> date | None:
    """That day of the month (or its last day), if it is not in the future."""
    when = month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))
    return when if when <= today else None


async def _opening(k: int, index: int, shop: bool, lending: bool, on: date) -> None:
    scale = 1 + index % 3
    debits = [
        Line("1-1100", 4_000_000 * scale),
        Line("1-1200", 25_000_000 * scale),
        Line("1-2100", 60_000_000),
    ]
    if shop:
        debits.append(Line("1-1400", 12_000_000 * scale))
    if lending:
        debits.append(Line("1-1300", 80_000_000 * scale))
    credits = [Line("1-2190", 0, 18_000_000), Line("2-1300", 0, 6_000_000 if shop else 0)]
    credits = [line for line in credits if line.credit]
    if lending:
        credits.append(Line("2-1400", 0, 50_000_000 * scale))
    rest = sum(line.debit for line in debits) - sum(line.credit for line in credits)
    credits += [Line("3-1400", 0, 20_000_000), Line("3-1500", 0, rest - 20_000_000)]
    await post_entry(k, on, "Saldo awal dari pembukuan lama", debits + credits, source="opening")


async def _savings(k: int, months: list[date], today: date) -> int:
    rules = await policy(k)
    members = await (
        Member.select(Member.member_number, Member.status, Member.joined_on)
        .where(Member.koperasi == k)
        .order_by(Member.member_number)
    )
    count = 0
    start = months[0]
    for seq, member in enumerate(members, start=1):
        if member["status"] != "aktif":
            continue
        number = member["member_number"]
        await record(k, number, SavingsKind.POKOK, Movement.SETOR, rules.pokok_amount, start)
        # The wajib of the years before Koroena, brought in as one deposit.
        past = months_due(member["joined_on"], start - timedelta(days=1)) * rules.wajib_monthly
        if past:
            await record(k, number, SavingsKind.WAJIB, Movement.SETOR, past, start)
        # Every fourth member stops paying wajib three months ago: the arrears list has them.
        paid_months = months[:-3] if seq % 4 == 0 else months
        for month in paid_months:
            when = _day(month, 5, today)
            if when:
                await record(
                    k, number, SavingsKind.WAJIB, Movement.SETOR, rules.wajib_monthly, when
                )
                count += 1
        for i, month in enumerate(months[1::3]):
            when = _day(month, 12, today)
            if when:
                amount = 50_000 * (1 + (seq + i) % 4)
                await record(k, number, SavingsKind.SUKARELA, Movement.SETOR, amount, when)
                count += 1
        withdrawal = _day(months[-2], 20, today)
        if withdrawal and seq % 3 == 1:
            await record(k, number, SavingsKind.SUKARELA, Movement.TARIK, 40_000, withdrawal)
            count += 1
    return count


async def _business(k: int, index: int, shop: bool, lending: bool, month: date, today: date) -> int:
    posted = 0
    scale = 1 + index % 3

    async def post(day: int, text: str, lines: list[Line]) -> None:
        nonlocal posted
        when = _day(month, day, today)
        if when:
            await post_entry(k, when, text, lines, source="demo")
            posted += 1

    wobble = 1 + (month.month % 4) / 10  # sales differ from month to month
    if shop:
        members_sales = int(9_000_000 * scale * wobble) // 1000 * 1000
        others_sales = int(4_000_000 * scale * wobble) // 1000 * 1000
        cost = (members_sales + others_sales) * 8 // 10
        await post(3, "Pembelian barang dagangan", [Line("1-1400", cost), Line("2-1300", 0, cost)])
        await post(10, "Pelunasan utang pemasok", [Line("2-1300", cost), Line("1-1200", 0, cost)])
        await post(
            28,
            "Penjualan toko bulan ini",
            [
                Line("1-1100", members_sales + others_sales),
                Line("4-1200", 0, members_sales),
                Line("4-2100", 0, others_sales),
                Line("5-1100", cost),
                Line("1-1400", 0, cost),
            ],
        )
        await post(
            29,
            "Setor kas toko ke bank",
            [Line("1-1200", members_sales), Line("1-1100", 0, members_sales)],
        )
    if lending:
        interest = 1_800_000 * scale
        await post(
            25,
            "Jasa pinjaman anggota diterima",
            [Line("1-1100", interest), Line("4-1100", 0, interest)],
        )
        await post(
            26, "Angsuran utang bank", [Line("2-1400", 1_000_000), Line("1-1200", 0, 1_000_000)]
        )
    if not shop and not lending:
        fees = 2_500_000 * scale
        await post(27, "Pendapatan jasa layanan", [Line("1-1100", fees), Line("4-3100", 0, fees)])
    wages = 1_500_000 * scale
    await post(1, "Honor karyawan dan listrik", [Line("5-2100", wages), Line("1-1100", 0, wages)])
    await post(
        30,
        "Penyusutan aset tetap",
        [Line("5-4100", 500_000), Line("1-2190", 0, 500_000)],
    )
    return posted


async def load_demo_books(today: date) -> int:
    """Post the demo year into every demo koperasi without entries; returns how many
    journal entries were posted."""
    months = _months(today)
    opening_day = months[0] - timedelta(days=1)
    kinds = {k.slug: k for k in data.KOPERASI}
    rows = await Koperasi.select(Koperasi.id, Koperasi.slug).where(Koperasi.slug.is_in(list(kinds)))
    before = await JournalEntry.count()
    for index, row in enumerate(sorted(rows, key=lambda r: r["slug"])):
        k = row["id"]
        if await JournalEntry.exists().where(JournalEntry.koperasi == k):
            continue
        await ensure_chart(k)
        demo = kinds[row["slug"]]
        lending = demo.kind in ("ksp", "ksu")
        await _opening(k, index, demo.has_shop, lending, opening_day)
        await _savings(k, months, today)
        for month in months:
            await _business(k, index, demo.has_shop, lending, month, today)
        # Books are closed up to the month before last.
        await close_period(k, period_of(months[-3]))
    return int(await JournalEntry.count()) - int(before)
