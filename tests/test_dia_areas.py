"""POST /api/gebieden/statistieken: an area's statistics on the real Enschede buurten and the
synthetic partner deliveries, checked against figures this test computes itself with geopandas
(overlay of the buurten file and the partner records), and the refusals of bad shapes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import mapping
from sqlalchemy import Engine, text

from api.dia_models import AreaStatistics
from api.main import create_app
from api.settings import Settings
from layers.areas import REST
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine

from .conftest import _create_db
from .signin import sign_in

pytestmark = pytest.mark.postgis

WHOLE = ["BU01530000", "BU01530001"]  # City; Lasonder, Zeggelt
CUT = "BU01530003"  # De Bothoven: the area takes its western half


@pytest.fixture(scope="module")
def areas_url(cluster: LocalCluster, demo_url: str) -> str:
    return _create_db(cluster, "sia_dia_areas", template="sia_demo")


@pytest.fixture(scope="module")
def engine(areas_url: str) -> Iterator[Engine]:
    eng = make_engine(areas_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def client(areas_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=areas_url, gemeente="GM0153"))) as c:
        yield c


@pytest.fixture(scope="module")
def buurten(enschede_buurten: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(enschede_buurten, layer="buurten_2021").to_crs(28992)
    return frame.set_index("buurtcode").sort_index()


@pytest.fixture(scope="module")
def area(buurten: gpd.GeoDataFrame) -> shapely.Geometry:
    """Two whole buurten and the western half of a third (EPSG:28992), a little inside the edges."""
    cut = buurten.loc[CUT].geometry
    x0, y0, x1, y1 = cut.bounds
    half = cut.intersection(shapely.box(x0 - 1, y0 - 1, (x0 + x1) / 2, y1 + 1))
    return shapely.union_all([*buurten.loc[WHOLE].geometry, half]).buffer(0)


def _stats(client: TestClient, geom: Any, crs: str = "EPSG:28992", **body: Any) -> dict[str, Any]:
    res = client.post("/api/gebieden/statistieken", json={"geometrie": geom, "crs": crs, **body})
    assert res.status_code == 200, res.text
    AreaStatistics.model_validate(res.json())  # the documented answer, no field more or less
    return res.json()


def _records(engine: Engine, kind: str) -> gpd.GeoDataFrame:
    with engine.connect() as conn:
        return gpd.read_postgis(
            text(f"SELECT x.*, l.via FROM {kind} x JOIN leveringen l ON l.id = x.levering_id AND l.actief"),
            conn,
            geom_col="geom",
        )


def _expected(buurten: gpd.GeoDataFrame, area: shapely.Geometry, bezit: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per touched buurt the share of its area inside and the share used (this test's own rules:
    whole when ≥ 99.9 % inside; else address points when the buurt has ≥ 10 dwellings at points)."""
    over = gpd.overlay(
        buurten.reset_index()[["buurtcode", "aantal_inwoners", "aantal_huishoudens", "geometry"]],
        gpd.GeoDataFrame(geometry=[area], crs=28992),
        how="intersection",
        keep_geom_type=True,
    )
    over["binnen"] = over.area
    over = over[over["binnen"] >= 1.0].set_index("buurtcode")
    over["aandeel_opp"] = over["binnen"] / buurten.loc[over.index].area
    points = bezit[bezit.geom.notna()].set_geometry("geom")
    target = buurten.reset_index()[["buurtcode", "geometry"]].rename(columns={"buurtcode": "bc"})
    joined = gpd.sjoin(points, target, predicate="intersects")
    joined = joined.sort_values("bc").drop_duplicates(subset="id")  # border: first by code
    joined["binnen"] = joined.geometry.intersects(area)
    per_buurt = joined.groupby("bc").apply(
        lambda g: pd.Series(
            {"totaal": g["aantal_woningen"].sum(), "in": g.loc[g["binnen"], "aantal_woningen"].sum()}
        ),
        include_groups=False,
    )
    rows = []
    for code, r in over.iterrows():
        tot = per_buurt["totaal"].get(code, 0)
        if r["aandeel_opp"] >= 0.999:
            share, method = 1.0, "geheel"
        elif tot >= 10:
            share, method = per_buurt["in"].get(code, 0) / tot, "adrespunten"
        else:
            share, method = r["aandeel_opp"], "oppervlakte"
        rows.append({"buurtcode": code, "aandeel_opp": r["aandeel_opp"], "aandeel": share, "methode": method})
    return pd.DataFrame(rows).set_index("buurtcode").join(buurten[["aantal_inwoners", "aantal_huishoudens"]])


