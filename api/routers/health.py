"""Health and front-end configuration."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from api.deps import SettingsDep
from api.errors import database_unavailable
from layers.access import ANONYMOUS, connect_as

router = APIRouter(prefix="/api", tags=["status"])


class Health(BaseModel):
    status: str
    database: str
    postgis: str
    buurten: int


class Unhealthy(BaseModel):
    status: str
    database: str
    melding: str


class FrontendConfig(BaseModel):
    gemeente: str
    basemap_url: str
    basemap_attribution: str


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Unhealthy, "description": "De database is niet bereikbaar"}},
)
def health(request: Request) -> Health | JSONResponse:
    """200 when PostgreSQL with PostGIS answers; 503 naming the database when it does not."""
    try:
        with connect_as(request.app.state.app_engine, ANONYMOUS) as conn:
            postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
            count = conn.execute(text("SELECT count(*) FROM buurten")).scalar_one()
    except DBAPIError as exc:
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            body = Unhealthy(status="fout", database="niet bereikbaar", melding=database_unavailable(request))
        else:  # reachable, but without the tables: not migrated (or not our database)
            body = Unhealthy(
                status="fout",
                database="niet ingericht",
                melding="De database is bereikbaar maar niet ingericht voor SIA; voer `sia db migrate` uit.",
            )
        return JSONResponse(status_code=503, content=body.model_dump())
    return Health(status="ok", database="ok", postgis=str(postgis), buurten=int(count))


@router.get("/config", response_model=FrontendConfig)
def config(settings: SettingsDep) -> FrontendConfig:
    return FrontendConfig(
        gemeente=settings.gemeente,
        basemap_url=settings.basemap_url,
        basemap_attribution=settings.basemap_attribution,
    )
