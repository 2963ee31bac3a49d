"""Pure stock rules: the kinds of movement, what a purchase, an adjustment and a stock count
post to the books, the moving average cost, and which stock is low. Quantities are whole
units (int), money whole rupiah (int)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from backend.errors import ValidationFailed
from backend.ledger.domain import Line
from backend.texts import N_

# The default chart's accounts (backend/ledger/chart.py) stock postings use.
INVENTORY = "1-1400"  # Persediaan barang
CASH = "1-1100"  # Kas
PAYABLE = "2-1300"  # Utang usaha
SHRINKAGE = "5-2100"  # Beban usaha: stock lost (or found) at cost

MAX_QUANTITY = 1_000_000  # one line of one movement
MAX_UNIT_COST = 10**10
MAX_LINES = 500


class StockKind(StrEnum):
    PENJUALAN = "penjualan"
    PEMBELIAN = "pembelian"
    PENYESUAIAN = "penyesuaian"
    OPNAME = "opname"

    @property
    def label(self) -> str:
        return {
            "penjualan": N_("Penjualan"),
            "pembelian": N_("Pembelian"),
            "penyesuaian": N_("Penyesuaian"),
            "opname": N_("Stok opname"),
        }[self.value]


class Payment(StrEnum):
    """How a purchase is paid: cash now, or owed to the supplier."""

    KAS = "kas"
    UTANG = "utang"

    @property
    def account(self) -> str:
        return CASH if self is Payment.KAS else PAYABLE

    @property
    def label(self) -> str:
        return {"kas": N_("Tunai (kas)"), "utang": N_("Utang ke pemasok")}[self.value]


def _refuse(code: str, message: str, field_name: str) -> ValidationFailed:
    return ValidationFailed(code, message, field_name)


@dataclass(frozen=True)
class PurchaseLine:
    product_id: int
    quantity: int
    unit_cost: int

    @property
    def total(self) -> int:
        return self.quantity * self.unit_cost


def check_purchase(lines: list[PurchaseLine]) -> int:
    """A purchase has lines of positive quantities at a cost of zero or more, each product
    once; returns its total in rupiah."""
    if not lines:
        raise _refuse("lines_required", N_("Isi paling sedikit satu barang."), "lines")
    if len(lines) > MAX_LINES:
        raise _refuse("too_many_lines", N_("Terlalu banyak baris dalam satu catatan."), "lines")
    seen: set[int] = set()
    for line in lines:
        check_quantity(line.quantity)
        if not 0 <= line.unit_cost <= MAX_UNIT_COST:
            raise _refuse(
                "unit_cost_invalid", N_("Harga beli per satuan tidak valid."), "unit_cost"
            )
        if line.product_id in seen:
            raise _refuse(
                "product_repeated",
                N_("Barang yang sama tertulis dua kali: gabungkan jumlahnya dalam satu baris."),
                "lines",
            )
        seen.add(line.product_id)
    return sum(line.total for line in lines)


def check_quantity(quantity: int) -> int:
    if not 0 < quantity <= MAX_QUANTITY:
        raise _refuse(
            "quantity_invalid",
            N_("Jumlah barang berupa bilangan bulat lebih dari nol."),
            "quantity",
        )
    return quantity


def purchase_lines(total: int, payment: Payment) -> list[Line]:
    """Dr Persediaan / Cr Kas (paid now) or Utang usaha (owed to the supplier)."""
    return [Line(INVENTORY, debit=total), Line(payment.account, credit=total)]


def stock_value_lines(value: int, memo: str = "") -> list[Line]:
    """A change of stock valued at cost: stock found (`value` > 0) Dr Persediaan / Cr Beban
    usaha; stock lost (`value` < 0) Dr Beban usaha / Cr Persediaan; none for 0."""
    if value > 0:
        return [Line(INVENTORY, debit=value, memo=memo), Line(SHRINKAGE, credit=value, memo=memo)]
    if value < 0:
        return [
            Line(SHRINKAGE, debit=-value, memo=memo),
            Line(INVENTORY, credit=-value, memo=memo),
        ]
    return []


def check_adjustment(quantity: int, reason: str) -> tuple[int, str]:
    """An adjustment changes stock by a signed, non-zero quantity, and says why."""
    if quantity == 0 or abs(quantity) > MAX_QUANTITY:
        raise _refuse(
            "quantity_invalid",
            N_("Jumlah penyesuaian berupa bilangan bulat, tidak nol."),
            "quantity",
        )
    text = " ".join(reason.split())
    if not text:
        raise _refuse(
            "reason_required",
            N_("Tulis alasannya, misalnya rusak, kedaluwarsa atau hilang."),
            "reason",
        )
    if len(text) > 200:
        raise _refuse(
            "reason_too_long", N_("Alasan terlalu panjang (paling banyak 200)."), "reason"
        )
    return quantity, text


def count_differences(expected: Mapping[int, int], counted: Mapping[int, int]) -> dict[int, int]:
    """A stock count: product -> counted minus what the movements say, for each counted
    product whose count differs. Counts are zero or more."""
    for quantity in counted.values():
        if not 0 <= quantity <= MAX_QUANTITY:
            raise _refuse(
                "count_invalid",
                N_("Hasil hitungan berupa bilangan bulat, nol atau lebih."),
                "counted",
            )
    return {
        product: quantity - expected.get(product, 0)
        for product, quantity in counted.items()
        if quantity != expected.get(product, 0)
    }


def average_cost(stock_before: int, cost_before: int, quantity: int, unit_cost: int) -> int:
    """The moving average cost after buying `quantity` at `unit_cost`, in whole rupiah
    (half up). Stock at or below zero has no value to average with: the new cost is the
    purchase's."""
    if stock_before <= 0:
        return unit_cost
    units = stock_before + quantity
    value = stock_before * cost_before + quantity * unit_cost
    return (2 * value + units) // (2 * units)


def is_low(stock: int, min_stock: int) -> bool:
    """On the low-stock list: at or below the product's minimum (and always when below 0)."""
    return stock <= min_stock or stock < 0


def oversold(stock: Mapping[int, int], products: Iterable[int]) -> list[int]:
    """The products among `products` whose stock is below zero, in id order."""
    return sorted({p for p in products if stock.get(p, 0) < 0})
