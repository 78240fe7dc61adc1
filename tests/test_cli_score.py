"""`sia score` writes the ranking as CSV and as a GeoPackage that opens in QGIS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from api.cli import main

pytestmark = pytest.mark.postgis


def test_score_csv_and_geopackage(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIA_DATABASE_URL", demo_url)
    monkeypatch.setenv("SIA_GEMEENTE", "GM0153")
    csv, gpkg = tmp_path / "scores.csv", tmp_path / "scores.gpkg"
    assert main(["score", "--out", str(csv)]) == 0
    assert main(["score", "--out", str(gpkg), "--method", "topsis"]) == 0
    table = pd.read_csv(csv)
    assert len(table) == 70 and table["synthetisch"].all()
    ranked = table.dropna(subset=["rang"])
    assert list(ranked["rang"]) == sorted(ranked["rang"])
    contrib = ranked.filter(like="bijdrage_").sum(axis=1)
    assert contrib.to_numpy() == pytest.approx((ranked["urgentie"] + ranked["potentie"]).to_numpy(), abs=1e-9)
    geo = gpd.read_file(gpkg, layer="sia_scores")
    assert len(geo) == 70 and geo.crs.to_epsg() == 28992
    assert set(geo["kwadrant"].dropna()) <= {"kandidaat", "urgent", "kansrijk", "laag"}
