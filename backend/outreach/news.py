"""News use cases: the Dinas posts to its region (optionally also on the public page),
pengurus post to their koperasi's people; everyone signed in reads their feed, newest
first, a page at a time. Publishing tells the audience (push, topic `berita`) in the same
transaction. See `domain.news_visible` for who reads what; the queries here are its SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from backend.accounts.domain import Actor, Role
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, NotFound
from backend.outreach import notify
from backend.outreach.domain import NewsDraft, NewsScope, check_news, news_author_scope
from backend.outreach.education import cursor_of, parse_cursor
from backend.outreach.markup import render
from backend.outreach.tables import NewsPost
from backend.tenancy.tables import Koperasi, Region
from backend.texts import N_

FEED_MAX = 50
MANAGED_MAX = 100


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class NewsItem:
    id: int
    scope: str
    scope_label: str
    title: str
    body: str
    body_html: str
    public: bool
    author_org: str
    author_name: str
    published_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class NewsPage:
    items: list[NewsItem]
    next_before: str | None


_COLUMNS = (
    NewsPost.id,
    NewsPost.scope,
    NewsPost.title,
    NewsPost.body,
    NewsPost.public,
    NewsPost.published_at,
    NewsPost.updated_at,
    NewsPost.region.dinas_name.as_alias("dinas_name"),
    NewsPost.koperasi.name.as_alias("koperasi_name"),
    NewsPost.author.display_name.as_alias("author_name"),
)


def _item(row: dict[str, Any]) -> NewsItem:
    scope = NewsScope(row["scope"])
    org = row["koperasi_name"] if scope is NewsScope.KOPERASI else row["dinas_name"]
    return NewsItem(
        id=int(row["id"]),
        scope=scope.value,
        scope_label=scope.label,
        title=row["title"],
        body=row["body"] or "",
        body_html=render(row["body"] or ""),
        public=bool(row["public"]),
        author_org=org or "",
        author_name=row["author_name"] or "",
        published_at=row["published_at"],
        updated_at=row["updated_at"],
    )


def _readable(actor: Actor | None) -> Any:
    """The posts `actor` reads (None: the public), as a WHERE clause."""
    published = NewsPost.published_at.is_not_null()
    region_post = NewsPost.scope == NewsScope.WILAYAH.value
    if actor is None:
        return published & region_post & (NewsPost.public == True)  # noqa: E712
    own_region = region_post & (NewsPost.region == actor.region_id)
    if actor.role is Role.DINAS or actor.koperasi_id is None:
        return published & own_region
    own_koperasi = (NewsPost.scope == NewsScope.KOPERASI.value) & (
        NewsPost.koperasi == actor.koperasi_id
    )
    return published & (own_region | own_koperasi)


async def feed(actor: Actor | None, before: str | None = None, limit: int = 20) -> NewsPage:
    """Newest first; `before` is the `next_before` of the page above."""
    limit = max(1, min(limit, FEED_MAX))
    where = _readable(actor)
    after = parse_cursor(before)
    if after is not None:
        moment, ident = after
        where &= (NewsPost.published_at < moment) | (
            (NewsPost.published_at == moment) & (NewsPost.id < ident)
        )
    rows = (
        await NewsPost.select(*_COLUMNS)
        .where(where)
        .order_by(NewsPost.published_at, NewsPost.id, ascending=False)
        .limit(limit + 1)
    )
    items = [_item(r) for r in rows[:limit]]
    last = items[-1] if len(rows) > limit and items else None
    next_before = cursor_of(last.published_at, last.id) if last and last.published_at else None
    return NewsPage(items, next_before)


def _own(actor: Actor) -> Any:
    """The posts `actor` writes and manages: the Dinas its region's, pengurus their
    koperasi's (any of its pengurus, not only the author)."""
    scope = news_author_scope(actor.role)
    if scope is NewsScope.WILAYAH:
        return (NewsPost.scope == scope.value) & (NewsPost.region == actor.region_id)
    return (NewsPost.scope == scope.value) & (NewsPost.koperasi == actor.koperasi_id)


