"""The disclosure rule for aggregates, proven in SQL as the application role and through the API
(migration 0008, ``0008_openbaarmaking.sql``; the rule in words in ``layers/disclosure.py``).

Part one writes records of every class as the owner into real Enschede buurten and reads the
figures per buurt (``sia_partner_aggregaten``) and per area (``sia_gebied_bezit``) through the app's
own engine for each principal. The rule: a figure over records the viewer may not read must still
meet its threshold after any one organisation's records are left out (at least 5 dwellings with
the value, or 3 projects of which none is more than 85 % of what is left, outside the largest
organisation), and again for the part a signed-in partner cannot read either (class ``eigen``).
Counts stay.

Part two is the reviewer's attack on a server with real ``eigen`` uploads (Ons Huis 10 dwellings
and 2 projects, Domijn 1 dwelling and 1 project in one buurt): subtracting the area statistics
from the buurt table, or its own records from either, must give nobody Domijn's dwelling or
project; tiny or overlapping polygons must tell nothing about where a hidden dwelling lies; what
the viewer may read still comes from its points.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import mapping
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import ProgrammingError

from api.dia_models import AreaStatistics
from api.main import create_app
from api.settings import Settings
from layers import disclosure
from layers.access import ANONYMOUS, Principal, connect_as
from layers.areas import REST
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.db.roles import app_engine
from layers.partners.template import write_filled

from .conftest import _create_db
from .signin import add_user, token_for

pytestmark = pytest.mark.postgis

PERIOD = "2026-najaar"
BUITEN_WONINGEN = "minder_dan_min_woningen_buiten_grootste"
BUITEN_PROJECTEN = "minder_dan_min_projecten_buiten_grootste"


# ------------------------------------------------------------------ part one: the rule in SQL


@dataclass
class Site:
    owner: Engine
    app: Engine
    orgs: dict[str, int]
    buurten: dict[str, str]  # case → buurtcode
    ids: dict[str, list[int]]  # layer → delivery ids

    def principal(self, slug: str | None, rol: str = "planner") -> Principal:
        if slug is None:
            return ANONYMOUS
        return Principal(gebruiker_id=1, organisatie_id=self.orgs[slug], gemeente="GM0153", rol=rol)  # type: ignore[arg-type]

    def aggregates(self, principal: Principal) -> dict[str, dict[str, Any]]:
        """The figures per buurt for ``principal``, by case name."""
        with connect_as(self.app, principal) as conn:
            rows = conn.execute(
                text(
                    "SELECT * FROM sia_partner_aggregaten('GM0153', 2021, CAST(:b AS bigint[]), "
                    "CAST(:p AS bigint[]), CAST(:v AS bigint[]))"
                ),
                {"b": self.ids["bezit"], "p": self.ids["projecten"], "v": self.ids["verkoop"]},
            ).mappings()
            by_code = {r["buurtcode"]: dict(r) for r in rows}
        return {case: by_code[code] for case, code in self.buurten.items()}

    def area_rows(self, principal: Principal, cases: list[str]) -> list[dict[str, Any]]:
        with connect_as(self.app, principal) as conn:
            return [
                dict(r)
                for r in conn.execute(
                    text(
                        "SELECT * FROM sia_gebied_bezit('GM0153', 2021, CAST(:ids AS bigint[]), "
                        "CAST(:codes AS text[]))"
                    ),
                    {"ids": self.ids["bezit"], "codes": [self.buurten[c] for c in cases]},
                ).mappings()
            ]


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
            "adres, aantal_woningen, energielabel, conditie, geom) SELECT :l, l.partner, :per, :k, :s, "
            "l.partner, 'adres', :n, :lab, :c, ST_PointOnSurface(b.geom) FROM buurten b, leveringen l "
            "WHERE b.buurtcode = :b AND b.jaar = 2021 AND l.id = :l"
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
            "projectnaam, partij, type, woningen_erbij, investering_eur, geom) SELECT :l, l.partner, :per, "
            ":k, false, 'x', l.partner, 'renovatie', 10, :e, ST_PointOnSurface(b.geom) FROM buurten b, "
            "leveringen l WHERE b.buurtcode = :b AND b.jaar = 2021 AND l.id = :l"
        ),
        {"l": levering, "per": PERIOD, "k": klasse, "e": euro, "b": buurt},
    )


CASES = [
    "een",  # Domijn: 1 eigen dwelling
    "vier_vijf",  # Domijn 4 + Ons Huis 5 eigen: 4 outside the largest organisation
    "vijf_vijf",  # Domijn 5 + Ons Huis 5 eigen: 5 outside the largest organisation
    "alleen_domijn",  # Domijn: 50 eigen dwellings, no other organisation
    "zichtbaar_plus_een",  # 10 public demo dwellings (label A) + Domijn 1 eigen (label G)
    "waarde",  # Domijn 2 labelled + 4 unlabelled, Ons Huis 6 unlabelled; all 12 with a condition
    "partners",  # Ons Huis 20 + De Woonplaats 20 of class partners (label A), Domijn 1 eigen (G)
    "twee_projecten",  # Ons Huis: 2 eigen projects
    "een_partij",  # Ons Huis: 3 eigen projects, none dominates
    "reviewer",  # Ons Huis 2 × 1,000,000 + Domijn 1,234,567
    "drie_partijen",  # Ons Huis, Domijn, De Woonplaats: 3 projects of 300,000 each
    "dominant_na_aftrek",  # without Ons Huis's 3 M, one project of De Woonplaats is 86 % of the rest
    "partners_project",  # Ons Huis: 1 project of class partners
]


@pytest.fixture
def site(engine: Engine, app_db_url: str) -> Iterator[Site]:
    """The first buurten of Enschede 2021, one per case above, with the records it describes."""
    with engine.begin() as conn:
        orgs = {r.slug: int(r.id) for r in conn.execute(text("SELECT id, slug FROM organisaties"))}
        codes = list(
            conn.execute(
                text("SELECT buurtcode FROM buurten WHERE jaar = 2021 ORDER BY buurtcode LIMIT :n"),
                {"n": len(CASES)},
            ).scalars()
        )
        b = dict(zip(CASES, codes, strict=True))
        domijn = _delivery(conn, "Domijn", orgs["domijn"])
        onshuis = _delivery(conn, "Ons Huis", orgs["ons_huis"])
        woonplaats = _delivery(conn, "De Woonplaats", orgs["de_woonplaats"])
        demo = _delivery(conn, "De Veste", orgs["de_veste"], via="beheer", syn=True)  # public demo
        _dwellings(conn, domijn, b["een"], "eigen", 1)
        _dwellings(conn, domijn, b["vier_vijf"], "eigen", 4)
        _dwellings(conn, onshuis, b["vier_vijf"], "eigen", 5)
        _dwellings(conn, domijn, b["vijf_vijf"], "eigen", 5)
        _dwellings(conn, onshuis, b["vijf_vijf"], "eigen", 5, label="A", conditie=1)
        _dwellings(conn, domijn, b["alleen_domijn"], "eigen", 50)
        _dwellings(conn, demo, b["zichtbaar_plus_een"], "eigen", 10, label="A", conditie=2, syn=True)
        _dwellings(conn, domijn, b["zichtbaar_plus_een"], "eigen", 1)
        _dwellings(conn, domijn, b["waarde"], "eigen", 2)
        _dwellings(conn, domijn, b["waarde"], "eigen", 4, label=None)
        _dwellings(conn, onshuis, b["waarde"], "eigen", 6, label=None, conditie=3)
        _dwellings(conn, onshuis, b["partners"], "partners", 20, label="A", conditie=1)
        _dwellings(conn, woonplaats, b["partners"], "partners", 20, label="A", conditie=1)
        _dwellings(conn, domijn, b["partners"], "eigen", 1)
        for euro in (400_000, 300_000):
            _project(conn, onshuis, b["twee_projecten"], "eigen", euro)
        for euro in (400_000, 300_000, 300_000):
            _project(conn, onshuis, b["een_partij"], "eigen", euro)
        _project(conn, onshuis, b["reviewer"], "eigen", 1_000_000)
        _project(conn, onshuis, b["reviewer"], "eigen", 1_000_000)
        _project(conn, domijn, b["reviewer"], "eigen", 1_234_567)
        for lid in (onshuis, domijn, woonplaats):
            for _ in range(3):
                _project(conn, lid, b["drie_partijen"], "eigen", 300_000)
        for _ in range(3):
            _project(conn, onshuis, b["dominant_na_aftrek"], "eigen", 1_000_000)
            _project(conn, domijn, b["dominant_na_aftrek"], "eigen", 10_000)
        for euro in (300_000, 10_000, 10_000):
            _project(conn, woonplaats, b["dominant_na_aftrek"], "eigen", euro)
        _project(conn, onshuis, b["partners_project"], "partners", 250_000)
    app = app_engine(app_database_url=app_db_url, database_url=None)
    ids = {
        "bezit": [domijn, onshuis, woonplaats, demo],
        "projecten": [onshuis, domijn, woonplaats],
        "verkoop": [],
    }
    yield Site(engine, app, orgs, b, ids)
    app.dispose()


def test_one_hidden_dwelling_is_not_published_but_counted(site: Site) -> None:
    public = site.aggregates(ANONYMOUS)["een"]
    assert public["bezit_woningen"] == 1  # counts stay
    assert public["aandeel_label_efg"] is None and public["gem_conditie"] is None
    assert public["onderdrukt"] == {
        "aandeel_label_efg": "minder_dan_min_woningen",
        "gem_conditie": "minder_dan_min_woningen",
    }
    for other in ("ons_huis", "huurdersorganisaties", "bo"):
        assert site.aggregates(site.principal(other, "lezer"))["een"]["aandeel_label_efg"] is None, other
    own = site.aggregates(site.principal("domijn", "lezer"))["een"]
    assert own["aandeel_label_efg"] == 100.0 and own["gem_conditie"] == 5.0 and own["onderdrukt"] == {}
    beheerder = site.aggregates(site.principal("gemeente", "beheerder"))["een"]  # reads all of the gemeente
    assert beheerder["aandeel_label_efg"] == 100.0


def test_five_dwellings_are_needed_outside_the_largest_organisation(site: Site) -> None:
    """Changed rule: five hidden dwellings used to be enough; now five must remain when the
    organisation with the most of them is left out, since that organisation can subtract its own."""
    public = site.aggregates(ANONYMOUS)
    assert public["vier_vijf"]["aandeel_label_efg"] is None  # 9 hidden, 4 outside Ons Huis
    assert public["vier_vijf"]["onderdrukt"]["aandeel_label_efg"] == BUITEN_WONINGEN
    assert public["vijf_vijf"]["aandeel_label_efg"] == pytest.approx(50.0)  # 5 outside either
    assert public["vijf_vijf"]["gem_conditie"] == pytest.approx(3.0)
    assert public["alleen_domijn"]["bezit_woningen"] == 50
    assert public["alleen_domijn"]["aandeel_label_efg"] is None  # one organisation's figure
    assert public["alleen_domijn"]["onderdrukt"] == {
        "aandeel_label_efg": BUITEN_WONINGEN,
        "gem_conditie": BUITEN_WONINGEN,
    }
    # each organisation sees its own records: the rest must pass the rule by itself
    onshuis = site.aggregates(site.principal("ons_huis"))
    assert onshuis["vier_vijf"]["onderdrukt"]["aandeel_label_efg"] == "minder_dan_min_woningen"
    assert onshuis["vijf_vijf"]["aandeel_label_efg"] is None  # Domijn's 5: one organisation
    assert site.aggregates(site.principal("domijn"))["alleen_domijn"]["aandeel_label_efg"] == 100.0


def test_visible_records_cannot_be_subtracted(site: Site) -> None:
    """Ten public dwellings (label A) and one hidden (label G): 1/11 = 9.1 % would give it away."""
    public = site.aggregates(ANONYMOUS)["zichtbaar_plus_een"]
    assert public["bezit_woningen"] == 11
    assert public["aandeel_label_efg"] is None and "aandeel_label_efg" in public["onderdrukt"]
    own = site.aggregates(site.principal("domijn"))["zichtbaar_plus_een"]
    assert own["aandeel_label_efg"] == pytest.approx(100 / 11)


def test_only_dwellings_that_carry_the_value_count(site: Site) -> None:
    public = site.aggregates(ANONYMOUS)["waarde"]
    assert public["aandeel_label_efg"] is None  # two dwellings with a label
    assert public["gem_conditie"] == pytest.approx((6 * 5 + 6 * 3) / 12)  # six of each organisation
    assert public["onderdrukt"] == {"aandeel_label_efg": "minder_dan_min_woningen"}


def test_partners_cannot_subtract_the_partners_class(site: Site) -> None:
    """40 hidden dwellings of class partners and 1 eigen: enough for an anonymous onlooker, but every
    signed-in partner reads the 40 and would be left with Domijn's one dwelling."""
    public = site.aggregates(ANONYMOUS)["partners"]
    assert public["bezit_woningen"] == 41
    assert public["aandeel_label_efg"] is None and public["gem_conditie"] is None
    assert public["onderdrukt"]["aandeel_label_efg"] == "na_aftrek_partners"
    tenants = site.aggregates(site.principal("huurdersorganisaties", "lezer"))["partners"]
    assert tenants["onderdrukt"]["aandeel_label_efg"] == "minder_dan_min_woningen"
    assert site.aggregates(site.principal("domijn"))["partners"]["aandeel_label_efg"] == pytest.approx(
        100 / 41
    )


