"""The UI's view of `backend.i18n` (catalogs, the language cookie, translate functions)."""

from backend.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_COOKIE,
    LANGUAGES,
    LOCALES_DIR,
    Translate,
    catalog,
    language_from_headers,
    normalize_language,
    translator,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LOCALES_DIR",
    "Translate",
    "catalog",
    "language_from_headers",
    "normalize_language",
    "translator",
]
