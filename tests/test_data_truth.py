"""Data truth (issue 8): periods as a monitor keeps them, synthetic per criterion, explicit years,
any gemeente, candidate areas on the axis the user picks, one indicator table for every entry.

Each test of a "Why" point of the issue fails on the code before it (named in its docstring).
The tests work on real data: Enschede (CBS 2021, Leefbaarometer 2024) with the seeded synthetic
partner deliveries, and Utrecht (GM0344) and Hengelo (GM0164) from the national file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from scipy.stats import kendalltau
from sqlalchemy import text

from api.cli import main
from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.indicators import read_table, score_table
from layers.partners.synthetic import generate, load_buurten, write_deliveries
from layers.partners.template import write_filled
from sia.profile import load_profile
from tests.signin import sign_in

from .conftest import _create_db

pytestmark = pytest.mark.postgis

NEW = "2027-voorjaar"
OLD = "2026-najaar"
OTHERS = ["De Veste", "De Woonplaats", "Gemeente Enschede", "Ons Huis", "SJHT"]


def _client(url: str, gemeente: str = "GM0153") -> TestClient:
    return TestClient(create_app(Settings(database_url=url, gemeente=gemeente)))


def _ranked(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in body["buurten"] if b["rang"] is not None]


def _three_dwellings(folder: Path, enschede_buurten: Path) -> Path:
    """Domijn's delivery for 2027-voorjaar: three dwellings (address points), nothing else."""
    domijn = generate(load_buurten(enschede_buurten), period=NEW)["Domijn"]
    points = domijn.bezit[domijn.bezit.geometry.notna()].head(3)
    assert len(points) == 3 and int(points["aantal_woningen"].sum()) == 3
    return write_filled(
        folder / "domijn_2027-voorjaar.xlsx", {"bezit": points}, partner="Domijn", period=NEW, synthetic=True
    )


@pytest.fixture(scope="module")
def next_period_url(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The demo (all partners delivered 2026-najaar) plus Domijn's 3 dwellings for 2027-voorjaar,
    uploaded as a user would."""
    url = _create_db(cluster, "sia_next_period", template="sia_demo")
    path = _three_dwellings(tmp_path_factory.mktemp("next"), enschede_buurten)
    with _client(url) as c, path.open("rb") as fh:
        sign_in(c, url, slug="domijn", rol="planner")
        res = c.post("/api/partners/uploads", files={"bestand": (path.name, fh)})
    assert res.status_code == 201, res.text
    return url


# -- 2. periods as a monitor keeps them -----------------------------------------------------


def test_one_partner_in_a_new_period_does_not_become_everyones_default(next_period_url: str) -> None:
    """Why: 'one partner delivered 3 dwellings for the next period; that period became everyone's
    default ... and nothing warned'. Before: the newest period was the default (and there was no
    /api/periods)."""
    with _client(next_period_url) as c:
        periods = c.get("/api/periods").json()
        assert periods["standaard"] == OLD
        by_period = {p["periode"]: p for p in periods["perioden"]}
        assert by_period[OLD]["volledig"] is True
        assert by_period[NEW]["volledig"] is False and by_period[NEW]["actueel"] == ["Domijn"]
        assert by_period[NEW]["ontbrekend"] == OTHERS
        warning = " ".join(periods["waarschuwingen"])
        assert NEW in warning and all(name in warning for name in OTHERS)
        body = c.post("/api/scores", json={}).json()
        assert body["periode"] == OLD
        assert {d["periode"] for d in body["leveringen"]} == {OLD}
        assert any(NEW in w and "Ons Huis" in w for w in body["waarschuwingen"])
        table = c.get("/api/indicators/table").json()
        assert table["periode"] == OLD and any("SJHT" in w for w in table["waarschuwingen"])


def test_the_new_period_carries_the_others_forward(next_period_url: str) -> None:
    """Why: 'potential collapsed to 0.22 for most buurten, two criteria vanished'. Before: the view
    of 2027-voorjaar held only Domijn's 3 dwellings."""
    with _client(next_period_url) as c:
        old = c.post("/api/scores", json={"periode": OLD}).json()
        new = c.post("/api/scores", json={"periode": NEW}).json()
    assert new["periode"] == NEW and new.get("weggelaten") is None  # no criterion vanished
    assert any(
        w.startswith(f"In {NEW} tellen eerdere leveringen mee") and "SJHT" in w for w in new["waarschuwingen"]
    )
    assert set(new["gewichten"]) == set(old["gewichten"])
    used = {d["partner"]: d["periode"] for d in new["leveringen"]}
    assert used == {**dict.fromkeys(OTHERS, OLD), "Domijn": NEW}
    potential = [b["potentie"] for b in _ranked(new)]
    assert len({round(p, 6) for p in potential}) > 30  # no collapse onto a few values
    before = {b["buurtcode"]: b["potentie"] for b in _ranked(old)}
    after = {b["buurtcode"]: b["potentie"] for b in _ranked(new)}
    common = sorted(set(before) & set(after))
    tau = kendalltau([before[k] for k in common], [after[k] for k in common]).statistic
    assert tau > 0.6  # one corporation's holdings changed, the others' plans still count


