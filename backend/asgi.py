"""Plain ASGI types for the few places that speak raw ASGI (request context, the ReactPy
mount). Litestar's TypedDicts are precise per event kind; raw code builds dicts itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

RawScope = MutableMapping[str, Any]
RawMessage = MutableMapping[str, Any]
RawReceive = Callable[[], Awaitable[RawMessage]]
RawSend = Callable[[RawMessage], Awaitable[None]]
RawApp = Callable[[RawScope, RawReceive, RawSend], Awaitable[None]]
