"""Pure rules of complaints (decision 0019): ticket numbers, working days and the
response-time target, the status transitions, what a filed complaint must hold and the
photo check."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.complaints.domain import (
    CROCKFORD,
    PHOTO_MAX_BYTES,
    REGION_TZ,
    Action,
    Refused,
    Status,
    add_working_days,
    after,
    check_photo,
    deadline,
    due_at,
    fingerprint,
    new_ticket,
    normalise_ticket,
    parse_complaint,
    targets,
    working_days_between,
)

AT = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # Sunday 10.00 WIB


def test_ticket_format() -> None:
    ticket = new_ticket("ADU", AT)
    assert re.fullmatch(r"ADU-2611-[0-9A-HJKMNP-TV-Z]{8}", ticket)
    # The period is the region's month: 31 Dec 20.00 UTC is already January in WIB.
    assert new_ticket("KON", datetime(2026, 12, 31, 20, tzinfo=UTC)).startswith("KON-2701-")


@given(st.lists(st.integers(min_value=0, max_value=31), min_size=8, max_size=8))
def test_ticket_uses_the_random_draws_and_reads_back(draws: list[int]) -> None:
    values = iter(draws)
    ticket = new_ticket("ADU", AT, randbelow=lambda n: next(values))
    assert ticket.endswith("".join(CROCKFORD[d] for d in draws))
    assert normalise_ticket(ticket) == ticket
    assert normalise_ticket(" " + ticket.lower() + " ") == ticket


def test_tickets_do_not_repeat() -> None:
    drawn = {new_ticket("ADU", AT) for _ in range(20_000)}
    assert len(drawn) == 20_000


def test_typed_tickets_are_forgiven_and_junk_refused() -> None:
    assert normalise_ticket("adu-2611-7k3qf9xo") == "ADU-2611-7K3QF9X0"
    assert normalise_ticket("ADU-2611-IL000000") == "ADU-2611-11000000"
    for junk in ("", "ADU-26-7K3QF9XB", "XYZ-2611-7K3QF9XB", "ADU-2611-7K3QF9X", "a" * 200):
        assert normalise_ticket(junk) is None


def test_working_days() -> None:
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)  # Monday
    assert add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)  # Saturday → Monday
    assert add_working_days(friday, 5) == date(2026, 12, 4)
    assert add_working_days(friday, 0) == friday
    assert working_days_between(friday, date(2026, 12, 4)) == 5
    assert working_days_between(date(2026, 12, 4), friday) == -5
    with pytest.raises(ValueError):
        add_working_days(friday, -1)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 40))
def test_working_days_round_trip(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert end.weekday() < 5 or days == 0


def test_due_and_deadline() -> None:
    days = targets().first_answer_days
    assert days == 5
    due = due_at(AT, days)  # filed Sunday: Mon..Fri
    local = due.astimezone(REGION_TZ)
    assert (local.date(), local.hour, local.minute) == (date(2026, 12, 4), 23, 59)
    fresh = deadline(due, AT, None)
    assert not fresh.overdue and fresh.working_days_left == 5 and fresh.met is None
    late = deadline(due, due + timedelta(days=3), None)  # Monday after
    assert late.overdue and late.working_days_left == -1
    assert deadline(due, due + timedelta(days=9), due - timedelta(hours=1)).met is True
    assert deadline(due, due + timedelta(days=9), due + timedelta(hours=1)).met is False


def test_transitions() -> None:
    assert after(Action.TRIAGE, Status.BARU) is Status.DITELAAH
    assert after(Action.ASSIGN, Status.DITELAAH) is Status.DITUGASKAN
    assert after(Action.ASSIGN, Status.DIJAWAB) is Status.DIJAWAB
    assert after(Action.REPLY, Status.BARU) is Status.DIJAWAB
    assert after(Action.NOTE, Status.SELESAI) is Status.SELESAI
    assert after(Action.CLOSE, Status.DIJAWAB) is Status.SELESAI
    assert after(Action.REJECT, Status.BARU) is Status.DITOLAK
    for action, status in (
        (Action.TRIAGE, Status.DITELAAH),
        (Action.CLOSE, Status.BARU),
        (Action.REPLY, Status.SELESAI),
        (Action.INFO, Status.DITOLAK),
        (Action.REJECT, Status.SELESAI),
    ):
        with pytest.raises(Refused) as refused:
            after(action, status)
        assert refused.value.status == 409


def test_parse_complaint() -> None:
    good = {"category": "penipuan", "text": "x" * 25, "phone": "+62 812-3456-7890"}
    found, problems = parse_complaint(good)
    assert problems == [] and found is not None and found.koperasi_slug is None
    _, problems = parse_complaint({"category": "nope", "text": "pendek", "email": "a@b"})
    assert {p.field for p in problems} == {"category", "text", "email"}
    _, problems = parse_complaint({"category": "lainnya", "text": "y" * 4001, "phone": "abc"})
    assert {p.code for p in problems} == {"text_too_long", "phone_invalid"}


def test_fingerprint_ignores_the_challenge() -> None:
    base = {"text": "sama", "challenge": "a", "answer": "1", "website": ""}
    assert fingerprint(base) == fingerprint(dict(base, challenge="b", answer="7"))
    assert fingerprint(base) != fingerprint(dict(base, text="lain"))


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 10, "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 10, "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_photos_accepted_by_their_bytes(content: bytes, kind: str) -> None:
    assert check_photo(content).content_type == kind


@pytest.mark.parametrize(
    ("content", "code", "status"),
    [
        (b"", "file_empty", 422),
        (b"<html><script>alert(1)</script></html>", "file_type_not_allowed", 415),
        (b"%PDF-1.7", "file_type_not_allowed", 415),
        (b"GIF89a", "file_type_not_allowed", 415),
        (b"\xff\xd8\xff" + b"\x00" * PHOTO_MAX_BYTES, "file_too_large", 413),
    ],
)
def test_photos_refused(content: bytes, code: str, status: int) -> None:
    with pytest.raises(Refused) as refused:
        check_photo(content)
    assert (refused.value.code, refused.value.status) == (code, status)
