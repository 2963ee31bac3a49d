"""Education material use cases: a region's Dinas officers write articles (text, PDFs,
links), publish them (everyone of the region hears of it once) and take them back; anyone
reads what is published, by topic. Drafts are read only by the officers of their region."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from backend.accounts.domain import Actor, Role
from backend.db import is_sqlite, write_transaction
from backend.errors import AppError, Conflict, Forbidden, NotFound
from backend.outreach import notify
from backend.outreach.domain import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENTS_MAX,
    ArticleDraft,
    ArticleStatus,
    EduTopic,
    ExternalLink,
    check_article,
    may_publish_article,
    slugify,
    unique_slug,
)
from backend.outreach.markup import render
from backend.outreach.tables import EduArticle, EduAttachment
from backend.supervision.documents import safe_filename, size_text, sniff
from backend.tenancy.tables import Region
from backend.texts import N_

PAGE_MAX = 50


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AttachmentOut:
    id: int
    filename: str
    size: int
    size_text: str
    url: str


@dataclass(frozen=True)
class LinkOut:
    title: str
    url: str


@dataclass(frozen=True)
class ArticleCard:
    id: int
    slug: str
    topic: str
    topic_label: str
    title: str
    summary: str
    status: str
    status_label: str
    published_at: datetime | None
    updated_at: datetime
    dinas_name: str
    attachments: int
    url: str


@dataclass(frozen=True)
class ArticleOut:
    id: int
    slug: str
    region_id: int
    topic: str
    topic_label: str
    title: str
    summary: str
    body: str
    body_html: str
    links: list[LinkOut]
    status: str
    status_label: str
    published_at: datetime | None
    updated_at: datetime
    dinas_name: str
    attachments: list[AttachmentOut]
    url: str


@dataclass(frozen=True)
class ArticlePage:
    items: list[ArticleCard]
    next_before: str | None


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    content: bytes
    sha256: str
    published: bool  # of a published article (else a draft's, for its officers only)


def officer_region(actor: Actor | None) -> int:
    """The region of a Dinas officer; anyone else is refused."""
    if actor is None or actor.role is not Role.DINAS:
        raise Forbidden(
            "education_forbidden", N_("Hanya petugas Dinas yang mengelola materi edukasi.")
        )
    return actor.region_id


def _not_found() -> NotFound:
    return NotFound("article_not_found", N_("Materi edukasi tidak ditemukan."))


def attachment_url(attachment_id: int, filename: str) -> str:
    return f"/edukasi/berkas/{attachment_id}/{filename}"


def _links(raw: str) -> list[LinkOut]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return []
    return [LinkOut(str(i.get("title", "")), str(i.get("url", ""))) for i in items]


_CARD_COLUMNS = (
    EduArticle.id,
    EduArticle.slug,
    EduArticle.topic,
    EduArticle.title,
    EduArticle.summary,
    EduArticle.status,
    EduArticle.published_at,
    EduArticle.updated_at,
    EduArticle.region.dinas_name.as_alias("dinas_name"),
)


async def _attachment_counts(article_ids: list[int]) -> dict[int, int]:
    if not article_ids:
        return {}
    marks = ", ".join("{}" for _ in article_ids)
    rows = await EduAttachment.raw(
        "SELECT article_id, COUNT(*) AS n FROM edu_attachment"
        f" WHERE article_id IN ({marks}) GROUP BY article_id",
        *article_ids,
    )
    return {int(r["article_id"]): int(r["n"]) for r in rows}


def _card(row: dict[str, Any], attachments: int) -> ArticleCard:
    topic = EduTopic(row["topic"])
    status = ArticleStatus(row["status"])
    return ArticleCard(
        id=int(row["id"]),
        slug=row["slug"],
        topic=topic.value,
        topic_label=topic.label,
        title=row["title"],
        summary=row["summary"] or "",
        status=status.value,
        status_label=status.label,
        published_at=row["published_at"],
        updated_at=row["updated_at"],
        dinas_name=row["dinas_name"] or "",
        attachments=attachments,
        url=f"/edukasi/{row['slug']}",
    )


async def _cards(rows: list[dict[str, Any]]) -> list[ArticleCard]:
    counts = await _attachment_counts([int(r["id"]) for r in rows])
    return [_card(r, counts.get(int(r["id"]), 0)) for r in rows]


def cursor_of(published_at: datetime, article_id: int) -> str:
    return f"{int(published_at.timestamp() * 1_000_000)}-{article_id}"


def parse_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """`before` of a page: the publish time (microseconds) and id of the last card shown.
    Anything malformed starts from the newest."""
    if not cursor:
        return None
    micros, _, ident = cursor.partition("-")
    if not micros.isdigit() or not ident.isdigit():
        return None
    moment = datetime.fromtimestamp(int(micros) / 1_000_000, UTC)
    return moment.replace(microsecond=int(micros) % 1_000_000), int(ident)


async def published(
    topic: EduTopic | None = None, before: str | None = None, limit: int = 20
) -> ArticlePage:
    """Published articles of every region, newest first, a page at a time."""
    limit = max(1, min(limit, PAGE_MAX))
    where: Any = EduArticle.status == ArticleStatus.TERBIT.value
    if topic is not None:
        where &= EduArticle.topic == topic.value
    after = parse_cursor(before)
    if after is not None:
        moment, ident = after
        where &= (EduArticle.published_at < moment) | (
            (EduArticle.published_at == moment) & (EduArticle.id < ident)
        )
    rows = (
        await EduArticle.select(*_CARD_COLUMNS)
        .where(where)
        .order_by(EduArticle.published_at, EduArticle.id, ascending=False)
        .limit(limit + 1)
    )
    cards = await _cards(rows[:limit])
    last = cards[-1] if len(rows) > limit and cards else None
    next_before = cursor_of(last.published_at, last.id) if last and last.published_at else None
    return ArticlePage(cards, next_before)


async def region_articles(actor: Actor) -> list[ArticleCard]:
    """Every article of the officer's region, drafts first, then newest."""
    region_id = officer_region(actor)
    rows = (
        await EduArticle.select(*_CARD_COLUMNS)
        .where(EduArticle.region == region_id)
        .order_by(EduArticle.id, ascending=False)
        .limit(500)
    )
    cards = await _cards(rows)
    return sorted(cards, key=lambda c: c.status != ArticleStatus.DRAF.value)