def test_completeness_table_of_a_period(next_period_url: str) -> None:
    """Who delivered which layer for the period, with the age of what is carried forward."""
    with _client(next_period_url) as c:
        table = c.get("/api/periods/completeness", params={"periode": NEW}).json()
        current = c.get("/api/periods/completeness").json()
        sign_in(c, next_period_url, slug="domijn", rol="lezer")
        own = c.get("/api/periods/completeness", params={"periode": NEW}).json()
    assert table["periode"] == NEW and table["standaard"] is False
    assert table["actueel"] == ["Domijn"] and table["ontbrekend"] == OTHERS
    rows = {(r["partner"], r["laag"]): r for r in table["rijen"]}
    domijn = rows[("Domijn", "bezit")]
    # the number of records of Domijn's own upload is Domijn's to know (and the gemeente's beheerders')
    assert (domijn["status"], domijn["periode"], domijn["leeftijd"], domijn["aantal"]) == (
        "actueel",
        NEW,
        0,
        None,
    )
    own_rows = {(r["partner"], r["laag"]): r for r in own["rijen"]}
    assert own_rows[("Domijn", "bezit")]["aantal"] == 3
    # the template speaks for all three layers: Domijn plans no projects or sales in 2027-voorjaar
    assert own_rows[("Domijn", "projecten")]["aantal"] == 0
    assert rows[("Domijn", "projecten")]["periode"] == NEW
    for partner in OTHERS:
        r = rows[(partner, "projecten")]
        assert (r["status"], r["periode"], r["leeftijd"]) == ("doorgeschoven", OLD, 1) and r["aantal"] > 0
    assert ("Gemeente Enschede", "bezit") not in rows  # the gemeente never delivers holdings
    raster = rows[("Gemeente Enschede", "hittestress")]  # rasters follow the same rule
    assert (raster["soort"], raster["status"], raster["leeftijd"]) == ("raster", "doorgeschoven", 1)
    assert current["periode"] == OLD and current["standaard"] is True and current["ontbrekend"] == []
    assert {r["status"] for r in current["rijen"]} == {"actueel"}


def test_a_scenario_records_the_deliveries_it_used(next_period_url: str) -> None:
    """Before: score_inputs listed only the deliveries of the period itself (Domijn's), not those
    carried forward."""
    with _client(next_period_url) as c:
        sign_in(c, next_period_url, rol="planner")
        saved = c.post("/api/scenarios", json={"naam": "voorjaar", "periode": NEW})
        assert saved.status_code == 201, saved.text
        used = {d["partner"]: d["periode"] for d in saved.json()["invoer"]["leveringen"]}
        again = c.post(f"/api/scenarios/{saved.json()['id']}/herberekenen").json()
    assert used == {**dict.fromkeys(OTHERS, OLD), "Domijn": NEW}
    assert again["identiek"] is True


