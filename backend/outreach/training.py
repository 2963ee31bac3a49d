"""Training (diklat) use cases. A region's Dinas officers plan a training (times, place or
online link, quota, registration deadline, audience), announce it (push to the audience),
close or reopen registration, finish or cancel it, see the participants and the waiting
list, mark attendance and export the attendance list. People of the audience register
(one live registration each), are seated while the quota lasts and queued after it, and
cancel; a freed seat goes to the first in the queue in the same transaction.

Seats never double-book: every change to a training's registrations runs in one write
transaction that first takes the training's row (PostgreSQL `SELECT … FOR UPDATE`; SQLite's
IMMEDIATE transaction serialises every writer), and a partial unique index allows one live
registration per person and training."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from backend.accounts.domain import Actor, Role
from backend.accounts.tables import UserAccount
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, Forbidden, NotFound, ValidationFailed
from backend.outreach import notify
from backend.outreach.domain import (
    ANNOUNCED,
    REMINDER_BEFORE,
    Attendance,
    RegistrationStatus,
    TrainingAudience,
    TrainingDraft,
    TrainingState,
    TrainingStatus,
    Viewer,
    check_attendance_open,
    check_cancellable,
    check_registration_open,
    check_training,
    check_transition,
    place_for,
    promotions,
    reminder_due,
    roles_of,
    roles_text,
)
from backend.outreach.markup import render
from backend.outreach.tables import (
    TrainingAudienceKoperasi,
    TrainingEvent,
    TrainingRegistration,
)
from backend.tenancy.tables import Koperasi
from backend.texts import N_

LIST_MAX = 200
HISTORY_MAX = 50


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class KoperasiRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class MyRegistration:
    id: int
    status: str
    status_label: str
    position: int | None  # on the waiting list: 1 is next
    attendance: str | None
    attendance_label: str | None


@dataclass(frozen=True)
class TrainingOut:
    id: int
    region_id: int
    dinas_name: str
    title: str
    description: str
    description_html: str
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    place: str
    online_url: str
    quota: int
    roles: list[str]
    koperasi: list[KoperasiRef]
    public: bool
    status: str
    status_label: str
    seated: int
    waiting: int
    # The reader's side (false/None for the public and on the officers' pages).
    in_audience: bool = False
    can_register: bool = False
    can_cancel: bool = False
    mine: MyRegistration | None = None


@dataclass(frozen=True)
class RegistrationResult:
    event_id: int
    registration_id: int
    status: str
    status_label: str
    position: int | None


@dataclass(frozen=True)
class Participant:
    id: int
    user_id: int
    name: str
    role: str
    role_label: str
    koperasi_name: str
    status: str
    status_label: str
    position: int | None
    attendance: str | None
    attendance_label: str | None
    registered_at: datetime
    promoted_at: datetime | None
    cancelled_at: datetime | None


@dataclass(frozen=True)
class Participants:
    event: TrainingOut
    seated: list[Participant] = field(default_factory=list)
    waiting: list[Participant] = field(default_factory=list)
    cancelled: list[Participant] = field(default_factory=list)


@dataclass(frozen=True)
class AttendanceMark:
    registration_id: int
    attendance: Attendance | None  # None: not recorded (undo a mistaken mark)


def officer_region(actor: Actor | None) -> int:
    if actor is None or actor.role is not Role.DINAS:
        raise Forbidden("training_forbidden", N_("Hanya petugas Dinas yang mengelola pelatihan."))
    return actor.region_id


def _not_found() -> NotFound:
    return NotFound("training_not_found", N_("Pelatihan tidak ditemukan."))


def _viewer(actor: Actor) -> Viewer:
    return Viewer(actor.role, actor.region_id, actor.koperasi_id)


_COLUMNS = (
    TrainingEvent.id,
    TrainingEvent.region.as_alias("region_id"),
    TrainingEvent.region.dinas_name.as_alias("dinas_name"),
    TrainingEvent.title,
    TrainingEvent.description,
    TrainingEvent.starts_at,
    TrainingEvent.ends_at,
    TrainingEvent.registration_deadline,
    TrainingEvent.place,
    TrainingEvent.online_url,
    TrainingEvent.quota,
    TrainingEvent.audience_roles,
    TrainingEvent.public,
    TrainingEvent.status,
    TrainingEvent.announced_at,
    TrainingEvent.reminder_sent_at,
)


def _marks(values: Sequence[object]) -> str:
    return ", ".join("{}" for _ in values)


async def _audience_koperasi(event_ids: list[int]) -> dict[int, list[KoperasiRef]]:
    if not event_ids:
        return {}
    rows = await TrainingAudienceKoperasi.raw(
        "SELECT a.event_id, k.id, k.slug, k.name FROM training_audience a"
        " JOIN koperasi k ON k.id = a.koperasi_id"
        f" WHERE a.event_id IN ({_marks(event_ids)}) ORDER BY k.name",
        *event_ids,
    )
    found: dict[int, list[KoperasiRef]] = {}
    for r in rows:
        found.setdefault(int(r["event_id"]), []).append(
            KoperasiRef(int(r["id"]), r["slug"], r["name"])
        )
    return found


async def _counts(event_ids: list[int]) -> dict[int, dict[str, int]]:
    if not event_ids:
        return {}
    rows = await TrainingRegistration.raw(
        "SELECT event_id, status, COUNT(*) AS n FROM training_registration"
        f" WHERE event_id IN ({_marks(event_ids)}) GROUP BY event_id, status",
        *event_ids,
    )
    found: dict[int, dict[str, int]] = {}
    for r in rows:
        found.setdefault(int(r["event_id"]), {})[str(r["status"])] = int(r["n"])
    return found


def audience_of(row: dict[str, Any], koperasi: Iterable[KoperasiRef]) -> TrainingAudience:
    return TrainingAudience(
        roles=roles_of(row["audience_roles"]),
        koperasi_ids=frozenset(k.id for k in koperasi),
        public=bool(row["public"]),
    )


def state_of(row: dict[str, Any]) -> TrainingState:
    return TrainingState(
        status=TrainingStatus(row["status"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        registration_deadline=row["registration_deadline"],
    )


def _out(
    row: dict[str, Any],
    koperasi: list[KoperasiRef],
    counts: dict[str, int],
    **reader: Any,
) -> TrainingOut:
    status = TrainingStatus(row["status"])
    audience = audience_of(row, koperasi)
    return TrainingOut(
        id=int(row["id"]),
        region_id=int(row["region_id"]),
        dinas_name=row["dinas_name"] or "",
        title=row["title"],
        description=row["description"] or "",
        description_html=render(row["description"] or ""),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        registration_deadline=row["registration_deadline"],
        place=row["place"] or "",
        online_url=row["online_url"] or "",
        quota=int(row["quota"]),
        roles=[r.value for r in audience.describe_roles()],
        koperasi=koperasi,
        public=audience.public,
        status=status.value,
        status_label=status.label,
        seated=counts.get(RegistrationStatus.TERDAFTAR.value, 0),
        waiting=counts.get(RegistrationStatus.MENUNGGU.value, 0),
        **reader,
    )


async def _rows(
    where: Any, *, newest_first: bool = False, limit: int = LIST_MAX
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await TrainingEvent.select(*_COLUMNS)
        .where(where)
        .order_by(TrainingEvent.starts_at, ascending=not newest_first)
        .order_by(TrainingEvent.id, ascending=not newest_first)
        .limit(limit)
    )
    return rows


async def _my_registrations(user_id: int, event_ids: list[int]) -> dict[int, MyRegistration]:
    """The person's live registration per training, with their place in the queue."""
    if not event_ids:
        return {}
    rows = await TrainingRegistration.raw(
        "SELECT r.id, r.event_id, r.status, r.attendance,"
        " (SELECT COUNT(*) FROM training_registration w WHERE w.event_id = r.event_id"
        "  AND w.status = {} AND w.id <= r.id) AS position"
        " FROM training_registration r"
        f" WHERE r.user_id = {{}} AND r.status <> {{}} AND r.event_id IN ({_marks(event_ids)})",
        RegistrationStatus.MENUNGGU.value,
        user_id,
        RegistrationStatus.BATAL.value,
        *event_ids,
    )
    found = {}
    for r in rows:
        status = RegistrationStatus(r["status"])
        attendance = Attendance(r["attendance"]) if r["attendance"] else None
        found[int(r["event_id"])] = MyRegistration(
            id=int(r["id"]),
            status=status.value,
            status_label=status.label,
            position=int(r["position"]) if status is RegistrationStatus.MENUNGGU else None,
            attendance=attendance.value if attendance else None,
            attendance_label=attendance.label if attendance else None,
        )
    return found


