"""Scenarios: stored in PostGIS, never overwritten, reproduced exactly, compared.

The module works on its own copy of the demo database, because some tests change partner data
(and put it back) to show that a re-run notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import sqlalchemy.exc
from alembic import command
from fastapi.testclient import TestClient
from scipy.stats import kendalltau
from sqlalchemy import Engine, text

import sia.profile
from api.main import create_app
from api.settings import Settings
from api.timing import server_time_ms
from layers.db.cluster import LocalCluster
from layers.db.engine import alembic_config, current_revision, make_engine
from layers.leefbaarometer import prepare_leefbaarometer, store_leefbaarometer
from sia.profile import load_profile, partner_profiles, profile_to_dict
from tests.signin import sign_in

from .conftest import _create_db
from .enschede import ENSCHEDE_PROFILES

pytestmark = pytest.mark.postgis

NEW = {"naam": "Basis najaar 2026", "auteur": "planner@enschede.nl"}
ANALYSES = {
    "monte_carlo": {"trekkingen": 200, "seed": 7},
    "een_voor_een": {"stap": 0.25},
    "partnerprofielen": True,
    "methodevergelijking": True,
}


@pytest.fixture(scope="module")
def scenario_url(cluster: LocalCluster, demo_url: str) -> str:
    return _create_db(cluster, "sia_scenarios", template="sia_demo")


@pytest.fixture(scope="module")
def engine(scenario_url: str) -> Iterator[Engine]:
    eng = make_engine(scenario_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def client(scenario_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=scenario_url, gemeente="GM0153"))) as c:
        sign_in(c, scenario_url, slug="gemeente", rol="planner")
        yield c


def _save(client: TestClient, **body: Any) -> dict[str, Any]:
    res = client.post("/api/scenarios", json={**NEW, **body})
    assert res.status_code == 201, res.text
    return res.json()


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM scenarios")).scalar_one())


def test_save_read_and_list(client: TestClient, engine: Engine) -> None:
    res = client.post("/api/scenarios", json={**NEW, "toelichting": "eerste weging", **ANALYSES})
    assert res.status_code == 201, res.text
    assert server_time_ms(res.headers.get_list("server-timing")) is not None
    saved = res.json()
    assert saved["naam"] == NEW["naam"]
    assert saved["auteur"].startswith("Planner Gemeente Enschede")  # the signed-in user, not the body
    assert (saved["gemeente"], saved["jaar"], saved["periode"]) == ("GM0153", 2021, "2026-najaar")
    assert saved["lbm_editie"] == 2024 and saved["verwijderd_op"] is None
    assert saved["profiel"] == "default" and saved["methode"] == "gewogen_som" and saved["top_n"] == 10
    # the profile as used, with the partners' weights of the partner comparison
    partners = {name: p.weights() for name, p in partner_profiles(ENSCHEDE_PROFILES).items()}
    assert saved["profiel_inhoud"] == {**profile_to_dict(load_profile("default")), "partners": partners}
    assert saved["analyses"] == {
        **ANALYSES,
        "een_voor_een": {"stap": 0.25},
        "monte_carlo": {"trekkingen": 200, "seed": 7, "concentratie": 100.0},
    }
    with engine.connect() as conn:
        active = (
            conn.execute(
                text(
                    "SELECT id, partner, periode, versie FROM leveringen WHERE actief "
                    "AND periode = '2026-najaar' ORDER BY partner, id"
                )
            )
            .mappings()
            .all()
        )
    # the deliveries actually used, each with its own period (here all current)
    assert saved["invoer"]["leveringen"] == [dict(r) for r in active] and active
    # the stored result is what POST /api/scores gives for the same request
    scored = client.post("/api/scores", json=ANALYSES).json()
    for key in (
        "gewichten",
        "drempels",
        "buurten",
        "bijdragen",
        "geimputeerd",
        "robuustheid",
        "een_voor_een",
        "partnerprofielen",
        "methodevergelijking",
    ):
        assert saved["resultaat"][key] == scored[key], key
    assert saved["gewichten"] == scored["gewichten"]
    assert client.get(f"/api/scenarios/{saved['id']}").json() == saved
    listed = {s["id"]: s for s in client.get("/api/scenarios").json()}
    assert listed[saved["id"]]["naam"] == NEW["naam"] and "resultaat" not in listed[saved["id"]]


def test_changes_are_stored_in_the_profile_content(client: TestClient) -> None:
    saved = _save(
        client,
        profiel="gemeente",
        methode="topsis",
        top_n=5,
        gewichten={"lbm_score": 0, "bezit_woningen": 6},
        normalisatie={"lbm_won": {"name": "percentiel"}},
    )
    content = saved["profiel_inhoud"]
    crit = {c["id"]: c for c in content["criteria"]}
    assert (content["name"], content["method"], content["top_n"]) == ("gemeente", "topsis", 5)
    assert crit["lbm_score"]["weight"] == 0 and crit["bezit_woningen"]["weight"] == 6
    assert crit["lbm_won"]["normalisation"] == {"name": "percentiel", "params": {}}
    assert crit["lbm_fys"]["weight"] == load_profile("gemeente").criterion("lbm_fys").weight
    assert saved["normalisatie"] == {"lbm_won": {"name": "percentiel", "params": {}}}
    assert saved["gewichten"]["lbm_score"] == 0
    assert (saved["methode"], saved["top_n"]) == ("topsis", 5)


def test_rerun_reproduces_exactly(client: TestClient) -> None:
    saved = _save(client, profiel="consensus", gewichten={"gem_conditie": 4.5}, **ANALYSES)
    res = client.post(f"/api/scenarios/{saved['id']}/herberekenen")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["identiek"] is True and body["verschillen"] is None, body["verschillen"]
    assert body["scenario"]["id"] == saved["id"]
    assert body["buurten"] == saved["resultaat"]["buurten"]
    assert body["robuustheid"] == saved["resultaat"]["robuustheid"]


def test_rerun_ignores_later_edits_of_the_profile_file(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = _save(client)
    before = client.post("/api/scores", json={}).json()
    original = sia.profile._packaged_texts()
    edited = tuple(
        (name, body.replace("weight = 3", "weight = 0.25") if name == "default" else body)
        for name, body in original
    )
    assert edited != original
    monkeypatch.setattr(sia.profile, "_packaged_texts", lambda: edited)
    after = client.post("/api/scores", json={}).json()
    assert after["gewichten"] != before["gewichten"]  # the edit is in effect for new scores
    body = client.post(f"/api/scenarios/{saved['id']}/herberekenen").json()
    assert body["identiek"] is True and body["gewichten"] == saved["gewichten"]


def test_rerun_keeps_the_partner_weights_it_was_saved_with(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = _save(client, partnerprofielen=True)
    original = sia.profile._packaged_texts()
    edited = tuple(
        (name, body.replace("gem_conditie = 3", "gem_conditie = 0.1") if name == "de_veste" else body)
        for name, body in original
    )
    assert edited != original
    monkeypatch.setattr(sia.profile, "_packaged_texts", lambda: edited)
    now = client.post("/api/scores", json={"partnerprofielen": True}).json()["partnerprofielen"]
    ranks_then = {
        b["buurtcode"]: b["rangen"]["de_veste"] for b in saved["resultaat"]["partnerprofielen"]["buurten"]
    }
    ranks_now = {b["buurtcode"]: b["rangen"]["de_veste"] for b in now["buurten"]}
    assert ranks_now != ranks_then  # the edited file is in effect for new scores
    body = client.post(f"/api/scenarios/{saved['id']}/herberekenen").json()
    assert body["identiek"] is True, body["verschillen"]


def test_rerun_notices_changed_deliveries_and_scores_follow_the_data(
    client: TestClient, engine: Engine
) -> None:
    saved = _save(client)
    before = client.post("/api/scores", json={}).json()  # also fills the indicator cache
    with engine.begin() as conn:
        partner = conn.execute(
            text(
                "SELECT partner FROM leveringen WHERE actief AND partner <> "
                "'Gemeente Enschede' ORDER BY partner LIMIT 1"
            )
        ).scalar_one()
        conn.execute(
            text("UPDATE leveringen SET actief = false WHERE partner = :p AND actief"), {"p": partner}
        )
    try:
        body = client.post(f"/api/scenarios/{saved['id']}/herberekenen").json()
        assert body["identiek"] is False
        diff = body["verschillen"]
        assert "buurten" in diff["onderdelen"] and diff["buurten"]
        assert set(diff["invoer"]) == {"leveringen"}
        assert partner in {d["partner"] for d in diff["invoer"]["leveringen"]["toen"]}
        assert partner not in {d["partner"] for d in diff["invoer"]["leveringen"]["nu"]}
        first = diff["buurten"][0]
        stored = {b["buurtcode"]: b for b in saved["resultaat"]["buurten"]}[first["buurtcode"]]
        assert (first["rang_toen"], first["gecombineerd_toen"]) == (stored["rang"], stored["gecombineerd"])
        changed = client.post("/api/scores", json={}).json()
        assert changed["buurten"] != before["buurten"]  # the cache saw the new data version
    finally:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE leveringen SET actief = true WHERE partner = :p AND id = "
                    "(SELECT max(id) FROM leveringen WHERE partner = :p)"
                ),
                {"p": partner},
            )
    assert client.post(f"/api/scenarios/{saved['id']}/herberekenen").json()["identiek"] is True
    assert client.post("/api/scores", json={}).json()["buurten"] == before["buurten"]


def test_compare_two_scenarios(client: TestClient) -> None:
    a = _save(client, naam="standaard")
    # no weight on the overall Leefbaarometer score and on planned investment
    b = _save(client, naam="anders gewogen", gewichten={"lbm_score": 0, "investering_per_woning": 0})
    res = client.get("/api/scenarios/compare", params={"a": a["id"], "b": b["id"]})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["a"]["id"] == a["id"] and body["b"]["naam"] == "anders gewogen"
    ranks_a = {x["buurtcode"]: x for x in a["resultaat"]["buurten"]}
    ranks_b = {x["buurtcode"]: x for x in b["resultaat"]["buurten"]}
    rows = body["buurten"]
    assert {r["buurtcode"] for r in rows} == set(ranks_a) | set(ranks_b)
    for r in rows:
        ra, rb = ranks_a[r["buurtcode"]], ranks_b[r["buurtcode"]]
        assert (r["rang_a"], r["rang_b"]) == (ra["rang"], rb["rang"])
        assert r["buurtnaam"] == ra["buurtnaam"]
        if ra["rang"] is not None and rb["rang"] is not None:
            assert r["rang_verschil"] == rb["rang"] - ra["rang"]
            assert r["score_verschil"] == pytest.approx(rb["gecombineerd"] - ra["gecombineerd"])
    changes = [abs(r["rang_verschil"]) for r in rows if r["rang_verschil"] is not None]
    assert changes == sorted(changes, reverse=True) and changes[0] > 0
    assert all(r["rang_verschil"] is None for r in rows[len(changes) :])
    common = sorted(c for c in ranks_a if ranks_a[c]["rang"] is not None and ranks_b[c]["rang"] is not None)
    expected = kendalltau([ranks_a[c]["rang"] for c in common], [ranks_b[c]["rang"] for c in common])
    assert body["gemeenschappelijk"] == len(common)
    assert body["kendall_tau"] == pytest.approx(expected.statistic, abs=1e-12)
    assert body["kendall_tau"] < 1
    same = client.get("/api/scenarios/compare", params={"a": a["id"], "b": a["id"]}).json()
    assert same["kendall_tau"] == pytest.approx(1.0)
    assert all(r["rang_verschil"] in (0, None) for r in same["buurten"])


def test_unknown_scenarios_are_404_in_dutch(client: TestClient) -> None:
    known = _save(client)["id"]
    for method, url in (
        ("GET", "/api/scenarios/999999"),
        ("DELETE", "/api/scenarios/999999"),
        ("POST", "/api/scenarios/999999/herberekenen"),
        ("GET", f"/api/scenarios/compare?a={known}&b=999999"),
    ):
        res = client.request(method, url)
        assert res.status_code == 404, (method, url)
        assert res.json() == {"fout": "NotFound", "melding": "Scenario 999999 bestaat niet."}
    res = client.post("/api/scenarios", json={**NEW, "vorige": 999999})
    assert res.status_code == 404 and "Vorig scenario 999999 bestaat niet" in res.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"auteur": "x"}, "naam"),
        ({"naam": "   ", "auteur": "x"}, "naam"),
        ({**NEW, "gewichten": {"lbm_score": -1}}, "moet minstens 0"),
        ({**NEW, "methode": "elektre"}, "gewogen_som"),
        ({**NEW, "periode": "2026-zomer"}, "periode"),
        ({**NEW, "gewicht": {"lbm_score": 1}}, "gewicht"),
        ({**NEW, "monte_carlo": {"trekkingen": 5}}, "trekkingen"),
        ({**NEW, "een_voor_een": {"stap": 0}}, "stap"),
        ({**NEW, "normalisatie": {"lbm_won": {"name": "log"}}}, "valid names: doelpalen"),
        ({**NEW, "vorige": 0}, "vorige"),
    ],
)
def test_invalid_bodies_are_422_and_store_nothing(
    client: TestClient, engine: Engine, body: dict, field: str
) -> None:
    before = _count(engine)
    res = client.post("/api/scenarios", json=body)
    assert res.status_code == 422, res.text
    assert field in res.text
    assert _count(engine) == before


def test_unknown_criterion_or_profile_stores_nothing(client: TestClient, engine: Engine) -> None:
    before = _count(engine)
    res = client.post("/api/scenarios", json={**NEW, "gewichten": {"onbekend": 2}})
    assert res.status_code == 400 and "onbekend" in res.text and "lbm_score" in res.text
    res = client.post("/api/scenarios", json={**NEW, "profiel": "bestaat_niet"})
    assert res.status_code == 404 and "bestaat_niet" in res.text
    assert _count(engine) == before


def test_scenarios_are_never_overwritten(client: TestClient, engine: Engine) -> None:
    saved = _save(client, naam="origineel")
    sid = saved["id"]
    for statement in (
        "UPDATE scenarios SET naam = 'gewijzigd' WHERE id = :id",
        "UPDATE scenarios SET resultaat = '{}' WHERE id = :id",
        "UPDATE scenarios SET aangemaakt = now() - interval '1 day' WHERE id = :id",
    ):
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="onveranderlijk"), engine.begin() as conn:
            conn.execute(text(statement), {"id": sid})
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="nooit verwijderd"), engine.begin() as conn:
        conn.execute(text("DELETE FROM scenarios WHERE id = :id"), {"id": sid})
    assert client.put(f"/api/scenarios/{sid}", json=NEW).status_code == 405
    assert client.get(f"/api/scenarios/{sid}").json() == saved

    revised = _save(client, naam="herzien", vorige=sid, gewichten={"lbm_score": 1})
    assert revised["vorige_id"] == sid and revised["id"] != sid
    assert client.get(f"/api/scenarios/{sid}").json() == saved  # the earlier version is intact

    gone = client.delete(f"/api/scenarios/{sid}")
    assert gone.status_code == 200 and gone.json()["verwijderd_op"]
    assert sid not in {s["id"] for s in client.get("/api/scenarios").json()}
    assert sid in {s["id"] for s in client.get("/api/scenarios?met_verwijderd=true").json()}
    kept = client.get(f"/api/scenarios/{sid}").json()
    assert kept["verwijderd_op"] == gone.json()["verwijderd_op"]
    assert {k: v for k, v in kept.items() if k != "verwijderd_op"} == {
        k: v for k, v in saved.items() if k != "verwijderd_op"
    }
    again = client.delete(f"/api/scenarios/{sid}")
    assert again.status_code == 404 and "al verwijderd" in again.json()["melding"]
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="onveranderlijk"), engine.begin() as conn:
        conn.execute(text("UPDATE scenarios SET verwijderd_op = NULL WHERE id = :id"), {"id": sid})
    assert client.get(f"/api/scenarios/{sid}").json()["verwijderd_op"] == kept["verwijderd_op"]


def test_migrations_0004_to_head_downgrade_and_upgrade(db_url: str) -> None:
    from alembic.script import ScriptDirectory  # the newest revision, whichever it is

    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    assert current_revision(db_url) == head
    command.downgrade(alembic_config(db_url), "0003")
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT to_regclass('scenarios')")).scalar() is None
        command.upgrade(alembic_config(db_url), "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT to_regclass('scenarios')")).scalar() is not None
    finally:
        engine.dispose()
    assert current_revision(db_url) == head


def test_rerun_notices_a_corrected_file_of_the_same_edition(
    cluster: LocalCluster, demo_url: str, enschede_lbm: Path, tmp_path: Path
) -> None:
    url = _create_db(cluster, "sia_scenario_lbm", template="sia_demo")
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        sign_in(c, url)
        saved = c.post("/api/scenarios", json=NEW).json()
        assert saved["invoer"]["laadacties"]["leefbaarometer"]
        corrected = gpd.read_file(enschede_lbm)
        for col in ("afw", "lbm_afw"):  # a corrected 2024 file: same edition, other scores
            corrected[col] = corrected[col].rank()  # (a linear change would vanish in min-max)
        corrected.to_file(tmp_path / "lbm2024_gecorrigeerd.gpkg")
        engine = make_engine(url)
        with engine.begin() as conn:
            store_leefbaarometer(conn, prepare_leefbaarometer(tmp_path / "lbm2024_gecorrigeerd.gpkg"))
        engine.dispose()
        body = c.post(f"/api/scenarios/{saved['id']}/herberekenen").json()
    assert body["identiek"] is False
    changed = body["verschillen"]["invoer"]
    assert list(changed) == ["laadacties"]  # same edition, same deliveries: only the load differs
    assert changed["laadacties"]["toen"]["leefbaarometer"] != changed["laadacties"]["nu"]["leefbaarometer"]
