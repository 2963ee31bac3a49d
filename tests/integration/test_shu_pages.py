"""The SHU pages on both engines: the pengurus' /shu (closed years, the preview with the
hand-worked figures, the allocation form, the member list and a member's explanation, the
posting form until posted), the Dinas officer's read-only view, the refusals, and the
member's /shu/saya before and after posting."""

from __future__ import annotations

import re
from html import unescape

import pytest

from backend.accounts.domain import Role
from backend.settings import Settings
from backend.shu import service as shu
from tests.integration.test_shu import POSTED_ON, YEAR, Books, _client_as, build_books
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"


@pytest.fixture
async def books(demo: Settings) -> Books:
    return await build_books(demo)


def _text(html: str) -> str:
    """The page's text, tags removed, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def test_the_pengurus_page(books: Books) -> None:
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        page = await client.get("/shu")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        html = page.text
        text = _text(html)
        assert "SHU dan paket RAT" in text and "Koperasi Wanita Srikandi" in text
        assert '<option value="2025" selected>2025 (belum dibagikan)</option>' in html
        assert "Pratinjau" in text
        for figure in ("Rp 1.000.003", "Rp 400.001", "Rp 400.002", "Rp 141.668", "Rp 83.334"):
            assert figure in text, figure
        assert 'id="allocation-form"' in html and 'id="post-form"' in html
        assert 'value="40"' in html and 'name="daerah_kerja_bp"' in html
        assert '<meta name="csrf-token"' in html and "/static/shu.js" in html
        assert "/api/v1/shu/2025/rat-pack?format=pdf" in html
        assert 'href="/shu?tahun=2025&amp;anggota=A-0003#rincian"' in html

        detail = _text((await client.get("/shu", params={"tahun": 2025, "anggota": "A-0003"})).text)
        assert "Rincian SHU" in detail and "(A-0003)" in detail
        assert "Rp 200.001 × Rp 200.000 ÷ Rp 800.000 = Rp 50.000,25" in detail
        assert "lalu ditambah Rp 1 dari sisa pembulatan" in detail

        later = _text((await client.get("/shu", params={"tahun": 2030})).text)
        assert "Tahun buku 2030 belum ditutup; yang ditampilkan tahun 2025." in later

        await shu.post(books.k, YEAR, POSTED_ON, today=POSTED_ON)
        posted = await client.get("/shu", params={"tahun": 2025, "pesan": "dibukukan"})
        html = posted.text
        assert "Pembagian SHU sudah dibukukan." in _text(html)
        assert "sudah dibukukan pada 10 Februari 2026" in _text(html)
        assert 'id="allocation-form"' not in html and 'id="post-form"' not in html
        assert "Rp 141.668" in html


async def test_the_dinas_reads_and_others_are_refused(books: Books) -> None:
    dinas = await person(books.settings, Role.DINAS, None, books.region)
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, dinas)
        first = _text((await client.get("/shu")).text)
        assert "Pilih koperasi yang SHU-nya ingin Anda lihat." in first
        page = await client.get("/shu", params={"koperasi": "kopwan-srikandi"})
        assert page.status_code == 200
        text = _text(page.text)
        assert "hanya baca" in text and "Rp 1.000.003" in text
        assert "koperasi=kopwan-srikandi" in page.text  # the pack of this koperasi
        # Read only: no forms, no member list.
        assert 'id="allocation-form"' not in page.text and 'id="post-form"' not in page.text
        assert "Rp 141.668" not in page.text and "shu.js" not in page.text
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.KASIR))
        refused = await client.get("/shu")
        assert refused.status_code == 403 and "Rp 1.000.003" not in refused.text
        assert (await client.get("/shu/saya")).status_code == 403
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.ANGGOTA, "A-0001"))
        sent = await client.get("/shu")
        assert sent.status_code == 303 and sent.headers["location"] == "/shu/saya"


async def test_the_members_page(books: Books) -> None:
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.ANGGOTA, "A-0003"))
        before = _text((await client.get("/shu/saya")).text)
        assert "Belum ada SHU yang dibagikan kepada Anda." in before
        assert "Rp 83.334" not in before  # the preview is not shown to members
        await shu.post(books.k, YEAR, POSTED_ON, today=POSTED_ON)
        page = await client.get("/shu/saya")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        text = _text(page.text)
        assert "SHU tahun 2025" in text and "Rp 83.334" in text
        assert "Cara menghitungnya" in text
        assert "Transaksi Anda Rp 500.000 dari seluruhnya Rp 3.000.000" in text
        assert "Dibukukan pada 10 Februari 2026 sebagai dana SHU bagian anggota" in text
        assert "Rp 141.668" not in text  # another member's share
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        sent = await client.get("/shu/saya")
        assert sent.status_code == 303 and sent.headers["location"] == "/shu"
