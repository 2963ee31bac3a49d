"""The safe Markdown subset of articles, news and training descriptions: what it renders,
and that nothing an author types becomes markup, script or an attribute."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.outreach.markup import inline, plain, render, safe_https_url

ALLOWED_TAGS = {"p", "br", "h2", "h3", "ul", "ol", "li", "strong", "em", "code", "a"}


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def tags_of(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_safe(html: str) -> None:
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        if tag == "a":
            values = dict(attrs)
            assert set(values) == {"href", "rel", "class"}, attrs
            assert (values["href"] or "").startswith("https://"), attrs
        else:
            assert attrs == [], (tag, attrs)


def test_paragraphs_headings_lists_and_inline() -> None:
    text = (
        "# Judul besar\n\n"
        "Paragraf **penting** dan *miring*, _juga miring_, `kode`.\n"
        "Baris kedua.\n\n"
        "### Langkah\n"
        "1. pertama\n"
        "2. kedua\n"
        "- butir\n"
        "  lanjutan butir\n\n"
        "Lihat [situs kementerian](https://kemenkopukm.go.id/a?b=1&c=2)."
    )
    assert render(text) == (
        "<h2>Judul besar</h2>"
        "<p>Paragraf <strong>penting</strong> dan <em>miring</em>, <em>juga miring</em>, "
        "<code>kode</code>.<br>Baris kedua.</p>"
        "<h3>Langkah</h3>"
        "<ol><li>pertama</li><li>kedua</li></ol>"
        "<ul><li>butir<br>lanjutan butir</li></ul>"
        '<p>Lihat <a href="https://kemenkopukm.go.id/a?b=1&amp;c=2" '
        'rel="noopener noreferrer nofollow" class="external">situs kementerian</a>.</p>'
    )


def test_words_with_underscores_and_arithmetic_are_not_emphasis() -> None:
    assert inline("nama_file_ini dan 2 * 3 * 4") == "nama_file_ini dan 2 * 3 * 4"


@pytest.mark.parametrize(
    ("attack", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        (
            "**<b onmouseover=x>tebal</b>**",
            "<strong>&lt;b onmouseover=x&gt;tebal&lt;/b&gt;</strong>",
        ),
        ("[klik](javascript:alert(1))", "[klik](javascript:alert(1))"),
        ("[klik](javascript:alert`1`)", "[klik](javascript:alert`1`)"),
        (
            "[klik](data:text/html;base64,PHNjcmlwdD4=)",
            "[klik](data:text/html;base64,PHNjcmlwdD4=)",
        ),
        ("[klik](http://contoh.id)", "[klik](http://contoh.id)"),
        ("[klik](//evil.example/x)", "[klik](//evil.example/x)"),
        ('[klik](https://a.id/"onclick="x)', "[klik](https://a.id/&quot;onclick=&quot;x)"),
        ("[klik](https://user:pw@a.id/)", "[klik](https://user:pw@a.id/)"),
        ("[<i>x</i>](https://a.id/)", None),
        ("`<script>`", "<code>&lt;script&gt;</code>"),
        ("&lt;already escaped&gt;", "&amp;lt;already escaped&amp;gt;"),
    ],
)
def test_attempts_at_markup_are_rendered_as_text(attack: str, shown: str | None) -> None:
    html = render(attack)
    assert_safe(html)
    if shown is not None:
        assert html == f"<p>{shown}</p>"
    assert "<script" not in html and "<img" not in html


def test_a_link_label_is_escaped_and_holds_no_link() -> None:
    html = render("[<i>x</i> [y](https://b.id)](https://a.id/)")
    assert_safe(html)
    assert html.count("<a ") <= 1
    assert "<i>" not in html


@pytest.mark.parametrize(
    "url",
    [
        "https://kemenkopukm.go.id",
        "https://contoh.id:8443/jalur?q=1#bagian",
    ],
)
def test_https_addresses_are_accepted(url: str) -> None:
    assert safe_https_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://contoh.id",
        "javascript:alert(1)",
        "https://",
        "https://a.id/ b",
        "https://a.id/<x>",
        "https://a.id:99999/",
        "https://user@a.id/",
        "https://a.id/\\x",
        "HTTPS://a.id/" + "x" * 600,
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    assert safe_https_url(url) is None


def test_plain_text_for_notifications() -> None:
    text = "## Rapat\n\n**Penting**: baca [aturan baru](https://a.id) _hari ini_.\n- satu\n- dua"
    assert plain(text) == "Rapat Penting: baca aturan baru hari ini. satu dua"
    shortened = plain("kata " * 100, 40)
    assert len(shortened) <= 40 and shortened.endswith("…")


@given(st.text(max_size=300))
def test_any_text_renders_to_allowed_markup_only(text: str) -> None:
    html = render(text)
    assert_safe(html)
    # Every "<" the author typed is escaped: the only tags are the ones made here.
    assert len(re.findall(r"<(?!/?(p|br|h2|h3|ul|ol|li|strong|em|code|a)[ >])", html)) == 0
