"""Hypothesis through the loans service on both engines: for any loan (method, rate, term,
penalty) and any sequence of payments (some too large, some reversed, perhaps a payoff),
the principal still owed never goes below zero, paid + outstanding = principal, the books
stay balanced, the receivable account holds exactly the principal still owed and the
interest income exactly the interest paid. Each example gets a koperasi of its own (every
query is scoped by koperasi), in the test's database."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Iterator
from datetime import date, timedelta
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.db import close_engine, make_engine, use_engine
from backend.errors import AppError
from backend.ledger import service as ledger
from backend.loans import service as loans
from backend.loans.domain import LoanStatus, Method, ProductTerms
from backend.members.tables import Member
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region

T = TypeVar("T")
_counter = itertools.count()
START = date(2026, 1, 15)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 75), st.integers(1, 1_000)),  # per mille
        st.tuples(st.just("overpay"), st.integers(0, 10), st.just(0)),
        st.tuples(st.just("reverse"), st.integers(0, 5), st.just(0)),
        st.tuples(st.just("payoff"), st.integers(0, 40), st.just(0)),
    ),
    max_size=8,
)


class World:
    loop: asyncio.AbstractEventLoop
    region_id: int

    @classmethod
    def run(cls, awaitable: Awaitable[T]) -> T:
        return cls.loop.run_until_complete(awaitable)


async def _new_koperasi(region_id: int) -> int:
    n = next(_counter)
    created = await Koperasi.insert(
        Koperasi(region=region_id, slug=f"ksp-uji-{n}", name=f"KSP Uji {n}", kind="ksp")
    ).returning(Koperasi.id)
    k = int(created[0]["id"])
    await ledger.ensure_chart(k)
    await Member.insert(
        Member(
            koperasi=k,
            member_number="A-0001",
            full_name="Anggota Uji",
            nik="3576014101900001",
            joined_on=date(2020, 1, 1),
        )
    )
    return k


async def _check(k: int, principal: int) -> tuple[int, LoanStatus]:
    detail = await loans.loan_detail(k, 1, START + timedelta(days=400))
    outstanding = principal - detail.principal_paid
    assert 0 <= detail.principal_paid <= principal
    assert detail.loan.outstanding == (0 if detail.loan.status is LoanStatus.LUNAS else outstanding)
    live = [p for p in detail.payments if not p.reversed]
    assert sum(p.principal for p in live) == detail.principal_paid
    assert sum(p.interest for p in live) == detail.interest_paid
    balances = await ledger.trial_balance(k)
    assert sum(b.debit for b in balances) == sum(b.credit for b in balances)
    held = {b.code: b.balance for b in balances}
    assert held["1-1300"] == outstanding
    assert held["4-1100"] == detail.interest_paid
    assert held["4-1120"] == detail.penalty_paid
    assert held["1-1100"] == -detail.net_disbursed + sum(p.amount for p in live)
    paid = await loans.interest_paid_by_member(k, START, START + timedelta(days=400))
    assert sum(paid.values()) == detail.interest_paid
    return outstanding, detail.loan.status


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    method=st.sampled_from(list(Method)),
    principal=st.integers(500_000, 50_000_000),
    rate=st.integers(0, 300),
    term=st.integers(1, 24),
    penalty=st.integers(0, 50),
    plan=steps,
)
def test_any_payments_through_the_service(
    loop_and_region: tuple[asyncio.AbstractEventLoop, int],
    method: Method,
    principal: int,
    rate: int,
    term: int,
    penalty: int,
    plan: list[tuple[str, int, int]],
) -> None:
    World.loop, region = loop_and_region
    k = World.run(_new_koperasi(region))
    terms = ProductTerms(
        name="Pinjaman Uji",
        method=method,
        monthly_rate_bp=rate,
        min_term_months=1,
        max_term_months=120,
        provisi_bp=100,
        admin_fee=10_000,
        penalty_bp_per_day=penalty,
        min_amount=100_000,
        max_amount=10**11,
        savings_multiple_bp=0,
    )
    product = World.run(loans.create_product(k, terms))
    World.run(loans.apply(k, "A-0001", product.id, principal, term, START))
    World.run(loans.approve(k, 1, START))
    World.run(loans.disburse(k, 1, START))
    on = START
    receipts: list[int] = []
    for action, days, per_mille in plan:
        on += timedelta(days=days)
        outstanding, status = World.run(_check(k, principal))
        if status is not LoanStatus.DICAIRKAN:
            break
        if action == "reverse":
            if receipts:
                World.run(loans.reverse_payment(k, 1, receipts.pop(), on, "Salah catat"))
            continue
        if action == "payoff":
            receipt = World.run(loans.pay(k, 1, 0, on, kind="pelunasan"))
            assert receipt.plan.settles and receipt.plan.outstanding_after == 0
            receipts.append(receipt.receipt_number)
            continue
        quote = World.run(loans.plan_payment(k, 1, 1, on))
        owed = quote.owed_before
        if action == "overpay":
            with pytest.raises(AppError) as error:
                World.run(loans.pay(k, 1, owed + 1 + days, on))
            assert error.value.code == "overpayment"
            continue
        amount = max(1, owed * per_mille // 1_000)
        receipt = World.run(loans.pay(k, 1, amount, on))
        assert receipt.plan.amount == amount
        assert receipt.plan.outstanding_after == outstanding - receipt.plan.principal >= 0
        receipts.append(receipt.receipt_number)
    outstanding, status = World.run(_check(k, principal))
    # Nothing owed is exactly when the loan has ended (interest is paid before principal).
    assert (status is LoanStatus.LUNAS) == (outstanding == 0)


@pytest.fixture
def loop_and_region(migrated: Settings) -> Iterator[tuple[asyncio.AbstractEventLoop, int]]:
    loop = asyncio.new_event_loop()
    engine = make_engine(migrated)

    async def start() -> int:
        use_engine(engine)
        if migrated.is_postgres:
            await engine.start_connection_pool(min_size=1, max_size=4)  # type: ignore[attr-defined]
        region = await Region.insert(
            Region(slug="wilayah-pinjaman", name="Wilayah Pinjaman", dinas_name="Dinas Uji")
        ).returning(Region.id)
        return int(region[0]["id"])

    try:
        yield loop, loop.run_until_complete(start())
    finally:
        loop.run_until_complete(close_engine(engine))
        loop.close()


pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
