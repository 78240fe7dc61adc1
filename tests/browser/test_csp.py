"""In real headless Chromium: the web map satisfies the Content-Security-Policy (the map, and the
DIA path: Leaflet-Geoman's drawing, buurten kiezen, the area's statistics and a proposal saved
signed in), and /docs renders offline from local assets (swagger-ui-dist from npm, no CDN)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from api.settings import Settings
from layers.db.cluster import LocalCluster
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, screen_point, session_cookies
from tests.browser.conftest import serve as _serve
from tests.conftest import _create_db

pytestmark = pytest.mark.browser

# collects every CSP violation the page sees, before any script of the page runs
_WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module")
def db_url(cluster: LocalCluster, demo_url: str) -> str:
    return _create_db(cluster, "sia_browser_hardening", template="sia_demo")


@pytest.fixture(scope="module")
def server(db_url: str) -> Iterator[str]:
    with _serve(Settings(database_url=db_url, gemeente="GM0153", basemap_url="")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(
    browser: Browser, server: str, cookies: list[dict[str, object]] | None = None
) -> tuple[Page, list[str], list[str]]:
    """A page that records console problems and blocks (and records) every request off this server;
    with ``cookies``, signed in."""
    page = browser.new_page(viewport={"width": 1300, "height": 850})
    if cookies:
        page.context.add_cookies(cookies)  # type: ignore[arg-type]
    problems: list[str] = []
    external: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}") if m.type in {"error", "warning"} else None,
    )
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))

    def route(r: object) -> None:
        request = r.request  # type: ignore[attr-defined]
        if request.url.startswith((server, "data:", "blob:")):
            r.continue_()  # type: ignore[attr-defined]
        else:
            external.append(request.url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.add_init_script(_WATCH_CSP)
    return page, problems, external


def _until(page: Page, condition: str, timeout: float = 20) -> None:
    """Poll a condition with page.evaluate (Playwright's wait_for_function needs 'unsafe-eval')."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({condition})"):
        if time.monotonic() > deadline:
            pytest.fail(f"not reached: {condition}")
        time.sleep(0.1)


def test_web_map_runs_under_the_csp(browser: Browser, server: str) -> None:
    """The map under the real policy (no bypass): every part that builds markup or sets styles is
    used once, and no violation is reported. Before: the inline import map was blocked, so no
    module ran and the map never became ready."""
    page, problems, external = _page(browser, server)
    response = page.goto(server + "/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
    # first visit: the introduction, closed as a user does
    page.wait_for_selector("#intro[open]")
    page.click("#intro-start")
    _until(page, "document.body.dataset.scored")
    assert page.evaluate("window.siaMap.layer.getLayers().length") == 70
    # score panel: a typed weight re-ranks (sliders, shares, chart and ranking redrawn)
    first = int(page.evaluate("Number(document.body.dataset.scored)"))
    page.fill("#n-lbm_score", "5")
    _until(page, f"Number(document.body.dataset.scored) > {first}")
    assert page.locator("#chart circle").count() > 50
    # buurt panel (contribution bars are sized by style) and an indicator legend (swatches)
    page.click("#ranking button.rowbutton >> nth=0")
    page.wait_for_selector("#detail-score .bar")
    page.select_option("#indicator", "aantal_inwoners")
    page.wait_for_selector("#legend .swatch")
    # robustness: P(top) per buurt
    page.check("#robuust")
    _until(page, "document.querySelector('#ranking th[title^=kans]')")
    # candidate areas, on urgency
    page.check("#toggle-kandidaten")
    _until(page, "window.siaMap.store.get('candidates')")
    page.select_option("#kandidaten-as", "urgentie")
    _until(
        page,
        "window.siaMap.store.get('candidates') && window.siaMap.store.get('candidates').as === 'urgentie'",
    )
    _until(page, "document.querySelectorAll('.leaflet-kandidaten-pane path').length > 0")
    # partner layers (clustered points with icons, project areas)
    for toggle in ("#toggle-bezit", "#toggle-projecten", "#toggle-verkoop"):
        page.check(toggle)
    _until(page, "document.querySelectorAll('.marker-cluster, .leaflet-marker-icon').length > 0")
    # compare: two indicators with the swipe (clip paths set by style)
    page.select_option("#compare-mode", "indicatoren")
    _until(page, "window.siaMap.rightLayer && !document.getElementById('swipe').hidden")
    page.select_option("#compare-mode", "uit")
    # the completeness of the period and the upload dialog
    page.click("#open-volledigheid")
    page.wait_for_selector("#volledigheid-dialog[open] table.completeness tbody tr")
    page.click("#volledigheid-close")
    page.click("#open-upload")
    page.wait_for_selector("#upload-dialog[open]")
    assert page.evaluate("window.__csp") == []
    assert not problems, problems
    assert not external, external
    # the watcher sees violations, and the policy blocks what an injected text would try
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                   document.body.appendChild(s); }"""
    )
    _until(page, "window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert "script-src" in page.evaluate("window.__csp[0]")
    page.close()


def test_dia_drawing_and_a_proposal_run_under_the_csp(browser: Browser, server: str, db_url: str) -> None:
    """The DIA path under the real policy, signed in as a planner (it saves): Leaflet-Geoman draws a
    polygon with mouse clicks, "buurten kiezen" builds an area from a clicked buurt and a wijk, the
    statistics are shown, the area is saved as a proposal and its panel opens."""
    page, problems, external = _page(
        browser, server, session_cookies(db_url, server, slug="gemeente", rol="planner")
    )
    page.add_init_script("localStorage.setItem('sia-intro-gezien', '1')")
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
    _until(page, "document.body.dataset.scored")
    assert page.locator("#who").inner_text().endswith("(planner, Gemeente Enschede)")
    stats = "window.siaMap.store.get('diaStats') && window.siaMap.store.get('diaStats').state === 'ok'"
    # Geoman: a triangle of three clicks, closed on its first corner
    codes = ["BU01530000", "BU01530001", "BU01530002"]
    page.click("button.dia-tool[data-tool=tekenen]")
    corners = [screen_point(page, c) for c in codes]
    for x, y in corners:
        page.mouse.click(x, y)
        page.wait_for_timeout(120)
    first = page.locator(".marker-icon.leaflet-interactive:not(.cursor-marker)").first.bounding_box()
    assert first is not None
    page.mouse.click(first["x"] + first["width"] / 2, first["y"] + first["height"] / 2)
    _until(page, "window.siaMap.store.get('diaTool') === null && window.siaMap.diaArea")
    _until(page, stats, timeout=30)
    assert page.locator("#dia-area-stats table.buurten tbody tr").count() >= 1
    page.click("button.dia-tool[data-tool=wissen]")
    # buurten kiezen: a clicked buurt and a whole wijk, dissolved by the server
    page.click("button.dia-tool[data-tool=buurten]")
    page.mouse.click(*screen_point(page, codes[0]))
    _until(page, f"(window.siaMap.store.get('diaArea') || {{}}).buurtcodes?.join() === '{codes[0]}'")
    page.select_option("#dia-wijk", "WK015303")
    page.click("#dia-wijk-toevoegen")
    _until(page, "(window.siaMap.store.get('diaArea') || {}).buurtcodes?.length > 1", timeout=30)
    _until(page, f"{stats} && window.siaMap.store.get('diaStats').data.buurten.length > 1", timeout=30)
    page.click("#dia-pick-klaar")
    rows = page.locator("#dia-area-stats table.buurten tbody tr").count()
    assert rows == len(page.evaluate("window.siaMap.store.get('diaStats').data.buurten")) > 1
    assert page.locator("#dia-area-stats [data-figuur=inwoners]").count() == 1
    # saved as a proposal in the signed-in user's name; the panel (status chip styled by script) opens
    page.fill("#voorstel-naam", "Onder de CSP")
    page.click("#voorstel-opslaan")
    _until(page, "(document.body.dataset.voorstel || '').endsWith(':1:1:concept:0:0')", timeout=60)
    assert page.locator("#voorstel-titel").inner_text() == "Onder de CSP"
    assert page.locator("#voorstel-ik").inner_text() == "U werkt als " + page.locator("#who").inner_text()
    assert page.locator(".status-chip").evaluate("e => e.style.borderColor") != ""
    assert page.evaluate("window.__csp") == []
    assert not problems, problems
    assert not external, external
    page.close()


def test_docs_render_offline(browser: Browser, server: str) -> None:
    page, problems, external = _page(browser, server)
    response = page.goto(server + "/docs")
    assert response is not None and response.status == 200
    assert "cdn" not in response.text().lower()
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    operations = page.locator(".swagger-ui .opblock").count()
    paths = page.evaluate("fetch('/openapi.json').then(r => r.json()).then(d => Object.keys(d.paths).length)")
    assert operations >= paths > 10
    assert "SIA/DIA" in page.locator(".swagger-ui .title").inner_text()
    page.locator(".swagger-ui .opblock-summary").first.click()  # expanding an operation works too
    page.wait_for_selector(".swagger-ui .opblock-body")
    assert page.evaluate("window.__csp") == []
    assert not problems, problems
    assert not external, f"the docs page tried to leave the machine: {external}"
    page.close()
