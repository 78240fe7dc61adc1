"""Partner deliveries in PostGIS: upload path, versions per period, aggregation to buurten."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import box, mapping
from sqlalchemy import Engine, text

from api.main import create_app
from api.settings import Settings
from layers import partner_store
from layers.access import Principal, set_principal
from layers.partners.synthetic import generate, load_buurten, write_deliveries
from sia.errors import InvalidUpload
from tests.signin import sign_in

pytestmark = pytest.mark.postgis
PERIOD = "2026-najaar"


@pytest.fixture(scope="module")
def synthetic_files(tmp_path_factory: pytest.TempPathFactory, enschede_buurten: Path) -> list[Path]:
    return write_deliveries(tmp_path_factory.mktemp("synth"), load_buurten(enschede_buurten))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("leveringen", "bezit", "projecten", "verkoop")
        }


def _load_all(engine: Engine, files: list[Path]) -> None:
    with engine.begin() as conn:
        for path in files:
            partner_store.load_delivery_file(conn, path, gemeente="GM0153")


def test_aggregation_matches_independent_sums(
    engine: Engine, synthetic_files: list[Path], enschede_buurten: Path
) -> None:
    _load_all(engine, synthetic_files)
    with engine.connect() as conn:
        agg = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
    # independent: the generator's own frames, joined to buurten with geopandas
    deliveries = generate(load_buurten(enschede_buurten), period=PERIOD)
    bezit = pd.concat([d.bezit for d in deliveries.values()], ignore_index=True)
    buurten = gpd.read_file(enschede_buurten)[["buurtcode", "geometry"]]
    points = gpd.GeoDataFrame(bezit[bezit.geometry.notna()], crs=28992)
    joined = gpd.sjoin(points.drop(columns="buurtcode"), buurten, predicate="within")
    counts = pd.concat(
        [
            joined[["buurtcode", "corporatie", "aantal_woningen"]],
            bezit[bezit.geometry.isna()][["buurtcode", "corporatie", "aantal_woningen"]],
        ]
    )
    expected_total = counts.groupby("buurtcode")["aantal_woningen"].sum()
    expected_corps = counts.groupby("buurtcode")["corporatie"].nunique()
    assert agg["bezit_woningen"].sum() == bezit["aantal_woningen"].sum()
    pd.testing.assert_series_equal(
        agg.loc[expected_total.index, "bezit_woningen"].astype("int64"),
        expected_total.astype("int64"),
        check_names=False,
        check_index_type=False,
    )
    pd.testing.assert_series_equal(
        agg.loc[expected_corps.index, "n_corporaties"].astype("int64"),
        expected_corps.astype("int64"),
        check_names=False,
        check_index_type=False,
    )
    verkoop = sum(len(d.verkoop) for d in deliveries.values())
    assert agg["geplande_verkoop"].sum() == verkoop


def test_project_polygon_is_apportioned_by_area(
    engine: Engine, tmp_path: Path, enschede_buurten: Path
) -> None:
    buurten = gpd.read_file(enschede_buurten).set_index("buurtcode")
    a, b = buurten.loc["BU01530000"].geometry, buurten.loc["BU01530001"].geometry
    shared = a.intersection(b)  # their common boundary; a box across it spans both buurten
    cx, cy = shared.centroid.x, shared.centroid.y
    project = box(cx - 60, cy - 60, cx + 60, cy + 60)
    shares = {
        code: buurten.loc[code].geometry.intersection(project).area / project.area for code in buurten.index
    }
    shares = {k: v for k, v in shares.items() if v >= 0.01}
    assert len(shares) >= 2
    geojson = tmp_path / "project.geojson"
    geojson.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                "features": [
                    {
                        "type": "Feature",
                        "geometry": mapping(project),
                        "properties": {
                            "projectnaam": "Proef",
                            "partij": "Gemeente Enschede",
                            "type": "renovatie",
                            "woningen_erbij": 100,
                            "woningen_eraf": 0,
                            "startjaar": 2027,
                            "eindjaar": 2029,
                            "investering_eur": 1_000_000,
                            "status": "idee",
                        },
                    }
                ],
            }
        )
    )
    with engine.begin() as conn:
        partner_store.load_delivery_file(
            conn, geojson, gemeente="GM0153", layer="projecten", partner="Gemeente Enschede", period=PERIOD
        )
        # one project: only its own organisation reads the sum (the disclosure rule, layers.disclosure)
        org = conn.execute(text("SELECT id FROM organisaties WHERE slug = 'gemeente'")).scalar_one()
        set_principal(conn, Principal(gebruiker_id=1, organisatie_id=org, gemeente="GM0153", rol="lezer"))
        agg = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
        set_principal(conn, Principal())  # the public: one project is no figure to publish
        public = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
    assert public.loc[list(shares), "geplande_investering"].isna().all()
    for code, share in shares.items():
        assert agg.loc[code, "geplande_investering"] == pytest.approx(1_000_000 * share, rel=1e-6)
        assert agg.loc[code, "geplande_woningen"] == pytest.approx(100 * share, rel=1e-6)
        assert agg.loc[code, "n_partners_plannen"] == 1
    assert agg["geplande_investering"].sum() == pytest.approx(1_000_000 * sum(shares.values()))


def test_new_version_replaces_only_that_partner_and_period(
    engine: Engine, synthetic_files: list[Path], enschede_buurten: Path, tmp_path: Path
) -> None:
    _load_all(engine, synthetic_files)
    with engine.connect() as conn:
        before = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
    # SJHT delivers again with half of its holdings
    sjht = generate(load_buurten(enschede_buurten), period=PERIOD)["SJHT"]
    from layers.partners.template import write_filled

    half = sjht.bezit.iloc[: len(sjht.bezit) // 2]
    path = write_filled(
        tmp_path / "sjht_v2.xlsx",
        {"bezit": half, "projecten": sjht.projecten, "verkoop": sjht.verkoop},
        partner="SJHT",
        period=PERIOD,
        synthetic=True,
    )
    with engine.begin() as conn:
        stored = partner_store.load_delivery_file(conn, path, gemeente="GM0153")
        after = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
        versions = conn.execute(
            text(
                "SELECT versie, actief, (SELECT count(*) FROM bezit z WHERE z.levering_id = l.id) "
                "FROM leveringen l WHERE partner = 'SJHT' ORDER BY versie"
            )
        ).all()
    assert stored.versie == 2 and stored.vervangen is not None
    assert versions == [(1, False, len(sjht.bezit)), (2, True, len(half))]  # v1 kept
    removed = sjht.bezit.iloc[len(sjht.bezit) // 2 :]["aantal_woningen"].sum()
    assert before["bezit_woningen"].sum() - after["bezit_woningen"].sum() == removed


def test_identical_reupload_changes_nothing(engine: Engine, synthetic_files: list[Path]) -> None:
    _load_all(engine, synthetic_files[:1])
    counts = _counts(engine)
    with engine.begin() as conn:
        again = partner_store.load_delivery_file(conn, synthetic_files[0], gemeente="GM0153")
    assert again.unchanged and _counts(engine) == counts


@pytest.fixture
def client(db_url: str, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=db_url, gemeente="GM0153"))) as c:
        sign_in(c, db_url, rol="beheerder")  # delivers for every organisation of the gemeente
        yield c


def test_upload_api_all_or_nothing(
    client: TestClient, engine: Engine, synthetic_files: list[Path], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    good = synthetic_files[0]
    wb = load_workbook(good)
    ws = wb["verkoop"]
    header = [c.value for c in ws[1]]
    col = header.index("energielabel") + 1
    ws.cell(row=3, column=col, value="H")
    bad = tmp_path / "met_fout.xlsx"
    wb.save(bad)
    res = client.post("/api/partners/uploads", files={"bestand": (bad.name, bad.read_bytes())})
    assert res.status_code == 422
    body = res.json()
    detail = next(d for d in body["details"] if d["kolom"] == "energielabel")
    assert detail["blad"] == "verkoop" and detail["rij"] == 3 and detail["waarde"] == "H"
    assert _counts(engine) == {"leveringen": 0, "bezit": 0, "projecten": 0, "verkoop": 0}

    res = client.post("/api/partners/uploads", files={"bestand": (good.name, good.read_bytes())})
    assert res.status_code == 201, res.text
    assert res.json()["versie"] == 1 and _counts(engine)["leveringen"] == 1
    listed = client.get("/api/partners/deliveries").json()
    assert listed[0]["synthetisch"] is True and listed[0]["bron_bestand"] == good.name


def test_template_download_and_sales_check(
    client: TestClient, engine: Engine, synthetic_files: list[Path], tmp_path: Path
) -> None:
    res = client.get("/api/partners/template", params={"partner": "Domijn"})
    assert res.status_code == 200
    xlsx = tmp_path / "t.xlsx"
    xlsx.write_bytes(res.content)
    from openpyxl import load_workbook

    assert {"bezit", "projecten", "verkoop", "definities", "levering"} <= set(load_workbook(xlsx).sheetnames)
    _load_all(engine, synthetic_files)
    check = client.get("/api/partners/sales-check", params={"alleen_overtredingen": True}).json()
    assert check["synthetisch"] is True and check["overtredingen"] == len(check["features"]) > 0
    for feat in check["features"]:
        p = feat["properties"]
        assert p["overtreding"] and "4.1" in p["reden"]
        assert (p["conditie"] or 0) >= 4 or p["energielabel"] in {"F", "G"}
        assert not (p["kluswoning"] and p["gemeld_aan_gemeente"])


def test_rejected_upload_through_cli_stores_nothing(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import main

    csv = tmp_path / "verkoop.csv"
    csv.write_text(
        "corporatie;adres;postcode;huisnummer;energielabel;conditie;kluswoning;"
        "gemeld_aan_gemeente;gepland_jaar;x;y\n"
        "Domijn;Teststraat 1;7511AA;1;C;7;nee;nee;2027;258000;471500\n"
    )
    monkeypatch.setenv("SIA_DATABASE_URL", db_url)
    assert (
        main(["load", "partner", str(csv), "--layer", "verkoop", "--partner", "Domijn", "--period", PERIOD])
        == 2
    )
    assert _counts(engine)["leveringen"] == 0
    with pytest.raises(InvalidUpload, match="conditie"), engine.begin() as conn:
        partner_store.load_delivery_file(
            conn, csv, gemeente="GM0153", layer="verkoop", partner="Domijn", period=PERIOD
        )


def _border_vertex(buurten: gpd.GeoDataFrame) -> tuple[float, float, list[str]]:
    """A vertex shared by at least two buurten, and those buurten."""
    indexed = buurten.set_index("buurtcode")
    first = indexed.iloc[0].geometry
    for x, y in (
        first.geoms[0].exterior.coords if first.geom_type == "MultiPolygon" else first.exterior.coords
    ):
        touching = [c for c, g in indexed.geometry.items() if g.distance(shapely.Point(x, y)) == 0]
        if len(touching) >= 2:
            return x, y, touching
    raise AssertionError("no shared vertex found")


def test_a_point_on_a_border_counts_once(engine: Engine, enschede_buurten: Path, tmp_path: Path) -> None:
    x, y, touching = _border_vertex(load_buurten(enschede_buurten))
    points = gpd.GeoDataFrame(
        {"corporatie": ["Domijn"], "adres": ["Grensweg 1"], "aantal_woningen": [1], "daeb": ["ja"]},
        geometry=[shapely.Point(x, y)],
        crs="EPSG:28992",
    )
    points.to_file(tmp_path / "grens.gpkg", layer="bezit")
    with engine.begin() as conn:
        partner_store.load_delivery_file(
            conn, tmp_path / "grens.gpkg", gemeente="GM0153", layer="bezit", partner="Domijn", period=PERIOD
        )
        agg = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
    assert len(touching) >= 2
    assert agg["bezit_woningen"].sum() == 1
    assert agg.loc[min(touching), "bezit_woningen"] == 1  # the first buurt by code


def test_one_layer_file_keeps_the_other_layers(
    engine: Engine, synthetic_files: list[Path], enschede_buurten: Path, tmp_path: Path
) -> None:
    domijn = next(p for p in synthetic_files if "domijn" in p.name)
    _load_all(engine, [domijn])
    before = _counts(engine)
    with engine.connect() as conn:
        v1 = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
    sales = generate(load_buurten(enschede_buurten), period=PERIOD)["Domijn"].verkoop.iloc[:3]
    sales.to_file(tmp_path / "verkoop.gpkg", layer="verkoop")
    with engine.begin() as conn:
        stored = partner_store.load_delivery_file(
            conn,
            tmp_path / "verkoop.gpkg",
            gemeente="GM0153",
            layer="verkoop",
            partner="Domijn",
            period=PERIOD,
        )
        v2 = partner_store.aggregate(conn, gemeente="GM0153", jaar=2021, periode=PERIOD)
    assert stored.versie == 2 and stored.aantallen == {"verkoop": 3}
    assert stored.overgenomen["bezit"] == before["bezit"] > 0
    pd.testing.assert_series_equal(v1["bezit_woningen"], v2["bezit_woningen"])  # holdings kept
    assert v2["geplande_verkoop"].sum() == 3 < v1["geplande_verkoop"].sum()
    after = _counts(engine)
    # version 1 is kept whole; version 2 holds its own copy of the holdings and the new sales
    assert after["bezit"] == 2 * before["bezit"] and after["verkoop"] == before["verkoop"] + 3
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT versie, actief, aantallen FROM leveringen ORDER BY versie")).all()
    assert [(r.versie, r.actief) for r in rows] == [(1, False), (2, True)]
    assert rows[1].aantallen["bezit"] == before["bezit"] and rows[1].aantallen["verkoop"] == 3


def test_uploaded_synthetic_flag_does_not_publish_addresses(
    db_url: str, engine: Engine, synthetic_files: list[Path]
) -> None:
    """Only the operator's synthetic data are shown at address level; an upload that calls itself
    synthetic keeps the confidentiality of its records."""
    domijn = next(p for p in synthetic_files if "domijn" in p.name)
    with TestClient(create_app(Settings(database_url=db_url, gemeente="GM0153"))) as client:
        sign_in(client, db_url, slug="domijn", rol="planner")
        with domijn.open("rb") as fh:
            assert (
                client.post("/api/partners/uploads", files={"bestand": (domijn.name, fh)}).status_code == 201
            )
        own = client.get("/api/partners/features?laag=bezit").json()  # Domijn sees its own addresses
        assert own["features"] and own["verborgen"] == 0
        del client.headers["Authorization"]  # the public
        bezit = client.get("/api/partners/features?laag=bezit").json()
        assert bezit["features"] == [] and bezit["verborgen"] > 0
        sales = client.get("/api/partners/sales-check").json()
        shown = [f for f in sales["features"] if f["properties"]["vertrouwelijkheid"] != "openbaar"]
        assert shown == [] and sales["overtredingen"] == sum(
            f["properties"]["overtreding"] for f in sales["features"]
        )


# -- who sees what of the deliveries listing, and who may name whom as a project's partij ----------

_SALES_CSV = (
    "corporatie;adres;postcode;huisnummer;energielabel;conditie;kluswoning;gemeld_aan_gemeente;"
    "gepland_jaar;x;y\n"
    "Ons Huis;Teststraat 1;7511AA;1;C;3;nee;nee;2027;258000;471500\n"
    "Ons Huis;Teststraat 3;7511AA;3;D;2;nee;nee;2028;258010;471500\n"
)


def _app(db_url: str) -> Any:
    return create_app(Settings(database_url=db_url, gemeente="GM0153"))


def test_deliveries_listing_keeps_file_names_and_counts_to_those_who_may_know(
    db_url: str, engine: Engine
) -> None:
    """Before: anyone read the file name and the number of records of another organisation's
    confidential delivery ('verkoopplan vertrouwelijk.xlsx', 2 sales)."""
    name = "verkoopplan vertrouwelijk.csv"
    with TestClient(_app(db_url)) as c:
        sign_in(c, db_url, slug="ons_huis", rol="planner")
        form = {"laag": "verkoop", "periode": PERIOD}
        res = c.post("/api/partners/uploads", files={"bestand": (name, _SALES_CSV.encode())}, data=form)
        assert res.status_code == 201, res.text
        seen = {}
        for who, slug, rol in (
            ("anoniem", None, None),
            ("andere organisatie", "domijn", "planner"),
            ("eigen organisatie", "ons_huis", "lezer"),
            ("beheerder gemeente", "gemeente", "beheerder"),
        ):
            c.headers.pop("Authorization", None)
            if slug is not None:
                sign_in(c, db_url, slug=slug, rol=rol or "lezer")
            (row,) = c.get("/api/partners/deliveries").json()
            assert (row["partner"], row["periode"], row["lagen"]) == ("Ons Huis", PERIOD, ["verkoop"])
            rows = c.get("/api/periods/completeness", params={"periode": PERIOD}).json()["rijen"]
            (counted,) = [r for r in rows if r["partner"] == "Ons Huis"]
            assert counted["status"] == "actueel"  # the completeness table keeps working for everyone
            seen[who] = (row["bron_bestand"], row["aantallen"], counted["aantal"])
    assert seen == {
        "anoniem": (None, None, None),
        "andere organisatie": (None, None, None),
        "eigen organisatie": (name, {"bezit": 0, "projecten": 0, "verkoop": 2}, 2),
        "beheerder gemeente": (name, {"bezit": 0, "projecten": 0, "verkoop": 2}, 2),
    }


def test_partners_class_counts_are_for_the_partners_file_names_for_the_owner(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "projecten.csv"
    path.write_text(
        "projectnaam;partij;type;startjaar;eindjaar;status;x;y\n"
        "Nieuwbouw Laares;Ons Huis;nieuwbouw;2027;2028;idee;258000;471500\n",
        encoding="utf-8",
    )
    with engine.begin() as conn:
        partner_store.load_delivery_file(
            conn,
            path,
            gemeente="GM0153",
            layer="projecten",
            partner="Ons Huis",
            period=PERIOD,
            confidentiality="partners",
        )
    with TestClient(_app(db_url)) as c:
        (public,) = c.get("/api/partners/deliveries").json()
        sign_in(c, db_url, slug="domijn", rol="lezer")
        (partner,) = c.get("/api/partners/deliveries").json()
    assert (public["bron_bestand"], public["aantallen"]) == (None, None)
    assert partner["bron_bestand"] is None and partner["aantallen"]["projecten"] == 1


def test_a_partner_cannot_put_its_projects_in_another_organisations_name(db_url: str, engine: Engine) -> None:
    """Before: the Ons Huis planner could deliver a project with partij 'Domijn': the area
    statistics and the BO's investment agenda then counted Ons Huis's money under Domijn."""
    csv = (
        "projectnaam;partij;type;startjaar;eindjaar;status;investering_eur;x;y\n"
        "Eigen project;Ons Huis;nieuwbouw;2027;2028;idee;1000000;258000;471500\n"
        "Andermans geld;Domijn;renovatie;2027;2029;idee;5000000;258100;471500\n"
        "Particulier plan;Particulier;nieuwbouw;2027;2028;idee;;258200;471500\n"
    )
    form = {"laag": "projecten", "periode": PERIOD}
    with TestClient(_app(db_url)) as c:
        sign_in(c, db_url, slug="ons_huis", rol="planner")
        res = c.post("/api/partners/uploads", files={"bestand": ("plannen.csv", csv.encode())}, data=form)
        assert res.status_code == 422, res.text
        (detail,) = res.json()["details"]
        assert detail == {
            "bestand": "plannen.csv",
            "blad": "projecten",
            "rij": 3,
            "kolom": "partij",
            "waarde": "Domijn",
            "verwacht": "'Ons Huis' of 'Particulier'",
            "melding": detail["melding"],
        }
        assert "namens anderen" in detail["melding"] and "Domijn" in detail["melding"]
        assert _counts(engine)["leveringen"] == 0  # nothing stored
        # a beheerder of the gemeente may load for others (e.g. the gemeente's overview)
        c.headers.pop("Authorization")
        sign_in(c, db_url, slug="gemeente", rol="beheerder")
        res = c.post(
            "/api/partners/uploads",
            files={"bestand": ("plannen.csv", csv.encode())},
            data={**form, "partner": "Ons Huis"},
        )
        assert res.status_code == 201, res.text
    with engine.connect() as conn:
        parties = conn.execute(text("SELECT partij FROM projecten ORDER BY bron_rij")).scalars().all()
    assert parties == ["Ons Huis", "Domijn", "Particulier"]
