"""CBS buurten and wijken, Leefbaarometer, load log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(
        """
        CREATE TABLE load_log (
            id          bigserial PRIMARY KEY,
            layer       text NOT NULL,
            source_file text NOT NULL,
            sha256      text NOT NULL,
            year        integer,
            gemeenten   text[] NOT NULL DEFAULT '{}',
            rows_loaded integer NOT NULL,
            report      jsonb NOT NULL DEFAULT '{}',
            loaded_at   timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        """
        CREATE TABLE buurten (
            id                   bigserial PRIMARY KEY,
            jaar                 integer NOT NULL CHECK (jaar BETWEEN 1990 AND 2100),
            buurtcode            text NOT NULL CHECK (buurtcode ~ '^BU[0-9]{4}[0-9A-Z]{4}$'),
            buurtnaam            text,
            wijkcode             text NOT NULL CHECK (wijkcode ~ '^WK[0-9]{4}[0-9A-Z]{2}$'),
            gemeentecode         text NOT NULL CHECK (gemeentecode ~ '^GM[0-9]{4}$'),
            gemeentenaam         text,
            aantal_inwoners      integer,
            aantal_huishoudens   integer,
            bevolkingsdichtheid  double precision,
            oppervlakte_land_ha  double precision,
            kerncijfers          jsonb NOT NULL DEFAULT '{}',
            load_id              bigint REFERENCES load_log (id),
            geom                 geometry(MultiPolygon, 28992) NOT NULL,
            UNIQUE (jaar, buurtcode)
        )
        """
    )
    op.execute("CREATE INDEX buurten_geom_idx ON buurten USING gist (geom)")
    op.execute("CREATE INDEX buurten_gemeente_idx ON buurten (gemeentecode, jaar)")
    op.execute(
        """
        CREATE TABLE wijken (
            id                 bigserial PRIMARY KEY,
            jaar               integer NOT NULL,
            wijkcode           text NOT NULL CHECK (wijkcode ~ '^WK[0-9]{4}[0-9A-Z]{2}$'),
            wijknaam           text,
            gemeentecode       text NOT NULL,
            aantal_inwoners    integer,
            aantal_huishoudens integer,
            n_buurten          integer,
            afgeleid           boolean NOT NULL DEFAULT true,
            load_id            bigint REFERENCES load_log (id),
            geom               geometry(MultiPolygon, 28992) NOT NULL,
            UNIQUE (jaar, wijkcode)
        )
        """
    )
    op.execute("CREATE INDEX wijken_geom_idx ON wijken USING gist (geom)")
    op.execute(
        """
        CREATE TABLE leefbaarometer (
            id        bigserial PRIMARY KEY,
            editie    integer NOT NULL CHECK (editie BETWEEN 2000 AND 2100),
            buurtcode text NOT NULL CHECK (buurtcode ~ '^BU[0-9]{4}[0-9A-Z]{4}$'),
            buurtnaam text,
            score     double precision,
            klasse    smallint CHECK (klasse BETWEEN 1 AND 9),
            won       double precision,
            fys       double precision,
            vrz       double precision,
            soc       double precision,
            onv       double precision,
            kwon      smallint CHECK (kwon BETWEEN 1 AND 9),
            kfys      smallint CHECK (kfys BETWEEN 1 AND 9),
            kvrz      smallint CHECK (kvrz BETWEEN 1 AND 9),
            ksoc      smallint CHECK (ksoc BETWEEN 1 AND 9),
            konv      smallint CHECK (konv BETWEEN 1 AND 9),
            load_id   bigint REFERENCES load_log (id),
            UNIQUE (editie, buurtcode)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS leefbaarometer")
    op.execute("DROP TABLE IF EXISTS wijken")
    op.execute("DROP TABLE IF EXISTS buurten")
    op.execute("DROP TABLE IF EXISTS load_log")
