"""Loaders take the files users have and refuse, in Dutch, the files they must.

Every accepted variant is built by the test from the real Enschede files (CBS buurten 2021,
Leefbaarometer 2024) and must give the same result as the original: 70 buurten, 159,655
inhabitants, the same geometry, the same scores. Every refused variant must name the file, say
what was expected, and never show library text (``tests.dutch.RAW``).
"""

from __future__ import annotations

import json
import re
import sqlite3
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from openpyxl import Workbook
from pyogrio.raw import write as raw_write
from shapely.geometry import GeometryCollection, MultiPolygon, box
from sqlalchemy import text

from layers.cbs import prepare_buurten, store_buurten
from layers.leefbaarometer import prepare_leefbaarometer
from layers.partners.validate import read_delivery
from sia.errors import InvalidUpload
from tests.dutch import assert_dutch

INHABITANTS = 159_655
AREA = box(245000, 460000, 270000, 480000)


@pytest.fixture(scope="module")
def source(enschede_buurten: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(enschede_buurten)


@pytest.fixture(scope="module")
def wijken(data_dir: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(data_dir / "enschede" / "cbs_wijken_2021_enschede_dissolved.gpkg")


def _write(gdf: gpd.GeoDataFrame, path: Path, **kw: object) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # shapefile field names cut to 10 characters
        gdf.to_file(path, **kw)
    return path


def _same_as_source(prepared: object, source: gpd.GeoDataFrame) -> None:
    frame = prepared.frame  # type: ignore[attr-defined]
    assert len(frame) == 70 and prepared.year == 2021  # type: ignore[attr-defined]
    assert frame["aantal_inwoners"].sum() == INHABITANTS
    assert frame.crs.to_epsg() == 28992
    assert not shapely.has_z(frame.geometry.values).any()
    reference = source.set_index("buurtcode").geometry
    got = frame.set_index("buurtcode").geometry
    assert np.allclose(got.area.sort_index(), reference.area.sort_index(), rtol=1e-6)


def _refused(call: object, *, name: str, words: str) -> InvalidUpload:
    with pytest.raises(InvalidUpload) as info:
        call()  # type: ignore[operator]
    exc = info.value
    assert name in exc.message
    assert words.lower() in exc.message.lower(), exc.message
    assert_dutch(exc.message)
    for detail in exc.details:
        assert_dutch(detail["melding"])
        assert detail.get("verwacht") or detail.get("kolom") or detail.get("rij"), detail
    return exc


# -- a GeoPackage with several layers: the buurten are found by their content ----------------------


def test_buurten_layer_is_picked_by_content(
    source: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """CBS's GeoPackage holds gemeenten, wijken and buurten; QGIS adds a style table."""
    path = tmp_path / "wijkenbuurten_2021.gpkg"
    gemeenten = wijken.dissolve("gemeentecode").reset_index()[["gemeentecode", "geometry"]]
    _write(gemeenten.assign(jaar=2021), path, layer="gemeenten")
    _write(wijken, path, layer="wijken")
    pyogrio.write_dataframe(
        pd.DataFrame({"styleName": ["buurten"], "styleQML": ["<qml/>"]}), path, layer="layer_styles"
    )
    _write(source, path, layer="buurten")
    assert str(pyogrio.list_layers(path)[0, 0]) != "buurten"
    _same_as_source(prepare_buurten(path), source)


def test_layer_can_be_named_and_a_wrong_name_is_explained(
    source: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "twee.gpkg"
    _write(source, path, layer="buurten_2021")
    _write(source.assign(jaar=2021), path, layer="kopie")
    _write(wijken, path, layer="wijken")
    exc = _refused(lambda: prepare_buurten(path), name="twee.gpkg", words="meerdere lagen")
    assert "buurten_2021" in exc.message and "kopie" in exc.message and "--layer" in exc.message
    _same_as_source(prepare_buurten(path, layer="buurten_2021"), source)
    _refused(
        lambda: prepare_buurten(path, layer="buurt"), name="twee.gpkg", words="een laag 'buurt' is er niet"
    )
    _refused(lambda: prepare_buurten(path, layer="wijken"), name="twee.gpkg", words="buurtcodes")


def test_no_layer_with_buurten_lists_what_there_is(wijken: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "wijken.gpkg"
    _write(wijken, path, layer="wijken")
    _write(wijken.assign(jaar=2021), path, layer="wijken_kopie")
    exc = _refused(lambda: prepare_buurten(path), name="wijken.gpkg", words="geen van de 2 lagen")
    assert "'wijken'" in exc.message


def test_leefbaarometer_layer_is_picked_by_content(
    enschede_lbm: Path, source: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "lbm2024.gpkg"
    _write(source, path, layer="buurten")  # buurtcodes, but no scores
    _write(gpd.read_file(enschede_lbm), path, layer="scores")
    prepared = prepare_leefbaarometer(path)
    assert len(prepared.frame) == 65 and prepared.editie == 2024
    assert prepare_leefbaarometer(path, layer="scores").frame.equals(prepared.frame)


# -- archives and folders --------------------------------------------------------------------------


def _cbs_download(source: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame, folder: Path) -> Path:
    """The shape CBS publishes: a folder with buurt, wijk and gemeente shapefiles (short names)."""
    short = source.rename(
        columns={
            "buurtcode": "BU_CODE",
            "buurtnaam": "BU_NAAM",
            "aantal_inwoners": "AANT_INW",
            "jaar": "JAAR",
        }
    )[["BU_CODE", "BU_NAAM", "AANT_INW", "JAAR", "geometry"]]
    sub = folder / "WijkBuurtkaart_2021_v3"
    sub.mkdir(parents=True)
    _write(short, sub / "buurt_2021_v3.shp")
    _write(wijken.rename(columns={"wijkcode": "WK_CODE"})[["WK_CODE", "geometry"]], sub / "wijk_2021_v3.shp")
    (sub / "leesmij.txt").write_text("CBS wijk- en buurtkaart 2021")
    return sub


def test_zipped_shapefiles_in_a_subfolder(
    source: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    sub = _cbs_download(source, wijken, tmp_path / "uitgepakt")
    archive = tmp_path / "WijkBuurtkaart_2021_v3.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sub.iterdir():
            zf.write(part, f"{sub.name}/{part.name}")
        zf.writestr("__MACOSX/WijkBuurtkaart_2021_v3/._buurt_2021_v3.shp", b"\x00\x05\x16\x07")
    for path in (archive, sub):  # the archive, and the folder it unpacks to
        prepared = prepare_buurten(path)
        assert len(prepared.frame) == 70 and prepared.frame["aantal_inwoners"].sum() == INHABITANTS
        assert prepared.year == 2021


def test_partner_shapefile_zipped_in_a_subfolder(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {
            "projectnaam": ["Park"],
            "partij": ["Particulier"],
            "type": ["nieuwbouw"],
            "startjaar": [2027],
            "eindjaar": [2028],
            "status": ["idee"],
        },
        geometry=[box(257000, 471000, 257100, 471100)],
        crs="EPSG:28992",
    )
    folder = tmp_path / "export"
    folder.mkdir()
    _write(gdf, folder / "projecten.shp")
    archive = tmp_path / "projecten.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, f"Mijn export/QGIS/{part.name}")
    delivery = read_delivery(
        archive, layer="projecten", partner="Gemeente Enschede", period="2026-najaar", area=AREA
    )
    assert delivery.projecten["projectnaam"].tolist() == ["Park"]


def test_lost_shx_is_rebuilt(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = _write(source, tmp_path / "buurten.shp")
    path.with_suffix(".shx").unlink()
    prepared = prepare_buurten(path)
    assert len(prepared.frame) == 70


# -- Z and M coordinates ---------------------------------------------------------------------------


def test_geojson_with_z_is_loaded_flat_into_postgis(
    db_url: str, source: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """GeoJSON with heights (as exported from 3D tools) gave a traceback when storing."""
    from layers.db.engine import make_engine

    three_d = source.set_geometry(shapely.force_3d(source.geometry.values, z=12.5), crs=source.crs)
    path = _write(three_d.to_crs(4326), tmp_path / "buurten_3d.geojson")
    assert "12.5" in path.read_text()[:5000]
    prepared = prepare_buurten(path)
    engine = make_engine(db_url)
    with engine.begin() as conn:
        store_buurten(conn, prepared)
        dims = conn.execute(text("SELECT DISTINCT ST_NDims(geom) FROM buurten")).scalars().all()
        total = conn.execute(text("SELECT sum(aantal_inwoners) FROM buurten")).scalar_one()
    engine.dispose()
    assert dims == [2] and total == INHABITANTS


def _with_m(geom: shapely.Geometry) -> shapely.Geometry:
    """The geometry with Z = 1 and a measure M = 7 on every vertex (XYZM)."""
    wkt = shapely.to_wkt(shapely.force_3d(geom, z=1.0), rounding_precision=-1)
    wkt = re.sub(r"(-?[\d.]+ -?[\d.]+ -?[\d.]+)(?=[,)])", r"\1 7", wkt).replace(" Z ", " ZM ", 1)
    return shapely.from_wkt(wkt)


def test_measured_geometries_are_flattened(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """XYZM polygons (e.g. from a survey) in a GeoPackage and a Shapefile."""
    geoms = [_with_m(g) for g in source.geometry]
    assert shapely.has_m(geoms[0]) and shapely.has_z(geoms[0])
    wkb = np.array([shapely.to_wkb(g, flavor="iso") for g in geoms], dtype=object)
    fields = [
        source["buurtcode"].to_numpy(dtype=object),
        source["aantal_inwoners"].to_numpy(),
        source["jaar"].to_numpy(),
    ]
    for name, driver in (("zm.gpkg", "GPKG"), ("zm.shp", "ESRI Shapefile")):
        path = tmp_path / name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL: polygons in a multipolygon layer; names cut to 10
            raw_write(
                path,
                wkb,
                fields,
                ["buurtcode", "aantal_inwoners", "jaar"],
                geometry_type="Measured 3D MultiPolygon",
                crs="EPSG:28992",
                driver=driver,
            )
        prepared = prepare_buurten(path)
        assert len(prepared.frame) == 70 and not shapely.has_z(prepared.frame.geometry.values).any()
        assert not shapely.has_m(prepared.frame.geometry.values).any()


def test_partner_points_with_z(tmp_path: Path) -> None:
    path = tmp_path / "verkoop.geojson"
    feature = {
        "type": "Feature",
        "properties": {
            "corporatie": "Domijn",
            "adres": "Kerkstraat 1",
            "energielabel": "C",
            "conditie": 3,
            "kluswoning": "nee",
            "gemeld_aan_gemeente": "nee",
            "gepland_jaar": 2027,
        },
        "geometry": {"type": "Point", "coordinates": [6.8936, 52.2215, 41.2]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    delivery = read_delivery(path, layer="verkoop", partner="Domijn", period="2026-najaar", area=AREA)
    point = delivery.verkoop.geometry.iloc[0]
    assert not point.has_z and 256000 < point.x < 259000


# -- other years' and publishers' column names ------------------------------------------------------


def test_pdok_camel_case_names(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """PDOK's WFS since 2022 writes aantalInwoners, aantalHuishoudens, bevolkingsdichtheid... in camelCase."""
    camel = source.rename(
        columns={
            "aantal_inwoners": "aantalInwoners",
            "aantal_huishoudens": "aantalHuishoudens",
            "bevolkingsdichtheid_inwoners_per_km2": "bevolkingsdichtheidInwonersPerKm2",
            "oppervlakte_land_in_ha": "oppervlakteLandInHa",
            "gemeentecode": "gemeentecode",
        }
    )
    prepared = prepare_buurten(_write(camel, tmp_path / "pdok_2022.gpkg"))
    _same_as_source(prepared, source)
    assert prepared.frame["aantal_huishoudens"].sum() == 79_540


def test_cbs_gebiedsindeling_names(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """CBS's gebiedsindelingen use statcode, statnaam and jrstatcode (2021BU01530000)."""
    gebied = source[["buurtcode", "buurtnaam", "aantal_inwoners", "geometry"]].rename(
        columns={"buurtcode": "statcode", "buurtnaam": "statnaam"}
    )
    gebied["jrstatcode"] = "2021" + gebied["statcode"]
    prepared = prepare_buurten(_write(gebied, tmp_path / "cbs_buurt_2021_gegeneraliseerd.gpkg"))
    assert prepared.year == 2021 and len(prepared.frame) == 70
    assert prepared.frame["aantal_inwoners"].sum() == INHABITANTS


def test_cbs_symbols_and_decimal_commas_in_text_columns(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """Figures as text, as in a GeoJSON made from a StatLine table: '.' missing, 'x' secret, 12,5."""
    texts = source[["buurtcode", "jaar", "aantal_inwoners", "geometry"]].copy()
    texts["aantal_inwoners"] = texts["aantal_inwoners"].astype(str)
    texts.loc[0, "aantal_inwoners"] = "."
    texts.loc[1, "aantal_inwoners"] = "x"
    texts["gemiddelde_woz"] = "212,5"
    frame = prepare_buurten(_write(texts, tmp_path / "tekst.geojson")).frame.set_index("buurtcode")
    assert np.isnan(frame.loc[source.loc[0, "buurtcode"], "aantal_inwoners"])
    assert np.isnan(frame.loc[source.loc[1, "buurtcode"], "aantal_inwoners"])
    assert frame["kerncijfers"].iloc[5]["gemiddelde_woz"] == 212.5


# -- encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_shapefile_without_cpg_in_either_encoding(
    source: gpd.GeoDataFrame, tmp_path: Path, encoding: str
) -> None:
    """Old CBS shapefiles are Windows-1252, QGIS writes UTF-8; neither always ships a .cpg."""
    names = source[["buurtcode", "jaar", "geometry"]].assign(buurtnaam="Sûdwest-Fryslân 't Wéldink")
    path = _write(names, tmp_path / "buurten.shp", encoding=encoding)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    frame = prepare_buurten(path).frame
    assert set(frame["buurtnaam"]) == {"Sûdwest-Fryslân 't Wéldink"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_leefbaarometer_csv_encodings_and_decimal_commas(
    enschede_lbm: Path, tmp_path: Path, encoding: str
) -> None:
    """Excel's 'CSV (puntkomma)' export: ; separators, decimal commas, Windows-1252 or UTF-16."""
    reference = prepare_leefbaarometer(enschede_lbm).frame.set_index("buurtcode")
    src = gpd.read_file(enschede_lbm).drop(columns="geometry")
    lines = ["bu_code;bu_naam;afw;kscore;won;fys;vrz;soc;onv"]
    for r in src.itertuples():
        values = [r.lbm_afw, r.lbm_kscore, r.lbm_won, r.lbm_fys, r.lbm_vrz, r.lbm_soc, r.lbm_onv]
        lines.append(
            ";".join([r.buurtcode, "Ë" + str(r.buurtnaam)] + [f"{v:.10f}".replace(".", ",") for v in values])
        )
    path = tmp_path / "lbm2024_buurtscores.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    got = prepare_leefbaarometer(path).frame.set_index("buurtcode")
    assert got.index.equals(reference.index) or set(got.index) == set(reference.index)
    np.testing.assert_allclose(got.loc[reference.index, "score"], reference["score"], atol=1e-9)
    assert got["buurtnaam"].str.startswith("Ë").all()


def test_leefbaarometer_workbook_with_extra_sheets(enschede_lbm: Path, tmp_path: Path) -> None:
    reference = prepare_leefbaarometer(enschede_lbm).frame.set_index("buurtcode")
    src = gpd.read_file(enschede_lbm).drop(columns="geometry")
    wb = Workbook()
    wb.active.title = "Toelichting"
    wb.active.append(["Leefbaarometer 3.0, meting 2024"])
    ws = wb.create_sheet("Buurtscores")
    ws.append(["bu_code", "bu_naam", "afw", "kscore"])
    for r in src.itertuples():
        ws.append([r.buurtcode, r.buurtnaam, float(r.lbm_afw), int(r.lbm_kscore)])
    wb.create_sheet("Bronnen").append(["BZK", "Atlas Research"])
    path = tmp_path / "lbm2024.xlsx"
    wb.save(path)
    got = prepare_leefbaarometer(path).frame.set_index("buurtcode")
    np.testing.assert_allclose(got.loc[reference.index, "score"], reference["score"], atol=1e-12)


# -- coordinate systems --------------------------------------------------------------------------------

ESRI_RD = (
    'PROJCS["RD_New",GEOGCS["GCS_Amersfoort",DATUM["D_Amersfoort",SPHEROID["Bessel_1841",6377397.155,'
    '299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Double_Stereographic"],'
    'PARAMETER["False_Easting",155000.0],PARAMETER["False_Northing",463000.0],PARAMETER["Central_Meridian",'
    '5.38763888888889],PARAMETER["Scale_Factor",0.9999079],PARAMETER["Latitude_Of_Origin",52.15616055555555],'
    'UNIT["Meter",1.0]]'
)
PROJ_RD = (
    "+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 "
    "+ellps=bessel +units=m +no_defs"
)


@pytest.mark.parametrize("crs", [ESRI_RD, PROJ_RD], ids=["esri-prj", "proj-string"])
def test_crs_without_epsg_code(source: gpd.GeoDataFrame, tmp_path: Path, crs: str) -> None:
    path = _write(source.set_crs(crs, allow_override=True), tmp_path / "rd.shp")
    if crs == ESRI_RD:
        path.with_suffix(".prj").write_text(ESRI_RD)
    prepared = prepare_buurten(path)
    moved = prepared.frame.set_index("buurtcode").geometry.centroid.distance(
        source.set_index("buurtcode").geometry.centroid
    )
    assert moved.max() < 1.0  # metres: read as RD New, not shifted


def test_geojson_in_rd_without_crs_member(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """RFC 7946 says WGS84, but Dutch exports often write RD New coordinates without saying so."""
    collection = json.loads(source.to_json())
    collection.pop("crs", None)
    path = tmp_path / "rd_zonder_crs.geojson"
    path.write_text(json.dumps(collection))
    prepared = prepare_buurten(path)
    _same_as_source(prepared, source)
    assert any("RD New" in note for note in prepared.notes)


def test_prj_without_projection_is_explained(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """Was: 'onleesbaar: missing CONVERSION node' (PROJ's text)."""
    path = _write(source, tmp_path / "buurten.shp")
    path.with_suffix(".prj").write_text(ESRI_RD.split("PROJECTION")[0] + 'UNIT["Meter",1.0]]')
    exc = _refused(lambda: prepare_buurten(path), name="buurten.shp", words=".prj")
    assert "CONVERSION" not in str(exc.details)


def test_coordinates_out_of_range_are_explained(tmp_path: Path) -> None:
    """Was: 'omhullende [np.float64(1e+300), ...]' (numpy's repr)."""
    far = gpd.GeoDataFrame(
        {"buurtcode": ["BU01530001"], "jaar": [2021]},
        geometry=[box(1e300, 1e300, 2e300, 2e300)],
        crs="EPSG:4326",
    )
    path = _write(far, tmp_path / "ver.geojson")
    exc = _refused(lambda: prepare_buurten(path), name="ver.geojson", words="coördinaten")
    assert "np.float64" not in exc.message and "inf" not in exc.message


def test_wrong_crs_names_the_crs_not_its_wkt(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = _write(
        source.set_crs(ESRI_RD.replace("155000.0", "1155000.0"), allow_override=True), tmp_path / "fout.gpkg"
    )
    exc = _refused(lambda: prepare_buurten(path), name="fout.gpkg", words="niet in Nederland")
    assert "PROJCS" not in exc.message and "PARAMETER" not in exc.message


# -- geometry kinds ---------------------------------------------------------------------------------------


def test_multipolygons_and_collections_of_polygons(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    mixed = source.copy()
    mixed.loc[0, "geometry"] = GeometryCollection(list(shapely.get_parts(source.geometry.iloc[0])))
    mixed.loc[1, "geometry"] = MultiPolygon(list(shapely.get_parts(source.geometry.iloc[1])))
    prepared = prepare_buurten(_write(mixed, tmp_path / "gemengd.geojson"))
    assert set(prepared.frame.geom_type) == {"MultiPolygon"} and len(prepared.frame) == 70


def test_empty_geometries_are_named_by_row(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    holes = source.copy()
    holes.loc[3, "geometry"] = shapely.Polygon()
    exc = _refused(
        lambda: prepare_buurten(_write(holes, tmp_path / "gat.gpkg")),
        name="gat.gpkg",
        words="zonder geometrie",
    )
    detail = exc.details[0]
    assert detail["rij"] == 4 and detail["waarde"] == source.loc[3, "buurtcode"]


# -- broken and hostile files ----------------------------------------------------------------------------


def test_zip_without_gis_file_does_not_show_gdal_paths(tmp_path: Path) -> None:
    """Was: "'/vsizip//tmp/.../x.zip' not recognized as being in a supported file format"."""
    path = tmp_path / "leeg.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("leesmij.txt", "geen kaart")
    exc = _refused(lambda: prepare_buurten(path), name="leeg.zip", words="geen GIS-bestand")
    assert "/vsizip/" not in str(exc.details)


def test_not_a_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "kapot.gpkg"
    path.write_text("dit is geen GeoPackage")
    _refused(lambda: prepare_buurten(path), name="kapot.gpkg", words="tekst")
    empty = tmp_path / "leeg.gpkg"
    sqlite3.connect(empty).execute("CREATE TABLE a (x)").connection.commit()
    _refused(lambda: prepare_buurten(empty), name="leeg.gpkg", words="GeoPackage")


def test_truncated_and_empty_files(source: gpd.GeoDataFrame, enschede_buurten: Path, tmp_path: Path) -> None:
    whole = enschede_buurten.read_bytes()
    cut = tmp_path / "half.gpkg"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(InvalidUpload) as info:
        prepare_buurten(cut)
    assert_dutch(info.value.message)
    json_cut = tmp_path / "half.geojson"
    json_cut.write_text(source.to_crs(4326).to_json()[:5000])
    _refused(lambda: prepare_buurten(json_cut), name="half.geojson", words="GeoJSON")
    for name in ("leeg.geojson", "leeg.csv", "leeg.shp"):
        (tmp_path / name).write_bytes(b"")
        _refused(lambda name=name: prepare_buurten(tmp_path / name), name=name, words="leeg")


def test_ring_that_does_not_close(tmp_path: Path) -> None:
    path = tmp_path / "open.geojson"
    feature = {
        "type": "Feature",
        "properties": {"buurtcode": "BU01530001", "jaar": 2021},
        "geometry": {"type": "Polygon", "coordinates": [[[6.89, 52.22], [6.9, 52.22]]]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    exc = _refused(lambda: prepare_buurten(path), name="open.geojson", words="ring")
    assert "IllegalArgumentException" not in str(exc.details)


def test_nul_and_control_characters_in_names(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    """PostgreSQL cannot store NUL, and no name holds a control character: a Dutch problem with row
    and column, not a crash."""
    bad = source.copy()
    bad.loc[2, "buurtnaam"] = "Lason\x01der"
    path = tmp_path / "nul.geojson"
    path.write_text(bad.to_crs(4326).to_json())
    exc = _refused(lambda: prepare_buurten(path), name="nul.geojson", words="stuurtekens")
    assert any(d.get("rij") == 3 and d.get("kolom") == "buurtnaam" for d in exc.details)
    lbm = tmp_path / "lbm2024.csv"
    lbm.write_text("bu_code;bu_naam;afw\nBU01530000;Stad\x01centrum;0,1\n")
    exc = _refused(lambda: prepare_leefbaarometer(lbm), name="lbm2024.csv", words="stuurtekens")
    assert exc.details[0]["rij"] == 2
    lbm.write_text("bu_code;bu_naam;afw\nBU01530000;Stad\x00centrum;0,1\n")
    _refused(lambda: prepare_leefbaarometer(lbm), name="lbm2024.csv", words="NUL-bytes")


def test_infinite_and_text_figures_are_named(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    bad = source[["buurtcode", "jaar", "aantal_inwoners", "geometry"]].copy()
    bad["aantal_inwoners"] = bad["aantal_inwoners"].astype(str)
    bad.loc[4, "aantal_inwoners"] = "veel"
    bad.loc[6, "aantal_inwoners"] = "inf"
    exc = _refused(
        lambda: prepare_buurten(_write(bad, tmp_path / "tekst.gpkg")), name="tekst.gpkg", words="getal"
    )
    assert {(d["rij"], d["kolom"]) for d in exc.details} == {(5, "aantal_inwoners"), (7, "aantal_inwoners")}
    lbm = tmp_path / "lbm2024.csv"
    lbm.write_text("bu_code;afw\nBU01530000;Infinity\nBU01530001;-1e999\n")
    exc = _refused(lambda: prepare_leefbaarometer(lbm), name="lbm2024.csv", words="geen getal")
    assert [d["rij"] for d in exc.details] == [2, 3]


def test_csv_rows_with_too_many_values(tmp_path: Path) -> None:
    """Was: "invalid literal for int() with base 10: \"('BU01530001', 0.5)\"" (pandas)."""
    lbm = tmp_path / "lbm2024.csv"
    lbm.write_text("bu_code;afw\nBU01530001;0,5;extra\n")
    _refused(lambda: prepare_leefbaarometer(lbm), name="lbm2024.csv", words="rij 2 heeft 3 waarden")
    blank = tmp_path / "leeg.csv"
    blank.write_text("\n\n\n")
    _refused(lambda: prepare_leefbaarometer(blank, editie=2024), name="leeg.csv", words="leeg")


def test_feature_and_vertex_limits_apply_before_loading(source: gpd.GeoDataFrame, tmp_path: Path) -> None:
    from layers.files import UPLOAD_LIMITS

    path = _write(source, tmp_path / "buurten.gpkg")
    tight = UPLOAD_LIMITS.__class__(**{**UPLOAD_LIMITS.__dict__, "features": 50})
    _refused(lambda: prepare_buurten(path, limits=tight), name="buurten.gpkg", words="70 objecten")
    tight = UPLOAD_LIMITS.__class__(**{**UPLOAD_LIMITS.__dict__, "vertices_per_geometry": 100})
    _refused(lambda: prepare_buurten(path, limits=tight), name="buurten.gpkg", words="hoekpunten")


def test_partner_gis_refuses_lines_and_keeps_messages_dutch(tmp_path: Path) -> None:
    path = tmp_path / "projecten.geojson"
    feature = {
        "type": "Feature",
        "properties": {
            "projectnaam": "Weg",
            "partij": "Particulier",
            "type": "nieuwbouw",
            "startjaar": 2027,
            "eindjaar": 2028,
            "status": "idee",
        },
        "geometry": {"type": "LineString", "coordinates": [[6.89, 52.22], [6.9, 52.23]]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(InvalidUpload, match="geometrietype LineString wordt niet ondersteund") as info:
        read_delivery(path, layer="projecten", partner="Gemeente Enschede", period="2026-najaar", area=AREA)
    assert info.value.details[0]["rij"] == 1


def test_folder_of_unrelated_files(tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "foto.jpg").write_bytes(b"\xff\xd8\xff")
    _refused(lambda: prepare_buurten(folder), name="map", words="geen GIS-bestand")
