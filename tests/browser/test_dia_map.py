"""DIA areas on the map (issue 9), in headless Chromium with real mouse clicks: drawing a polygon
and its live statistics (checked against the API's answer for the same geometry), a refused shape,
"buurten kiezen", a candidate area turned into a proposal, a second version by moving a vertex,
the two versions compared on the map, status changes (a 409 shown in Dutch, vastgesteld with a BO
date), a comment with markup shown as text, a commitment, the dossier PDF and GeoPackage read back,
the proposals layer and list, the ranking downloads, a shared link that restores the view, and the
phone layout with axe-core. Every test ends with no request having left the machine (open_map).

Under sign-in (issue 10): tests that save or look at concept proposals open the map signed in as a
planner of the gemeente (``open_map(user=...)``) and send their own requests with an API token; the
drawing and statistics tests stay anonymous (the public may measure an area). An anonymous visitor
gets a sign-in line instead of the forms and does not see concepts; a planner of a corporation that
is not involved gets the server's Dutch refusal; the author shown is the signed-in user.

With ``SIA_DIA_SCREENSHOTS=DIR`` the tests save screenshots of what they show there.
"""

from __future__ import annotations

import json
import math
import os
import unicodedata
import urllib.error
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from playwright.sync_api import Page
from pypdf import PdfReader
from sqlalchemy import text

from layers import auth
from layers.db.engine import make_engine
from tests.browser.conftest import DESKTOP, PHONE, Opener, run_axe, scored, screen_point, set_weight
from tests.signin import add_user, token_for

pytestmark = pytest.mark.browser

# three adjacent buurten in the centre of Enschede (CBS 2021)
THREE = ["BU01530000", "BU01530001", "BU01530002"]
SHOTS = os.environ.get("SIA_DIA_SCREENSHOTS")


# the proposal panel at the top of its scrolling column (scrollIntoView also moves the page itself)
SHOW_PANEL = (
    "document.getElementById('dia-proposal').scrollIntoView(); document.scrollingElement.scrollTop = 0"
)