def test_statistics_match_an_independent_overlay(
    client: TestClient, engine: Engine, buurten: gpd.GeoDataFrame, area: shapely.Geometry, enschede_lbm: Path
) -> None:
    bezit = _records(engine, "bezit")
    assert (bezit["synthetisch"] & (bezit["via"] == "beheer")).all()  # all public in the demo
    expected = _expected(buurten, area, bezit)
    got = _stats(client, mapping(area))
    table = pd.DataFrame(got["buurten"]).set_index("buurtcode")
    assert sorted(table.index) == sorted(expected.index)
    assert {*WHOLE, CUT} <= set(table.index)
    for code, exp in expected.iterrows():
        row = table.loc[code]
        assert row["methode"] == exp["methode"], code
        assert row["aandeel_oppervlakte"] == pytest.approx(exp["aandeel_opp"], rel=1e-6, abs=1e-9)
        assert row["aandeel"] == pytest.approx(exp["aandeel"], rel=1e-6, abs=1e-9)
    assert (
        table.loc[CUT, "methode"] in ("adrespunten", "oppervlakte")
        and 0.2 < table.loc[CUT, "aandeel_oppervlakte"] < 0.8
    )
    inw = float((expected["aandeel"] * expected["aantal_inwoners"]).sum())
    hh = float((expected["aandeel"] * expected["aantal_huishoudens"]).sum())
    assert got["inwoners"] == pytest.approx(inw, rel=1e-6)
    assert got["huishoudens"] == pytest.approx(hh, rel=1e-6)
    assert got["aandeel_gemeente"]["inwoners"] == pytest.approx(
        inw / buurten["aantal_inwoners"].sum(), rel=1e-6
    )
    assert got["oppervlakte_ha"] == pytest.approx(area.area / 10_000, rel=1e-6)

    # holdings: visible points where they lie, per-buurt counts × the buurt's share
    points = bezit[bezit.geom.notna()].set_geometry("geom")
    inside = points[points.intersects(area)]
    counts = bezit[bezit.geom.isna()]
    counts = counts[counts["buurtcode"].isin(expected.index)]
    exp_corp = inside.groupby("corporatie")["aantal_woningen"].sum().astype(float)
    for corp, g in counts.groupby("corporatie"):
        share = g["buurtcode"].map(expected["aandeel"])
        exp_corp[corp] = exp_corp.get(corp, 0.0) + float((g["aantal_woningen"] * share).sum())
    holdings = {c["corporatie"]: c for c in got["corporatiebezit"]["per_corporatie"]}
    assert set(holdings) == {c for c, n in exp_corp.items() if n > 0} | {
        c for c in holdings if holdings[c]["woningen"] == 0
    }
    for corp, n in exp_corp.items():
        assert holdings[corp]["woningen"] == pytest.approx(n, rel=1e-9)
    assert got["corporatiebezit"]["woningen"] == pytest.approx(exp_corp.sum(), rel=1e-9)
    labelled = pd.concat(
        [inside.assign(f=1.0), counts.assign(f=counts["buurtcode"].map(expected["aandeel"]))]
    )
    labelled = labelled[labelled["energielabel"].notna()]
    efg = (labelled["aantal_woningen"] * labelled["f"])[labelled["energielabel"].isin(["E", "F", "G"])].sum()
    assert got["corporatiebezit"]["aandeel_label_efg"] == pytest.approx(
        100 * efg / (labelled["aantal_woningen"] * labelled["f"]).sum(), rel=1e-9
    )

    # projects inside or crossing: investment by the share of each project inside
    projects = _records(engine, "projecten").set_geometry("geom")
    crossing = projects[projects.intersects(area)]
    share = np.where(
        crossing.geometry.geom_type.isin(["Polygon", "MultiPolygon"]),
        crossing.geometry.intersection(area).area / crossing.geometry.area,
        1.0,
    )
    assert got["projecten"]["aantal"] == int((share > 0).sum())
    assert got["projecten"]["investering_eur"] == pytest.approx(
        float((crossing["investering_eur"].fillna(0) * share).sum()), rel=1e-6
    )
    years = pd.DataFrame(got["projecten"]["per_partij_jaar"])
    assert years["investering_eur"].sum() == pytest.approx(got["projecten"]["investering_eur"], rel=1e-9)

    # planned sales inside and those breaking agreement 4.1 (condition 4+ or label F/G, unless a
    # kluswoning that was reported)
    sales = _records(engine, "verkoop").set_geometry("geom")
    sold = sales[sales.geom.notna() & sales.intersects(area)]
    bad = ((sold["conditie"] >= 4) | sold["energielabel"].isin(["F", "G"])) & ~(
        sold["kluswoning"].fillna(False).astype(bool) & sold["gemeld_aan_gemeente"].fillna(False).astype(bool)
    )
    assert got["verkoop"]["aantal"] == len(sold)
    assert got["verkoop"]["strijdig_41"] == int(bad.sum())

    # Leefbaarometer weighted by the households inside
    lbm = gpd.read_file(enschede_lbm).set_index("buurtcode")
    weights = expected["aandeel"] * expected["aantal_huishoudens"]
    with_lbm = weights[weights.index.isin(lbm.index) & (weights > 0)]
    assert got["leefbaarometer"]["lbm_score"] == pytest.approx(
        float((lbm.loc[with_lbm.index, "lbm_afw"] * with_lbm).sum() / with_lbm.sum()), rel=1e-6
    )


