"""Use cases of complaints and consultations: filing (the offline form's exactly-once
sync), the public ticket page, the Dinas's triage, assignment, replies and closing, the
forwarding to a koperasi's pengurus, exports, and consultation threads. Owns the
transactions; checks the region, the koperasi and the role of whoever asks (decision
0019)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from typing import Any

from backend.accounts.domain import Actor, Role
from backend.accounts.tables import RoleGrant
from backend.complaints import challenge as challenges
from backend.complaints.domain import (
    Action,
    Author,
    Category,
    ConsultationStatus,
    Deadline,
    Problem,
    Refused,
    Status,
    after,
    check_contact,
    check_photo,
    check_text,
    consultation_after,
    deadline,
    due_at,
    fingerprint,
    new_ticket,
    normalise_ticket,
    parse_complaint,
    targets,
)
from backend.complaints.tables import (
    ChallengeUse,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintSecret,
    Consultation,
    ConsultationMessage,
)
from backend.db import write_transaction
from backend.errors import Forbidden, NotFound
from backend.push.domain import Audience, Topic
from backend.push.service import enqueue
from backend.tenancy.tables import Koperasi, Region
from backend.texts import N_

KIND = "complaint"
SECRET_NAME = "challenge"
LIST_MAX = 500
NOT_FOUND = N_("Pengaduan tidak ditemukan.")
CONSULTATION_NOT_FOUND = N_("Konsultasi tidak ditemukan.")


def now_utc() -> datetime:
    return datetime.now(UTC)


def as_datetime(value: object) -> datetime:
    """A timestamp as the engines answer it (PostgreSQL: aware; SQLite: may be text)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def maybe_datetime(value: object) -> datetime | None:
    return None if value is None else as_datetime(value)


def ip_hash(ip: str) -> str:
    """A one-way trace of where a filing came from (abuse review), not the address."""
    return hashlib.sha256(("koroena-complaint:" + ip).encode()).hexdigest() if ip else ""


# --- the challenge --------------------------------------------------------------------------


async def secret() -> bytes:
    """The signing key, made now if there is none (racing processes agree on the one that
    was stored first)."""
    query = ComplaintSecret.select(ComplaintSecret.secret).where(
        ComplaintSecret.name == SECRET_NAME
    )
    row = await query.first()
    if row is None:
        await ComplaintSecret.insert(
            ComplaintSecret(name=SECRET_NAME, secret=secrets.token_hex(32))
        ).on_conflict(target=ComplaintSecret.name, action="DO NOTHING")
        row = await query.first()
        assert row is not None
    return bytes.fromhex(str(row["secret"]))


async def new_challenge(now: datetime | None = None) -> challenges.Challenge:
    now = now or now_utc()
    # Spent tokens past their expiry can no longer be replayed: forget them.
    await ChallengeUse.delete().where(ChallengeUse.expires_at < now)
    return challenges.make(await secret(), now)


async def _spend(token: object, answer: object, now: datetime) -> bool:
    """Check the challenge and spend it (inside the caller's transaction). False: it was
    already spent."""
    solved = challenges.verify(await secret(), token, answer, now)
    made = (
        await ChallengeUse.insert(
            ChallengeUse(token_id=solved.token_id, expires_at=solved.expires_at, used_at=now)
        )
        .on_conflict(target=ChallengeUse.token_id, action="DO NOTHING")
        .returning(ChallengeUse.id)
    )
    return bool(made)


async def check_challenge(token: object, answer: object, now: datetime | None = None) -> None:
    """Spend a challenge for a form sent online (a consultation): refused when wrong,
    expired or used."""
    if not await _spend(token, answer, now or now_utc()):
        raise Refused("challenge_used", N_("Pertanyaan pengaman sudah dipakai. Muat ulang."))


# --- places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KoperasiChoice:
    slug: str
    name: str


@dataclass(frozen=True)
class RegionChoice:
    slug: str
    name: str
    dinas_name: str
    koperasi: list[KoperasiChoice]


async def places() -> list[RegionChoice]:
    """Every region and its koperasi (public facts: each has a public page)."""
    regions = await Region.select(Region.id, Region.slug, Region.name, Region.dinas_name).order_by(
        Region.name
    )
    koperasi = await Koperasi.select(
        Koperasi.region.as_alias("region"), Koperasi.slug, Koperasi.name
    ).order_by(Koperasi.name)
    by_region: dict[int, list[KoperasiChoice]] = {}
    for k in koperasi:
        by_region.setdefault(int(k["region"]), []).append(KoperasiChoice(k["slug"], k["name"]))
    return [
        RegionChoice(r["slug"], r["name"], r["dinas_name"], by_region.get(int(r["id"]), []))
        for r in regions
    ]