def shot(pg: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


# -- Dutch numbers as the map writes them (nl-NL: "." thousands, "," decimals, "−" minus) ------


def nl(x: float, digits: int, *, fixed: bool = False) -> str:
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    sign = "−" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    if not fixed:
        frac = frac.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


def nl_auto(x: float) -> str:
    """Digits that suit the size (lib/format.js autoDigits): 3 below 1, 2 below 100, 1 below 1.000."""
    a = abs(x)
    return nl(x, 0 if a >= 1000 else 1 if a >= 100 else 2 if a >= 1 else 3)


def area_text(ha: float) -> str:
    """An area as the map writes it: in ha, a sliver below 0,01 ha in m²."""
    if 0 < ha < 0.01:
        return f"{max(1, round(ha * 10_000))} m²"
    return nl_auto(ha) + " ha"


def nl_percent(fraction: float) -> str:
    v = 100 * fraction
    return nl(v, 0 if abs(v) >= 10 else 1) + "%"


# -- the page and the API -----------------------------------------------------------------------

PASSWORD = "een wachtwoord voor de DIA-kaart"


@pytest.fixture(scope="module")
def planner_token(browser_url: str) -> str:
    """An API token of a planner of the gemeente, for requests straight to the server that write or
    read concept proposals."""
    user = add_user(browser_url, slug="gemeente", rol="planner")
    return token_for(browser_url, user["id"])


def api(base: str, path: str, body: Any | None = None, *, token: str | None = None) -> tuple[int, Any]:
    """A request straight to the server (not through the page); anonymous unless ``token``."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def zoom_to(pg: Page, codes: list[str], padding: int = 140) -> None:
    pg.evaluate(
        """([codes, pad]) => { const m = window.siaMap.map;
            const ls = window.siaMap.layer.getLayers()
              .filter(l => codes.includes(l.feature.properties.buurtcode));
            m.fitBounds(L.featureGroup(ls).getBounds(), { animate: false, padding: [pad, pad] }); }""",
        [codes, padding],
    )


def around(pg: Page, codes: list[str], scale: float = 1.4) -> list[tuple[float, float]]:
    """A polygon whose corners lie beyond the given buurten's centres, seen from their middle."""
    pts = [screen_point(pg, c) for c in codes]
    cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    return [(cx + (x - cx) * scale, cy + (y - cy) * scale) for x, y in pts]


def stats_count(pg: Page) -> int:
    return int(pg.evaluate("Number(document.body.dataset.diaStats || 0)"))


def wait_stats(pg: Page, after: int) -> None:
    pg.wait_for_function(
        f"Number(document.body.dataset.diaStats || 0) > {after} "
        "&& window.siaMap.store.get('diaStats')?.state === 'ok'",
        timeout=30_000,
    )


def outside_points(pg: Page) -> tuple[float, float, float, tuple[float, float]]:
    """Zoomed out so that the map shows land west of the gemeente: the page x of the gemeente's
    western edge, two page y's within its height, and a page point inside the gemeente."""
    pg.evaluate(
        """() => { const m = window.siaMap.map; const b = window.siaMap.layer.getBounds();
            m.setView(b.getCenter(), m.getBoundsZoom(b) - 1.5, { animate: false }); }"""
    )
    west, north, south, x, y = pg.evaluate(
        """() => { const m = window.siaMap.map; const b = window.siaMap.layer.getBounds();
            const r = document.getElementById('map').getBoundingClientRect();
            const nw = m.latLngToContainerPoint(b.getNorthWest());
            const se = m.latLngToContainerPoint(b.getSouthEast());
            const lyr = window.siaMap.layer.getLayers()
              .find(l => l.feature.properties.buurtcode === 'BU01530000');
            const c = m.latLngToContainerPoint(lyr.getCenter());
            return [r.left + nw.x, r.top + nw.y + (se.y - nw.y) * 0.3, r.top + nw.y + (se.y - nw.y) * 0.7,
                    r.left + c.x, r.top + c.y]; }"""
    )
    assert west > 120, "no room west of the gemeente"
    return float(west), float(north), float(south), (float(x), float(y))


def first_vertex_marker(pg: Page) -> tuple[float, float]:
    """The centre of the first corner's marker while drawing (where a click closes the shape: it may
    have snapped to a buurt edge, away from where it was clicked)."""
    x, y = pg.evaluate(
        """() => { const r = document.querySelector('.marker-icon.leaflet-interactive:not(.cursor-marker)')
            .getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }"""
    )
    return float(x), float(y)


def draw(pg: Page, points: list[tuple[float, float]]) -> None:
    """Draw a polygon with the map's drawing tool: click every corner, then the first again."""
    pg.click("button.dia-tool[data-tool=tekenen]")
    assert pg.get_attribute("button.dia-tool[data-tool=tekenen]", "aria-pressed") == "true"
    for x, y in points:
        pg.mouse.click(x, y)
        pg.wait_for_timeout(120)
    pg.mouse.click(*first_vertex_marker(pg))
    pg.wait_for_function("window.siaMap.store.get('diaTool') === null")


def lone_vertex(pg: Page) -> tuple[float, float]:
    """The page point of the area's vertex farthest from its neighbours (easy to grab)."""
    x, y = pg.evaluate(
        """() => { const m = window.siaMap.map; let a = window.siaMap.diaArea.getLatLngs();
            while (Array.isArray(a[0])) a = a[0];
            const p = a.map(ll => m.latLngToContainerPoint(ll)); const n = p.length;
            let best = 0, far = -1;
            p.forEach((q, i) => {
              const d = Math.min(q.distanceTo(p[(i + n - 1) % n]), q.distanceTo(p[(i + 1) % n]));
              if (d > far) { far = d; best = i; } });
            const r = document.getElementById('map').getBoundingClientRect();
            return [r.left + p[best].x, r.top + p[best].y]; }"""
    )
    return float(x), float(y)


def figure(pg: Page, name: str, scope: str = "#dia-area-stats") -> str:
    return pg.locator(f"{scope} [data-figuur={name}]").first.inner_text().strip()


def voorstel_state(pg: Page) -> list[str]:
    return str(pg.evaluate("document.body.dataset.voorstel || ''")).split(":")


def wait_voorstel(pg: Page, condition: str) -> None:
    """Wait until the proposal panel shows a state; body[data-voorstel] is
    id:shown:newest:status:comments:commitments."""
    pg.wait_for_function(
        f"(() => {{ const v = (document.body.dataset.voorstel || '').split(':'); return {condition}; }})()",
        timeout=60_000,
    )


def create_proposal(base: str, codes: list[str], naam: str, token: str) -> dict[str, Any]:
    """A concept proposal of the buurten ``codes`` by the planner of ``token``, with Domijn as partner."""
    status, area = api(base, "/api/gebieden/uit-buurten", {"buurtcodes": codes})
    assert status == 200, area
    body = {"naam": naam, "geometrie": area["geometrie"], "crs": "EPSG:4326", "partners": ["Domijn"]}
    status, saved = api(base, "/api/voorstellen", body, token=token)
    assert status == 201, saved
    return saved


def me(pg: Page) -> dict[str, Any]:
    """The signed-in user of the page, as the server sees it."""
    who: dict[str, Any] = pg.evaluate("async () => (await (await fetch('/api/auth/ik')).json()).gebruiker")
    return who


# -- drawing and statistics -------------------------------------------------------------------------


def test_draw_a_polygon_and_see_the_statistics_of_the_api(open_map: Opener, server: str) -> None:
    mp = open_map()
    pg = mp.page
    zoom_to(pg, THREE)
    before = stats_count(pg)
    with pg.expect_request(lambda r: r.url.endswith("/api/gebieden/statistieken")) as sent:
        draw(pg, around(pg, THREE))
    wait_stats(pg, before)
    shot(pg, "getekend-gebied")
    body = sent.value.post_data_json
    geometry = pg.evaluate("window.siaMap.store.get('diaArea').geometry")
    assert body["geometrie"] == geometry and body["crs"] == "EPSG:4326"
    assert body["profiel"] == pg.evaluate("window.siaMap.store.get('profile')")
    assert body["gewichten"] == pg.evaluate("window.siaMap.store.get('weights')")
    # the same question asked by the test itself
    status, expected = api(server, "/api/gebieden/statistieken", body)
    assert status == 200, expected
    touched = {b["buurtcode"]: b for b in expected["buurten"]}
    assert set(THREE) <= set(touched)
    rows = pg.locator("#dia-area-stats table.buurten tbody tr")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.code)")) == sorted(touched)
    for code in THREE:
        row = pg.locator(f"#dia-area-stats tr[data-code={code}]")
        assert touched[code]["buurtnaam"] in row.inner_text()
        assert row.locator("td").nth(1).inner_text() == nl_percent(touched[code]["aandeel"])
    assert figure(pg, "inwoners") == nl(expected["inwoners"], 0)
    # the weighting the area was scored with, by its labels (not "(gewogen_som)")
    basis = pg.locator("#dia-area-stats").inner_text()
    assert f"{expected['scores']['profiel_label']} (gewogen som)" in basis and "gewogen_som" not in basis
    assert figure(pg, "huishoudens") == nl(expected["huishoudens"], 0)
    assert figure(pg, "oppervlakte_ha") == nl(expected["oppervlakte_ha"], 1) + " ha"
    assert figure(pg, "corporatiewoningen") == nl(expected["corporatiebezit"]["woningen"], 0)
    assert figure(pg, "bezit_totaal") == nl(expected["corporatiebezit"]["woningen"], 0)
    efg = expected["corporatiebezit"]["aandeel_label_efg"]
    assert figure(pg, "label_efg") == nl(efg, 0 if abs(efg) >= 10 else 1) + "%"
    assert figure(pg, "verkoop") == nl(expected["verkoop"]["aantal"], 0)
    assert figure(pg, "strijdig_41") == nl(expected["verkoop"]["strijdig_41"], 0)
    assert figure(pg, "projecten") == nl(expected["projecten"]["aantal"], 0)
    assert figure(pg, "lbm_score") == nl(expected["leefbaarometer"]["lbm_score"], 3, fixed=True)
    scores = expected["scores"]
    for axis in ("urgentie", "potentie", "gecombineerd"):
        assert figure(pg, axis) == nl(scores[axis], 3, fixed=True)
    assert figure(pg, "kwadrant") == scores["kwadranten"][scores["kwadrant"]]
    panel = pg.locator("#dia-area").inner_text()
    # what every figure stands on, the method of apportioning, the share of the gemeente, synthetic data
    assert f"partnerdata {expected['periode']}" in panel and f"CBS {expected['jaar']}" in panel
    assert f"Leefbaarometer {expected['editie']}" in panel
    used = [m for m, k in expected["verdeling"]["aantal_buurten"].items() if k > 0]
    assert used and all(expected["verdeling"]["methoden"][m] in panel for m in used)
    assert f"{nl_percent(expected['aandeel_gemeente']['inwoners'])} van de gemeente" in panel
    assert "synthetisch" in panel.lower() and "NaN" not in panel and "undefined" not in panel
    assert pg.locator("#dia-area .synthetic").count() >= 1
    # the toolbar and the figures pass axe-core
    assert run_axe(pg) == []
    # another weighting: the area's scores follow (the same geometry, the new weights)
    n = stats_count(pg)
    with pg.expect_request(lambda r: r.url.endswith("/api/gebieden/statistieken")) as resent:
        set_weight(pg, "aandeel_label_efg", 9)
    wait_stats(pg, n)
    again = resent.value.post_data_json
    assert again["gewichten"]["aandeel_label_efg"] == 9 and again["geometrie"] == geometry
    status, rescored = api(server, "/api/gebieden/statistieken", again)
    assert figure(pg, "urgentie") == nl(rescored["scores"]["urgentie"], 3, fixed=True)
    # the urgency-only profile has no potential: "onbekend", never NaN
    n = stats_count(pg)
    pg.select_option("#profiel", "urgentie")
    pg.wait_for_function(
        f"Number(document.body.dataset.diaStats || 0) > {n}"
        " && window.siaMap.store.get('diaStats')?.state === 'ok'"
        " && window.siaMap.store.get('diaStats').data.scores.profiel === 'urgentie'",
        timeout=30_000,
    )
    unknown = pg.evaluate("window.siaMap.store.get('diaStats').data.scores")
    assert unknown["potentie"] is None and unknown["kwadrant"] == "potentie_onbekend"
    assert figure(pg, "potentie") == "onbekend" and figure(pg, "gecombineerd") != "onbekend"
    assert figure(pg, "kwadrant") == unknown["kwadranten"]["potentie_onbekend"]
    assert "NaN" not in pg.locator("#dia-area").inner_text()
    assert not mp.problems, mp.problems


