"""Pure rules of complaints (pengaduan) and consultations (konsultasi): categories and
statuses, who may move a complaint where, ticket numbers, the response-time target in
working days, what a filed complaint must contain and the photo check. No ORM, no HTTP
(decision 0019)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from backend.supervision.documents import size_text, sniff
from backend.supervision.domain import Refused as Refused  # the shared refusal class
from backend.texts import N_

# Times are counted on the region's wall clock (WIB, like the rest of Koroena).
REGION_TZ = timezone(timedelta(hours=7), "WIB")

TEXT_MIN = 20
TEXT_MAX = 4000
REPLY_MAX = 4000
NAME_MAX = 120
PHONE_MAX = 20
EMAIL_MAX = 200
TOPIC_MAX = 150
REASON_MAX = 500
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


class Category(StrEnum):
    PELAYANAN = "pelayanan"
    SIMPAN_PINJAM = "simpan_pinjam"
    KEUANGAN = "keuangan"
    PENGURUS = "pengurus"
    PENIPUAN = "penipuan"
    LAINNYA = "lainnya"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.PELAYANAN: N_("Pelayanan koperasi"),
    Category.SIMPAN_PINJAM: N_("Simpan pinjam"),
    Category.KEUANGAN: N_("Keuangan / dana anggota"),
    Category.PENGURUS: N_("Pengurus koperasi"),
    Category.PENIPUAN: N_("Penipuan berkedok koperasi"),
    Category.LAINNYA: N_("Lainnya"),
}


class Status(StrEnum):
    BARU = "baru"
    DITELAAH = "ditelaah"
    DITUGASKAN = "ditugaskan"
    DIJAWAB = "dijawab"
    SELESAI = "selesai"
    DITOLAK = "ditolak"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def closed(self) -> bool:
        return self in (Status.SELESAI, Status.DITOLAK)


STATUS_LABELS: dict[Status, str] = {
    Status.BARU: N_("Baru"),
    Status.DITELAAH: N_("Ditelaah"),
    Status.DITUGASKAN: N_("Ditugaskan"),
    Status.DIJAWAB: N_("Dijawab"),
    Status.SELESAI: N_("Selesai"),
    Status.DITOLAK: N_("Ditolak"),
}


class Action(StrEnum):
    """What happens to a complaint; each is one line of its timeline."""

    FILED = "diajukan"
    TRIAGE = "ditelaah"
    ASSIGN = "ditugaskan"
    REPLY = "balasan"
    NOTE = "catatan"  # an internal note of the Dinas: never shown to the public
    INFO = "tambahan"  # the complainant adds information
    FORWARD = "diteruskan"
    CLOSE = "selesai"
    REJECT = "ditolak"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.FILED: N_("Pengaduan diterima"),
    Action.TRIAGE: N_("Sedang ditelaah Dinas"),
    Action.ASSIGN: N_("Ditugaskan ke petugas"),
    Action.REPLY: N_("Balasan"),
    Action.NOTE: N_("Catatan internal"),
    Action.INFO: N_("Tambahan dari pelapor"),
    Action.FORWARD: N_("Diteruskan ke koperasi"),
    Action.CLOSE: N_("Pengaduan selesai"),
    Action.REJECT: N_("Pengaduan ditolak"),
}


class Author(StrEnum):
    """Whose words a timeline line carries, as the complainant sees it."""

    PUBLIK = "publik"
    DINAS = "dinas"
    KOPERASI = "koperasi"


# Which status each action may start from, and where it leaves the complaint (None: the
# status stays).
_OPEN = frozenset({Status.BARU, Status.DITELAAH, Status.DITUGASKAN, Status.DIJAWAB})
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.TRIAGE: (frozenset({Status.BARU}), Status.DITELAAH),
    Action.ASSIGN: (_OPEN, None),  # see `after`
    Action.REPLY: (_OPEN, Status.DIJAWAB),
    Action.NOTE: (frozenset(Status), None),
    Action.INFO: (_OPEN, None),
    Action.FORWARD: (_OPEN, None),
    Action.CLOSE: (frozenset({Status.DITELAAH, Status.DITUGASKAN, Status.DIJAWAB}), Status.SELESAI),
    Action.REJECT: (_OPEN, Status.DITOLAK),
}


def after(action: Action, status: Status) -> Status:
    """The status after `action`, or `Refused` (409) when the complaint is not in a status
    the action starts from. Assigning keeps an answered complaint answered."""
    allowed, target = TRANSITIONS[action]
    if status not in allowed:
        raise Refused(
            "complaint_status",
            N_("Pengaduan berstatus {state}: tindakan ini tidak bisa dilakukan."),
            status=409,
            state=status.value,
        )
    if action is Action.ASSIGN:
        return Status.DIJAWAB if status is Status.DIJAWAB else Status.DITUGASKAN
    return target if target is not None else status


class ConsultationStatus(StrEnum):
    TERBUKA = "terbuka"
    DIJAWAB = "dijawab"
    SELESAI = "selesai"

    @property
    def label(self) -> str:
        return CONSULTATION_LABELS[self]


CONSULTATION_LABELS: dict[ConsultationStatus, str] = {
    ConsultationStatus.TERBUKA: N_("Terbuka"),
    ConsultationStatus.DIJAWAB: N_("Dijawab"),
    ConsultationStatus.SELESAI: N_("Selesai"),
}


def consultation_after(status: ConsultationStatus, by_dinas: bool) -> ConsultationStatus:
    """A message on a thread: the Dinas answering makes it `dijawab`, the asker writing
    again re-opens it. A finished thread takes no more messages."""
    if status is ConsultationStatus.SELESAI:
        raise Refused(
            "consultation_closed", N_("Konsultasi ini sudah selesai dan tidak bisa dibalas."), 409
        )
    return ConsultationStatus.DIJAWAB if by_dinas else ConsultationStatus.TERBUKA


# --- ticket numbers -----------------------------------------------------------------------

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TICKET_RANDOM = 8  # 40 bits: about a trillion numbers per prefix and month
_TICKET = re.compile(r"^(ADU|KON)-(\d{4})-([0-9A-HJKMNP-TV-Z]{8})$")
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_ticket(prefix: str, at: datetime, randbelow: Any = secrets.randbelow) -> str:
    """`ADU-2611-7K3QF9XB`: the prefix, the period (YYMM, WIB) and eight random Crockford
    base-32 characters from the operating system's random source."""
    period = at.astimezone(REGION_TZ).strftime("%y%m")
    tail = "".join(CROCKFORD[randbelow(32)] for _ in range(TICKET_RANDOM))
    return f"{prefix}-{period}-{tail}"


