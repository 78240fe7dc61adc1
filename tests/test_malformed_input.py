"""The malformed-input corpus: bombs, limits, encodings, formulas, macros, NUL, NaN, huge geometries,
wrong types and truncated files, sent to the real API on PostGIS.

Every case must get a Dutch 4xx (no library text), store nothing (row counts of every table that
holds deliveries, rasters, scenarios or loads are the same before and after), and leave the
server healthy (``GET /api/health`` 200). Every file is written by the test itself.
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from shapely.geometry import LineString, Point, Polygon, box
from sqlalchemy import text

from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.partners.template import write_filled
from tests.conftest import _create_db
from tests.dutch import assert_dutch_body
from tests.signin import sign_in

pytestmark = pytest.mark.postgis

TABLES = (
    "leveringen",
    "bezit",
    "projecten",
    "verkoop",
    "raster_leveringen",
    "raster_statistieken",
    "scenarios",
    "load_log",
    "buurten",
    "leefbaarometer",
)
GIS_FORM = {"laag": "projecten", "partner": "Domijn", "periode": "2026-najaar"}
RASTER_FORM = {
    "indicator": "hitte",
    "label": "Hitte",
    "periode": "2026-najaar",
    "partner": "Gemeente Enschede",
}
CENTRE = (257_000.0, 471_000.0)  # RD New, in Enschede
JSON = {"content-type": "application/json"}
HEAD = "projectnaam;partij;type;startjaar;eindjaar;status;x;y\n"


@dataclass
class Case:
    """One malformed request: what to send and what must come back."""

    method: str
    url: str
    status: int
    files: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] | None = None
    words: str | None = None  # must occur in the message (case-insensitive)


# -- building blocks (valid files, which each case then breaks) -------------------------------------


def _project(**extra: Any) -> dict[str, Any]:
    return {
        "projectnaam": "Nieuwbouw Laares",
        "partij": "Domijn",
        "type": "nieuwbouw",
        "woningen_erbij": 12,
        "startjaar": 2027,
        "eindjaar": 2028,
        "status": "idee",
        **extra,
    }


def _projects_gdf(geoms: list[Any], crs: str | None = "EPSG:28992") -> gpd.GeoDataFrame:
    rows = [_project(projectnaam=f"Project {i}") for i in range(len(geoms))]
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=crs)


def _gpkg_bytes(tmp: Path, gdf: gpd.GeoDataFrame, name: str = "projecten.gpkg") -> bytes:
    path = tmp / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf.to_file(path, layer="projecten")
    return path.read_bytes()


def _shapefile_parts(tmp: Path, gdf: gpd.GeoDataFrame, stem: str = "projecten") -> dict[str, bytes]:
    folder = tmp / f"shp-{stem}"
    folder.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf.to_file(folder / f"{stem}.shp")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _xlsx_good(tmp: Path, **project: Any) -> Path:
    frames = {"projecten": pd.DataFrame([_project(x=CENTRE[0], y=CENTRE[1], **project)])}
    return write_filled(tmp / "levering.xlsx", frames, partner="Domijn", period="2026-najaar")


def _rewrite_zip(path: Path, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes]) -> bytes:
    """The workbook's zip with members changed (None drops one) and members added."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
        for name, data in add.items():
            dst.writestr(name, data)
    return out.getvalue()


