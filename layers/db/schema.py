"""The database schema, declared once: SQLAlchemy Core tables with GeoAlchemy2 geometry columns.

The Alembic migrations (``layers/db/migrations/versions``) create this schema; a test migrates a
fresh database and runs Alembic's autogenerate comparison against ``metadata`` (tables, columns,
types, nullability, indexes, unique constraints, foreign keys): any difference fails it. Triggers
and functions (the scenario guard of migration 0004) are outside autogenerate; CHECK constraints
are declared here for completeness but autogenerate does not compare them.

Migration 0007 (DIA proposals) adds ``voorstellen`` and its append-only versions, comments and
commitments; their guard (no UPDATE, DELETE or TRUNCATE) is a trigger, outside autogenerate too.

Geometries are stored in EPSG:28992 (RD New). Spatial indexes are declared explicitly (GiST), so
``spatial_index=False`` on the columns.

Code that reads the database builds its queries from these tables where the query is plain
(``layers.indicators``, ``layers.organisations``); long analytical SQL (the partner aggregates)
stays in ``layers/sql``.
"""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.sql.elements import TextClause

__all__ = [
    "api_tokens",
    "audit",
    "bezit",
    "buurten",
    "gebruikers",
    "leefbaarometer",
    "leveringen",
    "load_log",
    "metadata",
    "organisaties",
    "projecten",
    "raster_leveringen",
    "raster_statistieken",
    "scenarios",
    "sessies",
    "verkoop",
    "voorstel_reacties",
    "voorstel_toezeggingen",
    "voorstel_versies",
    "voorstellen",
    "wijken",
]

metadata = MetaData()

_PERIOD_CHECK = "periode ~ '^[0-9]{4}-(voorjaar|najaar)$'"
_CONFIDENTIALITY = "vertrouwelijkheid IN ('openbaar', 'partners', 'eigen')"
_BUURTCODE_CHECK = "buurtcode ~ '^BU[0-9]{4}[0-9A-Z]{4}$'"


def _geometry(kind: str, *, nullable: bool) -> Column[object]:
    return Column("geom", Geometry(kind, srid=28992, spatial_index=False), nullable=nullable)


