"""Row-level security, proven in SQL as the application role ``sia_app`` (migration 0008).

Partner records, deliveries and rasters of every class are written as the owner; each principal
then reads them through the application's own engine (``layers.db.roles.app_engine``), which sets
the principal per transaction. The expected sets are the rule of DESIGN.md and issue 10, written
out per principal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import Connection, Engine, text

from layers.access import ANONYMOUS, Principal, connect_as, set_principal, view_key
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.db.roles import ACCOUNT_TABLES, APP_ROLE, OPEN_TABLES, RLS_TABLES, app_engine
from tests.conftest import _conninfo, _create_db, as_app_role

pytestmark = pytest.mark.postgis

RECORD_TABLES = ("bezit", "projecten", "verkoop")
LABEL = {"bezit": "adres", "projecten": "projectnaam", "verkoop": "adres"}


@dataclass(frozen=True)
class Delivery:
    key: str
    org: str | None  # slug of the delivering organisation
    gemeente: str
    via: str
    synthetisch: bool
    records: tuple[tuple[str, str], ...]  # (label, class)


DELIVERIES = (
    Delivery(
        "domijn",
        "domijn",
        "GM0153",
        "upload",
        False,
        (("domijn-openbaar", "openbaar"), ("domijn-partners", "partners"), ("domijn-eigen", "eigen")),
    ),
    Delivery(
        "onshuis",
        "ons_huis",
        "GM0153",
        "upload",
        False,
        (("onshuis-openbaar", "openbaar"), ("onshuis-partners", "partners"), ("onshuis-eigen", "eigen")),
    ),
    # the operator's synthetic demonstration data: public whatever their class (migration 0005)
    Delivery("demo", "ons_huis", "GM0153", "beheer", True, (("demo-eigen", "eigen"),)),
    # a file uploaded as "synthetisch": the flag alone does not publish it
    Delivery("upload-syn", "domijn", "GM0153", "upload", True, (("upload-synthetisch-eigen", "eigen"),)),
    Delivery("onbekend", None, "GM0153", "upload", False, (("onbekend-eigen", "eigen"),)),
    Delivery(
        "mitros",
        "mitros",
        "GM0344",
        "upload",
        False,
        (("mitros-partners", "partners"), ("mitros-eigen", "eigen")),
    ),
)

PUBLIC = {"domijn-openbaar", "onshuis-openbaar", "demo-eigen"}
PARTNERS_0153 = {"domijn-partners", "onshuis-partners"}
ALL_0153 = (
    PUBLIC | PARTNERS_0153 | {"domijn-eigen", "onshuis-eigen", "upload-synthetisch-eigen", "onbekend-eigen"}
)

# principal name → (organisation slug, gemeente, role, expected records)
PRINCIPALS: dict[str, tuple[str | None, str | None, str | None, set[str]]] = {
    "anoniem": (None, None, None, PUBLIC),
    "domijn-lezer": (
        "domijn",
        "GM0153",
        "lezer",
        PUBLIC | PARTNERS_0153 | {"domijn-eigen", "upload-synthetisch-eigen"},
    ),
    "domijn-planner": (
        "domijn",
        "GM0153",
        "planner",
        PUBLIC | PARTNERS_0153 | {"domijn-eigen", "upload-synthetisch-eigen"},
    ),
    "onshuis-planner": ("ons_huis", "GM0153", "planner", PUBLIC | PARTNERS_0153 | {"onshuis-eigen"}),
    "huurders-lezer": ("huurdersorganisaties", "GM0153", "lezer", PUBLIC | PARTNERS_0153),
    "bo-lezer": ("bo", "GM0153", "lezer", PUBLIC | PARTNERS_0153),
    "gemeente-planner": ("gemeente", "GM0153", "planner", PUBLIC | PARTNERS_0153),
    "gemeente-beheerder": ("gemeente", "GM0153", "beheerder", ALL_0153),
    "mitros-planner": ("mitros", "GM0344", "planner", PUBLIC | {"mitros-partners", "mitros-eigen"}),
    "mitros-beheerder": ("mitros", "GM0344", "beheerder", PUBLIC | {"mitros-partners", "mitros-eigen"}),
}

# rasters: (label, organisation slug, gemeente, class, synthetic, via)
RASTERS = (
    ("raster-openbaar", "gemeente", "GM0153", "openbaar", False, "upload"),
    ("raster-partners", "domijn", "GM0153", "partners", False, "upload"),
    ("raster-eigen-domijn", "domijn", "GM0153", "eigen", False, "upload"),
    ("raster-demo-eigen", "gemeente", "GM0153", "eigen", True, "beheer"),
    ("raster-eigen-mitros", "mitros", "GM0344", "eigen", False, "upload"),
)
RASTERS_EXPECTED = {
    "anoniem": {"raster-openbaar", "raster-demo-eigen"},
    "domijn-lezer": {"raster-openbaar", "raster-demo-eigen", "raster-partners", "raster-eigen-domijn"},
    "huurders-lezer": {"raster-openbaar", "raster-demo-eigen", "raster-partners"},
    "gemeente-beheerder": {"raster-openbaar", "raster-demo-eigen", "raster-partners", "raster-eigen-domijn"},
    "mitros-planner": {"raster-openbaar", "raster-demo-eigen", "raster-eigen-mitros"},
}


@dataclass
class World:
    owner: Engine
    app: Engine
    app_url: str
    orgs: dict[str, int]
    deliveries: dict[str, int]

    def principal(self, name: str) -> Principal:
        slug, gemeente, rol, _ = PRINCIPALS[name]
        if slug is None:
            return ANONYMOUS
        return Principal(gebruiker_id=1, organisatie_id=self.orgs[slug], gemeente=gemeente, rol=rol)  # type: ignore[arg-type]


def _insert_delivery(conn: Connection, d: Delivery, orgs: dict[str, int], versie: int) -> int:
    lid = conn.execute(
        text(
            "INSERT INTO leveringen (partner, periode, versie, synthetisch, bron_bestand, sha256, contact, "
            "via, gemeente, organisatie_id) VALUES (:p, '2026-najaar', :v, :s, :f, 'x', 'Jan, 06-12345678', "
            ":via, :gm, :o) RETURNING id"
        ),
        {
            "p": d.key,
            "v": versie,
            "s": d.synthetisch,
            "f": f"{d.key}.xlsx",
            "via": d.via,
            "gm": d.gemeente,
            "o": orgs[d.org] if d.org else None,
        },
    ).scalar_one()
    common = "levering_id, partner, periode, vertrouwelijkheid, synthetisch"
    values = ":l, :p, '2026-najaar', :k, :s"
    for label, klasse in d.records:
        params = {"l": lid, "p": d.key, "k": klasse, "s": d.synthetisch, "lab": label}
        conn.execute(
            text(
                f"INSERT INTO bezit ({common}, corporatie, adres, buurtcode, aantal_woningen) "
                f"VALUES ({values}, :p, :lab, 'BU01530000', 1)"
            ),
            params,
        )
        conn.execute(
            text(
                f"INSERT INTO verkoop ({common}, corporatie, adres, buurtcode) "
                f"VALUES ({values}, :p, :lab, 'BU01530000')"
            ),
            params,
        )
        conn.execute(
            text(
                f"INSERT INTO projecten ({common}, projectnaam, partij, type, geom) "
                f"VALUES ({values}, :lab, :p, 'nieuwbouw', ST_SetSRID(ST_MakePoint(258000, 471000), 28992))"
            ),
            params,
        )
    return int(lid)


def _build(url: str, app_url: str) -> World:
    owner = make_engine(url)
    with owner.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisaties (gemeente, naam, soort, slug) "
                "VALUES ('GM0344', 'Mitros', 'corporatie', 'mitros')"
            )
        )
        orgs = {r.slug: int(r.id) for r in conn.execute(text("SELECT id, slug FROM organisaties"))}
        deliveries = {d.key: _insert_delivery(conn, d, orgs, i + 1) for i, d in enumerate(DELIVERIES)}
        for i, (label, slug, gemeente, klasse, syn, via) in enumerate(RASTERS):
            rid = conn.execute(
                text(
                    "INSERT INTO raster_leveringen (indicator, label, periode, partner, vertrouwelijkheid, "
                    "synthetisch, versie, bron_bestand, sha256, via, gemeente, organisatie_id) VALUES "
                    "(:ind, :label, '2026-najaar', :slug, :k, :syn, 1, 'r.tif', 'x', :via, :gm, :o) "
                    "RETURNING id"
                ),
                {
                    "ind": f"r{i}",
                    "label": label,
                    "slug": slug,
                    "k": klasse,
                    "syn": syn,
                    "via": via,
                    "gm": gemeente,
                    "o": orgs[slug],
                },
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO raster_statistieken (raster_levering_id, buurtcode, gemiddelde, cellen) "
                    "VALUES (:r, 'BU01530000', 30.5, 10)"
                ),
                {"r": rid},
            )
    return World(owner, app_engine(app_database_url=app_url, database_url=None), app_url, orgs, deliveries)


@pytest.fixture(scope="module")
def world(cluster: LocalCluster, template_url: str, app_role: str) -> Iterator[World]:
    """One database for the reading tests (they change nothing)."""
    url = _create_db(cluster, "sia_rls_lezen", template="sia_template")
    w = _build(url, as_app_role(url, app_role))
    yield w
    w.app.dispose()
    w.owner.dispose()


@pytest.fixture
def fresh_world(db_url: str, app_db_url: str) -> Iterator[World]:
    """A database of its own, for tests that write."""
    w = _build(db_url, app_db_url)
    yield w
    w.app.dispose()
    w.owner.dispose()


def _labels(world: World, principal: Principal, sql: str) -> set[str]:
    with connect_as(world.app, principal) as conn:
        return {r[0] for r in conn.execute(text(sql))}


@pytest.mark.parametrize("table", RECORD_TABLES)
@pytest.mark.parametrize("who", PRINCIPALS)
def test_records_visible_per_role_and_organisation(world: World, table: str, who: str) -> None:
    seen = _labels(world, world.principal(who), f"SELECT {LABEL[table]} FROM {table}")
    assert seen == PRINCIPALS[who][3]


@pytest.mark.parametrize("who", RASTERS_EXPECTED)
def test_rasters_and_their_statistics_visible_per_role(world: World, who: str) -> None:
    principal = world.principal(who)
    assert _labels(world, principal, "SELECT label FROM raster_leveringen") == RASTERS_EXPECTED[who]
    stats = _labels(
        world,
        principal,
        "SELECT r.label FROM raster_statistieken s JOIN raster_leveringen r ON r.id = s.raster_levering_id",
    )
    assert stats == RASTERS_EXPECTED[who]
    # statistics without the join: exactly as many as the visible rasters (no orphans leak)
    with connect_as(world.app, principal) as conn:
        assert conn.execute(text("SELECT count(*) FROM raster_statistieken")).scalar_one() == len(
            RASTERS_EXPECTED[who]
        )


def test_principals_with_the_same_view_key_see_the_same_rows(world: World) -> None:
    """layers.access.view_key is what caches of RLS-filtered data must be keyed by."""
    seen: dict[tuple[object, ...], set[str]] = {}
    for who in PRINCIPALS:
        principal = world.principal(who)
        labels = _labels(world, principal, "SELECT adres FROM bezit")
        assert seen.setdefault(view_key(principal), labels) == labels, who
    assert len(seen) == len(PRINCIPALS) - 1  # only Domijn's lezer and planner share a key


def test_owner_sees_everything(world: World) -> None:
    with world.owner.connect() as conn:
        assert {r[0] for r in conn.execute(text("SELECT adres FROM bezit"))} == ALL_0153 | {
            "mitros-partners",
            "mitros-eigen",
        }


def test_without_any_setting_the_app_role_sees_the_public_view(world: World) -> None:
    """A connection that never set a principal (not through layers.access) is anonymous."""
    with psycopg.connect(**_conninfo(world.app_url)) as conn:  # type: ignore[arg-type]
        labels = {r[0] for r in conn.execute("SELECT adres FROM bezit")}
    assert labels == PUBLIC


def test_the_principal_lasts_one_transaction(world: World) -> None:
    """set_config(..., true): after commit the next transaction on the same connection is anonymous."""
    engine = make_engine(world.app_url)
    try:
        with engine.connect() as conn:
            with conn.begin():
                set_principal(conn, world.principal("gemeente-beheerder"))
                assert conn.execute(text("SELECT count(*) FROM bezit")).scalar_one() == len(ALL_0153)
            with conn.begin():
                assert conn.execute(text("SELECT count(*) FROM bezit")).scalar_one() == len(PUBLIC)
    finally:
        engine.dispose()


def test_connect_as_carries_the_principal_across_commits(world: World) -> None:
    with connect_as(world.app, world.principal("domijn-lezer")) as conn:
        first = conn.execute(text("SELECT count(*) FROM bezit")).scalar_one()
        conn.commit()
        second = conn.execute(text("SELECT count(*) FROM bezit")).scalar_one()
    assert first == second == len(PRINCIPALS["domijn-lezer"][3])


def test_deliveries_are_listed_but_their_contact_person_is_not_readable(world: World) -> None:
    with connect_as(world.app, ANONYMOUS) as conn:
        assert conn.execute(text("SELECT count(*) FROM leveringen")).scalar_one() == len(DELIVERIES)
    with (
        connect_as(world.app, world.principal("gemeente-beheerder")) as conn,
        pytest.raises(Exception, match="permission denied for table leveringen"),
    ):
        conn.execute(text("SELECT contact FROM leveringen"))


# -- writing -------------------------------------------------------------------------------------


def _deliver(fresh_world: World, principal: Principal, org: str, gemeente: str = "GM0153") -> int:
    with connect_as(fresh_world.app, principal) as conn, conn.begin():
        return int(
            conn.execute(
                text(
                    "INSERT INTO leveringen (partner, periode, versie, synthetisch, bron_bestand, sha256, "
                    "via, gemeente, organisatie_id) VALUES ('x', '2027-voorjaar', 1, false, 'x.xlsx', 'y', "
                    "'upload', :gm, :o) RETURNING id"
                ),
                {"gm": gemeente, "o": fresh_world.orgs[org]},
            ).scalar_one()
        )


@pytest.mark.parametrize(
    ("who", "org", "gemeente", "allowed"),
    [
        ("domijn-planner", "domijn", "GM0153", True),
        ("domijn-planner", "ons_huis", "GM0153", False),  # not for another organisation
        ("domijn-lezer", "domijn", "GM0153", False),  # lezers do not deliver
        ("anoniem", "domijn", "GM0153", False),
        ("gemeente-beheerder", "ons_huis", "GM0153", True),  # beheerder: any organisation of the gemeente
        ("gemeente-beheerder", "mitros", "GM0344", False),  # ... not of another gemeente
    ],
)
def test_who_may_deliver(fresh_world: World, who: str, org: str, gemeente: str, allowed: bool) -> None:
    if allowed:
        assert _deliver(fresh_world, fresh_world.principal(who), org, gemeente) > 0
    else:
        with pytest.raises(Exception, match="violates row-level security policy"):
            _deliver(fresh_world, fresh_world.principal(who), org, gemeente)


def test_records_only_into_a_delivery_one_may_write(fresh_world: World) -> None:
    planner = fresh_world.principal("domijn-planner")
    sql = text(
        "INSERT INTO bezit (levering_id, partner, periode, vertrouwelijkheid, synthetisch, corporatie, "
        "buurtcode, aantal_woningen) VALUES (:l, 'x', '2026-najaar', 'eigen', false, 'x', 'BU01530000', 1)"
    )
    with connect_as(fresh_world.app, planner) as conn, conn.begin():
        conn.execute(sql, {"l": fresh_world.deliveries["domijn"]})
    with (
        pytest.raises(Exception, match="violates row-level security policy"),
        connect_as(fresh_world.app, planner) as conn,
        conn.begin(),
    ):
        conn.execute(sql, {"l": fresh_world.deliveries["onshuis"]})


def test_versions_of_another_organisation_cannot_be_switched_off(fresh_world: World) -> None:
    with connect_as(fresh_world.app, fresh_world.principal("domijn-planner")) as conn, conn.begin():
        other = conn.execute(
            text("UPDATE leveringen SET actief = false WHERE id = :id"),
            {"id": fresh_world.deliveries["onshuis"]},
        )
        own = conn.execute(
            text("UPDATE leveringen SET actief = false WHERE id = :id"),
            {"id": fresh_world.deliveries["domijn"]},
        )
    assert (other.rowcount, own.rowcount) == (0, 1)


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM bezit",
        "DELETE FROM leveringen",
        "UPDATE bezit SET adres = 'x'",
        "DELETE FROM raster_statistieken",
        "TRUNCATE verkoop",
        "DELETE FROM organisaties",
    ],
)
def test_partner_data_are_never_deleted_or_changed_by_the_app(fresh_world: World, statement: str) -> None:
    with (
        pytest.raises(Exception, match="permission denied"),
        connect_as(fresh_world.app, fresh_world.principal("gemeente-beheerder")) as conn,
        conn.begin(),
    ):
        conn.execute(text(statement))


# -- the app role cannot get around it -----------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        ("ALTER TABLE bezit DISABLE ROW LEVEL SECURITY", "must be owner"),
        ("ALTER TABLE bezit NO FORCE ROW LEVEL SECURITY", "must be owner"),
        ("DROP POLICY app_select ON bezit", "must be owner"),
        ("CREATE POLICY alles ON bezit FOR SELECT USING (true)", "must be owner"),
        ("ALTER FUNCTION sia_mag_lezen(text, boolean, text, bigint, text) RENAME TO x", "must be owner"),
        (
            "CREATE OR REPLACE FUNCTION sia_mag_lezen(text, boolean, text, bigint, text) RETURNS boolean "
            "LANGUAGE sql AS 'SELECT true'",
            "must be owner|permission denied",
        ),
        ("SET ROLE sia", "permission denied"),
        ("SET SESSION AUTHORIZATION sia", "permission denied"),
        ("CREATE TABLE kopie AS SELECT * FROM buurten", "permission denied"),
        ("GRANT SELECT ON bezit TO PUBLIC", "permission denied|no privileges"),
    ],
)
def test_the_app_role_cannot_bypass_rls(world: World, statement: str, error: str) -> None:
    with psycopg.connect(**_conninfo(world.app_url), autocommit=True) as conn:  # type: ignore[arg-type]
        if statement.startswith("GRANT"):  # a GRANT without privileges only warns; nothing changes
            conn.execute(statement)
            row = conn.execute("SELECT has_table_privilege('public', 'bezit', 'SELECT')").fetchone()
            assert row is not None and row[0] is False
            return
        with pytest.raises(psycopg.Error, match=error):
            conn.execute(statement)


def test_row_security_off_is_an_error_not_a_bypass(world: World) -> None:
    with psycopg.connect(**_conninfo(world.app_url), autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute("SET row_security = off")
        with pytest.raises(psycopg.Error, match="row-level security"):
            conn.execute("SELECT count(*) FROM bezit")


def test_the_app_role_is_no_superuser_cannot_bypass_and_owns_nothing(world: World) -> None:
    with psycopg.connect(**_conninfo(world.app_url)) as conn:  # type: ignore[arg-type]
        row = conn.execute(
            "SELECT current_user, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
            "WHERE rolname = current_user"
        ).fetchone()
        assert row == (APP_ROLE, False, False, False, False)
        owned = conn.execute(
            """
            SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
                 + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
                 + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
                 + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)
                 + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)
            FROM pg_roles r WHERE r.rolname = current_user
            """
        ).fetchone()
        assert owned == (0,)


def test_every_table_is_classified(world: World) -> None:
    """A new table must be put in one class (layers.db.roles): row-level security forced, open, or
    sign-in data. Catches a migration that adds partner data without a policy."""
    with world.owner.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                f"has_table_privilege('{APP_ROLE}', c.oid, 'SELECT') "
                f"OR has_any_column_privilege('{APP_ROLE}', c.oid, 'SELECT') AS leesbaar "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' "
                "AND c.relname NOT IN ('spatial_ref_sys', 'alembic_version')"
            )
        ).all()
    tables = {r.relname for r in rows}
    assert tables == set(RLS_TABLES) | set(OPEN_TABLES) | set(ACCOUNT_TABLES)
    for r in rows:
        assert r.leesbaar, r.relname
        forced = r.relrowsecurity and r.relforcerowsecurity
        assert forced == (r.relname in RLS_TABLES), r.relname
