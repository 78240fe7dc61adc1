// SIA web map: the entry point. It reads what the map needs from the API, fills the one state
// store (ui/state.js) and mounts each part of the page; the parts talk through the store.
// Module map and how to add a panel: webmap/README.md.

import { store } from "./ui/state.js";
import { getJSON, qs } from "./ui/api.js";
import { byId } from "./ui/dom.js";
import { mountStatus, showMessage } from "./ui/status.js";
import { createMap, mountBuurten, getMap, getBuurtLayer } from "./ui/map.js";
import { mountSwipe } from "./ui/swipe.js";
import { mountLegend } from "./ui/legend.js";
import { mountIndicatorPanel } from "./ui/indicator-panel.js";
import { asTable, dataQuery, firstTable, loadPeriods, mountPeriods, refreshPeriods } from "./ui/periods.js";
import { mountChoices } from "./ui/choices.js";
import { mountCompleteness } from "./ui/completeness.js";
import { mountWeights } from "./ui/weights.js";
import { rescore } from "./ui/scores.js";
import { mountScoreStatus } from "./ui/score-status.js";
import { mountRanking } from "./ui/ranking.js";
import { mountChart } from "./ui/chart.js";
import { mountDetail } from "./ui/detail.js";
import { mountCandidates, candidateLayer } from "./ui/candidates.js";
import { mountScenarios } from "./ui/scenarios.js";
import { mountCompare, setCompareMode, forgetTables } from "./ui/compare.js";
import { mountPartners, partnerState } from "./ui/partners.js";
import { mountUpload } from "./ui/upload.js";
import { mountAuth } from "./ui/auth.js";
import { mountLayersPanel } from "./ui/layers-panel.js";
import { mountIntro } from "./ui/intro.js";
import { mountDrawers } from "./ui/drawers.js";
import { mountUrlState, readView } from "./ui/urlstate.js";
import { selectBuurt } from "./ui/selection.js";
// --- DIA areas and proposals (issue 9)
import { mountDia, buurtClick } from "./ui/dia.js";
import { areaLayerOf } from "./ui/dia-draw.js";
import { mountProposals } from "./ui/proposals.js";
import { mountProposalPanel } from "./ui/proposal-panel.js";
import { mountRankingExport } from "./ui/ranking-export.js";
import { restoreWeights } from "./ui/urlstate.js";

// inspected by the browser tests (and handy in the devtools console)
window.siaMap = {
  store,
  get map() { return getMap(); },
  get layer() { return getBuurtLayer(0); },
  get rightLayer() { return getBuurtLayer(1); },
  partner: partnerState,
  get candidates() { return candidateLayer(); },
  get diaArea() { return areaLayerOf(); }, // the drawn DIA area (issue 9)
};

async function init() {
  mountStatus();
  mountDrawers();
  mountIntro();
  const view = readView();
  const [config, meta] = await Promise.all([getJSON("/api/config"), getJSON("/api/meta")]);
  store.set({ config, meta });
  await mountAuth(); // sign-in, and which view the map shows (issue 10)
  createMap(config);
  const gm = config.gemeente;
  // the year, edition and period of the address (or the API's defaults) decide everything below
  const table = await firstTable(view);
  const year = { jaar: table.jaar, editie: table.editie };
  const [catalogue, buurten, wijken, layerInfo] = await Promise.all([
    getJSON(`/api/indicators${qs(dataQuery(view.periode ? table.periode : null))}`),
    getJSON(`/api/layers/buurten/features${qs({ gemeente: gm, ...year, properties: "buurtcode,buurtnaam,wijkcode,gemeentenaam" })}`),
    getJSON(`/api/layers/wijken/features${qs({ gemeente: gm, jaar: table.jaar })}`),
    getJSON("/api/layers"),
    loadPeriods(),
  ]);
  if (buurten.features.length === 0) {
    showMessage(`Geen buurten geladen voor ${gm}. Laad ze met 'sia load buurten'.`, true);
    return;
  }
  const names = new Map(buurten.features.map((f) => [f.properties.buurtcode, f.properties.buurtnaam]));
  const first = catalogue.some((i) => i.id === "lbm_score") ? "lbm_score" : catalogue[0]?.id;
  store.set({
    catalogue, layerInfo, buurten, names, table: asTable(table), periode: table.periode,
    indicator: view.indicator && (catalogue.some((i) => i.id === view.indicator) || view.indicator.startsWith("sia_")) ? view.indicator : first,
    classification: view.indeling || "quantile", classes: view.klassen || 5,
  });
  const naam = buurten.features[0].properties.gemeentenaam || gm;
  byId("gemeente-naam").textContent = `— ${naam}`;
  document.title = `SIA — ${naam}`;
  byId("sources").textContent = layerInfo.filter((l) => l.years.length).map((l) => `${l.title}: ${l.attribution} (${l.years.join(", ")})`).join(" · ");

  // a click on a buurt selects it, picks it ("buurten kiezen") or is the drawing tool's (DIA, issue 9)
  mountBuurten(buurten, wijken, buurtClick(selectBuurt));
  mountSwipe();
  mountLegend();
  mountIndicatorPanel();
  mountPeriods();
  mountChoices();
  mountCompleteness();
  mountLayersPanel();
  mountPartners();
  mountScoreStatus();
  mountRanking();
  mountChart();
  mountDetail();
  mountCandidates();
  mountScenarios();
  mountCompare();
  // DIA areas and proposals (issue 9)
  mountDia();
  mountProposals();
  mountProposalPanel();
  mountRankingExport();
  mountUpload({
    onLoaded: async (periode) => { // new data: new periods, values, scores and partner layers
      forgetTables();
      const catalogueNow = await getJSON(`/api/indicators${qs(dataQuery())}`);
      store.set({ catalogue: catalogueNow });
      await refreshPeriods(periode);
    },
  });
  document.body.dataset.ready = "true";

  try {
    await mountWeights({ profiel: view.profiel, methode: view.methode });
  } catch (err) {
    showMessage(`De wegingsprofielen konden niet worden geladen: ${err.message}`, true);
  }
  const firstScores = new Promise((resolve) => {
    const off = store.subscribe(["scores", "scoreStatus"], (s) => {
      if (s.get("scores") || s.get("scoreError")) { off(); resolve(); }
    });
  });
  restoreWeights(view.gewichten); // a shared link's weights (DIA, issue 9)
  rescore();
  if (view.buurt && names.has(view.buurt)) selectBuurt(view.buurt);
  if (view.voorstel) store.set({ proposal: Number(view.voorstel) }); // a shared link's open proposal (DIA, issue 9)
  if (view.vergelijk && view.vergelijk !== "uit") {
    if ([view.links, view.rechts].some((id) => id && id.startsWith("sia_"))) await firstScores; // score indicators exist once scored
    store.set({ compare: { ...store.get("compare"), links: view.links ?? null, rechts: view.rechts ?? null, indicator: view.vi ?? null,
      periodeA: view.pa ?? null, periodeB: view.pb ?? null, scenarioA: view.sa ?? null, scenarioB: view.sb ?? null } });
    setCompareMode(view.vergelijk);
  }
  mountUrlState(table.keuzes?.standaard?.periode ?? table.periode);
}

init().catch((err) => showMessage(`De kaart kon niet worden geladen: ${err.message}`, true));
