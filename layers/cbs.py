"""CBS wijk- en buurtkaart loader: any year, PDOK long names or shapefile short names.

``prepare_buurten`` reads and validates a file without touching the database; ``store_buurten``
writes a prepared file in one transaction (all or nothing), keyed on (jaar, buurtcode), so that
reloading the same file changes nothing and another year is kept beside the earlier ones. Wijken
are derived from the buurten (dissolved per wijkcode) on every load.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, text

from layers.errors import InvalidUpload
from layers.files import LOADER_LIMITS, Limits
from layers.readers import (
    BUURTCODE_RE,
    Candidate,
    Progress,
    cbs_missing_to_nan,
    check_codes,
    check_texts,
    column_key,
    crs_label,
    file_sha256,
    not_numbers,
    numeric_columns,
    present,
    problem,
    raise_if_problems,
    read_vector,
    rename_aliases,
    to_python,
)

RD_NEW = 28992

#: canonical column → names used by CBS/PDOK across years (long PDOK names, shapefile short
#: names, and the 10-character truncations of PDOK names written to shapefiles).
ALIASES: dict[str, list[str]] = {
    "buurtcode": ["buurtcode", "bu_code", "statcode", "code"],
    "buurtnaam": ["buurtnaam", "bu_naam", "statnaam", "naam"],
    "wijkcode": ["wijkcode", "wk_code"],
    "gemeentecode": ["gemeentecode", "gm_code", "gemeenteco"],
    "gemeentenaam": ["gemeentenaam", "gm_naam", "gemeentena", "gemeente"],
    "jaar": ["jaar"],
    "jaarstatcode": ["jaarstatcode", "jaarstatco", "jrstatcode"],
    "aantal_inwoners": ["aantal_inwoners", "aant_inw", "aantal_inw"],
    "aantal_huishoudens": ["aantal_huishoudens", "aantal_hh", "aant_hh", "aantal_hui"],
    "bevolkingsdichtheid": [
        "bevolkingsdichtheid_inwoners_per_km2",
        "bevolkingsdichtheid",
        "bev_dichth",
        "bevolkings",
    ],
    "oppervlakte_land_ha": ["oppervlakte_land_in_ha", "opp_land", "oppervla_1"],
    "water": ["water"],
}
_TEXT_COLUMNS = {
    "buurtcode",
    "buurtnaam",
    "wijkcode",
    "gemeentecode",
    "gemeentenaam",
    "jaarstatcode",
    "water",
    "jaar",
    "gml_id",
    "id",
    "fid",
    "meest_voorkomende_postcode",
    "meest_voor",
    "pc4",
    "postcode",
    "indelingswijziging_wijken_en_buurten",
    "ind_wbi",
    "indelingsw",
    "jrstatcode",
    "statcode",
    "statnaam",
    "rubriek",
    "objectid",
}
_CORE_NUMERIC = ["aantal_inwoners", "aantal_huishoudens", "bevolkingsdichtheid", "oppervlakte_land_ha"]


@dataclass
class PreparedBuurten:
    """A validated buurten file, ready to be stored."""

    path: Path
    sha256: str
    year: int
    frame: gpd.GeoDataFrame  # EPSG:28992, MultiPolygon, canonical columns + kerncijfers (dict)
    gemeenten: list[str]
    repaired: list[str] = field(default_factory=list)  # buurtcodes whose geometry was repaired
    skipped_water: int = 0
    notes: list[str] = field(default_factory=list)  # what was assumed, e.g. RD New for a GeoJSON


def holds_buurten(candidate: Candidate, sample: pd.DataFrame) -> bool:
    """Whether a layer holds buurten: polygons, and a code column whose values are buurtcodes."""
    kind = (candidate.geometry_type or "").lower()
    if "polygon" not in kind and kind != "unknown":
        return False
    renamed = rename_aliases(sample, {"buurtcode": ALIASES["buurtcode"]})
    if "buurtcode" not in renamed.columns:
        return False
    codes = renamed["buurtcode"].dropna().astype(str).str.strip()
    return len(codes) > 0 and float(codes.map(lambda c: bool(BUURTCODE_RE.match(c))).mean()) >= 0.8


def prepare_buurten(
    path: str | Path,
    *,
    gemeenten: list[str] | None = None,
    year: int | None = None,
    layer: str | None = None,
    limits: Limits = LOADER_LIMITS,
    progress: Progress | None = None,
) -> PreparedBuurten:
    """Read and validate a CBS buurten file; raise InvalidUpload listing every problem.

    ``path`` may be a GeoPackage with several layers (the buurten layer is found by its content,
    or named with ``layer``), a GeoJSON, a Shapefile, a FlatGeobuf, or a folder or zip archive
    holding one of these (also in a subfolder, as CBS publishes them).
    """
    path = Path(path)
    raw = read_vector(
        path,
        layer=layer,
        want=holds_buurten,
        what="buurtvlakken met buurtcodes",
        limits=limits,
        progress=progress,
    )
    if not isinstance(raw, gpd.GeoDataFrame) or (len(raw) and shapely.is_missing(raw.geometry.values).all()):
        raise InvalidUpload(
            f"{path.name} heeft geen geometrie; een buurtenkaart moet buurtvlakken bevatten "
            "(GeoPackage, GeoJSON of Shapefile).",
            details=[problem(path, "geen geometriekolom", verwacht="polygonen van buurten")],
        )
    if raw.empty:
        raise InvalidUpload(
            f"{path.name} bevat geen enkele buurt.",
            details=[problem(path, "leeg bestand", verwacht="minstens één buurt")],
        )
    frame = rename_aliases(raw, ALIASES)
    _check_columns(frame, path)
    notes: list[str] = []
    problems = check_texts(frame, path, ["buurtnaam", "gemeentenaam", "wijkcode", "gemeentecode"])
    problems += check_codes(frame, path, "buurtcode")
    frame, crs_problems = _check_crs(frame, path, notes)
    problems += crs_problems
    problems += _check_geometry(frame, path)
    problems += _check_numbers(frame, path)
    file_year, year_problems = _resolve_year(frame, path, year)
    problems += year_problems
    raise_if_problems(path, problems, "buurtenkaart")
    assert file_year is not None

    frame["buurtcode"] = frame["buurtcode"].astype(str).str.strip()
    _derive_codes(frame)
    if gemeenten:
        wanted = {g.strip().upper() for g in gemeenten}
        bad = sorted(g for g in wanted if not re.match(r"^GM\d{4}$", g))
        if bad:
            raise InvalidUpload(f"Ongeldige gemeentecode(s) {bad}; verwacht bijvoorbeeld GM0153.")
        frame = frame[frame["gemeentecode"].isin(wanted)].copy()
        missing = sorted(wanted - set(frame["gemeentecode"]))
        if missing:
            raise InvalidUpload(
                f"{path.name} bevat geen buurten van gemeente {', '.join(missing)}.",
                details=[
                    problem(path, f"geen buurten voor {g}", kolom="gemeentecode", waarde=g) for g in missing
                ],
            )
    gdf = gpd.GeoDataFrame(frame, geometry="geometry").to_crs(RD_NEW)
    gdf, repaired = _repair(gdf)
    gdf = _with_kerncijfers(gdf)
    return PreparedBuurten(
        path=path,
        sha256=source_sha256(path),
        year=file_year,
        frame=gdf,
        gemeenten=sorted(gdf["gemeentecode"].unique()),
        repaired=repaired,
        notes=notes,
    )


def source_sha256(path: Path) -> str:
    """Of a file, or of every file in a folder (names and contents)."""
    if not path.is_dir():
        return file_sha256(path)
    import hashlib

    digest = hashlib.sha256()
    for part in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(part.relative_to(path).as_posix().encode())
        digest.update(file_sha256(part).encode())
    return digest.hexdigest()


def _check_columns(frame: pd.DataFrame, path: Path) -> None:
    if "buurtcode" not in frame.columns:
        found = ", ".join(str(c) for c in frame.columns if c != "geometry")[:500]
        raise InvalidUpload(
            f"{path.name} heeft geen kolom met buurtcodes. Verwacht een kolom 'buurtcode' (PDOK) "
            f"of 'BU_CODE' (CBS-shapefile); gevonden kolommen: {found}.",
            details=[
                problem(
                    path,
                    "kolom met buurtcodes ontbreekt",
                    kolom="buurtcode",
                    verwacht="buurtcode of BU_CODE",
                    waarde=found,
                )
            ],
        )


# RD New coordinates of the Netherlands (with a margin)
_RD_BOUNDS = (-7000.0, 289000.0, 300000.0, 629000.0)
_NL_LONLAT = (2.5, 50.5, 7.5, 54.0)


def _inside(bounds: Any, box: tuple[float, float, float, float]) -> bool:
    return bool(bounds[0] >= box[0] and bounds[1] >= box[1] and bounds[2] <= box[2] and bounds[3] <= box[3])


def _check_crs(
    frame: gpd.GeoDataFrame, path: Path, notes: list[str]
) -> tuple[gpd.GeoDataFrame, list[dict[str, Any]]]:
    """The file's CRS must put the buurten in the Netherlands; a GeoJSON without CRS member whose
    coordinates are RD New is read as RD New (GDAL assumes WGS84 for GeoJSON), with a note."""
    if frame.crs is None:
        return frame, [
            problem(
                path,
                "het coördinatenstelsel is onbekend (geen .prj of CRS in het bestand)",
                verwacht="een bekend stelsel, bij voorkeur EPSG:28992 (RD New)",
            )
        ]
    geoms = frame.geometry[present(frame.geometry)]
    if geoms.empty:
        return frame, []  # every buurt without geometry: reported by _check_geometry
    bounds = geoms.total_bounds
    if not np.isfinite(bounds).all() or np.abs(bounds).max() > 1e8:
        return frame, [
            problem(
                path,
                "de coördinaten zijn ongeldig (oneindig, geen getal of astronomisch groot)",
                verwacht="coördinaten in RD New (meters) of WGS84 (graden)",
            )
        ]
    geographic = frame.crs.is_geographic
    if geographic and not _inside(bounds, _NL_LONLAT) and _inside(bounds, _RD_BOUNDS):
        if path.suffix.lower() in {".geojson", ".json"}:
            notes.append(
                f"{path.name} noemt geen coördinatenstelsel en de coördinaten zijn RD New (meters): "
                "gelezen als EPSG:28992."
            )
            return frame.set_crs(RD_NEW, allow_override=True), []
        return frame, [
            problem(
                path,
                f"het bestand zegt {crs_label(frame.crs)} (graden), "
                "maar de coördinaten lijken RD New (meters)",
                verwacht="het juiste coördinatenstelsel in het bestand (EPSG:28992 voor RD New)",
            )
        ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wgs = gpd.GeoSeries(geoms, crs=frame.crs).to_crs(4326).total_bounds
        except Exception:
            wgs = np.array([np.nan] * 4)
    if not np.isfinite(wgs).all() or not _inside(wgs, _NL_LONLAT):
        shown = ", ".join(f"{b:.6g}" for b in bounds)
        return frame, [
            problem(
                path,
                f"de coördinaten liggen niet in Nederland volgens het opgegeven stelsel "
                f"{crs_label(frame.crs)} (omhullende {shown})",
                verwacht="buurten in Nederland; klopt het coördinatenstelsel?",
            )
        ]
    return frame, []


def _check_geometry(frame: gpd.GeoDataFrame, path: Path) -> list[dict[str, Any]]:
    problems = []
    geoms = frame.geometry
    bad = pd.Series(~present(geoms), index=frame.index)
    kinds = geoms.geom_type
    collection_of_polygons = (kinds == "GeometryCollection") & geoms.map(
        lambda g: (
            g is not None and all(p.geom_type in ("Polygon", "MultiPolygon") for p in shapely.get_parts(g))
        )
    )
    wrong_type = ~kinds.isin(["Polygon", "MultiPolygon"]) & ~bad & ~collection_of_polygons
    for idx in frame.index[bad]:
        problems.append(
            problem(
                path,
                "buurt zonder geometrie",
                rij=int(idx) + 1,
                kolom="geometry",
                waarde=str(frame.at[idx, "buurtcode"]),
                verwacht="een vlak",
            )
        )
    for idx in frame.index[wrong_type]:
        problems.append(
            problem(
                path,
                f"geometrie is {geoms[idx].geom_type}",
                rij=int(idx) + 1,
                kolom="geometry",
                waarde=str(frame.at[idx, "buurtcode"]),
                verwacht="Polygon of MultiPolygon",
            )
        )
    return problems


def _check_numbers(frame: gpd.GeoDataFrame, path: Path) -> list[dict[str, Any]]:
    """The core figures must be numbers (or CBS's codes for 'missing'): 'veel' or 'inf' is refused."""
    problems = []
    for col in _CORE_NUMERIC:
        if col not in frame.columns:
            continue
        for idx in frame.index[not_numbers(frame[col])][:20]:
            value = str(frame.at[idx, col])[:40]
            problems.append(
                problem(
                    path,
                    f"'{value}' is geen (eindig) getal",
                    rij=int(idx) + 1,
                    kolom=col,
                    waarde=value,
                    verwacht="een getal, of leeg of een CBS-code voor 'onbekend'",
                )
            )
    return problems


def _resolve_year(
    frame: pd.DataFrame, path: Path, year: int | None
) -> tuple[int | None, list[dict[str, Any]]]:
    years: set[int] = set()
    if "jaar" in frame.columns:
        years |= set(pd.to_numeric(frame["jaar"], errors="coerce").dropna().astype(int))
    elif "jaarstatcode" in frame.columns:
        years |= set(
            pd.to_numeric(frame["jaarstatcode"].astype(str).str[:4], errors="coerce").dropna().astype(int)
        )
    if len(years) > 1:
        return None, [
            problem(
                path,
                f"het bestand bevat meerdere jaren {sorted(years)}",
                kolom="jaar",
                verwacht="één jaargang per bestand",
            )
        ]
    if year is not None and years and year not in years:
        return None, [
            problem(
                path,
                f"opgegeven jaar {year} wijkt af van het jaar in het bestand ({years.pop()})",
                kolom="jaar",
                verwacht="hetzelfde jaar",
            )
        ]
    if year is None and not years:
        return None, [
            problem(
                path,
                "het bestand heeft geen kolom 'jaar'; geef het jaar op "
                "(sia load buurten BESTAND --year 2021)",
                kolom="jaar",
                verwacht="jaar van de buurtindeling",
            )
        ]
    resolved = year if year is not None else next(iter(years))
    if not 1990 <= resolved <= 2100:
        return None, [
            problem(
                path,
                f"jaar {resolved} is niet plausibel",
                kolom="jaar",
                waarde=resolved,
                verwacht="een jaar tussen 1990 en 2100",
            )
        ]
    return resolved, []


def _derive_codes(frame: pd.DataFrame) -> None:
    """Wijk and gemeente codes follow from the buurtcode: BU GGGG WW BB."""
    codes = frame["buurtcode"]
    derived_wijk = "WK" + codes.str[2:8]
    derived_gm = "GM" + codes.str[2:6]
    if "wijkcode" in frame.columns:
        frame["wijkcode"] = frame["wijkcode"].where(frame["wijkcode"].notna(), derived_wijk)
    else:
        frame["wijkcode"] = derived_wijk
    if "gemeentecode" in frame.columns:
        frame["gemeentecode"] = frame["gemeentecode"].where(frame["gemeentecode"].notna(), derived_gm)
    else:
        frame["gemeentecode"] = derived_gm
    for col in ("buurtnaam", "gemeentenaam"):
        if col not in frame.columns:
            frame[col] = None


def _repair(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    invalid = ~gdf.geometry.is_valid
    repaired = gdf.loc[invalid, "buurtcode"].tolist()
    geoms = gdf.geometry.values
    if invalid.any():
        geoms = shapely.make_valid(geoms)
    polys = [_only_polygons(g) for g in geoms]
    gdf = gdf.set_geometry(gpd.GeoSeries(polys, index=gdf.index, crs=gdf.crs))
    return gdf, repaired


def _only_polygons(geom: shapely.Geometry) -> shapely.MultiPolygon:
    if isinstance(geom, shapely.MultiPolygon):
        return geom
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
    return shapely.MultiPolygon(list(shapely.get_parts(shapely.union_all(parts))))


def _with_kerncijfers(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    text_keys = {column_key(t) for t in _TEXT_COLUMNS}
    texts = {c for c in gdf.columns if column_key(c) in text_keys}
    numeric = numeric_columns(gdf, exclude=_TEXT_COLUMNS | texts)
    for col in numeric:
        gdf[col] = cbs_missing_to_nan(gdf[col])
    for col in _CORE_NUMERIC:
        if col not in gdf.columns:
            gdf[col] = float("nan")
    extra = [c for c in numeric if c not in _CORE_NUMERIC]
    gdf["kerncijfers"] = [
        {str(k).lower(): to_python(v) for k, v in row.items()} for row in gdf[extra].to_dict("records")
    ]
    return gdf


# -- storage ---------------------------------------------------------------------------------

_UPSERT = text(
    """
    INSERT INTO buurten (jaar, buurtcode, buurtnaam, wijkcode, gemeentecode, gemeentenaam,
                         aantal_inwoners, aantal_huishoudens, bevolkingsdichtheid,
                         oppervlakte_land_ha, kerncijfers, load_id, geom)
    VALUES (:jaar, :buurtcode, :buurtnaam, :wijkcode, :gemeentecode, :gemeentenaam,
            :aantal_inwoners, :aantal_huishoudens, :bevolkingsdichtheid, :oppervlakte_land_ha,
            CAST(:kerncijfers AS jsonb), :load_id,
            ST_Multi(ST_GeomFromWKB(:wkb, 28992)))
    ON CONFLICT (jaar, buurtcode) DO UPDATE SET
        buurtnaam = EXCLUDED.buurtnaam, wijkcode = EXCLUDED.wijkcode,
        gemeentecode = EXCLUDED.gemeentecode, gemeentenaam = EXCLUDED.gemeentenaam,
        aantal_inwoners = EXCLUDED.aantal_inwoners,
        aantal_huishoudens = EXCLUDED.aantal_huishoudens,
        bevolkingsdichtheid = EXCLUDED.bevolkingsdichtheid,
        oppervlakte_land_ha = EXCLUDED.oppervlakte_land_ha,
        kerncijfers = EXCLUDED.kerncijfers, load_id = EXCLUDED.load_id, geom = EXCLUDED.geom
    """
)

_DERIVE_WIJKEN = text(
    """
    INSERT INTO wijken (jaar, wijkcode, gemeentecode, aantal_inwoners, aantal_huishoudens,
                        n_buurten, afgeleid, load_id, geom)
    SELECT jaar, wijkcode, min(gemeentecode), sum(aantal_inwoners), sum(aantal_huishoudens),
           count(*), true, :load_id, ST_Multi(ST_CollectionExtract(ST_Union(geom), 3))
    FROM buurten WHERE jaar = :jaar AND gemeentecode = ANY(:gemeenten)
    GROUP BY jaar, wijkcode
    ON CONFLICT (jaar, wijkcode) DO UPDATE SET
        aantal_inwoners = EXCLUDED.aantal_inwoners,
        aantal_huishoudens = EXCLUDED.aantal_huishoudens,
        n_buurten = EXCLUDED.n_buurten, load_id = EXCLUDED.load_id,
        geom = CASE WHEN wijken.afgeleid THEN EXCLUDED.geom ELSE wijken.geom END
    """
)


@dataclass
class LoadResult:
    layer: str
    file: str
    year: int
    rows: int
    unchanged: bool
    messages: list[str]


def already_loaded(conn: Connection, layer: str, sha256: str, year: int, gemeenten: list[str]) -> bool:
    """Whether this exact file is what the database holds now for the year and gemeenten: the
    newest load touching them was this file (loading A, then B, then A again reloads A)."""
    row = conn.execute(
        text(
            "SELECT sha256, gemeenten FROM load_log WHERE layer = :layer AND year = :year "
            "AND gemeenten && CAST(:gm AS text[]) ORDER BY id DESC LIMIT 1"
        ),
        {"layer": layer, "year": year, "gm": gemeenten},
    ).first()
    return row is not None and row.sha256 == sha256 and set(row.gemeenten) >= set(gemeenten)


def log_load(
    conn: Connection,
    *,
    layer: str,
    prepared_path: Path,
    sha256: str,
    year: int,
    gemeenten: list[str],
    rows: int,
    report: dict[str, Any],
) -> int:
    import json

    return int(
        conn.execute(
            text(
                "INSERT INTO load_log (layer, source_file, sha256, year, gemeenten, rows_loaded, report)"
                " VALUES (:layer, :file, :sha, :year, :gm, :rows, CAST(:report AS jsonb)) RETURNING id"
            ),
            {
                "layer": layer,
                "file": prepared_path.name,
                "sha": sha256,
                "year": year,
                "gm": gemeenten,
                "rows": rows,
                "report": json.dumps(report),
            },
        ).scalar_one()
    )


def store_buurten(
    conn: Connection, prepared: PreparedBuurten, *, progress: Progress | None = None
) -> LoadResult:
    """Store a prepared file inside the caller's transaction (roll back to store nothing)."""
    import json

    p = prepared
    if already_loaded(conn, "buurten", p.sha256, p.year, p.gemeenten):
        return LoadResult(
            "buurten",
            p.path.name,
            p.year,
            0,
            True,
            [f"{p.path.name} ({p.year}) was al geladen; niets veranderd."],
        )
    messages = list(p.notes)
    if p.repaired:
        messages.append(f"{len(p.repaired)} ongeldige geometrieën hersteld: {', '.join(p.repaired[:10])}")
    load_id = log_load(
        conn,
        layer="buurten",
        prepared_path=p.path,
        sha256=p.sha256,
        year=p.year,
        gemeenten=p.gemeenten,
        rows=len(p.frame),
        report={"hersteld": p.repaired},
    )
    rows = []
    for rec, geom in zip(p.frame.drop(columns="geometry").to_dict("records"), p.frame.geometry, strict=True):
        rows.append(
            {
                "jaar": p.year,
                "buurtcode": rec["buurtcode"],
                "buurtnaam": to_python(rec["buurtnaam"]),
                "wijkcode": rec["wijkcode"],
                "gemeentecode": rec["gemeentecode"],
                "gemeentenaam": to_python(rec["gemeentenaam"]),
                "aantal_inwoners": _as_int(rec["aantal_inwoners"]),
                "aantal_huishoudens": _as_int(rec["aantal_huishoudens"]),
                "bevolkingsdichtheid": to_python(rec["bevolkingsdichtheid"]),
                "oppervlakte_land_ha": to_python(rec["oppervlakte_land_ha"]),
                "kerncijfers": json.dumps(rec["kerncijfers"]),
                "load_id": load_id,
                "wkb": shapely.to_wkb(geom),
            }
        )
    batch = 1000
    for start in range(0, len(rows), batch):
        conn.execute(_UPSERT, rows[start : start + batch])
        if progress and len(rows) > batch:
            progress(f"{min(start + batch, len(rows)):,} van {len(rows):,} buurten opgeslagen")
    conn.execute(_DERIVE_WIJKEN, {"jaar": p.year, "gemeenten": p.gemeenten, "load_id": load_id})
    messages.insert(
        0,
        f"{len(rows)} buurten ({p.year}) geladen voor {', '.join(p.gemeenten[:8])}"
        + (" …" if len(p.gemeenten) > 8 else ""),
    )
    return LoadResult("buurten", p.path.name, p.year, len(rows), False, messages)


def _as_int(value: Any) -> int | None:
    value = to_python(value)
    return None if value is None else round(value)
