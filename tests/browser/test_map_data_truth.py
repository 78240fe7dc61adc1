"""Data truth on the map (issue 8): what every figure stands on, in real headless Chromium.

- Utrecht (GM0344) loaded from the national file, without any partner data: the map opens on the
  recommended urgency profile, ranks by urgency, says potential is "onbekend" (the chart is a
  ranked strip, not a vertical line), never says "synthetisch", and is fitted to Utrecht.
- Enschede after Domijn alone delivered 3 dwellings for 2027-voorjaar: the map opens on the
  complete period 2026-najaar with the warning that names the partners still missing; choosing
  2027-voorjaar shows the others carried forward, with their age, in the completeness table.
- Enschede with a second buurten year (2024, 30 codes renamed) loaded: the map stays on 2021
  until the user picks 2024 in the year selector; the choice lives in the address.

Each test fails on the front end before issue 8's map work (no aanbevolen profile, a vertical
line of points, no completeness, no period warning, no year selector).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page

from api.cli import main
from api.main import create_app
from api.settings import Settings
from layers.cbs import prepare_buurten, store_buurten
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.leefbaarometer import prepare_leefbaarometer, store_leefbaarometer
from layers.partners.synthetic import generate, load_buurten
from layers.partners.template import write_filled
from tests.browser.conftest import DESKTOP, PHONE, Opener, run_axe, serve
from tests.conftest import _create_db
from tests.signin import sign_in

pytestmark = pytest.mark.browser

NEW = "2027-voorjaar"
OLD = "2026-najaar"
OTHERS = ["De Veste", "De Woonplaats", "Gemeente Enschede", "Ons Huis", "SJHT"]
RENAMED = 30
NAN = re.compile(r"NaN|undefined|\[object|Infinity")


# -- databases and servers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_url(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The demo (every partner delivered 2026-najaar) plus Domijn's 3 dwellings for 2027-voorjaar,
    uploaded as a user would: the database of this module's default server (``open_map``)."""
    url = _create_db(cluster, "sia_br_map_data_truth", template="sia_demo")
    domijn = generate(load_buurten(enschede_buurten), period=NEW)["Domijn"]
    points = domijn.bezit[domijn.bezit.geometry.notna()].head(3)
    path = write_filled(
        tmp_path_factory.mktemp("next") / "domijn_2027-voorjaar.xlsx",
        {"bezit": points},
        partner="Domijn",
        period=NEW,
        synthetic=True,
    )
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c, path.open("rb") as fh:
        sign_in(c, url, slug="domijn")  # a planner of Domijn delivers for Domijn (uploads need sign-in)
        res = c.post("/api/partners/uploads", files={"bestand": (path.name, fh)})
    assert res.status_code == 201, res.text
    return url


@pytest.fixture(scope="module")
def utrecht(cluster: LocalCluster, template_url: str, data_dir: Path) -> Iterator[str]:
    """Utrecht from the national Leefbaarometer file (buurten 2024 and their scores), no partner
    data, served as the map's gemeente."""
    url = _create_db(cluster, "sia_br_utrecht", template="sia_template")
    national = data_dir / "national" / "lbm2024_buurten_nl.gpkg"
    engine = make_engine(url)
    with engine.begin() as conn:
        store_buurten(conn, prepare_buurten(national, gemeenten=["GM0344"], year=2024))
        store_leefbaarometer(conn, prepare_leefbaarometer(national))
    engine.dispose()
    with serve(Settings(database_url=url, gemeente="GM0344", basemap_url="")) as base:
        yield base


