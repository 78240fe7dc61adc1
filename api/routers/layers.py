"""The layer catalogue and layer features (GeoJSON, EPSG:4326)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection

from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.models import FeaturesOut
from api.types import Editie, Gemeente, Jaar, Periode
from layers import queries
from layers.catalogue import LAYERS, Layer
from sia.errors import InvalidInput

router = APIRouter(prefix="/api/layers", tags=["layers"])


class FieldOut(BaseModel):
    id: str
    label: str
    unit: str | None
    type: str
    description: str
    indicator: bool


class LayerOut(BaseModel):
    id: str
    title: str
    description: str
    source: str
    attribution: str
    geometry_type: str
    synthetic: bool
    years: list[int | str]
    fields: list[FieldOut]
    notes: list[str]


def _layer_out(layer: Layer, conn: Connection) -> LayerOut:
    return LayerOut(
        id=layer.id,
        title=layer.title,
        description=layer.description,
        source=layer.source,
        attribution=layer.attribution,
        geometry_type=layer.geometry_type,
        synthetic=queries.layer_is_synthetic(conn, layer),
        years=queries.available_years(conn, layer),
        notes=list(layer.notes),
        fields=[FieldOut(**f.__dict__) for f in queries.layer_fields(conn, layer)],
    )


_LAYER_LIST = TypeAdapter(list[LayerOut])


@router.get("", response_model=list[LayerOut], summary="Catalogue of map layers")
def list_layers(request: Request, conn: ConnDep) -> Response:
    # what the map asks first, every time it opens: cached per view and data version (api.caching)
    def compute() -> Any:
        return _LAYER_LIST.dump_python([_layer_out(layer, conn) for layer in LAYERS.values()], mode="json")

    return cached_json(request, conn, compute, gemeente=None)


@router.get("/{layer_id}", response_model=LayerOut, summary="One layer's description")
def get_layer(layer_id: str, conn: ConnDep) -> LayerOut:
    return _layer_out(queries.get_layer(layer_id), conn)


def _parse_bbox(bbox: str | None) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    try:
        parts = tuple(float(v) for v in bbox.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4:
        raise InvalidInput(f"bbox '{bbox}' is ongeldig; verwacht vier getallen minLon,minLat,maxLon,maxLat.")
    return parts[0], parts[1], parts[2], parts[3]


@router.get(
    "/{layer_id}/features",
    summary="Features of a layer as GeoJSON (EPSG:4326)",
    description="Buurten, wijken and the Leefbaarometer of the buurten year (and edition) the "
    "gemeente's indicator table uses unless `jaar` (`editie`) is given; partner aggregates and "
    "rasters from the indicator table of the period (default: the default period).",
    response_model=FeaturesOut,
    responses={200: {"description": "GeoJSON FeatureCollection", "content": {"application/geo+json": {}}}},
)
def layer_features(
    layer_id: str,
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    gemeente: Annotated[Gemeente | None, Query()] = None,
    jaar: Annotated[Jaar | None, Query(description="Jaar buurtindeling")] = None,
    editie: Annotated[Editie | None, Query(description="Leefbaarometer editie")] = None,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat")] = None,
    properties: Annotated[str | None, Query(description="komma-gescheiden veldnamen")] = None,
    limit: Annotated[int, Query(ge=1, le=50000)] = 20000,
    periode: Annotated[Periode | None, Query()] = None,
) -> Response:
    """Cached per data version and view with an ETag (``api.caching``): a map that asks again
    gets 304 Not Modified until a load or delivery changes what it shows."""
    layer = queries.get_layer(layer_id)  # 404 before anything else
    props = [p.strip() for p in properties.split(",") if p.strip()] if properties else None
    if gemeente is None and layer.id in ("partnerdata", "raster"):
        gemeente = settings.gemeente  # figures per buurt come from a gemeente's indicator table
    box = _parse_bbox(bbox)

    def compute() -> Any:
        if layer.id in queries.SIMPLE_LAYERS:
            return queries.features_json(
                conn,
                layer.id,
                gemeente=gemeente,
                year=jaar,
                editie=editie,
                bbox=box,
                properties=props,
                limit=limit,
            )
        return queries.features(
            conn,
            layer.id,
            gemeente=gemeente,
            year=jaar,
            editie=editie,
            bbox=box,
            properties=props,
            limit=limit,
            periode=periode,
        )

    return cached_json(
        request,
        conn,
        compute,
        gemeente=gemeente,
        periode=periode,
        partners=layer.id not in queries.SIMPLE_LAYERS,
        media_type="application/geo+json",
    )
