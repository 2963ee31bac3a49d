"""Catalog rules without a database: barcodes (EAN-13 check digit, UPC-A, EAN-8, in-store
codes), product fields, the discount limit, and the static QRIS payload's CRC."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.catalog.domain import (
    BarcodeKind,
    ProductFields,
    barcode_lookup_keys,
    check_discount_limit,
    check_product,
    crc16_ccitt,
    discount_allowed,
    gtin_check_digit,
    max_line_discount,
    parse_barcode,
    parse_tlv,
    product_changes,
    qris_crc,
    qris_with_amount,
    validate_product,
    validate_qris,
)
from backend.demo import data
from backend.errors import ValidationFailed
from backend.inventory.domain import (
    Payment,
    PurchaseLine,
    average_cost,
    check_adjustment,
    check_purchase,
    count_differences,
    is_low,
    oversold,
    purchase_lines,
    stock_value_lines,
)
from backend.ledger.domain import validate_lines


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def static_qris(name: str = "KOPWAN SRIKANDI", city: str = "MOJOKERTO") -> str:
    """A static QRIS shaped like a real sticker's, with a correct CRC."""
    merchant = tlv("00", "ID.CO.QRIS.WWW") + tlv("01", "936009140000000001") + tlv("03", "UMI")
    body = (
        tlv("00", "01")
        + tlv("01", "11")
        + tlv("26", merchant)
        + tlv("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID1026123456789"))
        + tlv("52", "5411")
        + tlv("53", "360")
        + tlv("58", "ID")
        + tlv("59", name)
        + tlv("60", city)
        + tlv("61", "61311")
        + "6304"
    )
    return body + qris_crc(body)


# --- barcodes ----------------------------------------------------------------------------------


def test_ean13_check_digit_of_published_examples() -> None:
    assert gtin_check_digit("400638133393") == 1  # GS1's 4006381333931
    assert gtin_check_digit("899999900001") == 1
    assert parse_barcode("4006381333931").kind is BarcodeKind.EAN13
    assert parse_barcode(" 4006381333931 ").code == "4006381333931"


def test_every_demo_barcode_is_valid() -> None:
    for index in range(1, len(data.PRODUCTS) + 1):
        assert parse_barcode(data.demo_barcode(index)).kind is BarcodeKind.EAN13


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("4006381333932", "barcode_check_digit"),  # last digit off by one
        ("89912345678", "barcode_length"),
        ("ABC123", "barcode_not_digits"),
        ("1234", "barcode_length"),  # short codes only in the in-store range 2…
        ("89999999000119", "barcode_length"),
    ],
)
def test_bad_barcodes_are_refused(text: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_barcode(text)
    assert refused.value.code == code
    assert refused.value.details[0]["field"] == "barcode"


def test_empty_upc_ean8_and_internal_codes() -> None:
    assert parse_barcode("").kind is BarcodeKind.NONE
    assert parse_barcode("   ").code == ""
    # UPC-A 036000291452 is EAN-13 0036000291452 (a scanner may give either).
    assert parse_barcode("036000291452") == parse_barcode("0036000291452")
    assert parse_barcode("036000291452").code == "0036000291452"
    assert parse_barcode("96385074").kind is BarcodeKind.EAN8
    # A shop's own code in the in-store range: short ones kept as typed; 13 digits need
    # a right check digit like any EAN-13.
    assert parse_barcode("2001").kind is BarcodeKind.INTERNAL
    assert parse_barcode("200000000017").kind in (BarcodeKind.EAN13, BarcodeKind.INTERNAL)
    assert parse_barcode("2000000000015").kind is BarcodeKind.EAN13
    with pytest.raises(ValidationFailed):
        parse_barcode("2000000000016")
    assert barcode_lookup_keys("036000291452") == ("036000291452", "0036000291452")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_twelve_digits_plus_check_digit_is_an_ean13(body: str) -> None:
    code = body + str(gtin_check_digit(body))
    assert parse_barcode(code).code == code
    wrong = body + str((gtin_check_digit(body) + 1) % 10)
    with pytest.raises(ValidationFailed):
        parse_barcode(wrong)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 11))
def test_one_wrong_digit_is_always_caught(body: str, position: int) -> None:
    code = body + str(gtin_check_digit(body))
    changed = str((int(code[position]) + 1) % 10)
    with pytest.raises(ValidationFailed):
        parse_barcode(code[:position] + changed + code[position + 1 :])