async def _attachments(article_id: int) -> list[AttachmentOut]:
    rows = (
        await EduAttachment.select(EduAttachment.id, EduAttachment.filename, EduAttachment.size)
        .where(EduAttachment.article == article_id)
        .order_by(EduAttachment.id)
    )
    return [
        AttachmentOut(
            id=int(r["id"]),
            filename=r["filename"],
            size=int(r["size"]),
            size_text=size_text(int(r["size"])),
            url=attachment_url(int(r["id"]), r["filename"]),
        )
        for r in rows
    ]


async def _row(where: Any) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await EduArticle.select(
            *_CARD_COLUMNS,
            EduArticle.region.as_alias("region_id"),
            EduArticle.body,
            EduArticle.links,
            EduArticle.announced_at,
        )
        .where(where)
        .first()
    )
    return row


def _may_read(row: dict[str, Any], actor: Actor | None) -> bool:
    """Published: anyone. A draft: the officers of its region."""
    if row["status"] == ArticleStatus.TERBIT.value:
        return True
    return actor is not None and actor.role is Role.DINAS and actor.region_id == row["region_id"]


async def _out(row: dict[str, Any]) -> ArticleOut:
    card = _card(row, 0)
    return ArticleOut(
        id=card.id,
        slug=card.slug,
        region_id=int(row["region_id"]),
        topic=card.topic,
        topic_label=card.topic_label,
        title=card.title,
        summary=card.summary,
        body=row["body"] or "",
        body_html=render(row["body"] or ""),
        links=_links(row["links"]),
        status=card.status,
        status_label=card.status_label,
        published_at=card.published_at,
        updated_at=card.updated_at,
        dinas_name=card.dinas_name,
        attachments=await _attachments(card.id),
        url=card.url,
    )


async def article_by_slug(slug: str, actor: Actor | None) -> ArticleOut:
    row = await _row(EduArticle.slug == slug)
    if row is None or not _may_read(row, actor):
        raise _not_found()
    return await _out(row)


async def article(actor: Actor, article_id: int) -> ArticleOut:
    """An article of the officer's own region (any other is not found)."""
    region_id = officer_region(actor)
    row = await _row((EduArticle.id == article_id) & (EduArticle.region == region_id))
    if row is None:
        raise _not_found()
    return await _out(row)