async def _build(
    rows: list[dict[str, Any]], actor: Actor | None, now: datetime
) -> list[TrainingOut]:
    ids = [int(r["id"]) for r in rows]
    koperasi = await _audience_koperasi(ids)
    counts = await _counts(ids)
    mine = await _my_registrations(actor.user_id, ids) if actor is not None else {}
    found = []
    for row in rows:
        event_id = int(row["id"])
        kops = koperasi.get(event_id, [])
        reader: dict[str, Any] = {}
        if actor is not None:
            audience = audience_of(row, kops)
            state = state_of(row)
            in_audience = audience.matches(_viewer(actor), int(row["region_id"]))
            my = mine.get(event_id)
            open_now = (
                state.status is TrainingStatus.DIBUKA
                and now <= state.registration_deadline
                and now < state.ends_at
            )
            reader = {
                "in_audience": in_audience,
                "can_register": in_audience and my is None and open_now,
                "can_cancel": my is not None
                and state.status in ANNOUNCED
                and now < state.starts_at,
                "mine": my,
            }
        found.append(_out(row, kops, counts.get(event_id, {}), **reader))
    return found


async def public_listing(now: datetime | None = None) -> list[TrainingOut]:
    """Announced trainings marked public that have not ended, soonest first (every
    region's: the public page names no region)."""
    now = now or now_utc()
    rows = await _rows(
        (TrainingEvent.public == True)  # noqa: E712
        & TrainingEvent.status.is_in([s.value for s in ANNOUNCED])
        & (TrainingEvent.ends_at > now)
    )
    return await _build(rows, None, now)