# --- products ----------------------------------------------------------------------------------


def product(**changes: object) -> ProductFields:
    values: dict[str, object] = {"sku": "gla-1kg", "name": " Gula  Pasir 1 kg ", "price": 18_000}
    values.update(changes)
    return ProductFields(**values)  # type: ignore[arg-type]


def test_product_is_cleaned() -> None:
    clean = validate_product(product(barcode="036000291452", unit=" ", member_price=0))
    assert clean.sku == "GLA-1KG"
    assert clean.name == "Gula Pasir 1 kg"
    assert clean.unit == "pcs"
    assert clean.barcode == "0036000291452"
    assert clean.member_price is None  # 0 means none


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"sku": ""}, "sku", "sku_required"),
        ({"sku": "GULA PASIR#1"}, "sku", "sku_invalid"),
        ({"sku": "X" * 41}, "sku", "sku_invalid"),
        ({"name": "  "}, "name", "name_required"),
        ({"price": 0}, "price", "price_required"),
        ({"member_price": 19_000}, "member_price", "member_price_above_price"),
        ({"cost_price": -1}, "cost_price", "cost_price_invalid"),
        ({"min_stock": -2}, "min_stock", "min_stock_invalid"),
        ({"barcode": "123"}, "barcode", "barcode_length"),
        ({"category": "k" * 61}, "category", "category_too_long"),
    ],
)
def test_product_problems(changes: dict[str, object], field: str, code: str) -> None:
    _, problems = check_product(product(**changes))
    assert [(p.field, p.code) for p in problems] == [(field, code)]
    with pytest.raises(ValidationFailed) as refused:
        validate_product(product(**changes))
    assert refused.value.code == code


def test_product_changes_lists_what_differs() -> None:
    old = validate_product(product())
    new = validate_product(product(price=19_000, active=False))
    assert product_changes(old, new) == {"price": [18_000, 19_000], "active": [True, False]}
    assert product_changes(old, old) == {}


# --- the discount limit ------------------------------------------------------------------------


def test_discount_limit_is_a_percentage() -> None:
    assert check_discount_limit(0) == 0
    assert check_discount_limit(100) == 100
    for bad in (-1, 101):
        with pytest.raises(ValidationFailed) as refused:
            check_discount_limit(bad)
        assert refused.value.code == "discount_limit_invalid"


def test_line_discount_within_the_limit() -> None:
    assert max_line_discount(15_700, 10) == 1_570
    assert max_line_discount(9_999, 10) == 999  # rounded down: never above the limit
    assert discount_allowed(15_700, 1_570, 10)
    assert not discount_allowed(15_700, 1_571, 10)
    assert not discount_allowed(15_700, 1, 0)  # no limit set: no discount
    assert not discount_allowed(15_700, -1, 10)
    assert discount_allowed(15_700, 15_700, 100)


@given(st.integers(0, 10**9), st.integers(0, 100))
def test_the_largest_discount_is_allowed_and_one_more_is_not(total: int, percent: int) -> None:
    largest = max_line_discount(total, percent)
    assert discount_allowed(total, largest, percent)
    assert not discount_allowed(total, largest + 1, percent)


# --- QRIS --------------------------------------------------------------------------------------


def test_crc16_ccitt_false_check_value() -> None:
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_a_static_qris_is_accepted() -> None:
    payload = static_qris()
    info = validate_qris("  " + payload + "\n")
    assert info is not None
    assert info.payload == payload
    assert (info.merchant_name, info.merchant_city) == ("KOPWAN SRIKANDI", "MOJOKERTO")
    assert validate_qris("") is None


def test_a_published_style_payload_round_trips() -> None:
    payload = static_qris("TOKO A", "KOTA")
    assert payload.endswith(qris_crc(payload[:-4]))
    assert parse_tlv(payload)[-1] == ("63", payload[-4:])