def test_cut_a_hole_drag_the_area_and_escape(open_map: Opener) -> None:
    mp = open_map()
    pg = mp.page
    zoom_to(pg, THREE)
    corners = around(pg, THREE, scale=1.6)
    before = stats_count(pg)
    draw(pg, corners)
    wait_stats(pg, before)
    whole = pg.evaluate("window.siaMap.store.get('diaStats').data.oppervlakte_ha")
    # cut a small triangle out of the middle: the area gets a hole and its figures shrink
    cx, cy = sum(p[0] for p in corners) / 3, sum(p[1] for p in corners) / 3
    hole = [(cx - 25, cy + 20), (cx + 25, cy + 20), (cx, cy - 25)]
    n = stats_count(pg)
    pg.click("button.dia-tool[data-tool=knippen]")
    for x, y in hole:
        pg.mouse.click(x, y)
        pg.wait_for_timeout(120)
    pg.mouse.click(*first_vertex_marker(pg))
    pg.wait_for_function("window.siaMap.store.get('diaTool') === null")
    wait_stats(pg, n)
    geometry = pg.evaluate("window.siaMap.store.get('diaArea').geometry")
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else geometry["coordinates"][0]
    assert len(rings) == 2  # the outline and the hole
    cut = pg.evaluate("window.siaMap.store.get('diaStats').data.oppervlakte_ha")
    assert 0 < cut < whole
    assert pg.locator("#dia-area-title").inner_text() == "Getekend gebied"
    # drag the whole area to the east
    first = rings[0][0]
    n = stats_count(pg)
    pg.click("button.dia-tool[data-tool=verslepen]")
    gx, gy = corners[0][0] + (cx - corners[0][0]) * 0.3, corners[0][1] + (cy - corners[0][1]) * 0.3
    pg.mouse.move(gx, gy)
    pg.mouse.down()
    pg.mouse.move(gx + 60, gy, steps=8)
    pg.mouse.up()
    wait_stats(pg, n)
    moved = pg.evaluate("window.siaMap.store.get('diaArea').geometry")
    ring = moved["coordinates"][0] if moved["type"] == "Polygon" else moved["coordinates"][0][0]
    assert ring[0][0] > first[0] and abs(ring[0][1] - first[1]) < 1e-3
    assert pg.evaluate("window.siaMap.store.get('diaStats').data.oppervlakte_ha") == pytest.approx(
        cut, rel=0.02
    )
    pg.click("button.dia-tool[data-tool=verslepen]")  # off again
    assert pg.evaluate("window.siaMap.store.get('diaTool')") is None
    # Escape ends a drawing that has not been finished; the area stays
    pg.click("button.dia-tool[data-tool=tekenen]")
    pg.mouse.click(cx + 200, cy + 150)
    pg.keyboard.press("Escape")
    pg.wait_for_function("window.siaMap.store.get('diaTool') === null")
    assert pg.evaluate("window.siaMap.store.get('diaArea').geometry") == moved
    assert not mp.problems, mp.problems


def test_a_self_intersecting_shape_is_refused_in_dutch(open_map: Opener, server: str) -> None:
    mp = open_map()
    pg = mp.page
    zoom_to(pg, THREE)
    a, b, _ = around(pg, THREE)
    # a bow tie: the edges a→c and b→(a+c)/2 shifted cross each other
    bow = [a, b, (a[0], b[1]), (b[0], a[1])]
    draw(pg, bow)
    pg.wait_for_function("window.siaMap.store.get('diaStats')?.state === 'fout'", timeout=30_000)
    geometry = pg.evaluate("window.siaMap.store.get('diaArea').geometry")
    status, refusal = api(server, "/api/gebieden/statistieken", {"geometrie": geometry, "crs": "EPSG:4326"})
    assert status == 400
    text = pg.locator("#dia-area-status").inner_text()
    assert text == f"Dit gebied kan niet: {refusal['melding']}"
    assert "geen geldig vlak" in text
    assert pg.locator("#dia-area-stats table").count() == 0  # no figures of another shape
    assert pg.locator("#dia-save-aanmelden").count() == 1  # the area stays (a visitor: the sign-in line)
    # "Wissen" clears it
    pg.click("button.dia-tool[data-tool=wissen]")
    assert pg.evaluate("window.siaMap.store.get('diaArea')") is None
    assert pg.locator("#dia-area").is_hidden()
    # entirely outside the gemeente: refused; partly outside: clipped, with the notice
    west, north, south, mid = outside_points(pg)
    draw(pg, [(west - 60, north), (west - 20, north), (west - 40, south)])
    pg.wait_for_function("window.siaMap.store.get('diaStats')?.state === 'fout'", timeout=30_000)
    assert "helemaal buiten de gemeente GM0153" in pg.locator("#dia-area-status").inner_text()
    pg.click("button.dia-tool[data-tool=wissen]")
    before = stats_count(pg)
    draw(pg, [(west - 60, north), mid, (west - 60, south)])
    wait_stats(pg, before)
    notice = pg.locator("#dia-area-stats .dia-notice").inner_text()
    assert "deels buiten de gemeente GM0153" in notice and "weggeknipt" in notice
    drawn = pg.evaluate("window.siaMap.store.get('diaStats').data.oppervlakte_ha")
    before = stats_count(pg)
    pg.click("#dia-afgesneden")  # take the part inside as the area
    wait_stats(pg, before)
    assert pg.evaluate("window.siaMap.store.get('diaStats').data.afgesneden") is False
    assert pg.evaluate("window.siaMap.store.get('diaStats').data.oppervlakte_ha") == pytest.approx(
        drawn, rel=1e-3
    )
    assert pg.locator("#dia-afgesneden").count() == 0
    assert [p for p in mp.problems if "400 (Bad Request)" not in p] == []


