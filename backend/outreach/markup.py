"""The text of articles, news and training descriptions: plain text with a small, safe
subset of Markdown, rendered on the server. Pure; no ORM, no HTTP.

What is understood (anything else shows as the characters typed):

- paragraphs separated by a blank line; a single line break stays a line break;
- headings `## Judul` and `### Subjudul` (`#` is read as `##`: the page's title is the
  only `h1`);
- lists: lines starting with `- ` or `* ` (bullets) or `1. ` (numbered);
- inline: `**tebal**`, `*miring*` or `_miring_`, `` `kode` ``, and links
  `[teks](https://…)` — HTTPS only; any other link (javascript:, data:, http:, relative)
  is shown as its text, never as a link.

Every character of the input is escaped: raw HTML is shown as text, so what an author
types can never become markup, script or an attribute."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

LINK_URL_MAX = 500

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
# One inline construct at a time, leftmost first. Emphasis markers must hug their text
# (`2 * 3 * 4` is not emphasis) and underscores must not sit inside words (`nama_file`).
_INLINE = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\[(?P<label>[^\[\]\n]+)\]\((?P<url>[^()\s]+)\)"
    r"|\*\*(?P<strong>\S(?:.*?\S)?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^\s*](?:[^*]*?[^\s*])?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<em2>[^\s_](?:[^_]*?[^\s_])?)_(?![\w_])"
)


def safe_https_url(url: str) -> str | None:
    """`url` if it is an absolute HTTPS address fit for an `href`, else None: no other
    scheme, no user name or password, no spaces, quotes, angle brackets, backslashes or
    control characters."""
    url = url.strip()
    if not url or len(url) > LINK_URL_MAX:
        return None
    if any(c in url for c in "\"'<>\\`") or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname or "@" in parts.netloc:
        return None
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return None
    return url


def _link(label_html: str, url: str) -> str:
    return (
        f'<a href="{escape(url, quote=True)}" rel="noopener noreferrer nofollow" '
        f'class="external">{label_html}</a>'
    )


def inline(text: str, *, links: bool = True) -> str:
    """One line's inline markup as safe HTML."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(escape(text[position : match.start()]))
        position = match.end()
        if match.group("code") is not None:
            out.append(f"<code>{escape(match.group('code'))}</code>")
        elif match.group("url") is not None:
            url = safe_https_url(match.group("url")) if links else None
            if url is None:
                out.append(escape(match.group(0)))
            else:
                out.append(_link(inline(match.group("label"), links=False), url))
        elif match.group("strong") is not None:
            out.append(f"<strong>{inline(match.group('strong'), links=links)}</strong>")
        else:
            emphasised = match.group("em") or match.group("em2") or ""
            out.append(f"<em>{inline(emphasised, links=links)}</em>")
    out.append(escape(text[position:]))
    return "".join(out)


def _blocks(text: str) -> list[list[str]]:
    """Lines grouped into blocks at blank lines."""
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _render_block(block: list[str]) -> list[str]:
    """One block's headings, paragraphs and lists."""
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush_paragraph() -> None:
        if paragraph:
            html.append("<p>" + "<br>".join(inline(line.strip()) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_tag
        if items:
            html.append(f"<{list_tag}>" + "".join(items) + f"</{list_tag}>")
            items.clear()
        list_tag = ""

    for line in block:
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        item = _BULLET.match(stripped) or _NUMBERED.match(stripped)
        if heading:
            flush_paragraph()
            flush_list()
            level = max(2, len(heading.group(1)))
            html.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif item:
            flush_paragraph()
            tag = "ul" if _BULLET.match(stripped) else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append(f"<li>{inline(item.group(1))}</li>")
        elif items and line[:1].isspace():
            # An indented line continues the list item above it.
            items[-1] = items[-1][: -len("</li>")] + "<br>" + inline(stripped) + "</li>"
        else:
            flush_list()
            paragraph.append(line)
    flush_paragraph()
    flush_list()
    return html


def render(text: str) -> str:
    """The whole text as safe HTML (headings, paragraphs, lists)."""
    return "".join(part for block in _blocks(text) for part in _render_block(block))


_MARKERS = re.compile(r"(\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`)")


def plain(text: str, limit: int | None = None) -> str:
    """The text without markup, on one line (for a notification, a summary, a title
    attribute): links keep their label, heading and list markers go; shortened to at most
    `limit` characters with "…"."""
    words: list[str] = []
    for block in _blocks(text):
        for line in block:
            stripped = line.strip()
            heading = _HEADING.match(stripped)
            item = _BULLET.match(stripped) or _NUMBERED.match(stripped)
            if heading:
                stripped = heading.group(2)
            elif item:
                stripped = item.group(1)
            stripped = re.sub(r"\[([^\[\]\n]+)\]\([^()\s]+\)", r"\1", stripped)
            stripped = _MARKERS.sub("", stripped)
            stripped = re.sub(r"(?<![\w_])_([^\s_](?:[^_]*?[^\s_])?)_(?![\w_])", r"\1", stripped)
            words.append(stripped)
    result = " ".join(" ".join(words).split())
    if limit is not None and len(result) > limit:
        cut = result[: max(0, limit - 1)].rstrip()
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
        result = cut.rstrip(" ,.;:") + "…"
    return result
