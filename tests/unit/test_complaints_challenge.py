"""The security question of the public forms: signed, answered, expiring (decision 0019).
Single use is the service's (tests/integration/test_complaints.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.complaints import challenge
from backend.complaints.domain import Refused

SECRET = b"k" * 32
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def answer(made: challenge.Challenge) -> int:
    return made.a + made.b if made.plus else made.a - made.b


@given(st.integers(min_value=0, max_value=10_000))
def test_a_right_answer_is_accepted(seed: int) -> None:
    draws = iter([seed % 10, (seed // 10) % 10, (seed // 100) % 2])
    made = challenge.make(SECRET, NOW, randbelow=lambda n: next(draws))
    assert 0 <= answer(made) <= 20
    words = made.question.split(" ")
    assert words[1] in ("ditambah", "dikurangi") and words[0] in challenge.NUMBERS
    solved = challenge.verify(SECRET, made.token, str(answer(made)), NOW)
    assert solved.expires_at == NOW + challenge.VALID_FOR
    # The token is id, expiry and a MAC: the answer itself is not in it.
    assert [len(part) for part in made.token.split(".")] == [32, 10, 64]


def test_answers_in_words_and_digits() -> None:
    made = challenge.make(SECRET, NOW)
    value = answer(made)
    challenge.verify(SECRET, made.token, f" {value} ", NOW)
    challenge.verify(SECRET, made.token, challenge.NUMBERS[value] if value <= 10 else value, NOW)
    assert challenge.parse_answer("tiga belas") == 13
    assert challenge.parse_answer("sebelas") == 11
    assert challenge.parse_answer("dua puluh") == 20
    assert challenge.parse_answer(True) is None
    assert challenge.parse_answer("banyak") is None


def _code(token: object, given_answer: object, now: datetime, secret: bytes = SECRET) -> str:
    with pytest.raises(Refused) as refused:
        challenge.verify(secret, token, given_answer, now)
    return refused.value.code


def test_wrong_forged_and_expired() -> None:
    made = challenge.make(SECRET, NOW)
    right = answer(made)
    assert _code(made.token, str(right + 1), NOW) == "challenge_wrong"
    assert _code(made.token, "", NOW) == "challenge_wrong"
    assert _code(made.token, str(right), NOW, secret=b"other" * 8) == "challenge_invalid"
    assert _code("not a token", str(right), NOW) == "challenge_invalid"
    assert _code(None, str(right), NOW) == "challenge_invalid"
    token_id, expires, mac = made.token.split(".")
    longer = f"{token_id}.{int(expires) + 86400}.{mac}"
    assert _code(longer, str(right), NOW) == "challenge_invalid"  # the expiry is signed
    later = NOW + challenge.VALID_FOR + timedelta(seconds=1)
    assert _code(made.token, str(right), later) == "challenge_expired"
    assert _code(made.token, str(right + 1), later) == "challenge_wrong"
