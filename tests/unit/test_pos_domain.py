"""The POS sale rules without a database: re-pricing, discount limits, totals, payment,
receipt numbers, journal lines and the shift's cash difference."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.ledger.domain import validate_lines
from backend.pos.domain import (
    CatalogItem,
    LineIn,
    PaymentMethod,
    Rejected,
    SaleAccounts,
    SaleIn,
    business_day,
    cash_difference_lines,
    check_receipt,
    payload_hash,
    price_sale,
    sale_lines,
)

CATALOG = {
    1: CatalogItem(1, "BRS-5", "Beras 5 kg", 72_000, 70_000, 63_000, True),
    2: CatalogItem(2, "PLS-10", "Pulsa 10 ribu", 11_500, None, 10_200, False),
    3: CatalogItem(3, "OLD", "Barang lama", 1_000, None, 500, True, active=False),
}


def sale(
    *lines: LineIn, total: int, method: PaymentMethod = PaymentMethod.TUNAI, **kw: object
) -> SaleIn:
    values: dict[str, object] = {
        "receipt_number": "T01-1-000001",
        "device_seq": 1,
        "sold_at": datetime(2026, 11, 28, 20, 0, tzinfo=UTC),
        "shift_id": None,
        "member_number": None,
        "method": method,
        "cash_given": None,
        "lines": list(lines),
        "total": total,
    }
    values.update(kw)
    return SaleIn(**values)  # type: ignore[arg-type]


def refused(code: str, *args: object, **kwargs: object) -> None:
    with pytest.raises(Rejected) as caught:
        price_sale(*args, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_member_price_and_change() -> None:
    s = sale(LineIn(1, 2, 70_000), LineIn(2, 1, 11_500), total=151_500, cash_given=200_000)
    priced = price_sale(s, CATALOG, member=True, max_discount_percent=0)
    assert (priced.subtotal, priced.discount, priced.total, priced.change) == (
        151_500,
        0,
        151_500,
        48_500,
    )
    assert priced.cost == 2 * 63_000  # the pulsa keeps no stock
    # The same lines for a non-member are priced differently: tampering or a stale price.
    refused("price_mismatch", s, CATALOG, member=False, max_discount_percent=0)


def test_discounts_within_the_limit() -> None:
    ok = sale(LineIn(1, 1, 72_000, discount=3_600), total=68_400)
    assert price_sale(ok, CATALOG, member=False, max_discount_percent=5).total == 68_400
    refused("discount_over_limit", ok, CATALOG, member=False, max_discount_percent=4)
    over = sale(LineIn(1, 1, 72_000, discount=72_001), total=-1)
    refused("discount_invalid", over, CATALOG, member=False, max_discount_percent=100)


@pytest.mark.parametrize(
    ("lines", "total", "code"),
    [
        ([], 0, "sale_empty"),
        ([LineIn(9, 1, 1_000)], 1_000, "unknown_product"),
        ([LineIn(3, 1, 1_000)], 1_000, "unknown_product"),
        ([LineIn(1, 0, 72_000)], 0, "quantity_invalid"),
        ([LineIn(1, -2, 72_000)], -144_000, "quantity_invalid"),
        ([LineIn(1, 1, 1)], 1, "price_mismatch"),
        ([LineIn(1, 1, 72_000)], 70_000, "total_mismatch"),
    ],
)
def test_refused_lines(lines: list[LineIn], total: int, code: str) -> None:
    refused(code, sale(*lines, total=total), CATALOG, member=False, max_discount_percent=10)


def test_payments() -> None:
    line = LineIn(1, 1, 72_000)
    refused(
        "cash_short",
        sale(line, total=72_000, cash_given=50_000),
        CATALOG,
        member=False,
        max_discount_percent=0,
    )
    credit = sale(line, total=72_000, method=PaymentMethod.KREDIT)
    refused("credit_needs_member", credit, CATALOG, member=False, max_discount_percent=0)
    qris = sale(line, total=72_000, method=PaymentMethod.QRIS, cash_given=100_000)
    refused("cash_not_expected", qris, CATALOG, member=False, max_discount_percent=0)


def test_journal_lines_balance_by_payment() -> None:
    accounts = SaleAccounts()
    s = sale(LineIn(1, 1, 70_000), LineIn(2, 2, 11_500), total=93_000, method=PaymentMethod.KREDIT)
    priced = price_sale(s, CATALOG, member=True, max_discount_percent=0)
    lines = sale_lines(priced, PaymentMethod.KREDIT, True, accounts)
    validate_lines(lines)
    assert [(line.account_code, line.debit, line.credit) for line in lines] == [
        ("1-1310", 93_000, 0),
        ("4-1200", 0, 93_000),
        ("5-1100", 63_000, 0),
        ("1-1400", 0, 63_000),
    ]
    cash = price_sale(
        sale(LineIn(2, 1, 11_500), total=11_500), CATALOG, member=False, max_discount_percent=0
    )
    assert [
        (line.account_code, line.debit)
        for line in sale_lines(cash, PaymentMethod.TUNAI, False, accounts)
    ] == [
        ("1-1100", 11_500),
        ("4-2100", 0),
    ]


@given(
    quantities=st.lists(st.integers(1, 50), min_size=1, max_size=6),
    member=st.booleans(),
    percent=st.integers(0, 100),
)
def test_any_accepted_sale_posts_a_balanced_entry(
    quantities: list[int], member: bool, percent: int
) -> None:
    lines = []
    for i, quantity in enumerate(quantities):
        item = CATALOG[1 + i % 2]
        price = item.price_for(member)
        lines.append(
            LineIn(item.product_id, quantity, price, discount=price * quantity * percent // 100)
        )
    total = sum(line.unit_price * line.quantity - line.discount for line in lines)
    priced = price_sale(
        sale(*lines, total=total), CATALOG, member=member, max_discount_percent=percent
    )
    assert priced.total == total >= 0
    entry = sale_lines(priced, PaymentMethod.TUNAI, member, SaleAccounts())
    if entry:
        validate_lines(entry)


def test_receipt_numbers_name_the_device_and_sequence() -> None:
    check_receipt("T01-2-000123", "T01-2", 123)
    for number, device, seq in [
        ("T01-2-000123", "T01-1", 123),
        ("T01-2-000123", "T01-2", 124),
        ("T01-2-12", "T01-2", 12),
        ("t01-2-000001", "t01-2", 1),
    ]:
        with pytest.raises(Rejected):
            check_receipt(number, device, seq)


def test_cash_difference_and_business_day() -> None:
    accounts = SaleAccounts()
    assert cash_difference_lines(100, 100, accounts, "5-2100", "4-3100") == []
    short = cash_difference_lines(100_000, 98_000, accounts, "5-2100", "4-3100")
    assert [(line.account_code, line.debit, line.credit) for line in short] == [
        ("5-2100", 2_000, 0),
        ("1-1100", 0, 2_000),
    ]
    over = cash_difference_lines(100_000, 100_500, accounts, "5-2100", "4-3100")
    validate_lines(over)
    # 20:00 UTC on the 28th is 03:00 WIB on the 29th: the sale belongs to the 29th.
    assert business_day(datetime(2026, 11, 28, 20, 0, tzinfo=UTC)).day == 29
    assert payload_hash("sale", {"a": 1, "b": 2}) == payload_hash("sale", {"b": 2, "a": 1})
    assert payload_hash("sale", {"a": 1}) != payload_hash("sale", {"a": 2})