def test_build_an_area_by_clicking_buurten_and_a_wijk(open_map: Opener, server: str) -> None:
    mp = open_map()
    pg = mp.page
    zoom_to(pg, THREE[:2], padding=200)
    pg.click("button.dia-tool[data-tool=buurten]")
    for code in THREE[:2]:
        pg.mouse.click(*screen_point(pg, code))
    picked = json.dumps(sorted(THREE[:2]), separators=(",", ":"))
    pg.wait_for_function(
        f"JSON.stringify([...(window.siaMap.store.get('diaArea')?.buurtcodes || [])].sort()) === '{picked}'",
        timeout=20_000,
    )
    assert pg.evaluate("window.siaMap.store.get('selected')") is None  # picking is not selecting
    wait_stats(pg, 0)
    status, dissolved = api(server, "/api/gebieden/uit-buurten", {"buurtcodes": THREE[:2]})
    assert status == 200
    assert pg.evaluate("window.siaMap.store.get('diaArea').geometry") == dissolved["geometrie"]
    status, expected = api(
        server, "/api/gebieden/statistieken", {"geometrie": dissolved["geometrie"], "crs": "EPSG:4326"}
    )
    shares = {b["buurtcode"]: b["aandeel"] for b in expected["buurten"]}
    assert shares[THREE[0]] == shares[THREE[1]] == 1.0
    # other buurten the API counts are slivers along the edge (the round trip through EPSG:4326)
    assert all(v < 0.001 for c, v in shares.items() if c not in THREE[:2])
    rows = pg.locator("#dia-area-stats table.buurten tbody tr")
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.code)") == sorted(
        shares, key=lambda c: (-shares[c], c)
    )
    assert rows.locator("td:nth-child(2)").all_inner_texts() == [
        nl_percent(shares[c]) for c in sorted(shares, key=lambda c: (-shares[c], c))
    ]
    # a second click takes a buurt out again
    before = stats_count(pg)
    pg.mouse.click(*screen_point(pg, THREE[1]))
    pg.wait_for_function(f"window.siaMap.store.get('diaArea')?.buurtcodes?.join() === '{THREE[0]}'")
    wait_stats(pg, before)
    # a whole wijk from the list (keyboard-reachable)
    wijk = "WK015303"
    pg.select_option("#dia-wijk", wijk)
    pg.click("#dia-wijk-toevoegen")
    status, with_wijk = api(
        server, "/api/gebieden/uit-buurten", {"buurtcodes": [THREE[0]], "wijkcodes": [wijk]}
    )
    pg.wait_for_function(
        f"window.siaMap.store.get('diaArea')?.buurtcodes?.length === {len(with_wijk['buurtcodes'])}",
        timeout=20_000,
    )
    assert len(with_wijk["buurtcodes"]) > 2
    assert pg.locator(".dia-picked li").count() == 2
    pg.click("#dia-pick-klaar")
    assert pg.evaluate("window.siaMap.store.get('diaTool')") is None
    assert pg.get_attribute("button.dia-tool[data-tool=buurten]", "aria-pressed") == "false"
    # after picking, a click on a buurt outside the area selects it again
    outside = "BU01530005"
    zoom_to(pg, [outside], padding=250)
    pg.mouse.click(*screen_point(pg, outside))
    pg.wait_for_function(f"window.siaMap.store.get('selected') === '{outside}'")
    assert not mp.problems, mp.problems


# -- a proposal: candidate → saved → second version → compared → voorgesteld → vastgesteld ----------


