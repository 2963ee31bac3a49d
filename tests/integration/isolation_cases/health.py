"""Isolation cases of the health-assessment routes and pages: another koperasi's
assessments (K2 "KSP Artha Mandiri" for everyone but a region A officer; K3 "KUD Contoh" of
region B for everyone) are never read or changed; kasir and anggota reach none of it; only
a Dinas officer finalises, and only in the region; the region's ATMR weights and rule
confirmations are the region's officers' alone.

The demo gives K1 (Srikandi) and K2 three final assessments each; K3 gets a draft here
(`_k3_draft`, idempotent per world)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from backend.accounts.domain import Role
from backend.health import service
from backend.health.tables import (
    HealthAnswer,
    HealthAssessment,
    HealthAtmrWeight,
    HealthFigure,
    HealthRuleConfirmation,
)
from backend.tenancy.tables import Koperasi
from tests.support.isolation import Case, World, foreign_books, refused

API = "/api/v1/health-assessments"
K1 = "kopwan-srikandi"
SECRETS = ("KSP Artha Mandiri", "KUD Contoh")


async def _k3_draft(world: World) -> int:
    """A draft assessment in K3 (region B), made by its own officer."""
    place = await service._place(slug=world.k3_slug)
    assert place is not None
    number = await service.draft_number(place.koperasi_id)
    if number is None:
        officer = service.Who(user_id=None, role="dinas", region_id=place.region_id)
        number = await service.start(
            place, "kkpkk-2021", date(2026, 1, 31), officer, date(2026, 1, 31)
        )
    return number


async def _state() -> list[Any]:
    """Everything stored of K2's and K3's assessments."""
    others = [r["id"] for r in await Koperasi.select(Koperasi.id).where(Koperasi.slug != K1)]
    rows = (
        await HealthAssessment.select(
            HealthAssessment.koperasi,
            HealthAssessment.number,
            HealthAssessment.status,
            HealthAssessment.total_score,
            HealthAssessment.computed_at,
        )
        .where(HealthAssessment.koperasi.is_in(others))
        .order_by(HealthAssessment.id)
    )
    answers = await HealthAnswer.count().where(HealthAnswer.koperasi.is_in(others))
    figures = await HealthFigure.count().where(HealthFigure.koperasi.is_in(others))
    return [rows, answers, figures]


def _secret_free(response: httpx.Response, role: Role) -> None:
    for secret in SECRETS:
        if role is Role.DINAS and secret == "KSP Artha Mandiri":
            continue  # the officer's own region
        assert secret not in response.text, (secret, response.status_code)


def _assessor(role: Role) -> bool:
    return role in (Role.PENGURUS, Role.DINAS)


def _own(role: Role) -> dict[str, str]:
    """How a role names K1: a pengurus implicitly, an officer by slug."""
    return {"koperasi": K1} if role is Role.DINAS else {}


async def schemes(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.get(f"{API}/schemes")
    if _assessor(role):
        assert response.status_code == 200
        assert {s["scheme"] for s in response.json()} == {"perdep06-2016", "kkpkk-2021"}
    else:
        refused(response)


def _reader(path: str) -> Case:
    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        await _k3_draft(world)
        for slug in foreign_books(role):
            response = await client.get(path, params={"koperasi": slug})
            refused(response)
            _secret_free(response, role)
        own = await client.get(path, params=_own(role))
        _secret_free(own, role)
        if _assessor(role):
            assert own.status_code == 200, own.text
            numbers = {item["number"] for item in own.json()}
            assert {1, 2, 3} <= numbers
        else:
            refused(own)
        if role is Role.DINAS:
            neighbour = await client.get(path, params={"koperasi": "ksp-artha-mandiri"})
            assert neighbour.status_code == 200 and len(neighbour.json()) >= 3

    return case


async def start(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _k3_draft(world)
    before = await _state()
    body = {"scheme": "kkpkk-2021", "as_of": "2026-01-31"}
    for slug in foreign_books(role):
        response = await client.post(API, params={"koperasi": slug}, json=body)
        refused(response)
        _secret_free(response, role)
    assert await _state() == before
    own = await client.post(API, params=_own(role), json=body)
    if _assessor(role):
        assert own.status_code in (201, 409), own.text  # 409: a draft is already open
    else:
        refused(own)


def _writer(method: str, suffix: str, body: dict[str, Any] | None = None) -> Case:
    """A write on one assessment: refused on K2's and K3's, by kasir and anggota on K1's."""

    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        k3 = await _k3_draft(world)
        before = await _state()
        for slug in foreign_books(role):
            for number in (1, k3):
                response = await client.request(
                    method, f"{API}/{number}{suffix}", params={"koperasi": slug}, json=body
                )
                refused(response)
                _secret_free(response, role)
        assert await _state() == before
        if not _assessor(role):
            refused(await client.request(method, f"{API}/1{suffix}", json=body))

    return case


