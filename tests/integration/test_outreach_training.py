"""Trainings on both engines: the announcement goes to exactly the audience; seats while
the quota lasts, then the waiting list; a cancellation seats the first in the queue in the
same transaction (and tells them); two people racing for the last seat never both get it;
attendance and the Excel list; the day-before reminder once; who sees and registers for
what; the pages."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from backend.accounts.domain import Role
from backend.errors import AppError, Conflict, Forbidden, NotFound, ValidationFailed
from backend.outreach import training
from backend.outreach.domain import (
    REGION_TZ,
    Attendance,
    TrainingAudience,
    TrainingDraft,
    TrainingStatus,
)
from backend.outreach.export import attendance_xlsx
from backend.outreach.tables import TrainingRegistration
from backend.push.tables import PushNotification
from backend.settings import Settings
from frontend.i18n import translator
from tests.integration.test_outreach_news import (
    OutreachWorld,
    aclose_client,
    last_notification_id,
    notification,
    outreach_world,
    pushed_since,
    session_client,
)

NOW = datetime.now(UTC).replace(microsecond=0)


def draft(
    *,
    roles: set[Role] | None = None,
    koperasi: frozenset[int] = frozenset(),
    quota: int = 2,
    starts_in: timedelta = timedelta(days=3),
    public: bool = False,
    title: str = "Pelatihan pembukuan SAK EP",
) -> TrainingDraft:
    starts = NOW + starts_in
    return TrainingDraft(
        title=title,
        description="Bawa **laptop**.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        registration_deadline=starts + timedelta(hours=6),
        quota=quota,
        place="Aula Dinas Koperasi",
        audience=TrainingAudience(
            frozenset(roles or {Role.PENGURUS, Role.ANGGOTA, Role.KASIR}), koperasi, public
        ),
    )


async def opened(world: OutreachWorld, plan: TrainingDraft) -> int:
    officer = world["dinas_a"].actor
    made = await training.create(officer, plan)
    await training.set_status(officer, made.id, TrainingStatus.DIBUKA)
    return made.id


async def statuses(event_id: int) -> list[tuple[str, str]]:
    rows = (
        await TrainingRegistration.select(TrainingRegistration.name, TrainingRegistration.status)
        .where(TrainingRegistration.event == event_id)
        .order_by(TrainingRegistration.id)
    )
    return [(r["name"], r["status"]) for r in rows]


async def test_opening_announces_to_exactly_the_audience_once(demo: Settings) -> None:
    world = await outreach_world()
    officer = world["dinas_a"].actor
    made = await training.create(
        officer,
        draft(roles={Role.PENGURUS, Role.ANGGOTA, Role.DINAS}, koperasi=frozenset({world.k1})),
    )
    marker = await last_notification_id()
    assert made.status == "draf"
    await training.set_status(officer, made.id, TrainingStatus.DIBUKA)
    pushed = await pushed_since(marker)
    # K1's pengurus and anggota (not its kasir, not K2), and the region's officers.
    assert [people for _, people in pushed] == [
        world.ids("pengurus_k1", "anggota_k1", "anggota_k1b"),
        world.ids("dinas_a"),
    ]
    sent = await notification(pushed[0][0])
    assert sent["topic"] == "pelatihan"
    assert sent["title"] == "Pelatihan: Pelatihan pembukuan SAK EP"
    assert "Aula Dinas Koperasi" in str(sent["body"]) and "WIB" in str(sent["body"])
    assert sent["url"] == f"/pelatihan#pelatihan-{made.id}"
    # Closing and reopening does not announce it again.
    await training.set_status(officer, made.id, TrainingStatus.DITUTUP)
    await training.set_status(officer, made.id, TrainingStatus.DIBUKA)
    assert len(await pushed_since(marker)) == 2


async def test_quota_waiting_list_and_promotion_on_cancel(demo: Settings) -> None:
    world = await outreach_world()
    event_id = await opened(world, draft(quota=2))
    order = ["anggota_k1", "kasir_k1", "anggota_k1b", "pengurus_k2", "anggota_k2"]
    results = [await training.register(world[n].actor, event_id) for n in order]
    assert [(r.status, r.position) for r in results] == [
        ("terdaftar", None),
        ("terdaftar", None),
        ("menunggu", 1),
        ("menunggu", 2),
        ("menunggu", 3),
    ]
    with pytest.raises(Conflict) as twice:
        await training.register(world["anggota_k1"].actor, event_id)
    assert twice.value.code == "already_registered"

    # Someone in the queue leaves: nobody moves up to a seat, the queue closes up.
    await training.cancel_mine(world["pengurus_k2"].actor, event_id)
    assert [
        e.mine.position for e in await training.my_trainings(world["anggota_k2"].actor) if e.mine
    ] == [2]

    # A seated person leaves: the first in the queue gets the seat and is told.
    marker = await last_notification_id()
    promoted = await training.cancel_mine(world["kasir_k1"].actor, event_id)
    assert promoted == [results[2].registration_id]
    found = await training.participants(world["dinas_a"].actor, event_id)
    assert [p.name for p in found.seated] == ["Anggota K1", "Anggota K1B"]
    assert [(p.name, p.position) for p in found.waiting] == [("Anggota K2", 1)]
    assert [p.name for p in found.cancelled] == ["Kasir K1", "Pengurus K2"]
    [(notification_id, people)] = await pushed_since(marker)
    assert people == world.ids("anggota_k1b")
    assert str((await notification(notification_id))["title"]).startswith("Anda mendapat kursi")

    # Registering again after cancelling: a new place at the end of the queue.
    again = await training.register(world["kasir_k1"].actor, event_id)
    assert (again.status, again.position) == ("menunggu", 2)

    # A larger quota seats the queue in order; a quota below the seats taken is refused.
    officer = world["dinas_a"].actor
    await training.update(officer, event_id, draft(quota=3))
    assert [p.name for p in (await training.participants(officer, event_id)).seated] == [
        "Anggota K1",
        "Anggota K1B",
        "Anggota K2",
    ]
    with pytest.raises(ValidationFailed) as lower:
        await training.update(officer, event_id, draft(quota=2))
    assert lower.value.code == "quota_below_seated"

    # The officer takes a seated person off: the queue moves up.
    taken = await training.participants(officer, event_id)
    await training.cancel_registration(officer, event_id, taken.seated[0].id)
    assert [p.name for p in (await training.participants(officer, event_id)).seated] == [
        "Anggota K1B",
        "Anggota K2",
        "Kasir K1",
    ]


async def test_two_people_racing_for_the_last_seat(demo: Settings) -> None:
    """Both transactions run at once (on PostgreSQL on separate connections): the row lock
    on the training makes the second see the first's seat."""
    world = await outreach_world()
    event_id = await opened(world, draft(quota=2))
    await training.register(world["anggota_k1"].actor, event_id)
    for _round in range(3):
        racers = ["kasir_k1", "anggota_k1b"]
        results = await asyncio.gather(
            *[training.register(world[n].actor, event_id) for n in racers]
        )
        assert sorted(r.status for r in results) == ["menunggu", "terdaftar"]
        assert [r.position for r in results if r.status == "menunggu"] == [1]
        seated = await TrainingRegistration.count().where(
            (TrainingRegistration.event == event_id) & (TrainingRegistration.status == "terdaftar")
        )
        assert seated == 2
        # Both leave at once: the seat is freed once and taken by nobody twice.
        await asyncio.gather(*[training.cancel_mine(world[n].actor, event_id) for n in racers])
        assert [s for _, s in await statuses(event_id)][-2:] == ["batal", "batal"]