def test_candidate_area_to_proposal_versions_status_comments_and_dossier(
    open_map: Opener, server: str, tmp_path: Path, planner_token: str
) -> None:
    mp = open_map(user=("gemeente", "planner"))
    pg = mp.page
    user = me(pg)
    assert user["organisatie"] == "Gemeente Enschede" and user["rol"] == "planner"
    pg.check("#toggle-kandidaten")
    pg.wait_for_selector("#kandidaten-lijst button", timeout=30_000)
    candidate = pg.evaluate("window.siaMap.store.get('candidates').features[0].properties")
    before = stats_count(pg)
    pg.locator("#kandidaten-lijst button").first.click()
    wait_stats(pg, before)
    assert pg.locator("#dia-area-title").inner_text() == f"Kandidaatgebied {candidate['gebied']}"
    assert pg.input_value("#voorstel-naam") == f"Kandidaatgebied {candidate['gebied']}"
    shown = sorted(
        pg.locator("#dia-area-stats table.buurten tbody tr").evaluate_all("rs => rs.map(r => r.dataset.code)")
    )
    assert set(candidate["buurtcodes"].split(",")) <= set(shown)
    # save it as a proposal
    naam = "Binnenstad <Oost> & Laares"
    pg.fill("#voorstel-naam", naam)
    pg.fill("#voorstel-motivering", "Hoge urgentie; <b>bundelen</b> met de plannen van Domijn.")
    pg.check("#voorstel-partners input[value='Domijn']")
    pg.check("#voorstel-partners input[value='Huurdersorganisaties Enschede']")
    pg.fill("#voorstel-contact", "wijkregisseur@enschede.nl")
    # no author to type: the form names who is signed in, as the top bar does
    assert pg.locator("#dia-save input#voorstel-auteur, #dia-save [autocomplete=name]").count() == 0
    assert pg.locator("#dia-save-auteur").inner_text() == "U werkt als " + pg.locator("#who").inner_text()
    with pg.expect_request(lambda r: r.url.endswith("/api/voorstellen") and r.method == "POST") as sent:
        pg.click("#voorstel-opslaan")
    assert "auteur" not in sent.value.post_data_json
    wait_voorstel(pg, "v[1] === '1' && v[2] === '1' && v[3] === 'concept'")
    pid = int(voorstel_state(pg)[0])
    assert f"{user['naam']}, " in pg.locator(".dia-fields").inner_text()  # the server's author
    assert pg.locator("#voorstel-titel").inner_text() == naam  # markup in a name is text
    assert pg.locator("#voorstel-body b").count() == 0
    assert "Domijn, Huurdersorganisaties Enschede" in pg.locator(".dia-fields").inner_text()
    status, v1 = api(server, f"/api/voorstellen/{pid}/versies/1", token=planner_token)
    assert status == 200 and v1["auteur"] == user["naam"]
    assert v1["weging"]["profiel"] == pg.evaluate("window.siaMap.store.get('profile')")
    # on the map and in the list, coloured by status
    outline = pg.locator(f"path[data-voorstel='{pid}']")
    assert outline.count() == 1 and outline.get_attribute("stroke") == "#1f78b4"
    assert naam in pg.locator("#voorstel-lijst").inner_text()
    # a new boundary: move a vertex with the mouse → version 2
    pg.click("#voorstel-grens")
    pg.wait_for_function(
        "window.siaMap.store.get('diaTool') === 'bewerken' && window.siaMap.diaArea !== null"
    )
    wait_stats(pg, 0)
    pg.wait_for_timeout(400)  # the map has moved to the area
    x, y = lone_vertex(pg)
    cx, cy = pg.evaluate(
        """() => { const m = window.siaMap.map;
            const p = m.latLngToContainerPoint(window.siaMap.diaArea.getBounds().getCenter());
            const r = document.getElementById('map').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }"""
    )
    n = stats_count(pg)
    area_before = pg.evaluate("JSON.stringify(window.siaMap.store.get('diaArea').geometry)")
    # outward and sideways: area added on one side, removed on the other
    dx, dy = x - cx, y - cy
    length = math.hypot(dx, dy) or 1
    tx, ty = x + 45 * dx / length - 35 * dy / length, y + 45 * dy / length + 35 * dx / length
    pg.mouse.move(x, y)
    pg.mouse.down()
    pg.mouse.move(tx, ty, steps=10)
    pg.mouse.up()
    wait_stats(pg, n)
    assert pg.evaluate("JSON.stringify(window.siaMap.store.get('diaArea').geometry)") != area_before
    assert pg.locator("#dia-area-title").inner_text() == f"Nieuwe grens voor '{naam}'"
    assert pg.locator("#dia-overlap").count() == 0  # a proposal's new boundary does not overlap itself
    assert pg.locator("#dia-save-auteur").inner_text() == "U werkt als " + pg.locator("#who").inner_text()
    pg.fill("#versie-wijziging", "hoekpunt verlegd naar de straat")
    pg.click("#versie-opslaan")
    wait_voorstel(pg, "v[1] === '2' && v[2] === '2'")
    assert pg.locator("#dia-area").is_hidden()
    assert pg.locator("#voorstel-versies tbody tr").count() == 2
    assert "hoekpunt verlegd naar de straat" in pg.locator("#voorstel-versies tbody tr").nth(1).inner_text()
    # compare version 1 and 2 on the map
    pg.select_option("#vergelijk-a", "1")
    pg.select_option("#vergelijk-b", "2")
    pg.click("#vergelijk-knop")
    pg.wait_for_selector("#vergelijking-cijfers")
    status, cmp = api(server, f"/api/voorstellen/{pid}/vergelijk?a=1&b=2", token=planner_token)
    assert status == 200 and cmp["toegevoegd_ha"] + cmp["verwijderd_ha"] > 0
    for kind in ("toegevoegd", "verwijderd"):  # a layer for each part the API found
        assert (pg.locator(f"path.dia-diff-{kind}").count() > 0) == (cmp[kind] is not None), kind
    text = pg.locator("#vergelijking").inner_text()
    assert (
        f"+{area_text(cmp['toegevoegd_ha'])} erbij" in text
        and f"−{area_text(cmp['verwijderd_ha'])} eraf" in text
    )
    area_row = pg.locator("#vergelijking-cijfers tr[data-grootheid=oppervlakte_ha] td")
    figures = {f["grootheid"]: f for f in cmp["statistieken"]}
    assert area_row.nth(0).inner_text() == nl(figures["oppervlakte_ha"]["a"], 1)
    assert area_row.nth(1).inner_text() == nl(figures["oppervlakte_ha"]["b"], 1)
    shot(pg, "voorstel-twee-versies-verschil")
    pg.click("#vergelijking-wissen")
    assert pg.locator("path.dia-diff-toegevoegd, path.dia-diff-verwijderd").count() == 0
    # any earlier version can be viewed
    pg.click("#voorstel-versies button[aria-label='Bekijk versie 1']")
    wait_voorstel(pg, "v[1] === '1' && v[2] === '2'")
    assert "U bekijkt versie 1" in pg.locator("#voorstel-oud").inner_text()
    assert pg.locator("#voorstel-status-form").count() == 0  # an old version is read-only
    pg.click("#voorstel-oud button")
    wait_voorstel(pg, "v[1] === '2'")
    # someone else moves it to voorgesteld first: the panel's change is refused (409) in Dutch
    status, _ = api(
        server,
        f"/api/voorstellen/{pid}/status",
        {"basisversie": 2, "status": "voorgesteld"},
        token=planner_token,
    )
    assert status == 201
    pg.select_option("#voorstel-nieuwe-status", "voorgesteld")
    pg.click("#voorstel-status-opslaan")
    wait_voorstel(pg, "v[2] === '3' && v[3] === 'voorgesteld'")
    refusal = pg.locator("#voorstel-melding").inner_text()
    assert refusal.startswith("Status niet gewijzigd: Versie 2 is niet meer de nieuwste"), refusal
    assert "error" in (pg.get_attribute("#voorstel-melding", "class") or "")
    # voorgesteld → vastgesteld asks the BO date and the decision reference
    options = pg.locator("#voorstel-nieuwe-status option").evaluate_all("os => os.map(o => o.value)")
    assert options == ["vastgesteld", "afgewezen", "ingetrokken"]
    pg.select_option("#voorstel-nieuwe-status", "afgewezen")
    assert pg.locator("#voorstel-besluit").is_hidden()
    pg.select_option("#voorstel-nieuwe-status", "vastgesteld")
    assert pg.locator("#voorstel-besluit").is_visible()
    pg.fill("#voorstel-bo-datum", "2027-03-15")
    pg.fill("#voorstel-besluit-ref", "BO 2027/03-4")
    pg.click("#voorstel-status-opslaan")
    wait_voorstel(pg, "v[2] === '4' && v[3] === 'vastgesteld'")
    assert "Status gewijzigd naar 'Vastgesteld" in pg.locator("#voorstel-melding").inner_text()
    assert "15-3-2027, BO 2027/03-4" in pg.locator(".dia-fields").inner_text()
    assert pg.locator("#voorstel-grens").count() == 0 and pg.locator("#voorstel-status-form").count() == 0
    assert pg.locator(f"path[data-voorstel='{pid}']").get_attribute("stroke") == "#1b7837"
    # a comment with markup is shown as text
    tekst = '<script>window.__xss = 1</script> Goed plan & "snel" <img src=x onerror="window.__xss=2">'
    pg.locator("#voorstel-reacties summary").click()
    pg.fill("#reactie-tekst", tekst)
    pg.click("#reactie-plaatsen")
    wait_voorstel(pg, "v[4] === '1'")
    comment = pg.locator(".dia-comments li").first
    assert comment.locator(".text").inner_text() == tekst
    assert comment.locator(".who").inner_text().startswith(f"{user['naam']}, Gemeente Enschede · ")
    assert comment.locator("script, img").count() == 0
    assert pg.evaluate("window.__xss") is None
    # a commitment by hand in the investment agenda
    status, agenda_before = api(server, f"/api/voorstellen/{pid}/investeringsagenda", token=planner_token)
    pg.locator("#voorstel-agenda summary").click()
    # a planner commits on behalf of its own organisation only: the only partner offered
    partners = pg.locator("#toezegging-partner option").evaluate_all("os => os.map(o => o.value)")
    assert partners == ["Gemeente Enschede"]
    pg.fill("#toezegging-jaar", "2028")
    pg.fill("#toezegging-bedrag", "250000")
    pg.fill("#toezegging-thema", "verduurzaming")
    pg.select_option("#toezegging-soort", "toegezegd")
    pg.click("#toezegging-opslaan")
    wait_voorstel(pg, "v[5] === '1'")
    total = pg.locator("#voorstel-agenda [data-figuur=agenda_totaal]").inner_text()
    assert total == "€\u00a0" + nl(agenda_before["totaal_eur"] + 250000, 0)
    commitment = pg.locator(".dia-commitments li").first.inner_text()
    assert commitment.startswith("Gemeente Enschede, 2028: €\u00a0250.000 verduurzaming (toegezegd)")
    assert f"— {user['naam']}, " in commitment
    shot(pg, "voorstel-vastgesteld")
    # the dossier of the shown version: PDF and GeoPackage, read back
    status, newest = api(server, f"/api/voorstellen/{pid}", token=planner_token)
    buurtnamen = [b["buurtnaam"] for b in newest["statistieken"]["buurten"]]
    with pg.expect_download(timeout=90_000) as dl:
        pg.click("#dossier-pdf")
    pdf_path = tmp_path / "dossier.pdf"
    dl.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = " ".join((p.extract_text() or "") for p in PdfReader(pdf_path).pages)
    flat = " ".join(unicodedata.normalize("NFKC", text).split())  # the PDF sets "ff" as a ligature
    assert "Binnenstad <Oost> & Laares" in flat
    assert [name for name in buurtnamen if name not in flat] == []
    if SHOTS:
        (Path(SHOTS) / "dossier.pdf").write_bytes(pdf_path.read_bytes())
    with pg.expect_download(timeout=60_000) as dl:
        pg.click("#dossier-gpkg")
    gpkg = tmp_path / "dossier.gpkg"
    dl.value.save_as(gpkg)
    layers = dict(pyogrio.list_layers(gpkg))
    assert {"gebied", "buurten", "metadata"} <= set(layers)
    area = gpd.read_file(gpkg, layer="gebied")
    assert len(area) == 1 and area.loc[0, "naam"] == naam and int(area.loc[0, "versie"]) == 4
    touched = gpd.read_file(gpkg, layer="buurten")
    assert sorted(touched["buurtcode"]) == sorted(b["buurtcode"] for b in newest["statistieken"]["buurten"])
    # all proposals as GeoPackage from the list
    with pg.expect_download(timeout=60_000) as dl:
        pg.click("#voorstellen-gpkg")
    allp = tmp_path / "voorstellen.gpkg"
    dl.value.save_as(allp)
    frame = gpd.read_file(allp, layer="dia_voorstellen")
    assert naam in set(frame["naam"]) and len(frame) == len(
        api(server, "/api/voorstellen", token=planner_token)[1]
    )
    # the list filters by status and partner
    pg.select_option("#voorstel-status", "vastgesteld")
    assert naam in pg.locator("#voorstel-lijst").inner_text()
    pg.select_option("#voorstel-status", "concept")
    assert naam not in pg.locator("#voorstel-lijst").inner_text()
    assert pg.locator(f"path[data-voorstel='{pid}']").count() == 0  # the layer follows the filter
    pg.select_option("#voorstel-status", "")
    pg.select_option("#voorstel-partner", "De Veste")
    assert naam not in pg.locator("#voorstel-lijst").inner_text()
    pg.select_option("#voorstel-partner", "Huurdersorganisaties Enschede")
    assert naam in pg.locator("#voorstel-lijst").inner_text()
    # the one refusal the test provoked is the only problem the browser saw
    assert [p for p in mp.problems if "409 (Conflict)" not in p] == [] and len(mp.problems) == 1, mp.problems