def normalise_ticket(raw: str) -> str | None:
    """A ticket as a person may type it (lower case, spaces, O for 0, I or L for 1) in its
    stored form, or None if it cannot be one."""
    text = re.sub(r"[\s_]+", "", (raw or "")[:40]).upper()
    parts = text.split("-")
    if len(parts) == 3:
        parts[2] = parts[2].translate(_CONFUSABLE)
        text = "-".join(parts)
    return text if _TICKET.match(text) else None


# --- the response-time target -------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    first_answer_days: int
    consultation_days: int
    source: str


@cache
def targets() -> Targets:
    """The response-time targets, kept as data (backend/complaints/data/targets.json)."""
    raw = json.loads((Path(__file__).parent / "data" / "targets.json").read_text("utf-8"))
    return Targets(
        int(raw["first_answer_working_days"]),
        int(raw["consultation_answer_working_days"]),
        str(raw["source"]),
    )


def is_working_day(day: date) -> bool:
    """Monday to Friday. Public holidays are not counted (decision 0019)."""
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (a complaint filed on Saturday
    counts from Monday: Monday is day one)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is
    earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def due_at(filed_at: datetime, days: int) -> datetime:
    """The end (23.59.59 WIB) of the `days`-th working day after the filing day."""
    local = filed_at.astimezone(REGION_TZ).date()
    last = add_working_days(local, days)
    end = datetime.combine(last + timedelta(days=1), time(0), REGION_TZ) - timedelta(seconds=1)
    return end.astimezone(UTC)


@dataclass(frozen=True)
class Deadline:
    overdue: bool
    working_days_left: int  # negative: working days overdue
    met: bool | None  # answered: on time or late; None while unanswered


