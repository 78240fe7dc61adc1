"""DIA proposals through /api/voorstellen: versions that are never changed (enforced in SQL),
status changes (409 when not allowed), comparing versions, comments, the investment agenda,
downloads and the `sia voorstel` command."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
import shapely
import sqlalchemy.exc
from fastapi.testclient import TestClient
from shapely.geometry import mapping
from sqlalchemy import Engine, text

from api.cli import main as sia_main
from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from tests.signin import add_user, sign_in, token_for

from .conftest import _create_db

pytestmark = pytest.mark.postgis

FIRST = ["BU01530000", "BU01530001"]
ADDED = "BU01530002"


@pytest.fixture(scope="module")
def url(cluster: LocalCluster, demo_url: str) -> str:
    return _create_db(cluster, "sia_dia_proposals", template="sia_demo")


@pytest.fixture(scope="module")
def engine(url: str) -> Iterator[Engine]:
    eng = make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        sign_in(c, url, rol="beheerder")  # writes proposals of every organisation of the gemeente
        yield c


@pytest.fixture(scope="module")
def buurten(enschede_buurten: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(enschede_buurten, layer="buurten_2021").set_index("buurtcode").to_crs(4326)


def _area(buurten: gpd.GeoDataFrame, codes: list[str]) -> dict[str, Any]:
    return mapping(buurten.loc[codes].union_all())


def _new(client: TestClient, buurten: gpd.GeoDataFrame, **extra: Any) -> dict[str, Any]:
    body = {
        "naam": "Binnenstad-Oost",
        "motivering": "Hoge urgentie, veel bezit van meerdere corporaties.",
        "partners": ["Domijn", "Gemeente Enschede"],
        "contact": "dia@enschede.nl",
        "auteur": "planner@enschede.nl",
        "geometrie": _area(buurten, FIRST),
        "crs": "EPSG:4326",
        **extra,
    }
    res = client.post("/api/voorstellen", json=body)
    assert res.status_code == 201, res.text
    return res.json()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_create_edit_view_and_compare_versions(client: TestClient, buurten: gpd.GeoDataFrame) -> None:
    v1 = _new(client, buurten)
    vid = v1["voorstel_id"]
    assert (v1["versie"], v1["status"], v1["naam"]) == (1, "concept", "Binnenstad-Oost")
    assert v1["weging"]["gemeente"] == "GM0153" and v1["weging"]["periode"] == "2026-najaar"
    assert v1["invoer"]["leveringen"] and v1["invoer"]["lbm_editie"] == 2024
    scores = client.post("/api/scores", json={}).json()  # the data versions the score panel reads
    assert v1["invoer"]["leveringen"] == scores["leveringen"] and v1["invoer"]["rasters"] == scores["rasters"]
    assert v1["weging"]["jaar"] == scores["jaar"] and v1["weging"]["editie"] == scores["editie"]
    assert {b["buurtcode"] for b in v1["statistieken"]["buurten"] if b["methode"] == "geheel"} == set(FIRST)
    res = client.post(
        f"/api/voorstellen/{vid}/versies",
        json={
            "basisversie": 1,
            "auteur": "planner",
            "wijziging": "De Laares erbij",
            "geometrie": _area(buurten, [*FIRST, ADDED]),
            "crs": "EPSG:4326",
        },
    )
    assert res.status_code == 201, res.text
    v2 = res.json()
    assert v2["versie"] == 2 and v2["naam"] == v1["naam"] and v2["motivering"] == v1["motivering"]
    old = client.get(f"/api/voorstellen/{vid}/versies/1").json()
    assert (
        old["geometrie"] == v1["geometrie"]
        and old["statistieken"]["inwoners"] == v1["statistieken"]["inwoners"]
    )
    cmp = client.get(f"/api/voorstellen/{vid}/vergelijk", params={"a": 1, "b": 2}).json()
    added = buurten.loc[[ADDED]].to_crs(28992).area.iloc[0] / 10_000
    assert cmp["toegevoegd_ha"] == pytest.approx(added, rel=1e-3)
    assert cmp["verwijderd_ha"] == pytest.approx(0, abs=0.01)
    assert (
        shapely.geometry.shape(cmp["toegevoegd"])
        .intersection(shapely.geometry.shape(_area(buurten, [ADDED])))
        .area
        > 0
    )
    assert cmp["buurten_erbij"] == [ADDED] and cmp["buurten_eraf"] == []
    figures = {f["grootheid"]: f for f in cmp["statistieken"]}
    assert figures["inwoners"]["verschil"] == pytest.approx(buurten.loc[ADDED, "aantal_inwoners"])
    # each compared figure carries its Dutch label and unit (the map shows them as they come)
    assert (figures["inwoners"]["label"], figures["inwoners"]["eenheid"]) == ("Inwoners", "inwoners")
    assert (figures["urgentie"]["label"], figures["urgentie"]["eenheid"]) == ("Urgentie", None)
    assert len({f["label"] for f in cmp["statistieken"]}) == len(cmp["statistieken"])
    stale = client.post(
        f"/api/voorstellen/{vid}/versies", json={"basisversie": 1, "auteur": "x", "naam": "Ander"}
    )
    assert stale.status_code == 409 and "niet meer de nieuwste" in stale.json()["melding"]
    history = client.get(f"/api/voorstellen/{vid}/versies").json()
    assert [h["versie"] for h in history] == [1, 2] and history[1]["wijziging"] == "De Laares erbij"


def test_versions_cannot_be_changed_or_deleted_in_sql(
    client: TestClient, engine: Engine, buurten: gpd.GeoDataFrame
) -> None:
    vid = _new(client, buurten)["voorstel_id"]
    said = client.post(
        f"/api/voorstellen/{vid}/reacties", json={"auteur": "a", "organisatie": "Domijn", "tekst": "c"}
    )
    assert said.status_code == 201, said.text  # a row the statements below could change
    statements = [
        "UPDATE voorstel_versies SET naam = 'gewijzigd' WHERE voorstel_id = :id",
        "UPDATE voorstel_versies SET status = 'vastgesteld', bo_datum = now(), besluitreferentie = 'x' "
        "WHERE voorstel_id = :id",
        "DELETE FROM voorstel_versies WHERE voorstel_id = :id",
        "UPDATE voorstel_reacties SET tekst = 'anders' WHERE voorstel_id = :id",
        "DELETE FROM voorstel_reacties WHERE voorstel_id = :id",
        "DELETE FROM voorstellen WHERE id = :id",
        "TRUNCATE voorstel_versies CASCADE",
    ]
    for sql in statements:
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="nooit"), engine.begin() as conn:
            conn.execute(text(sql), {"id": vid})
    row = client.get(f"/api/voorstellen/{vid}").json()
    assert row["naam"] == "Binnenstad-Oost" and row["status"] == "concept" and len(row["reacties"]) == 1


@pytest.mark.parametrize(
    ("path", "target", "extra"),
    [
        ([], "vastgesteld", {"bo_datum": "2027-01-15", "besluitreferentie": "BO-2027-01"}),
        ([], "afgewezen", {}),
        (["voorgesteld"], "concept", {}),
        (["voorgesteld", "afgewezen"], "voorgesteld", {}),
        (["ingetrokken"], "voorgesteld", {}),
        (["voorgesteld", "vastgesteld"], "ingetrokken", {}),
        (["voorgesteld"], "voorgesteld", {}),
    ],
)
def test_forbidden_status_changes_are_409(
    client: TestClient,
    engine: Engine,
    buurten: gpd.GeoDataFrame,
    path: list[str],
    target: str,
    extra: dict[str, str],
) -> None:
    vid = _new(client, buurten)["voorstel_id"]
    version = 1
    for status in path:
        body = {"basisversie": version, "auteur": "bo", "status": status}
        if status == "vastgesteld":
            body |= {"bo_datum": "2027-01-15", "besluitreferentie": "BO-2027-01"}
        res = client.post(f"/api/voorstellen/{vid}/status", json=body)
        assert res.status_code == 201, res.text
        version = res.json()["versie"]
    before = _count(engine, "voorstel_versies")
    res = client.post(
        f"/api/voorstellen/{vid}/status",
        json={"basisversie": version, "auteur": "bo", "status": target, **extra},
    )
    assert res.status_code == 409, res.text
    assert "kan niet" in res.json()["melding"] or "al" in res.json()["melding"]
    assert _count(engine, "voorstel_versies") == before


def test_the_whole_way_to_vastgesteld(client: TestClient, buurten: gpd.GeoDataFrame) -> None:
    vid = _new(client, buurten)["voorstel_id"]
    assert (
        client.post(
            f"/api/voorstellen/{vid}/status", json={"basisversie": 1, "auteur": "a", "status": "voorgesteld"}
        ).status_code
        == 201
    )
    missing = client.post(
        f"/api/voorstellen/{vid}/status", json={"basisversie": 2, "auteur": "bo", "status": "vastgesteld"}
    )
    assert missing.status_code == 400 and "bo_datum" in missing.json()["melding"]
    done = client.post(
        f"/api/voorstellen/{vid}/status",
        json={
            "basisversie": 2,
            "auteur": "bo",
            "status": "vastgesteld",
            "bo_datum": "2027-03-02",
            "besluitreferentie": "BO 2027/04",
        },
    )
    assert done.status_code == 201, done.text
    assert (done.json()["status"], done.json()["bo_datum"], done.json()["besluitreferentie"]) == (
        "vastgesteld",
        "2027-03-02",
        "BO 2027/04",
    )
    closed = client.post(
        f"/api/voorstellen/{vid}/versies", json={"basisversie": 3, "auteur": "x", "naam": "Nieuw"}
    )
    assert closed.status_code == 409 and "vastgesteld" in closed.json()["melding"]
    listed = client.get("/api/voorstellen", params={"status": "vastgesteld"}).json()
    assert vid in [p["id"] for p in listed]
    # an adopted DIA shows up as an overlap of a new area
    stats = client.post(
        "/api/gebieden/statistieken", json={"geometrie": _area(buurten, [FIRST[0]]), "crs": "EPSG:4326"}
    ).json()
    overlap = {o["id"]: o for o in stats["overlap"]}
    assert overlap[vid]["soort"] == "vastgestelde DIA" and overlap[vid][
        "aandeel_van_gebied"
    ] == pytest.approx(1.0, rel=1e-6)
    notice = next(m for m in stats["meldingen"] if f"vastgestelde DIA {vid}" in m)
    ha = f"{overlap[vid]['overlap_ha']:.2f}".replace(".", ",")  # Dutch decimals, as everywhere else
    assert f": {ha} ha, 100 % van dit gebied." in notice, notice


@pytest.mark.parametrize(
    ("geometrie", "crs", "word"),
    [
        (
            {
                "type": "Polygon",
                "coordinates": [[[6.88, 52.21], [6.9, 52.23], [6.9, 52.21], [6.88, 52.23], [6.88, 52.21]]],
            },
            "EPSG:4326",
            "snijdt zichzelf",
        ),
        ({"type": "Polygon", "coordinates": []}, "EPSG:4326", "leeg"),
        (
            {"type": "Polygon", "coordinates": [[[4.88, 52.36], [4.9, 52.36], [4.9, 52.37], [4.88, 52.36]]]},
            "EPSG:4326",
            "buiten de gemeente",
        ),
        (
            {"type": "Polygon", "coordinates": [[[6.88, 52.21], [6.9, 52.21], [6.9, 52.23], [6.88, 52.21]]]},
            "EPSG:3857",
            "coördinatenstelsel",
        ),
    ],
)
def test_invalid_areas_store_nothing(
    client: TestClient, engine: Engine, geometrie: dict[str, Any], crs: str, word: str
) -> None:
    before = (_count(engine, "voorstellen"), _count(engine, "voorstel_versies"))
    res = client.post(
        "/api/voorstellen", json={"naam": "Fout", "auteur": "x", "geometrie": geometrie, "crs": crs}
    )
    assert res.status_code == 400, res.text
    assert word in res.json()["melding"]
    assert (_count(engine, "voorstellen"), _count(engine, "voorstel_versies")) == before


def test_comments_are_stored_as_given(client: TestClient, engine: Engine, buurten: gpd.GeoDataFrame) -> None:
    from layers.organisations import add_organisation

    with engine.begin() as conn:  # an organisation whose name looks like markup
        org = add_organisation(
            conn, gemeente="GM0153", naam="Huurdersorganisatie <b>Oost</b>", soort="huurdersorganisatie"
        )
    tenant = add_user(engine, slug=org.slug, rol="lezer")  # comments in its own organisation's name
    as_tenant = {"Authorization": f"Bearer {token_for(engine, tenant['id'])}"}
    vid = _new(client, buurten)["voorstel_id"]
    text_in = "<script>alert('x')</script>\nTweede regel & meer"
    res = client.post(f"/api/voorstellen/{vid}/reacties", json={"tekst": text_in}, headers=as_tenant)
    assert res.status_code == 201, res.text
    got = client.get(f"/api/voorstellen/{vid}/reacties").json()
    assert got[-1]["tekst"] == text_in and got[-1]["organisatie"] == "Huurdersorganisatie <b>Oost</b>"
    assert got[-1]["versie"] == 1 and got[-1]["aangemaakt"]
    bad = client.post(f"/api/voorstellen/{vid}/reacties", json={"tekst": "a\x00b"}, headers=as_tenant)
    assert bad.status_code == 422
    assert client.get("/api/voorstellen/999999/reacties").status_code == 404


def test_investment_agenda_adds_commitments_to_planned_projects(
    client: TestClient, buurten: gpd.GeoDataFrame
) -> None:
    created = _new(client, buurten)
    vid = created["voorstel_id"]
    planned = created["statistieken"]["projecten"]["investering_eur"]
    assert planned > 0  # the demo plans projects in the centre
    for body in (
        {
            "partner": "Domijn",
            "jaar": 2031,
            "bedrag_eur": 2_500_000,
            "thema": "verduurzaming",
            "soort": "toegezegd",
            "auteur": "Domijn",
        },
        {
            "partner": "Gemeente Enschede",
            "jaar": 2031,
            "bedrag_eur": 400_000,
            "thema": "openbare ruimte",
            "soort": "indicatief",
            "auteur": "Gemeente",
        },
    ):
        assert client.post(f"/api/voorstellen/{vid}/toezeggingen", json=body).status_code == 201
    bad = client.post(
        f"/api/voorstellen/{vid}/toezeggingen",
        json={
            "partner": "X",
            "jaar": 2031,
            "bedrag_eur": -5,
            "thema": "t",
            "soort": "misschien",
            "auteur": "a",
        },
    )
    assert bad.status_code == 422
    agenda = client.get(f"/api/voorstellen/{vid}/investeringsagenda").json()
    rows = {(r["partner"], r["jaar"]): r for r in agenda["rijen"]}
    assert sum(r["gepland_eur"] for r in agenda["rijen"]) == pytest.approx(planned, rel=1e-9)
    assert rows[("Domijn", 2031)]["toegezegd_eur"] == 2_500_000
    assert rows[("Gemeente Enschede", 2031)]["indicatief_eur"] == 400_000
    assert agenda["totaal_eur"] == pytest.approx(planned + 2_900_000, rel=1e-9)


def test_downloads_of_all_proposals(client: TestClient, buurten: gpd.GeoDataFrame, tmp_path: Path) -> None:
    vid = _new(client, buurten, naam="Voor de download")["voorstel_id"]
    res = client.get("/api/voorstellen/export", params={"formaat": "geojson"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/geo+json")
    data = res.json()
    names = {f["properties"]["id"]: f["properties"]["naam"] for f in data["features"]}
    assert names[vid] == "Voor de download"
    assert len(data["features"]) == len(client.get("/api/voorstellen").json())
    res = client.get("/api/voorstellen/export", params={"formaat": "gpkg"})
    path = tmp_path / "v.gpkg"
    path.write_bytes(res.content)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"dia_voorstellen", "metadata"}
    frame = gpd.read_file(path, layer="dia_voorstellen")
    assert frame.crs.to_epsg() == 28992 and len(frame) == len(data["features"])
    assert frame.set_index("id").loc[vid, "naam"] == "Voor de download"
    assert frame.geometry.is_valid.all()


def test_sia_voorstel_and_dossier_commands(
    url: str,
    client: TestClient,
    buurten: gpd.GeoDataFrame,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --als the CLI reads as the public does (the application role, anonymous) and says so:
    a concept is not listed, a proposal that is voorgesteld is, with its voorgesteld versions."""
    concept = _new(client, buurten, naam="Nog een concept")["voorstel_id"]
    vid = _new(client, buurten, naam="Via de CLI")["voorstel_id"]
    res = client.post(f"/api/voorstellen/{vid}/status", json={"basisversie": 1, "status": "voorgesteld"})
    assert res.status_code == 201, res.text
    monkeypatch.setenv("SIA_DATABASE_URL", url)
    monkeypatch.setenv("SIA_GEMEENTE", "GM0153")
    assert sia_main(["voorstel", "list"]) == 0
    said = capsys.readouterr()
    assert "Via de CLI" in said.out and "Nog een concept" not in said.out
    assert (
        "openbare weergave: concepten en vertrouwelijke gegevens niet zichtbaar; gebruik --als E-MAIL"
        in said.err
    )
    assert sia_main(["voorstel", "show", str(concept)]) == 2
    err = capsys.readouterr().err
    assert f"Voorstel {concept} bestaat niet of is niet openbaar (openbare weergave" in err
    assert sia_main(["voorstel", "show", str(vid)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["voorstel_id"] == vid and [v["versie"] for v in shown["versies"]] == [2]
    out = tmp_path / "alle.gpkg"
    assert sia_main(["voorstel", "export", "--out", str(out)]) == 0
    assert "Via de CLI" in set(gpd.read_file(out, layer="dia_voorstellen")["naam"])
    assert sia_main(["voorstel", "show", "99999"]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    folder = tmp_path / "dossier"
    assert sia_main(["dossier", str(vid), "--out", str(folder), "--formaat", "gpkg", "html"]) == 0
    assert sorted(p.suffix for p in folder.iterdir()) == [".gpkg", ".html"]
    assert io.BytesIO((folder / f"dossier_voorstel_{vid}_v2.gpkg").read_bytes()).getbuffer().nbytes > 0


def test_a_new_boundary_being_drawn_does_not_overlap_its_own_proposal(
    client: TestClient, buurten: gpd.GeoDataFrame
) -> None:
    """POST /api/gebieden/statistieken with ``voorstel_id``: the map edits a proposal's boundary and
    asks the live statistics without that proposal reported as an overlap (others still are)."""
    own = _new(client, buurten, naam="Eigen grens")
    other = _new(client, buurten, naam="Buurman")
    body = {"geometrie": _area(buurten, [*FIRST, ADDED]), "crs": "EPSG:4326"}
    plain = client.post("/api/gebieden/statistieken", json=body).json()
    assert {own["id"], other["id"]} <= {o["id"] for o in plain["overlap"]}
    editing = client.post("/api/gebieden/statistieken", json={**body, "voorstel_id": own["id"]}).json()
    ids = {o["id"] for o in editing["overlap"]}
    assert own["id"] not in ids and other["id"] in ids
    assert editing["inwoners"] == pytest.approx(plain["inwoners"])
    bad = client.post("/api/gebieden/statistieken", json={**body, "voorstel_id": 0})
    assert bad.status_code == 422


# -- the map's layer is not a download; personal data; comments; ids (review of issue 9/10) ------

ANONYMOUS = {"Authorization": ""}  # overrides the module client's token: no principal


def _exports(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit WHERE actie = 'export'")).scalar_one())


def _propose(client: TestClient, buurten: gpd.GeoDataFrame, naam: str) -> int:
    vid = int(_new(client, buurten, naam=naam)["voorstel_id"])
    res = client.post(f"/api/voorstellen/{vid}/status", json={"basisversie": 1, "status": "voorgesteld"})
    assert res.status_code == 201, res.text
    return vid


def test_the_map_layer_is_not_audited_and_follows_the_proposals(
    client: TestClient, engine: Engine, buurten: gpd.GeoDataFrame
) -> None:
    """GET /api/voorstellen/kaart (what the map loads on every page) writes no audit row, answers
    304 to its own ETag, and changes when the proposals a viewer may read change (also when one
    leaves the public view); a download (/export) is audited."""
    first = _propose(client, buurten, "Op de kaart A")
    second = _propose(client, buurten, "Op de kaart B")  # newer: the newest public version
    before = _exports(engine)
    res = client.get("/api/voorstellen/kaart", headers=ANONYMOUS)
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/geo+json")
    ids = {f["properties"]["id"] for f in res.json()["features"]}
    assert {first, second} <= ids
    etag = res.headers["etag"]
    again = client.get("/api/voorstellen/kaart", headers={**ANONYMOUS, "If-None-Match": etag})
    assert again.status_code == 304
    signed_in = client.get("/api/voorstellen/kaart")
    assert signed_in.headers["etag"] != etag  # another view: concepts too
    assert len(signed_in.json()["features"]) == len(client.get("/api/voorstellen").json())
    assert _exports(engine) == before  # loading the layer is not an export
    withdrawn = client.post(
        f"/api/voorstellen/{first}/status", json={"basisversie": 2, "status": "ingetrokken"}
    )
    assert withdrawn.status_code == 201, withdrawn.text
    after = client.get("/api/voorstellen/kaart", headers={**ANONYMOUS, "If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert {f["properties"]["id"] for f in after.json()["features"]} == ids - {first}
    download = client.get("/api/voorstellen/export", params={"formaat": "geojson"}, headers=ANONYMOUS)
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert _exports(engine) == before + 1
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT object_soort, gebruiker_id FROM audit WHERE actie = 'export' ORDER BY id DESC LIMIT 1"
            )
        ).one()
    assert (row.object_soort, row.gebruiker_id) == ("voorstellen", None)


def test_the_public_reads_no_contact_and_no_author_names(
    url: str, client: TestClient, buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """Contact and author names are personal data: anonymous readers get the author's organisation
    and no contact, in the proposal, its history, the comparison, the list, the map layer and the
    downloads; signed-in partners of the gemeente (a tenant's lezer too) get them."""
    me = client.get("/api/auth/ik").json()["gebruiker"]
    vid = _propose(client, buurten, "Met persoonsgegevens")
    tenant = add_user(url, slug="huurdersorganisaties", rol="lezer")
    as_tenant = {"Authorization": f"Bearer {token_for(url, tenant['id'])}"}
    for headers in ({}, as_tenant):
        shown = client.get(f"/api/voorstellen/{vid}", headers=headers).json()
        assert shown["contact"] == "dia@enschede.nl" and shown["auteur"] == me["naam"]
        assert {v["auteur"] for v in shown["versies"]} == {me["naam"]}
    public = client.get(f"/api/voorstellen/{vid}", headers=ANONYMOUS).json()
    assert public["contact"] is None and public["auteur"] == me["organisatie"] == "Gemeente Enschede"
    assert [v["auteur"] for v in public["versies"]] == [me["organisatie"]]
    cmp = client.get(f"/api/voorstellen/{vid}/vergelijk", params={"a": 2, "b": 2}, headers=ANONYMOUS).json()
    assert cmp["a"]["auteur"] == me["organisatie"]
    listed = {p["id"]: p for p in client.get("/api/voorstellen", headers=ANONYMOUS).json()}
    assert listed[vid]["contact"] is None and listed[vid]["auteur"] == me["organisatie"]
    for path in ("/api/voorstellen/kaart", "/api/voorstellen/export?formaat=geojson"):
        features = {
            f["properties"]["id"]: f["properties"]
            for f in client.get(path, headers=ANONYMOUS).json()["features"]
        }
        assert features[vid]["contact"] is None and features[vid]["auteur"] == me["organisatie"]
    gpkg = client.get("/api/voorstellen/export", params={"formaat": "gpkg"}, headers=ANONYMOUS)
    path = tmp_path / "openbaar.gpkg"
    path.write_bytes(gpkg.content)
    assert b"dia@enschede.nl" not in gpkg.content and me["naam"].encode() not in gpkg.content
    frame = gpd.read_file(path, layer="dia_voorstellen").set_index("id")
    assert frame.loc[vid, "auteur"] == me["organisatie"]


def test_comments_name_their_proposal(client: TestClient, buurten: gpd.GeoDataFrame) -> None:
    vid = _new(client, buurten)["voorstel_id"]
    assert client.post(f"/api/voorstellen/{vid}/reacties", json={"tekst": "Eens."}).status_code == 201
    comments = client.get(f"/api/voorstellen/{vid}/reacties").json()
    assert [c["voorstel_id"] for c in comments] == [vid]
    assert client.get(f"/api/voorstellen/{vid}").json()["reacties"][0]["voorstel_id"] == vid


@pytest.mark.parametrize("bad", [99999999999999999999, 2**63, 0, -1])
def test_an_oversized_proposal_id_is_a_dutch_422(
    client: TestClient, buurten: gpd.GeoDataFrame, bad: int
) -> None:
    body = {"geometrie": _area(buurten, FIRST), "crs": "EPSG:4326", "voorstel_id": bad}
    res = client.post("/api/gebieden/statistieken", json=body)
    assert res.status_code == 422, res.text
    assert "voorstel_id" in res.json()["melding"]
    largest = client.post("/api/gebieden/statistieken", json={**body, "voorstel_id": 2**63 - 1})
    assert largest.status_code == 200, largest.text


def test_the_cli_acts_as_a_user_with_als(
    url: str,
    engine: Engine,
    client: TestClient,
    buurten: gpd.GeoDataFrame,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--als E-MAIL`: the view of an existing, enabled user (row-level security: a planner of the
    gemeente sees concepts and their history); what it exports is audited as that user's, via the
    CLI. An unknown or disabled user is refused in Dutch."""
    concept = _new(client, buurten, naam="Concept voor --als")["voorstel_id"]
    planner = add_user(url, slug="gemeente", rol="planner")
    monkeypatch.setenv("SIA_DATABASE_URL", url)
    monkeypatch.setenv("SIA_GEMEENTE", "GM0153")
    assert sia_main(["voorstel", "list", "--als", planner["email"].upper()]) == 0
    said = capsys.readouterr()
    assert "Concept voor --als" in said.out and "openbare weergave" not in said.err
    assert f"Weergave van {planner['naam']} (planner, Gemeente Enschede)" in said.err
    assert sia_main(["voorstel", "show", str(concept), "--als", planner["email"]]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "concept" and shown["contact"] == "dia@enschede.nl"
    before = _exports(engine)
    out = tmp_path / "als.geojson"
    assert sia_main(["voorstel", "export", "--out", str(out), "--als", planner["email"]]) == 0
    assert concept in {f["properties"]["id"] for f in json.loads(out.read_text())["features"]}
    folder = tmp_path / "dossier-als"
    assert (
        sia_main(
            ["dossier", str(concept), "--out", str(folder), "--formaat", "gpkg", "--als", planner["email"]]
        )
        == 0
    )
    meta = pyogrio.read_dataframe(folder / f"dossier_voorstel_{concept}_v1.gpkg", layer="metadata")
    meta = meta.set_index("sleutel")["waarde"]
    assert meta["weergave"] == "Gemeente Enschede (planner)" and meta["vertrouwelijk"] == "true"
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT object_soort, gebruiker_id, client, details->>'via' AS via FROM audit "
                "WHERE actie = 'export' ORDER BY id DESC LIMIT 2"
            )
        ).all()
    assert _exports(engine) == before + 2
    assert [(r.object_soort, r.gebruiker_id, r.client, r.via) for r in rows] == [
        ("dossier", planner["id"], "cli", "cli"),
        ("voorstellen", planner["id"], "cli", "cli"),
    ]
    capsys.readouterr()
    assert sia_main(["voorstel", "list", "--als", "niemand@example.nl"]) == 2
    assert "Geen gebruiker met e-mailadres niemand@example.nl" in capsys.readouterr().err
    with engine.begin() as conn:
        conn.execute(text("UPDATE gebruikers SET actief = false WHERE id = :id"), {"id": planner["id"]})
    assert sia_main(["voorstel", "list", "--als", planner["email"]]) == 2
    assert "is uitgeschakeld" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:  # argparse refuses it, in Dutch, before any query
        sia_main(["voorstel", "show", "99999999999999999999"])
    assert stopped.value.code == 2 and "geen nummer van een voorstel" in capsys.readouterr().err