def test_overlap_with_an_open_proposal_is_flagged(open_map: Opener, server: str, planner_token: str) -> None:
    saved = create_proposal(server, THREE[:2], "Overlap-test", planner_token)
    mp = open_map(user=("gemeente", "planner"))  # a concept: partners see it
    pg = mp.page
    pg.wait_for_selector(f"path[data-voorstel='{saved['id']}']")
    zoom_to(pg, THREE)
    before = stats_count(pg)
    draw(pg, around(pg, THREE))
    wait_stats(pg, before)
    ids = pg.locator("#dia-overlap").get_attribute("data-voorstellen") or ""
    assert str(saved["id"]) in ids.split(",")
    assert "Overlap-test" in pg.locator("#dia-overlap").inner_text()
    # flagged on the map: red and dashed
    outline = pg.locator(f"path[data-voorstel='{saved['id']}']")
    assert outline.get_attribute("stroke") == "#b2182b" and outline.get_attribute("stroke-dasharray")
    pg.locator("#dia-box").scroll_into_view_if_needed()
    shot(pg, "voorstellenlaag-overlap")
    assert not mp.problems, mp.problems


# -- the score panel's downloads and the view in the address -----------------------------------------


def test_ranking_downloads_csv_and_geopackage(open_map: Opener, tmp_path: Path) -> None:
    mp = open_map()
    pg = mp.page
    n = scored(pg)
    pg.check("#robuust")
    scored(pg, n)
    with pg.expect_download(timeout=60_000) as dl:
        pg.click("#ranglijst-csv")
    csv = tmp_path / "ranglijst.csv"
    dl.value.save_as(csv)
    assert dl.value.suggested_filename.endswith(".csv")
    import pandas as pd

    table = pd.read_csv(csv, sep=None, engine="python")
    assert len(table) == 70
    assert any(c.startswith("bijdrage_") for c in table.columns) and "p_top" in table.columns
    ranks = pg.evaluate(
        "Object.fromEntries(window.siaMap.store.get('scores').result.buurten.map(b => [b.buurtcode, b.rang]))"
    )
    got = dict(zip(table["buurtcode"], table["rang"], strict=True))
    assert all((ranks[c] is None and pd.isna(r)) or ranks[c] == r for c, r in got.items())
    with pg.expect_download(timeout=60_000) as dl:
        pg.click("#ranglijst-gpkg")
    gpkg = tmp_path / "ranglijst.gpkg"
    dl.value.save_as(gpkg)
    layers = dict(pyogrio.list_layers(gpkg))
    assert "sia_ranking" in layers and "metadata" in layers
    assert len(gpd.read_file(gpkg, layer="sia_ranking")) == 70
    assert not mp.problems, mp.problems


