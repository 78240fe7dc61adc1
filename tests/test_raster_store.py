"""Raster indicators in PostGIS: per-buurt statistics, versions, rejections, API and indicator table."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from fastapi.testclient import TestClient
from rasterio.features import rasterize
from sqlalchemy import Engine, text

from api.main import create_app
from api.settings import Settings
from layers import queries
from layers.access import Principal, connect_as
from layers.cbs import prepare_buurten, store_buurten
from layers.db.roles import app_engine
from layers.partners.synthetic import load_buurten
from layers.raster_store import raster_deliveries, raster_values, store_raster
from sia.errors import InvalidUpload
from tests.signin import sign_in

pytestmark = pytest.mark.postgis
CELL = 20.0
PERIOD = "2026-najaar"


@pytest.fixture(scope="module")
def buurten(enschede_buurten: Path) -> gpd.GeoDataFrame:
    return load_buurten(enschede_buurten).sort_values("buurtcode").reset_index(drop=True)


def _burn(
    path: Path,
    buurten: gpd.GeoDataFrame,
    values: np.ndarray,
    *,
    crs: str | None = "EPSG:28992",
    shift: float = 0.0,
) -> Path:
    """A GeoTIFF in which every cell whose centre lies in buurt i has values[i]; nodata elsewhere."""
    minx, miny, maxx, maxy = buurten.total_bounds
    width, height = int(np.ceil((maxx - minx) / CELL)), int(np.ceil((maxy - miny) / CELL))
    transform = Affine(CELL, 0.0, minx + shift, 0.0, -CELL, maxy)  # from_origin warns (affine 3.x)
    with warnings.catch_warnings():  # rasterio's rasterize still multiplies Affines with `*`
        warnings.filterwarnings("ignore", "Use `@` matmul", PendingDeprecationWarning)
        grid = rasterize(
            zip(buurten.geometry.translate(shift), values, strict=True),
            out_shape=(height, width),
            transform=transform,
            fill=-9999.0,
            dtype="float64",
        )
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float64",
        crs=crs,
        transform=transform,
        nodata=-9999.0,
    ) as ds:
        ds.write(grid, 1)
    return path


def _store(engine: Engine, path: Path, **kw: object) -> object:
    args = {
        "gemeente": "GM0153",
        "indicator": "groen",
        "label": "Aandeel groen",
        "periode": PERIOD,
        "partner": "Gemeente Enschede",
        "eenheid": "%",
        "drempel": 35.5,
    }
    args.update(kw)
    with engine.begin() as conn:
        return store_raster(conn, path, **args)  # type: ignore[arg-type]


def _count(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM raster_leveringen")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM raster_statistieken")).scalar_one(),
        )


def _table(conn: Any, gemeente: str) -> dict[str, Any]:
    """The indicator table through the one read path (layers.indicators)."""
    from layers.indicators import read_table

    table = read_table(conn, gemeente=gemeente)
    return {"indicatoren": table.indicatoren, "rijen": table.records()}


def test_per_buurt_values_and_indicator_table(
    engine: Engine, buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    values = np.arange(len(buurten), dtype="float64")  # buurt i has value i in all its cells
    stored = _store(engine, _burn(tmp_path / "groen.tif", buurten, values))
    assert stored.versie == 1 and not stored.unchanged  # type: ignore[attr-defined]
    with engine.connect() as conn:
        got = raster_values(conn, PERIOD)
        table = _table(conn, "GM0153")
        fields = {f.id: f for _, f in queries.all_indicator_fields(conn)}
    codes = buurten["buurtcode"].tolist()
    with_cells = [c for c in codes if got[c]["groen"] is not None]
    assert len(with_cells) >= len(codes) - 2  # slivers may hold no cell centre at 20 m
    for i, code in enumerate(codes):
        if got[code]["groen"] is None:
            continue
        assert got[code]["groen"] == pytest.approx(values[i])
        assert got[code]["groen_aandeel"] == (100.0 if values[i] > 35.5 else 0.0)
    rows = {r["buurtcode"]: r for r in table["rijen"]}
    assert "groen" in table["indicatoren"] and "groen_aandeel" in table["indicatoren"]
    assert rows[codes[10]]["groen"] == pytest.approx(10.0)
    assert fields["groen"].label == "Aandeel groen" and fields["groen_aandeel"].unit == "%"
    assert "35.5" in fields["groen_aandeel"].label


def test_new_version_keeps_the_old_one(engine: Engine, buurten: gpd.GeoDataFrame, tmp_path: Path) -> None:
    first = _burn(tmp_path / "v1.tif", buurten, np.full(len(buurten), 30.0))
    second = _burn(tmp_path / "v2.tif", buurten, np.full(len(buurten), 40.0))
    _store(engine, first)
    again = _store(engine, first)
    assert again.unchanged and again.versie == 1  # type: ignore[attr-defined]
    v2 = _store(engine, second)
    assert v2.versie == 2 and v2.vervangen is not None  # type: ignore[attr-defined]
    with engine.connect() as conn:
        current = raster_values(conn, PERIOD)
        old = conn.execute(
            text(
                "SELECT avg(s.gemiddelde) FROM raster_statistieken s JOIN raster_leveringen r "
                "ON r.id = s.raster_levering_id WHERE r.versie = 1 AND NOT r.actief"
            )
        ).scalar_one()
    assert {v["groen"] for v in current.values() if v["groen"] is not None} == {40.0}
    assert old == pytest.approx(30.0)  # the earlier version is still retrievable


def _not_a_raster(tmp: Path, _b: gpd.GeoDataFrame) -> Path:
    p = tmp / "kaart.tif"
    p.write_text("dit is geen raster")
    return p


def _empty(tmp: Path, _b: gpd.GeoDataFrame) -> Path:
    p = tmp / "leeg.tif"
    p.write_bytes(b"")
    return p


@pytest.mark.parametrize(
    ("make", "kw", "words"),
    [
        (_not_a_raster, {}, "kan niet als raster"),
        (_empty, {}, "leeg"),
        (lambda t, b: _burn(t / "geen_crs.tif", b, np.ones(len(b)), crs=None), {}, "coördinatenstelsel"),
        (lambda t, b: _burn(t / "ver.tif", b, np.ones(len(b)), shift=80_000), {}, "overlapt geen"),
        (lambda t, b: _burn(t / "ok.tif", b, np.ones(len(b))), {"indicator": "Groen!"}, "indicatornaam"),
        (lambda t, b: _burn(t / "ok.tif", b, np.ones(len(b))), {"indicator": "lbm_score"}, "al een vaste"),
        (lambda t, b: _burn(t / "ok.tif", b, np.ones(len(b))), {"periode": "2026-zomer"}, "periode"),
        (lambda t, b: _burn(t / "ok.tif", b, np.ones(len(b))), {"label": " "}, "label"),
        (lambda t, b: _burn(t / "ok.tif", b, np.ones(len(b))), {"band": 2}, "band 2 bestaat niet"),
    ],
)
def test_bad_rasters_store_nothing(
    engine: Engine, buurten: gpd.GeoDataFrame, tmp_path: Path, make: object, kw: dict[str, object], words: str
) -> None:
    path = make(tmp_path, buurten)  # type: ignore[operator]
    with pytest.raises(InvalidUpload) as err:
        _store(engine, path, **kw)
    assert words in str(err.value)
    assert err.value.details and err.value.details[0]["bestand"] == path.name
    assert _count(engine) == (0, 0)


def test_api_upload_list_and_catalogue(
    db_url: str, engine: Engine, buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = _burn(tmp_path / "hitte.tif", buurten, np.linspace(25, 40, len(buurten)))
    with TestClient(create_app(Settings(database_url=db_url, gemeente="GM0153"))) as client:
        sign_in(client, db_url, slug="gemeente", rol="planner")
        form = {
            "indicator": "hitte",
            "label": "Hittestress",
            "periode": PERIOD,
            "partner": "Gemeente Enschede",
            "eenheid": "°C",
            "drempel": "32",
        }
        with path.open("rb") as fh:
            res = client.post(
                "/api/partners/rasters", data=form, files={"bestand": ("hitte.tif", fh, "image/tiff")}
            )
        assert res.status_code == 201, res.text
        assert res.json()["versie"] == 1 and res.json()["buurten_met_waarde"] >= 68
        assert res.json()["vertrouwelijkheid"] == "openbaar"  # the form's default: open, unless
        bad = client.post(
            "/api/partners/rasters",
            data={**form, "indicator": "lbm_score"},
            files={"bestand": ("hitte.tif", path.read_bytes(), "image/tiff")},
        )
        assert bad.status_code == 422 and "vaste indicator" in bad.json()["melding"]
        listed = client.get("/api/partners/rasters").json()
        assert [(r["indicator"], r["versie"], r["actief"]) for r in listed] == [("hitte", 1, True)]
        indicators = {i["id"]: i for i in client.get("/api/indicators").json()}
        assert indicators["hitte"]["layer"] == "raster" and not indicators["hitte"]["synthetic"]
        layer = client.get("/api/layers/raster").json()
        assert layer["years"] == [PERIOD] and [f["id"] for f in layer["fields"]] == ["hitte", "hitte_aandeel"]
        feats = client.get("/api/layers/raster/features").json()["features"]
        assert len(feats) == 70
        values = [f["properties"]["hitte"] for f in feats if f["properties"]["hitte"] is not None]
        assert min(values) >= 25 and max(values) <= 40 and len(set(values)) > 60


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (None, False),  # the public
        (("ons_huis", "planner"), False),  # another organisation
        (("gemeente", "lezer"), True),  # the delivering organisation
    ],
)
def test_confidential_raster_stays_off_the_public_map(
    engine: Engine, app_db_url: str, buurten: gpd.GeoDataFrame, tmp_path: Path, who: Any, sees: bool
) -> None:
    """An `eigen` raster (and its figures per buurt) is read by its own organisation only, through
    the application role; the owner stores both (row-level security, migration 0008)."""
    path = _burn(tmp_path / "eigen.tif", buurten, np.full(len(buurten), 30.0))
    _store(engine, path, vertrouwelijkheid="eigen")
    _store(engine, path, indicator="open", vertrouwelijkheid="openbaar")
    app = app_engine(app_database_url=app_db_url, database_url=None)
    principal = Principal()
    if who is not None:
        with engine.connect() as conn:
            org = conn.execute(
                text("SELECT id FROM organisaties WHERE slug = :s"), {"s": who[0]}
            ).scalar_one()
        principal = Principal(gebruiker_id=1, organisatie_id=org, gemeente="GM0153", rol=who[1])
    try:
        with connect_as(app, principal) as conn:
            ids = [f.id for _, f in queries.all_indicator_fields(conn)]
            table = _table(conn, "GM0153")
            listed = {r["indicator"] for r in raster_deliveries(conn)}
    finally:
        app.dispose()
    assert "open" in ids and ("groen" in ids) is sees
    assert "open" in table["indicatoren"] and ("groen" in table["indicatoren"]) is sees
    assert listed == ({"open", "groen"} if sees else {"open"})  # its metadata too
    assert _count(engine)[0] == 2  # stored, only not shown


def test_rejected_raster_leaves_the_active_version(
    engine: Engine, buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    _store(engine, _burn(tmp_path / "v1.tif", buurten, np.full(len(buurten), 30.0)))
    before = _count(engine)
    far = _burn(tmp_path / "ver.tif", buurten, np.full(len(buurten), 40.0), shift=80_000)
    with pytest.raises(InvalidUpload):
        _store(engine, far)
    assert _count(engine) == before
    with engine.connect() as conn:
        values = {v["groen"] for v in raster_values(conn, PERIOD).values() if v["groen"] is not None}
        active = conn.execute(text("SELECT versie FROM raster_leveringen WHERE actief")).scalars().all()
    assert values == {30.0} and active == [1]


def test_same_indicator_for_two_gemeenten(
    engine: Engine, buurten: gpd.GeoDataFrame, tmp_path: Path, data_dir: Path
) -> None:
    """A raster loaded for a second gemeente does not switch off the first one's."""
    with engine.begin() as conn:
        store_buurten(
            conn,
            prepare_buurten(
                data_dir / "national" / "lbm2024_buurten_nl.gpkg", gemeenten=["GM0158"], year=2021
            ),
        )  # Haaksbergen
        haaksbergen = gpd.read_postgis(
            text("SELECT buurtcode, geom FROM buurten WHERE gemeentecode = 'GM0158'"), conn, geom_col="geom"
        )
    both = pd.concat([buurten[["buurtcode", "geometry"]], haaksbergen.rename_geometry("geometry")])
    path = _burn(tmp_path / "regio.tif", gpd.GeoDataFrame(both, crs=28992), np.full(len(both), 25.0))
    _store(engine, path)
    _store(engine, path, gemeente="GM0158")
    with engine.connect() as conn:
        active = conn.execute(
            text("SELECT gemeente FROM raster_leveringen WHERE actief ORDER BY 1")
        ).scalars()
        assert list(active) == ["GM0153", "GM0158"]
        enschede = _table(conn, "GM0153")["rijen"]
        other = _table(conn, "GM0158")["rijen"]
    assert sum(r["groen"] is not None for r in enschede) >= 68
    assert sum(r["groen"] is not None for r in other) >= len(other) - 2 > 5