@pytest.fixture(scope="module")
def two_years(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo plus a 2024 buurten map of Enschede in which 30 buurten got a new code (CBS has used
    letters since 2022), loaded with `sia load buurten`: the Leefbaarometer 2024 covers 2021, not
    2024."""
    url = _create_db(cluster, "sia_br_two_years", template="sia_demo")
    frame = gpd.read_file(enschede_buurten)
    frame["jaar"] = 2024
    changed = frame["buurtcode"].iloc[::2].iloc[:RENAMED]
    frame.loc[changed.index, "buurtcode"] = [c[:8] + "A" + c[9] for c in changed]
    path = tmp_path_factory.mktemp("y2024") / "cbs_buurten_2024_enschede.gpkg"
    frame.to_file(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIA_DATABASE_URL", url)
        assert main(["load", "buurten", str(path)]) == 0
    with serve(Settings(database_url=url, gemeente="GM0153", basemap_url="")) as base:
        yield base


@pytest.fixture(scope="module")
def mostly_real(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo plus real (not synthetic) deliveries of the five corporations for 2027-voorjaar,
    loaded with `sia load partner`: Gemeente Enschede's projects and the heat raster are carried
    forward from the synthetic 2026-najaar; everything else the map shows for 2027-voorjaar is real."""
    url = _create_db(cluster, "sia_br_mostly_real", template="sia_demo")
    folder = tmp_path_factory.mktemp("echt")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIA_DATABASE_URL", url)
        for partner, d in generate(load_buurten(enschede_buurten), seed=77, period=NEW).items():
            if partner == "Gemeente Enschede":
                continue
            path = write_filled(
                folder / f"{d.source}", d.frames(), partner=partner, period=NEW, synthetic=False
            )
            assert main(["load", "partner", str(path)]) == 0
    with serve(Settings(database_url=url, gemeente="GM0153", basemap_url="")) as base:
        yield base


# -- helpers -----------------------------------------------------------------------------------


def _text(pg: Page, selector: str = "body") -> str:
    return pg.locator(selector).inner_text()


def _wait_scored_on(pg: Page, periode: str) -> None:
    pg.wait_for_function(
        """(p) => { const s = window.siaMap.store;
            return s.get('table').periode === p && s.get('scores') && s.get('scores').result.periode === p
              && s.get('scoreStatus') === 'ok'; }""",
        arg=periode,
        timeout=20_000,
    )


def _completeness(pg: Page) -> dict[tuple[str, str], dict[str, str]]:
    """The completeness dialog's rows: (partner, laag) → the cells by column head."""
    pg.click("#open-volledigheid")
    pg.wait_for_selector("#volledigheid-dialog[open]")
    heads = pg.locator("#volledigheid-dialog table.completeness thead th").all_inner_texts()
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for tr in pg.locator("#volledigheid-dialog table.completeness tbody tr").all():
        cells = dict(zip(heads, tr.locator("td").all_inner_texts(), strict=True))
        rows[(cells["Partner"], cells["Laag"])] = cells
    return rows


# -- Utrecht: urgency only, no partner data ---------------------------------------------------


def test_utrecht_ranks_by_urgency_and_potential_is_unknown(open_map: Opener, utrecht: str) -> None:
    """Why: Utrecht 'says "met synthetische partnerdata" and draws its urgency × potential chart
    as one vertical line'. Before: the map opened on 'default', the chart put every buurt at
    potential 0 and the ranking said 'geen gegevens'."""
    mp = open_map(base=utrecht)
    pg = mp.page
    assert pg.input_value("#profiel") == "urgentie"  # the profile the API recommends (aanbevolen)
    result = pg.evaluate("window.siaMap.store.get('scores').result")
    assert result["profiel"] == "urgentie" and result["assen"] == {"urgentie": True, "potentie": False}
    ranked = [b for b in result["buurten"] if b["rang"] is not None]
    assert len(ranked) > 50

    # the map is fitted to Utrecht
    inside, zoom, best = pg.evaluate(
        """() => { const m = window.siaMap.map; const b = window.siaMap.layer.getBounds();
            return [m.getBounds().contains(b), m.getZoom(), m.getBoundsZoom(b)]; }"""
    )
    assert inside and zoom >= best - 0.5

    # nothing says synthetisch: no visible text, no visible tag
    body = _text(pg)
    assert "synthetisch" not in body.lower() and "synthetische" not in body.lower()
    assert pg.locator(".tag:visible").count() == 0
    assert not NAN.search(body), NAN.search(body)

    # the ranking: urgency in rank order, potential "onbekend" (never 0,00)
    rows = pg.locator("#ranking tbody tr").all()
    cells = [r.locator("td").all_inner_texts() for r in rows[:20]]
    assert all(c[3] == "onbekend" for c in cells), cells[:3]
    urgency = [float(c[2].replace(",", ".")) for c in cells]
    assert urgency == sorted(urgency, reverse=True) and urgency[0] > urgency[-1]
    assert "0,00" not in _text(pg, "#ranking")

    # the chart: no urgency × potential plane (all points on one vertical line) but urgency by rank
    assert pg.get_attribute("#chart svg", "data-as") == "urgentie"
    xs = pg.evaluate("[...document.querySelectorAll('#chart circle')].map(c => c.getAttribute('cx'))")
    assert len(xs) == len(ranked) and len(set(xs)) == len(ranked)
    chart = _text(pg, "#chart")
    assert "Potentie onbekend" in chart and "potentie →" not in chart
    assert "Gebaseerd op: profiel Urgentie (openbare gegevens) · buurten 2024 · Leefbaarometer 2024" in chart
    assert "alleen openbare gegevens" in chart
    assert _text(pg, "#scores-title") == "Urgentie per buurt"

    # left-out criteria listed with the reason, in the panel and at the sliders
    status = _text(pg, "#score-status")
    assert "Potentie onbekend" in status
    for left in result["weggelaten"]:
        assert f"{left['label']} ({left['reden']})" in status
        assert left["reden"] in _text(pg, f".weight[data-criterion={left['id']}]")
    assert "geen potentie-criteria" in _text(pg, "#weights")

    # the buurt panel of the first buurt: potential unknown, the quadrant explained
    pg.click(f"#ranking button[data-code={ranked[0]['buurtcode']}]")
    pg.wait_for_selector("#detail-score h4")
    detail = _text(pg, "#detail")
    assert "Potentie onbekend" in detail and "synthetisch" not in detail.lower()
    assert "Potentie 0,00" not in detail and not NAN.search(detail)

    # the year and edition the map stands on, and nothing to choose between
    assert pg.input_value("#jaar") == "2024" and pg.input_value("#editie") == "2024"
    assert "106 van 106 buurten met een Leefbaarometer-score" in _text(pg, "#jaar-note")
    assert not pg.locator("#periode-box").is_visible()  # no partner periods in Utrecht

    # candidate areas on urgency, the only score with data, with method and parameters
    pg.check("#toggle-kandidaten")
    pg.wait_for_function("window.siaMap.store.get('candidates') !== null")
    assert pg.locator("#kandidaten-as option").all_inner_texts() == ["Urgentie"]
    info = _text(pg, "#kandidaten-info")
    assert info.startswith("Op urgentie · ") and "Parameters:" in info and "significantie 0,05" in info
    assert pg.evaluate("window.siaMap.store.get('candidates').as") == "urgentie"

    assert "profiel=" not in pg.evaluate("location.hash")  # the recommended profile is the default
    assert not mp.problems, mp.problems


def test_utrecht_on_a_phone_says_onbekend(open_map: Opener, utrecht: str) -> None:
    mp = open_map(base=utrecht, viewport=PHONE, intro_seen=False)
    pg = mp.page
    intro = _text(pg, "#intro")  # a first visit: the introduction names no synthetic data here
    assert "Urgentie" in intro and "synthetisch" not in intro.lower()
    pg.click("#intro-start")
    pg.click("#open-resultaten")
    pg.wait_for_selector("#results #chart circle")
    results = _text(pg, "#results")
    assert "onbekend" in results and "synthetisch" not in results.lower() and not NAN.search(results)
    assert pg.evaluate("window.siaMap.map.getSize().x") == PHONE["width"]
    assert not mp.problems, mp.problems


# -- Enschede: one partner delivered for a new period -----------------------------------------


def test_enschede_opens_on_the_complete_period_and_names_who_is_missing(open_map: Opener) -> None:
    """Why: 'one partner delivered 3 dwellings for the next period; that period became everyone's
    default ... and nothing warned'. Before: the map showed no warning and no completeness."""
    mp = open_map()
    pg = mp.page
    assert pg.input_value("#periode") == OLD
    labels = dict(
        zip(
            pg.evaluate("[...document.querySelectorAll('#periode option')].map(o => o.value)"),
            pg.locator("#periode option").all_inner_texts(),
            strict=True,
        )
    )
    assert labels[OLD] == f"{OLD} (volledig, standaard)"
    assert labels[NEW] == f"{NEW} (1 van 6 geleverd)"
    warning = _text(pg, "#data-warnings")
    assert f"Periode {NEW} is nog onvolledig" in warning and "Domijn" in warning
    assert all(name in warning for name in OTHERS), warning
    assert "Volledig: elke partner leverde" in _text(pg, "#periode-note")
    result = pg.evaluate("window.siaMap.store.get('scores').result")
    assert result["periode"] == OLD and {d["periode"] for d in result["leveringen"]} == {OLD}
    assert f"partnerdata {OLD}" in _text(pg, "#score-status")
    rows = _completeness(pg)
    assert {r["Status"] for r in rows.values()} == {"actueel"}
    assert rows[("Domijn", "bezit")]["Levering van"] == OLD
    assert not mp.problems, mp.problems


def test_the_new_period_shows_the_others_carried_forward_with_their_age(open_map: Opener) -> None:
    """Why: 'potential collapsed to 0.22 for most buurten, two criteria vanished'. Choosing the new
    period shows Domijn's delivery as current and every other partner carried forward, one period
    (half a year) old; the choice is kept in the address."""
    mp = open_map()
    pg = mp.page
    pg.select_option("#periode", NEW)
    _wait_scored_on(pg, NEW)
    note = _text(pg, "#periode-note")
    assert "Onvolledige periode." in note and f"Voor {NEW} leverde alleen Domijn" in note
    carried = (
        f"Doorgeschoven uit {OLD}, 1 periode oud (een half jaar): {', '.join(OTHERS[:-1])} en {OTHERS[-1]}."
    )
    assert carried in note
    rows = _completeness(pg)
    assert rows[("Domijn", "bezit")] == {
        "Partner": "Domijn",
        "Laag": "bezit",
        "Status": "actueel",
        "Levering van": NEW,
        "Leeftijd": "–",
        "Aantal": "–",  # the record count of Domijn's own upload: only for who may read its records
        "Synthetisch": "synthetisch",
    }
    for partner in OTHERS:
        r = rows[(partner, "projecten")]
        assert (r["Status"], r["Levering van"], r["Leeftijd"]) == (
            "doorgeschoven",
            OLD,
            "1 periode oud (een half jaar)",
        )
    raster = [r for (partner, laag), r in rows.items() if laag.startswith("raster: ")]
    assert raster and all(r["Status"] == "doorgeschoven" and r["Levering van"] == OLD for r in raster)
    assert run_axe(pg) == []  # the completeness dialog open
    dialog = _text(pg, "#volledigheid-dialog")
    assert f"Wie leverde wat voor {NEW}" in dialog and "niet de standaardperiode" in dialog
    assert "Niet geleverd voor deze periode: " + ", ".join(OTHERS[:-1]) + " en SJHT" in dialog
    pg.click("#volledigheid-close")
    status = _text(pg, "#score-status")
    assert f"partnerdata {NEW} (leveringen uit" in status and OLD in status
    # no criterion vanished: the weights panel strikes nothing through
    assert pg.locator("#weights .weight.empty").count() == 0
    # the period is in the address: a reload opens on it again
    assert f"periode={NEW}" in pg.evaluate("location.hash")
    pg.reload()
    pg.wait_for_selector("body[data-scored]", state="attached", timeout=20_000)
    _wait_scored_on(pg, NEW)
    assert pg.input_value("#periode") == NEW
    assert not mp.problems, mp.problems


def test_period_labels_fit_their_select_on_desktop_and_phone(open_map: Opener, mostly_real: str) -> None:
    """Why: the period select showed "2027-voorjaar (onvolledig: 5 van 6" cut off at 1440 px. Every
    option's text (in the select's own font) fits inside the select, with room for its arrow; the
    same for the compare modes ("Twee perioden van een indicator (sch" was cut off too)."""
    for viewport in (DESKTOP, PHONE):
        mp = open_map(viewport=viewport, base=mostly_real)
        pg = mp.page
        if viewport is PHONE:
            pg.click("#open-instellingen")
        texts = pg.locator("#periode option").all_inner_texts()
        assert f"{NEW} (5 van 6 geleverd)" in texts and f"{OLD} (volledig, standaard)" in texts
        for select in ("periode", "compare-mode"):
            room, widths = pg.evaluate(
                """(id) => { const s = document.getElementById(id); const cs = getComputedStyle(s);
                    const c = document.createElement('canvas').getContext('2d'); c.font = cs.font;
                    const pad = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
                    const room = s.clientWidth - pad - 24;  // 24: the arrow
                    return [room, [...s.options].map(o => [o.text, c.measureText(o.text).width])]; }""",
                select,
            )
            too_wide = [(t, round(w)) for t, w in widths if w > room]
            assert len(widths) > 1 and not too_wide, (viewport, select, round(room), too_wide)
            assert pg.locator(f"#{select}").is_visible()
        assert not mp.problems, mp.problems


def test_the_legend_names_exactly_the_synthetic_criteria(open_map: Opener, mostly_real: str) -> None:
    """Why: the legend said "geen echte gegevens van de partners" although most partner data were
    real uploads. With five real deliveries it names the criteria that rest on synthetic data (the
    carried-forward municipal projects), and a real or public indicator has no banner at all."""
    mp = open_map(base=mostly_real, hash=f"#periode={NEW}")
    pg = mp.page
    _wait_scored_on(pg, NEW)
    pg.select_option("#indicator", "sia_gecombineerd")
    result = pg.evaluate("window.siaMap.store.get('scores').result")
    weighed = [c for c in result["criteria"] if c["gewicht"] > 0]
    synthetic = [c["label"] for c in weighed if c["synthetisch"]]
    real = [c["label"] for c in weighed if not c["synthetisch"]]
    # the API's own columns agree on what is synthetic in this period
    columns = pg.evaluate(
        f"""async () => (await (await fetch('/api/indicators/table?gemeente=GM0153&periode={NEW}')).json())
            .kolommen.filter(k => k.synthetisch).map(k => k.id)"""
    )
    assert {c["id"] for c in weighed if c["synthetisch"]} <= set(columns)
    assert synthetic and len(real) > len(synthetic)  # mostly real
    banner = _text(pg, "#synthetic-badge")
    assert banner.startswith(f"Synthetische demonstratiedata (geen echte gegevens) in {len(synthetic)} van ")
    assert all(label in banner for label in synthetic), banner
    assert not any(label in banner for label in real), banner
    assert "geen echte gegevens van de partners" not in _text(pg, "#legend")
    pg.click("#indicator-help-toggle")  # the help of the indicator says the same
    assert banner in _text(pg, "#indicator-help")
    # a real partner column and a public one: no banner; the synthetic raster: named
    for indicator, expected in (
        ("bezit_woningen", None),
        ("lbm_score", None),
        ("hittestress", "Hittestress"),
    ):
        pg.select_option("#indicator", indicator)
        pg.wait_for_function(
            "(id) => document.querySelector('#legend .title')?.dataset.indicator === id", arg=indicator
        )
        badge = pg.locator("#legend .synthetic-badge")
        if expected is None:
            assert badge.count() == 0, _text(pg, "#legend")
        else:
            assert expected in badge.inner_text()
    # two periods side by side: each side says what its own period stands on
    pg.select_option("#compare-mode", "perioden")
    pg.select_option("#compare-indicator", "bezit_woningen")
    pg.wait_for_function("window.siaMap.store.get('compareData') && window.siaMap.rightLayer")
    assert pg.input_value("#compare-periode-a") == OLD and pg.input_value("#compare-periode-b") == NEW
    left, right = pg.locator("#legend .legend-side").all()
    assert "Corporatiewoningen" in left.locator(".synthetic-badge").inner_text()  # synthetic demo data
    assert right.locator(".synthetic-badge").count() == 0  # the real uploads
    assert (
        f"({NEW})" in right.locator(".basis").inner_text()
        and f"({OLD})" in left.locator(".basis").inner_text()
    )
    assert not mp.problems, mp.problems


# -- a second buurten year ----------------------------------------------------------------------


def test_a_second_buurten_year_is_chosen_not_switched_to(open_map: Opener, two_years: str) -> None:
    """Why: 'loading a newer buurten year silently switches map and scores to it: holes where
    buurten have no score'. The map stays on 2021 (the year the Leefbaarometer covers) and offers
    2024; picking it reloads the map on 2024, explicitly, and the address keeps the choice."""
    mp = open_map(base=two_years, viewport=DESKTOP)
    pg = mp.page
    codes = "window.siaMap.layer.getLayers().map(l => l.feature.properties.buurtcode)"
    assert pg.input_value("#jaar") == "2021"
    assert pg.locator("#jaar option").all_inner_texts() == ["2024 (dekt niet)", "2021 (standaard)"]
    assert not any(c[8] == "A" for c in pg.evaluate(codes))
    assert pg.evaluate("window.siaMap.store.get('scores').result.jaar") == 2021
    warnings = _text(pg, "#data-warnings")
    assert "2024" in warnings and "jaar=" not in pg.evaluate("location.hash")
    assert "5 buurten zonder Leefbaarometer-score" in _text(pg, "#codewijzigingen summary")

    with pg.expect_navigation():
        pg.select_option("#jaar", "2024")
    pg.wait_for_selector("body[data-scored]", state="attached", timeout=20_000)
    assert "jaar=2024" in pg.evaluate("location.hash")
    assert pg.input_value("#jaar") == "2024"
    renamed = [c for c in pg.evaluate(codes) if c[8] == "A"]
    assert len(renamed) == RENAMED
    result = pg.evaluate("window.siaMap.store.get('scores').result")
    assert result["jaar"] == 2024
    assert "dekt de gemeente niet" in _text(pg, "#jaar-note") and "Gekozen" in _text(pg, "#jaar-note")
    pg.click("#codewijzigingen summary")
    changes = _text(pg, "#codewijzigingen")
    assert f"{RENAMED} nieuwe codes" in changes and f"{RENAMED} vervallen codes" in changes
    assert pg.locator("#codewijzigingen li[data-soort=nieuw]").count() == RENAMED
    # a renamed buurt's panel reads the 2024 buurt
    pg.evaluate(f"window.siaMap.store.set({{ selected: '{renamed[0]}' }})")
    pg.wait_for_selector("#detail-name")
    assert "buurtindeling 2024" in _text(pg, "#detail")

    # the address keeps it; back to the standaard drops it again
    pg.reload()
    pg.wait_for_selector("body[data-scored]", state="attached", timeout=20_000)
    assert pg.input_value("#jaar") == "2024"
    with pg.expect_navigation():
        pg.select_option("#jaar", "2021")
    pg.wait_for_selector("body[data-scored]", state="attached", timeout=20_000)
    assert pg.input_value("#jaar") == "2021" and "jaar=" not in pg.evaluate("location.hash")
    assert not any(c[8] == "A" for c in pg.evaluate(codes))
    assert not mp.problems, mp.problems


def test_candidate_areas_on_urgency_say_when_gi_star_finds_nothing(open_map: Opener) -> None:
    """Candidate areas on the score the user picks, with method and parameters; in Enschede Gi*
    finds no significant urgency hot spot: the map says so and labels what it shows as the
    fallback. Before: the map had no choice of score and named no method or parameters."""
    mp = open_map()
    pg = mp.page
    pg.check("#toggle-kandidaten")
    pg.wait_for_function("window.siaMap.store.get('candidates') !== null")
    assert pg.locator("#kandidaten-as option").all_inner_texts() == [
        "Gecombineerde score",
        "Urgentie",
        "Potentie",
    ]
    combined = pg.evaluate("window.siaMap.store.get('candidates')")
    assert combined["as"] == "gecombineerd" and combined["terugval"] is False
    info = _text(pg, "#kandidaten-info")
    assert info.startswith("Op gecombineerde score · hotspot (Getis-Ord Gi*")
    assert "significantie 0,05 (FDR-gecorrigeerd)" in info and "999 permutaties" in info
    assert "minimaal 1.000 inwoners" in info and "terugval" not in info.lower()

    pg.select_option("#kandidaten-as", "urgentie")
    pg.wait_for_function("window.siaMap.store.get('candidates').as === 'urgentie'")
    urgency = pg.evaluate("window.siaMap.store.get('candidates')")
    assert urgency["terugval"] is True and urgency["gebruikt"] == "top_groep" and urgency["features"]
    info = _text(pg, "#kandidaten-info")
    assert info.startswith("Op urgentie · terugval: aaneengesloten groep hoogst scorende buurten")
    assert "Geen significante hotspot." in info and urgency["melding"] in info
    parameters = _text(pg, "#kandidaten-info .kandidaten-parameters")
    assert "bovenste 25% van de buurten" in parameters and "permutaties" not in parameters
    note = _text(pg, "#kandidaten-note")
    assert re.match(r"^\d+ kandidaatgebied(en)? \(terugval, geen hotspots\) met de huidige weging", note), (
        note
    )
    # the tooltip of a fallback area names its method
    pg.evaluate("window.siaMap.candidates.getLayers()[0].openTooltip()")
    assert "aaneengesloten groep hoogst scorende buurten" in _text(pg, ".candidate-tooltip")
    assert not mp.problems, mp.problems
