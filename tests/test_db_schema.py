"""The schema is declared once (layers/db/schema.py) and the migrations build exactly that."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from layers.db import schema
from layers.db.engine import make_engine

pytestmark = pytest.mark.postgis

# PostGIS's own table and Alembic's version table are not part of our schema
_NOT_OURS = {"spatial_ref_sys", "alembic_version"}


def _include(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
    return not (kind == "table" and name in _NOT_OURS)


def _differences(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={"compare_type": True, "compare_server_default": True, "include_object": _include},
            )
            return list(compare_metadata(context, schema.metadata))
    finally:
        engine.dispose()


def test_migrations_build_the_declared_schema(template_url: str) -> None:
    """A freshly migrated database and the declared tables agree: autogenerate finds nothing."""
    assert _differences(template_url) == []


def test_the_comparison_notices_a_difference(db_url: str) -> None:
    """The comparison above can fail: a column changed behind the declaration's back is found."""
    from sqlalchemy import text

    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE organisaties ALTER COLUMN naam DROP NOT NULL"))
        conn.execute(text("DROP INDEX leveringen_een_actief"))
        conn.execute(text("ALTER TABLE wijken ALTER COLUMN geom TYPE geometry(Geometry, 28992)"))
    engine.dispose()
    found = repr(_differences(db_url))
    assert "organisaties" in found and "naam" in found and "leveringen_een_actief" in found
    assert "'wijken', 'geom'" in found and "MULTIPOLYGON" in found  # geometry types are compared
