"""Comparing on the map: two indicators, two periods of one indicator and two scenarios with the
swipe, the difference between two periods with a diverging ramp centred on zero, and opacity.

This module's database holds a second period of partner data (2026-voorjaar: other seeded
synthetic deliveries and another heat-stress raster), loaded through the real load paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from layers.db.cluster import LocalCluster
from tests.browser.conftest import DESKTOP, PHONE, Opener, scored, set_weight
from tests.conftest import _create_db

pytestmark = pytest.mark.browser

SPRING = "2026-voorjaar"


@pytest.fixture(scope="module")
def browser_url(
    cluster: LocalCluster, demo_url: str, enschede_buurten: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The demo database plus a spring period (other seed) of deliveries and heat raster."""
    from layers.db.engine import make_engine
    from layers.demo import HEAT_RASTER
    from layers.partner_store import load_delivery_file
    from layers.partners.synthetic import load_buurten, write_deliveries, write_heat_raster
    from layers.raster_store import store_raster

    url = _create_db(cluster, "sia_br_compare", template="sia_demo")
    folder = tmp_path_factory.mktemp("voorjaar")
    buurten = load_buurten(enschede_buurten)
    engine = make_engine(url)
    with engine.begin() as conn:
        for path in write_deliveries(folder, buurten, seed=29, period=SPRING):
            load_delivery_file(conn, path, gemeente="GM0153")
        heat = write_heat_raster(folder / "hitte_voorjaar.tif", buurten, seed=29)
        store_raster(conn, heat, gemeente="GM0153", **{**HEAT_RASTER, "periode": SPRING})
    engine.dispose()
    return url


def _side_values(pg: Page, side: str) -> dict[str, float | None]:
    return pg.evaluate(f"Object.fromEntries(window.siaMap.store.get('compareData').{side}.values)")


def _api_values(pg: Page, periode: str, indicator: str) -> dict[str, float | None]:
    return pg.evaluate(
        """async ([p, i]) => Object.fromEntries((await (await fetch(
            '/api/indicators/table?gemeente=GM0153&periode=' + p)).json()).rijen
            .map(r => [r.buurtcode, r[i]]))""",
        [periode, indicator],
    )


def _labels(pg: Page) -> list[str]:
    """The texts of the left and the right label of the swipe."""
    return [pg.locator(f".swipe-label.{side}").inner_text() for side in ("left", "right")]


def _clip_x(pg: Page, pane: str) -> float:
    """The x (in map container pixels) where a pane's clip is cut."""
    return float(
        pg.evaluate(
            """(pane) => { const m = window.siaMap.map; const el = m.getPane(pane);
            const nums = el.style.clipPath.match(/-?[0-9.]+px/g).map(parseFloat);
            const nw = m.containerPointToLayerPoint([0, 0]);
            return (pane === 'buurten' ? nums[2] : nums[0]) - nw.x; }""",
            pane,
        )
    )


