"""A local stand-in for a browser push service (FCM, Mozilla autopush …), for tests and the
fan-out benchmark.

It holds test subscribers — each with its own P-256 key pair and auth secret, as a
browser would make — and answers `POST /push/<token>` the way RFC 8030/8291/8292 push
services do, checking what a real one checks:

- `Authorization: vapid t=<JWT>, k=<key>`: `k` is the application server key the
  subscriber subscribed with; the JWT is ES256 over `{"typ":"JWT","alg":"ES256"}`, its
  signature verifies with `k`, `aud` is this service's origin, `exp` is in the future and at
  most 24 hours away, `sub` is a `mailto:` or `https:` URI;
- `Content-Encoding: aes128gcm`, a `TTL` header, a body of at most 4096 bytes;
- the body decrypts (http_ece, RFC 8291) with the subscriber's private key and auth secret.

A request failing a check is refused (400/401/403/413) and listed in `rejected`. A good one
is answered with what the test queued for that subscriber (`answer(sub, 429, 201)`),
201 by default; 410 once the subscriber is `forget`-ed, 404 for an unknown endpoint.
Accepted messages (2xx) are kept, decrypted, in `subscriber.received`. `hold()` makes the
service keep every accepted message but not answer until `release()` (a sender that dies
in between has delivered without knowing it).

In-process: `async with PushService() as service: ...`. As its own process (the benchmark):
`python -m tests.support.push_service --port 0` prints `ready <port>` and offers
`POST /_admin/subscribers {"count", "application_server_key"}` (new subscribers'
subscription JSON) and `GET /_admin/stats`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import re
import secrets
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_BODY = 4096
MAX_EXP_S = 24 * 3600
SUB = re.compile(r"mailto:[^@\s]+@[^@\s]+|https://[^/\s:]+")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Received:
    """One accepted message, decrypted."""

    plaintext: bytes
    claims: dict[str, Any]
    ttl: int
    urgency: str | None
    at: float

    def json(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.plaintext)
        return result


@dataclass
class Subscriber:
    """A browser's subscription: what the test registers with Koroena, and what the
    service decrypts with."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    application_server_key: str | None
    answers: list[tuple[int, str | None]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    attempts: list[int] = field(default_factory=list)  # every status answered
    forgotten: bool = False

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscription_json(self) -> dict[str, Any]:
        """What `PushSubscription.toJSON()` gives the page."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }

    def payloads(self) -> list[dict[str, Any]]:
        return [r.json() for r in self.received]


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class PushService:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.subscribers: dict[str, Subscriber] = {}
        self.rejected: list[str] = []
        self._held: asyncio.Event | None = None
        self.waiting = 0  # requests accepted but held
        self._verified: dict[str, dict[str, Any]] = {}  # JWT → claims, signature checked
        self._runner: web.AppRunner | None = None
        self.app = web.Application(client_max_size=64 * 1024)
        self.app.router.add_post("/push/{token}", self._push)
        self.app.router.add_post("/_admin/subscribers", self._admin_subscribers)
        self.app.router.add_get("/_admin/stats", self._admin_stats)

    async def __aenter__(self) -> PushService:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        server = site._server
        assert server is not None
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]

    async def stop(self) -> None:
        self.release()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    # What tests do

    def subscriber(self, application_server_key: str | None = None) -> Subscriber:
        token = secrets.token_urlsafe(16)
        sub = Subscriber(
            token=token,
            endpoint=f"{self.origin}/push/{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=secrets.token_bytes(16),
            application_server_key=application_server_key,
        )
        self.subscribers[token] = sub
        return sub

    def answer(self, sub: Subscriber, *statuses: int, retry_after: str | None = None) -> None:
        """Answer the next requests for `sub` with these statuses, in order (then 201)."""
        sub.answers.extend((status, retry_after) for status in statuses)

    def forget(self, sub: Subscriber) -> None:
        """The browser dropped the subscription: 410 from now on."""
        sub.forgotten = True

    def hold(self) -> None:
        self._held = asyncio.Event()

    def release(self) -> None:
        if self._held is not None:
            self._held.set()
            self._held = None

    @property
    def received_count(self) -> int:
        return sum(len(s.received) for s in self.subscribers.values())

    # The protocol

    def _claims(self, authorization: str, sub: Subscriber) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise Refused(401, f"authorization scheme {scheme!r} is not vapid")
        parts = dict(item.strip().split("=", 1) for item in params.split(",") if "=" in item)
        token, key = parts.get("t", ""), parts.get("k", "")
        if not token or not key:
            raise Refused(401, "vapid t= or k= missing")
        if sub.application_server_key is not None and key != sub.application_server_key:
            raise Refused(403, "k is not the key the subscription was made with")
        claims = self._verified.get(token + "|" + key)
        if claims is None:
            claims = self._verify_jwt(token, key)
            self._verified[token + "|" + key] = claims
        now = time.time()
        if claims.get("aud") != self.origin:
            raise Refused(403, f"aud {claims.get('aud')!r} is not {self.origin}")
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= now or exp > now + MAX_EXP_S:
            raise Refused(403, f"exp {exp!r} not in the next 24 hours")
        if not isinstance(claims.get("sub"), str) or not SUB.fullmatch(claims["sub"]):
            raise Refused(403, f"sub {claims.get('sub')!r} is not mailto: or https:")
        return claims

    @staticmethod
    def _verify_jwt(token: str, key: str) -> dict[str, Any]:
        try:
            header_b64, claims_b64, signature_b64 = token.split(".")
            header = json.loads(unb64url(header_b64))
            if header.get("alg") != "ES256" or header.get("typ", "JWT") != "JWT":
                raise Refused(401, f"JWT header {header!r}")
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
            raw = unb64url(signature_b64)
            if len(raw) != 64:
                raise Refused(401, "ES256 signature is not 64 bytes")
            der = encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
            claims: dict[str, Any] = json.loads(unb64url(claims_b64))
        except Refused:
            raise
        except InvalidSignature as exc:
            raise Refused(401, "JWT signature does not verify with k") from exc
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise Refused(401, f"unreadable JWT: {exc}") from exc
        return claims

    async def _push(self, request: web.Request) -> web.Response:
        sub = self.subscribers.get(request.match_info["token"])
        if sub is None:
            return web.Response(status=404)
        if sub.forgotten:
            sub.attempts.append(410)
            return web.Response(status=410)
        body = await request.read()
        try:
            claims = self._claims(request.headers.get("Authorization", ""), sub)
            if request.headers.get("Content-Encoding") != "aes128gcm":
                raise Refused(400, "Content-Encoding is not aes128gcm")
            ttl_header = request.headers.get("TTL", "")
            if not ttl_header.isdigit():
                raise Refused(400, f"TTL header {ttl_header!r}")
            if len(body) > MAX_BODY:
                raise Refused(413, f"body of {len(body)} bytes")
            try:
                plaintext = http_ece.decrypt(
                    body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm"
                )
            except Exception as exc:
                raise Refused(400, f"does not decrypt: {exc!r}") from exc
        except Refused as refused:
            self.rejected.append(f"{sub.token}: {refused.reason}")
            sub.attempts.append(refused.status)
            return web.Response(status=refused.status, text=refused.reason)
        status, retry_after = sub.answers.pop(0) if sub.answers else (201, None)
        sub.attempts.append(status)
        if 200 <= status < 300:
            sub.received.append(
                Received(
                    plaintext=plaintext,
                    claims=claims,
                    ttl=int(ttl_header),
                    urgency=request.headers.get("Urgency"),
                    at=time.time(),
                )
            )
            held = self._held
            if held is not None:
                self.waiting += 1
                try:
                    await held.wait()
                finally:
                    self.waiting -= 1
        headers = {"Retry-After": retry_after} if retry_after else {}
        if status == 201:
            headers["Location"] = f"{self.origin}/message/{secrets.token_urlsafe(8)}"
        return web.Response(status=status, headers=headers)

    # Admin (the benchmark's separate process)

    async def _admin_subscribers(self, request: web.Request) -> web.Response:
        data = await request.json()
        made = [
            self.subscriber(data.get("application_server_key")).subscription_json()
            for _ in range(int(data["count"]))
        ]
        return web.json_response(made)

    async def _admin_stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "received": self.received_count,
                "rejected": len(self.rejected),
                "rejected_sample": self.rejected[:5],
                "duplicates": sum(max(0, len(s.received) - 1) for s in self.subscribers.values()),
            }
        )


async def _serve(port: int) -> None:
    service = PushService(port=port)
    await service.start()
    print(f"ready {service.port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await service.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="local stand-in push service")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        pass
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
