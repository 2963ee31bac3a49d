"""What the till's day looks like afterwards: the closing report of a shift (sales by way of
payment, the cash that should be in the drawer against what was counted) and the list of
sales that arrived after their shift was closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.errors import NotFound
from backend.pos.tables import Sale, Shift
from backend.texts import N_

LATE_LIMIT = 200


@dataclass(frozen=True)
class MethodTotal:
    method: str
    count: int
    total: int


@dataclass(frozen=True)
class ShiftReport:
    shift_id: str
    device: str
    cashier: str
    opened_at: datetime
    closed_at: datetime | None
    opening_cash: int
    sales_count: int
    sales_total: int
    discounts: int
    by_method: list[MethodTotal]
    expected_cash: int  # opening cash + cash sales (so far, while open)
    counted_cash: int | None
    difference: int | None
    late_count: int
    late_total: int


async def shift_report(koperasi_id: int, shift_client_id: str) -> ShiftReport:
    shift = (
        await Shift.select(
            Shift.id,
            Shift.client_id,
            Shift.device.code.as_alias("device"),
            Shift.cashier.display_name.as_alias("cashier"),
            Shift.opened_at,
            Shift.closed_at,
            Shift.opening_cash,
            Shift.counted_cash,
            Shift.expected_cash,
        )
        .where((Shift.koperasi == koperasi_id) & (Shift.client_id == shift_client_id))
        .first()
    )
    if shift is None:
        raise NotFound("shift_not_found", N_("Shift tidak ditemukan."))
    rows = await Sale.raw(
        "SELECT payment_method, late, COUNT(*) AS n, SUM(total) AS total,"
        " SUM(discount) AS discount FROM pos_sale WHERE koperasi_id = {} AND shift_id = {}"
        " GROUP BY payment_method, late ORDER BY payment_method",
        koperasi_id,
        shift["id"],
    ).run()
    on_time = [row for row in rows if not row["late"]]
    late = [row for row in rows if row["late"]]
    by_method = [
        MethodTotal(row["payment_method"], int(row["n"]), int(row["total"])) for row in on_time
    ]
    cash = sum(m.total for m in by_method if m.method == "tunai")
    expected = (
        shift["expected_cash"]
        if shift["expected_cash"] is not None
        else shift["opening_cash"] + cash
    )
    counted = shift["counted_cash"]
    return ShiftReport(
        shift_id=shift["client_id"],
        device=shift["device"],
        cashier=shift["cashier"] or "",
        opened_at=shift["opened_at"],
        closed_at=shift["closed_at"],
        opening_cash=shift["opening_cash"],
        sales_count=sum(m.count for m in by_method),
        sales_total=sum(m.total for m in by_method),
        discounts=sum(int(row["discount"]) for row in on_time),
        by_method=by_method,
        expected_cash=expected,
        counted_cash=counted,
        difference=None if counted is None else counted - expected,
        late_count=sum(int(row["n"]) for row in late),
        late_total=sum(int(row["total"]) for row in late),
    )


@dataclass(frozen=True)
class SaleSummary:
    receipt_number: str
    sold_at: datetime
    received_at: datetime
    device: str
    total: int
    payment_method: str
    member_number: str | None


async def late_sales(koperasi_id: int) -> list[SaleSummary]:
    rows = (
        await Sale.select(
            Sale.receipt_number,
            Sale.sold_at,
            Sale.received_at,
            Sale.device.code.as_alias("device"),
            Sale.total,
            Sale.payment_method,
            Sale.member.member_number.as_alias("member_number"),
        )
        .where((Sale.koperasi == koperasi_id) & (Sale.late == True))  # noqa: E712
        .order_by(Sale.received_at, ascending=False)
        .limit(LATE_LIMIT)
    )
    return [SaleSummary(**row) for row in rows]