@pytest.mark.parametrize(
    ("mangle", "code"),
    [
        (lambda p: p[:-4] + ("0000" if p[-4:] != "0000" else "FFFF"), "qris_crc"),
        (lambda p: p.replace("KOPWAN", "KOPWAM"), "qris_crc"),  # one letter changed
        (lambda p: p[:-8], "qris_crc_missing"),  # the CRC cut off
        (lambda p: p[:-8] + "ABCD", "qris_format"),
        (lambda p: "hello", "qris_format"),
    ],
)
def test_damaged_qris_is_refused(mangle: object, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_qris(mangle(static_qris()))  # type: ignore[operator]
    assert refused.value.code == code


def test_a_dynamic_qris_is_not_the_static_one() -> None:
    dynamic = qris_with_amount(static_qris(), 25_000)
    assert "540525000" in dynamic
    assert dict(parse_tlv(dynamic))["01"] == "12"
    assert dynamic[-4:] == qris_crc(dynamic[:-4])
    with pytest.raises(ValidationFailed) as refused:
        validate_qris(dynamic)
    assert refused.value.code == "qris_dynamic"


@given(st.integers(1, 10**9))
def test_qris_with_any_amount_has_a_valid_crc(amount: int) -> None:
    dynamic = qris_with_amount(static_qris(), amount)
    assert dict(parse_tlv(dynamic))["54"] == str(amount)
    assert dynamic[-4:] == qris_crc(dynamic[:-4])
    assert qris_with_amount(dynamic, amount) == dynamic  # idempotent


# --- stock rules -------------------------------------------------------------------------------


def test_purchase_lines_and_total() -> None:
    lines = [PurchaseLine(1, 10, 14_500), PurchaseLine(2, 3, 0)]
    total = check_purchase(lines)
    assert total == 145_000
    entry = purchase_lines(total, Payment.UTANG)
    validate_lines(entry)
    assert [(x.account_code, x.debit, x.credit) for x in entry] == [
        ("1-1400", 145_000, 0),
        ("2-1300", 0, 145_000),
    ]
    assert purchase_lines(5, Payment.KAS)[1].account_code == "1-1100"
    for bad in ([], [PurchaseLine(1, 0, 1)], [PurchaseLine(1, 1, 1), PurchaseLine(1, 2, 1)]):
        with pytest.raises(ValidationFailed):
            check_purchase(bad)


def test_stock_value_lines_loss_and_gain() -> None:
    loss = stock_value_lines(-29_000)
    gain = stock_value_lines(14_500)
    validate_lines(loss)
    validate_lines(gain)
    assert [(x.account_code, x.debit) for x in loss] == [("5-2100", 29_000), ("1-1400", 0)]
    assert [(x.account_code, x.debit) for x in gain] == [("1-1400", 14_500), ("5-2100", 0)]
    assert stock_value_lines(0) == []


def test_adjustment_needs_a_quantity_and_a_reason() -> None:
    assert check_adjustment(-2, "  rusak  ") == (-2, "rusak")
    with pytest.raises(ValidationFailed):
        check_adjustment(0, "rusak")
    with pytest.raises(ValidationFailed):
        check_adjustment(3, " ")


def test_count_differences() -> None:
    assert count_differences({1: 10, 2: 5}, {1: 8, 2: 5, 3: 2}) == {1: -2, 3: 2}
    with pytest.raises(ValidationFailed):
        count_differences({}, {1: -1})


@given(
    st.dictionaries(st.integers(1, 20), st.integers(-50, 50)),
    st.dictionaries(st.integers(1, 20), st.integers(0, 50)),
)
def test_a_count_makes_the_stock_what_was_counted(
    expected: dict[int, int], counted: dict[int, int]
) -> None:
    differences = count_differences(expected, counted)
    for product_id, quantity in counted.items():
        assert expected.get(product_id, 0) + differences.get(product_id, 0) == quantity


def test_average_cost() -> None:
    assert average_cost(0, 0, 10, 14_500) == 14_500
    assert average_cost(-3, 14_000, 10, 14_500) == 14_500  # nothing to average with
    assert average_cost(10, 14_000, 10, 15_000) == 14_500
    assert average_cost(2, 100, 1, 101) == 100  # 301 / 3 = 100.33
    assert average_cost(1, 100, 1, 101) == 101  # 100.5 rounds half up


def test_low_stock_and_oversold() -> None:
    assert is_low(0, 0) and is_low(5, 5) and not is_low(6, 5) and is_low(-1, 0)
    assert oversold({1: -1, 2: 0, 3: -5}, [3, 2, 1, 1]) == [1, 3]