async def _region_id(slug: object) -> int | None:
    if not isinstance(slug, str) or not slug or len(slug) > 64:
        return None
    row = await Region.select(Region.id).where(Region.slug == slug).first()
    return int(row["id"]) if row else None


async def _koperasi_in(region_id: int, slug: str | None) -> int | None:
    """The koperasi `slug` of the region, or `Refused` when it is another region's."""
    if not slug:
        return None
    row = (
        await Koperasi.select(Koperasi.id)
        .where((Koperasi.slug == slug) & (Koperasi.region == region_id))
        .first()
    )
    if row is None:
        raise Refused("koperasi_unknown", N_("Koperasi tidak ada di wilayah Dinas yang dipilih."))
    return int(row["id"])


# --- filing (the offline form's sync) ------------------------------------------------------


@dataclass(frozen=True)
class ItemIn:
    id: str
    kind: str
    payload: dict[str, Any]
    created_at: str | None = None


@dataclass(frozen=True)
class ProblemOut:
    field: str
    code: str
    message: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: str  # created, duplicate, conflict, rejected
    ticket: str = ""
    code: str = ""
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    problems: list[ProblemOut] = field(default_factory=list)


def _rejected(item_id: str, error: Refused, problems: list[Problem] | None = None) -> ItemResult:
    return ItemResult(
        item_id,
        "rejected",
        code=error.code,
        message=error.message,
        params=dict(error.params),
        problems=[ProblemOut(p.field, p.code, p.message, p.params) for p in problems or []],
    )


async def _stored(region_id: int, client_id: str, print_: str, item_id: str) -> ItemResult | None:
    row = (
        await Complaint.select(Complaint.ticket, Complaint.fingerprint)
        .where((Complaint.region == region_id) & (Complaint.client_id == client_id))
        .first()
    )
    if row is None:
        return None
    if row["fingerprint"] == print_:
        return ItemResult(item_id, "duplicate", ticket=str(row["ticket"]))
    return ItemResult(
        item_id,
        "conflict",
        code="complaint_conflict",
        message=N_("Pengaduan dengan nomor perangkat ini sudah tersimpan dengan isi lain."),
    )


def _photo_bytes(raw: object) -> bytes | None:
    """The photo of a payload: base64 (a data: URL or bare), None when there is none."""
    if raw is None or raw == "":
        return None
    data = raw.get("data") if isinstance(raw, dict) else raw
    if not isinstance(data, str):
        raise Refused("file_type_not_allowed", N_("Foto tidak terbaca. Pilih foto lain."), 415)
    if data.startswith("data:"):
        data = data.split(",", 1)[-1]
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(
            "file_type_not_allowed", N_("Foto tidak terbaca. Pilih foto lain."), 415
        ) from None


def _filed_at(raw: str | None, now: datetime) -> datetime:
    """When the phone says it was written: not in the future, not before the challenge
    could have been issued (at most a day and a bit ago)."""
    try:
        value = as_datetime(raw) if raw else now
    except ValueError:
        return now
    earliest = now - challenges.VALID_FOR * 2
    return min(max(value, earliest), now)


