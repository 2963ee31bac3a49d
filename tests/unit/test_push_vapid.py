"""VAPID signing, and the stand-in push service's own checks: it must refuse what a real
push service refuses, or the integration tests would prove nothing."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from py_vapid import Vapid02, VapidException
from py_vapid.jwt import sign as jwt_sign
from pywebpush import WebPusher

from backend.push.vapid import KeyPair, Signer, audience_of, b64url, b64url_decode, generate
from tests.support.push_service import PushService, Subscriber, unb64url

SUBJECT = "mailto:admin@koroena.example"


def _claims(headers: dict[str, str]) -> dict[str, object]:
    token = headers["Authorization"].split("t=", 1)[1].split(",", 1)[0]
    result: dict[str, object] = json.loads(unb64url(token.split(".")[1]))
    return result


def test_keys_are_a_p256_pair() -> None:
    pair = generate()
    assert len(b64url_decode(pair.private_key)) == 32
    public = b64url_decode(pair.public_key)
    assert len(public) == 65 and public[0] == 4
    assert generate() != pair


def test_the_token_names_the_push_service_and_expires_within_a_day() -> None:
    signer = Signer(generate(), SUBJECT)
    now = 1_800_000_000.0
    headers = signer.headers("https://fcm.googleapis.com/fcm/send/abc", now)
    assert headers["Authorization"].startswith("vapid t=")
    assert f"k={signer.keys.public_key}" in headers["Authorization"]
    claims = _claims(headers)
    assert claims["aud"] == "https://fcm.googleapis.com"
    assert claims["sub"] == SUBJECT
    assert now < int(claims["exp"]) <= now + 24 * 3600  # type: ignore[call-overload]


def test_one_token_per_push_service_reused_until_near_its_end() -> None:
    signer = Signer(generate(), SUBJECT)
    now = 1_800_000_000.0
    first = signer.headers("https://fcm.googleapis.com/fcm/send/a", now)
    first["Authorization"] = "changed by a caller"  # callers get their own copy
    again = signer.headers("https://fcm.googleapis.com/fcm/send/b", now + 3600)
    assert again == signer.headers("https://fcm.googleapis.com/fcm/send/c", now)
    other = signer.headers("https://updates.push.services.mozilla.com/wpush/v2/x", now)
    assert _claims(other)["aud"] == "https://updates.push.services.mozilla.com"
    renewed = signer.headers("https://fcm.googleapis.com/fcm/send/a", now + 11.5 * 3600)
    assert renewed != again and int(_claims(renewed)["exp"]) > int(_claims(again)["exp"])  # type: ignore[call-overload]


def test_audience_is_the_origin() -> None:
    assert audience_of("http://127.0.0.1:8123/push/x?y=1") == "http://127.0.0.1:8123"


# The stand-in


@pytest_asyncio.fixture(loop_scope="session")
async def service() -> AsyncIterator[PushService]:
    async with PushService() as running:
        yield running


async def _send(
    subscriber: Subscriber,
    keys: KeyPair,
    *,
    now: float | None = None,
    subject: str = SUBJECT,
    data: bytes = b'{"title":"Halo"}',
    aud: str | None = None,
    extra: dict[str, str] | None = None,
    encoding: str = "aes128gcm",
) -> int:
    signer = Signer(keys, subject)
    endpoint = subscriber.endpoint
    headers = signer.headers(aud + "/x" if aud else endpoint, now)
    headers.update(extra or {})
    async with aiohttp.ClientSession() as session:
        pusher = WebPusher(subscriber.subscription_json(), aiohttp_session=session)
        response = await pusher.send_async(data, headers, ttl=60, content_encoding=encoding)
        assert isinstance(response, aiohttp.ClientResponse)
        return response.status


async def test_the_stand_in_decrypts_what_was_sent(service: PushService) -> None:
    keys = generate()
    subscriber = service.subscriber(keys.public_key)
    assert await _send(subscriber, keys, data="Rapat 🎉".encode()) == 201
    assert [r.plaintext for r in subscriber.received] == ["Rapat 🎉".encode()]
    assert subscriber.received[0].ttl == 60
    assert subscriber.received[0].claims["aud"] == service.origin


async def test_the_stand_in_refuses_a_bad_token(service: PushService) -> None:
    keys = generate()
    subscriber = service.subscriber(keys.public_key)
    cases = {
        "another server's key": dict(keys_=generate()),
        "expired": dict(now=time.time() - 13 * 3600),
        "more than a day ahead": dict(now=time.time() + 13 * 3600),
        "wrong audience": dict(aud="https://fcm.googleapis.com"),
        "aesgcm instead of aes128gcm": dict(encoding="aesgcm"),
    }
    for name, case in cases.items():
        before = len(service.rejected)
        status = await _send(
            subscriber,
            case.pop("keys_", keys),  # type: ignore[arg-type]
            **case,  # type: ignore[arg-type]
        )
        assert status in (400, 401, 403), name
        assert len(service.rejected) == before + 1, name
    assert subscriber.received == []


async def test_the_stand_in_checks_the_signature(service: PushService) -> None:
    keys = generate()
    subscriber = service.subscriber(keys.public_key)
    signer = Signer(keys, SUBJECT)
    headers = signer.headers(subscriber.endpoint)
    token = headers["Authorization"].split("t=", 1)[1].split(",", 1)[0]
    header, claims, signature = token.split(".")
    forged = json.loads(unb64url(claims))
    forged["sub"] = "mailto:someone@else.example"
    forged_token = ".".join(
        [header, b64url(json.dumps(forged, separators=(",", ":")).encode()), signature]
    )
    headers["Authorization"] = f"vapid t={forged_token},k={keys.public_key}"
    async with aiohttp.ClientSession() as session:
        pusher = WebPusher(subscriber.subscription_json(), aiohttp_session=session)
        response = await pusher.send_async(b"x", headers, ttl=60)
        assert isinstance(response, aiohttp.ClientResponse)
        assert response.status == 401
    assert "signature" in service.rejected[-1]


async def test_the_stand_in_refuses_a_subject_that_is_no_uri(service: PushService) -> None:
    keys = generate()
    subscriber = service.subscriber(keys.public_key)
    signer = Signer(keys, SUBJECT)
    signer.subject = "admin@koroena.example"
    with pytest.raises(VapidException, match="sub"):
        signer.headers(subscriber.endpoint)  # py_vapid itself refuses to sign it
    # Signed by hand, the push service refuses it.
    claims = {"aud": service.origin, "exp": int(time.time()) + 600, "sub": "admin@x.example"}
    private = Vapid02.from_raw(keys.private_key.encode()).private_key
    token = jwt_sign(claims, private)
    headers = {"Authorization": f"vapid t={token},k={keys.public_key}"}
    async with aiohttp.ClientSession() as session:
        pusher = WebPusher(subscriber.subscription_json(), aiohttp_session=session)
        response = await pusher.send_async(b"x", headers, ttl=60)
        assert isinstance(response, aiohttp.ClientResponse)
        assert response.status == 403
    assert "sub" in service.rejected[-1]


async def test_the_stand_in_answers_as_told(service: PushService) -> None:
    keys = generate()
    subscriber = service.subscriber(keys.public_key)
    service.answer(subscriber, 429, 500, retry_after="30")
    assert await _send(subscriber, keys) == 429
    assert await _send(subscriber, keys) == 500
    assert await _send(subscriber, keys) == 201
    service.forget(subscriber)
    assert await _send(subscriber, keys) == 410
    assert subscriber.attempts == [429, 500, 201, 410]
    assert len(subscriber.received) == 1
