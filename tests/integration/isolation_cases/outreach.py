"""Isolation cases of news, education material and trainings (decision 0017) and their
Dinas pages: K2's news ("RAHASIA-K2") never reaches K1's people nor the Dinas; region B's
articles, news and trainings ("RAHASIA-B") never reach region A; a training limited to K2
is neither seen nor joined from K1; only Dinas officers write material and manage
trainings, each in their own region; registrations of others are never touched.

The cases add their material when they run (`_world_outreach` is idempotent per world)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from backend.accounts.domain import Actor, Role
from backend.outreach import education, news, training
from backend.outreach.domain import (
    ArticleDraft,
    EduTopic,
    NewsDraft,
    TrainingAudience,
    TrainingDraft,
    TrainingStatus,
)
from backend.outreach.tables import (
    EduArticle,
    EduAttachment,
    NewsPost,
    TrainingEvent,
    TrainingRegistration,
)
from backend.supervision.demo import sample_pdf
from backend.tenancy.tables import Koperasi
from tests.support.isolation import Case, World, refused

SECRET_K2 = "RAHASIA-K2"
SECRET_B = "RAHASIA-B"
PDF = sample_pdf("Materi", ["Isi materi"])


@dataclass(frozen=True)
class Fixtures:
    k2_post: int  # published, K2 only
    k2_draft: int
    b_post: int  # region B's Dinas news
    b_draft_article: int
    b_published_article: int
    b_attachment: int
    b_training: int  # region B, opened, with a registration
    b_registration: int
    k2_training: int  # region A, for K2's pengurus and anggota only
    k2_registration: int


def _draft(title: str, roles: set[Role], koperasi: frozenset[int] = frozenset()) -> TrainingDraft:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    return TrainingDraft(
        title=title,
        description=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        registration_deadline=starts,
        quota=10,
        place="Aula",
        audience=TrainingAudience(frozenset(roles), koperasi),
    )


async def _actors(world: World) -> tuple[Actor, Actor]:
    """K2's pengurus and region B's officer, as the services see them."""
    k2 = (
        await Koperasi.select(Koperasi.region.as_alias("region_id"))
        .where(Koperasi.id == world.k2)
        .first()
    )
    b = (
        await Koperasi.select(Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == world.k3_slug)
        .first()
    )
    assert k2 is not None and b is not None
    return (
        Actor(world.foreign_pengurus.user_id, Role.PENGURUS, int(k2["region_id"]), world.k2),
        Actor(world.foreign_dinas.user_id, Role.DINAS, int(b["region_id"]), None),
    )


async def _world_outreach(world: World) -> Fixtures:
    pengurus_k2, dinas_b = await _actors(world)
    if not await NewsPost.exists().where(NewsPost.koperasi == world.k2):
        await news.create(pengurus_k2, NewsDraft(f"{SECRET_K2} rapat", SECRET_K2), publish=True)
        await news.create(pengurus_k2, NewsDraft(f"{SECRET_K2} draf", SECRET_K2), publish=False)
        await news.create(dinas_b, NewsDraft(f"{SECRET_B} wilayah", SECRET_B), publish=True)
        draft = await education.create_article(
            dinas_b, ArticleDraft(f"{SECRET_B} draf", EduTopic.DASAR, body=SECRET_B)
        )
        await education.add_attachment(dinas_b, draft.id, "rahasia-b.pdf", PDF)
        published = await education.create_article(
            dinas_b, ArticleDraft(f"{SECRET_B} terbit", EduTopic.DASAR, body=SECRET_B)
        )
        await education.publish_article(dinas_b, published.id)
        b_event = await training.create(dinas_b, _draft(f"{SECRET_B} diklat", {Role.DINAS}))
        await training.set_status(dinas_b, b_event.id, TrainingStatus.DIBUKA)
        await training.register(dinas_b, b_event.id)
        officer_a = await _officer_a(world)
        k2_event = await training.create(
            officer_a,
            _draft(f"{SECRET_K2} diklat", {Role.PENGURUS, Role.ANGGOTA}, frozenset({world.k2})),
        )
        await training.set_status(officer_a, k2_event.id, TrainingStatus.DIBUKA)
        await training.register(pengurus_k2, k2_event.id)

    posts = await NewsPost.select(NewsPost.id, NewsPost.title).order_by(NewsPost.id)
    by_title = {r["title"]: int(r["id"]) for r in posts}
    articles = await EduArticle.select(EduArticle.id, EduArticle.title).order_by(EduArticle.id)
    article_ids = {r["title"]: int(r["id"]) for r in articles}
    attachment = (
        await EduAttachment.select(EduAttachment.id)
        .where(EduAttachment.article == article_ids[f"{SECRET_B} draf"])
        .first()
    )
    events = await TrainingEvent.select(TrainingEvent.id, TrainingEvent.title)
    event_ids = {r["title"]: int(r["id"]) for r in events}
    registrations = {
        int(r["event_id"]): int(r["id"])
        for r in await TrainingRegistration.select(
            TrainingRegistration.id, TrainingRegistration.event.as_alias("event_id")
        )
    }
    assert attachment is not None
    b_training = event_ids[f"{SECRET_B} diklat"]
    k2_training = event_ids[f"{SECRET_K2} diklat"]
    return Fixtures(
        k2_post=by_title[f"{SECRET_K2} rapat"],
        k2_draft=by_title[f"{SECRET_K2} draf"],
        b_post=by_title[f"{SECRET_B} wilayah"],
        b_draft_article=article_ids[f"{SECRET_B} draf"],
        b_published_article=article_ids[f"{SECRET_B} terbit"],
        b_attachment=int(attachment["id"]),
        b_training=b_training,
        b_registration=registrations[b_training],
        k2_training=k2_training,
        k2_registration=registrations[k2_training],
    )


async def _officer_a(world: World) -> Actor:
    k1 = (
        await Koperasi.select(Koperasi.region.as_alias("region_id"))
        .where(Koperasi.id == world.k1)
        .first()
    )
    assert k1 is not None
    return Actor(world.mine[Role.DINAS].user_id, Role.DINAS, int(k1["region_id"]), None)


def _secret_free(response: httpx.Response) -> None:
    assert SECRET_K2 not in response.text and SECRET_B not in response.text, response.text


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


def _officer(role: Role) -> bool:
    return role is Role.DINAS


def _writer(role: Role) -> bool:
    return role in (Role.DINAS, Role.PENGURUS)


async def _unchanged(world: World, found: Fixtures) -> None:
    """Nothing of K2 or region B was changed or removed."""
    k2 = (
        await NewsPost.select(NewsPost.title, NewsPost.published_at)
        .where(NewsPost.id.is_in([found.k2_post, found.k2_draft]))
        .order_by(NewsPost.id)
    )
    assert [r["title"] for r in k2] == [f"{SECRET_K2} rapat", f"{SECRET_K2} draf"]
    assert k2[0]["published_at"] is not None and k2[1]["published_at"] is None
    articles = (
        await EduArticle.select(EduArticle.title, EduArticle.status)
        .where(EduArticle.id.is_in([found.b_draft_article, found.b_published_article]))
        .order_by(EduArticle.id)
    )
    assert [(r["title"], r["status"]) for r in articles] == [
        (f"{SECRET_B} draf", "draf"),
        (f"{SECRET_B} terbit", "terbit"),
    ]
    assert await EduAttachment.exists().where(EduAttachment.id == found.b_attachment)
    events = await TrainingEvent.select(TrainingEvent.status, TrainingEvent.quota).where(
        TrainingEvent.id.is_in([found.b_training, found.k2_training])
    )
    assert [(r["status"], r["quota"]) for r in events] == [("dibuka", 10), ("dibuka", 10)]
    live = await TrainingRegistration.select(
        TrainingRegistration.status, TrainingRegistration.attendance
    ).where(TrainingRegistration.id.is_in([found.b_registration, found.k2_registration]))
    assert [(r["status"], r["attendance"]) for r in live] == [("terdaftar", None)] * 2


# Education


async def education_list(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_outreach(world)
    response = await client.get("/api/v1/education/articles")
    _secret_free(response)
    if _officer(role):
        assert response.status_code == 200
    else:
        refused(response)


async def education_create(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.post(
        "/api/v1/education/articles", json={"title": f"Materi {role.value}", "topic": "dasar"}
    )
    if _officer(role):
        assert response.status_code == 201, response.text
        made = (
            await EduArticle.select(EduArticle.region.as_alias("region_id"))
            .where(EduArticle.id == response.json()["id"])
            .first()
        )
        assert made is not None and int(made["region_id"]) == (await _officer_a(world)).region_id
        await EduArticle.delete().where(EduArticle.id == response.json()["id"])
    else:
        refused(response)
    await _unchanged(world, found)


async def education_read(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    for article_id in (found.b_draft_article, found.b_published_article):
        response = await client.get(f"/api/v1/education/articles/{article_id}")
        refused(response)
        _secret_free(response)
    page = await client.get("/edukasi/rahasia-b-draf")
    assert page.status_code == 404
    _secret_free(page)


async def education_update(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.put(
        f"/api/v1/education/articles/{found.b_draft_article}",
        json={"title": "Diubah", "topic": "dasar", "body": "x"},
    )
    refused(response)
    _secret_free(response)
    await _unchanged(world, found)


async def education_delete(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    refused(await client.delete(f"/api/v1/education/articles/{found.b_draft_article}"))
    await _unchanged(world, found)


async def education_publish(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    refused(await client.post(f"/api/v1/education/articles/{found.b_draft_article}/publish"))
    await _unchanged(world, found)


async def education_unpublish(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    refused(await client.post(f"/api/v1/education/articles/{found.b_published_article}/unpublish"))
    await _unchanged(world, found)


async def education_upload(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    count = await EduAttachment.count()
    response = await client.post(
        f"/api/v1/education/articles/{found.b_draft_article}/attachments",
        files={"file": ("susupan.pdf", PDF, "application/pdf")},
    )
    refused(response)
    assert await EduAttachment.count() == count


async def education_attachment_delete(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    refused(await client.delete(f"/api/v1/education/attachments/{found.b_attachment}"))
    # Nor is the draft's file readable.
    file = await client.get(f"/edukasi/berkas/{found.b_attachment}/rahasia-b.pdf")
    assert file.status_code == 404
    await _unchanged(world, found)


# News


async def news_feed(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_outreach(world)
    response = await client.get("/api/v1/news", params={"limit": 50})
    assert response.status_code == 200
    _secret_free(response)
    page = await client.get("/berita")
    assert page.status_code == 200
    _secret_free(page)


async def news_managed(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_outreach(world)
    response = await client.get("/api/v1/news/managed")
    _secret_free(response)
    if _writer(role):
        assert response.status_code == 200
    else:
        refused(response)


async def news_create(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.post(
        "/api/v1/news", json={"title": f"Berita {role.value}", "body": "Isi", "publish": True}
    )
    if _writer(role):
        assert response.status_code == 201, response.text
        made = (
            await NewsPost.select(NewsPost.koperasi.as_alias("koperasi_id"), NewsPost.scope)
            .where(NewsPost.id == response.json()["id"])
            .first()
        )
        assert made is not None
        expected = (world.k1, "koperasi") if role is Role.PENGURUS else (None, "wilayah")
        assert (made["koperasi_id"], made["scope"]) == expected
        await NewsPost.delete().where(NewsPost.id == response.json()["id"])
    else:
        refused(response)
    await _unchanged(world, found)


async def news_update(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    for post_id in (found.k2_post, found.b_post):
        response = await client.put(f"/api/v1/news/{post_id}", json={"title": "Ubah", "body": "x"})
        refused(response)
        _secret_free(response)
    await _unchanged(world, found)


async def news_publish(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    refused(await client.post(f"/api/v1/news/{found.k2_draft}/publish"))
    await _unchanged(world, found)


async def news_delete(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    for post_id in (found.k2_post, found.b_post):
        refused(await client.delete(f"/api/v1/news/{post_id}"))
    await _unchanged(world, found)
    assert await NewsPost.exists().where(NewsPost.id == found.b_post)


# Trainings


async def training_list(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_outreach(world)
    response = await client.get("/api/v1/training")
    assert response.status_code == 200
    _secret_free(response)
    page = await client.get("/pelatihan")
    assert page.status_code == 200
    _secret_free(page)


async def training_mine(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_outreach(world)
    response = await client.get("/api/v1/training/mine")
    assert response.status_code == 200
    assert response.json() == []
    _secret_free(response)


async def training_register(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    for event_id in (found.k2_training, found.b_training):
        response = await client.post(f"/api/v1/training/{event_id}/registration")
        refused(response)
        _secret_free(response)
    assert not await TrainingRegistration.exists().where(
        TrainingRegistration.user == world.mine[role].user_id
    )


async def training_cancel(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    for event_id in (found.k2_training, found.b_training):
        refused(await client.delete(f"/api/v1/training/{event_id}/registration"))
    await _unchanged(world, found)


async def training_manage_list(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_outreach(world)
    response = await client.get("/api/v1/training/manage")
    if _officer(role):
        assert response.status_code == 200
        # Region A's own K2 training is the officer's to manage; region B's is not.
        assert SECRET_B not in response.text and SECRET_K2 in response.text
    else:
        refused(response)
        _secret_free(response)


async def training_create(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    count = await TrainingEvent.count()
    body = {
        "title": "Diklat susupan",
        "starts_at": "2030-01-10T09:00:00+07:00",
        "ends_at": "2030-01-10T12:00:00+07:00",
        "registration_deadline": "2030-01-09T12:00:00+07:00",
        "quota": 5,
        "roles": ["anggota"],
        "koperasi": [world.k3_slug],  # region B's koperasi
        "place": "Aula",
    }
    response = await client.post("/api/v1/training/manage", json=body)
    if _officer(role):
        assert response.status_code == 422, response.text
    else:
        refused(response)
    assert await TrainingEvent.count() == count
    await _unchanged(world, found)


async def training_manage_one(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.get(f"/api/v1/training/manage/{found.b_training}")
    refused(response)
    _secret_free(response)
    if not _officer(role):
        refused(await client.get(f"/api/v1/training/manage/{found.k2_training}"))


async def training_update(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    body = {
        "title": "Diubah",
        "starts_at": "2030-01-10T09:00:00+07:00",
        "ends_at": "2030-01-10T12:00:00+07:00",
        "registration_deadline": "2030-01-09T12:00:00+07:00",
        "quota": 99,
        "roles": ["anggota"],
        "place": "Aula",
    }
    refused(await client.put(f"/api/v1/training/manage/{found.b_training}", json=body))
    await _unchanged(world, found)


async def training_status(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    refused(
        await client.post(
            f"/api/v1/training/manage/{found.b_training}/status", json={"status": "batal"}
        )
    )
    if not _officer(role):
        refused(
            await client.post(
                f"/api/v1/training/manage/{found.k2_training}/status", json={"status": "batal"}
            )
        )
    await _unchanged(world, found)


async def training_attendance(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    refused(
        await client.put(
            f"/api/v1/training/manage/{found.b_training}/attendance",
            json={"items": [{"registration_id": found.b_registration, "attendance": "hadir"}]},
        )
    )
    await _unchanged(world, found)


async def training_remove(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    for event_id, registration_id in (
        (found.b_training, found.b_registration),
        # Region A's training id with region B's registration: not found either.
        (found.k2_training, found.b_registration),
    ):
        refused(
            await client.post(
                f"/api/v1/training/manage/{event_id}/registrations/{registration_id}/cancel"
            )
        )
    if not _officer(role):
        refused(
            await client.post(
                f"/api/v1/training/manage/{found.k2_training}/registrations/"
                f"{found.k2_registration}/cancel"
            )
        )
    await _unchanged(world, found)


async def training_export(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.get(f"/api/v1/training/manage/{found.b_training}/attendance.xlsx")
    refused(response)
    _secret_free(response)


# The Dinas's pages


async def education_desk(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.get("/pengawasan/edukasi", params={"ubah": found.b_draft_article})
    _secret_free(response)
    if _officer(role):
        assert response.status_code == 200
    else:
        _page_refused(response)


async def training_desk(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.get("/pengawasan/pelatihan", params={"ubah": found.b_training})
    assert SECRET_B not in response.text
    if _officer(role):
        assert response.status_code == 200
    else:
        _page_refused(response)


async def training_manage_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    found = await _world_outreach(world)
    response = await client.get(f"/pengawasan/pelatihan/{found.b_training}")
    _page_refused(response)
    _secret_free(response)
    if _officer(role):
        own = await client.get(f"/pengawasan/pelatihan/{found.k2_training}")
        assert own.status_code == 200
    else:
        _page_refused(await client.get(f"/pengawasan/pelatihan/{found.k2_training}"))


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/education/articles"): education_list,
    ("POST", "/api/v1/education/articles"): education_create,
    ("GET", "/api/v1/education/articles/{article_id:int}"): education_read,
    ("PUT", "/api/v1/education/articles/{article_id:int}"): education_update,
    ("DELETE", "/api/v1/education/articles/{article_id:int}"): education_delete,
    ("POST", "/api/v1/education/articles/{article_id:int}/publish"): education_publish,
    ("POST", "/api/v1/education/articles/{article_id:int}/unpublish"): education_unpublish,
    ("POST", "/api/v1/education/articles/{article_id:int}/attachments"): education_upload,
    ("DELETE", "/api/v1/education/attachments/{attachment_id:int}"): (education_attachment_delete),
    ("GET", "/api/v1/news"): news_feed,
    ("GET", "/api/v1/news/managed"): news_managed,
    ("POST", "/api/v1/news"): news_create,
    ("PUT", "/api/v1/news/{post_id:int}"): news_update,
    ("POST", "/api/v1/news/{post_id:int}/publish"): news_publish,
    ("DELETE", "/api/v1/news/{post_id:int}"): news_delete,
    ("GET", "/api/v1/training"): training_list,
    ("GET", "/api/v1/training/mine"): training_mine,
    ("POST", "/api/v1/training/{event_id:int}/registration"): training_register,
    ("DELETE", "/api/v1/training/{event_id:int}/registration"): training_cancel,
    ("GET", "/api/v1/training/manage"): training_manage_list,
    ("POST", "/api/v1/training/manage"): training_create,
    ("GET", "/api/v1/training/manage/{event_id:int}"): training_manage_one,
    ("PUT", "/api/v1/training/manage/{event_id:int}"): training_update,
    ("POST", "/api/v1/training/manage/{event_id:int}/status"): training_status,
    ("PUT", "/api/v1/training/manage/{event_id:int}/attendance"): training_attendance,
    (
        "POST",
        "/api/v1/training/manage/{event_id:int}/registrations/{registration_id:int}/cancel",
    ): training_remove,
    ("GET", "/api/v1/training/manage/{event_id:int}/attendance.xlsx"): training_export,
    ("GET", "/pengawasan/edukasi"): education_desk,
    ("GET", "/pengawasan/pelatihan"): training_desk,
    ("GET", "/pengawasan/pelatihan/{event_id:int}"): training_manage_page,
}