async def test_the_same_person_registering_twice_at_once_gets_one_registration(
    demo: Settings,
) -> None:
    world = await outreach_world()
    event_id = await opened(world, draft(quota=5))
    outcomes = await asyncio.gather(
        *[training.register(world["anggota_k1"].actor, event_id) for _ in range(3)],
        return_exceptions=True,
    )
    made = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(made) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, BaseException))
    assert await statuses(event_id) == [("Anggota K1", "terdaftar")]


async def test_who_sees_and_registers(demo: Settings) -> None:
    world = await outreach_world()
    only_k1 = await opened(world, draft(roles={Role.ANGGOTA}, koperasi=frozenset({world.k1})))
    public = await opened(world, draft(roles={Role.PENGURUS}, public=True, title="Terbuka"))
    draft_only = (await training.create(world["dinas_a"].actor, draft(title="Masih draf"))).id

    def ids(events: list[training.TrainingOut]) -> set[int]:
        return {e.id for e in events}

    assert ids(await training.listing(world["anggota_k1"].actor)) == {only_k1, public}
    assert ids(await training.listing(world["anggota_k2"].actor)) == {public}
    assert ids(await training.listing(world["pengurus_k2"].actor)) == {public}
    assert ids(await training.listing(world["anggota_k3"].actor)) == set()
    assert ids(await training.public_listing()) == {public}

    # Outside the audience: a training not meant for them is not found; a public one
    # is seen but refused.
    with pytest.raises(NotFound):
        await training.register(world["anggota_k2"].actor, only_k1)
    with pytest.raises(Forbidden):
        await training.register(world["anggota_k1"].actor, public)
    for name in ("anggota_k3", "dinas_b"):
        with pytest.raises(NotFound):
            await training.register(world[name].actor, public)
    with pytest.raises(NotFound):
        await training.register(world["anggota_k1"].actor, draft_only)
    assert (await training.register(world["pengurus_k2"].actor, public)).status == "terdaftar"

    # Only the region's officers manage it.
    for name in ("pengurus_k1", "anggota_k1"):
        with pytest.raises(Forbidden):
            await training.participants(world[name].actor, public)
    with pytest.raises(NotFound):
        await training.participants(world["dinas_b"].actor, public)
    with pytest.raises(NotFound):
        await training.set_status(world["dinas_b"].actor, public, TrainingStatus.BATAL)
    with pytest.raises(ValidationFailed):  # another region's koperasi in the audience
        await training.create(world["dinas_a"].actor, draft(koperasi=frozenset({world.k3})))
    with pytest.raises(ValidationFailed):
        await training.koperasi_ids(world.region_a, ["kud-lain"])