async def file_one(item: ItemIn, ip: str, now: datetime, admit: Callable[[], None]) -> ItemResult:
    """One filing of the offline form. Exactly once by (region, the phone's id); the
    challenge is spent in the same transaction as the complaint is stored. `admit` counts
    a new filing against the rate limit (raising refuses the whole batch: the phone keeps
    it and tries later)."""
    payload = item.payload
    if item.kind != KIND:
        return _rejected(item.id, Refused("kind_unknown", N_("Jenis kiriman tidak dikenal.")))
    region_id = await _region_id(payload.get("region"))
    if region_id is None:
        return _rejected(item.id, Refused("region_unknown", N_("Pilih Dinas tujuan pengaduan.")))
    print_ = fingerprint(payload)
    found = await _stored(region_id, item.id, print_, item.id)
    if found is not None:
        return found
    if payload.get("website"):
        # The honeypot: people never see the field, so only a program fills it.
        return _rejected(item.id, Refused("spam", N_("Pengaduan ditolak.")))
    complaint, problems = parse_complaint(payload)
    if complaint is None:
        return _rejected(
            item.id, Refused("validation_failed", N_("Periksa isian pengaduan.")), problems
        )
    try:
        content = _photo_bytes(payload.get("photo"))
        photo = check_photo(content) if content is not None else None
        koperasi_id = await _koperasi_in(region_id, complaint.koperasi_slug)
        challenges.verify(await secret(), payload.get("challenge"), payload.get("answer"), now)
    except Refused as error:
        return _rejected(item.id, error)
    admit()
    filed_at = _filed_at(item.created_at, now)
    async with write_transaction():
        try:
            spent = await _spend(payload.get("challenge"), payload.get("answer"), now)
        except Refused as error:
            return _rejected(item.id, error)
        if not spent:
            again = await _stored(region_id, item.id, print_, item.id)
            return again or _rejected(
                item.id,
                Refused(
                    "challenge_used",
                    N_("Pertanyaan pengaman sudah dipakai. Jawab pertanyaan baru lalu kirim."),
                ),
            )
        complaint_id: int | None = None
        ticket = ""
        for _attempt in range(5):
            ticket = new_ticket("ADU", now)
            made = (
                await Complaint.insert(
                    Complaint(
                        region=region_id,
                        koperasi=koperasi_id,
                        client_id=item.id,
                        fingerprint=print_,
                        ticket=ticket,
                        category=complaint.category.value,
                        body=complaint.text,
                        contact_name=complaint.name,
                        contact_phone=complaint.phone,
                        contact_email=complaint.email,
                        status=Status.BARU.value,
                        has_photo=photo is not None,
                        ip_hash=ip_hash(ip),
                        created_at=now,
                        filed_at=filed_at,
                        due_at=due_at(now, targets().first_answer_days),
                        updated_at=now,
                    )
                )
                .on_conflict(action="DO NOTHING")
                .returning(Complaint.id)
            )
            if made:
                complaint_id = int(made[0]["id"])
                break
            again = await _stored(region_id, item.id, print_, item.id)
            if again is not None:
                return again
            # else: the ticket number was taken (one in a trillion): draw another
        if complaint_id is None:
            raise RuntimeError("no free ticket number")
        if photo is not None and content is not None:
            await ComplaintPhoto.insert(
                ComplaintPhoto(
                    complaint=complaint_id,
                    content_type=photo.content_type,
                    size=photo.size,
                    sha256=photo.sha256,
                    content=content,
                )
            )
        await _event(complaint_id, Action.FILED, Author.PUBLIK, None, "", False, Status.BARU, now)
        await enqueue(
            Audience.in_region(region_id, Role.DINAS),
            Topic.PENGADUAN.value,
            "Pengaduan baru " + ticket,
            complaint.category.label + ": " + complaint.text[:140],
            f"/pengawasan/pengaduan/{complaint_id}",
            region_id=region_id,
            koperasi_id=koperasi_id,
            now=now,
        )
    return ItemResult(item.id, "created", ticket=ticket)


async def sync(
    items: list[ItemIn], ip: str, admit: Callable[[], None], now: datetime | None = None
) -> list[ItemResult]:
    now = now or now_utc()
    return [await file_one(item, ip, now, admit) for item in items]


async def _event(
    complaint_id: int,
    action: Action,
    author: Author,
    actor_id: int | None,
    body: str,
    internal: bool,
    status: Status,
    now: datetime,
) -> None:
    await ComplaintEvent.insert(
        ComplaintEvent(
            complaint=complaint_id,
            action=action.value,
            author=author.value,
            actor=actor_id,
            body=body,
            internal=internal,
            status_after=status.value,
            created_at=now,
        )
    )


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventView:
    action: Action
    author: Author
    actor_name: str
    body: str
    internal: bool
    status_after: Status
    at: datetime


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    ticket: str
    category: Category
    status: Status
    koperasi_id: int | None
    koperasi_name: str
    assigned_to: int | None
    assigned_name: str
    forwarded: bool
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    deadline: Deadline
    excerpt: str


@dataclass(frozen=True)
class ComplaintDetail:
    row: ComplaintRow
    region_id: int
    region_name: str
    body: str
    contact_name: str
    contact_phone: str
    contact_email: str
    reject_reason: str
    has_photo: bool
    events: list[EventView]


_ROW_COLUMNS = (
    Complaint.id,
    Complaint.ticket,
    Complaint.category,
    Complaint.status,
    Complaint.koperasi.as_alias("koperasi"),
    Complaint.koperasi.name.as_alias("koperasi_name"),
    Complaint.assigned_to.as_alias("assigned_to"),
    Complaint.assigned_to.display_name.as_alias("assigned_name"),
    Complaint.forwarded,
    Complaint.created_at,
    Complaint.due_at,
    Complaint.answered_at,
    Complaint.closed_at,
    Complaint.body,
)


def _row(r: dict[str, Any], now: datetime) -> ComplaintRow:
    due = as_datetime(r["due_at"])
    answered = maybe_datetime(r["answered_at"])
    status = Status(r["status"])
    standing = deadline(due, now, answered)
    if status is Status.DITOLAK and answered is None:
        standing = Deadline(False, 0, None)  # refused as spam or out of scope: no target
    text = str(r["body"])
    return ComplaintRow(
        id=int(r["id"]),
        ticket=str(r["ticket"]),
        category=Category(r["category"]),
        status=status,
        koperasi_id=r["koperasi"],
        koperasi_name=r["koperasi_name"] or "",
        assigned_to=r["assigned_to"],
        assigned_name=r["assigned_name"] or "",
        forwarded=bool(r["forwarded"]),
        created_at=as_datetime(r["created_at"]),
        due_at=due,
        answered_at=answered,
        closed_at=maybe_datetime(r["closed_at"]),
        deadline=standing,
        excerpt=text[:140] + ("…" if len(text) > 140 else ""),
    )


