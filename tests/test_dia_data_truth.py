"""DIA on the one read path (issue 9 merged onto issue 8's data truth): an area's statistics, a
proposal and its dossier see the period as a monitor keeps it (each partner's newest delivery
carried forward), are synthetic only where what they count or weigh is, work with an urgency-only
profile (potential unknown, never NaN), and name partners that are organisations of the gemeente.

Each test fails on the DIA code as it was built on the old scoring path (named in its docstring).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from shapely.geometry import mapping
from sqlalchemy import Engine, text

from api.dia_models import AreaStatistics
from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from tests.signin import add_user, sign_in, token_for

from .conftest import _create_db
from .test_data_truth import NEW, OLD, OTHERS, _three_dwellings

pytestmark = pytest.mark.postgis

CENTRE = ["BU01530000", "BU01530001", "BU01530002", "BU01530003"]


@pytest.fixture(scope="module")
def buurten(enschede_buurten: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(enschede_buurten, layer="buurten_2021").set_index("buurtcode").to_crs(4326)


def _area(buurten: gpd.GeoDataFrame, codes: list[str]) -> dict[str, Any]:
    return mapping(buurten.loc[codes].union_all())


def _stats(client: TestClient, geometry: dict[str, Any], **body: Any) -> dict[str, Any]:
    res = client.post("/api/gebieden/statistieken", json={"geometrie": geometry, "crs": "EPSG:4326", **body})
    assert res.status_code == 200, res.text
    AreaStatistics.model_validate(res.json())  # the documented answer, no field more or less
    return res.json()


def _pdf_text(client: TestClient, vid: int) -> str:
    res = client.get(f"/api/voorstellen/{vid}/dossier", params={"formaat": "pdf"})
    assert res.status_code == 200, res.text[:500]
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(res.content)).pages)


# -- periods carried forward -------------------------------------------------------------------


@pytest.fixture(scope="module")
def next_period(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The demo (every partner delivered 2026-najaar) plus Domijn's delivery for 2027-voorjaar:
    three dwellings and nothing else (empty project and sales sheets), uploaded as a user would."""
    url = _create_db(cluster, "sia_dia_next_period", template="sia_demo")
    path = _three_dwellings(tmp_path_factory.mktemp("dia_next"), enschede_buurten)
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as client:
        sign_in(client, url, slug="domijn", rol="planner")
        with path.open("rb") as fh:
            res = client.post("/api/partners/uploads", files={"bestand": (path.name, fh)})
        assert res.status_code == 201, res.text
        del client.headers["Authorization"]  # the tests read as the public
        yield client


def test_area_statistics_carry_the_other_partners_forward(
    next_period: TestClient, buurten: gpd.GeoDataFrame
) -> None:
    """Before: the area read the records of the period itself (``x.periode = :per``), so in
    2027-voorjaar only Domijn's three dwellings counted: every other partner's projects, sales and
    holdings vanished from the area. Now the period's view carries them forward, as in the
    indicator table; the default period is the complete one."""
    area = _area(buurten, CENTRE)
    default, old, new = (
        _stats(next_period, area),
        _stats(next_period, area, periode=OLD),
        _stats(next_period, area, periode=NEW),
    )
    assert default["periode"] == OLD and new["periode"] == NEW
    assert any(NEW in w for w in default["waarschuwingen"])  # the newer, incomplete period is named

    kept = [p for p in old["projecten"]["projecten"] if p["partner"] != "Domijn"]
    assert kept, "the demo plans projects of other partners in the centre"
    assert sorted(p["id"] for p in new["projecten"]["projecten"]) == sorted(p["id"] for p in kept)
    assert {p["periode"] for p in new["projecten"]["projecten"]} == {OLD}
    assert new["projecten"]["investering_eur"] == pytest.approx(
        sum(p["investering_binnen_eur"] for p in kept), rel=1e-9
    )

    def per_corporation(stats: dict[str, Any]) -> dict[str, float]:
        return {c["corporatie"]: c["woningen"] for c in stats["corporatiebezit"]["per_corporatie"]}

    before, after = per_corporation(old), per_corporation(new)
    others = {c for c in before if c != "Domijn"}
    assert others and {c: after[c] for c in others} == pytest.approx({c: before[c] for c in others})
    assert after.get("Domijn", 0.0) <= 3.0  # Domijn's new delivery: three dwellings in the gemeente

    rows = {(r["partner"], r["laag"]): r for r in new["volledigheid"]}
    assert rows[("Domijn", "bezit")]["status"] == "actueel"
    for partner in OTHERS:
        carried = [r for (p, _), r in rows.items() if p == partner]
        assert carried and all(r["status"] == "doorgeschoven" and r["periode"] == OLD for r in carried)
    used = {d["partner"]: d["periode"] for d in new["scores"]["leveringen"]}
    assert used == {**dict.fromkeys(OTHERS, OLD), "Domijn": NEW}


