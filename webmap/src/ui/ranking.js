// The ranking table. Keyboard: one tab stop for the whole table (the active row's buurt
// button); arrow up/down, Home and End move between rows; Enter or Space selects the buurt.

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { selectBuurt } from "./selection.js";
import { formatFixed, formatPercent } from "../lib/format.js";
import { QUADRANT_COLORS } from "../lib/colors.js";
import { formatAxis, knownAxes } from "../lib/datatruth.js";

let active = null; // buurtcode of the row that holds the tab stop

function row(b, s, cols, known) {
  const selected = b.buurtcode === s.get("selected");
  const button = h("button", {
    type: "button", class: "rowbutton", tabindex: b.buurtcode === active ? "0" : "-1",
    dataset: { code: b.buurtcode }, "aria-pressed": String(selected),
  }, b.buurtnaam);
  if (b.rang === null) {
    return h("tr", { dataset: { code: b.buurtcode } }, h("td", {}, "–"), h("td", {}, button),
      h("td", { colspan: String(3 + cols.length), class: "reden" }, b.reden));
  }
  const quadrant = { label: s.get("scores").result.kwadranten?.[b.kwadrant] || s.get("meta").kwadranten.find((q) => q.id === b.kwadrant)?.label };
  return h("tr", { dataset: { code: b.buurtcode }, class: selected ? "selected" : null },
    h("td", {}, String(b.rang)), h("td", {}, button),
    h("td", { class: "v" }, formatAxis(b.urgentie, known.urgentie)), h("td", { class: "v" }, formatAxis(b.potentie, known.potentie)),
    h("td", { class: "v" }, h("span", { class: "qdot", style: { background: QUADRANT_COLORS[b.kwadrant] }, title: quadrant?.label, "aria-label": quadrant?.label, role: "img" }), formatFixed(b.gecombineerd)),
    cols.map((c) => h("td", { class: "v" }, c.cell(b))));
}

export function renderRanking() {
  const s = store;
  const scores = s.get("scores");
  if (!scores) return;
  const { result } = scores;
  const cols = [];
  if (result.robuustheid) {
    cols.push({ head: h("th", { title: `kans op een plaats in de top ${result.top_n}`, scope: "col" }, "P(top)"),
      cell: (b) => (scores.robust.has(b.buurtcode) ? formatPercent(100 * scores.robust.get(b.buurtcode).p_top, 0) : "") });
  }
  if (result.partnerprofielen) {
    cols.push({ head: h("th", { title: "laagste en hoogste rang onder de partnerprofielen", scope: "col" }, "Partners"),
      cell: (b) => { const r = scores.partnerRanks.get(b.buurtcode); return r ? `${r.rang_min}–${r.rang_max}` : ""; } });
  }
  if (!active || !scores.byCode.has(active)) active = s.get("selected") && scores.byCode.has(s.get("selected")) ? s.get("selected") : result.buurten[0]?.buurtcode;
  const focused = document.activeElement?.classList.contains("rowbutton") ? document.activeElement.dataset.code : null;
  const table = h("table", {},
    h("caption", { class: "visually-hidden" }, "Ranglijst van de buurten; kies een buurt met de pijltjestoetsen en Enter"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "#"), h("th", { scope: "col" }, "Buurt"),
      h("th", { scope: "col", title: "urgentie" }, "Urg."), h("th", { scope: "col", title: "potentie" }, "Pot."),
      h("th", { scope: "col" }, "Score"), cols.map((c) => c.head))),
    h("tbody", {}, result.buurten.map((b) => row(b, s, cols, knownAxes(result))))); // an axis without data: "onbekend"
  fill("ranking", table);
  if (focused) byId("ranking").querySelector(`button[data-code="${focused}"]`)?.focus();
}

function move(from, delta) {
  const buttons = [...byId("ranking").querySelectorAll("button.rowbutton")];
  const i = buttons.indexOf(from);
  const next = delta === "home" ? buttons[0] : delta === "end" ? buttons.at(-1) : buttons[Math.max(0, Math.min(buttons.length - 1, i + delta))];
  if (!next) return;
  from.tabIndex = -1;
  next.tabIndex = 0;
  active = next.dataset.code;
  next.focus();
  next.scrollIntoView({ block: "nearest" });
}

export function mountRanking() {
  const el = byId("ranking");
  el.addEventListener("click", (e) => {
    const button = e.target.closest("button.rowbutton") || e.target.closest("tr[data-code]")?.querySelector("button.rowbutton");
    if (!button) return;
    active = button.dataset.code;
    selectBuurt(button.dataset.code, { zoom: true });
  });
  el.addEventListener("keydown", (e) => {
    const button = e.target.closest("button.rowbutton");
    if (!button) return;
    const delta = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: "home", End: "end" }[e.key];
    if (delta === undefined) return;
    e.preventDefault();
    move(button, delta);
  });
  store.subscribe(["scores", "selected", "meta"], (s, changed) => {
    const code = s.get("selected");
    if (changed.includes("selected") && code) active = code;
    renderRanking();
    if (changed.includes("selected") && code) byId("ranking").querySelector("tr.selected")?.scrollIntoView({ block: "nearest" });
  });
}