def test_a_shared_link_restores_the_view(open_map: Opener, server: str, planner_token: str) -> None:
    saved = create_proposal(server, ["BU01530003"], "Gedeelde link", planner_token)
    mp = open_map(user=("gemeente", "planner"))
    pg = mp.page
    n = scored(pg)
    pg.select_option("#indicator", "aandeel_label_efg")
    set_weight(pg, "aandeel_label_efg", 7.5)
    scored(pg, n)
    pg.locator("#ranking tbody tr button").nth(2).click()
    buurt = pg.evaluate("window.siaMap.store.get('selected')")
    pg.locator(f"#voorstel-lijst button[data-voorstel='{saved['id']}']").click()
    wait_voorstel(pg, f"v[0] === '{saved['id']}'")
    link = pg.evaluate("window.location.href")
    weights = pg.evaluate("window.siaMap.store.get('weights')")
    ranks = pg.evaluate("window.siaMap.store.get('scores').result.buurten.map(b => [b.buurtcode, b.rang])")
    assert "gewichten=" in link and f"voorstel={saved['id']}" in link and f"buurt={buurt}" in link
    # another browser opens the link
    other = open_map(hash=link[link.index("#") :], user=("domijn", "lezer"))
    op = other.page
    wait_voorstel(op, f"v[0] === '{saved['id']}'")
    op.wait_for_function(
        "window.siaMap.store.get('scores') && window.siaMap.store.get('weights').aandeel_label_efg === 7.5"
        " && window.siaMap.store.get('scoreStatus') === 'ok'"
    )
    assert op.evaluate("window.siaMap.store.get('weights')") == weights
    assert op.input_value("#indicator") == "aandeel_label_efg"
    assert op.input_value("#n-aandeel_label_efg") == "7,5"
    assert op.evaluate("window.siaMap.store.get('selected')") == buurt
    assert op.locator("#voorstel-titel").inner_text() == "Gedeelde link"
    # a lezer (of a partner) comments, but is offered no status change or commitment
    assert op.locator("#reactie-form").count() == 1
    assert op.locator("#voorstel-status-form, #voorstel-grens, #toezegging-form").count() == 0
    assert (
        op.locator("#voorstel-aanmelden").inner_text().startswith("De status en de grens wijzigen planners")
    )
    # the shown ranking is the one of the shared weights
    assert (
        op.evaluate("window.siaMap.store.get('scores').result.buurten.map(b => [b.buurtcode, b.rang])")
        == ranks
    )
    assert not mp.problems and not other.problems, (mp.problems, other.problems)


# -- phone and desktop: drawing and the proposal panel in the drawers, axe-core --------------------


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1440, "height": 900}], ids=["telefoon", "desktop"])
def test_drawing_and_proposal_panel_on_phone_and_desktop(open_map: Opener, viewport: dict[str, int]) -> None:
    mp = open_map(viewport=viewport, user=("gemeente", "planner"))
    pg = mp.page
    phone = viewport["width"] < 600
    if phone:
        assert pg.locator(".dia-toolbar").is_visible()
        pg.click("#open-resultaten")
        pg.click(
            "button.dia-tool[data-tool=tekenen]"
        )  # a drawing tool closes the drawer: the map comes first
        assert pg.evaluate("window.siaMap.store.get('drawer')") is None
    zoom_to(pg, THREE, padding=40 if phone else 140)
    before = stats_count(pg)
    if phone:
        pts = around(pg, THREE, scale=1.3)
        for x, y in pts:
            pg.mouse.click(x, y)
            pg.wait_for_timeout(120)
        pg.mouse.click(*first_vertex_marker(pg))
    else:
        draw(pg, around(pg, THREE))
    wait_stats(pg, before)
    if phone:  # the figures slide in as a drawer
        pg.wait_for_function("document.body.dataset.drawer === 'resultaten'")
        assert pg.locator("#dia-area-stats table").first.is_visible()
    pg.fill("#voorstel-naam", f"Voorstel {'telefoon' if phone else 'desktop'}")
    with pg.expect_request(lambda r: r.url.endswith("/api/voorstellen") and r.method == "POST") as sent:
        pg.click("#voorstel-opslaan")
    assert "auteur" not in sent.value.post_data_json  # nothing typed: the server takes the signed-in user
    wait_voorstel(pg, "v[3] === 'concept'")
    assert pg.locator("#dia-proposal").is_visible()
    user = me(pg)
    who = f"{user['naam']} (planner, Gemeente Enschede)"
    assert pg.locator("#voorstel-ik").inner_text() == f"U werkt als {who}"
    made_by = pg.locator(".dia-fields dt", has_text="Versie gemaakt door").locator(
        "xpath=following-sibling::dd[1]"
    )
    assert made_by.inner_text().startswith(f"{user['naam']}, ")
    # the weighting by the labels of profile and method, not their ids ("default · gewogen_som")
    weging = pg.locator(".dia-fields dt", has_text="Weging").locator("xpath=following-sibling::dd[1]")
    profile = pg.evaluate(
        "(() => { const s = window.siaMap.store;"
        " return s.get('profiles').find(p => p.naam === s.get('profile')).label; })()"
    )
    assert weging.inner_text().startswith(f"{profile} · gewogen som · buurten 2021, Leefbaarometer 2024")
    if phone:
        assert pg.evaluate("document.body.dataset.drawer") == "resultaten"
    shot(pg, f"voorstelpaneel-{'telefoon' if phone else 'desktop'}")
    # keyboard: the status control and the comment field are reachable and labelled
    pg.focus("#voorstel-nieuwe-status")
    assert pg.evaluate("document.activeElement.id") == "voorstel-nieuwe-status"
    for control in ("#voorstel-nieuwe-status", "#reactie-tekst", "#toezegging-partner"):
        cid = control[1:]
        assert pg.locator(f"label[for={cid}]").count() == 1, control
    violations = run_axe(pg)
    assert violations == [], violations
    assert not mp.problems, mp.problems


# -- under sign-in: what a visitor and an uninvolved partner are offered -------------------------------


@pytest.fixture(scope="module")
def domijn_planner(browser_url: str) -> str:
    """A planner of Domijn with a password (hashed once for the module); its e-mail address."""
    engine = make_engine(browser_url)
    with engine.begin() as conn:
        org = auth.find_organisation(conn, "domijn", gemeente="GM0153")
        user = auth.create_user(
            conn,
            email="dia.planner@domijn.example",
            naam="Dirk Domijn",
            organisatie_id=org["id"],
            rol="planner",
            wachtwoord=PASSWORD,
        )
    engine.dispose()
    return str(user["email"])


def in_list(pg: Page, pid: int) -> int:
    return pg.locator(f"#voorstel-lijst button[data-voorstel='{pid}']").count()


