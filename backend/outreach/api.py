"""Outreach API (decision 0017).

- `/education/*`: a region's Dinas officers write, publish and take back education
  articles and attach PDFs (checked by their own bytes, at most 10 MB);
  `GET /education/published` is public (what `/edukasi` shows).
- `/news*`: everyone signed in reads their feed; pengurus write to their koperasi, Dinas
  officers to their region (and, if they choose, the public page).
- `/training*`: people read the trainings of their region meant for them (or public),
  register and cancel; Dinas officers plan, announce, close, finish or cancel trainings,
  see participants and the waiting list, mark attendance and export the attendance list.

Labels come back in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body, JSONBody, PathParameter, QueryParameter
from litestar.types import ControllerRouterHandler

from backend.accounts.domain import Role
from backend.accounts.guards import PUBLIC
from backend.accounts.sessions import require_actor
from backend.accounts.web import signed_in
from backend.errors import AppError
from backend.i18n import Translate, translator
from backend.outreach import education, news, training
from backend.outreach.domain import (
    ATTACHMENT_MAX_BYTES,
    ArticleDraft,
    Attendance,
    EduTopic,
    ExternalLink,
    NewsDraft,
    TrainingAudience,
    TrainingDraft,
    TrainingStatus,
)
from backend.outreach.export import attendance_xlsx, filename
from backend.supervision.documents import content_disposition
from backend.texts import N_
from backend.web import app_error_handler, language_of

Id = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]
Cursor = Annotated[str | None, QueryParameter(max_length=40)]
Limit = Annotated[int, QueryParameter(ge=1, le=50)]
Title = Annotated[str, msgspec.Meta(max_length=400)]
# The file plus the form around it.
FORM_MARGIN = 64 * 1024


def _reader(request: Request[Any, Any, Any]) -> Translate:
    return translator(language_of(request.scope))


# Shapes


class LinkIn(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[str, msgspec.Meta(max_length=600)]
    title: Annotated[str, msgspec.Meta(max_length=400)] = ""


class ArticleIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    topic: EduTopic
    summary: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    body: Annotated[str, msgspec.Meta(max_length=60_000)] = ""
    links: Annotated[list[LinkIn], msgspec.Meta(max_length=50)] = []


class NewsIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    body: Annotated[str, msgspec.Meta(max_length=25_000)]
    public: bool = False
    publish: bool = False


class NewsUpdateIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    body: Annotated[str, msgspec.Meta(max_length=25_000)]
    public: bool = False


class TrainingIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    quota: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
    roles: Annotated[list[Role], msgspec.Meta(max_length=4)]
    description: Annotated[str, msgspec.Meta(max_length=6000)] = ""
    place: Annotated[str, msgspec.Meta(max_length=600)] = ""
    online_url: Annotated[str, msgspec.Meta(max_length=600)] = ""
    koperasi: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=80)]], msgspec.Meta(max_length=1000)
    ] = []
    public: bool = False


class StatusIn(msgspec.Struct, forbid_unknown_fields=True):
    status: TrainingStatus


class AttendanceItemIn(msgspec.Struct, forbid_unknown_fields=True):
    registration_id: Annotated[int, msgspec.Meta(ge=1)]
    attendance: Attendance | None


class AttendanceIn(msgspec.Struct, forbid_unknown_fields=True):
    items: Annotated[list[AttendanceItemIn], msgspec.Meta(max_length=10_000)]


# Labels in the reader's language


def card_out(card: education.ArticleCard, _: Translate) -> education.ArticleCard:
    return replace(card, topic_label=_(card.topic_label), status_label=_(card.status_label))


def article_out(found: education.ArticleOut, _: Translate) -> education.ArticleOut:
    return replace(found, topic_label=_(found.topic_label), status_label=_(found.status_label))


def news_out(item: news.NewsItem, _: Translate) -> news.NewsItem:
    return replace(item, scope_label=_(item.scope_label))


def training_out(event: training.TrainingOut, _: Translate) -> training.TrainingOut:
    mine = event.mine
    if mine is not None:
        mine = replace(
            mine,
            status_label=_(mine.status_label),
            attendance_label=_(mine.attendance_label) if mine.attendance_label else None,
        )
    return replace(event, status_label=_(event.status_label), mine=mine)


def participant_out(person: training.Participant, _: Translate) -> training.Participant:
    return replace(
        person,
        role_label=_(person.role_label),
        status_label=_(person.status_label),
        attendance_label=_(person.attendance_label) if person.attendance_label else None,
    )


def participants_out(found: training.Participants, _: Translate) -> training.Participants:
    return training.Participants(
        event=training_out(found.event, _),
        seated=[participant_out(p, _) for p in found.seated],
        waiting=[participant_out(p, _) for p in found.waiting],
        cancelled=[participant_out(p, _) for p in found.cancelled],
    )


def article_draft(data: ArticleIn) -> ArticleDraft:
    return ArticleDraft(
        title=data.title,
        topic=data.topic,
        summary=data.summary,
        body=data.body,
        links=tuple(ExternalLink(link.title, link.url) for link in data.links),
    )


async def training_draft(region_id: int, data: TrainingIn) -> TrainingDraft:
    return TrainingDraft(
        title=data.title,
        description=data.description,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        registration_deadline=data.registration_deadline,
        quota=data.quota,
        place=data.place,
        online_url=data.online_url,
        audience=TrainingAudience(
            roles=frozenset(data.roles),
            koperasi_ids=await training.koperasi_ids(region_id, data.koperasi),
            public=data.public,
        ),
    )


# Education


class EducationController(Controller):
    path = "/education"
    tags = ["edukasi"]

    @get("/published", summary="Materi edukasi yang terbit (publik)", opt=PUBLIC)
    async def published(
        self,
        request: Request[Any, Any, Any],
        topic: Annotated[EduTopic | None, QueryParameter()] = None,
        before: Cursor = None,
        limit: Limit = 20,
    ) -> education.ArticlePage:
        page = await education.published(topic, before, limit)
        _ = _reader(request)
        return replace(page, items=[card_out(c, _) for c in page.items])

    @get("/articles", summary="Materi edukasi wilayah (Dinas)")
    async def articles(self, request: Request[Any, Any, Any]) -> list[education.ArticleCard]:
        actor = require_actor(signed_in(request))
        _ = _reader(request)
        return [card_out(c, _) for c in await education.region_articles(actor)]

    @post("/articles", summary="Tulis materi edukasi (Dinas)", status_code=201)
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[ArticleIn]
    ) -> education.ArticleOut:
        actor = require_actor(signed_in(request))
        made = await education.create_article(actor, article_draft(data))
        return article_out(made, _reader(request))

    @get("/articles/{article_id:int}", summary="Satu materi edukasi (Dinas)")
    async def article(
        self, request: Request[Any, Any, Any], article_id: Id
    ) -> education.ArticleOut:
        actor = require_actor(signed_in(request))
        return article_out(await education.article(actor, article_id), _reader(request))

    @put("/articles/{article_id:int}", summary="Ubah materi edukasi (Dinas)")
    async def update(
        self, request: Request[Any, Any, Any], article_id: Id, data: JSONBody[ArticleIn]
    ) -> education.ArticleOut:
        actor = require_actor(signed_in(request))
        saved = await education.update_article(actor, article_id, article_draft(data))
        return article_out(saved, _reader(request))

    @delete("/articles/{article_id:int}", summary="Hapus draf materi (Dinas)", status_code=204)
    async def remove(self, request: Request[Any, Any, Any], article_id: Id) -> None:
        actor = require_actor(signed_in(request))
        await education.delete_article(actor, article_id)

    @post(
        "/articles/{article_id:int}/publish",
        summary="Terbitkan materi edukasi (Dinas)",
        status_code=200,
    )
    async def publish(
        self, request: Request[Any, Any, Any], article_id: Id
    ) -> education.ArticleOut:
        actor = require_actor(signed_in(request))
        return article_out(await education.publish_article(actor, article_id), _reader(request))

    @post(
        "/articles/{article_id:int}/unpublish",
        summary="Tarik materi edukasi menjadi draf (Dinas)",
        status_code=200,
    )
    async def unpublish(
        self, request: Request[Any, Any, Any], article_id: Id
    ) -> education.ArticleOut:
        actor = require_actor(signed_in(request))
        found = await education.unpublish_article(actor, article_id)
        return article_out(found, _reader(request))

    @delete(
        "/attachments/{attachment_id:int}", summary="Hapus lampiran PDF (Dinas)", status_code=204
    )
    async def remove_attachment(self, request: Request[Any, Any, Any], attachment_id: Id) -> None:
        actor = require_actor(signed_in(request))
        await education.delete_attachment(actor, attachment_id)


@dataclass
class AttachmentForm:
    file: UploadFile | None = None


Upload = Annotated[AttachmentForm, Body(media_type=RequestEncodingType.MULTI_PART)]


def _too_large(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """A body over the route's limit is a file over the limit: the same refusal as one that
    got through and was measured."""
    refusal = AppError(
        code="file_too_large",
        message=N_("Berkas terlalu besar: paling besar 10 MB."),
        status=413,
    )
    return app_error_handler(request, refusal)


@post(
    "/education/articles/{article_id:int}/attachments",
    summary="Lampirkan PDF ke materi edukasi (Dinas)",
    tags=["edukasi"],
    status_code=201,
    request_max_body_size=ATTACHMENT_MAX_BYTES + FORM_MARGIN,
    exception_handlers={413: _too_large},
)
async def upload_attachment(
    request: Request[Any, Any, Any], article_id: Id, data: Upload
) -> education.AttachmentOut:
    actor = require_actor(signed_in(request))
    education.officer_region(actor)
    if data.file is None or not data.file.filename:
        raise AppError(code="file_required", message=N_("Pilih berkas PDF."), status=422)
    content = await data.file.read(ATTACHMENT_MAX_BYTES + 1)
    return await education.add_attachment(actor, article_id, data.file.filename, content)


# News


class NewsController(Controller):
    path = "/news"
    tags = ["berita"]

    @get("/", summary="Berita untuk saya, terbaru di atas")
    async def feed(
        self, request: Request[Any, Any, Any], before: Cursor = None, limit: Limit = 20
    ) -> news.NewsPage:
        actor = require_actor(signed_in(request))
        page = await news.feed(actor, before, limit)
        _ = _reader(request)
        return replace(page, items=[news_out(i, _) for i in page.items])

    @get("/managed", summary="Berita yang saya kelola, termasuk draf (pengurus, Dinas)")
    async def managed(self, request: Request[Any, Any, Any]) -> list[news.NewsItem]:
        actor = require_actor(signed_in(request))
        _ = _reader(request)
        return [news_out(i, _) for i in await news.managed(actor)]

    @post(
        "/", summary="Tulis berita (pengurus ke koperasinya, Dinas ke wilayahnya)", status_code=201
    )
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[NewsIn]
    ) -> news.NewsItem:
        actor = require_actor(signed_in(request))
        made = await news.create(
            actor, NewsDraft(data.title, data.body, data.public), publish=data.publish
        )
        return news_out(made, _reader(request))

    @put("/{post_id:int}", summary="Ubah berita")
    async def update(
        self, request: Request[Any, Any, Any], post_id: Id, data: JSONBody[NewsUpdateIn]
    ) -> news.NewsItem:
        actor = require_actor(signed_in(request))
        saved = await news.update(actor, post_id, NewsDraft(data.title, data.body, data.public))
        return news_out(saved, _reader(request))

    @post("/{post_id:int}/publish", summary="Terbitkan berita", status_code=200)
    async def publish(self, request: Request[Any, Any, Any], post_id: Id) -> news.NewsItem:
        actor = require_actor(signed_in(request))
        return news_out(await news.publish(actor, post_id), _reader(request))

    @delete("/{post_id:int}", summary="Hapus berita", status_code=204)
    async def remove(self, request: Request[Any, Any, Any], post_id: Id) -> None:
        actor = require_actor(signed_in(request))
        await news.delete(actor, post_id)


# Training


class TrainingController(Controller):
    path = "/training"
    tags = ["pelatihan"]

    @get("/", summary="Pelatihan untuk saya di wilayah saya")
    async def listing(self, request: Request[Any, Any, Any]) -> list[training.TrainingOut]:
        actor = require_actor(signed_in(request))
        _ = _reader(request)
        return [training_out(e, _) for e in await training.listing(actor)]

    @get("/mine", summary="Pendaftaran pelatihan saya")
    async def mine(self, request: Request[Any, Any, Any]) -> list[training.TrainingOut]:
        actor = require_actor(signed_in(request))
        _ = _reader(request)
        return [training_out(e, _) for e in await training.my_trainings(actor)]

    @post("/{event_id:int}/registration", summary="Daftar ke pelatihan", status_code=201)
    async def register(
        self, request: Request[Any, Any, Any], event_id: Id
    ) -> training.RegistrationResult:
        actor = require_actor(signed_in(request))
        made = await training.register(actor, event_id)
        return replace(made, status_label=_reader(request)(made.status_label))

    @delete("/{event_id:int}/registration", summary="Batalkan pendaftaran saya", status_code=204)
    async def cancel(self, request: Request[Any, Any, Any], event_id: Id) -> None:
        actor = require_actor(signed_in(request))
        await training.cancel_mine(actor, event_id)

    @get("/manage", summary="Pelatihan wilayah (Dinas)")
    async def manage_list(self, request: Request[Any, Any, Any]) -> list[training.TrainingOut]:
        actor = require_actor(signed_in(request))
        _ = _reader(request)
        return [training_out(e, _) for e in await training.region_trainings(actor)]

    @post("/manage", summary="Rencanakan pelatihan (Dinas)", status_code=201)
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[TrainingIn]
    ) -> training.TrainingOut:
        actor = require_actor(signed_in(request))
        region_id = training.officer_region(actor)
        made = await training.create(actor, await training_draft(region_id, data))
        return training_out(made, _reader(request))

    @get("/manage/{event_id:int}", summary="Pelatihan, peserta dan daftar tunggu (Dinas)")
    async def manage_one(
        self, request: Request[Any, Any, Any], event_id: Id
    ) -> training.Participants:
        actor = require_actor(signed_in(request))
        found = await training.participants(actor, event_id)
        return participants_out(found, _reader(request))

    @put("/manage/{event_id:int}", summary="Ubah pelatihan (Dinas)")
    async def update(
        self, request: Request[Any, Any, Any], event_id: Id, data: JSONBody[TrainingIn]
    ) -> training.TrainingOut:
        actor = require_actor(signed_in(request))
        region_id = training.officer_region(actor)
        saved = await training.update(actor, event_id, await training_draft(region_id, data))
        return training_out(saved, _reader(request))

    @post(
        "/manage/{event_id:int}/status",
        summary="Buka, tutup, selesaikan atau batalkan pelatihan (Dinas)",
        status_code=200,
    )
    async def status(
        self, request: Request[Any, Any, Any], event_id: Id, data: JSONBody[StatusIn]
    ) -> training.TrainingOut:
        actor = require_actor(signed_in(request))
        saved = await training.set_status(actor, event_id, data.status)
        return training_out(saved, _reader(request))

    @put("/manage/{event_id:int}/attendance", summary="Catat kehadiran peserta (Dinas)")
    async def attendance(
        self, request: Request[Any, Any, Any], event_id: Id, data: JSONBody[AttendanceIn]
    ) -> training.Participants:
        actor = require_actor(signed_in(request))
        marks = [training.AttendanceMark(i.registration_id, i.attendance) for i in data.items]
        found = await training.mark_attendance(actor, event_id, marks)
        return participants_out(found, _reader(request))

    @post(
        "/manage/{event_id:int}/registrations/{registration_id:int}/cancel",
        summary="Keluarkan peserta atau antrean (Dinas)",
        status_code=200,
    )
    async def cancel_registration(
        self, request: Request[Any, Any, Any], event_id: Id, registration_id: Id
    ) -> training.Participants:
        actor = require_actor(signed_in(request))
        await training.cancel_registration(actor, event_id, registration_id)
        found = await training.participants(actor, event_id)
        return participants_out(found, _reader(request))

    @get(
        "/manage/{event_id:int}/attendance.xlsx",
        summary="Daftar hadir untuk sertifikat (Excel, Dinas)",
    )
    async def attendance_export(
        self, request: Request[Any, Any, Any], event_id: Id
    ) -> Response[bytes]:
        actor = require_actor(signed_in(request))
        found = await training.participants(actor, event_id)
        language = language_of(request.scope)
        return Response(
            attendance_xlsx(found, translator(language), language),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": content_disposition(filename(event_id)),
                "Cache-Control": "private, no-store",
            },
        )


ROUTES: list[ControllerRouterHandler] = [
    EducationController,
    upload_attachment,
    NewsController,
    TrainingController,
]
