"""The English catalog covers every string the code asks `_` to translate.

Source strings are Bahasa Indonesia; `frontend/locales/en/LC_MESSAGES/messages.po` holds
the English. Besides what `pybabel extract` finds (see `babel.cfg`), the UI translates some
data values at run time: koperasi kind labels, product categories and service error
messages. Those are checked here too, because the extractor cannot see them.
"""

from __future__ import annotations

import ast
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from backend.demo.data import PRODUCTS
from backend.tenancy.domain import KIND_LABELS
from frontend.i18n import DEFAULT_LANGUAGE, language_from_headers, translator

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("backend", "frontend")
PO_FILE = ROOT / "frontend" / "locales" / "en" / "LC_MESSAGES" / "messages.po"
# `pybabel extract -F babel.cfg -k _ -k N_ ...`: the default keywords plus `_` and `N_`.
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["_", "N_"])}
# Errors the service layer raises; their message reaches the UI as `_(loaded.error.message)`.


@cache
def english() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="en")


@cache
def extracted() -> dict[str, list[str]]:
    """msgid -> where it is used, exactly as `pybabel extract` with babel.cfg finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    found: dict[str, list[str]] = {}
    for directory in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / directory, method_map, options_map, keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, []).append(f"{directory}/{filename}:{lineno}")
    return found


def _source_files() -> list[Path]:
    return sorted(path for d in SOURCE_DIRS for path in (ROOT / d).rglob("*.py"))


def _literal_calls(names: set[str], argument: int, files: list[Path]) -> dict[str, list[str]]:
    """String literals passed as `argument` to calls of `names`, anywhere in `files`.

    Unlike Babel on Python < 3.12, `ast` also sees calls inside f-strings."""
    found: dict[str, list[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in names
                and len(node.args) > argument
                and isinstance(node.args[argument], ast.Constant)
                and isinstance(node.args[argument].value, str)
            ):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(node.args[argument].value, []).append(where)
    return found


def _untranslated(msgids: dict[str, list[str]]) -> list[str]:
    catalog = english()
    missing = []
    for msgid, where in sorted(msgids.items()):
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            state = "missing" if message is None else "fuzzy" if message.fuzzy else "empty"
            missing.append(f"{msgid!r} ({state}; {', '.join(where)})")
    return missing


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# (a) everything the extractor finds


def test_extraction_finds_the_ui_strings() -> None:
    assert "Beranda" in extracted()
    assert "Koperasi di {region}" in extracted()


def test_every_extracted_message_has_an_english_translation() -> None:
    missing = _untranslated(extracted())
    assert not missing, "Translate in messages.po:\n" + "\n".join(missing)


def test_translate_calls_inside_f_strings_have_an_english_translation() -> None:
    """Babel's extractor skips `_()` inside f-strings on Python < 3.12; `ast` does not."""
    missing = _untranslated(_literal_calls({"_"}, 0, _source_files()))
    assert not missing, "Translate in messages.po:\n" + "\n".join(missing)


# (b) data values translated at run time


def test_every_koperasi_kind_has_an_english_translation() -> None:
    missing = _untranslated(
        {label: [f"KIND_LABELS[{kind.value!r}]"] for kind, label in KIND_LABELS.items()}
    )
    assert not missing, "Translate in messages.po:\n" + "\n".join(missing)


def test_every_product_category_has_an_english_translation() -> None:
    categories = {product[2]: ["backend/demo/data.py PRODUCTS"] for product in PRODUCTS}
    assert "Sembako" in categories
    missing = _untranslated(categories)
    assert not missing, "Translate in messages.po:\n" + "\n".join(missing)


def test_service_error_messages_are_marked_for_translation() -> None:
    # Services raise NotFound("code", N_("message")): the extractor must see the message.
    found = extracted()
    for message in ("Koperasi tidak ditemukan.", "Wilayah tidak ditemukan.", "NIK harus 16 digit."):
        assert message in found


# (c) the catalog itself


def test_catalog_header() -> None:
    catalog = english()
    assert str(catalog.locale) == "en"
    assert catalog.charset.lower() == "utf-8"


def test_placeholders_are_kept_in_every_translation() -> None:
    wrong = [
        f"{message.id!r}: {sorted(_placeholders(message.id))} in msgid, "
        f"{sorted(_placeholders(message.string))} in msgstr"
        for message in english()
        if message.id
        and message.string
        and _placeholders(message.id) != _placeholders(message.string)
    ]
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


def test_catalog_has_no_fuzzy_or_empty_translations() -> None:
    bad = [m.id for m in english() if m.id and (not m.string or m.fuzzy)]
    assert not bad


# (d) translator


def test_english_translator_translates() -> None:
    _ = translator("en")
    assert _("Beranda") == "Home"
    assert _("Koperasi di {region}", region="Kota Mojokerto") == "Cooperatives in Kota Mojokerto"
    assert _("Koperasi Simpan Pinjam") == "Savings and Loan Cooperative"


def test_source_language_translator_returns_the_source_text() -> None:
    _ = translator("id")
    assert _("Beranda") == "Beranda"
    assert _("Koperasi di {region}", region="Kota Mojokerto") == "Koperasi di Kota Mojokerto"


def test_unknown_message_falls_back_to_the_source_text() -> None:
    assert translator("en")("Teks yang belum ada di katalog") == "Teks yang belum ada di katalog"


# (e) language from the cookie


def test_language_cookie_is_used() -> None:
    assert language_from_headers([(b"cookie", b"koroena_lang=en")], "id") == "en"
    assert language_from_headers([(b"Cookie", b"koroena_lang=id")], "en") == "id"


def test_language_cookie_among_other_cookies() -> None:
    headers = [(b"accept", b"text/html"), (b"cookie", b"session=abc123; koroena_lang=en")]
    assert language_from_headers(headers, "id") == "en"


@pytest.mark.parametrize("value", [b"koroena_lang=fr", b"koroena_lang=", b"koroena_lang=EN"])
def test_unknown_language_falls_back_to_the_server_default(value: bytes) -> None:
    assert language_from_headers([(b"cookie", value)], "id") == "id"
    assert language_from_headers([(b"cookie", value)], "en") == "en"


@pytest.mark.parametrize("value", [b"koroena_lang", b";;==;", b"\xff\xfe\x00"])
def test_malformed_cookie_falls_back_to_the_default(value: bytes) -> None:
    assert language_from_headers([(b"cookie", value)], "id") == "id"
    assert language_from_headers([(b"cookie", value)], "en") == "en"


def test_a_malformed_neighbour_cookie_does_not_hide_ours() -> None:
    headers = [(b"cookie", b'a b=c; koroena_lang=en; x="broken')]
    assert language_from_headers(headers, "id") == "en"


def test_malformed_cookie_header_does_not_hide_a_later_one() -> None:
    headers = [(b"cookie", b"koroena_lang"), (b"cookie", b"koroena_lang=en")]
    assert language_from_headers(headers, "id") == "en"


@pytest.mark.parametrize("default", ["id", "en"])
def test_no_cookie_uses_the_server_default(default: str) -> None:
    assert language_from_headers([], default) == default
    assert language_from_headers([(b"accept-language", b"fr-FR,en;q=0.9")], default) == default


def test_unsupported_server_default_falls_back_to_indonesian() -> None:
    assert language_from_headers([], "fr") == DEFAULT_LANGUAGE
