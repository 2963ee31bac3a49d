"""Health-assessment API. Pengurus work on their own koperasi; a Dinas officer on any
koperasi of the region, named with `?koperasi=<slug>`, and alone finalises an assessment and
sets the region's ATMR weights and rule confirmations. Kasir and anggota reach none of it.

The rule sets are checked when this module is imported (`rules.all_schemes()`): a broken
data file stops the app at start-up instead of scoring koperasi wrongly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from backend.accounts.domain import Actor
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.health import rules, service
from backend.web import language_of

SCHEMES = rules.all_schemes()  # fails loudly on a broken rule set

# The region's wall clock (Kota Mojokerto, WIB): "today" for the latest allowed date.
WIB = timezone(timedelta(hours=7), "WIB")

Slug = Annotated[str | None, QueryParameter(max_length=80)]
Number = Annotated[int, PathParameter(gt=0, le=2**31 - 1)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
Amount = Annotated[int, msgspec.Meta(ge=-(10**15), le=10**15)]


class StartIn(msgspec.Struct, forbid_unknown_fields=True):
    scheme: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    as_of: date


class Started(msgspec.Struct):
    number: int


class AnswersIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: dict[Code, bool] = {}
    figures: dict[Code, Amount | None] = {}


class AtmrWeightIn(msgspec.Struct, forbid_unknown_fields=True):
    weight_bp: Annotated[int, msgspec.Meta(ge=0, le=10_000)] | None


class ConfirmationIn(msgspec.Struct, forbid_unknown_fields=True):
    scheme: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    version: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    row: Code
    confirmed: bool


@dataclass(frozen=True)
class AspectInfo:
    code: str
    label: str
    weight: str
    indicators: int


@dataclass(frozen=True)
class SchemeInfo:
    scheme: str
    version: str
    name: str
    short_name: str
    valid_from: date
    recorded_on: date
    source: str
    method: str
    in_force: bool  # the version in force today
    aspects: list[AspectInfo]
    checklist_items: int


def today() -> date:
    return datetime.now(UTC).astimezone(WIB).date()


def _actor(request: Request[Any, Any, Any]) -> Actor:
    return require_actor(signed_in(request))


async def _place(request: Request[Any, Any, Any], koperasi: str | None) -> service.Place:
    return await service.place_for(_actor(request), koperasi)


def _who(request: Request[Any, Any, Any]) -> service.Who:
    return service.who_of(_actor(request), client_ip(request.scope))


class HealthController(Controller):
    path = "/health-assessments"
    tags = ["kesehatan"]

    @get("/schemes", summary="Aturan penilaian kesehatan (skema dan versinya)")
    async def schemes(self, request: Request[Any, Any, Any]) -> list[SchemeInfo]:
        service.require_assessor(_actor(request))
        language = language_of(request.scope)
        in_force = {(s.id, s.version) for s in rules.current_schemes(today())}
        return [
            SchemeInfo(
                scheme=s.id,
                version=s.version,
                name=s.name.in_(language),
                short_name=s.short_name.in_(language),
                valid_from=s.valid_from,
                recorded_on=s.recorded_on,
                source=s.source,
                method=s.method.value,
                in_force=(s.id, s.version) in in_force,
                aspects=[
                    AspectInfo(a.code, a.label.in_(language), str(a.weight), len(a.indicators))
                    for a in s.aspects
                ],
                checklist_items=len(s.items),
            )
            for s in rules.all_schemes()
        ]

    @get("/", summary="Daftar penilaian kesehatan koperasi")
    async def list_assessments(
        self, request: Request[Any, Any, Any], koperasi: Slug = None
    ) -> list[service.AssessmentSummary]:
        place = await _place(request, koperasi)
        return await service.assessments(place.koperasi_id, language_of(request.scope))

    @get("/history", summary="Rekam kesehatan: penilaian final menurut tanggal")
    async def history(
        self, request: Request[Any, Any, Any], koperasi: Slug = None
    ) -> list[service.TrendPoint]:
        place = await _place(request, koperasi)
        return await service.history(place.koperasi_id, language_of(request.scope))

    @post("/", summary="Mulai penilaian kesehatan (draf)", status_code=201)
    async def start(
        self, request: Request[Any, Any, Any], data: JSONBody[StartIn], koperasi: Slug = None
    ) -> Started:
        place = await _place(request, koperasi)
        number = await service.start(place, data.scheme, data.as_of, _who(request), today())
        return Started(number=number)

    @get("/{number:int}", summary="Satu penilaian kesehatan dengan bukti dan saran")
    async def detail(
        self, request: Request[Any, Any, Any], number: Number, koperasi: Slug = None
    ) -> service.AssessmentView:
        place = await _place(request, koperasi)
        return await service.detail(place, number, language_of(request.scope))

    @put("/{number:int}/answers", summary="Jawab daftar periksa dan isi angka, lalu hitung")
    async def answers(
        self,
        request: Request[Any, Any, Any],
        number: Number,
        data: JSONBody[AnswersIn],
        koperasi: Slug = None,
    ) -> service.AssessmentView:
        place = await _place(request, koperasi)
        await service.save(place, number, data.answers, data.figures, _who(request))
        return await service.detail(place, number, language_of(request.scope))

    @post("/{number:int}/recompute", summary="Hitung ulang dari pembukuan", status_code=200)
    async def recompute(
        self, request: Request[Any, Any, Any], number: Number, koperasi: Slug = None
    ) -> service.AssessmentView:
        place = await _place(request, koperasi)
        await service.recompute(place, number)
        return await service.detail(place, number, language_of(request.scope))

    @post("/{number:int}/finalise", summary="Finalkan penilaian (petugas Dinas)", status_code=200)
    async def finalise(
        self, request: Request[Any, Any, Any], number: Number, koperasi: Slug = None
    ) -> service.AssessmentView:
        place = await _place(request, koperasi)
        await service.finalise(place, number, _who(request))
        return await service.detail(place, number, language_of(request.scope))

    @delete("/{number:int}", summary="Hapus draf penilaian", status_code=204)
    async def delete_draft(
        self, request: Request[Any, Any, Any], number: Number, koperasi: Slug = None
    ) -> None:
        place = await _place(request, koperasi)
        await service.delete_draft(place, number, _who(request))

    @get("/region", summary="Kesehatan koperasi se-wilayah (petugas Dinas)")
    async def region(self, request: Request[Any, Any, Any]) -> list[service.RegionRow]:
        region_id = service.require_dinas(_actor(request))
        return await service.region_latest(region_id, language_of(request.scope))

    @get("/region/settings", summary="Bobot ATMR dan konfirmasi aturan wilayah")
    async def settings(self, request: Request[Any, Any, Any]) -> service.RegionSettings:
        region_id = service.require_dinas(_actor(request))
        return await service.region_settings(region_id, language_of(request.scope), today())

    @put("/region/atmr-weights/{account:str}", summary="Ubah bobot risiko ATMR wilayah")
    async def atmr_weight(
        self,
        request: Request[Any, Any, Any],
        account: Annotated[str, PathParameter(max_length=20)],
        data: JSONBody[AtmrWeightIn],
    ) -> service.RegionSettings:
        region_id = service.require_dinas(_actor(request))
        await service.set_atmr_weight(region_id, account, data.weight_bp, _who(request))
        return await service.region_settings(region_id, language_of(request.scope), today())

    @put("/region/confirmations", summary="Konfirmasi baris aturan berkeyakinan rendah")
    async def confirmation(
        self, request: Request[Any, Any, Any], data: JSONBody[ConfirmationIn]
    ) -> service.RegionSettings:
        region_id = service.require_dinas(_actor(request))
        await service.set_confirmation(
            region_id, data.scheme, data.version, data.row, data.confirmed, _who(request)
        )
        return await service.region_settings(region_id, language_of(request.scope), today())
