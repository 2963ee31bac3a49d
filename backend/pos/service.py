"""Point-of-sale use cases: register a phone as a till, and take in what phones queued
while offline — shifts opened and closed, sales — exactly once.

Each item of a batch is its own short transaction (a batch of 500 never holds the database
for long, and one bad item never blocks the rest). Exactly-once rests on the unique index
on (koperasi_id, client_id): inside the transaction an item whose id is already stored is
answered `duplicate` (same payload) or `conflict` (different payload); two copies racing in
parallel meet at the index, and the loser is answered the same way after its rollback."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import asyncpg
from piccolo.query.functions.aggregate import Max

from backend.accounts.domain import Actor, Role
from backend.catalog.tables import Product, ProductPriceChange, ShopSettings
from backend.db import write_transaction
from backend.errors import AppError, Forbidden, NotFound, ValidationFailed
from backend.inventory.service import record_sale_movements
from backend.ledger.domain import period_of
from backend.ledger.service import post_entry
from backend.ledger.tables import PeriodClose
from backend.members.tables import Member
from backend.pos.domain import (
    PRICE_GRACE,
    CatalogItem,
    LineIn,
    PaymentMethod,
    PricedSale,
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
from backend.pos.tables import PosDevice, Sale, SaleLine, Shift
from backend.tenancy.tables import Outlet
from backend.texts import N_

ACCOUNTS = SaleAccounts()
CASH_SHORT_ACCOUNT = "5-2100"  # beban usaha
CASH_OVER_ACCOUNT = "4-3100"  # pendapatan lain-lain
KINDS = ("shift_open", "sale", "shift_close")


@dataclass(frozen=True)
class Till:
    """The device a batch comes from, and who is at it."""

    koperasi_id: int
    device_id: int
    device_code: str
    outlet_id: int
    cashier_id: int | None


@dataclass(frozen=True)
class ItemIn:
    id: str
    kind: str
    payload: dict[str, Any]
    source: str = "pos"  # pos (our till) | api | csv (another retail app's sales)


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: str  # created | duplicate | conflict | rejected
    code: str = ""
    message: str = ""
    receipt_number: str | None = None
    late: bool = False
    oversold: bool = False


@dataclass(frozen=True)
class DeviceInfo:
    code: str
    name: str
    outlet_code: str
    outlet_name: str


def till_staff(actor: Actor) -> int:
    if actor.role not in (Role.KASIR, Role.PENGURUS) or actor.koperasi_id is None:
        raise Forbidden("pos_forbidden", N_("Hanya kasir dan pengurus yang memakai kasir toko."))
    return actor.koperasi_id


async def register_device(
    koperasi_id: int, outlet_code: str, name: str, user_id: int
) -> DeviceInfo:
    """Give a phone the next till code of an outlet: T01-1, T01-2, …"""
    async with write_transaction():
        outlet = (
            await Outlet.select(Outlet.id, Outlet.code, Outlet.name)
            .where((Outlet.koperasi == koperasi_id) & (Outlet.code == outlet_code))
            .first()
        )
        if outlet is None:
            raise NotFound("outlet_not_found", N_("Toko/gerai tidak ditemukan di koperasi ini."))
        count = await PosDevice.count().where(
            (PosDevice.koperasi == koperasi_id) & (PosDevice.outlet == outlet["id"])
        )
        code = f"{outlet['code']}-{count + 1}"
        label = " ".join(name.split())[:100]
        await PosDevice.insert(
            PosDevice(
                koperasi=koperasi_id,
                outlet=outlet["id"],
                code=code,
                name=label,
                registered_by=user_id,
            )
        )
    return DeviceInfo(code, label, outlet["code"], outlet["name"])


async def till(koperasi_id: int, device_code: str, cashier_id: int | None) -> Till:
    row = (
        await PosDevice.select(PosDevice.id, PosDevice.outlet.as_alias("outlet_id"))
        .where((PosDevice.koperasi == koperasi_id) & (PosDevice.code == device_code))
        .first()
    )
    if row is None:
        raise Forbidden(
            "device_unknown",
            N_(
                "Perangkat kasir ini belum terdaftar di koperasi Anda. Daftarkan lagi perangkatnya."
            ),
        )
    return Till(koperasi_id, row["id"], device_code, row["outlet_id"], cashier_id)


@dataclass(frozen=True)
class Rules:
    """What every item of a batch is checked against, read once per batch."""

    max_discount_percent: int
    closed_through: str | None  # books closed up to and including this month

    def closed(self, period: str) -> bool:
        return self.closed_through is not None and period <= self.closed_through


async def _rules(koperasi_id: int) -> Rules:
    closed = await PeriodClose.select(Max(PeriodClose.period, alias="period")).where(
        PeriodClose.koperasi == koperasi_id
    )
    return Rules(await _max_discount(koperasi_id), closed[0]["period"] if closed else None)


async def sync(
    till: Till, items: Sequence[ItemIn], now: datetime | None = None
) -> list[ItemResult]:
    rules = await _rules(till.koperasi_id)
    results = [await _one(till, item, rules) for item in items]
    await PosDevice.update({PosDevice.last_seen_at: now or datetime.now(UTC)}).where(
        PosDevice.id == till.device_id
    )
    return results


def _is_unique_violation(error: Exception) -> bool:
    if isinstance(error, asyncpg.UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error)


async def _one(till: Till, item: ItemIn, rules: Rules) -> ItemResult:
    if item.kind not in KINDS:
        return ItemResult(item.id, "rejected", "kind_unknown", N_("Jenis data tidak dikenal."))
    digest = payload_hash(item.kind, item.payload)
    try:
        async with write_transaction():
            seen = await _seen(till.koperasi_id, item, digest)
            if seen is not None:
                return seen
            if item.kind == "sale":
                return await _sale(till, item, digest, rules)
            if item.kind == "shift_open":
                return await _shift_open(till, item, digest)
            return await _shift_close(till, item, digest, rules)
    except Rejected as refused:
        return ItemResult(item.id, "rejected", refused.code, refused.message)
    except AppError as error:  # e.g. an account missing from the chart
        return ItemResult(item.id, "rejected", error.code, error.message)
    except Exception as error:
        if not _is_unique_violation(error):
            raise
        # A parallel copy of the same item won the race: answer as for a retry.
        seen = await _seen(till.koperasi_id, item, digest)
        if seen is None:
            raise
        return seen


async def _seen(koperasi_id: int, item: ItemIn, digest: str) -> ItemResult | None:
    """The answer for an item already stored (a retry or a reused id), else None."""
    if item.kind == "sale":
        # Plain SQL on the hot path of every sale (Piccolo's query building costs more
        # than the indexed lookup itself).
        rows = await Sale.raw(
            "SELECT payload_hash, receipt_number, late, oversold FROM pos_sale"
            " WHERE koperasi_id = {} AND client_id = {}",
            koperasi_id,
            item.id,
        ).run()
        row = rows[0] if rows else None
    elif item.kind == "shift_open":
        row = (
            await Shift.select(Shift.payload_hash)
            .where((Shift.koperasi == koperasi_id) & (Shift.client_id == item.id))
            .first()
        )
    else:
        row = (
            await Shift.select(Shift.close_payload_hash.as_alias("payload_hash"))
            .where((Shift.koperasi == koperasi_id) & (Shift.close_client_id == item.id))
            .first()
        )
    if row is None:
        return None
    if row["payload_hash"] != digest:
        return ItemResult(
            item.id,
            "conflict",
            "id_reused",
            N_("Data dengan id ini sudah diterima dengan isi yang berbeda."),
        )
    return ItemResult(
        item.id,
        "duplicate",
        receipt_number=row.get("receipt_number"),
        late=bool(row.get("late")),
        oversold=bool(row.get("oversold")),
    )


def _field(
    payload: dict[str, Any], name: str, kind: type | tuple[type, ...], required: bool = True
) -> Any:
    value = payload.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise Rejected("payload_invalid", N_("Data dari perangkat tidak lengkap atau rusak."))
    return value


def _moment(payload: dict[str, Any], name: str) -> datetime:
    text = _field(payload, name, str)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Rejected(
            "payload_invalid", N_("Data dari perangkat tidak lengkap atau rusak.")
        ) from exc
    if moment.tzinfo is None:
        raise Rejected("payload_invalid", N_("Data dari perangkat tidak lengkap atau rusak."))
    return moment


def parse_sale(payload: dict[str, Any]) -> SaleIn:
    lines = _field(payload, "lines", list)
    parsed = []
    for line in lines:
        if not isinstance(line, dict):
            raise Rejected("payload_invalid", N_("Data dari perangkat tidak lengkap atau rusak."))
        parsed.append(
            LineIn(
                product_id=_field(line, "product_id", int),
                quantity=_field(line, "quantity", int),
                unit_price=_field(line, "unit_price", int),
                discount=_field(line, "discount", int, required=False) or 0,
            )
        )
    try:
        method = PaymentMethod(_field(payload, "method", str))
    except ValueError as exc:
        raise Rejected("payment_invalid", N_("Cara bayar tidak dikenal.")) from exc
    return SaleIn(
        receipt_number=_field(payload, "receipt_number", str),
        device_seq=_field(payload, "device_seq", int),
        sold_at=_moment(payload, "sold_at"),
        shift_id=_field(payload, "shift_id", str, required=False),
        member_number=_field(payload, "member_number", str, required=False),
        method=method,
        cash_given=_field(payload, "cash_given", int, required=False),
        lines=parsed,
        total=_field(payload, "total", int),
    )


async def _catalog(koperasi_id: int, product_ids: list[int]) -> dict[int, CatalogItem]:
    ids = product_ids or [0]
    rows = await Product.raw(
        "SELECT id, sku, name, price, member_price, cost_price, track_stock, active"
        f" FROM product WHERE koperasi_id = {{}} AND id IN ({', '.join('{}' for _ in ids)})",
        koperasi_id,
        *ids,
    ).run()
    return {
        row["id"]: CatalogItem(
            product_id=row["id"],
            sku=row["sku"],
            name=row["name"],
            price=row["price"],
            member_price=row["member_price"],
            cost_price=row["cost_price"],
            track_stock=bool(row["track_stock"]),  # SQLite answers 0/1
            active=bool(row["active"]),
        )
        for row in rows
    }


async def _with_earlier_prices(
    koperasi_id: int, catalog: dict[int, CatalogItem], sold_at: datetime
) -> dict[int, CatalogItem]:
    rows = await ProductPriceChange.select(
        ProductPriceChange.product.as_alias("product_id"),
        ProductPriceChange.old_price,
        ProductPriceChange.old_member_price,
    ).where(
        (ProductPriceChange.koperasi == koperasi_id)
        & ProductPriceChange.product.is_in(list(catalog) or [0])
        & (ProductPriceChange.changed_at >= sold_at - PRICE_GRACE)
    )
    earlier: dict[int, list[tuple[int, int | None]]] = {}
    for row in rows:
        earlier.setdefault(row["product_id"], []).append(
            (row["old_price"], row["old_member_price"])
        )
    return {
        pid: replace(entry, earlier=tuple(earlier.get(pid, ()))) for pid, entry in catalog.items()
    }


async def _max_discount(koperasi_id: int) -> int:
    row = (
        await ShopSettings.select(ShopSettings.max_discount_percent)
        .where(ShopSettings.koperasi == koperasi_id)
        .first()
    )
    return int(row["max_discount_percent"]) if row else 0


def _entry_day(rules: Rules, sold_at: datetime) -> tuple[Any, bool]:
    """The sale's own day, or today when that month is already closed (never lost)."""
    day = business_day(sold_at)
    if rules.closed(period_of(day)):
        return business_day(datetime.now(UTC)), True
    return day, False