@pytest.mark.browser
def test_proposal_agenda_and_dossier_of_a_carried_forward_period(
    next_period: TestClient, buurten: gpd.GeoDataFrame, request: pytest.FixtureRequest
) -> None:
    """Before: the investment agenda of a proposal in 2027-voorjaar held only that period's own
    project records (none), and the dossier listed the deliveries without saying which were
    carried forward. Now the agenda reads the period's view and the dossier names each delivery
    used, current or carried forward, with its period."""
    area = _area(buurten, CENTRE)
    sign_in(next_period, next_period.app.state.settings.database_url, rol="planner")  # writes ...
    request.addfinalizer(lambda: next_period.headers.pop("Authorization", None))  # ... this test only
    res = next_period.post(
        "/api/voorstellen",
        json={
            "naam": "Centrum voorjaar",
            "partners": ["Domijn", "Ons Huis"],
            "auteur": "planner",
            "geometrie": area,
            "crs": "EPSG:4326",
            "weging": {"periode": NEW},
        },
    )
    assert res.status_code == 201, res.text
    version = res.json()
    assert version["weging"]["periode"] == NEW and version["invoer"]["periode"] == NEW
    assert {d["periode"] for d in version["invoer"]["leveringen"]} == {OLD, NEW}
    planned = version["statistieken"]["projecten"]["investering_eur"]
    agenda = next_period.get(f"/api/voorstellen/{version['voorstel_id']}/investeringsagenda").json()
    assert planned > 0 and sum(r["gepland_eur"] for r in agenda["rijen"]) == pytest.approx(planned, rel=1e-9)
    # the projects of each partner's newest delivery that speaks for projects: Domijn's new one
    # (no projects), the others' carried forward
    assert {d["partner"]: d["periode"] for d in agenda["leveringen"]} == {
        **{d["partner"]: OLD for d in agenda["leveringen"] if d["partner"] != "Domijn"},
        "Domijn": NEW,
    }
    assert {p["partner"] for p in agenda["projecten"]} <= set(OTHERS)

    text_all = _pdf_text(next_period, version["voorstel_id"])
    assert "Gebruikte leveringen" in text_all and "doorgeschoven" in text_all and "actueel" in text_all
    assert all(partner in text_all for partner in OTHERS)
    assert f"In {NEW} tellen eerdere leveringen mee" in text_all.replace("\n", " ")


# -- an urgency-only gemeente, synthetic per criterion ------------------------------------------


@pytest.fixture(scope="module")
def public_only(
    cluster: LocalCluster, loaded_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Engine]]:
    """Buurten and Leefbaarometer, no partner deliveries, and the demo's synthetic heat-stress
    raster: a synthetic indicator that the urgentie profile does not weigh."""
    from layers.demo import HEAT_RASTER
    from layers.partners.synthetic import load_buurten, write_heat_raster
    from layers.raster_store import store_raster

    url = _create_db(cluster, "sia_dia_public_only", template="sia_loaded")
    engine = make_engine(url)
    heat = write_heat_raster(tmp_path_factory.mktemp("heat") / "hitte.tif", load_buurten(enschede_buurten))
    with engine.begin() as conn:
        store_raster(conn, heat, gemeente="GM0153", **HEAT_RASTER)
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as client:
        sign_in(client, url, rol="planner")
        yield client, engine
    engine.dispose()


def test_urgency_only_area_statistics(
    public_only: tuple[TestClient, Engine], buurten: gpd.GeoDataFrame
) -> None:
    """Before: the area's potential was computed from None (a TypeError, a 500) or NaN, and the
    area counted as synthetic because a synthetic raster was loaded for the period. Now the area
    ranks by urgency, its potential is unknown (null, quadrant potentie_onbekend) and it is not
    synthetic: no criterion it weighs and no record it counts is."""
    client, _ = public_only
    table = client.get("/api/indicators/table").json()
    columns = {c["id"]: c for c in table["kolommen"]}
    assert columns["hittestress"]["synthetisch"] is True  # the premise: a synthetic column
    got = _stats(client, _area(buurten, CENTRE))
    scores = got["scores"]
    assert scores["profiel"] == "urgentie" and scores["assen"] == {"urgentie": True, "potentie": False}
    assert scores["potentie"] is None and scores["kwadrant"] == "potentie_onbekend"
    assert "Potentie onbekend" in scores["melding"]
    rows = scores["buurten"]
    assert rows and all(r["potentie"] is None and r["kwadrant"] == "potentie_onbekend" for r in rows)
    weights = {b["buurtcode"]: b["huishoudens"] for b in got["buurten"]}
    expected = sum(r["urgentie"] * weights[r["buurtcode"]] for r in rows) / sum(weights.values())
    assert scores["urgentie"] == pytest.approx(expected, rel=1e-12)
    assert scores["gecombineerd"] == pytest.approx(scores["urgentie"], rel=1e-12)
    assert got["synthetisch"] is False and got["synthetisch_in"] == [] and scores["synthetisch"] is False
    assert not any(c["synthetisch"] for c in scores["criteria"])
    assert got["corporatiebezit"]["woningen"] == 0 and got["projecten"]["aantal"] == 0

    csv = client.post("/api/exports/ranking", params={"formaat": "csv"}, json={}).text
    header, first = csv.splitlines()[:2]
    assert "potentie" in header and "nan" not in csv.lower()
    assert first.split(",")[header.split(",").index("synthetisch")] == "False"


