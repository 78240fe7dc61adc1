"""Partner layers on the map (clusters, popups, clickable above the buurten) and the upload
dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Opener

pytestmark = pytest.mark.browser


def test_partner_points_are_clustered_and_labelled(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    assert pg.locator(".marker-cluster").count() == 0
    pg.check("#toggle-bezit")
    pg.wait_for_selector(".marker-cluster.cluster-bezit")
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
    # at street level the clusters break up into single points
    pg.evaluate("window.siaMap.map.setView([52.2215, 6.8937], 17, { animate: false })")
    assert pg.locator(".marker-cluster").count() == 0
    assert pg.locator(".leaflet-partners-pane path").count() > 0
    pg.uncheck("#toggle-bezit")
    assert pg.locator(".marker-cluster").count() == 0
    assert pg.locator(".leaflet-partners-pane path").count() == 0
    assert not problems


def test_partner_points_stay_clickable_over_the_buurten(page: tuple[Page, list[str]]) -> None:
    """Hovering a buurt must not lift it above the points: every click on a point opens the
    point's popup, not the buurt."""
    pg, problems = page
    # street level first: only the points in view are drawn
    pg.evaluate("window.siaMap.map.setView([52.2215, 6.8937], 17, { animate: false })")
    pg.check("#toggle-bezit")
    pg.wait_for_function("window.siaMap.partner.layers.bezit !== undefined")
    ids = pg.evaluate("""() => { const m = window.siaMap.map; const inner = m.getBounds().pad(-0.25);
        return window.siaMap.partner.layers.bezit.getLayers()
          .filter(l => l._map && inner.contains(l.getLatLng())).slice(0, 5).map(l => L.stamp(l)); }""")
    assert len(ids) == 5
    opened = 0
    for leaflet_id in ids:
        # where the point is now (an opened popup may have panned the map)
        x, y, corporatie = pg.evaluate(
            """(id) => { const m = window.siaMap.map;
                const r = document.getElementById('map').getBoundingClientRect();
                const l = window.siaMap.partner.layers.bezit.getLayers().find(x => L.stamp(x) === id);
                const p = m.latLngToContainerPoint(l.getLatLng());
                return [r.left + p.x, r.top + p.y, l.feature.properties.corporatie]; }""",
            leaflet_id,
        )
        pg.mouse.move(x + 25, y + 25)  # over the buurt first (hover), then onto the point
        pg.mouse.move(x, y)
        hit = pg.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y);"
            " return (e.closest('.leaflet-pane') || e).className + ' ' + e.tagName; }",
            [x, y],
        )
        pg.mouse.click(x, y)
        popup = pg.locator(".leaflet-popup")
        try:
            popup.wait_for(timeout=15_000)
        except Exception as exc:
            raise AssertionError(f"click {opened + 1} at {x},{y} on {hit}: no popup") from exc
        assert corporatie in popup.inner_text()
        opened += 1
        pg.evaluate("window.siaMap.map.closePopup()")
    assert opened == 5
    assert pg.evaluate("window.siaMap.store.get('selected')") is None  # no buurt was opened
    # the hover outline is drawn in its own, non-clickable pane: the buurt paths stay below
    assert pg.evaluate("getComputedStyle(window.siaMap.map.getPane('markering')).pointerEvents") == "none"
    assert int(pg.evaluate("window.siaMap.map.getPane('partners').style.zIndex")) > int(
        pg.evaluate("window.siaMap.map.getPane('buurten').style.zIndex")
    )
    assert not problems


def test_sales_violation_popup(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    pg.check("#toggle-verkoop")
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
    assert pg.locator("#periode").input_value() == "2026-najaar"
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
    open_map: Opener, delivery_files: tuple[Path, Path]
) -> None:
    mp = open_map(user=("gemeente", "beheerder"))  # a beheerder delivers for every organisation
    pg, problems = mp.page, mp.problems
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
    pg.set_input_files("#upload-file", str(good))
    pg.click("#upload-submit")
    pg.wait_for_selector(".upload-ok")
    assert "al geladen" in pg.locator("#upload-result").inner_text()
    assert pg.locator("#deliveries tbody tr").count() == before
    assert pg.locator("#template-link").get_attribute("href") == "/api/partners/template"
    assert len(problems) == 1 and "status of 422" in problems[0], problems
