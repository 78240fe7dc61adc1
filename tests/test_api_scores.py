"""POST /api/scores and candidate areas on the real Enschede data plus synthetic partner data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings

pytestmark = pytest.mark.postgis


@pytest.fixture(scope="module")
def client(demo_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=demo_url, gemeente="GM0153"))) as c:
        yield c


def test_default_profile_ranks_buurten(client: TestClient) -> None:
    res = client.post("/api/scores", json={"monte_carlo": {"trekkingen": 300, "seed": 1},
                                           "top_n": 10})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["synthetisch"] is True and body["periode"] == "2026-najaar"
    ranked = [b for b in body["buurten"] if b["rang"] is not None]
    excluded = [b for b in body["buurten"] if b["rang"] is None]
    assert len(ranked) + len(excluded) == 70
    assert all(b["reden"] for b in excluded)  # every buurt left out says why
    assert [b["rang"] for b in ranked] == sorted(b["rang"] for b in ranked)
    scores = [b["gecombineerd"] for b in ranked]
    assert scores == sorted(scores, reverse=True)
    # contributions add up to the axis scores
    contrib = {c["buurtcode"]: c for c in body["bijdragen"]}
    weights = body["gewichten"]
    top = ranked[0]
    total = sum(v for k, v in contrib[top["buurtcode"]].items() if k in weights and v is not None)
    assert total == pytest.approx(top["urgentie"] + top["potentie"], abs=1e-5)
    robust = {r["buurtcode"]: r for r in body["robuustheid"]}
    assert all(0 <= r["p_top"] <= 1 and r["rang_p05"] <= r["rang_p95"] for r in robust.values())
    assert sum(r["p_top"] for r in robust.values()) == pytest.approx(10, abs=1e-6)


def test_weights_change_the_ranking(client: TestClient) -> None:
    only_lbm = client.post("/api/scores", json={"gewichten": {
        "lbm_score": 1, "lbm_won": 0, "lbm_fys": 0, "lbm_soc": 0, "lbm_onv": 0,
        "aandeel_label_efg": 0, "gem_conditie": 0}}).json()
    ranked = [b for b in only_lbm["buurten"] if b["rang"] is not None]
    urg = [b["urgentie"] for b in sorted(ranked, key=lambda b: b["buurtcode"])]
    table = client.get("/api/indicators/table").json()["rijen"]
    lbm = {r["buurtcode"]: r["lbm_score"] for r in table}
    # with all urgency weight on the Leefbaarometer, lower liveability = higher urgency
    order_by_urgency = sorted(ranked, key=lambda b: -b["urgentie"])
    assert lbm[order_by_urgency[0]["buurtcode"]] == min(lbm[b["buurtcode"]] for b in ranked)
    assert len(set(urg)) > 10


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"gewichten": {"onbekend": 1}}, 400, "onbekend"),
        ({"methode": "elektre"}, 422, "gewogen_som"),
        ({"profiel": "bestaat_niet"}, 404, "bestaat_niet"),
    ],
)
def test_bad_requests_name_valid_choices(client: TestClient, body: dict, status: int,
                                         text: str) -> None:
    res = client.post("/api/scores", json=body)
    assert res.status_code == status and text in res.text


def test_candidate_areas_geojson(client: TestClient) -> None:
    fc = client.get("/api/scores/candidates").json()
    assert fc["type"] == "FeatureCollection" and fc["synthetisch"] is True
    assert fc["features"], "the default profile yields at least one candidate area"
    for feat in fc["features"]:
        props = feat["properties"]
        assert props["inwoners"] >= 1000
        assert len(props["buurtcodes"].split(",")) == props["n_buurten"]
        lon, lat = feat["geometry"]["coordinates"][0][0][:2] if feat["geometry"]["type"] == \
            "Polygon" else feat["geometry"]["coordinates"][0][0][0][:2]
        assert 6.7 < lon < 7.0 and 52.1 < lat < 52.3
