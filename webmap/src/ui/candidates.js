// Candidate DIA areas for the shown weighting (POST /api/scores/candidates): dashed outlines with
// a tooltip that names the area's mean score and its buurten.

import { store } from "./state.js";
import { h, byId } from "./dom.js";
import { postJSON } from "./api.js";
import { getMap } from "./map.js";
import { requestBody } from "./scores.js";
import { formatFixed, formatInteger, plural } from "../lib/format.js";

const L = window.L;
let layer = null;
let seq = 0;

export function candidateTooltip(props, names) {
  const codes = String(props.buurtcodes || "").split(",").map((c) => c.trim()).filter(Boolean);
  const listed = codes.map((c) => names.get(c) || c);
  return h("div", { class: "candidate-tip" },
    h("strong", {}, `Kandidaatgebied ${props.gebied ?? ""}`.trim()),
    h("div", {}, `Gemiddelde score ${formatFixed(props.gem_score)} · ${plural(props.n_buurten ?? codes.length, "buurt", "buurten")} · ${formatInteger(props.inwoners)} inwoners`),
    h("div", { class: "names" }, listed.join(", ")),
    h("div", { class: "hint" }, props.methode_label || ""));
}

function draw(fc) {
  const map = getMap();
  if (layer) { map.removeLayer(layer); layer = null; }
  if (!fc) return;
  const names = store.get("names");
  layer = L.geoJSON(fc, {
    pane: "kandidaten",
    style: { color: "#7a0177", weight: 4, fill: false, dashArray: "8 4" }, // only the outline: buurten stay clickable
    onEachFeature: (f, lyr) => lyr.bindTooltip(() => candidateTooltip(f.properties, names), { sticky: true, className: "candidate-tooltip" }),
  }).addTo(map);
  layer.eachLayer((l) => l.getElement()?.setAttribute("tabindex", "-1"));
}

export async function loadCandidates() {
  const mine = ++seq;
  if (!store.get("options").kandidaten) { store.set({ candidates: null }); byId("kandidaten-note").textContent = ""; return; }
  try {
    const fc = await postJSON("/api/scores/candidates", requestBody());
    if (mine !== seq) return;
    store.set({ candidates: fc });
    byId("kandidaten-note").textContent = `${plural(fc.features.length, "kandidaatgebied", "kandidaatgebieden")} met de huidige weging${fc.synthetisch ? " (met synthetische partnerdata)" : ""}.`;
  } catch (err) {
    if (mine !== seq) return;
    store.set({ candidates: null });
    byId("kandidaten-note").textContent = `Geen kandidaatgebieden: ${err.message}`;
  }
}

export function mountCandidates() {
  byId("toggle-kandidaten").addEventListener("change", (e) => {
    store.update("options", (o) => ({ ...o, kandidaten: e.target.checked }));
    loadCandidates();
  });
  store.subscribe(["candidates"], (s) => draw(s.get("candidates")));
  store.subscribe(["scores"], () => { if (store.get("options").kandidaten) loadCandidates(); });
}

export function candidateLayer() { return layer; }