async def test_registration_closes_at_the_deadline_and_cancel_at_the_start(
    demo: Settings,
) -> None:
    world = await outreach_world()
    event_id = await opened(world, draft(quota=3))
    await training.register(world["anggota_k1"].actor, event_id)
    plan = draft()
    late = plan.registration_deadline + timedelta(seconds=1)
    with pytest.raises(Conflict) as closed:
        await training.register(world["kasir_k1"].actor, event_id, now=late)
    assert closed.value.code == "registration_closed"
    with pytest.raises(Conflict) as started:
        await training.cancel_mine(world["anggota_k1"].actor, event_id, now=plan.starts_at)
    assert started.value.code == "cancel_too_late"
    await training.set_status(world["dinas_a"].actor, event_id, TrainingStatus.DITUTUP)
    with pytest.raises(Conflict):
        await training.register(world["kasir_k1"].actor, event_id)


async def test_attendance_and_the_certificate_list(demo: Settings) -> None:
    world = await outreach_world()
    officer = world["dinas_a"].actor
    plan = draft(quota=2, starts_in=timedelta(hours=2))
    event_id = await opened(world, plan)
    for name in ("anggota_k1", "pengurus_k2", "anggota_k2"):
        await training.register(world[name].actor, event_id)
    found = await training.participants(officer, event_id)
    first, second = found.seated
    waiting = found.waiting[0]
    marks = [
        training.AttendanceMark(first.id, Attendance.HADIR),
        training.AttendanceMark(second.id, Attendance.TIDAK_HADIR),
    ]
    with pytest.raises(Conflict) as early:
        await training.mark_attendance(officer, event_id, marks)
    assert early.value.code == "attendance_too_early"
    during = plan.starts_at + timedelta(minutes=30)
    with pytest.raises(ValidationFailed):  # the waiting list did not attend
        await training.mark_attendance(
            officer, event_id, [training.AttendanceMark(waiting.id, Attendance.HADIR)], now=during
        )
    with pytest.raises(NotFound):
        await training.mark_attendance(world["dinas_b"].actor, event_id, marks, now=during)
    marked = await training.mark_attendance(officer, event_id, marks, now=during)
    assert [(p.name, p.attendance) for p in marked.seated] == [
        ("Anggota K1", "hadir"),
        ("Pengurus K2", "tidak_hadir"),
    ]
    mine = await training.my_trainings(world["anggota_k1"].actor)
    assert mine[0].mine is not None and mine[0].mine.attendance == "hadir"
    await training.set_status(officer, event_id, TrainingStatus.SELESAI, now=during)
    # Still correctable after it is finished; None takes a mark back.
    marked = await training.mark_attendance(
        officer,
        event_id,
        [training.AttendanceMark(second.id, None)],
        now=plan.ends_at + timedelta(days=1),
    )
    assert [p.attendance for p in marked.seated] == ["hadir", None]

    book = openpyxl.load_workbook(io.BytesIO(attendance_xlsx(marked, translator("id"), "id")))
    sheet = book.worksheets[0]
    assert sheet.title == "Daftar hadir"
    assert sheet["A1"].value == "Pelatihan pembukuan SAK EP"
    assert sheet["A5"].value == "1 dari 2 peserta terdaftar hadir."
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=8, max_col=6)]
    year = plan.starts_at.astimezone(REGION_TZ).year
    assert rows == [
        [
            1,
            "Anggota K1",
            "Anggota",
            "Koperasi Wanita Srikandi",
            "Hadir",
            f"DIKLAT/{year}/{event_id:04d}/001",
        ],
        [2, "Pengurus K2", "Pengurus", "KSP Artha Mandiri", "Belum dicatat", None],
    ]