def test_sums_need_three_projects_outside_the_largest_organisation(site: Site) -> None:
    public = site.aggregates(ANONYMOUS)
    assert public["twee_projecten"]["geplande_investering"] is None
    assert public["twee_projecten"]["n_projecten"] == 2  # counts stay
    assert public["twee_projecten"]["onderdrukt"]["geplande_investering"] == "minder_dan_min_projecten"
    assert public["twee_projecten"]["onderdrukt"]["investering_per_woning"] == "minder_dan_min_projecten"
    # changed rule: three projects of one organisation used to be published
    assert public["een_partij"]["geplande_investering"] is None
    assert public["een_partij"]["onderdrukt"]["geplande_investering"] == BUITEN_PROJECTEN
    assert public["reviewer"]["geplande_investering"] is None  # Ons Huis would subtract its 2 M
    assert public["reviewer"]["onderdrukt"]["geplande_investering"] == BUITEN_PROJECTEN
    assert public["drie_partijen"]["geplande_investering"] == pytest.approx(2_700_000)
    assert public["drie_partijen"]["geplande_woningen"] == pytest.approx(90)
    assert "geplande_investering" not in public["drie_partijen"]["onderdrukt"]
    own = site.aggregates(site.principal("ons_huis"))
    assert own["twee_projecten"]["geplande_investering"] == pytest.approx(700_000)  # its own
    assert own["reviewer"]["geplande_investering"] is None  # Domijn's one project
    assert own["reviewer"]["onderdrukt"]["geplande_investering"] == "minder_dan_min_projecten"
    assert own["drie_partijen"]["geplande_investering"] == pytest.approx(2_700_000)  # 3 + 3 others


