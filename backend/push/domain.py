"""Pure Web Push rules: topics, audiences, subscriptions, the payload, what a push
service's answer means and when to try again. No ORM, no HTTP (decision 0015)."""

from __future__ import annotations

import base64
import binascii
import json
import math
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urlsplit

from backend.accounts.domain import Role
from backend.errors import ValidationFailed
from backend.texts import N_


class Topic(StrEnum):
    """What a notification is about; a person turns each topic on or off."""

    PELATIHAN = "pelatihan"  # training events of the Dinas
    BERITA = "berita"  # news of the koperasi or the Dinas
    EDUKASI = "edukasi"  # education material of the Dinas
    PENGADUAN = "pengaduan"  # replies to complaints and consultations
    SIMPANAN = "simpanan"  # savings movements
    PINJAMAN = "pinjaman"  # loans: approvals, instalments due
    KEPATUHAN = "kepatuhan"  # compliance deadlines (RAT, reports)
    UJI = "uji"  # a test a person sends to their own devices: always delivered

    @property
    def label(self) -> str:
        return TOPIC_LABELS[self]

    @property
    def hint(self) -> str:
        return TOPIC_HINTS[self]


TOPIC_LABELS: dict[Topic, str] = {
    Topic.PELATIHAN: N_("Pelatihan"),
    Topic.BERITA: N_("Berita"),
    Topic.EDUKASI: N_("Edukasi"),
    Topic.PENGADUAN: N_("Pengaduan dan konsultasi"),
    Topic.SIMPANAN: N_("Simpanan"),
    Topic.PINJAMAN: N_("Pinjaman"),
    Topic.KEPATUHAN: N_("Kepatuhan dan tenggat laporan"),
    Topic.UJI: N_("Notifikasi uji"),
}

TOPIC_HINTS: dict[Topic, str] = {
    Topic.PELATIHAN: N_("Jadwal pelatihan dari Dinas Koperasi."),
    Topic.BERITA: N_("Pengumuman koperasi Anda dan Dinas Koperasi."),
    Topic.EDUKASI: N_("Materi edukasi perkoperasian baru dari Dinas Koperasi."),
    Topic.PENGADUAN: N_("Balasan atas pengaduan atau konsultasi."),
    Topic.SIMPANAN: N_("Setoran dan penarikan simpanan Anda."),
    Topic.PINJAMAN: N_("Persetujuan pinjaman dan angsuran yang jatuh tempo."),
    Topic.KEPATUHAN: N_("Tenggat RAT dan laporan ke Dinas."),
    Topic.UJI: N_("Notifikasi yang Anda kirim sendiri untuk mencoba perangkat."),
}

# The topics each role may choose (the settings page shows those of the person's roles);
# who actually gets a notification is the sender's audience, not this table.
TOPIC_ROLES: dict[Topic, frozenset[Role]] = {
    Topic.PELATIHAN: frozenset(Role),
    Topic.BERITA: frozenset(Role),
    Topic.EDUKASI: frozenset(Role),
    Topic.PENGADUAN: frozenset(Role),
    Topic.SIMPANAN: frozenset({Role.ANGGOTA, Role.PENGURUS}),
    Topic.PINJAMAN: frozenset({Role.ANGGOTA, Role.PENGURUS}),
    Topic.KEPATUHAN: frozenset({Role.PENGURUS, Role.DINAS}),
}


def topics_for(roles: Iterable[Role]) -> list[Topic]:
    """The topics a person with `roles` chooses from, in display order."""
    held = set(roles)
    return [topic for topic, allowed in TOPIC_ROLES.items() if held & allowed]


def wants(topic: Topic, preferences: dict[Topic, bool]) -> bool:
    """Whether a person with these stored choices gets `topic`: every topic is on until
    they turn it off; the test topic cannot be turned off."""
    return topic is Topic.UJI or preferences.get(topic, True)


# Audiences


class AudienceKind(StrEnum):
    USERS = "users"
    KOPERASI = "koperasi"
    REGION = "region"


