"""Reading Excel, CSV and GIS files into raw tables (internal helper of validate).

A :class:`Table` holds the raw cell values of one layer with the row numbers the user sees:
the Excel or CSV line number, or the 1-based feature number of a GIS file.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from layers.files import (
    MACRO_SUFFIXES,
    UPLOAD_LIMITS,
    FileProblem,
    Limits,
    check_kind,
    describe_kind,
    sniff,
)
from layers.partners._problems import Problems, is_empty, show
from layers.readers import Candidate, crs_label, load_layer, named, present
from layers.tables import csv_rows, decode_text, excel_sheets

EXCEL_SUFFIXES = {".xlsx"} | MACRO_SUFFIXES  # macro workbooks are recognised, then refused
GIS_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb"}  # .zip: a zipped Shapefile
CSV_SUFFIXES = {".csv", ".txt"}
SHEETS = {"levering", "bezit", "projecten", "verkoop"}
LIMITS = UPLOAD_LIMITS
"""Partner files are limited as uploads, whether they come through the API or the CLI."""
_GIS_EXPECTED = "een GeoPackage (.gpkg), GeoJSON (.geojson) of Shapefile (.shp, of gezipt als .zip)"
_ALIASES = {
    "label": "energielabel",
    "nen_2767_conditie": "conditie",
    "conditie_nen_2767": "conditie",
    "conditie_nen2767": "conditie",
    "nen2767": "conditie",
    "aantal": "aantal_woningen",
    "x_rd": "x",
    "y_rd": "y",
    "longitude": "lon",
    "latitude": "lat",
    "geometrie": "wkt",
    "geometry": "wkt",
    "geplande_jaar": "gepland_jaar",
}
# RD New bounds of the Netherlands (with margin), to detect a wrong CRS
NL_RD_BOUNDS = (-10000.0, 280000.0, 310000.0, 640000.0)


def _shapefile_aliases() -> dict[str, str]:
    """Shapefiles cut field names to 10 characters: ``aantal_won`` → ``aantal_woningen``.

    Only unambiguous cuts are aliases; ``woningen_erbij`` and ``woningen_eraf`` share
    ``woningen_e``, so those two have the short forms ``erbij`` and ``eraf``.
    """
    from layers.partners.schema import SCHEMA

    names = {c.name for layer in SCHEMA.values() for c in layer.columns}
    names |= {"vertrouwelijkheid", "synthetisch", "partner", "periode"}
    cuts: dict[str, set[str]] = {}
    for name in names:
        if len(name) > 10:
            cuts.setdefault(name[:10], set()).add(name)
    aliases = {cut: next(iter(full)) for cut, full in cuts.items() if len(full) == 1 and cut not in names}
    aliases.update({"erbij": "woningen_erbij", "eraf": "woningen_eraf"})
    return aliases


_SHAPEFILE_ALIASES = _shapefile_aliases()


def norm_header(value: Any) -> str:
    """Normalise a column header: lower case, spaces and hyphens to underscores, aliases
    (including Shapefile's 10-character cuts of the template's column names)."""
    key = "_".join(str(show(value)).strip().lower().replace("-", " ").split())
    return _ALIASES.get(key) or _SHAPEFILE_ALIASES.get(key, key)


@dataclass
class Table:
    """Raw rows of one layer: ``rows`` holds (row number, {normalised header: value})."""

    kind: str
    headers: list[tuple[int, str, str]]  # (column position, raw header, normalised)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    geometries: list[Any] | None = None  # per row, EPSG:28992, for GIS files
    header_row: int | None = 1


def _table(kind: str, header: list[Any], body: list[tuple[int, list[Any]]]) -> Table:
    headers = [(i, str(show(h)), norm_header(h)) for i, h in enumerate(header) if not is_empty(h)]
    rows = []
    for number, values in body:
        if all(is_empty(v) for v in values):
            continue
        row = {key: values[i] for i, _raw, key in headers if i < len(values)}
        rows.append((number, row))
    return Table(kind, headers, rows)


def read_excel(
    path: Path, problems: Problems, *, limits: Limits = LIMITS
) -> dict[str, list[tuple[int, list[Any]]]] | None:
    """The template's sheets (levering, bezit, projecten, verkoop) as (row number, values) lists;
    other sheets are not read. None when the workbook is refused or unreadable (problems added).

    Macro workbooks (.xlsm and friends, or an .xlsx holding VBA) are refused, as are workbooks with
    a DTD, a too large unpacked size, or more rows or columns than the limits allow."""
    suffix = Path(problems.bestand).suffix.lower() or path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        problems.add(
            f"werkmappen met macro's ({suffix}) worden om veiligheidsredenen niet geaccepteerd",
            verwacht="het sjabloon opgeslagen als 'Excel-werkmap (.xlsx)', zonder macro's",
        )
        return None
    kind = sniff(path)
    if kind != "zip":
        problems.add(
            f"het bestand kan niet als Excel-werkmap (.xlsx) worden gelezen: het is {describe_kind(kind)}",
            verwacht="het ingevulde Excel-sjabloon (.xlsx)",
        )
        return None
    try:
        return excel_sheets(path, limits=limits, only=SHEETS)
    except FileProblem as exc:
        problems.add(exc.core, verwacht=exc.expected or "het ingevulde Excel-sjabloon (.xlsx)")
        return None


def sheet_table(kind: str, rows: list[tuple[int, list[Any]]]) -> Table:
    """A layer sheet (header in its first row) as a :class:`Table`."""
    if not rows:
        return Table(kind, [])
    return _table(kind, rows[0][1], rows[1:])


def read_csv(path: Path, kind: str, problems: Problems, *, limits: Limits = LIMITS) -> Table | None:
    """A CSV file (``;``, ``,``, tab or ``|`` separated; UTF-8, UTF-16 or Windows-1252) as a table."""
    try:
        check_kind(path, problems.bestand)
        header, body = csv_rows(decode_text(path.read_bytes()), limits=limits)
    except FileProblem as exc:
        problems.add(exc.core, verwacht=exc.expected)
        return None
    if not body and not header:
        problems.add("het bestand is leeg", verwacht="een kopregel en minstens één rij")
        return None
    return _table(kind, header, body)


_GEOMETRY_TYPES = {"Point", "Polygon", "MultiPolygon"}


def read_gis(path: Path, kind: str, problems: Problems, *, limits: Limits = LIMITS) -> Table | None:
    """A GIS layer as a table with geometries in EPSG:28992 (Z and M dropped).

    A GeoPackage (or zip archive, also with the Shapefile in a subfolder) may hold several layers:
    the one named like ``kind`` is read, otherwise its only layer. Features and vertices are
    counted against the limits before the objects are validated."""

    def is_kind(candidate: Candidate, _sample: Any) -> bool:
        return named(candidate, kind)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = load_layer(path, problems.bestand, want=is_kind, what=f"een laag '{kind}'", limits=limits)
    except FileProblem as exc:
        problems.add(exc.core, verwacht=exc.expected or _GIS_EXPECTED)
        return None
    if not isinstance(frame, gpd.GeoDataFrame):
        problems.add("het bestand heeft geen geometrie", verwacht=_GIS_EXPECTED)
        return None
    gdf = frame
    if len(gdf) == 0:
        problems.add("het bestand bevat geen objecten", verwacht="minstens één object")
        return None
    if gdf.crs is None:
        problems.add(
            "het bestand heeft geen (bekend) coördinatenstelsel",
            verwacht="een bestand met CRS, bij voorkeur RD New (EPSG:28992)",
        )
        return None
    label = crs_label(gdf.crs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rd = gdf.to_crs(28992)
    except Exception:
        problems.add(
            f"het coördinatenstelsel {label} kan niet naar RD New worden omgezet",
            verwacht="RD New (EPSG:28992) of WGS84 (EPSG:4326)",
        )
        return None
    geoms = _single_points(shapely.force_2d(np.asarray(rd.geometry.values, dtype=object)))
    filled = present(rd.geometry)
    for number, (geom, ok) in enumerate(zip(geoms, filled, strict=True), start=1):
        if ok and geom.geom_type not in _GEOMETRY_TYPES:
            problems.add(
                f"geometrietype {geom.geom_type} wordt niet ondersteund",
                blad=kind,
                rij=number,
                kolom="geometrie",
                verwacht="een punt of vlak (Point, Polygon of MultiPolygon)",
            )
    if filled.any():
        x0, y0, x1, y1 = shapely.total_bounds(geoms[filled])
        bx0, by0, bx1, by1 = NL_RD_BOUNDS
        if not (np.isfinite([x0, y0, x1, y1]).all() and x0 >= bx0 and y0 >= by0 and x1 <= bx1 and y1 <= by1):
            problems.add(
                f"de coördinaten passen niet bij het opgegeven coördinatenstelsel "
                f"({label}): ze liggen niet in Nederland",
                verwacht="het juiste CRS in het bestand, bv. RD New (EPSG:28992)",
            )
            return None
    attrs = rd.drop(columns=rd.geometry.name)
    header = [str(c) for c in attrs.columns]
    body = [(i, list(values)) for i, values in enumerate(attrs.itertuples(index=False, name=None), start=1)]
    table = _table(kind, header, [])
    table.rows = [(n, {key: vals[i] for i, _r, key in table.headers}) for n, vals in body]
    table.geometries = [g if ok else None for g, ok in zip(geoms, filled, strict=True)]
    table.header_row = None
    return table


def _single_points(geoms: np.ndarray) -> np.ndarray:
    """A MultiPoint of one point (as some GIS programs write address points) is that point."""
    out = geoms.copy()
    for i, g in enumerate(geoms):
        if g is not None and g.geom_type == "MultiPoint" and shapely.get_num_geometries(g) == 1:
            out[i] = shapely.get_geometry(g, 0)
    return out
