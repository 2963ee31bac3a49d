"""Push announcements of the outreach context, through the push outbox
(`backend.push.service.enqueue`, decision 0015). Each is called inside the transaction of
the event it announces, so the notification exists exactly when the event does.

Notifications are written in Bahasa Indonesia, the app's first language: one notification
goes to many people whatever language each of them reads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from backend.accounts.domain import Role
from backend.formatting import date_time
from backend.outreach.domain import REGION_TZ, TrainingAudience
from backend.outreach.markup import plain
from backend.push.domain import TITLE_MAX, Audience, Topic
from backend.push.service import enqueue

BODY_LIMIT = 240
TRAINING_TTL_SECONDS = 3 * 24 * 3600


def education_topic() -> Topic:
    """`edukasi` once the push context offers it (people turn it on and off on their own);
    until then education news goes out as `berita`, which its settings describe as the
    Dinas's announcements."""
    return next((t for t in Topic if t.value == "edukasi"), Topic.BERITA)


def _title(prefix: str, title: str) -> str:
    text = f"{prefix}{title}"
    if len(text) <= TITLE_MAX:
        return text
    return text[: TITLE_MAX - 1].rstrip() + "…"


def _when(moment: datetime) -> str:
    return date_time(moment.astimezone(REGION_TZ), "id") + " WIB"


async def article_published(
    region_id: int, article_id: int, slug: str, title: str, summary: str, by: int | None
) -> int:
    """Everyone of the region (Dinas, pengurus, kasir, anggota) hears of new material."""
    return await enqueue(
        Audience.in_region(region_id),
        education_topic(),
        _title("Materi edukasi baru: ", title),
        plain(summary, BODY_LIMIT),
        f"/edukasi/{slug}",
        region_id=region_id,
        created_by=by,
    )


async def news_published(
    post_id: int,
    region_id: int,
    koperasi_id: int | None,
    title: str,
    body: str,
    author_org: str,
    by: int | None,
) -> int:
    """A region's post to everyone of the region; a koperasi's post to its people only."""
    audience = (
        Audience.in_koperasi(koperasi_id)
        if koperasi_id is not None
        else Audience.in_region(region_id)
    )
    return await enqueue(
        audience,
        Topic.BERITA,
        _title("", title),
        plain(f"{author_org}: {body}", BODY_LIMIT),
        f"/berita#berita-{post_id}",
        koperasi_id=koperasi_id,
        region_id=region_id,
        created_by=by,
    )


def training_audiences(region_id: int, audience: TrainingAudience) -> list[Audience]:
    """The push audiences of a training's audience: the whole region by role, or, when it
    is limited to some koperasi, each of them by role (and the region's Dinas officers if
    they are invited). Someone holding an invited role in two of the listed koperasi is in
    two audiences; everyone else is in exactly one."""
    roles = audience.describe_roles()
    if not audience.koperasi_ids:
        return [Audience.in_region(region_id, *roles)]
    koperasi_roles = [r for r in roles if r is not Role.DINAS]
    found = [Audience.in_koperasi(k, *koperasi_roles) for k in sorted(audience.koperasi_ids)]
    if Role.DINAS in roles:
        found.append(Audience.in_region(region_id, Role.DINAS))
    return found


async def training_opened(
    event_id: int,
    region_id: int,
    audience: TrainingAudience,
    title: str,
    starts_at: datetime,
    place: str,
    by: int | None,
) -> list[int]:
    where = f" di {place}" if place else " (daring)"
    body = f"{_when(starts_at)}{where}. Daftar di aplikasi selagi kuota masih ada."
    return [
        await enqueue(
            each,
            Topic.PELATIHAN,
            _title("Pelatihan: ", title),
            body,
            f"/pelatihan#pelatihan-{event_id}",
            region_id=region_id,
            created_by=by,
        )
        for each in training_audiences(region_id, audience)
    ]


async def _to_people(
    user_ids: Iterable[int],
    title: str,
    body: str,
    event_id: int,
    region_id: int,
    by: int | None,
) -> int | None:
    people = sorted(set(user_ids))
    if not people:
        return None
    return await enqueue(
        Audience.users(*people),
        Topic.PELATIHAN,
        title,
        body,
        f"/pelatihan#pelatihan-{event_id}",
        region_id=region_id,
        created_by=by,
        ttl_seconds=TRAINING_TTL_SECONDS,
    )


async def seats_given(
    user_ids: Iterable[int],
    event_id: int,
    region_id: int,
    title: str,
    starts_at: datetime,
    by: int | None,
) -> int | None:
    """People moved from the waiting list to a seat."""
    return await _to_people(
        user_ids,
        _title("Anda mendapat kursi: ", title),
        f"Ada peserta yang batal, jadi Anda kini terdaftar. Pelatihan mulai {_when(starts_at)}.",
        event_id,
        region_id,
        by,
    )


async def training_cancelled(
    user_ids: Iterable[int], event_id: int, region_id: int, title: str, by: int | None
) -> int | None:
    return await _to_people(
        user_ids,
        _title("Pelatihan dibatalkan: ", title),
        "Dinas Koperasi membatalkan pelatihan ini. Pendaftaran Anda tidak berlaku lagi.",
        event_id,
        region_id,
        by,
    )


async def training_reminder(
    user_ids: Iterable[int],
    event_id: int,
    region_id: int,
    title: str,
    starts_at: datetime,
    place: str,
    now: datetime,
) -> int | None:
    where = f" di {place}" if place else " secara daring"
    same_day = starts_at.astimezone(REGION_TZ).date() == now.astimezone(REGION_TZ).date()
    return await _to_people(
        user_ids,
        _title("Hari ini: " if same_day else "Besok: ", title),
        f"Pelatihan mulai {_when(starts_at)}{where}. Sampai jumpa!",
        event_id,
        region_id,
        None,
    )
