"""The complaint and consultation pages over HTTP (both engines): the public form shell,
the ticket page and its addition form, the Dinas's desk and the pengurus's pages; and
consultation threads through the API and the public pages, with their notifications."""

from __future__ import annotations

import re
import uuid

from backend.accounts.domain import Role
from backend.complaints.tables import Consultation, ConsultationMessage
from backend.push.tables import PushNotification
from backend.settings import Settings
from tests.integration.test_complaints import (
    clients,
    koperasi_id,
    payload,
    region_id,
    solve,
    sync,
)
from tests.support.sessions import as_person, person

QUESTION = "Bagaimana cara menyusun laporan RAT tahunan sesuai SAK EP?"


async def test_public_form_ticket_page_and_dinas_desk(demo: Settings) -> None:
    region = await region_id()
    async with clients(demo, "10.1.0.1", "10.1.0.2") as (public, dinas):
        shell = await public.get("/pengaduan")
        assert shell.status_code == 200
        for marker in ('id="complaint-form"', "/sw/complaint.js", "kopwan-srikandi", "website"):
            assert marker in shell.text
        assert (await public.get("/sw/complaint.js")).status_code == 200
        assert "/sw/complaint.js" in (await public.get("/sw.js")).text

        body = await payload(public)
        made = (
            await sync(public, {"id": str(uuid.uuid4()), "kind": "complaint", "payload": body})
        ).json()["results"][0]
        ticket = made["ticket"]
        lookup = await public.get(f"/pengaduan/lacak?tiket={ticket.lower()}")
        assert lookup.status_code == 303 and lookup.headers["location"] == f"/pengaduan/{ticket}"
        page = await public.get(f"/pengaduan/{ticket}")
        assert page.status_code == 200 and ticket in page.text
        assert page.headers["cache-control"] == "no-store"
        added = await public.post(
            f"/pengaduan/{ticket}/tambah",
            data={"text": "Saya sudah melapor ke pengurus tapi tidak ada jawaban."},
            headers={"origin": "http://localhost:8000"},
        )
        assert added.status_code == 303, added.text
        assert "tidak ada jawaban" in (await public.get(f"/pengaduan/{ticket}")).text
        assert (await public.get("/pengaduan/ADU-2611-ZZZZZZZZ")).status_code == 404
        # Signed-in desks send the public to the sign-in page.
        assert (await public.get("/pengawasan/pengaduan")).status_code == 303

        as_person(dinas, await person(demo, Role.DINAS, None, region))
        desk = await dinas.get("/pengawasan/pengaduan")
        assert desk.status_code == 200 and ticket in desk.text
        cid = re.search(r'href="/pengawasan/pengaduan/(\d+)"', desk.text)
        assert cid is not None
        one = await dinas.get(f"/pengawasan/pengaduan/{cid.group(1)}")
        assert one.status_code == 200
        assert 'data-api="POST /api/v1/complaints/' in one.text
        assert "tidak ada jawaban" in one.text
        assert (await dinas.get("/pengawasan/pengaduan?overdue=1&status=baru")).status_code == 200


async def test_consultation_threads_and_notifications(demo: Settings) -> None:
    region, mine = await region_id(), await koperasi_id()
    async with clients(demo, "10.1.0.3", "10.1.0.4", "10.1.0.5") as (pengurus, dinas, other):
        asker = await person(demo, Role.PENGURUS, mine, region, name="Pengurus Penanya")
        as_person(pengurus, asker)
        as_person(dinas, await person(demo, Role.DINAS, None, region))
        short = await pengurus.post("/api/v1/consultations", json={"topic": "RAT", "text": "?"})
        assert short.status_code == 422
        asked = await pengurus.post(
            "/api/v1/consultations", json={"topic": "RAT", "text": QUESTION}
        )
        assert asked.status_code == 201, asked.text
        thread = asked.json()
        assert thread["ticket"].startswith("KON-") and thread["status"] == "terbuka"
        tid = thread["id"]
        assert (await dinas.get("/api/v1/consultations")).json()[0]["id"] == tid
        reply = await dinas.post(
            f"/api/v1/consultations/{tid}/messages", json={"text": "Pakai templat SAK EP."}
        )
        assert reply.json()["status"] == "dijawab"
        told = (
            await PushNotification.select()
            .where(PushNotification.title.like("Balasan Dinas%"))
            .first()
        )
        assert told is not None and told["url"] == f"/konsultasi/{tid}"
        again = await pengurus.post(
            f"/api/v1/consultations/{tid}/messages", json={"text": "Terima kasih, jelas."}
        )
        assert again.json()["status"] == "terbuka"
        detail = (await pengurus.get(f"/api/v1/consultations/{tid}")).json()
        assert [m["author"] for m in detail["messages"]] == ["penanya", "dinas", "penanya"]
        for path in ("/konsultasi", f"/konsultasi/{tid}"):
            assert (await pengurus.get(path)).status_code == 200, path
        for path in ("/pengawasan/konsultasi", f"/pengawasan/konsultasi/{tid}"):
            assert (await dinas.get(path)).status_code == 200, path
        closed = await dinas.post(f"/api/v1/consultations/{tid}/close")
        assert closed.json()["status"] == "selesai"
        late = await pengurus.post(f"/api/v1/consultations/{tid}/messages", json={"text": "x"})
        assert late.status_code == 409
        # Another koperasi's pengurus sees none of it.
        theirs = await koperasi_id("ksp-artha-mandiri")
        as_person(other, await person(demo, Role.PENGURUS, theirs, region, name="Lain"))
        assert tid not in {t["id"] for t in (await other.get("/api/v1/consultations")).json()}
        assert (await other.get(f"/api/v1/consultations/{tid}")).status_code == 404


async def test_public_consultation_with_the_challenge(demo: Settings) -> None:
    async with clients(demo, "10.1.0.6") as (public,):
        threads, messages = await Consultation.count(), await ConsultationMessage.count()
        form = await public.get("/konsultasi/tanya")
        assert form.status_code == 200
        token = re.search(r'name="challenge" value="([^"]+)"', form.text)
        question = re.search(r"berapa ([a-z ]+)\?", form.text)
        assert token and question
        fields = {
            "region": "kota-mojokerto",
            "topic": "Mendirikan koperasi",
            "text": "Apa saja syarat mendirikan koperasi konsumen di desa kami?",
            "name": "Pak Budi",
            "phone": "081234567890",
            "email": "",
            "website": "",
            "challenge": token.group(1),
            "answer": "99",
        }
        origin = {"origin": "http://localhost:8000"}
        wrong = await public.post("/konsultasi/tanya", data=fields, headers=origin)
        assert wrong.status_code == 422 and await Consultation.count() == threads
        fields["answer"] = solve(question.group(1))
        made = await public.post("/konsultasi/tanya", data=fields, headers=origin)
        assert made.status_code == 303, made.text
        location = made.headers["location"]
        assert location.startswith("/konsultasi/tiket/KON-")
        ticket = location.split("/")[-1].split("?")[0]
        page = await public.get(f"/konsultasi/tiket/{ticket}")
        assert page.status_code == 200 and "syarat mendirikan" in page.text
        sent = await public.post(
            f"/konsultasi/tiket/{ticket}/pesan",
            data={"text": "Tambahan: 25 orang."},
            headers=origin,
        )
        assert sent.status_code == 303
        assert await ConsultationMessage.count() == messages + 2
        # The same challenge cannot be used twice.
        reused = await public.post("/konsultasi/tanya", data=fields, headers=origin)
        assert reused.status_code == 422 and await Consultation.count() == threads + 1
