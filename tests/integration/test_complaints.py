"""Complaints end to end through the API, on SQLite and PostgreSQL: filing through the
offline form's sync (exactly once), the public ticket page, the Dinas's triage,
assignment, replies and closing with the timeline, forwarding to the koperasi; the
anti-abuse rules (challenge, honeypot, rate limit, photo size and type) refuse and write
nothing."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import httpx
import pytest

from backend.accounts.domain import Role
from backend.app import create_app
from backend.complaints.challenge import NUMBERS
from backend.complaints.tables import ChallengeUse, Complaint, ComplaintEvent, ComplaintPhoto
from backend.db import current_engine
from backend.push.tables import PushNotification
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
from tests.support.sessions import as_person, person

ORIGIN = "https://testserver.local"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
TEXT = "Dana simpanan sukarela saya tidak bisa ditarik sejak tiga bulan lalu."


def solve(question: str) -> str:
    a, op, b = question.split(" ")
    x, y = NUMBERS.index(a), NUMBERS.index(b)
    return str(x + y if op == "ditambah" else x - y)


@asynccontextmanager
async def clients(settings: Settings, *ips: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One app, one client per IP address (the rate limits are the app's, per address)."""
    app = create_app(settings, engine=current_engine())
    async with app.lifespan():
        made = []
        for ip in ips:
            transport = httpx.ASGITransport(app=cast(Any, app), client=(ip, 50000))
            made.append(httpx.AsyncClient(transport=transport, base_url=ORIGIN))
        try:
            yield made
        finally:
            for client in made:
                await client.aclose()


