"""Scenarios: a stored score with everything needed to reproduce it.

A scenario keeps the profile *as used* (criteria, normalisation, weights, method, top N, as JSON,
so a later edit of a profile file does not change it), the gemeente, the buurten year, the
partner period and the delivery versions and Leefbaarometer edition it read, the robustness
settings (Monte Carlo seed included) and the result per buurt at the time it was saved.

Scenarios are never overwritten: a trigger rejects every UPDATE except setting ``verwijderd_op``
once (a soft delete that keeps the row readable), and rejects DELETE. A changed scenario is a new
row that may point to the one it revises (``vorige_id``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE scenarios (
            id             bigserial PRIMARY KEY,
            naam           text NOT NULL CHECK (length(btrim(naam)) > 0),
            auteur         text NOT NULL CHECK (length(btrim(auteur)) > 0),
            toelichting    text,
            vorige_id      bigint REFERENCES scenarios (id),
            profiel        text NOT NULL,
            profiel_inhoud jsonb NOT NULL,
            methode        text NOT NULL,
            normalisatie   jsonb,
            gewichten      jsonb NOT NULL,
            gemeente       text NOT NULL CHECK (gemeente ~ '^GM[0-9]{4}$'),
            jaar           integer NOT NULL,
            periode        text CHECK (periode ~ '^[0-9]{4}-(voorjaar|najaar)$'),
            lbm_editie     integer,
            invoer         jsonb NOT NULL DEFAULT '{}',
            top_n          integer NOT NULL CHECK (top_n >= 1),
            analyses       jsonb NOT NULL DEFAULT '{}',
            resultaat      jsonb NOT NULL,
            aangemaakt     timestamptz NOT NULL DEFAULT now(),
            verwijderd_op  timestamptz
        )
        """
    )
    op.execute("CREATE INDEX scenarios_aangemaakt_idx ON scenarios (aangemaakt DESC)")
    op.execute(
        """
        CREATE FUNCTION scenarios_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'scenario % wordt nooit verwijderd; zet verwijderd_op', OLD.id
                    USING ERRCODE = 'restrict_violation';
            END IF;
            IF OLD.verwijderd_op IS NOT NULL
               OR (to_jsonb(NEW) - 'verwijderd_op') IS DISTINCT FROM (to_jsonb(OLD) - 'verwijderd_op')
            THEN
                RAISE EXCEPTION 'scenario % is onveranderlijk; sla een nieuw scenario op', OLD.id
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END
        $body$
        """
    )
    op.execute(
        "CREATE TRIGGER scenarios_onveranderlijk BEFORE UPDATE OR DELETE ON scenarios "
        "FOR EACH ROW EXECUTE FUNCTION scenarios_onveranderlijk()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE scenarios")
    op.execute("DROP FUNCTION scenarios_onveranderlijk()")