async def test_the_day_before_reminder_goes_once_to_the_seated(demo: Settings) -> None:
    world = await outreach_world()
    plan = draft(quota=1, starts_in=timedelta(days=2))
    event_id = await opened(world, plan)
    await training.register(world["anggota_k1"].actor, event_id)
    await training.register(world["anggota_k1b"].actor, event_id)  # waiting list
    cancelled = await opened(world, draft(starts_in=timedelta(days=2), title="Batal"))
    await training.register(world["anggota_k1"].actor, cancelled)
    await training.set_status(world["dinas_a"].actor, cancelled, TrainingStatus.BATAL)

    marker = await last_notification_id()
    assert await training.send_reminders(plan.starts_at - timedelta(hours=25)) == 0
    day_before = plan.starts_at - timedelta(hours=23)
    sent_counts = await asyncio.gather(
        training.send_reminders(day_before), training.send_reminders(day_before)
    )
    assert sorted(sent_counts) == [0, 1]  # two runners at once: one reminder
    assert await training.send_reminders(day_before + timedelta(hours=1)) == 0
    [(notification_id, people)] = await pushed_since(marker)
    assert people == world.ids("anggota_k1")
    sent = await notification(notification_id)
    assert sent["topic"] == "pelatihan"
    assert str(sent["title"]).endswith("Pelatihan pembukuan SAK EP")


async def test_cancelling_a_training_tells_everyone_registered(demo: Settings) -> None:
    world = await outreach_world()
    event_id = await opened(world, draft(quota=1))
    await training.register(world["anggota_k1"].actor, event_id)
    await training.register(world["kasir_k1"].actor, event_id)
    marker = await last_notification_id()
    await training.set_status(world["dinas_a"].actor, event_id, TrainingStatus.BATAL)
    [(notification_id, people)] = await pushed_since(marker)
    assert people == world.ids("anggota_k1", "kasir_k1")
    assert str((await notification(notification_id))["title"]).startswith("Pelatihan dibatalkan")
    with pytest.raises(Conflict):
        await training.set_status(world["dinas_a"].actor, event_id, TrainingStatus.DIBUKA)
    with pytest.raises(AppError):
        await training.update(world["dinas_a"].actor, event_id, draft())
    assert await PushNotification.count().where(PushNotification.id > marker) == 1


