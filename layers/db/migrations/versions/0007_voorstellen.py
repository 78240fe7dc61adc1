"""DIA proposals (voorstellen): versions, comments and investment commitments.

A proposal (``voorstellen``) is only an identity: its id, its gemeente and when it was started.
Everything a proposal says lives in its versions (``voorstel_versies``): name, motivation,
partners, contact, the area (a valid MultiPolygon in EPSG:28992), the weighting it rests on (a
saved scenario and/or the score request itself, so its scores can be reproduced), the data versions
it saw (``invoer``, as scenarios record them), the statistics of the area at that moment, and the
status with the BO date and decision reference. Every edit and every status change is a new
version; the current state of a proposal is its highest version.

Versions, comments (``voorstel_reacties``) and commitments (``voorstel_toezeggingen``) are never
updated or deleted: a trigger rejects both (as for scenarios, migration 0004), so the record a BO
decision cites can always be shown as it was.

The tables are declared in ``layers/db/schema.py`` too (a test compares the two).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_APPEND_ONLY = ("voorstellen", "voorstel_versies", "voorstel_reacties", "voorstel_toezeggingen")


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE voorstellen (
            id          bigserial PRIMARY KEY,
            gemeente    text NOT NULL CHECK (gemeente ~ '^GM[0-9]{4}$'),
            aangemaakt  timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        """
        CREATE TABLE voorstel_versies (
            id                bigserial PRIMARY KEY,
            voorstel_id       bigint NOT NULL REFERENCES voorstellen (id),
            versie            integer NOT NULL CHECK (versie >= 1),
            naam              text NOT NULL CHECK (length(btrim(naam)) > 0),
            motivering        text NOT NULL DEFAULT '',
            partners          text[] NOT NULL DEFAULT '{}',
            contact           text NOT NULL DEFAULT '',
            status            text NOT NULL CHECK (status IN
                                  ('concept', 'voorgesteld', 'vastgesteld', 'afgewezen', 'ingetrokken')),
            bo_datum          date,
            besluitreferentie text,
            geom              geometry(MultiPolygon, 28992) NOT NULL
                              CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
            scenario_id       bigint REFERENCES scenarios (id),
            weging            jsonb NOT NULL,
            invoer            jsonb NOT NULL DEFAULT '{}',
            statistieken      jsonb NOT NULL DEFAULT '{}',
            auteur            text NOT NULL CHECK (length(btrim(auteur)) > 0),
            wijziging         text NOT NULL DEFAULT '',
            aangemaakt        timestamptz NOT NULL DEFAULT now(),
            UNIQUE (voorstel_id, versie),
            CHECK (status <> 'vastgesteld' OR (bo_datum IS NOT NULL
                   AND length(btrim(coalesce(besluitreferentie, ''))) > 0))
        )
        """
    )
    op.execute("CREATE INDEX voorstel_versies_geom_idx ON voorstel_versies USING gist (geom)")
    op.execute(
        """
        CREATE TABLE voorstel_reacties (
            id           bigserial PRIMARY KEY,
            voorstel_id  bigint NOT NULL REFERENCES voorstellen (id),
            versie       integer NOT NULL,
            auteur       text NOT NULL CHECK (length(btrim(auteur)) > 0),
            organisatie  text NOT NULL CHECK (length(btrim(organisatie)) > 0),
            tekst        text NOT NULL CHECK (length(btrim(tekst)) > 0),
            aangemaakt   timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("CREATE INDEX voorstel_reacties_voorstel_idx ON voorstel_reacties (voorstel_id, id)")
    op.execute(
        """
        CREATE TABLE voorstel_toezeggingen (
            id           bigserial PRIMARY KEY,
            voorstel_id  bigint NOT NULL REFERENCES voorstellen (id),
            partner      text NOT NULL CHECK (length(btrim(partner)) > 0),
            jaar         integer NOT NULL CHECK (jaar BETWEEN 2000 AND 2100),
            bedrag_eur   double precision NOT NULL CHECK (bedrag_eur >= 0),
            thema        text NOT NULL CHECK (length(btrim(thema)) > 0),
            soort        text NOT NULL CHECK (soort IN ('toegezegd', 'indicatief')),
            auteur       text NOT NULL CHECK (length(btrim(auteur)) > 0),
            toelichting  text NOT NULL DEFAULT '',
            aangemaakt   timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("CREATE INDEX voorstel_toezeggingen_voorstel_idx ON voorstel_toezeggingen (voorstel_id, id)")
    op.execute(
        """
        CREATE FUNCTION voorstellen_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF TG_LEVEL = 'STATEMENT' THEN  -- TRUNCATE passes by row triggers
                RAISE EXCEPTION '% wordt nooit geleegd', TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RAISE EXCEPTION '% % wordt nooit gewijzigd of verwijderd; sla een nieuwe versie op',
                TG_TABLE_NAME, OLD.id USING ERRCODE = 'restrict_violation';
        END
        $body$
        """
    )
    for table in _APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_onveranderlijk BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION voorstellen_onveranderlijk()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_niet_legen BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION voorstellen_onveranderlijk()"
        )


def downgrade() -> None:
    for table in reversed(_APPEND_ONLY):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION voorstellen_onveranderlijk()")
