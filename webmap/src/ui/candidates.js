// Candidate DIA areas for the shown weighting (POST /api/scores/candidates) on the score the user
// picks (gecombineerd, urgentie or potentie; only scores with data are offered): dashed outlines
// with a tooltip that names the area's mean score and its buurten, and below the toggle the
// method that formed them and its parameters. When Gi* finds no significant area the map says
// so, and the fallback it shows (the top group) is labelled as such.

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { postJSON } from "./api.js";
import { getMap } from "./map.js";
import { requestBody } from "./scores.js";
import { formatFixed, formatInteger, plural } from "../lib/format.js";
import { candidateParameters, knownAxes } from "../lib/datatruth.js";

const L = window.L;
let layer = null;
let seq = 0;

export function candidateTooltip(props, names) {
  const codes = String(props.buurtcodes || "").split(",").map((c) => c.trim()).filter(Boolean);
  const listed = codes.map((c) => names.get(c) || c);
  const inhabitants = props.inwoners === null || props.inwoners === undefined ? "inwoners onbekend" : `${formatInteger(props.inwoners)} inwoners`;
  return h("div", { class: "candidate-tip" },
    h("strong", {}, `Kandidaatgebied ${props.gebied ?? ""}`.trim()),
    h("div", {}, `Gemiddelde score ${formatFixed(props.gem_score)} · ${plural(props.n_buurten ?? codes.length, "buurt", "buurten")} · ${inhabitants}`),
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
    // only the outline: buurten stay clickable; a fallback is drawn finer than Gi* hot spots
    style: { color: "#7a0177", weight: fc.terugval ? 3 : 4, fill: false, dashArray: fc.terugval ? "3 5" : "8 4" },
    onEachFeature: (f, lyr) => lyr.bindTooltip(() => candidateTooltip(f.properties, names), { sticky: true, className: "candidate-tooltip" }),
  }).addTo(map);
  layer.eachLayer((l) => l.getElement()?.setAttribute("tabindex", "-1"));
}

function axisLabel(id) {
  return (store.get("meta").kandidaat_assen || []).find((a) => a.id === id)?.label || id;
}

function methodLabel(id) {
  return (store.get("meta").kandidaat_methoden || []).find((m) => m.id === id)?.label || id;
}

/** What formed the areas: the score, the method (a fallback said so), its parameters, the API's note. */
function describe(fc) {
  const params = candidateParameters(fc.parameters, fc.gebruikt);
  return [
    h("div", { class: "kandidaten-methode" }, `Op ${axisLabel(fc.as)} · ${fc.terugval ? "terugval: " : ""}${methodLabel(fc.gebruikt)}`),
    // the API says in Dutch what Gi* found and what is shown instead
    fc.melding ? h("div", { class: fc.terugval ? "warn kandidaten-melding" : "kandidaten-melding" },
      fc.terugval ? h("strong", {}, "Geen significante hotspot. ") : null, fc.melding) : null,
    params.length ? h("div", { class: "kandidaten-parameters" }, `Parameters: ${params.join(" · ")}`) : null,
  ];
}

export async function loadCandidates() {
  const mine = ++seq;
  if (!store.get("options").kandidaten) {
    store.set({ candidates: null });
    byId("kandidaten-note").textContent = "";
    fill("kandidaten-info");
    return;
  }
  try {
    const fc = await postJSON("/api/scores/candidates", { ...requestBody(), as: store.get("candidateAxis") });
    if (mine !== seq) return;
    store.set({ candidates: fc });
    const what = fc.terugval ? " (terugval, geen hotspots)" : "";
    byId("kandidaten-note").textContent = `${plural(fc.features.length, "kandidaatgebied", "kandidaatgebieden")}${what} met de huidige weging${fc.synthetisch ? " (met synthetische partnerdata)" : ""}.`;
    fill("kandidaten-info", describe(fc));
  } catch (err) {
    if (mine !== seq) return;
    store.set({ candidates: null });
    byId("kandidaten-note").textContent = `Geen kandidaatgebieden: ${err.message}`;
    fill("kandidaten-info");
  }
}

/** The scores candidate areas can be formed on: those with data in the shown result. */
function offerAxes(s) {
  const select = byId("kandidaten-as");
  const result = s.get("scores")?.result;
  const known = result ? knownAxes(result) : { urgentie: true, potentie: true };
  const axes = (s.get("meta").kandidaat_assen || [{ id: "gecombineerd", label: "gecombineerde score" }])
    .filter((a) => (a.id === "gecombineerd" ? known.urgentie && known.potentie : known[a.id]));
  fillSelect(select, axes.map((a) => ({ value: a.id, label: a.label[0].toUpperCase() + a.label.slice(1) })), s.get("candidateAxis"));
  if (!axes.some((a) => a.id === s.get("candidateAxis"))) {
    select.value = axes[0].id;
    store.set({ candidateAxis: axes[0].id });
  }
}

export function mountCandidates() {
  byId("toggle-kandidaten").addEventListener("change", (e) => {
    store.update("options", (o) => ({ ...o, kandidaten: e.target.checked }));
    byId("kandidaten-opties").hidden = !e.target.checked;
    loadCandidates();
  });
  byId("kandidaten-as").addEventListener("change", (e) => { store.set({ candidateAxis: e.target.value }); loadCandidates(); });
  offerAxes(store);
  store.subscribe(["candidates"], (s) => draw(s.get("candidates")));
  store.subscribe(["scores"], (s) => { offerAxes(s); if (store.get("options").kandidaten) loadCandidates(); });
}

export function candidateLayer() { return layer; }
