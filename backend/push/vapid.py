"""The server's VAPID key (RFC 8292): made on first use, kept in the database (so it is in
every backup and every process and server of one database agrees on it), and the signed
`Authorization` header a push service checks."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from backend.push.tables import VapidKey

KEY_NAME = "default"
# A token lasts 12 hours (RFC 8292 allows at most 24) and is renewed an hour before it
# runs out, so one signature serves a push service for hours of sending.
TOKEN_HOURS = 12
RENEW_BEFORE_S = 3600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyPair:
    private_key: str  # base64url of the 32-byte private value
    public_key: str  # base64url of the uncompressed point: the applicationServerKey


def generate() -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return KeyPair(b64url(private), b64url(public))


async def server_key() -> KeyPair:
    """The key pair, made now if there is none. Two processes racing on a fresh database
    both insert with ON CONFLICT DO NOTHING and then read the one that won."""
    row = (
        await VapidKey.select(VapidKey.private_key, VapidKey.public_key)
        .where(VapidKey.name == KEY_NAME)
        .first()
    )
    if row is None:
        made = generate()
        await VapidKey.insert(
            VapidKey(name=KEY_NAME, private_key=made.private_key, public_key=made.public_key)
        ).on_conflict(target=VapidKey.name, action="DO NOTHING")
        row = (
            await VapidKey.select(VapidKey.private_key, VapidKey.public_key)
            .where(VapidKey.name == KEY_NAME)
            .first()
        )
        assert row is not None
    return KeyPair(str(row["private_key"]), str(row["public_key"]))


async def public_key() -> str:
    return (await server_key()).public_key


def audience_of(endpoint: str) -> str:
    """The `aud` claim: the push service's origin (scheme, host, port if any)."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Signer:
    """Signs VAPID headers with the server key, one token per push service origin, reused
    until an hour before it expires. Each signature gets its own claims dict (py_vapid and
    pywebpush write into the dict they are given)."""

    keys: KeyPair
    subject: str
    _vapid: Vapid02 = field(init=False, repr=False)
    _tokens: dict[str, tuple[float, dict[str, str]]] = field(
        init=False, default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        self._vapid = Vapid02.from_raw(self.keys.private_key.encode())

    def headers(self, endpoint: str, now: float | None = None) -> dict[str, str]:
        now = time.time() if now is None else now
        aud = audience_of(endpoint)
        cached = self._tokens.get(aud)
        if cached is not None and cached[0] - now > RENEW_BEFORE_S:
            return dict(cached[1])
        expires = int(now) + TOKEN_HOURS * 3600
        claims: dict[str, str | int] = {"aud": aud, "exp": expires, "sub": self.subject}
        signed = {str(k): str(v) for k, v in self._vapid.sign(claims).items()}
        self._tokens[aud] = (float(expires), signed)
        return dict(signed)