def test_dominance_when_one_organisation_leaves_out_its_projects(site: Site) -> None:
    """No project dominates the whole (1 M of 3.35 M), but without Ons Huis's three projects one of
    De Woonplaats is 300,000 of 350,000 (86 %): Ons Huis could estimate it closely."""
    public = site.aggregates(ANONYMOUS)["dominant_na_aftrek"]
    assert public["n_projecten"] == 9
    assert public["geplande_investering"] is None
    assert public["onderdrukt"]["geplande_investering"] == "dominantie"
    assert public["geplande_woningen"] == pytest.approx(90)  # ten dwellings each: nothing dominates


def test_partners_class_is_open_to_signed_in_partners_only(site: Site) -> None:
    assert site.aggregates(ANONYMOUS)["partners_project"]["geplande_investering"] is None
    tenants = site.aggregates(site.principal("huurdersorganisaties", "lezer"))["partners_project"]
    assert tenants["geplande_investering"] == pytest.approx(250_000) and tenants["onderdrukt"] == {}


def test_area_holdings_give_hidden_records_only_as_the_buurt_figure(site: Site) -> None:
    """Per buurt one row for everything the viewer may not read (no corporation), with the buurt
    figure's verdict; records the viewer may read come back per corporation (or as points)."""
    rows = site.area_rows(ANONYMOUS, ["een", "vijf_vijf", "zichtbaar_plus_een"])
    by_code = {r["buurtcode"]: r for r in rows}
    assert len(rows) == 3 and {r["corporatie"] for r in rows} == {None}
    een, vijf, zichtbaar = (by_code[site.buurten[c]] for c in ("een", "vijf_vijf", "zichtbaar_plus_een"))
    assert een["woningen"] == 1 and een["efg"] is None and een["gelabeld"] is None
    assert een["onderdrukt"]["aandeel_label_efg"] == "minder_dan_min_woningen"
    assert vijf["woningen"] == 10 and vijf["efg"] == 5 and vijf["gelabeld"] == 10 and vijf["onderdrukt"] == {}
    assert zichtbaar["woningen"] == 1  # the ten public dwellings are points the public sees
    public_table = site.aggregates(ANONYMOUS)
    for case, row in (("een", een), ("vijf_vijf", vijf)):  # the same verdict as the buurt figure
        assert set(row["onderdrukt"]) == set(public_table[case]["onderdrukt"]), case
    assert site.area_rows(site.principal("domijn"), ["een", "zichtbaar_plus_een"]) == []  # all points
    onshuis = site.area_rows(site.principal("ons_huis"), ["vier_vijf"])
    assert [(r["corporatie"], r["woningen"]) for r in onshuis] == [(None, 4)]  # Domijn's, not named
    assert onshuis[0]["onderdrukt"]["aandeel_label_efg"] == "minder_dan_min_woningen"