def test_scores_of_the_area_follow_the_weighting(
    client: TestClient, buurten: gpd.GeoDataFrame, area: shapely.Geometry
) -> None:
    got = _stats(client, mapping(area), gewichten={"lbm_score": 5.0}, methode="topsis")
    scores = got["scores"]
    ranking = client.post("/api/scores", json={"gewichten": {"lbm_score": 5.0}, "methode": "topsis"}).json()
    ranked = {b["buurtcode"]: b for b in ranking["buurten"]}
    rows = {b["buurtcode"]: b for b in scores["buurten"]}
    for code, row in rows.items():
        assert (row["rang"], row["kwadrant"]) == (ranked[code]["rang"], ranked[code]["kwadrant"])
    share = {b["buurtcode"]: b["huishoudens"] for b in got["buurten"]}
    used = [c for c in rows if rows[c]["rang"] is not None and share[c] > 0]
    expected = sum(ranked[c]["gecombineerd"] * share[c] for c in used) / sum(share[c] for c in used)
    assert scores["gecombineerd"] == pytest.approx(expected, rel=1e-9)
    assert scores["methode"] == "topsis" and scores["kwadrant"] in {"kandidaat", "urgent", "kansrijk", "laag"}
    other = _stats(client, mapping(area))["scores"]
    assert other["gecombineerd"] != pytest.approx(scores["gecombineerd"])


def test_lon_lat_input_gives_the_same_figures(client: TestClient, area: shapely.Geometry) -> None:
    in_4326 = gpd.GeoSeries([area], crs=28992).to_crs(4326).iloc[0]
    a, b = _stats(client, mapping(area)), _stats(client, mapping(in_4326), crs="EPSG:4326")
    assert [x["buurtcode"] for x in a["buurten"]] == [x["buurtcode"] for x in b["buurten"]]
    assert b["inwoners"] == pytest.approx(a["inwoners"], rel=1e-3)
    assert b["oppervlakte_ha"] == pytest.approx(a["oppervlakte_ha"], rel=1e-4)