async def detail(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _writer("GET", "")(client, world, role)
    own = await client.get(f"{API}/1", params=_own(role))
    _secret_free(own, role)
    if _assessor(role):
        assert own.status_code == 200 and own.json()["koperasi_name"] == "Koperasi Wanita Srikandi"
    else:
        refused(own)


async def finalise(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _writer("POST", "/finalise")(client, world, role)
    if role is Role.PENGURUS:
        # Not even their own koperasi's draft.
        place = await service._place(slug=K1)
        assert place is not None
        number = await service.draft_number(place.koperasi_id)
        if number is None:
            number = await service.start(
                place,
                "kkpkk-2021",
                date(2026, 1, 31),
                service.Who(None, "pengurus"),
                date(2026, 1, 31),
            )
        response = await client.post(f"{API}/{number}/finalise")
        assert response.status_code == 403
        assert await service.draft_number(place.koperasi_id) == number


async def region(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.get(f"{API}/region")
    if role is Role.DINAS:
        assert response.status_code == 200
        slugs = {r["slug"] for r in response.json()}
        assert {K1, "ksp-artha-mandiri"} <= slugs and world.k3_slug not in slugs
    else:
        refused(response)
    assert "KUD Contoh" not in response.text


async def settings(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.get(f"{API}/region/settings")
    if role is Role.DINAS:
        assert response.status_code == 200
        assert response.json()["atmr"]
    else:
        refused(response)


async def atmr_weight(client: httpx.AsyncClient, world: World, role: Role) -> None:
    path = f"{API}/region/atmr-weights/1-1200"
    response = await client.put(path, json={"weight_bp": 5_000})
    if role is Role.DINAS:
        assert response.status_code == 200, response.text
        rows = await HealthAtmrWeight.select(
            HealthAtmrWeight.region.as_alias("region_id"), HealthAtmrWeight.weight_bp
        )
        mine = await Koperasi.select(Koperasi.region.as_alias("region_id")).where(
            Koperasi.slug == K1
        )
        assert len(rows) == 1 and rows[0]["weight_bp"] == 5_000
        assert rows[0]["region_id"] == mine[0]["region_id"]
        reset = await client.put(path, json={"weight_bp": None})
        assert reset.status_code == 200
    else:
        refused(response)
    assert not await HealthAtmrWeight.exists()


async def confirmation(client: httpx.AsyncClient, world: World, role: Role) -> None:
    body = {"scheme": "kkpkk-2021", "version": "2026-11-29", "row": "car", "confirmed": True}
    response = await client.put(f"{API}/region/confirmations", json=body)
    if role is Role.DINAS:
        assert response.status_code == 200, response.text
        assert await HealthRuleConfirmation.count() == 1
        undo = await client.put(f"{API}/region/confirmations", json={**body, "confirmed": False})
        assert undo.status_code == 200
    else:
        refused(response)
    assert not await HealthRuleConfirmation.exists()


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


async def health_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.get("/kesehatan")
    _secret_free(response, role)
    if role is Role.PENGURUS:
        assert response.status_code == 200
        assert "Koperasi Wanita Srikandi" in response.text
        assert "KSP Artha Mandiri" not in response.text
    elif role is Role.DINAS:
        assert response.status_code == 200
        assert "KSP Artha Mandiri" in response.text
    else:
        _page_refused(response)
    for slug in foreign_books(role):
        # The page takes no koperasi parameter: a pengurus always sees their own.
        again = await client.get("/kesehatan", params={"koperasi": slug, "penilaian": 1})
        _secret_free(again, role)


async def dinas_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    for slug in (world.k3_slug, "ksp-artha-mandiri", K1):
        response = await client.get(f"/pengawasan/kesehatan/{slug}")
        _secret_free(response, role)
        if role is Role.DINAS and slug != world.k3_slug:
            assert response.status_code == 200
        else:
            _page_refused(response)


CASES: dict[tuple[str, str], Case] = {
    ("GET", f"{API}/schemes"): schemes,
    ("GET", API): _reader(API),
    ("GET", f"{API}/history"): _reader(f"{API}/history"),
    ("POST", API): start,
    ("GET", f"{API}/{{number:int}}"): detail,
    ("PUT", f"{API}/{{number:int}}/answers"): _writer(
        "PUT", "/answers", {"answers": {"prinsip_keanggotaan_01": False}, "figures": {"shu": 1}}
    ),
    ("POST", f"{API}/{{number:int}}/recompute"): _writer("POST", "/recompute"),
    ("POST", f"{API}/{{number:int}}/finalise"): finalise,
    ("DELETE", f"{API}/{{number:int}}"): _writer("DELETE", ""),
    ("GET", f"{API}/region"): region,
    ("GET", f"{API}/region/settings"): settings,
    ("PUT", f"{API}/region/atmr-weights/{{account:str}}"): atmr_weight,
    ("PUT", f"{API}/region/confirmations"): confirmation,
    ("GET", "/kesehatan"): health_page,
    ("GET", "/pengawasan/kesehatan/{slug:str}"): dinas_page,
}