def _visible_to(row: dict[str, Any], kops: list[KoperasiRef], actor: Actor) -> bool:
    """A signed-in person sees an announced (or finished, cancelled) training of their
    region if they are in its audience or it is public."""
    if int(row["region_id"]) != actor.region_id or row["status"] == TrainingStatus.DRAF.value:
        return False
    audience = audience_of(row, kops)
    return audience.public or audience.matches(_viewer(actor), actor.region_id)


async def listing(actor: Actor, now: datetime | None = None) -> list[TrainingOut]:
    """Announced trainings of the person's region they may see (their audience's or
    public ones) that have not ended, soonest first, each with their registration."""
    now = now or now_utc()
    rows = await _rows(
        (TrainingEvent.region == actor.region_id)
        & TrainingEvent.status.is_in([s.value for s in ANNOUNCED])
        & (TrainingEvent.ends_at > now)
    )
    kops = await _audience_koperasi([int(r["id"]) for r in rows])
    rows = [r for r in rows if _visible_to(r, kops.get(int(r["id"]), []), actor)]
    return await _build(rows, actor, now)


async def my_trainings(actor: Actor, now: datetime | None = None) -> list[TrainingOut]:
    """Trainings the person holds a live registration for (seat or queue), latest first,
    with their place and attendance."""
    now = now or now_utc()
    registered = await TrainingRegistration.select(
        TrainingRegistration.event.as_alias("event_id")
    ).where(
        (TrainingRegistration.user == actor.user_id)
        & (TrainingRegistration.status != RegistrationStatus.BATAL.value)
        & (TrainingRegistration.region == actor.region_id)
    )
    ids = sorted({int(r["event_id"]) for r in registered})
    if not ids:
        return []
    rows = await _rows(TrainingEvent.id.is_in(ids), newest_first=True, limit=HISTORY_MAX)
    return await _build(rows, actor, now)


