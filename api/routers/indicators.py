"""Indicators per buurt: the catalogue of indicators and the table the scoring engine reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import ConnDep, SettingsDep
from layers import queries

router = APIRouter(prefix="/api/indicators", tags=["indicators"])


class IndicatorOut(BaseModel):
    id: str
    label: str
    unit: str | None
    description: str
    layer: str
    source: str
    attribution: str
    synthetic: bool


@router.get("", response_model=list[IndicatorOut], summary="Indicators offered on the map")
def list_indicators(conn: ConnDep, settings: SettingsDep) -> list[IndicatorOut]:
    from layers.raster_store import raster_fields

    fields = queries.all_indicator_fields(conn, gemeente=settings.gemeente)
    synthetic = {layer.id: queries.layer_is_synthetic(conn, layer) for layer, _ in fields}
    # each raster says itself whether it is synthetic
    synthetic_raster = {
        f.id: bool(meta["synthetisch"]) for f, meta in raster_fields(conn, gemeente=settings.gemeente)
    }
    return [
        IndicatorOut(
            id=f.id,
            label=f.label,
            unit=f.unit,
            description=f.description,
            layer=layer.id,
            source=layer.source,
            attribution=layer.attribution,
            synthetic=synthetic_raster.get(f.id, synthetic[layer.id]),
        )
        for layer, f in fields
    ]


@router.get("/table", summary="Indicator values per buurt")
def indicator_table(
    conn: ConnDep,
    settings: SettingsDep,
    gemeente: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
    jaar: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    periode: Annotated[str | None, Query(pattern=r"^\d{4}-(voorjaar|najaar)$")] = None,
) -> dict[str, Any]:
    return queries.indicator_table(conn, gemeente=gemeente or settings.gemeente, year=jaar, periode=periode)
