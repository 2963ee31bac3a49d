"""The HTML helpers of the plain (non-ReactPy) pages: elements, safe local paths, frame."""

from __future__ import annotations

import re

import pytest

from frontend.document import element, frame_html, local_path, text_element
from frontend.i18n import translator


def test_element_escapes_attributes_and_maps_names() -> None:
    html = element(
        "button",
        "Cabut",
        type="button",
        class_="button",
        data_device='HP "Sri" <baru>',
        aria_label="Cabut passkey",
        hidden=True,
        disabled=False,
        title=None,
    )
    assert html == (
        '<button type="button" class="button" data-device="HP &quot;Sri&quot; &lt;baru&gt;" '
        'aria-label="Cabut passkey" hidden>Cabut</button>'
    )


def test_text_element_escapes_its_text_and_void_elements_have_no_end_tag() -> None:
    assert text_element("p", "<script>x</script>") == "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    assert element("input", id="a", readonly=True) == '<input id="a" readonly>'
    assert element("br") == "<br>"


@pytest.mark.parametrize("target", ["/", "/akun", "/koperasi/kopwan-srikandi?x=1"])
def test_local_paths_are_kept(target: str) -> None:
    assert local_path(target) == target


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "akun", "", "javascript:x"],
)
def test_anything_else_goes_to_the_default(target: str) -> None:
    assert local_path(target) == "/"
    assert local_path(target, "/akun") == "/akun"


# Without an active role: the home page, about, and what the public may use.
PUBLIC = ["/", "/tentang", "/edukasi", "/pelatihan", "/pengaduan"]


@pytest.mark.parametrize(
    ("signed_in", "items"),
    [
        (True, [*PUBLIC, "/akun"]),
        (False, [*PUBLIC, "/masuk"]),
        (None, PUBLIC),
    ],
)
def test_frame_account_item(signed_in: bool | None, items: list[str]) -> None:
    """Signed in: "Akun"; not: "Masuk"; unknown (the offline page, cached for all): neither."""
    html = frame_html("id", translator("id"), "/", "<h1>x</h1>", signed_in=signed_in)
    assert re.findall(r'<a href="([^"]+)" class="nav-link"', html) == items


def test_frame_marks_the_current_page_and_keeps_the_query_for_the_language_switch() -> None:
    html = frame_html(
        "en", translator("en"), "/masuk", "", signed_in=False, here="/masuk?next=/akun"
    )
    assert '<a href="/masuk" class="nav-link" aria-current="page">Sign in</a>' in html
    assert 'href="/bahasa/id?next=/masuk%3Fnext%3D/akun"' in html
    assert "<main" in html and "Bahasa Indonesia" in html