async def region_trainings(actor: Actor, now: datetime | None = None) -> list[TrainingOut]:
    """Every training of the officer's region, latest first."""
    region_id = officer_region(actor)
    rows = await _rows(TrainingEvent.region == region_id, newest_first=True)
    return await _build(rows, None, now or now_utc())


async def _event_row(event_id: int, region_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await TrainingEvent.select(*_COLUMNS)
        .where((TrainingEvent.id == event_id) & (TrainingEvent.region == region_id))
        .first()
    )
    if row is None:
        raise _not_found()
    return row


async def _lock(event_id: int) -> None:
    if not is_sqlite():
        await TrainingEvent.raw("SELECT id FROM training_event WHERE id = {} FOR UPDATE", event_id)


async def region_training(actor: Actor, event_id: int, now: datetime | None = None) -> TrainingOut:
    region_id = officer_region(actor)
    row = await _event_row(event_id, region_id)
    return (await _build([row], None, now or now_utc()))[0]


async def koperasi_ids(region_id: int, slugs: Iterable[str]) -> frozenset[int]:
    """The koperasi of the region named by `slugs` (a training's audience); any slug that
    is not a koperasi of the region is refused."""
    wanted = sorted(set(slugs))
    if not wanted:
        return frozenset()
    rows = await Koperasi.select(Koperasi.id, Koperasi.slug).where(
        (Koperasi.region == region_id) & Koperasi.slug.is_in(wanted)
    )
    if len(rows) != len(wanted):
        raise ValidationFailed(
            "audience_koperasi_invalid",
            N_("Koperasi peserta harus koperasi di wilayah Anda."),
            "koperasi",
        )
    return frozenset(int(r["id"]) for r in rows)


async def region_koperasi(region_id: int) -> list[KoperasiRef]:
    """The koperasi of a region, by name (the audience a training may be limited to)."""
    rows = (
        await Koperasi.select(Koperasi.id, Koperasi.slug, Koperasi.name)
        .where(Koperasi.region == region_id)
        .order_by(Koperasi.name)
    )
    return [KoperasiRef(int(r["id"]), r["slug"], r["name"]) for r in rows]


async def _region_koperasi(region_id: int) -> list[int]:
    rows = await Koperasi.select(Koperasi.id).where(Koperasi.region == region_id)
    return [int(r["id"]) for r in rows]


async def _set_audience(event_id: int, koperasi_ids: Iterable[int]) -> None:
    await TrainingAudienceKoperasi.delete().where(TrainingAudienceKoperasi.event == event_id)
    rows = [TrainingAudienceKoperasi(event=event_id, koperasi=k) for k in sorted(koperasi_ids)]
    if rows:  # Piccolo writes invalid SQL for an empty insert
        await TrainingAudienceKoperasi.insert(*rows)


def _event_values(draft: TrainingDraft) -> dict[str, Any]:
    return {
        "title": draft.title,
        "description": draft.description,
        "starts_at": draft.starts_at.astimezone(UTC),
        "ends_at": draft.ends_at.astimezone(UTC),
        "registration_deadline": draft.registration_deadline.astimezone(UTC),
        "place": draft.place,
        "online_url": draft.online_url,
        "quota": draft.quota,
        "audience_roles": roles_text(draft.audience.roles),
        "public": draft.audience.public,
    }


