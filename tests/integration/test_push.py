"""The push outbox and its sender against the local stand-in push service, on SQLite and
PostgreSQL: what is enqueued arrives decrypted, exactly as sent, with a valid VAPID token;
gone subscriptions are removed; 429/5xx are retried later; a sender killed between the
push and the mark does not lose the notification; two senders share the outbox without
sending anything twice; preferences and audiences decide who gets what."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from backend.accounts.domain import Role
from backend.accounts.tables import RoleGrant, UserAccount
from backend.errors import Conflict
from backend.push import service
from backend.push.domain import Audience, GrantView, RetryPolicy, Topic
from backend.push.tables import PushDelivery, PushNotification, PushSubscription
from backend.push.vapid import public_key
from backend.push.worker import PushWorker, WorkerConfig
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
from tests.support.push_service import PushService, Subscriber

HOSTS = ("127.0.0.1",)
SUBJECT = "mailto:admin@koroena.example"
KOROENA = Path(sys.executable).with_name("koroena")


def _config(**overrides: object) -> WorkerConfig:
    values: dict[str, object] = {
        "subject": SUBJECT,
        "concurrency": 4,
        "batch": 10,
        "timeout_seconds": 5.0,
        "retry": RetryPolicy(base_seconds=20, cap_seconds=120, max_attempts=4),
    }
    values.update(overrides)
    return WorkerConfig(**values)  # type: ignore[arg-type]


class Clock:
    """A clock the test moves forward (the stand-in checks tokens against real time, so
    only minutes, never days)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest_asyncio.fixture(loop_scope="session")
async def push_service() -> AsyncIterator[PushService]:
    async with PushService() as running:
        yield running


async def _user(name: str) -> int:
    row = await UserAccount.insert(
        UserAccount(display_name=name, user_handle=f"push-{name}")
    ).returning(UserAccount.id)
    return int(row[0]["id"])


async def _subscribe(push: PushService, user_id: int) -> Subscriber:
    subscriber = push.subscriber(await public_key())
    data = subscriber.subscription_json()
    await service.subscribe(
        user_id,
        data["endpoint"],
        data["keys"]["p256dh"],
        data["keys"]["auth"],
        allowed_hosts=HOSTS,
        label="Ponsel uji",
    )
    return subscriber


async def _statuses(notification_id: int) -> list[str]:
    rows = await PushDelivery.select(PushDelivery.status).where(
        PushDelivery.notification == notification_id
    )
    return sorted(r["status"] for r in rows)


async def _delivery(notification_id: int) -> dict[str, object]:
    row = await PushDelivery.select().where(PushDelivery.notification == notification_id).first()
    assert row is not None
    return row


async def test_what_is_enqueued_arrives_decrypted_exactly_as_sent(
    migrated: Settings, push_service: PushService
) -> None:
    siti = await _user("siti")
    phone, laptop = await _subscribe(push_service, siti), await _subscribe(push_service, siti)
    title = "Pelatihan pembukuan SAK EP"
    body = "Sabtu 5 Desember, 09.00 WIB di aula Dinas. Bawa laptop. Biaya Rp 0 — gratis ✓"
    notification_id = await service.enqueue(
        Audience.users(siti), Topic.PELATIHAN, title, body, "/pelatihan/12"
    )
    assert await _statuses(notification_id) == ["pending", "pending"]

    async with PushWorker(_config()) as worker:
        stats = await worker.run_until_idle()

    assert (stats.claimed, stats.sent) == (2, 2)
    assert push_service.rejected == []
    expected = {
        "id": notification_id,
        "topic": "pelatihan",
        "title": title,
        "body": body,
        "url": "/pelatihan/12",
        "tag": f"koroena-{notification_id}",
    }
    for subscriber in (phone, laptop):
        assert subscriber.payloads() == [expected]
        received = subscriber.received[0]
        # The token the stand-in verified (signature with the server's key, checked there).
        assert received.claims["aud"] == push_service.origin
        assert received.claims["sub"] == SUBJECT
        exp = int(received.claims["exp"])
        assert received.at < exp <= received.at + 24 * 3600
        assert 0 < received.ttl <= 24 * 3600
        assert received.urgency == "normal"
    assert await _statuses(notification_id) == ["sent", "sent"]
    assert await service.delivery_counts(notification_id) == service.DeliveryCounts(sent=2)
    seen = await PushSubscription.select(PushSubscription.last_success_at).where(
        PushSubscription.user == siti
    )
    assert all(r["last_success_at"] is not None for r in seen)