def deadline(due: datetime, now: datetime, answered_at: datetime | None) -> Deadline:
    """Where a complaint stands against its target at `now`."""
    if answered_at is not None:
        return Deadline(False, 0, answered_at <= due)
    today = now.astimezone(REGION_TZ).date()
    last = due.astimezone(REGION_TZ).date()
    left = working_days_between(today, last)
    return Deadline(now > due, left, None)


# --- what is filed ------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}$")


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str
    params: dict[str, Any]


@dataclass(frozen=True)
class ComplaintIn:
    category: Category
    koperasi_slug: str | None
    text: str
    name: str
    phone: str
    email: str


def _clean(value: object, limit: int) -> str:
    return str(value).strip()[: limit + 1] if isinstance(value, str) else ""


def check_text(text: str, problems: list[Problem], field: str = "text") -> None:
    if len(text) < TEXT_MIN:
        problems.append(
            Problem(
                field, "text_too_short", N_("Tulis paling sedikit {min} huruf."), {"min": TEXT_MIN}
            )
        )
    elif len(text) > TEXT_MAX:
        problems.append(
            Problem(field, "text_too_long", N_("Paling banyak {max} huruf."), {"max": TEXT_MAX})
        )


def check_contact(name: str, phone: str, email: str, problems: list[Problem]) -> None:
    if len(name) > NAME_MAX:
        problems.append(
            Problem("name", "name_too_long", N_("Paling banyak {max} huruf."), {"max": NAME_MAX})
        )
    if phone and not _PHONE.match(phone):
        problems.append(Problem("phone", "phone_invalid", N_("Nomor telepon tidak dikenali."), {}))
    if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
        problems.append(Problem("email", "email_invalid", N_("Alamat email tidak dikenali."), {}))


def parse_complaint(payload: dict[str, Any]) -> tuple[ComplaintIn | None, list[Problem]]:
    """The complaint in a filed payload, or the problems of each field."""
    problems: list[Problem] = []
    try:
        category = Category(str(payload.get("category") or ""))
    except ValueError:
        category = Category.LAINNYA
        problems.append(Problem("category", "category_invalid", N_("Pilih jenis pengaduan."), {}))
    slug = _clean(payload.get("koperasi"), 80) or None
    text = _clean(payload.get("text"), TEXT_MAX)
    name = _clean(payload.get("name"), NAME_MAX)
    phone = _clean(payload.get("phone"), PHONE_MAX)
    email = _clean(payload.get("email"), EMAIL_MAX).lower()
    check_text(text, problems)
    check_contact(name, phone, email, problems)
    if problems:
        return None, problems
    return ComplaintIn(category, slug, text, name, phone, email), []


# Keys of a payload that are not the complaint itself: a resend of the same complaint
# with a newly solved challenge is the same complaint.
NOT_CONTENT = frozenset({"challenge", "answer", "website"})


def fingerprint(payload: dict[str, Any]) -> str:
    """SHA-256 of the complaint's content in a canonical form (what `duplicate` versus
    `conflict` is decided on)."""
    content = {k: v for k, v in payload.items() if k not in NOT_CONTENT}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# --- the photo ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    content_type: str
    size: int
    sha256: str


def check_photo(content: bytes, max_bytes: int = PHOTO_MAX_BYTES) -> Photo:
    """A JPEG, PNG or WebP picture of at most `max_bytes`, judged by its own first bytes
    (never its name or the type the browser claims); else `file_too_large` (413) or
    `file_type_not_allowed` (415)."""
    if not content:
        raise Refused("file_empty", N_("Foto kosong. Pilih foto lain."))
    if len(content) > max_bytes:
        raise Refused(
            "file_too_large",
            N_("Foto terlalu besar: paling besar {size}."),
            status=413,
            size=size_text(max_bytes),
        )
    kind = sniff(content)
    if kind not in PHOTO_TYPES:
        raise Refused(
            "file_type_not_allowed",
            N_("Jenis berkas tidak diterima. Lampirkan foto JPEG, PNG atau WebP."),
            status=415,
        )
    return Photo(kind, len(content), hashlib.sha256(content).hexdigest())