async def create(actor: Actor, draft: TrainingDraft, now: datetime | None = None) -> TrainingOut:
    """A new training, as a draft (announced when it is opened)."""
    region_id = officer_region(actor)
    checked = check_training(draft, await _region_koperasi(region_id))
    now = now or now_utc()
    async with write_transaction():
        made = await TrainingEvent.insert(
            TrainingEvent(
                region=region_id,
                status=TrainingStatus.DRAF.value,
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
                **_event_values(checked),
            )
        ).returning(TrainingEvent.id)
        event_id = int(made[0]["id"])
        await _set_audience(event_id, checked.audience.koperasi_ids)
    return await region_training(actor, event_id, now)


async def _seated(event_id: int) -> int:
    seated = await TrainingRegistration.count().where(
        (TrainingRegistration.event == event_id)
        & (TrainingRegistration.status == RegistrationStatus.TERDAFTAR.value)
    )
    return int(seated)


async def _promote(row: dict[str, Any], now: datetime, by: int | None) -> list[int]:
    """Seat the first of the queue while seats are free; tell them. Inside the
    transaction that holds the training's row. Returns the promoted registrations."""
    event_id = int(row["id"])
    waiting = (
        await TrainingRegistration.select(
            TrainingRegistration.id, TrainingRegistration.user.as_alias("user_id")
        )
        .where(
            (TrainingRegistration.event == event_id)
            & (TrainingRegistration.status == RegistrationStatus.MENUNGGU.value)
        )
        .order_by(TrainingRegistration.id)
    )
    chosen = promotions(int(row["quota"]), await _seated(event_id), [int(w["id"]) for w in waiting])
    if not chosen:
        return []
    await TrainingRegistration.update(
        {
            TrainingRegistration.status: RegistrationStatus.TERDAFTAR.value,
            TrainingRegistration.promoted_at: now,
        }
    ).where(TrainingRegistration.id.is_in(chosen))
    users = [int(w["user_id"]) for w in waiting if int(w["id"]) in set(chosen)]
    await notify.seats_given(
        users, event_id, int(row["region_id"]), row["title"], row["starts_at"], by
    )
    return chosen


async def update(
    actor: Actor, event_id: int, draft: TrainingDraft, now: datetime | None = None
) -> TrainingOut:
    """Change a training that is neither finished nor cancelled. A larger quota seats the
    queue at once; a quota below the seats already taken is refused (nobody loses a
    seat)."""
    region_id = officer_region(actor)
    checked = check_training(draft, await _region_koperasi(region_id))
    now = now or now_utc()
    async with write_transaction():
        await _lock(event_id)
        row = await _event_row(event_id, region_id)
        if TrainingStatus(row["status"]) in (TrainingStatus.SELESAI, TrainingStatus.BATAL):
            raise Conflict(
                "training_closed",
                N_("Pelatihan yang selesai atau dibatalkan tidak dapat diubah."),
            )
        seated = await _seated(event_id)
        if checked.quota < seated:
            raise ValidationFailed(
                "quota_below_seated",
                N_("Kuota tidak boleh kurang dari jumlah peserta yang sudah terdaftar."),
                "quota",
            )
        await TrainingEvent.update(
            {
                **{getattr(TrainingEvent, k): v for k, v in _event_values(checked).items()},
                TrainingEvent.updated_at: now,
            }
        ).where(TrainingEvent.id == event_id)
        await _set_audience(event_id, checked.audience.koperasi_ids)
        if TrainingStatus(row["status"]) in ANNOUNCED:
            await _promote(
                {
                    **row,
                    "quota": checked.quota,
                    "title": checked.title,
                    "starts_at": checked.starts_at,
                },
                now,
                actor.user_id,
            )
    return await region_training(actor, event_id, now)


