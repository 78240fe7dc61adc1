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
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.partners.synthetic import generate, load_buurten
from layers.partners.template import write_filled
from tests.conftest import _create_db
from tests.signin import sign_in

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


def test_the_disclosure_rule_in_the_public_table(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path: Path
) -> None:
    """Domijn delivers real `eigen` holdings (replacing its demo delivery). The public table keeps
    counting them, but a share or mean of a buurt whose hidden part holds 1 to 4 dwellings with a
    value is empty and listed with its reason, and so (changed rule) is one whose hidden part is
    Domijn's alone, however large: Domijn could not subtract anything, but nothing would be left
    outside the largest organisation. Domijn itself sees every figure. Demo data the public reads
    record by record are never suppressed."""
    url = _create_db(cluster, "sia_disclosure_table", template="sia_demo")
    frames = generate(load_buurten(enschede_buurten), period=PERIOD, seed=7)["Domijn"].frames()
    frames["bezit"] = frames["bezit"].assign(vertrouwelijkheid="eigen")
    path = write_filled(tmp_path / "domijn.xlsx", frames, partner="Domijn", period=PERIOD, synthetic=False)
    with _client(url) as client:
        before = client.get("/api/indicators/table").json()
        assert before["onderdrukt"]["cellen"] == []  # the demo: the public reads every record
        sign_in(client, url, slug="domijn", rol="planner")
        with path.open("rb") as fh:
            res = client.post("/api/partners/uploads", files={"bestand": (path.name, fh)})
        assert res.status_code == 201, res.text
        own = client.get("/api/indicators/table").json()
        del client.headers["Authorization"]
        public = client.get("/api/indicators/table").json()
    engine = make_engine(url)
    with engine.connect() as conn:  # Domijn's dwellings with a label, per buurt (the owner counts)
        hidden = dict(
            conn.execute(
                text(
                    "SELECT coalesce(h.buurtcode, z.buurtcode), sum(z.aantal_woningen) "
                    "FILTER (WHERE z.energielabel IS NOT NULL) FROM bezit z LEFT JOIN LATERAL ("
                    "SELECT x.buurtcode FROM buurten x WHERE x.jaar = 2021 AND x.gemeentecode = 'GM0153' "
                    "AND ST_Intersects(x.geom, z.geom) ORDER BY x.buurtcode LIMIT 1) h ON true "
                    "WHERE z.levering_id = :id GROUP BY 1"
                ),
                {"id": res.json()["id"]},
            ).all()
        )
    engine.dispose()
    few = {code for code, n in hidden.items() if n and 0 < n < 5}
    assert few  # the synthetic generator puts a few dwellings in some buurten
    labelled = {code for code, n in hidden.items() if n}
    cells = {(c["buurtcode"], c["veld"]): c["reden"] for c in public["onderdrukt"]["cellen"]}
    assert {code for code, veld in cells if veld == "aandeel_label_efg"} == labelled  # Domijn's alone
    for code in labelled:
        assert cells[(code, "aandeel_label_efg")] == (
            "minder_dan_min_woningen" if code in few else "minder_dan_min_woningen_buiten_grootste"
        ), code
    assert any(veld == "geplande_investering" for _, veld in cells)  # Domijn's projects: sums too
    rows = {r["buurtcode"]: r for r in public["rijen"]}
    mine = {r["buurtcode"]: r for r in own["rijen"]}
    for code in labelled:
        assert rows[code]["aandeel_label_efg"] is None, code
        assert mine[code]["aandeel_label_efg"] is not None, (code, mine[code], hidden[code])
        assert rows[code]["bezit_woningen"] == mine[code]["bezit_woningen"] > 0  # the count stays
    assert own["onderdrukt"]["cellen"] == []  # Domijn reads its own records
    for code in set(rows) - few:  # elsewhere the public gets the figure Domijn gets
        if ("gem_conditie", code) not in {(v, c) for c, v in cells}:
            assert rows[code]["gem_conditie"] == pytest.approx(mine[code]["gem_conditie"])


def test_partner_layers_answer_304_until_a_delivery_changes_them(
    cluster: LocalCluster, demo_url: str
) -> None:
    """The map asks for the partner layers again with the ETag it has (as a browser revalidates):
    304 while nothing changed, the new layer as soon as a delivery changes it."""
    url = _create_db(cluster, "sia_partner_etag", template="sia_demo")
    paths = ("/api/partners/features?laag=verkoop", f"/api/partners/sales-check?periode={PERIOD}")
    with _client(url) as client:
        before = {p: client.get(p) for p in paths}
        for path, first in before.items():
            assert first.status_code == 200 and first.json()["features"]
            again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert again.status_code == 304 and again.content == b""
            assert client.get(path).content == first.content  # served from the cache, the same
        sign_in(client, url, slug="domijn", rol="planner")
        csv = (
            "corporatie;adres;x;y;energielabel;conditie;kluswoning;gemeld_aan_gemeente;gepland_jaar\n"
            "Domijn;Teststraat 1;258000;471500;C;2;nee;nee;2031\n"
        )
        res = client.post(
            "/api/partners/uploads",
            files={"bestand": ("verkoop.csv", csv.encode(), "text/csv")},
            data={"laag": "verkoop", "periode": PERIOD},
        )
        assert res.status_code == 201, res.text
        del client.headers["Authorization"]  # the public again
        for path, first in before.items():
            after = client.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]
            # Domijn's demo sales were public; its uploaded one is not: fewer shown, one hidden
            old, new = first.json(), after.json()
            assert len(new["features"]) < len(old["features"]) and new["verborgen"] == old["verborgen"] + 1
            assert not any(f["properties"]["partner"] == "Domijn" for f in new["features"])
