"""Reading layers back from PostGIS: features in EPSG:4326 and one buurt.

The indicator table (what the map colours and the scores read) is ``layers.indicators``; the
partner and raster layers here are drawn from it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from layers.catalogue import LAYERS, PARTNER_RECORD_LAYERS, Field, Layer, indicator_fields
from layers.errors import InvalidInput, NotFound
from layers.readers import to_python

# Properties of each layer: catalogue field id → SQL expression; `b` is the layer's row.
_LBM_PROPERTIES = {
    "lbm_score": "l.score",
    "lbm_klasse": "l.klasse",
    "lbm_won": "l.won",
    "lbm_fys": "l.fys",
    "lbm_vrz": "l.vrz",
    "lbm_soc": "l.soc",
    "lbm_onv": "l.onv",
    "lbm_editie": "l.editie",
}
_LBM_COLUMNS = ", ".join(f"{expr} AS {name}" for name, expr in _LBM_PROPERTIES.items())
_LATEST_LBM = (  # the chosen edition (layers.indicators.choices); the newest when none is chosen
    "LEFT JOIN LATERAL (SELECT * FROM leefbaarometer x WHERE x.buurtcode = b.buurtcode "
    "AND (CAST(:editie AS integer) IS NULL OR x.editie = :editie) "
    "ORDER BY x.editie DESC LIMIT 1) l ON true"
)
_FROM: dict[str, str] = {
    "buurten": "FROM buurten b",
    "wijken": "FROM wijken b",
    "leefbaarometer": f"FROM buurten b {_LATEST_LBM}",
}
_BUURT = ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode")
_PROPERTIES: dict[str, dict[str, str]] = {
    "buurten": {
        c: f"b.{c}"
        for c in (
            *_BUURT,
            "gemeentenaam",
            "jaar",
            "aantal_inwoners",
            "aantal_huishoudens",
            "bevolkingsdichtheid",
            "oppervlakte_land_ha",
        )
    },
    "wijken": {
        c: f"b.{c}"
        for c in (
            "wijkcode",
            "wijknaam",
            "gemeentecode",
            "jaar",
            "aantal_inwoners",
            "aantal_huishoudens",
            "n_buurten",
        )
    },
    "leefbaarometer": {**{c: f"b.{c}" for c in _BUURT}, **_LBM_PROPERTIES},
}
"""Column names and expressions from code (the catalogue), never from a request."""
SIMPLE_LAYERS = tuple(_PROPERTIES)
"""Layers with geometries of their own and no partner data (buurten, wijken, Leefbaarometer)."""


def get_layer(layer_id: str) -> Layer:
    try:
        return LAYERS[layer_id]
    except KeyError:
        raise NotFound(f"Laag '{layer_id}' bestaat niet; beschikbaar: {', '.join(LAYERS)}.") from None


def layer_fields(conn: Connection, layer: Layer) -> list[Field]:
    """The layer's fields; for the raster layer, those of the rasters loaded now."""
    if layer.id == "raster":
        from layers import raster_store

        return [f for f, _ in raster_store.raster_fields(conn)]
    return list(layer.fields)


def all_indicator_fields(
    conn: Connection, periode: str | None = None, gemeente: str | None = None
) -> list[tuple[Layer, Field]]:
    """Every indicator: the catalogue's fixed ones and one or two per loaded raster."""
    from layers import raster_store

    raster = LAYERS["raster"]
    return [
        *indicator_fields(),
        *((raster, f) for f, _ in raster_store.raster_fields(conn, periode, gemeente)),
    ]


def available_years(conn: Connection, layer: Layer) -> list[int | str]:
    """Years (or, for partner data and rasters, periods) present in the database."""
    if layer.id == "partnerdata" or layer.id in PARTNER_RECORD_LAYERS:
        from layers import partner_store

        return list(partner_store.periods(conn))
    if layer.id == "raster":
        from layers import raster_store

        return sorted({r["periode"] for r in raster_store.active_rasters(conn)}, reverse=True)
    return [
        int(y)
        for y in conn.execute(
            text(
                f"SELECT DISTINCT {layer.year_column} FROM {layer.table} ORDER BY 1"  # names from catalogue
            )
        ).scalars()
    ]


def layer_is_synthetic(conn: Connection, layer: Layer) -> bool:
    """Whether what the layer shows now comes (partly) from the synthetic generator."""
    if layer.id == "raster":
        from layers import raster_store

        return any(r["synthetisch"] for r in raster_store.active_rasters(conn))
    if layer.id in PARTNER_RECORD_LAYERS:
        table = PARTNER_RECORD_LAYERS[layer.id]  # from the catalogue, not from the request
        return bool(
            conn.execute(
                text(
                    f"SELECT bool_or(x.synthetisch) FROM {table} x JOIN leveringen l "
                    "ON l.id = x.levering_id AND l.actief"
                )
            ).scalar()
        )
    if layer.id != "partnerdata":
        return layer.synthetic
    return bool(conn.execute(text("SELECT bool_or(synthetisch) FROM leveringen WHERE actief")).scalar())