def test_two_indicators_side_by_side_with_the_swipe(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    assert not pg.locator("#swipe").is_visible()
    pg.select_option("#compare-mode", "indicatoren")
    pg.select_option("#compare-links", "lbm_score")
    pg.select_option("#compare-rechts", "aandeel_label_efg")
    pg.wait_for_function("window.siaMap.rightLayer !== null && window.siaMap.store.get('compareData')")
    assert pg.locator("#swipe").is_visible()
    assert pg.locator(".leaflet-buurten-rechts-pane path").count() == 70
    labels = _labels(pg)
    assert "Leefbaarometer totaalscore" in labels[0] and "Aandeel energielabel E, F of G" in labels[1]
    legends = pg.locator("#legend .legend-side")
    assert legends.count() == 2
    assert legends.nth(0).inner_text().lower().startswith("links")
    assert legends.nth(1).inner_text().lower().startswith("rechts")
    # each side is coloured by its own indicator
    left_fill, right_fill = pg.evaluate("""() => {
        const get = (layer) => layer.getLayers().map(l => l.options.fillColor).join();
        return [get(window.siaMap.layer), get(window.siaMap.rightLayer)]; }""")
    assert left_fill != right_fill
    # the divider halves the map; moving it with the keyboard moves the cut
    width = pg.evaluate("window.siaMap.map.getSize().x")
    assert (
        abs(_clip_x(pg, "buurten") - width / 2) <= 2 and abs(_clip_x(pg, "buurten-rechts") - width / 2) <= 2
    )
    pg.focus(".swipe-range")
    for _ in range(10):
        pg.keyboard.press("ArrowRight")
    assert abs(_clip_x(pg, "buurten") - width * 0.6) <= 2
    # the tooltip names both values
    pg.evaluate("""() => { const l = window.siaMap.layer.getLayers()
        .find(x => x.feature.properties.buurtcode === 'BU01530000');
        l.fire('mouseover', { latlng: l.getCenter() }); }""")
    tip = pg.locator(".buurt-tip").inner_text()
    assert "Leefbaarometer totaalscore" in tip and "Aandeel energielabel" in tip
    assert "vergelijk=indicatoren" in pg.evaluate("location.hash")
    pg.select_option("#compare-mode", "uit")
    assert not pg.locator("#swipe").is_visible()
    assert pg.evaluate("window.siaMap.rightLayer") is None
    assert pg.evaluate("window.siaMap.map.getPane('buurten').style.clipPath") == ""
    assert not problems


def test_two_periods_share_their_classes(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    periods = (
        "[...document.querySelectorAll('#periode option')].map(o => o.value)"  # labels say complete or not
    )
    assert pg.evaluate(periods) == ["2026-najaar", SPRING]
    pg.select_option("#compare-mode", "perioden")
    pg.select_option("#compare-indicator", "hittestress")
    pg.wait_for_function("window.siaMap.store.get('compareData') && window.siaMap.rightLayer")
    assert (
        pg.input_value("#compare-periode-a") == SPRING
        and pg.input_value("#compare-periode-b") == "2026-najaar"
    )
    # the indicator once in the legend, the periods on the map
    assert _labels(pg) == [f"◀ {SPRING}", "2026-najaar ▶"]
    left, right = _side_values(pg, "left"), _side_values(pg, "right")
    assert left == _api_values(pg, SPRING, "hittestress")
    assert right == _api_values(pg, "2026-najaar", "hittestress")
    assert left != right
    legends = pg.locator("#legend .legend-side")
    rows = [legends.nth(i).locator(".row").all_inner_texts() for i in range(2)]
    limits = [[r.rsplit(" (", 1)[0] for r in side] for side in rows]
    assert limits[0] == limits[1]  # the same classes on both sides
    # the same value has the same colour on both sides
    same = pg.evaluate("""() => { const s = window.siaMap.store.get('compareData');
        const pairs = (layer, side) => layer.getLayers()
          .map(l => [l.options.fillColor, side.values.get(l.feature.properties.buurtcode)]);
        const byColor = new Map();
        const all = [...pairs(window.siaMap.layer, s.left), ...pairs(window.siaMap.rightLayer, s.right)];
        for (const [c, val] of all) {
          if (val === null) continue;
          const r = byColor.get(c) || [Infinity, -Infinity];
          byColor.set(c, [Math.min(r[0], val), Math.max(r[1], val)]);
        }
        const ranges = [...byColor.values()].sort((a, b) => a[0] - b[0]);
        return ranges.every((r, i) => i === 0 || r[0] >= ranges[i - 1][1]); }""")
    assert same
    assert not problems


def test_difference_between_two_periods_with_a_diverging_ramp(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    pg.select_option("#compare-mode", "verschil")
    pg.select_option("#compare-indicator", "hittestress")
    pg.wait_for_function(
        "window.siaMap.store.get('compareData') && window.siaMap.store.get('compareData').diff"
    )
    assert not pg.locator("#swipe").is_visible()  # one map
    diff = _side_values(pg, "left")
    a = _api_values(pg, SPRING, "hittestress")
    b = _api_values(pg, "2026-najaar", "hittestress")
    for code, d in diff.items():
        if a[code] is None or b[code] is None:
            assert d is None
        else:
            assert d == pytest.approx(b[code] - a[code])
    assert any(d and d > 0 for d in diff.values()) and any(d and d < 0 for d in diff.values())
    legend = pg.locator("#legend").inner_text()
    assert "Verschil: Hittestress" in legend and "2026-najaar − 2026-voorjaar" in legend
    assert "gecentreerd op 0" in legend and "0 (gelijk)" in legend
    # symmetric classes: the limits below zero mirror those above
    rows = [r.rsplit(" (", 1)[0] for r in pg.locator("#legend .row").all_inner_texts() if "gegevens" not in r]
    mid = rows.index("0 (gelijk)")
    assert mid == len(rows) // 2
    mirrored = [r.replace("−", "+") for r in reversed(rows[:mid])]
    assert [" tot ".join(reversed(r.split(" tot "))) for r in mirrored] == rows[mid + 1 :]
    fills = pg.evaluate("""() => { const d = window.siaMap.store.get('compareData').left.values;
        const up = new Set(), down = new Set();
        window.siaMap.layer.getLayers().forEach(l => { const v = d.get(l.feature.properties.buurtcode);
          if (v > 0) up.add(l.options.fillColor); if (v < 0) down.add(l.options.fillColor); });
        return [[...up], [...down]]; }""")
    assert fills[0] and fills[1] and not set(fills[0]) & set(fills[1])
    assert not problems


def test_two_scenarios_side_by_side(open_map: Opener) -> None:
    mp = open_map(user=("gemeente", "planner"))  # saving a scenario needs a planner (issue 10)
    pg, problems = mp.page, mp.problems
    n = scored(pg)
    for name in ("Basis", "Nadruk op labels"):
        if name != "Basis":
            set_weight(pg, "aandeel_label_efg", 10)
            n = scored(pg, n)
        saved = pg.evaluate(
            """async (naam) => { const body = { profiel: 'default', naam, auteur: 'Test',
                gewichten: window.siaMap.store.get('weights') };
                const csrf = decodeURIComponent(document.cookie.match(/(?:^|; )sia_csrf=([^;]*)/)[1]);
                const r = await fetch('/api/scenarios', { method: 'POST',
                  headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
                  body: JSON.stringify(body) });
                return (await r.json()).id; }""",
            name,
        )
        assert saved
    pg.reload()
    pg.wait_for_selector("body[data-scored]", state="attached")
    pg.select_option("#compare-mode", "scenarios")
    pg.wait_for_function("window.siaMap.store.get('compareData') && window.siaMap.rightLayer")
    labels = _labels(pg)
    assert "'Basis'" in labels[0] and "'Nadruk op labels'" in labels[1]
    left, right = _side_values(pg, "left"), _side_values(pg, "right")
    assert left != right
    stored = pg.evaluate("""async () => { const a = await (await fetch('/api/scenarios/' +
        window.siaMap.store.get('compare').scenarioA)).json();
        return Object.fromEntries(a.resultaat.buurten.map(b => [b.buurtcode, b.gecombineerd])); }""")
    assert left == stored
    assert not problems


def test_opacity_per_layer(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    pg.locator("#opacity-buurten").fill("20")
    assert set(pg.evaluate("window.siaMap.layer.getLayers().map(l => l.options.fillOpacity)")) == {0.2}
    assert pg.locator("#opacity-buurten-value").inner_text() == "20%"
    pg.locator("#opacity-wijken").fill("50")
    assert pg.evaluate(
        "[...document.querySelectorAll('.leaflet-wijken-pane path')]"
        ".every(p => p.getAttribute('stroke-opacity') === '0.5')"
    )
    pg.select_option("#compare-mode", "indicatoren")
    pg.wait_for_function("window.siaMap.rightLayer !== null")
    assert set(pg.evaluate("window.siaMap.rightLayer.getLayers().map(l => l.options.fillOpacity)")) == {0.2}
    pg.evaluate("window.siaMap.map.setView([52.2215, 6.8937], 17, { animate: false })")
    pg.check("#toggle-projecten")
    pg.wait_for_function("window.siaMap.partner.layers.projecten !== undefined")
    pg.locator("#opacity-partners").fill("40")
    opacities = pg.evaluate("window.siaMap.partner.layers.projecten.getLayers().map(l => l.options.opacity)")
    assert opacities and set(opacities) == {0.4}
    assert not problems


def test_compare_on_a_phone(open_map: Opener) -> None:
    """The swipe works at 390×844: the divider is reachable and both sides are drawn."""
    mp = open_map(viewport=PHONE, hash="#vergelijk=perioden&vi=hittestress")
    pg = mp.page
    pg.wait_for_function("window.siaMap.store.get('compareData') && window.siaMap.rightLayer")
    assert pg.locator("#swipe").is_visible()
    box = pg.locator(".swipe-range").bounding_box()
    assert box and box["width"] >= 380
    pg.focus(".swipe-range")
    pg.keyboard.press("Home")
    assert _clip_x(pg, "buurten") <= 2
    assert not mp.problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440x900", "390x844"])
def test_the_side_labels_stay_clear_of_the_drawing_toolbar(
    open_map: Opener, viewport: dict[str, int]
) -> None:
    """Why: at 1440×900 and 390×844 the right-hand map's label lay under the drawing toolbar. Each
    label is visible inside the map, and neither overlaps the toolbar, the zoom buttons or the other."""
    mp = open_map(viewport=viewport, hash="#vergelijk=indicatoren&links=lbm_score&rechts=aandeel_label_efg")
    pg = mp.page
    pg.wait_for_function("window.siaMap.rightLayer !== null && window.siaMap.store.get('compareData')")
    parts = {
        "links": ".swipe-label.left",
        "rechts": ".swipe-label.right",
        "tekenen": ".dia-toolbar",
        "zoom": ".leaflet-control-zoom",
        "kaart": "#map",
    }
    for name in ("links", "rechts", "tekenen"):
        assert pg.locator(parts[name]).is_visible(), name
    box = {name: pg.locator(sel).bounding_box() for name, sel in parts.items()}

    def overlap(a: str, b: str) -> bool:
        p, q = box[a], box[b]
        assert p and q
        return (
            p["x"] < q["x"] + q["width"]
            and q["x"] < p["x"] + p["width"]
            and p["y"] < q["y"] + q["height"]
            and q["y"] < p["y"] + p["height"]
        )

    for a, b in (("rechts", "tekenen"), ("links", "tekenen"), ("links", "zoom"), ("links", "rechts")):
        assert not overlap(a, b), (a, b, box[a], box[b])
    m = box["kaart"]
    assert m
    for name in ("links", "rechts"):
        b = box[name]
        assert b and m["x"] <= b["x"] and b["x"] + b["width"] <= m["x"] + m["width"] and b["y"] >= m["y"], (
            name
        )
    assert "Aandeel energielabel E, F of G" in pg.locator(".swipe-label.right").inner_text()
    if viewport is PHONE:
        pg.click("#open-instellingen")
    pg.select_option("#compare-mode", "uit")
    pg.wait_for_function("window.siaMap.rightLayer === null")
    assert not pg.locator(".swipe-label.right").is_visible()  # gone with the compare mode
    assert not mp.problems


def test_a_shared_view_with_score_indicators_opens_as_shared(open_map: Opener) -> None:
    """Score indicators exist only once scored: an address naming them still opens that view."""
    mp = open_map(hash="#vergelijk=indicatoren&links=lbm_score&rechts=sia_gecombineerd")
    pg = mp.page
    pg.wait_for_function("window.siaMap.rightLayer !== null && window.siaMap.store.get('compareData')")
    assert pg.input_value("#compare-rechts") == "sia_gecombineerd"
    assert "SIA: gecombineerde score" in pg.locator(".swipe-label.right").inner_text()
    mp2 = open_map(hash="#indicator=sia_kwadrant")
    assert mp2.page.input_value("#indicator") == "sia_kwadrant"
    assert "DIA-kandidaat" in mp2.page.locator("#legend").inner_text()
    assert not mp.problems and not mp2.problems
