"""Phones and tablets (the map stays, panels become drawers), keyboard paths (ranking, chart,
skip links, no tab stop per buurt shape) and accessibility checks with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TABLET,
    Opener,
    run_axe,
    scored,
    screen_point,
    undecided_contrast,
)

pytestmark = pytest.mark.browser


def _in_viewport(pg: Page, selector: str) -> bool:
    return bool(
        pg.evaluate(
            """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.left >= -1 && r.right <= innerWidth + 1
              && r.top >= -1 && r.bottom <= innerHeight + 1; }""",
            selector,
        )
    )


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["390x844", "768x1024"])
def test_phone_and_tablet_keep_the_map_and_use_drawers(open_map: Opener, viewport: dict[str, int]) -> None:
    mp = open_map(viewport=viewport)
    pg = mp.page
    box = pg.locator("#map").bounding_box()
    assert box is not None
    assert box["width"] == viewport["width"]  # the full width (was 0 px on a phone)
    assert box["height"] >= 0.75 * viewport["height"]
    assert pg.evaluate("window.siaMap.map.getBounds().contains(window.siaMap.layer.getBounds())")
    # the drawers start closed: off screen and without tab stops
    for panel in ("#controls", "#results"):
        assert not _in_viewport(pg, panel)
        assert pg.evaluate(f"document.querySelector('{panel}').inert")
    # settings: open, use, close with Escape; the focus returns to the button
    pg.click("#open-instellingen")
    pg.wait_for_function("!document.querySelector('#controls').inert")
    pg.wait_for_timeout(250)  # the slide-in
    assert _in_viewport(pg, "#controls")
    assert pg.evaluate("document.getElementById('controls').contains(document.activeElement)")
    pg.select_option("#indicator", "aantal_inwoners")
    assert pg.locator("#legend .title").text_content() == "Inwoners"  # folded on a phone
    pg.keyboard.press("Escape")
    pg.wait_for_timeout(250)
    assert not _in_viewport(pg, "#controls")
    assert pg.evaluate("document.activeElement.id") == "open-instellingen"
    # a tap on a buurt opens its panel; on a phone the map stays visible above it
    x, y = screen_point(pg, "BU01530000")
    pg.mouse.click(x, y)
    pg.wait_for_selector("#detail-name")
    pg.wait_for_timeout(250)
    assert _in_viewport(pg, "#results")
    assert pg.locator("#detail-name").inner_text() == "City"
    if viewport is PHONE:
        top = pg.evaluate("document.elementFromPoint(innerWidth / 2, 200).closest('#map') !== null")
        assert top  # the upper part of the screen still shows the map
        results = pg.locator("#results").bounding_box()
        assert results and results["height"] <= 0.65 * viewport["height"]
    pg.click("#results .drawer-close")
    pg.wait_for_timeout(250)
    assert not _in_viewport(pg, "#results")
    # the map itself: zoom in with the button
    zoom = pg.evaluate("window.siaMap.map.getZoom()")
    pg.click(".leaflet-control-zoom-in")
    pg.wait_for_function(f"window.siaMap.map.getZoom() > {zoom}")
    assert not mp.problems


def test_wide_screen_shows_all_three_columns(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    for panel in ("#controls", "#results", "#map"):
        assert _in_viewport(pg, panel)
    assert not pg.locator("#open-instellingen").is_visible()
    map_box = pg.locator("#map").bounding_box()
    assert map_box and map_box["width"] >= 700
    assert not problems


def _tab_until(pg: Page, predicate: str, limit: int) -> int:
    for i in range(1, limit + 1):
        pg.keyboard.press("Tab")
        if pg.evaluate(predicate):
            return i
    return -1


def test_keyboard_reaches_and_uses_the_ranking(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.classList.contains('skip-link')")
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "results-title"
    steps = _tab_until(pg, "document.activeElement.classList.contains('rowbutton')", 5)
    assert steps > 0, "the ranking is not reachable from the skip link"
    codes = pg.evaluate("window.siaMap.store.get('scores').result.buurten.map(b => b.buurtcode)")
    assert pg.evaluate("document.activeElement.dataset.code") == codes[0]
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("ArrowDown")
    assert pg.evaluate("document.activeElement.dataset.code") == codes[2]
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#detail-name")
    assert pg.evaluate("window.siaMap.store.get('selected')") == codes[2]
    assert pg.locator("#ranking tr.selected").get_attribute("data-code") == codes[2]
    pg.keyboard.press("End")
    assert pg.evaluate("document.activeElement.dataset.code") == codes[-1]
    # the table is one tab stop: Tab leaves it
    pg.keyboard.press("Tab")
    assert not pg.evaluate("document.activeElement.classList.contains('rowbutton')")
    assert not problems


def test_keyboard_walks_the_chart_points(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    pg.keyboard.press("Tab")
    pg.keyboard.press("Enter")  # skip link → results
    steps = _tab_until(pg, "document.activeElement.matches('#chart circle')", 4)
    assert steps > 0
    ranked = pg.evaluate(
        "window.siaMap.store.get('scores').result.buurten.filter(b => b.rang !== null).map(b => b.buurtcode)"
    )
    assert pg.evaluate("document.activeElement.dataset.code") == ranked[0]
    assert "plaats 1" in (pg.evaluate("document.activeElement.getAttribute('aria-label')") or "")
    pg.keyboard.press("ArrowRight")
    assert pg.evaluate("document.activeElement.dataset.code") == ranked[1]
    pg.keyboard.press("Enter")
    pg.wait_for_function(f"window.siaMap.store.get('selected') === '{ranked[1]}'")
    assert pg.locator("#chart circle.selected").get_attribute("data-code") == ranked[1]
    assert pg.locator("#chart [tabindex='0']").count() == 1  # one tab stop for all points
    assert not problems


def test_tab_skips_the_buurt_shapes(page: tuple[Page, list[str]]) -> None:
    """The buurt shapes are no tab stops; the skip link before the map jumps past it."""
    pg, problems = page
    stops = []
    for _ in range(120):
        pg.keyboard.press("Tab")
        stops.append(
            pg.evaluate(
                "(() => { const e = document.activeElement;"
                " const cls = e.className && e.className.baseVal !== undefined"
                " ? e.className.baseVal : e.className;"
                " return [e.tagName, e.id, cls, !!e.closest('.leaflet-overlay-pane, .leaflet-buurten-pane,"
                " .leaflet-buurten-rechts-pane, .leaflet-wijken-pane')]; })()"
            )
        )
    assert not [s for s in stops if s[3]], "a buurt or wijk shape took the focus"
    assert pg.locator(".leaflet-buurten-pane path[tabindex]").count() == 0
    # the skip link in front of the map
    skip = pg.locator(".mapwrap .skip-link")
    skip.focus()
    assert skip.is_visible()
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "results-title"
    assert not problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440x900", "390x844"])
def test_no_serious_accessibility_violations(open_map: Opener, viewport: dict[str, int]) -> None:
    mp = open_map(viewport=viewport)
    pg = mp.page
    violations = run_axe(pg)
    assert violations == [], violations
    # WCAG AA contrast also for the texts axe could not decide (over the map, in the chart)
    checked = undecided_contrast(pg)
    assert checked, "axe left nothing undecided: then this check checks nothing"
    low = [c for c in checked if c["ratio"] < c["needed"]]  # type: ignore[operator]
    assert low == [], low
    # with the analyses on, a buurt open, a comparison and the partner points
    n = scored(pg)
    if viewport is PHONE:
        pg.click("#open-instellingen")
    pg.check("#robuust")
    n = scored(pg, n)
    pg.select_option("#compare-mode", "indicatoren")
    pg.wait_for_function("window.siaMap.rightLayer !== null")
    pg.check("#toggle-bezit")
    pg.wait_for_function("window.siaMap.partner.layers.bezit !== undefined")
    pg.evaluate("window.siaMap.store.set({ selected: 'BU01530000' })")
    pg.wait_for_selector("#detail-name")
    pg.wait_for_timeout(300)
    violations = run_axe(pg)
    assert violations == [], violations
    pg.click("#open-intro")
    violations = run_axe(pg)
    assert violations == [], violations
    assert not mp.problems