async def _events(complaint_id: int, with_internal: bool) -> list[EventView]:
    query = ComplaintEvent.select(
        ComplaintEvent.action,
        ComplaintEvent.author,
        ComplaintEvent.actor.display_name.as_alias("actor_name"),
        ComplaintEvent.body,
        ComplaintEvent.internal,
        ComplaintEvent.status_after,
        ComplaintEvent.created_at,
    ).where(ComplaintEvent.complaint == complaint_id)
    if not with_internal:
        query = query.where(ComplaintEvent.internal == False)  # noqa: E712
    rows = await query.order_by(ComplaintEvent.id)
    return [
        EventView(
            Action(r["action"]),
            Author(r["author"]),
            r["actor_name"] or "",
            str(r["body"]),
            bool(r["internal"]),
            Status(r["status_after"]),
            as_datetime(r["created_at"]),
        )
        for r in rows
    ]


async def _detail(where: Any, with_internal: bool, now: datetime) -> ComplaintDetail | None:
    r = (
        await Complaint.select(
            *_ROW_COLUMNS,
            Complaint.region.as_alias("region"),
            Complaint.region.name.as_alias("region_name"),
            Complaint.contact_name,
            Complaint.contact_phone,
            Complaint.contact_email,
            Complaint.reject_reason,
            Complaint.has_photo,
        )
        .where(where)
        .first()
    )
    if r is None:
        return None
    return ComplaintDetail(
        row=_row(r, now),
        region_id=int(r["region"]),
        region_name=str(r["region_name"]),
        body=str(r["body"]),
        contact_name=str(r["contact_name"]),
        contact_phone=str(r["contact_phone"]),
        contact_email=str(r["contact_email"]),
        reject_reason=str(r["reject_reason"]),
        has_photo=bool(r["has_photo"]),
        events=await _events(int(r["id"]), with_internal),
    )


def supervisor(actor: Actor) -> int:
    """The region of a Dinas officer; anyone else is refused."""
    if actor.role is not Role.DINAS:
        raise Forbidden("dinas_only", N_("Hanya petugas Dinas Koperasi yang boleh melakukan ini."))
    return actor.region_id


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    category: Category | None = None
    koperasi: str | None = None  # slug
    overdue: bool = False


async def region_complaints(
    actor: Actor, filters: Filters, now: datetime | None = None
) -> list[ComplaintRow]:
    """The complaints of the officer's region, newest first, filtered."""
    region_id = supervisor(actor)
    now = now or now_utc()
    query = Complaint.select(*_ROW_COLUMNS).where(Complaint.region == region_id)
    if filters.status is not None:
        query = query.where(Complaint.status == filters.status.value)
    if filters.category is not None:
        query = query.where(Complaint.category == filters.category.value)
    if filters.koperasi:
        query = query.where(Complaint.koperasi.slug == filters.koperasi)
    if filters.overdue:
        query = query.where(
            (Complaint.answered_at.is_null())
            & (Complaint.due_at < now)
            & (Complaint.status.not_in([Status.DITOLAK.value, Status.SELESAI.value]))
        )
    rows = await query.order_by(Complaint.id, ascending=False).limit(LIST_MAX)
    return [_row(r, now) for r in rows]


async def koperasi_complaints(actor: Actor, now: datetime | None = None) -> list[ComplaintRow]:
    """For a pengurus: the complaints about their koperasi the Dinas forwarded."""
    koperasi_id = _pengurus_koperasi(actor)
    rows = (
        await Complaint.select(*_ROW_COLUMNS)
        .where((Complaint.koperasi == koperasi_id) & (Complaint.forwarded == True))  # noqa: E712
        .order_by(Complaint.id, ascending=False)
        .limit(LIST_MAX)
    )
    now = now or now_utc()
    return [_row(r, now) for r in rows]


def _pengurus_koperasi(actor: Actor) -> int:
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden("pengurus_only", N_("Hanya pengurus koperasi yang boleh melakukan ini."))
    return actor.koperasi_id


