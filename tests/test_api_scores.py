"""POST /api/scores and candidate areas on the real Enschede data plus synthetic partner data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy.stats import kendalltau

from api.main import create_app
from api.settings import Settings
from api.timing import server_time_ms
from layers.db.cluster import LocalCluster
from layers.partners.synthetic import load_buurten, write_deliveries
from sia.profile import load_profile
from tests.conftest import _create_db
from tests.enschede import ENSCHEDE_PROFILES as PARTNERS
from tests.signin import sign_in

pytestmark = pytest.mark.postgis


@pytest.fixture(scope="module")
def client(demo_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=demo_url, gemeente="GM0153"))) as c:
        yield c


def test_default_profile_ranks_buurten(client: TestClient) -> None:
    res = client.post("/api/scores", json={"monte_carlo": {"trekkingen": 300, "seed": 1}, "top_n": 10})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["synthetisch"] is True and body["periode"] == "2026-najaar"
    ranked = [b for b in body["buurten"] if b["rang"] is not None]
    excluded = [b for b in body["buurten"] if b["rang"] is None]
    assert len(ranked) + len(excluded) == 70
    assert all(b["reden"] for b in excluded)  # every buurt left out says why
    # ... in the labels the user sees (the buurten without a Leefbaarometer score), not column ids
    labels = {c["id"]: c["label"] for c in body["criteria"]}
    assert excluded and all(b["reden"].startswith("ontbrekende waarde voor Leefbaarometer") for b in excluded)
    assert not any(cid in b["reden"] for b in excluded for cid in labels)
    assert labels["lbm_score"] in excluded[0]["reden"]
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
    only_lbm = client.post(
        "/api/scores",
        json={
            "gewichten": {
                "lbm_score": 1,
                "lbm_won": 0,
                "lbm_fys": 0,
                "lbm_soc": 0,
                "lbm_onv": 0,
                "aandeel_label_efg": 0,
                "gem_conditie": 0,
            }
        },
    ).json()
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
def test_bad_requests_name_valid_choices(client: TestClient, body: dict, status: int, text: str) -> None:
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
        lon, lat = (
            feat["geometry"]["coordinates"][0][0][:2]
            if feat["geometry"]["type"] == "Polygon"
            else feat["geometry"]["coordinates"][0][0][0][:2]
        )
        assert 6.7 < lon < 7.0 and 52.1 < lat < 52.3


# -- robustness, partner profiles, consensus --------------------------------------------------


def _ranks(body: dict) -> dict[str, int]:
    return {b["buurtcode"]: b["rang"] for b in body["buurten"] if b["rang"] is not None}


def test_response_names_the_method_and_reports_server_time(client: TestClient) -> None:
    res = client.post("/api/scores", json={"methode": "topsis"})
    body = res.json()
    assert body["methode"] == "topsis" and body["profiel"] == "default" and body["top_n"] == 10
    timing = ", ".join(res.headers.get_list("server-timing"))
    assert server_time_ms(res.headers.get_list("server-timing")) > 0
    assert "db;dur=" in timing and "engine;dur=" in timing


def test_one_at_a_time_matches_rescoring_with_changed_weights(client: TestClient) -> None:
    body = client.post("/api/scores", json={"een_voor_een": {"stap": 0.5}, "top_n": 10}).json()
    oat = body["een_voor_een"]
    assert oat["stap"] == 0.5 and oat["top_n"] == 10
    default = load_profile().weights()
    assert len(oat["criteria"]) == 2 * len(default)
    base = _ranks(body)
    for row in oat["criteria"]:
        if row["criterium"] not in ("lbm_score", "investering_per_woning", "n_corporaties"):
            continue
        factor = 0.5 if row["wijziging"] == "-50%" else 1.5
        assert row["wijziging"] in ("-50%", "+50%")
        weights = {row["criterium"]: default[row["criterium"]] * factor}
        moved = _ranks(client.post("/api/scores", json={"gewichten": weights}).json())
        change = {code: moved[code] - base[code] for code in base}
        assert row["max_rangverschuiving"] == max(abs(v) for v in change.values())
        assert row["buurten_verschoven"] == sum(v != 0 for v in change.values())
        assert row["top_erin"] == sorted(c for c in base if moved[c] <= 10 < base[c])
        assert row["top_eruit"] == sorted(c for c in base if base[c] <= 10 < moved[c])
    assert any(r["max_rangverschuiving"] > 0 for r in oat["criteria"])
    per_buurt = {b["buurtcode"]: b for b in oat["buurten"]}
    assert set(per_buurt) == set(base)
    assert all(
        b["rang"] == base[c] and b["max_daling"] >= 0 and b["max_stijging"] >= 0 for c, b in per_buurt.items()
    )
    assert all(
        (b["gevoeligst_voor"] is None) == (b["max_daling"] == b["max_stijging"] == 0)
        for b in per_buurt.values()
    )


def test_partner_profiles_rank_as_scoring_with_each_profile(client: TestClient) -> None:
    body = client.post("/api/scores", json={"partnerprofielen": True}).json()
    div = body["partnerprofielen"]
    assert list(div["partners"]) == list(PARTNERS)
    rows = {r["buurtcode"]: r for r in div["buurten"]}
    for partner in ("gemeente", "huurdersorganisaties"):
        own = _ranks(client.post("/api/scores", json={"profiel": partner}).json())
        assert {c: r["rangen"][partner] for c, r in rows.items()} == own
    for r in rows.values():
        ranks = list(r["rangen"].values())
        assert (r["rang_min"], r["rang_max"], r["bereik"]) == (
            min(ranks),
            max(ranks),
            max(ranks) - min(ranks),
        )
        assert r["std"] == pytest.approx(float(np.std(ranks)))
    assert max(r["bereik"] for r in rows.values()) > 0  # the partners do disagree somewhere


def test_method_comparison_is_kendall_tau_of_the_two_rankings(client: TestClient) -> None:
    body = client.post("/api/scores", json={"methodevergelijking": True}).json()
    taus = body["methodevergelijking"]["kendall_tau"]
    topsis = client.post("/api/scores", json={"methode": "topsis"}).json()
    a = {b["buurtcode"]: b["gecombineerd"] for b in body["buurten"] if b["rang"] is not None}
    b = {x["buurtcode"]: x["gecombineerd"] for x in topsis["buurten"] if x["rang"] is not None}
    codes = sorted(a)
    expected = kendalltau([a[c] for c in codes], [b[c] for c in codes]).statistic
    assert taus["gewogen_som"]["topsis"] == pytest.approx(expected, abs=1e-12)
    assert taus["topsis"]["gewogen_som"] == taus["gewogen_som"]["topsis"]
    assert taus["gewogen_som"]["gewogen_som"] == pytest.approx(1.0)


def test_profiles_list_partners_and_consensus(client: TestClient) -> None:
    profiles = {p["naam"]: p for p in client.get("/api/scores/profiles").json()}
    assert {"default", "consensus", *PARTNERS} <= set(profiles)
    assert profiles["default"]["soort"] == "standaard" and profiles["consensus"]["soort"] == "consensus"
    assert all(profiles[p]["soort"] == "partner" and profiles[p]["label"] for p in PARTNERS)
    for name in ("default", "domijn"):
        criteria = profiles[name]["criteria"]
        assert [c["id"] for c in criteria] == load_profile(name).ids()
        assert {c["id"]: c["gewicht"] for c in criteria} == profiles[name]["gewichten"]
        assert {c["as"] for c in criteria} == {"urgentie", "potentie"}
    lbm = profiles["default"]["criteria"][0]
    assert (lbm["id"], lbm["richting_label"]) == ("lbm_score", "lager is urgenter")
    # the consensus weights are the normalised geometric mean of the partners' weights
    axes = {c.id: c.axis for c in load_profile().criteria}
    expected = {}
    for axis in ("urgentie", "potentie"):
        ids = [k for k, a in axes.items() if a == axis]
        geo = {}
        for k in ids:
            shares = [
                profiles[p]["gewichten"][k] / sum(profiles[p]["gewichten"][i] for i in ids) for p in PARTNERS
            ]
            geo[k] = float(np.prod(shares) ** (1 / len(shares)))
        expected |= {k: v / sum(geo.values()) for k, v in geo.items()}
    body = client.post("/api/scores", json={"profiel": "consensus"}).json()
    assert body["profiel"] == "consensus"
    assert body["gewichten"] == pytest.approx(expected, abs=1e-12)
    assert _ranks(body) != _ranks(client.post("/api/scores", json={}).json())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"een_voor_een": {"stap": 1.5}}, "stap"),
        ({"monte_carlo": {"trekkingen": 5}}, "trekkingen"),
        ({"profiel": "../../etc/passwd"}, "profiel"),
        ({"gewichten": {"lbm_score": -1}}, "lbm_score"),
        ({"normalisatie": {"lbm_won": {"name": "log"}}}, "unknown normalisation 'log'"),
        ({"partnerprofiel": True}, "partnerprofiel"),
    ],
)
def test_invalid_options_are_422_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    res = client.post("/api/scores", json=body)
    assert res.status_code == 422 and field in res.text


def test_request_errors_are_dutch_and_name_the_field(client: TestClient) -> None:
    res = client.get("/api/layers/buurten/features?gemeente=Enschede")
    assert res.status_code == 422
    body = res.json()
    assert body["details"][0]["veld"] == "gemeente" and body["details"][0]["waarde"] == "Enschede"
    assert "gemeentecode als GM0153" in body["melding"]
    body = client.post("/api/scores", json={"top_n": 0, "methode": "elektre"}).json()
    assert {d["veld"] for d in body["details"]} == {"top_n", "methode"}
    assert "'top_n' moet minstens 1 zijn" in body["melding"] and "onbekende methode" in body["melding"]


def test_a_gemeente_without_partner_data(
    cluster: LocalCluster, loaded_url: str, enschede_buurten: Path, tmp_path: Path
) -> None:
    """Without deliveries the gemeente sees the urgency profile first, and the default profile
    degrades honestly: its potential criteria are left out and listed, the buurten rank by
    urgency ('potentie onbekend'), nothing is called synthetic. With only the gemeente's projects,
    the holdings criteria are left out (and said so), the rest ranks on both axes."""
    url = _create_db(cluster, "sia_no_partners", template="sia_loaded")
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        first = c.post("/api/scores", json={})
        assert first.status_code == 200, first.text
        body = first.json()
        assert body["profiel"] == "urgentie" and body["assen"] == {"urgentie": True, "potentie": False}
        assert body["synthetisch"] is False and body["leveringen"] == []
        ranked = [b for b in body["buurten"] if b["rang"] is not None]
        assert len(ranked) == 65  # the 65 buurten with a Leefbaarometer score
        assert {b["kwadrant"] for b in ranked} == {"potentie_onbekend"}
        assert all(b["potentie"] is None and b["gecombineerd"] == b["urgentie"] for b in ranked)
        assert "Potentie onbekend" in body["melding"]
        default = c.post("/api/scores", json={"profiel": "default"}).json()
        left_out = {w["id"] for w in default["weggelaten"]}
        assert left_out == {c.id for c in load_profile("default").criteria if c.axis == "potentie"} | {
            "aandeel_label_efg",
            "gem_conditie",
        }
        assert default["assen"]["potentie"] is False and not default["synthetisch"]
        gemeente = next(
            p for p in write_deliveries(tmp_path, load_buurten(enschede_buurten)) if "gemeente" in p.name
        )
        sign_in(c, url, rol="planner")  # the gemeente delivers its own plans
        with gemeente.open("rb") as fh:
            assert c.post("/api/partners/uploads", files={"bestand": (gemeente.name, fh)}).status_code == 201
        body = c.post("/api/scores", json={"partnerprofielen": True}).json()
        assert body["profiel"] == "default"  # partner data now: the standard profile comes first
        left_out = {w["id"] for w in body["weggelaten"]}
        assert left_out == {"aandeel_label_efg", "gem_conditie", "n_corporaties", "bezit_woningen"}
        assert not left_out & set(body["gewichten"]) and len(body["gewichten"]) == 8
        assert sum(b["rang"] is not None for b in body["buurten"]) > 50
        assert body["partnerprofielen"]["buurten"]
        areas = c.post("/api/scores/candidates", json={"gebieden": "top_groep"}).json()
        assert {w["id"] for w in areas["weggelaten"]} == left_out and areas["features"]


def test_an_axis_without_weight_is_a_dutch_error(client: TestClient) -> None:
    zero = dict.fromkeys(
        ["lbm_score", "lbm_won", "lbm_fys", "lbm_soc", "lbm_onv", "aandeel_label_efg", "gem_conditie"], 0
    )
    res = client.post("/api/scores", json={"gewichten": zero})
    assert res.status_code == 400
    assert "Alle gewichten van de urgentie staan op 0" in res.json()["melding"]
    assert "Leefbaarometer totaalscore" in res.json()["melding"]
    body = client.post("/api/scores", json={"normalisatie": {"lbm_score": {"name": "log"}}}).json()
    assert body["details"][0]["veld"].startswith("normalisatie.lbm_score")
    assert '"name": "log"' in body["details"][0]["waarde"]  # the value as the user sent it (JSON)


def test_requests_that_miss_together_read_the_indicator_table_once(demo_url: str) -> None:
    """After a new delivery every request of a busy map misses the table cache at once; one
    reads the table, the others wait for it (found by benchmarks/bench_load.py)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from api.scoring import IndicatorCache
    from layers.db.engine import make_engine

    engine = make_engine(demo_url, pool_size=6)
    cache = IndicatorCache()
    together = threading.Barrier(6)

    def one(_: int) -> object:
        with engine.connect() as conn:
            together.wait()
            return cache.get(conn, gemeente="GM0153")

    try:
        with ThreadPoolExecutor(6) as pool:
            tables = list(pool.map(one, range(6)))
    finally:
        engine.dispose()
    assert (cache.misses, cache.hits) == (1, 5)
    assert all(t is tables[0] for t in tables)
