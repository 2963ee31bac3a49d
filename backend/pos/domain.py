"""Pure rules of a sale made on a phone: the server re-prices every line from its own
catalog, checks the cashier's discounts against the koperasi's limit and the client's total
against its own, settles the payment and writes the journal lines. No ORM, no HTTP."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from backend.ledger.domain import Line
from backend.texts import N_

MAX_LINES = 200
MAX_QUANTITY = 100_000
MAX_AMOUNT = 10**12
# How long after a price change a till may still sell at the old price (it was offline).
PRICE_GRACE = timedelta(days=7)
# Sales are booked on the region's calendar day (Kota Mojokerto: WIB, UTC+7).
REGION_TZ = timezone(timedelta(hours=7), "WIB")
RECEIPT = re.compile(r"^(?P<device>[A-Z0-9]{1,12}-[0-9]{1,4})-(?P<seq>[0-9]{6,9})$")


class Rejected(Exception):
    """An item the server will not accept as sent; the phone keeps it for review."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PaymentMethod(StrEnum):
    TUNAI = "tunai"
    QRIS = "qris"
    TRANSFER = "transfer"
    KREDIT = "kredit"  # kredit anggota: the member owes the shop


@dataclass(frozen=True)
class CatalogItem:
    product_id: int
    sku: str
    name: str
    price: int
    member_price: int | None
    cost_price: int
    track_stock: bool
    active: bool = True
    # (price, member price) pairs the product had recently: a till that was offline when
    # the price changed still sold at the price it knew.
    earlier: tuple[tuple[int, int | None], ...] = ()

    def price_for(self, member: bool) -> int:
        return self.member_price if member and self.member_price is not None else self.price

    def accepts(self, unit_price: int, member: bool) -> bool:
        if unit_price == self.price_for(member):
            return True
        return any(
            unit_price == (old_member if member and old_member is not None else old)
            for old, old_member in self.earlier
        )


@dataclass(frozen=True)
class LineIn:
    product_id: int
    quantity: int
    unit_price: int
    discount: int = 0


@dataclass(frozen=True)
class SaleIn:
    receipt_number: str
    device_seq: int
    sold_at: datetime
    shift_id: str | None
    member_number: str | None
    method: PaymentMethod
    cash_given: int | None
    lines: list[LineIn]
    total: int


@dataclass(frozen=True)
class PricedLine:
    product_id: int
    quantity: int
    unit_price: int
    discount: int
    line_total: int
    unit_cost: int
    track_stock: bool


@dataclass(frozen=True)
class PricedSale:
    lines: list[PricedLine]
    subtotal: int
    discount: int
    total: int
    change: int

    @property
    def cost(self) -> int:
        return sum(line.unit_cost * line.quantity for line in self.lines if line.track_stock)


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_receipt(receipt_number: str, device_code: str, device_seq: int) -> None:
    """A receipt number is the device's code and its local sequence: `T01-2-000123`."""
    match = RECEIPT.match(receipt_number)
    if (
        match is None
        or match["device"] != device_code
        or not _whole(device_seq, 1, 999_999_999)
        or int(match["seq"]) != device_seq
    ):
        raise Rejected(
            "receipt_invalid",
            N_("Nomor struk tidak sesuai kode perangkat dan urutannya."),
        )


