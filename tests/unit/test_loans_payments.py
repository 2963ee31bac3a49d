"""Paying a loan back (pure rules): the split order (penalty -> interest -> principal, oldest
installment first), the late penalty by days, the early payoff waiving future interest,
refusals, fees and the savings limit; Hypothesis: any sequence of payments keeps the
balance at or above zero and paid + outstanding = principal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backend.errors import AppError
from backend.loans.domain import (
    LoanState,
    Method,
    ProductTerms,
    allocate,
    check_application,
    check_product,
    days_past_due,
    due_by,
    fees_of,
    first_due_date,
    payoff,
    penalty_due,
    penalty_if_paid,
    savings_limit,
    schedule,
    state_of,
)

DISBURSED = date(2026, 1, 10)


def loan(penalty_bp: int = 10) -> LoanState:
    # Flat, Rp 1.200.000 at 1% a month for 3 months, paid out 10 January: installments of
    # 400.000 principal + 12.000 interest = 412.000 due 10 February, 10 March, 10 April.
    rows = schedule(1_200_000, Method.FLAT, 100, 3, first_due_date(DISBURSED))
    assert [r.total for r in rows] == [412_000] * 3
    return state_of(1_200_000, penalty_bp, rows)


def refused(code: str, call: object, *args: object) -> AppError:
    with pytest.raises(AppError) as error:
        call(*args)  # type: ignore[operator]
    assert error.value.code == code
    return error.value


def test_on_time_then_late_then_overpaying() -> None:
    state = loan()
    # 10 Feb, on time: no penalty; installment 1's interest, then its principal.
    first = allocate(state, 412_000, date(2026, 2, 10), DISBURSED)
    assert (first.penalty, first.interest, first.principal) == (0, 12_000, 400_000)
    assert [(s.installment_number, s.interest, s.principal) for s in first.lines] == [
        (1, 12_000, 400_000)
    ]
    # 20 March, 10 days after installment 2 fell due: penalty 412.000 x 0,1% x 10 = 4.120;
    # then its interest 12.000, then principal 100.000 - 16.120 = 83.880.
    second = allocate(first.after, 100_000, date(2026, 3, 20), DISBURSED)
    assert (second.penalty, second.interest, second.principal) == (4_120, 12_000, 83_880)
    assert second.penalty_charged == 4_120
    assert second.after.installments[1].unpaid == 316_120
    # 15 April: installment 2 late since the last payment (20 March): 26 days on 316.120
    # -> 8.219,12 -> 8.219; installment 3 due 10 April: 5 days on 412.000 -> 2.060.
    on = date(2026, 4, 15)
    assert penalty_due(second.after, on) == {2: 8_219, 3: 2_060}
    assert penalty_if_paid(second.after, on) == 10_279
    owed = 8_219 + 2_060 + 316_120 + 12_000 + 400_000
    assert due_by(second.after, on) == owed == 738_399
    error = refused("overpayment", allocate, second.after, owed + 1, on, DISBURSED)
    assert error.details[0]["owed"] == owed
    last = allocate(second.after, owed, on, DISBURSED)
    assert last.settles and last.after.settled and last.after.outstanding_principal == 0
    assert last.after.principal_paid == 1_200_000


def test_split_goes_oldest_installment_first() -> None:
    # 20 March with nothing paid: installment 1 is 38 days late (412.000 x 0,1% x 38 =
    # 15.656), installment 2 is 10 days late (4.120). 420.000 pays installment 1's penalty
    # 15.656, interest 12.000 and 392.344 of its principal; nothing reaches installment 2,
    # whose penalty stays charged and owed.
    result = allocate(loan(), 420_000, date(2026, 3, 20), DISBURSED)
    assert [
        (s.installment_number, s.penalty_charged, s.penalty, s.interest, s.principal)
        for s in result.lines
    ] == [(1, 15_656, 15_656, 12_000, 392_344), (2, 4_120, 0, 0, 0)]
    assert result.after.unpaid_penalty == 4_120
    assert result.after.installments[0].unpaid == 7_656
    assert days_past_due(result.after, date(2026, 3, 20)) == 38
    assert result.after.next_due() is not None
    assert result.after.next_due().number == 1  # type: ignore[union-attr]


def test_paying_ahead_and_days_past_due() -> None:
    state = loan(penalty_bp=0)
    ahead = allocate(state, 500_000, date(2026, 1, 20), DISBURSED)  # before anything is due
    assert [(s.installment_number, s.interest, s.principal) for s in ahead.lines] == [
        (1, 12_000, 400_000),
        (2, 12_000, 76_000),
    ]
    assert days_past_due(ahead.after, date(2026, 3, 10)) == 0  # due that day: not late yet
    assert days_past_due(ahead.after, date(2026, 3, 11)) == 1
    assert penalty_due(ahead.after, date(2026, 5, 1)) == {}  # the product charges none


def test_payoff_waives_future_interest() -> None:
    first = allocate(loan(), 412_000, date(2026, 2, 10), DISBURSED)
    # 15 Feb: nothing late, no installment due since: the two future interests (24.000)
    # are waived; the member pays the 800.000 principal still owed.
    quote = payoff(first.after, date(2026, 2, 15), DISBURSED)
    assert (quote.amount, quote.penalty, quote.interest, quote.principal) == (
        800_000,
        0,
        0,
        800_000,
    )
    assert quote.waived_interest == 24_000 and quote.settles
    # On 12 March installment 2 is due (2 days late, 824 penalty): its interest is owed.
    late = payoff(first.after, date(2026, 3, 12), DISBURSED)
    assert (late.penalty, late.interest, late.principal, late.waived_interest) == (
        824,
        12_000,
        800_000,
        12_000,
    )
    assert late.settles
    refused("nothing_owed", payoff, late.after, date(2026, 3, 13), DISBURSED)


def test_refused_payments() -> None:
    state = loan()
    for amount in (0, -5, True):
        refused("amount_invalid", allocate, state, amount, date(2026, 2, 1), DISBURSED)
    refused("payment_before_disbursement", allocate, state, 1, date(2026, 1, 9), DISBURSED)
    paid = allocate(state, 1_000, date(2026, 2, 1), DISBURSED).after
    refused("payment_before_last", allocate, paid, 1_000, date(2026, 1, 31), DISBURSED)


PRODUCT = ProductTerms(
    name="  Pinjaman   Umum ",
    method=Method.FLAT,
    monthly_rate_bp=150,
    min_term_months=3,
    max_term_months=24,
    provisi_bp=100,
    admin_fee=25_000,
    penalty_bp_per_day=10,
    min_amount=500_000,
    max_amount=20_000_000,
    savings_multiple_bp=30_000,
)


def test_fees_limit_and_application_rules() -> None:
    assert check_product(PRODUCT).name == "Pinjaman Umum"
    # provisi 1% of 2.000.000 = 20.000; plus administrasi 25.000.
    fees = fees_of(2_000_000, 100, 25_000)
    assert (fees.provisi, fees.administrasi, fees.total) == (20_000, 25_000, 45_000)
    assert fees_of(1_234_550, 100, 0).provisi == 12_346  # 12.345,5 half up
    assert savings_limit(1_000_001, 30_000) == 3_000_003
    assert savings_limit(333, 25_000) == 832  # 832,5 rounded down: a ceiling
    assert savings_limit(5_000_000, 0) is None
    ok = dict(total_savings=1_000_000, other_open_principal=0)
    check_application(PRODUCT, 3_000_000, 12, **ok)
    for principal, term, extra, code in [
        (3_000_001, 12, ok, "over_limit"),
        (
            2_000_000,
            12,
            dict(total_savings=1_000_000, other_open_principal=1_000_001),
            "over_limit",
        ),
        (20_000_001, 12, dict(total_savings=10**9, other_open_principal=0), "over_limit"),
        (499_999, 12, ok, "amount_below_minimum"),
        (1_000_000, 2, ok, "term_out_of_range"),
        (1_000_000, 25, ok, "term_out_of_range"),
    ]:
        with pytest.raises(AppError) as error:
            check_application(PRODUCT, principal, term, **extra)  # type: ignore[arg-type]
        assert error.value.code == code
    error = refused(
        "over_limit",
        lambda: check_application(
            PRODUCT, 2_500_000, 12, total_savings=1_000_000, other_open_principal=1_000_000
        ),
    )
    assert error.details[0]["available"] == 2_000_000
    refused(
        "product_inactive",
        lambda: check_application(replace(PRODUCT, active=False), 1_000_000, 12, **ok),
    )
    for change, code in [
        ({"name": " "}, "product_name_invalid"),
        ({"min_term_months": 25}, "term_range_invalid"),
        ({"min_amount": 30_000_000}, "amount_range_invalid"),
        ({"monthly_rate_bp": 1_001}, "monthly_rate_bp_invalid"),
        ({"admin_fee": 500_000}, "fees_exceed_principal"),
        ({"savings_multiple_bp": -1}, "savings_multiple_bp_invalid"),
    ]:
        refused(code, check_product, replace(PRODUCT, **change))  # type: ignore[arg-type]


@st.composite
def loans_and_payments(draw: st.DrawFn) -> tuple[LoanState, list[tuple[int, int]]]:
    principal = draw(st.integers(100_000, 50_000_000))
    method = draw(st.sampled_from(list(Method)))
    rate = draw(st.integers(0, 500))
    term = draw(st.integers(1, 36))
    penalty = draw(st.integers(0, 100))
    try:
        rows = schedule(principal, method, rate, term, first_due_date(DISBURSED))
    except AppError:
        assume(False)
    payments = draw(st.lists(st.tuples(st.integers(0, 120), st.integers(1, 10**6)), max_size=15))
    return state_of(principal, penalty, rows), payments


@settings(max_examples=200, deadline=None)
@given(case=loans_and_payments(), payoff_at_end=st.booleans())
def test_any_payments_keep_the_loan_consistent(
    case: tuple[LoanState, list[tuple[int, int]]], payoff_at_end: bool
) -> None:
    state, payments = case
    on = DISBURSED
    for days, per_mille in payments:
        on += timedelta(days=days)
        charged = state.remaining + sum(penalty_due(state, on).values())
        if charged == 0:
            break
        amount = max(1, charged * per_mille // 10**6)
        result = allocate(state, amount, on, DISBURSED)
        assert result.amount == amount == result.penalty + result.interest + result.principal
        assert all(
            min(s.penalty, s.interest, s.principal, s.penalty_charged) >= 0 for s in result.lines
        )
        state = result.after
        assert state.outstanding_principal >= 0
        assert state.principal_paid + state.outstanding_principal == state.principal
        assert all(
            min(i.unpaid_principal, i.unpaid_interest, i.unpaid_penalty) >= 0
            for i in state.installments
        )
        assert state.remaining >= 0
    if payoff_at_end and not state.settled and state.outstanding_principal > 0:
        done = payoff(state, on, DISBURSED)
        assert done.settles and done.after.outstanding_principal == 0
        assert done.after.principal_paid == state.principal
    elif state.remaining > 0:
        everything = state.remaining + sum(penalty_due(state, on).values())
        done = allocate(state, everything, on, DISBURSED)
        assert done.after.settled and done.after.outstanding_principal == 0
