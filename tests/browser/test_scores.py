"""The score panel: live re-ranking, exact weights (the consensus round-trips), stale results,
the loading indicator, P(top) classes, candidate areas, partner profiles, scenarios and the rank
change map, Dutch formats and labels, and no NaN anywhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Opener, scored, set_weight

pytestmark = pytest.mark.browser


def test_score_panel_ranks_and_reranks_live(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    n = scored(pg)
    rows = pg.locator("#ranking tbody tr")
    ranked = pg.evaluate(
        "window.siaMap.store.get('scores').result.buurten.filter(b => b.rang !== null).length"
    )
    assert rows.count() == 70 and 50 < ranked <= 70
    assert pg.locator("#chart circle").count() == ranked
    # the chart's axes carry values
    ticks = pg.locator("#chart .tick text").all_text_contents()
    assert ticks.count("0") == 2 and ticks.count("0,5") == 2 and ticks.count("1") == 2, ticks
    assert "drempel" in (pg.locator("#chart").text_content() or "")
    assert pg.locator("#ranking tbody tr").first.locator("td").first.inner_text() == "1"
    assert f"{ranked} buurten gerangschikt" in pg.locator("#score-status").inner_text()
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
        const s = window.siaMap.store;
        const p = s.get('profiles').find(p => p.naam === s.get('profile'));
        p.criteria.filter(c => c.as === 'urgentie').forEach(c => {
          const el = document.getElementById('w-' + c.id);
          el.value = c.id === 'aandeel_label_efg' ? 10 : 0;
          el.dispatchEvent(new Event('input')); }); }""")
    scored(pg, n)
    pg.wait_for_function("window.siaMap.store.get('scoreStatus') === 'ok'")
    assert pg.locator("#s-aandeel_label_efg").inner_text() == "100%"
    top_code, top_share, max_share = pg.evaluate("""() => {
        const s = window.siaMap.store;
        const ranked = s.get('scores').result.buurten.filter(b => b.rang !== null);
        const top = ranked.reduce((a, b) => (b.urgentie > a.urgentie ? b : a));
        const share = (c) => s.get('table').rows.get(c).aandeel_label_efg;
        const best = Math.max(...ranked.map(b => share(b.buurtcode) ?? -1));
        return [top.buurtcode, share(top.buurtcode), best]; }""")
    assert top_share == max_share, top_code
    # a row of the ranking opens the buurt with its contributions
    pg.locator("#ranking tbody tr").first.locator("button").click()
    pg.wait_for_selector("#detail-score h4")
    assert pg.locator("#detail-score h4").inner_text().startswith("SIA-score: #1")
    assert pg.locator("#ranking tr.selected").count() == 1
    assert not problems


def _profile_scores(pg: Page, profile: str) -> list[list[object]]:
    """Ranks straight from the API for a profile as shipped (no weights sent)."""
    return pg.evaluate(
        """async (p) => (await (await fetch('/api/scores', { method: 'POST',
            headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ profiel: p }) })).json())
            .buurten.map(b => [b.buurtcode, b.rang, b.gecombineerd])""",
        profile,
    )


def _shown_scores(pg: Page) -> list[list[object]]:
    return pg.evaluate(
        "window.siaMap.store.get('scores').result.buurten.map(b => [b.buurtcode, b.rang, b.gecombineerd])"
    )


def test_consensus_weights_shown_and_set_exactly(page: tuple[Page, list[str]]) -> None:
    """The consensus profile's fractional weights: shown exactly, sent exactly, and a weight that
    was changed can be set back exactly, so the ranking returns to the profile's own."""
    pg, problems = page
    n = scored(pg)
    pg.select_option("#profiel", "consensus")
    n = scored(pg, n)
    profile = pg.evaluate("window.siaMap.store.get('profiles').find(p => p.naam === 'consensus').gewichten")
    assert any(0 < w < 1 and w != round(w, 2) for w in profile.values())  # real fractions
    for crit, weight in profile.items():
        shown = pg.input_value(f"#n-{crit}")
        assert float(shown.replace(",", ".")) == weight, crit  # the number field: exact, Dutch comma
        assert "." not in shown
        # the slider stands at the weight (not rounded to a step; Chromium keeps 15 digits)
        assert abs(float(pg.input_value(f"#w-{crit}")) - weight) < 1e-12, crit
        assert 0 < weight / float(pg.get_attribute(f"#w-{crit}", "max")) <= 1
    assert pg.evaluate("window.siaMap.store.get('weights')") == profile
    assert _shown_scores(pg) == _profile_scores(pg, "consensus")
    # change one weight by typing, then type the original back
    crit, original = max(profile.items(), key=lambda kv: kv[1])
    pg.fill(f"#n-{crit}", "0,01")
    n = scored(pg, n)
    assert pg.evaluate(f"window.siaMap.store.get('weights')['{crit}']") == 0.01
    assert float(pg.input_value(f"#w-{crit}")) == 0.01
    assert _shown_scores(pg) != _profile_scores(pg, "consensus")
    pg.fill(f"#n-{crit}", repr(original).replace(".", ","))
    scored(pg, n)
    pg.wait_for_function("window.siaMap.store.get('scoreStatus') === 'ok'")
    assert pg.evaluate("window.siaMap.store.get('weights')") == profile
    assert _shown_scores(pg) == _profile_scores(pg, "consensus")
    # the shares per axis add up to 100 %
    shares = pg.evaluate(
        "[...document.querySelectorAll('#weights fieldset')].map(f => "
        "[...f.querySelectorAll('.share')].reduce((s, e) => s + parseInt(e.textContent), 0))"
    )
    assert all(97 <= s <= 103 for s in shares), shares
    assert not problems