def test_raw_helpers_are_not_executable_by_the_app_role(site: Site) -> None:
    for helper in ("sia_bezit_in_buurten", "sia_bezit_buurtcijfers"):
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            connect_as(site.app, site.principal("ons_huis")) as conn,
        ):
            conn.execute(text(f"SELECT * FROM {helper}('GM0153', 2021, '{{}}', NULL)")).all()


def test_hidden_records_are_counted_not_shown(site: Site) -> None:
    sql = text(
        "SELECT * FROM sia_verborgen(CAST(:b AS bigint[]), CAST(:p AS bigint[]), CAST(:v AS bigint[]))"
    )
    params = {"b": site.ids["bezit"], "p": site.ids["projecten"], "v": []}
    with connect_as(site.app, ANONYMOUS) as conn:
        public = dict(conn.execute(sql, params).mappings().one())
        visible = conn.execute(text("SELECT count(*) FROM bezit")).scalar_one()
    with site.owner.connect() as conn:
        bezit, projecten, others = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM bezit), (SELECT count(*) FROM projecten), "
                "(SELECT count(*) FROM projecten WHERE partner <> 'Ons Huis' AND vertrouwelijkheid = 'eigen')"
            )
        ).one()
    assert visible == 1  # the demo record; the others only through the aggregates
    assert public == {"bezit": bezit - 1, "projecten": projecten, "verkoop": 0}
    with connect_as(site.app, site.principal("ons_huis")) as conn:
        assert dict(conn.execute(sql, params).mappings().one())["projecten"] == others > 0


