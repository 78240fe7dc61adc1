"""The FastAPI application factory: wires settings, database engine, guards, routers and the web map."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from api import openapi, security
from api.errors import install_error_handlers
from api.middleware import Guard, content_security_policy, tile_source
from api.routers import (
    admin,
    auth,
    buurten,
    health,
    indicators,
    layers,
    meta,
    organisations,
    partners,
    periods,
    scenarios,
    scores,
)
from api.routers.exports import router as exports_router  # DIA (issue 9)
from api.routers.gebieden import router as gebieden_router  # DIA (issue 9)
from api.routers.voorstellen import router as voorstellen_router  # DIA (issue 9)
from api.scoring import IndicatorCache
from api.settings import Settings
from api.warmup import WARM_UP_SECONDS, fill_pool, warm_up
from sia.errors import SetupError

# npm packages served to the browser (never a CDN): URL prefix → folder in webmap/node_modules
VENDOR = {
    "leaflet": "leaflet/dist",
    "leaflet-geoman": "@geoman-io/leaflet-geoman-free/dist",
    "simple-statistics": "simple-statistics/dist",
    "leaflet.markercluster": "leaflet.markercluster/dist",
    "swagger-ui": "swagger-ui-dist",
}

JSON_BODY_LIMIT = 1024 * 1024
"""Largest request body of any route that does not set its own (JSON bodies are small)."""


class SiaApp(FastAPI):
    """FastAPI with :class:`api.middleware.Guard` around everything, its error handling included."""

    def build_middleware_stack(self) -> ASGIApp:
        settings: Settings = self.state.settings
        tiles = tile_source(settings.basemap_url)
        csp = content_security_policy(image_sources=[tiles] if tiles else [])
        return Guard(super().build_middleware_stack(), csp=csp)


def app_from_environment() -> FastAPI:
    """The application with the settings of the environment: what each worker process of
    ``sia serve`` runs (``uvicorn api.main:app_from_environment --factory``)."""
    # Threads that wait for PostgreSQL must get the interpreter back soon after the answer is in:
    # with the default 5 ms, a request of ten short queries (area statistics) waits up to 50 ms
    # behind one CPU-bound score in the same worker (benchmarks/bench_load.py, p95 under load).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return create_app(Settings(), warm=True)


SWITCH_INTERVAL_S = 0.001
"""How long a thread of a ``sia serve`` worker may hold the interpreter while others wait."""


def create_app(settings: Settings | None = None, *, warm: bool = False) -> FastAPI:
    """The application. ``warm``: before taking requests, ask itself what the map asks when it
    opens (``api.warmup``; what each worker of ``sia serve`` does)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # the only engine of the web application: the role sia_app, under row-level security
        app.state.app_engine = security.open_app_engine(settings)
        try:
            # without the database (fill_pool fails) there is nothing to warm: /api/health says why
            if warm and fill_pool(app.state.app_engine, settings.db_pool):
                try:
                    app.state.warmed = await asyncio.wait_for(
                        warm_up(app, settings.gemeente), timeout=WARM_UP_SECONDS
                    )
                except TimeoutError:
                    logging.getLogger("uvicorn.error").warning(
                        "Opwarmen duurde langer dan %.0f s; de server neemt nu verzoeken aan.",
                        WARM_UP_SECONDS,
                    )
            yield
        finally:
            app.state.app_engine.dispose()

    app = SiaApp(
        title="SIA/DIA — Stedelijke Investeringsafweging Enschede",
        description="Kaartlagen, indicatoren en scores per buurt voor de SIA en de DIA's.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below with local assets (no CDN)
        redoc_url=None,
        max_body_size=JSON_BODY_LIMIT,  # Starlette's streaming limit; uploads set their own
    )
    app.state.settings = settings
    if warm:  # a server's worker: new tables have their area figures read ahead (api.scoring)
        app.state.indicator_cache = IndicatorCache(read_ahead=True)
    install_error_handlers(app)
    for module in (health, layers, buurten, indicators, periods, organisations, partners, scores):
        app.include_router(module.router)
    app.include_router(partners.uploads)  # writer checked before the body is read
    app.include_router(scenarios.router)
    app.include_router(gebieden_router)
    app.include_router(voorstellen_router)
    app.include_router(exports_router)
    app.include_router(meta.router)
    security.install(app)  # the rate limiter (sign-in, issue 10)
    app.include_router(auth.router)
    app.include_router(admin.router)
    openapi.install(app)  # every operation's error statuses in OpenAPI
    _mount_webmap(app, settings)
    _docs(app)
    return app


def _mount_webmap(app: FastAPI, settings: Settings) -> None:
    webmap = settings.webmap_dir
    modules = webmap / "node_modules"
    for prefix, folder in VENDOR.items():
        path = modules / folder
        if not path.is_dir():
            raise SetupError(
                f"De npm-pakketten van de webkaart ontbreken ({path}). Voer `npm ci` uit in {webmap} "
                "(het eerste commando van de README doet dat)."
            )
        app.mount(f"/vendor/{prefix}", StaticFiles(directory=path), name=f"vendor-{prefix}")
    app.mount("/static", StaticFiles(directory=webmap / "src"), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(webmap / "src" / "index.html")


_DOCS_HTML = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} — API-documentatie</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"""

# An external script, not an inline one: the Content-Security-Policy allows scripts from 'self' only.
_DOCS_INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
"""


def _docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from the npm package swagger-ui-dist, served by this app."""
    page = _DOCS_HTML.format(title=app.title)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(_DOCS_INIT, media_type="text/javascript")