@pytest.mark.browser
def test_urgency_only_dossier_is_not_synthetic(
    public_only: tuple[TestClient, Engine], buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """Before: the dossier of such a proposal printed 'SYNTHETISCHE DATA' on every page (a
    synthetic raster was loaded, though nothing used it) and its potential as NaN or a crash.
    Now: no banner, the potential said to be unknown."""
    client, engine = public_only
    res = client.post(
        "/api/voorstellen",
        json={
            "naam": "Alleen urgentie",
            "auteur": "planner",
            "geometrie": _area(buurten, CENTRE),
            "crs": 4326,
        },
    )
    assert res.status_code == 201, res.text
    vid = res.json()["voorstel_id"]
    text_all = _pdf_text(client, vid)
    assert "SYNTHETISCHE DATA" not in text_all and "nan" not in text_all.lower().split()
    assert "onbekend: geen potentie-criteria met gegevens" in text_all.replace("\n", " ")
    path = tmp_path / "d.gpkg"
    res = client.get(f"/api/voorstellen/{vid}/dossier", params={"formaat": "gpkg"})
    path.write_bytes(res.content)
    meta = pyogrio.read_dataframe(path, layer="metadata").set_index("sleutel")["waarde"]
    assert meta["synthetisch"] == "false" and meta["let_op"] in ("", None)
    area = gpd.read_file(path, layer="gebied")
    assert area.loc[0, "potentie"] is None or area["potentie"].isna().all()
    with engine.connect() as conn:  # the stored statistics hold no NaN (jsonb refuses it anyway)
        stored = conn.execute(
            text("SELECT statistieken->'scores'->>'potentie' FROM voorstel_versies WHERE voorstel_id = :id"),
            {"id": vid},
        ).scalar_one()
    assert stored is None


# -- partners are organisations of the gemeente --------------------------------------------------


@pytest.fixture(scope="module")
def proposals_client(cluster: LocalCluster, demo_url: str) -> Iterator[tuple[TestClient, Engine]]:
    url = _create_db(cluster, "sia_dia_organisations", template="sia_demo")
    engine = make_engine(url)
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as client:
        sign_in(client, url, rol="beheerder")  # records commitments of every organisation
        yield client, engine
    engine.dispose()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_partners_are_organisations_of_the_gemeente(
    proposals_client: tuple[TestClient, Engine], buurten: gpd.GeoDataFrame
) -> None:
    """Before: any name was accepted as a partner, a commitment's partner or a comment's
    organisation. Now they are the gemeente's organisations (data, ``sia org add``); an unknown
    name is refused in Dutch with the names there are, and nothing is stored."""
    from layers.organisations import add_organisation

    client, engine = proposals_client
    body = {
        "naam": "Met partners",
        "auteur": "planner",
        "partners": ["Domijn", "Woonbedrijf Nieuw"],
        "geometrie": _area(buurten, CENTRE[:2]),
        "crs": "EPSG:4326",
    }
    before = _count(engine, "voorstel_versies")
    res = client.post("/api/voorstellen", json=body)
    assert res.status_code == 400, res.text
    message = res.json()["melding"]
    assert (
        "'Woonbedrijf Nieuw'" in message
        and "Domijn" in message
        and "Huurdersorganisaties Enschede" in message
    )
    assert _count(engine, "voorstel_versies") == before

    with engine.begin() as conn:
        add_organisation(conn, gemeente="GM0153", naam="Woonbedrijf Nieuw", soort="corporatie")
    created = client.post("/api/voorstellen", json=body)
    assert created.status_code == 201, created.text
    vid = created.json()["voorstel_id"]
    assert created.json()["partners"] == ["Domijn", "Woonbedrijf Nieuw"]

    edit = client.post(
        f"/api/voorstellen/{vid}/versies", json={"basisversie": 1, "auteur": "x", "partners": ["Niemand"]}
    )
    assert edit.status_code == 400 and "'Niemand'" in edit.json()["melding"]
    commitment = {
        "partner": "Onbekende BV",
        "jaar": 2030,
        "bedrag_eur": 1000,
        "thema": "t",
        "soort": "toegezegd",
        "auteur": "a",
    }
    res = client.post(f"/api/voorstellen/{vid}/toezeggingen", json=commitment)
    assert res.status_code == 400 and "'Onbekende BV'" in res.json()["melding"]
    assert client.get(f"/api/voorstellen/{vid}").json()["toezeggingen"] == []
    # since sign-in a comment is in the name of the signed-in user's own organisation
    tenant = add_user(engine, slug="huurdersorganisaties", rol="lezer")
    tenants = client.post(
        f"/api/voorstellen/{vid}/reacties",
        json={"organisatie": "Onbekend", "tekst": "Akkoord"},
        headers={"Authorization": f"Bearer {token_for(engine, tenant['id'])}"},
    )
    assert tenants.status_code == 201, tenants.text
    assert tenants.json()["organisatie"] == "Huurdersorganisaties Enschede"  # not what the body said
