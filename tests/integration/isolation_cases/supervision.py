"""Isolation cases of the legality record (profile, amendments, board, documents, verdicts,
compliance, KUK) and its pages: a pengurus reads and changes only their own koperasi's
record; a Dinas officer reads and verifies every koperasi of region A but nothing of region
B (K3, whose record holds the secret "RAHASIA-K3"); kasir and anggota get nothing.

The cases add K3's record when they run (`_world_records` is idempotent per world)."""

from __future__ import annotations

import hashlib

import httpx

from backend.accounts.domain import Role
from backend.supervision.demo import sample_pdf
from backend.supervision.tables import LegalityDocument, LegalityProfile
from backend.tenancy.tables import Koperasi
from tests.support.isolation import Case, World, refused

API = "/api/v1/supervision"
SECRET = "RAHASIA-K3"
SECRET_FILE = "rahasia-k3.pdf"
K1_SLUG = "kopwan-srikandi"
K2_SLUG = "ksp-artha-mandiri"
K2_NUMBER = "188.4/12/BH/XVI.30/2009"  # K2's badan hukum number (the demo's)
FORBIDDEN_ROLES = (Role.KASIR, Role.ANGGOTA)


async def _k3(world: World) -> int:
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == world.k3_slug).first()
    assert row is not None
    return int(row["id"])


async def _world_records(world: World) -> dict[str, int]:
    """K3 (region B) gets a profile and a document; returns a document id of each koperasi."""
    k3 = await _k3(world)
    if not await LegalityProfile.exists().where(LegalityProfile.koperasi == k3):
        content = sample_pdf("Rahasia", [SECRET])
        await LegalityProfile.insert(
            LegalityProfile(koperasi=k3, badan_hukum_number=SECRET, kelompok=SECRET)
        )
        await LegalityDocument.insert(
            LegalityDocument(
                koperasi=k3,
                kind="akta",
                filename=SECRET_FILE,
                content_type="application/pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
            )
        )
    ids = {}
    for name, koperasi_id in (("k1", world.k1), ("k2", world.k2), ("k3", k3)):
        row = (
            await LegalityDocument.select(LegalityDocument.id)
            .where(LegalityDocument.koperasi == koperasi_id)
            .order_by(LegalityDocument.id)
            .first()
        )
        assert row is not None, name
        ids[name] = int(row["id"])
    return ids


def _secret_free(response: httpx.Response, role: Role) -> None:
    assert SECRET not in response.text and SECRET_FILE not in response.text
    if role is not Role.DINAS:  # a region A officer may read K2's record
        assert K2_NUMBER not in response.text


async def _others_unchanged(world: World) -> None:
    k3 = await _k3(world)
    rows = await LegalityProfile.select(
        LegalityProfile.badan_hukum_number, LegalityProfile.status, LegalityProfile.kelompok
    ).where(LegalityProfile.koperasi.is_in([world.k2, k3]))
    assert {r["badan_hukum_number"] for r in rows} == {K2_NUMBER, SECRET}
    assert all(r["kelompok"] != "Uji isolasi" for r in rows)
    k3_documents = await LegalityDocument.select(LegalityDocument.status).where(
        LegalityDocument.koperasi == k3
    )
    assert k3_documents == [{"status": "menunggu"}]
    assert await LegalityDocument.count().where(LegalityDocument.koperasi == world.k2) == 6


def _read(path: str) -> Case:
    """A read of one koperasi's record (`?koperasi=`)."""

    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        await _world_records(world)
        own = await client.get(path)
        if role is Role.PENGURUS:
            assert own.status_code == 200, own.text
        else:
            refused(own)  # a Dinas officer names the koperasi; kasir and anggota: never
        _secret_free(own, role)
        for slug in (K1_SLUG, K2_SLUG, world.k3_slug):
            response = await client.get(path, params={"koperasi": slug})
            allowed = (role is Role.DINAS and slug != world.k3_slug) or (
                role is Role.PENGURUS and slug == K1_SLUG
            )
            if allowed:
                assert response.status_code == 200, (slug, response.text)
            else:
                refused(response)
            _secret_free(response, role)

    return case