def test_the_map_layers_of_a_period_show_what_counts(next_period_url: str) -> None:
    """The address points and the per-buurt figures of 2027-voorjaar include the carried-forward
    deliveries (before: only the records of the period itself)."""
    with _client(next_period_url) as c:
        new = c.get("/api/layers/partnerdata/features", params={"periode": NEW}).json()
        points = c.get("/api/partners/features", params={"laag": "bezit", "periode": NEW}).json()
        default_points = c.get("/api/partners/features", params={"laag": "bezit"}).json()
    partners = {f["properties"]["partner"] for f in points["features"]}
    assert {"Ons Huis", "De Woonplaats"} <= partners  # carried forward into the period
    assert "Domijn" not in partners and points["verborgen"] >= 3  # an upload's addresses stay private
    assert default_points["periode"] == OLD
    assert sum(f["properties"]["n_partners_plannen"] or 0 for f in new["features"]) > 20


# -- 3. synthetic is a fact of a delivery, per criterion ------------------------------------


def test_a_real_upload_is_not_labelled_synthetic(
    cluster: LocalCluster, loaded_url: str, enschede_buurten: Path, tmp_path: Path
) -> None:
    """Why: 'a real upload (synthetisch: nee) is labelled synthetic'. Before: any synthetic raster
    of the period made every score synthetic. (The file is the generator's, written with
    'synthetisch: nee', as a real delivery would be.)"""
    from layers.demo import HEAT_RASTER
    from layers.partners.synthetic import write_heat_raster
    from layers.raster_store import store_raster

    url = _create_db(cluster, "sia_real_upload", template="sia_loaded")
    buurten = load_buurten(enschede_buurten)
    gemeente = generate(buurten, period=OLD)["Gemeente Enschede"]
    real = write_filled(
        tmp_path / "gemeente_echt.xlsx",
        {"projecten": gemeente.projecten},
        partner="Gemeente Enschede",
        period=OLD,
        synthetic=False,
    )
    engine = make_engine(url)
    with engine.begin() as conn:  # a synthetic raster the default profile does not weigh
        store_raster(
            conn, write_heat_raster(tmp_path / "hitte.tif", buurten), gemeente="GM0153", **HEAT_RASTER
        )
    engine.dispose()
    with _client(url) as c:
        sign_in(c, url, rol="planner")  # the gemeente delivers its own plans
        with real.open("rb") as fh:
            assert c.post("/api/partners/uploads", files={"bestand": (real.name, fh)}).status_code == 201
        body = c.post("/api/scores", json={"profiel": "default"}).json()
        table = c.get("/api/indicators/table").json()
    assert body["synthetisch"] is False
    assert not any(cr["synthetisch"] for cr in body["criteria"])
    columns = {k["id"]: k for k in table["kolommen"]}
    assert columns["hittestress"]["synthetisch"] is True  # the raster is, and says so
    assert columns["geplande_investering"]["synthetisch"] is False
    assert columns["geplande_investering"]["bron"].startswith("leveringen van Gemeente Enschede")


def test_synthetic_only_where_a_weighed_criterion_is(demo_url: str) -> None:
    """On the demo data: the Leefbaarometer alone is not synthetic; the partner criteria are."""
    with _client(demo_url) as c:
        full = c.post("/api/scores", json={"profiel": "default"}).json()
        public = c.post("/api/scores", json={"profiel": "urgentie"}).json()
        partner_criteria = [cr["id"] for cr in full["criteria"] if cr["laag"] == "partnerdata"]
        only_public = c.post(
            "/api/scores", json={"profiel": "default", "gewichten": dict.fromkeys(partner_criteria, 0)}
        )
    assert full["synthetisch"] is True and public["synthetisch"] is False
    flags = {cr["id"]: cr["synthetisch"] for cr in full["criteria"]}
    assert flags["lbm_score"] is False and flags["bezit_woningen"] is True
    # with every partner criterion at weight 0 the potential axis has no weight: a Dutch error
    assert (
        only_public.status_code == 400 and "Alle gewichten van de potentie" in only_public.json()["melding"]
    )


