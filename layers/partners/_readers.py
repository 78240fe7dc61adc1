"""Reading Excel, CSV and GIS files into raw tables (internal helper of validate).

A :class:`Table` holds the raw cell values of one layer with the row numbers the user sees:
the Excel or CSV line number, or the 1-based feature number of a GIS file.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from openpyxl import load_workbook

from layers.partners._problems import Problems, is_empty, show

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
GIS_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".zip"}  # .zip: a zipped Shapefile
CSV_SUFFIXES = {".csv", ".txt"}
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


def read_excel(path: Path, problems: Problems) -> dict[str, list[tuple[int, list[Any]]]] | None:
    """All sheets of a workbook as (row number, values) lists; None if unreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        problems.add(
            "het bestand kan niet als Excel-werkmap (.xlsx) worden gelezen",
            verwacht="het ingevulde Excel-sjabloon (.xlsx)",
        )
        return None
    try:
        sheets = {}
        for ws in wb.worksheets:
            sheets[ws.title.strip().lower()] = [
                (i, list(values)) for i, values in enumerate(ws.iter_rows(values_only=True), 1)
            ]
        return sheets
    finally:
        wb.close()


def sheet_table(kind: str, rows: list[tuple[int, list[Any]]]) -> Table:
    """A layer sheet (header in its first row) as a :class:`Table`."""
    if not rows:
        return Table(kind, [])
    return _table(kind, rows[0][1], rows[1:])


def read_csv(path: Path, kind: str, problems: Problems) -> Table | None:
    """A CSV file (``;``, ``,`` or tab separated; UTF-8 or Windows-1252) as a table."""
    raw = path.read_bytes()
    if not raw.strip():
        problems.add("het bestand is leeg", verwacht="een kopregel en minstens één rij")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.splitlines()[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        body = []
        for values in reader:
            body.append((reader.line_num, list(values)))
    except csv.Error as exc:
        problems.add(
            f"het CSV-bestand kan niet worden gelezen ({exc})", verwacht="een CSV-bestand met een kopregel"
        )
        return None
    return _table(kind, header, body)


def _gis_layer(path: Path, kind: str, problems: Problems) -> str | None:
    try:
        layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception:
        problems.add(
            "het bestand kan niet als GIS-bestand worden gelezen",
            verwacht="een GeoPackage (.gpkg), GeoJSON (.geojson) of Shapefile (.shp, of gezipt als .zip)",
        )
        return None
    if kind in layers:
        return kind
    if len(layers) == 1:
        return layers[0]
    problems.add(
        f"het bestand heeft {len(layers)} lagen ({', '.join(layers)}) en geen laag met de naam '{kind}'",
        verwacht=f"één laag, of een laag '{kind}'",
    )
    return None


def read_gis(path: Path, kind: str, problems: Problems) -> Table | None:
    """A GeoPackage/GeoJSON layer as a table with geometries in EPSG:28992."""
    name = _gis_layer(path, kind, problems)
    if name is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = gpd.read_file(path, layer=name, engine="pyogrio")
    except Exception:
        problems.add(
            "het bestand kan niet als GIS-bestand worden gelezen",
            verwacht="een GeoPackage (.gpkg), GeoJSON (.geojson) of Shapefile (.shp, of gezipt als .zip)",
        )
        return None
    if len(gdf) == 0:
        problems.add("het bestand bevat geen objecten", verwacht="minstens één object")
        return None
    if gdf.crs is None:
        problems.add(
            "het bestand heeft geen (bekend) coördinatenstelsel",
            verwacht="een bestand met CRS, bij voorkeur RD New (EPSG:28992)",
        )
        return None
    label = gdf.crs.to_string()
    try:
        rd = gdf.to_crs(28992)
    except Exception:
        problems.add(
            f"het coördinatenstelsel {label} kan niet naar RD New worden omgezet",
            verwacht="RD New (EPSG:28992) of WGS84 (EPSG:4326)",
        )
        return None
    geoms = shapely.force_2d(np.asarray(rd.geometry.values, dtype=object))
    present = [g for g in geoms if g is not None and not g.is_empty]
    if present:
        x0, y0, x1, y1 = shapely.total_bounds(np.asarray(present, dtype=object))
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
    table.geometries = [g if g is not None and not g.is_empty else None for g in geoms]
    table.header_row = None
    return table