def test_a_shape_partly_outside_is_clipped_with_a_notice(
    client: TestClient, buurten: gpd.GeoDataFrame
) -> None:
    gemeente = buurten.union_all()
    xy = shapely.get_coordinates(gemeente)
    x, y = xy[xy[:, 0].argmin()]  # the westernmost point of the border
    box = shapely.box(x - 1500, y - 1500, x + 1500, y + 1500)
    got = _stats(client, mapping(box))
    assert got["afgesneden"] is True
    assert any("buiten de gemeente" in m and "weggeknipt" in m for m in got["meldingen"])
    assert got["oppervlakte_ha"] == pytest.approx(box.intersection(gemeente).area / 10_000, rel=1e-4)


def test_hidden_holdings_follow_the_disclosure_rule(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """Domijn delivers real `eigen` holdings. The public's statistics of a whole buurt still count
    Domijn's dwellings there, but only as the buurt figure's hidden part, in one row that names no
    corporation; its label share stays empty, with the reason: fewer than 5 labelled dwellings, or
    (changed rule) 5 or more that all belong to one organisation. Domijn itself sees its own
    figures per corporation. Nothing finer than a buurt figure reaches the public."""
    from layers.partners.synthetic import generate, load_buurten
    from layers.partners.template import write_filled

    url = _create_db(cluster, "sia_dia_areas_disclosure", template="sia_demo")
    frames = generate(load_buurten(enschede_buurten), period="2026-najaar")["Domijn"].frames()
    frames["bezit"] = frames["bezit"].assign(vertrouwelijkheid="eigen")
    path = write_filled(
        tmp_path / "domijn.xlsx", frames, partner="Domijn", period="2026-najaar", synthetic=False
    )
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        sign_in(c, url, slug="domijn", rol="planner")
        with path.open("rb") as fh:
            res = c.post("/api/partners/uploads", files={"bestand": (path.name, fh)})
        assert res.status_code == 201, res.text
        owner = make_engine(url)
        with owner.connect() as conn:  # Domijn's dwellings and those with a label, per buurt
            counts = {
                r[0]: (int(r[1]), int(r[2] or 0))
                for r in conn.execute(
                    text(
                        "SELECT coalesce(h.buurtcode, z.buurtcode), sum(z.aantal_woningen), "
                        "sum(z.aantal_woningen) "
                        "FILTER (WHERE z.energielabel IS NOT NULL) FROM bezit z LEFT JOIN LATERAL (SELECT "
                        "x.buurtcode FROM buurten x WHERE x.jaar = 2021 AND x.gemeentecode = 'GM0153' AND "
                        "ST_Intersects(x.geom, z.geom) ORDER BY x.buurtcode LIMIT 1) h ON true "
                        "WHERE z.levering_id = :id GROUP BY 1"
                    ),
                    {"id": res.json()["id"]},
                )
            }
        owner.dispose()
        few = next(code for code, (_, labelled) in sorted(counts.items()) if 0 < labelled < 5)
        many = next(code for code, (_, labelled) in sorted(counts.items()) if labelled >= 5)
        own = {code: _stats(c, mapping(buurten.loc[code].geometry)) for code in (few, many)}
        del c.headers["Authorization"]
        public = {code: _stats(c, mapping(buurten.loc[code].geometry)) for code in (few, many)}
    for code, reason in ((few, "minder_dan_min_woningen"), (many, "minder_dan_min_woningen_buiten_grootste")):
        holdings = public[code]["corporatiebezit"]
        assert _holding(public[code], "Domijn") is None  # hidden records under no corporation's name
        rest = _holding(public[code], REST)
        assert rest is not None and rest["buurtcijfers"] is True
        assert rest["woningen"] == pytest.approx(counts[code][0])  # counted ...
        assert rest["aandeel_label_efg"] is None and rest["onderdrukt"] is True  # ... not shown
        assert {(v["buurtcode"], v["reden"]) for v in rest["onderdrukt_waarden"]} == {(code, reason)}
        assert holdings["aandeel_label_efg"] is None  # nor in the total
        mine = _holding(own[code], "Domijn")
        assert mine is not None and mine["woningen"] == pytest.approx(counts[code][0])
        assert mine["aandeel_label_efg"] is not None and mine["onderdrukt"] is False
        assert _holding(own[code], REST) is None  # Domijn reads every record of the demo and its own


def _holding(stats: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((c for c in stats["corporatiebezit"]["per_corporatie"] if c["corporatie"] == name), None)


def _bowtie() -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[255000, 471000], [256000, 472000], [256000, 471000], [255000, 472000], [255000, 471000]]
        ],
    }