def latest_year(conn: Connection, gemeente: str | None) -> int | None:
    value = conn.execute(
        text("SELECT max(jaar) FROM buurten WHERE CAST(:gm AS text) IS NULL OR gemeentecode = :gm"),
        {"gm": gemeente},
    ).scalar()
    return None if value is None else int(value)


def _year_and_edition(
    conn: Connection, gemeente: str | None, year: int | None, editie: int | None
) -> tuple[int | None, int | None]:
    """The buurten year and Leefbaarometer edition a read of one gemeente uses (the indicator
    table's choice, ``layers.indicators.choices``); without a gemeente the newest year."""
    if gemeente is None:
        return (year if year is not None else latest_year(conn, None)), editie
    from layers.indicators import choices

    chosen = choices(conn, gemeente, jaar=year, editie=editie)
    return chosen.jaar, chosen.editie


def features(
    conn: Connection,
    layer_id: str,
    *,
    gemeente: str | None = None,
    year: int | None = None,
    editie: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    properties: list[str] | None = None,
    limit: int = 20000,
    periode: str | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (EPSG:4326) of one layer."""
    layer = get_layer(layer_id)
    if layer.id in PARTNER_RECORD_LAYERS:
        from layers import partner_store
        from layers.periods import default_period

        if periode is None:  # the default period of the gemeente (layers.periods)
            periode = (
                default_period(conn, gemeente)[0]
                if gemeente
                else next(iter(partner_store.periods(conn)), None)
            )
        if periode is None:
            raise NotFound("Er zijn nog geen partnerleveringen geladen.")
        return partner_store.partner_features(
            conn, PARTNER_RECORD_LAYERS[layer.id], periode=periode, gemeente=gemeente
        )
    if layer.id in ("partnerdata", "raster"):
        return _partner_features(
            conn,
            layer,
            gemeente=gemeente,
            year=year,
            bbox=bbox,
            properties=properties,
            limit=limit,
            periode=periode,
        )
    return json.loads(
        features_json(
            conn,
            layer.id,
            gemeente=gemeente,
            year=year,
            editie=editie,
            bbox=bbox,
            properties=properties,
            limit=limit,
        )
    )


def features_json(
    conn: Connection,
    layer_id: str,
    *,
    gemeente: str | None = None,
    year: int | None = None,
    editie: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    properties: list[str] | None = None,
    limit: int = 20000,
) -> str:
    """The FeatureCollection of a CBS or Leefbaarometer layer as JSON text, assembled by PostGIS
    (``json_build_object``, ``ST_AsGeoJSON``): no row passes through Python."""
    layer = get_layer(layer_id)
    if layer.id not in _PROPERTIES:
        raise InvalidInput(f"Laag '{layer.id}' heeft geen eigen geometrie; vraag haar features op.")
    if properties is not None:
        unknown = [p for p in properties if p not in layer.field_ids()]
        if unknown:
            raise InvalidInput(
                f"Onbekende eigenschap(pen) {', '.join(unknown)} voor laag '{layer.id}'; "
                f"kies uit: {', '.join(layer.field_ids())}."
            )
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        if not (minx < maxx and miny < maxy and minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
            raise InvalidInput(
                f"bbox moet minLon,minLat,maxLon,maxLat zijn (WGS84), met min < max; gekregen {bbox}."
            )
    columns = _PROPERTIES[layer.id]
    wanted = [p for p in (properties if properties is not None else list(columns)) if p in columns]
    year, editie = _year_and_edition(conn, gemeente, year, editie)
    props = ", ".join(f"'{name}', {columns[name]}" for name in wanted)  # names and expressions: ours
    sql = (
        "SELECT json_build_object('type', 'FeatureCollection', 'features', "
        "coalesce(json_agg(f.feature ORDER BY f.k), '[]'::json), 'layer', CAST(:layer AS text), "
        "'jaar', CAST(:year AS integer), 'editie', CAST(:ed AS integer), 'aantal', count(f.k))::text "
        "FROM (SELECT " + columns[layer.key] + " AS k, json_build_object('type', 'Feature', 'id', "
        f"{columns[layer.key]}, 'properties', json_build_object({props}), 'geometry', "
        "ST_AsGeoJSON(ST_Transform(b.geom, 4326), 6)::json) AS feature "
        f"{_FROM[layer.id]} WHERE b.jaar = :year "
        "AND (CAST(:gm AS text) IS NULL OR b.gemeentecode = :gm) "
        "AND (CAST(:minx AS float8) IS NULL OR b.geom && ST_Transform("
        "ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326), 28992)) "
        f"ORDER BY {columns[layer.key]} LIMIT :limit) f"
    )
    params = {
        "layer": layer.id,
        "year": year,
        "gm": gemeente,
        "editie": editie,
        "ed": editie if layer.id == "leefbaarometer" else None,
        "limit": limit,
        **dict(zip(("minx", "miny", "maxx", "maxy"), bbox or (None,) * 4, strict=True)),
    }
    return str(conn.execute(text(sql), params).scalar_one())


def _partner_features(
    conn: Connection,
    layer: Layer,
    *,
    gemeente: str | None,
    year: int | None,
    bbox: tuple[float, float, float, float] | None,
    properties: list[str] | None,
    limit: int,
    periode: str | None,
) -> dict[str, Any]:
    """Buurt polygons carrying the partner (or raster) aggregates of one period."""
    field_ids = [f.id for f in layer_fields(conn, layer)]
    wanted = properties if properties is not None else field_ids
    unknown = [p for p in wanted if p not in field_ids and p not in ("buurtcode", "buurtnaam")]
    if unknown:
        raise InvalidInput(
            f"Onbekende eigenschap(pen) {', '.join(unknown)} voor laag '{layer.id}'; "
            f"kies uit: {', '.join(field_ids) or 'geen'}."
        )
    base = features(
        conn,
        "buurten",
        gemeente=gemeente,
        year=year,
        bbox=bbox,
        properties=["buurtcode", "buurtnaam"],
        limit=limit,
    )
    if gemeente is None:
        raise InvalidInput(f"Laag '{layer.id}' vraagt om een gemeente (gemeente=GM....).")
    from layers.indicators import read_table

    table = read_table(conn, gemeente=gemeente, jaar=base["jaar"], periode=periode)
    rows = table.frame
    synthetic_columns = {k: c.synthetisch for k, c in table.kolommen.items()}
    for feat in base["features"]:
        code = feat["properties"]["buurtcode"]
        for p in wanted:
            if p in field_ids:
                value = rows.at[code, p] if code in rows.index and p in rows.columns else None
                feat["properties"][p] = to_python(value)
    shown = [p for p in wanted if p in field_ids]
    synthetic = any(synthetic_columns.get(p, False) for p in shown)
    for feat in base["features"]:
        feat["properties"]["synthetisch"] = synthetic
    return {**base, "layer": layer.id, "periode": table.periode, "synthetisch": synthetic}


def buurt(
    conn: Connection, code: str, *, year: int | None = None, editie: int | None = None
) -> dict[str, Any]:
    """Every value of one buurt: codes, kerncijfers and its Leefbaarometer scores, for the buurten
    year and edition the gemeente's indicator table uses (or those given). A code that does not
    exist in that year is read from the newest year that has it (``jaar`` says which)."""
    gemeente = "GM" + code[2:6]
    has_year = conn.execute(
        text("SELECT 1 FROM buurten WHERE buurtcode = :c AND (CAST(:y AS integer) IS NULL OR jaar = :y)"),
        {"c": code, "y": year},
    ).first()
    if has_year is None:
        raise NotFound(f"Buurt {code} is niet gevonden" + (f" voor jaar {year}." if year else "."))
    chosen_year, editie = _year_and_edition(conn, gemeente, year, editie)
    row = (
        conn.execute(
            text(
                "SELECT b.*, ST_AsGeoJSON(ST_Transform(b.geom, 4326), 6) AS g, "
                f"ST_Area(b.geom) / 10000.0 AS oppervlakte_geometrie_ha, {_LBM_COLUMNS}, "
                "ll.source_file AS bron_bestand, ll.loaded_at AS geladen_op "
                f"FROM buurten b {_LATEST_LBM} LEFT JOIN load_log ll ON ll.id = b.load_id "
                "WHERE b.buurtcode = :code AND (CAST(:year AS integer) IS NULL OR b.jaar = :year) "
                "ORDER BY (b.jaar = :chosen) DESC, b.jaar DESC LIMIT 1"
            ),
            {"code": code, "year": year, "chosen": chosen_year, "editie": editie},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"Buurt {code} is niet gevonden" + (f" voor jaar {year}." if year else "."))
    values = dict(row)
    geometry = json.loads(values.pop("g"))
    values.pop("geom", None)
    for key in ("id", "load_id"):
        values.pop(key, None)
    years = (
        conn.execute(text("SELECT jaar FROM buurten WHERE buurtcode = :c ORDER BY jaar"), {"c": code})
        .scalars()
        .all()
    )
    values["jaren"] = list(years)
    values["geladen_op"] = values["geladen_op"].isoformat() if values["geladen_op"] else None
    values["bronnen"] = {
        "buurten": LAYERS["buurten"].attribution,
        "leefbaarometer": LAYERS["leefbaarometer"].attribution if values["lbm_editie"] else None,
    }
    values["geometry"] = geometry
    return values