# -- 4. years and editions chosen, not implied ----------------------------------------------

RENAMED = 30


@pytest.fixture(scope="module")
def newer_year_url(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The demo plus a 2024 buurten map of Enschede in which 30 buurten got a new code (CBS has
    used letters since 2022): the Leefbaarometer 2024 knows 40 of its 70 codes. Loaded with
    `sia load buurten`."""
    url = _create_db(cluster, "sia_newer_year", template="sia_demo")
    frame = gpd.read_file(enschede_buurten)
    frame["jaar"] = 2024
    changed = frame["buurtcode"].iloc[::2].iloc[:RENAMED]
    frame.loc[changed.index, "buurtcode"] = [c[:8] + "A" + c[9] for c in changed]
    path = tmp_path_factory.mktemp("y2024") / "cbs_buurten_2024_enschede.gpkg"
    frame.to_file(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIA_DATABASE_URL", url)
        assert main(["load", "buurten", str(path)]) == 0
    yield url, path


def test_a_newer_buurten_year_does_not_switch_silently(newer_year_url: tuple[str, Path]) -> None:
    """Why: 'loading a newer buurten year silently switches map and scores to it: holes where
    buurten have no score'. Before: the newest year was read, 30 buurten without a score."""
    url, _ = newer_year_url
    with _client(url) as c:
        choices = c.get("/api/indicators/choices").json()
        body = c.post("/api/scores", json={}).json()
        features = c.get("/api/layers/buurten/features", params={"gemeente": "GM0153"}).json()
    assert (choices["jaar"], choices["editie"]) == (2021, 2024)
    assert choices["jaren"] == [2024, 2021] and choices["gekozen"]["jaar"] == "standaard"
    combos = {(k["jaar"], k["editie"]): k for k in choices["combinaties"]}
    assert combos[(2024, 2024)]["dekt"] is False and combos[(2024, 2024)]["met_score"] <= 70 - RENAMED
    assert combos[(2021, 2024)]["dekt"] is True and combos[(2021, 2024)]["met_score"] == 65
    assert any("niet de nieuwere 2024" in w for w in choices["waarschuwingen"])
    assert body["jaar"] == 2021 and len(_ranked(body)) == 65
    assert features["jaar"] == 2021


def test_changed_codes_are_listed_with_where_they_lie(newer_year_url: tuple[str, Path]) -> None:
    url, _ = newer_year_url
    with _client(url) as c:
        changes = c.get("/api/buurten/code-changes", params={"jaar": 2024}).json()
    new = [ch for ch in changes if ch["soort"] == "nieuw"]
    gone = [ch for ch in changes if ch["soort"] == "vervallen"]
    assert len(new) == RENAMED and len(gone) == RENAMED
    for ch in new:  # the renamed buurt lies exactly where the old code lay
        assert ch["jaar"] == 2024 and ch["overlap"][0]["aandeel"] == pytest.approx(1.0, abs=0.001)
        assert ch["overlap"][0]["buurtcode"] == ch["buurtcode"][:8] + "0" + ch["buurtcode"][9]
    unscored = [ch for ch in changes if ch["soort"] == "zonder_leefbaarometer"]
    assert len(unscored) >= RENAMED  # the new codes have no Leefbaarometer 2024 score


def test_an_explicit_year_reads_that_year_without_holes_in_the_partner_figures(
    newer_year_url: tuple[str, Path],
) -> None:
    """Per-buurt counts delivered with 2021 codes count in the 2024 buurt they lie in."""
    url, _ = newer_year_url
    engine = make_engine(url)
    with engine.connect() as conn:
        old = read_table(conn, gemeente="GM0153", jaar=2021)
        new = read_table(conn, gemeente="GM0153", jaar=2024)
    engine.dispose()
    assert new.jaar == 2024 and len(new.frame) == 70
    assert new.frame["bezit_woningen"].sum() == old.frame["bezit_woningen"].sum() > 1000
    renamed = [c for c in new.frame.index if c[8] == "A"]
    assert len(renamed) == RENAMED and new.frame.loc[renamed, "lbm_score"].isna().all()
    listed = {ch.buurtcode for ch in new.codewijzigingen if ch.soort == "zonder_leefbaarometer"}
    assert set(renamed) <= listed  # the holes are listed, not silent


def test_sia_score_and_sia_demo_keep_working_after_a_second_year(
    newer_year_url: tuple[str, Path],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Why: '`sia score` fails, and `sia demo` then rejects its own synthetic file'."""
    url, _ = newer_year_url
    monkeypatch.setenv("SIA_DATABASE_URL", url)
    monkeypatch.setenv("SIA_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SIA_HOME", str(tmp_path))
    out = tmp_path / "scores.csv"
    assert main(["score", "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 70 and "buurten 2021" in capsys.readouterr().out
    assert main(["score", "--jaar", "2024", "--out", str(out)]) == 0
    assert main(["demo", "--no-serve"]) == 0, capsys.readouterr().err


# -- 5. any gemeente -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def utrecht_url(cluster: LocalCluster, template_url: str, data_dir: Path) -> str:
    """Utrecht loaded from the national file the way the README says, through the CLI."""
    url = _create_db(cluster, "sia_utrecht", template="sia_template")
    national = str(data_dir / "national" / "lbm2024_buurten_nl.gpkg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIA_DATABASE_URL", url)
        assert main(["load", "buurten", national, "--gemeente", "GM0344", "--year", "2024"]) == 0
        assert main(["load", "leefbaarometer", national, "--gemeente", "GM0344"]) == 0
    return url


def test_utrecht_ranks_by_urgency_through_the_cli(
    utrecht_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Why: Utrecht 'says "met synthetische partnerdata" and draws its urgency × potential chart
    as one vertical line'; 'the CLI stops with an English message'. Before: the default profile
    failed on the potential axis."""
    monkeypatch.setenv("SIA_DATABASE_URL", utrecht_url)
    out = tmp_path / "utrecht.csv"
    assert main(["score", "--gemeente", "GM0344", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "synthetisch" not in said and "profiel urgentie" in said
    assert "Weggelaten (geen gegevens): Aandeel huurwoningen van corporaties" in said
    assert "Potentie onbekend" in said
    table = pd.read_csv(out)
    ranked = table.dropna(subset=["rang"])
    assert len(ranked) > 50 and set(ranked["kwadrant"]) == {"potentie_onbekend"}
    assert ranked["potentie"].isna().all() and not table["synthetisch"].any()
    assert list(ranked["rang"]) == sorted(ranked["rang"])
    assert ranked["urgentie"].is_monotonic_decreasing


def test_utrecht_through_the_api_and_its_profiles(utrecht_url: str) -> None:
    """A gemeente without organisations sees the standard profiles only, the urgency profile
    first, and no consensus or Enschede partner."""
    with _client(utrecht_url, gemeente="GM0344") as c:
        profiles = c.get("/api/scores/profiles").json()
        body = c.post("/api/scores", json={}).json()
        default = c.post("/api/scores", json={"profiel": "default"}).json()
        domijn = c.post("/api/scores", json={"profiel": "domijn"})
        areas = c.post("/api/scores/candidates", json={"as": "urgentie"}).json()
        orgs = c.get("/api/organisations").json()
    assert [p["naam"] for p in profiles] == ["urgentie", "default"]
    assert profiles[0]["aanbevolen"] is True and profiles[0]["assen"] == {"urgentie": True, "potentie": False}
    assert body["profiel"] == "urgentie" and body["synthetisch"] is False and body["leveringen"] == []
    assert body["assen"]["potentie"] is False and len(_ranked(body)) > 50
    assert default["profiel"] == "default" and default["assen"]["potentie"] is False
    assert domijn.status_code == 404 and "kies uit: default, urgentie." in domijn.json()["melding"]
    assert areas["as"] == "urgentie" and areas["features"] and orgs == []


def test_hengelo_without_leefbaarometer_advice_names_only_existing_profiles(
    cluster: LocalCluster, template_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: 'in Hengelo no shipped profile ranks anything; the API's advice names a profile that
    does not exist'."""
    url = _create_db(cluster, "sia_hengelo", template="sia_template")
    national = str(data_dir / "national" / "lbm2024_buurten_nl.gpkg")
    monkeypatch.setenv("SIA_DATABASE_URL", url)
    assert main(["load", "buurten", national, "--gemeente", "GM0164", "--year", "2024"]) == 0
    with _client(url, gemeente="GM0164") as c:
        res = c.post("/api/scores", json={})
        names = {p["naam"] for p in c.get("/api/scores/profiles").json()}
        assert res.status_code == 400 and "sia load leefbaarometer" in res.json()["melding"]
        assert "'urgentie'" in res.json()["melding"] and "urgentie" in names
        # no other profile has data here either, so none is offered (let alone one that does not exist)
        assert "kies een ander profiel" not in res.json()["melding"]
        assert main(["load", "leefbaarometer", national, "--gemeente", "GM0164"]) == 0
        body = c.post("/api/scores", json={}).json()
    assert body["profiel"] == "urgentie" and len(_ranked(body)) > 20


def test_organisations_per_gemeente_are_data(
    utrecht_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Why: 'the partner names are fixed in code to Enschede's corporations'."""
    from openpyxl import load_workbook

    from layers.organisations import organisations_for
    from layers.partners.template import write_template

    url = utrecht_url
    monkeypatch.setenv("SIA_DATABASE_URL", url)
    assert main(["org", "list", "--gemeente", "GM0153"]) == 0
    listed = capsys.readouterr().out
    assert all(n in listed for n in ("Gemeente Enschede", "Domijn", "De Veste", "Bestuurlijk Overleg"))
    assert (
        main(
            [
                "org",
                "add",
                "--gemeente",
                "GM0344",
                "--naam",
                "Gemeente Utrecht",
                "--soort",
                "gemeente",
                "--profiel",
                "gemeente",
            ]
        )
        == 0
    )
    assert (
        main(["org", "add", "--gemeente", "GM0344", "--naam", "Woonstichting Test", "--soort", "corporatie"])
        == 0
    )
    assert (
        main(["org", "add", "--gemeente", "GM0344", "--naam", "Woonstichting Test", "--soort", "corporatie"])
        == 2
    )
    assert "al een organisatie 'Woonstichting Test'" in capsys.readouterr().err
    engine = make_engine(url)
    with engine.connect() as conn:
        orgs = organisations_for(conn, "GM0344")
    engine.dispose()
    assert orgs.corporaties == ("Woonstichting Test",)
    assert orgs.leveranciers == ("Gemeente Utrecht", "Woonstichting Test")
    book = load_workbook(write_template(tmp_path / "t.xlsx", organisations=orgs))
    lists = " ".join(dv.formula1 or "" for ws in book.worksheets for dv in ws.data_validations.dataValidation)
    assert "Woonstichting Test" in lists and "Gemeente Utrecht" in lists and "Domijn" not in lists
    with _client(url, gemeente="GM0344") as c:
        profiles = {p["naam"]: p for p in c.get("/api/scores/profiles").json()}
        res = c.post("/api/scores", json={"profiel": "default", "partnerprofielen": True})
    assert (
        profiles["gemeente"]["soort"] == "partner"
        and profiles["gemeente"]["organisatie"] == "Gemeente Utrecht"
    )
    assert "consensus" in profiles and "domijn" not in profiles
    assert res.status_code == 200 and res.json()["partnerprofielen"]["partners"] == {
        "gemeente": "Gemeente Utrecht"
    }


def test_a_delivery_is_checked_against_the_organisations_of_its_gemeente(
    cluster: LocalCluster, loaded_url: str, enschede_buurten: Path, tmp_path: Path
) -> None:
    """Deliveries name an organisation of the gemeente; another gemeente's names are refused."""
    from layers.errors import InvalidUpload
    from layers.organisations import add_organisation
    from layers.partner_store import load_delivery_file

    url = _create_db(cluster, "sia_orgs", template="sia_loaded")
    path = next(p for p in write_deliveries(tmp_path, load_buurten(enschede_buurten)) if "domijn" in p.name)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE organisaties SET actief = false WHERE naam = 'Domijn'"))
    with pytest.raises(InvalidUpload) as refused, engine.begin() as conn:
        load_delivery_file(conn, path, gemeente="GM0153")
    assert "Domijn" in str(refused.value.details) and "Ons Huis" in str(refused.value.details)
    with engine.begin() as conn:
        conn.execute(text("UPDATE organisaties SET actief = true WHERE naam = 'Domijn'"))
        stored = load_delivery_file(conn, path, gemeente="GM0153")
        org = conn.execute(
            text(
                "SELECT o.naam FROM leveringen l JOIN organisaties o ON o.id = l.organisatie_id "
                "WHERE l.id = :id"
            ),
            {"id": stored.id},
        ).scalar_one()
        with pytest.raises(Exception, match="soort 'woningbouw' is onbekend"):
            add_organisation(conn, gemeente="GM0153", naam="X", soort="woningbouw")
    engine.dispose()
    assert org == "Domijn"


# -- 6. candidate areas on the axis the user picks ------------------------------------------


def test_candidate_areas_on_urgency_say_when_gi_star_finds_nothing(demo_url: str) -> None:
    """Why: 'candidate areas on urgency alone exist in the engine but not in the API'. In Enschede
    Gi* finds no significant urgency hot spot: said in Dutch, the fallback labelled as such."""
    with _client(demo_url) as c:
        urgency = c.post("/api/scores/candidates", json={"as": "urgentie"}).json()
        strict = c.post("/api/scores/candidates", json={"as": "urgentie", "gebieden": "gi_star"}).json()
        combined = c.get("/api/scores/candidates").json()
        scores = c.post("/api/scores", json={}).json()
    assert urgency["as"] == "urgentie" and urgency["terugval"] is True and urgency["gebruikt"] == "top_groep"
    assert "Gi* vond geen enkele buurt met een significant hoge urgentie" in urgency["melding"]
    assert urgency["parameters"]["alpha"] == 0.05 and urgency["parameters"]["min_inwoners"] == 1000
    assert urgency["features"] and all(f["properties"]["methode"] == "top_groep" for f in urgency["features"])
    score = {b["buurtcode"]: b["urgentie"] for b in _ranked(scores)}
    for f in urgency["features"]:  # the areas are formed on urgency
        members = f["properties"]["buurtcodes"].split(",")
        assert f["properties"]["gem_score"] == pytest.approx(np.mean([score[m] for m in members]))
    assert strict["features"] == [] and strict["terugval"] is False and "top_groep" in strict["melding"]
    assert (
        combined["as"] == "gecombineerd" and combined["gebruikt"] == "gi_star" and combined["melding"] is None
    )


# -- 1. one read path --------------------------------------------------------------------------


def test_the_indicator_table_is_the_same_from_every_entry(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """API, CLI and the notebook's helper read one table and score it one way (before: four ways
    that disagreed, e.g. on which period and whether the result is synthetic)."""
    engine = make_engine(demo_url)
    with engine.connect() as conn:
        table = read_table(conn, gemeente="GM0153")
    engine.dispose()
    notebook = score_table(table, load_profile("default"))
    with _client(demo_url) as c:
        api_table = c.get("/api/indicators/table").json()
        api_score = c.post("/api/scores", json={"profiel": "default"}).json()
    monkeypatch.setenv("SIA_DATABASE_URL", demo_url)
    out = tmp_path / "cli.csv"
    assert main(["score", "--profile", "default", "--out", str(out)]) == 0
    cli = pd.read_csv(out).set_index("buurtcode")
    rows = pd.DataFrame(api_table["rijen"]).set_index("buurtcode")
    assert list(rows.index) == list(table.frame.index)
    for column in table.indicatoren:
        pd.testing.assert_series_equal(
            rows[column].astype(float),
            table.frame[column].astype(float),
            check_names=False,
            check_exact=False,
        )
    ranks = {b["buurtcode"]: b["rang"] for b in api_score["buurten"]}
    mine = notebook.result.rank.to_dict()
    assert {k: v for k, v in ranks.items() if v is not None} == {k: int(v) for k, v in mine.items()}
    assert cli["rang"].dropna().astype(int).to_dict() == {k: int(v) for k, v in mine.items()}
    assert cli["gecombineerd"].dropna().to_numpy() == pytest.approx(
        notebook.result.combined.reindex(cli["gecombineerd"].dropna().index).to_numpy(), abs=1e-12
    )
    assert api_score["synthetisch"] is notebook.synthetic is bool(cli["synthetisch"].all()) is True


def test_the_urgency_profile_uses_cbs_kerncijfers_where_the_file_has_them(
    cluster: LocalCluster,
    template_url: str,
    enschede_buurten: Path,
    enschede_lbm: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A buurten file with the CBS shapefile fields P_HUURCORP, G_INK_PI and WOZ (values made up for
    the test from the file's own columns; -99997 is CBS's code for a secret value) gives the
    urgency profile all its criteria; the shipped 2021 file has none of them (left out, listed)."""
    frame = gpd.read_file(enschede_buurten)
    frame["jaar"] = 2022
    frame["P_HUURCORP"] = frame["percentage_eenpersoonshuishoudens"]
    frame["G_INK_PI"] = 20 + frame["percentage_personen_45_tot_65_jaar"] / 2
    frame["WOZ"] = 150 + frame["percentage_gehuwd"] * 4
    frame.loc[0, "WOZ"] = -99997
    path = tmp_path / "buurten_2022_met_kerncijfers.gpkg"
    frame.to_file(path)
    url = _create_db(cluster, "sia_kerncijfers", template="sia_template")
    monkeypatch.setenv("SIA_DATABASE_URL", url)
    assert main(["load", "buurten", str(path)]) == 0
    assert main(["load", "leefbaarometer", str(enschede_lbm)]) == 0
    with _client(url) as c:
        body = c.post("/api/scores", json={}).json()
        indicators = {i["id"] for i in c.get("/api/indicators").json()}
    assert body["profiel"] == "urgentie" and body["jaar"] == 2022 and body.get("weggelaten") is None
    criteria = {cr["id"]: cr for cr in body["criteria"]}
    assert (
        criteria["gem_woz"]["bron"] == "CBS Wijk- en buurtkaart 2022"
        and not criteria["gem_woz"]["synthetisch"]
    )
    assert {"aandeel_sociale_huur", "gem_inkomen", "gem_woz"} <= indicators
    imputed = {r["buurtcode"]: r for r in body["geimputeerd"]}
    assert imputed[frame.loc[0, "buurtcode"]]["gem_woz"] is True  # the secret value, imputed (median)