def test_failed_rescore_marks_the_result_stale(page: tuple[Page, list[str]]) -> None:
    """All urgency weights at 0 is refused by the engine: the old ranking stays, marked stale."""
    pg, problems = page
    n = scored(pg)
    assert not pg.locator("#score-stale").is_visible()
    crits = pg.evaluate("""() => { const s = window.siaMap.store;
        return s.get('profiles').find(p => p.naam === s.get('profile')).criteria
          .filter(c => c.as === 'urgentie').map(c => c.id); }""")
    for crit in crits[:-1]:
        set_weight(pg, crit, 0)
    pg.wait_for_function(f"window.siaMap.store.get('weights')['{crits[-2]}'] === 0")
    n = scored(pg, n)
    pg.wait_for_function("window.siaMap.store.get('scoreStatus') === 'ok'")
    before = _shown_scores(pg)
    set_weight(pg, crits[-1], 0)  # the last urgency weight: the axis has no weight left
    pg.wait_for_function("window.siaMap.store.get('scoreStatus') === 'verouderd'", timeout=20_000)
    stale = pg.locator("#score-stale")
    assert stale.is_visible()
    text = stale.inner_text()
    assert "Verouderd" in text and "vorige weging" in text
    assert "urgentie" in text.lower()  # the engine's reason, in Dutch
    assert "stale" in (pg.get_attribute("#scores-panel", "class") or "")
    assert _shown_scores(pg) == before  # the old result, still shown
    pg.select_option("#indicator", "sia_gecombineerd")
    assert "Verouderd" in pg.locator("#legend").inner_text()
    # one weight back: scored again, the mark is gone
    set_weight(pg, crits[0], 2)
    scored(pg, n)
    pg.wait_for_function("window.siaMap.store.get('scoreStatus') === 'ok'")
    assert not stale.is_visible()
    assert "stale" not in (pg.get_attribute("#scores-panel", "class") or "")
    # the browser logs the refused request (HTTP 400) itself; nothing else went wrong
    assert problems and all("status of 400" in p for p in problems), problems


