"""The role × route matrix, built from the OpenAPI document (issue 10, "Tests").

Every operation of ``/openapi.json`` has a case below (a test fails when a route is added without
one), and every case is requested by every principal: anonymous; a beheerder, planner and lezer of
Domijn (the organisation that owns the confidential records) and of Ons Huis (one that does not);
a lezer and a planner of the tenant organisation. Each principal works on a fresh copy of the same
database, so its writes do not change what the next one sees.

Per request the status must be exactly the one the rules give (``EXPECTED`` functions), and the
content of every answer that carries data (JSON, GeoJSON, CSV, GeoPackage, PDF, HTML, zip, Excel)
is searched for markers:

- Domijn's ``eigen`` records (an address, a sale, a project), its ``eigen`` raster and its
  ``eigen`` scenario: only Domijn's users and the gemeente's beheerders may ever receive them;
- a concept proposal: only signed-in users of the gemeente;

and the figures of the buurten that hold a single hidden dwelling and a single hidden project are
empty (suppressed) for everyone who may not read them, in the indicator table and on the map.
"""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine, text

from api.main import create_app
from api.settings import Settings
from layers import auth
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.partners.synthetic import generate, load_buurten, write_heat_raster
from layers.partners.template import write_filled
from tests.conftest import _create_db, as_app_role
from tests.signin import add_user, token_for

pytestmark = pytest.mark.postgis

PERIOD = "2026-najaar"
PASSWORD = "een lang genoeg wachtwoord"

# principal → (organisation slug, role); None: anonymous
PRINCIPALS: dict[str, tuple[str, str] | None] = {
    "anoniem": None,
    "domijn-beheerder": ("domijn", "beheerder"),
    "domijn-planner": ("domijn", "planner"),
    "domijn-lezer": ("domijn", "lezer"),
    "onshuis-beheerder": ("ons_huis", "beheerder"),
    "onshuis-planner": ("ons_huis", "planner"),
    "onshuis-lezer": ("ons_huis", "lezer"),
    "huurders-lezer": ("huurdersorganisaties", "lezer"),
    "huurders-planner": ("huurdersorganisaties", "planner"),
}

# markers of Domijn's `eigen` data: Domijn's users and the gemeente's beheerders only
EIGEN = (
    "Geheimstraat 7",
    "Geheimstraat 9",
    "Geheim Project Zeven",
    "Geheime hitte",
    "geheimhitte",
    "Geheim scenario",
)
# a concept proposal: signed-in users of the gemeente only
CONCEPT = ("Geheim concept",)


def _org(name: str) -> str | None:
    p = PRINCIPALS[name]
    return None if p is None else p[0]


def _rol(name: str) -> str | None:
    p = PRINCIPALS[name]
    return None if p is None else p[1]


def reads_eigen(name: str) -> bool:
    return _org(name) == "domijn" or _rol(name) == "beheerder"


def signed_in(name: str) -> bool:
    return PRINCIPALS[name] is not None


# -- expected statuses ---------------------------------------------------------------------------


def public(ok: int = 200) -> Callable[[str], int]:
    return lambda name: ok


def any_signed_in(ok: int = 200) -> Callable[[str], int]:
    return lambda name: ok if signed_in(name) else 401


def writer(ok: int = 201) -> Callable[[str], int]:
    def rule(name: str) -> int:
        if not signed_in(name):
            return 401
        return 403 if _rol(name) == "lezer" else ok

    return rule


def own_org_writer(org: str, ok: int = 201) -> Callable[[str], int]:
    """Planners of ``org`` and every beheerder of the gemeente."""

    def rule(name: str) -> int:
        if not signed_in(name):
            return 401
        if _rol(name) == "beheerder" or (_rol(name) == "planner" and _org(name) == org):
            return ok
        return 403

    return rule


def beheerder(ok: int = 200) -> Callable[[str], int]:
    def rule(name: str) -> int:
        if not signed_in(name):
            return 401
        return ok if _rol(name) == "beheerder" else 403

    return rule


def gemeente_reads(ok: int = 200) -> Callable[[str], int]:
    """A concept proposal: signed-in users of the gemeente read it; for others it does not exist."""
    return lambda name: ok if signed_in(name) else 404


def eigen_reads(ok: int = 200) -> Callable[[str], int]:
    """Domijn's `eigen` scenario."""
    return lambda name: ok if reads_eigen(name) else 404


