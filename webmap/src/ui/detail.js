// The buurt panel: name and codes, the SIA score with the contribution of each criterion, every
// indicator value, the CBS kerncijfers with Dutch labels, and the sources.

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { getJSON, qs } from "./api.js";
import { criterionLabel } from "./weights.js";
import { formatFixed, formatPercent, formatValue, humanise, humaniseUnit, plural } from "../lib/format.js";
import { QUADRANT_COLORS } from "../lib/colors.js";
import { formatAxis, isSynthetic, knownAxes, leftOutText, scoreBasis, syntheticById } from "../lib/datatruth.js";

const cache = new Map(); // buurtcode → GET /api/buurten/{code}
let shown = null;

function scoreBlock(code, s) {
  const scores = s.get("scores");
  if (!scores) return null;
  const b = scores.byCode.get(code);
  if (!b) return null;
  const stale = s.get("scoreStatus") === "verouderd" ? h("p", { class: "hint error" }, "Verouderd: de laatste herberekening is mislukt.") : null;
  if (b.rang === null) return h("div", { id: "detail-score" }, h("h4", {}, "SIA-score"), stale, h("p", { class: "hint" }, `Niet gerangschikt: ${b.reden}`));
  const c = scores.contrib.get(code) || {};
  const profile = s.get("profiles").find((p) => p.naam === s.get("profile"));
  const crit = (profile?.criteria || []).filter((k) => k.id in c);
  const max = Math.max(1e-9, ...crit.map((k) => Math.abs(c[k.id] || 0)));
  const result = scores.result;
  const quadrant = result.kwadranten?.[b.kwadrant] || s.get("meta").kwadranten.find((q) => q.id === b.kwadrant)?.label;
  const known = knownAxes(result);
  const synthetic = syntheticById(result);
  const tag = (on) => (on ? [" ", h("span", { class: "tag" }, "synthetisch")] : null);
  const rows = ["urgentie", "potentie"].map((axis) => [
    h("tr", { dataset: { as: axis } }, h("th", { colspan: "2", scope: "colgroup" },
      `${axis === "urgentie" ? "Urgentie" : "Potentie"} ${formatAxis(b[axis], known[axis])}`, known[axis] ? tag(isSynthetic(result, axis)) : null)),
    known[axis] ? crit.filter((k) => k.as === axis).map((k) => h("tr", {}, h("td", {}, criterionLabel(k), tag(synthetic.get(k.id))),
      h("td", { class: "v" }, h("span", { class: "bar", style: { width: `${Math.round((48 * Math.abs(c[k.id] || 0)) / max)}px` } }), formatFixed(c[k.id] || 0))))
      : h("tr", {}, h("td", { colspan: "2", class: "hint" }, `Geen ${axis}-criteria met gegevens: ${axis} is onbekend.`)),
  ]);
  const leftOut = leftOutText(result);
  const robust = scores.robust.get(code);
  const pr = scores.partnerRanks.get(code);
  const labels = scores.result.partnerprofielen?.partners || {};
  return h("div", { id: "detail-score" },
    h("h4", {}, `SIA-score: #${b.rang} · ${formatFixed(b.gecombineerd)}`, tag(isSynthetic(result))), stale,
    h("div", { class: "hint" }, h("span", { class: "qdot", style: { background: QUADRANT_COLORS[b.kwadrant] } }), quadrant || b.kwadrant),
    robust ? h("div", { class: "hint" }, `Kans op een plaats in de top ${scores.result.top_n}: ${formatPercent(100 * robust.p_top, 0)}`) : null,
    h("table", { class: "contrib" }, h("tbody", {}, rows)),
    h("div", { class: "hint" }, "Bijdragen tellen per as precies op tot de score."),
    leftOut.length ? h("div", { class: "hint weggelaten" }, `Weggelaten: ${leftOut.join("; ")}.`) : null,
    h("div", { class: "hint basis" }, `Gebaseerd op: ${scoreBasis(result).join(" · ")}.`),
    pr ? [h("h4", {}, `Rang per partnerprofiel (${pr.rang_min}–${pr.rang_max})`),
      h("table", { class: "contrib" }, h("tbody", {}, Object.entries(pr.rangen).sort((a, z) => a[1] - z[1])
        .map(([name, rank]) => h("tr", {}, h("td", {}, labels[name] || name), h("td", { class: "v" }, `#${rank}`)))))] : null);
}

