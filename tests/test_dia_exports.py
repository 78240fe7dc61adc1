"""POST /api/exports/ranking: the score panel's ranking as CSV and GeoPackage, with contributions,
robustness and partner ranks when asked for, equal to what POST /api/scores returns."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings

pytestmark = pytest.mark.postgis

BODY = {
    "gewichten": {"lbm_onv": 4.0},
    "monte_carlo": {"trekkingen": 200, "seed": 3},
    "partnerprofielen": True,
}


@pytest.fixture(scope="module")
def client(demo_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=demo_url, gemeente="GM0153"))) as c:
        yield c


def test_csv_ranking_equals_the_score_panel(client: TestClient) -> None:
    scores = client.post("/api/scores", json=BODY).json()
    res = client.post("/api/exports/ranking", params={"formaat": "csv"}, json=BODY)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert "attachment" in res.headers["content-disposition"]
    frame = pd.read_csv(io.StringIO(res.text), dtype={"buurtcode": str}).set_index("buurtcode")
    ranked = pd.DataFrame(scores["buurten"]).set_index("buurtcode")
    assert sorted(frame.index) == sorted(ranked.index)
    pd.testing.assert_series_equal(
        frame["rang"].astype("Int64"), ranked["rang"].astype("Int64").reindex(frame.index), check_names=False
    )
    assert frame["gecombineerd"].to_numpy() == pytest.approx(
        ranked.loc[frame.index, "gecombineerd"].astype(float).to_numpy(), nan_ok=True
    )
    for cid in scores["gewichten"]:
        assert f"bijdrage_{cid}" in frame.columns
    robust = pd.DataFrame(scores["robuustheid"]).set_index("buurtcode")
    assert frame.loc[robust.index, "p_top"].to_numpy() == pytest.approx(robust["p_top"].to_numpy())
    partners = scores["partnerprofielen"]["partners"]
    assert all(f"rang_{name}" in frame.columns for name in partners)
    assert frame["synthetisch"].all()
    plain = client.post("/api/exports/ranking", params={"formaat": "csv"}, json={}).text
    assert "p_top" not in plain.splitlines()[0]


def test_geopackage_ranking(client: TestClient, tmp_path: Path) -> None:
    res = client.post("/api/exports/ranking", params={"formaat": "gpkg"}, json=BODY)
    assert res.status_code == 200
    path = tmp_path / "ranking.gpkg"
    path.write_bytes(res.content)
    assert set(dict(pyogrio.list_layers(path))) == {"sia_ranking", "metadata"}
    frame = gpd.read_file(path, layer="sia_ranking")
    assert frame.crs.to_epsg() == 28992 and len(frame) == 70 and frame.geometry.notna().all()
    assert {"rang", "kwadrant", "p_top", "rang_p05", "rang_p95", "bijdrage_lbm_onv"} <= set(frame.columns)
    assert frame.sort_values("rang")["rang"].iloc[0] == 1
    meta = pyogrio.read_dataframe(path, layer="metadata").set_index("sleutel")["waarde"]
    assert meta["profiel"] == "default" and "SYNTHETISCHE DATA" in meta["synthetisch_let_op"]


def test_bad_requests_are_dutch(client: TestClient) -> None:
    res = client.post("/api/exports/ranking", params={"formaat": "xlsx"}, json={})
    assert res.status_code == 422 and "formaat" in res.json()["melding"]
    res = client.post("/api/exports/ranking", json={"gewichten": {"bestaat_niet": 1}})
    assert res.status_code == 400 and "Onbekende criteria" in res.json()["melding"]
