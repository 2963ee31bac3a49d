"""Uploaded documents, pure: the type comes from the file's first bytes (a PNG named .pdf is
a PNG; a text file named .pdf is refused), the size limit, safe file names and the
Content-Disposition header."""

from __future__ import annotations

import hashlib

import pytest

from backend.settings import Settings, SettingsError
from backend.supervision.demo import sample_pdf, sample_png
from backend.supervision.documents import (
    check_upload,
    content_disposition,
    safe_filename,
    size_text,
    sniff,
)
from backend.supervision.domain import Refused

PDF = sample_pdf("Akta Pendirian", ["Koperasi Uji"])
PNG = sample_png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 32


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")],
)
def test_sniffed_types(content: bytes, kind: str) -> None:
    assert sniff(content) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"Ini bukan PDF, hanya teks dengan nama .pdf",
        b"<html><script>alert(1)</script></html>",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04 a zip or docx",
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # RIFF, but audio
        b"%PD",  # too short to be a PDF
        b" %PDF-1.7",  # the signature must be at the very start
        b"\x89PNG\r\n",  # a cut-off signature
    ],
)
def test_other_files_are_refused_whatever_their_name(content: bytes) -> None:
    assert sniff(content) is None
    with pytest.raises(Refused) as refused:
        check_upload("akta.pdf", content, 5 * 1024 * 1024)
    assert refused.value.code == "file_type_not_allowed" and refused.value.status == 415


def test_size_limit() -> None:
    limit = 2048
    assert check_upload("a.pdf", PDF[:limit] if len(PDF) > limit else PDF, limit)
    big = b"%PDF-1.7\n" + b"0" * limit
    with pytest.raises(Refused) as refused:
        check_upload("besar.pdf", big, limit)
    assert refused.value.code == "file_too_large" and refused.value.status == 413
    assert refused.value.params == {"size": "2 KB"}
    exact = b"%PDF-1.7\n" + b"0" * (limit - 9)
    assert check_upload("pas.pdf", exact, limit).size == limit
    with pytest.raises(Refused) as empty:
        check_upload("kosong.pdf", b"", limit)
    assert empty.value.code == "file_empty"


def test_a_checked_upload() -> None:
    checked = check_upload("C:\\Dokumen\\Akta Pendirian.PDF", PDF, 5 * 1024 * 1024)
    assert checked.content_type == "application/pdf"
    assert checked.filename == "Akta Pendirian.pdf"
    assert checked.size == len(PDF)
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    disguised = check_upload("akta.pdf", PNG, 5 * 1024 * 1024)  # a photo named .pdf
    assert disguised.content_type == "image/png" and disguised.filename == "akta.pdf.png"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ('a"b<c>.pdf', "application/pdf", "a_b_c.pdf"),
        ("foto.JPEG", "image/jpeg", "foto.jpg"),
        ("scan", "image/webp", "scan.webp"),
        ("", "image/png", "dokumen.png"),
        ("...", "application/pdf", "dokumen.pdf"),
        ("Surat Keputusan Koperasi №5.pdf", "application/pdf", "Surat Keputusan Koperasi _5.pdf"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 146 + ".pdf"),
    ],
)
def test_safe_filenames(name: str, kind: str, expected: str) -> None:
    assert safe_filename(name, kind) == expected


def test_content_disposition() -> None:
    assert content_disposition("akta.pdf") == (
        "attachment; filename=\"akta.pdf\"; filename*=UTF-8''akta.pdf"
    )
    header = content_disposition("Akta Koperasi Ñusantara.pdf")
    assert header.startswith('attachment; filename="Akta Koperasi Nusantara.pdf"')
    assert "filename*=UTF-8''Akta%20Koperasi%20%C3%91usantara.pdf" in header


def test_size_text() -> None:
    assert size_text(5 * 1024 * 1024) == "5 MB"
    assert size_text(int(2.5 * 1024 * 1024)) == "2,5 MB"
    assert size_text(1536) == "2 KB"
    assert size_text(100) == "100 B"


def test_the_limit_is_a_setting() -> None:
    assert Settings().max_document_bytes == 5 * 1024 * 1024
    env = {"KOROENA_MAX_DOCUMENT_BYTES": "1048576"}
    assert Settings.from_env(env).max_document_bytes == 1024 * 1024
    for bad in ("100", "lima", "-1"):
        with pytest.raises(SettingsError, match="KOROENA_MAX_DOCUMENT_BYTES"):
            Settings.from_env({"KOROENA_MAX_DOCUMENT_BYTES": bad})
