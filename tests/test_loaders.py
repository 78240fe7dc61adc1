"""CBS buurten and Leefbaarometer readers: names of any year, CBS codes, every rejection."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, Polygon, box

from layers.cbs import prepare_buurten
from layers.leefbaarometer import prepare_leefbaarometer
from sia.errors import InvalidUpload

# CBS shapefile short names (wijk- en buurtkaart as CBS publishes it) for a few PDOK long names
SHORT_NAMES = {
    "buurtcode": "BU_CODE",
    "buurtnaam": "BU_NAAM",
    "wijkcode": "WK_CODE",
    "gemeentecode": "GM_CODE",
    "gemeentenaam": "GM_NAAM",
    "aantal_inwoners": "AANT_INW",
    "aantal_huishoudens": "AANTAL_HH",
    "bevolkingsdichtheid_inwoners_per_km2": "BEV_DICHTH",
    "oppervlakte_land_in_ha": "OPP_LAND",
    "jaar": "JAAR",
}


def _tiny(codes: list[str], *, crs: str | None = "EPSG:28992", **columns: list) -> gpd.GeoDataFrame:
    geoms = [box(250000 + i * 100, 470000, 250100 + i * 100, 470100) for i in range(len(codes))]
    return gpd.GeoDataFrame({"buurtcode": codes, **columns}, geometry=geoms, crs=crs)


def test_real_pdok_long_names(enschede_buurten: Path) -> None:
    prepared = prepare_buurten(enschede_buurten)
    frame = prepared.frame
    assert prepared.year == 2021
    assert len(frame) == 70
    assert prepared.gemeenten == ["GM0153"]
    assert frame.crs.to_epsg() == 28992
    assert frame["aantal_inwoners"].sum() == 159_655  # PROVENANCE.md sanity check
    assert frame["aantal_huishoudens"].sum() == 79_540
    assert set(frame.geometry.geom_type) == {"MultiPolygon"}
    assert frame["wijkcode"].nunique() == 10
    assert "percentage_personen_65_jaar_en_ouder" in frame["kerncijfers"].iloc[0]


def test_shapefile_short_names_match_long_names(enschede_buurten: Path, tmp_path: Path) -> None:
    source = gpd.read_file(enschede_buurten)
    short = source[[*SHORT_NAMES, "geometry"]].rename(columns=SHORT_NAMES)
    shp = tmp_path / "buurt_2021.shp"
    short.to_file(shp)
    long_ = prepare_buurten(enschede_buurten).frame.set_index("buurtcode")
    got = prepare_buurten(shp).frame.set_index("buurtcode")
    for col in (
        "aantal_inwoners",
        "aantal_huishoudens",
        "bevolkingsdichtheid",
        "wijkcode",
        "buurtnaam",
        "gemeentecode",
    ):
        pd.testing.assert_series_equal(
            got[col], long_.loc[got.index, col], check_dtype=False, check_names=False
        )


def test_geojson_in_wgs84_is_reprojected(data_dir: Path) -> None:
    prepared = prepare_buurten(data_dir / "enschede" / "cbs_buurten_2021_enschede.geojson")
    assert prepared.frame.crs.to_epsg() == 28992
    minx, miny, maxx, maxy = prepared.frame.total_bounds
    assert 240_000 < minx < maxx < 270_000 and 460_000 < miny < maxy < 480_000


@pytest.mark.parametrize("code", [-99999999, -99999997, -99997])
def test_cbs_missing_codes_become_null(tmp_path: Path, code: int) -> None:
    gdf = _tiny(
        ["BU01530001", "BU01530002"],
        jaar=[2023, 2023],
        aantal_inwoners=[120, code],
        percentage_gehuwd=[code, 40.0],
    )
    path = tmp_path / "b.gpkg"
    gdf.to_file(path)
    frame = prepare_buurten(path).frame.set_index("buurtcode")
    assert frame.loc["BU01530001", "aantal_inwoners"] == 120
    assert np.isnan(frame.loc["BU01530002", "aantal_inwoners"])
    assert frame.loc["BU01530001", "kerncijfers"]["percentage_gehuwd"] is None
    assert frame.loc["BU01530002", "kerncijfers"]["percentage_gehuwd"] == 40.0


def test_codes_derived_and_letters_accepted(data_dir: Path) -> None:
    """The national LBM layer has no wijk/gemeente codes and Amsterdam codes contain letters."""
    prepared = prepare_buurten(
        data_dir / "national" / "lbm2024_buurten_nl.gpkg", gemeenten=["GM0363"], year=2024
    )
    frame = prepared.frame
    assert prepared.gemeenten == ["GM0363"]
    assert len(frame) > 400
    assert frame["buurtcode"].str.startswith("BU0363").all()
    assert (frame["wijkcode"] == "WK" + frame["buurtcode"].str[2:8]).all()
    assert frame["buurtcode"].str.contains("[A-Z]{2}", regex=True).any()


def test_invalid_geometry_is_repaired(tmp_path: Path) -> None:
    bowtie = Polygon([(250000, 470000), (250100, 470100), (250100, 470000), (250000, 470100)])
    gdf = gpd.GeoDataFrame({"buurtcode": ["BU01530001"], "jaar": [2022]}, geometry=[bowtie], crs="EPSG:28992")
    path = tmp_path / "bowtie.gpkg"
    gdf.to_file(path)
    prepared = prepare_buurten(path)
    assert prepared.repaired == ["BU01530001"]
    geom = prepared.frame.geometry.iloc[0]
    assert geom.is_valid and isinstance(geom, MultiPolygon)
    assert geom.area == pytest.approx(5000)


def _write(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        gdf.to_file(path)
    return path


@pytest.mark.parametrize(
    ("make", "match", "column"),
    [
        (
            lambda p: _write(
                _tiny(["BU01530001"], jaar=[2021]).rename(columns={"buurtcode": "x"}), p / "a.gpkg"
            ),
            "geen kolom met buurtcodes",
            "buurtcode",
        ),
        (
            lambda p: _write(_tiny(["BU01530001", "BU01530001"], jaar=[2021, 2021]), p / "a.gpkg"),
            "BU01530001 komt 2 keer voor",
            "buurtcode",
        ),
        (
            lambda p: _write(_tiny(["BU0153001", "BU01530002"], jaar=[2021, 2021]), p / "a.gpkg"),
            "'BU0153001' is geen geldige buurtcode",
            "buurtcode",
        ),
        (
            lambda p: _write(_tiny(["BU01530001"], jaar=[2021], crs=None), p / "a.shp"),
            "coördinatenstelsel is onbekend",
            None,
        ),
        (
            lambda p: _write(_tiny(["BU01530001"], jaar=[2021], crs="EPSG:4326"), p / "a.gpkg"),
            "zegt EPSG:4326 \\(graden\\), maar de coördinaten lijken RD New",
            None,
        ),
        (lambda p: _write(_tiny(["BU01530001"]), p / "a.gpkg"), "geen kolom 'jaar'", "jaar"),
        (
            lambda p: _write(_tiny(["BU01530001", "BU01530002"], jaar=[2020, 2021]), p / "a.gpkg"),
            "meerdere jaren",
            "jaar",
        ),
    ],
    ids=[
        "no-code-column",
        "duplicate-codes",
        "malformed-code",
        "unknown-crs",
        "wrong-crs",
        "no-year",
        "two-years",
    ],
)
def test_rejections_name_file_and_problem(tmp_path: Path, make, match: str, column: str | None) -> None:
    path = make(tmp_path)
    with pytest.raises(InvalidUpload, match=match) as info:
        prepare_buurten(path)
    assert path.name in info.value.message
    assert info.value.details, "every rejection lists its problems"
    assert all(d["bestand"] == path.name for d in info.value.details)
    if column:
        assert any(d.get("kolom") == column for d in info.value.details)


def test_duplicate_codes_report_both_rows(tmp_path: Path) -> None:
    path = _write(_tiny(["BU01530001", "BU01530002", "BU01530001"], jaar=[2021] * 3), tmp_path / "d.gpkg")
    with pytest.raises(InvalidUpload) as info:
        prepare_buurten(path)
    assert "rijen [1, 3]" in info.value.details[0]["melding"]


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    garbage = tmp_path / "kapot.gpkg"
    garbage.write_bytes(b"this is not a geopackage")
    with pytest.raises(InvalidUpload, match="kapot.gpkg kan niet worden gelezen"):
        prepare_buurten(garbage)
    empty = tmp_path / "leeg.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InvalidUpload, match="leeg.geojson"):
        prepare_buurten(empty)
    with pytest.raises(InvalidUpload, match="bestaat niet"):
        prepare_buurten(tmp_path / "nergens.gpkg")


def test_points_are_not_buurten(tmp_path: Path) -> None:
    gdf = _tiny(["BU01530001"], jaar=[2021])
    gdf = gdf.set_geometry(gdf.geometry.centroid)
    path = _write(gdf, tmp_path / "punten.gpkg")
    with pytest.raises(InvalidUpload, match="Polygon of MultiPolygon|geometrie is Point"):
        prepare_buurten(path)


def test_gemeente_filter_and_unknown_gemeente(enschede_buurten: Path) -> None:
    assert len(prepare_buurten(enschede_buurten, gemeenten=["gm0153"]).frame) == 70
    with pytest.raises(InvalidUpload, match="geen buurten van gemeente GM0363"):
        prepare_buurten(enschede_buurten, gemeenten=["GM0363"])


# -- Leefbaarometer ------------------------------------------------------------------------


def test_lbm_flattened_names(enschede_lbm: Path) -> None:
    prepared = prepare_leefbaarometer(enschede_lbm)
    assert prepared.editie == 2024
    assert len(prepared.frame) == 65
    src = gpd.read_file(enschede_lbm).set_index("buurtcode")
    got = prepared.frame.set_index("buurtcode")
    np.testing.assert_allclose(got["score"], src.loc[got.index, "lbm_afw"])
    np.testing.assert_array_equal(got["kwon"], src.loc[got.index, "lbm_kwon"])


def test_lbm_bzk_names_from_csv(tmp_path: Path) -> None:
    csv = tmp_path / "buurtscore.csv"
    csv.write_text(
        "bu_code;bu_naam;afw;kscore;won;fys;vrz;soc;onv\n"
        "BU01530000;City;-0,1;5;0,1;0,0;0,2;-0,1;-0,2\n".replace(",", ".")
        + "BU01530001;Lasonder;;;;;;;\n"
    )
    prepared = prepare_leefbaarometer(csv, editie=2022)
    assert prepared.editie == 2022
    assert prepared.without_score == ["BU01530001"]
    assert prepared.frame.set_index("buurtcode").loc["BU01530000", "vrz"] == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("content", "editie", "match"),
    [
        ("bu_code;afw\nBU01530000;0.1\n", None, "editie"),
        ("code;kscore\nBU01530000;5\n", 2024, "ontbreken"),
        ("bu_code;afw;kscore\nBU01530000;0.1;12\n", 2024, "klasse 12 bestaat niet"),
        ("bu_code;afw\nBU01530000;hoog\n", 2024, "'hoog' is geen getal"),
        ("bu_code;afw\nBU01530000;0.1\nBU01530000;0.2\n", 2024, "komt 2 keer voor"),
    ],
    ids=["no-edition", "no-score-column", "class-out-of-range", "text-as-number", "duplicates"],
)
def test_lbm_rejections(tmp_path: Path, content: str, editie: int | None, match: str) -> None:
    csv = tmp_path / "lbm.csv"
    csv.write_text(content)
    with pytest.raises(InvalidUpload, match=match) as info:
        prepare_leefbaarometer(csv, editie=editie)
    assert info.value.details


def test_lbm_csv_rows_are_spreadsheet_rows(tmp_path: Path) -> None:
    csv = tmp_path / "lbm.csv"
    csv.write_text("bu_code;afw\nBU01530000;0.1\n\nBU01530001;hoog\n")
    with pytest.raises(InvalidUpload) as info:
        prepare_leefbaarometer(csv, editie=2024)
    assert info.value.details[0]["rij"] == 4  # header is row 1; the empty row 3 counts