async def set_status(
    actor: Actor, event_id: int, wanted: TrainingStatus, now: datetime | None = None
) -> TrainingOut:
    """Open (the first time: announce to the audience), close or reopen registration,
    finish, or cancel (everyone registered is told)."""
    region_id = officer_region(actor)
    now = now or now_utc()
    async with write_transaction():
        await _lock(event_id)
        row = await _event_row(event_id, region_id)
        current = TrainingStatus(row["status"])
        check_transition(current, wanted, now, row["starts_at"])
        values: dict[Any, Any] = {TrainingEvent.status: wanted.value, TrainingEvent.updated_at: now}
        if wanted is TrainingStatus.DIBUKA and row["announced_at"] is None:
            kops = (await _audience_koperasi([event_id])).get(event_id, [])
            await notify.training_opened(
                event_id,
                region_id,
                audience_of(row, kops),
                row["title"],
                row["starts_at"],
                row["place"] or "",
                actor.user_id,
            )
            values[TrainingEvent.announced_at] = now
        if wanted is TrainingStatus.BATAL and current in ANNOUNCED:
            live = await TrainingRegistration.select(
                TrainingRegistration.user.as_alias("user_id")
            ).where(
                (TrainingRegistration.event == event_id)
                & (TrainingRegistration.status != RegistrationStatus.BATAL.value)
            )
            await notify.training_cancelled(
                (int(r["user_id"]) for r in live), event_id, region_id, row["title"], actor.user_id
            )
        await TrainingEvent.update(values).where(TrainingEvent.id == event_id)
    return await region_training(actor, event_id, now)


async def _readable_row(actor: Actor, event_id: int) -> tuple[dict[str, Any], list[KoperasiRef]]:
    row: dict[str, Any] | None = (
        await TrainingEvent.select(*_COLUMNS).where(TrainingEvent.id == event_id).first()
    )
    if row is None:
        raise _not_found()
    kops = (await _audience_koperasi([event_id])).get(event_id, [])
    if not _visible_to(row, kops, actor):
        raise _not_found()
    return row, kops


async def _position(event_id: int, registration_id: int) -> int:
    ahead = await TrainingRegistration.count().where(
        (TrainingRegistration.event == event_id)
        & (TrainingRegistration.status == RegistrationStatus.MENUNGGU.value)
        & (TrainingRegistration.id <= registration_id)
    )
    return int(ahead)


async def register(actor: Actor, event_id: int, now: datetime | None = None) -> RegistrationResult:
    """Register the person (in the role they act in): a seat while the quota lasts, else
    the waiting list."""
    now = now or now_utc()
    async with write_transaction():
        await _lock(event_id)
        row, kops = await _readable_row(actor, event_id)
        if not audience_of(row, kops).matches(_viewer(actor), int(row["region_id"])):
            raise Forbidden(
                "training_not_for_you",
                N_("Pelatihan ini untuk peserta lain: peran atau koperasi Anda tidak termasuk."),
            )
        check_registration_open(state_of(row), now)
        taken = await TrainingRegistration.exists().where(
            (TrainingRegistration.event == event_id)
            & (TrainingRegistration.user == actor.user_id)
            & (TrainingRegistration.status != RegistrationStatus.BATAL.value)
        )
        if taken:
            raise Conflict("already_registered", N_("Anda sudah terdaftar di pelatihan ini."))
        status = place_for(int(row["quota"]), await _seated(event_id))
        person = (
            await UserAccount.select(UserAccount.display_name)
            .where(UserAccount.id == actor.user_id)
            .first()
        )
        made = await TrainingRegistration.insert(
            TrainingRegistration(
                event=event_id,
                region=int(row["region_id"]),
                user=actor.user_id,
                koperasi=actor.koperasi_id if actor.role is not Role.DINAS else None,
                role=actor.role.value,
                name=str((person or {}).get("display_name") or ""),
                status=status.value,
                created_at=now,
            )
        ).returning(TrainingRegistration.id)
        registration_id = int(made[0]["id"])
        position = (
            await _position(event_id, registration_id)
            if status is RegistrationStatus.MENUNGGU
            else None
        )
    return RegistrationResult(event_id, registration_id, status.value, status.label, position)