async def complaint_for(
    actor: Actor, complaint_id: int, now: datetime | None = None
) -> ComplaintDetail:
    """One complaint: the region's Dinas with the internal notes; the pengurus of the
    koperasi concerned once it is forwarded, without them; anyone else: not found."""
    now = now or now_utc()
    if actor.role is Role.DINAS:
        where = (Complaint.id == complaint_id) & (Complaint.region == actor.region_id)
        found = await _detail(where, True, now)
    elif actor.role is Role.PENGURUS and actor.koperasi_id is not None:
        where = (
            (Complaint.id == complaint_id)
            & (Complaint.koperasi == actor.koperasi_id)
            & (Complaint.forwarded == True)  # noqa: E712
        )
        found = await _detail(where, False, now)
    else:
        found = None
    if found is None:
        raise NotFound("complaint_not_found", NOT_FOUND)
    return found


async def by_ticket(raw: str, now: datetime | None = None) -> ComplaintDetail:
    """The public view of a complaint: whoever holds its ticket (internal notes never)."""
    ticket = normalise_ticket(raw)
    if ticket is None or not ticket.startswith("ADU-"):
        raise NotFound("complaint_not_found", NOT_FOUND)
    found = await _detail(Complaint.ticket == ticket, False, now or now_utc())
    if found is None:
        raise NotFound("complaint_not_found", NOT_FOUND)
    return found


@dataclass(frozen=True)
class PhotoOut:
    content_type: str
    content: bytes


async def _photo(where: Any) -> PhotoOut:
    row = (
        await ComplaintPhoto.select(ComplaintPhoto.content_type, ComplaintPhoto.content)
        .where(where)
        .first()
    )
    if row is None:
        raise NotFound("photo_not_found", N_("Pengaduan ini tidak berfoto."))
    return PhotoOut(str(row["content_type"]), bytes(row["content"]))


async def photo_for(actor: Actor, complaint_id: int) -> PhotoOut:
    await complaint_for(actor, complaint_id)
    return await _photo(ComplaintPhoto.complaint == complaint_id)


async def photo_by_ticket(raw: str) -> PhotoOut:
    found = await by_ticket(raw)
    return await _photo(ComplaintPhoto.complaint == found.row.id)


# --- acting on a complaint ---------------------------------------------------------------


@dataclass(frozen=True)
class Officer:
    user_id: int
    name: str


async def officers(region_id: int) -> list[Officer]:
    """The region's Dinas officers (live grants), by name."""
    rows = (
        await RoleGrant.select(
            RoleGrant.user.as_alias("user"), RoleGrant.user.display_name.as_alias("name")
        )
        .where(
            (RoleGrant.region == region_id)
            & (RoleGrant.role == Role.DINAS.value)
            & (RoleGrant.revoked_at.is_null())
        )
        .order_by(RoleGrant.user.display_name)
    )
    seen: dict[int, str] = {}
    for r in rows:
        seen.setdefault(int(r["user"]), str(r["name"]))
    return [Officer(u, n) for u, n in seen.items()]


@dataclass(frozen=True)
class ActionIn:
    action: Action
    body: str = ""
    internal: bool = False
    assignee: int | None = None


def _reply_text(body: str, required: bool) -> str:
    text = body.strip()
    if required or text:
        if not text:
            raise Refused("text_required", N_("Tulis isinya."), 422)
        if len(text) > 4000:
            raise Refused("text_too_long", N_("Paling banyak {max} huruf."), 422, max=4000)
    return text