async def test_the_training_pages_and_api(demo: Settings) -> None:
    world = await outreach_world()
    public = await opened(world, draft(public=True, title="Pelatihan terbuka", quota=1))
    hidden = await opened(world, draft(title="Khusus pengurus", roles={Role.PENGURUS}))

    client, manager = await session_client(demo, None)
    try:
        page = await client.get("/pelatihan")
        assert page.status_code == 200
        assert "Pelatihan terbuka" in page.text and "Khusus pengurus" not in page.text
        assert "Masuk untuk mendaftar" in page.text
        assert "<strong>laptop</strong>" in page.text
    finally:
        await aclose_client(manager)

    client, manager = await session_client(demo, world["anggota_k1"])
    try:
        page = await client.get("/pelatihan")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert f'id="pelatihan-{public}"' in page.text and "Khusus pengurus" not in page.text
        made = await client.post(f"/api/v1/training/{public}/registration")
        assert made.status_code == 201, made.text
        assert made.json()["status"] == "terdaftar"
        assert (await client.post(f"/api/v1/training/{hidden}/registration")).status_code == 404
        mine = (await client.get("/api/v1/training/mine")).json()
        assert [(e["id"], e["mine"]["status"]) for e in mine] == [(public, "terdaftar")]
        assert (await client.get("/pengawasan/pelatihan")).status_code == 403
        assert (await client.get("/api/v1/training/manage")).status_code == 403
    finally:
        await aclose_client(manager)

    client, manager = await session_client(demo, world["dinas_a"])
    try:
        body = {
            "title": "Diklat dari API",
            "starts_at": "2030-05-04T09:00:00+07:00",
            "ends_at": "2030-05-04T15:00:00+07:00",
            "registration_deadline": "2030-05-03T17:00:00+07:00",
            "quota": 20,
            "roles": ["pengurus"],
            "koperasi": ["kopwan-srikandi"],
            "place": "Aula",
        }
        made = await client.post("/api/v1/training/manage", json=body)
        assert made.status_code == 201, made.text
        event = made.json()
        assert event["koperasi"][0]["slug"] == "kopwan-srikandi"
        assert event["starts_at"].startswith("2030-05-04T02:00:00")
        wrong = await client.post(
            "/api/v1/training/manage", json={**body, "koperasi": ["kud-lain"]}
        )
        assert wrong.status_code == 422
        page = await client.get(f"/pengawasan/pelatihan/{public}")
        assert page.status_code == 200 and "Anggota K1" in page.text
        export = await client.get(f"/api/v1/training/manage/{public}/attendance.xlsx")
        assert export.status_code == 200
        assert export.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        status = await client.post(
            f"/api/v1/training/manage/{event['id']}/status", json={"status": "selesai"}
        )
        assert status.status_code == 409  # a draft is not finished
        desk = await client.get("/pengawasan/pelatihan")
        assert desk.status_code == 200 and "Diklat dari API" in desk.text
    finally:
        await aclose_client(manager)


async def test_the_reminder_command_runs_from_cron(demo: Settings) -> None:
    """`python -m backend.outreach.reminders` on the same database, as cron runs it."""
    world = await outreach_world()
    event_id = await opened(world, draft(starts_in=timedelta(hours=20)))
    await training.register(world["anggota_k1"].actor, event_id)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KOROENA_")},
        "KOROENA_DATA_DIR": str(demo.data_dir),
        "KOROENA_DATABASE_URL": demo.database_url,
    }

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "backend.outreach.reminders"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    marker = await last_notification_id()
    assert await asyncio.to_thread(run) == "Pengingat pelatihan dikirim untuk 1 pelatihan.\n"
    assert await asyncio.to_thread(run) == "Pengingat pelatihan dikirim untuk 0 pelatihan.\n"
    [(_, people)] = await pushed_since(marker)
    assert people == world.ids("anggota_k1")
