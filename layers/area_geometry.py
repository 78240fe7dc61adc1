"""Areas drawn by a user: read a GeoJSON polygon, check it, bring it into the gemeente.

``parse_area`` checks what can be checked without the database (GeoJSON form, CRS, vertex
count, coordinate range, emptiness, validity) and says in Dutch what is wrong; raw GEOS text never
reaches a user. ``clip_to_gemeente`` transforms the shape to EPSG:28992 and clips it to the
gemeente's buurten in PostGIS; a shape entirely outside is refused, a shape partly outside is
clipped and the caller gets a notice.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from sqlalchemy import Connection, text

from layers.errors import InvalidInput

__all__ = [
    "MAX_VERTICES",
    "SUPPORTED_CRS",
    "Area",
    "clip_to_gemeente",
    "dissolve_buurten",
    "parse_area",
    "srid_of",
    "to_geojson_4326",
]

MAX_VERTICES = 100_000
"""More vertices than this is refused (a hand-drawn or dissolved area has a few thousand)."""

SUPPORTED_CRS: dict[str, int] = {
    "EPSG:4326": 4326,
    "OGC:CRS84": 4326,
    "URN:OGC:DEF:CRS:OGC:1.3:CRS84": 4326,
    "URN:OGC:DEF:CRS:EPSG::4326": 4326,
    "EPSG:28992": 28992,
    "URN:OGC:DEF:CRS:EPSG::28992": 28992,
}
# plausible coordinate ranges: the world in degrees; the RD New grid (with a margin)
_BOUNDS = {4326: (-180.0, -90.0, 180.0, 90.0), 28992: (-10_000.0, 280_000.0, 310_000.0, 640_000.0)}
_MIN_AREA_M2 = 1.0
"""A buurt counts as touched, and a clipped part as cut off, only above this area (m²)."""

# GEOS validity reasons → Dutch
_REASONS = {
    "self-intersection": "de rand snijdt zichzelf",
    "ring self-intersection": "een ring raakt of snijdt zichzelf",
    "too few points": "een ring heeft te weinig punten (minstens 4, de eerste gelijk aan de laatste)",
    "hole lies outside shell": "een gat ligt buiten de buitenrand",
    "nested holes": "een gat ligt in een ander gat",
    "interior is disconnected": "het binnengebied valt door de gaten uiteen",
    "nested shells": "een deel ligt binnen een ander deel",
    "duplicate rings": "een ring komt twee keer voor",
    "invalid coordinate": "een coördinaat is geen getal",
    "ring is not closed": "een ring is niet gesloten",
}


@dataclass(frozen=True)
class Area:
    """A checked area: the shape as drawn in its own CRS, and that CRS's EPSG code."""

    geom: shapely.Geometry
    srid: int
    vertices: int


def srid_of(crs: object) -> int:
    """The EPSG code of a stated CRS ('EPSG:4326', 'EPSG:28992', 4326, URN forms)."""
    if isinstance(crs, int) and not isinstance(crs, bool):
        key = f"EPSG:{crs}"
    elif isinstance(crs, str):
        key = crs.strip().upper()
    elif isinstance(crs, dict):  # the old GeoJSON 'crs' member: {"type": "name", "properties": {...}}
        key = str((crs.get("properties") or {}).get("name", "")).strip().upper()
    else:
        key = ""
    if key not in SUPPORTED_CRS:
        raise InvalidInput(
            f"Onbekend coördinatenstelsel '{crs}'. Geef 'crs' als EPSG:4326 (lengte- en breedtegraad, "
            "zoals de kaart) of EPSG:28992 (RD New, meters)."
        )
    return SUPPORTED_CRS[key]


def _count_vertices(coords: Any, limit: int) -> int:
    """Count coordinate pairs in nested GeoJSON lists; stops counting past ``limit``."""
    count = 0
    stack = [coords]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            if item and isinstance(item[0], int | float) and not isinstance(item[0], bool):
                count += 1
                if count > limit:
                    return count
            else:
                stack.extend(item)
    return count