def audited_exports(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM audit WHERE actie = 'export'")).scalar_one())
    finally:
        engine.dispose()


def test_an_anonymous_visitor_measures_but_is_offered_no_form_and_sees_no_concept(
    open_map: Opener, server: str, planner_token: str, domijn_planner: str, browser_url: str
) -> None:
    concept = create_proposal(server, ["BU01530004"], "Concept van de gemeente", planner_token)
    public = create_proposal(server, ["BU01530005"], "Aan het BO voorgesteld", planner_token)
    status, _ = api(
        server,
        f"/api/voorstellen/{public['id']}/status",
        {"basisversie": 1, "status": "voorgesteld"},
        token=planner_token,
    )
    assert status == 201
    exports = audited_exports(browser_url)
    mp = open_map()
    pg = mp.page
    assert pg.locator("#open-login").is_visible()  # not signed in
    # the list and the layer hold the public proposal, not the concept
    pg.wait_for_selector(f"#voorstel-lijst button[data-voorstel='{public['id']}']")
    assert audited_exports(browser_url) == exports  # loading the map's layer is not a download
    assert in_list(pg, concept["id"]) == 0
    assert pg.locator(f"path[data-voorstel='{public['id']}']").count() == 1
    assert pg.locator(f"path[data-voorstel='{concept['id']}']").count() == 0
    assert "alleen de openbare voorstellen" in pg.locator("#voorstellen-aanmelden").inner_text()
    # measuring an area is public: the figures, but a sign-in line instead of the save form
    zoom_to(pg, THREE)
    before = stats_count(pg)
    draw(pg, around(pg, THREE))
    wait_stats(pg, before)
    assert pg.locator("#dia-area-stats table.buurten tbody tr").count() >= len(THREE)
    assert pg.locator("#dia-save form, #voorstel-naam, #voorstel-opslaan").count() == 0
    prompt = pg.locator("#dia-save-aanmelden")
    assert prompt.inner_text() == "Log in om een voorstel op te slaan. Inloggen"
    shot(pg, "gebied-anoniem-desktop")
    # the public proposal's panel: everything to read, no form the server would refuse
    pg.locator(f"#voorstel-lijst button[data-voorstel='{public['id']}']").click()
    wait_voorstel(pg, f"v[0] === '{public['id']}' && v[3] === 'voorgesteld'")
    forms = "#voorstel-status-form, #voorstel-grens, #reactie-form, #toezegging-form, #voorstel-ik"
    assert pg.locator(forms).count() == 0
    assert pg.locator("#voorstel-titel").inner_text() == "Aan het BO voorgesteld"
    status, public_versions = api(server, f"/api/voorstellen/{public['id']}/versies")
    assert status == 200 and [v["status"] for v in public_versions] == ["voorgesteld"]  # not the concept
    assert pg.locator("#voorstel-versies tbody tr").count() == len(public_versions)
    assert pg.locator("#voorstel-aanmelden").inner_text().startswith("Log in om de status of de grens")
    pg.locator("#voorstel-reacties summary").click()
    assert pg.locator("#reactie-aanmelden").inner_text() == "Log in om te reageren. Inloggen"
    assert (pg.locator("#toezegging-aanmelden").text_content() or "").startswith("Log in om een toezegging")
    assert run_axe(pg) == []
    pg.evaluate(SHOW_PANEL)
    shot(pg, "voorstelpaneel-anoniem-desktop")
    pg.set_viewport_size(PHONE)
    pg.wait_for_function("window.siaMap.store.get('layout') === 'smal'")
    pg.evaluate("window.siaMap.store.set({ drawer: 'resultaten' })")
    pg.wait_for_timeout(400)  # the drawer slides in
    pg.evaluate(SHOW_PANEL)
    shot(pg, "voorstelpaneel-anoniem-telefoon")
    pg.set_viewport_size(DESKTOP)
    pg.wait_for_function("window.siaMap.store.get('layout') === 'breed'")
    # the button of the sign-in line opens the top bar's sign-in dialog; signed in, the page is read
    # again in the new view: the concept is there, and the forms
    pg.locator("#reactie-aanmelden button").click()
    assert pg.locator("#login-dialog").is_visible()
    pg.fill("#login-email", domijn_planner)
    pg.fill("#login-password", PASSWORD)
    with pg.expect_navigation():
        pg.click("#login-submit")
    pg.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
    pg.wait_for_selector(f"#voorstel-lijst button[data-voorstel='{concept['id']}']")
    assert in_list(pg, public["id"]) == 1 and pg.locator("#voorstellen-aanmelden").count() == 0
    wait_voorstel(pg, f"v[0] === '{public['id']}'")  # the open proposal is in the address
    assert pg.locator("#voorstel-ik").inner_text() == "U werkt als Dirk Domijn (planner, Domijn)"
    assert pg.locator("#reactie-form").count() == 1 and pg.locator("#voorstel-status-form").count() == 1
    # signed out: read again, the concept is gone
    with pg.expect_navigation():
        pg.click("#logout")
    pg.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
    pg.wait_for_selector(f"#voorstel-lijst button[data-voorstel='{public['id']}']")
    assert in_list(pg, concept["id"]) == 0
    assert not mp.problems, mp.problems
    # the concept by its link: not found for a visitor, with the reason and the sign-in line
    other = open_map(hash=f"#voorstel={concept['id']}")
    op = other.page
    op.wait_for_selector("#voorstel-aanmelden")
    assert op.locator("#voorstel-body .error").inner_text() == (
        f"Het voorstel kon niet worden geladen: Voorstel {concept['id']} bestaat niet."
    )
    assert "Concept van de gemeente" not in op.locator("#dia-proposal").inner_text()
    assert other.problems == [
        "error: Failed to load resource: the server responded with a status of 404 (Not Found)"
    ], other.problems


def test_a_planner_of_an_uninvolved_corporation_gets_the_dutch_refusal(
    open_map: Opener, server: str, browser_url: str, planner_token: str
) -> None:
    saved = create_proposal(server, ["BU01530006"], "Zonder Ons Huis", planner_token)  # partner: Domijn
    mp = open_map(user=("ons_huis", "planner"))
    pg = mp.page
    pg.wait_for_selector(f"#voorstel-lijst button[data-voorstel='{saved['id']}']")
    pg.locator(f"#voorstel-lijst button[data-voorstel='{saved['id']}']").click()
    wait_voorstel(pg, f"v[0] === '{saved['id']}' && v[3] === 'concept'")
    assert pg.locator("#voorstel-ik").inner_text() == "U werkt als " + pg.locator("#who").inner_text()
    assert pg.locator("#who").inner_text().endswith("(planner, Ons Huis)")
    # a commitment only on behalf of its own organisation
    options = pg.locator("#toezegging-partner option").evaluate_all("os => os.map(o => o.value)")
    assert options == ["Ons Huis"]
    # the status form is offered (the server knows who is involved); the refusal is the server's
    pg.select_option("#voorstel-nieuwe-status", "voorgesteld")
    pg.click("#voorstel-status-opslaan")
    pg.wait_for_function("document.getElementById('voorstel-melding').textContent.length > 0")
    shown = pg.locator("#voorstel-melding").inner_text()
    other = add_user(browser_url, slug="ons_huis", rol="planner")
    status, refusal = api(
        server,
        f"/api/voorstellen/{saved['id']}/status",
        {"basisversie": 1, "status": "voorgesteld"},
        token=token_for(browser_url, other["id"]),
    )
    assert status == 403
    assert shown == f"Status niet gewijzigd: {refusal['melding']}"
    assert "planner van een betrokken organisatie" in shown
    assert "error" in (pg.get_attribute("#voorstel-melding", "class") or "")
    status, now = api(server, f"/api/voorstellen/{saved['id']}", token=planner_token)
    assert (now["status"], now["versie"]) == ("concept", 1)  # nothing stored
    assert voorstel_state(pg)[2:4] == ["1", "concept"]
    assert mp.problems == [
        "error: Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ], mp.problems