load_log = Table(
    "load_log",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("layer", Text, nullable=False),
    Column("source_file", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("year", Integer),
    Column("gemeenten", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    Column("rows_loaded", Integer, nullable=False),
    Column("report", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("loaded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

buurten = Table(
    "buurten",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("jaar", Integer, CheckConstraint("jaar BETWEEN 1990 AND 2100"), nullable=False),
    Column("buurtcode", Text, CheckConstraint(_BUURTCODE_CHECK), nullable=False),
    Column("buurtnaam", Text),
    Column("wijkcode", Text, CheckConstraint("wijkcode ~ '^WK[0-9]{4}[0-9A-Z]{2}$'"), nullable=False),
    Column("gemeentecode", Text, CheckConstraint("gemeentecode ~ '^GM[0-9]{4}$'"), nullable=False),
    Column("gemeentenaam", Text),
    Column("aantal_inwoners", Integer),
    Column("aantal_huishoudens", Integer),
    Column("bevolkingsdichtheid", Double),
    Column("oppervlakte_land_ha", Double),
    Column("kerncijfers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("load_id", BigInteger, ForeignKey("load_log.id")),
    _geometry("MULTIPOLYGON", nullable=False),
    UniqueConstraint("jaar", "buurtcode", name="buurten_jaar_buurtcode_key"),
    Index("buurten_geom_idx", "geom", postgresql_using="gist"),
    Index("buurten_gemeente_idx", "gemeentecode", "jaar"),
)

wijken = Table(
    "wijken",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("jaar", Integer, nullable=False),
    Column("wijkcode", Text, CheckConstraint("wijkcode ~ '^WK[0-9]{4}[0-9A-Z]{2}$'"), nullable=False),
    Column("wijknaam", Text),
    Column("gemeentecode", Text, nullable=False),
    Column("aantal_inwoners", Integer),
    Column("aantal_huishoudens", Integer),
    Column("n_buurten", Integer),
    Column("afgeleid", Boolean, nullable=False, server_default=text("true")),
    Column("load_id", BigInteger, ForeignKey("load_log.id")),
    _geometry("MULTIPOLYGON", nullable=False),
    UniqueConstraint("jaar", "wijkcode", name="wijken_jaar_wijkcode_key"),
    Index("wijken_geom_idx", "geom", postgresql_using="gist"),
)


def _class_column(name: str) -> Column[object]:
    return Column(name, SmallInteger, CheckConstraint(f"{name} BETWEEN 1 AND 9"))


leefbaarometer = Table(
    "leefbaarometer",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("editie", Integer, CheckConstraint("editie BETWEEN 2000 AND 2100"), nullable=False),
    Column("buurtcode", Text, CheckConstraint(_BUURTCODE_CHECK), nullable=False),
    Column("buurtnaam", Text),
    Column("score", Double),
    _class_column("klasse"),
    *(Column(name, Double) for name in ("won", "fys", "vrz", "soc", "onv")),
    *(_class_column(name) for name in ("kwon", "kfys", "kvrz", "ksoc", "konv")),
    Column("load_id", BigInteger, ForeignKey("load_log.id")),
    UniqueConstraint("editie", "buurtcode", name="leefbaarometer_editie_buurtcode_key"),
)

organisaties = Table(
    "organisaties",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("gemeente", Text, CheckConstraint("gemeente ~ '^GM[0-9]{4}$'"), nullable=False),
    Column("naam", Text, CheckConstraint("length(btrim(naam)) BETWEEN 1 AND 120"), nullable=False),
    Column(
        "soort",
        Text,
        CheckConstraint("soort IN ('gemeente', 'corporatie', 'huurdersorganisatie', 'bo', 'overig')"),
        nullable=False,
    ),
    Column("slug", Text, CheckConstraint("slug ~ '^[a-z][a-z0-9_]{0,39}$'"), nullable=False),
    Column("profiel", Text, CheckConstraint("profiel ~ '^[a-z][a-z0-9_]*$'")),
    Column("actief", Boolean, nullable=False, server_default=text("true")),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("gemeente", "naam", name="organisaties_naam_uniek"),
    UniqueConstraint("gemeente", "slug", name="organisaties_slug_uniek"),
)

leveringen = Table(
    "leveringen",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("partner", Text, nullable=False),
    Column("periode", Text, CheckConstraint(_PERIOD_CHECK), nullable=False),
    Column("versie", Integer, nullable=False),
    Column("actief", Boolean, nullable=False, server_default=text("true")),
    Column("vertrouwelijkheid", Text),
    Column("synthetisch", Boolean, nullable=False),
    Column("bron_bestand", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("contact", Text),
    Column("aantallen", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("geladen_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column(
        "via",
        Text,
        CheckConstraint("via IN ('beheer', 'upload')"),
        nullable=False,
        server_default=text("'beheer'::text"),
    ),
    Column("gemeente", Text, CheckConstraint("gemeente ~ '^GM[0-9]{4}$'"), nullable=False),
    Column("organisatie_id", BigInteger, ForeignKey("organisaties.id")),
    Column(
        "lagen",
        ARRAY(Text),
        CheckConstraint("lagen <@ ARRAY['bezit', 'projecten', 'verkoop']"),
        nullable=False,
        server_default=text("'{bezit,projecten,verkoop}'::text[]"),
    ),
    UniqueConstraint("gemeente", "partner", "periode", "versie", name="leveringen_versie_uniek"),
    Index(
        "leveringen_een_actief",
        "gemeente",
        "partner",
        "periode",
        unique=True,
        postgresql_where=text("actief"),
    ),
)


def _record_columns() -> list[Column[object]]:
    """Columns every partner record carries (migration 0002)."""
    return [
        Column("id", BigInteger, primary_key=True),
        Column("levering_id", BigInteger, ForeignKey("leveringen.id"), nullable=False),
        Column("partner", Text, nullable=False),
        Column("periode", Text, CheckConstraint(_PERIOD_CHECK), nullable=False),
        Column("vertrouwelijkheid", Text, CheckConstraint(_CONFIDENTIALITY), nullable=False),
        Column("synthetisch", Boolean, nullable=False),
        Column("bron_rij", Integer),
    ]


def _address_columns() -> list[Column[object]]:
    return [
        Column("corporatie", Text, nullable=False),
        Column("adres", Text),
        Column("postcode", Text),
        Column("huisnummer", Integer),
        Column("toevoeging", Text),
        Column("buurtcode", Text),
    ]


def _record_indexes(table: str) -> list[Index]:
    return [
        Index(f"{table}_geom_idx", "geom", postgresql_using="gist"),
        Index(f"{table}_levering_idx", "levering_id"),
    ]


_CONDITION = "conditie BETWEEN 1 AND 6"

bezit = Table(
    "bezit",
    metadata,
    *_record_columns(),
    *_address_columns(),
    Column("aantal_woningen", Integer, CheckConstraint("aantal_woningen >= 1"), nullable=False),
    Column("daeb", Boolean),
    Column("huurklasse", Text),
    Column("energielabel", Text),
    Column("bouwjaar", Integer),
    Column("conditie", SmallInteger, CheckConstraint(_CONDITION)),
    _geometry("POINT", nullable=True),
    CheckConstraint("geom IS NOT NULL OR buurtcode IS NOT NULL"),
    *_record_indexes("bezit"),
)

projecten = Table(
    "projecten",
    metadata,
    *_record_columns(),
    Column("projectnaam", Text),
    Column("partij", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("woningen_erbij", Integer, nullable=False, server_default=text("0")),
    Column("woningen_eraf", Integer, nullable=False, server_default=text("0")),
    Column("startjaar", Integer),
    Column("eindjaar", Integer),
    Column("investering_eur", Double),
    Column("status", Text),
    Column("toelichting", Text),
    _geometry("GEOMETRY", nullable=False),
    *_record_indexes("projecten"),
)

verkoop = Table(
    "verkoop",
    metadata,
    *_record_columns(),
    *_address_columns(),
    Column("energielabel", Text),
    Column("conditie", SmallInteger, CheckConstraint(_CONDITION)),
    Column("kluswoning", Boolean),
    Column("gemeld_aan_gemeente", Boolean),
    Column("gepland_jaar", Integer),
    _geometry("POINT", nullable=True),
    *_record_indexes("verkoop"),
)

raster_leveringen = Table(
    "raster_leveringen",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("indicator", Text, CheckConstraint("indicator ~ '^[a-z][a-z0-9_]*$'"), nullable=False),
    Column("label", Text, nullable=False),
    Column("eenheid", Text),
    Column("richting_hint", Text),
    Column("periode", Text, CheckConstraint(_PERIOD_CHECK), nullable=False),
    Column("partner", Text, nullable=False),
    Column(
        "vertrouwelijkheid",
        Text,
        CheckConstraint(_CONFIDENTIALITY),
        nullable=False,
        server_default=text("'openbaar'::text"),
    ),
    Column("synthetisch", Boolean, nullable=False),
    Column("drempel", Double),
    Column("band", Integer, nullable=False, server_default=text("1")),
    Column("crs", Text),
    Column("resolutie", Double),
    Column("versie", Integer, nullable=False),
    Column("actief", Boolean, nullable=False, server_default=text("true")),
    Column("bron_bestand", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("geladen_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column(
        "via",
        Text,
        CheckConstraint("via IN ('beheer', 'upload')"),
        nullable=False,
        server_default=text("'beheer'::text"),
    ),
    Column("gemeente", Text, nullable=False),
    Column("organisatie_id", BigInteger, ForeignKey("organisaties.id")),  # migration 0008
    UniqueConstraint("indicator", "periode", "gemeente", "versie", name="raster_leveringen_versie_uniek"),
    Index(
        "raster_leveringen_een_actief",
        "indicator",
        "periode",
        "gemeente",
        unique=True,
        postgresql_where=text("actief"),
    ),
)

raster_statistieken = Table(
    "raster_statistieken",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("raster_levering_id", BigInteger, ForeignKey("raster_leveringen.id"), nullable=False),
    Column("buurtcode", Text, nullable=False),
    Column("gemiddelde", Double),
    Column("minimum", Double),
    Column("maximum", Double),
    Column("aandeel_boven_drempel", Double),
    Column("cellen", Integer, nullable=False),
    UniqueConstraint(
        "raster_levering_id", "buurtcode", name="raster_statistieken_raster_levering_id_buurtcode_key"
    ),
)


def _text_default(value: str = "") -> TextClause:
    return text(f"'{value}'::text")


def _author() -> list[Column[object]]:
    """Who wrote a row (migration 0008): the signed-in user and its organisation."""
    return [
        Column("organisatie_id", BigInteger, ForeignKey("organisaties.id")),
        Column("gebruiker_id", BigInteger, ForeignKey("gebruikers.id")),
    ]


scenarios = Table(
    "scenarios",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("naam", Text, CheckConstraint("length(btrim(naam)) > 0"), nullable=False),
    Column("auteur", Text, CheckConstraint("length(btrim(auteur)) > 0"), nullable=False),
    Column("toelichting", Text),
    Column("vorige_id", BigInteger, ForeignKey("scenarios.id")),
    Column("profiel", Text, nullable=False),
    Column("profiel_inhoud", JSONB, nullable=False),
    Column("methode", Text, nullable=False),
    Column("normalisatie", JSONB),
    Column("gewichten", JSONB, nullable=False),
    Column("gemeente", Text, CheckConstraint("gemeente ~ '^GM[0-9]{4}$'"), nullable=False),
    Column("jaar", Integer, nullable=False),
    Column("periode", Text, CheckConstraint(_PERIOD_CHECK)),
    Column("lbm_editie", Integer),
    Column("invoer", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("top_n", Integer, CheckConstraint("top_n >= 1"), nullable=False),
    Column("analyses", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("resultaat", JSONB, nullable=False),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("verwijderd_op", DateTime(timezone=True)),
    # migration 0008: author and class (row-level security)
    Column("organisatie_id", BigInteger, ForeignKey("organisaties.id")),
    Column("gebruiker_id", BigInteger, ForeignKey("gebruikers.id")),
    Column(
        "vertrouwelijkheid",
        Text,
        CheckConstraint(_CONFIDENTIALITY),
        nullable=False,
        server_default=_text_default("openbaar"),
    ),
    Index("scenarios_aangemaakt_idx", text("aangemaakt DESC")),
)

# -- DIA proposals (migration 0007) -----------------------------------------------------------

_NOT_BLANK = "length(btrim({})) > 0"
_GEMEENTE_CHECK = "gemeente ~ '^GM[0-9]{4}$'"


voorstellen = Table(
    "voorstellen",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("gemeente", Text, CheckConstraint(_GEMEENTE_CHECK), nullable=False),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    *_author(),
)

voorstel_versies = Table(
    "voorstel_versies",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("voorstel_id", BigInteger, ForeignKey("voorstellen.id"), nullable=False),
    Column("versie", Integer, CheckConstraint("versie >= 1"), nullable=False),
    Column("naam", Text, CheckConstraint(_NOT_BLANK.format("naam")), nullable=False),
    Column("motivering", Text, nullable=False, server_default=_text_default()),
    Column("partners", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    Column("contact", Text, nullable=False, server_default=_text_default()),
    Column(
        "status",
        Text,
        CheckConstraint("status IN ('concept', 'voorgesteld', 'vastgesteld', 'afgewezen', 'ingetrokken')"),
        nullable=False,
    ),
    Column("bo_datum", Date),
    Column("besluitreferentie", Text),
    Column(
        "geom",
        Geometry("MULTIPOLYGON", srid=28992, spatial_index=False),
        CheckConstraint("ST_IsValid(geom) AND NOT ST_IsEmpty(geom)"),
        nullable=False,
    ),
    Column("scenario_id", BigInteger, ForeignKey("scenarios.id")),
    Column("weging", JSONB, nullable=False),
    Column("invoer", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("statistieken", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("auteur", Text, CheckConstraint(_NOT_BLANK.format("auteur")), nullable=False),
    Column("wijziging", Text, nullable=False, server_default=_text_default()),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    *_author(),
    UniqueConstraint("voorstel_id", "versie", name="voorstel_versies_voorstel_id_versie_key"),
    CheckConstraint(
        "status <> 'vastgesteld' OR (bo_datum IS NOT NULL "
        "AND length(btrim(coalesce(besluitreferentie, ''))) > 0)"
    ),
    Index("voorstel_versies_geom_idx", "geom", postgresql_using="gist"),
)

voorstel_reacties = Table(
    "voorstel_reacties",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("voorstel_id", BigInteger, ForeignKey("voorstellen.id"), nullable=False),
    Column("versie", Integer, nullable=False),
    Column("auteur", Text, CheckConstraint(_NOT_BLANK.format("auteur")), nullable=False),
    Column("organisatie", Text, CheckConstraint(_NOT_BLANK.format("organisatie")), nullable=False),
    Column("tekst", Text, CheckConstraint(_NOT_BLANK.format("tekst")), nullable=False),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    *_author(),
    Index("voorstel_reacties_voorstel_idx", "voorstel_id", "id"),
)

voorstel_toezeggingen = Table(
    "voorstel_toezeggingen",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("voorstel_id", BigInteger, ForeignKey("voorstellen.id"), nullable=False),
    Column("partner", Text, CheckConstraint(_NOT_BLANK.format("partner")), nullable=False),
    Column("jaar", Integer, CheckConstraint("jaar BETWEEN 2000 AND 2100"), nullable=False),
    Column("bedrag_eur", Double, CheckConstraint("bedrag_eur >= 0"), nullable=False),
    Column("thema", Text, CheckConstraint(_NOT_BLANK.format("thema")), nullable=False),
    Column("soort", Text, CheckConstraint("soort IN ('toegezegd', 'indicatief')"), nullable=False),
    Column("auteur", Text, CheckConstraint(_NOT_BLANK.format("auteur")), nullable=False),
    Column("toelichting", Text, nullable=False, server_default=_text_default()),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    *_author(),
    Index("voorstel_toezeggingen_voorstel_idx", "voorstel_id", "id"),
)

# -- sign-in and the audit trail (migration 0008); row-level security is in the migration -----

gebruikers = Table(
    "gebruikers",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("organisatie_id", BigInteger, ForeignKey("organisaties.id"), nullable=False),
    Column("naam", Text, CheckConstraint("length(btrim(naam)) BETWEEN 1 AND 120"), nullable=False),
    Column(
        "email",
        Text,
        CheckConstraint(
            "email = lower(btrim(email)) AND length(email) <= 254 "
            "AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'"
        ),
        nullable=False,
    ),
    Column("wachtwoord_hash", Text, CheckConstraint("wachtwoord_hash LIKE '$argon2id$%'")),
    Column("rol", Text, CheckConstraint("rol IN ('beheerder', 'planner', 'lezer')"), nullable=False),
    Column("actief", Boolean, nullable=False, server_default=text("true")),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("laatst_aangemeld", DateTime(timezone=True)),
    Column(
        "mislukte_pogingen",
        Integer,
        CheckConstraint("mislukte_pogingen >= 0"),
        nullable=False,
        server_default=text("0"),
    ),
    Column("geblokkeerd_tot", DateTime(timezone=True)),
    UniqueConstraint("email", name="gebruikers_email_uniek"),
    Index("gebruikers_organisatie_idx", "organisatie_id"),
)

sessies = Table(
    "sessies",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("gebruiker_id", BigInteger, ForeignKey("gebruikers.id"), nullable=False),
    Column("token_hash", LargeBinary, CheckConstraint("length(token_hash) = 32"), nullable=False),
    Column("csrf_hash", LargeBinary, CheckConstraint("length(csrf_hash) = 32"), nullable=False),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("laatst_gebruikt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("verloopt_op", DateTime(timezone=True), nullable=False),
    Column("client", Text, CheckConstraint("length(client) <= 100")),
    UniqueConstraint("token_hash", name="sessies_token_uniek"),
    Index("sessies_gebruiker_idx", "gebruiker_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("gebruiker_id", BigInteger, ForeignKey("gebruikers.id"), nullable=False),
    Column("naam", Text, CheckConstraint("length(btrim(naam)) BETWEEN 1 AND 120"), nullable=False),
    Column("prefix", Text, CheckConstraint("length(prefix) BETWEEN 4 AND 16"), nullable=False),
    Column("token_hash", LargeBinary, CheckConstraint("length(token_hash) = 32"), nullable=False),
    Column("aangemaakt", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("laatst_gebruikt", DateTime(timezone=True)),
    Column("verloopt_op", DateTime(timezone=True)),
    Column("ingetrokken_op", DateTime(timezone=True)),
    UniqueConstraint("token_hash", name="api_tokens_token_uniek"),
    Index("api_tokens_gebruiker_idx", "gebruiker_id"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("tijdstip", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("gebruiker_id", BigInteger, ForeignKey("gebruikers.id")),
    Column("organisatie_id", BigInteger, ForeignKey("organisaties.id")),
    Column("gemeente", Text, CheckConstraint("gemeente ~ '^GM[0-9]{4}$'")),
    Column("actie", Text, CheckConstraint("actie ~ '^[a-z][a-z_.]{1,59}$'"), nullable=False),
    Column("object_soort", Text, CheckConstraint("length(object_soort) <= 60")),
    Column("object_id", Text, CheckConstraint("length(object_id) <= 200")),
    Column("voor", JSONB),
    Column("na", JSONB),
    Column("client", Text, CheckConstraint("length(client) <= 100")),
    Column("details", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Index("audit_gemeente_tijdstip_idx", "gemeente", "tijdstip"),
)
