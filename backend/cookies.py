"""Reading one cookie from raw ASGI headers."""

from __future__ import annotations

from collections.abc import Iterable


def cookie_value(headers: Iterable[tuple[bytes, bytes]], name: str) -> str | None:
    """The first value of cookie `name` in any Cookie header, or None.

    Parsed by hand: `http.cookies` drops a whole header when any other cookie in it is
    malformed, which would silently sign a person out or switch their language."""
    for key, value in headers:
        if key.lower() != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            cookie, sep, content = part.strip().partition("=")
            if sep and cookie == name:
                return content.strip().strip('"')
    return None