@pytest.mark.parametrize("status", [404, 410])
async def test_a_gone_subscription_is_removed(
    migrated: Settings, push_service: PushService, status: int
) -> None:
    budi = await _user(f"budi{status}")
    dropped, kept = await _subscribe(push_service, budi), await _subscribe(push_service, budi)
    push_service.answer(dropped, status)
    first = await service.enqueue(Audience.users(budi), Topic.BERITA, "Satu", "", "/")
    async with PushWorker(_config()) as worker:
        await worker.run_until_idle()
        assert await _statuses(first) == ["gone", "sent"]
        endpoints = await PushSubscription.select(PushSubscription.endpoint).where(
            PushSubscription.user == budi
        )
        assert [r["endpoint"] for r in endpoints] == [kept.endpoint]
        # Later notifications go only to the device that is left.
        second = await service.enqueue(Audience.users(budi), Topic.BERITA, "Dua", "", "/")
        await worker.run_until_idle()
    assert await _statuses(second) == ["sent"]
    assert [p["title"] for p in kept.payloads()] == ["Satu", "Dua"]
    assert dropped.received == []  # the stand-in refused it: nothing was accepted


async def test_rate_limits_and_server_errors_are_retried_later(
    migrated: Settings, push_service: PushService
) -> None:
    ani = await _user("ani")
    subscriber = await _subscribe(push_service, ani)
    push_service.answer(subscriber, 429, retry_after="90")
    push_service.answer(subscriber, 503)
    clock = Clock()
    notification_id = await service.enqueue(
        Audience.users(ani), Topic.SIMPANAN, "Setoran", "Rp 50.000", "/simpanan", now=clock.now
    )
    async with PushWorker(_config(), clock=clock) as worker:
        stats = await worker.run_until_idle()
        assert (stats.claimed, stats.retried, stats.sent) == (1, 1, 0)
        row = await _delivery(notification_id)
        assert row["status"] == "pending" and row["last_status"] == 429
        assert row["attempts"] == 1
        # Retry-After (90 s) beats the first backoff (10–20 s).
        first_retry = row["next_attempt_at"]
        assert isinstance(first_retry, datetime)
        assert first_retry >= clock.now + timedelta(seconds=90)
        assert (await worker.run_until_idle()).claimed == 0  # not yet

        clock.now = first_retry + timedelta(seconds=1)
        stats = await worker.run_until_idle()
        assert (stats.claimed, stats.retried) == (1, 1)
        row = await _delivery(notification_id)
        assert row["last_status"] == 503 and row["attempts"] == 2
        second_retry = row["next_attempt_at"]
        assert isinstance(second_retry, datetime)
        # Second backoff: 20–40 s after the second try.
        assert (
            clock.now + timedelta(seconds=20) <= second_retry <= clock.now + timedelta(seconds=40)
        )

        clock.now = second_retry + timedelta(seconds=1)
        stats = await worker.run_until_idle()
    assert stats.sent == 1
    row = await _delivery(notification_id)
    assert row["status"] == "sent" and row["attempts"] == 3 and row["last_status"] == 201
    assert subscriber.attempts == [429, 503, 201]
    assert [p["id"] for p in subscriber.payloads()] == [notification_id]


async def test_a_sender_gives_up_after_the_last_attempt(
    migrated: Settings, push_service: PushService
) -> None:
    rudi = await _user("rudi")
    subscriber = await _subscribe(push_service, rudi)
    push_service.answer(subscriber, 500, 500, 500)
    clock = Clock()
    notification_id = await service.enqueue(
        Audience.users(rudi), Topic.BERITA, "Coba", "", "/", now=clock.now
    )
    async with PushWorker(_config(retry=RetryPolicy(5, 5, 3)), clock=clock) as worker:
        for _ in range(3):
            await worker.run_until_idle()
            clock.advance(seconds=10)
    row = await _delivery(notification_id)
    assert row["status"] == "failed" and row["attempts"] == 3 and row["last_status"] == 500
    assert subscriber.received == []
    # The subscription stays: a server error says nothing about the phone.
    assert await PushSubscription.count().where(PushSubscription.user == rudi) == 1