async def _cancel(
    row: dict[str, Any], registration: dict[str, Any], now: datetime, by: int
) -> list[int]:
    check_cancellable(state_of(row), now)
    await TrainingRegistration.update(
        {
            TrainingRegistration.status: RegistrationStatus.BATAL.value,
            TrainingRegistration.cancelled_at: now,
            TrainingRegistration.cancelled_by: by,
        }
    ).where(TrainingRegistration.id == int(registration["id"]))
    if registration["status"] == RegistrationStatus.TERDAFTAR.value:
        return await _promote(row, now, by)
    return []


async def cancel_mine(actor: Actor, event_id: int, now: datetime | None = None) -> list[int]:
    """The person leaves the training (or its queue); a freed seat goes to the first in
    the queue. Returns the registrations promoted."""
    now = now or now_utc()
    async with write_transaction():
        await _lock(event_id)
        row, _ = await _readable_row(actor, event_id)
        registration = (
            await TrainingRegistration.select(TrainingRegistration.id, TrainingRegistration.status)
            .where(
                (TrainingRegistration.event == event_id)
                & (TrainingRegistration.user == actor.user_id)
                & (TrainingRegistration.status != RegistrationStatus.BATAL.value)
            )
            .first()
        )
        if registration is None:
            raise NotFound("registration_not_found", N_("Anda tidak terdaftar di pelatihan ini."))
        return await _cancel(row, registration, now, actor.user_id)


async def cancel_registration(
    actor: Actor, event_id: int, registration_id: int, now: datetime | None = None
) -> list[int]:
    """An officer takes someone off the training or its queue (the same rules as the
    person's own cancellation)."""
    region_id = officer_region(actor)
    now = now or now_utc()
    async with write_transaction():
        await _lock(event_id)
        row = await _event_row(event_id, region_id)
        registration = (
            await TrainingRegistration.select(TrainingRegistration.id, TrainingRegistration.status)
            .where(
                (TrainingRegistration.id == registration_id)
                & (TrainingRegistration.event == event_id)
                & (TrainingRegistration.status != RegistrationStatus.BATAL.value)
            )
            .first()
        )
        if registration is None:
            raise NotFound("registration_not_found", N_("Pendaftaran tidak ditemukan."))
        return await _cancel(row, registration, now, actor.user_id)


def _participant(row: dict[str, Any], position: int | None) -> Participant:
    status = RegistrationStatus(row["status"])
    role = Role(row["role"])
    attendance = Attendance(row["attendance"]) if row["attendance"] else None
    return Participant(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        name=row["name"],
        role=role.value,
        role_label=role.label,
        koperasi_name=row["koperasi_name"] or "",
        status=status.value,
        status_label=status.label,
        position=position,
        attendance=attendance.value if attendance else None,
        attendance_label=attendance.label if attendance else None,
        registered_at=row["created_at"],
        promoted_at=row["promoted_at"],
        cancelled_at=row["cancelled_at"],
    )


async def participants(actor: Actor, event_id: int, now: datetime | None = None) -> Participants:
    """The seated (in the order they got their seat), the queue (in order) and the
    cancelled, for the training's officers."""
    event = await region_training(actor, event_id, now)
    rows = (
        await TrainingRegistration.select(
            TrainingRegistration.id,
            TrainingRegistration.user.as_alias("user_id"),
            TrainingRegistration.name,
            TrainingRegistration.role,
            TrainingRegistration.status,
            TrainingRegistration.attendance,
            TrainingRegistration.created_at,
            TrainingRegistration.promoted_at,
            TrainingRegistration.cancelled_at,
            TrainingRegistration.koperasi.name.as_alias("koperasi_name"),
        )
        .where(TrainingRegistration.event == event_id)
        .order_by(TrainingRegistration.id)
    )
    result = Participants(event=event)
    for row in rows:
        status = row["status"]
        if status == RegistrationStatus.TERDAFTAR.value:
            result.seated.append(_participant(row, None))
        elif status == RegistrationStatus.MENUNGGU.value:
            result.waiting.append(_participant(row, len(result.waiting) + 1))
        else:
            result.cancelled.append(_participant(row, None))
    return result


