"""GET /api/meta (the names and labels the web map shows), the labels of the CBS kerncijfers,
and the background map setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import PDOK_BRT_GRIJS, Settings
from layers.catalogue import KERNCIJFERS
from layers.cbs import prepare_buurten
from layers.proposals import STATUSES, TRANSITIONS
from sia.aggregate import METHODS, QUADRANT_LABELS
from sia.candidates import AXIS_LABELS, METHOD_LABELS
from sia.normalise import NORMALISERS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client(loaded_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=loaded_url, gemeente="GM0153"))) as c:
        yield c


@pytest.mark.postgis
def test_meta_lists_the_engine_registries(client: TestClient) -> None:
    body = client.get("/api/meta").json()
    assert [m["id"] for m in body["methoden"]] == list(METHODS)
    assert {m["id"]: m["label"] for m in body["methoden"]} == {k: v.label for k, v in METHODS.items()}
    assert [n["id"] for n in body["normalisaties"]] == list(NORMALISERS)
    assert {q["id"]: q["label"] for q in body["kwadranten"]} == QUADRANT_LABELS
    ids = [i["id"] for i in body["score_indicatoren"]]
    assert ids[:4] == ["sia_gecombineerd", "sia_urgentie", "sia_potentie", "sia_kwadrant"]
    scales = {i["id"]: i["schaal"] for i in body["score_indicatoren"]}
    assert scales["sia_p_top"] == "kans" and scales["sia_rangverschil"] == "verschil"
    # directions from the profiles: the Leefbaarometer is better when higher
    assert body["indicator_richting"]["lbm_score"] == "lager_is_urgenter"
    assert body["indicator_richting"]["aandeel_label_efg"] == "hoger_is_urgenter"
    assert set(body["indicator_richting"].values()) <= set(body["richtingen"])
    # candidate areas: the scores they can be formed on and the methods, labelled by the engine
    assert {a["id"]: a["label"] for a in body["kandidaat_assen"]} == AXIS_LABELS
    assert {m["id"]: m["label"] for m in body["kandidaat_methoden"]} == METHOD_LABELS


@pytest.mark.postgis
def test_every_stored_kerncijfer_has_a_dutch_label(client: TestClient, loaded_url: str) -> None:
    """The kerncijfers the map shows for the real Enschede buurten all have an explicit label."""
    stored = client.get("/api/buurten/BU01530000").json()["kerncijfers"]
    assert len(stored) >= 25
    labels = client.get("/api/meta").json()["kerncijfers"]
    missing = sorted(set(stored) - set(labels))
    assert missing == []
    assert labels["percentage_gescheid"] == {"label": "Gescheiden", "eenheid": "%"}
    for field, entry in labels.items():
        assert "_" not in entry["label"], field
        assert entry["label"][0].isupper(), field


@pytest.mark.parametrize(
    ("name", "gemeenten", "year"),
    [
        ("enschede/cbs_buurten_2021_enschede.gpkg", None, None),
        ("enschede/enschede_buurten_2021_cbs_lbm2024.gpkg", None, None),
        ("national/lbm2024_buurten_nl.gpkg", ["GM0344"], 2024),  # Utrecht, as in the README
    ],
)
def test_kerncijfer_labels_cover_every_buurten_file(
    data_dir: Path, name: str, gemeenten: list[str] | None, year: int | None
) -> None:
    """Whatever buurten file of the project's data is loaded, its kerncijfers have labels."""
    prepared = prepare_buurten(data_dir / name, gemeenten=gemeenten, year=year)
    fields = set().union(*(set(k) for k in prepared.frame["kerncijfers"]))
    assert fields, name
    assert sorted(fields - set(KERNCIJFERS)) == []


def test_shapefile_short_names_share_the_long_names_labels() -> None:
    assert KERNCIJFERS["p_gescheid"] == KERNCIJFERS["percentage_gescheid"]
    assert KERNCIJFERS["percenta_7"] == KERNCIJFERS["percentage_gescheid"]
    assert KERNCIJFERS["p_65_eo_jr"] == ("Inwoners 65 jaar en ouder", "%")


def test_default_background_map_is_pdok_brt_grey(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIA_BASEMAP_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.basemap_url == PDOK_BRT_GRIJS
    assert settings.basemap_url.startswith("https://service.pdok.nl/brt/achtergrondkaart/")
    assert "/grijs/EPSG:3857/{z}/{x}/{y}.png" in settings.basemap_url
    assert "Kadaster" in settings.basemap_attribution
    # an empty setting (as in the tests) means no background map
    monkeypatch.setenv("SIA_BASEMAP_URL", "")
    assert Settings(_env_file=None).basemap_url == ""  # type: ignore[call-arg]
    assert PDOK_BRT_GRIJS in (REPO / ".env.example").read_text(encoding="utf-8")


@pytest.mark.postgis
def test_meta_lists_the_proposal_statuses_and_their_transitions(client: TestClient) -> None:
    """The map offers only the status changes the rule in layers/proposals.py allows."""
    statuses = {s["id"]: s for s in client.get("/api/meta").json()["voorstelstatussen"]}
    assert list(statuses) == list(STATUSES)
    assert {k: tuple(s["naar"]) for k, s in statuses.items()} == TRANSITIONS
    assert [k for k, s in statuses.items() if s["open"]] == ["concept", "voorgesteld"]
    assert [k for k, s in statuses.items() if s["vraagt_besluit"]] == ["vastgesteld"]
    assert all(s["label"] for s in statuses.values())
