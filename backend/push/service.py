"""Push use cases: a person's subscriptions (devices) and topic choices, and `enqueue`,
which other contexts call inside their own transactions to notify an audience.

`enqueue` resolves the audience at once into one `push_delivery` row per subscription of
every matching person who has not turned the topic off — one INSERT … SELECT, so a
region-wide announcement to ten thousand phones is one statement — and the sender
(`backend.push.worker`) delivers them. The notification and its deliveries commit with
the caller's transaction, or not at all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from backend.accounts.domain import Role
from backend.db import write_transaction
from backend.errors import AppError, Conflict, NotFound
from backend.push.domain import (
    Audience,
    AudienceKind,
    DeliveryStatus,
    Topic,
    check_notification,
    check_subscription,
    device_label,
    topics_for,
)
from backend.push.tables import (
    PushDelivery,
    PushNotification,
    PushPreference,
    PushSubscription,
)
from backend.texts import N_

TEST_INTERVAL = timedelta(seconds=30)


def _now() -> datetime:
    return datetime.now(UTC)


def as_datetime(value: object) -> datetime | None:
    """Raw SQLite queries hand timestamps back as text; PostgreSQL as datetimes."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def endpoint_hash(endpoint: str) -> str:
    """SHA-256 of the endpoint, hex: the page finds "this device" in the list by it
    without the list handing out the endpoint (a capability URL)."""
    return hashlib.sha256(endpoint.encode()).hexdigest()


# Subscriptions


@dataclass(frozen=True)
class Device:
    id: int
    device_label: str
    push_service: str  # the endpoint's host, e.g. fcm.googleapis.com
    endpoint_sha256: str
    created_at: datetime
    last_success_at: datetime | None


def _device(row: dict[str, Any]) -> Device:
    endpoint = str(row["endpoint"])
    created = as_datetime(row["created_at"])
    assert created is not None
    return Device(
        id=int(row["id"]),
        device_label=str(row["device_label"]),
        push_service=urlsplit(endpoint).hostname or "",
        endpoint_sha256=endpoint_hash(endpoint),
        created_at=created,
        last_success_at=as_datetime(row["last_success_at"]),
    )


_DEVICE_COLUMNS = (
    PushSubscription.id,
    PushSubscription.endpoint,
    PushSubscription.device_label,
    PushSubscription.created_at,
    PushSubscription.last_success_at,
)


async def devices(user_id: int) -> list[Device]:
    rows = (
        await PushSubscription.select(*_DEVICE_COLUMNS)
        .where(PushSubscription.user == user_id)
        .order_by(PushSubscription.id)
    )
    return [_device(row) for row in rows]


async def subscribe(
    user_id: int,
    endpoint: str,
    p256dh: str,
    auth: str,
    *,
    allowed_hosts: tuple[str, ...],
    label: str = "",
    user_agent: str = "",
) -> Device:
    """Store this browser's subscription for `user_id` (idempotent: the page sends it again
    on every visit). An endpoint another person subscribed on this browser before moves to
    `user_id` — a shared phone notifies whoever subscribed on it last — and the other
    person's undelivered notifications to it are dropped; that needs the browser's own
    keys with it, which only that browser has (with other keys it is refused)."""
    keys = check_subscription(endpoint, p256dh, auth, allowed_hosts)
    name = (label.strip() or device_label(user_agent))[:100]
    async with write_transaction():
        row = (
            await PushSubscription.select(
                PushSubscription.id,
                PushSubscription.user.as_alias("user_id"),
                PushSubscription.p256dh,
                PushSubscription.auth,
            )
            .where(PushSubscription.endpoint == keys.endpoint)
            .first()
        )
        if row is None:
            inserted = (
                await PushSubscription.insert(
                    PushSubscription(
                        user=user_id,
                        endpoint=keys.endpoint,
                        p256dh=keys.p256dh,
                        auth=keys.auth,
                        device_label=name,
                    )
                )
                .on_conflict(target=PushSubscription.endpoint, action="DO NOTHING")
                .returning(PushSubscription.id)
            )
            if not inserted:
                raise Conflict(
                    "push_subscription_busy",
                    N_("Perangkat ini sedang didaftarkan. Coba lagi sebentar lagi."),
                )
            subscription_id = int(inserted[0]["id"])
        else:
            subscription_id = int(row["id"])
            same_keys = row["p256dh"] == keys.p256dh and row["auth"] == keys.auth
            if row["user_id"] != user_id:
                if not same_keys:
                    raise Conflict(
                        "push_subscription_taken",
                        N_("Langganan notifikasi ini milik perangkat lain."),
                    )
                # The browser changed hands: what was queued for the other person stays
                # with them.
                await _drop_queued(subscription_id, "subscription changed hands")
            await PushSubscription.update(
                {
                    PushSubscription.user: user_id,
                    PushSubscription.p256dh: keys.p256dh,
                    PushSubscription.auth: keys.auth,
                    PushSubscription.device_label: name,
                }
            ).where(PushSubscription.id == subscription_id)
        saved = (
            await PushSubscription.select(*_DEVICE_COLUMNS)
            .where(PushSubscription.id == subscription_id)
            .first()
        )
    assert saved is not None
    return _device(saved)


