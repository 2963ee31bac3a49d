"""The simple challenge of the public forms: a sum in Indonesian words ("tujuh ditambah
tiga") whose answer the server signs with HMAC-SHA256 under a secret of its own.

A token is `<id>.<expires>.<mac>`; the mac covers the id, the expiry and the answer, so the
answer is never in the token and a token cannot be moved to another answer. Tokens live 24
hours (a phone may fill the form offline and send it the next day) and are single use: the
service keeps the id of every token spent until it expires. Pure: the secret, the clock and
the random source are given."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from backend.complaints.domain import Refused
from backend.texts import N_

VALID_FOR = timedelta(hours=24)
# Said and written the way people say them; the question is shown in words so a page
# scraper has to understand Indonesian numbers (a speed bump, not a wall).
NUMBERS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
)
_TOKEN = re.compile(r"^([0-9a-f]{32})\.(\d{10})\.([0-9a-f]{64})$")


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str  # e.g. "tujuh ditambah tiga"
    a: int
    b: int
    plus: bool
    expires_at: datetime


def _mac(secret: bytes, token_id: str, expires: int, answer: int) -> str:
    message = f"{token_id}.{expires}.{answer}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def make(
    secret: bytes, now: datetime, randbelow: Callable[[int], int] = secrets.randbelow
) -> Challenge:
    """A new question: a sum of two numbers from one to ten, or a difference that is not
    negative."""
    a = 1 + randbelow(10)
    b = 1 + randbelow(10)
    plus = randbelow(2) == 0
    if not plus and b > a:
        a, b = b, a
    answer = a + b if plus else a - b
    token_id = secrets.token_hex(16)
    expires = int((now + VALID_FOR).timestamp())
    token = f"{token_id}.{expires}.{_mac(secret, token_id, expires, answer)}"
    question = f"{NUMBERS[a]} {'ditambah' if plus else 'dikurangi'} {NUMBERS[b]}"
    return Challenge(token, question, a, b, plus, datetime.fromtimestamp(expires, UTC))


@dataclass(frozen=True)
class Solved:
    token_id: str
    expires_at: datetime


def parse_answer(raw: object) -> int | None:
    """The answer as typed: digits (spaces allowed) or an Indonesian number word."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip().lower()
    if text in NUMBERS:
        return NUMBERS.index(text)
    if text == "sebelas":
        return 11
    match = re.fullmatch(r"(\w+) belas", text)
    if match and match.group(1) in NUMBERS[2:10]:
        return 10 + NUMBERS.index(match.group(1))
    if text == "dua puluh":
        return 20
    digits = text.replace(" ", "")
    return int(digits) if digits.isdigit() and len(digits) <= 3 else None


def verify(secret: bytes, token: object, answer: object, now: datetime) -> Solved:
    """The token's id and expiry when `answer` is right and the token live; else
    `challenge_invalid`, `challenge_expired` or `challenge_wrong` (all 422). Whether the
    token was already used is the service's to check (it keeps the spent ids)."""
    match = _TOKEN.match(token) if isinstance(token, str) else None
    if match is None:
        raise Refused("challenge_invalid", N_("Pertanyaan pengaman tidak sah. Muat ulang."))
    token_id, expires_text, mac = match.groups()
    expires = int(expires_text)
    value = parse_answer(answer)
    if value is None or not hmac.compare_digest(mac, _mac(secret, token_id, expires, value)):
        # Checked before the expiry so a wrong answer never tells whether it was live.
        if not any(
            hmac.compare_digest(mac, _mac(secret, token_id, expires, n)) for n in range(0, 21)
        ):
            raise Refused("challenge_invalid", N_("Pertanyaan pengaman tidak sah. Muat ulang."))
        raise Refused("challenge_wrong", N_("Jawaban pertanyaan pengaman salah."))
    expires_at = datetime.fromtimestamp(expires, UTC)
    if now >= expires_at:
        raise Refused(
            "challenge_expired",
            N_("Pertanyaan pengaman sudah kedaluwarsa. Jawab pertanyaan baru lalu kirim lagi."),
        )
    return Solved(token_id, expires_at)
