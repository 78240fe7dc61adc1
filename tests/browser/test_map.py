"""The map itself: buurten, legend, classes, the buurt panel, orientation (fit, background map,
introduction, help per indicator), the address bar, labels from uploads, the write key."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from api.settings import Settings
from tests.browser.conftest import DESKTOP, PHONE, TABLET, Opener, attach, screen_point, serve
from tests.signin import add_user, token_for

pytestmark = pytest.mark.browser


def test_map_draws_every_buurt_with_legend(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    assert pg.evaluate("window.siaMap.layer.getLayers().length") == 70
    assert pg.locator(".leaflet-buurten-pane path").count() == 70
    assert pg.locator(".leaflet-wijken-pane path").count() == 10
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
    # the counts in the legend add up to the buurten
    counts = [int(t.rsplit("(", 1)[1].rstrip(")")) for t in pg.locator("#legend .row").all_inner_texts()]
    assert sum(counts) == 70
    assert not problems


def test_click_opens_buurt_panel_with_dutch_kerncijfer_labels(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    x, y = screen_point(pg, "BU01530000")  # the buurt 'City', on screen, as a user would
    pg.mouse.move(x, y)
    pg.wait_for_selector(".buurt-tip")
    assert "City" in pg.locator(".buurt-tip").inner_text()
    pg.mouse.click(x, y)
    pg.wait_for_selector("#detail-name")
    assert pg.locator("#detail-name").inner_text() == "City"
    detail = pg.locator("#detail").inner_text()
    assert "BU01530000" in detail and "3.410" in detail and "Leefbaarometer" in detail
    pg.click("#detail summary")  # all kerncijfers
    kern = pg.locator("#detail details").inner_text()
    assert "Gescheiden" in kern and "Inwoners 65 jaar en ouder" in kern and "Stedelijkheid" in kern
    assert "percentage" not in kern and "_" not in kern  # no raw CBS field names
    assert not problems


def test_buurt_panel_values_fit_the_panel(open_map: Opener) -> None:
    """Long values wrap inside the panel instead of running off its edge (at every width)."""
    for viewport in (DESKTOP, TABLET, PHONE):
        mp = open_map(viewport=viewport)
        pg = mp.page
        pg.evaluate("window.siaMap.store.set({ selected: 'BU01530001' })")
        pg.wait_for_selector("#detail-name")
        pg.click("#detail summary")
        overflow = pg.evaluate(
            """() => { const panel = document.getElementById('results').getBoundingClientRect();
                return [...document.querySelectorAll('#detail td, #detail h3, #detail .codes')]
                  .filter(e => e.getBoundingClientRect().right > panel.right + 1
                               || e.scrollWidth > e.clientWidth + 1)
                  .map(e => e.textContent.slice(0, 40)); }"""
        )
        assert overflow == [], (viewport, overflow)
        assert not mp.problems


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET, PHONE], ids=["1440", "768", "390"])
def test_map_is_fitted_to_the_gemeente(open_map: Opener, viewport: dict[str, int]) -> None:
    """Every buurt is inside the visible map, after the panels have taken their place."""
    mp = open_map(viewport=viewport)
    pg = mp.page
    inside, zoom, best = pg.evaluate(
        """() => { const m = window.siaMap.map; const b = window.siaMap.layer.getBounds();
            return [m.getBounds().contains(b), m.getZoom(), m.getBoundsZoom(b)]; }"""
    )
    assert inside
    assert zoom >= best - 0.5  # fitted, not merely zoomed out far
    # after the user moved the map, "Hele gemeente" brings the whole gemeente back
    pg.evaluate("window.siaMap.map.setView([52.22, 6.89], 16, { animate: false })")
    assert not pg.evaluate("window.siaMap.map.getBounds().contains(window.siaMap.layer.getBounds())")
    pg.click(".fit-button")
    assert pg.evaluate("window.siaMap.map.getBounds().contains(window.siaMap.layer.getBounds())")
    assert not mp.problems


def test_introduction_on_first_visit(open_map: Opener) -> None:
    mp = open_map(intro_seen=False, scored=False)
    pg = mp.page
    intro = pg.locator("#intro")
    intro.wait_for(state="visible")
    text = intro.inner_text()
    for term in ("Urgentie", "Potentie", "kwadranten", "DIA-kandidaat", "P(top)", "synthetisch"):
        assert term in text, term
    pg.click("#intro-start")
    assert not intro.is_visible()
    pg.reload()
    pg.wait_for_selector("body[data-scored]", state="attached")
    assert not pg.locator("#intro").is_visible()  # seen: not shown again
    pg.click("#open-intro")
    assert pg.locator("#intro").is_visible()
    pg.keyboard.press("Escape")
    assert not pg.locator("#intro").is_visible()
    assert not mp.problems


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("lbm_score", ["Leefbaarometer", "editie 2024", "Lager is urgenter", "Ministerie van BZK"]),
        ("aantal_inwoners", ["CBS", "buurtindeling 2021", "Beschrijvend", "personen"]),
        ("aandeel_label_efg", ["Periode 2026-najaar", "Hoger is urgenter", "Synthetische"]),
        ("sia_gecombineerd", ["SIA standaardprofiel", "sterkere DIA-kandidaat", "score 0–1"]),
    ],
)
def test_help_per_indicator(page: tuple[Page, list[str]], indicator: str, expected: list[str]) -> None:
    """Definition, source, edition and direction of the chosen indicator."""
    pg, problems = page
    pg.select_option("#indicator", indicator)
    pg.click("#indicator-help-toggle")
    help_text = pg.locator("#indicator-help").inner_text()
    for term in ("Wat", "Bron", "Editie", "Richting"):
        assert term in help_text
    for fragment in expected:
        assert fragment in help_text, (fragment, help_text)
    assert pg.get_attribute("#indicator-help-toggle", "aria-expanded") == "true"
    assert not problems


def test_view_in_the_address_bar(open_map: Opener) -> None:
    mp = open_map(hash="#indicator=aantal_inwoners&klassen=3&indeling=equal&buurt=BU01530000")
    pg = mp.page
    assert pg.input_value("#indicator") == "aantal_inwoners"
    assert pg.locator("#legend .row").count() == 3
    pg.wait_for_selector("#detail-name")
    assert pg.locator("#detail-name").inner_text() == "City"
    pg.select_option("#indicator", "lbm_klasse")
    assert "indicator=lbm_klasse" in pg.evaluate("location.hash")
    # a value that does not fit is ignored, never used
    pg.goto(pg.url.split("#")[0] + "#indicator=%3Cscript%3E&klassen=99")
    pg.reload()
    pg.wait_for_selector("body[data-scored]", state="attached")
    assert pg.input_value("#indicator") == "lbm_score"
    assert not mp.problems


def test_basemap_falls_back_to_outlines(server: str, browser_url: str, chromium: Browser) -> None:
    """Tiles that do not load: the map removes the background and says so; buurten stay."""
    missing = server + "/geen-tegels/{z}/{x}/{y}.png"  # a local address that answers 404
    settings = Settings(database_url=browser_url, gemeente="GM0153", basemap_url=missing)
    with serve(settings) as url:
        ctx = chromium.new_context(viewport=DESKTOP, bypass_csp=True)
        ctx.add_init_script("localStorage.setItem('sia-intro-gezien', '1')")
        pg = ctx.new_page()
        mp = attach(pg, url)
        pg.goto(url + "/")
        pg.wait_for_function("window.siaMap.store.get('basemap') === 'mislukt'", timeout=15_000)
        assert pg.locator(".leaflet-tile-pane img").count() == 0
        assert "niet bereikbaar" in pg.locator("#basemap-note").inner_text()
        assert pg.locator(".leaflet-buurten-pane path").count() == 70
        # only the tiles failed (a 404, or blocked: they come from another origin here)
        tile_failures = ("404", "geen-tegels", "ERR_BLOCKED_BY_RESPONSE")
        assert all(any(t in p for t in tile_failures) for p in mp.problems), mp.problems
        assert all(u.startswith(server) for u in mp.external)  # only the local tile address
        ctx.close()


def test_basemap_with_opacity(server: str, browser_url: str, chromium: Browser) -> None:
    """A background map that loads (here a local image as every tile) gets its own opacity."""
    tiles = "/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    settings = Settings(
        database_url=browser_url, gemeente="GM0153", basemap_url=tiles, basemap_attribution="Test"
    )
    with serve(settings) as url:
        ctx = chromium.new_context(viewport=DESKTOP, bypass_csp=True)
        ctx.add_init_script("localStorage.setItem('sia-intro-gezien', '1')")
        pg = ctx.new_page()
        mp = attach(pg, url)
        pg.goto(url + "/")
        pg.wait_for_function("window.siaMap.store.get('basemap') === 'aan'", timeout=15_000)
        assert pg.locator(".leaflet-tile-pane img").count() > 0
        pg.locator("#opacity-achtergrond").fill("40")
        assert (
            pg.evaluate(
                "getComputedStyle(document.querySelector('.leaflet-tile-pane .leaflet-layer')).opacity"
            )
            == "0.4"
        )
        pg.locator("#opacity-buurten").fill("30")
        assert pg.evaluate("window.siaMap.layer.getLayers()[0].options.fillOpacity") == 0.3
        assert not mp.problems and not mp.external
        ctx.close()


def test_labels_from_uploads_are_shown_as_text(
    server: str, browser_url: str, page: tuple[Page, list[str]], enschede_buurten: Path, tmp_path: Path
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
    # uploading needs a planner or beheerder (issue 10): a script's API token of the gemeente
    token = token_for(browser_url, add_user(browser_url, rol="beheerder")["id"])
    res = pg.request.post(
        f"{server}/api/partners/rasters",
        multipart={**form, "bestand": upload},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert res.status == 201, res.text()
    pg.reload()
    pg.wait_for_selector("body[data-scored]", state="attached")
    assert label in pg.locator("#indicator option[value=hitte_xss]").inner_text()
    pg.select_option("#indicator", "hitte_xss")
    assert pg.locator("#legend .title").inner_text() == label
    assert "<b>u</b>" in pg.locator("#legend").inner_text()
    pg.click("#indicator-help-toggle")
    x, y = screen_point(pg, "BU01530000")
    pg.mouse.move(x, y)
    pg.wait_for_selector(".buurt-tip")
    assert label in pg.locator(".buurt-tip").inner_text()
    pg.locator("#ranking tbody tr").first.locator("button").click()
    pg.wait_for_selector("#detail-name")
    pg.wait_for_timeout(300)
    assert pg.evaluate("window.__xss") is None
    assert (
        pg.locator(
            "#legend img, #detail img, #indicator img, .buurt-tip img, #indicator-help img, #weights b"
        ).count()
        == 0
    )
    assert not problems  # an <img src=x> would have made the browser request /x (404)
