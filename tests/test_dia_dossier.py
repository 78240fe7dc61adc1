"""The BO dossier of a proposal version: the PDF read back with pypdf, the GeoPackage read back
with its layers and rows, the folium map opened in headless Chromium with no request leaving
the machine, and an `eigen` partner record that never appears in any of them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient
from playwright.sync_api import Request, Route, sync_playwright
from pypdf import PdfReader
from shapely.geometry import mapping
from sqlalchemy import Engine, text

from api.main import create_app
from api.settings import Settings
from layers.areas import REST
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from tests.signin import add_user, sign_in, token_for

from .conftest import _create_db

pytestmark = [pytest.mark.postgis, pytest.mark.browser]

CODES = ["BU01530000", "BU01530001"]
NAME = "Binnenstad <Oost> & Laares"
COMMENT = "<script>alert('dossier')</script> Graag ook de Laares bekijken."
SECRET = "Geheimstraat"


@pytest.fixture(scope="module")
def url(cluster: LocalCluster, demo_url: str) -> str:
    return _create_db(cluster, "sia_dia_dossier", template="sia_demo")


@pytest.fixture(scope="module")
def engine(url: str) -> Iterator[Engine]:
    eng = make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[TestClient]:
    """Reads as a tenant organisation (a signed-in partner that does not see `eigen` records of
    others); the proposal is written by a beheerder (``writer``)."""
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        sign_in(c, url, slug="huurdersorganisaties", rol="lezer")
        yield c


@pytest.fixture(scope="module")
def writer(url: str) -> dict[str, str]:
    user = add_user(url, rol="beheerder")
    return {"Authorization": f"Bearer {token_for(url, user['id'])}"}


@pytest.fixture(scope="module")
def buurten(enschede_buurten: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(enschede_buurten, layer="buurten_2021").set_index("buurtcode").to_crs(28992)


@pytest.fixture(scope="module")
def secret(engine: Engine, buurten: gpd.GeoDataFrame) -> shapely.Point:
    """An `eigen` holding and sale of a real (non-synthetic) uploaded delivery inside the area,
    delivered for Ons Huis (whose users may read them; nobody else but the gemeente's beheerders)."""
    point = buurten.loc[CODES[0]].geometry.representative_point()
    with engine.begin() as conn:
        lid = conn.execute(
            text(
                "INSERT INTO leveringen (partner, periode, versie, vertrouwelijkheid, synthetisch, "
                "bron_bestand, sha256, via, gemeente, lagen, aantallen, organisatie_id) "
                "VALUES ('Geheim Wonen', "
                "'2026-najaar', 1, 'eigen', false, 'geheim.xlsx', 'x', 'upload', 'GM0153', "
                "'{bezit,verkoop}', '{\"bezit\": 1, \"verkoop\": 1}', "
                "(SELECT id FROM organisaties WHERE gemeente = 'GM0153' AND slug = 'ons_huis')) RETURNING id"
            )
        ).scalar_one()
        common = {"lid": lid, "x": point.x, "y": point.y}
        conn.execute(
            text(
                "INSERT INTO bezit (levering_id, partner, periode, vertrouwelijkheid, synthetisch, "
                "corporatie, adres, "
                "aantal_woningen, energielabel, conditie, geom) VALUES (:lid, 'Geheim Wonen', "
                "'2026-najaar', 'eigen', "
                f"false, 'Geheim Wonen', '{SECRET} 13', 3, 'G', 5, ST_SetSRID(ST_MakePoint(:x, :y), 28992))"
            ),
            common,
        )
        conn.execute(
            text(
                "INSERT INTO verkoop (levering_id, partner, periode, vertrouwelijkheid, synthetisch, "
                "corporatie, adres, "
                "energielabel, conditie, geom) VALUES (:lid, 'Geheim Wonen', '2026-najaar', 'eigen', false, "
                f"'Geheim Wonen', '{SECRET} 15', 'G', 5, ST_SetSRID(ST_MakePoint(:x + 5, :y), 28992))"
            ),
            common,
        )
    return point


@pytest.fixture(scope="module")
def proposal(
    client: TestClient, writer: dict[str, str], buurten: gpd.GeoDataFrame, secret: shapely.Point
) -> dict[str, Any]:
    area = gpd.GeoSeries([buurten.loc[CODES].union_all()], crs=28992).to_crs(4326).iloc[0]
    res = client.post(
        "/api/voorstellen",
        json={
            "naam": NAME,
            "motivering": "Eerste versie",
            "partners": ["Ons Huis"],
            "auteur": "planner",
            "geometrie": mapping(area),
            "crs": "EPSG:4326",
        },
        headers=writer,
    )
    assert res.status_code == 201, res.text
    vid = res.json()["voorstel_id"]
    edit = client.post(
        f"/api/voorstellen/{vid}/versies",
        json={"basisversie": 1, "auteur": "planner", "motivering": "Tweede versie"},
        headers=writer,
    )
    assert edit.status_code == 201, edit.text
    said = client.post(
        f"/api/voorstellen/{vid}/reacties",
        json={"tekst": COMMENT},  # the tenant's own comment (the client's user)
    )
    assert said.status_code == 201, said.text
    committed = client.post(
        f"/api/voorstellen/{vid}/toezeggingen",
        json={
            "partner": "Ons Huis",
            "jaar": 2030,
            "bedrag_eur": 750_000,
            "thema": "renovatie",
            "soort": "toegezegd",
        },
        headers=writer,
    )
    assert committed.status_code == 201, committed.text
    return {"id": vid, **client.get(f"/api/voorstellen/{vid}").json()}


def _download(client: TestClient, vid: int, formaat: str, headers: dict[str, str] | None = None) -> bytes:
    res = client.get(f"/api/voorstellen/{vid}/dossier", params={"formaat": formaat}, headers=headers)
    assert res.status_code == 200, res.text[:500]
    return res.content


def test_pdf_holds_name_buurten_and_synthetic_banner(client: TestClient, proposal: dict[str, Any]) -> None:
    reader = PdfReader(io.BytesIO(_download(client, proposal["id"], "pdf")))
    pages = [p.extract_text() for p in reader.pages]
    text_all = "\n".join(pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4
    assert NAME in text_all  # shown as text: escaped, not markup
    for b in proposal["statistieken"]["buurten"]:
        assert b["buurtnaam"] in text_all
    assert all("SYNTHETISCHE DATA" in p for p in pages)
    # a concept with comments, seen by a tenant organisation's lezer: not public
    assert all("VERTROUWELIJK · weergave van Huurdersorganisaties" in p and "(lezer)" in p for p in pages)
    assert "versie 2" in pages[0] and "concept" in pages[0]
    # Dutch dates (Europe/Amsterdam), the method's Dutch label
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", text_all)
    assert re.search(
        r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
        r"november|december) \d{4}, \d\d:\d\d",
        text_all,
    )
    assert "methode gewogen som" in text_all and "gewogen_som" not in text_all
    assert "<script>alert('dossier')</script>" in text_all.replace("\n", " ")
    assert "Tweede versie" in text_all and "Investeringsagenda" in text_all
    assert SECRET not in text_all


def test_html_escapes_what_people_wrote(engine: Engine, proposal: dict[str, Any]) -> None:
    from api.dossier import gather, render_html

    with engine.connect() as conn:
        html = render_html(gather(conn, proposal["id"]))
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html
    assert "Binnenstad &lt;Oost&gt; &amp; Laares" in html
    # the map's legend in Dutch numbers, like the rest
    legend = re.findall(r">(−?\d+[.,]\d\d – −?\d+[.,]\d\d)</text>", html)
    assert len(legend) == 5 and all("." not in c for c in legend), legend


def test_geopackage_layers_and_rows(
    client: TestClient, engine: Engine, proposal: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "dossier.gpkg"
    path.write_bytes(_download(client, proposal["id"], "gpkg"))
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) >= {"gebied", "buurten", "partner_bezit", "partner_verkoop", "metadata"}
    area = gpd.read_file(path, layer="gebied")
    assert len(area) == 1 and area.loc[0, "naam"] == NAME and area.loc[0, "versie"] == 2
    touched = gpd.read_file(path, layer="buurten")
    assert sorted(touched["buurtcode"]) == sorted(b["buurtcode"] for b in proposal["statistieken"]["buurten"])
    for col in ("gecombineerd", "rang", "kwadrant", "aandeel", "lbm_score", "bezit_woningen", "p_top"):
        assert col in touched.columns
    bezit = gpd.read_file(path, layer="partner_bezit")
    with engine.connect() as conn:
        expected = conn.execute(
            text(
                "SELECT count(*) FROM bezit x JOIN leveringen l ON l.id = x.levering_id AND l.actief "
                "WHERE x.synthetisch AND l.via = 'beheer' AND ST_Intersects(x.geom, "
                "(SELECT geom FROM voorstel_versies WHERE voorstel_id = :id AND versie = 2))"
            ),
            {"id": proposal["id"]},
        ).scalar_one()
    assert len(bezit) == expected > 0
    assert not bezit["adres"].fillna("").str.contains(SECRET).any()
    assert (bezit["vertrouwelijkheid"] != "eigen").all() or bezit["synthetisch"].all()
    meta = pyogrio.read_dataframe(path, layer="metadata").set_index("sleutel")["waarde"]
    assert meta["synthetisch"] == "true" and meta["versie"] == "2"
    assert SECRET.encode() not in path.read_bytes()


def test_folium_map_opens_offline(client: TestClient, proposal: dict[str, Any], tmp_path: Path) -> None:
    html = _download(client, proposal["id"], "html").decode()
    assert SECRET not in html and "<Oost>" not in html
    path = tmp_path / "kaart.html"
    path.write_text(html, encoding="utf-8")
    outside: list[str] = []

    def count(route: Route, request: Request) -> None:
        if request.url.startswith(("file://", "data:", "http://127.0.0.1", "http://localhost")):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.route("**/*", count)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(path.as_uri())
            page.wait_for_function(
                "typeof L === 'object' && document.querySelectorAll('path.leaflet-interactive').length > 0"
            )
            shapes = page.locator("path.leaflet-interactive").count()  # buurten, the area and the points
            assert page.locator("text=SYNTHETISCHE DATA").count() == 1
            # a legend of its colours that names the profile, edition and period; a scale in metres
            legend = page.locator(".dossier-legenda").inner_text()
            classes = re.findall(r"−?\d+,\d\d – −?\d+,\d\d", legend)
            assert len(classes) == 5 and "geen score" in legend and "het gebied" in legend
            assert "SIA standaardprofiel, methode gewogen som" in legend
            assert "Leefbaarometer 2024" in legend and "periode 2026-najaar" in legend
            scales = page.locator(".leaflet-control-scale-line").all_inner_texts()
            assert len(scales) == 1 and re.fullmatch(r"\d+ k?m", scales[0]), scales
            assert page.locator(".dossier-mark", has_text="VERTROUWELIJK · weergave van").count() == 1
        finally:
            browser.close()
    assert outside == []
    assert errors == []
    visible = proposal["statistieken"]["corporatiebezit"]["woningen"]
    assert shapes > len(proposal["statistieken"]["buurten"]) + 1 and visible > 0


def test_eigen_records_count_only_as_buurt_figures(client: TestClient, proposal: dict[str, Any]) -> None:
    """The secret holding enters the area's holdings as part of its buurt's figure (the buurt lies
    wholly inside), never as an address and never under its corporation's name; its sale is left
    out of the public statistics."""
    stats = proposal["statistieken"]
    rows = {c["corporatie"]: c for c in stats["corporatiebezit"]["per_corporatie"]}
    assert "Geheim Wonen" not in rows
    secret = rows[REST]  # the hidden part of the buurt figures, all corporations together
    assert secret["buurtcijfers"] is True and secret["woningen"] == pytest.approx(3.0)
    assert secret["onderdrukt"] is True and secret["aandeel_label_efg"] is None
    assert stats["verborgen"]["verkoop"] == 1
    assert any(
        "Vertrouwelijke planrecords" in m and "1 verkoop in deze periode is alleen" in m
        for m in stats["meldingen"]
    )
    assert stats["verkoop"]["aantal"] == len(
        [
            s
            for s in stats["verkoop"]["per_corporatie"]
            for _ in range(s["aantal"])
            if s["corporatie"] != "Geheim Wonen"
        ]
    )


def test_dossier_zip_holds_three_files(client: TestClient, proposal: dict[str, Any]) -> None:
    data = _download(client, proposal["id"], "zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(zf.namelist())
        assert [n.rsplit(".", 1)[1] for n in names] == ["gpkg", "html", "pdf"]
        for name in names:
            assert SECRET.encode() not in zf.read(name)
    old = client.get(f"/api/voorstellen/{proposal['id']}/dossier", params={"formaat": "gpkg", "versie": 1})
    assert old.status_code == 200 and "v1" in old.headers["content-disposition"]
    assert client.get(f"/api/voorstellen/{proposal['id']}/dossier", params={"versie": 9}).status_code == 404


def _pdf_pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def test_a_planners_dossier_with_eigen_records_is_marked_confidential(
    client: TestClient, url: str, proposal: dict[str, Any], tmp_path: Path
) -> None:
    """An Ons Huis planner sees Ons Huis's `eigen` records: its dossier holds them (addresses in the
    GeoPackage, the figures) and says "VERTROUWELIJK" and whose view it is on every PDF page, on the
    map and in the metadata; its note says the figures are those of Ons Huis's view."""
    planner = add_user(url, slug="ons_huis", rol="planner")
    as_planner = {"Authorization": f"Bearer {token_for(url, planner['id'])}"}
    mark = "VERTROUWELIJK · weergave van Ons Huis (planner)"
    pages = _pdf_pages(_download(client, proposal["id"], "pdf", as_planner))
    assert len(pages) > 3 and all(mark in p for p in pages)
    text_all = "\n".join(pages)
    assert "die van de weergave van Ons Huis (planner)" in text_all.replace("\n", " ")
    assert "die van de openbare weergave" not in text_all.replace("\n", " ")
    path = tmp_path / "planner.gpkg"
    path.write_bytes(_download(client, proposal["id"], "gpkg", as_planner))
    bezit = gpd.read_file(path, layer="partner_bezit")
    assert bezit["adres"].fillna("").str.contains(SECRET).any()  # its own `eigen` record
    meta = pyogrio.read_dataframe(path, layer="metadata").set_index("sleutel")["waarde"]
    assert meta["vertrouwelijk"] == "true" and meta["weergave"] == "Ons Huis (planner)"
    assert meta["vertrouwelijk_let_op"] == mark
    assert "partnerrecords op adresniveau die niet openbaar zijn" in meta["niet_openbaar"]
    assert "vertrouwelijke partnerrecords volledig meetellen" in meta["niet_openbaar"]
    assert "die van de weergave van Ons Huis (planner)" in meta["vertrouwelijkheid"]
    html = _download(client, proposal["id"], "html", as_planner).decode()
    assert mark in html


def test_a_public_dossier_is_not_marked_and_holds_no_eigen_record(
    client: TestClient,
    writer: dict[str, str],
    buurten: gpd.GeoDataFrame,
    secret: shapely.Point,
    tmp_path: Path,
) -> None:
    """A proposal that is voorgesteld, downloaded by an anonymous visitor: the public view, said so,
    no mark, no `eigen` record, no contact, no author's name."""
    area = gpd.GeoSeries([buurten.loc[CODES].union_all()], crs=28992).to_crs(4326).iloc[0]
    made = client.post(
        "/api/voorstellen",
        json={
            "naam": "Openbaar dossier",
            "contact": "geheim@contact.nl",
            "geometrie": mapping(area),
            "crs": "EPSG:4326",
        },
        headers=writer,
    )
    assert made.status_code == 201, made.text
    vid, author = made.json()["voorstel_id"], made.json()["auteur"]
    res = client.post(
        f"/api/voorstellen/{vid}/status", json={"basisversie": 1, "status": "voorgesteld"}, headers=writer
    )
    assert res.status_code == 201, res.text
    anonymous = {"Authorization": ""}
    pdf = _download(client, vid, "pdf", anonymous)
    pages = _pdf_pages(pdf)
    text_all = " ".join(pages).replace("\n", " ")
    assert all("SYNTHETISCHE DATA" in p and "VERTROUWELIJK" not in p for p in pages)
    assert "die van de openbare weergave" in text_all and "in de openbare weergave" in text_all
    assert SECRET not in text_all and "geheim@contact.nl" not in text_all and author not in text_all
    path = tmp_path / "openbaar.gpkg"
    path.write_bytes(_download(client, vid, "gpkg", anonymous))
    assert SECRET.encode() not in path.read_bytes()
    bezit = gpd.read_file(path, layer="partner_bezit")
    assert len(bezit) > 0 and bezit["synthetisch"].all()  # only the public (demonstration) records
    meta = pyogrio.read_dataframe(path, layer="metadata").set_index("sleutel")["waarde"]
    assert meta["vertrouwelijk"] == "false" and meta["weergave"] == "openbare weergave"
    assert meta["vertrouwelijk_let_op"] == "" and meta["niet_openbaar"] == "[]"
    html = _download(client, vid, "html", anonymous).decode()
    assert "VERTROUWELIJK" not in html and SECRET not in html