def test_the_thresholds_are_the_documented_ones(site: Site) -> None:
    with site.owner.connect() as conn:
        rule = conn.execute(text("SELECT sia_openbaarmakingsregel()")).scalar_one()
        source = conn.execute(
            text("SELECT string_agg(prosrc, ' ') FROM pg_proc WHERE proname LIKE 'sia_regel%'")
        ).scalar_one()
    assert rule == {
        "min_woningen": disclosure.MIN_DWELLINGS,
        "min_projecten": disclosure.MIN_PROJECTS,
        "dominantie": disclosure.DOMINANCE,
    }
    reasons = set(re.findall(r"'([a-z_]+)'", source)) - {"min_woningen", "min_projecten"}
    assert {"minder_dan_min_woningen", "na_aftrek_partners", "dominantie"} <= reasons
    assert reasons <= set(disclosure.REASONS)  # every reason the database gives has a Dutch text


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
                {"b": site.ids["bezit"], "a": site.buurten["een"]},
            ).scalar()
    finally:
        owner.dispose()
    assert row is None


# ------------------------------------------------------------------ part two: the reviewer's attack

REVIEW_PERIOD = "2027-voorjaar"
BUURT = "BU01530805"  # Eilermarke: Ons Huis 10 dwellings (B, 2), Domijn 1 (G, 5); 3 projects
BUURT2 = "BU01530806"  # Ons Huis 6 and Domijn 6 dwellings: enough outside either organisation


@dataclass
class World:
    url: str
    client: TestClient
    tokens: dict[str, str]  # slug → API token (Ons Huis, Domijn planners; a beheerder of the gemeente)
    buurten: gpd.GeoDataFrame
    domijn_point: shapely.Point
    empty_point: shapely.Point  # inside BUURT, 20 m from the nearest dwelling

    def act_as(self, slug: str | None) -> None:
        self.client.headers.pop("Authorization", None)
        if slug is not None:
            self.client.headers["Authorization"] = f"Bearer {self.tokens[slug]}"

    def table(self, slug: str | None) -> dict[str, Any]:
        self.act_as(slug)
        res = self.client.get("/api/indicators/table", params={"periode": REVIEW_PERIOD})
        assert res.status_code == 200, res.text
        body = res.json()
        return {"rows": {r["buurtcode"]: r for r in body["rijen"]}, "cells": body["onderdrukt"]["cellen"]}

    def area(self, slug: str | None, geom: shapely.Geometry) -> dict[str, Any]:
        self.act_as(slug)
        res = self.client.post(
            "/api/gebieden/statistieken",
            json={"geometrie": mapping(geom), "crs": "EPSG:28992", "periode": REVIEW_PERIOD},
        )
        assert res.status_code == 200, res.text
        AreaStatistics.model_validate(res.json())  # the documented answer, no field more or less
        return res.json()


