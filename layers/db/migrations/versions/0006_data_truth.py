"""Data truth: partner organisations per gemeente, deliveries per gemeente and layer.

- ``organisaties``: the partners of each gemeente as data (gemeente, naam, soort, a short slug,
  an optional weight profile, actief), seeded with Enschede's: the gemeente, the five
  corporations, the tenant organisations and the BO. Sign-in (migration 0008) refers to it.
- ``leveringen.gemeente``: the gemeente a delivery was validated against (backfilled from where
  its records lie, else from the organisation's gemeente). One active version per gemeente,
  partner and period: a corporation active in two gemeenten delivers for each separately.
- ``leveringen.organisatie_id``: the delivering organisation (backfilled by name).
- ``leveringen.lagen``: the partner layers a delivery speaks for (the Excel template: all three;
  a GIS or CSV file: its layer plus those carried over from the same period). A later period's
  view carries each layer forward from the newest delivery that speaks for it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Enschede, the example installation: (naam, soort, slug, profiel)
_ENSCHEDE = (
    ("Gemeente Enschede", "gemeente", "gemeente", "gemeente"),
    ("Ons Huis", "corporatie", "ons_huis", "ons_huis"),
    ("De Woonplaats", "corporatie", "de_woonplaats", "de_woonplaats"),
    ("Domijn", "corporatie", "domijn", "domijn"),
    ("SJHT", "corporatie", "sjht", "sjht"),
    ("De Veste", "corporatie", "de_veste", "de_veste"),
    ("Huurdersorganisaties Enschede", "huurdersorganisatie", "huurdersorganisaties", "huurdersorganisaties"),
    ("Bestuurlijk Overleg", "bo", "bo", None),
)


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE organisaties (
            id         bigserial PRIMARY KEY,
            gemeente   text NOT NULL CHECK (gemeente ~ '^GM[0-9]{4}$'),
            naam       text NOT NULL CHECK (length(btrim(naam)) BETWEEN 1 AND 120),
            soort      text NOT NULL
                       CHECK (soort IN ('gemeente', 'corporatie', 'huurdersorganisatie', 'bo', 'overig')),
            slug       text NOT NULL CHECK (slug ~ '^[a-z][a-z0-9_]{0,39}$'),
            profiel    text CHECK (profiel ~ '^[a-z][a-z0-9_]*$'),
            actief     boolean NOT NULL DEFAULT true,
            aangemaakt timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT organisaties_naam_uniek UNIQUE (gemeente, naam),
            CONSTRAINT organisaties_slug_uniek UNIQUE (gemeente, slug)
        )
        """
    )
    insert = sa.text(
        "INSERT INTO organisaties (gemeente, naam, soort, slug, profiel) "
        "VALUES ('GM0153', :naam, :soort, :slug, :profiel)"
    )
    for naam, soort, slug, profiel in _ENSCHEDE:
        op.get_bind().execute(insert, {"naam": naam, "soort": soort, "slug": slug, "profiel": profiel})

    op.execute("ALTER TABLE leveringen ADD COLUMN gemeente text CHECK (gemeente ~ '^GM[0-9]{4}$')")
    # where the records lie (points and polygons in a buurt, or per-buurt counts by code) ...
    op.execute(
        """
        UPDATE leveringen l SET gemeente = sub.gemeentecode FROM (
            SELECT DISTINCT ON (x.levering_id) x.levering_id, b.gemeentecode
            FROM (SELECT levering_id, geom, buurtcode FROM bezit
                  UNION ALL SELECT levering_id, geom, NULL FROM projecten
                  UNION ALL SELECT levering_id, geom, buurtcode FROM verkoop) x
            JOIN buurten b ON (x.geom IS NOT NULL AND ST_Intersects(b.geom, x.geom))
                           OR (x.geom IS NULL AND b.buurtcode = x.buurtcode)
            ORDER BY x.levering_id, b.jaar DESC
        ) sub WHERE sub.levering_id = l.id
        """
    )
    # ... else the gemeente of the organisation of that name, else unknown (GM0000)
    op.execute(
        "UPDATE leveringen l SET gemeente = coalesce((SELECT min(o.gemeente) FROM organisaties o "
        "WHERE o.naam = l.partner), 'GM0000') WHERE gemeente IS NULL"
    )
    op.execute("ALTER TABLE leveringen ALTER COLUMN gemeente SET NOT NULL")
    op.execute("ALTER TABLE leveringen ADD COLUMN organisatie_id bigint REFERENCES organisaties (id)")
    op.execute(
        "UPDATE leveringen l SET organisatie_id = o.id FROM organisaties o "
        "WHERE o.gemeente = l.gemeente AND o.naam = l.partner"
    )
    op.execute(
        "ALTER TABLE leveringen ADD COLUMN lagen text[] NOT NULL "
        "DEFAULT '{bezit,projecten,verkoop}' CHECK (lagen <@ ARRAY['bezit', 'projecten', 'verkoop'])"
    )
    op.execute("ALTER TABLE leveringen DROP CONSTRAINT leveringen_partner_periode_versie_key")
    op.execute(
        "ALTER TABLE leveringen ADD CONSTRAINT leveringen_versie_uniek "
        "UNIQUE (gemeente, partner, periode, versie)"
    )
    op.execute("DROP INDEX leveringen_een_actief")
    op.execute(
        "CREATE UNIQUE INDEX leveringen_een_actief ON leveringen (gemeente, partner, periode) WHERE actief"
    )


def downgrade() -> None:
    op.execute("DROP INDEX leveringen_een_actief")
    op.execute("CREATE UNIQUE INDEX leveringen_een_actief ON leveringen (partner, periode) WHERE actief")
    op.execute("ALTER TABLE leveringen DROP CONSTRAINT leveringen_versie_uniek")
    op.execute(
        "ALTER TABLE leveringen ADD CONSTRAINT leveringen_partner_periode_versie_key "
        "UNIQUE (partner, periode, versie)"
    )
    for column in ("lagen", "organisatie_id", "gemeente"):
        op.execute(f"ALTER TABLE leveringen DROP COLUMN {column}")
    op.execute("DROP TABLE organisaties")