async def _drop_queued(subscription_id: int, reason: str) -> None:
    """Undelivered notifications to a subscription become `gone`."""
    await PushDelivery.update(
        {
            PushDelivery.status: DeliveryStatus.GONE.value,
            PushDelivery.claimed_until: None,
            PushDelivery.last_error: reason[:300],
        }
    ).where(
        (PushDelivery.subscription == subscription_id)
        & PushDelivery.status.is_in([DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value])
    )


async def remove_subscription(subscription_id: int, *, user_id: int) -> None:
    """A person removes one of their devices (not anyone else's: those are not found)."""
    async with write_transaction():
        row = (
            await PushSubscription.select(PushSubscription.id)
            .where((PushSubscription.id == subscription_id) & (PushSubscription.user == user_id))
            .first()
        )
        if row is None:
            raise NotFound("push_subscription_not_found", N_("Perangkat tidak ditemukan."))
        await delete_subscription(subscription_id, "unsubscribed")


async def delete_subscription(subscription_id: int, reason: str) -> None:
    """Delete a subscription; its undelivered notifications become `gone`. Call inside a
    transaction."""
    await _drop_queued(subscription_id, reason)
    await PushSubscription.delete().where(PushSubscription.id == subscription_id)


# Preferences


@dataclass(frozen=True)
class Preference:
    topic: Topic
    label: str
    hint: str
    enabled: bool


async def stored_preferences(user_id: int) -> dict[Topic, bool]:
    rows = await PushPreference.select(PushPreference.topic, PushPreference.enabled).where(
        PushPreference.user == user_id
    )
    known = {t.value for t in Topic}
    return {Topic(r["topic"]): bool(r["enabled"]) for r in rows if r["topic"] in known}


async def preferences(user_id: int, roles: list[Role]) -> list[Preference]:
    """The topics of the person's roles, each on unless they turned it off."""
    stored = await stored_preferences(user_id)
    return [
        Preference(topic=t, label=t.label, hint=t.hint, enabled=stored.get(t, True))
        for t in topics_for(roles)
    ]


async def set_preferences(
    user_id: int, roles: list[Role], choices: dict[Topic, bool]
) -> list[Preference]:
    allowed = set(topics_for(roles))
    unknown = [t for t in choices if t not in allowed]
    if unknown:
        raise AppError(
            code="push_topic_unknown",
            message=N_("Topik notifikasi ini tidak tersedia untuk peran Anda."),
            status=422,
            details=[
                {"field": "topics", "code": "push_topic_unknown", "topic": t.value} for t in unknown
            ],
        )
    now = _now()
    async with write_transaction():
        for topic, enabled in choices.items():
            await PushPreference.insert(
                PushPreference(user=user_id, topic=topic.value, enabled=enabled, updated_at=now)
            ).on_conflict(
                target=(PushPreference.user, PushPreference.topic),
                action="DO UPDATE",
                values=[PushPreference.enabled, PushPreference.updated_at],
            )
    return await preferences(user_id, roles)


# The outbox