def _unwrap(geometry: Any) -> dict[str, Any]:
    """The geometry object of a GeoJSON geometry, Feature or one-feature FeatureCollection."""
    if not isinstance(geometry, dict):
        raise InvalidInput("'geometrie' moet een GeoJSON-object zijn (Polygon of MultiPolygon).")
    kind = geometry.get("type")
    if kind == "Feature":
        return _unwrap(geometry.get("geometry"))
    if kind == "FeatureCollection":
        feats = geometry.get("features") or []
        if len(feats) != 1:
            raise InvalidInput(
                "Een FeatureCollection als gebied moet precies één feature hebben; deze heeft er "
                f"{len(feats)}."
            )
        return _unwrap(feats[0])
    if kind not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(
            f"Een gebied moet een Polygon of MultiPolygon zijn; '{kind}' is geen vlak. "
            "Teken een gesloten vlak of kies buurten."
        )
    return geometry


def _dutch_reason(geom: shapely.Geometry) -> str:
    reason = shapely.is_valid_reason(geom)
    match = re.match(r"^\s*([^\[]+?)\s*\[\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)", reason or "")
    name = (match.group(1) if match else reason or "").strip().lower()
    where = f" (bij {float(match.group(2)):.6g}, {float(match.group(3)):.6g})" if match else ""
    return _REASONS.get(name, "de vorm voldoet niet aan de regels voor een geldig vlak") + where


def parse_area(geometry: Any, crs: object) -> Area:
    """Check a GeoJSON polygon in a stated CRS; ``InvalidInput`` (Dutch) when it cannot be an area."""
    srid = srid_of(crs)
    geo = _unwrap(geometry)
    coords = geo.get("coordinates")
    if not isinstance(coords, list | tuple):
        raise InvalidInput(f"De {geo['type']} heeft geen lijst 'coordinates'.")
    n = _count_vertices(coords, MAX_VERTICES)
    if n > MAX_VERTICES:
        raise InvalidInput(
            f"Het gebied heeft meer dan {MAX_VERTICES:,} hoekpunten; vereenvoudig de vorm.".replace(",", ".")
        )
    if n == 0:
        raise InvalidInput("Het gebied is leeg: het heeft geen hoekpunten.")
    try:
        geom = shape(geo)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        raise InvalidInput(
            "De geometrie is geen geldige GeoJSON-polygoon: elke ring is een lijst van minstens vier "
            "[x, y]-paren waarvan de eerste en de laatste gelijk zijn."
        ) from None
    if geom.is_empty:
        raise InvalidInput("Het gebied is leeg.")
    xy = shapely.get_coordinates(geom)
    if not all(math.isfinite(v) for v in xy.ravel()):
        raise InvalidInput("Het gebied heeft een coördinaat die geen eindig getal is.")
    x0, y0, x1, y1 = _BOUNDS[srid]
    bad = (xy[:, 0] < x0) | (xy[:, 0] > x1) | (xy[:, 1] < y0) | (xy[:, 1] > y1)
    if bad.any():
        x, y = xy[bad.argmax()]
        raise InvalidInput(
            f"Coördinaat ({x:.6g}, {y:.6g}) ligt buiten het bereik van EPSG:{srid}; klopt 'crs'? "
            "(EPSG:4326 is [lengtegraad, breedtegraad], EPSG:28992 is [x, y] in meters.)"
        )
    if not geom.is_valid:
        raise InvalidInput(f"Het gebied is geen geldig vlak: {_dutch_reason(geom)}. Pas de vorm aan.")
    if geom.area <= 0:
        raise InvalidInput("Het gebied heeft geen oppervlakte.")
    return Area(geom, srid, n)


