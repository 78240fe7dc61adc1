"""Row-level security on DIA proposals and scenarios, proven in SQL as the application role.

Who reads (migration 0008): signed-in users of the proposal's gemeente read every proposal with its
history, comments and commitments; everyone else (the public, users of another gemeente) reads the
proposals that are now ``voorgesteld`` or ``vastgesteld``, and of those only the versions with
that status. Who writes: a new version by a beheerder of the gemeente or a planner of an involved
organisation (the one that started it, or one of the partners of its newest version); a comment by
any signed-in user of the gemeente for its own organisation; a commitment by a planner for its own
organisation or a beheerder for any. Scenarios: read by class like partner data, saved for one's
own organisation, deleted by a planner of that organisation or a beheerder.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from layers.access import ANONYMOUS, Principal, connect_as
from layers.db.engine import make_engine
from layers.db.roles import app_engine
from tests.signin import add_user, ensure_org

pytestmark = pytest.mark.postgis

SQUARE = (
    "ST_Multi(ST_GeomFromText('POLYGON((257000 471000, 258000 471000, 258000 472000, 257000 472000, "
    "257000 471000))', 28992))"
)

# name → (organisation slug, gemeente, role)
PEOPLE = {
    "domijn-planner": ("domijn", "GM0153", "planner"),
    "domijn-lezer": ("domijn", "GM0153", "lezer"),
    "woonplaats-planner": ("de_woonplaats", "GM0153", "planner"),
    "onshuis-planner": ("ons_huis", "GM0153", "planner"),
    "huurders-lezer": ("huurdersorganisaties", "GM0153", "lezer"),
    "gemeente-beheerder": ("gemeente", "GM0153", "beheerder"),
    "mitros-beheerder": ("mitros", "GM0344", "beheerder"),
}


@dataclass
class World:
    owner: Engine
    app: Engine
    people: dict[str, Principal]
    orgs: dict[str, int]
    proposals: dict[str, int]

    def who(self, name: str) -> Principal:
        return ANONYMOUS if name == "anoniem" else self.people[name]

    def rows(self, name: str, sql: str, **params: object) -> set[object]:
        with connect_as(self.app, self.who(name)) as conn:
            return {tuple(r) if len(r) > 1 else r[0] for r in conn.execute(text(sql), params)}


def _proposal(conn: Connection, p: Principal, naam: str, statuses: list[str], partners: list[str]) -> int:
    vid = conn.execute(
        text(
            "INSERT INTO voorstellen (gemeente, organisatie_id, gebruiker_id) VALUES (:gm, :o, :g) "
            "RETURNING id"
        ),
        {"gm": p.gemeente, "o": p.organisatie_id, "g": p.gebruiker_id},
    ).scalar_one()
    for versie, status in enumerate(statuses, start=1):
        conn.execute(
            text(
                "INSERT INTO voorstel_versies (voorstel_id, versie, naam, partners, status, bo_datum, "
                "besluitreferentie, geom, weging, auteur, gebruiker_id, organisatie_id) VALUES (:v, :n, "
                f":naam, :partners, :s, :bo, :ref, {SQUARE}, '{{}}', 'x', :g, :o)"
            ),
            {
                "v": vid,
                "n": versie,
                "naam": naam,
                "partners": partners,
                "s": status,
                "bo": "2027-03-01" if status == "vastgesteld" else None,
                "ref": "BO-1" if status == "vastgesteld" else None,
                "g": p.gebruiker_id,
                "o": p.organisatie_id,
            },
        )
    conn.execute(
        text(
            "INSERT INTO voorstel_reacties (voorstel_id, versie, auteur, organisatie, tekst, gebruiker_id, "
            "organisatie_id) VALUES (:v, 1, 'x', 'x', :t, :g, :o)"
        ),
        {"v": vid, "t": f"reactie op {naam}", "g": p.gebruiker_id, "o": p.organisatie_id},
    )
    return int(vid)


@pytest.fixture(scope="module")
def world(cluster: object, template_url: str, app_role: str) -> Iterator[World]:
    from tests.conftest import _create_db, as_app_role

    url = _create_db(cluster, "sia_rls_voorstellen", template="sia_template")  # type: ignore[arg-type]
    owner = make_engine(url)
    ensure_org(owner, "mitros", gemeente="GM0344", naam="Mitros")
    people = {}
    orgs = {}
    for name, (slug, gemeente, rol) in PEOPLE.items():
        user = add_user(owner, slug=slug, gemeente=gemeente, rol=rol)
        orgs[slug] = user["organisatie_id"]
        people[name] = Principal(
            gebruiker_id=user["id"],
            organisatie_id=user["organisatie_id"],
            organisatie=user["organisatie"],
            gemeente=gemeente,
            rol=rol,  # type: ignore[arg-type]
            naam=user["naam"],
        )
    with owner.begin() as conn:  # as the owner: the setting, not the thing tested
        d, m = people["domijn-planner"], people["mitros-beheerder"]
        proposals = {
            "concept": _proposal(conn, d, "Concept", ["concept"], ["De Woonplaats"]),
            "voorgesteld": _proposal(conn, d, "Voorgesteld", ["concept", "voorgesteld"], []),
            "vastgesteld": _proposal(conn, d, "Vastgesteld", ["concept", "voorgesteld", "vastgesteld"], []),
            "ingetrokken": _proposal(conn, d, "Ingetrokken", ["concept", "voorgesteld", "ingetrokken"], []),
            "utrecht": _proposal(conn, m, "Utrecht", ["concept"], []),
        }
        conn.execute(
            text(
                "INSERT INTO voorstel_toezeggingen (voorstel_id, partner, jaar, bedrag_eur, thema, soort, "
                "auteur) VALUES (:v, 'Domijn', 2028, 1000000, 'renovatie', 'toegezegd', 'x')"
            ),
            {"v": proposals["vastgesteld"]},
        )
    app = app_engine(app_database_url=as_app_role(url, app_role), database_url=None)
    yield World(owner, app, people, orgs, proposals)
    app.dispose()
    owner.dispose()


def test_the_public_reads_proposals_once_they_are_proposed(world: World) -> None:
    p = world.proposals
    public = world.rows("anoniem", "SELECT id FROM voorstellen")
    assert public == {p["voorgesteld"], p["vastgesteld"]}
    versions = world.rows("anoniem", "SELECT voorstel_id, versie FROM voorstel_versies")
    assert versions == {(p["voorgesteld"], 2), (p["vastgesteld"], 2), (p["vastgesteld"], 3)}  # no concepts
    assert world.rows("anoniem", "SELECT id FROM voorstel_reacties") == set()
    assert world.rows("anoniem", "SELECT id FROM voorstel_toezeggingen") == set()


@pytest.mark.parametrize("name", ["domijn-lezer", "huurders-lezer", "onshuis-planner", "gemeente-beheerder"])
def test_partners_of_the_gemeente_read_everything_of_it(world: World, name: str) -> None:
    p = world.proposals
    mine = {p[k] for k in ("concept", "voorgesteld", "vastgesteld", "ingetrokken")}
    assert world.rows(name, "SELECT id FROM voorstellen") == mine
    assert len(world.rows(name, "SELECT voorstel_id, versie FROM voorstel_versies")) == 1 + 2 + 3 + 3
    assert world.rows(name, "SELECT voorstel_id FROM voorstel_reacties") == mine
    assert world.rows(name, "SELECT voorstel_id FROM voorstel_toezeggingen") == {p["vastgesteld"]}


def test_another_gemeente_sees_what_the_public_sees(world: World) -> None:
    p = world.proposals
    seen = world.rows("mitros-beheerder", "SELECT id FROM voorstellen")
    assert seen == {p["voorgesteld"], p["vastgesteld"], p["utrecht"]}
    assert world.rows("mitros-beheerder", "SELECT voorstel_id FROM voorstel_reacties") == {p["utrecht"]}


_versions = itertools.count(100)


def _add_version(world: World, name: str, voorstel: int) -> None:
    who = world.who(name)
    with connect_as(world.app, who) as conn, conn.begin():
        conn.execute(
            text(
                "INSERT INTO voorstel_versies (voorstel_id, versie, naam, partners, status, geom, weging, "
                "auteur, gebruiker_id, organisatie_id) VALUES (:v, :n, 'edit', '{De Woonplaats}', "
                f"'concept', {SQUARE}, '{{}}', 'x', :g, :o)"
            ),
            {"v": voorstel, "n": next(_versions), "g": who.gebruiker_id, "o": who.organisatie_id},
        )


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("domijn-planner", True),  # its organisation started it
        ("woonplaats-planner", True),  # a partner of the proposal
        ("gemeente-beheerder", True),  # the gemeente's beheerder
        ("onshuis-planner", False),  # not involved
        ("domijn-lezer", False),  # a lezer does not write
        ("huurders-lezer", False),
        ("mitros-beheerder", False),  # another gemeente
        ("anoniem", False),
    ],
)
def test_who_adds_a_version(world: World, name: str, allowed: bool) -> None:
    voorstel = world.proposals["concept"]
    if allowed:
        _add_version(world, name, voorstel)
    else:
        with pytest.raises(DBAPIError, match="row-level security"):
            _add_version(world, name, voorstel)


def test_nobody_changes_or_removes_a_version(world: World) -> None:
    with (
        pytest.raises(DBAPIError, match="permission denied"),
        connect_as(world.app, world.who("gemeente-beheerder")) as conn,
        conn.begin(),
    ):
        conn.execute(text("UPDATE voorstel_versies SET naam = 'x'"))


@pytest.mark.parametrize(
    ("name", "org", "allowed"),
    [
        ("huurders-lezer", "huurdersorganisaties", True),  # tenants comment, in their own name
        ("huurders-lezer", "domijn", False),  # not in another organisation's name
        ("mitros-beheerder", "mitros", False),  # not on another gemeente's proposal
    ],
)
def test_who_comments(world: World, name: str, org: str, allowed: bool) -> None:
    who = world.who(name)

    def comment() -> None:
        with connect_as(world.app, who) as conn, conn.begin():
            conn.execute(
                text(
                    "INSERT INTO voorstel_reacties (voorstel_id, versie, auteur, organisatie, tekst, "
                    "gebruiker_id, organisatie_id) VALUES (:v, 1, 'x', 'x', 'eens', :g, :o)"
                ),
                {"v": world.proposals["voorgesteld"], "g": who.gebruiker_id, "o": world.orgs[org]},
            )

    if allowed:
        comment()
    else:
        with pytest.raises(DBAPIError, match="row-level security"):
            comment()


@pytest.mark.parametrize(
    ("name", "org", "allowed"),
    [
        ("domijn-planner", "domijn", True),
        ("domijn-planner", "ons_huis", False),  # not for another organisation
        ("gemeente-beheerder", "ons_huis", True),  # a beheerder records anyone's
        ("domijn-lezer", "domijn", False),
    ],
)
def test_who_commits_money(world: World, name: str, org: str, allowed: bool) -> None:
    who = world.who(name)

    def commit() -> None:
        with connect_as(world.app, who) as conn, conn.begin():
            conn.execute(
                text(
                    "INSERT INTO voorstel_toezeggingen (voorstel_id, partner, jaar, bedrag_eur, thema, "
                    "soort, auteur, gebruiker_id, organisatie_id) VALUES (:v, 'x', 2029, 5, 'x', "
                    "'indicatief', 'x', :g, :o)"
                ),
                {"v": world.proposals["voorgesteld"], "g": who.gebruiker_id, "o": world.orgs[org]},
            )

    if allowed:
        commit()
    else:
        with pytest.raises(DBAPIError, match="row-level security"):
            commit()


# -- scenarios -----------------------------------------------------------------------------------


def _scenario(conn: Connection, who: Principal | None, klasse: str, naam: str) -> int:
    return int(
        conn.execute(
            text(
                "INSERT INTO scenarios (naam, auteur, profiel, profiel_inhoud, methode, gewichten, gemeente, "
                "jaar, top_n, resultaat, vertrouwelijkheid, organisatie_id, gebruiker_id) VALUES (:n, 'x', "
                "'default', '{}', 'gewogen_som', '{}', 'GM0153', 2021, 10, '{}', :k, :o, :g) RETURNING id"
            ),
            {
                "n": naam,
                "k": klasse,
                "o": who.organisatie_id if who else None,
                "g": who.gebruiker_id if who else None,
            },
        ).scalar_one()
    )


@pytest.fixture
def scenarios(world: World) -> dict[str, int]:
    domijn = world.who("domijn-planner")
    out = {}
    with connect_as(world.app, domijn) as conn, conn.begin():  # saved through RLS by the author
        for klasse in ("openbaar", "partners", "eigen"):
            out[klasse] = _scenario(conn, domijn, klasse, f"scenario {klasse}")
    with world.owner.begin() as conn:  # saved before sign-in existed: no author
        out["oud"] = _scenario(conn, None, "openbaar", "oud")
    return out


@pytest.mark.parametrize(
    ("name", "classes"),
    [
        ("anoniem", {"openbaar", "oud"}),
        ("huurders-lezer", {"openbaar", "oud", "partners"}),
        ("onshuis-planner", {"openbaar", "oud", "partners"}),
        ("domijn-lezer", {"openbaar", "oud", "partners", "eigen"}),
        ("gemeente-beheerder", {"openbaar", "oud", "partners", "eigen"}),
        ("mitros-beheerder", {"openbaar", "oud"}),
    ],
)
def test_scenarios_read_by_class(
    world: World, scenarios: dict[str, int], name: str, classes: set[str]
) -> None:
    seen = world.rows(name, "SELECT id FROM scenarios WHERE id = ANY(:ids)", ids=list(scenarios.values()))
    assert seen == {scenarios[k] for k in classes}


def test_a_scenario_is_saved_for_ones_own_organisation_only(world: World) -> None:
    planner = world.who("onshuis-planner")
    with (
        pytest.raises(DBAPIError, match="row-level security"),
        connect_as(world.app, planner) as conn,
        conn.begin(),
    ):
        _scenario(conn, world.who("domijn-planner"), "eigen", "in een andermans naam")
    with (
        pytest.raises(DBAPIError, match="row-level security"),
        connect_as(world.app, world.who("domijn-lezer")) as conn,
        conn.begin(),
    ):
        _scenario(conn, world.who("domijn-lezer"), "eigen", "een lezer slaat niets op")


@pytest.mark.parametrize(
    ("name", "target", "deleted"),
    [
        ("onshuis-planner", "partners", False),  # reads it, may not delete it
        ("domijn-lezer", "eigen", False),
        ("domijn-planner", "eigen", True),
        ("domijn-planner", "oud", False),  # no organisation: only a beheerder
        ("gemeente-beheerder", "oud", True),
        ("gemeente-beheerder", "partners", True),
    ],
)
def test_who_deletes_a_scenario(
    world: World, scenarios: dict[str, int], name: str, target: str, deleted: bool
) -> None:
    with connect_as(world.app, world.who(name)) as conn, conn.begin():
        count = conn.execute(
            text("UPDATE scenarios SET verwijderd_op = now() WHERE id = :id"), {"id": scenarios[target]}
        ).rowcount
    assert count == (1 if deleted else 0)
