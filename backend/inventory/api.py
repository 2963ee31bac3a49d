"""Inventory API: pengurus and kasir read the stock (per outlet, low-stock list); pengurus
record purchases, adjustments and stock counts (each with its journal entry) and read the
movements. Anggota and Dinas officers use none of it. Outlets are named by their code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody, QueryParameter

from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.catalog.api import shop_manager, shop_staff
from backend.errors import ValidationFailed
from backend.formatting import rupiah
from backend.i18n import Translate, translator
from backend.inventory import service
from backend.inventory.domain import MAX_LINES, MAX_QUANTITY, MAX_UNIT_COST, Payment
from backend.texts import N_
from backend.web import language_of

WIB = timezone(timedelta(hours=7), "WIB")
Sku = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
OutletCode = Annotated[str, msgspec.Meta(max_length=20)]
Quantity = Annotated[int, msgspec.Meta(ge=-MAX_QUANTITY, le=MAX_QUANTITY)]


def today() -> date:
    """Today on the region's wall clock (WIB)."""
    return datetime.now(UTC).astimezone(WIB).date()


def _day(value: date | None) -> date:
    day = value or today()
    if day > today():
        raise ValidationFailed("date_future", N_("Tanggal tidak boleh di masa depan."), "date")
    return day


class PurchaseLineIn(msgspec.Struct, forbid_unknown_fields=True):
    sku: Sku
    quantity: Quantity
    unit_cost: Annotated[int, msgspec.Meta(ge=0, le=MAX_UNIT_COST)]


class PurchaseIn(msgspec.Struct, forbid_unknown_fields=True):
    lines: Annotated[list[PurchaseLineIn], msgspec.Meta(max_length=MAX_LINES)]
    payment: Payment
    outlet: OutletCode | None = None
    purchase_date: date | None = None
    reference: Annotated[str, msgspec.Meta(max_length=100)] = ""


class AdjustmentIn(msgspec.Struct, forbid_unknown_fields=True):
    sku: Sku
    quantity: Quantity
    reason: Annotated[str, msgspec.Meta(max_length=300)]
    outlet: OutletCode | None = None
    adjustment_date: date | None = None


class CountLineIn(msgspec.Struct, forbid_unknown_fields=True):
    sku: Sku
    counted: Quantity


class CountIn(msgspec.Struct, forbid_unknown_fields=True):
    lines: Annotated[list[CountLineIn], msgspec.Meta(max_length=5000)]
    outlet: OutletCode | None = None
    count_date: date | None = None
    note: Annotated[str, msgspec.Meta(max_length=300)] = ""


class OutletOut(msgspec.Struct):
    code: str
    name: str


class StockOut(msgspec.Struct):
    outlet: str | None  # the outlet asked for; None: every place together
    outlets: list[OutletOut]
    items: list[service.StockRow]


class PostedOut(msgspec.Struct):
    movements: int
    value: int
    entry_number: int | None
    oversold: list[str]
    message: str


class CountOut(msgspec.Struct):
    lines: list[service.CountedLine]
    movements: int
    value: int
    entry_number: int | None
    message: str


async def _outlet_id(koperasi_id: int, code: str | None) -> int | None:
    if not code:
        return None
    return (await service.outlet_by_code(koperasi_id, code)).id


def _who(request: Request[Any, Any, Any], user_id: int, region_id: int) -> dict[str, Any]:
    return {"created_by": user_id, "region_id": region_id, "ip": client_ip(request.scope)}


def _entry_text(entry_number: int | None, value: int, _: Translate) -> str:
    if entry_number is None:
        return _("Tanpa jurnal (nilainya nol).")
    return _("Jurnal #{number} sebesar {amount}.", number=entry_number, amount=rupiah(abs(value)))


class InventoryController(Controller):
    path = "/inventory"
    tags = ["toko"]

    @get("/stock", summary="Stok barang (per outlet, stok menipis)")
    async def stock(
        self,
        request: Request[Any, Any, Any],
        outlet: Annotated[str | None, QueryParameter(max_length=20)] = None,
        low: Annotated[bool, QueryParameter()] = False,
    ) -> StockOut:
        actor = require_actor(signed_in(request))
        k = shop_staff(actor)
        place = await service.outlet_by_code(k, outlet) if outlet else None
        return StockOut(
            outlet=place.code if place else None,
            outlets=[OutletOut(o.code, o.name) for o in await service.outlets(k)],
            items=await service.stock_list(k, place, low),
        )

    @post("/purchases", summary="Catat pembelian barang (stok masuk)", status_code=201)
    async def purchase(
        self, request: Request[Any, Any, Any], data: JSONBody[PurchaseIn]
    ) -> PostedOut:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        posted = await service.record_purchase(
            k,
            await _outlet_id(k, data.outlet),
            [service.PurchaseItem(line.sku, line.quantity, line.unit_cost) for line in data.lines],
            data.payment,
            _day(data.purchase_date),
            data.reference,
            **_who(request, actor.user_id, actor.region_id),
        )
        _ = translator(language_of(request.scope))
        message = _(
            "Pembelian {count} barang senilai {total} tercatat.",
            count=posted.movements,
            total=rupiah(posted.value),
        )
        return PostedOut(
            posted.movements,
            posted.value,
            posted.entry_number,
            posted.oversold,
            message + " " + _entry_text(posted.entry_number, posted.value, _),
        )

    @post(
        "/adjustments", summary="Catat penyesuaian stok (rusak, hilang, ditemukan)", status_code=201
    )
    async def adjustment(
        self, request: Request[Any, Any, Any], data: JSONBody[AdjustmentIn]
    ) -> PostedOut:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        posted = await service.record_adjustment(
            k,
            await _outlet_id(k, data.outlet),
            data.sku,
            data.quantity,
            data.reason,
            _day(data.adjustment_date),
            **_who(request, actor.user_id, actor.region_id),
        )
        _ = translator(language_of(request.scope))
        message = _("Penyesuaian stok tercatat.")
        return PostedOut(
            posted.movements,
            posted.value,
            posted.entry_number,
            posted.oversold,
            message + " " + _entry_text(posted.entry_number, posted.value, _),
        )

    @post("/counts", summary="Catat hasil stok opname", status_code=201)
    async def count(self, request: Request[Any, Any, Any], data: JSONBody[CountIn]) -> CountOut:
        actor = require_actor(signed_in(request))
        k = shop_manager(actor)
        result = await service.record_count(
            k,
            await _outlet_id(k, data.outlet),
            [(line.sku, line.counted) for line in data.lines],
            _day(data.count_date),
            data.note,
            **_who(request, actor.user_id, actor.region_id),
        )
        _ = translator(language_of(request.scope))
        message = _(
            "Stok opname tercatat: {count} barang dihitung, {differences} berselisih.",
            count=len(result.lines),
            differences=result.movements,
        )
        return CountOut(
            result.lines,
            result.movements,
            result.value,
            result.entry_number,
            message + " " + _entry_text(result.entry_number, result.value, _),
        )

    @get("/movements", summary="Riwayat pergerakan stok")
    async def movements(
        self,
        request: Request[Any, Any, Any],
        product: Annotated[str | None, QueryParameter(max_length=60)] = None,
        before: Annotated[int | None, QueryParameter(gt=0)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=service.HISTORY_MAX)] = 50,
    ) -> service.MovementPage:
        actor = require_actor(signed_in(request))
        page = await service.movements(shop_manager(actor), product or None, before, limit)
        _ = translator(language_of(request.scope))
        return replace(page, items=[replace(i, kind_label=_(i.kind_label)) for i in page.items])