def _many_vertices() -> dict[str, Any]:
    angle = np.linspace(0, 2 * np.pi, 100_500, endpoint=False)
    ring = [[256000 + 400 * np.cos(a), 471500 + 400 * np.sin(a)] for a in angle]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.mark.parametrize(
    ("geom", "crs", "words"),
    [
        (_bowtie(), "EPSG:28992", ["snijdt zichzelf"]),
        ({"type": "Polygon", "coordinates": []}, "EPSG:28992", ["leeg"]),
        (
            {
                "type": "Polygon",
                "coordinates": [[[121000, 487000], [122000, 487000], [122000, 488000], [121000, 487000]]],
            },
            "EPSG:28992",
            ["buiten de gemeente"],
        ),
        (
            {"type": "Polygon", "coordinates": [[[6.89, 52.22], [6.9, 52.22], [6.9, 52.23], [6.89, 52.22]]]},
            "EPSG:3857",
            ["Onbekend coördinatenstelsel"],
        ),
        (_many_vertices(), "EPSG:28992", ["meer dan 100.000 hoekpunten"]),
        (
            {"type": "LineString", "coordinates": [[255000, 471000], [256000, 472000]]},
            "EPSG:28992",
            ["geen vlak"],
        ),
        (
            {"type": "Polygon", "coordinates": [[[6.89, 52.22], [6.9, 52.22], [6.9, 52.23], [6.89, 52.22]]]},
            "EPSG:28992",
            ["buiten het bereik", "crs"],
        ),
    ],
    ids=[
        "zelfdoorsnijdend",
        "leeg",
        "buiten-gemeente",
        "onbekende-crs",
        "te-veel-hoekpunten",
        "lijn",
        "verkeerde-crs",
    ],
)
def test_bad_shapes_are_refused_in_dutch(
    client: TestClient, geom: dict[str, Any], crs: str, words: list[str]
) -> None:
    res = client.post("/api/gebieden/statistieken", json={"geometrie": geom, "crs": crs})
    assert res.status_code == 400, res.text
    message = res.json()["melding"]
    for word in words:
        assert word in message
    for raw in ("Self-intersection", "GEOS", "Traceback", "ValueError"):
        assert raw not in message


def test_area_from_buurten_and_wijken(client: TestClient, buurten: gpd.GeoDataFrame) -> None:
    res = client.post("/api/gebieden/uit-buurten", json={"buurtcodes": WHOLE, "wijkcodes": ["WK015304"]})
    assert res.status_code == 200, res.text
    body = res.json()
    wijk = buurten[buurten["wijkcode"] == "WK015304"].index.tolist()
    assert body["buurtcodes"] == sorted(set(WHOLE) | set(wijk))
    got = _stats(client, body["geometrie"], crs=body["crs"])
    assert {b["buurtcode"] for b in got["buurten"] if b["methode"] == "geheel"} == set(body["buurtcodes"])
    bad = client.post("/api/gebieden/uit-buurten", json={"buurtcodes": ["BU01539999"]})
    assert bad.status_code == 400 and "BU01539999" in bad.json()["melding"]