def _tiff(
    tmp: Path,
    *,
    width: int = 200,
    height: int = 200,
    transform: Affine | None = None,
    crs: str | None = "EPSG:28992",
    dtype: str = "float32",
    write: bool = True,
    **options: Any,
) -> bytes:
    path = tmp / "raster.tif"
    transform = transform or Affine(50.0, 0, 250_000, 0, -50.0, 477_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with rasterio.open(
            path,
            "w",
            driver="GTiff",
            width=width,
            height=height,
            count=1,
            dtype=dtype,
            crs=crs,
            transform=transform,
            **options,
        ) as ds:
            if write:
                ds.write(np.ones((height, width), dtype=dtype), 1)
    return path.read_bytes()


def _upload(name: str, data: bytes, *, form: dict[str, Any] | None = None, **kw: Any) -> Case:
    return Case("POST", "/api/partners/uploads", files={"bestand": (name, data)}, data=form, **kw)


def _raster(name: str, data: bytes, *, form: dict[str, Any] | None = None, **kw: Any) -> Case:
    return Case(
        "POST", "/api/partners/rasters", files={"bestand": (name, data)}, data=form or RASTER_FORM, **kw
    )


# -- the corpus -------------------------------------------------------------------------------------


def _zip_bomb(tmp: Path) -> Case:
    parts = _shapefile_parts(tmp, _projects_gdf([Point(*CENTRE)]))
    parts["projecten.dbf"] += b"\x00" * (160 * 1024 * 1024)  # 160 MB of zeros, ~160 kB compressed
    return _upload("bom.zip", _zip(parts), form=GIS_FORM, status=422, words="uitgepakt")


def _xlsx_bomb(tmp: Path) -> Case:
    padded = _rewrite_zip(_xlsx_good(tmp), lambda n, d: d, {"xl/media/vulsel.bin": b"\x00" * (160 * 2**20)})
    return _upload("levering.xlsx", padded, status=422, words="uitgepakt")


def _zip_many_members(tmp: Path) -> Case:
    members = {f"leeg/{i}.txt": b"" for i in range(500)}
    return _upload("veel.zip", _zip(members), form=GIS_FORM, status=422, words="bestanden")


def _zip_traversal(tmp: Path) -> Case:
    parts = _shapefile_parts(tmp, _projects_gdf([Point(*CENTRE)]))
    members = {f"../../{name}": data for name, data in parts.items()}
    return _upload("pad.zip", _zip(members), form=GIS_FORM, status=422, words="buiten het archief")


def _zip_in_zip(tmp: Path) -> Case:
    inner = _zip(_shapefile_parts(tmp, _projects_gdf([Point(*CENTRE)])))
    return _upload("dubbel.zip", _zip({"binnen.zip": inner}), form=GIS_FORM, status=422, words="pak dat")


def _too_many_features(tmp: Path) -> Case:
    feature = (
        '{"type":"Feature","properties":{"projectnaam":"p"},'
        '"geometry":{"type":"Point","coordinates":[6.89,52.22]}}'
    )
    body = '{"type":"FeatureCollection","features":[' + ",".join([feature] * 100_001) + "]}"
    return _upload("veel.geojson", body.encode(), form=GIS_FORM, status=422, words="100.000 objecten")


def _million_vertices(tmp: Path) -> Case:
    angles = np.linspace(0, 2 * np.pi, 1_000_000, endpoint=False)
    ring = np.column_stack([CENTRE[0] + 300 * np.cos(angles), CENTRE[1] + 300 * np.sin(angles)])
    gdf = _projects_gdf([Polygon(ring)])
    return _upload("plan.gpkg", _gpkg_bytes(tmp, gdf), form=GIS_FORM, status=422, words="hoekpunten")


def _long_wkt(tmp: Path) -> Case:
    angles = np.linspace(0, 2 * np.pi, 30_000, endpoint=False)
    coords = ", ".join(f"{CENTRE[0] + 200 * np.cos(a):.1f} {CENTRE[1] + 200 * np.sin(a):.1f}" for a in angles)
    wkt = f"POLYGON (({coords}, {CENTRE[0] + 200:.1f} {CENTRE[1]:.1f}))"
    head = "projectnaam;partij;type;startjaar;eindjaar;status;wkt\n"
    body = f'Groot;Domijn;nieuwbouw;2027;2028;idee;"{wkt}"\n'
    return _upload("plan.csv", (head + body).encode(), form=GIS_FORM, status=422, words="hoekpunten")


def _excel_too_many_rows(tmp: Path) -> Case:
    wb = Workbook(write_only=True)
    for title in ("levering", "bezit", "verkoop"):
        wb.create_sheet(title)
    ws = wb.create_sheet("projecten")
    ws.append(list(_project()))
    row = list(_project().values())
    for _ in range(100_001):
        ws.append(row)
    path = tmp / "rijen.xlsx"
    wb.save(path)
    return _upload("rijen.xlsx", path.read_bytes(), status=422, words="rijen")


def _excel_too_many_columns(tmp: Path) -> Case:
    wb = Workbook()
    wb.active.title = "levering"
    for title in ("bezit", "projecten", "verkoop"):
        wb.create_sheet(title)
    wb["projecten"].cell(row=1, column=250, value="extra")
    path = tmp / "kolommen.xlsx"
    wb.save(path)
    return _upload("kolommen.xlsx", path.read_bytes(), status=422, words="250 kolommen")


def _raster_too_many_cells(tmp: Path) -> Case:
    # 0.1 m cells over all of Enschede: 150,000 × 130,000 cells, a sparse file of a few MB
    data = _tiff(
        tmp,
        width=150_000,
        height=130_000,
        transform=Affine(0.1, 0, 250_000, 0, -0.1, 480_000),
        write=False,
        tiled=True,
        compress="deflate",
        sparse_ok=True,
    )
    return _raster("fijn.tif", data, status=422, words="cellen")


def _raster_one_huge_strip(tmp: Path) -> Case:
    data = _tiff(tmp, width=5000, height=5000, compress="deflate", blockysize=5000)
    return _raster("strook.tif", data, status=422, words="blokken")


def _raster_without_crs(tmp: Path) -> Case:
    return _raster("zonder-crs.tif", _tiff(tmp, crs=None), status=422, words="coördinatenstelsel")


def _raster_rotated(tmp: Path) -> Case:
    data = _tiff(tmp, transform=Affine(50.0, 5.0, 250_000, 5.0, -50.0, 477_000))
    return _raster("gedraaid.tif", data, status=422, words="noord")


def _raster_is_vrt(tmp: Path) -> Case:
    vrt = (
        '<VRTDataset rasterXSize="10" rasterYSize="10"><VRTRasterBand dataType="Byte" band="1">'
        "<SimpleSource><SourceFilename>/etc/passwd</SourceFilename></SimpleSource>"
        "</VRTRasterBand></VRTDataset>"
    )
    return _raster("stiekem.tif", vrt.encode(), status=422, words="XML-tekst")


def _raster_truncated(tmp: Path) -> Case:
    path = tmp / "ruis.tif"
    noise = np.random.default_rng(7).random((600, 600)).astype("float32")  # does not compress
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=600,
        height=600,
        count=1,
        dtype="float32",
        crs="EPSG:28992",
        transform=Affine(50.0, 0, 250_000, 0, -50.0, 477_000),
        tiled=True,
    ) as ds:
        ds.write(noise, 1)
    data = path.read_bytes()
    return _raster("afgebroken.tif", data[: len(data) // 5], status=422, words="beschadigd")


def _raster_complex(tmp: Path) -> Case:
    return _raster("complex.tif", _tiff(tmp, dtype="complex64"), status=422, words="type")


def _raster_nan_threshold(tmp: Path) -> Case:
    return _raster(
        "hitte.tif", _tiff(tmp), form={**RASTER_FORM, "drempel": "NaN"}, status=422, words="eindig"
    )


def _raster_label_with_nul(tmp: Path) -> Case:
    form = {**RASTER_FORM, "label": "Hit\x00te"}
    return _raster("hitte.tif", _tiff(tmp), form=form, status=422, words="stuurtekens")


def _utf16_without_bom(tmp: Path) -> Case:
    body = HEAD + "A;Domijn;nieuwbouw;2027;2028;idee;257000;471000\n"
    return _upload("utf16.csv", body.encode("utf-16-le"), form=GIS_FORM, status=422, words="NUL")


def _geojson_bad_utf8(tmp: Path) -> Case:
    data = _projects_gdf([Point(*CENTRE)]).to_json().encode().replace(b"Project 0", b"Proj\xff\xfe\xfdect")
    return _upload("latin.geojson", data, form=GIS_FORM, status=422)


def _csv_bad_decimal(tmp: Path) -> Case:
    head = "projectnaam;partij;type;startjaar;eindjaar;status;x;y\n"
    body = "A;Domijn;nieuwbouw;2027;2028;idee;257.000,5,3;471000\n"
    return _upload(
        "komma.csv", ("\ufeff" + head + body).encode(), form=GIS_FORM, status=422, words="kolom 'x'"
    )


def _formula_cell(tmp: Path) -> Case:
    """A live formula where a project name belongs (its value is only known to Excel)."""
    path = _xlsx_good(tmp)
    wb = load_workbook(path)
    wb["projecten"]["A2"] = '=HYPERLINK("http://example.invalid","klik")'
    wb.save(path)
    assert b"<f>" in zipfile.ZipFile(path).read("xl/worksheets/sheet5.xml")
    return _upload("formule.xlsx", path.read_bytes(), status=422, words="projectnaam")


def _template_partner_control(tmp: Path) -> Case:
    return Case("GET", "/api/partners/template", 422, params={"partner": "Dom\x07ijn"}, words="stuurtekens")


def _template_partner_too_long(tmp: Path) -> Case:
    return Case("GET", "/api/partners/template", 422, params={"partner": "D" * 300}, words="te lang")


def _template_bad_period(tmp: Path) -> Case:
    return Case("GET", "/api/partners/template", 422, params={"periode": "2026-zomer"}, words="periode")


def _xlsm(tmp: Path) -> Case:
    return _upload("levering.xlsm", _xlsx_good(tmp).read_bytes(), status=422, words="macro")


def _xlsx_with_vba(tmp: Path) -> Case:
    data = _rewrite_zip(
        _xlsx_good(tmp), lambda n, d: d, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512}
    )
    return _upload("levering.xlsx", data, status=422, words="macro")


def _xlsx_with_dtd(tmp: Path) -> Case:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    )

    def with_dtd(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet5.xml":
            return data
        return laughs + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)

    return _upload("levering.xlsx", _rewrite_zip(_xlsx_good(tmp), with_dtd, {}), status=422, words="DTD")


