"""`create_app(settings)`: compose the contexts, the UI and the cross-cutting concerns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.types import LifeSpanReceive, LifeSpanScope, LifeSpanSend, Receive, Scope, Send
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from backend import __version__
from backend.accounts.api import (
    AuthController,
    InvitationController,
    MeController,
    PeopleController,
    audit_log,
)
from backend.accounts.guards import require_sign_in
from backend.accounts.web import SessionMiddleware
from backend.asgi import RawApp, RawReceive, RawScope, RawSend
from backend.catalog.api import CatalogController
from backend.complaints.api import ROUTES as COMPLAINT_ROUTES
from backend.db import close_engine, make_engine, migration_state, use_engine
from backend.health.api import HealthController
from backend.imports.api import ImportsController
from backend.inventory.api import InventoryController
from backend.ledger.api import (
    BookExportsController,
    BooksController,
    equity_changes,
    general_ledger,
)
from backend.loans.api import LoansController
from backend.logging import configure_logging, get_logger
from backend.members.api import check_nik, list_members
from backend.outreach.api import ROUTES as OUTREACH_ROUTES
from backend.pos.api import PosController, TokenController, ingest_sales, sync, upload_sales_csv
from backend.push.api import PushController
from backend.ratelimit import RateLimiter
from backend.reporting.api import ReportsController
from backend.savings.api import SavingsController
from backend.settings import Settings
from backend.shu.api import ShuController
from backend.supervision.api import supervision_routes
from backend.system.api import health
from backend.tenancy.api import DirectoryController
from backend.web import EXCEPTION_HANDLERS, RequestContext, security_headers_hook

log = get_logger("koroena.app")


class KoroenaApp(Litestar):
    """Litestar with `RequestContext` around every HTTP and websocket connection."""

    request_context: RequestContext

    async def __call__(
        self,
        scope: Scope | LifeSpanScope,
        receive: Receive | LifeSpanReceive,
        send: Send | LifeSpanSend,
    ) -> None:
        if scope["type"] == "lifespan":
            await super().__call__(scope, receive, send)
        else:
            await self.request_context(
                cast(RawScope, scope),
                cast(RawReceive, receive),
                cast(RawSend, send),
                cast(RawApp, super().__call__),
            )


def create_app(
    settings: Settings | None = None,
    engine: Engine[Any] | None = None,
    *,
    push_worker: bool = False,
) -> KoroenaApp:
    """The ASGI app. `engine`: an engine the caller already opened and will close (tests
    share theirs); by default the app makes its own and opens/closes it with its lifespan.
    `push_worker`: also run the push sender in this process for the app's lifetime
    (`koroena serve` does unless KOROENA_PUSH_WORKER=false; tests turn it on themselves)."""
    settings = settings if settings is not None else Settings.from_env()
    configure_logging(settings)
    owns_engine = engine is None
    engine = engine if engine is not None else make_engine(settings)
    use_engine(engine)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if owns_engine and isinstance(engine, PostgresEngine):
            await engine.start_connection_pool(min_size=1, max_size=20)
        state = await migration_state()
        app.state.migrations_current = state.is_current
        if not state.is_current:
            log.error(
                "database_behind",
                pending=state.pending,
                hint="run `koroena migrate` before serving",
            )
        push_stop = asyncio.Event()
        push_task: asyncio.Task[None] | None = None
        if push_worker and state.is_current:
            from backend.push.worker import run_in_background
            from backend.scheduled import JOBS

            push_task = asyncio.create_task(run_in_background(settings, push_stop, JOBS))
        try:
            yield
        finally:
            if push_task is not None:
                push_stop.set()  # the round in progress finishes (each push has a timeout)
                try:
                    await asyncio.wait_for(push_task, timeout=30)
                except TimeoutError:
                    log.warning("push_worker_stop_timeout")
            if owns_engine:
                await close_engine(engine)

    # The UI imports ReactPy; keep that import out of the API-only code paths.
    from frontend.document import IMPORT_MAP_CSP_HASH
    from frontend.web import ui_router

    api = Router(
        path="/api/v1",
        guards=[require_sign_in],
        route_handlers=[
            health,
            DirectoryController,
            check_nik,
            list_members,
            AuthController,
            MeController,
            InvitationController,
            PeopleController,
            audit_log,
            BooksController,
            BookExportsController,
            ImportsController,
            general_ledger,
            equity_changes,
            SavingsController,
            LoansController,
            CatalogController,
            InventoryController,
            sync,
            PosController,
            TokenController,
            ingest_sales,
            upload_sales_csv,
            ShuController,
            *supervision_routes(settings),
            ReportsController,
            HealthController,
            PushController,
            *OUTREACH_ROUTES,
            *COMPLAINT_ROUTES,
        ],
    )
    app = KoroenaApp(
        route_handlers=[api, ui_router(settings)],
        lifespan=[lifespan],
        state=State(
            {
                "settings": settings,
                "migrations_current": False,
                "auth_limiter": RateLimiter(settings.auth_attempts_per_minute, 60.0),
            }
        ),
        middleware=[SessionMiddleware(settings)],
        request_max_body_size=settings.max_request_bytes,
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers_hook(IMPORT_MAP_CSP_HASH, hsts=settings.https)],
        openapi_config=OpenAPIConfig(
            title="Koroena API",
            version=__version__,
            description="API Koroena untuk koperasi, pengurus, anggota dan Dinas.",
            path="/api/docs",
            render_plugins=[SwaggerRenderPlugin(path="/")],
        ),
        debug=settings.debug,
    )
    app.request_context = RequestContext(settings.allowed_hosts)
    return app
