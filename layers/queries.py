"""Reading layers back from PostGIS: features in EPSG:4326, one buurt, the indicator table."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from layers.catalogue import LAYERS, PARTNER_RECORD_LAYERS, Field, Layer, indicator_fields
from layers.errors import InvalidInput, NotFound
from layers.readers import to_python

# SELECT list of each layer, in terms of the catalogue's field ids; `g` is the geometry.
_LBM_COLUMNS = (
    "l.score AS lbm_score, l.klasse AS lbm_klasse, l.won AS lbm_won, l.fys AS lbm_fys, "
    "l.vrz AS lbm_vrz, l.soc AS lbm_soc, l.onv AS lbm_onv, l.editie AS lbm_editie"
)
_LATEST_LBM = (
    "LEFT JOIN LATERAL (SELECT * FROM leefbaarometer x WHERE x.buurtcode = b.buurtcode "
    "AND (CAST(:editie AS integer) IS NULL OR x.editie = :editie) "
    "ORDER BY x.editie DESC LIMIT 1) l ON true"
)
_FROM: dict[str, str] = {
    "buurten": "FROM buurten b",
    "wijken": "FROM wijken b",
    "leefbaarometer": f"FROM buurten b {_LATEST_LBM}",
}
_COLUMNS: dict[str, str] = {
    "buurten": "b.buurtcode, b.buurtnaam, b.wijkcode, b.gemeentecode, b.gemeentenaam, b.jaar, "
    "b.aantal_inwoners, b.aantal_huishoudens, b.bevolkingsdichtheid, b.oppervlakte_land_ha",
    "wijken": "b.wijkcode, b.wijknaam, b.gemeentecode, b.jaar, b.aantal_inwoners, "
    "b.aantal_huishoudens, b.n_buurten",
    "leefbaarometer": f"b.buurtcode, b.buurtnaam, b.wijkcode, b.gemeentecode, {_LBM_COLUMNS}",
}


# Small counts ("openbaar, tenzij", DESIGN.md): with fewer than MIN_DWELLINGS corporation
# dwellings in a buurt, shares and means of their properties would describe single dwellings.
# They are left empty in the indicator table (the map and the scores; the engine imputes them
# according to each criterion's missing-value policy and flags that). Counts stay.
MIN_DWELLINGS = 5
SUPPRESSED_WITH_FEW_DWELLINGS = ("aandeel_label_efg", "gem_conditie")


def suppress_small_counts(record: dict[str, Any], *, count: str = "bezit_woningen") -> bool:
    """The small-count rule on one record, in place: with fewer than ``MIN_DWELLINGS`` (but some)
    dwellings in ``record[count]``, the shares and means of ``SUPPRESSED_WITH_FEW_DWELLINGS`` are
    left empty. True when it suppressed them (used by the indicator table and area statistics)."""
    held = record.get(count)
    if held is not None and 0 < held < MIN_DWELLINGS:
        for f in SUPPRESSED_WITH_FEW_DWELLINGS:
            record[f] = None
        return True
    return False


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

        periods = partner_store.periods(conn)
        if periode is None and not periods:
            raise NotFound("Er zijn nog geen partnerleveringen geladen.")
        return partner_store.partner_features(
            conn, PARTNER_RECORD_LAYERS[layer.id], periode=periode or periods[0], gemeente=gemeente
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
    if year is None:
        year = latest_year(conn, gemeente)
    sql = (
        f"SELECT {_COLUMNS[layer.id]}, ST_AsGeoJSON(ST_Transform(b.geom, 4326), 6) AS g "
        f"{_FROM[layer.id]} WHERE b.jaar = :year "
        "AND (CAST(:gm AS text) IS NULL OR b.gemeentecode = :gm) "
        "AND (CAST(:minx AS float8) IS NULL OR b.geom && ST_Transform("
        "ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326), 28992)) "
        f"ORDER BY 1 LIMIT :limit"
    )
    params = {
        "year": year,
        "gm": gemeente,
        "editie": editie,
        "limit": limit,
        **dict(zip(("minx", "miny", "maxx", "maxy"), bbox or (None,) * 4, strict=True)),
    }
    rows = conn.execute(text(sql), params).mappings().all()
    feats = []
    for row in rows:
        props = {k: v for k, v in row.items() if k != "g"}
        if properties is not None:
            props = {k: props[k] for k in properties if k in props}
        feats.append(
            {"type": "Feature", "id": row[layer.key], "properties": props, "geometry": json.loads(row["g"])}
        )
    return {
        "type": "FeatureCollection",
        "features": feats,
        "layer": layer.id,
        "jaar": year,
        "aantal": len(feats),
    }


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
    table = indicator_table(conn, gemeente=gemeente, year=base["jaar"], periode=periode)
    rows = {r["buurtcode"]: r for r in table["rijen"]}
    for feat in base["features"]:
        row = rows.get(feat["properties"]["buurtcode"], {})
        feat["properties"].update({p: row.get(p) for p in wanted if p in field_ids})
    synthetic = table["synthetisch"] if layer.id == "partnerdata" else layer_is_synthetic(conn, layer)
    for feat in base["features"]:
        feat["properties"]["synthetisch"] = synthetic
    return {**base, "layer": layer.id, "periode": table["periode"], "synthetisch": synthetic}


def buurt(conn: Connection, code: str, *, year: int | None = None) -> dict[str, Any]:
    """Every value of one buurt: codes, kerncijfers and the latest Leefbaarometer scores."""
    row = (
        conn.execute(
            text(
                "SELECT b.*, ST_AsGeoJSON(ST_Transform(b.geom, 4326), 6) AS g, "
                f"ST_Area(b.geom) / 10000.0 AS oppervlakte_geometrie_ha, {_LBM_COLUMNS}, "
                "ll.source_file AS bron_bestand, ll.loaded_at AS geladen_op "
                f"FROM buurten b {_LATEST_LBM} LEFT JOIN load_log ll ON ll.id = b.load_id "
                "WHERE b.buurtcode = :code AND (CAST(:year AS integer) IS NULL OR b.jaar = :year) "
                "ORDER BY b.jaar DESC LIMIT 1"
            ),
            {"code": code, "year": year, "editie": None},
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


def indicator_table(
    conn: Connection, *, gemeente: str | None, year: int | None = None, periode: str | None = None
) -> dict[str, Any]:
    """One row per buurt with every indicator (the table the scoring engine reads)."""
    from layers import partner_store

    if year is None:
        year = latest_year(conn, gemeente)
    periods = partner_store.periods(conn)
    if periode is None and periods:
        periode = periods[0]
    elif periode is not None and periode not in periods:
        raise NotFound(
            f"Geen partnerleveringen voor periode {periode}; beschikbaar: {', '.join(periods) or 'geen'}."
        )
    partner = (
        partner_store.aggregate(conn, gemeente=gemeente, jaar=year, periode=periode)
        if periode and year
        else None
    )
    from layers import raster_store

    raster_ids = [f.id for f, _ in raster_store.raster_fields(conn, periode, gemeente)]
    raster = raster_store.raster_values(conn, periode, gemeente) if raster_ids else {}
    ids = [f.id for _, f in indicator_fields()] + raster_ids
    rows = (
        conn.execute(
            text(
                f"SELECT b.buurtcode, b.buurtnaam, b.wijkcode, b.aantal_inwoners, b.aantal_huishoudens, "
                f"b.bevolkingsdichtheid, "
                f"{_LBM_COLUMNS} FROM buurten b {_LATEST_LBM} "
                "WHERE b.jaar = :year AND (CAST(:gm AS text) IS NULL OR b.gemeentecode = :gm) "
                "ORDER BY b.buurtcode"
            ),
            {"year": year, "gm": gemeente, "editie": None},
        )
        .mappings()
        .all()
    )
    out = []
    suppressed: list[str] = []
    for r in rows:
        rec = {"buurtcode": r["buurtcode"], "buurtnaam": r["buurtnaam"], "wijkcode": r["wijkcode"]}
        for i in ids:
            if i in r:
                rec[i] = r[i]
            elif i in raster_ids:
                rec[i] = raster.get(r["buurtcode"], {}).get(i)
            elif partner is not None and not partner.empty and r["buurtcode"] in partner.index:
                rec[i] = to_python(partner.at[r["buurtcode"], i])
            else:
                rec[i] = None
        if suppress_small_counts(rec):
            suppressed.append(rec["buurtcode"])
        out.append(rec)
    return {
        "jaar": year,
        "gemeente": gemeente,
        "periode": periode,
        "perioden": periods,
        "synthetisch": (periode is not None and partner_store.synthetic_in_period(conn, periode))
        or any(r["synthetisch"] for r in raster_store.active_rasters(conn, periode, gemeente)),
        "indicatoren": ids,
        "onderdrukt": {
            "velden": list(SUPPRESSED_WITH_FEW_DWELLINGS),
            "drempel": MIN_DWELLINGS,
            "buurten": suppressed,
            "reden": f"minder dan {MIN_DWELLINGS} corporatiewoningen in de buurt: geen aandelen of "
            "gemiddelden, zodat ze niets over een enkele woning verraden",
        },
        "rijen": out,
    }
