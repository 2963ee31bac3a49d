"""The push sender: takes due deliveries from the outbox, sends them to the push services
and records what happened (decision 0015).

One round: claim up to `batch` due deliveries (pending and due, or `sending` with a claim
that ran out), marking them `sending` under a fresh claim token with a lease; send them
with pywebpush (`WebPusher.send_async`, one shared aiohttp session, at most `concurrency`
at once, each with a timeout); then record every answer in one transaction, touching only
rows that still carry this round's token. PostgreSQL claims with `FOR UPDATE SKIP LOCKED`,
so several senders (processes or servers) share the outbox; SQLite claims inside an
IMMEDIATE transaction, one sender at a time.

At-least-once: a sender that dies after a push service accepted a message but before the
mark leaves the delivery `sending`; once the lease runs out another round sends it again.
The payload's `tag` is the notification's, so the phone replaces the first copy instead of
showing two."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from pywebpush import WebPusher, WebPushException

from backend.db import is_sqlite, write_transaction
from backend.logging import get_logger
from backend.push.domain import (
    DeliveryStatus,
    Outcome,
    RetryPolicy,
    Topic,
    classify,
    lease_seconds,
    next_attempt,
    parse_retry_after,
    payload,
    ttl_seconds,
)
from backend.push.service import as_datetime, delete_subscription
from backend.push.tables import PushDelivery, PushSubscription
from backend.push.vapid import Signer, server_key
from backend.settings import Settings

log = get_logger("koroena.push")

_DUE = (
    "((status = 'pending' AND next_attempt_at <= {}) OR"
    " (status = 'sending' AND claimed_until <= {}))"
)


@dataclass(frozen=True)
class TimedJob:
    """Work that must happen on a clock (e.g. the day-before training reminders). The
    sender is the one long-running loop every deployment has, so it runs them; other
    contexts hand theirs in where the app is composed (backend/scheduled.py)."""

    name: str
    every: timedelta
    run: Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class WorkerConfig:
    subject: str
    concurrency: int = 50
    batch: int = 200
    timeout_seconds: float = 10.0
    default_ttl_seconds: int = 24 * 3600
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    idle_seconds: float = 2.0
    retention: timedelta = timedelta(days=30)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> WorkerConfig:
        values: dict[str, Any] = {
            "subject": settings.push_subject,
            "concurrency": settings.push_concurrency,
            "batch": max(settings.push_concurrency * 4, 100),
            "default_ttl_seconds": settings.push_ttl_hours * 3600,
        }
        values.update(overrides)
        return cls(**values)

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=lease_seconds(self.batch, self.concurrency, self.timeout_seconds))


@dataclass(frozen=True)
class Claimed:
    id: int
    attempts: int
    notification_id: int
    topic: Topic
    title: str
    body: str
    url: str
    expires_at: datetime
    subscription_id: int | None
    endpoint: str | None
    p256dh: str
    auth: str


@dataclass(frozen=True)
class Result:
    delivery: Claimed
    outcome: Outcome
    status: int | None = None
    error: str = ""
    retry_after: timedelta | None = None


@dataclass
class RoundStats:
    claimed: int = 0
    sent: int = 0
    gone: int = 0
    retried: int = 0
    failed: int = 0

    def add(self, other: RoundStats) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.gone += other.gone
        self.retried += other.retried
        self.failed += other.failed


def _utc_now() -> datetime:
    return datetime.now(UTC)


# The events of the senders running in this process (`run`), set by `wake()`.
_WAKERS: set[asyncio.Event] = set()


def wake() -> None:
    """Tell the senders in this process that deliveries were just committed, so they need
    not wait for their next poll. Call after the transaction that enqueued them (a sender
    woken before the commit finds nothing and polls again later)."""
    for event in list(_WAKERS):
        event.set()


class PushWorker:
    """Use as `async with PushWorker(config) as worker: await worker.run(stop)` (or
    `run_until_idle()` to drain what is due now)."""

    def __init__(
        self,
        config: WorkerConfig,
        *,
        name: str = "",
        clock: Callable[[], datetime] = _utc_now,
        rng: random.Random | None = None,
        jobs: Sequence[TimedJob] = (),
    ) -> None:
        self.config = config
        self.jobs = tuple(jobs)
        self._jobs_ran: dict[str, datetime] = {}
        self.name = name or f"push-{uuid.uuid4().hex[:8]}"
        self.clock = clock
        self.rng = rng or random.Random()
        self._session: aiohttp.ClientSession | None = None
        self._signer: Signer | None = None
        self._signer_lock = asyncio.Lock()
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self._timeout = aiohttp.ClientTimeout(total=config.timeout_seconds)
        self._last_purge: datetime | None = None
        self._wake = asyncio.Event()

    async def __aenter__(self) -> PushWorker:
        await self.open()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def open(self) -> None:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self.config.concurrency, ttl_dns_cache=300, enable_cleanup_closed=True
            )
            self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _signer_now(self) -> Signer:
        if self._signer is None:
            async with self._signer_lock:  # concurrent first pushes read the key once
                if self._signer is None:
                    self._signer = Signer(await server_key(), self.config.subject)
        return self._signer

    # Claim

    async def _anything_due(self, now: datetime) -> bool:
        rows = await PushDelivery.raw(
            f"SELECT id FROM push_delivery WHERE {_DUE} LIMIT 1", now, now
        )
        return bool(rows)

    async def claim(self, now: datetime) -> tuple[str, list[Claimed]]:
        """Take up to `batch` due deliveries under a new token; their details."""
        token = uuid.uuid4().hex
        until = now + self.config.lease
        lock = "" if is_sqlite() else " FOR UPDATE SKIP LOCKED"
        async with write_transaction():
            await PushDelivery.raw(
                "UPDATE push_delivery SET status = {}, claim = {}, claimed_until = {},"
                " attempts = attempts + 1 WHERE id IN (SELECT id FROM push_delivery WHERE"
                f" {_DUE} ORDER BY next_attempt_at, id LIMIT {{}}{lock})",
                DeliveryStatus.SENDING.value,
                token,
                until,
                now,
                now,
                self.config.batch,
            )
            rows = await PushDelivery.raw(
                "SELECT d.id AS id, d.attempts AS attempts, d.notification_id AS notification_id,"
                " n.topic AS topic, n.title AS title, n.body AS body, n.url AS url,"
                " n.created_at AS created_at, n.ttl_seconds AS ttl_seconds,"
                " s.id AS subscription_id, s.endpoint AS endpoint, s.p256dh AS p256dh,"
                " s.auth AS auth"
                " FROM push_delivery d JOIN push_notification n ON n.id = d.notification_id"
                " LEFT JOIN push_subscription s ON s.id = d.subscription_id"
                " WHERE d.claim = {} AND d.status = {} ORDER BY d.id",
                token,
                DeliveryStatus.SENDING.value,
            )
        return token, [self._claimed(row) for row in rows]

    def _claimed(self, row: dict[str, Any]) -> Claimed:
        created = as_datetime(row["created_at"])
        assert created is not None
        ttl = row["ttl_seconds"] or self.config.default_ttl_seconds
        return Claimed(
            id=int(row["id"]),
            attempts=int(row["attempts"]),
            notification_id=int(row["notification_id"]),
            topic=Topic(row["topic"]),
            title=str(row["title"]),
            body=str(row["body"] or ""),
            url=str(row["url"] or "/"),
            expires_at=created + timedelta(seconds=int(ttl)),
            subscription_id=row["subscription_id"],
            endpoint=row["endpoint"],
            p256dh=str(row["p256dh"] or ""),
            auth=str(row["auth"] or ""),
        )

    # Send

    async def send(self, delivery: Claimed, now: datetime) -> Result:
        """One push; never raises for what the network or the push service does."""
        if delivery.endpoint is None or delivery.subscription_id is None:
            return Result(delivery, Outcome.GONE, error="subscription removed")
        if now >= delivery.expires_at:
            return Result(delivery, Outcome.FAILED, error="expired before it could be sent")
        assert self._session is not None, "open() the worker first"
        signer = await self._signer_now()
        data = payload(
            delivery.notification_id,
            delivery.topic,
            delivery.title,
            delivery.body,
            delivery.url,
        )
        headers: dict[str, str] = signer.headers(delivery.endpoint, now.timestamp())
        headers["Urgency"] = "normal"
        subscription = {
            "endpoint": delivery.endpoint,
            "keys": {"p256dh": delivery.p256dh, "auth": delivery.auth},
        }
        async with self._semaphore:
            try:
                pusher = WebPusher(subscription, aiohttp_session=self._session)
                # The session's timeout bounds the whole request (connect, send, answer).
                response = await pusher.send_async(
                    data,
                    headers,
                    ttl=max(1, ttl_seconds(now, delivery.expires_at)),
                    content_encoding="aes128gcm",
                    timeout=self._timeout,
                )
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                # No answer: the network, DNS, a refused connection, the timeout.
                return Result(delivery, Outcome.RETRY, error=f"{type(exc).__name__}: {exc}"[:300])
            except (WebPushException, ValueError, TypeError) as exc:
                # The keys cannot be used to encrypt: no retry can cure that.
                return Result(delivery, Outcome.FAILED, error=f"{type(exc).__name__}: {exc}"[:300])
        assert isinstance(response, aiohttp.ClientResponse)
        status = response.status
        outcome = classify(status)
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now)
        error = "" if outcome is Outcome.SENT else f"HTTP {status} {response.reason or ''}".strip()
        return Result(delivery, outcome, status=status, error=error, retry_after=retry_after)

    # Mark

    async def mark(self, token: str, results: list[Result], now: datetime) -> RoundStats:
        """Record a round's answers in one transaction, touching only rows still under
        `token` (a round whose claim ran out and was taken over records nothing). Every
        claimed row has one result: the few that were not sent are recorded one by one,
        then what is left under the token is the sent ones, recorded in one statement."""
        stats = RoundStats(claimed=len(results))
        mine = (PushDelivery.claim == token) & (PushDelivery.status == DeliveryStatus.SENDING.value)
        by_outcome: dict[Outcome, list[Result]] = defaultdict(list)
        for result in results:
            by_outcome[result.outcome].append(result)
        async with write_transaction():
            for result in by_outcome[Outcome.GONE]:
                await PushDelivery.update(
                    {
                        PushDelivery.status: DeliveryStatus.GONE.value,
                        PushDelivery.last_status: result.status,
                        PushDelivery.last_error: result.error,
                        PushDelivery.claimed_until: None,
                    }
                ).where((PushDelivery.id == result.delivery.id) & mine)
            stats.gone = len(by_outcome[Outcome.GONE])

            failed_subscriptions: set[int] = set()
            for result in by_outcome[Outcome.RETRY]:
                d = result.delivery
                when = next_attempt(
                    d.attempts, now, d.expires_at, self.config.retry, result.retry_after, self.rng
                )
                if d.subscription_id is not None:
                    failed_subscriptions.add(d.subscription_id)
                if when is None:
                    by_outcome[Outcome.FAILED].append(result)
                    continue
                await PushDelivery.update(
                    {
                        PushDelivery.status: DeliveryStatus.PENDING.value,
                        PushDelivery.next_attempt_at: when,
                        PushDelivery.claimed_until: None,
                        PushDelivery.claim: "",
                        PushDelivery.last_status: result.status,
                        PushDelivery.last_error: result.error,
                    }
                ).where((PushDelivery.id == d.id) & mine)
                stats.retried += 1

            for result in by_outcome[Outcome.FAILED]:
                d = result.delivery
                if d.subscription_id is not None:
                    failed_subscriptions.add(d.subscription_id)
                await PushDelivery.update(
                    {
                        PushDelivery.status: DeliveryStatus.FAILED.value,
                        PushDelivery.claimed_until: None,
                        PushDelivery.last_status: result.status,
                        PushDelivery.last_error: result.error or "gave up",
                    }
                ).where((PushDelivery.id == d.id) & mine)
                stats.failed += 1
            if failed_subscriptions:
                await PushSubscription.update({PushSubscription.last_failure_at: now}).where(
                    PushSubscription.id.is_in(sorted(failed_subscriptions))
                )

            sent = by_outcome[Outcome.SENT]
            stats.sent = len(sent)
            if sent:
                statuses = Counter(r.status for r in sent)
                usual = statuses.most_common(1)[0][0]
                for result in sent:
                    if result.status != usual:  # e.g. a 202 among 201s
                        await self._mark_sent(now, result.status, mine, result.delivery.id)
                await self._mark_sent(now, usual, mine)
                await PushSubscription.raw(
                    "UPDATE push_subscription SET last_success_at = {} WHERE id IN"
                    " (SELECT subscription_id FROM push_delivery WHERE claim = {} AND status = {})",
                    now,
                    token,
                    DeliveryStatus.SENT.value,
                )

            for subscription_id in sorted(
                {
                    r.delivery.subscription_id
                    for r in by_outcome[Outcome.GONE]
                    if r.delivery.subscription_id is not None
                }
            ):
                # 404/410: the browser dropped it (uninstalled, permission withdrawn).
                await delete_subscription(subscription_id, "push service: subscription gone")
        return stats

    @staticmethod
    async def _mark_sent(
        now: datetime, status: int | None, mine: Any, delivery_id: int | None = None
    ) -> None:
        where = mine if delivery_id is None else mine & (PushDelivery.id == delivery_id)
        await PushDelivery.update(
            {
                PushDelivery.status: DeliveryStatus.SENT.value,
                PushDelivery.sent_at: now,
                PushDelivery.last_status: status,
                PushDelivery.last_error: "",
                PushDelivery.claimed_until: None,
            }
        ).where(where)

    # Rounds

    async def run_once(self) -> RoundStats:
        """One claim → send → mark round; an empty round when nothing is due."""
        now = self.clock()
        if not await self._anything_due(now):
            return RoundStats()
        token, claimed = await self.claim(now)
        if not claimed:
            return RoundStats()
        await self.open()
        await self._signer_now()  # once, before the pushes run concurrently
        results = await asyncio.gather(*(self.send(d, now) for d in claimed))
        stats = await self.mark(token, list(results), self.clock())
        log.info(
            "push_round",
            worker=self.name,
            claimed=stats.claimed,
            sent=stats.sent,
            gone=stats.gone,
            retried=stats.retried,
            failed=stats.failed,
        )
        return stats

    async def run_until_idle(self) -> RoundStats:
        """Rounds until nothing is due now (retries scheduled later are left for later)."""
        total = RoundStats()
        while True:
            stats = await self.run_once()
            if not stats.claimed:
                return total
            total.add(stats)

    async def purge(self, now: datetime) -> None:
        """Forget finished deliveries older than the retention period."""
        cutoff = now - self.config.retention
        await PushDelivery.delete().where(
            PushDelivery.status.is_in(
                [DeliveryStatus.SENT.value, DeliveryStatus.FAILED.value, DeliveryStatus.GONE.value]
            )
            & (PushDelivery.created_at < cutoff)
        )
        self._last_purge = now

    async def run_due_jobs(self, now: datetime) -> None:
        """The timed jobs whose interval has passed (first round: all of them). A failing
        job is logged and tried again at its next interval; it never stops the sending."""
        for job in self.jobs:
            last = self._jobs_ran.get(job.name)
            if last is not None and now - last < job.every:
                continue
            self._jobs_ran[job.name] = now
            try:
                await job.run()
            except Exception as exc:
                log.error("timed_job_failed", worker=self.name, job=job.name, error=repr(exc))

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set: a round in progress finishes (each push has its
        timeout), then the loop ends. Errors of one round (the database away for a moment)
        are logged and the next round tries again."""
        await self.open()
        _WAKERS.add(self._wake)
        try:
            await self._loop(stop)
        finally:
            _WAKERS.discard(self._wake)

    async def _loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            stats = RoundStats()
            try:
                now = self.clock()
                if self._last_purge is None or now - self._last_purge > timedelta(hours=1):
                    await self.purge(now)
                await self.run_due_jobs(now)
                stats = await self.run_once()
            except Exception as exc:
                log.error("push_round_failed", worker=self.name, error=repr(exc))
            if stats.claimed >= self.config.batch:
                continue  # more may be waiting: no pause
            await self._pause(stop)

    async def _pause(self, stop: asyncio.Event) -> None:
        """Wait `idle_seconds`, or less when stopped or woken (`wake()`)."""
        waiter = asyncio.ensure_future(stop.wait())
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait(
                {waiter, woken},
                timeout=self.config.idle_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            waiter.cancel()
            woken.cancel()
            self._wake.clear()


async def run_in_background(
    settings: Settings, stop: asyncio.Event, jobs: Sequence[TimedJob] = ()
) -> None:
    """The in-process sender of `koroena serve` (see backend/app.py)."""
    config = WorkerConfig.from_settings(settings)
    async with PushWorker(config, name="serve", jobs=jobs) as worker:
        await worker.run(stop)