def _audience_sql(audience: Audience) -> tuple[str, list[Any]]:
    """`push_subscription s` rows of the people in `audience` (see Audience.matches)."""
    if audience.kind is AudienceKind.USERS:
        if not audience.user_ids:
            return "1 = 0", []
        marks = ", ".join("{}" for _ in audience.user_ids)
        return f"s.user_id IN ({marks})", list(audience.user_ids)
    conditions = ["g.revoked_at IS NULL"]
    args: list[Any] = []
    if audience.kind is AudienceKind.KOPERASI:
        conditions.append("g.koperasi_id = {}")
        args.append(audience.koperasi_id)
    else:
        conditions.append("g.region_id = {}")
        args.append(audience.region_id)
    if audience.roles:
        conditions.append(f"g.role IN ({', '.join('{}' for _ in audience.roles)})")
        args.extend(r.value for r in audience.roles)
    grants = f"SELECT g.user_id FROM role_grant g WHERE {' AND '.join(conditions)}"
    return f"s.user_id IN ({grants})", args


async def enqueue(
    audience: Audience,
    topic: str,
    title: str,
    body: str,
    url: str,
    *,
    koperasi_id: int | None = None,
    region_id: int | None = None,
    created_by: int | None = None,
    ttl_seconds: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue a notification for everyone in `audience` who wants `topic`, on each of their
    devices; returns the notification's id (`delivery_counts` tells how many devices).

    Call it inside the transaction of the event it announces (it joins it), so the
    notification exists exactly when the event does. `url` is a path in the app that a
    tap on the notification opens. `koperasi_id` / `region_id` record whose notification
    it is; `ttl_seconds` (default: the server's push TTL) is how long it is worth
    delivering."""
    kind = Topic(topic)
    title, body, url = check_notification(title, body, url)
    if ttl_seconds is not None and ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    now = now or _now()
    async with write_transaction():
        made = await PushNotification.insert(
            PushNotification(
                topic=kind.value,
                title=title,
                body=body,
                url=url,
                audience=audience.describe()[:300],
                koperasi=koperasi_id,
                region=region_id,
                created_by=created_by,
                ttl_seconds=ttl_seconds,
                created_at=now,
            )
        ).returning(PushNotification.id)
        notification_id = int(made[0]["id"])
        people, args = _audience_sql(audience)
        wanted = ""
        if kind is not Topic.UJI:
            wanted = (
                " AND NOT EXISTS (SELECT 1 FROM push_preference p WHERE p.user_id = s.user_id"
                " AND p.topic = {} AND p.enabled = {})"
            )
            args += [kind.value, False]
        await PushDelivery.raw(
            "INSERT INTO push_delivery (notification_id, subscription_id, status, attempts,"
            " next_attempt_at, claim, last_error, created_at)"
            " SELECT {}, s.id, {}, 0, {}, '', '', {} FROM push_subscription s"
            f" WHERE {people}{wanted}",
            notification_id,
            DeliveryStatus.PENDING.value,
            now,
            now,
            *args,
        )
    return notification_id


@dataclass(frozen=True)
class DeliveryCounts:
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    gone: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sending + self.sent + self.failed + self.gone


async def delivery_counts(notification_id: int) -> DeliveryCounts:
    rows = await PushDelivery.raw(
        "SELECT status, COUNT(*) AS n FROM push_delivery WHERE notification_id = {}"
        " GROUP BY status",
        notification_id,
    )
    counts = {str(r["status"]): int(r["n"]) for r in rows}
    return DeliveryCounts(**{s.value: counts.get(s.value, 0) for s in DeliveryStatus})


async def send_test(user_id: int, title: str, body: str, now: datetime | None = None) -> int:
    """A test notification to the person's own devices, at most one per 30 seconds."""
    now = now or _now()
    async with write_transaction():
        recent = await PushNotification.exists().where(
            (PushNotification.created_by == user_id)
            & (PushNotification.topic == Topic.UJI.value)
            & (PushNotification.created_at > now - TEST_INTERVAL)
        )
        if recent:
            raise AppError(
                code="push_test_too_soon",
                message=N_("Notifikasi uji baru saja dikirim. Tunggu sebentar."),
                status=429,
            )
        if not await PushSubscription.exists().where(PushSubscription.user == user_id):
            raise AppError(
                code="push_no_device",
                message=N_("Belum ada perangkat yang menerima notifikasi."),
                status=409,
            )
        return await enqueue(
            Audience.users(user_id),
            Topic.UJI,
            title,
            body,
            "/akun#notifikasi",
            created_by=user_id,
            ttl_seconds=3600,
            now=now,
        )
