"""Pure push rules: the payload limit, the retry schedule, what push services' answers
mean, audiences, subscriptions and links."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given
from hypothesis import strategies as st

from backend.accounts.domain import Role
from backend.errors import ValidationFailed
from backend.push.domain import (
    PAYLOAD_MAX,
    PUSH_BODY_MAX,
    Audience,
    GrantView,
    Outcome,
    RetryPolicy,
    Topic,
    backoff_seconds,
    check_notification,
    check_subscription,
    classify,
    device_label,
    host_allowed,
    is_local_path,
    lease_seconds,
    next_attempt,
    parse_retry_after,
    payload,
    tag_of,
    topics_for,
    wants,
)
from backend.push.vapid import b64url

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
FAR = NOW + timedelta(days=1)


# The payload


def _encrypted_size(data: bytes) -> int:
    receiver = ec.generate_private_key(ec.SECP256R1())
    point = receiver.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    body = http_ece.encrypt(
        data,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=point,
        auth_secret=b"0123456789abcdef",
        version="aes128gcm",
    )
    return len(body)


def test_a_short_notification_is_sent_whole() -> None:
    data = payload(7, Topic.BERITA, "RAT 2026", "Rapat anggota Sabtu pukul 09.00.", "/berita/3")
    assert json.loads(data) == {
        "id": 7,
        "topic": "berita",
        "title": "RAT 2026",
        "body": "Rapat anggota Sabtu pukul 09.00.",
        "url": "/berita/3",
        "tag": "koroena-7",
    }


def test_the_limit_is_what_fits_one_aes128gcm_record_of_4096_bytes() -> None:
    exactly = b"x" * PAYLOAD_MAX
    assert _encrypted_size(exactly) == PUSH_BODY_MAX
    assert _encrypted_size(exactly + b"x") > PUSH_BODY_MAX


@given(
    title=st.text(min_size=1, max_size=120),
    body=st.text(max_size=4000),
    notification_id=st.integers(min_value=1, max_value=2**31 - 1),
)
def test_any_notification_fits_in_a_push(title: str, body: str, notification_id: int) -> None:
    data = payload(notification_id, Topic.PENGADUAN, title, body, "/pengaduan/X-1")
    assert len(data) <= PAYLOAD_MAX
    shown = json.loads(data)
    assert shown["tag"] == tag_of(notification_id) and shown["url"] == "/pengaduan/X-1"
    # Shortened text is a prefix of the original, marked with an ellipsis.
    if shown["body"] != body:
        assert shown["body"].endswith("…") or shown["body"] == ""
        assert body.startswith(shown["body"].removesuffix("…"))


def test_a_long_body_is_shortened_with_an_ellipsis_and_keeps_the_most_it_can() -> None:
    body = "Pengumuman penting untuk seluruh anggota koperasi. " * 200  # ~10 kB
    data = payload(1, Topic.BERITA, "Judul", body, "/berita/1")
    shown = json.loads(data)
    assert len(data) <= PAYLOAD_MAX
    assert shown["body"].endswith("…")
    assert len(data) > PAYLOAD_MAX - 60  # not needlessly short
    assert _encrypted_size(data) <= PUSH_BODY_MAX


def test_multibyte_text_counts_in_bytes() -> None:
    body = "Rp 1.500.000 — ✓ 🎉 " * 400
    data = payload(1, Topic.SIMPANAN, "Setoran 🎉", body, "/simpanan")
    assert len(data) <= PAYLOAD_MAX
    json.loads(data)  # never cut inside a character


# Notifications


def test_notifications_need_a_title_and_a_link_inside_the_app() -> None:
    assert check_notification("  Judul ", " Isi ", "") == ("Judul", "Isi", "/")
    for title in ("", "   ", "x" * 121):
        with pytest.raises(ValidationFailed):
            check_notification(title, "", "/")
    with pytest.raises(ValidationFailed):
        check_notification("Judul", "x" * 4001, "/")
    for url in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil",
        "javascript:alert(1)",
        "berita",
        "/a\nb",
        "/" + "x" * 500,
    ):
        with pytest.raises(ValidationFailed):
            check_notification("Judul", "", url)


def test_local_paths() -> None:
    assert is_local_path("/akun#notifikasi")
    assert is_local_path("/simpanan?jenis=wajib")
    assert not is_local_path("//x.example")
    assert not is_local_path("http://localhost:8000/")


# What the push service said


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (201, Outcome.SENT),
        (200, Outcome.SENT),
        (202, Outcome.SENT),
        (404, Outcome.GONE),
        (410, Outcome.GONE),
        (429, Outcome.RETRY),
        (408, Outcome.RETRY),
        (500, Outcome.RETRY),
        (502, Outcome.RETRY),
        (503, Outcome.RETRY),
        (None, Outcome.RETRY),
        (400, Outcome.FAILED),
        (401, Outcome.FAILED),
        (403, Outcome.FAILED),
        (413, Outcome.FAILED),
    ],
)
def test_classify(status: int | None, outcome: Outcome) -> None:
    assert classify(status) is outcome


# Retries


def test_backoff_doubles_from_the_base_up_to_the_cap() -> None:
    policy = RetryPolicy(base_seconds=30, cap_seconds=3600, max_attempts=10)
    assert [backoff_seconds(a, policy) for a in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_each_retry_waits_between_half_and_all_of_its_backoff() -> None:
    policy = RetryPolicy(base_seconds=30, cap_seconds=3600, max_attempts=8)
    rng = random.Random(1)
    for attempt in range(1, 8):
        full = backoff_seconds(attempt, policy)
        for _ in range(50):
            when = next_attempt(attempt, NOW, FAR, policy, rng=rng)
            assert when is not None
            assert full / 2 <= (when - NOW).total_seconds() <= full


def test_jitter_spreads_retries() -> None:
    policy = RetryPolicy()
    rng = random.Random(2)
    times = {next_attempt(3, NOW, FAR, policy, rng=rng) for _ in range(20)}
    assert len(times) > 15


def test_retry_after_is_the_earliest_next_try() -> None:
    policy = RetryPolicy(base_seconds=30)
    when = next_attempt(1, NOW, FAR, policy, retry_after=timedelta(minutes=10))
    assert when == NOW + timedelta(minutes=10)
    # A shorter Retry-After than the backoff does not shorten the backoff.
    when = next_attempt(5, NOW, FAR, policy, retry_after=timedelta(seconds=1))
    assert when is not None and when - NOW >= timedelta(seconds=240)


def test_give_up_after_the_last_attempt_or_past_the_expiry() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert next_attempt(2, NOW, FAR, policy) is not None
    assert next_attempt(3, NOW, FAR, policy) is None
    soon = NOW + timedelta(seconds=5)
    assert next_attempt(1, NOW, soon, RetryPolicy(base_seconds=30)) is None
    assert next_attempt(1, NOW, FAR, policy, retry_after=timedelta(days=2)) is None


def test_retry_after_as_seconds_or_http_date() -> None:
    assert parse_retry_after("120", NOW) == timedelta(seconds=120)
    assert parse_retry_after("Sun, 29 Nov 2026 08:05:00 GMT", NOW) == timedelta(minutes=5)
    assert parse_retry_after("Sun, 29 Nov 2026 07:00:00 GMT", NOW) == timedelta(0)
    for unreadable in (None, "", "soon", "-5", "1.5"):
        assert parse_retry_after(unreadable, NOW) is None


def test_a_claim_outlasts_a_whole_batch_of_timeouts() -> None:
    assert lease_seconds(200, 50, 10) == 4 * 10 + 30
    assert lease_seconds(1, 50, 10) == 10 + 30
    assert lease_seconds(201, 50, 2.5) == 13 + 30  # 5 waves of 2.5 s, rounded up


# Audiences


def _grant(
    user: int, role: Role, region: int, koperasi: int | None, revoked: bool = False
) -> GrantView:
    return GrantView(user, role, region, koperasi, revoked)


GRANTS = [
    _grant(1, Role.DINAS, 10, None),
    _grant(2, Role.PENGURUS, 10, 100),
    _grant(3, Role.ANGGOTA, 10, 100),
    _grant(3, Role.KASIR, 10, 101),  # one person, two koperasi
    _grant(4, Role.ANGGOTA, 10, 101, revoked=True),  # left
    _grant(5, Role.ANGGOTA, 20, 200),  # another region
    _grant(6, Role.DINAS, 20, None),
]


def test_a_koperasi_audience_is_its_people_with_live_roles() -> None:
    assert Audience.in_koperasi(100).recipients(GRANTS) == {2, 3}
    assert Audience.in_koperasi(101).recipients(GRANTS) == {3}
    assert Audience.in_koperasi(100, Role.ANGGOTA).recipients(GRANTS) == {3}
    assert Audience.in_koperasi(101, Role.ANGGOTA).recipients(GRANTS) == set()
    assert Audience.in_koperasi(100, Role.PENGURUS, Role.KASIR).recipients(GRANTS) == {2}


def test_a_region_audience_is_its_officers_and_every_koperasi_in_it() -> None:
    assert Audience.in_region(10).recipients(GRANTS) == {1, 2, 3}
    assert Audience.in_region(10, Role.DINAS).recipients(GRANTS) == {1}
    assert Audience.in_region(10, Role.PENGURUS, Role.DINAS).recipients(GRANTS) == {1, 2}
    assert Audience.in_region(20).recipients(GRANTS) == {5, 6}


def test_named_people_need_no_role() -> None:
    audience = Audience.users(4, 9, 4)
    assert audience.user_ids == (4, 9)
    assert audience.recipients(GRANTS) == {4, 9}


def test_audiences_are_well_formed() -> None:
    with pytest.raises(ValueError):
        Audience.in_koperasi(100, Role.DINAS)
    with pytest.raises(ValueError):
        Audience.users(0)
    assert Audience.in_koperasi(5, Role.ANGGOTA, Role.ANGGOTA).roles == (Role.ANGGOTA,)
    assert (
        Audience.in_region(10, Role.PENGURUS, Role.DINAS).describe() == "region:10:dinas,pengurus"
    )
    assert Audience.in_koperasi(7).describe() == "koperasi:7:*"
    assert Audience.users(*range(1, 30)).describe().endswith(",+9")


# Topics and preferences


def test_topics_follow_roles_and_are_on_until_turned_off() -> None:
    assert Topic.KEPATUHAN not in topics_for([Role.ANGGOTA])
    assert Topic.SIMPANAN in topics_for([Role.ANGGOTA])
    assert Topic.KEPATUHAN in topics_for([Role.ANGGOTA, Role.PENGURUS])
    assert topics_for([Role.DINAS]) == [
        Topic.PELATIHAN,
        Topic.BERITA,
        Topic.EDUKASI,
        Topic.PENGADUAN,
        Topic.KEPATUHAN,
    ]
    assert Topic.UJI not in topics_for(list(Role))
    assert wants(Topic.BERITA, {})
    assert not wants(Topic.BERITA, {Topic.BERITA: False})
    assert wants(Topic.UJI, {Topic.UJI: False})


# Subscriptions


def _keys() -> tuple[str, str]:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return b64url(point), b64url(b"0123456789abcdef")


SERVICES = ("fcm.googleapis.com", "*.notify.windows.com", "127.0.0.1")


def test_real_push_services_are_accepted() -> None:
    p256dh, auth = _keys()
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "https://wns2-sg2p.notify.windows.com/w/?token=x",
        "http://127.0.0.1:9999/push/t",
    ):
        assert check_subscription(endpoint, p256dh, auth, SERVICES).endpoint == endpoint


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not HTTPS
        "https://169.254.169.254/latest/meta-data",  # not a push service
        "https://fcm.googleapis.com.evil.example/x",
        "https://notify.windows.com/x",  # only sub-domains were allowed
        "https://user:pw@fcm.googleapis.com/x",
        "https://fcm.googleapis.com/" + "x" * 1000,
        "ftp://127.0.0.1/x",
        "",
    ],
)
def test_other_endpoints_are_refused(endpoint: str) -> None:
    p256dh, auth = _keys()
    with pytest.raises(ValidationFailed) as refused:
        check_subscription(endpoint, p256dh, auth, SERVICES)
    assert refused.value.code == "push_endpoint"


def test_keys_must_be_a_p256_point_and_a_16_byte_secret() -> None:
    p256dh, auth = _keys()
    endpoint = "https://fcm.googleapis.com/fcm/send/x"
    for bad_p256dh, bad_auth in (
        (p256dh[:-4], auth),
        ("A" + p256dh[1:], auth),  # not an uncompressed point
        (p256dh, b64url(b"short")),
        ("not base64!", auth),
        (p256dh, ""),
    ):
        with pytest.raises(ValidationFailed) as refused:
            check_subscription(endpoint, bad_p256dh, bad_auth, SERVICES)
        assert refused.value.code == "push_keys"


def test_wildcards_match_only_sub_domains() -> None:
    assert host_allowed("a.push.apple.com", ["*.push.apple.com"])
    assert host_allowed("web.push.apple.com.", ["*.push.apple.com"])
    assert not host_allowed("push.apple.com", ["*.push.apple.com"])
    assert not host_allowed("evilpush.apple.com", ["*.push.apple.com"])


def test_device_labels() -> None:
    android = (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36"
    )
    assert device_label(android) == "Chrome · Android"
    assert device_label("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko Firefox/133.0") == (
        "Firefox · Linux"
    )
    samsung = android.replace("Chrome/", "SamsungBrowser/26.0 Chrome/")
    assert device_label(samsung) == "Samsung Internet · Android"
    assert device_label("") == "Perangkat"