@dataclass(frozen=True)
class GrantView:
    """A role grant as the audience rules see it."""

    user_id: int
    role: Role
    region_id: int
    koperasi_id: int | None
    revoked: bool = False


@dataclass(frozen=True)
class Audience:
    """Who a notification is for. Resolved when it is enqueued into one delivery per push
    subscription of every matching person (later joiners do not get it; people who left
    before do not either).

    - `Audience.users(3, 5)`: exactly these people (e.g. the member a savings receipt is
      for, the person who filed a complaint), whatever their roles.
    - `Audience.in_koperasi(k)`: everyone holding a live role in koperasi `k`;
      `Audience.in_koperasi(k, Role.ANGGOTA)`: only its members (any koperasi role list).
    - `Audience.in_region(r)`: everyone with a live role in region `r` — its Dinas officers
      and the pengurus, kasir and anggota of every koperasi there;
      `Audience.in_region(r, Role.PENGURUS, Role.DINAS)`: only those roles.

    A person is one recipient however many matching roles they hold; each of their
    devices (subscriptions) gets one delivery."""

    kind: AudienceKind
    user_ids: tuple[int, ...] = ()
    koperasi_id: int | None = None
    region_id: int | None = None
    roles: tuple[Role, ...] = ()  # empty: every role

    def __post_init__(self) -> None:
        if self.kind is AudienceKind.USERS:
            if self.koperasi_id is not None or self.region_id is not None or self.roles:
                raise ValueError("a users audience names people, not places or roles")
            if any(not isinstance(u, int) or u <= 0 for u in self.user_ids):
                raise ValueError("user ids are positive integers")
        elif self.kind is AudienceKind.KOPERASI:
            if self.koperasi_id is None or self.region_id is not None or self.user_ids:
                raise ValueError("a koperasi audience names one koperasi")
            if Role.DINAS in self.roles:
                raise ValueError("Dinas officers hold no role in a koperasi: use in_region")
        else:
            if self.region_id is None or self.koperasi_id is not None or self.user_ids:
                raise ValueError("a region audience names one region")

    @classmethod
    def users(cls, *user_ids: int) -> Audience:
        return cls(AudienceKind.USERS, user_ids=tuple(sorted(set(user_ids))))

    @classmethod
    def in_koperasi(cls, koperasi_id: int, *roles: Role) -> Audience:
        return cls(AudienceKind.KOPERASI, koperasi_id=koperasi_id, roles=_roles(roles))

    @classmethod
    def in_region(cls, region_id: int, *roles: Role) -> Audience:
        return cls(AudienceKind.REGION, region_id=region_id, roles=_roles(roles))

    def matches(self, grant: GrantView) -> bool:
        """Whether the holder of `grant` is in the audience through this grant (the
        reference for the SQL that resolves audiences)."""
        if self.kind is AudienceKind.USERS:
            return grant.user_id in self.user_ids
        if grant.revoked or (self.roles and grant.role not in self.roles):
            return False
        if self.kind is AudienceKind.KOPERASI:
            return grant.koperasi_id == self.koperasi_id
        return grant.region_id == self.region_id

    def recipients(self, grants: Iterable[GrantView]) -> set[int]:
        """User ids in the audience among the holders of `grants`."""
        found = {g.user_id for g in grants if self.matches(g)}
        if self.kind is AudienceKind.USERS:
            # Named people need no role at all.
            found |= set(self.user_ids)
        return found

    def describe(self) -> str:
        """A short record of the audience, kept with the notification."""
        if self.kind is AudienceKind.USERS:
            shown = ",".join(str(u) for u in self.user_ids[:20])
            more = f",+{len(self.user_ids) - 20}" if len(self.user_ids) > 20 else ""
            return f"users:{shown}{more}"
        place = self.koperasi_id if self.kind is AudienceKind.KOPERASI else self.region_id
        roles = ",".join(r.value for r in self.roles) or "*"
        return f"{self.kind.value}:{place}:{roles}"


