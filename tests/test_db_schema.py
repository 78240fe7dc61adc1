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


def test_migration_0006_fills_in_existing_deliveries(db_url: str, enschede_buurten: Any) -> None:
    """An installation at 0005 with deliveries: 0006 gives each its gemeente (from where its
    records lie, else its organisation), its organisation and the layers it speaks for."""
    from alembic import command
    from sqlalchemy import text

    from layers.cbs import prepare_buurten, store_buurten
    from layers.db.engine import alembic_config

    command.downgrade(alembic_config(db_url), "0005")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            store_buurten(conn, prepare_buurten(enschede_buurten))
            insert = text(
                "INSERT INTO leveringen (partner, periode, versie, synthetisch, bron_bestand, sha256) "
                "VALUES (:p, '2026-najaar', 1, true, 'x.xlsx', :p) RETURNING id"
            )
            located = conn.execute(insert, {"p": "Woonstichting Elders"}).scalar_one()
            named = conn.execute(insert, {"p": "Domijn"}).scalar_one()
            unknown = conn.execute(insert, {"p": "Niemand"}).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO bezit (levering_id, partner, periode, vertrouwelijkheid, synthetisch, "
                    "corporatie, aantal_woningen, geom) VALUES (:id, 'Woonstichting Elders', '2026-najaar', "
                    "'eigen', true, 'Woonstichting Elders', 1, ST_SetSRID(ST_Point(257500, 471700), 28992))"
                ),
                {"id": located},
            )
        command.upgrade(alembic_config(db_url), "head")
        with engine.connect() as conn:
            rows = {
                r.id: r
                for r in conn.execute(
                    text(
                        "SELECT l.id, l.gemeente, o.naam, l.lagen FROM leveringen l "
                        "LEFT JOIN organisaties o ON o.id = l.organisatie_id"
                    )
                )
            }
            seeded = conn.execute(
                text("SELECT count(*) FROM organisaties WHERE gemeente = 'GM0153'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert (rows[located].gemeente, rows[located].naam) == ("GM0153", None)  # where its dwelling is
    assert (rows[named].gemeente, rows[named].naam) == ("GM0153", "Domijn")  # by its organisation
    assert rows[unknown].gemeente == "GM0000"
    assert list(rows[named].lagen) == ["bezit", "projecten", "verkoop"]
    assert seeded == 8
