"""Sign-in, row-level security and the audit trail ("openbaar, tenzij" inside PostgreSQL).

- ``gebruikers``: a person of an organisation (``organisaties``, migration 0006) with a role:
  ``beheerder`` (users and all data of the gemeente), ``planner`` (reads, delivers, saves
  scenarios), ``lezer`` (reads). E-mail addresses are stored in lower case and unique; passwords
  only as argon2id hashes (NULL: no password sign-in, e.g. a later OpenID Connect account).
  Failed sign-ins are counted per account and block it for a while (shared by every worker).
- ``sessies``: signed-in browsers. Only the SHA-256 of the session token and of its CSRF token
  are stored; a session ends at ``verloopt_op`` or after a period without use.
- ``api_tokens``: tokens for scripts (``Authorization: Bearer``), stored as SHA-256 hashes with a
  short prefix to recognise them; revoked tokens keep their row.
- ``audit``: append-only. The application role may INSERT and SELECT (beheerders of the gemeente
  only, through RLS), never UPDATE or DELETE; a trigger refuses UPDATE, DELETE and TRUNCATE for
  every role, the owner included.
- ``raster_leveringen.organisatie_id``: the delivering organisation (backfilled by name, as 0006
  did for ``leveringen``), so an ``eigen`` raster is visible to its own organisation.

Row-level security (ENABLE + FORCE) on every table with partner records, deliveries or rasters,
driven by per-transaction settings the API sets for its principal (``layers.access``):
``sia.gebruiker``, ``sia.organisatie``, ``sia.rol``, ``sia.gemeente``; unset means anonymous.
The rule is written once, in ``sia_mag_lezen`` (read) and ``sia_mag_schrijven`` (write):

- everyone: class ``openbaar``, and the operator's synthetic demonstration records (synthetic
  and loaded ``via = 'beheer'``), the public view of migration 0005;
- a signed-in user additionally: ``partners`` records of its gemeente (tenant organisations and
  the BO included) and everything of its own organisation (``eigen``);
- a ``beheerder``: all data of its gemeente.
- writing (deliveries, rasters): ``planner`` or ``beheerder``; a planner for its own organisation
  only, a beheerder for any organisation of its gemeente. Nobody deletes partner data.

Delivery rows themselves (who delivered what for which period: the completeness table) are
readable by everyone, except the ``contact`` column, which the application role cannot read.

Scenarios get an author (``gebruiker_id``, ``organisatie_id``) and a class
(``vertrouwelijkheid``; scenarios saved before sign-in existed are ``openbaar``, as they were):
read by ``sia_mag_lezen`` like partner data, saved by planners and beheerders for their own
organisation, (softly) deleted by a planner of that organisation or a beheerder of the gemeente.

DIA proposals (migration 0007) get their author too. Who reads them:

- signed-in users of the proposal's gemeente (tenant organisations and the BO included): every
  proposal, every version, every comment and commitment;
- everyone else (the public, and users of another gemeente): proposals whose newest version is
  ``voorgesteld`` or ``vastgesteld``, and of those only the versions with that status (not the
  concepts before it, not comments or commitments).

Who writes: a new proposal, by a planner or beheerder of the gemeente (for its own organisation);
a new version (an edit or a status change, ``vastgesteld`` included) by a beheerder of the
gemeente, or a planner of an organisation involved in it (the one that started it, or one named
among the partners of its newest version); a comment by any signed-in user of the gemeente, in
the name of its own organisation; a commitment by a planner for its own organisation or a
beheerder for any organisation of the gemeente. Nothing of a proposal is ever changed or deleted
(the triggers of 0007).

Aggregates: the figures per buurt count every record, also those the viewer may not read, under
the written disclosure rule (a figure over hidden records must still meet its threshold after any
one organisation's records are left out); a drawn area gets the hidden part of its buurten only as
those buurt figures, apportioned. The SECURITY DEFINER functions that do so are in
``0008_openbaarmaking.sql`` beside this file (their comments state the rule; ``layers.disclosure``
in words).

The API connects as ``sia_app``: a role that owns nothing, is no superuser and has no BYPASSRLS
(``layers.db.roles``). This migration creates it without LOGIN when it does not exist yet and
grants what the API needs; the table owner (who runs the migrations and the operator's CLI) keeps
full access through an explicit policy.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

APP_ROLE = "sia_app"  # layers.db.roles.APP_ROLE; identifiers from code only

_RECORD_TABLES = ("bezit", "projecten", "verkoop")
_PROPOSAL_TABLES = ("voorstellen", "voorstel_versies", "voorstel_reacties", "voorstel_toezeggingen")
_RLS_TABLES = (
    "leveringen",
    *_RECORD_TABLES,
    "raster_leveringen",
    "raster_statistieken",
    "audit",
    "scenarios",
    *_PROPOSAL_TABLES,
)
_ACCOUNT_SEQUENCES = ("gebruikers_id_seq", "sessies_id_seq", "api_tokens_id_seq", "audit_id_seq")
_DATA_SEQUENCES = (
    "leveringen_id_seq",
    "bezit_id_seq",
    "projecten_id_seq",
    "verkoop_id_seq",
    "raster_leveringen_id_seq",
    "raster_statistieken_id_seq",
    "scenarios_id_seq",
    "voorstellen_id_seq",
    "voorstel_versies_id_seq",
    "voorstel_reacties_id_seq",
    "voorstel_toezeggingen_id_seq",
)

_ROLE = f"""
DO $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'The role {APP_ROLE} does not exist and % may not create it. Ask the '
                'database administrator to run: CREATE ROLE {APP_ROLE} LOGIN PASSWORD ''...'' '
                'NOSUPERUSER NOBYPASSRLS; then migrate again and set SIA_APP_DATABASE_URL.',
                current_user;
        END IF;
        CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    -- the owner may act as the app role (the SET ROLE fallback of layers.db.roles)
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, '{APP_ROLE}', 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT {APP_ROLE} TO %I', current_user);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'could not grant {APP_ROLE} to %: set SIA_APP_DATABASE_URL', current_user;
        END;
    END IF;