async def payload(client: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    form = (await client.get("/api/v1/complaints/form")).json()
    body: dict[str, Any] = {
        "region": "kota-mojokerto",
        "koperasi": "kopwan-srikandi",
        "category": "keuangan",
        "text": TEXT,
        "name": "Bu Siti",
        "phone": "0812 3456 7890",
        "email": "",
        "challenge": form["challenge"]["token"],
        "answer": solve(form["challenge"]["question"]),
        "website": "",
    }
    body.update(extra)
    return body


def item(body: dict[str, Any], item_id: str | None = None) -> dict[str, Any]:
    return {
        "id": item_id or str(uuid.uuid4()),
        "kind": "complaint",
        "created_at": "2026-11-29T10:00:00+07:00",
        "payload": body,
    }


async def sync(client: httpx.AsyncClient, *items: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/v1/complaints/sync", json={"items": list(items)})


async def region_id() -> int:
    row = await Region.select(Region.id).where(Region.slug == "kota-mojokerto").first()
    assert row is not None
    return int(row["id"])


async def koperasi_id(slug: str = "kopwan-srikandi") -> int:
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == slug).first()
    assert row is not None
    return int(row["id"])


async def test_file_triage_assign_reply_close_with_timeline(demo: Settings) -> None:
    region = await region_id()
    async with clients(demo, "10.0.0.1", "10.0.0.2") as (public, dinas):
        form = (await public.get("/api/v1/complaints/form")).json()
        assert {c["value"] for c in form["categories"]} >= {"pelayanan", "penipuan"}
        assert any(r["slug"] == "kota-mojokerto" for r in form["regions"])
        body = await payload(public, photo={"data": base64.b64encode(PNG).decode()})
        answer = await sync(public, item(body))
        assert answer.status_code == 200, answer.text
        result = answer.json()["results"][0]
        assert result["status"] == "created"
        ticket = result["ticket"]
        assert ticket.startswith("ADU-") and len(ticket) == 17
        # The region's officers are told.
        note = await PushNotification.select().where(PushNotification.topic == "pengaduan").first()
        assert note is not None and ticket in note["title"]

        # The public view by ticket (any case, spaces): status, no internal lines.
        view = await public.get(f"/api/v1/complaints/ticket/{ticket.lower()}")
        assert view.status_code == 200 and view.json()["status"] == "baru"
        photo = await public.get(f"/api/v1/complaints/ticket/{ticket}/photo")
        assert photo.status_code == 200 and photo.content == PNG
        assert photo.headers["content-type"] == "image/png"

        officer = await person(demo, Role.DINAS, None, region, name="Petugas Satu")
        as_person(dinas, officer)
        rows = (await dinas.get("/api/v1/complaints")).json()
        mine = next(r for r in rows if r["ticket"] == ticket)
        assert mine["status"] == "baru" and not mine["overdue"]
        assert mine["working_days_left"] >= 4
        cid = mine["id"]
        detail = (await dinas.get(f"/api/v1/complaints/{cid}")).json()
        assert detail["body"] == TEXT and detail["contact_phone"] == "0812 3456 7890"
        officer_id = next(o["user_id"] for o in detail["officers"] if o["name"] == "Petugas Satu")

        async def act(**body: Any) -> httpx.Response:
            return await dinas.post(f"/api/v1/complaints/{cid}/actions", json=body)

        assert (await act(action="ditelaah")).json()["status"] == "ditelaah"
        assert (await act(action="ditugaskan", assignee_id=officer_id)).json()["status"] == (
            "ditugaskan"
        )
        bad = await act(action="ditugaskan", assignee_id=999999)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "assignee_invalid"
        assert (await act(action="balasan", body="Catatan rahasia", internal=True)).json()[
            "status"
        ] == "ditugaskan"
        reply = await act(action="balasan", body="Kami sudah memanggil pengurus koperasi.")
        assert reply.json()["status"] == "dijawab"
        assert (await act(action="teruskan")).status_code == 422  # no such action
        assert (await act(action="diteruskan")).json()["status"] == "dijawab"

        # The complainant sees the public reply, never the internal note or the officer.
        seen = (await public.get(f"/api/v1/complaints/ticket/{ticket}")).json()
        bodies = [e["body"] for e in seen["events"]]
        assert "Kami sudah memanggil pengurus koperasi." in bodies
        assert "Catatan rahasia" not in str(seen) and "Petugas Satu" not in str(seen)
        added = await public.post(
            f"/api/v1/complaints/ticket/{ticket}/info",
            json={"text": "Nomor rekening saya 123, buku simpanan saya foto."},
        )
        assert added.status_code == 201, added.text

        closed = await act(action="selesai", body="Dana sudah dikembalikan.")
        assert closed.json()["status"] == "selesai"
        again = await public.post(
            f"/api/v1/complaints/ticket/{ticket}/info", json={"text": "x" * 30}
        )
        assert again.status_code == 409
        timeline = [
            (r["action"], r["status_after"], r["internal"])
            for r in await ComplaintEvent.select(
                ComplaintEvent.action, ComplaintEvent.status_after, ComplaintEvent.internal
            )
            .where(ComplaintEvent.complaint == cid)
            .order_by(ComplaintEvent.id)
        ]
        assert [(a, s) for a, s, _ in timeline] == [
            ("diajukan", "baru"),
            ("ditelaah", "ditelaah"),
            ("ditugaskan", "ditugaskan"),
            ("catatan", "ditugaskan"),
            ("balasan", "dijawab"),
            ("diteruskan", "dijawab"),
            ("tambahan", "dijawab"),
            ("selesai", "selesai"),
        ]
        assert [i for _, _, i in timeline] == [False, False, True, True, False, True, False, False]
        row = await Complaint.select().where(Complaint.id == cid).first()
        assert row is not None and row["answered_at"] is not None and row["closed_at"] is not None

        for fmt, kind in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
            export = await dinas.get(f"/api/v1/complaints/export?format={fmt}")
            assert export.status_code == 200 and kind in export.headers["content-type"]
        assert ticket.encode() in (await dinas.get("/api/v1/complaints/export?format=csv")).content


async def test_reject_as_spam_and_filters(demo: Settings) -> None:
    region = await region_id()
    async with clients(demo, "10.0.0.3", "10.0.0.4") as (public, dinas):
        made = (await sync(public, item(await payload(public, koperasi="")))).json()
        assert made["results"][0]["status"] == "created"
        ticket = made["results"][0]["ticket"]
        as_person(dinas, await person(demo, Role.DINAS, None, region))

        async def tickets(query: str) -> set[str]:
            return {r["ticket"] for r in (await dinas.get("/api/v1/complaints" + query)).json()}

        overdue_before = await tickets("?overdue=true")
        fresh = (await dinas.get("/api/v1/complaints?status=baru")).json()[0]
        assert fresh["ticket"] == ticket
        cid = fresh["id"]
        refused = await dinas.post(f"/api/v1/complaints/{cid}/actions", json={"action": "ditolak"})
        assert refused.status_code == 422  # a reason is required
        forward = await dinas.post(
            f"/api/v1/complaints/{cid}/actions", json={"action": "diteruskan"}
        )
        assert forward.json()["error"]["code"] == "no_koperasi"
        done = await dinas.post(
            f"/api/v1/complaints/{cid}/actions",
            json={"action": "ditolak", "body": "Di luar kewenangan Dinas Koperasi."},
        )
        assert done.json()["status"] == "ditolak"
        assert ticket not in await tickets("?status=baru")
        assert ticket in await tickets("?status=ditolak")
        assert ticket not in await tickets("?overdue=true")
        assert await tickets("?overdue=true") == overdue_before
        assert ticket not in await tickets("?category=penipuan")
        assert ticket in await tickets("?category=keuangan")
        assert (await dinas.get("/api/v1/complaints?status=nope")).status_code == 422


async def test_flood_is_refused_and_nothing_else_harmed(demo: Settings) -> None:
    async with clients(demo, "10.0.0.5", "10.0.0.6") as (flood, other):
        before = await Complaint.count()
        tickets = []
        for _ in range(5):
            answer = (await sync(flood, item(await payload(flood)))).json()
            assert answer["results"][0]["status"] == "created"
            tickets.append(answer["results"][0]["ticket"])
        refused = await sync(flood, item(await payload(flood)))
        assert refused.status_code == 429 and refused.headers["retry-after"]
        assert refused.json()["error"]["code"] == "too_many_requests"
        assert await Complaint.count() == before + 5
        # Another address files as usual; the earlier complaints are intact.
        fine = (await sync(other, item(await payload(other)))).json()
        assert fine["results"][0]["status"] == "created"
        assert await Complaint.count() == before + 6
        for ticket in tickets:
            view = await other.get(f"/api/v1/complaints/ticket/{ticket}")
            assert view.status_code == 200 and view.json()["status"] == "baru"


async def test_ticket_lookups_are_rate_limited(demo: Settings) -> None:
    async with clients(demo, "10.0.0.7", "10.0.0.8") as (guesser, other):
        statuses = [
            (await guesser.get(f"/api/v1/complaints/ticket/ADU-2611-{n:08d}")).status_code
            for n in range(61)
        ]
        assert statuses[:60] == [404] * 60 and statuses[60] == 429
        assert (await other.get("/api/v1/complaints/ticket/ADU-2611-00000000")).status_code == 404


@pytest.mark.parametrize(
    ("content", "code", "status"),
    [
        (b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024), "file_too_large", 413),
        (b"<!doctype html><script>alert(1)</script>" + b" " * 100, "file_type_not_allowed", 415),
        (b"%PDF-1.7 not a photo", "file_type_not_allowed", 415),
    ],
)
async def test_bad_photos_are_refused_writing_nothing(
    demo: Settings, content: bytes, code: str, status: int
) -> None:
    del status
    async with clients(demo, "10.0.0.9") as (public,):
        before = await Complaint.count()
        body = await payload(
            public, photo={"name": "foto.jpg", "data": base64.b64encode(content).decode()}
        )
        answer = await sync(public, item(body))
        assert answer.status_code == 200
        result = answer.json()["results"][0]
        assert (result["status"], result["code"]) == ("rejected", code)
        assert await Complaint.count() == before and await ComplaintPhoto.count() == 0
        assert await ChallengeUse.count() == 0  # the challenge stays usable
        # The same challenge with the photo left out goes through.
        body.pop("photo")
        assert (await sync(public, item(body))).json()["results"][0]["status"] == "created"


