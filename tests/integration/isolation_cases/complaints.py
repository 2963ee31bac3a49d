"""Isolation cases of complaints and consultations (decision 0019). A Dinas officer reads
and acts on the complaints and consultations of their region (K1's and K2's), never another
region's (K3's); a pengurus sees a complaint about their koperasi only once the Dinas
forwarded it, and only their koperasi's consultations; kasir and anggota reach none of it.
The public reaches a complaint only through its ticket (tests/integration/
test_complaints.py). `_world_complaints` makes the complaints and threads once per world."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import httpx

from backend.accounts.domain import Actor, Role
from backend.complaints import service
from backend.complaints.tables import (
    Complaint,
    ComplaintEvent,
    Consultation,
    ConsultationMessage,
)
from backend.tenancy.tables import Koperasi
from tests.support.isolation import Case, World, refused

MINE = "Aduan Saya tentang Srikandi"
SECRET = "Aduan Rahasia tentang Artha"
FAR = "Aduan Jauh tentang KUD Contoh"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def _file(region_slug: str, koperasi_slug: str, text: str, photo: bool) -> int:
    made = await service.new_challenge()
    answer = made.a + made.b if made.plus else made.a - made.b
    payload: dict[str, object] = {
        "region": region_slug,
        "koperasi": koperasi_slug,
        "category": "pelayanan",
        "text": text + " — uraian lengkap kejadiannya.",
        "challenge": made.token,
        "answer": str(answer),
    }
    if photo:
        payload["photo"] = {"data": base64.b64encode(PNG).decode()}
    [result] = await service.sync(
        [service.ItemIn(str(uuid.uuid4()), "complaint", payload)], "192.0.2.1", lambda: None
    )
    assert result.status == "created", result
    row = await Complaint.select(Complaint.id).where(Complaint.ticket == result.ticket).first()
    assert row is not None
    return int(row["id"])


async def _world_complaints(world: World) -> dict[str, int]:
    """Ids: complaints "mine" (K1), "foreign" (K2), "far" (K3, region B), all forwarded;
    consultations "t_mine" (K1), "t_foreign" (K2), "t_far" (region B, public)."""
    found = {
        r["body"].split(" — ")[0]: int(r["id"])
        for r in await Complaint.select(Complaint.id, Complaint.body)
    }
    if MINE not in found:
        for text, region, koperasi in (
            (MINE, "kota-mojokerto", "kopwan-srikandi"),
            (SECRET, "kota-mojokerto", "ksp-artha-mandiri"),
            (FAR, "kabupaten-contoh", world.k3_slug),
        ):
            found[text] = await _file(region, koperasi, text, photo=True)
        await Complaint.update({Complaint.forwarded: True}, force=True)
        now = datetime.now(UTC)
        region_a = (
            await Koperasi.select(Koperasi.region.as_alias("r"))
            .where(Koperasi.id == world.k1)
            .first()
        )
        assert region_a is not None
        mine_pengurus = Actor(
            world.mine[Role.PENGURUS].user_id, Role.PENGURUS, int(region_a["r"]), world.k1
        )
        foreign_pengurus = Actor(
            world.foreign_pengurus.user_id, Role.PENGURUS, int(region_a["r"]), world.k2
        )
        await service.ask(mine_pengurus, service.QuestionIn("Topik Saya", MINE + " lengkap"), now)
        await service.ask(
            foreign_pengurus, service.QuestionIn("Topik Rahasia", SECRET + " lengkap"), now
        )
        made = await service.new_challenge()
        await service.ask_public(
            "kabupaten-contoh",
            service.QuestionIn("Topik Jauh", FAR + " lengkap", "Warga", "0812345678", ""),
            made.token,
            str(made.a + made.b if made.plus else made.a - made.b),
            now,
        )
    threads = {r["topic"]: int(r["id"]) for r in await Consultation.select()}
    return {
        "mine": found[MINE],
        "foreign": found[SECRET],
        "far": found[FAR],
        "t_mine": threads["Topik Saya"],
        "t_foreign": threads["Topik Rahasia"],
        "t_far": threads["Topik Jauh"],
    }


def _far_free(response: httpx.Response) -> None:
    assert FAR not in response.text and "Topik Jauh" not in response.text


def _secret_free(response: httpx.Response) -> None:
    _far_free(response)
    assert SECRET not in response.text and "Topik Rahasia" not in response.text


async def region_list(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.get("/api/v1/complaints")
    _far_free(response)
    if role is Role.DINAS:
        assert response.status_code == 200
        assert MINE in response.text and SECRET in response.text
    else:
        refused(response)
        _secret_free(response)


async def export(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.get("/api/v1/complaints/export", params={"format": "csv"})
    _far_free(response)
    if role is Role.DINAS:
        assert response.status_code == 200 and MINE in response.text
    else:
        refused(response)


async def forwarded(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.get("/api/v1/complaints/koperasi")
    _secret_free(response)
    if role is Role.PENGURUS:
        assert response.status_code == 200 and MINE in response.text
    else:
        refused(response)


async def detail(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    far = await client.get(f"/api/v1/complaints/{ids['far']}")
    refused(far)
    _far_free(far)
    foreign = await client.get(f"/api/v1/complaints/{ids['foreign']}")
    own = await client.get(f"/api/v1/complaints/{ids['mine']}")
    if role is Role.DINAS:
        assert foreign.status_code == 200 and own.status_code == 200
    elif role is Role.PENGURUS:
        refused(foreign)
        _secret_free(foreign)
        assert own.status_code == 200 and MINE in own.text
    else:
        refused(foreign)
        refused(own)


async def photo(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    refused(await client.get(f"/api/v1/complaints/{ids['far']}/photo"))
    own = await client.get(f"/api/v1/complaints/{ids['mine']}/photo")
    if role in (Role.DINAS, Role.PENGURUS):
        assert own.status_code == 200 and own.content == PNG
        if role is Role.PENGURUS:
            refused(await client.get(f"/api/v1/complaints/{ids['foreign']}/photo"))
    else:
        refused(own)


async def act(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    before = await ComplaintEvent.count().where(ComplaintEvent.complaint == ids["far"])
    for body in (
        {"action": "balasan", "body": "Balasan dari luar wilayah"},
        {"action": "ditolak", "body": "Ditolak dari luar wilayah"},
    ):
        refused(await client.post(f"/api/v1/complaints/{ids['far']}/actions", json=body))
    if role is Role.PENGURUS:
        refused(
            await client.post(
                f"/api/v1/complaints/{ids['foreign']}/actions",
                json={"action": "balasan", "body": "Balasan untuk koperasi lain"},
            )
        )
    assert await ComplaintEvent.count().where(ComplaintEvent.complaint == ids["far"]) == before
    row = await Complaint.select(Complaint.status).where(Complaint.id == ids["far"]).first()
    assert row is not None and row["status"] == "baru"
    assert not await ComplaintEvent.exists().where(ComplaintEvent.body.like("%koperasi lain%"))


async def threads(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.get("/api/v1/consultations")
    _far_free(response)
    if role is Role.DINAS:
        assert "Topik Saya" in response.text and "Topik Rahasia" in response.text
    elif role is Role.PENGURUS:
        assert "Topik Saya" in response.text
        _secret_free(response)
    else:
        refused(response)


async def ask(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.post(
        "/api/v1/consultations", json={"topic": f"Tanya {role.value}", "text": MINE + " baru"}
    )
    if role is Role.PENGURUS:
        assert response.status_code == 201
        row = (
            await Consultation.select(Consultation.koperasi.as_alias("k"))
            .where(Consultation.id == response.json()["id"])
            .first()
        )
        assert row is not None and row["k"] == world.k1  # always the asker's koperasi
    else:
        refused(response)
        assert not await Consultation.exists().where(Consultation.topic == f"Tanya {role.value}")


async def thread(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    far = await client.get(f"/api/v1/consultations/{ids['t_far']}")
    refused(far)
    _far_free(far)
    foreign = await client.get(f"/api/v1/consultations/{ids['t_foreign']}")
    if role is Role.DINAS:
        assert foreign.status_code == 200
    else:
        refused(foreign)
        _secret_free(foreign)


async def message(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    before = await ConsultationMessage.count()
    refused(
        await client.post(
            f"/api/v1/consultations/{ids['t_far']}/messages", json={"text": "dari luar"}
        )
    )
    if role is not Role.DINAS:
        refused(
            await client.post(
                f"/api/v1/consultations/{ids['t_foreign']}/messages", json={"text": "dari luar"}
            )
        )
    assert await ConsultationMessage.count() == before


async def close(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    refused(await client.post(f"/api/v1/consultations/{ids['t_far']}/close"))
    if role is not Role.DINAS:
        refused(await client.post(f"/api/v1/consultations/{ids['t_foreign']}/close"))
    rows = await Consultation.select(Consultation.status).where(
        Consultation.id.is_in([ids["t_far"], ids["t_foreign"]])
    )
    assert {r["status"] for r in rows} == {"terbuka"}


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


async def desk_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.get("/pengawasan/pengaduan")
    _far_free(response)
    if role is Role.DINAS:
        assert response.status_code == 200
    else:
        _page_refused(response)
        _secret_free(response)


async def desk_complaint_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    far = await client.get(f"/pengawasan/pengaduan/{ids['far']}")
    _page_refused(far)
    _far_free(far)
    own = await client.get(f"/pengawasan/pengaduan/{ids['mine']}")
    if role is Role.DINAS:
        assert own.status_code == 200 and MINE in own.text
    else:
        _page_refused(own)


async def desk_threads_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.get("/pengawasan/konsultasi")
    _far_free(response)
    if role is Role.DINAS:
        assert response.status_code == 200 and "Topik Rahasia" in response.text
    else:
        _page_refused(response)
        _secret_free(response)


async def desk_thread_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    far = await client.get(f"/pengawasan/konsultasi/{ids['t_far']}")
    _page_refused(far)
    _far_free(far)


async def threads_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_complaints(world)
    response = await client.get("/konsultasi")
    _secret_free(response)
    if role is Role.PENGURUS:
        assert response.status_code == 200 and "Topik Saya" in response.text
    else:
        _page_refused(response)


async def thread_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    for key in ("t_foreign", "t_far"):
        response = await client.get(f"/konsultasi/{ids[key]}")
        _page_refused(response)
        _secret_free(response)


async def forwarded_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_complaints(world)
    for key in ("foreign", "far"):
        response = await client.get(f"/konsultasi/pengaduan/{ids[key]}")
        _page_refused(response)
        _secret_free(response)
    own = await client.get(f"/konsultasi/pengaduan/{ids['mine']}")
    if role is Role.PENGURUS:
        assert own.status_code == 200 and MINE in own.text
    else:
        _page_refused(own)


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/complaints"): region_list,
    ("GET", "/api/v1/complaints/export"): export,
    ("GET", "/api/v1/complaints/koperasi"): forwarded,
    ("GET", "/api/v1/complaints/{complaint_id:int}"): detail,
    ("GET", "/api/v1/complaints/{complaint_id:int}/photo"): photo,
    ("POST", "/api/v1/complaints/{complaint_id:int}/actions"): act,
    ("GET", "/api/v1/consultations"): threads,
    ("POST", "/api/v1/consultations"): ask,
    ("GET", "/api/v1/consultations/{consultation_id:int}"): thread,
    ("POST", "/api/v1/consultations/{consultation_id:int}/messages"): message,
    ("POST", "/api/v1/consultations/{consultation_id:int}/close"): close,
    ("GET", "/pengawasan/pengaduan"): desk_page,
    ("GET", "/pengawasan/pengaduan/{complaint_id:int}"): desk_complaint_page,
    ("GET", "/pengawasan/konsultasi"): desk_threads_page,
    ("GET", "/pengawasan/konsultasi/{consultation_id:int}"): desk_thread_page,
    ("GET", "/konsultasi"): threads_page,
    ("GET", "/konsultasi/{consultation_id:int}"): thread_page,
    ("GET", "/konsultasi/pengaduan/{complaint_id:int}"): forwarded_page,
}
