"""Address-level partner layers for the map: GeoJSON per layer, and what the public may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.main import create_app
from api.settings import Settings
from layers import partner_store
from layers.cbs import prepare_buurten, store_buurten
from layers.db.engine import make_engine
from layers.partners.synthetic import generate, load_buurten
from layers.partners.template import write_filled

pytestmark = pytest.mark.postgis
PERIOD = "2026-najaar"


def _client(url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=url, gemeente="GM0153")))


def test_layers_match_the_database(demo_url: str) -> None:
    engine = make_engine(demo_url)
    with engine.connect() as conn:
        expected = {
            kind: conn.execute(
                text(
                    "SELECT count(*) FILTER (WHERE x.geom IS NOT NULL), "
                    "count(*) FILTER (WHERE x.geom IS NULL) "
                    f"FROM {kind} x JOIN leveringen l ON l.id = x.levering_id AND l.actief "
                    "WHERE x.periode = :p"
                ),
                {"p": PERIOD},
            ).one()
            for kind in ("bezit", "projecten", "verkoop")
        }
    engine.dispose()
    with _client(demo_url) as client:
        for kind, (located, unlocated) in expected.items():
            body = client.get(f"/api/partners/features?laag={kind}&periode={PERIOD}").json()
            assert body["aantal"] == len(body["features"]) == located > 0
            assert body["zonder_locatie"] == unlocated and body["verborgen"] == 0
            assert body["synthetisch"] is True
            assert all(f["properties"]["synthetisch"] for f in body["features"])
            for f in body["features"]:
                lon, lat = _first_coordinate(f["geometry"])
                assert 6.7 < lon < 7.1 and 52.1 < lat < 52.35  # Enschede, in WGS84
        kinds = {
            f["geometry"]["type"]
            for f in client.get("/api/partners/features?laag=projecten").json()["features"]
        }
        assert kinds & {"Polygon", "MultiPolygon"} and "Point" in kinds
        assert client.get("/api/partners/features?laag=huur").status_code == 422


def _first_coordinate(geometry: dict) -> tuple[float, float]:
    coords = geometry["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    return coords[0], coords[1]


def test_confidential_records_stay_off_the_public_map(
    db_url: str, enschede_buurten: Path, tmp_path: Path
) -> None:
    buurten = load_buurten(enschede_buurten)
    engine = make_engine(db_url)
    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
    frames = generate(buurten, period=PERIOD)["Domijn"].frames()
    frames["bezit"] = frames["bezit"].assign(vertrouwelijkheid="eigen")
    verkoop = frames["verkoop"].copy()
    verkoop["vertrouwelijkheid"] = ["openbaar" if i % 2 == 0 else "partners" for i in range(len(verkoop))]
    frames["verkoop"] = verkoop
    path = write_filled(
        tmp_path / "domijn.xlsx", frames, partner="Domijn", period=PERIOD, synthetic=False
    )  # as if it were a real delivery
    with engine.begin() as conn:
        partner_store.load_delivery_file(conn, path, gemeente="GM0153")
    engine.dispose()
    located_bezit = int(frames["bezit"].geometry.notna().sum())
    public_sales = int((verkoop["vertrouwelijkheid"] == "openbaar").sum())
    with _client(db_url) as client:
        bezit = client.get("/api/partners/features?laag=bezit").json()
        assert bezit["features"] == [] and bezit["verborgen"] == len(frames["bezit"]) > 0
        assert located_bezit > 0 and "vertrouwelijk" in bezit["melding"]
        sales = client.get("/api/partners/features?laag=verkoop").json()
        assert sales["aantal"] == public_sales > 0
        assert {f["properties"]["vertrouwelijkheid"] for f in sales["features"]} == {"openbaar"}
        check = client.get("/api/partners/sales-check").json()
        assert len(check["features"]) == public_sales
        assert check["verborgen"] == len(verkoop) - public_sales
        # the buurt aggregates still count every dwelling, confidential or not
        table = client.get("/api/indicators/table").json()
        total = sum(r["bezit_woningen"] or 0 for r in table["rijen"])
        assert total == int(frames["bezit"]["aantal_woningen"].sum())


def test_record_layers_in_the_catalogue(demo_url: str) -> None:
    with _client(demo_url) as client:
        catalogue = {layer["id"]: layer for layer in client.get("/api/layers").json()}
        for layer_id, kind in (
            ("corporatiebezit", "bezit"),
            ("geplande_projecten", "projecten"),
            ("geplande_verkoop", "verkoop"),
        ):
            layer = catalogue[layer_id]
            assert layer["years"] == [PERIOD] and layer["synthetic"] is True
            assert {"partner", "periode", "vertrouwelijkheid"} <= {f["id"] for f in layer["fields"]}
            via_catalogue = client.get(f"/api/layers/{layer_id}/features").json()
            direct = client.get(f"/api/partners/features?laag={kind}").json()
            assert [f["id"] for f in via_catalogue["features"]] == [f["id"] for f in direct["features"]]


def test_small_counts_are_suppressed_in_the_public_table(demo_url: str) -> None:
    engine = make_engine(demo_url)
    with engine.connect() as conn:
        agg = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
    engine.dispose()
    few = set(agg.index[(agg["bezit_woningen"] > 0) & (agg["bezit_woningen"] < 5)])
    assert few and agg.loc[sorted(few), "gem_conditie"].notna().all()  # computed, but ...
    with _client(demo_url) as client:
        table = client.get("/api/indicators/table").json()
        scores = client.post("/api/scores", json={}).json()
    rows = {r["buurtcode"]: r for r in table["rijen"]}
    assert set(table["onderdrukt"]["buurten"]) == few
    for code in few:  # ... not shown: shares and means of fewer than 5 dwellings
        assert rows[code]["gem_conditie"] is None and rows[code]["aandeel_label_efg"] is None
        assert rows[code]["bezit_woningen"] == agg.loc[code, "bezit_woningen"]  # the count stays
    many = agg.index[agg["bezit_woningen"] >= 5]
    assert all(rows[c]["gem_conditie"] == pytest.approx(agg.loc[c, "gem_conditie"]) for c in many)
    assert scores["buurten"]  # scoring reads the suppressed table (imputation: engine tests)
