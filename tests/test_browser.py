"""The web map in real headless Chromium (Playwright), served by the real app on PostGIS."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import ConsoleMessage, Page, sync_playwright

from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from tests.conftest import _create_db, free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser_url(cluster: LocalCluster, demo_url: str) -> str:
    """A copy of the demo database: the browser tests save scenarios, other tests must not see them."""
    return _create_db(cluster, "sia_browser", template="sia_demo")


@contextlib.contextmanager
def _serve(settings: Settings) -> Iterator[str]:
    """The real app under uvicorn in a thread; yields its base URL."""
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(browser_url: str) -> Iterator[str]:
    with _serve(Settings(database_url=browser_url, gemeente="GM0153", basemap_url="")) as url:
        yield url


@pytest.fixture
def page(server: str) -> Iterator[tuple[Page, list[str]]]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Playwright's wait_for_function evaluates strings in the page, which the Content-Security-
        # Policy (no 'unsafe-eval') forbids; the map under the real CSP: test_browser_hardening.py
        page = browser.new_page(viewport={"width": 1300, "height": 850}, bypass_csp=True)
        problems: list[str] = []

        def on_console(msg: ConsoleMessage) -> None:
            if msg.type in {"error", "warning"}:
                problems.append(f"{msg.type}: {msg.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: problems.append(f"requestfailed: {req.url}"))
        external: list[str] = []
        page.on(
            "request",
            lambda req: external.append(req.url) if not req.url.startswith((server, "data:")) else None,
        )
        page.goto(server + "/")
        page.wait_for_selector("body[data-ready=true]", timeout=20_000)
        page.wait_for_selector("body[data-scored]", timeout=20_000)  # the score panel has opened
        yield page, problems
        assert not external, f"requests left the machine: {external}"
        browser.close()


def test_map_draws_every_buurt_with_legend(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    assert pg.evaluate("window.siaMap.layer.getLayers().length") == 70
    # 70 buurt polygons + 10 wijk outlines drawn as SVG paths
    assert pg.locator(".leaflet-overlay-pane path").count() == 80
    assert pg.locator("#legend .title").inner_text() == "Leefbaarometer totaalscore"
    assert "geen gegevens (5 buurten)" in pg.locator("#legend").inner_text()
    fills = set(pg.evaluate("window.siaMap.layer.getLayers().map(l => l.options.fillColor)"))
    assert len(fills) == 6  # five classes and 'geen gegevens'
    assert not problems


def test_switching_indicator_and_classification_changes_legend(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    before = pg.locator("#legend").inner_text()
    pg.select_option("#indicator", "aantal_inwoners")
    assert pg.locator("#legend .title").inner_text() == "Inwoners"
    quantile_legend = pg.locator("#legend").inner_text()
    assert quantile_legend != before and "geen gegevens" not in quantile_legend
    pg.select_option("#classification", "equal")
    equal_legend = pg.locator("#legend").inner_text()
    assert equal_legend != quantile_legend and "gelijke intervallen" in equal_legend
    pg.select_option("#classes", "3")
    assert pg.locator("#legend .row").count() == 3
    assert not problems


def test_click_opens_buurt_panel(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    # click the middle of the buurt 'City' on screen, as a user would
    point = pg.evaluate(
        """() => {
          const m = window.siaMap.map;
          const lyr = window.siaMap.layer.getLayers()
            .find(l => l.feature.properties.buurtcode === 'BU01530000');
          const p = m.latLngToContainerPoint(lyr.getCenter());
          const r = document.getElementById('map').getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }"""
    )
    pg.mouse.move(point[0], point[1])
    pg.wait_for_selector(".buurt-tip")
    assert "City" in pg.locator(".buurt-tip").inner_text()
    pg.mouse.click(point[0], point[1])
    pg.wait_for_selector("#detail-name")
    assert pg.locator("#detail-name").inner_text() == "City"
    detail = pg.locator("#detail").inner_text()
    assert "BU01530000" in detail and "3.410" in detail and "Leefbaarometer" in detail
    assert not problems


def test_synthetic_partner_data_is_labelled(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    assert pg.locator("#synthetic-badge").count() == 0  # Leefbaarometer is real data
    option = pg.locator("#indicator option[value=n_corporaties]").inner_text()
    assert "synthetisch" in option
    pg.select_option("#indicator", "n_corporaties")
    assert "Synthetische demonstratiedata" in pg.locator("#synthetic-badge").inner_text()
    assert pg.locator("#periode").input_value() == "2026-najaar"
    assert not problems


def test_partner_points_are_clustered_and_labelled(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    assert pg.locator(".marker-cluster").count() == 0
    pg.check("#toggle-bezit")
    pg.wait_for_selector(".marker-cluster.cluster-bezit")
    # zoomed out, thousands of address points are drawn as a few dozen clusters
    n_points = pg.evaluate("window.siaMap.partner.data.bezit.features.length")
    n_clusters = pg.locator(".marker-cluster").count()
    assert n_points > 1000 and 5 < n_clusters < 200
    # what the clusters and single points say adds up to every dwelling of the layer
    shown, total = pg.evaluate("""() => {
        const g = window.siaMap.partner.layers.bezit;
        const parse = (t) => Number(t.replaceAll('.', ''));
        const labels = [...document.querySelectorAll('.marker-cluster span')]
          .reduce((s, e) => s + parse(e.textContent), 0);
        const single = g.getLayers().filter((m) => g.getVisibleParent(m) === m)
          .reduce((s, m) => s + m.feature.properties.aantal_woningen, 0);
        const all = window.siaMap.partner.data.bezit.features
          .reduce((s, f) => s + f.properties.aantal_woningen, 0);
        return [labels + single, all]; }""")
    assert shown == total >= n_points
    assert "Synthetische demonstratiedata" in pg.locator("#partner-synthetic").inner_text()
    assert "op de kaart" in pg.locator("#partner-note").inner_text()
    # zoomed in to street level the clusters break up into single points
    pg.evaluate("window.siaMap.map.setZoom(17, {animate: false})")
    pg.wait_for_timeout(500)
    assert pg.locator(".marker-cluster").count() == 0
    assert pg.evaluate("window.siaMap.partner.layers.bezit.getLayers().filter(m => m._map).length") > 0
    pg.uncheck("#toggle-bezit")
    assert pg.locator(".marker-cluster").count() == 0
    assert not problems


def test_sales_violation_popup(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    pg.check("#toggle-verkoop")
    pg.wait_for_selector(".marker-cluster, .leaflet-interactive")
    pg.wait_for_function("window.siaMap.partner.layers.verkoop !== undefined")
    n_bad = pg.evaluate("window.siaMap.partner.data.verkoop.overtredingen")
    assert n_bad >= 1
    pg.evaluate("""() => { const g = window.siaMap.partner.layers.verkoop;
        const l = g.getLayers().find(x => x.feature.properties.overtreding);
        g.zoomToShowLayer(l, () => l.openPopup()); }""")
    pg.wait_for_selector(".leaflet-popup .violation")
    popup = pg.locator(".leaflet-popup").inner_text()
    assert "strijdig met afspraak 4.1" in popup and "Synthetisch" in popup
    assert f"{n_bad} strijdig met 4.1" in pg.locator("#partner-note").inner_text()
    assert not problems


def test_raster_indicator_on_the_map(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    option = pg.locator("#indicator option[value=hittestress]").inner_text()
    assert "Hittestress" in option and "synthetisch" in option
    pg.select_option("#indicator", "hittestress")
    assert pg.locator("#legend .title").inner_text() == "Hittestress (gevoelstemperatuur)"
    assert "°C" in pg.locator("#legend").inner_text()
    assert "Synthetische demonstratiedata" in pg.locator("#synthetic-badge").inner_text()
    assert not problems


def _scored(pg: Page, after: int = 0) -> int:
    pg.wait_for_function(f"Number(document.body.dataset.scored || 0) > {after}", timeout=20_000)
    return int(pg.evaluate("Number(document.body.dataset.scored)"))


def test_score_panel_ranks_and_reranks_live(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    n = _scored(pg)
    rows = pg.locator("#ranking tbody tr")
    ranked = pg.evaluate("window.siaMap.scores.result.buurten.filter(b => b.rang !== null).length")
    assert rows.count() == 70 and 50 < ranked <= 70
    assert pg.locator("#chart circle").count() == ranked
    assert pg.locator("#ranking tbody tr").first.locator("td").first.inner_text() == "1"
    # the quadrant map: categories add up to the ranked buurten
    pg.select_option("#indicator", "sia_kwadrant")
    legend = pg.locator("#legend").inner_text()
    assert "DIA-kandidaat" in legend and "Synthetische demonstratiedata" in legend
    counts = [
        int(t.rsplit("(", 1)[1].split(")")[0])
        for t in pg.locator("#legend .row").all_inner_texts()
        if "niet gerangschikt" not in t
    ]
    assert sum(counts) == ranked
    # all urgency weight on the share of E/F/G labels: the most urgent buurt has the highest share
    pg.evaluate("""() => {
        const crit = window.siaMap.scores.profile.criteria.filter(c => c.as === 'urgentie');
        crit.forEach(c => { const el = document.getElementById('w-' + c.id);
          el.value = c.id === 'aandeel_label_efg' ? 10 : 0;
          el.dispatchEvent(new Event('input')); }); }""")
    _scored(pg, n)
    assert pg.locator("#s-aandeel_label_efg").inner_text() == "100%"
    top_code, top_share, max_share = pg.evaluate("""() => {
        const ranked = window.siaMap.scores.result.buurten.filter(b => b.rang !== null);
        const top = ranked.reduce((a, b) => (b.urgentie > a.urgentie ? b : a));
        const share = (c) => window.siaMap.values.get(c).aandeel_label_efg;
        const best = Math.max(...ranked.map(b => share(b.buurtcode) ?? -1));
        return [top.buurtcode, share(top.buurtcode), best]; }""")
    assert top_share == max_share, top_code
    # a row of the ranking opens the buurt with its contributions
    pg.locator("#ranking tbody tr").first.click()
    pg.wait_for_selector("#detail-score h4")
    assert pg.locator("#detail-score h4").inner_text().startswith("SIA-score: #1")
    assert pg.locator("#ranking tr.selected").count() == 1
    assert not problems


def test_candidate_areas_on_the_map(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    _scored(pg)
    before = pg.locator(".leaflet-overlay-pane path").count()
    pg.check("#toggle-kandidaten")
    pg.wait_for_function("document.getElementById('kandidaten-note').textContent.length > 0")
    n_areas = pg.evaluate("window.siaMap.scores.candidateData.features.length")
    assert n_areas >= 1
    assert pg.locator(".leaflet-overlay-pane path").count() >= before + n_areas
    assert "kandidaatgebied" in pg.locator("#kandidaten-note").inner_text()
    assert not problems


@pytest.fixture(scope="module")
def delivery_files(tmp_path_factory: pytest.TempPathFactory, enschede_buurten: Path) -> tuple[Path, Path]:
    """The SJHT synthetic delivery as the demo loaded it, and a copy with three errors."""
    from openpyxl import load_workbook

    from layers.partners.synthetic import load_buurten, write_deliveries

    folder = tmp_path_factory.mktemp("upload")
    good = next(p for p in write_deliveries(folder, load_buurten(enschede_buurten)) if "sjht" in p.name)
    bad = folder / "sjht_met_fouten.xlsx"
    wb = load_workbook(good)
    header = [c.value for c in wb["bezit"][1]]
    wb["bezit"].cell(row=2, column=header.index("energielabel") + 1, value="H")
    wb["bezit"].cell(row=3, column=header.index("conditie") + 1, value=7)
    wb["bezit"].cell(row=4, column=header.index("corporatie") + 1, value="Woonbedrijf X")
    wb.save(bad)
    return good, bad


def test_upload_dialog_reports_errors_and_stores_nothing(
    page: tuple[Page, list[str]], delivery_files: tuple[Path, Path]
) -> None:
    pg, problems = page
    good, bad = delivery_files
    pg.click("#open-upload")
    pg.wait_for_selector("#deliveries table")
    before = pg.locator("#deliveries tbody tr").count()
    assert before == 6 and "synthetisch" in pg.locator("#deliveries").inner_text()
    pg.set_input_files("#upload-file", str(bad))
    pg.click("#upload-submit")
    pg.wait_for_selector(".upload-error")
    assert "er is niets opgeslagen" in pg.locator("#upload-result").inner_text()
    cells = pg.locator("table.problems tbody tr").all_inner_texts()
    assert len(cells) == 3
    assert any("bezit\t2\tenergielabel\tH" in c for c in cells)
    assert any("conditie\t7" in c for c in cells)
    stored = pg.evaluate("async () => (await (await fetch('/api/partners/deliveries')).json()).length")
    assert stored == before  # nothing was stored
    # the same file as loaded before: accepted, and nothing changes
    pg.set_input_files("#upload-file", str(good))
    pg.click("#upload-submit")
    pg.wait_for_selector(".upload-ok")
    assert "al geladen" in pg.locator("#upload-result").inner_text()
    assert pg.locator("#deliveries tbody tr").count() == before
    assert pg.locator("#template-link").get_attribute("href") == "/api/partners/template"
    # the browser logs the refused upload (HTTP 422) itself; nothing else may go wrong
    assert len(problems) == 1 and "status of 422" in problems[0], problems


def test_scenarios_saved_and_compared_in_the_panel(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    n = _scored(pg)
    pg.click("#scenario-box summary")
    pg.fill("#scenario-naam", "Standaard")
    pg.fill("#scenario-auteur", "Team Wonen")
    pg.click("#scenario-save")
    pg.wait_for_function("document.getElementById('scenario-status').textContent.includes('Opgeslagen')")
    # change one weight, let the ranking follow, save the second scenario
    pg.evaluate("""() => { const el = document.getElementById('w-gem_conditie');
        el.value = 10; el.dispatchEvent(new Event('input')); }""")
    _scored(pg, n)
    pg.fill("#scenario-naam", "Nadruk op conditie")
    pg.click("#scenario-save")
    pg.wait_for_function("document.getElementById('scenario-status').textContent.includes('#2')")
    # the status says "saved" only once the scenario lists are up to date
    assert pg.locator("#scenario-compare-box").is_visible()
    pg.select_option("#scenario-a", "1")
    pg.select_option("#scenario-b", "2")
    pg.click("#scenario-compare")
    pg.wait_for_selector("#comparison table")
    text = pg.locator("#comparison").inner_text()
    assert "Kendalls tau" in text and "Nadruk op conditie" in text
    moved = pg.evaluate("window.siaMap.scores.comparison.buurten.filter(r => r.rang_verschil).length")
    assert moved > 0 and f"{moved} buurten veranderen van plaats" in text
    # the rank change is on the map as an indicator
    assert pg.locator("#indicator").input_value() == "sia_rangverschil"
    assert "scenario #1 naar #2" in pg.locator("#legend .title").inner_text()
    assert pg.evaluate("localStorage.getItem('sia-auteur')") == "Team Wonen"
    assert not problems


def test_partner_profiles_compared_in_the_panel(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    n = _scored(pg)
    pg.check("#partners-vergelijken")
    _scored(pg, n)
    assert "Partners" in pg.locator("#ranking thead").inner_text()
    option = pg.locator("#indicator option[value=sia_partner_bereik]")
    assert "verschil tussen de partnerprofielen" in option.inner_text()
    # the buurt where the partners disagree most: its map value is its rank range in the table
    code, spread, low, high = pg.evaluate("""() => {
        const rows = window.siaMap.scores.result.partnerprofielen.buurten;
        const r = rows.reduce((a, b) => (b.bereik > a.bereik ? b : a));
        const onMap = window.siaMap.values.get(r.buurtcode).sia_partner_bereik;
        return [r.buurtcode, onMap, r.rang_min, r.rang_max]; }""")
    assert spread == high - low > 0
    pg.locator(f"#ranking tr[data-code={code}]").click()
    pg.wait_for_selector("#detail-score h4")
    detail = pg.locator("#detail-score").inner_text()
    assert f"Rang per partnerprofiel ({low}–{high})" in detail
    assert detail.count("#") >= 1 + 7  # the SIA rank and one rank per partner profile
    assert not problems


def test_labels_from_uploads_are_shown_as_text(
    server: str, page: tuple[Page, list[str]], enschede_buurten: Path, tmp_path: Path
) -> None:
    """A raster label with HTML in it is shown as text, never run as a script."""
    from layers.partners.synthetic import load_buurten, write_heat_raster

    pg, problems = page
    tif = write_heat_raster(tmp_path / "x.tif", load_buurten(enschede_buurten))
    label = '<img src=x onerror="window.__xss=1">Hitte'
    form = {
        "indicator": "hitte_xss",
        "label": label,
        "periode": "2026-najaar",
        "partner": "Gemeente Enschede",
        "eenheid": "<b>u</b>",
    }
    upload = {"name": "x.tif", "mimeType": "image/tiff", "buffer": tif.read_bytes()}
    res = pg.request.post(f"{server}/api/partners/rasters", multipart={**form, "bestand": upload})
    assert res.status == 201, res.text()
    pg.reload()
    pg.wait_for_selector("body[data-scored]")
    assert label in pg.locator("#indicator option[value=hitte_xss]").inner_text()
    pg.select_option("#indicator", "hitte_xss")
    assert pg.locator("#legend .title").inner_text() == label
    assert "<b>u</b>" in pg.locator("#legend").inner_text()
    pg.locator("#ranking tbody tr").first.click()
    pg.wait_for_selector("#detail-name")
    pg.wait_for_timeout(300)
    assert pg.evaluate("window.__xss") is None
    assert pg.locator("#legend img, #detail img, #indicator img").count() == 0
    assert not problems  # an <img src=x> would have made the browser request /x (404)


def test_write_key_asked_and_sent(browser_url: str, delivery_files: tuple[Path, Path]) -> None:
    """With SIA_SCHRIJFSLEUTEL set the map asks for the key and sends it with an upload."""
    good, _bad = delivery_files
    settings = Settings(
        database_url=browser_url, gemeente="GM0153", basemap_url="", schrijfsleutel="sleutel-42"
    )
    with _serve(settings) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pg = browser.new_page()
        pg.goto(url + "/")
        pg.wait_for_selector("body[data-ready=true]", timeout=20_000)
        pg.click("#open-upload")
        assert pg.locator("#key-upload").is_visible()
        pg.set_input_files("#upload-file", str(good))
        pg.click("#upload-submit")
        pg.wait_for_selector(".upload-error")
        assert "schrijfsleutel" in pg.locator("#upload-result").inner_text()
        pg.fill("#key-upload", "sleutel-42")
        pg.dispatch_event("#key-upload", "change")
        pg.click("#upload-submit")
        pg.wait_for_selector(".upload-ok")
        assert "al geladen" in pg.locator("#upload-result").inner_text()
        assert pg.locator("#key-scenario").input_value() == "sleutel-42"  # one key for both
        browser.close()
