"""Engine creation and the migration runner."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text

from layers.errors import SetupError

_MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    """A SQLAlchemy engine for ``url`` (psycopg 3) with a connection pool of ``pool_size`` (plus
    ``max_overflow`` in bursts)."""
    return create_engine(url, pool_pre_ping=True, future=True, pool_size=pool_size, max_overflow=max_overflow)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["url"] = url
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (all schema changes go through Alembic)."""
    check_postgis(url)
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
            if exists is None:
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def check_postgis(url: str) -> str:
    """Ensure the PostGIS extension exists (create it if allowed) and return its version."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            available = conn.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
            ).scalar()
            if not available:
                raise SetupError(
                    "De databaseserver heeft geen PostGIS-extensie. Installeer die (Debian: "
                    "`apt-get install postgresql-15-postgis-3`) of zet SIA_DATABASE_URL op een "
                    "PostGIS-database."
                )
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            return str(conn.execute(text("SELECT postgis_lib_version()")).scalar())
    finally:
        engine.dispose()
