"""Translations through gettext catalogs (Babel). Source strings are Bahasa Indonesia;
`frontend/locales/en/LC_MESSAGES/messages.po` holds the English. Lives in `backend` because
the API's error messages are translated too; `frontend.i18n` re-exports it for the pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from backend.cookies import cookie_value

LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"
LANGUAGE_COOKIE = "koroena_lang"
LOCALES_DIR = Path(__file__).resolve().parents[1] / "frontend" / "locales"

Translate = Callable[..., str]


@cache
def catalog(language: str) -> dict[str, str]:
    """msgid -> translation for `language`; empty for the source language."""
    po_file = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not po_file.exists():
        return {}
    with po_file.open("rb") as handle:
        parsed = read_po(handle, locale=language)
    return {
        str(message.id): str(message.string)
        for message in parsed
        if message.id and message.string and not message.fuzzy
    }


def translator(language: str) -> Translate:
    messages = catalog(language)

    def translate(msgid: str, **values: Any) -> str:
        text = messages.get(msgid, msgid)
        return text.format(**values) if values else text

    return translate


def normalize_language(value: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    if value in LANGUAGES:
        return value
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def language_from_headers(headers: Iterable[tuple[bytes, bytes]], default: str) -> str:
    """The language a person chose (cookie), else the server's default."""
    chosen = cookie_value(headers, LANGUAGE_COOKIE)
    if chosen is not None:
        return normalize_language(chosen, default)
    return normalize_language(default)
