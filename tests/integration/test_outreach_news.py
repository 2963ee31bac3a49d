"""News on both engines: publishing pushes to exactly its audience (a koperasi's post to
that koperasi's people, a Dinas post to its region, never anyone else); feeds show each
person what is theirs, newest first, in keyset pages; drafts, changes and deletions stay
in their scope; the /berita page for the public and the signed in.

The helpers at the top (a small world of people with one phone each) are shared by the
other outreach tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from backend.accounts.domain import Actor, Role
from backend.accounts.sessions import start_session
from backend.accounts.tables import RoleGrant, UserAccount
from backend.errors import AppError, NotFound
from backend.members.tables import Member
from backend.outreach import news
from backend.outreach.domain import NewsDraft
from backend.outreach.tables import (
    EduArticle,
    EduAttachment,
    NewsPost,
    TrainingAudienceKoperasi,
    TrainingEvent,
    TrainingRegistration,
)
from backend.push.tables import PushDelivery, PushNotification, PushSubscription
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
from tests.support.client import app_client
from tests.support.sessions import as_person

ORIGIN = "http://localhost:8000"


@dataclass(frozen=True)
class Person:
    actor: Actor
    name: str

    @property
    def user_id(self) -> int:
        return self.actor.user_id


@dataclass(frozen=True)
class OutreachWorld:
    """Region A (the demo's Kota Mojokerto): K1 Srikandi, K2 Artha Mandiri. Region B: K3.
    Everyone has one subscribed phone."""

    region_a: int
    region_b: int
    k1: int
    k2: int
    k3: int
    people: dict[str, Person]

    def __getitem__(self, name: str) -> Person:
        return self.people[name]

    def ids(self, *names: str) -> set[int]:
        return {self.people[n].user_id for n in names}


PEOPLE = {
    # name: (role, region, koperasi)
    "dinas_a": (Role.DINAS, "a", None),
    "pengurus_k1": (Role.PENGURUS, "a", "k1"),
    "kasir_k1": (Role.KASIR, "a", "k1"),
    "anggota_k1": (Role.ANGGOTA, "a", "k1"),
    "anggota_k1b": (Role.ANGGOTA, "a", "k1"),
    "pengurus_k2": (Role.PENGURUS, "a", "k2"),
    "anggota_k2": (Role.ANGGOTA, "a", "k2"),
    "dinas_b": (Role.DINAS, "b", None),
    "anggota_k3": (Role.ANGGOTA, "b", "k3"),
}


async def _koperasi(slug: str) -> int:
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == slug).first()
    assert row is not None
    return int(row["id"])


async def outreach_world() -> OutreachWorld:
    """Needs the demo, whose own articles, news and trainings are removed first (each
    test counts exactly what it made). People are made with a live grant and a push
    subscription."""
    for table in (
        TrainingAudienceKoperasi,
        TrainingRegistration,
        TrainingEvent,
        NewsPost,
        EduAttachment,
        EduArticle,
    ):
        await table.delete(force=True)
    region = await Region.select(Region.id).where(Region.slug == "kota-mojokerto").first()
    assert region is not None
    region_a = int(region["id"])
    made = await Region.insert(
        Region(slug="kabupaten-lain", name="Kabupaten Lain", dinas_name="Dinas Koperasi Lain")
    ).returning(Region.id)
    region_b = int(made[0]["id"])
    k3_made = await Koperasi.insert(
        Koperasi(region=region_b, slug="kud-lain", name="KUD Lain", kind="ksu")
    ).returning(Koperasi.id)
    places = {
        "a": region_a,
        "b": region_b,
        "k1": await _koperasi("kopwan-srikandi"),
        "k2": await _koperasi("ksp-artha-mandiri"),
        "k3": int(k3_made[0]["id"]),
    }
    await Member.insert(
        Member(
            koperasi=places["k3"],
            member_number="A-0001",
            full_name="Anggota Lain",
            nik="3516014101900002",
            joined_on=datetime(2020, 1, 1).date(),
        )
    )
    people: dict[str, Person] = {}
    for name, (role, region_key, koperasi_key) in PEOPLE.items():
        koperasi_id = places[koperasi_key] if koperasi_key else None
        member_id = None
        if role is Role.ANGGOTA:
            members = (
                await Member.select(Member.id)
                .where(Member.koperasi == koperasi_id)
                .order_by(Member.id)
            )
            member_id = int(members[len(people) % len(members)]["id"])
        user = await UserAccount.insert(
            UserAccount(display_name=name.replace("_", " ").title(), user_handle=f"o-{name}")
        ).returning(UserAccount.id)
        user_id = int(user[0]["id"])
        await RoleGrant.insert(
            RoleGrant(
                user=user_id,
                role=role.value,
                region=places[region_key],
                koperasi=koperasi_id,
                member=member_id,
            )
        )
        await PushSubscription.insert(
            PushSubscription(
                user=user_id,
                endpoint=f"https://push.test/{name}",
                p256dh="B" + "A" * 86,
                auth="A" * 22,
            )
        )
        actor = Actor(user_id, role, places[region_key], koperasi_id, member_id)
        people[name] = Person(actor, name.replace("_", " ").title())
    return OutreachWorld(region_a, region_b, places["k1"], places["k2"], places["k3"], people)


async def last_notification_id() -> int:
    row = (
        await PushNotification.select(PushNotification.id)
        .order_by(PushNotification.id, ascending=False)
        .first()
    )
    return int(row["id"]) if row else 0


async def pushed_since(marker: int, topic: str | None = None) -> list[tuple[int, set[int]]]:
    """(notification, the people whose phones got a delivery) for each notification made
    after `marker`."""
    where: Any = PushNotification.id > marker
    if topic is not None:
        where &= PushNotification.topic == topic
    notifications = (
        await PushNotification.select(PushNotification.id)
        .where(where)
        .order_by(PushNotification.id)
    )
    found = []
    for n in notifications:
        rows = await PushDelivery.select(PushDelivery.subscription.user.as_alias("user_id")).where(
            PushDelivery.notification == n["id"]
        )
        found.append((int(n["id"]), {int(r["user_id"]) for r in rows}))
    return found


async def notification(notification_id: int) -> dict[str, object]:
    row = await PushNotification.select().where(PushNotification.id == notification_id).first()
    assert row is not None
    return row


async def session_client(
    settings: Settings, person: Person | None
) -> tuple[httpx.AsyncClient, object]:
    """An app client signed in as `person` (None: nobody); close with `aclose_client`."""
    manager = app_client(settings, origin=ORIGIN)
    client = await manager.__aenter__()
    if person is not None:
        new = await start_session(person.user_id, settings, datetime.now(UTC), "test")
        as_person(client, (new.token, new.csrf_token))
    return client, manager


async def aclose_client(manager: object) -> None:
    await manager.__aexit__(None, None, None)  # type: ignore[attr-defined]


# Tests


async def test_a_koperasi_post_is_pushed_to_that_koperasi_only(demo: Settings) -> None:
    world = await outreach_world()
    marker = await last_notification_id()
    post = await news.create(
        world["pengurus_k1"].actor,
        NewsDraft("Rapat anggota tahunan", "RAT hari **Sabtu** di balai desa."),
        publish=True,
    )
    pushed = await pushed_since(marker)
    assert len(pushed) == 1
    notification_id, people = pushed[0]
    assert people == world.ids("pengurus_k1", "kasir_k1", "anggota_k1", "anggota_k1b")
    sent = await notification(notification_id)
    assert sent["topic"] == "berita"
    assert sent["title"] == "Rapat anggota tahunan"
    assert sent["body"] == "Koperasi Wanita Srikandi: RAT hari Sabtu di balai desa."
    assert sent["url"] == f"/berita#berita-{post.id}"
    assert sent["koperasi_id"] == world.k1


async def test_a_dinas_post_is_pushed_to_everyone_of_its_region_only(demo: Settings) -> None:
    world = await outreach_world()
    marker = await last_notification_id()
    await news.create(
        world["dinas_a"].actor,
        NewsDraft("Batas laporan tahunan", "Kirim laporan sebelum 31 Maret."),
        publish=True,
    )
    [(_, people)] = await pushed_since(marker)
    assert people == world.ids(
        "dinas_a",
        "pengurus_k1",
        "kasir_k1",
        "anggota_k1",
        "anggota_k1b",
        "pengurus_k2",
        "anggota_k2",
    )


async def test_a_draft_is_pushed_when_published_and_only_once(demo: Settings) -> None:
    world = await outreach_world()
    pengurus = world["pengurus_k2"].actor
    marker = await last_notification_id()
    draft = await news.create(pengurus, NewsDraft("Draf", "Belum siap."), publish=False)
    assert draft.published_at is None
    assert await pushed_since(marker) == []
    assert (await news.feed(world["anggota_k2"].actor)).items == []

    await news.update(pengurus, draft.id, NewsDraft("Pembagian SHU", "SHU dibagi Senin."))
    published = await news.publish(pengurus, draft.id)
    assert published.published_at is not None
    [(_, people)] = await pushed_since(marker)
    assert people == world.ids("pengurus_k2", "anggota_k2")
    with pytest.raises(AppError) as again:
        await news.publish(pengurus, draft.id)
    assert again.value.code == "news_published"
    await news.update(pengurus, draft.id, NewsDraft("Pembagian SHU", "SHU dibagi Selasa."))
    assert len(await pushed_since(marker)) == 1  # a correction is not announced again
    feed = await news.feed(world["anggota_k2"].actor)
    assert [(i.title, i.body) for i in feed.items] == [("Pembagian SHU", "SHU dibagi Selasa.")]


async def test_feeds_show_each_person_their_own_news(demo: Settings) -> None:
    world = await outreach_world()
    await news.create(world["pengurus_k1"].actor, NewsDraft("Berita K1", "k1"), publish=True)
    await news.create(world["pengurus_k2"].actor, NewsDraft("Berita K2", "k2"), publish=True)
    await news.create(world["dinas_a"].actor, NewsDraft("Berita Dinas A", "a"), publish=True)
    await news.create(
        world["dinas_a"].actor, NewsDraft("Berita publik A", "p", public=True), publish=True
    )
    await news.create(world["dinas_b"].actor, NewsDraft("Berita Dinas B", "b"), publish=True)
    await news.create(world["pengurus_k1"].actor, NewsDraft("Draf K1", "d"), publish=False)

    async def titles(name: str | None) -> list[str]:
        actor = world[name].actor if name else None
        return [i.title for i in (await news.feed(actor)).items]

    region_a = ["Berita publik A", "Berita Dinas A"]
    for name in ("pengurus_k1", "kasir_k1", "anggota_k1"):
        assert await titles(name) == [*region_a, "Berita K1"]
    assert await titles("anggota_k2") == [*region_a, "Berita K2"]
    assert await titles("dinas_a") == region_a  # a koperasi's news is for its people
    assert await titles("dinas_b") == ["Berita Dinas B"]
    assert await titles("anggota_k3") == ["Berita Dinas B"]
    assert await titles(None) == ["Berita publik A"]


async def test_the_feed_pages_by_keyset_newest_first(demo: Settings) -> None:
    world = await outreach_world()
    start = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
    made = []
    for i in range(7):
        # Two posts share a publish time: the id breaks the tie.
        moment = start + timedelta(hours=i // 2 * 2)
        made.append(
            await news.create(
                world["pengurus_k1"].actor,
                NewsDraft(f"Berita {i}", "isi"),
                publish=True,
                now=moment,
            )
        )
    reader = world["anggota_k1"].actor
    seen: list[int] = []
    before = None
    pages = 0
    while True:
        page = await news.feed(reader, before, limit=3)
        seen += [i.id for i in page.items]
        pages += 1
        if page.next_before is None:
            break
        before = page.next_before
    expected = [p.id for p in sorted(made, key=lambda p: (p.published_at, p.id), reverse=True)]
    assert seen == expected
    assert pages == 3


async def test_writers_keep_to_their_scope(demo: Settings) -> None:
    world = await outreach_world()
    post = await news.create(
        world["pengurus_k1"].actor, NewsDraft("Milik K1", "isi"), publish=False
    )
    for name in ("pengurus_k2", "dinas_a"):
        with pytest.raises(NotFound):
            await news.update(world[name].actor, post.id, NewsDraft("Diubah", "x"))
        with pytest.raises(NotFound):
            await news.publish(world[name].actor, post.id)
        with pytest.raises(NotFound):
            await news.delete(world[name].actor, post.id)
    for name in ("kasir_k1", "anggota_k1"):
        with pytest.raises(AppError) as refused:
            await news.create(world[name].actor, NewsDraft("Coba", "x"), publish=True)
        assert refused.value.status == 403
    # Another pengurus of the same koperasi looks after it too.
    other = Actor(
        world["pengurus_k1"].user_id + 1000, Role.PENGURUS, world.region_a, world.k1, None
    )
    assert [i.id for i in await news.managed(other)] == [post.id]
    await news.delete(world["pengurus_k1"].actor, post.id)
    assert not await NewsPost.exists().where(NewsPost.id == post.id)


async def test_the_news_page(demo: Settings) -> None:
    world = await outreach_world()
    await news.create(
        world["pengurus_k1"].actor, NewsDraft("Rahasia K1", "<b>isi</b>"), publish=True
    )
    await news.create(
        world["dinas_a"].actor,
        NewsDraft("Pengumuman umum", "Untuk **semua**.", public=True),
        publish=True,
    )
    client, manager = await session_client(demo, None)
    try:
        public = await client.get("/berita")
        assert public.status_code == 200
        assert "Pengumuman umum" in public.text and "<strong>semua</strong>" in public.text
        assert "Rahasia K1" not in public.text
        assert public.headers["cache-control"] == "no-cache"
    finally:
        await aclose_client(manager)
    client, manager = await session_client(demo, world["anggota_k1"])
    try:
        page = await client.get("/berita")
        assert page.status_code == 200
        assert "Rahasia K1" in page.text and "&lt;b&gt;isi&lt;/b&gt;" in page.text
        assert page.headers["cache-control"] == "no-store"
        assert 'id="news-form"' not in page.text  # an anggota reads only
    finally:
        await aclose_client(manager)
    client, manager = await session_client(demo, world["pengurus_k2"])
    try:
        page = await client.get("/berita")
        assert "Rahasia K1" not in page.text and 'id="news-form"' in page.text
        made = await client.post(
            "/api/v1/news", json={"title": "Dari API", "body": "Isi", "publish": True}
        )
        assert made.status_code == 201, made.text
        assert made.json()["author_org"] == "KSP Artha Mandiri"
        public = await client.post(
            "/api/v1/news", json={"title": "Publik?", "body": "Isi", "public": True}
        )
        assert public.status_code == 422
        assert public.json()["error"]["code"] == "news_public_invalid"
    finally:
        await aclose_client(manager)