async def act(
    actor: Actor, complaint_id: int, change: ActionIn, now: datetime | None = None
) -> Status:
    """The Dinas (or, for a reply, the pengurus of a forwarded complaint) moves a complaint
    on; every change is a line of its timeline. Returns the new status."""
    now = now or now_utc()
    action = change.action
    if actor.role is Role.PENGURUS:
        if action is not Action.REPLY:
            raise Forbidden(
                "dinas_only", N_("Hanya petugas Dinas Koperasi yang boleh melakukan ini.")
            )
    elif actor.role is not Role.DINAS:
        raise NotFound("complaint_not_found", NOT_FOUND)
    if action in (Action.FILED, Action.INFO):
        raise Refused("action_unknown", N_("Tindakan tidak dikenal."))
    async with write_transaction():
        found = await complaint_for(actor, complaint_id, now)
        row = found.row
        by_koperasi = actor.role is Role.PENGURUS
        internal = change.internal and not by_koperasi
        if action is Action.REPLY and internal:
            action = Action.NOTE
        status = after(action, row.status)
        updates: dict[Any, Any] = {Complaint.updated_at: now}
        text = ""
        if action in (Action.REPLY, Action.NOTE):
            text = _reply_text(change.body, True)
            if by_koperasi:
                status = row.status  # the koperasi answers through the Dinas
            elif action is Action.REPLY and row.answered_at is None:
                updates[Complaint.answered_at] = now
        elif action is Action.REJECT:
            text = _reply_text(change.body, True)
            updates[Complaint.reject_reason] = text
            updates[Complaint.closed_at] = now
        elif action is Action.CLOSE:
            text = _reply_text(change.body, False)
            updates[Complaint.closed_at] = now
        elif action is Action.ASSIGN:
            choices = {o.user_id: o.name for o in await officers(found.region_id)}
            if change.assignee not in choices:
                raise Refused("assignee_invalid", N_("Pilih petugas Dinas di wilayah ini."))
            updates[Complaint.assigned_to] = change.assignee
            text = choices[change.assignee]
        elif action is Action.FORWARD:
            if row.koperasi_id is None:
                raise Refused(
                    "no_koperasi",
                    N_("Pengaduan ini tidak menyebut koperasi: tidak bisa diteruskan."),
                )
            if row.forwarded:
                raise Refused("already_forwarded", N_("Pengaduan ini sudah diteruskan."), 409)
            updates[Complaint.forwarded] = True
            text = _reply_text(change.body, False)
        updates[Complaint.status] = status.value
        await Complaint.update(updates).where(Complaint.id == complaint_id)
        author = Author.KOPERASI if by_koperasi else Author.DINAS
        internal_line = action in (Action.NOTE, Action.ASSIGN, Action.FORWARD)
        await _event(complaint_id, action, author, actor.user_id, text, internal_line, status, now)
        if action is Action.FORWARD and row.koperasi_id is not None:
            await enqueue(
                Audience.in_koperasi(row.koperasi_id, Role.PENGURUS),
                Topic.PENGADUAN.value,
                "Pengaduan diteruskan Dinas " + row.ticket,
                row.excerpt,
                f"/konsultasi/pengaduan/{complaint_id}",
                koperasi_id=row.koperasi_id,
                region_id=found.region_id,
                created_by=actor.user_id,
                now=now,
            )
        if action is Action.ASSIGN and change.assignee is not None:
            await enqueue(
                Audience.users(change.assignee),
                Topic.PENGADUAN.value,
                "Pengaduan ditugaskan kepada Anda " + row.ticket,
                row.excerpt,
                f"/pengawasan/pengaduan/{complaint_id}",
                region_id=found.region_id,
                created_by=actor.user_id,
                now=now,
            )
    return status


async def add_info(raw_ticket: str, text: str, now: datetime | None = None) -> None:
    """The ticket holder adds information to an open complaint."""
    now = now or now_utc()
    body = text.strip()
    problems: list[Problem] = []
    check_text(body, problems)
    if problems:
        p = problems[0]
        raise Refused(p.code, p.message, 422, **p.params)
    async with write_transaction():
        found = await by_ticket(raw_ticket, now)
        status = after(Action.INFO, found.row.status)
        await Complaint.update({Complaint.updated_at: now}).where(Complaint.id == found.row.id)
        await _event(found.row.id, Action.INFO, Author.PUBLIK, None, body, False, status, now)
        if found.row.assigned_to is not None:
            await enqueue(
                Audience.users(found.row.assigned_to),
                Topic.PENGADUAN.value,
                "Tambahan informasi " + found.row.ticket,
                body[:140],
                f"/pengawasan/pengaduan/{found.row.id}",
                region_id=found.region_id,
                now=now,
            )


# --- consultations ------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageView:
    author: str  # penanya, dinas
    actor_name: str
    body: str
    at: datetime


@dataclass(frozen=True)
class ConsultationRow:
    id: int
    ticket: str
    topic: str
    status: ConsultationStatus
    koperasi_name: str
    asker: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ConsultationDetail:
    row: ConsultationRow
    region_id: int
    koperasi_id: int | None
    asked_by: int | None
    contact_phone: str
    contact_email: str
    messages: list[MessageView]
    due_at: datetime


_CONSULTATION_COLUMNS = (
    Consultation.id,
    Consultation.ticket,
    Consultation.topic,
    Consultation.status,
    Consultation.koperasi.name.as_alias("koperasi_name"),
    Consultation.asked_by.display_name.as_alias("asker_name"),
    Consultation.contact_name,
    Consultation.created_at,
    Consultation.updated_at,
)


def _consultation_row(r: dict[str, Any]) -> ConsultationRow:
    return ConsultationRow(
        id=int(r["id"]),
        ticket=str(r["ticket"]),
        topic=str(r["topic"]),
        status=ConsultationStatus(r["status"]),
        koperasi_name=r["koperasi_name"] or "",
        asker=r["asker_name"] or r["contact_name"] or "",
        created_at=as_datetime(r["created_at"]),
        updated_at=as_datetime(r["updated_at"]),
    )


@dataclass(frozen=True)
class QuestionIn:
    topic: str
    text: str
    name: str = ""
    phone: str = ""
    email: str = ""