async def test_a_body_over_the_limit_is_refused(demo: Settings) -> None:
    async with clients(demo, "10.0.0.10") as (public,):
        before = await Complaint.count()
        huge = base64.b64encode(b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024)).decode()
        answer = await sync(public, item(await payload(public, photo={"data": huge})))
        assert answer.status_code == 413
        assert answer.json()["error"]["code"] == "file_too_large"
        assert await Complaint.count() == before


async def test_challenge_honeypot_and_validation(demo: Settings) -> None:
    async with clients(demo, "10.0.0.11") as (public,):
        before = await Complaint.count()
        wrong = await payload(public)
        wrong["answer"] = str(int(wrong["answer"]) + 1)
        forged = await payload(public, challenge="abc.123.def")
        trap = await payload(public, website="http://spam.example")
        short = await payload(public, text="pendek")
        elsewhere = await payload(public, koperasi="tidak-ada")
        results = await sync(public, *(item(b) for b in (wrong, forged, trap, short, elsewhere)))
        codes = [(r["status"], r["code"]) for r in results.json()["results"]]
        assert codes == [
            ("rejected", "challenge_wrong"),
            ("rejected", "challenge_invalid"),
            ("rejected", "spam"),
            ("rejected", "validation_failed"),
            ("rejected", "koperasi_unknown"),
        ]
        assert results.json()["results"][3]["problems"][0]["field"] == "text"
        assert await Complaint.count() == before
        # A challenge is single use: a second complaint with it is refused.
        body = await payload(public)
        assert (await sync(public, item(body))).json()["results"][0]["status"] == "created"
        reused = (await sync(public, item(dict(body, text=TEXT + " Lagi.")))).json()
        assert reused["results"][0]["code"] == "challenge_used"