async def _sale(till: Till, item: ItemIn, digest: str, rules: Rules) -> ItemResult:
    sale = parse_sale(item.payload)
    if item.source == "pos":
        check_receipt(sale.receipt_number, till.device_code, sale.device_seq)
    else:
        # Another app's own receipt number, kept apart from our tills' numbers.
        sale = replace(sale, receipt_number=f"{till.device_code}/{sale.receipt_number}"[:40])
    member_id = None
    if sale.member_number:
        members = await Member.raw(
            "SELECT id FROM member WHERE koperasi_id = {} AND member_number = {}",
            till.koperasi_id,
            sale.member_number,
        ).run()
        if not members:
            raise Rejected("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
        member_id = int(members[0]["id"])
    product_ids = sorted({line.product_id for line in sale.lines})
    catalog = await _catalog(till.koperasi_id, product_ids)

    def priced_with(items: dict[int, CatalogItem]) -> PricedSale:
        return price_sale(
            sale,
            items,
            member=member_id is not None,
            max_discount_percent=rules.max_discount_percent,
            trust_prices=item.source != "pos",
        )

    try:
        priced = priced_with(catalog)
    except Rejected as refused:
        if refused.code != "price_mismatch":
            raise
        # Perhaps the price changed while the till was offline: its old price still counts.
        priced = priced_with(await _with_earlier_prices(till.koperasi_id, catalog, sale.sold_at))
    shift_id, late = None, False
    if sale.shift_id:
        shift = (
            await Shift.select(Shift.id, Shift.closed_at)
            .where((Shift.koperasi == till.koperasi_id) & (Shift.client_id == sale.shift_id))
            .first()
        )
        # A sale for a closed (or never seen) shift is kept on the late-sales list.
        shift_id = shift["id"] if shift else None
        late = shift is None or shift["closed_at"] is not None
    day, moved = _entry_day(rules, sale.sold_at)
    text = f"Penjualan {sale.receipt_number}"
    if moved:
        text += f" (tercatat terlambat; dijual {business_day(sale.sold_at):%d/%m/%Y})"
    entry = await post_entry(
        till.koperasi_id,
        day,
        text,
        sale_lines(priced, sale.method, member_id is not None, ACCOUNTS),
        source="pos" if item.source == "pos" else "ingest",
        created_by=till.cashier_id,
    )
    oversold = await record_sale_movements(
        till.koperasi_id,
        till.outlet_id,
        [(line.product_id, line.quantity) for line in priced.lines if line.track_stock],
        sale.receipt_number,
        till.cashier_id,
        costs={line.product_id: line.unit_cost for line in priced.lines if line.track_stock},
    )
    # Plain SQL for the sale and its lines (the hot path of every sale).
    created = await Sale.raw(
        "INSERT INTO pos_sale (koperasi_id, outlet_id, device_id, shift_id, client_id,"
        " receipt_number, device_seq, sold_at, received_at, member_id, cashier_id, subtotal,"
        " discount, total, payment_method, cash_given, change, payload_hash, entry_id, late,"
        " oversold, source) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
        " {}, {}, {}, {}, {}, {}, {}, {}) RETURNING id",
        till.koperasi_id,
        till.outlet_id,
        till.device_id,
        shift_id,
        item.id,
        sale.receipt_number,
        sale.device_seq,
        sale.sold_at,
        datetime.now(UTC),
        member_id,
        till.cashier_id,
        priced.subtotal,
        priced.discount,
        priced.total,
        sale.method.value,
        sale.cash_given,
        priced.change,
        digest,
        entry.id,
        late,
        bool(oversold),
        item.source,
    ).run()
    sale_id = int(created[0]["id"])
    values: list[Any] = []
    for line in priced.lines:
        values += [till.koperasi_id, sale_id, line.product_id, line.quantity, line.unit_price]
        values += [line.discount, line.line_total, line.unit_cost]
    await SaleLine.raw(
        "INSERT INTO pos_sale_line (koperasi_id, sale_id, product_id, quantity, unit_price,"
        " discount, line_total, unit_cost) VALUES "
        + ", ".join("({}, {}, {}, {}, {}, {}, {}, {})" for _ in priced.lines),
        *values,
    ).run()
    return ItemResult(
        item.id, "created", receipt_number=sale.receipt_number, late=late, oversold=bool(oversold)
    )


async def _shift_open(till: Till, item: ItemIn, digest: str) -> ItemResult:
    opening = _field(item.payload, "opening_cash", int)
    if opening < 0:
        raise Rejected("cash_invalid", N_("Modal kas awal tidak boleh negatif."))
    await Shift.insert(
        Shift(
            koperasi=till.koperasi_id,
            device=till.device_id,
            client_id=item.id,
            cashier=till.cashier_id,
            opened_at=_moment(item.payload, "opened_at"),
            opening_cash=opening,
            payload_hash=digest,
        )
    )
    return ItemResult(item.id, "created")


async def cash_sales(shift_id: int) -> int:
    rows = await Sale.raw(
        "SELECT COALESCE(SUM(total), 0) AS cash FROM pos_sale"
        " WHERE shift_id = {} AND payment_method = 'tunai' AND late = {}",
        shift_id,
        False,
    ).run()
    return int(rows[0]["cash"])


async def _shift_close(till: Till, item: ItemIn, digest: str, rules: Rules) -> ItemResult:
    shift_client_id = _field(item.payload, "shift_id", str)
    counted = _field(item.payload, "counted_cash", int)
    closed_at = _moment(item.payload, "closed_at")
    if counted < 0:
        raise Rejected("cash_invalid", N_("Kas yang dihitung tidak boleh negatif."))
    shift = (
        await Shift.select(Shift.id, Shift.opening_cash, Shift.closed_at)
        .where((Shift.koperasi == till.koperasi_id) & (Shift.client_id == shift_client_id))
        .first()
    )
    if shift is None:
        raise Rejected("shift_unknown", N_("Shift ini belum pernah dibuka di server."))
    if shift["closed_at"] is not None:
        raise Rejected("shift_closed", N_("Shift ini sudah ditutup."))
    expected = shift["opening_cash"] + await cash_sales(shift["id"])
    entry_id = None
    lines = cash_difference_lines(
        expected, counted, ACCOUNTS, CASH_SHORT_ACCOUNT, CASH_OVER_ACCOUNT
    )
    if lines:
        day, _ = _entry_day(rules, closed_at)
        entry = await post_entry(
            till.koperasi_id,
            day,
            f"Selisih kas tutup shift perangkat {till.device_code}",
            lines,
            source="pos",
            created_by=till.cashier_id,
        )
        entry_id = entry.id
    await Shift.update(
        {
            Shift.closed_at: closed_at,
            Shift.counted_cash: counted,
            Shift.expected_cash: expected,
            Shift.close_client_id: item.id,
            Shift.close_payload_hash: digest,
            Shift.close_entry: entry_id,
        }
    ).where(Shift.id == shift["id"])
    return ItemResult(item.id, "created")


def check_batch(device_code: str, items: Sequence[ItemIn]) -> None:
    if not device_code:
        raise ValidationFailed("device_required", N_("Kode perangkat wajib dikirim."))
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(
            "batch_duplicate_ids", N_("Satu kiriman memuat id yang sama dua kali.")
        )