# -- the world every principal starts from --------------------------------------------------------


@dataclass
class World:
    template: str
    ids: dict[str, Any]
    files: dict[str, Path]
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # principal → user, tokens


def _owner_sql(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.begin() as conn:
        return conn.execute(text(sql), params)


@pytest.fixture(scope="module")
def world(
    cluster: LocalCluster,
    demo_url: str,
    app_role: str,
    enschede_buurten: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> World:
    """The demo plus Domijn's confidential records (an address, a sale and a project of class
    `eigen`, added to its delivery), an `eigen` raster, scenarios and proposals of every kind,
    and one user with two API tokens per principal."""
    url = _create_db(cluster, "sia_matrix", template="sia_demo")
    owner = make_engine(url)
    ids: dict[str, Any] = {}
    with owner.begin() as conn:
        orgs = {r.slug: int(r.id) for r in conn.execute(text("SELECT id, slug FROM organisaties"))}
        domijn = conn.execute(
            text("SELECT id FROM leveringen WHERE partner = 'Domijn' AND actief AND periode = :p"),
            {"p": PERIOD},
        ).scalar_one()
        spots = conn.execute(  # two buurten of Enschede, a point inside each
            text(
                "SELECT buurtcode, ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT buurtcode, "
                "ST_PointOnSurface(geom) p FROM buurten WHERE jaar = 2021 AND buurtcode IN ('BU01530000', "
                "'BU01530001')) s ORDER BY 1"
            )
        ).all()
        (bx, hx, hy), (px, qx, qy) = spots
        ids["buurt_bezit"], ids["buurt_project"] = bx, px
        common = "levering_id, partner, periode, vertrouwelijkheid, synthetisch"
        conn.execute(
            text(
                f"INSERT INTO bezit ({common}, corporatie, adres, aantal_woningen, energielabel, conditie, "
                "geom) VALUES (:l, 'Domijn', :p, 'eigen', false, 'Domijn', 'Geheimstraat 7', 1, 'G', 6, "
                "ST_SetSRID(ST_MakePoint(:x, :y), 28992))"
            ),
            {"l": domijn, "p": PERIOD, "x": hx, "y": hy},
        )
        conn.execute(
            text(
                f"INSERT INTO verkoop ({common}, corporatie, adres, energielabel, conditie, geom) "
                "VALUES (:l, 'Domijn', :p, 'eigen', false, 'Domijn', 'Geheimstraat 9', 'F', 5, "
                "ST_SetSRID(ST_MakePoint(:x + 3, :y), 28992))"
            ),
            {"l": domijn, "p": PERIOD, "x": hx, "y": hy},
        )
        conn.execute(
            text(
                f"INSERT INTO projecten ({common}, projectnaam, partij, type, woningen_erbij, "
                "investering_eur, startjaar, eindjaar, geom) VALUES (:l, 'Domijn', :p, 'eigen', false, "
                "'Geheim Project Zeven', 'Domijn', 'renovatie', 12, 7654321, 2027, 2028, "
                "ST_SetSRID(ST_MakePoint(:x, :y), 28992))"
            ),
            {"l": domijn, "p": PERIOD, "x": qx, "y": qy},
        )
        raster = conn.execute(
            text(
                "INSERT INTO raster_leveringen (indicator, label, eenheid, periode, partner, "
                "vertrouwelijkheid, "
                "synthetisch, versie, bron_bestand, sha256, via, gemeente, organisatie_id) VALUES "
                "('geheimhitte', 'Geheime hitte', '°C', :p, 'Domijn', 'eigen', false, 1, 'geheim.tif', 'x', "
                "'upload', 'GM0153', :o) RETURNING id"
            ),
            {"p": PERIOD, "o": orgs["domijn"]},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO raster_statistieken (raster_levering_id, buurtcode, gemiddelde, cellen) "
                "SELECT :r, buurtcode, 30, 10 FROM buurten WHERE jaar = 2021"
            ),
            {"r": raster},
        )
        matrix = conn.execute(text("SELECT id FROM organisaties WHERE slug = 'gemeente'")).scalar_one()
        auth.create_user(  # the one account with a password (sign-in)
            conn,
            email="matrix@enschede.nl",
            naam="Matrix",
            organisatie_id=matrix,
            rol="lezer",
            wachtwoord=PASSWORD,
        )
    users = {}
    for name, who in PRINCIPALS.items():
        if who is None:
            continue
        user = add_user(owner, slug=who[0], rol=who[1])
        users[name] = {
            "user": user,
            "token": token_for(owner, user["id"]),
            "second": token_for(owner, user["id"]),
        }
        with owner.connect() as conn:
            users[name]["second_id"] = conn.execute(
                text("SELECT max(id) FROM api_tokens WHERE gebruiker_id = :g"), {"g": user["id"]}
            ).scalar_one()
    ids["target_user"] = users["huurders-lezer"]["user"]["id"]
    ids["organisatie"] = orgs["gemeente"]
    # scenarios, proposals: through the API, as their authors would
    with TestClient(create_app(Settings(database_url=url, app_database_url=as_app_role(url, app_role)))) as c:

        def as_(name: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {users[name]['token']}"}

        def made(res: Any) -> dict[str, Any]:
            assert res.status_code == 201, res.text
            return dict(res.json())

        ids["scenario_open"] = made(
            c.post("/api/scenarios", json={"naam": "Openbaar scenario"}, headers=as_("domijn-planner"))
        )["id"]
        ids["scenario_eigen"] = made(
            c.post(
                "/api/scenarios",
                json={"naam": "Geheim scenario", "vertrouwelijkheid": "eigen"},
                headers=as_("domijn-planner"),
            )
        )["id"]
        area = {"geometrie": _square(hx, hy, qx, qy), "crs": "EPSG:28992"}
        concept = made(
            c.post(
                "/api/voorstellen",
                json={"naam": "Geheim concept", "partners": ["Domijn"], **area},
                headers=as_("domijn-planner"),
            )
        )["voorstel_id"]
        made(
            c.post(
                f"/api/voorstellen/{concept}/versies",
                json={"basisversie": 1, "motivering": "v2"},
                headers=as_("domijn-planner"),
            )
        )
        public_id = made(
            c.post(
                "/api/voorstellen",
                json={"naam": "Openbaar voorstel", **area},
                headers=as_("onshuis-beheerder"),
            )
        )["voorstel_id"]
        made(
            c.post(
                f"/api/voorstellen/{public_id}/status",
                json={"basisversie": 1, "status": "voorgesteld"},
                headers=as_("onshuis-beheerder"),
            )
        )
        ids["concept"], ids["public"] = concept, public_id
        ids["area"] = area
    owner.dispose()
    folder = tmp_path_factory.mktemp("matrix")
    buurten = load_buurten(enschede_buurten)
    frames = generate(buurten, period="2025-najaar", address_fraction=0.02)["Domijn"].frames()
    files = {
        "levering": write_filled(
            folder / "domijn.xlsx", frames, partner="Domijn", period="2025-najaar", synthetic=True
        ),
        "raster": write_heat_raster(folder / "hitte.tif", buurten, cell=100.0),
    }
    return World(url, ids, files, users)


def _square(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    lo_x, hi_x, lo_y, hi_y = min(x0, x1) - 150, max(x0, x1) + 150, min(y0, y1) - 150, max(y0, y1) + 150
    ring = [[lo_x, lo_y], [hi_x, lo_y], [hi_x, hi_y], [lo_x, hi_y], [lo_x, lo_y]]
    return {"type": "Polygon", "coordinates": [ring]}


# -- the cases: (method, path template) → requests -----------------------------------------------


@dataclass
class Case:
    method: str
    path: str  # the OpenAPI template
    expected: Callable[[str], int]
    url: Callable[[World, str], str] | None = None  # the concrete path (default: the template)
    params: dict[str, Any] | None = None
    body: Callable[[World, str], Any] | None = None  # JSON body
    form: Callable[[World, str], tuple[dict[str, Any], dict[str, Any]]] | None = None  # data, files
    label: str = ""
    check: Callable[[str, Any], None] | None = None  # extra checks on a 200 answer

    @property
    def changes(self) -> bool:
        """Whether the request may change something (run after every read)."""
        reading = ("/api/scores", "/herberekenen", "/api/gebieden/", "/api/exports/")
        return self.method != "GET" and not any(part in self.path for part in reading)


def _p(path: str, **values: Any) -> Callable[[World, str], str]:
    return lambda w, name: path.format(
        **{k: (v(w, name) if callable(v) else w.ids.get(v, v)) for k, v in values.items()}
    )


def _score_body(w: World, name: str) -> dict[str, Any]:
    return {}  # the default weighting on the default data


def _upload(w: World, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    path = w.files["levering"]
    return {}, {"bestand": (path.name, path.read_bytes())}


def _raster(w: World, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    path = w.files["raster"]
    return (
        {
            "indicator": "matrixhitte",
            "label": "Matrixhitte",
            "periode": PERIOD,
            "vertrouwelijkheid": "partners",
        },
        {"bestand": (path.name, path.read_bytes(), "image/tiff")},
    )


def _bezit_row(table: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in table["rijen"] if r["buurtcode"] == code)


def _check_table(name: str, body: Any) -> None:
    """The single hidden dwelling and project are in the figures only for who may read them."""
    w_bezit, w_project = "BU01530000", "BU01530001"
    bezit, project = _bezit_row(body, w_bezit), _bezit_row(body, w_project)
    if reads_eigen(name):
        assert bezit["aandeel_label_efg"] is not None and project["geplande_investering"] is not None
    else:
        assert bezit["aandeel_label_efg"] is None and bezit["bezit_woningen"] > 0, name
        assert project["geplande_investering"] is None, name
        cells = {(c["buurtcode"], c["veld"]) for c in body["onderdrukt"]["cellen"]}
        assert {(w_bezit, "aandeel_label_efg"), (w_project, "geplande_investering")} <= cells


def _check_partner_layer(name: str, body: Any) -> None:
    props = {f["properties"]["buurtcode"]: f["properties"] for f in body["features"]}
    assert (props["BU01530000"]["aandeel_label_efg"] is not None) is reads_eigen(name)
    assert (props["BU01530001"]["geplande_investering"] is not None) is reads_eigen(name)


def _check_area(name: str, body: Any) -> None:
    """Domijn's one `eigen` dwelling: for who may read it, in Domijn's own row; for the others only
    as the hidden part of its buurt's figure (apportioned by the buurt's share in the square), in a
    row that names no corporation, suppressed."""
    rows = body["corporatiebezit"]["per_corporatie"]
    domijn = next(c for c in rows if c["corporatie"] == "Domijn")
    assert domijn["onderdrukt"] is False  # Domijn's records this viewer reads (the demo's)
    rest = [c for c in rows if c["buurtcijfers"]]
    if reads_eigen(name):
        assert rest == []
    else:
        assert len(rest) == 1 and rest[0]["onderdrukt"] is True, rest
        assert 0 < rest[0]["woningen"] <= 1  # the one dwelling times its buurt's share in the area
    assert any(m for m in body["meldingen"] if "Geheim concept" in m) is signed_in(name)


CASES: list[Case] = [
    Case("GET", "/api/health", public()),
    Case("GET", "/api/config", public()),
    Case("GET", "/api/meta", public()),
    Case("GET", "/api/layers", public()),
    Case("GET", "/api/layers/{layer_id}", public(), url=_p("/api/layers/{l}", l="raster"), label="raster"),
    Case(
        "GET",
        "/api/layers/{layer_id}",
        public(),
        url=_p("/api/layers/{l}", l="partnerdata"),
        label="partnerdata",
    ),
    *(
        Case(
            "GET",
            "/api/layers/{layer_id}/features",
            public(),
            url=_p("/api/layers/{l}/features", l=layer),
            label=layer,
            check=_check_partner_layer if layer == "partnerdata" else None,
        )
        for layer in (
            "buurten",
            "leefbaarometer",
            "partnerdata",
            "raster",
            "corporatiebezit",
            "geplande_projecten",
            "geplande_verkoop",
        )
    ),
    Case("GET", "/api/buurten/code-changes", public()),
    Case("GET", "/api/buurten/{code}", public(), url=_p("/api/buurten/{c}", c="buurt_bezit")),
    Case("GET", "/api/indicators", public()),
    Case("GET", "/api/indicators/table", public(), check=_check_table),
    Case("GET", "/api/indicators/choices", public()),
    Case("GET", "/api/periods", public()),
    Case("GET", "/api/periods/completeness", public()),
    Case("GET", "/api/organisations", public()),
    Case("GET", "/api/partners/template", public()),
    Case("GET", "/api/partners/rasters", public()),
    Case("GET", "/api/partners/deliveries", public()),
    Case("GET", "/api/partners/periods", public()),
    *(
        Case("GET", "/api/partners/features", public(), params={"laag": laag}, label=laag)
        for laag in ("bezit", "projecten", "verkoop")
    ),
    Case("GET", "/api/partners/sales-check", public()),
    Case("GET", "/api/scores/profiles", public()),
    Case("POST", "/api/scores", public(), body=_score_body),
    Case("POST", "/api/scores/candidates", public(), body=_score_body),
    Case("GET", "/api/scores/candidates", public()),
    Case("GET", "/api/scenarios", public()),
    Case(
        "GET",
        "/api/scenarios/compare",
        public(),
        params={"a": "scenario_open", "b": "scenario_open"},
        label="open",
    ),
    Case(
        "GET",
        "/api/scenarios/compare",
        eigen_reads(),
        params={"a": "scenario_open", "b": "scenario_eigen"},
        label="eigen",
    ),
    Case(
        "GET",
        "/api/scenarios/{scenario_id}",
        public(),
        url=_p("/api/scenarios/{s}", s="scenario_open"),
        label="open",
    ),
    Case(
        "GET",
        "/api/scenarios/{scenario_id}",
        eigen_reads(),
        url=_p("/api/scenarios/{s}", s="scenario_eigen"),
        label="eigen",
    ),
    Case(
        "POST",
        "/api/scenarios/{scenario_id}/herberekenen",
        public(),
        url=_p("/api/scenarios/{s}/herberekenen", s="scenario_open"),
        label="open",
    ),
    Case(
        "POST",
        "/api/scenarios/{scenario_id}/herberekenen",
        eigen_reads(),
        url=_p("/api/scenarios/{s}/herberekenen", s="scenario_eigen"),
        label="eigen",
    ),
    Case("POST", "/api/gebieden/statistieken", public(), body=lambda w, n: w.ids["area"], check=_check_area),
    Case(
        "POST",
        "/api/gebieden/uit-buurten",
        public(),
        body=lambda w, n: {"buurtcodes": ["BU01530000", "BU01530001"]},
    ),
    Case("GET", "/api/voorstellen", public()),
    Case("GET", "/api/voorstellen/kaart", public()),  # the map's layer (not audited)
    *(
        Case("GET", "/api/voorstellen/export", public(), params={"formaat": f}, label=f)
        for f in ("geojson", "gpkg")
    ),
    *(
        case
        for key, reads in (("concept", gemeente_reads), ("public", public))
        for case in (
            Case(
                "GET",
                "/api/voorstellen/{voorstel_id}",
                reads(),
                url=_p("/api/voorstellen/{v}", v=key),
                label=key,
            ),
            Case(
                "GET",
                "/api/voorstellen/{voorstel_id}/versies",
                reads(),
                url=_p("/api/voorstellen/{v}/versies", v=key),
                label=key,
            ),
            Case(
                "GET",
                "/api/voorstellen/{voorstel_id}/versies/{versie}",
                reads(),
                url=_p("/api/voorstellen/{v}/versies/2", v=key),
                label=key,
            ),
            Case(
                "GET",
                "/api/voorstellen/{voorstel_id}/vergelijk",
                reads(),
                url=_p("/api/voorstellen/{v}/vergelijk", v=key),
                params={"a": 2, "b": 2},
                label=key,
            ),
            Case(
                "GET",
                "/api/voorstellen/{voorstel_id}/reacties",
                reads(),
                url=_p("/api/voorstellen/{v}/reacties", v=key),
                label=key,
            ),
            Case(
                "GET",
                "/api/voorstellen/{voorstel_id}/investeringsagenda",
                reads(),
                url=_p("/api/voorstellen/{v}/investeringsagenda", v=key),
                label=key,
            ),
        )
    ),
    *(
        Case(
            "GET",
            "/api/voorstellen/{voorstel_id}/dossier",
            gemeente_reads(),
            url=_p("/api/voorstellen/{v}/dossier", v="concept"),
            params={"formaat": f},
            label=f"concept-{f}",
        )
        for f in ("pdf", "gpkg", "html", "zip")
    ),
    Case(
        "GET",
        "/api/voorstellen/{voorstel_id}/dossier",
        public(),
        url=_p("/api/voorstellen/{v}/dossier", v="public"),
        params={"formaat": "zip"},
        label="public-zip",
    ),
    *(
        Case("POST", "/api/exports/ranking", public(), body=_score_body, params={"formaat": f}, label=f)
        for f in ("csv", "gpkg")
    ),
    # -- writes --------------------------------------------------------------------------------
    Case("POST", "/api/partners/uploads", own_org_writer("domijn"), form=_upload),
    Case("POST", "/api/partners/rasters", writer(), form=_raster),
    Case("POST", "/api/scenarios", writer(), body=lambda w, n: {"naam": "Matrix"}),
    Case(
        "DELETE",
        "/api/scenarios/{scenario_id}",
        own_org_writer("domijn", 200),
        url=_p("/api/scenarios/{s}", s="scenario_open"),
    ),
    Case("POST", "/api/voorstellen", writer(), body=lambda w, n: {"naam": "Matrixvoorstel", **w.ids["area"]}),
    Case(
        "POST",
        "/api/voorstellen/{voorstel_id}/versies",
        own_org_writer("domijn"),
        url=_p("/api/voorstellen/{v}/versies", v="concept"),
        body=lambda w, n: {"basisversie": 2, "motivering": "v3"},
    ),
    Case(
        "POST",
        "/api/voorstellen/{voorstel_id}/status",
        own_org_writer("ons_huis"),
        url=_p("/api/voorstellen/{v}/status", v="public"),
        body=lambda w, n: {"basisversie": 2, "status": "ingetrokken"},
    ),
    Case(
        "POST",
        "/api/voorstellen/{voorstel_id}/reacties",
        any_signed_in(201),
        url=_p("/api/voorstellen/{v}/reacties", v="public"),
        body=lambda w, n: {"tekst": "Mee eens"},
    ),
    Case(
        "POST",
        "/api/voorstellen/{voorstel_id}/toezeggingen",
        own_org_writer("domijn"),
        url=_p("/api/voorstellen/{v}/toezeggingen", v="public"),
        body=lambda w, n: {
            "partner": "Domijn",
            "jaar": 2029,
            "bedrag_eur": 1000,
            "thema": "renovatie",
            "soort": "indicatief",
        },
    ),
    # -- sign-in and tokens ----------------------------------------------------------------------
    Case(
        "POST",
        "/api/auth/aanmelden",
        public(),
        body=lambda w, n: {"email": "matrix@enschede.nl", "wachtwoord": PASSWORD},
    ),
    Case(
        "POST", "/api/auth/afmelden", lambda n: 400 if signed_in(n) else 204
    ),  # a token is revoked, not signed out
    Case("GET", "/api/auth/ik", public()),
    Case(
        "POST",
        "/api/auth/wachtwoord",
        any_signed_in(403),
        body=lambda w, n: {"huidig": "x", "nieuw": "y" * 20},
    ),  # no password: 403
    Case("GET", "/api/auth/tokens", any_signed_in()),
    Case("POST", "/api/auth/tokens", any_signed_in(201), body=lambda w, n: {"naam": "matrix"}),
    Case(
        "DELETE",
        "/api/auth/tokens/{token_id}",
        any_signed_in(),
        url=lambda w, n: f"/api/auth/tokens/{w.users[n]['second_id'] if n in w.users else 1}",
    ),
    # -- administration --------------------------------------------------------------------------
    Case("GET", "/api/admin/organisaties", beheerder()),
    Case("GET", "/api/admin/gebruikers", beheerder()),
    Case(
        "POST",
        "/api/admin/gebruikers",
        beheerder(201),
        body=lambda w, n: {
            "email": "nieuw@enschede.nl",
            "naam": "Nieuw",
            "organisatie_id": w.ids["organisatie"],
            "rol": "lezer",
        },
    ),
    Case(
        "PATCH",
        "/api/admin/gebruikers/{gebruiker_id}",
        beheerder(),
        url=_p("/api/admin/gebruikers/{g}", g="target_user"),
        body=lambda w, n: {"rol": "planner"},
    ),
    Case(
        "POST",
        "/api/admin/gebruikers/{gebruiker_id}/wachtwoord",
        beheerder(),
        url=_p("/api/admin/gebruikers/{g}/wachtwoord", g="target_user"),
    ),
    Case("GET", "/api/admin/audit", beheerder()),
    Case("GET", "/api/admin/audit.csv", beheerder()),
]


def test_every_operation_of_the_openapi_document_has_a_case(world: World) -> None:
    with TestClient(create_app(Settings(database_url=world.template))) as c:
        doc = c.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    covered = {(case.method, case.path) for case in CASES}
    assert documented == covered


# -- reading answers, whatever their format ---------------------------------------------------


def _text(content: bytes, kind: str) -> str:
    """Every text an answer holds: JSON, CSV and HTML as they are; PDF pages, GeoPackage tables,
    Excel cells and the files in a zip read out."""
    if kind == "pdf" or content[:5] == b"%PDF-":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    if content[:16] == b"SQLite format 3\x00":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "x.gpkg"
            path.write_bytes(content)
            con = sqlite3.connect(path)
            try:
                tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                rows = [
                    str(row) for t in tables for row in con.execute(f'SELECT * FROM "{t}"')
                ]  # names from the file
            finally:
                con.close()
            return "\n".join(rows)
    if content[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(content))
        if any(n.startswith("xl/") for n in archive.namelist()):
            wb = load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(
                str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            )
        return "\n".join(_text(archive.read(n), n.rsplit(".", 1)[-1]) for n in archive.namelist())
    return content.decode("utf-8", errors="replace")


@dataclass
class Outcome:
    case: Case
    status: int
    expected: int
    found: set[str]
    leaks: list[str]
    problem: str | None = None


def _run(client: TestClient, world: World, name: str, case: Case) -> Outcome:
    url = case.url(world, name) if case.url else case.path
    params = {k: world.ids.get(v, v) if isinstance(v, str) else v for k, v in (case.params or {}).items()}
    kwargs: dict[str, Any] = {"params": params}
    if case.body is not None:
        kwargs["json"] = case.body(world, name)
    if case.form is not None:
        kwargs["data"], kwargs["files"] = case.form(world, name)
    res = client.request(case.method, url, **kwargs)
    client.cookies.clear()  # a sign-in sets cookies: the principal stays the token's
    expected = case.expected(name)
    found: set[str] = set()
    problem = None
    if res.status_code < 300 and res.content:
        content = _text(res.content, res.headers.get("content-type", "").split("/")[-1])
        found = {m for m in (*EIGEN, *CONCEPT) if m in content}
        if case.check is not None and res.status_code == expected:
            try:
                case.check(name, res.json())
            except (AssertionError, KeyError, StopIteration) as exc:
                problem = f"{type(exc).__name__}: {exc}"
    leaks = sorted(
        m for m in found if (m in EIGEN and not reads_eigen(name)) or (m in CONCEPT and not signed_in(name))
    )
    return Outcome(case, res.status_code, expected, found, leaks, problem)


_runs = iter(range(1000))


@pytest.mark.parametrize("name", list(PRINCIPALS))
def test_role_matrix(cluster: LocalCluster, world: World, app_role: str, name: str) -> None:
    url = _create_db(cluster, f"sia_matrix_{next(_runs)}", template="sia_matrix")
    settings = Settings(database_url=url, app_database_url=as_app_role(url, app_role), gemeente="GM0153")
    headers = {} if name not in world.users else {"Authorization": f"Bearer {world.users[name]['token']}"}
    outcomes = []
    with TestClient(create_app(settings), headers=headers) as client:
        ordered = [c for c in CASES if not c.changes] + [c for c in CASES if c.changes]
        for case in ordered:  # everything is read before anything is changed
            outcomes.append(_run(client, world, name, case))
    wrong = [
        f"{o.case.method} {o.case.path} [{o.case.label}]: {o.status}, expected {o.expected}"
        for o in outcomes
        if o.status != o.expected
    ]
    leaked = [f"{o.case.method} {o.case.path} [{o.case.label}]: {o.leaks}" for o in outcomes if o.leaks]
    checks = [f"{o.case.method} {o.case.path} [{o.case.label}]: {o.problem}" for o in outcomes if o.problem]
    assert wrong == [] and leaked == [] and checks == []
    # the markers really are in the answers of those who may read them: the search can fail
    seen = set().union(*(o.found for o in outcomes))
    assert (set(EIGEN) <= seen) is reads_eigen(name)
    assert (set(CONCEPT) <= seen) is signed_in(name)
