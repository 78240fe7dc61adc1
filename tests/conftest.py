"""Shared fixtures: the real input data, a throwaway PostGIS cluster, loaded databases.

The cluster is started once per test session with the project's own LocalCluster (so the
zero-setup code path is exercised too) in a temporary folder on a free port. Nothing here skips:
a missing PostgreSQL/PostGIS or data folder is an error, so CI cannot pass with gaps.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from layers.cbs import prepare_buurten, store_buurten
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine, migrate
from layers.db.roles import APP_ROLE, ensure_app_role
from layers.leefbaarometer import prepare_leefbaarometer, store_leefbaarometer

REPO = Path(__file__).resolve().parents[1]

# Tests never reach outside the machine: no background map unless a test sets one itself.
os.environ["SIA_BASEMAP_URL"] = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = Path(os.environ.get("SIA_DATA_DIR") or REPO.parent / "shared" / "data")
    if not (path / "enschede" / "cbs_buurten_2021_enschede.gpkg").exists():
        pytest.fail(f"The real input data were not found in {path}; set SIA_DATA_DIR.")
    return path


@pytest.fixture(scope="session")
def enschede_buurten(data_dir: Path) -> Path:
    return data_dir / "enschede" / "cbs_buurten_2021_enschede.gpkg"


@pytest.fixture(scope="session")
def enschede_lbm(data_dir: Path) -> Path:
    return data_dir / "enschede" / "lbm2024_buurten_enschede.gpkg"


@pytest.fixture(scope="session")
def cluster() -> Iterator[LocalCluster]:
    home = Path(tempfile.mkdtemp(prefix="sia-test-pg-"))
    home.chmod(0o755)  # the server may run as the postgres user when tests run as root
    cl = LocalCluster(home=home, port=free_port(), durable=False)  # throwaway: speed over durability
    cl.start()
    yield cl
    cl.stop()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def template_url(cluster: LocalCluster) -> str:
    """A migrated, empty database used as the template of each test database."""
    url = _create_db(cluster, "sia_template", template=None)
    migrate(url)
    with psycopg.connect(**_conninfo(url)) as conn:
        assert conn.execute("SELECT extname FROM pg_extension WHERE extname = 'postgis'").fetchone()
    make_engine(url).dispose()
    return url


_counter = iter(range(10_000))


@pytest.fixture
def db_url(cluster: LocalCluster, template_url: str) -> str:
    """A fresh migrated database for one test."""
    return _create_db(cluster, f"sia_test_{next(_counter)}", template="sia_template")


@pytest.fixture
def engine(db_url: str, enschede_buurten: Path) -> Iterator[Engine]:
    """An engine on a fresh database holding only the real Enschede buurten (2021)."""
    eng = make_engine(db_url)
    with eng.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def loaded_url(cluster: LocalCluster, template_url: str, enschede_buurten: Path, enschede_lbm: Path) -> str:
    """A database with the real Enschede buurten (2021) and Leefbaarometer (2024) loaded."""
    url = _create_db(cluster, "sia_loaded", template="sia_template")
    engine = make_engine(url)
    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(enschede_buurten))
        store_leefbaarometer(conn, prepare_leefbaarometer(enschede_lbm))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_url(
    cluster: LocalCluster, loaded_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """``loaded_url`` plus what ``sia demo`` adds: the synthetic partner deliveries (through the
    upload path) and the synthetic heat-stress raster."""
    from layers.demo import load_demo
    from layers.partners.synthetic import load_buurten

    url = _create_db(cluster, "sia_demo", template="sia_loaded")
    engine = make_engine(url)
    with engine.begin() as conn:
        load_demo(conn, tmp_path_factory.mktemp("synthetic"), load_buurten(enschede_buurten))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def app_role(cluster: LocalCluster, template_url: str) -> str:
    """The password of the application role ``sia_app`` (LOGIN) in the test cluster. Migration
    0008 gave it its grants; roles belong to the cluster, so every test database has it."""
    return ensure_app_role(cluster)


def as_app_role(url: str, password: str) -> str:
    """``url`` (the owner's) as the application role: how the API connects (``SIA_APP_DATABASE_URL``)."""
    return make_url(url).set(username=APP_ROLE, password=password).render_as_string(hide_password=False)


@pytest.fixture
def app_db_url(db_url: str, app_role: str) -> str:
    """``db_url`` as the application role."""
    return as_app_role(db_url, app_role)


def _conninfo(url: str) -> dict[str, object]:
    u = make_url(url)
    return {"host": u.host, "port": u.port, "user": u.username, "password": u.password, "dbname": u.database}


def _create_db(cluster: LocalCluster, name: str, *, template: str | None) -> str:
    base = cluster.url()
    info = _conninfo(base)
    info["dbname"] = "postgres"
    with psycopg.connect(**info, autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    if template is None:
        with psycopg.connect(**_conninfo(url), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url
