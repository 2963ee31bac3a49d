"""An HTTP client that runs the app in the test's own event loop (httpx's ASGI transport
plus the app's lifespan), sharing the test's database engine: direct database calls in a
test and requests to the app see the same connections (Litestar's own test client runs the
app in a separate thread and loop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from backend.app import create_app
from backend.db import current_engine
from backend.settings import Settings


@asynccontextmanager
async def app_client(
    settings: Settings, base_url: str = "https://testserver.local", origin: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, engine=current_engine())
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            if origin:
                client.headers["origin"] = origin
            yield client
