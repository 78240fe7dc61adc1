"""Partner layers: deliveries (versioned per partner and period), holdings, projects, sales,
raster statistics per buurt.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COMMON = """
    levering_id        bigint NOT NULL REFERENCES leveringen (id),
    partner            text NOT NULL,
    periode            text NOT NULL CHECK (periode ~ '^[0-9]{4}-(voorjaar|najaar)$'),
    vertrouwelijkheid  text NOT NULL CHECK (vertrouwelijkheid IN ('openbaar', 'partners', 'eigen')),
    synthetisch        boolean NOT NULL,
    bron_rij           integer,
"""


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE leveringen (
            id                bigserial PRIMARY KEY,
            partner           text NOT NULL,
            periode           text NOT NULL CHECK (periode ~ '^[0-9]{4}-(voorjaar|najaar)$'),
            versie            integer NOT NULL,
            actief            boolean NOT NULL DEFAULT true,
            vertrouwelijkheid text,
            synthetisch       boolean NOT NULL,
            bron_bestand      text NOT NULL,
            sha256            text NOT NULL,
            contact           text,
            aantallen         jsonb NOT NULL DEFAULT '{}',
            geladen_op        timestamptz NOT NULL DEFAULT now(),
            UNIQUE (partner, periode, versie)
        )
        """
    )
    op.execute("CREATE UNIQUE INDEX leveringen_een_actief ON leveringen (partner, periode) WHERE actief")
    op.execute(
        f"""
        CREATE TABLE bezit (
            id bigserial PRIMARY KEY, {_COMMON}
            corporatie      text NOT NULL,
            adres           text,
            postcode        text,
            huisnummer      integer,
            toevoeging      text,
            buurtcode       text,
            aantal_woningen integer NOT NULL CHECK (aantal_woningen >= 1),
            daeb            boolean,
            huurklasse      text,
            energielabel    text,
            bouwjaar        integer,
            conditie        smallint CHECK (conditie BETWEEN 1 AND 6),
            geom            geometry(Point, 28992),
            CHECK (geom IS NOT NULL OR buurtcode IS NOT NULL)
        )
        """
    )
    op.execute(
        f"""
        CREATE TABLE projecten (
            id bigserial PRIMARY KEY, {_COMMON}
            projectnaam     text,
            partij          text NOT NULL,
            type            text NOT NULL,
            woningen_erbij  integer NOT NULL DEFAULT 0,
            woningen_eraf   integer NOT NULL DEFAULT 0,
            startjaar       integer,
            eindjaar        integer,
            investering_eur double precision,
            status          text,
            toelichting     text,
            geom            geometry(Geometry, 28992) NOT NULL
        )
        """
    )
    op.execute(
        f"""
        CREATE TABLE verkoop (
            id bigserial PRIMARY KEY, {_COMMON}
            corporatie          text NOT NULL,
            adres               text,
            postcode            text,
            huisnummer          integer,
            toevoeging          text,
            buurtcode           text,
            energielabel        text,
            conditie            smallint CHECK (conditie BETWEEN 1 AND 6),
            kluswoning          boolean,
            gemeld_aan_gemeente boolean,
            gepland_jaar        integer,
            geom                geometry(Point, 28992)
        )
        """
    )
    for table in ("bezit", "projecten", "verkoop"):
        op.execute(f"CREATE INDEX {table}_geom_idx ON {table} USING gist (geom)")
        op.execute(f"CREATE INDEX {table}_levering_idx ON {table} (levering_id)")
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


def downgrade() -> None:
    for table in ("raster_statistieken", "verkoop", "projecten", "bezit", "leveringen"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
