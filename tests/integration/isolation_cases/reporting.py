"""Isolation cases of the periodic reports: a pengurus reads and files only their own
koperasi's reports; a Dinas officer reads every koperasi of the region (K1 and K2), never
another region's (K3); kasir and anggota reach none of it. Each koperasi has filed one
report whose contact person names it ("Narahubung Rahasia" is K2's, "Narahubung Jauh"
K3's); `_world_reports` makes them once per world."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
import openpyxl

from backend.accounts.domain import Role
from backend.reporting import service
from backend.reporting.api import today
from backend.reporting.domain import PeriodKind, last_complete
from backend.reporting.forms import MONTHLY_V1
from backend.reporting.tables import ReportSubmission
from backend.tenancy.tables import Koperasi
from tests.support.isolation import Case, World, refused

MINE, SECRET, FAR = "Narahubung Saya", "Narahubung Rahasia", "Narahubung Jauh"


def _period() -> str:
    return last_complete(PeriodKind.MONTH, today()).code


async def _world_reports(world: World) -> dict[str, int]:
    """Submission ids of K1 ("mine"), K2 ("foreign") and K3 ("far")."""
    k3 = await Koperasi.select(Koperasi.id).where(Koperasi.slug == world.k3_slug).first()
    assert k3 is not None
    ids: dict[str, int] = {}
    for name, k, contact in (
        ("mine", world.k1, MINE),
        ("foreign", world.k2, SECRET),
        ("far", int(k3["id"]), FAR),
    ):
        row = (
            await ReportSubmission.select(ReportSubmission.id)
            .where(ReportSubmission.koperasi == k)
            .first()
        )
        if row is None:
            values: dict[str, Any] = {f.key: 0 for f in MONTHLY_V1.fields if f.numeric}
            values.update(contact_name=contact, contact_phone="0812 3456 7890")
            payload = {
                "form": "bulanan",
                "version": 1,
                "period": _period(),
                "values": values,
                "correction": None,
            }
            [result] = await service.sync(
                service.Filer(k), [service.ItemIn(str(uuid.uuid4()), "report", payload)], today()
            )
            assert result.status == "created", result
            ids[name] = int(result.submission_id or 0)
        else:
            ids[name] = int(row["id"])
    return ids


def _far_free(response: httpx.Response) -> None:
    assert FAR not in response.text and "KUD Contoh" not in response.text


def _secret_free(response: httpx.Response) -> None:
    _far_free(response)
    assert SECRET not in response.text and "Artha Mandiri" not in response.text


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


async def forms(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_reports(world)
    response = await client.get("/api/v1/reports/forms")
    assert response.status_code == 200  # the blank forms: nothing of any koperasi
    assert [f["key"] for f in response.json()] == ["bulanan", "triwulan"]
    _secret_free(response)
    assert MINE not in response.text


async def status(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_reports(world)
    own = await client.get("/api/v1/reports/status", params={"form": "bulanan"})
    foreign = await client.get(
        "/api/v1/reports/status", params={"form": "bulanan", "koperasi": "ksp-artha-mandiri"}
    )
    far = await client.get(
        "/api/v1/reports/status", params={"form": "bulanan", "koperasi": world.k3_slug}
    )
    refused(far)
    _far_free(far)
    if role is Role.PENGURUS:
        assert own.status_code == 200 and own.json()["periods"][0]["filed"] is True
        refused(foreign)
    elif role is Role.DINAS:
        refused(own)  # an officer names the koperasi
        assert foreign.status_code == 200 and foreign.json()["periods"][0]["filed"] is True
    else:
        refused(own)
        refused(foreign)


async def prefill(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_reports(world)
    response = await client.get(
        "/api/v1/reports/prefill", params={"form": "bulanan", "period": _period()}
    )
    if role is Role.PENGURUS:
        assert response.status_code == 200
        assert response.json()["values"]["members_end"] >= 1  # K1's members
    else:
        refused(response)
    _secret_free(response)


async def sync(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_reports(world)
    before = await ReportSubmission.count()
    item = {"id": str(uuid.uuid4()), "kind": "report", "payload": {"form": "bulanan"}}
    # Into K2: refused whoever asks (a pengurus files for their own koperasi only).
    response = await client.post(
        "/api/v1/reports/sync", json={"koperasi_id": world.k2, "items": [item]}
    )
    refused(response)
    own = await client.post("/api/v1/reports/sync", json={"koperasi_id": world.k1, "items": [item]})
    if role is Role.PENGURUS:
        assert own.status_code == 200
        assert own.json()["results"][0]["status"] == "rejected"  # the payload is incomplete
    else:
        refused(own)
    assert await ReportSubmission.count() == before


async def submissions(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_reports(world)
    own = await client.get("/api/v1/reports/submissions")
    foreign = await client.get(
        "/api/v1/reports/submissions", params={"koperasi": "ksp-artha-mandiri"}
    )
    far = await client.get("/api/v1/reports/submissions", params={"koperasi": world.k3_slug})
    refused(far)
    _far_free(far)
    if role is Role.PENGURUS:
        assert [s["id"] for s in own.json()] == [ids["mine"]]
        refused(foreign)
        _secret_free(foreign)
    elif role is Role.DINAS:
        refused(own)
        assert [s["id"] for s in foreign.json()] == [ids["foreign"]]
    else:
        for response in (own, foreign):
            refused(response)
            _secret_free(response)


async def submission(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_reports(world)
    far = await client.get(f"/api/v1/reports/submissions/{ids['far']}")
    refused(far)
    _far_free(far)
    foreign = await client.get(f"/api/v1/reports/submissions/{ids['foreign']}")
    own = await client.get(f"/api/v1/reports/submissions/{ids['mine']}")
    if role is Role.DINAS:
        assert foreign.status_code == 200 and SECRET in foreign.text
        assert own.status_code == 200 and MINE in own.text
    elif role is Role.PENGURUS:
        refused(foreign)
        _secret_free(foreign)
        assert own.status_code == 200 and MINE in own.text
    else:
        for response in (own, foreign):
            refused(response)
            _secret_free(response)
            assert MINE not in response.text


async def region(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_reports(world)
    response = await client.get("/api/v1/reports/region", params={"period": _period()})
    _far_free(response)
    if role is Role.DINAS:
        assert response.status_code == 200
        filings = {r["slug"]: r["filed"] for r in response.json()["rows"]}
        assert filings["kopwan-srikandi"] and filings["ksp-artha-mandiri"]
        assert world.k3_slug not in filings
    else:
        refused(response)
        _secret_free(response)


async def region_export(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_reports(world)
    response = await client.get("/api/v1/reports/region/export", params={"period": _period()})
    if role is not Role.DINAS:
        refused(response)
        _secret_free(response)
        return
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }
    assert SECRET in cells and MINE in cells  # the whole region
    assert FAR not in cells and "KUD Contoh" not in cells


async def dinas_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_reports(world)
    response = await client.get("/pengawasan/laporan", params={"period": _period()})
    _far_free(response)
    if role is Role.DINAS:
        assert response.status_code == 200
        assert "Koperasi Wanita Srikandi" in response.text
    else:
        _page_refused(response)
        _secret_free(response)


async def submission_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_reports(world)
    far = await client.get(f"/laporan/kiriman/{ids['far']}")
    _page_refused(far)
    _far_free(far)
    foreign = await client.get(f"/laporan/kiriman/{ids['foreign']}")
    own = await client.get(f"/laporan/kiriman/{ids['mine']}")
    if role is Role.DINAS:
        assert foreign.status_code == 200 and SECRET in foreign.text
        assert own.status_code == 200
    elif role is Role.PENGURUS:
        _page_refused(foreign)
        _secret_free(foreign)
        assert own.status_code == 200 and MINE in own.text
    else:
        for response in (own, foreign):
            _page_refused(response)
            _secret_free(response)
            assert MINE not in response.text


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/reports/forms"): forms,
    ("GET", "/api/v1/reports/status"): status,
    ("GET", "/api/v1/reports/prefill"): prefill,
    ("POST", "/api/v1/reports/sync"): sync,
    ("GET", "/api/v1/reports/submissions"): submissions,
    ("GET", "/api/v1/reports/submissions/{submission_id:int}"): submission,
    ("GET", "/api/v1/reports/region"): region,
    ("GET", "/api/v1/reports/region/export"): region_export,
    ("GET", "/pengawasan/laporan"): dinas_page,
    ("GET", "/laporan/kiriman/{submission_id:int}"): submission_page,
}
