"""The FastAPI application factory: wires settings, database engine, routers and the web map."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api import security
from api.errors import install_error_handlers
from api.routers import admin, auth, buurten, health, indicators, layers, partners, scenarios, scores
from api.settings import Settings
from layers.db.connect import resolve_url
from layers.db.engine import make_engine
from sia.errors import SetupError

# npm packages served to the browser (never a CDN): URL prefix → folder in webmap/node_modules
VENDOR = {
    "leaflet": "leaflet/dist",
    "leaflet-geoman": "@geoman-io/leaflet-geoman-free/dist",
    "simple-statistics": "simple-statistics/dist",
    "leaflet.markercluster": "leaflet.markercluster/dist",
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=False)
        engine = make_engine(url)
        app.state.engine = engine
        app.state.app_engine = security.open_app_engine(settings)  # role sia_app, RLS (issue 10)
        try:
            yield
        finally:
            app.state.app_engine.dispose()
            engine.dispose()

    app = FastAPI(
        title="SIA/DIA — Stedelijke Investeringsafweging Enschede",
        description="Kaartlagen, indicatoren en scores per buurt voor de SIA en de DIA's.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for module in (health, layers, buurten, indicators, partners, scores):
        app.include_router(module.router)
    app.include_router(scenarios.router)
    security.install(app)  # 401/429 and the rate limiter (sign-in, issue 10)
    app.include_router(auth.router)
    app.include_router(admin.router)
    _mount_webmap(app, settings)
    return app


def _mount_webmap(app: FastAPI, settings: Settings) -> None:
    webmap = settings.webmap_dir
    modules = webmap / "node_modules"
    for prefix, folder in VENDOR.items():
        path = modules / folder
        if not path.is_dir():
            raise SetupError(
                f"The web map's npm packages are missing ({path}). Run `npm ci` in {webmap} "
                "(the README's first command does this)."
            )
        app.mount(f"/vendor/{prefix}", StaticFiles(directory=path), name=f"vendor-{prefix}")
    app.mount("/static", StaticFiles(directory=webmap / "src"), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(webmap / "src" / "index.html")
