"""Zonal statistics per buurt against values computed directly from the array."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box

from layers.errors import InvalidUpload
from layers.partners.raster import zonal_stats

X0, Y0, CELL, N = 250000.0, 471000.0, 10.0, 100  # 100 x 100 cells of 10 m, top-left origin
NODATA = -9999.0


def _array() -> np.ndarray:
    rng = np.random.default_rng(3)
    a = rng.uniform(20, 40, (N, N)).round(2)
    a[40:45, 10:20] = NODATA  # a nodata block inside buurt A
    return a


def _write(
    path: Path, array: np.ndarray, *, crs: str | None = "EPSG:28992", nodata: float | None = NODATA
) -> Path:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=N,
        height=N,
        count=1,
        dtype="float64",
        crs=crs,
        transform=Affine(CELL, 0, X0, 0, -CELL, Y0),
        nodata=nodata,
    ) as ds:
        ds.write(array, 1)
    return path


def _buurten(crs: str = "EPSG:28992") -> gpd.GeoDataFrame:
    # squares on cell edges: A = rows 30..59, cols 0..29; B = rows 0..9, cols 80..99;
    # C partly outside the raster (cols 90..99 and beyond); D entirely outside
    squares = {
        "BU00000001": box(X0, Y0 - 600, X0 + 300, Y0 - 300),
        "BU00000002": box(X0 + 800, Y0 - 100, X0 + 1000, Y0),
        "BU00000003": box(X0 + 900, Y0 - 1000, X0 + 1200, Y0 - 900),
        "BU00000004": box(X0 + 5000, Y0, X0 + 5100, Y0 + 100),
    }
    gdf = gpd.GeoDataFrame({"buurtcode": list(squares)}, geometry=list(squares.values()), crs="EPSG:28992")
    return gdf.to_crs(crs)


def _expected(a: np.ndarray, rows: slice, cols: slice, threshold: float) -> tuple:
    block = a[rows, cols]
    v = block[block != NODATA]
    return v.mean(), v.min(), v.max(), (v > threshold).sum() / v.size, v.size


@pytest.mark.parametrize("crs", ["EPSG:28992", "EPSG:4326"])
def test_stats_match_array(tmp_path: Path, crs: str) -> None:
    a = _array()
    path = _write(tmp_path / "hitte.tif", a)
    out = zonal_stats(path, _buurten(crs), threshold=30.0)
    assert list(out.columns) == [
        "buurtcode",
        "gemiddelde",
        "minimum",
        "maximum",
        "aandeel_boven_drempel",
        "aantal_cellen",
    ]
    cases = {
        0: (slice(30, 60), slice(0, 30)),
        1: (slice(0, 10), slice(80, 100)),
        2: (slice(90, 100), slice(90, 100)),
    }
    for i, (rows, cols) in cases.items():
        mean, lo, hi, share, count = _expected(a, rows, cols, 30.0)
        row = out.iloc[i]
        assert row["aantal_cellen"] == count
        assert row["gemiddelde"] == pytest.approx(mean)
        assert (row["minimum"], row["maximum"]) == (pytest.approx(lo), pytest.approx(hi))
        assert row["aandeel_boven_drempel"] == pytest.approx(share)
    assert out.iloc[0]["aantal_cellen"] == 900 - 50  # the nodata block is left out
    assert out.iloc[3]["aantal_cellen"] == 0 and np.isnan(out.iloc[3]["gemiddelde"])


def test_nan_cells_and_no_threshold(tmp_path: Path) -> None:
    a = _array()
    a[a == NODATA] = np.nan
    path = _write(tmp_path / "groen.tif", a, nodata=None)
    out = zonal_stats(path, _buurten(), id_column="buurtcode")
    block = a[30:60, 0:30]
    assert out.iloc[0]["aantal_cellen"] == np.isfinite(block).sum() == 850
    assert out.iloc[0]["gemiddelde"] == pytest.approx(np.nanmean(block))
    assert out["aandeel_boven_drempel"].isna().all()


def test_all_touched_counts_more_cells(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.tif", np.ones((N, N)))
    # a 100 m square offset by 3 m: 10 x 10 cell centres inside, 11 x 11 cells touched
    shifted = gpd.GeoDataFrame(
        {"buurtcode": ["X"]}, geometry=[box(X0 + 3, Y0 - 103, X0 + 103, Y0 - 3)], crs="EPSG:28992"
    )
    assert zonal_stats(path, shifted).iloc[0]["aantal_cellen"] == 100
    assert zonal_stats(path, shifted, all_touched=True).iloc[0]["aantal_cellen"] == 121


def test_not_a_raster(tmp_path: Path) -> None:
    path = tmp_path / "kaart.tif"
    path.write_text("geen raster")
    with pytest.raises(InvalidUpload, match="kan niet als raster") as info:
        zonal_stats(path, _buurten())
    assert info.value.details[0]["bestand"] == "kaart.tif"


def test_raster_without_crs(tmp_path: Path) -> None:
    path = _write(tmp_path / "zonder.tif", _array(), crs=None)
    with pytest.raises(InvalidUpload, match="geen coördinatenstelsel"):
        zonal_stats(path, _buurten())
