"""Uploaded documents, pure: what a file is (by its first bytes, never by its name or the
type the browser sends), whether it may be stored, a safe file name, and the headers it is
served back with."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from backend.supervision.domain import Refused
from backend.texts import N_

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
FILENAME_MAX = 150

# content type -> file extension
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}


def sniff(content: bytes) -> str | None:
    """The content type the bytes themselves declare, if it is one we accept."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def size_text(size: int) -> str:
    """Bytes for people: `5 MB`, `750 KB` (1 MB = 1,048,576 bytes)."""
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        return f"{megabytes:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return f"{size} B"


_UNSAFE = re.compile(r"[^\w.()\- ]+")


def safe_filename(name: str, content_type: str) -> str:
    """A file name to store and send back: no folders, no control or quote characters, at
    most 150 characters, ending with the extension of what the file really is."""
    base = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" ._")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    wanted = ALLOWED_TYPES[content_type]
    if EXTENSIONS.get(extension.lower()) != wanted:
        stem = base  # a wrong or missing extension stays part of the name
    stem = (stem or "dokumen")[: FILENAME_MAX - len(wanted) - 1].rstrip(" ._") or "dokumen"
    return f"{stem}.{wanted}"


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    size: int
    sha256: str


def check_upload(filename: str, content: bytes, max_bytes: int) -> CheckedUpload:
    """Accept a PDF, PNG, JPEG or WebP file of at most `max_bytes`, or refuse with
    `file_empty`, `file_too_large` (413) or `file_type_not_allowed` (415)."""
    if not content:
        raise Refused("file_empty", N_("Berkas kosong. Pilih berkas PDF atau gambar."))
    if len(content) > max_bytes:
        raise Refused(
            "file_too_large",
            N_("Berkas terlalu besar: paling besar {size}."),
            status=413,
            size=size_text(max_bytes),
        )
    content_type = sniff(content)
    if content_type is None:
        raise Refused(
            "file_type_not_allowed",
            N_("Jenis berkas tidak diterima. Unggah PDF, PNG, JPEG atau WebP."),
            status=415,
        )
    return CheckedUpload(
        filename=safe_filename(filename, content_type),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987)."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._()\- ]+", "_", fallback) or "dokumen"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
