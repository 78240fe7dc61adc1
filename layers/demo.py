"""The synthetic demonstration layers of ``sia demo`` (also used by the tests and benchmarks).

The partners' real data are not public, so the demo generates seeded synthetic deliveries of the
five corporations and the gemeente (filled Excel templates, loaded through the upload path) and
a synthetic heat-stress raster. Everything is marked synthetic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
from sqlalchemy import Connection

from layers.partner_store import StoredDelivery, load_delivery_file
from layers.partners.synthetic import write_deliveries, write_heat_raster
from layers.raster_store import StoredRaster, store_raster

DEMO_PERIOD = "2026-najaar"
HEAT_RASTER: dict[str, Any] = {
    "indicator": "hittestress",
    "label": "Hittestress (gevoelstemperatuur)",
    "periode": DEMO_PERIOD,
    "partner": "Gemeente Enschede",
    "eenheid": "°C",
    "drempel": 32.0,
    "synthetisch": True,
}


def write_demo_files(folder: Path, buurten: gpd.GeoDataFrame) -> tuple[list[Path], Path]:
    """The synthetic delivery workbooks and the heat-stress GeoTIFF, written to ``folder``."""
    files = write_deliveries(folder, buurten, period=DEMO_PERIOD)
    return files, write_heat_raster(folder / "hittestress_synthetisch.tif", buurten)


def load_demo(
    conn: Connection, folder: Path, buurten: gpd.GeoDataFrame, *, gemeente: str = "GM0153"
) -> tuple[list[StoredDelivery], StoredRaster]:
    """Write and load the demo layers in the caller's transaction."""
    files, heat = write_demo_files(folder, buurten)
    stored = [load_delivery_file(conn, path, gemeente=gemeente) for path in files]
    return stored, store_raster(conn, heat, gemeente=gemeente, **HEAT_RASTER)
