"""Loan schedules against cases worked out by hand (the arithmetic is in the comments), odd
terms, half-up rounding, the last installment absorbing every remainder, due dates clamped
to the month's end, and Hypothesis: any schedule sums to the principal plus the method's
exact interest rounded once."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from backend.errors import AppError
from backend.loans.domain import (
    Installment,
    Method,
    add_months,
    annuity_payment,
    due_dates,
    exact_total_interest,
    first_due_date,
    loan_code,
    payment_code,
    schedule,
    to_rupiah,
)


def parts(rows: list[Installment]) -> list[tuple[int, int, int, int]]:
    return [(r.principal, r.interest, r.total, r.balance_after) for r in rows]


def test_flat_seven_months() -> None:
    # P = 1.000.000, 1,5% a month, 7 months.
    # principal part: 1.000.000 / 7 = 142.857,142… -> 142.857; six of them = 857.142,
    #   the last = 1.000.000 - 857.142 = 142.858.
    # interest: 1.000.000 x 1,5% = 15.000 a month; exact total 15.000 x 7 = 105.000.
    rows = schedule(1_000_000, Method.FLAT, 150, 7, date(2026, 2, 10))
    assert parts(rows) == [
        (142_857, 15_000, 157_857, 857_143),
        (142_857, 15_000, 157_857, 714_286),
        (142_857, 15_000, 157_857, 571_429),
        (142_857, 15_000, 157_857, 428_572),
        (142_857, 15_000, 157_857, 285_715),
        (142_857, 15_000, 157_857, 142_858),
        (142_858, 15_000, 157_858, 0),
    ]
    assert sum(r.total for r in rows) == 1_105_000


def test_flat_eleven_months_with_rounding_in_both_parts() -> None:
    # P = 1.234.567, 1,25% a month, 11 months.
    # principal: 1.234.567 / 11 = 112.233,36… -> 112.233; ten = 1.122.330; last 112.237.
    # interest: 1.234.567 x 0,0125 = 15.432,0875 -> 15.432 a month; exact total
    #   15.432,0875 x 11 = 169.752,9625 -> 169.753; ten x 15.432 = 154.320; last 15.433.
    rows = schedule(1_234_567, Method.FLAT, 125, 11, date(2026, 2, 10))
    assert [r.principal for r in rows] == [112_233] * 10 + [112_237]
    assert [r.interest for r in rows] == [15_432] * 10 + [15_433]
    assert rows[-1].total == 127_670 and rows[0].total == 127_665
    assert sum(r.interest for r in rows) == 169_753


def test_rounding_is_half_up_not_to_even() -> None:
    # P = 1.000.300 x 1,5% = 15.004,5 -> 15.005 (half up; banker's rounding would say 15.004).
    # exact total 15.004,5 x 3 = 45.013,5 -> 45.014; last interest 45.014 - 2 x 15.005 = 15.004.
    # principal 1.000.300 / 3 = 333.433,33 -> 333.433 twice, last 333.434.
    rows = schedule(1_000_300, Method.FLAT, 150, 3, date(2026, 2, 10))
    assert [r.interest for r in rows] == [15_005, 15_005, 15_004]
    assert [r.principal for r in rows] == [333_433, 333_433, 333_434]
    assert to_rupiah(Decimal("2.5")) == 3 and to_rupiah(Decimal("-2.5")) == -3


def test_declining_four_months_without_rounding() -> None:
    # P = 1.200.000, 2% a month, 4 months: principal 300.000 each; interest on what is owed
    # before each installment: 1.200.000, 900.000, 600.000, 300.000 x 2% = 24.000, 18.000,
    # 12.000, 6.000; exact total 1.200.000 x 2% x (4 + 1) / 2 = 60.000.
    rows = schedule(1_200_000, Method.MENURUN, 200, 4, date(2026, 2, 10))
    assert parts(rows) == [
        (300_000, 24_000, 324_000, 900_000),
        (300_000, 18_000, 318_000, 600_000),
        (300_000, 12_000, 312_000, 300_000),
        (300_000, 6_000, 306_000, 0),
    ]


def test_declining_seven_months() -> None:
    # P = 1.000.000, 1,5%, 7 months; principal 142.857 (x6) and 142.858.
    # owed before: 1.000.000 -> 15.000; 857.143 -> 12.857,145 -> 12.857;
    #   714.286 -> 10.714,29 -> 10.714; 571.429 -> 8.571,435 -> 8.571;
    #   428.572 -> 6.428,58 -> 6.429; 285.715 -> 4.285,725 -> 4.286.
    # exact total 1.000.000 x 1,5% x 8 / 2 = 60.000; six = 57.857; last 2.143.
    rows = schedule(1_000_000, Method.MENURUN, 150, 7, date(2026, 2, 10))
    assert [r.interest for r in rows] == [15_000, 12_857, 10_714, 8_571, 6_429, 4_286, 2_143]
    assert [r.principal for r in rows] == [142_857] * 6 + [142_858]
    assert rows[-1].total == 145_001


def test_declining_eleven_months() -> None:
    # P = 1.234.567, 1,25%, 11 months; principal 112.233 (x10) and 112.237.
    # interest on 1.234.567, 1.122.334, 1.010.101, 897.868, 785.635, 673.402, 561.169,
    #   448.936, 336.703, 224.470 x 1,25% = 15.432,09 | 14.029,18 | 12.626,26 | 11.223,35 |
    #   9.820,44 | 8.417,525 | 7.014,61 | 5.611,70 | 4.208,79 | 2.805,88, each half up.
    # exact total 1.234.567 x 1,25% x 12 / 2 = 92.592,525 -> 92.593; the ten = 91.190;
    #   last 1.403.
    rows = schedule(1_234_567, Method.MENURUN, 125, 11, date(2026, 2, 10))
    assert [r.interest for r in rows] == [
        15_432, 14_029, 12_626, 11_223, 9_820, 8_418, 7_015, 5_612, 4_209, 2_806, 1_403
    ]  # fmt: skip
    assert sum(r.interest for r in rows) == 92_593


def test_annuity_three_months() -> None:
    # P = 2.000.000, 2%, 3 months: A = 2.000.000 x 0,02 / (1 - 1,02^-3)
    #   = 40.000 / 0,05767764… = 693.509,345… -> 693.509.
    # 1: interest 2.000.000 x 2% = 40.000; principal 653.509; owed 1.346.491.
    # 2: interest 1.346.491 x 2% = 26.929,82 -> 26.930; principal 666.579; owed 679.912.
    # 3: principal 679.912; exact total 3 x 693.509,345… - 2.000.000 = 80.528,036 -> 80.528;
    #   interest 80.528 - 66.930 = 13.598; total 693.510.
    assert to_rupiah(annuity_payment(2_000_000, 200, 3)) == 693_509
    rows = schedule(2_000_000, Method.ANUITAS, 200, 3, date(2026, 2, 10))
    assert parts(rows) == [
        (653_509, 40_000, 693_509, 1_346_491),
        (666_579, 26_930, 693_509, 679_912),
        (679_912, 13_598, 693_510, 0),
    ]


def test_annuity_seven_months() -> None:
    # P = 1.000.000, 1,5%, 7 months: 1,015^7 = 1,10984491…; 1 - 1/1,10984491 = 0,09897321;
    # A = 15.000 / 0,09897321 = 151.556,16 -> 151.556. Interest on what is owed, half up:
    # 15.000; 863.444 -> 12.951,66 -> 12.952; 724.840 -> 10.872,6 -> 10.873;
    # 584.157 -> 8.762,355 -> 8.762; 441.363 -> 6.620,445 -> 6.620; 296.427 -> 4.446,405 ->
    # 4.446. Exact total 7 x 151.556,1645 - 1.000.000 = 60.893,15 -> 60.893; the six sum to
    # 58.653, so the last pays 2.240 interest and the 149.317 still owed: 151.557.
    rows = schedule(1_000_000, Method.ANUITAS, 150, 7, date(2026, 2, 10))
    assert [r.interest for r in rows] == [15_000, 12_952, 10_873, 8_762, 6_620, 4_446, 2_240]
    assert [r.total for r in rows] == [151_556] * 6 + [151_557]
    assert rows[-1].principal == 149_317


def test_no_interest_and_a_single_month() -> None:
    rows = schedule(1_000_000, Method.ANUITAS, 0, 3, date(2026, 2, 10))
    assert [r.total for r in rows] == [333_333, 333_333, 333_334]
    one = schedule(500_000, Method.FLAT, 200, 1, date(2026, 2, 10))
    assert parts(one) == [(500_000, 10_000, 510_000, 0)]


def test_due_dates_keep_the_anchor_day() -> None:
    assert due_dates(date(2026, 1, 31), 4) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert due_dates(date(2028, 1, 31), 2) == [date(2028, 1, 31), date(2028, 2, 29)]  # leap
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    # A loan paid out on 31 January: first due 28 February, then back on the 31st.
    first = first_due_date(date(2026, 1, 31))
    assert first == date(2026, 2, 28)
    rows = schedule(600_000, Method.FLAT, 100, 3, first, anchor_day=31)
    assert [r.due_date for r in rows] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert due_dates(date(2026, 12, 15), 2) == [date(2026, 12, 15), date(2027, 1, 15)]


def test_refusals_and_codes() -> None:
    for args, code in [
        ((0, Method.FLAT, 100, 3), "amount_invalid"),
        ((1_000_000, Method.FLAT, 100, 0), "term_invalid"),
        ((1_000_000, Method.FLAT, 100, 121), "term_invalid"),
        ((1_000_000, Method.FLAT, 1_001, 3), "rate_invalid"),
        # 105.000 at 0,01% for 120 months: 10,5 a month rounds to 11; the last month
        # would have to pay back interest it never charged.
        ((105_000, Method.FLAT, 1, 120), "schedule_not_representable"),
    ]:
        with pytest.raises(AppError) as error:
            schedule(*args, date(2026, 1, 1))  # type: ignore[arg-type]
        assert error.value.code == code
    assert loan_code(7) == "P-000007" and payment_code(12) == "PA-000012"


@given(
    principal=st.integers(100_000, 10**10),
    method=st.sampled_from(list(Method)),
    rate=st.integers(0, 500),
    term=st.integers(1, 120),
    start=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
)
def test_any_schedule_sums_exactly(
    principal: int, method: Method, rate: int, term: int, start: date
) -> None:
    try:
        rows = schedule(principal, method, rate, term, start)
    except AppError as error:
        assert error.code == "schedule_not_representable"
        assume(False)
    assert len(rows) == term
    assert sum(r.principal for r in rows) == principal
    exact = exact_total_interest(principal, method, rate, term)
    assert sum(r.interest for r in rows) == to_rupiah(exact)
    assert all(r.principal >= 0 and r.interest >= 0 for r in rows)
    assert all(r.total == r.principal + r.interest for r in rows)
    assert rows[-1].balance_after == 0
    assert [r.number for r in rows] == list(range(1, term + 1))
    assert all(a.due_date < b.due_date for a, b in itertools.pairwise(rows))
    if method is Method.ANUITAS:
        payment = to_rupiah(annuity_payment(principal, rate, term))
        assert all(r.total == payment for r in rows[:-1])
    if method is Method.FLAT and term > 1:
        assert len({r.interest for r in rows[:-1]}) == 1


@given(
    principal=st.integers(10_000_000, 10**10),
    method=st.sampled_from(list(Method)),
    rate=st.integers(25, 1_000),
    term=st.integers(1, 120),
)
def test_ordinary_loans_are_always_representable(
    principal: int, method: Method, rate: int, term: int
) -> None:
    # From Rp 10 juta at 0,25% a month or more no installment can go negative: the last
    # one's exact interest is at least r x P / n >= 0,0025 x 10.000.000 / 120 = 208, more
    # than the at most 119 x 0,5 = 59,5 the other installments' rounding can take from it
    # (plus r x n^2 / 4 of drift from rounded principal parts, under r x P / n here).
    rows = schedule(principal, method, rate, term, date(2026, 1, 1))
    assert min(min(r.principal, r.interest) for r in rows) >= 0
