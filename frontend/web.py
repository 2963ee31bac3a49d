"""Litestar routes of the user interface: ReactPy pages (pre-rendered), the offline page,
the web app manifest, the service worker, static files and the ReactPy websocket."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Annotated, Any

import reactpy
from litestar import Request, Response, Router, asgi, get
from litestar.datastructures import Cookie
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from reactpy.executors.asgi.middleware import ReactPyMiddleware
from reactpy.utils import import_dotted_path

from backend.accounts.guards import PUBLIC
from backend.asgi import RawReceive, RawScope, RawSend
from backend.settings import Settings
from frontend.account_pages import account_page, invitation_page, sign_in_page
from frontend.books import BOOKS_PAGES
from frontend.complaint_pages import COMPLAINT_PAGES, complaint_module_route
from frontend.complaint_pages import module_paths as complaint_module_paths
from frontend.complaint_pages import precache_urls as complaint_precache_urls
from frontend.dashboard_pages import DASHBOARD_PAGES
from frontend.data import PrerenderState
from frontend.document import REACTPY_PREFIX, THEME_COLOR, frame_html, local_path, page
from frontend.education_pages import EDUCATION_PAGES
from frontend.health_pages import HEALTH_PAGES
from frontend.i18n import LANGUAGE_COOKIE, LANGUAGES, language_from_headers, translator
from frontend.import_pages import imports_page
from frontend.integration_pages import INTEGRATION_PAGES
from frontend.loan_pages import LOAN_PAGES
from frontend.news_pages import NEWS_PAGES
from frontend.pos_page import module_paths, pos_module_route, pos_page
from frontend.pos_page import precache_urls as pos_precache_urls
from frontend.prerender import prerender
from frontend.record_pages import RECORD_PAGES
from frontend.report_pages import REPORT_PAGES, forms_module_route
from frontend.report_pages import module_paths as report_module_paths
from frontend.report_pages import precache_urls as report_precache_urls
from frontend.savings_pages import savings_counter_page, savings_page, savings_receipt_page
from frontend.shop_pages import SHOP_PAGES
from frontend.shu_pages import SHU_PAGES
from frontend.training_pages import TRAINING_PAGES

STATIC_DIR = Path(__file__).parent / "static"
SERVICE_WORKER_DIR = Path(__file__).resolve().parents[1] / "service_worker"
REACTPY_STATIC_DIR = Path(reactpy.__file__).parent / "static"


@dataclass(frozen=True)
class PageRoute:
    path: str
    component: str
    title: Callable[[PrerenderState, Callable[..., str]], str]


def _koperasi_title(state: PrerenderState, _: Callable[..., str]) -> str:
    for value in state.data.values():
        profile = getattr(value, "profile", None)
        if profile is not None:
            return f"{profile.name} · Koroena"
    return _("Koperasi") + " · Koroena"


PAGES: tuple[PageRoute, ...] = (
    PageRoute("/", "frontend.pages.home.HomePage", lambda s, _: _("Beranda") + " · Koroena"),
    PageRoute(
        "/tentang", "frontend.pages.about.AboutPage", lambda s, _: _("Tentang") + " · Koroena"
    ),
    PageRoute("/koperasi/{slug:str}", "frontend.pages.koperasi.KoperasiPage", _koperasi_title),
)


def _settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _page_handler(route: PageRoute) -> Any:
    root = import_dotted_path(route.component)

    async def handler(request: Request[Any, Any, Any]) -> Response[str]:
        language = language_from_headers(
            request.scope["headers"], _settings(request).default_language
        )
        body, state = await prerender(
            root, request.scope, request.url.path, request.url.query or ""
        )
        _ = translator(language)
        status = max((e.status for e in state.errors.values()), default=200)
        return Response(
            page(
                title=route.title(state, _),
                language=language,
                body_html=body,
                component=route.component,
                _=_,
            ),
            status_code=status,
            media_type="text/html",
            headers={"Cache-Control": "no-cache", "Vary": "Cookie"},
        )

    handler.__name__ = "page_" + route.component.rsplit(".", 1)[-1]
    return get(route.path, include_in_schema=False, name=handler.__name__, opt=PUBLIC)(handler)


def offline_html(language: str) -> str:
    """The page the service worker shows for a page never opened before, with no signal."""
    _ = translator(language)
    paragraphs = [
        _("Halaman ini belum tersimpan di perangkat. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
        _("Halaman yang pernah Anda buka tetap bisa dilihat tanpa sinyal."),
    ]
    main = (
        '<div class="offline-page">'
        + "<h1>"
        + escape(_("Anda sedang offline"))
        + "</h1>"
        + "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
        + '<p><a class="button" href="/">'
        + escape(_("Coba lagi"))
        + "</a></p></div>"
    )
    # Cached once for everyone: who is signed in is not known, and switching the language
    # needs the network, so neither the account item nor the language switch is shown.
    body = frame_html(language, _, "/offline", main, signed_in=None, language_switch=False)
    title = _("Offline") + " · Koroena"
    return page(title=title, language=language, body_html=body, component=None, _=_)


@get("/offline", include_in_schema=False, opt=PUBLIC)
async def offline_page(request: Request[Any, Any, Any]) -> Response[str]:
    language = language_from_headers(request.scope["headers"], _settings(request).default_language)
    return Response(
        offline_html(language), media_type="text/html", headers={"Cache-Control": "no-cache"}
    )


@get("/manifest.webmanifest", include_in_schema=False, opt=PUBLIC)
async def manifest() -> Response[dict[str, Any]]:
    icons = "/static/icons"
    body = {
        "id": "/",
        "lang": "id",
        "dir": "ltr",
        "name": "Koroena — Koperasi Roda Ekonomi Nasional",
        "short_name": "Koroena",
        "description": (
            "Aplikasi koperasi: kasir, simpanan, pinjaman, laporan dan pengawasan Dinas."
        ),
        "start_url": "/?sumber=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "categories": ["business", "finance"],
        "icons": [
            {
                "src": f"{icons}/icon-192.png",
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": f"{icons}/icon-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": f"{icons}/icon-maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return Response(
        body, media_type="application/manifest+json", headers={"Cache-Control": "no-cache"}
    )


def precache_urls() -> list[str]:
    """What the service worker stores at install: the shell, offline page and assets."""
    urls = ["/", "/offline", "/tentang", "/masuk", "/manifest.webmanifest"]
    urls += [
        f"/static/{p.relative_to(STATIC_DIR).as_posix()}"
        for p in sorted(STATIC_DIR.rglob("*"))
        if p.is_file()
    ]
    urls += [f"{REACTPY_PREFIX}static/{p.name}" for p in sorted(REACTPY_STATIC_DIR.glob("*.js"))]
    urls += pos_precache_urls()  # the till opens with no signal at all
    urls += report_precache_urls()  # so do the report forms
    urls += complaint_precache_urls()  # and the public complaint form
    return urls


def service_worker_source() -> str:
    """sw.js with its cache version and precache list filled in. The version is a hash of
    every precached file and of sw.js itself, so any change installs a new worker whose
    `activate` removes the old caches."""
    template = (SERVICE_WORKER_DIR / "sw.js").read_text(encoding="utf-8")
    digest = hashlib.sha256(template.encode())
    paths = sorted(STATIC_DIR.rglob("*")) + sorted(REACTPY_STATIC_DIR.glob("*.js"))
    for path in paths + module_paths() + report_module_paths() + complaint_module_paths():
        if path.is_file():
            digest.update(path.read_bytes())
    return template.replace("__CACHE_VERSION__", digest.hexdigest()[:12]).replace(
        "__PRECACHE_URLS__", json.dumps(precache_urls())
    )


def _service_worker_route() -> Any:
    source = service_worker_source()

    @get("/sw.js", include_in_schema=False, opt=PUBLIC)
    async def service_worker() -> Response[str]:
        return Response(
            source,
            media_type="text/javascript",
            headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
        )

    return service_worker


@get("/bahasa/{language:str}", include_in_schema=False, opt=PUBLIC)
async def switch_language(
    language: Annotated[str, PathParameter(max_length=5)],
    next: Annotated[str, QueryParameter(max_length=500)] = "/",
) -> Redirect:
    redirect = Redirect(local_path(next), status_code=303)
    if language in LANGUAGES:
        redirect.cookies.append(
            Cookie(
                key=LANGUAGE_COOKIE,
                value=language,
                max_age=365 * 24 * 3600,
                samesite="lax",
                path="/",
            )
        )
    return redirect


def _not_found_app() -> Any:
    async def app(scope: RawScope, receive: RawReceive, send: RawSend) -> None:
        if scope["type"] == "http":
            await send(
                {
                    "type": "http.response.start",
                    "status": 404,
                    "headers": [(b"content-type", b"text/plain")],
                }
            )
            await send({"type": "http.response.body", "body": b"Not found"})

    return app


def reactpy_mount(settings: Settings) -> Any:
    """ReactPy's websocket and static files, mounted inside Litestar so its middleware
    (hosts, request ids, headers) applies; the websocket's Origin is checked here because
    ReactPy does not check it."""
    reactpy_app = ReactPyMiddleware(
        _not_found_app(), [p.component for p in PAGES], path_prefix=REACTPY_PREFIX
    )
    allowed = {origin.encode() for origin in settings.origins}

    @asgi("/_reactpy", is_mount=True, include_in_schema=False, copy_scope=True, opt=PUBLIC)
    async def reactpy_entry(scope: RawScope, receive: RawReceive, send: RawSend) -> None:
        raw = scope.get("raw_path")
        full_path = raw.decode("latin-1").split("?", 1)[0] if raw else "/_reactpy" + scope["path"]
        inner = dict(scope)
        inner["path"] = full_path
        if scope["type"] == "websocket":
            origin = dict(scope["headers"]).get(b"origin", b"")
            if origin not in allowed:
                await receive()  # websocket.connect
                await send({"type": "websocket.close", "code": 4403})
                return
        await reactpy_app(inner, receive, send)

    return reactpy_entry


def ui_router(settings: Settings) -> Router:
    return Router(
        path="/",
        route_handlers=[
            *[_page_handler(p) for p in PAGES],
            offline_page,
            sign_in_page,
            invitation_page,
            account_page,
            imports_page,
            savings_page,
            savings_counter_page,
            savings_receipt_page,
            *BOOKS_PAGES,
            *SHOP_PAGES,
            *INTEGRATION_PAGES,
            *LOAN_PAGES,
            *SHU_PAGES,
            *HEALTH_PAGES,
            *RECORD_PAGES,
            *DASHBOARD_PAGES,
            *NEWS_PAGES,
            *EDUCATION_PAGES,
            *TRAINING_PAGES,
            pos_page,
            pos_module_route(),
            *REPORT_PAGES,
            *COMPLAINT_PAGES,
            complaint_module_route(),
            forms_module_route(),
            manifest,
            switch_language,
            _service_worker_route(),
            reactpy_mount(settings),
            create_static_files_router(
                path="/static",
                directories=[STATIC_DIR],
                include_in_schema=False,
                send_as_attachment=False,
                cache_control=None,
                opt=PUBLIC,
            ),
        ],
    )
