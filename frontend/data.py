"""`use_loaded`: load data for a component both when it is pre-rendered to HTML and when
it runs live over the websocket.

Pre-rendering happens in two passes (see `prerender.py`): the first pass records which
loaders the page wants, the server awaits them, the second pass renders with the data.
Live, the data is loaded in an effect after the first frame.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from reactpy import use_async_effect, use_scope, use_state

from backend.errors import AppError

T = TypeVar("T")

PRERENDER_KEY = "koroena.prerender"


@dataclass
class PrerenderState:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, AppError] = field(default_factory=dict)
    wanted: dict[str, Callable[[], Awaitable[Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Loaded(Generic[T]):
    value: T | None
    error: AppError | None


def use_loaded(key: str, loader: Callable[[], Awaitable[T]]) -> Loaded[T]:
    scope = use_scope()
    prerender: PrerenderState | None = scope.get(PRERENDER_KEY)  # type: ignore[assignment]
    initial = prerender.data.get(key) if prerender else None
    initial_error = prerender.errors.get(key) if prerender else None
    value, set_value = use_state(initial)
    error, set_error = use_state(initial_error)
    if prerender is not None and key not in prerender.data and key not in prerender.errors:
        prerender.wanted[key] = loader

    @use_async_effect(dependencies=[key])
    async def load() -> None:
        if prerender is not None:
            return  # pre-rendering runs no effects' I/O; the server awaited the loaders
        try:
            set_value(await loader())
            set_error(None)
        except AppError as exc:
            set_error(exc)

    return Loaded(value=value, error=error)
