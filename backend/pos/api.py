"""Point-of-sale API: a phone registers as a till, then sends what it queued offline to
`POST /api/v1/sync` and gets one result per item (created, duplicate, conflict, rejected),
never an all-or-nothing answer. Kasir and pengurus of the koperasi only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody, PathParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.guards import PUBLIC
from backend.accounts.sessions import require_actor
from backend.accounts.web import signed_in
from backend.errors import Forbidden, Unauthenticated, ValidationFailed
from backend.i18n import translator
from backend.pos import ingest, reports, service
from backend.texts import N_
from backend.web import language_of

MAX_BATCH = 500


class DeviceIn(msgspec.Struct, forbid_unknown_fields=True):
    outlet_code: Annotated[str, msgspec.Meta(max_length=20)]
    name: Annotated[str, msgspec.Meta(max_length=100)] = ""


class SyncItem(msgspec.Struct, forbid_unknown_fields=True):
    id: Annotated[str, msgspec.Meta(min_length=8, max_length=36, pattern="^[0-9A-Za-z-]+$")]
    kind: Annotated[str, msgspec.Meta(max_length=20)]
    payload: dict[str, Any]
    created_at: str | None = None


class SyncBatch(msgspec.Struct, forbid_unknown_fields=True):
    device: Annotated[str, msgspec.Meta(max_length=20)]
    items: Annotated[list[SyncItem], msgspec.Meta(max_length=MAX_BATCH)]


class SyncResult(msgspec.Struct):
    results: list[service.ItemResult]
    server_time: datetime


@post(
    "/sync",
    summary="Kirim antrean dari perangkat kasir (tepat sekali)",
    tags=["kasir"],
    status_code=200,
)
async def sync(request: Request[Any, Any, Any], data: JSONBody[SyncBatch]) -> SyncResult:
    actor = require_actor(signed_in(request))
    k = service.till_staff(actor)
    items = [service.ItemIn(item.id, item.kind, item.payload) for item in data.items]
    service.check_batch(data.device, items)
    till = await service.till(k, data.device, actor.user_id)
    results = _translated(request, await service.sync(till, items))
    return SyncResult(results=results, server_time=datetime.now(UTC))


class PosController(Controller):
    path = "/pos"
    tags = ["kasir"]

    @post("/devices", summary="Daftarkan ponsel sebagai kasir toko", status_code=201)
    async def register(
        self, request: Request[Any, Any, Any], data: JSONBody[DeviceIn]
    ) -> service.DeviceInfo:
        actor = require_actor(signed_in(request))
        k = service.till_staff(actor)
        return await service.register_device(k, data.outlet_code, data.name, actor.user_id)

    @get("/shifts/{shift_id:str}", summary="Laporan tutup shift")
    async def shift_report(
        self,
        request: Request[Any, Any, Any],
        shift_id: Annotated[str, PathParameter(max_length=36)],
    ) -> reports.ShiftReport:
        actor = require_actor(signed_in(request))
        return await reports.shift_report(service.till_staff(actor), shift_id)

    @get("/late-sales", summary="Penjualan yang datang setelah shift ditutup")
    async def late_sales(self, request: Request[Any, Any, Any]) -> list[reports.SaleSummary]:
        actor = require_actor(signed_in(request))
        return await reports.late_sales(service.till_staff(actor))


def _pengurus(actor: Actor) -> int:
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden(
            "pengurus_only", N_("Hanya pengurus yang mengatur sambungan aplikasi lain.")
        )
    return actor.koperasi_id


def _translated(
    request: Request[Any, Any, Any], results: list[service.ItemResult]
) -> list[service.ItemResult]:
    _ = translator(language_of(request.scope))
    return [replace(r, message=_(r.message)) if r.message else r for r in results]


class TokenIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=100)]
    outlet_code: Annotated[str, msgspec.Meta(max_length=20)]


class TokenController(Controller):
    """Keys for other retail apps that push their sales (pengurus)."""

    path = "/pos/tokens"
    tags = ["integrasi"]

    @get("/", summary="Kunci API aplikasi ritel lain")
    async def tokens(self, request: Request[Any, Any, Any]) -> list[ingest.TokenInfo]:
        return await ingest.list_tokens(_pengurus(require_actor(signed_in(request))))

    @post("/", summary="Buat kunci API (ditampilkan sekali)", status_code=201)
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[TokenIn]
    ) -> ingest.NewToken:
        actor = require_actor(signed_in(request))
        return await ingest.create_token(
            _pengurus(actor), data.name, data.outlet_code, actor.user_id
        )

    @delete("/{token_id:int}", summary="Cabut kunci API", status_code=204)
    async def revoke(
        self, request: Request[Any, Any, Any], token_id: Annotated[int, PathParameter(gt=0)]
    ) -> None:
        await ingest.revoke_token(_pengurus(require_actor(signed_in(request))), token_id)


class ExternalLine(msgspec.Struct, forbid_unknown_fields=True):
    sku: Annotated[str, msgspec.Meta(max_length=40)]
    quantity: int
    unit_price: int
    discount: int = 0


class ExternalSale(msgspec.Struct, forbid_unknown_fields=True):
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    sold_at: str
    lines: Annotated[list[ExternalLine], msgspec.Meta(max_length=200)]
    total: int
    receipt_number: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    method: str = "tunai"
    member_number: Annotated[str, msgspec.Meta(max_length=20)] | None = None


class ExternalBatch(msgspec.Struct, forbid_unknown_fields=True):
    sales: Annotated[list[ExternalSale], msgspec.Meta(max_length=MAX_BATCH)]


class IngestResult(msgspec.Struct):
    results: list[service.ItemResult]


@post(
    "/ingest/sales",
    summary="Kirim penjualan dari aplikasi ritel lain (Authorization: Bearer kunci API)",
    tags=["integrasi"],
    status_code=200,
    opt=PUBLIC,  # authenticated by the API key, not by a browser session
)
async def ingest_sales(
    request: Request[Any, Any, Any], data: JSONBody[ExternalBatch]
) -> IngestResult:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(ingest.TOKEN_PREFIX):
        raise Unauthenticated(
            "token_required", N_("Kirim kunci API di header Authorization: Bearer.")
        )
    till = await ingest.till_of_token(token.strip())
    sales = [msgspec.to_builtins(sale) for sale in data.sales]
    return IngestResult(_translated(request, await ingest.ingest(till, sales, "api")))


@dataclass
class CsvForm:
    file: UploadFile | None = None
    outlet_code: str = ""
    commit: bool = False


class CsvOutcome(msgspec.Struct):
    sales: int
    rows_refused: list[ingest.CsvRowError]
    results: list[service.ItemResult]


@post(
    "/pos/imports/sales-csv",
    summary="Unggah ekspor penjualan CSV (tepat sekali)",
    tags=["integrasi"],
    status_code=200,
)
async def upload_sales_csv(
    request: Request[Any, Any, Any],
    data: Annotated[CsvForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> CsvOutcome:
    """Without `commit` only the parsed file is checked; with it the sales go through the
    till's door. A file uploaded again answers `duplicate` for each sale it already brought."""
    k = _pengurus(require_actor(signed_in(request)))
    if data.file is None:
        raise ValidationFailed("file_required", N_("Pilih berkas CSV penjualan."), "file")
    body = await data.file.read()
    if len(body) > 5_000_000:
        raise ValidationFailed(
            "file_too_large", N_("Berkas terlalu besar (paling besar 5 MB)."), "file"
        )
    parsed = ingest.parse_sales_csv(body)
    _ = translator(language_of(request.scope))
    refused = [replace(error, reason=_(error.reason)) for error in parsed.errors]
    if not data.commit:
        return CsvOutcome(len(parsed.sales), refused, [])
    till = await ingest.upload_till(k, data.outlet_code)
    results = _translated(request, await ingest.ingest(till, parsed.sales, "csv"))
    return CsvOutcome(len(parsed.sales), refused, results)
