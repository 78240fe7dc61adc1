"""Health and front-end configuration."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from api.deps import ConnDep, SettingsDep

router = APIRouter(prefix="/api", tags=["status"])


class Health(BaseModel):
    status: str
    database: str
    postgis: str
    buurten: int


class FrontendConfig(BaseModel):
    gemeente: str
    basemap_url: str
    basemap_attribution: str
    schrijven_met_sleutel: bool


@router.get("/health", response_model=Health)
def health(conn: ConnDep) -> Health:
    postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
    count = conn.execute(text("SELECT count(*) FROM buurten")).scalar_one()
    return Health(status="ok", database="ok", postgis=str(postgis), buurten=int(count))


@router.get("/config", response_model=FrontendConfig)
def config(settings: SettingsDep) -> FrontendConfig:
    return FrontendConfig(
        gemeente=settings.gemeente,
        basemap_url=settings.basemap_url,
        basemap_attribution=settings.basemap_attribution,
        schrijven_met_sleutel=settings.schrijfsleutel is not None,
    )