END
$do$
"""

_TABLES = [
    """
    CREATE TABLE gebruikers (
        id                bigserial PRIMARY KEY,
        organisatie_id    bigint NOT NULL REFERENCES organisaties (id),
        naam              text NOT NULL CHECK (length(btrim(naam)) BETWEEN 1 AND 120),
        email             text NOT NULL CHECK (email = lower(btrim(email)) AND length(email) <= 254
                                               AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
        wachtwoord_hash   text CHECK (wachtwoord_hash LIKE '$argon2id$%'),
        rol               text NOT NULL CHECK (rol IN ('beheerder', 'planner', 'lezer')),
        actief            boolean NOT NULL DEFAULT true,
        aangemaakt        timestamptz NOT NULL DEFAULT now(),
        laatst_aangemeld  timestamptz,
        mislukte_pogingen integer NOT NULL DEFAULT 0 CHECK (mislukte_pogingen >= 0),
        geblokkeerd_tot   timestamptz,
        CONSTRAINT gebruikers_email_uniek UNIQUE (email)
    )
    """,
    "CREATE INDEX gebruikers_organisatie_idx ON gebruikers (organisatie_id)",
    """
    CREATE TABLE sessies (
        id              bigserial PRIMARY KEY,
        gebruiker_id    bigint NOT NULL REFERENCES gebruikers (id),
        token_hash      bytea NOT NULL CHECK (length(token_hash) = 32),
        csrf_hash       bytea NOT NULL CHECK (length(csrf_hash) = 32),
        aangemaakt      timestamptz NOT NULL DEFAULT now(),
        laatst_gebruikt timestamptz NOT NULL DEFAULT now(),
        verloopt_op     timestamptz NOT NULL,
        client          text CHECK (length(client) <= 100),
        CONSTRAINT sessies_token_uniek UNIQUE (token_hash)
    )
    """,
    "CREATE INDEX sessies_gebruiker_idx ON sessies (gebruiker_id)",
    """
    CREATE TABLE api_tokens (
        id              bigserial PRIMARY KEY,
        gebruiker_id    bigint NOT NULL REFERENCES gebruikers (id),
        naam            text NOT NULL CHECK (length(btrim(naam)) BETWEEN 1 AND 120),
        prefix          text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
        token_hash      bytea NOT NULL CHECK (length(token_hash) = 32),
        aangemaakt      timestamptz NOT NULL DEFAULT now(),
        laatst_gebruikt timestamptz,
        verloopt_op     timestamptz,
        ingetrokken_op  timestamptz,
        CONSTRAINT api_tokens_token_uniek UNIQUE (token_hash)
    )
    """,
    "CREATE INDEX api_tokens_gebruiker_idx ON api_tokens (gebruiker_id)",
    """
    CREATE TABLE audit (
        id             bigserial PRIMARY KEY,
        tijdstip       timestamptz NOT NULL DEFAULT now(),
        gebruiker_id   bigint REFERENCES gebruikers (id),
        organisatie_id bigint REFERENCES organisaties (id),
        gemeente       text CHECK (gemeente ~ '^GM[0-9]{4}$'),
        actie          text NOT NULL CHECK (actie ~ '^[a-z][a-z_.]{1,59}$'),
        object_soort   text CHECK (length(object_soort) <= 60),
        object_id      text CHECK (length(object_id) <= 200),
        voor           jsonb,
        na             jsonb,
        client         text CHECK (length(client) <= 100),
        details        jsonb NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX audit_gemeente_tijdstip_idx ON audit (gemeente, tijdstip)",
    """
    CREATE FUNCTION audit_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        RAISE EXCEPTION 'het auditspoor is alleen aan te vullen (% geweigerd)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $body$
    """,
    "CREATE TRIGGER audit_alleen_toevoegen BEFORE UPDATE OR DELETE ON audit "
    "FOR EACH ROW EXECUTE FUNCTION audit_alleen_toevoegen()",
    "CREATE TRIGGER audit_niet_legen BEFORE TRUNCATE ON audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_alleen_toevoegen()",
    "ALTER TABLE raster_leveringen ADD COLUMN organisatie_id bigint REFERENCES organisaties (id)",
    "UPDATE raster_leveringen r SET organisatie_id = o.id FROM organisaties o "
    "WHERE o.gemeente = r.gemeente AND o.naam = r.partner",
    # scenarios: author and class (those saved before sign-in stay public, as they were)
    "ALTER TABLE scenarios ADD COLUMN organisatie_id bigint REFERENCES organisaties (id), "
    "ADD COLUMN gebruiker_id bigint REFERENCES gebruikers (id), "
    "ADD COLUMN vertrouwelijkheid text NOT NULL DEFAULT 'openbaar' "
    "CHECK (vertrouwelijkheid IN ('openbaar', 'partners', 'eigen'))",
    # proposals: who wrote each part
    *(
        f"ALTER TABLE {table} ADD COLUMN organisatie_id bigint REFERENCES organisaties (id), "
        "ADD COLUMN gebruiker_id bigint REFERENCES gebruikers (id)"
        for table in _PROPOSAL_TABLES
    ),
]

# The principal of the current transaction (set by layers.access; unset or empty = anonymous)
_FUNCTIONS = [
    "CREATE FUNCTION sia_gebruiker() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS "
    "$$ SELECT nullif(current_setting('sia.gebruiker', true), '')::bigint $$",
    "CREATE FUNCTION sia_organisatie() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS "
    "$$ SELECT nullif(current_setting('sia.organisatie', true), '')::bigint $$",
    "CREATE FUNCTION sia_rol() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS "
    "$$ SELECT nullif(current_setting('sia.rol', true), '') $$",
    "CREATE FUNCTION sia_gemeente() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS "
    "$$ SELECT nullif(current_setting('sia.gemeente', true), '') $$",
    # whether a principal (`rol` NULL: anonymous) of organisation `mijn_organisatie` in
    # `mijn_gemeente` may read a row of class `klasse`, delivered by `organisatie` for `gemeente`
    # (the disclosure functions also ask it for "any signed-in partner of the gemeente")
    """
    CREATE FUNCTION sia_mag_lezen_als(klasse text, synthetisch boolean, via text, organisatie bigint,
                                      gemeente text, rol text, mijn_organisatie bigint,
                                      mijn_gemeente text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(
            klasse = 'openbaar'
            OR (synthetisch AND via = 'beheer')
            OR (rol IS NOT NULL AND (
                    organisatie = mijn_organisatie
                    OR (gemeente = mijn_gemeente AND (klasse = 'partners' OR rol = 'beheerder')))),
            false)
    $$
    """,
    # who may read a row of class `klasse`, delivered by `organisatie` for `gemeente`: the
    # principal of the transaction
    """
    CREATE FUNCTION sia_mag_lezen(klasse text, synthetisch boolean, via text, organisatie bigint,
                                  gemeente text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT sia_mag_lezen_als(klasse, synthetisch, via, organisatie, gemeente,
                                 sia_rol(), sia_organisatie(), sia_gemeente())
    $$
    """,
    # who may deliver (or deactivate a version) for `organisatie` in `gemeente`
    """
    CREATE FUNCTION sia_mag_schrijven(organisatie bigint, gemeente text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT coalesce(
            sia_rol() IN ('planner', 'beheerder')
            AND gemeente = sia_gemeente()
            AND (organisatie = sia_organisatie() OR sia_rol() = 'beheerder'),
            false)
    $$
    """,
    # proposals: the helpers read other proposal tables as the owner (SECURITY DEFINER), so the
    # policies do not recurse into each other
    """
    CREATE FUNCTION sia_voorstel_van_mijn_gemeente(voorstel bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT coalesce(sia_rol() IS NOT NULL AND EXISTS (
            SELECT 1 FROM voorstellen p WHERE p.id = voorstel AND p.gemeente = sia_gemeente()), false)
    $$
    """,
    """
    CREATE FUNCTION sia_voorstel_openbaar(voorstel bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT coalesce((SELECT x.status FROM voorstel_versies x WHERE x.voorstel_id = voorstel
                         ORDER BY x.versie DESC LIMIT 1) IN ('voorgesteld', 'vastgesteld'), false)
    $$
    """,
    """
    CREATE FUNCTION sia_mag_voorstel_schrijven(voorstel bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT coalesce(sia_rol() IN ('planner', 'beheerder') AND EXISTS (
            SELECT 1 FROM voorstellen p
            WHERE p.id = voorstel AND p.gemeente = sia_gemeente()
              AND (sia_rol() = 'beheerder'
                   OR p.organisatie_id = sia_organisatie()
                   OR (SELECT o.naam FROM organisaties o WHERE o.id = sia_organisatie()) = ANY (
                          SELECT unnest(x.partners) FROM (
                              SELECT partners FROM voorstel_versies v WHERE v.voorstel_id = p.id
                              ORDER BY v.versie DESC LIMIT 1) x))), false)
    $$
    """,
]

_DEFINER_FUNCTIONS = (
    "sia_voorstel_van_mijn_gemeente(bigint)",
    "sia_voorstel_openbaar(bigint)",
    "sia_mag_voorstel_schrijven(bigint)",
    "sia_partner_aggregaten(text, integer, bigint[], bigint[], bigint[])",
    "sia_gebied_bezit(text, integer, bigint[], text[])",
    "sia_verborgen(bigint[], bigint[], bigint[])",
)
"""SECURITY DEFINER: executable by the app role only (not by PUBLIC)."""
_OWNER_FUNCTIONS = (
    "sia_bezit_buurtcijfers(text, integer, bigint[], text[])",
    "sia_bezit_in_buurten(text, integer, bigint[], text[])",
)
"""Helpers of the disclosure functions that return raw figures of hidden records: executed by
those functions as the owner; not executable by the app role (EXECUTE revoked from PUBLIC)."""
_HELPER_FUNCTIONS = (
    "sia_regel_som(bigint[], double precision[], double precision[], bigint[], double precision[], "
    "double precision[])",
    "sia_regel_som_deel(bigint[], double precision[], double precision[])",
    "sia_regel_aandeel(numeric[], numeric[])",
    "sia_regel_aandeel_deel(numeric[])",
    "sia_openbaarmakingsregel()",
)


def _disclosure_functions() -> list[str]:
    """The statements of ``0008_openbaarmaking.sql`` (one CREATE FUNCTION each)."""
    import re
    from pathlib import Path

    body = Path(__file__).with_name("0008_openbaarmaking.sql").read_text()
    parts = re.split(r"\n(?=CREATE FUNCTION )", body)
    return parts[1:]


def _record_read(table: str) -> str:
    """A record is readable when ``sia_mag_lezen`` allows its class for its delivery.

    Written per (class, synthetic) as ``levering_id IN (deliveries readable for that class)``: an
    uncorrelated subquery that PostgreSQL runs once per query and probes by hash. A correlated
    ``EXISTS (... l.id = levering_id ...)`` runs once per row: about 8 µs each, 0.8 s on 100,000
    holdings (benchmarks/bench_rls.py).
    """
    parts = [
        f"({table}.vertrouwelijkheid = '{klasse}' AND {'' if syn else 'NOT '}{table}.synthetisch "
        f"AND {table}.levering_id IN (SELECT l.id FROM leveringen l WHERE "
        f"sia_mag_lezen('{klasse}', {str(syn).lower()}, l.via, l.organisatie_id, l.gemeente)))"
        for klasse in ("openbaar", "partners", "eigen")
        for syn in (False, True)
    ]
    return "\n OR ".join(parts)


def _record_write(table: str) -> str:
    return (
        f"{table}.levering_id IN (SELECT l.id FROM leveringen l "
        "WHERE sia_mag_schrijven(l.organisatie_id, l.gemeente))"
    )


_RASTER_READ = (
    "sia_mag_lezen(vertrouwelijkheid, synthetisch, via, organisatie_id, gemeente)",
    "raster_statistieken.raster_levering_id IN (SELECT r.id FROM raster_leveringen r "
    "WHERE sia_mag_lezen(r.vertrouwelijkheid, r.synthetisch, r.via, r.organisatie_id, r.gemeente))",
)


def _policies() -> list[str]:
    """(table, command, USING, WITH CHECK) for the app role; the owner gets everything."""
    rules: list[tuple[str, str, str | None, str | None]] = [
        ("leveringen", "SELECT", "true", None),
        ("leveringen", "INSERT", None, "sia_mag_schrijven(organisatie_id, gemeente)"),
        (
            "leveringen",
            "UPDATE",
            "sia_mag_schrijven(organisatie_id, gemeente)",
            "sia_mag_schrijven(organisatie_id, gemeente)",
        ),
        ("raster_leveringen", "SELECT", _RASTER_READ[0], None),
        ("raster_leveringen", "INSERT", None, "sia_mag_schrijven(organisatie_id, gemeente)"),
        (
            "raster_leveringen",
            "UPDATE",
            "sia_mag_schrijven(organisatie_id, gemeente)",
            "sia_mag_schrijven(organisatie_id, gemeente)",
        ),
        ("raster_statistieken", "SELECT", _RASTER_READ[1], None),
        (
            "raster_statistieken",
            "INSERT",
            None,
            "raster_statistieken.raster_levering_id IN (SELECT r.id FROM raster_leveringen r "
            "WHERE sia_mag_schrijven(r.organisatie_id, r.gemeente))",
        ),
        ("audit", "SELECT", "sia_rol() = 'beheerder' AND gemeente = sia_gemeente()", None),
        ("audit", "INSERT", None, "true"),
        (
            "scenarios",
            "SELECT",
            "sia_mag_lezen(vertrouwelijkheid, false, 'upload', organisatie_id, gemeente)",
            None,
        ),
        (
            "scenarios",
            "INSERT",
            None,
            "gebruiker_id = sia_gebruiker() AND organisatie_id = sia_organisatie() "
            "AND sia_mag_schrijven(organisatie_id, gemeente)",
        ),
        (
            "scenarios",
            "UPDATE",
            "sia_mag_schrijven(organisatie_id, gemeente)",
            "sia_mag_schrijven(organisatie_id, gemeente)",
        ),
        (
            "voorstellen",
            "SELECT",
            "(sia_rol() IS NOT NULL AND gemeente = sia_gemeente()) OR sia_voorstel_openbaar(id)",
            None,
        ),
        (
            "voorstellen",
            "INSERT",
            None,
            "sia_rol() IN ('planner', 'beheerder') AND gemeente = sia_gemeente() "
            "AND organisatie_id = sia_organisatie() AND gebruiker_id = sia_gebruiker()",
        ),
        (
            "voorstel_versies",
            "SELECT",
            "sia_voorstel_van_mijn_gemeente(voorstel_id) "
            "OR (status IN ('voorgesteld', 'vastgesteld') AND sia_voorstel_openbaar(voorstel_id))",
            None,
        ),
        (
            "voorstel_versies",
            "INSERT",
            None,
            "sia_mag_voorstel_schrijven(voorstel_id) AND gebruiker_id = sia_gebruiker() "
            "AND organisatie_id = sia_organisatie()",
        ),
        ("voorstel_reacties", "SELECT", "sia_voorstel_van_mijn_gemeente(voorstel_id)", None),
        (
            "voorstel_reacties",
            "INSERT",
            None,
            "sia_voorstel_van_mijn_gemeente(voorstel_id) AND gebruiker_id = sia_gebruiker() "
            "AND organisatie_id = sia_organisatie()",
        ),
        ("voorstel_toezeggingen", "SELECT", "sia_voorstel_van_mijn_gemeente(voorstel_id)", None),
        (
            "voorstel_toezeggingen",
            "INSERT",
            None,
            "sia_voorstel_van_mijn_gemeente(voorstel_id) AND gebruiker_id = sia_gebruiker() "
            "AND sia_mag_schrijven(organisatie_id, sia_gemeente())",
        ),
    ]
    for table in _RECORD_TABLES:
        rules.append((table, "SELECT", _record_read(table), None))
        rules.append((table, "INSERT", None, _record_write(table)))
    sql = []
    for table in _RLS_TABLES:
        sql.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        sql.append(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        sql.append(f"CREATE POLICY eigenaar ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")
    for table, command, using, check in rules:
        clause = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
        sql.append(f"CREATE POLICY app_{command.lower()} ON {table} FOR {command} TO {APP_ROLE}{clause}")
    return sql


_GRANTS = [
    f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}",
    f"GRANT SELECT ON buurten, wijken, leefbaarometer, load_log, organisaties TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE ON scenarios TO {APP_ROLE}",
    f"GRANT INSERT, UPDATE ON leveringen TO {APP_ROLE}",
    f"GRANT SELECT, INSERT ON bezit, projecten, verkoop, raster_statistieken TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE ON raster_leveringen TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE ON gebruikers, api_tokens TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON sessies TO {APP_ROLE}",
    f"GRANT SELECT, INSERT ON audit TO {APP_ROLE}",
    f"GRANT SELECT, INSERT ON {', '.join(_PROPOSAL_TABLES)} TO {APP_ROLE}",
    *(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in (*_DEFINER_FUNCTIONS, *_OWNER_FUNCTIONS)),
    *(f"GRANT EXECUTE ON FUNCTION {f} TO {APP_ROLE}" for f in _DEFINER_FUNCTIONS),
    f"GRANT USAGE ON SEQUENCE {', '.join(_DATA_SEQUENCES + _ACCOUNT_SEQUENCES)} TO {APP_ROLE}",
    # every column of a delivery except the contact person (personal data)
    f"""
    DO $do$
    BEGIN
        EXECUTE (SELECT format('GRANT SELECT (%s) ON leveringen TO {APP_ROLE}',
                               string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position))
                 FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = 'leveringen'
                   AND column_name <> 'contact');
    END
    $do$
    """,
]


def upgrade() -> None:
    op.execute(_ROLE)
    for statement in (*_TABLES, *_FUNCTIONS, *_disclosure_functions(), *_policies(), *_GRANTS):
        op.execute(statement)


def downgrade() -> None:
    tables = (
        "buurten, wijken, leefbaarometer, load_log, organisaties, scenarios, leveringen, bezit, "
        "projecten, verkoop, raster_leveringen, raster_statistieken, " + ", ".join(_PROPOSAL_TABLES)
    )
    op.execute(f"REVOKE ALL ON {tables} FROM {APP_ROLE}")
    op.execute(f"REVOKE ALL ON SEQUENCE {', '.join(_DATA_SEQUENCES)} FROM {APP_ROLE}")
    for table in _RLS_TABLES:
        if table == "audit":
            continue
        for policy in ("eigenaar", "app_select", "app_insert", "app_update"):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for function in (*_DEFINER_FUNCTIONS, *_OWNER_FUNCTIONS, *_HELPER_FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
    for table in _PROPOSAL_TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN organisatie_id, DROP COLUMN gebruiker_id")
    op.execute(
        "ALTER TABLE scenarios DROP COLUMN organisatie_id, DROP COLUMN gebruiker_id, "
        "DROP COLUMN vertrouwelijkheid"
    )
    op.execute("DROP TABLE audit, api_tokens, sessies, gebruikers")
    op.execute("DROP FUNCTION audit_alleen_toevoegen()")
    op.execute("ALTER TABLE raster_leveringen DROP COLUMN organisatie_id")
    for function in (
        "sia_mag_schrijven(bigint, text)",
        "sia_mag_lezen(text, boolean, text, bigint, text)",
        "sia_mag_lezen_als(text, boolean, text, bigint, text, text, bigint, text)",
        "sia_gemeente()",
        "sia_rol()",
        "sia_organisatie()",
        "sia_gebruiker()",
    ):
        op.execute(f"DROP FUNCTION {function}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}")
