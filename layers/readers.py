"""Reading vector files and tables, and normalising CBS conventions.

Shared by the CBS buurten and Leefbaarometer loaders (and, for archives, CSV and workbooks, by the
partner deliveries): what users have is taken — a GeoPackage with several layers (the right one is
picked by its content, or named), a folder or zip archive with the Shapefile in a subfolder, Z and
M coordinates (dropped), a Shapefile without .shx or .cpg, CSV with ``;`` and decimal commas in
UTF-8, UTF-16 or Windows-1252 with or without BOM, a workbook with extra sheets — and what must be
refused is refused with a Dutch message naming file, row, column, value and what was expected.
GDAL, PROJ, pandas and openpyxl texts never reach a user: they are logged, and mapped to a sentence.
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.errors import InvalidUpload
from layers.files import (
    LOADER_LIMITS,
    FileProblem,
    Limits,
    check_kind,
    control_characters,
    unpacked,
)
from layers.tables import read_csv_table, read_excel_tables

log = logging.getLogger("sia.layers")

Progress = Callable[[str], None]

#: CBS publishes missing, secret or not-applicable values as large negative codes
#: (-99999999 "geheim", -99999997 "niet van toepassing", -99997, -99995, ...).
CBS_MISSING_THRESHOLD = -99990
#: StatLine's symbols for a missing ('.') or secret ('x') figure in tables.
CBS_MISSING_SYMBOLS = {".", "x", "X", "?"}

BUURTCODE_RE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")  # letters occur, e.g. BU0363AA01
VECTOR_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".fgb"}
GIS_SUFFIXES = {*VECTOR_SUFFIXES, ".zip"}
TABLE_SUFFIXES = {".csv", ".txt", ".xlsx"}
_SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"}
_ARCHIVE_KEEP = _SHAPEFILE_PARTS | VECTOR_SUFFIXES | {".csv", ".xlsx", ".zip"}  # a .zip: to say so
_CHUNK = 2000
_SAMPLE = 50

pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})  # a lost .shx is rebuilt from the .shp


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem(path: Path | str, message: str, **where: Any) -> dict[str, Any]:
    """One entry of an InvalidUpload's details: file, row, column, value, what was expected, and a
    Dutch sentence saying all of it (``melding``)."""
    name = Path(path).name
    place = [f"Bestand '{name}'"]
    if where.get("rij") is not None:
        place.append(f"rij {where['rij']}")
    if where.get("kolom"):
        place.append(f"kolom '{where['kolom']}'")
    expected = f"; verwacht {where['verwacht']}" if where.get("verwacht") else ""
    return {"bestand": name, **where, "melding": f"{', '.join(place)}: {message}{expected}."}


def _invalid(name: str, exc: FileProblem, what: str) -> InvalidUpload:
    expected = f"; verwacht {exc.expected}" if exc.expected else ""
    return InvalidUpload(
        f"{name} kan niet worden gelezen als {what}: {exc.core}{expected}. Er is niets opgeslagen.",
        details=[problem(name, exc.core, verwacht=exc.expected)],
    )


# -- which layer of which file ---------------------------------------------------------------


@dataclass
class Candidate:
    """One layer a file (or folder, or archive) offers: a GDAL layer, or a table."""

    file: Path
    layer: str | None
    label: str  # how the user knows it: the layer name, or the path inside a folder or archive
    geometry_type: str | None = None
    features: int = 0
    fields: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None  # tables (CSV, sheets) are read at once

    def sample(self) -> pd.DataFrame:
        """The first rows, without geometry (to recognise what the layer holds)."""
        if self.table is not None:
            return self.table.head(_SAMPLE)
        if not self.fields:
            return pd.DataFrame()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return pd.DataFrame(
                    pyogrio.read_dataframe(
                        self.file, layer=self.layer, max_features=_SAMPLE, read_geometry=False
                    )
                )
            except Exception as exc:  # unreadable here means unreadable later: say so then
                log.info("sample of %s failed: %s", self.label, exc)
                return pd.DataFrame()


LayerTest = Callable[[Candidate, pd.DataFrame], bool]
"""Whether a candidate holds what the loader wants, judged from its first rows."""


def _gdal_problem(exc: Exception) -> FileProblem:
    """A Dutch problem for a GDAL/PROJ/pyogrio error; the raw text goes to the log only."""
    raw = str(exc)
    log.info("GDAL could not read a file: %s", raw)
    low = raw.lower()
    if any(word in low for word in ("conversion", "proj", "srs", "crs", "spatial reference", "datum")):
        return FileProblem(
            "het coördinatenstelsel in het bestand (bij een Shapefile: het .prj-bestand) is onvolledig "
            "of onbekend",
            "een volledig coördinatenstelsel, bij voorkeur RD New (EPSG:28992); exporteer het bestand "
            "opnieuw, bijvoorbeeld uit QGIS",
        )
    if "linearring" in low or "closed linestring" in low or "geometry" in low:
        return FileProblem(
            "een geometrie in het bestand is ongeldig (bijvoorbeeld een ring die niet sluit)",
            "geldige vlakken of punten",
        )
    if "json" in low:
        return FileProblem(
            "de GeoJSON is onvolledig of beschadigd (geen geldige JSON)", "een volledige GeoJSON"
        )
    if "gpkg" in low or "geopackage" in low or "sqlite" in low or "database" in low:
        return FileProblem("de GeoPackage is beschadigd of onvolledig", "een volledige GeoPackage")
    return FileProblem(
        "het bestand is beschadigd of heeft een onbekende opbouw",
        "een GeoPackage, GeoJSON, Shapefile of FlatGeobuf",
    )


def _info(file: Path, layer: str | None) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return dict(pyogrio.read_info(file, layer=layer))
        except Exception as exc:
            raise _gdal_problem(exc) from None


def _gdal_candidates(file: Path, label: str) -> list[Candidate]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            listed = pyogrio.list_layers(file)
        except Exception as exc:
            raise _gdal_problem(exc) from None
    out = []
    names = [str(row[0]) for row in listed]
    for layer in names:
        info = _info(file, layer)
        out.append(
            Candidate(
                file=file,
                layer=layer,
                label=layer if len(names) > 1 or file.suffix.lower() == ".gpkg" else label,
                geometry_type=info.get("geometry_type"),
                features=int(info.get("features") or 0),
                fields=[str(f) for f in info.get("fields", [])],
            )
        )
    return out


def _file_candidates(file: Path, label: str, limits: Limits) -> list[Candidate]:
    suffix = file.suffix.lower()
    if suffix == ".shp" and not file.with_suffix(".dbf").exists() and not file.with_suffix(".DBF").exists():
        raise FileProblem(
            f"bij '{label}' ontbreekt het .dbf-bestand met de gegevens",
            "de Shapefile met .shp, .dbf en .prj (bijv. samen gezipt)",
        )
    if suffix in VECTOR_SUFFIXES:
        check_kind(file, file.name)
        return _gdal_candidates(file, label)
    if suffix in {".csv", ".txt"}:
        check_kind(file, file.name)
        table = read_csv_table(file, limits=limits)
        return [Candidate(file, None, label, None, len(table), list(table.columns), table)]
    if suffix == ".xlsx":
        return [
            Candidate(file, sheet, f"{label}, blad '{sheet}'", None, len(t), list(t.columns), t)
            for sheet, t in read_excel_tables(file, limits=limits).items()
        ]
    return []


def _folder_candidates(folder: Path, shown: str, limits: Limits) -> list[Candidate]:
    out: list[Candidate] = []
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    for file in files:
        if file.suffix.lower() in VECTOR_SUFFIXES | {".csv", ".xlsx"}:  # a .txt is a readme here
            rel = file.relative_to(folder).as_posix()
            out += _file_candidates(file, f"{shown}/{rel}" if shown else rel, limits)
    if not out:
        raise FileProblem(
            "er staat geen GIS-bestand of tabel in"
            + (
                " (wel een zip-archief; pak dat eerst uit)"
                if any(f.suffix.lower() == ".zip" for f in files)
                else ""
            ),
            "een Shapefile (.shp met .dbf en .prj), GeoPackage, GeoJSON of CSV",
        )
    return out


@contextmanager
def _candidates(path: Path, name: str, limits: Limits) -> Iterator[list[Candidate]]:
    suffix = Path(name).suffix.lower()
    with ExitStack() as stack:
        if path.is_dir():
            yield _folder_candidates(path, "", limits)
            return
        if suffix == ".zip":
            check_kind(path, name)
            folder = stack.enter_context(unpacked(path, limits, keep=_ARCHIVE_KEEP))
            yield _folder_candidates(folder, "", limits)
            return
        if suffix not in VECTOR_SUFFIXES | TABLE_SUFFIXES:
            raise FileProblem(
                f"bestandstype '{suffix or '(geen extensie)'}' wordt niet ondersteund",
                "GeoPackage (.gpkg), GeoJSON (.geojson), Shapefile (.shp of gezipt), FlatGeobuf, CSV of "
                "Excel (.xlsx)",
            )
        if suffix == ".xlsx":
            check_kind(path, name)
        yield _file_candidates(path, name, limits)


def named(c: Candidate, wanted: str) -> bool:
    """Whether the candidate is called ``wanted`` (layer, sheet or file name, case ignored)."""
    key = wanted.strip().lower()
    return key in {
        (c.layer or "").lower(),
        c.label.lower(),
        Path(c.label).stem.lower(),
        Path(c.label).name.lower(),
    }


def _choose(cands: list[Candidate], *, layer: str | None, want: LayerTest | None, what: str) -> Candidate:
    labels = ", ".join(f"'{c.label}'" for c in cands)
    if layer is not None:
        found = [c for c in cands if named(c, layer)]
        if len(found) != 1:
            raise FileProblem(f"een laag '{layer}' is er niet", f"een van de lagen {labels}")
        return found[0]
    if len(cands) == 1:
        return cands[0]
    if want is None:
        raise FileProblem(
            f"het bevat {len(cands)} lagen ({labels})", "één laag, of kies de laag met --layer NAAM"
        )
    fitting = [c for c in cands if want(c, c.sample())]
    if len(fitting) == 1:
        return fitting[0]
    if not fitting:
        raise FileProblem(f"geen van de {len(cands)} lagen ({labels}) bevat {what}", f"een laag met {what}")
    raise FileProblem(
        f"meerdere lagen bevatten {what}: {', '.join(repr(c.label) for c in fitting)}",
        "kies de laag met --layer NAAM",
    )


# -- reading ---------------------------------------------------------------------------------


def read_vector(
    path: str | Path,
    *,
    layer: str | None = None,
    want: LayerTest | None = None,
    what: str = "gegevens",
    limits: Limits = LOADER_LIMITS,
    progress: Progress | None = None,
    name: str | None = None,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """Read one layer of a GIS file, folder, zip archive, CSV file or workbook.

    Parameters
    ----------
    path
        A file (GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV, .xlsx), a folder, or a zip
        archive holding any of these (in subfolders too).
    layer
        The layer to read (layer name, sheet name, or file name inside a folder or archive).
    want
        When there are several layers and ``layer`` is not given: the test a layer must pass
        (e.g. "holds buurtcodes and polygons"); exactly one may pass.
    what
        What the loader wants, in Dutch, for messages ("buurtvlakken met buurtcodes").
    limits
        Features, vertices, unpacked size, rows and columns accepted.

    Geometries come back in two dimensions (Z and M dropped). Tables (CSV, sheets) come back as a
    DataFrame of texts whose index plus 2 is the row number the user sees (header in row 1).
    """
    path = Path(path)
    name = name or path.name
    if not path.exists():
        raise InvalidUpload(
            f"Het bestand {path} bestaat niet.",
            details=[problem(name, "het bestand bestaat niet", verwacht="een bestaand bestand of map")],
        )
    try:
        return load_layer(path, name, layer=layer, want=want, what=what, limits=limits, progress=progress)
    except FileProblem as exc:
        raise _invalid(name, exc, what) from None


def load_layer(
    path: Path,
    name: str,
    *,
    layer: str | None = None,
    want: LayerTest | None = None,
    what: str = "gegevens",
    limits: Limits = LOADER_LIMITS,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """:func:`read_vector` for callers that report problems their own way: raises FileProblem."""
    with _candidates(path, name, limits) as cands:
        chosen = _choose(cands, layer=layer, want=want, what=what)
        if chosen.table is not None:
            return chosen.table
        return _read_layer(chosen, limits, progress)


def _read_layer(c: Candidate, limits: Limits, progress: Progress | None) -> gpd.GeoDataFrame | pd.DataFrame:
    if c.features > limits.features:
        raise FileProblem(
            f"'{c.label}' bevat {c.features:,} objecten".replace(",", "."),
            f"hoogstens {limits.features:,} objecten".replace(",", "."),
        )
    kwargs: dict[str, Any] = {}
    if c.file.suffix.lower() == ".shp" and _is_utf8_without_cpg(c):
        kwargs["encoding"] = "UTF-8"
    if c.features <= _CHUNK * 2 or progress is None:
        frame = _read(c, **kwargs)
    else:
        parts = []
        for start in range(0, c.features, _CHUNK):
            parts.append(_read(c, skip_features=start, max_features=_CHUNK, **kwargs))
            progress(f"{c.label}: {min(start + _CHUNK, c.features):,} van {c.features:,} objecten gelezen")
        frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)
    if isinstance(frame, gpd.GeoDataFrame):
        frame = _two_dimensional(frame, c, limits)
    return frame


def _read(c: Candidate, **kwargs: Any) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        # GDAL warns about e.g. non-conformant GeoJSON 'crs' members or measured geometries
        warnings.simplefilter("ignore")
        try:
            return gpd.read_file(c.file, layer=c.layer, engine="pyogrio", **kwargs)
        except Exception as exc:
            raise _gdal_problem(exc) from None


def _is_utf8_without_cpg(c: Candidate) -> bool:
    """A Shapefile without .cpg is read as Latin-1; is it really UTF-8 (QGIS's default)?"""
    if c.file.with_suffix(".cpg").exists() or c.file.with_suffix(".CPG").exists():
        return False
    sample = c.sample()
    texts = [v for col in sample.columns for v in sample[col] if isinstance(v, str) and not v.isascii()]
    if not texts:
        return False
    try:
        for text in texts:
            text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return True


def _two_dimensional(frame: gpd.GeoDataFrame, c: Candidate, limits: Limits) -> gpd.GeoDataFrame:
    """Z and M dropped; vertex limits checked before any further work."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    counts = shapely.get_num_coordinates(geoms)
    total = int(counts.sum())
    if counts.size and int(counts.max()) > limits.vertices_per_geometry:
        row = int(np.argmax(counts)) + 1
        raise FileProblem(
            f"object {row} van '{c.label}' heeft {int(counts.max()):,} hoekpunten".replace(",", "."),
            f"hoogstens {limits.vertices_per_geometry:,} per object (vereenvoudig de geometrie)".replace(
                ",", "."
            ),
        )
    if total > limits.vertices:
        raise FileProblem(
            f"'{c.label}' heeft samen {total:,} hoekpunten".replace(",", "."),
            f"hoogstens {limits.vertices:,}".replace(",", "."),
        )
    if shapely.has_z(geoms).any() or shapely.has_m(geoms).any():
        frame = frame.set_geometry(gpd.GeoSeries(shapely.force_2d(geoms), index=frame.index, crs=frame.crs))
    return frame


def crs_label(crs: Any) -> str:
    """A CRS as a user recognises it: ``EPSG:28992`` when it has a code, else its name (never WKT)."""
    try:
        epsg = crs.to_epsg()
    except Exception:
        epsg = None
    return f"EPSG:{epsg}" if epsg else str(getattr(crs, "name", "onbekend stelsel"))


def present(geometries: gpd.GeoSeries) -> np.ndarray:
    """Which geometries exist and are not empty (without geopandas' warnings about the difference)."""
    values = np.asarray(geometries.values, dtype=object)
    return np.asarray(~(shapely.is_missing(values) | shapely.is_empty(values)), dtype=bool)


# -- CBS conventions -------------------------------------------------------------------------


def column_key(name: str) -> str:
    """Column names compared without case, spaces, underscores: ``aantalInwoners`` = ``aantal_inwoners``."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def rename_aliases(frame: pd.DataFrame, aliases: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Rename the first matching alias of each canonical column (case, ``_`` and spaces ignored,
    so PDOK's camelCase ``aantalInwoners`` and a CSV header ``Aantal inwoners`` match too)."""
    by_key: dict[str, Any] = {}
    for c in frame.columns:
        if c != "geometry":
            by_key.setdefault(column_key(c), c)
    renames: dict[Any, str] = {}
    for canonical, names in aliases.items():
        if canonical in frame.columns:
            continue
        for name in names:
            col = by_key.get(column_key(name))
            if col is not None and col not in renames and col not in aliases:
                renames[col] = canonical
                break
    return frame.rename(columns=renames)


_DUTCH_DECIMAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*,\d+$|^[+-]?\d+,\d+$")


def _number_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip().replace("\u00a0", "")
    if text in CBS_MISSING_SYMBOLS or text == "":
        return None
    if _DUTCH_DECIMAL.match(text):  # -0,15 or 1.234,5
        return text.replace(".", "").replace(",", ".")
    return text


def to_numbers(series: pd.Series) -> pd.Series:
    """Numbers from a column: Dutch decimal commas (``-0,15``, ``1.234,5``) and CBS's symbols for a
    missing figure ('.', 'x') understood; anything else that is not a number becomes NaN."""
    if pd.api.types.is_bool_dtype(series):
        return pd.Series(np.nan, index=series.index)
    if pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series, errors="coerce").astype("float64")
    return pd.to_numeric(series.astype("object").map(_number_text), errors="coerce").astype("float64")


def cbs_missing_to_nan(series: pd.Series) -> pd.Series:
    """Numeric series with CBS's missing/secret codes (≤ -99990, '.', 'x') replaced by NaN."""
    values = to_numbers(series)
    return values.mask(values <= CBS_MISSING_THRESHOLD)


def not_numbers(series: pd.Series) -> pd.Series:
    """Cells that hold something that is no (finite) number and no CBS symbol for 'missing'."""
    values = to_numbers(series)
    filled = series.notna() & series.astype("object").map(
        lambda v: str(v).strip() not in ("", *CBS_MISSING_SYMBOLS)
    )
    return filled & (values.isna() | ~np.isfinite(values.fillna(0)))


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
        filled = series.notna() & (series.astype("object").map(lambda v: str(v).strip() != ""))
        if filled.any() and not not_numbers(series)[filled].any():
            cols.append(col)
    return cols


def check_texts(
    frame: pd.DataFrame, path: Path | str, columns: Iterable[str], *, first_row: int = 1
) -> list[dict[str, Any]]:
    """Problems with column names and texts: control characters (NUL and friends) are refused."""
    problems: list[dict[str, Any]] = []
    for col in frame.columns:
        bad = control_characters(str(col))
        if bad:
            problems.append(
                problem(
                    path,
                    f"kolomnaam bevat niet-toegestane stuurtekens ({bad})",
                    rij=first_row - 1 if first_row > 1 else None,
                    kolom=str(col).encode("unicode_escape").decode()[:80],
                    verwacht="een kolomnaam zonder stuurtekens",
                )
            )
    for col in columns:
        if col not in frame.columns:
            continue
        for idx, value in frame[col].items():
            if isinstance(value, str) and (bad := control_characters(value)):
                problems.append(
                    problem(
                        path,
                        f"tekst bevat niet-toegestane stuurtekens ({bad})",
                        rij=int(str(idx)) + first_row,
                        kolom=str(col),
                        waarde=value.encode("unicode_escape").decode()[:80],
                        verwacht="tekst zonder stuurtekens",
                    )
                )
                if len(problems) >= 20:
                    return problems
    return problems


def check_codes(
    frame: pd.DataFrame, path: Path | str, column: str, *, first_row: int = 1
) -> list[dict[str, Any]]:
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
            shown = str(code).encode("unicode_escape").decode()[:40]
            problems.append(
                problem(
                    path,
                    f"'{shown}' is geen geldige buurtcode",
                    rij=row,
                    kolom=column,
                    waarde=shown,
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


def raise_if_problems(path: Path | str, problems: list[dict[str, Any]], what: str) -> None:
    if not problems:
        return
    name = Path(path).name
    shown = "; ".join(_describe(p) for p in problems[:5])
    more = f" (en nog {len(problems) - 5} problemen)" if len(problems) > 5 else ""
    raise InvalidUpload(
        f"{name} is niet geladen als {what}: {len(problems)} "
        f"{'probleem' if len(problems) == 1 else 'problemen'}. {shown}{more}. "
        "Er is niets opgeslagen.",
        details=problems,
    )


def _describe(p: Mapping[str, Any]) -> str:
    """A detail's sentence without the file name (the summary names the file once)."""
    text = str(p["melding"]).rstrip(".")
    prefix = f"Bestand '{p.get('bestand')}'"
    for cut in (prefix + ", ", prefix + ": "):
        if text.startswith(cut):
            return text[len(cut) :]
    return text


def to_python(value: Any) -> Any:
    """A JSON-friendly scalar (NaN and infinities → None, numpy → Python)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value
