// The completeness table of the shown period: per partner and layer the delivery that counts
// (current, or carried forward from an older period with its age), its number of records and
// whether it is synthetic; and the delivery versions the indicator table reads. From the
// indicator table's `volledigheid` and `leveringen` (GET /api/indicators/table).

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { findIndicator } from "./indicators.js";
import { completenessAge, listNames } from "../lib/datatruth.js";
import { formatInteger } from "../lib/format.js";

const HEAD = ["Partner", "Laag", "Status", "Levering van", "Leeftijd", "Aantal", "Synthetisch"];

function layerLabel(row) {
  return row.soort === "raster" ? `raster: ${findIndicator(row.laag)?.label || row.laag}` : row.laag;
}

/** The cells of a row: [class, content], in the order of HEAD (the class also lays out phones). */
function cells(r) {
  return [
    ["partner", r.partner], ["laag", layerLabel(r)], ["state", r.status], ["periode", r.periode ?? "–"], ["age", completenessAge(r)],
    ["v", r.aantal === null ? "–" : formatInteger(r.aantal)],
    ["synth", r.synthetisch ? h("span", { class: "tag" }, "synthetisch") : r.synthetisch === false ? "nee" : "–"],
  ];
}

function summary(t, c) {
  const isDefault = c.standaard;
  return [
    h("p", {}, `Periode ${t.periode}${isDefault ? " (standaard)" : " (niet de standaardperiode)"}: de kaart telt per partner en laag de nieuwste levering op of vóór deze periode.`),
    c.actueel.length ? h("p", {}, h("strong", {}, "Actueel: "), listNames(c.actueel), ".") : null,
    c.ontbrekend.length ? h("p", { class: "warn" }, h("strong", {}, "Niet geleverd voor deze periode: "), listNames(c.ontbrekend),
      " (hun vorige levering telt mee, doorgeschoven).") : null,
  ];
}

function render(s) {
  const t = s.get("table");
  const c = t?.volledigheid;
  byId("open-volledigheid").hidden = !c || c.rijen.length === 0;
  if (!c) return;
  fill("volledigheid-title", `Wie leverde wat voor ${t.periode ?? "deze periode"}`);
  fill("volledigheid-body",
    summary(t, c),
    h("table", { class: "completeness" },
      h("thead", {}, h("tr", {}, HEAD.map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, c.rijen.map((r) => h("tr", { class: `status-${r.status}`, dataset: { partner: r.partner, laag: r.laag, status: r.status } },
        cells(r).map(([cls, value], i) => h("td", { class: cls, dataset: { label: HEAD[i] } }, value)))))),
    t.leveringen.length ? [h("h3", {}, "Leveringen die de kaart nu leest"),
      h("ul", { class: "used" }, t.leveringen.map((d) => h("li", {}, `${d.partner}: ${d.periode}, versie ${d.versie}`)))] : null);
}

export function mountCompleteness() {
  const dialog = byId("volledigheid-dialog");
  byId("open-volledigheid").addEventListener("click", () => { if (!dialog.open) dialog.showModal(); });
  byId("volledigheid-close").addEventListener("click", () => dialog.close());
  store.subscribe(["table", "catalogue"], render);
  render(store);
}