async def test_sync_is_exactly_once(demo: Settings) -> None:
    async with clients(demo, "10.0.0.12", "10.0.0.13") as (one, two):
        before = await Complaint.count()
        body = await payload(one)
        same = item(body)
        first, second = await asyncio.gather(sync(one, same), sync(two, same))
        statuses = sorted(r.json()["results"][0]["status"] for r in (first, second))
        assert statuses == ["created", "duplicate"]
        tickets = {r.json()["results"][0]["ticket"] for r in (first, second)}
        assert len(tickets) == 1
        assert await Complaint.count() == before + 1
        # Sent again after a lost answer, with a newly solved challenge: the same complaint.
        fresh = await payload(one)
        resent = dict(body, challenge=fresh["challenge"], answer=fresh["answer"])
        again = (await sync(one, dict(same, payload=resent))).json()["results"][0]
        assert (again["status"], again["ticket"]) == ("duplicate", tickets.pop())
        # The same id with other words: a conflict, nothing stored.
        other = await sync(one, dict(same, payload=dict(body, text=TEXT + " Tambahan.")))
        assert other.json()["results"][0]["status"] == "conflict"
        assert await Complaint.count() == before + 1


async def test_pengurus_sees_only_forwarded_complaints_of_their_koperasi(demo: Settings) -> None:
    region = await region_id()
    mine, theirs = await koperasi_id(), await koperasi_id("ksp-artha-mandiri")
    async with clients(demo, "10.0.0.14", "10.0.0.15", "10.0.0.16") as (
        public,
        dinas,
        pengurus,
    ):
        created = (await sync(public, item(await payload(public)))).json()["results"][0]
        as_person(dinas, await person(demo, Role.DINAS, None, region))
        as_person(pengurus, await person(demo, Role.PENGURUS, mine, region))
        cid = (await dinas.get("/api/v1/complaints")).json()[0]["id"]

        async def forwarded_tickets() -> list[str]:
            rows = (await pengurus.get("/api/v1/complaints/koperasi")).json()
            return [r["ticket"] for r in rows if r["ticket"].startswith("ADU-")]

        assert created["ticket"] not in await forwarded_tickets()
        assert (await pengurus.get(f"/api/v1/complaints/{cid}")).status_code == 404
        assert (await pengurus.get("/api/v1/complaints")).status_code == 403
        forwarded = await dinas.post(
            f"/api/v1/complaints/{cid}/actions", json={"action": "diteruskan"}
        )
        assert forwarded.status_code == 201, forwarded.text
        assert (await forwarded_tickets())[0] == created["ticket"]
        reply = await pengurus.post(
            f"/api/v1/complaints/{cid}/actions",
            json={"action": "balasan", "body": "Dana akan kami kembalikan minggu ini."},
        )
        assert reply.status_code == 201, reply.text
        seen = (await public.get(f"/api/v1/complaints/ticket/{created['ticket']}")).json()
        assert [e["author"] for e in seen["events"] if e["action"] == "balasan"] == ["koperasi"]
        close = await pengurus.post(f"/api/v1/complaints/{cid}/actions", json={"action": "selesai"})
        assert close.status_code == 403
        # Another koperasi's pengurus: nothing.
        as_person(pengurus, await person(demo, Role.PENGURUS, theirs, region, name="Lain"))
        assert created["ticket"] not in await forwarded_tickets()
        assert (await pengurus.get(f"/api/v1/complaints/{cid}")).status_code == 404
