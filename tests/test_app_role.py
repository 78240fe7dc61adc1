"""How the API finds its database role, and that it refuses one that could bypass RLS."""

from __future__ import annotations

import stat

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.main import create_app
from api.settings import Settings
from layers.access import ANONYMOUS, connect_as
from layers.db.cluster import LocalCluster
from layers.db.engine import alembic_config, current_revision, make_engine, migrate
from layers.db.roles import APP_ROLE, app_engine, app_password_file, ensure_app_role, local_app_url
from layers.errors import SetupError

pytestmark = pytest.mark.postgis


def _whoami(engine: object) -> str:
    with connect_as(engine, ANONYMOUS) as conn:  # type: ignore[arg-type]
        return str(conn.execute(text("SELECT current_user")).scalar_one())


def test_a_superuser_url_is_refused(db_url: str) -> None:
    engine = app_engine(app_database_url=db_url, database_url=None)  # the owner: a superuser here
    try:
        with pytest.raises(SetupError, match="is a superuser"):
            _whoami(engine)
    finally:
        engine.dispose()


def test_the_api_answers_503_rather_than_serve_as_a_superuser(db_url: str) -> None:
    settings = Settings(database_url=db_url, app_database_url=db_url, gemeente="GM0153")
    with TestClient(create_app(settings)) as c:
        res = c.post("/api/auth/aanmelden", json={"email": "a@b.nl", "wachtwoord": "x" * 12})
    assert res.status_code == 503 and "SIA_APP_DATABASE_URL" in res.json()["melding"]


def test_without_an_app_url_the_owner_switches_to_the_app_role(db_url: str) -> None:
    engine = app_engine(app_database_url=None, database_url=db_url)
    try:
        assert _whoami(engine) == APP_ROLE
    finally:
        engine.dispose()


def test_the_app_connections_run_without_jit(db_url: str) -> None:
    """JIT compilation of the disclosure functions' plans took 1-2 s a query (benchmarks/bench_load.py)."""
    owner = make_engine(db_url)
    try:
        with owner.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar_one() == "on"  # the server's default
    finally:
        owner.dispose()
    engine = app_engine(app_database_url=None, database_url=db_url)
    try:
        with connect_as(engine, ANONYMOUS) as conn:
            assert conn.execute(text("SHOW jit")).scalar_one() == "off"
            conn.rollback()
            assert conn.execute(text("SHOW jit")).scalar_one() == "off"  # for the whole session
    finally:
        engine.dispose()


def test_the_local_cluster_keeps_the_app_password_beside_the_owners(
    cluster: LocalCluster, app_role: str
) -> None:
    path = app_password_file(cluster)
    assert path.parent == cluster.password_file.parent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_app_role(cluster) == app_role  # idempotent: the same password
    assert path.read_text().strip() not in cluster.url()
    engine = make_engine(local_app_url(cluster))
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            ).one()
        assert tuple(row) == (APP_ROLE, False, False)
    finally:
        engine.dispose()


def test_the_app_on_the_local_cluster_connects_as_the_app_role(cluster: LocalCluster, app_role: str) -> None:
    app = create_app(Settings(home=cluster.home, pg_port=cluster.port, database_url=None))

    @app.get("/test/wie")
    def who() -> str:  # a route of this test only
        return _whoami(app.state.app_engine)

    with TestClient(app) as c:
        assert c.get("/test/wie").json() == APP_ROLE


def test_migration_0008_goes_down_and_up_again(db_url: str) -> None:
    command.downgrade(alembic_config(db_url), "0006")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('gebruikers'), to_regclass('audit')")).one() == (
            None,
            None,
        )
        forced = conn.execute(
            text("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'bezit'")
        ).scalar()
        assert forced is False
    engine.dispose()
    migrate(db_url)
    assert current_revision(db_url) == "0008"


def test_set_role_fallback_explains_when_the_owner_may_not_switch(db_url: str) -> None:
    """An owner URL whose role is no member of sia_app: an operator message, not a raw error."""
    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import _conninfo

    with psycopg.connect(**_conninfo(db_url), autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute("CREATE ROLE sia_vreemd LOGIN PASSWORD 'vreemd-wachtwoord'")
    url = make_url(db_url).set(username="sia_vreemd", password="vreemd-wachtwoord")
    engine = app_engine(app_database_url=None, database_url=url.render_as_string(hide_password=False))
    try:
        with pytest.raises(SetupError, match="cannot switch to the role sia_app"):
            _whoami(engine)
    finally:
        engine.dispose()
        with psycopg.connect(**_conninfo(db_url), autocommit=True) as conn:  # type: ignore[arg-type]
            conn.execute("DROP ROLE sia_vreemd")


def test_worker_processes_make_the_app_role_ready_at_the_same_time(
    cluster: LocalCluster, app_role: str
) -> None:
    """Each worker of ``sia serve`` makes the app role ready when it starts; two at once made
    PostgreSQL refuse one ("tuple concurrently updated") and uvicorn stop the whole server
    (found by benchmarks/bench_load.py)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    def ready(together: threading.Barrier) -> str:
        together.wait()
        return ensure_app_role(cluster)

    for _ in range(5):
        together = threading.Barrier(6)
        with ThreadPoolExecutor(6) as pool:
            assert set(pool.map(ready, [together] * 6)) == {app_role}