def _grid(area: shapely.Geometry, n: int, step: float = 20.0) -> list[shapely.Point]:
    """``n`` points on a ``step`` grid, well inside ``area``, from its inner point outwards."""
    inner = area.buffer(-15)
    c = area.representative_point()
    found = []
    for ring in range(50):
        for i in range(-ring, ring + 1):
            for j in range(-ring, ring + 1):
                if max(abs(i), abs(j)) != ring:
                    continue
                p = shapely.Point(c.x + i * step, c.y + j * step)
                if inner.contains(p):
                    found.append(p)
                if len(found) == n:
                    return found
    raise AssertionError("not enough room in the buurt")


def _bezit(
    points: list[shapely.Point], corporatie: str, label: str, conditie: int, street: str
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "corporatie": corporatie,
            "adres": [f"{street} {i + 1}" for i in range(len(points))],
            "x": [p.x for p in points],
            "y": [p.y for p in points],
            "aantal_woningen": 1,
            "daeb": True,
            "energielabel": label,
            "conditie": conditie,
            "vertrouwelijkheid": "eigen",
        }
    )


def _projecten(points: list[shapely.Point], partij: str, euros: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "projectnaam": [f"Project {partij} {i + 1}" for i in range(len(euros))],
            "partij": partij,
            "type": "renovatie",
            "woningen_erbij": 0,
            "woningen_eraf": 0,
            "startjaar": 2028,
            "eindjaar": 2029,
            "investering_eur": euros,
            "status": "voorbereiding",
            "x": [p.x for p in points[: len(euros)]],
            "y": [p.y for p in points[: len(euros)]],
            "vertrouwelijkheid": "eigen",
        }
    )