def _xlsb(tmp: Path) -> Case:
    return _upload("levering.xlsb", b"PK\x03\x04binary workbook", status=422, words="macro")


def _xls(tmp: Path) -> Case:
    return _upload(
        "levering.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, status=422, words=".xls"
    )


def _multipart(filename: bytes, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A multipart body written byte for byte (clients escape what a hostile one sends as is)."""
    body = (
        b'--grens\r\nContent-Disposition: form-data; name="bestand"; filename="'
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data
        + b"\r\n--grens--\r\n"
    )
    return body, {"content-type": "multipart/form-data; boundary=grens"}


def _filename_with_nul(tmp: Path) -> Case:
    body, headers = _multipart(b"leve\x00ring.xlsx", _xlsx_good(tmp).read_bytes())
    return Case("POST", "/api/partners/uploads", 422, content=body, headers=headers, words="stuurtekens")


def _filename_300_chars(tmp: Path) -> Case:
    return _upload("a" * 295 + ".xlsx", _xlsx_good(tmp).read_bytes(), status=422, words="300 tekens")


def _partner_field_with_nul(tmp: Path) -> Case:
    form = {**GIS_FORM, "partner": "Dom\x00ijn"}
    return _upload("p.gpkg", _gpkg_bytes(tmp, _projects_gdf([Point(*CENTRE)])), form=form, status=422)


def _control_character_in_property(tmp: Path) -> Case:
    gdf = _projects_gdf([Point(*CENTRE)])
    gdf.loc[0, "projectnaam"] = "Pro\x01ject"
    data = gdf.to_json().encode()
    return _upload("stuur.geojson", data, form=GIS_FORM, status=422, words="stuurtekens")


def _nan_in_csv(tmp: Path) -> Case:
    body = HEAD + "A;Domijn;nieuwbouw;2027;2028;idee;NaN;inf\n"
    return _upload("nan.csv", body.encode(), form=GIS_FORM, status=422, words="geen getal")


def _nan_coordinates(tmp: Path) -> Case:
    body = (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        + json.dumps(_project())
        + ',"geometry":{"type":"Point","coordinates":[NaN, Infinity]}}]}'
    )
    return _upload("nan.geojson", body.encode(), form=GIS_FORM, status=422)


def _json_nan(tmp: Path) -> Case:
    body = b'{"gewichten": {"lbm_score": NaN}}'
    return Case("POST", "/api/scores", 422, content=body, headers=JSON, words="NaN")


def _json_infinity(tmp: Path) -> Case:
    body = b'{"naam": "x", "auteur": "y", "gewichten": {"lbm_score": -Infinity}}'
    return Case("POST", "/api/scenarios", 422, content=body, headers=JSON)


def _json_overflow(tmp: Path) -> Case:
    body = b'{"gewichten": {"lbm_score": 1e999}}'
    return Case(
        "POST",
        "/api/scores",
        422,
        content=body,
        headers=JSON,
        words="te groot",
    )


def _json_wrong_type(tmp: Path) -> Case:
    return Case("POST", "/api/scores", 422, content=b'{"top_n": "veel"}', headers=JSON)


def _json_truncated(tmp: Path) -> Case:
    return Case(
        "POST",
        "/api/scores",
        422,
        content=b'{"top_n": 5, "gewi',
        headers=JSON,
    )


def _json_too_large(tmp: Path) -> Case:
    body = json.dumps({"naam": "x" * (2 * 1024 * 1024)}).encode()
    return Case(
        "POST",
        "/api/scenarios",
        413,
        content=body,
        headers=JSON,
        words="1 MB",
    )


def _upload_too_large(tmp: Path) -> Case:
    return _upload(
        "groot.gpkg", b"SQLite format 3\x00" + b"\x00" * (51 * 1024 * 1024), form=GIS_FORM, status=413
    )


def _far_away_coordinates(tmp: Path) -> Case:
    gdf = _projects_gdf([Point(1e300, 1e300)])
    return _upload("ver.geojson", gdf.to_json().encode(), form=GIS_FORM, status=422, words="Nederland")


def _gpkg_not_sqlite(tmp: Path) -> Case:
    return _upload(
        "nep.gpkg", b"dit is geen GeoPackage maar tekst\n" * 10, form=GIS_FORM, status=422, words="SQLite"
    )


def _geojson_is_png(tmp: Path) -> Case:
    return _upload(
        "plaatje.geojson", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, form=GIS_FORM, status=422, words="GeoJSON"
    )


def _pdf_as_xlsx(tmp: Path) -> Case:
    return _upload("levering.xlsx", b"%PDF-1.7\n" + b"x" * 100, status=422, words="PDF")


def _unknown_suffix(tmp: Path) -> Case:
    return _upload("levering.exe", b"MZ" + b"\x00" * 100, form=GIS_FORM, status=422, words="niet ondersteund")


def _lines_as_projects(tmp: Path) -> Case:
    gdf = _projects_gdf([LineString([CENTRE, (CENTRE[0] + 100, CENTRE[1] + 50)])])
    return _upload("lijnen.gpkg", _gpkg_bytes(tmp, gdf), form=GIS_FORM, status=422, words="LineString")


def _missing_file_field(tmp: Path) -> Case:
    return Case("POST", "/api/partners/uploads", 422, data=GIS_FORM, words="bestand")


def _not_multipart(tmp: Path) -> Case:
    return Case(
        "POST", "/api/partners/uploads", 422, content=b"just text", headers={"content-type": "text/plain"}
    )


def _broken_multipart(tmp: Path) -> Case:
    return Case(
        "POST",
        "/api/partners/uploads",
        400,
        content=b'--grens\r\nContent-Disposition: form-data; name="bestand"; filename="a.csv"\r\n\r\nabc',
        headers={"content-type": "multipart/form-data"},
    )


def _truncated_zip(tmp: Path) -> Case:
    data = _zip(_shapefile_parts(tmp, _projects_gdf([Point(*CENTRE)])))
    return _upload("afgebroken.zip", data[: len(data) // 2], form=GIS_FORM, status=422, words="zip")


def _truncated_gpkg(tmp: Path) -> Case:
    data = _gpkg_bytes(tmp, _projects_gdf([Point(*CENTRE)]))
    return _upload("afgebroken.gpkg", data[:8192], form=GIS_FORM, status=422, words="GeoPackage")


def _truncated_xlsx(tmp: Path) -> Case:
    data = _xlsx_good(tmp).read_bytes()
    return _upload("afgebroken.xlsx", data[: len(data) // 2], status=422)


def _truncated_geojson(tmp: Path) -> Case:
    data = _projects_gdf([Point(*CENTRE)]).to_json().encode()
    return _upload("afgebroken.geojson", data[:-40], form=GIS_FORM, status=422, words="GeoJSON")


def _shp_without_dbf(tmp: Path) -> Case:
    parts = _shapefile_parts(tmp, _projects_gdf([Point(*CENTRE)]))
    parts.pop("projecten.dbf")
    return _upload("zonder-dbf.zip", _zip(parts), form=GIS_FORM, status=422, words=".dbf")


def _prj_without_projection(tmp: Path) -> Case:
    parts = _shapefile_parts(tmp, _projects_gdf([Point(*CENTRE)]))
    parts["projecten.prj"] = (
        b'PROJCS["RD_New",GEOGCS["GCS_Amersfoort",DATUM["D_Amersfoort",SPHEROID["Bessel_1841",'
        b'6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
        b'UNIT["Meter",1.0]]'
    )
    return _upload("zonder-projectie.zip", _zip(parts), form=GIS_FORM, status=422, words=".prj")


def _cross_origin_form(tmp: Path) -> Case:
    return _upload(
        "levering.xlsx",
        _xlsx_good(tmp).read_bytes(),
        status=403,
        headers={"origin": "https://kwaadaardig.example"},
        words="andere website",
    )


def _empty_file(tmp: Path) -> Case:
    return _upload("leeg.geojson", b"", form=GIS_FORM, status=422, words="leeg")


def _bad_layer_option(tmp: Path) -> Case:
    form = {**GIS_FORM, "laag": "bezit'; DROP TABLE leveringen; --"}
    return _upload("p.gpkg", _gpkg_bytes(tmp, _projects_gdf([Point(*CENTRE)])), form=form, status=422)


CASES: dict[str, Callable[[Path], Case]] = {
    "zip-bom": _zip_bomb,
    "xlsx-bom": _xlsx_bomb,
    "zip-500-bestanden": _zip_many_members,
    "zip-pad-buiten-archief": _zip_traversal,
    "zip-in-zip": _zip_in_zip,
    "100001-objecten": _too_many_features,
    "polygoon-1M-hoekpunten": _million_vertices,
    "wkt-30000-hoekpunten": _long_wkt,
    "excel-100001-rijen": _excel_too_many_rows,
    "excel-250-kolommen": _excel_too_many_columns,
    "raster-te-veel-cellen": _raster_too_many_cells,
    "raster-een-reuzenstrook": _raster_one_huge_strip,
    "geotiff-zonder-crs": _raster_without_crs,
    "raster-gedraaid": _raster_rotated,
    "raster-is-vrt": _raster_is_vrt,
    "raster-afgebroken": _raster_truncated,
    "raster-complexe-getallen": _raster_complex,
    "raster-drempel-nan": _raster_nan_threshold,
    "raster-label-nul": _raster_label_with_nul,
    "csv-utf16-zonder-bom": _utf16_without_bom,
    "geojson-ongeldig-utf8": _geojson_bad_utf8,
    "csv-bom-kapot-decimaal": _csv_bad_decimal,
    "excel-formule": _formula_cell,
    "sjabloon-partner-stuurteken": _template_partner_control,
    "sjabloon-partner-300-tekens": _template_partner_too_long,
    "sjabloon-periode-ongeldig": _template_bad_period,
    "xlsm": _xlsm,
    "xlsx-met-vba": _xlsx_with_vba,
    "xlsx-met-dtd": _xlsx_with_dtd,
    "xlsb": _xlsb,
    "xls": _xls,
    "bestandsnaam-nul": _filename_with_nul,
    "bestandsnaam-300-tekens": _filename_300_chars,
    "formulier-partner-nul": _partner_field_with_nul,
    "geojson-stuurteken": _control_character_in_property,
    "csv-nan-inf": _nan_in_csv,
    "geojson-nan-coordinaten": _nan_coordinates,
    "json-nan": _json_nan,
    "json-infinity": _json_infinity,
    "json-1e999": _json_overflow,
    "json-verkeerd-type": _json_wrong_type,
    "json-afgebroken": _json_truncated,
    "json-2MB": _json_too_large,
    "upload-51MB": _upload_too_large,
    "coordinaten-1e300": _far_away_coordinates,
    "gpkg-geen-sqlite": _gpkg_not_sqlite,
    "geojson-is-png": _geojson_is_png,
    "pdf-als-xlsx": _pdf_as_xlsx,
    "onbekende-extensie": _unknown_suffix,
    "lijnen-als-projecten": _lines_as_projects,
    "geen-bestand": _missing_file_field,
    "geen-multipart": _not_multipart,
    "multipart-kapot": _broken_multipart,
    "zip-afgebroken": _truncated_zip,
    "gpkg-afgebroken": _truncated_gpkg,
    "xlsx-afgebroken": _truncated_xlsx,
    "geojson-afgebroken": _truncated_geojson,
    "shapefile-zonder-dbf": _shp_without_dbf,
    "prj-zonder-projectie": _prj_without_projection,
    "formulier-andere-website": _cross_origin_form,
    "leeg-bestand": _empty_file,
    "laag-sql": _bad_layer_option,
}


@pytest.fixture(scope="module")
def client(cluster: LocalCluster, loaded_url: str) -> Iterator[TestClient]:
    url = _create_db(cluster, "sia_malformed", template="sia_loaded")
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        c.app.state.test_url = url  # type: ignore[attr-defined]
        sign_in(c, url, rol="beheerder")  # delivers for any organisation of the gemeente
        yield c


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES}
    engine.dispose()
    return out


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_malformed_input_is_refused(client: TestClient, tmp_path: Path, make: Callable[[Path], Case]) -> None:
    case = make(tmp_path)
    url = client.app.state.test_url  # type: ignore[attr-defined]
    before = _counts(url)
    res = client.request(
        case.method,
        case.url,
        files=case.files,
        data=case.data,
        content=case.content,
        headers=case.headers,
        params=case.params,
    )
    assert res.status_code == case.status, res.text[:500]
    body = res.json()
    assert_dutch_body(body)
    if case.words:
        assert case.words.lower() in res.text.lower(), body["melding"]
    assert len(res.content) < 20_000, "an answer never echoes a large body back"
    assert _counts(url) == before, "nothing is stored"
    health = client.get("/api/health")
    assert health.status_code == 200 and health.json()["buurten"] == 70


def test_corpus_size() -> None:
    assert len(CASES) >= 40


def test_a_good_file_passes_the_same_route(client: TestClient, tmp_path: Path) -> None:
    """The corpus is refused for what is wrong with it, not because the route refuses everything."""
    url = client.app.state.test_url  # type: ignore[attr-defined]
    before = _counts(url)
    gdf = _projects_gdf([box(CENTRE[0], CENTRE[1], CENTRE[0] + 50, CENTRE[1] + 50)])
    res = client.post(
        "/api/partners/uploads",
        files={"bestand": ("projecten.gpkg", _gpkg_bytes(tmp_path, gdf))},
        data=GIS_FORM,
    )
    assert res.status_code == 201, res.text
    assert _counts(url)["projecten"] == before["projecten"] + 1
    raster = client.post(
        "/api/partners/rasters", files={"bestand": ("hitte.tif", _tiff(tmp_path))}, data=RASTER_FORM
    )
    assert raster.status_code == 201, raster.text
