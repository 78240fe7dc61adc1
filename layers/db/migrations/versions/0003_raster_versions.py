"""Raster indicators: versioned like partner deliveries.

Each upload of a raster for an indicator and period is a *raster delivery*; a new upload for the
same indicator and period becomes the active version and the earlier one stays retrievable.
The per-buurt statistics hang off their delivery instead of being unique per indicator/period
(which would have overwritten the earlier version).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE raster_leveringen (
            id                bigserial PRIMARY KEY,
            indicator         text NOT NULL CHECK (indicator ~ '^[a-z][a-z0-9_]*$'),
            label             text NOT NULL,
            eenheid           text,
            richting_hint     text,
            periode           text NOT NULL CHECK (periode ~ '^[0-9]{4}-(voorjaar|najaar)$'),
            partner           text NOT NULL,
            vertrouwelijkheid text NOT NULL DEFAULT 'openbaar'
                              CHECK (vertrouwelijkheid IN ('openbaar', 'partners', 'eigen')),
            synthetisch       boolean NOT NULL,
            drempel           double precision,
            band              integer NOT NULL DEFAULT 1,
            crs               text,
            resolutie         double precision,
            versie            integer NOT NULL,
            actief            boolean NOT NULL DEFAULT true,
            bron_bestand      text NOT NULL,
            sha256            text NOT NULL,
            geladen_op        timestamptz NOT NULL DEFAULT now(),
            UNIQUE (indicator, periode, versie)
        )
        """
    )
    op.execute(
        "CREATE UNIQUE INDEX raster_leveringen_een_actief "
        "ON raster_leveringen (indicator, periode) WHERE actief"
    )
    op.execute("DROP TABLE raster_statistieken")
    op.execute(
        """
        CREATE TABLE raster_statistieken (
            id                    bigserial PRIMARY KEY,
            raster_levering_id    bigint NOT NULL REFERENCES raster_leveringen (id),
            buurtcode             text NOT NULL,
            gemiddelde            double precision,
            minimum               double precision,
            maximum               double precision,
            aandeel_boven_drempel double precision,
            cellen                integer NOT NULL,
            UNIQUE (raster_levering_id, buurtcode)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE raster_statistieken")
    op.execute("DROP TABLE raster_leveringen")
    op.execute(
        """
        CREATE TABLE raster_statistieken (
            id           bigserial PRIMARY KEY,
            indicator    text NOT NULL,
            label        text NOT NULL,
            eenheid      text,
            periode      text NOT NULL,
            bron_bestand text NOT NULL,
            drempel      double precision,
            buurtcode    text NOT NULL,
            gemiddelde   double precision,
            minimum      double precision,
            maximum      double precision,
            aandeel_boven_drempel double precision,
            cellen       integer,
            geladen_op   timestamptz NOT NULL DEFAULT now(),
            UNIQUE (indicator, periode, buurtcode)
        )
        """
    )