async def save_profile(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    response = await client.put(f"{API}/profile", json={"kelompok": "Uji isolasi"})
    if role is Role.PENGURUS:
        assert response.status_code == 200, response.text
        row = await LegalityProfile.select(LegalityProfile.kelompok).where(
            LegalityProfile.koperasi == world.k1
        )
        assert row == [{"kelompok": "Uji isolasi"}]
    else:
        refused(response)
    await _others_unchanged(world)


async def save_amendments(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    body = {"amendments": [{"number": "99", "deed_date": "2020-01-02"}]}
    response = await client.put(f"{API}/amendments", json=body)
    if role is Role.PENGURUS:
        assert response.status_code == 200, response.text
    else:
        refused(response)
    await _others_unchanged(world)


async def save_board(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    body = {"members": [{"body": "pengurus", "name": "Uji Isolasi", "title": "Ketua"}]}
    response = await client.put(f"{API}/board", json=body)
    if role is Role.PENGURUS:
        assert response.status_code == 200, response.text
    else:
        refused(response)
    await _others_unchanged(world)


async def document_file(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_records(world)
    for name, allowed in (
        ("k1", role in (Role.PENGURUS, Role.DINAS)),
        ("k2", role is Role.DINAS),
        ("k3", False),
    ):
        response = await client.get(f"{API}/documents/{ids[name]}/file")
        if allowed:
            assert response.status_code == 200, (name, response.text)
            assert response.headers["content-disposition"].startswith("attachment")
        else:
            refused(response)
            assert SECRET_FILE not in response.text


async def delete_document(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_records(world)
    for name in ("k2", "k3"):
        refused(await client.delete(f"{API}/documents/{ids[name]}"))
    assert await LegalityDocument.exists().where(LegalityDocument.id == ids["k3"])
    await _others_unchanged(world)
    own = await client.post(
        f"{API}/documents",
        data={"kind": "other"},
        files={"file": ("hapus.pdf", sample_pdf("Hapus", ["x"]), "application/pdf")},
    )
    if role is Role.PENGURUS:
        assert own.status_code == 201, own.text
        assert (await client.delete(f"{API}/documents/{own.json()['id']}")).status_code == 204
    else:
        refused(own)
        refused(await client.delete(f"{API}/documents/{ids['k1']}"))


async def document_verdict(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_records(world)
    body = {"status": "ditolak", "note": "Uji isolasi"}
    refused(await client.post(f"{API}/documents/{ids['k3']}/verdict", json=body))
    response = await client.post(f"{API}/documents/{ids['k1']}/verdict", json=body)
    if role is Role.DINAS:
        assert response.status_code == 200, response.text
    else:
        refused(response)
    await _others_unchanged(world)


async def profile_verdict(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    body = {"status": "ditolak", "note": "Uji isolasi", "revision": 1}
    refused(await client.post(f"{API}/koperasi/{world.k3_slug}/verdict", json=body))
    response = await client.post(f"{API}/koperasi/{K1_SLUG}/verdict", json=body)
    if role is Role.DINAS:
        assert response.status_code == 200, response.text
    else:
        refused(response)
    _secret_free(response, role)
    await _others_unchanged(world)


async def region_compliance(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    response = await client.get(f"{API}/region/compliance")
    if role is Role.DINAS:
        assert response.status_code == 200, response.text
        slugs = {entry["koperasi"]["slug"] for entry in response.json()}
        assert K1_SLUG in slugs and world.k3_slug not in slugs
    else:
        refused(response)
    _secret_free(response, role)


async def upload(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    before = await LegalityDocument.count()
    response = await client.post(
        f"{API}/documents",
        data={"kind": "npwp"},
        files={"file": ("npwp.pdf", sample_pdf("NPWP", ["x"]), "application/pdf")},
    )
    if role is Role.PENGURUS:
        assert response.status_code == 201, response.text
        row = (
            await LegalityDocument.select(LegalityDocument.koperasi.as_alias("koperasi_id"))
            .where(LegalityDocument.id == response.json()["id"])
            .first()
        )
        assert row == {"koperasi_id": world.k1}
    else:
        refused(response)
        assert await LegalityDocument.count() == before
    await _others_unchanged(world)


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


async def record_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    response = await client.get("/rekam")
    _secret_free(response, role)
    if role is Role.PENGURUS:
        assert response.status_code == 200
        assert "Koperasi Wanita Srikandi" in response.text
    elif role is Role.DINAS:
        assert response.status_code == 303
        assert response.headers["location"] == "/pengawasan/kepatuhan"
    else:
        _page_refused(response)


async def dinas_record_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    foreign = await client.get(f"/pengawasan/koperasi/{world.k3_slug}")
    _page_refused(foreign)
    _secret_free(foreign, role)
    k2 = await client.get(f"/pengawasan/koperasi/{K2_SLUG}")
    _secret_free(k2, role)
    if role is Role.DINAS:
        assert k2.status_code == 200 and K2_NUMBER in k2.text
    else:
        _page_refused(k2)


async def compliance_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_records(world)
    response = await client.get("/pengawasan/kepatuhan")
    _secret_free(response, role)
    assert "KUD Contoh" not in response.text
    if role is Role.DINAS:
        assert response.status_code == 200 and "Koperasi Wanita Srikandi" in response.text
    else:
        _page_refused(response)


CASES: dict[tuple[str, str], Case] = {
    ("GET", f"{API}/record"): _read(f"{API}/record"),
    ("GET", f"{API}/compliance"): _read(f"{API}/compliance"),
    ("GET", f"{API}/kuk"): _read(f"{API}/kuk"),
    ("PUT", f"{API}/profile"): save_profile,
    ("PUT", f"{API}/amendments"): save_amendments,
    ("PUT", f"{API}/board"): save_board,
    ("GET", f"{API}/documents/{{document_id:int}}/file"): document_file,
    ("DELETE", f"{API}/documents/{{document_id:int}}"): delete_document,
    ("POST", f"{API}/documents/{{document_id:int}}/verdict"): document_verdict,
    ("POST", f"{API}/koperasi/{{slug:str}}/verdict"): profile_verdict,
    ("GET", f"{API}/region/compliance"): region_compliance,
    ("POST", f"{API}/documents"): upload,
    ("GET", "/rekam"): record_page,
    ("GET", "/pengawasan/koperasi/{slug:str}"): dinas_record_page,
    ("GET", "/pengawasan/kepatuhan"): compliance_page,
}