@pytest.fixture(scope="module")
def world(
    cluster: LocalCluster, loaded_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The reviewer's server: real buurten and Leefbaarometer, and real (not synthetic) `eigen`
    deliveries of Ons Huis and Domijn for 2027-voorjaar, uploaded by their own planners."""
    url = _create_db(cluster, "sia_disclosure_review", template="sia_loaded")
    buurten = gpd.read_file(enschede_buurten, layer="buurten_2021").to_crs(28992).set_index("buurtcode")
    grid = _grid(buurten.loc[BUURT].geometry, 15)
    onshuis_pts, domijn_pt, empty = grid[:10], grid[12], grid[14]
    second = _grid(buurten.loc[BUURT2].geometry, 12)
    deliveries = {
        "ons_huis": (
            "Ons Huis",
            {
                "bezit": pd.concat(
                    [
                        _bezit(onshuis_pts, "Ons Huis", "B", 2, "Proefstraat"),
                        _bezit(second[:6], "Ons Huis", "C", 3, "Tweede Proefstraat"),
                    ]
                ),
                "projecten": _projecten(grid[10:12], "Ons Huis", [1_000_000, 1_000_000]),
            },
        ),
        "domijn": (
            "Domijn",
            {
                "bezit": pd.concat(
                    [
                        _bezit([domijn_pt], "Domijn", "G", 5, "Proefstraat"),
                        _bezit(second[6:], "Domijn", "E", 4, "Tweede Proefstraat"),
                    ]
                ),
                "projecten": _projecten([grid[13]], "Domijn", [1_234_567]),
            },
        ),
    }
    folder = tmp_path_factory.mktemp("review")
    tokens = {}
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as client:
        for slug, (partner, frames) in deliveries.items():
            tokens[slug] = token_for(url, add_user(url, slug=slug, rol="planner")["id"])
            path = write_filled(folder / f"{slug}.xlsx", frames, partner=partner, period=REVIEW_PERIOD)
            client.headers["Authorization"] = f"Bearer {tokens[slug]}"
            with path.open("rb") as fh:
                res = client.post("/api/partners/uploads", files={"bestand": (path.name, fh)})
            assert res.status_code == 201, res.text
        tokens["gemeente"] = token_for(url, add_user(url, slug="gemeente", rol="beheerder")["id"])
        yield World(url, client, tokens, buurten, domijn_pt, empty)


def _holding(stats: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((c for c in stats["corporatiebezit"]["per_corporatie"] if c["corporatie"] == name), None)


def test_the_reviewers_world_is_as_reported(world: World) -> None:
    """The beheerder reads every record: the figures the reviewer derived them from."""
    row = world.table("gemeente")["rows"][BUURT]
    assert (row["bezit_woningen"], row["n_corporaties"]) == (11, 2)
    assert row["aandeel_label_efg"] == pytest.approx(100 / 11)
    assert row["gem_conditie"] == pytest.approx(25 / 11)
    assert row["geplande_investering"] == pytest.approx(3_234_567)


def test_public_table_and_area_cannot_be_subtracted(world: World) -> None:
    """The reviewer's steps 1–3 as anonymous: the table's label share and condition of the buurt and
    its investment are suppressed; the area of the buurt's own outline names no corporation and
    suppresses the same values, so no subtraction is left to make."""
    table = world.table(None)
    row = table["rows"][BUURT]
    assert (row["bezit_woningen"], row["n_corporaties"]) == (11, 2)  # counts stay
    for field in ("aandeel_label_efg", "gem_conditie", "geplande_investering", "investering_per_woning"):
        assert row[field] is None, field
    reasons = {c["veld"]: c["reden"] for c in table["cells"] if c["buurtcode"] == BUURT}
    assert reasons["aandeel_label_efg"] == reasons["gem_conditie"] == BUITEN_WONINGEN
    assert reasons["geplande_investering"] == BUITEN_PROJECTEN

    stats = world.area(None, world.buurten.loc[BUURT].geometry)
    holdings = stats["corporatiebezit"]
    assert [c["corporatie"] for c in holdings["per_corporatie"]] == [REST]  # no corporation of hidden records
    rest = holdings["per_corporatie"][0]
    assert rest["buurtcijfers"] is True and rest["woningen"] == pytest.approx(11)
    assert rest["aandeel_label_efg"] is None and rest["gem_conditie"] is None and rest["onderdrukt"]
    assert holdings["woningen"] == pytest.approx(row["bezit_woningen"])  # the buurt figure, whole
    assert holdings["aandeel_label_efg"] is None and holdings["gem_conditie"] is None
    assert {(v["buurtcode"], v["veld"]) for v in holdings["onderdrukt_waarden"]} == {
        (BUURT, "aandeel_label_efg"),
        (BUURT, "gem_conditie"),
    }
    assert "buurtcijfers" in holdings["methode"] and "nooit per corporatie" in holdings["methode"]


@pytest.mark.parametrize("slug", ["ons_huis", "domijn"])
def test_an_organisation_cannot_subtract_its_own_records(world: World, slug: str) -> None:
    """Signed in with its own token, each organisation sees its own dwellings from their points,
    but nothing of the other's: not in the table, not in the area, not by subtracting its own
    records (Ons Huis's 2,000,000 from the buurt's investment)."""
    own, other = ("Ons Huis", "Domijn") if slug == "ons_huis" else ("Domijn", "Ons Huis")
    row = world.table(slug)["rows"][BUURT]
    assert row["bezit_woningen"] == 11
    for field in ("aandeel_label_efg", "gem_conditie", "geplande_investering"):
        assert row[field] is None, (slug, field)
    stats = world.area(slug, world.buurten.loc[BUURT].geometry)
    mine = _holding(stats, own)
    assert mine is not None and mine["buurtcijfers"] is False and not mine["onderdrukt"]
    if slug == "ons_huis":
        assert (mine["woningen"], mine["aandeel_label_efg"], mine["gem_conditie"]) == (10, 0.0, 2.0)
    else:
        assert (mine["woningen"], mine["aandeel_label_efg"], mine["gem_conditie"]) == (1, 100.0, 5.0)
    assert _holding(stats, other) is None
    rest = _holding(stats, REST)
    assert rest is not None and rest["woningen"] == pytest.approx(11 - mine["woningen"])
    assert rest["aandeel_label_efg"] is None and rest["gem_conditie"] is None
    total = stats["corporatiebezit"]
    assert total["aandeel_label_efg"] is None and total["gem_conditie"] is None
    assert stats["projecten"]["investering_eur"] == pytest.approx(
        2_000_000 if slug == "ons_huis" else 1_234_567
    )


def test_an_area_of_a_buurt_gives_the_buurt_figure_where_it_is_published(world: World) -> None:
    """Ons Huis 6 and Domijn 6 dwellings: 6 outside either, so the public table publishes the share,
    and the area of the buurt gives exactly that figure, as one row; half the buurt gives the same
    share of the same figure, whatever half."""
    row = world.table(None)["rows"][BUURT2]
    assert row["aandeel_label_efg"] == pytest.approx(50.0) and row["gem_conditie"] == pytest.approx(3.5)
    whole = world.buurten.loc[BUURT2].geometry
    stats = world.area(None, whole)["corporatiebezit"]
    assert [c["corporatie"] for c in stats["per_corporatie"]] == [REST]
    assert stats["woningen"] == pytest.approx(12)
    assert stats["aandeel_label_efg"] == pytest.approx(row["aandeel_label_efg"])
    assert stats["gem_conditie"] == pytest.approx(row["gem_conditie"])
    x0, y0, x1, y1 = whole.bounds
    for half in (shapely.box(x0, y0, (x0 + x1) / 2, y1), shapely.box((x0 + x1) / 2, y0, x1, y1)):
        got = world.area(None, whole.intersection(half))
        share = next(b for b in got["buurten"] if b["buurtcode"] == BUURT2)["aandeel"]
        assert got["corporatiebezit"]["woningen"] == pytest.approx(12 * share)
        assert got["corporatiebezit"]["aandeel_label_efg"] == pytest.approx(50.0)


def _same(a: Any, b: Any) -> bool:
    """Equal answers, numbers to 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _box(p: shapely.Point, half: float = 1.0) -> shapely.Geometry:
    return shapely.box(p.x - half, p.y - half, p.x + half, p.y + half)


def test_a_tiny_polygon_around_a_hidden_dwelling_reveals_nothing(world: World) -> None:
    """A 2 m square around Domijn's one dwelling and the same square on an empty spot of the same
    buurt get the same holdings: hidden records enter by the buurt's share, not by where they lie,
    and under no corporation's name."""
    around, elsewhere = (world.area(None, _box(p)) for p in (world.domijn_point, world.empty_point))
    assert (
        [b["buurtcode"] for b in around["buurten"]]
        == [b["buurtcode"] for b in elsewhere["buurten"]]
        == [BUURT]
    )
    assert _same(around["corporatiebezit"], elsewhere["corporatiebezit"])
    names = {c["corporatie"] for c in around["corporatiebezit"]["per_corporatie"]}
    assert names == {REST}  # neither Domijn nor Ons Huis
    assert around["corporatiebezit"]["woningen"] == pytest.approx(
        11 * 4 / world.buurten.loc[BUURT].geometry.area
    )


def test_overlapping_polygons_difference_to_the_same_whether_the_dwelling_is_in_or_out(world: World) -> None:
    """Differencing two overlapping areas: taking a 20 m strip holding Domijn's dwelling out of a
    square changes the holdings exactly as much as taking an equal strip without it out."""
    p = world.domijn_point
    square = _box(p, 25)

    def drop(strip: shapely.Geometry) -> float:
        whole = world.area(None, square)["corporatiebezit"]["woningen"]
        rest = world.area(None, square.difference(strip))["corporatiebezit"]["woningen"]
        return float(whole - rest)

    with_dwelling = drop(shapely.box(p.x - 10, p.y - 25, p.x + 10, p.y + 25))
    without = drop(shapely.box(p.x + 5, p.y - 25, p.x + 25, p.y + 25))
    assert world.buurten.loc[BUURT].geometry.contains(square)
    assert with_dwelling == pytest.approx(without, rel=1e-6)
    assert with_dwelling == pytest.approx(11 * 20 * 50 / world.buurten.loc[BUURT].geometry.area, rel=1e-6)


def test_what_the_viewer_may_read_still_comes_from_its_points(world: World) -> None:
    """Domijn's own dwelling: a tiny square around it holds exactly that dwelling (label G, condition
    5) for Domijn; a square elsewhere holds none of Domijn's."""
    around = world.area("domijn", _box(world.domijn_point))
    mine = _holding(around, "Domijn")
    assert mine is not None
    assert (mine["woningen"], mine["aandeel_label_efg"], mine["gem_conditie"]) == (1, 100.0, 5.0)
    assert _holding(world.area("domijn", _box(world.empty_point)), "Domijn") is None
    onshuis = world.area("ons_huis", _box(world.empty_point))  # Ons Huis: none of its points there
    assert _holding(onshuis, "Ons Huis") is None
