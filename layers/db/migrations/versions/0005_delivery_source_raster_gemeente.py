"""How a delivery came in, and rasters per gemeente.

``via`` is ``beheer`` for files loaded by the operator (``sia load``, ``sia demo``) and
``upload`` for files sent through the API. Only synthetic records loaded by the operator (the
project's own generator) count as demonstration data that everyone may see; a file uploaded with
"synthetisch: ja" keeps the confidentiality class of its records.

Raster deliveries get their ``gemeente``: the same indicator and period may be loaded for several
gemeenten without one switching the other off.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("leveringen", "raster_leveringen"):
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN via text NOT NULL DEFAULT 'beheer' "
            "CHECK (via IN ('beheer', 'upload'))"
        )
    op.execute("ALTER TABLE raster_leveringen ADD COLUMN gemeente text")
    op.execute(
        "UPDATE raster_leveringen r SET gemeente = (SELECT b.gemeentecode FROM raster_statistieken s "
        "JOIN buurten b ON b.buurtcode = s.buurtcode WHERE s.raster_levering_id = r.id LIMIT 1)"
    )
    op.execute("UPDATE raster_leveringen SET gemeente = 'GM0000' WHERE gemeente IS NULL")
    op.execute("ALTER TABLE raster_leveringen ALTER COLUMN gemeente SET NOT NULL")
    op.execute("ALTER TABLE raster_leveringen DROP CONSTRAINT raster_leveringen_indicator_periode_versie_key")
    op.execute(
        "ALTER TABLE raster_leveringen ADD CONSTRAINT raster_leveringen_versie_uniek "
        "UNIQUE (indicator, periode, gemeente, versie)"
    )
    op.execute("DROP INDEX raster_leveringen_een_actief")
    op.execute(
        "CREATE UNIQUE INDEX raster_leveringen_een_actief "
        "ON raster_leveringen (indicator, periode, gemeente) WHERE actief"
    )


def downgrade() -> None:
    op.execute("DROP INDEX raster_leveringen_een_actief")
    op.execute(
        "CREATE UNIQUE INDEX raster_leveringen_een_actief "
        "ON raster_leveringen (indicator, periode) WHERE actief"
    )
    op.execute("ALTER TABLE raster_leveringen DROP CONSTRAINT raster_leveringen_versie_uniek")
    op.execute(
        "ALTER TABLE raster_leveringen ADD CONSTRAINT raster_leveringen_indicator_periode_versie_key "
        "UNIQUE (indicator, periode, versie)"
    )
    op.execute("ALTER TABLE raster_leveringen DROP COLUMN gemeente")
    for table in ("leveringen", "raster_leveringen"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN via")
