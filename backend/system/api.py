"""Health endpoint: is the app up and can it reach its database?"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import get
from litestar.datastructures import State
from litestar.response import Response

from backend import __version__
from backend.accounts.guards import PUBLIC
from backend.db import database_reachable, is_sqlite


@dataclass(frozen=True)
class DatabaseHealth:
    engine: str
    reachable: bool
    migrations: str


@dataclass(frozen=True)
class Health:
    status: str
    version: str
    database: DatabaseHealth


@get("/health", summary="Kesehatan layanan", tags=["sistem"], opt=PUBLIC)
async def health(state: State) -> Response[Health]:
    reachable = await database_reachable()
    migrations = "current" if state.get("migrations_current", False) else "behind"
    ok = reachable and migrations == "current"
    body = Health(
        status="ok" if ok else "degraded",
        version=__version__,
        database=DatabaseHealth(
            engine="sqlite" if is_sqlite() else "postgresql",
            reachable=reachable,
            migrations=migrations,
        ),
    )
    return Response(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})