def _roles(roles: Iterable[Role]) -> tuple[Role, ...]:
    return tuple(sorted({Role(r) for r in roles}, key=lambda r: r.value))


# Notifications

TITLE_MAX = 120
BODY_MAX = 4000
URL_MAX = 500
DEFAULT_URL = "/"


def check_notification(title: str, body: str, url: str) -> tuple[str, str, str]:
    """The notification's title, body and link, tidied; refused if unusable. The link is a
    path inside the app: a notification never sends anyone elsewhere."""
    title, body, url = title.strip(), body.strip(), (url.strip() or DEFAULT_URL)
    if not title or len(title) > TITLE_MAX:
        raise ValidationFailed(
            "notification_title", N_("Judul notifikasi wajib diisi, paling banyak 120 huruf.")
        )
    if len(body) > BODY_MAX:
        raise ValidationFailed("notification_body", N_("Isi notifikasi paling banyak 4.000 huruf."))
    if not is_local_path(url) or len(url) > URL_MAX:
        raise ValidationFailed(
            "notification_url", N_("Tautan notifikasi harus halaman di aplikasi ini.")
        )
    return title, body, url


def is_local_path(url: str) -> bool:
    """`/akun`, `/simpanan?x=1`: yes. `//evil.example`, `https://…`, `/\\evil`: no."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return False
    if any(ord(c) < 0x20 or c == "\x7f" for c in url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


# aes128gcm (RFC 8188) with one record: a 86-byte header (salt 16, record size 4, key id
# length 1, the sender's 65-byte public key), the 16-byte tag and the 1-byte delimiter.
# Push services accept at most 4096 bytes of body (RFC 8030 §7.2).
PUSH_BODY_MAX = 4096
PAYLOAD_MAX = PUSH_BODY_MAX - 86 - 16 - 1
ELLIPSIS = "…"


def tag_of(notification_id: int) -> str:
    """The notification tag: a second delivery of the same notification (after a crash)
    replaces the first on the phone instead of showing twice."""
    return f"koroena-{notification_id}"


def payload(notification_id: int, topic: Topic, title: str, body: str, url: str) -> bytes:
    """The JSON the service worker shows, at most PAYLOAD_MAX bytes: a long body (then
    title) is shortened with "…"; the whole text stays in the app behind `url`."""

    def encode(t: str, b: str) -> bytes:
        return json.dumps(
            {
                "id": notification_id,
                "topic": topic.value,
                "title": t,
                "body": b,
                "url": url,
                "tag": tag_of(notification_id),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()

    data = encode(title, body)
    if len(data) <= PAYLOAD_MAX:
        return data
    body = _shorten(body, lambda b: len(encode(title, b)) <= PAYLOAD_MAX)
    data = encode(title, body)
    if len(data) <= PAYLOAD_MAX:
        return data
    title = _shorten(title, lambda t: len(encode(t, "")) <= PAYLOAD_MAX)
    return encode(title, "")


def _shorten(text: str, fits: Callable[[str], bool]) -> str:
    """The longest prefix of `text` (with "…") that `fits`, by bisection."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + ELLIPSIS):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


# Subscriptions

ENDPOINT_MAX = 1000
LABEL_MAX = 100
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class SubscriptionKeys:
    endpoint: str
    p256dh: str
    auth: str


def _b64url(value: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]+=*", value or ""):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def check_subscription(
    endpoint: str, p256dh: str, auth: str, allowed_hosts: Iterable[str]
) -> SubscriptionKeys:
    """A browser's PushSubscription (its `toJSON()`), checked: the endpoint is HTTPS on a
    known push service (plain HTTP only for a loopback stand-in named in the allowed list:
    the sender must never be pointed at arbitrary hosts), the keys are a P-256 point and a
    16-byte secret."""
    endpoint = endpoint.strip()
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    allowed = list(allowed_hosts)
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS)
    if (
        len(endpoint) > ENDPOINT_MAX
        or not secure
        or not host
        or parts.username
        or parts.password
        or not host_allowed(host, allowed)
    ):
        raise ValidationFailed(
            "push_endpoint",
            N_("Alamat layanan notifikasi peramban ini tidak dikenal."),
            "endpoint",
        )
    try:
        point = _b64url(p256dh)
        secret = _b64url(auth)
    except ValueError:
        point, secret = b"", b""
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        raise ValidationFailed("push_keys", N_("Kunci langganan notifikasi tidak sah."), "keys")
    return SubscriptionKeys(endpoint, p256dh.rstrip("="), auth.rstrip("="))


