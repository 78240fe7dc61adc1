"""The synthetic generator: reproducible, plausible, and every file passes read_delivery."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from layers.partners.sales_check import check_sales
from layers.partners.schema import CORPORATIES, ENERGIELABELS
from layers.partners.synthetic import generate, load_buurten, write_deliveries
from layers.partners.validate import read_delivery

DATA = Path(os.environ.get("SIA_DATA_DIR", "/work/shared/data"))


@pytest.fixture(scope="module")
def buurten() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA / "enschede" / "cbs_buurten_2021_enschede.gpkg", layer="buurten_2021")


@pytest.fixture(scope="module")
def deliveries(buurten: gpd.GeoDataFrame) -> dict:
    return generate(buurten, seed=7)


def _all(deliveries: dict, kind: str) -> pd.DataFrame:
    return pd.concat([getattr(d, kind) for d in deliveries.values()], ignore_index=True)


def test_seeded(buurten: gpd.GeoDataFrame, deliveries: dict) -> None:
    again = generate(buurten, seed=7)
    other = generate(buurten, seed=8)
    for partner, d in deliveries.items():
        for kind, frame in d.frames().items():
            assert_geodataframe_equal(frame, again[partner].frames()[kind])
    assert not deliveries["Domijn"].bezit.equals(other["Domijn"].bezit)


def test_partners_and_marking(deliveries: dict) -> None:
    assert set(deliveries) == {*CORPORATIES, "Gemeente Enschede"}
    for partner, d in deliveries.items():
        assert d.synthetic and d.partner == partner
        for frame in d.frames().values():
            assert frame["synthetisch"].all()
            assert (frame["partner"] == partner).all()
            assert (frame["periode"] == "2026-najaar").all()
    assert deliveries["Gemeente Enschede"].bezit.empty


def test_holdings_plausible(buurten: gpd.GeoDataFrame, deliveries: dict) -> None:
    bezit = _all(deliveries, "bezit")
    total = bezit["aantal_woningen"].sum()
    households = buurten["aantal_huishoudens"].sum()
    assert 0.20 * households <= total <= 0.45 * households
    per_buurt = bezit.groupby("buurtcode")["aantal_woningen"].sum()
    hh = buurten.set_index("buurtcode")["aantal_huishoudens"]
    assert (per_buurt <= hh.reindex(per_buurt.index)).all()
    for corp in CORPORATIES:
        assert deliveries[corp].bezit["aantal_woningen"].sum() > 300
    # a realistic mix of labels and conditions
    share = bezit.groupby("energielabel")["aantal_woningen"].sum() / total
    assert set(share.index) <= set(ENERGIELABELS)
    assert share.reindex(["F", "G"]).fillna(0).sum() < 0.05
    assert share.reindex(["A", "B", "C"]).fillna(0).sum() > 0.4
    cond = bezit.groupby("conditie")["aantal_woningen"].sum() / total
    assert cond.reindex([2, 3]).fillna(0).sum() > 0.6
    assert 0.0 < cond[cond.index >= 4].sum() < 0.25
    # both address points (inside their buurt) and per-buurt counts
    points = bezit[bezit.geometry.notna()]
    assert (points["aantal_woningen"] == 1).all() and len(points) > 1000
    assert (bezit.geometry.isna() & (bezit["aantal_woningen"] > 1)).sum() > 100
    joined = points.set_geometry(points.geometry).sjoin(
        buurten[["buurtcode", "geometry"]], predicate="within"
    )
    assert (joined["buurtcode_left"] == joined["buurtcode_right"]).all()
    assert len(joined) == len(points)


def test_student_housing_near_campus_and_centre(buurten: gpd.GeoDataFrame, deliveries: dict) -> None:
    wijk = buurten.set_index("buurtcode")["wijkcode"]
    name = buurten.set_index("buurtcode")["buurtnaam"]
    campus = set(name[name.str.contains("U.T.", regex=False)].index)
    assert campus  # Drienerveld-U.T.

    def share_campus_centre(corps: list[str]) -> float:
        b = pd.concat([deliveries[c].bezit for c in corps])
        near = b["buurtcode"].isin(campus) | (b["buurtcode"].map(wijk) == "WK015300")
        return b.loc[near, "aantal_woningen"].sum() / b["aantal_woningen"].sum()

    assert share_campus_centre(["SJHT", "De Veste"]) > 0.7
    assert share_campus_centre(["Ons Huis", "De Woonplaats", "Domijn"]) < 0.3


def test_projects_and_sales(deliveries: dict) -> None:
    projecten = _all(deliveries, "projecten")
    assert 20 <= len(projecten) <= 40
    assert projecten["type"].nunique() >= 4
    assert {"Gemeente Enschede", "Particulier"} <= set(projecten["partij"])
    assert (projecten["eindjaar"] >= projecten["startjaar"]).all()
    assert set(projecten.geometry.geom_type) >= {"Point", "Polygon"}
    verkoop = check_sales(_all(deliveries, "verkoop"))
    assert 30 <= len(verkoop) <= 300
    assert 1 <= verkoop["overtreding"].sum() <= 0.2 * len(verkoop)
    exceptions = verkoop["reden"].str.startswith("uitzondering")
    assert exceptions.sum() >= 1
    assert verkoop.duplicated(["postcode", "huisnummer", "toevoeging"]).sum() == 0


def test_written_files_pass_read_delivery(
    tmp_path: Path, buurten: gpd.GeoDataFrame, deliveries: dict
) -> None:
    paths = write_deliveries(tmp_path, buurten, seed=7)
    assert len(paths) == 6
    area = buurten.union_all()
    codes = set(buurten["buurtcode"])
    for path in paths:
        d = read_delivery(path, area=area, buurtcodes=codes)
        assert d.synthetic
        expected = deliveries[d.partner]
        for kind, frame in d.frames().items():
            assert_geodataframe_equal(frame, expected.frames()[kind])


def test_default_buurten_from_data_dir() -> None:
    b = load_buurten()
    assert len(b) == 70 and b.crs.to_epsg() == 28992
