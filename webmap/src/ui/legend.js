// The legend of the map: one per side when comparing. Every row: colour, limits, count.

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { currentView, indicatorBasis } from "./indicators.js";
import { classCounts, CLASSIFICATIONS } from "../lib/classes.js";
import { formatLegendValue, formatNumber, formatSigned, plural } from "../lib/format.js";
import { syntheticNote } from "../lib/datatruth.js";

function rowLabel(scheme, c, unit) {
  if (c.label) return c.label;
  if (scheme.kind === "diverging") {
    if (c.exact === 0) return "0 (gelijk)";
    const digits = scheme.integer ? 0 : null;
    const f = (v) => (scheme.integer ? formatSigned(v, 0) : `${v > 0 ? "+" : v < 0 ? "−" : ""}${formatNumber(Math.abs(v), digits)}`);
    return c.lo === c.hi ? f(c.lo) : `${f(c.lo)} tot ${f(c.hi)}`;
  }
  return c.lo === c.hi ? formatLegendValue(c.lo, unit) : `${formatLegendValue(c.lo, unit)} – ${formatLegendValue(c.hi, unit)}`;
}

function hint(side) {
  const { scheme, indicator } = side;
  const unit = indicator.unit && !/^€|^%$/.test(indicator.unit) ? indicator.unit : "";
  const how = {
    sequential: CLASSIFICATIONS.find((c) => c.id === scheme.method)?.short,
    diverging: "verschil: gecentreerd op 0",
    probability: "vaste klassen voor een kans",
    categorical: "",
  }[scheme.kind];
  return [unit, how].filter(Boolean).join(" · ");
}

function legendFor(side, title) {
  const { scheme, values, indicator } = side;
  const { counts, missing } = classCounts(scheme, values.values());
  const rows = scheme.classes.map((c, i) => h("div", { class: "row", dataset: { class: String(i) } },
    h("span", { class: "swatch", style: { background: c.color } }),
    h("span", {}, `${rowLabel(scheme, c, indicator.unit)} (${counts[i]})`)));
  if (missing) {
    const what = indicator.id && indicator.id.startsWith("sia_") && indicator.id !== "sia_rangverschil" ? "niet gerangschikt" : "geen gegevens";
    rows.push(h("div", { class: "row", dataset: { class: "none" } },
      h("span", { class: "swatch", style: { background: scheme.noData } }),
      h("span", {}, `${what} (${plural(missing, "buurt", "buurten")})`)));
  }
  const stale = indicator.id?.startsWith("sia_") && store.get("scoreStatus") === "verouderd";
  return h("div", { class: "legend-side" },
    title ? h("div", { class: "side" }, title) : null,
    syntheticNote(indicator) ? h("div", { class: "synthetic synthetic-badge" }, syntheticNote(indicator)) : null, // which criteria, by name
    h("div", { class: "title", dataset: { indicator: indicator.id || "" } }, side.label),
    side.sub ? h("div", { class: "hint sub" }, side.sub) : null,
    h("div", { class: "hint" }, hint(side)),
    indicatorBasis(indicator) ? h("div", { class: "hint basis" }, indicatorBasis(indicator)) : null, // what it stands on (issue 8)
    stale ? h("div", { class: "hint error" }, "Verouderd: de laatste herberekening is mislukt.") : null,
    rows);
}

export function renderLegend() {
  const view = currentView();
  const el = byId("legend");
  if (view.sides.length === 0) { fill(el); return; }
  const titles = view.sides.length === 2 ? ["Links", "Rechts"] : [null];
  byId("legend-box").classList.toggle("two", view.sides.length === 2);
  fill(el, view.sides.map((side, i) => legendFor(side, titles[i])));
  // the first badge keeps the id the tests and screen readers know
  const badge = el.querySelector(".synthetic-badge");
  if (badge) badge.id = "synthetic-badge";
}

export function mountLegend() {
  let stale = false;
  store.subscribe(["indicator", "classification", "classes", "table", "scores", "comparison", "compare", "compareData", "catalogue"], renderLegend);
  store.subscribe(["scoreStatus"], (s) => { // only a change of staleness is drawn
    const now = s.get("scoreStatus") === "verouderd";
    if (now !== stale) { stale = now; renderLegend(); }
  });
  renderLegend();
}