async def mark_attendance(
    actor: Actor, event_id: int, marks: Sequence[AttendanceMark], now: datetime | None = None
) -> Participants:
    """Record who came, for seated participants only, once the training has started."""
    region_id = officer_region(actor)
    now = now or now_utc()
    async with write_transaction():
        await _lock(event_id)
        row = await _event_row(event_id, region_id)
        check_attendance_open(state_of(row), now)
        wanted = {m.registration_id for m in marks}
        seated = {
            int(r["id"])
            for r in await TrainingRegistration.select(TrainingRegistration.id).where(
                (TrainingRegistration.event == event_id)
                & (TrainingRegistration.status == RegistrationStatus.TERDAFTAR.value)
            )
        }
        unknown = sorted(wanted - seated)
        if unknown:
            raise ValidationFailed(
                "attendance_not_seated",
                N_("Kehadiran hanya dicatat untuk peserta yang terdaftar di pelatihan ini."),
                "registration_id",
            )
        for mark in marks:
            await TrainingRegistration.update(
                {
                    TrainingRegistration.attendance: mark.attendance.value
                    if mark.attendance
                    else None,
                    TrainingRegistration.attendance_by: actor.user_id,
                    TrainingRegistration.attendance_at: now,
                }
            ).where(
                (TrainingRegistration.id == mark.registration_id)
                & (TrainingRegistration.event == event_id)
            )
    return await participants(actor, event_id, now)


async def send_reminders(now: datetime | None = None) -> int:
    """The day-before reminder to everyone seated, once per training; returns how many
    trainings were reminded. Safe to run often and from several processes at once (each
    training is claimed by an UPDATE … WHERE reminder_sent_at IS NULL)."""
    now = now or now_utc()
    due = await TrainingEvent.select(
        TrainingEvent.id,
        TrainingEvent.status,
        TrainingEvent.starts_at,
        TrainingEvent.reminder_sent_at,
    ).where(
        TrainingEvent.status.is_in([s.value for s in ANNOUNCED])
        & TrainingEvent.reminder_sent_at.is_null()
        & (TrainingEvent.starts_at > now)
        & (TrainingEvent.starts_at <= now + REMINDER_BEFORE)
    )
    sent = 0
    for candidate in due:
        if not reminder_due(
            candidate["starts_at"], now, TrainingStatus(candidate["status"]), False
        ):
            continue
        async with write_transaction():
            await _lock(int(candidate["id"]))
            claimed = (
                await TrainingEvent.update({TrainingEvent.reminder_sent_at: now})
                .where(
                    (TrainingEvent.id == int(candidate["id"]))
                    & TrainingEvent.reminder_sent_at.is_null()
                    & TrainingEvent.status.is_in([s.value for s in ANNOUNCED])
                )
                .returning(
                    TrainingEvent.id,
                    TrainingEvent.region,
                    TrainingEvent.title,
                    TrainingEvent.starts_at,
                    TrainingEvent.place,
                    TrainingEvent.online_url,
                )
            )
            if not claimed:
                continue
            event = claimed[0]
            seated = await TrainingRegistration.select(
                TrainingRegistration.user.as_alias("user_id")
            ).where(
                (TrainingRegistration.event == int(event["id"]))
                & (TrainingRegistration.status == RegistrationStatus.TERDAFTAR.value)
            )
            await notify.training_reminder(
                (int(r["user_id"]) for r in seated),
                int(event["id"]),
                int(event["region_id"]),
                event["title"],
                candidate["starts_at"],
                event["place"] or "",
                now,
            )
            sent += 1
    return sent
