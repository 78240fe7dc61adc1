// The indicator choice: which indicator colours the buurten, its classes, and help on it
// (definition, source, edition, direction, unit).

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { allIndicators, findIndicator, currentView } from "./indicators.js";
import { CLASSIFICATIONS, CLASS_COUNTS } from "../lib/classes.js";
import { syntheticNote } from "../lib/datatruth.js";

const SIA_GROUP = "SIA-score (met de weging van het scorepaneel)";

function groups(s) {
  const titles = Object.fromEntries(s.get("layerInfo").map((l) => [l.id, l.title]));
  const out = new Map();
  for (const ind of allIndicators(s)) {
    const layer = ind.layer;
    if (!out.has(layer)) out.set(layer, []);
    out.get(layer).push(ind);
  }
  return [...out.entries()].map(([layer, items]) => ({
    group: `${layer === "sia" ? SIA_GROUP : titles[layer] || layer}${items.some((i) => i.synthetic) ? " (synthetisch)" : ""}`,
    options: items.map((i) => ({ value: i.id, label: `${i.label}${i.synthetic ? " — synthetisch" : ""}` })),
  }));
}

/** Edition or period an indicator stands on, in words. */
export function editionOf(ind, s = store) {
  const table = s.get("table");
  const years = Object.fromEntries(s.get("layerInfo").map((l) => [l.id, l.years]));
  if (ind.layer === "buurten") return `CBS Wijk- en buurtkaart, buurtindeling ${table?.jaar ?? "onbekend"}`;
  if (ind.layer === "leefbaarometer") return `Leefbaarometer, editie ${(years.leefbaarometer || []).join(", ") || "onbekend"}`;
  if (ind.layer === "partnerdata" || ind.layer === "raster") return `Periode ${table?.periode ?? "onbekend"} (nieuwste levering per partner)`;
  if (ind.layer === "sia") {
    const r = s.get("scores")?.result;
    if (ind.id === "sia_rangverschil") {
      const c = s.get("comparison");
      return c ? `Scenario #${c.a.id} '${c.a.naam}' → #${c.b.id} '${c.b.naam}'` : "";
    }
    const method = s.get("meta").methoden.find((m) => m.id === r?.methode)?.label || r?.methode;
    return r ? `Weging ${r.profiel_label}, ${method}; gegevens van ${r.periode || "de nieuwste periode"}, buurtindeling ${r.jaar}` : "";
  }
  return "";
}

function directionOf(ind, s = store) {
  const meta = s.get("meta");
  if (ind.layer === "sia") return ind.id === "sia_gecombineerd" ? meta.richtingen.score : "";
  const dir = meta.indicator_richting[ind.id] || "beschrijvend";
  return meta.richtingen[dir];
}

function renderHelp(ind) {
  const s = store;
  const rows = [
    ["Wat", ind.description || ind.label],
    ["Bron", ind.layer === "sia" ? "Berekend met de SIA-weging in deze kaart (POST /api/scores)" : [ind.source, ind.attribution].filter(Boolean).join(" — ")],
    ["Editie", editionOf(ind, s)],
    ["Richting", directionOf(ind, s)],
    ["Eenheid", ind.unit || "geen (een klasse of categorie)"],
    ["Let op", syntheticNote(ind)], // which criteria rest on synthetic data, by name (none: no row)
  ].filter((r) => r && r[1]);
  fill("indicator-help", h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])));
}

function update() {
  const s = store;
  const select = byId("indicator");
  fillSelect(select, groups(s), s.get("indicator"));
  let id = s.get("indicator");
  const scoresComing = !s.get("scores") && s.get("scoreStatus") !== "verouderd";
  if (!findIndicator(id, s) && !(id?.startsWith("sia_") && scoresComing)) { // gone (e.g. the robustness was switched off): back to the score or the first
    id = findIndicator("sia_gecombineerd", s) ? "sia_gecombineerd" : allIndicators(s)[0]?.id;
    if (id) { select.value = id; s.set({ indicator: id }); return; }
  }
  select.value = id;
  const ind = findIndicator(id, s);
  if (!ind) return;
  byId("indicator-description").textContent = ind.description || "";
  renderHelp(ind);
  const view = currentView(s);
  byId("class-controls").hidden = view.mode !== "uit" ? false : view.sides[0]?.scheme.kind !== "sequential";
}

export function mountIndicatorPanel() {
  fillSelect(byId("classification"), CLASSIFICATIONS.map((c) => ({ value: c.id, label: c.label })), store.get("classification"));
  fillSelect(byId("classes"), CLASS_COUNTS.map((n) => ({ value: String(n), label: String(n) })), String(store.get("classes")));
  byId("indicator").addEventListener("change", (e) => store.set({ indicator: e.target.value }));
  byId("classification").addEventListener("change", (e) => store.set({ classification: e.target.value }));
  byId("classes").addEventListener("change", (e) => store.set({ classes: Number(e.target.value) }));
  const toggle = byId("indicator-help-toggle");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    byId("indicator-help").hidden = !open;
  });
  store.subscribe(["catalogue", "scores", "comparison", "meta", "layerInfo", "indicator", "table", "compare", "compareData"], update);
  store.subscribe(["classification"], (s) => { byId("classification").value = s.get("classification"); });
  store.subscribe(["classes"], (s) => { byId("classes").value = String(s.get("classes")); });
  update();
}