def device_label(user_agent: str) -> str:
    """ "Chrome · Android" from a User-Agent, for the person's list of devices."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("EdgA/", "Edge"),
                ("Edg/", "Edge"),
                ("SamsungBrowser/", "Samsung Internet"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("FxiOS/", "Firefox"),
                ("CriOS/", "Chrome"),
                ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"),
                ("Safari/", "Safari"),
            )
            if token in ua
        ),
        "",
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iOS"),
                ("iPad", "iPadOS"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("CrOS", "ChromeOS"),
                ("Linux", "Linux"),
            )
            if token in ua
        ),
        "",
    )
    label = " · ".join(part for part in (browser, system) if part)
    return label or N_("Perangkat")


# What a push service's answer means


class Outcome(StrEnum):
    SENT = "sent"  # accepted (201, or 200/202)
    GONE = "gone"  # the subscription no longer exists: delete it
    RETRY = "retry"  # rate limited, server trouble, no answer: try again later
    FAILED = "failed"  # refused for good (bad request, too large, wrong key)


def classify(status: int | None) -> Outcome:
    """`status` None: no answer (timeout, connection refused, DNS)."""
    if status is None or status == 429 or status == 408 or status >= 500:
        return Outcome.RETRY
    if 200 <= status < 300:
        return Outcome.SENT
    if status in (404, 410):
        return Outcome.GONE
    return Outcome.FAILED


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its time (next_attempt_at)
    SENDING = "sending"  # claimed by a sender until claimed_until
    SENT = "sent"
    FAILED = "failed"  # given up: refused, too many attempts, or expired
    GONE = "gone"  # the subscription was removed


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: about base, 2×base, 4×base … up to `cap`, each
    delay drawn from its upper half; after `max_attempts` sends the delivery fails."""

    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    max_attempts: int = 8


def backoff_seconds(attempt: int, policy: RetryPolicy) -> float:
    """The un-jittered delay after the `attempt`-th failed send (1-based)."""
    return float(min(policy.cap_seconds, policy.base_seconds * 2 ** max(0, attempt - 1)))


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After: delay seconds or an HTTP date (RFC 9110 §10.2.3); None if absent or
    unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return timedelta(seconds=int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(timedelta(0), when - now)


def next_attempt(
    attempts: int,
    now: datetime,
    expires_at: datetime,
    policy: RetryPolicy,
    retry_after: timedelta | None = None,
    rng: random.Random | None = None,
) -> datetime | None:
    """When to try again after the `attempts`-th send failed for a reason a retry may cure,
    or None to give up (too many attempts, or it would be after the notification expired).
    The push service's Retry-After is honoured as the earliest time."""
    if attempts >= policy.max_attempts:
        return None
    delay = backoff_seconds(attempts, policy)
    jittered = delay / 2 + (rng or random).uniform(0, delay / 2)
    wait = timedelta(seconds=jittered)
    if retry_after is not None:
        wait = max(wait, retry_after)
    when = now + wait
    return None if when >= expires_at else when


def lease_seconds(batch: int, concurrency: int, timeout_seconds: float) -> int:
    """How long a claim lasts: long enough for the whole batch to time out wave after wave,
    plus a margin. A sender that died leaves its claims to be taken again after this."""
    waves = math.ceil(max(1, batch) / max(1, concurrency))
    return math.ceil(waves * timeout_seconds) + 30


def ttl_seconds(now: datetime, expires_at: datetime) -> int:
    """The push service's TTL header: what is left of the notification's life."""
    return max(0, int((expires_at - now).total_seconds()))
