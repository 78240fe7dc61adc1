"""The disclosure rule for aggregates, proven in SQL as the application role (migration 0008).

Records of every class are written as the owner into real Enschede buurten; the figures per buurt
(``sia_partner_aggregaten``) and per area (``sia_gebied_bezit``) are then read through the app's
own engine for each principal. The rule (layers/disclosure.py): the part of an aggregate a viewer
may not read record by record must hold no dwelling, or at least 5 dwellings that carry the value
(shares and means); no project, or at least 3 projects of which none is more than 85 % of the sum
(sums). Counts stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text

from layers import disclosure
from layers.access import ANONYMOUS, Principal, connect_as
from layers.db.engine import make_engine
from layers.db.roles import app_engine

pytestmark = pytest.mark.postgis

PERIOD = "2026-najaar"


@dataclass
class Site:
    owner: Engine
    app: Engine
    orgs: dict[str, int]
    buurten: list[str]
    ids: dict[str, list[int]]  # layer → delivery ids

    def principal(self, slug: str | None, rol: str = "planner") -> Principal:
        if slug is None:
            return ANONYMOUS
        return Principal(gebruiker_id=1, organisatie_id=self.orgs[slug], gemeente="GM0153", rol=rol)  # type: ignore[arg-type]

    def aggregates(self, principal: Principal) -> dict[str, dict[str, Any]]:
        with connect_as(self.app, principal) as conn:
            rows = conn.execute(
                text(
                    "SELECT * FROM sia_partner_aggregaten('GM0153', 2021, CAST(:b AS bigint[]), "
                    "CAST(:p AS bigint[]), CAST(:v AS bigint[]))"
                ),
                {"b": self.ids["bezit"], "p": self.ids["projecten"], "v": self.ids["verkoop"]},
            ).mappings()
            return {r["buurtcode"]: dict(r) for r in rows}


def _delivery(conn: Connection, partner: str, org: int, *, via: str = "upload", syn: bool = False) -> int:
    return int(
        conn.execute(
            text(
                "INSERT INTO leveringen (partner, periode, versie, synthetisch, bron_bestand, sha256, via, "
                "gemeente, organisatie_id) VALUES (:p, :per, 1, :s, 'x.xlsx', 'x', :via, 'GM0153', :o) "
                "RETURNING id"
            ),
            {"p": partner, "per": PERIOD, "s": syn, "via": via, "o": org},
        ).scalar_one()
    )


def _dwellings(
    conn: Connection,
    levering: int,
    buurt: str,
    klasse: str,
    n: int,
    *,
    label: str | None = "G",
    conditie: int | None = 5,
    syn: bool = False,
) -> None:
    """``n`` dwellings at one address point inside ``buurt``."""
    conn.execute(
        text(
            "INSERT INTO bezit (levering_id, partner, periode, vertrouwelijkheid, synthetisch, corporatie, "
            "adres, aantal_woningen, energielabel, conditie, geom) SELECT :l, 'p', :per, :k, :s, 'Corp', "
            "'adres', :n, :lab, :c, ST_PointOnSurface(geom) FROM buurten WHERE buurtcode = :b AND jaar = 2021"
        ),
        {
            "l": levering,
            "per": PERIOD,
            "k": klasse,
            "s": syn,
            "n": n,
            "lab": label,
            "c": conditie,
            "b": buurt,
        },
    )


def _project(conn: Connection, levering: int, buurt: str, klasse: str, euro: float) -> None:
    conn.execute(
        text(
            "INSERT INTO projecten (levering_id, partner, periode, vertrouwelijkheid, synthetisch, "
            "projectnaam, partij, type, woningen_erbij, investering_eur, geom) SELECT :l, 'p', :per, :k, "
            "false, 'x', 'Corp', 'renovatie', 10, :e, ST_PointOnSurface(geom) FROM buurten "
            "WHERE buurtcode = :b AND jaar = 2021"
        ),
        {"l": levering, "per": PERIOD, "k": klasse, "e": euro, "b": buurt},
    )


@pytest.fixture
def site(engine: Engine, app_db_url: str) -> Iterator[Site]:
    """Buurten A–I of Enschede 2021 with holdings and projects built for each case below."""
    with engine.begin() as conn:
        orgs = {r.slug: int(r.id) for r in conn.execute(text("SELECT id, slug FROM organisaties"))}
        codes = list(
            conn.execute(
                text("SELECT buurtcode FROM buurten WHERE jaar = 2021 ORDER BY buurtcode LIMIT 9")
            ).scalars()
        )
        domijn = _delivery(conn, "Domijn", orgs["domijn"])
        onshuis = _delivery(conn, "Ons Huis", orgs["ons_huis"])
        demo = _delivery(conn, "De Woonplaats", orgs["de_woonplaats"], via="beheer", syn=True)  # public demo
        a, b4, b5, c, d, e, f, g, h = codes
        _dwellings(conn, domijn, a, "eigen", 1)  # one dwelling of Domijn's own
        _dwellings(conn, domijn, b4, "eigen", 4)  # four: still too few
        _dwellings(conn, domijn, b5, "eigen", 5)  # five: enough
        _dwellings(conn, demo, c, "eigen", 10, label="A", conditie=2, syn=True)  # ten public dwellings ...
        _dwellings(conn, domijn, c, "eigen", 1)  # ... and one hidden: subtracting would reveal it
        _dwellings(conn, domijn, d, "eigen", 2)  # six hidden dwellings, two with a label,
        _dwellings(conn, domijn, d, "eigen", 4, label=None)  # all six with a condition
        _project(conn, onshuis, e, "eigen", 400_000)  # two hidden projects
        _project(conn, onshuis, e, "eigen", 300_000)
        for euro in (900_000, 50_000, 50_000):  # three, one dominates (90 %)
            _project(conn, onshuis, f, "eigen", euro)
        for euro in (400_000, 300_000, 300_000):  # three, none dominates
            _project(conn, onshuis, g, "eigen", euro)
        _project(conn, onshuis, h, "partners", 250_000)  # one project of class partners
    app = app_engine(app_database_url=app_db_url, database_url=None)
    ids = {"bezit": [domijn, demo], "projecten": [onshuis], "verkoop": []}
    yield Site(engine, app, orgs, codes, ids)
    app.dispose()


def test_one_hidden_dwelling_is_not_published_but_counted(site: Site) -> None:
    a = site.buurten[0]
    public = site.aggregates(ANONYMOUS)[a]
    assert public["bezit_woningen"] == 1  # counts stay
    assert public["aandeel_label_efg"] is None and public["gem_conditie"] is None
    assert public["onderdrukt"] == {
        "aandeel_label_efg": "minder_dan_min_woningen",
        "gem_conditie": "minder_dan_min_woningen",
    }
    for other in ("ons_huis", "huurdersorganisaties", "bo"):
        assert site.aggregates(site.principal(other, "lezer"))[a]["aandeel_label_efg"] is None, other
    own = site.aggregates(site.principal("domijn", "lezer"))[a]
    assert own["aandeel_label_efg"] == 100.0 and own["gem_conditie"] == 5.0 and own["onderdrukt"] == {}
    beheerder = site.aggregates(site.principal("gemeente", "beheerder"))[a]  # reads all of the gemeente
    assert beheerder["aandeel_label_efg"] == 100.0


@pytest.mark.parametrize(("index", "shown"), [(1, False), (2, True)])
def test_five_dwellings_with_a_value_are_enough(site: Site, index: int, shown: bool) -> None:
    row = site.aggregates(ANONYMOUS)[site.buurten[index]]
    assert (row["aandeel_label_efg"] is not None) is shown
    assert (row["gem_conditie"] is not None) is shown
    assert row["bezit_woningen"] == (4 if index == 1 else 5)


def test_visible_records_cannot_be_subtracted(site: Site) -> None:
    """Ten public dwellings (label A) and one hidden (label G): 1/11 = 9.1 % would give it away."""
    c = site.buurten[3]
    public = site.aggregates(ANONYMOUS)[c]
    assert public["bezit_woningen"] == 11
    assert public["aandeel_label_efg"] is None and "aandeel_label_efg" in public["onderdrukt"]
    own = site.aggregates(site.principal("domijn"))[c]
    assert own["aandeel_label_efg"] == pytest.approx(100 / 11)


def test_only_dwellings_that_carry_the_value_count(site: Site) -> None:
    d = site.buurten[4]
    public = site.aggregates(ANONYMOUS)[d]
    assert public["aandeel_label_efg"] is None  # two dwellings with a label
    assert public["gem_conditie"] == 5.0  # six with a condition
    assert set(public["onderdrukt"]) == {"aandeel_label_efg"}


def test_sums_from_fewer_than_three_projects_or_dominated_by_one(site: Site) -> None:
    e, f, g = site.buurten[5:8]
    public = site.aggregates(ANONYMOUS)
    assert public[e]["geplande_investering"] is None and public[e]["n_projecten"] == 2
    assert public[e]["onderdrukt"]["geplande_investering"] == "minder_dan_min_projecten"
    assert public[e]["onderdrukt"]["investering_per_woning"] == "minder_dan_min_projecten"
    assert public[f]["geplande_investering"] is None
    assert public[f]["onderdrukt"]["geplande_investering"] == "dominantie"
    assert public[g]["geplande_investering"] == pytest.approx(1_000_000)
    assert "geplande_investering" not in public[g]["onderdrukt"]
    assert public[g]["geplande_woningen"] == pytest.approx(30)
    own = site.aggregates(site.principal("ons_huis"))
    assert own[e]["geplande_investering"] == pytest.approx(700_000)
    assert own[f]["geplande_investering"] == pytest.approx(1_000_000)


def test_partners_class_is_open_to_signed_in_partners_only(site: Site) -> None:
    h = site.buurten[8]
    assert site.aggregates(ANONYMOUS)[h]["geplande_investering"] is None
    tenants = site.aggregates(site.principal("huurdersorganisaties", "lezer"))[h]
    assert tenants["geplande_investering"] == pytest.approx(250_000) and tenants["onderdrukt"] == {}


def test_area_holdings_follow_the_same_rule(site: Site) -> None:
    a, c = site.buurten[0], site.buurten[3]
    sql = text(
        "SELECT * FROM sia_gebied_bezit('GM0153', 2021, CAST(:ids AS bigint[]), CAST(:codes AS text[]))"
    )
    with connect_as(site.app, ANONYMOUS) as conn:
        rows = {
            r["buurtcode"]: dict(r)
            for r in conn.execute(sql, {"ids": site.ids["bezit"], "codes": [a, c]}).mappings()
        }
    # only what the public does not see as points: the hidden dwellings, per buurt
    assert rows[a]["woningen"] == 1 and rows[a]["efg"] is None and rows[a]["gelabeld"] is None
    assert rows[a]["onderdrukt"]["aandeel_label_efg"] == "minder_dan_min_woningen"
    assert rows[c]["woningen"] == 1  # the ten public dwellings are points the public sees
    with connect_as(site.app, site.principal("domijn")) as conn:
        own = list(conn.execute(sql, {"ids": site.ids["bezit"], "codes": [a, c]}).mappings())
    assert own == []  # Domijn sees every dwelling as a point: nothing is left to summarise


def test_hidden_records_are_counted_not_shown(site: Site) -> None:
    sql = text(
        "SELECT * FROM sia_verborgen(CAST(:b AS bigint[]), CAST(:p AS bigint[]), CAST(:v AS bigint[]))"
    )
    params = {"b": site.ids["bezit"], "p": site.ids["projecten"], "v": []}
    with connect_as(site.app, ANONYMOUS) as conn:
        public = dict(conn.execute(sql, params).mappings().one())
        visible = conn.execute(text("SELECT count(*) FROM bezit")).scalar_one()
    assert public == {"bezit": 6, "projecten": 9, "verkoop": 0}  # six records of Domijn, nine projects
    assert visible == 1  # the demo record; the others only through the aggregates
    with connect_as(site.app, site.principal("ons_huis")) as conn:
        assert dict(conn.execute(sql, params).mappings().one())["projecten"] == 0


def test_the_thresholds_are_the_documented_ones(site: Site) -> None:
    with site.owner.connect() as conn:
        rule = conn.execute(text("SELECT sia_openbaarmakingsregel()")).scalar_one()
    assert rule == {
        "min_woningen": disclosure.MIN_DWELLINGS,
        "min_projecten": disclosure.MIN_PROJECTS,
        "dominantie": disclosure.DOMINANCE,
    }


@pytest.mark.parametrize(
    "function",
    [
        "sia_partner_aggregaten(text, integer, bigint[], bigint[], bigint[])",
        "sia_gebied_bezit(text, integer, bigint[], text[])",
        "sia_verborgen(bigint[], bigint[], bigint[])",
        "sia_mag_voorstel_schrijven(bigint)",
    ],
)
def test_definer_functions_are_for_the_app_role_only(site: Site, function: str) -> None:
    """SECURITY DEFINER, owned by the tables' owner, with a fixed search_path; not executable by
    other roles of the database (PUBLIC), so nobody reads partner data through them unchecked."""
    with site.owner.connect() as conn:
        row = conn.execute(
            text(
                "SELECT p.prosecdef, p.proconfig, has_function_privilege('public', CAST(:f AS regprocedure), "
                "'EXECUTE') AS public_may, has_function_privilege('sia_app', CAST(:f AS regprocedure), "
                "'EXECUTE') AS app_may FROM pg_proc p WHERE p.oid = CAST(:f AS regprocedure)"
            ),
            {"f": function},
        ).one()
    assert row.prosecdef and row.proconfig == ["search_path=public, pg_temp"]
    assert not row.public_may and row.app_may


def test_owner_engine_reads_the_public_view_of_aggregates(site: Site) -> None:
    """Without a principal (the operator's CLI) the rule of the public applies too."""
    owner = make_engine(str(site.owner.url.render_as_string(hide_password=False)))
    try:
        with owner.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT aandeel_label_efg FROM sia_partner_aggregaten('GM0153', 2021, "
                    "CAST(:b AS bigint[]), '{}', '{}') WHERE buurtcode = :a"
                ),
                {"b": site.ids["bezit"], "a": site.buurten[0]},
            ).scalar()
    finally:
        owner.dispose()
    assert row is None
