"""Loading into a real PostGIS: idempotent reloads, years kept side by side, all or nothing."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from layers.cbs import prepare_buurten, store_buurten
from layers.db.engine import alembic_config, current_revision, make_engine
from layers.leefbaarometer import prepare_leefbaarometer, store_leefbaarometer
from sia.errors import InvalidUpload

pytestmark = pytest.mark.postgis


@pytest.fixture
def engine(db_url: str) -> Engine:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("buurten", "wijken", "leefbaarometer", "load_log")
        }


def test_schema_is_migrated_with_postgis(db_url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    assert head and current_revision(db_url) == head  # the newest migration, not just any
    eng = make_engine(db_url)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT postgis_lib_version()")).scalar()
        srid = conn.execute(text("SELECT Find_SRID('public', 'buurten', 'geom')")).scalar()
    eng.dispose()
    assert srid == 28992


def test_load_buurten_and_derive_wijken(engine: Engine, enschede_buurten: Path) -> None:
    with engine.begin() as conn:
        result = store_buurten(conn, prepare_buurten(enschede_buurten))
    assert result.rows == 70 and not result.unchanged
    with engine.connect() as conn:
        inw = conn.execute(text("SELECT sum(aantal_inwoners) FROM buurten")).scalar_one()
        wijken = conn.execute(
            text(
                "SELECT count(*), sum(aantal_inwoners), sum(n_buurten), "
                "sum(ST_Area(geom)) / 10000 FROM wijken WHERE jaar = 2021"
            )
        ).one()
        buurt_area = conn.execute(text("SELECT sum(ST_Area(geom)) / 10000 FROM buurten")).scalar()
        valid = conn.execute(text("SELECT bool_and(ST_IsValid(geom)) FROM buurten")).scalar()
    assert inw == 159_655
    assert wijken[0] == 10 and wijken[1] == 159_655 and wijken[2] == 70
    assert wijken[3] == pytest.approx(buurt_area, rel=1e-6)
    assert buurt_area == pytest.approx(14_272, abs=1)  # PROVENANCE.md: geometry area 14,272 ha
    assert valid


def test_reload_changes_nothing(engine: Engine, enschede_buurten: Path) -> None:
    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
    with engine.connect() as conn:
        before = conn.execute(
            text("SELECT id, load_id, md5(ST_AsBinary(geom)::text) FROM buurten ORDER BY id")
        ).all()
    counts = _counts(engine)
    with engine.begin() as conn:
        again = store_buurten(conn, prepare_buurten(enschede_buurten))
    assert again.unchanged and again.rows == 0
    assert _counts(engine) == counts
    with engine.connect() as conn:
        after = conn.execute(
            text("SELECT id, load_id, md5(ST_AsBinary(geom)::text) FROM buurten ORDER BY id")
        ).all()
    assert after == before


def test_another_year_is_kept_beside_the_first(
    engine: Engine, enschede_buurten: Path, tmp_path: Path
) -> None:
    gdf = gpd.read_file(enschede_buurten)
    gdf["jaar"] = 2022
    gdf["aantal_inwoners"] = gdf["aantal_inwoners"] + 1
    other = tmp_path / "buurten_2022.gpkg"
    gdf.to_file(other)
    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
        store_buurten(conn, prepare_buurten(other))
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT jaar, sum(aantal_inwoners) FROM buurten GROUP BY jaar")).all())
        wijk_years = conn.execute(text("SELECT count(DISTINCT jaar) FROM wijken")).scalar()
    assert rows == {2021: 159_655, 2022: 159_655 + 70}
    assert wijk_years == 2


def test_rejected_file_stores_nothing(engine: Engine, enschede_buurten: Path, tmp_path: Path) -> None:
    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
    counts = _counts(engine)
    gdf = gpd.read_file(enschede_buurten)
    gdf.loc[5, "buurtcode"] = gdf.loc[4, "buurtcode"]
    bad = tmp_path / "dubbel.gpkg"
    gdf.to_file(bad)
    with pytest.raises(InvalidUpload):
        prepare_buurten(bad)
    assert _counts(engine) == counts


def test_failure_while_storing_rolls_back(engine: Engine, enschede_buurten: Path) -> None:
    """A database error halfway through a load leaves no partial rows and no log entry."""
    prepared = prepare_buurten(enschede_buurten)
    prepared.frame.loc[prepared.frame.index[-1], "wijkcode"] = "WIJK?"  # violates the CHECK
    with pytest.raises(IntegrityError), engine.begin() as conn:
        store_buurten(conn, prepared)
    assert _counts(engine) == {"buurten": 0, "wijken": 0, "leefbaarometer": 0, "load_log": 0}


def test_leefbaarometer_reports_buurten_without_score(
    engine: Engine, enschede_buurten: Path, enschede_lbm: Path
) -> None:
    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
        result = store_leefbaarometer(conn, prepare_leefbaarometer(enschede_lbm))
    assert result.rows == 65
    report = " ".join(result.messages)
    assert "5 buurten zonder Leefbaarometer-score" in report
    for code in ("BU01530105", "BU01530106", "BU01530701", "BU01530702", "BU01530703"):
        assert code in report
    with engine.connect() as conn:
        logged = conn.execute(text("SELECT report FROM load_log WHERE layer = 'leefbaarometer'"))
        assert len(logged.scalar_one()["zonder_score"]) == 5
    with engine.begin() as conn:
        assert store_leefbaarometer(conn, prepare_leefbaarometer(enschede_lbm)).unchanged


def test_other_gemeente_from_national_file(engine: Engine, data_dir: Path) -> None:
    """Nothing is specific to Enschede: Utrecht (GM0344) loads the same way."""
    national = data_dir / "national" / "lbm2024_buurten_nl.gpkg"
    with engine.begin() as conn:
        b = store_buurten(conn, prepare_buurten(national, gemeenten=["GM0344"], year=2024))
        lbm = store_leefbaarometer(conn, prepare_leefbaarometer(national), gemeenten=["GM0344"])
    assert b.rows > 50 and lbm.rows == b.rows
    with engine.connect() as conn:
        gms = conn.execute(text("SELECT DISTINCT gemeentecode FROM buurten")).scalars().all()
        joined = conn.execute(
            text("SELECT count(*) FROM buurten b JOIN leefbaarometer l USING (buurtcode)")
        ).scalar()
    assert gms == ["GM0344"] and joined == b.rows


def test_loading_a_b_then_a_again_brings_back_a(
    engine: Engine, enschede_buurten: Path, enschede_lbm: Path, tmp_path: Path
) -> None:
    """'Already loaded' means: the newest load of that edition was this very file."""
    corrected = gpd.read_file(enschede_lbm)
    corrected["lbm_afw"] = corrected["lbm_afw"] + 0.5
    corrected.to_file(tmp_path / "lbm2024_b.gpkg")

    def mean_score() -> float:
        with engine.connect() as conn:
            return float(conn.execute(text("SELECT avg(score) FROM leefbaarometer")).scalar_one())

    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
        store_leefbaarometer(conn, prepare_leefbaarometer(enschede_lbm))
    a = mean_score()
    with engine.begin() as conn:
        store_leefbaarometer(conn, prepare_leefbaarometer(tmp_path / "lbm2024_b.gpkg"))
    assert mean_score() == pytest.approx(a + 0.5)
    with engine.begin() as conn:
        again = store_leefbaarometer(conn, prepare_leefbaarometer(enschede_lbm))
    assert not again.unchanged and mean_score() == pytest.approx(a)
    with engine.begin() as conn:  # and now A is what is loaded: a further reload changes nothing
        assert store_leefbaarometer(conn, prepare_leefbaarometer(enschede_lbm)).unchanged