def price_sale(
    sale: SaleIn,
    catalog: Mapping[int, CatalogItem],
    *,
    member: bool,
    max_discount_percent: int,
    trust_prices: bool = False,
) -> PricedSale:
    """The sale as the server prices it; refuses what a cashier could not have sold.
    `trust_prices`: a sale pushed by another retail app, which keeps its own prices and
    discounts; the lines must still add up and name products of this koperasi."""
    if not sale.lines:
        raise Rejected("sale_empty", N_("Penjualan tanpa barang."))
    if len(sale.lines) > MAX_LINES:
        raise Rejected("sale_too_long", N_("Terlalu banyak baris dalam satu penjualan."))
    priced = []
    for line in sale.lines:
        item = catalog.get(line.product_id)
        if item is None or not item.active:
            raise Rejected("unknown_product", N_("Barang tidak dikenal di katalog koperasi ini."))
        if not _whole(line.quantity, 1, MAX_QUANTITY):
            raise Rejected(
                "quantity_invalid", N_("Jumlah barang harus bilangan bulat lebih dari nol.")
            )
        if not _whole(line.unit_price, 0, MAX_AMOUNT):
            raise Rejected("price_invalid", N_("Harga harus rupiah bulat."))
        expected = line.unit_price
        if not trust_prices and not item.accepts(line.unit_price, member):
            raise Rejected(
                "price_mismatch",
                N_("Harga di perangkat tidak sama dengan harga katalog; muat ulang katalog."),
            )
        gross = expected * line.quantity
        if not _whole(line.discount, 0, gross):
            raise Rejected("discount_invalid", N_("Diskon tidak valid."))
        if not trust_prices and line.discount * 100 > gross * max_discount_percent:
            raise Rejected(
                "discount_over_limit", N_("Diskon melebihi batas yang ditetapkan pengurus.")
            )
        priced.append(
            PricedLine(
                product_id=item.product_id,
                quantity=line.quantity,
                unit_price=expected,
                discount=line.discount,
                line_total=gross - line.discount,
                unit_cost=item.cost_price,
                track_stock=item.track_stock,
            )
        )
    subtotal = sum(line.unit_price * line.quantity for line in priced)
    discount = sum(line.discount for line in priced)
    total = subtotal - discount
    if total > MAX_AMOUNT:
        raise Rejected("amount_out_of_range", N_("Jumlah penjualan tidak wajar."))
    if sale.total != total:
        raise Rejected(
            "total_mismatch", N_("Total di perangkat tidak sama dengan total yang dihitung server.")
        )
    return PricedSale(priced, subtotal, discount, total, _change(sale, total, member))


def _change(sale: SaleIn, total: int, member: bool) -> int:
    if sale.method is PaymentMethod.KREDIT and not member:
        raise Rejected("credit_needs_member", N_("Kredit anggota memerlukan anggota."))
    if sale.method is not PaymentMethod.TUNAI:
        if sale.cash_given is not None:
            raise Rejected("cash_not_expected", N_("Uang tunai hanya dicatat untuk bayar tunai."))
        return 0
    if sale.cash_given is None:
        return 0  # exact money
    if not _whole(sale.cash_given, 0, MAX_AMOUNT) or sale.cash_given < total:
        raise Rejected("cash_short", N_("Uang yang diterima kurang dari total."))
    return sale.cash_given - total


@dataclass(frozen=True)
class SaleAccounts:
    cash: str = "1-1100"
    bank: str = "1-1200"  # QRIS and transfers settle into the bank account
    member_receivable: str = "1-1310"
    member_sales: str = "4-1200"
    other_sales: str = "4-2100"
    cost_of_sales: str = "5-1100"
    stock: str = "1-1400"


def sale_lines(
    sale: PricedSale, method: PaymentMethod, member: bool, accounts: SaleAccounts
) -> list[Line]:
    """Dr payment / Cr sales (members' or others'); Dr HPP / Cr persediaan at cost."""
    paid_into = {
        PaymentMethod.TUNAI: accounts.cash,
        PaymentMethod.QRIS: accounts.bank,
        PaymentMethod.TRANSFER: accounts.bank,
        PaymentMethod.KREDIT: accounts.member_receivable,
    }[method]
    lines = []
    if sale.total:
        lines += [
            Line(paid_into, debit=sale.total),
            Line(accounts.member_sales if member else accounts.other_sales, credit=sale.total),
        ]
    if sale.cost:
        lines += [
            Line(accounts.cost_of_sales, debit=sale.cost),
            Line(accounts.stock, credit=sale.cost),
        ]
    return lines


def business_day(moment: datetime) -> date:
    return moment.astimezone(REGION_TZ).date()


def payload_hash(kind: str, payload: Any) -> str:
    """Same id + same hash: a retry (duplicate); same id + another hash: a conflict."""
    text = json.dumps([kind, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def cash_difference_lines(
    expected: int, counted: int, accounts: SaleAccounts, shortfall: str, surplus: str
) -> list[Line]:
    """A till that is short is a cost; one that is over is other income."""
    difference = counted - expected
    if difference < 0:
        return [Line(shortfall, debit=-difference), Line(accounts.cash, credit=-difference)]
    if difference > 0:
        return [Line(accounts.cash, debit=difference), Line(surplus, credit=difference)]
    return []
