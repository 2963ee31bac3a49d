"""The legality record over HTTP on both engines: the pengurus edits the profile (audited
before and after), uploads documents (refusals write nothing), the Dinas verifies; the
compliance calendar of the demo region; the KUK class from the books."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import httpx

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.ledger.domain import Line
from backend.ledger.service import post_entry
from backend.settings import Settings
from backend.supervision import service
from backend.supervision.compliance import ComplianceStatus
from backend.supervision.demo import sample_pdf, sample_png
from backend.supervision.tables import LegalityDocument, LegalityProfile
from backend.tenancy.tables import Koperasi, Region
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"
API = "/api/v1/supervision"
SRIKANDI = "kopwan-srikandi"
KSP = "ksp-artha-mandiri"
JUTA = 1_000_000
MILIAR = 1_000 * JUTA


async def koperasi(slug: str) -> tuple[int, int]:
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == slug)
        .first()
    )
    assert row is not None
    return int(row["id"]), int(row["region_id"])


async def events(action: str, koperasi_id: int) -> list[dict[str, Any]]:
    rows = (
        await AuditEvent.select(AuditEvent.detail)
        .where((AuditEvent.action == action) & (AuditEvent.koperasi == koperasi_id))
        .order_by(AuditEvent.id)
    )
    return [json.loads(r["detail"]) for r in rows]


def signed(client: httpx.AsyncClient, session: tuple[str, str]) -> httpx.AsyncClient:
    as_person(client, session)
    return client


async def profile_body(client: httpx.AsyncClient) -> dict[str, object]:
    """The profile as the form would send it back."""
    record = (await client.get(f"{API}/record")).json()
    profile = dict(record["profile"])
    for key in (
        "bentuk_label",
        "status",
        "status_label",
        "revision",
        "verified_by",
        "verified_at",
        "verification_note",
        "updated_by",
        "updated_at",
    ):
        profile.pop(key)
    return profile


async def test_the_pengurus_edits_the_profile_and_the_audit_keeps_before_and_after(
    demo: Settings,
) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi(SRIKANDI)
    pengurus = await person(settings, Role.PENGURUS, k, region, name="Pengurus Srikandi")
    dinas = await person(settings, Role.DINAS, None, region, name="Petugas Dinas")
    async with app_client(settings, origin=ORIGIN) as p, app_client(settings, origin=ORIGIN) as d:
        signed(p, pengurus)
        signed(d, dinas)
        record = (await p.get(f"{API}/record")).json()
        assert record["koperasi"]["name"] == "Koperasi Wanita Srikandi"
        assert record["profile"]["status"] == "menunggu"
        revision = record["profile"]["revision"]
        verified = await d.post(
            f"{API}/koperasi/{SRIKANDI}/verdict",
            json={"status": "terverifikasi", "revision": revision},
        )
        assert verified.status_code == 200, verified.text
        assert verified.json()["status"] == "terverifikasi"
        assert verified.json()["verified_by"] == "Petugas Dinas"

        body = await profile_body(p)
        old_npwp = body["npwp"]
        body["npwp"] = "09.876.543.2-602.000"
        body["kbli"] = ["47111", "64141", "10392"]
        saved = await p.put(f"{API}/profile", json=body)
        assert saved.status_code == 200, saved.text
        out = saved.json()
        assert out["npwp"] == "098765432602000"
        assert out["status"] == "menunggu" and out["revision"] == revision + 1
        changed = await events("legality_profile_changed", k)
        assert changed[-1]["changes"] == {
            "npwp": [old_npwp, "098765432602000"],
            "kbli": [["47111", "64141"], ["47111", "64141", "10392"]],
        }
        assert changed[-1]["status_before"] == "terverifikasi"
        assert changed[-1]["status_after"] == "menunggu"

        # Saving the same again changes nothing and logs nothing.
        again = await p.put(f"{API}/profile", json={**body, "npwp": "098765432602000"})
        assert again.status_code == 200 and again.json()["revision"] == revision + 1
        assert len(await events("legality_profile_changed", k)) == len(changed)

        # Refused: every field to fix, nothing stored.
        bad = await p.put(
            f"{API}/profile",
            json={**body, "npwp": "123", "nib": "1", "last_rat_date": "2999-01-01"},
        )
        assert bad.status_code == 422, bad.text
        error = bad.json()["error"]
        assert error["code"] == "record_invalid"
        assert {x["field"] for x in error["details"]} == {"npwp", "nib", "last_rat_date"}
        assert all("params" not in x for x in error["details"])
        stored = await LegalityProfile.select(LegalityProfile.npwp).where(
            LegalityProfile.koperasi == k
        )
        assert stored == [{"npwp": "098765432602000"}]

        # The Dinas cannot edit; unknown fields are refused.
        assert (await d.put(f"{API}/profile", json=body)).status_code == 403
        unknown = await p.put(f"{API}/profile", json={**body, "status": "terverifikasi"})
        assert unknown.status_code == 400


async def test_verification_flow(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi(SRIKANDI)
    pengurus = await person(settings, Role.PENGURUS, k, region)
    dinas = await person(settings, Role.DINAS, None, region, name="Petugas Dinas")
    async with app_client(settings, origin=ORIGIN) as p, app_client(settings, origin=ORIGIN) as d:
        signed(p, pengurus)
        signed(d, dinas)
        record = (await d.get(f"{API}/record", params={"koperasi": SRIKANDI})).json()
        revision = record["profile"]["revision"]
        target = f"{API}/koperasi/{SRIKANDI}/verdict"

        # A rejection needs a note; a stale revision is refused; the pengurus cannot verify.
        no_note = await d.post(target, json={"status": "ditolak", "revision": revision})
        assert no_note.status_code == 422 and no_note.json()["error"]["code"] == "note_required"
        stale = await d.post(target, json={"status": "terverifikasi", "revision": revision + 5})
        assert stale.status_code == 409 and stale.json()["error"]["code"] == "record_changed"
        own = await p.post(target, json={"status": "terverifikasi", "revision": revision})
        assert own.status_code == 403

        rejected = await d.post(
            target,
            json={"status": "ditolak", "revision": revision, "note": "NIB tidak sesuai SK"},
        )
        assert rejected.status_code == 200 and rejected.json()["status"] == "ditolak"
        mine = (await p.get(f"{API}/record")).json()
        review = next(i for i in mine["compliance"] if i["key"] == "review")
        assert "NIB tidak sesuai SK" in review["action"] and review["status"] == "terlambat"

        # A change to the board sends the record back to the Dinas.
        board = [
            {"body": "pengurus", "name": "Siti Aminah", "title": "Ketua"},
            {
                "body": "pengawas",
                "name": "Yuli Astuti",
                "title": "Ketua Pengawas",
                "term_start": "2024-01-01",
                "term_end": "2028-12-31",
            },
        ]
        saved = await p.put(f"{API}/board", json={"members": board})
        assert saved.status_code == 200, saved.text
        assert [m["name"] for m in saved.json()] == ["Siti Aminah", "Yuli Astuti"]
        after = (await p.get(f"{API}/record")).json()["profile"]
        assert after["status"] == "menunggu" and after["revision"] == revision + 1
        board_events = await events("legality_board_changed", k)
        assert len(board_events[-1]["before"]) == 5 and board_events[-1]["after"][0]["name"] == (
            "Siti Aminah"
        )
        bad_board = await p.put(
            f"{API}/board",
            json={"members": [{"body": "pengurus", "name": "", "title": "Ketua"}]},
        )
        assert bad_board.status_code == 422
        assert bad_board.json()["error"]["details"][0]["field"] == "board.0.name"

        amendments = await p.put(
            f"{API}/amendments",
            json={"amendments": [{"number": "12", "deed_date": "2019-05-06", "notary": "X"}]},
        )
        assert amendments.status_code == 200 and amendments.json()[0]["number"] == "12"
        assert (await events("legality_amendments_changed", k))[-1]["count"] == 1

        # Documents: verify one, reject another; a verified one cannot be deleted.
        documents = {x["kind"]: x for x in (await p.get(f"{API}/record")).json()["documents"]}
        akta, nib = documents["akta"]["id"], documents["nib"]["id"]
        ok = await d.post(f"{API}/documents/{akta}/verdict", json={"status": "terverifikasi"})
        assert ok.status_code == 200 and ok.json()["verified_by"] == "Petugas Dinas"
        no = await d.post(
            f"{API}/documents/{nib}/verdict", json={"status": "ditolak", "note": "Buram"}
        )
        assert no.status_code == 200 and no.json()["status"] == "ditolak"
        assert (
            await p.post(f"{API}/documents/{nib}/verdict", json={"status": "ditolak"})
        ).status_code == 403
        verified_delete = await p.delete(f"{API}/documents/{akta}")
        assert verified_delete.status_code == 409
        assert verified_delete.json()["error"]["code"] == "document_verified"
        items = {i["key"]: i for i in (await p.get(f"{API}/compliance")).json()}
        assert "Buram" in items["document:nib"]["action"]
        assert (await p.delete(f"{API}/documents/{nib}")).status_code == 204
        assert not await LegalityDocument.exists().where(LegalityDocument.id == nib)
        deleted = await events("legality_document_deleted", k)
        assert deleted[-1]["document"] == nib and deleted[-1]["status"] == "ditolak"
        verdicts = await events("legality_document_verified", k)
        assert [v["status"] for v in verdicts] == ["terverifikasi", "ditolak"]

    # An officer of another region sees and decides nothing here.
    elsewhere = await Region.insert(
        Region(slug="kabupaten-lain", name="Kabupaten Lain", dinas_name="Dinas Koperasi Lain")
    ).returning(Region.id)
    other_region = await person(settings, Role.DINAS, None, elsewhere[0]["id"], name="Dinas Lain")
    async with app_client(settings, origin=ORIGIN) as other:
        signed(other, other_region)
        assert (await other.get(f"{API}/record", params={"koperasi": SRIKANDI})).status_code == 403
        refused = await other.post(
            f"{API}/documents/{akta}/verdict", json={"status": "ditolak", "note": "x"}
        )
        assert refused.status_code == 404


async def test_upload_refusals_write_nothing(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000, max_document_bytes=4096)
    k, region = await koperasi(SRIKANDI)
    pengurus = await person(settings, Role.PENGURUS, k, region)
    documents_before = await LegalityDocument.count()
    events_before = await AuditEvent.count()
    async with app_client(settings, origin=ORIGIN) as client:
        signed(client, pengurus)

        async def upload(
            name: str, content: bytes, sent_type: str, kind: str = "akta"
        ) -> httpx.Response:
            return await client.post(
                f"{API}/documents", data={"kind": kind}, files={"file": (name, content, sent_type)}
            )

        too_big = await upload("besar.pdf", b"%PDF-1.7\n" + b"0" * 4100, "application/pdf")
        assert too_big.status_code == 413, too_big.text
        assert too_big.json()["error"]["code"] == "file_too_large"
        assert too_big.json()["error"]["message"] == "Berkas terlalu besar: paling besar 4 KB."
        # Far over the limit: refused by the request limit, before the body is read.
        huge = await upload("besar.pdf", b"%PDF-1.7\n" + b"0" * 300_000, "application/pdf")
        assert huge.status_code == 413
        assert huge.json()["error"]["code"] == "file_too_large"
        disguised = await upload("akta.pdf", b"Bukan PDF, hanya teks.", "application/pdf")
        assert disguised.status_code == 415
        assert disguised.json()["error"]["code"] == "file_type_not_allowed"
        html = await upload("akta.pdf", b"<html><script>alert(1)</script>", "application/pdf")
        assert html.status_code == 415
        empty = await upload("kosong.pdf", b"", "application/pdf")
        assert empty.status_code in (400, 422)
        wrong_kind = await upload("akta.pdf", sample_pdf("A", ["B"]), "application/pdf", "ktp")
        assert (
            wrong_kind.status_code == 422 and wrong_kind.json()["error"]["code"] == "kind_invalid"
        )
        assert await LegalityDocument.count() == documents_before
        assert await AuditEvent.count() == events_before

        # In English, with the placeholder filled.
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = await upload("besar.pdf", b"%PDF-1.7\n" + b"0" * 4100, "application/pdf")
        assert english.json()["error"]["message"] == "File too large: at most 4 KB."
        client.cookies.delete("koroena_lang", domain="testserver.local")

        # A photo sent as "akta.pdf" with a PDF type is stored as what it is: a PNG.
        png = sample_png()
        made = await upload("akta.pdf", png, "application/pdf")
        assert made.status_code == 201, made.text
        stored = made.json()
        assert stored["content_type"] == "image/png" and stored["filename"] == "akta.pdf.png"
        assert stored["status"] == "menunggu" and stored["size"] == len(png)
        uploaded = await events("legality_document_uploaded", k)
        assert uploaded[-1]["document"] == stored["id"] and uploaded[-1]["size"] == len(png)
        served = await client.get(f"{API}/documents/{stored['id']}/file")
        assert served.status_code == 200 and served.content == png
        assert served.headers["content-type"] == "image/png"
        assert served.headers["content-disposition"].startswith(
            'attachment; filename="akta.pdf.png"'
        )
        assert served.headers["x-content-type-options"] == "nosniff"
        assert "no-store" in served.headers["cache-control"]
        assert await LegalityDocument.count() == documents_before + 1


async def test_compliance_of_the_demo_region(demo: Settings) -> None:
    today = service.today()
    _, region = await koperasi(SRIKANDI)
    entries = await service.region_compliance(region, today)
    by = {(e.koperasi.slug, e.item.key): e.item for e in entries}
    days = [e.item.days_left if e.item.days_left is not None else 0 for e in entries]
    assert days == sorted(days)  # most urgent first
    # The NIK certificate running out within 30 days.
    nik = by[(SRIKANDI, "nik")]
    assert nik.status is ComplianceStatus.SEGERA and nik.days_left == 20
    # Two financial years without a RAT: overdue, with the sanctions warning.
    rat = by[("ksu-bina-usaha-sejahtera", "rat")]
    assert rat.status is ComplianceStatus.TERLAMBAT and rat.days_left is not None
    assert rat.days_left < -300
    assert ("ksu-bina-usaha-sejahtera", "sanction") in by
    # Documents missing: every required kind.
    assert {
        key for slug, key in by if slug == "kpri-majapahit" and key.startswith("document:")
    } == {
        "document:akta",
        "document:sk_badan_hukum",
        "document:nik_sertifikat",
        "document:nib",
        "document:npwp",
    }
    # The KSP has its licence and every document: nothing missing, nothing late.
    ksp = [item for (slug, _), item in by.items() if slug == KSP]
    assert ksp and all(i.status is not ComplianceStatus.TERLAMBAT for i in ksp)
    assert (KSP, "fields") not in by
    # A koperasi that never filled in its record.
    assert by[("koppas-onde-onde-kranggan", "profile")].status is ComplianceStatus.TERLAMBAT

    soon = await service.due_soon(region, today, 30)
    assert (SRIKANDI, "nik") in {(e.koperasi.slug, e.item.key) for e in soon}
    assert all(e.item.days_left is not None and e.item.days_left <= 30 for e in soon)
    assert any(e.item.days_left < 0 for e in soon if e.item.days_left is not None)
    upcoming = await service.due_soon(region, today, 30, include_overdue=False)
    assert upcoming and all(0 <= (e.item.days_left or 0) <= 30 for e in upcoming)

    overview = {o.koperasi.slug: o for o in await service.region_overview(region, today)}
    assert len(overview) == 7
    assert overview[KSP].profile_status == "terverifikasi" and overview[KSP].terlambat == 0
    assert overview["koppas-onde-onde-kranggan"].profile_status is None
    assert overview[SRIKANDI].segera == 1 and overview[SRIKANDI].documents_waiting == 5
    assert overview["ksu-bina-usaha-sejahtera"].most_urgent is not None
    assert overview["ksu-bina-usaha-sejahtera"].most_urgent.key == "rat"


async def test_kuk_from_the_books(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi(SRIKANDI)
    ksp, _ = await koperasi(KSP)
    day = date(2026, 1, 10)
    for target in (k, ksp):
        # Assets Rp 3 miliar: Rp 300 juta own capital (simpanan pokok), the rest owed.
        await post_entry(
            target,
            day,
            "Saldo awal",
            [
                Line("1-1200", debit=3 * MILIAR),
                Line("3-1100", credit=300 * JUTA),
                Line("2-1400", credit=2_700 * JUTA),
            ],
        )
    result = await service.kuk(k, day + timedelta(days=1))
    assert result.inputs.assets == 3 * MILIAR and result.inputs.own_capital == 300 * JUTA
    assert result.inputs.members == await service.active_members(k, day)
    assert result.kuk_class == 2
    assert [c.value for c in result.decided_by] == ["own_capital", "assets"]
    assert (await service.kuk(k, day - timedelta(days=1))).kuk_class == 1  # before the entry
    # A surplus counts as own capital (SHU not yet distributed).
    await post_entry(
        k,
        day,
        "Pendapatan",
        [Line("1-1100", debit=15 * MILIAR), Line("4-3100", credit=15 * MILIAR)],
    )
    richer = await service.kuk(k, day)
    assert richer.inputs.own_capital == 15_300 * JUTA and richer.kuk_class == 3
    # The same books in a savings-and-loan koperasi: its thresholds are higher.
    assert (await service.kuk(ksp, day)).kuk_class == 1

    pengurus = await person(settings, Role.PENGURUS, k, region)
    async with app_client(settings, origin=ORIGIN) as client:
        signed(client, pengurus)
        answer = await client.get(f"{API}/kuk", params={"as_of": day.isoformat()})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["kuk_class"] == 3 and body["sector"] == "sektor_riil"
        assert body["decided_by"] == ["own_capital"]  # Rp 15,3 miliar; assets Rp 18 miliar
        assert body["confidence"] == "verify" and body["version"]
        assert [c["kuk_class"] for c in body["criteria"]] == [1, 3, 2]
        assert body["own_capital"] == 15_300 * JUTA and body["assets"] == 18 * MILIAR


async def test_the_pages(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi(SRIKANDI)
    pengurus = await person(settings, Role.PENGURUS, k, region)
    dinas = await person(settings, Role.DINAS, None, region)
    kasir = await person(settings, Role.KASIR, k, region)
    async with app_client(settings, origin=ORIGIN) as client:
        anonymous = await client.get("/rekam")
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")
        script = await client.get("/rekam/record.js")
        assert script.status_code == 200
        assert script.headers["content-type"].startswith("text/javascript")
        assert 'from "/static/passkey.js"' in script.text

        signed(client, pengurus)
        page = await client.get("/rekam")
        assert page.status_code == 200, page.text
        assert page.headers["cache-control"] == "no-store"
        html = page.text
        for expected in (
            "Rekam koperasi",
            "Koperasi Wanita Srikandi",
            "Yang perlu diperbaiki",
            "Sertifikat NIK berlaku sampai",
            "20 hari lagi",
            "KUK 1",
            'id="profile-form"',
            'id="upload-form"',
            'id="board-form"',
            'id="amendments-form"',
            "/rekam/record.js",
            'name="csrf-token"',
        ):
            assert expected in html, expected
        assert "verdict-form" not in html
        saved = await client.get("/rekam?pesan=profil")
        assert "Profil legalitas disimpan" in saved.text

        signed(client, dinas)
        assert (await client.get("/rekam")).headers["location"] == "/pengawasan/kepatuhan"
        record = await client.get(f"/pengawasan/koperasi/{SRIKANDI}")
        assert record.status_code == 200
        assert 'id="profile-verdict"' in record.text and 'data-revision="1"' in record.text
        assert "verdict-form" in record.text and 'id="profile-form"' not in record.text
        assert 'id="upload-form"' not in record.text
        assert (await client.get("/pengawasan/koperasi/tidak-ada")).status_code == 404
        calendar = await client.get("/pengawasan/kepatuhan")
        assert calendar.status_code == 200
        assert 'href="/pengawasan/koperasi/ksu-bina-usaha-sejahtera"' in calendar.text
        assert "Profil legalitas belum diisi" in calendar.text
        soon = await client.get("/pengawasan/kepatuhan", params={"status": "segera"})
        assert "Sertifikat NIK berlaku sampai" in soon.text
        assert "Profil legalitas belum diisi" not in soon.text

        signed(client, kasir)
        assert (await client.get("/rekam")).status_code == 403
        assert (await client.get("/pengawasan/kepatuhan")).status_code == 403
        assert (await client.get(f"/pengawasan/koperasi/{SRIKANDI}")).status_code == 403