def _check_question(question: QuestionIn, public: bool) -> QuestionIn:
    topic = question.topic.strip()
    text = question.text.strip()
    problems: list[Problem] = []
    if not topic:
        problems.append(Problem("topic", "topic_required", N_("Tulis pokok pertanyaan."), {}))
    elif len(topic) > 150:
        problems.append(
            Problem("topic", "topic_too_long", N_("Paling banyak {max} huruf."), {"max": 150})
        )
    check_text(text, problems)
    name, phone, email = question.name.strip(), question.phone.strip(), question.email.strip()
    check_contact(name, phone, email, problems)
    if public and not (phone or email):
        problems.append(
            Problem(
                "phone",
                "contact_required",
                N_("Tulis nomor telepon atau email agar Dinas bisa menghubungi Anda."),
                {},
            )
        )
    if problems:
        p = problems[0]
        error = Refused(p.code, p.message, 422, **p.params)
        error.details = [{"field": q.field, "code": q.code, "message": q.message} for q in problems]
        raise error
    return QuestionIn(topic, text, name, phone, email.lower())


async def _new_consultation(
    region_id: int,
    koperasi_id: int | None,
    asked_by: int | None,
    question: QuestionIn,
    now: datetime,
) -> ConsultationRow:
    for _attempt in range(5):
        ticket = new_ticket("KON", now)
        made = (
            await Consultation.insert(
                Consultation(
                    region=region_id,
                    koperasi=koperasi_id,
                    ticket=ticket,
                    asked_by=asked_by,
                    contact_name=question.name,
                    contact_phone=question.phone,
                    contact_email=question.email,
                    topic=question.topic,
                    status=ConsultationStatus.TERBUKA.value,
                    created_at=now,
                    updated_at=now,
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Consultation.id)
        )
        if made:
            break
    else:
        raise RuntimeError("no free ticket number")
    consultation_id = int(made[0]["id"])
    await ConsultationMessage.insert(
        ConsultationMessage(
            consultation=consultation_id,
            author="penanya",
            actor=asked_by,
            body=question.text,
            created_at=now,
        )
    )
    await enqueue(
        Audience.in_region(region_id, Role.DINAS),
        Topic.PENGADUAN.value,
        "Konsultasi baru " + ticket,
        question.topic,
        f"/pengawasan/konsultasi/{consultation_id}",
        region_id=region_id,
        koperasi_id=koperasi_id,
        created_by=asked_by,
        now=now,
    )
    found = (
        await Consultation.select(*_CONSULTATION_COLUMNS)
        .where(Consultation.id == consultation_id)
        .first()
    )
    assert found is not None
    return _consultation_row(found)


async def ask(actor: Actor, question: QuestionIn, now: datetime | None = None) -> ConsultationRow:
    """A pengurus asks the Dinas of their region, for their koperasi."""
    koperasi_id = _pengurus_koperasi(actor)
    checked = _check_question(question, public=False)
    async with write_transaction():
        return await _new_consultation(
            actor.region_id, koperasi_id, actor.user_id, checked, now or now_utc()
        )


async def ask_public(
    region_slug: str,
    question: QuestionIn,
    token: object,
    answer: object,
    now: datetime | None = None,
) -> ConsultationRow:
    """The public asks a region's Dinas (with a contact, through the challenge)."""
    now = now or now_utc()
    region_id = await _region_id(region_slug)
    if region_id is None:
        raise Refused("region_unknown", N_("Pilih Dinas tujuan pengaduan."))
    checked = _check_question(question, public=True)
    async with write_transaction():
        await check_challenge(token, answer, now)
        return await _new_consultation(region_id, None, None, checked, now)


async def consultations_for(actor: Actor) -> list[ConsultationRow]:
    """Dinas: the region's threads; pengurus: their koperasi's."""
    query = Consultation.select(*_CONSULTATION_COLUMNS)
    if actor.role is Role.DINAS:
        query = query.where(Consultation.region == actor.region_id)
    else:
        query = query.where(Consultation.koperasi == _pengurus_koperasi(actor))
    rows = await query.order_by(Consultation.updated_at, ascending=False).limit(LIST_MAX)
    return [_consultation_row(r) for r in rows]


async def _consultation(where: Any) -> ConsultationDetail | None:
    r = (
        await Consultation.select(
            *_CONSULTATION_COLUMNS,
            Consultation.region.as_alias("region"),
            Consultation.koperasi.as_alias("koperasi"),
            Consultation.asked_by.as_alias("asked_by"),
            Consultation.contact_phone,
            Consultation.contact_email,
        )
        .where(where)
        .first()
    )
    if r is None:
        return None
    messages = (
        await ConsultationMessage.select(
            ConsultationMessage.author,
            ConsultationMessage.actor.display_name.as_alias("actor_name"),
            ConsultationMessage.body,
            ConsultationMessage.created_at,
        )
        .where(ConsultationMessage.consultation == r["id"])
        .order_by(ConsultationMessage.id)
    )
    row = _consultation_row(r)
    return ConsultationDetail(
        row=row,
        region_id=int(r["region"]),
        koperasi_id=r["koperasi"],
        asked_by=r["asked_by"],
        contact_phone=str(r["contact_phone"]),
        contact_email=str(r["contact_email"]),
        messages=[
            MessageView(
                m["author"], m["actor_name"] or "", str(m["body"]), as_datetime(m["created_at"])
            )
            for m in messages
        ],
        due_at=due_at(row.created_at, targets().consultation_days),
    )


async def consultation_for(actor: Actor, consultation_id: int) -> ConsultationDetail:
    if actor.role is Role.DINAS:
        where = (Consultation.id == consultation_id) & (Consultation.region == actor.region_id)
    elif actor.role is Role.PENGURUS and actor.koperasi_id is not None:
        where = (Consultation.id == consultation_id) & (Consultation.koperasi == actor.koperasi_id)
    else:
        raise NotFound("consultation_not_found", CONSULTATION_NOT_FOUND)
    found = await _consultation(where)
    if found is None:
        raise NotFound("consultation_not_found", CONSULTATION_NOT_FOUND)
    return found


async def consultation_by_ticket(raw: str) -> ConsultationDetail:
    ticket = normalise_ticket(raw)
    found = (
        await _consultation(Consultation.ticket == ticket)
        if ticket and ticket.startswith("KON-")
        else None
    )
    if found is None:
        raise NotFound("consultation_not_found", CONSULTATION_NOT_FOUND)
    return found


async def _message(
    found: ConsultationDetail, by_dinas: bool, actor_id: int | None, text: str, now: datetime
) -> ConsultationStatus:
    body = text.strip()
    if not body:
        raise Refused("text_required", N_("Tulis isinya."))
    if len(body) > 4000:
        raise Refused("text_too_long", N_("Paling banyak {max} huruf."), 422, max=4000)
    status = consultation_after(found.row.status, by_dinas)
    await ConsultationMessage.insert(
        ConsultationMessage(
            consultation=found.row.id,
            author="dinas" if by_dinas else "penanya",
            actor=actor_id,
            body=body,
            created_at=now,
        )
    )
    await Consultation.update(
        {Consultation.status: status.value, Consultation.updated_at: now}
    ).where(Consultation.id == found.row.id)
    if by_dinas and found.asked_by is not None:
        await enqueue(
            Audience.users(found.asked_by),
            Topic.PENGADUAN.value,
            "Balasan Dinas: " + found.row.topic,
            body[:200],
            f"/konsultasi/{found.row.id}",
            region_id=found.region_id,
            koperasi_id=found.koperasi_id,
            created_by=actor_id,
            now=now,
        )
    elif not by_dinas:
        await enqueue(
            Audience.in_region(found.region_id, Role.DINAS),
            Topic.PENGADUAN.value,
            "Konsultasi dibalas " + found.row.ticket,
            body[:200],
            f"/pengawasan/konsultasi/{found.row.id}",
            region_id=found.region_id,
            koperasi_id=found.koperasi_id,
            created_by=actor_id,
            now=now,
        )
    return status


async def reply(
    actor: Actor, consultation_id: int, text: str, now: datetime | None = None
) -> ConsultationStatus:
    """A message on a thread by the Dinas of its region or a pengurus of its koperasi."""
    now = now or now_utc()
    async with write_transaction():
        found = await consultation_for(actor, consultation_id)
        return await _message(found, actor.role is Role.DINAS, actor.user_id, text, now)


async def reply_by_ticket(raw: str, text: str, now: datetime | None = None) -> ConsultationStatus:
    """The public asker writes again on their thread (they hold its ticket)."""
    now = now or now_utc()
    async with write_transaction():
        found = await consultation_by_ticket(raw)
        return await _message(found, False, None, text, now)


async def close_consultation(
    actor: Actor, consultation_id: int, now: datetime | None = None
) -> None:
    now = now or now_utc()
    async with write_transaction():
        found = await consultation_for(actor, consultation_id)
        if found.row.status is ConsultationStatus.SELESAI:
            raise Refused("consultation_closed", N_("Konsultasi ini sudah selesai."), 409)
        await Consultation.update(
            {Consultation.status: ConsultationStatus.SELESAI.value, Consultation.updated_at: now}
        ).where(Consultation.id == consultation_id)


# --- export ---------------------------------------------------------------------------------


async def export_rows(
    actor: Actor, filters: Filters, now: datetime | None = None
) -> list[ComplaintRow]:
    return await region_complaints(actor, filters, now)
