"""A software passkey authenticator for integration tests: makes the JSON that
`navigator.credentials.create()/get()` return (`PublicKeyCredential.toJSON()`), with a
P-256 key, "none" attestation, user presence and verification flags set.

The browser half (real Chromium with its virtual authenticator) is in tests/e2e."""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40


@dataclass
class Credential:
    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    origin: str = "http://localhost:8000"
    user_verified: bool = True
    credentials: list[Credential] = field(default_factory=list)

    def create(self, options: dict[str, Any], origin: str | None = None) -> dict[str, Any]:
        rp_id = options["rp"]["id"]
        credential = Credential(
            credential_id=secrets.token_bytes(32),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=base64url_to_bytes(options["user"]["id"]),
        )
        self.credentials.append(credential)
        numbers = credential.private_key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        attested = (
            b"\x00" * 16
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + cose_key
        )
        auth_data = self._auth_data(rp_id, FLAG_AT, 0) + attested
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        cid = bytes_to_base64url(credential.credential_id)
        return {
            "id": cid,
            "rawId": cid,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(
        self,
        options: dict[str, Any],
        credential: Credential | None = None,
        origin: str | None = None,
    ) -> dict[str, Any]:
        """Sign in with `credential` (default: the newest one for the RP, as a discoverable
        credential picker would offer)."""
        credential = credential or next(
            c for c in reversed(self.credentials) if c.rp_id == options["rpId"]
        )
        credential.sign_count += 1
        auth_data = self._auth_data(credential.rp_id, 0, credential.sign_count)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        cid = bytes_to_base64url(credential.credential_id)
        return {
            "id": cid,
            "rawId": cid,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": bytes_to_base64url(credential.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def _auth_data(self, rp_id: str, extra_flags: int, sign_count: int) -> bytes:
        flags = FLAG_UP | (FLAG_UV if self.user_verified else 0) | extra_flags
        return (
            hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", sign_count)
        )

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": origin or self.origin,
                "crossOrigin": False,
            },
            separators=(",", ":"),
        ).encode()