function indicatorRows(code, b, s) {
  const row = s.get("table")?.rows.get(code) || {};
  const suppressed = s.get("table")?.onderdrukt;
  const hidden = suppressed && suppressed.buurten.includes(code) ? suppressed : null;
  return s.get("catalogue").map((i) => {
    const v = i.id in b ? b[i.id] : row[i.id];
    const value = hidden && hidden.velden.includes(i.id)
      ? h("span", { title: hidden.reden }, `onderdrukt (< ${plural(hidden.drempel, "woning", "woningen")})`)
      : formatValue(v ?? null, i.unit);
    const column = s.get("table")?.kolommen?.get(i.id); // synthetic per column of the shown period
    const synthetic = column ? column.synthetisch : i.synthetic;
    return h("tr", {}, h("td", {}, i.label, synthetic ? [" ", h("span", { class: "tag" }, "synthetisch")] : null), h("td", { class: "v" }, value));
  });
}

function kerncijfers(b, s) {
  const labels = s.get("meta").kerncijfers;
  const entries = Object.entries(b.kerncijfers || {}).map(([k, v]) => {
    const known = labels[k];
    return { label: known ? known.label : humanise(k), unit: known ? known.eenheid : humaniseUnit(k), value: v };
  }).sort((a, z) => a.label.localeCompare(z.label, "nl"));
  const isClass = (unit) => Boolean(unit) && /^klasse/.test(unit);
  return h("details", {}, h("summary", {}, `Alle kerncijfers (${entries.length})`),
    h("table", {}, h("tbody", {}, entries.map((e) => h("tr", {},
      h("td", {}, e.label, isClass(e.unit) ? h("span", { class: "unit" }, ` (${e.unit})`) : null),
      h("td", { class: "v" }, formatValue(e.value, e.unit)))))));
}

function render(code, b, s) {
  const lbm = b.bronnen.leefbaarometer ? `; ${b.bronnen.leefbaarometer}, editie ${b.lbm_editie}` : "; geen Leefbaarometer-score voor deze buurt";
  fill("detail-body",
    h("h3", { id: "detail-name", tabindex: "-1" }, b.buurtnaam || b.buurtcode),
    h("div", { class: "codes" }, `${b.buurtcode} · wijk ${b.wijkcode} · ${b.gemeentenaam || b.gemeentecode} · buurtindeling ${b.jaar}`),
    scoreBlock(code, s),
    h("h4", {}, "Indicatoren"),
    h("table", { class: "values" }, h("tbody", {}, indicatorRows(code, b, s))),
    kerncijfers(b, s),
    h("div", { class: "source" }, `Bron: ${b.bronnen.buurten}${lbm}.`, b.bron_bestand ? ` Geladen uit ${b.bron_bestand}.` : "", partnerSource(s)));
}

/** The partner deliveries behind the partner figures of the shown period (carried forward too). */
function partnerSource(s) {
  const t = s.get("table");
  if (!t?.periode || !t.leveringen?.length) return "";
  const used = t.leveringen.map((d) => (d.periode === t.periode ? d.partner : `${d.partner} (${d.periode})`));
  return ` Partnerdata: periode ${t.periode}, leveringen van ${used.join(", ")}.`;
}

async function show(s) {
  const code = s.get("selected");
  const panel = byId("detail");
  panel.hidden = !code;
  if (!code) { shown = null; return; }
  if (!cache.has(code)) {
    if (shown !== code) fill("detail-body", h("p", {}, "Laden…"));
    try {
      const t = s.get("table"); // the buurten year and Leefbaarometer edition the map shows
      cache.set(code, await getJSON(`/api/buurten/${encodeURIComponent(code)}${qs({ jaar: t?.jaar, editie: t?.editie })}`));
    } catch (err) {
      if (s.get("selected") === code) fill("detail-body", h("p", { class: "hint error" }, `Buurt ${code} kon niet worden geladen: ${err.message}`));
      return;
    }
  }
  if (s.get("selected") !== code) return; // another buurt was chosen meanwhile
  render(code, cache.get(code), s);
  if (shown !== code) document.body.dataset.detail = code;
  shown = code;
}

export function mountDetail() {
  byId("detail-close").addEventListener("click", () => store.set({ selected: null }));
  let stale = false;
  store.subscribe(["selected", "scores", "scoreStatus", "table", "catalogue"], (s, changed) => {
    const nowStale = s.get("scoreStatus") === "verouderd";
    if (changed.length === 1 && changed[0] === "scoreStatus" && nowStale === stale) return; // only "bezig"
    stale = nowStale;
    show(s);
  });
}