async def _lock(article_id: int, region_id: int) -> dict[str, Any]:
    """The article's row, held until the commit (PostgreSQL; SQLite's IMMEDIATE
    transaction already serialises writers)."""
    if not is_sqlite():
        await EduArticle.raw("SELECT id FROM edu_article WHERE id = {} FOR UPDATE", article_id)
    row = await _row((EduArticle.id == article_id) & (EduArticle.region == region_id))
    if row is None:
        raise _not_found()
    return row


def _links_json(links: tuple[ExternalLink, ...]) -> str:
    return json.dumps(
        [{"title": link.title, "url": link.url} for link in links], ensure_ascii=False
    )


async def _free_slug(title: str, article_id: int | None = None) -> str:
    base = slugify(title)
    rows = await EduArticle.select(EduArticle.slug, EduArticle.id).where(
        EduArticle.slug.like(base + "%")
    )
    return unique_slug(base, (r["slug"] for r in rows if r["id"] != article_id))


async def create_article(
    actor: Actor, draft: ArticleDraft, now: datetime | None = None
) -> ArticleOut:
    region_id = officer_region(actor)
    checked = check_article(draft)
    now = now or now_utc()
    async with write_transaction():
        if not is_sqlite():
            # Two officers choosing the same title take turns for its slug.
            await Region.raw("SELECT id FROM region WHERE id = {} FOR UPDATE", region_id)
        made = await EduArticle.insert(
            EduArticle(
                region=region_id,
                slug=await _free_slug(checked.title),
                topic=checked.topic.value,
                title=checked.title,
                summary=checked.summary,
                body=checked.body,
                links=_links_json(checked.links),
                status=ArticleStatus.DRAF.value,
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
        ).returning(EduArticle.id)
    return await article(actor, int(made[0]["id"]))


async def update_article(
    actor: Actor, article_id: int, draft: ArticleDraft, now: datetime | None = None
) -> ArticleOut:
    """Change an article (its address stays the same once made: links to it keep working)."""
    region_id = officer_region(actor)
    checked = check_article(draft)
    now = now or now_utc()
    async with write_transaction():
        row = await _lock(article_id, region_id)
        if row["status"] == ArticleStatus.TERBIT.value:
            count = await EduAttachment.count().where(EduAttachment.article == article_id)
            may_publish_article(checked, count)
        await EduArticle.update(
            {
                EduArticle.topic: checked.topic.value,
                EduArticle.title: checked.title,
                EduArticle.summary: checked.summary,
                EduArticle.body: checked.body,
                EduArticle.links: _links_json(checked.links),
                EduArticle.updated_at: now,
            }
        ).where((EduArticle.id == article_id) & (EduArticle.region == region_id))
    return await article(actor, article_id)


def _draft_of(row: dict[str, Any]) -> ArticleDraft:
    return ArticleDraft(
        title=row["title"],
        topic=EduTopic(row["topic"]),
        summary=row["summary"] or "",
        body=row["body"] or "",
        links=tuple(ExternalLink(link.title, link.url) for link in _links(row["links"])),
    )


async def publish_article(actor: Actor, article_id: int, now: datetime | None = None) -> ArticleOut:
    """Publish; the first time, everyone of the region is told (push)."""
    region_id = officer_region(actor)
    now = now or now_utc()
    async with write_transaction():
        row = await _lock(article_id, region_id)
        if row["status"] == ArticleStatus.TERBIT.value:
            raise Conflict("article_published", N_("Materi ini sudah terbit."))
        count = await EduAttachment.count().where(EduAttachment.article == article_id)
        may_publish_article(_draft_of(row), count)
        values: dict[Any, Any] = {
            EduArticle.status: ArticleStatus.TERBIT.value,
            EduArticle.published_at: now,
            EduArticle.updated_at: now,
        }
        if row["announced_at"] is None:
            values[EduArticle.announced_at] = now
            await notify.article_published(
                region_id,
                article_id,
                row["slug"],
                row["title"],
                row["summary"] or row["body"] or "",
                actor.user_id,
            )
        await EduArticle.update(values).where(EduArticle.id == article_id)
    return await article(actor, article_id)


async def unpublish_article(
    actor: Actor, article_id: int, now: datetime | None = None
) -> ArticleOut:
    """Take an article back to draft (it leaves the public pages; publishing it again does
    not announce it twice)."""
    region_id = officer_region(actor)
    now = now or now_utc()
    async with write_transaction():
        row = await _lock(article_id, region_id)
        if row["status"] != ArticleStatus.TERBIT.value:
            raise Conflict("article_not_published", N_("Materi ini belum terbit."))
        await EduArticle.update(
            {
                EduArticle.status: ArticleStatus.DRAF.value,
                EduArticle.published_at: None,
                EduArticle.updated_at: now,
            }
        ).where(EduArticle.id == article_id)
    return await article(actor, article_id)


async def delete_article(actor: Actor, article_id: int) -> None:
    """Delete a draft and its files (a published article is taken back first)."""
    region_id = officer_region(actor)
    async with write_transaction():
        row = await _lock(article_id, region_id)
        if row["status"] == ArticleStatus.TERBIT.value:
            raise Conflict(
                "article_published",
                N_("Materi yang terbit tidak dapat dihapus. Tarik dulu menjadi draf."),
            )
        await EduAttachment.delete().where(EduAttachment.article == article_id)
        await EduArticle.delete().where(EduArticle.id == article_id)


def check_pdf(filename: str, content: bytes) -> tuple[str, str]:
    """(safe file name, sha256) of a PDF of at most 10 MB, judged by its own first bytes."""
    if not content:
        raise AppError(
            code="file_empty", message=N_("Berkas kosong. Pilih berkas PDF."), status=422
        )
    if len(content) > ATTACHMENT_MAX_BYTES:
        raise AppError(
            code="file_too_large",
            message=N_("Berkas terlalu besar: paling besar 10 MB."),
            status=413,
        )
    if sniff(content) != "application/pdf":
        raise AppError(
            code="file_type_not_allowed",
            message=N_("Jenis berkas tidak diterima. Unggah berkas PDF."),
            status=415,
        )
    return safe_filename(filename, "application/pdf"), hashlib.sha256(content).hexdigest()


async def add_attachment(
    actor: Actor, article_id: int, filename: str, content: bytes, now: datetime | None = None
) -> AttachmentOut:
    region_id = officer_region(actor)
    name, digest = check_pdf(filename, content)
    now = now or now_utc()
    async with write_transaction():
        await _lock(article_id, region_id)
        count = await EduAttachment.count().where(EduAttachment.article == article_id)
        if count >= ATTACHMENTS_MAX:
            raise Conflict("attachments_limit", N_("Satu materi paling banyak 10 lampiran PDF."))
        made = await EduAttachment.insert(
            EduAttachment(
                article=article_id,
                region=region_id,
                filename=name,
                content_type="application/pdf",
                size=len(content),
                sha256=digest,
                content=content,
                created_by=actor.user_id,
                created_at=now,
            )
        ).returning(EduAttachment.id)
        await EduArticle.update({EduArticle.updated_at: now}).where(EduArticle.id == article_id)
    attachment_id = int(made[0]["id"])
    return AttachmentOut(
        id=attachment_id,
        filename=name,
        size=len(content),
        size_text=size_text(len(content)),
        url=attachment_url(attachment_id, name),
    )


async def delete_attachment(actor: Actor, attachment_id: int) -> None:
    region_id = officer_region(actor)
    async with write_transaction():
        row = (
            await EduAttachment.select(EduAttachment.article.as_alias("article_id"))
            .where((EduAttachment.id == attachment_id) & (EduAttachment.region == region_id))
            .first()
        )
        if row is None:
            raise NotFound("attachment_not_found", N_("Lampiran tidak ditemukan."))
        article_row = await _lock(int(row["article_id"]), region_id)
        if article_row["status"] == ArticleStatus.TERBIT.value:
            remaining = (
                await EduAttachment.count().where(EduAttachment.article == int(row["article_id"]))
            ) - 1
            may_publish_article(_draft_of(article_row), remaining)
        await EduAttachment.delete().where(EduAttachment.id == attachment_id)


async def attachment_file(attachment_id: int, actor: Actor | None) -> StoredFile:
    """A PDF of a published article (anyone), or of a draft (its region's officers)."""
    row = (
        await EduAttachment.select(
            EduAttachment.filename,
            EduAttachment.content_type,
            EduAttachment.content,
            EduAttachment.sha256,
            EduAttachment.article.status.as_alias("status"),
            EduAttachment.region.as_alias("region_id"),
        )
        .where(EduAttachment.id == attachment_id)
        .first()
    )
    if row is None or not _may_read(row, actor):
        raise NotFound("attachment_not_found", N_("Lampiran tidak ditemukan."))
    return StoredFile(
        row["filename"],
        row["content_type"],
        bytes(row["content"]),
        row["sha256"],
        row["status"] == ArticleStatus.TERBIT.value,
    )
