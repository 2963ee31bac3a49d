"""Complaints and consultations of the demo region (Kota Mojokerto), so the Dinas's desk
and the pengurus's consultation page have something to show: a new complaint about Koperasi
Wanita Srikandi, one answered and forwarded, one overdue and one rejected as spam, and a
public consultation. Written directly (no challenge, no notifications: nobody is
subscribed yet); filing times are relative to `today`.

Idempotent: a region that already has complaints keeps them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from backend.complaints.domain import (
    REGION_TZ,
    Action,
    Author,
    Category,
    ConsultationStatus,
    Status,
    due_at,
    fingerprint,
    targets,
)
from backend.complaints.tables import Complaint, ComplaintEvent, Consultation, ConsultationMessage
from backend.db import write_transaction
from backend.tenancy.tables import Koperasi, Region

REGION_SLUG = "kota-mojokerto"

# Each: the last character of its ticket (`ADU-<YYMM>-DEM0000<x>`: the filing month and a
# tail that shows it is demo data), days before today, category, koperasi, text, contact,
# status and the timeline after filing: (action, author, body, internal, status after,
# hours after filing).
COMPLAINTS: list[dict[str, object]] = [
    {
        "ticket": "A",
        "days": 1,
        "category": Category.SIMPAN_PINJAM,
        "koperasi": "kopwan-srikandi",
        "text": "Pengajuan pinjaman saya sudah tiga minggu belum ada kabar, padahal syarat "
        "sudah lengkap.",
        "name": "Ibu Lestari",
        "phone": "0812 3000 1111",
        "status": Status.BARU,
        "events": [],
    },
    {
        "ticket": "B",
        "days": 6,
        "category": Category.KEUANGAN,
        "koperasi": "kopwan-srikandi",
        "text": "Simpanan sukarela saya tidak bisa ditarik sejak bulan lalu. Pengurus hanya "
        "bilang kas sedang kosong.",
        "name": "",
        "phone": "",
        "status": Status.DIJAWAB,
        "events": [
            (Action.TRIAGE, Author.DINAS, "", False, Status.DITELAAH, 20),
            (
                Action.FORWARD,
                Author.DINAS,
                "Mohon pengurus menjelaskan posisi kas.",
                True,
                Status.DITELAAH,
                22,
            ),
            (
                Action.REPLY,
                Author.DINAS,
                "Dinas sudah meminta pengurus menjelaskan posisi kas dan jadwal penarikan.",
                False,
                Status.DIJAWAB,
                48,
            ),
        ],
    },
    {
        "ticket": "C",
        "days": 12,
        "category": Category.PELAYANAN,
        "koperasi": None,
        "text": "Kantor koperasi di dekat pasar sering tutup pada jam layanan yang tertulis.",
        "name": "Pak Hadi",
        "phone": "",
        "status": Status.DITELAAH,
        "events": [(Action.TRIAGE, Author.DINAS, "", False, Status.DITELAAH, 30)],
    },
    {
        "ticket": "D",
        "days": 3,
        "category": Category.LAINNYA,
        "koperasi": None,
        "text": "Dapatkan pinjaman tanpa agunan cair dalam lima menit, hubungi kami sekarang!",
        "name": "",
        "phone": "",
        "status": Status.DITOLAK,
        "events": [
            (Action.REJECT, Author.DINAS, "Spam: bukan pengaduan.", False, Status.DITOLAK, 2)
        ],
    },
]


async def load_demo_complaints(today: date | None = None) -> int:
    """Rows written (0 when the region already has complaints)."""
    day = today or datetime.now(UTC).astimezone(REGION_TZ).date()
    noon = datetime.combine(day, time(10), REGION_TZ).astimezone(UTC)
    written = 0
    async with write_transaction():
        region = await Region.select(Region.id).where(Region.slug == REGION_SLUG).first()
        if region is None:
            return 0
        region_id = int(region["id"])
        if await Complaint.exists().where(Complaint.region == region_id):
            return 0
        slugs = {
            r["slug"]: int(r["id"])
            for r in await Koperasi.select(Koperasi.id, Koperasi.slug).where(
                Koperasi.region == region_id
            )
        }
        for spec in COMPLAINTS:
            filed = noon - timedelta(days=int(str(spec["days"])))
            ticket = f"ADU-{filed.astimezone(REGION_TZ):%y%m}-DEM0000{spec['ticket']}"
            status = spec["status"]
            assert isinstance(status, Status)
            events = spec["events"]
            assert isinstance(events, list)
            category = spec["category"]
            assert isinstance(category, Category)
            answered = next(
                (filed + timedelta(hours=e[5]) for e in events if e[0] is Action.REPLY), None
            )
            closed = next((filed + timedelta(hours=e[5]) for e in events if e[4].closed), None)
            made = await Complaint.insert(
                Complaint(
                    region=region_id,
                    koperasi=slugs.get(str(spec["koperasi"])) if spec["koperasi"] else None,
                    client_id="demo-" + ticket.lower(),
                    fingerprint=fingerprint({"text": spec["text"]}),
                    ticket=ticket,
                    category=category.value,
                    body=spec["text"],
                    contact_name=spec["name"],
                    contact_phone=spec["phone"],
                    status=status.value,
                    forwarded=any(e[0] is Action.FORWARD for e in events),
                    reject_reason=next((e[2] for e in events if e[0] is Action.REJECT), ""),
                    created_at=filed,
                    filed_at=filed,
                    due_at=due_at(filed, targets().first_answer_days),
                    answered_at=answered,
                    closed_at=closed,
                    updated_at=filed,
                )
            ).returning(Complaint.id)
            complaint_id = int(made[0]["id"])
            lines = [(Action.FILED, Author.PUBLIK, "", False, Status.BARU, 0), *events]
            await ComplaintEvent.insert(
                *[
                    ComplaintEvent(
                        complaint=complaint_id,
                        action=action.value,
                        author=author.value,
                        body=body,
                        internal=internal,
                        status_after=after.value,
                        created_at=filed + timedelta(hours=hours),
                    )
                    for action, author, body, internal, after, hours in lines
                ]
            )
            written += 1 + len(lines)
        asked = noon - timedelta(days=2)
        thread = await Consultation.insert(
            Consultation(
                region=region_id,
                ticket=f"KON-{asked.astimezone(REGION_TZ):%y%m}-DEM0000A",
                contact_name="Warga Prajurit Kulon",
                contact_phone="0813 4000 2222",
                topic="Syarat mendirikan koperasi desa",
                status=ConsultationStatus.DIJAWAB.value,
                created_at=asked,
                updated_at=asked + timedelta(hours=5),
            )
        ).returning(Consultation.id)
        await ConsultationMessage.insert(
            ConsultationMessage(
                consultation=thread[0]["id"],
                author="penanya",
                body="Apa saja syarat mendirikan koperasi di kelurahan kami? Kami 25 orang.",
                created_at=asked,
            ),
            ConsultationMessage(
                consultation=thread[0]["id"],
                author="dinas",
                body="Minimal 9 orang pendiri, rapat pendirian, dan akta notaris. Silakan "
                "datang ke Dinas pada hari kerja.",
                created_at=asked + timedelta(hours=5),
            ),
        )
        written += 3
    return written
