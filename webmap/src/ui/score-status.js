// What the score panel says about the shown result: how many buurten are ranked, with which
// method, what was left out, and, when a re-score failed, that the result is stale and why.

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { plural } from "../lib/format.js";
import { leftOutText, scoreBasis } from "../lib/datatruth.js";

function render(s) {
  const scores = s.get("scores");
  const status = s.get("scoreStatus");
  const stale = status === "verouderd";
  byId("scores-panel").classList.toggle("stale", stale);
  byId("score-stale").hidden = !stale;
  if (stale) {
    fill("score-stale", h("strong", {}, "Verouderd. "),
      `Herberekenen met de nieuwe weging is mislukt: ${s.get("scoreError")}. `,
      "De ranglijst, de grafiek en de SIA-kaart tonen nog de vorige weging.");
  }
  const line = byId("score-status");
  line.className = `hint${stale || (status === "geen" && s.get("scoreError")) ? " error" : ""}`;
  if (!scores) {
    line.textContent = s.get("scoreError") ? `Scoren mislukt: ${s.get("scoreError")}` : "Scores worden berekend…";
    return;
  }
  const r = scores.result;
  const ranked = r.buurten.filter((b) => b.rang !== null).length;
  const excluded = r.buurten.length - ranked;
  const method = s.get("meta").methoden.find((m) => m.id === r.methode)?.label || r.methode;
  const parts = [
    `${plural(ranked, "buurt", "buurten")} gerangschikt${excluded ? `, ${plural(excluded, "buurt", "buurten")} uitgesloten (zie de ranglijst)` : ""}`,
    method,
  ];
  const leftOut = leftOutText(r);
  // what the ranking stands on; synthetic only where a weighed criterion is (lib/datatruth.js)
  fill(line, parts.join(" · "),
    r.melding ? [h("br"), h("span", { class: "melding" }, r.melding)] : null,
    h("br"), h("span", { class: "basis" }, `Gebaseerd op: ${scoreBasis(r).join(" · ")}`),
    leftOut.length ? [h("br"), h("span", { class: "weggelaten" }, `Weggelaten: ${leftOut.join("; ")}`)] : null);
}

export function mountScoreStatus() {
  store.subscribe(["scores", "scoreStatus", "scoreError"], render);
  render(store);
}
