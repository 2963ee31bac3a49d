"""Render a ReactPy root component to HTML on the server (first paint, offline shell)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from reactpy.core.hooks import ConnectionContext
from reactpy.core.layout import Layout
from reactpy.types import Connection, Location, VdomDict
from reactpy.utils import reactpy_to_string

from backend.errors import AppError
from frontend.data import PRERENDER_KEY, PrerenderState

MAX_PASSES = 3  # a page whose data depends on other data needs a pass per level


async def _render_once(
    root: Callable[[], Any], scope: Mapping[str, Any], path: str, query_string: str
) -> str:
    connection = Connection(
        scope=dict(scope),
        location=Location(path=path, query_string=query_string),
        carrier=None,
    )
    async with Layout(ConnectionContext(root(), value=connection)) as layout:
        update = await layout.render()
    return reactpy_to_string(cast(VdomDict, update["model"]))


async def prerender(
    root: Callable[[], Any], scope: Mapping[str, Any], path: str, query_string: str = ""
) -> tuple[str, PrerenderState]:
    """Render until no component asks for more data; returns the HTML and what was loaded
    (so the caller can answer 404 when a loader found nothing)."""
    state = PrerenderState()
    render_scope = {**scope, PRERENDER_KEY: state}
    html = ""
    for _ in range(MAX_PASSES):
        state.wanted.clear()
        html = await _render_once(root, render_scope, path, query_string)
        if not state.wanted:
            break
        for key, loader in list(state.wanted.items()):
            try:
                state.data[key] = await loader()
            except AppError as exc:
                state.errors[key] = exc
    return html, state