async def managed(actor: Actor) -> list[NewsItem]:
    """Drafts first, then published posts, newest first."""
    rows = (
        await NewsPost.select(*_COLUMNS)
        .where(_own(actor))
        .order_by(NewsPost.id, ascending=False)
        .limit(MANAGED_MAX)
    )
    items = [_item(r) for r in rows]
    return sorted(items, key=lambda i: i.published_at is not None)


async def _managed_row(actor: Actor, post_id: int) -> dict[str, Any]:
    if not is_sqlite():
        await NewsPost.raw("SELECT id FROM news_post WHERE id = {} FOR UPDATE", post_id)
    row: dict[str, Any] | None = (
        await NewsPost.select(*_COLUMNS, NewsPost.region.as_alias("region_id"))
        .where(_own(actor) & (NewsPost.id == post_id))
        .first()
    )
    if row is None:
        raise NotFound("news_not_found", N_("Berita tidak ditemukan."))
    return row


async def _author_org(actor: Actor) -> str:
    if actor.koperasi_id is not None and actor.role is not Role.DINAS:
        row = await Koperasi.select(Koperasi.name).where(Koperasi.id == actor.koperasi_id).first()
    else:
        row = (
            await Region.select(Region.dinas_name.as_alias("name"))
            .where(Region.id == actor.region_id)
            .first()
        )
    return str((row or {}).get("name") or "")


async def _announce(actor: Actor, post_id: int, title: str, body: str) -> None:
    koperasi_id = actor.koperasi_id if actor.role is Role.PENGURUS else None
    await notify.news_published(
        post_id,
        actor.region_id,
        koperasi_id,
        title,
        body,
        await _author_org(actor),
        actor.user_id,
    )


async def _one(actor: Actor, post_id: int) -> NewsItem:
    row = await NewsPost.select(*_COLUMNS).where(_own(actor) & (NewsPost.id == post_id)).first()
    if row is None:
        raise NotFound("news_not_found", N_("Berita tidak ditemukan."))
    return _item(row)


async def create(
    actor: Actor, draft: NewsDraft, *, publish: bool, now: datetime | None = None
) -> NewsItem:
    """A new post of the actor's scope, as a draft or published at once (then announced)."""
    scope = news_author_scope(actor.role)
    checked = check_news(draft, scope)
    now = now or now_utc()
    async with write_transaction():
        made = await NewsPost.insert(
            NewsPost(
                scope=scope.value,
                region=actor.region_id,
                koperasi=actor.koperasi_id if scope is NewsScope.KOPERASI else None,
                title=checked.title,
                body=checked.body,
                public=checked.public,
                author=actor.user_id,
                created_at=now,
                updated_at=now,
                published_at=now if publish else None,
            )
        ).returning(NewsPost.id)
        post_id = int(made[0]["id"])
        if publish:
            await _announce(actor, post_id, checked.title, checked.body)
    return await _one(actor, post_id)


async def update(
    actor: Actor, post_id: int, draft: NewsDraft, now: datetime | None = None
) -> NewsItem:
    """Correct a post (a published one is not announced again)."""
    scope = news_author_scope(actor.role)
    checked = check_news(draft, scope)
    now = now or now_utc()
    async with write_transaction():
        await _managed_row(actor, post_id)
        await NewsPost.update(
            {
                NewsPost.title: checked.title,
                NewsPost.body: checked.body,
                NewsPost.public: checked.public,
                NewsPost.updated_at: now,
            }
        ).where(NewsPost.id == post_id)
    return await _one(actor, post_id)


async def publish(actor: Actor, post_id: int, now: datetime | None = None) -> NewsItem:
    news_author_scope(actor.role)
    now = now or now_utc()
    async with write_transaction():
        row = await _managed_row(actor, post_id)
        if row["published_at"] is not None:
            raise Conflict("news_published", N_("Berita ini sudah terbit."))
        await NewsPost.update({NewsPost.published_at: now, NewsPost.updated_at: now}).where(
            NewsPost.id == post_id
        )
        await _announce(actor, post_id, row["title"], row["body"] or "")
    return await _one(actor, post_id)


async def delete(actor: Actor, post_id: int) -> None:
    """Remove a post (draft or published) of the actor's scope."""
    news_author_scope(actor.role)
    async with write_transaction():
        await _managed_row(actor, post_id)
        await NewsPost.delete().where(NewsPost.id == post_id)