_CLIP_SQL = text(
    """
    WITH a AS (
        SELECT ST_Transform(ST_SetSRID(ST_GeomFromWKB(:wkb), :srid), 28992) AS g
    ),
    parts AS (
        SELECT ST_Intersection(b.geom, a.g) AS g
        FROM buurten b, a
        WHERE b.gemeentecode = :gm AND b.jaar = :jaar AND ST_Intersects(b.geom, a.g)
    )
    , inside AS (
        SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(g)), 3)) AS g FROM parts
    )
    SELECT ST_Area(a.g) AS getekend, ST_AsBinary(inside.g) AS binnen,
           ST_AsGeoJSON(ST_Transform(inside.g, 4326), 7) AS geojson
    FROM a, inside
    """
)


def clip_to_gemeente(
    conn: Connection, area: Area, *, gemeente: str, jaar: int
) -> tuple[shapely.MultiPolygon, list[str], dict[str, Any]]:
    """The area in EPSG:28992, clipped to the buurten of ``gemeente`` in ``jaar``; notices (Dutch);
    the clipped area as a GeoJSON geometry in EPSG:4326.

    Refuses an area that does not overlap any buurt of the gemeente.
    """
    row = conn.execute(
        _CLIP_SQL, {"wkb": shapely.to_wkb(area.geom), "srid": area.srid, "gm": gemeente, "jaar": jaar}
    ).one()
    inside = None if row.binnen is None else shapely.from_wkb(bytes(row.binnen))
    if inside is None or inside.is_empty or inside.area < _MIN_AREA_M2:
        raise InvalidInput(
            f"Het gebied ligt helemaal buiten de gemeente {gemeente} (buurten {jaar}); teken het "
            "binnen de gemeentegrens."
        )
    notices = []
    cut = float(row.getekend) - inside.area
    if cut >= _MIN_AREA_M2 and cut / float(row.getekend) > 1e-6:
        notices.append(
            f"Het gebied lag deels buiten de gemeente {gemeente}: {cut / 10_000:.2f} ha "
            f"({100 * cut / float(row.getekend):.1f} %) is weggeknipt; de cijfers gaan over het deel "
            "binnen de gemeente."
        )
    assert isinstance(inside, shapely.MultiPolygon)
    return inside, notices, json.loads(row.geojson)


def to_geojson_4326(conn: Connection, geom: shapely.Geometry) -> dict[str, Any]:
    """A geometry in EPSG:28992 as a GeoJSON geometry in EPSG:4326 (transformed by PostGIS)."""
    value = conn.execute(
        text("SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromWKB(:wkb), 28992), 4326), 7)"),
        {"wkb": shapely.to_wkb(geom)},
    ).scalar_one()
    result: dict[str, Any] = json.loads(value)
    return result


def dissolve_buurten(
    conn: Connection, *, gemeente: str, jaar: int, buurtcodes: list[str], wijkcodes: list[str]
) -> dict[str, Any]:
    """The buurten (and whole wijken) chosen, dissolved into one area: GeoJSON in EPSG:4326."""
    row = conn.execute(
        text(
            "SELECT "
            "ST_AsGeoJSON(ST_Transform(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3)), "
            "4326), 7) AS g, array_agg(buurtcode ORDER BY buurtcode) AS codes FROM buurten "
            "WHERE gemeentecode = :gm AND jaar = :jaar AND (buurtcode = ANY(CAST(:b AS text[])) "
            "OR wijkcode = ANY(CAST(:w AS text[])))"
        ),
        {"gm": gemeente, "jaar": jaar, "b": buurtcodes, "w": wijkcodes},
    ).one()
    found = set(row.codes or [])
    missing = [c for c in buurtcodes if c not in found]
    if row.g is None or missing:
        what = ", ".join(missing) if missing else ", ".join(buurtcodes + wijkcodes) or "geen codes"
        raise InvalidInput(f"Onbekende buurten of wijken van {gemeente} in {jaar}: {what}.")
    return {"geometrie": json.loads(row.g), "buurtcodes": sorted(found), "crs": "EPSG:4326"}