async def test_an_expired_notification_is_not_sent(
    migrated: Settings, push_service: PushService
) -> None:
    wati = await _user("wati")
    subscriber = await _subscribe(push_service, wati)
    clock = Clock()
    notification_id = await service.enqueue(
        Audience.users(wati), Topic.BERITA, "Basi", "", "/", ttl_seconds=60, now=clock.now
    )
    clock.advance(seconds=61)
    async with PushWorker(_config(), clock=clock) as worker:
        stats = await worker.run_until_idle()
    assert stats.failed == 1
    assert (await _delivery(notification_id))["last_error"] == "expired before it could be sent"
    assert subscriber.attempts == []


def _worker_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOROENA_")}
    env["KOROENA_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["KOROENA_DATABASE_URL"] = settings.database_url
    env["KOROENA_VAPID_SUBJECT"] = SUBJECT
    return env


async def test_a_sender_killed_between_the_push_and_the_mark_loses_nothing(
    migrated: Settings, push_service: PushService
) -> None:
    """`koroena worker` in its own process: the push service accepts the message but holds
    its answer; the process is killed (SIGKILL, no cleanup) before it can mark anything.
    After the claim's lease a new sender delivers it again; the phone sees one notification
    (same tag: the second replaces the first)."""
    dewi = await _user("dewi")
    subscriber = await _subscribe(push_service, dewi)
    notification_id = await service.enqueue(
        Audience.users(dewi), Topic.PINJAMAN, "Angsuran jatuh tempo", "Rp 250.000", "/pinjaman"
    )
    push_service.hold()
    process = await asyncio.create_subprocess_exec(
        str(KOROENA),
        "worker",
        "--once",
        env=_worker_env(migrated),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        for _ in range(600):
            if push_service.waiting or process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        if push_service.waiting != 1:
            process.kill()
            output = (await process.communicate())[0].decode()
            raise AssertionError(f"the worker never pushed:\n{output}")
        process.send_signal(signal.SIGKILL)  # no cleanup, no mark
        await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        push_service.release()
    assert len(subscriber.received) == 1  # the push service has it …
    row = await _delivery(notification_id)
    assert row["status"] == "sending" and row["attempts"] == 1  # … the outbox does not know

    config = WorkerConfig.from_settings(replace(migrated, vapid_subject=SUBJECT))
    clock = Clock()
    async with PushWorker(config, clock=clock) as worker:
        assert (await worker.run_until_idle()).claimed == 0  # the claim still holds
        clock.advance(seconds=config.lease.total_seconds() + 1)
        stats = await worker.run_until_idle()
    assert stats.sent == 1
    row = await _delivery(notification_id)
    assert row["status"] == "sent" and row["attempts"] == 2
    copies = subscriber.payloads()
    assert len(copies) == 2 and copies[0] == copies[1]
    assert copies[0]["tag"] == f"koroena-{notification_id}"


async def test_two_senders_deliver_each_notification_exactly_once(
    migrated: Settings, push_service: PushService
) -> None:
    """PostgreSQL: claims with FOR UPDATE SKIP LOCKED, both senders working at once.
    SQLite: the IMMEDIATE transaction makes them take turns. Either way: once each."""
    users = [await _user(f"anggota{i}") for i in range(12)]
    subscribers = [await _subscribe(push_service, u) for u in users]
    ids = [
        await service.enqueue(Audience.users(*users), Topic.BERITA, f"Berita {n}", "", "/")
        for n in range(5)
    ]
    config = _config(batch=4, concurrency=2)
    async with PushWorker(config, name="a") as first, PushWorker(config, name="b") as second:
        totals = await asyncio.gather(first.run_until_idle(), second.run_until_idle())
    assert sum(t.sent for t in totals) == 60
    assert all(t.claimed > 0 for t in totals), totals  # the work was shared
    for subscriber in subscribers:
        assert sorted(p["id"] for p in subscriber.payloads()) == ids
    assert push_service.rejected == []
    assert await PushDelivery.count().where(PushDelivery.status != "sent") == 0


async def test_preferences_decide_who_gets_a_topic(
    migrated: Settings, push_service: PushService
) -> None:
    region = await Region.insert(
        Region(slug="kota-uji", name="Kota Uji", dinas_name="Dinas Uji")
    ).returning(Region.id)
    koperasi = await Koperasi.insert(
        Koperasi(region=region[0]["id"], slug="kop-uji", name="Kop Uji", kind="ksu")
    ).returning(Koperasi.id)
    k = koperasi[0]["id"]
    keen, quiet = await _user("keen"), await _user("quiet")
    for user in (keen, quiet):
        await RoleGrant.insert(
            RoleGrant(user=user, role="anggota", region=region[0]["id"], koperasi=k)
        )
    keen_phone, quiet_phone = (
        await _subscribe(push_service, keen),
        await _subscribe(push_service, quiet),
    )
    await service.set_preferences(quiet, [Role.ANGGOTA], {Topic.BERITA: False})
    news = await service.enqueue(Audience.in_koperasi(k), Topic.BERITA, "Berita", "", "/")
    training = await service.enqueue(Audience.in_koperasi(k), Topic.PELATIHAN, "Latihan", "", "/")
    assert (await service.delivery_counts(news)).total == 1
    assert (await service.delivery_counts(training)).total == 2
    # Turned back on: the next one reaches them again.
    await service.set_preferences(quiet, [Role.ANGGOTA], {Topic.BERITA: True})
    again = await service.enqueue(Audience.in_koperasi(k), Topic.BERITA, "Lagi", "", "/")
    async with PushWorker(_config()) as worker:
        await worker.run_until_idle()
    # (Sent concurrently: the phone may get them in any order.)
    assert sorted(p["title"] for p in keen_phone.payloads()) == ["Berita", "Lagi", "Latihan"]
    assert sorted(p["title"] for p in quiet_phone.payloads()) == ["Lagi", "Latihan"]
    assert (await service.delivery_counts(again)).sent == 2
    choices = {p.topic: p.enabled for p in await service.preferences(quiet, [Role.ANGGOTA])}
    assert choices[Topic.BERITA] is True and Topic.KEPATUHAN not in choices


async def test_audiences_resolve_as_the_rules_say(
    demo: Settings, push_service: PushService
) -> None:
    """The SQL that fans a notification out agrees with `Audience.recipients` (the pure
    rule) on the demo's people plus a few more: one per role, a revoked grant, a second
    region."""
    kops = {
        r["slug"]: r
        for r in await Koperasi.select(
            Koperasi.id, Koperasi.slug, Koperasi.region.as_alias("region")
        )
    }
    srikandi = kops["kopwan-srikandi"]
    artha = kops["ksp-artha-mandiri"]
    region_a = srikandi["region"]
    region_b = (
        await Region.insert(
            Region(slug="kab-lain", name="Kab Lain", dinas_name="Dinas Lain")
        ).returning(Region.id)
    )[0]["id"]
    people = {
        ("dinas-a", Role.DINAS, region_a, None),
        ("pengurus-1", Role.PENGURUS, region_a, srikandi["id"]),
        ("anggota-1", Role.ANGGOTA, region_a, srikandi["id"]),
        ("kasir-2", Role.KASIR, region_a, artha["id"]),
        ("dinas-b", Role.DINAS, region_b, None),
    }
    ids: dict[str, int] = {}
    for name, role, region, koperasi in sorted(people, key=lambda p: p[0]):
        ids[name] = await _user(name)
        await RoleGrant.insert(
            RoleGrant(user=ids[name], role=role.value, region=region, koperasi=koperasi)
        )
    # The anggota also serves at another koperasi's till; a revoked pengurus is out.
    await RoleGrant.insert(
        RoleGrant(user=ids["anggota-1"], role="kasir", region=region_a, koperasi=artha["id"])
    )
    ids["mantan"] = await _user("mantan")
    await RoleGrant.insert(
        RoleGrant(
            user=ids["mantan"],
            role="pengurus",
            region=region_a,
            koperasi=srikandi["id"],
            revoked_at=datetime.now(UTC),
        )
    )
    subscription_of = {}
    for name, user in ids.items():
        await _subscribe(push_service, user)
        subscription_of[user] = name
    grants = [
        GrantView(
            user_id=g["user"],
            role=Role(g["role"]),
            region_id=g["region"],
            koperasi_id=g["koperasi"],
            revoked=g["revoked_at"] is not None,
        )
        for g in await RoleGrant.select(
            RoleGrant.user.as_alias("user"),
            RoleGrant.role,
            RoleGrant.region.as_alias("region"),
            RoleGrant.koperasi.as_alias("koperasi"),
            RoleGrant.revoked_at,
        )
    ]
    audiences = [
        Audience.in_koperasi(srikandi["id"]),
        Audience.in_koperasi(srikandi["id"], Role.ANGGOTA),
        Audience.in_koperasi(artha["id"], Role.KASIR),
        Audience.in_region(region_a),
        Audience.in_region(region_a, Role.DINAS, Role.PENGURUS),
        Audience.in_region(region_b),
        Audience.users(ids["dinas-b"], ids["mantan"]),
    ]
    for audience in audiences:
        notification_id = await service.enqueue(audience, Topic.BERITA, "Uji", "", "/")
        rows = await PushDelivery.select(PushDelivery.subscription.user.as_alias("user")).where(
            PushDelivery.notification == notification_id
        )
        resolved = [r["user"] for r in rows]
        assert len(resolved) == len(set(resolved)), audience  # one per device
        expected = audience.recipients(grants) & set(subscription_of)
        assert set(resolved) == expected, audience
    assert {
        subscription_of[u]
        for u in Audience.in_region(region_a).recipients(grants)
        if u in subscription_of
    } == {"dinas-a", "pengurus-1", "anggota-1", "kasir-2"}


async def test_a_browser_that_changes_hands_takes_nothing_of_the_last_person(
    migrated: Settings, push_service: PushService
) -> None:
    first, second = await _user("pertama"), await _user("kedua")
    shared = await _subscribe(push_service, first)
    queued = await service.enqueue(Audience.users(first), Topic.SIMPANAN, "Untuk pertama", "", "/")
    data = shared.subscription_json()
    moved = await service.subscribe(
        second, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"], allowed_hosts=HOSTS
    )
    assert [d.id for d in await service.devices(second)] == [moved.id]
    assert await service.devices(first) == []
    assert await _statuses(queued) == ["gone"]
    # The same endpoint with other keys is not that browser: refused.
    other = push_service.subscriber().subscription_json()
    with pytest.raises(Conflict):
        await service.subscribe(
            first,
            data["endpoint"],
            other["keys"]["p256dh"],
            other["keys"]["auth"],
            allowed_hosts=HOSTS,
        )
    async with PushWorker(_config()) as worker:
        await worker.run_until_idle()
    assert shared.received == []


async def test_the_server_key_is_made_once_and_kept(migrated: Settings) -> None:
    first = await public_key()
    results = await asyncio.gather(*(public_key() for _ in range(5)))
    assert set(results) == {first}
    from backend.push.tables import VapidKey

    assert await VapidKey.count() == 1


async def test_old_finished_deliveries_are_purged(
    migrated: Settings, push_service: PushService
) -> None:
    eko = await _user("eko")
    await _subscribe(push_service, eko)
    clock = Clock()
    old = await service.enqueue(Audience.users(eko), Topic.BERITA, "Lama", "", "/", now=clock.now)
    async with PushWorker(_config(), clock=clock) as worker:
        await worker.run_until_idle()
        clock.advance(days=31)
        new = await service.enqueue(
            Audience.users(eko), Topic.BERITA, "Baru", "", "/", now=clock.now
        )
        await worker.purge(clock.now)
    assert await _statuses(old) == []
    assert await _statuses(new) == ["pending"]
    assert await PushNotification.count() == 2  # the notifications themselves are kept


async def test_koroena_worker_once_sends_what_is_due_and_exits(
    migrated: Settings, push_service: PushService
) -> None:
    tono = await _user("tono")
    subscriber = await _subscribe(push_service, tono)
    notification_id = await service.enqueue(
        Audience.users(tono), Topic.KEPATUHAN, "RAT paling lambat 31 Maret", "", "/rekam"
    )
    process = await asyncio.create_subprocess_exec(
        str(KOROENA),
        "worker",
        "--once",
        env=_worker_env(migrated),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(process.communicate(), 120))[0].decode()
    assert process.returncode == 0, output
    assert "Notifikasi: 1 terkirim" in output
    assert [p["title"] for p in subscriber.payloads()] == ["RAT paling lambat 31 Maret"]
    assert await _statuses(notification_id) == ["sent"]
