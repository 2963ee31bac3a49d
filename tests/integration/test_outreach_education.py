"""Education material on both engines: a Dinas officer writes an article, attaches PDFs
(checked by their own bytes and size), publishes it (the region hears of it once), takes
it back; the public reads what is published by topic, page by page, with the text
escaped; drafts stay with their region's officers; the PDFs and the header that lets the
service worker keep them for offline reading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.errors import AppError, Forbidden, NotFound
from backend.outreach import education
from backend.outreach.domain import ArticleDraft, EduTopic, ExternalLink
from backend.outreach.notify import education_topic
from backend.outreach.tables import EduArticle, EduAttachment
from backend.settings import Settings
from backend.supervision.demo import sample_pdf
from tests.integration.test_outreach_news import (
    aclose_client,
    last_notification_id,
    notification,
    outreach_world,
    pushed_since,
    session_client,
)

BODY = (
    "## Mengapa SAK EP\n\n"
    "Mulai tahun buku 2025 **KSP** wajib memakai SAK EP.\n\n"
    "- neraca\n- laporan hasil usaha\n\n"
    "<script>alert('x')</script> [jahat](javascript:alert(1))"
)


def article(title: str = "Pembukuan SAK EP", topic: EduTopic = EduTopic.KEUANGAN) -> ArticleDraft:
    return ArticleDraft(
        title=title,
        topic=topic,
        summary="Dasar-dasar SAK EP untuk koperasi simpan pinjam.",
        body=BODY,
        links=(ExternalLink("IAI", "https://iaiglobal.or.id/"),),
    )


async def test_write_attach_publish_and_read(demo: Settings) -> None:
    world = await outreach_world()
    officer = world["dinas_a"].actor
    made = await education.create_article(officer, article())
    assert (made.slug, made.status) == ("pembukuan-sak-ep", "draf")
    pdf = sample_pdf("Materi SAK EP", ["Halaman contoh"])
    attached = await education.add_attachment(officer, made.id, "Materi SAK EP.pdf", pdf)
    assert attached.filename == "Materi SAK EP.pdf"
    assert attached.url == f"/edukasi/berkas/{attached.id}/Materi SAK EP.pdf"

    # A draft: not for the public, not for anyone outside the region's officers.
    with pytest.raises(NotFound):
        await education.article_by_slug(made.slug, None)
    with pytest.raises(NotFound):
        await education.article_by_slug(made.slug, world["dinas_b"].actor)
    with pytest.raises(NotFound):
        await education.attachment_file(attached.id, world["anggota_k1"].actor)
    assert (await education.article_by_slug(made.slug, officer)).status == "draf"

    marker = await last_notification_id()
    published = await education.publish_article(officer, made.id)
    assert published.status == "terbit"
    [(notification_id, people)] = await pushed_since(marker)
    assert people == world.ids(
        "dinas_a",
        "pengurus_k1",
        "kasir_k1",
        "anggota_k1",
        "anggota_k1b",
        "pengurus_k2",
        "anggota_k2",
    )
    sent = await notification(notification_id)
    assert sent["topic"] == education_topic().value
    assert sent["title"] == "Materi edukasi baru: Pembukuan SAK EP"
    assert sent["url"] == "/edukasi/pembukuan-sak-ep"

    read = await education.article_by_slug(made.slug, None)
    assert "<h2>Mengapa SAK EP</h2>" in read.body_html
    assert "<strong>KSP</strong>" in read.body_html
    assert "&lt;script&gt;" in read.body_html and "<script" not in read.body_html
    assert 'href="javascript' not in read.body_html
    assert [link.url for link in read.links] == ["https://iaiglobal.or.id/"]
    stored = await education.attachment_file(attached.id, None)
    assert stored.content == pdf and stored.published

    # Taken back and published again: not announced twice.
    await education.unpublish_article(officer, made.id)
    with pytest.raises(NotFound):
        await education.article_by_slug(made.slug, None)
    await education.publish_article(officer, made.id)
    assert len(await pushed_since(marker)) == 1


async def test_pdfs_are_checked_by_their_bytes(demo: Settings) -> None:
    world = await outreach_world()
    officer = world["dinas_a"].actor
    made = await education.create_article(officer, article())
    for name, content, code in [
        ("kosong.pdf", b"", "file_empty"),
        ("palsu.pdf", b"<html>bukan pdf</html>", "file_type_not_allowed"),
        ("gambar.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "file_type_not_allowed"),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "file_too_large"),
    ]:
        with pytest.raises(AppError) as refused:
            await education.add_attachment(officer, made.id, name, content)
        assert refused.value.code == code
    assert await EduAttachment.count() == 0
    with pytest.raises(NotFound):  # another region's officer
        await education.add_attachment(world["dinas_b"].actor, made.id, "a.pdf", b"%PDF-1.4")
    with pytest.raises(Forbidden):
        await education.add_attachment(world["pengurus_k1"].actor, made.id, "a.pdf", b"%PDF-1.4")


async def test_only_the_regions_officers_write(demo: Settings) -> None:
    world = await outreach_world()
    made = await education.create_article(world["dinas_a"].actor, article())
    for name in ("pengurus_k1", "anggota_k1", "kasir_k1"):
        with pytest.raises(Forbidden):
            await education.create_article(world[name].actor, article())
    other = world["dinas_b"].actor
    with pytest.raises(NotFound):
        await education.update_article(other, made.id, article("Diubah"))
    with pytest.raises(NotFound):
        await education.publish_article(other, made.id)
    with pytest.raises(NotFound):
        await education.delete_article(other, made.id)
    assert [c.id for c in await education.region_articles(other)] == []
    # Two articles of the same title get their own addresses; a published one is not
    # deleted before it is taken back.
    second = await education.create_article(other, article())
    assert second.slug == "pembukuan-sak-ep-2"
    await education.publish_article(world["dinas_a"].actor, made.id)
    with pytest.raises(AppError) as published:
        await education.delete_article(world["dinas_a"].actor, made.id)
    assert published.value.code == "article_published"
    empty = await education.create_article(
        world["dinas_a"].actor, ArticleDraft("Kosong", EduTopic.DASAR)
    )
    with pytest.raises(AppError) as nothing:
        await education.publish_article(world["dinas_a"].actor, empty.id)
    assert nothing.value.code == "article_empty"
    await education.delete_article(world["dinas_a"].actor, empty.id)
    assert not await EduArticle.exists().where(EduArticle.id == empty.id)


async def test_topics_and_pages_newest_first(demo: Settings) -> None:
    world = await outreach_world()
    officer = world["dinas_a"].actor
    start = datetime(2026, 2, 1, tzinfo=UTC)
    ids = []
    for i in range(5):
        topic = EduTopic.KEUANGAN if i % 2 == 0 else EduTopic.USAHA
        made = await education.create_article(officer, article(f"Materi {i}", topic))
        await education.publish_article(officer, made.id, now=start + timedelta(days=i // 2))
        ids.append(made.id)
    page = await education.published(None, None, limit=2)
    seen = [c.id for c in page.items]
    while page.next_before:
        page = await education.published(None, page.next_before, limit=2)
        seen += [c.id for c in page.items]
    assert seen == [ids[4], ids[3], ids[2], ids[1], ids[0]]
    keuangan = await education.published(EduTopic.KEUANGAN)
    assert [c.title for c in keuangan.items] == ["Materi 4", "Materi 2", "Materi 0"]
    assert (await education.published(EduTopic.REGULASI)).items == []


async def test_the_education_pages(demo: Settings) -> None:
    world = await outreach_world()
    officer = world["dinas_a"].actor
    made = await education.create_article(officer, article())
    pdf = sample_pdf("Materi SAK EP", ["Halaman contoh"])
    attached = await education.add_attachment(officer, made.id, "materi sak ep.pdf", pdf)
    draft = await education.create_article(officer, article("Masih draf"))

    client, manager = await session_client(demo, None)
    try:
        assert (await client.get("/edukasi/pembukuan-sak-ep")).status_code == 404
        await education.publish_article(officer, made.id)
        listing = await client.get("/edukasi", params={"topik": "keuangan"})
        assert listing.status_code == 200
        assert "Pembukuan SAK EP" in listing.text and "Masih draf" not in listing.text
        page = await client.get("/edukasi/pembukuan-sak-ep")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-cache"
        assert page.headers["x-koroena-offline"] == attached.url.replace(" ", "%20")
        assert "&lt;script&gt;" in page.text and "<strong>KSP</strong>" in page.text
        file = await client.get(attached.url)
        assert file.status_code == 200 and file.content == pdf
        assert file.headers["content-type"] == "application/pdf"
        assert file.headers["content-disposition"].startswith("inline;")
        assert "immutable" in file.headers["cache-control"]
        assert (await client.get(f"/edukasi/{draft.slug}")).status_code == 404
        api = await client.get("/api/v1/education/published", params={"topic": "keuangan"})
        assert [c["slug"] for c in api.json()["items"]] == ["pembukuan-sak-ep"]
        assert (await client.get("/pengawasan/edukasi")).status_code == 303
    finally:
        await aclose_client(manager)

    client, manager = await session_client(demo, world["dinas_a"])
    try:
        preview = await client.get(f"/edukasi/{draft.slug}")
        assert preview.status_code == 200 and "Draf" in preview.text
        assert preview.headers["cache-control"] == "no-store"
        desk = await client.get("/pengawasan/edukasi", params={"ubah": made.id})
        assert desk.status_code == 200 and 'id="attachment-form"' in desk.text
        upload = await client.post(
            f"/api/v1/education/articles/{draft.id}/attachments",
            files={"file": ("palsu.pdf", b"GIF89a bukan pdf", "application/pdf")},
        )
        assert upload.status_code == 415
        assert upload.json()["error"]["code"] == "file_type_not_allowed"
        big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 200_000)
        too_big = await client.post(
            f"/api/v1/education/articles/{draft.id}/attachments",
            files={"file": ("besar.pdf", big, "application/pdf")},
        )
        assert too_big.status_code == 413
        assert too_big.json()["error"]["code"] == "file_too_large"
        ok = await client.post(
            f"/api/v1/education/articles/{draft.id}/attachments",
            files={"file": ("baik.pdf", pdf, "application/pdf")},
        )
        assert ok.status_code == 201, ok.text
        changed = await client.put(
            f"/api/v1/education/articles/{draft.id}",
            json={
                "title": "Masih draf",
                "topic": "dasar",
                "links": [{"title": "x", "url": "http://tidak-aman.example"}],
            },
        )
        assert changed.status_code == 422
        assert changed.json()["error"]["details"][0]["field"] == "links.0.url"
    finally:
        await aclose_client(manager)

    client, manager = await session_client(demo, world["pengurus_k1"])
    try:
        assert (await client.get("/pengawasan/edukasi")).status_code == 403
        assert (await client.get(f"/edukasi/{draft.slug}")).status_code == 404
    finally:
        await aclose_client(manager)
