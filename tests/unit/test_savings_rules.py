"""Pure savings rules: arrears in months, the policy the books can keep, a leaving member's
refund entry, when a member may leave."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.errors import AppError
from backend.ledger.domain import Line, validate_lines
from backend.savings.domain import (
    Movement,
    SavingsKind,
    SavingsPolicy,
    check_exit,
    check_policy,
    exit_lines,
    months_behind,
    months_due,
    policy_changes,
    receipt_code,
    wajib_arrears,
)

TYPES = {
    "1-1100": "aset",
    "1-1200": "aset",
    "1-1390": "kontra",
    "2-1100": "kewajiban",
    "2-1300": "kewajiban",
    "2-1710": "kewajiban",
    "3-1100": "ekuitas",
    "3-1200": "ekuitas",
    "4-1100": "pendapatan",
}
POLICY = SavingsPolicy()
NONE: frozenset[SavingsKind] = frozenset()


def refused(code: str, *args: object) -> AppError:
    with pytest.raises(AppError) as error:
        check_policy(*args)  # type: ignore[arg-type]
    assert error.value.code == code
    return error.value


def test_receipt_codes_and_labels() -> None:
    assert receipt_code(12) == "S-000012" and receipt_code(1_234_567) == "S-1234567"
    assert Movement.SETOR.label == "Setoran" and Movement.TARIK.label == "Penarikan"


def test_months_behind_counts_a_part_month_as_one() -> None:
    assert months_behind(0, 25_000) == 0
    assert months_behind(-5, 25_000) == 0
    assert months_behind(50_000, 25_000) == 2
    assert months_behind(50_001, 25_000) == 3
    assert months_behind(1, 25_000) == 1
    assert months_behind(10_000, 0) == 0


@given(
    joined=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    today=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    paid=st.integers(0, 10_000_000),
    monthly=st.integers(1, 200_000),
)
def test_arrears_and_months_agree(joined: date, today: date, paid: int, monthly: int) -> None:
    owed = wajib_arrears(joined, today, paid, monthly)
    months = months_behind(owed, monthly)
    assert owed >= 0
    assert months <= months_due(joined, today)
    # Paying the months behind clears the arrears; one month less does not.
    assert wajib_arrears(joined, today, paid + months * monthly, monthly) == 0
    if months:
        assert wajib_arrears(joined, today, paid + (months - 1) * monthly, monthly) > 0


def test_a_policy_maps_savings_to_equity_or_liability_and_cash_to_an_asset() -> None:
    liability = replace(POLICY, pokok_account="2-1710", wajib_account="2-1300")
    check_policy(liability, POLICY, TYPES, NONE, frozenset())
    check_policy(replace(POLICY, cash_account="1-1200"), POLICY, TYPES, NONE, frozenset())
    error = refused(
        "account_not_found", replace(POLICY, pokok_account="9-9"), POLICY, TYPES, NONE, frozenset()
    )
    assert error.details[0]["field"] == "pokok_account"
    for bad in (
        replace(POLICY, wajib_account="1-1200"),
        replace(POLICY, sukarela_account="4-1100"),
        replace(POLICY, cash_account="2-1100"),
        replace(POLICY, cash_account="1-1390"),
    ):
        refused("account_type_invalid", bad, POLICY, TYPES, NONE, frozenset())
    for amounts in ({"pokok_amount": -1}, {"wajib_monthly": 10**13}):
        refused("amount_out_of_range", replace(POLICY, **amounts), POLICY, TYPES, NONE, frozenset())  # type: ignore[arg-type]
    refused("amount_invalid", replace(POLICY, pokok_amount=True), POLICY, TYPES, NONE, frozenset())


def test_an_account_with_movements_stays_amounts_and_cash_may_change() -> None:
    used = frozenset({SavingsKind.SUKARELA})
    error = refused(
        "savings_account_locked",
        replace(POLICY, sukarela_account="2-1710"),
        POLICY,
        TYPES,
        used,
        frozenset(),
    )
    assert error.status == 409 and error.details[0]["field"] == "sukarela_account"
    assert "saldo akun baru tidak akan sama" in error.message
    check_policy(
        replace(POLICY, pokok_account="2-1710", pokok_amount=250_000, cash_account="1-1200"),
        POLICY,
        TYPES,
        used,
        frozenset(),
    )
    # An account that holds other postings cannot become a savings account ...
    refused(
        "savings_account_in_use",
        replace(POLICY, wajib_account="2-1300"),
        POLICY,
        TYPES,
        NONE,
        frozenset({"2-1300"}),
    )
    # ... but one of the current savings accounts may take another kind too.
    check_policy(replace(POLICY, wajib_account="3-1100"), POLICY, TYPES, NONE, frozenset())


def test_policy_changes_for_the_audit_log() -> None:
    new = replace(POLICY, wajib_monthly=30_000, cash_account="1-1200")
    assert policy_changes(POLICY, new) == {
        "wajib_monthly": [25_000, 30_000],
        "cash_account": ["1-1100", "1-1200"],
    }
    assert policy_changes(POLICY, POLICY) == {}


def test_the_exit_entry_debits_each_savings_account_and_credits_cash() -> None:
    balances = {SavingsKind.POKOK: 100_000, SavingsKind.WAJIB: 0, SavingsKind.SUKARELA: 5_500}
    lines = exit_lines(balances, POLICY)
    assert lines == [
        Line("3-1100", debit=100_000, memo="Simpanan pokok"),
        Line("2-1100", debit=5_500, memo="Simpanan sukarela"),
        Line("1-1100", credit=105_500),
    ]
    validate_lines(lines)
    assert exit_lines(dict.fromkeys(SavingsKind, 0), POLICY) == []
    shared = replace(POLICY, wajib_account="3-1100")
    both = exit_lines({SavingsKind.POKOK: 1, SavingsKind.WAJIB: 2}, shared)
    validate_lines(both)
    assert both[-1] == Line("1-1100", credit=3)


def test_when_a_member_may_leave() -> None:
    joined = date(2020, 5, 1)
    check_exit("aktif", joined, date(2026, 1, 1), date(2025, 12, 31))
    check_exit("nonaktif", joined, joined, None)
    for status, day, last, code in (
        ("keluar", date(2026, 1, 1), None, "member_already_left"),
        ("aktif", date(2020, 4, 30), None, "exit_before_joining"),
        ("aktif", date(2025, 12, 30), date(2025, 12, 31), "exit_before_last_movement"),
    ):
        with pytest.raises(AppError) as error:
            check_exit(status, joined, day, last)
        assert error.value.code == code
    with pytest.raises(AppError) as error:
        check_exit("keluar", joined, date(2026, 1, 1), None)
    assert error.value.status == 409