def test_loading_indicator_while_scoring(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    n = scored(pg)
    assert not pg.locator("#loading").is_visible()
    pg.evaluate("""() => { window.__loadingSeen = 0;
        const el = document.getElementById('loading');
        new MutationObserver(() => { if (!el.hidden) window.__loadingSeen += 1; })
          .observe(el, { attributes: true, attributeFilter: ['hidden'] }); }""")
    set_weight(pg, "lbm_score", 4.5)
    scored(pg, n)
    assert pg.evaluate("window.__loadingSeen") >= 1
    pg.wait_for_function("document.getElementById('loading').hidden")
    assert pg.get_attribute("main", "aria-busy") == "false"
    assert not problems


def test_probability_of_a_top_place_has_classes_that_fit_a_probability(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    n = scored(pg)
    pg.check("#robuust")
    scored(pg, n)
    assert "P(top)" in pg.locator("#ranking thead").inner_text()
    pg.select_option("#indicator", "sia_p_top")
    rows = [t.rsplit(" (", 1)[0] for t in pg.locator("#legend .row").all_inner_texts()]
    fixed = ["0% (nooit)", "minder dan 25%", "25–50%", "50–75%", "75% of meer", "100% (altijd)"]
    assert rows[: len(fixed)] == fixed
    assert "vaste klassen" in pg.locator("#legend").inner_text()
    # every ranked buurt is coloured by the class its probability falls in
    wrong = pg.evaluate("""() => {
        const s = window.siaMap.store; const sc = s.get('scores');
        const classOf = (p) => p === 0 ? 0 : p === 100 ? 5 : p < 25 ? 1 : p <= 50 ? 2 : p <= 75 ? 3 : 4;
        const swatches = [...document.querySelectorAll('#legend .row .swatch')]
          .map(e => getComputedStyle(e).backgroundColor);
        const toRgb = (hex) => { const d = document.createElement('div'); d.style.background = hex;
          document.body.append(d); const c = getComputedStyle(d).backgroundColor; d.remove(); return c; };
        return window.siaMap.layer.getLayers().filter(l => {
          const r = sc.robust.get(l.feature.properties.buurtcode);
          return r && toRgb(l.options.fillColor) !== swatches[classOf(100 * r.p_top)];
        }).map(l => l.feature.properties.buurtcode); }""")
    assert wrong == []
    assert not problems


def test_candidate_areas_with_score_and_buurt_names(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    scored(pg)
    pg.check("#toggle-kandidaten")
    pg.wait_for_function("document.getElementById('kandidaten-note').textContent.length > 0")
    features = pg.evaluate("window.siaMap.store.get('candidates').features.map(f => f.properties)")
    assert len(features) >= 1
    assert pg.locator(".leaflet-kandidaten-pane path").count() >= len(features)
    note = pg.locator("#kandidaten-note").inner_text()
    assert re.search(r"^1 kandidaatgebied |^\d+ kandidaatgebieden ", note), note
    # the tooltip of the first area: its mean score and the names of its buurten
    pg.evaluate("window.siaMap.candidates.getLayers()[0].openTooltip()")
    tip = pg.locator(".candidate-tooltip").inner_text()
    first = features[0]
    assert "Gemiddelde score" in tip and f"{first['gem_score']:.2f}".replace(".", ",") in tip
    names = pg.evaluate(
        "(codes) => codes.split(',').map(c => window.siaMap.store.get('names').get(c.trim()))",
        first["buurtcodes"],
    )
    assert names and all(name in tip for name in names)
    assert not problems


def test_partner_profiles_compared_in_the_panel(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    n = scored(pg)
    pg.check("#partners-vergelijken")
    scored(pg, n)
    assert "Partners" in pg.locator("#ranking thead").inner_text()
    option = pg.locator("#indicator option[value=sia_partner_bereik]")
    assert "verschil tussen de partnerprofielen" in option.inner_text()
    code, spread, low, high = pg.evaluate("""() => {
        const sc = window.siaMap.store.get('scores');
        const rows = sc.result.partnerprofielen.buurten;
        const r = rows.reduce((a, b) => (b.bereik > a.bereik ? b : a));
        return [r.buurtcode, sc.partnerRanks.get(r.buurtcode).bereik, r.rang_min, r.rang_max]; }""")
    assert spread == high - low > 0
    pg.locator(f"#ranking tr[data-code={code}] button").click()
    pg.wait_for_selector("#detail-score h4")
    detail = pg.locator("#detail-score").inner_text()
    assert f"Rang per partnerprofiel ({low}–{high})" in detail
    assert detail.count("#") >= 1 + 7  # the SIA rank and one rank per partner profile
    assert not problems


def test_scenarios_saved_compared_and_mapped_with_a_diverging_ramp(open_map: Opener) -> None:
    mp = open_map(user=("gemeente", "planner"))  # saving needs a planner
    pg, problems = mp.page, mp.problems
    n = scored(pg)
    pg.click("#scenario-box summary")
    pg.fill("#scenario-naam", "Standaard")
    assert pg.locator("#scenario-auteur").input_value().startswith("Planner")  # the signed-in user
    pg.click("#scenario-save")
    pg.wait_for_function("document.getElementById('scenario-status').textContent.includes('Opgeslagen')")
    set_weight(pg, "gem_conditie", 10)
    scored(pg, n)
    pg.fill("#scenario-naam", "Nadruk op conditie")
    pg.click("#scenario-save")
    pg.wait_for_function("document.getElementById('scenario-status').textContent.includes('#2')")
    assert pg.locator("#scenario-compare-box").is_visible()
    pg.select_option("#scenario-a", "1")
    pg.select_option("#scenario-b", "2")
    pg.click("#scenario-compare")
    pg.wait_for_selector("#comparison table")
    text = pg.locator("#comparison").inner_text()
    assert "Kendalls tau" in text and "Nadruk op conditie" in text
    moved = pg.evaluate("window.siaMap.store.get('comparison').buurten.filter(r => r.rang_verschil).length")
    assert moved > 1 and f"{moved} buurten veranderen van plaats" in text
    # the rank change as a map: a diverging ramp centred on zero
    assert pg.locator("#indicator").input_value() == "sia_rangverschil"
    legend = pg.locator("#legend").inner_text()
    assert "plaatsen gestegen" in pg.locator("#legend .title").inner_text()
    assert "0 (gelijk)" in legend and "gecentreerd op 0" in legend
    labels = [
        t.rsplit(" (", 1)[0] for t in pg.locator("#legend .row").all_inner_texts() if "gegevens" not in t
    ]
    mid = labels.index("0 (gelijk)")
    assert len(labels) % 2 == 1 and mid == len(labels) // 2
    assert labels[0].startswith("−") and labels[-1].startswith("+")
    fills = pg.evaluate("""() => {
        const cmp = new Map(window.siaMap.store.get('comparison').buurten
          .map(r => [r.buurtcode, r.rang_verschil]));
        const out = { up: new Set(), down: new Set(), same: new Set() };
        window.siaMap.layer.getLayers().forEach(l => { const d = cmp.get(l.feature.properties.buurtcode);
          if (d === null || d === undefined) return;
          out[d < 0 ? 'up' : d > 0 ? 'down' : 'same'].add(l.options.fillColor); });
        return { up: [...out.up], down: [...out.down], same: [...out.same] }; }""")
    assert fills["same"] in ([], ["#f7f7f7"])
    assert fills["up"] and fills["down"] and not set(fills["up"]) & set(fills["down"])
    # the author is the signed-in user (issue 10), no longer a typed name
    user = pg.evaluate("window.siaMap.store.get('user').naam")
    assert user.startswith("Planner") and pg.evaluate("localStorage.getItem('sia-auteur')") == user
    assert not problems


def test_dutch_plurals_money_units_and_one_label_per_indicator(page: tuple[Page, list[str]]) -> None:
    pg, problems = page
    scored(pg)
    # money: the euro sign first, everywhere
    pg.select_option("#indicator", "geplande_investering")
    legend = pg.locator("#legend").inner_text()
    assert re.search(r"€\s?\d", legend) and not re.search(r"\d €", legend), legend
    pg.evaluate("window.siaMap.store.set({ selected: 'BU01530001' })")  # 13.191.000 planned
    pg.wait_for_selector("#detail-name")
    detail = pg.locator("#detail").inner_text()
    assert "€\xa013.191.000" in detail and "€\xa012.684 per huishouden" in detail
    assert "Geplande verkoop synthetisch\t1 woning\n" in detail  # one planned sale: singular
    assert not re.search(r"\d €", detail)
    # units: the share above the threshold names its unit
    option = pg.locator("#indicator option[value=hittestress_aandeel]").inner_text()
    assert "aandeel boven 32 °C" in option
    # one label per indicator: the weight slider says what the indicator list says
    for crit in pg.evaluate("Object.keys(window.siaMap.store.get('weights'))"):
        option = pg.locator(f"#indicator option[value={crit}]")
        if option.count():
            label = option.inner_text().replace(" — synthetisch", "")
            assert (
                pg.locator(f"label[for=w-{crit}]").inner_text().replace(" synthetisch", "").strip() == label
            )
    assert "Geplande investering per huishouden" in pg.locator("#weights").inner_text()
    assert "per woning" not in pg.locator("#weights").inner_text()
    # plurals
    pg.check("#toggle-kandidaten")
    pg.wait_for_function("document.getElementById('kandidaten-note').textContent.length > 0")
    everything = pg.locator("body").inner_text()
    wrong = re.search(r".{60}\b1 (buurten|woningen|kandidaatgebieden|corporaties)\b.{20}", everything)
    assert not wrong, wrong
    assert not problems


def test_no_nan_anywhere_in_the_panels(page: tuple[Page, list[str]]) -> None:
    """Every buurt's panel, with every option on and every indicator on the map: no NaN."""
    pg, problems = page
    n = scored(pg)
    pg.check("#robuust")
    n = scored(pg, n)
    pg.check("#partners-vergelijken")
    scored(pg, n)
    pg.check("#toggle-kandidaten")
    pg.wait_for_function("document.getElementById('kandidaten-note').textContent.length > 0")
    bad = re.compile(r"NaN|undefined|null|\[object")
    for ind in pg.evaluate("[...document.querySelectorAll('#indicator option')].map(o => o.value)"):
        pg.select_option("#indicator", ind)
        legend = pg.locator("#legend").inner_text()
        assert not bad.search(legend), (ind, legend)
        tip = pg.evaluate(
            """(code) => { const l = window.siaMap.layer.getLayers()
            .find(x => x.feature.properties.buurtcode === code);
            l.fire('mouseover', { latlng: l.getCenter() });
            const t = document.querySelector('.buurt-tip').innerText; l.fire('mouseout'); return t; }""",
            "BU01530105",
        )
        assert not bad.search(tip), (ind, tip)
    pg.select_option("#indicator", "sia_kwadrant")
    for code in pg.evaluate("[...window.siaMap.store.get('names').keys()]"):
        pg.evaluate("(c) => window.siaMap.store.set({ selected: c })", code)
        pg.wait_for_function("(c) => document.body.dataset.detail === c", arg=code)
        text = pg.locator("#results").inner_text() + pg.locator("#controls").inner_text()
        assert not bad.search(text), (code, bad.search(text))
    assert not problems
