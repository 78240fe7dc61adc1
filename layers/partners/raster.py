"""Zonal statistics of a GeoTIFF per buurt (heat stress, green share, …).

A cell belongs to a buurt when its centre lies inside the buurt polygon (``all_touched=False``,
the rasterio default), or when the cell touches it (``all_touched=True``). Cells equal to the
band's nodata value, masked cells and NaN are not valid and are ignored.

Output columns (one row per buurt, in the order of ``buurten``): the id column (default
``buurtcode``), ``gemiddelde``, ``minimum``, ``maximum`` (float; NaN without valid cells),
``aandeel_boven_drempel`` (share 0–1 of valid cells strictly above ``threshold``; NaN without
threshold or valid cells) and ``aantal_cellen`` (int, number of valid cells).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from affine import Affine
from rasterio.errors import NotGeoreferencedWarning, RasterioIOError
from rasterio.features import geometry_mask
from rasterio.windows import Window, from_bounds

from layers.errors import InvalidUpload
from layers.files import UPLOAD_LIMITS, Limits, describe_kind, sniff

STAT_COLUMNS = ("gemiddelde", "minimum", "maximum", "aandeel_boven_drempel", "aantal_cellen")


def _reject(name: str, core: str, expected: str) -> InvalidUpload:
    text = f"Bestand '{name}': {core}; verwacht {expected}."
    return InvalidUpload(
        text,
        details=[
            {
                "bestand": name,
                "blad": None,
                "rij": None,
                "kolom": None,
                "waarde": None,
                "verwacht": expected,
                "melding": text,
            }
        ],
    )


def _window(ds: rasterio.io.DatasetReader, bounds: tuple[float, ...]) -> Window | None:
    """The window of the dataset covering ``bounds``, or None when they do not overlap."""
    win = from_bounds(*bounds, transform=ds.transform)
    win = win.round_offsets(op="floor").round_lengths(op="ceil")
    full = Window(0, 0, ds.width, ds.height)
    try:
        win = win.intersection(full)
    except rasterio.errors.WindowError:
        return None
    # round_lengths may undershoot when the offset was floored; widen by one cell
    win = Window(win.col_off, win.row_off, win.width + 1, win.height + 1).intersection(full)
    return win if win.width > 0 and win.height > 0 else None


def _window_transform(ds: rasterio.io.DatasetReader, win: Window) -> Affine:
    """Transform of a window (``ds.window_transform`` without affine's deprecated ``*``)."""
    t = ds.transform
    col, row = float(win.col_off), float(win.row_off)
    return Affine(t.a, t.b, t.c + col * t.a + row * t.b, t.d, t.e, t.f + col * t.d + row * t.e)


def zonal_stats(
    raster: str | Path,
    buurten: gpd.GeoDataFrame,
    *,
    threshold: float | None = None,
    band: int = 1,
    id_column: str = "buurtcode",
    all_touched: bool = False,
    limits: Limits = UPLOAD_LIMITS,
) -> pd.DataFrame:
    """Summarise one raster band per buurt.

    Parameters
    ----------
    raster
        A GeoTIFF (or any GDAL raster) with a CRS.
    buurten
        Polygons with a CRS and an ``id_column``; reprojected to the raster's CRS.
    threshold
        Cells strictly above this value count for ``aandeel_boven_drempel``.
    band
        1-based band number.
    id_column
        Column identifying each buurt in the output.
    all_touched
        Count every cell the polygon touches, not only cells whose centre is inside.
    limits
        Cells over the buurten and per compressed block, checked before any cell is read.
    """
    path = Path(raster)
    name = path.name
    if buurten.crs is None:
        raise InvalidUpload("De buurtgrenzen hebben geen coördinatenstelsel.")
    if id_column not in buurten.columns:
        raise KeyError(id_column)
    kind = sniff(path)
    if kind != "tiff":
        raise _reject(
            name,
            f"het bestand kan niet als raster (GeoTIFF) worden gelezen: het is {describe_kind(kind)}",
            "een GeoTIFF met coördinatenstelsel",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            ds = rasterio.open(path, driver="GTiff")  # only GeoTIFF: no VRT, no references elsewhere
    except (RasterioIOError, rasterio.errors.RasterioError):
        raise _reject(
            name,
            "het bestand kan niet als raster (GeoTIFF) worden gelezen",
            "een GeoTIFF met coördinatenstelsel",
        ) from None
    with ds:
        if ds.crs is None:
            raise _reject(
                name,
                "het raster heeft geen coördinatenstelsel",
                "een GeoTIFF met CRS, bij voorkeur RD New (EPSG:28992)",
            )
        if not 1 <= band <= ds.count:
            raise _reject(
                name,
                f"band {band} bestaat niet (het raster heeft {ds.count} band(en))",
                f"een band van 1 t/m {ds.count}",
            )
        try:
            shapes = buurten.to_crs(ds.crs)
        except Exception:
            raise _reject(
                name,
                "het coördinatenstelsel van het raster kan niet naar dat van de buurten worden omgezet",
                "een raster in RD New (EPSG:28992) of een ander bekend stelsel",
            ) from None
        _check_raster(ds, name, band=band, bounds=tuple(shapes.total_bounds), limits=limits)
        try:
            rows = [
                _stats(ds, geom, band=band, threshold=threshold, all_touched=all_touched)
                for geom in shapes.geometry
            ]
        except rasterio.errors.RasterioError:
            raise _reject(
                name,
                "het raster is beschadigd of onvolledig (cellen kunnen niet worden gelezen)",
                "een volledige GeoTIFF",
            ) from None
    out = pd.DataFrame(rows, columns=list(STAT_COLUMNS), index=buurten.index)
    out["aantal_cellen"] = out["aantal_cellen"].astype("int64")
    out.insert(0, id_column, buurten[id_column].to_numpy())
    return out.reset_index(drop=True)


def _check_raster(
    ds: rasterio.io.DatasetReader, name: str, *, band: int, bounds: tuple[float, ...], limits: Limits
) -> None:
    """Checks before any cell is read: a north-up grid with a real cell size, a real number type,
    and no more cells over the buurten (or in one compressed block) than the limits allow."""
    t = ds.transform
    if not all(np.isfinite([t.a, t.b, t.c, t.d, t.e, t.f])) or t.b != 0 or t.d != 0 or t.a <= 0 or t.e >= 0:
        raise _reject(
            name,
            "het raster heeft geen geldige noord-georiënteerde celgrootte (gedraaid, gespiegeld of "
            "zonder georeferentie)",
            "een GeoTIFF met vierkante of rechthoekige cellen, noord boven",
        )
    dtype = np.dtype(ds.dtypes[band - 1])
    if dtype.kind not in "biuf":
        raise _reject(name, f"de celwaarden zijn van het type {dtype.name}", "gehele of decimale getallen")
    block_rows, block_cols = ds.block_shapes[band - 1]
    if block_rows * block_cols > limits.raster_block_cells:
        raise _reject(
            name,
            f"het raster is opgeslagen in blokken van {_n(block_cols)} × {_n(block_rows)} cellen",
            f"blokken van hoogstens {_n(limits.raster_block_cells)} cellen (sla het raster op met "
            "tegels, 'tiled')",
        )
    win = _window(ds, bounds)
    cells = 0 if win is None else int(win.width) * int(win.height)
    if cells > limits.raster_cells:
        raise _reject(
            name,
            f"het deel van het raster over de buurten heeft {_n(cells)} cellen",
            f"hoogstens {_n(limits.raster_cells)} cellen (kies een grotere celgrootte)",
        )


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _stats(
    ds: rasterio.io.DatasetReader, geom: object, *, band: int, threshold: float | None, all_touched: bool
) -> tuple[float, float, float, float, int]:
    empty = (np.nan, np.nan, np.nan, np.nan, 0)
    if geom is None or geom.is_empty:  # type: ignore[attr-defined]
        return empty
    win = _window(ds, geom.bounds)  # type: ignore[attr-defined]
    if win is None:
        return empty
    data = ds.read(band, window=win, masked=True)
    inside = geometry_mask(
        [geom],
        out_shape=data.shape,
        transform=_window_transform(ds, win),
        invert=True,
        all_touched=all_touched,
    )
    values = np.asarray(data.data, dtype="float64")
    valid = inside & ~np.ma.getmaskarray(data) & ~np.isnan(values)
    cells = values[valid]
    if cells.size == 0:
        return empty
    share = float((cells > threshold).mean()) if threshold is not None else np.nan
    return float(cells.mean()), float(cells.min()), float(cells.max()), share, int(cells.size)
