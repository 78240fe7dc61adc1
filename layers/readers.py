"""Reading vector files (GeoPackage, GeoJSON, Shapefile, CSV) and normalising CBS conventions.

Shared by the CBS buurten and Leefbaarometer loaders: column aliases (PDOK long names, shapefile
short names of any year), CBS's codes for missing or secret values, and file checks that produce
messages a planner can act on.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from layers.errors import InvalidUpload

Progress = Callable[[str], None]

#: CBS publishes missing, secret or not-applicable values as large negative codes
#: (-99999999 "geheim", -99999997 "niet van toepassing", -99997, -99995, ...).
CBS_MISSING_THRESHOLD = -99990

BUURTCODE_RE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")  # letters occur, e.g. BU0363AA01
GIS_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb"}
TABLE_SUFFIXES = {".csv"}
_CHUNK = 2000


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem(path: Path, message: str, **where: Any) -> dict[str, Any]:
    """One entry of an InvalidUpload's details: file, location and a Dutch message."""
    return {"bestand": path.name, **where, "melding": message}


def read_vector(path: Path, *, progress: Progress | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
    """Read a GIS file (or a CSV without geometry); unreadable files raise InvalidUpload."""
    path = Path(path)
    if not path.exists():
        raise InvalidUpload(f"Het bestand {path} bestaat niet.")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        try:
            return pd.read_csv(path, sep=None, engine="python", dtype=str, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InvalidUpload(
                f"Het bestand {path.name} kan niet als CSV worden gelezen: {exc}",
                details=[problem(path, "geen leesbaar CSV-bestand (verwacht UTF-8 met kopregel)")],
            ) from exc
    try:
        info = pyogrio.read_info(path)
    except Exception as exc:  # pyogrio raises DataSourceError and friends; all mean unreadable
        raise InvalidUpload(
            f"Het bestand {path.name} kan niet worden gelezen als GIS-bestand "
            "(verwacht GeoPackage, GeoJSON of Shapefile).",
            details=[problem(path, f"onleesbaar: {exc}")],
        ) from exc
    total = int(info.get("features") or 0)
    if total <= _CHUNK * 2 or progress is None:
        return _read(path)
    parts = []
    for start in range(0, total, _CHUNK):
        parts.append(_read(path, skip_features=start, max_features=_CHUNK))
        progress(f"{path.name}: {min(start + _CHUNK, total):,} van {total:,} objecten gelezen")
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)


def _read(path: Path, **kwargs: Any) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        # GDAL warns about e.g. non-conformant GeoJSON 'crs' members; our checks follow anyway
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return gpd.read_file(path, engine="pyogrio", **kwargs)
        except Exception as exc:
            raise InvalidUpload(
                f"Het bestand {path.name} kan niet worden gelezen: {exc}",
                details=[problem(path, f"onleesbaar: {exc}")],
            ) from exc


def rename_aliases(frame: pd.DataFrame, aliases: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Rename the first matching alias (case-insensitive) of each canonical column."""
    lower = {str(c).lower(): c for c in frame.columns if c != "geometry"}
    renames: dict[str, str] = {}
    for canonical, names in aliases.items():
        if canonical in frame.columns:
            continue
        for name in names:
            if name.lower() in lower and lower[name.lower()] not in renames:
                renames[lower[name.lower()]] = canonical
                break
    return frame.rename(columns=renames)


def cbs_missing_to_nan(series: pd.Series) -> pd.Series:
    """Numeric series with CBS's missing/secret codes (≤ -99990) replaced by NaN."""
    values = pd.to_numeric(series, errors="coerce")
    return values.mask(values <= CBS_MISSING_THRESHOLD)


def numeric_columns(frame: pd.DataFrame, exclude: set[str]) -> list[str]:
    """Columns that hold numbers (after CBS codes), not the identifying text columns."""
    cols = []
    for col in frame.columns:
        if col in exclude or col == "geometry":
            continue
        series = frame[col]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            cols.append(col)
            continue
        converted = pd.to_numeric(series, errors="coerce")
        if series.notna().any() and converted.notna().sum() == series.notna().sum():
            cols.append(col)
    return cols


def check_codes(frame: pd.DataFrame, path: Path, column: str, *, first_row: int = 1) -> list[dict[str, Any]]:
    """Problems with buurt codes: missing, malformed or duplicated (rows as the user counts)."""
    problems: list[dict[str, Any]] = []
    codes = frame[column].astype("string").str.strip()
    for idx, code in codes.items():
        row = int(str(idx)) + first_row
        if code is pd.NA or code == "":
            problems.append(
                problem(
                    path,
                    "buurtcode ontbreekt",
                    rij=row,
                    kolom=column,
                    waarde=None,
                    verwacht="een buurtcode als BU01530000",
                )
            )
        elif not BUURTCODE_RE.match(str(code)):
            problems.append(
                problem(
                    path,
                    f"'{code}' is geen geldige buurtcode",
                    rij=row,
                    kolom=column,
                    waarde=str(code),
                    verwacht="BU, 4 cijfers gemeentecode en 4 tekens wijk+buurt (bijv. BU01530000)",
                )
            )
    dup = codes[codes.duplicated(keep=False) & codes.notna()]
    for key, rows in dup.groupby(dup).groups.items():
        code = str(key)
        row_numbers = [int(r) + first_row for r in rows]
        problems.append(
            problem(
                path,
                f"buurtcode {code} komt {len(row_numbers)} keer voor (rijen {row_numbers})",
                rij=row_numbers[0],
                kolom=column,
                waarde=str(code),
                verwacht="elke buurtcode één keer",
            )
        )
    return problems


def raise_if_problems(path: Path, problems: list[dict[str, Any]], what: str) -> None:
    if not problems:
        return
    shown = "; ".join(_describe(p) for p in problems[:5])
    more = f" (en nog {len(problems) - 5} problemen)" if len(problems) > 5 else ""
    raise InvalidUpload(
        f"{path.name} is niet geladen als {what}: {len(problems)} "
        f"{'probleem' if len(problems) == 1 else 'problemen'}. {shown}{more}. "
        "Er is niets opgeslagen.",
        details=problems,
    )


def _describe(p: Mapping[str, Any]) -> str:
    where = []
    if p.get("rij") is not None:
        where.append(f"rij {p['rij']}")
    if p.get("kolom"):
        where.append(f"kolom '{p['kolom']}'")
    prefix = f"{', '.join(where)}: " if where else ""
    return prefix + str(p["melding"])


def to_python(value: Any) -> Any:
    """A JSON-friendly scalar (NaN → None, numpy → Python)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value
