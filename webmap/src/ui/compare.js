// Comparing: two indicators, two periods of one indicator, or two scenarios side by side with the
// swipe (ui/swipe.js), or the difference between two periods as one map with a diverging ramp
// centred on zero. Two periods or two scenarios share their classes, so equal colours mean
// equal values on both sides.

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { getJSON, qs } from "./api.js";
import { allIndicators, findIndicator, isPeriodic, valuesFor } from "./indicators.js";
import { scenarioLabel } from "./scenarios.js";
import { dataQuery } from "./periods.js";
import { syntheticBasis } from "../lib/datatruth.js";

export const MODES = [
  { id: "uit", label: "Niet vergelijken (één kaart)" },
  { id: "indicatoren", label: "Twee indicatoren (schuifkaart)" },
  { id: "perioden", label: "Twee perioden (schuifkaart)" }, // labels short enough for the select
  { id: "scenarios", label: "Twee scenario's (schuifkaart)" },
  { id: "verschil", label: "Verschilkaart van twee perioden" },
];

const tables = new Map(); //    periode → table (rows Map)
const scenarios = new Map(); // id → stored scenario
let seq = 0;

export async function tableFor(periode) {
  if (store.get("table")?.periode === periode) return store.get("table");
  if (!tables.has(periode)) {
    const t = await getJSON(`/api/indicators/table${qs(dataQuery(periode))}`); // the year and edition of the map
    tables.set(periode, { ...t, rows: new Map(t.rijen.map((r) => [r.buurtcode, r])) });
  }
  return tables.get(periode);
}

/** Forget fetched tables (after an upload the data of a period can change). */
export function forgetTables() { tables.clear(); }

/** An indicator as a period's table has it: synthetic or not in that period (kolommen: a Map or the API's list). */
function ofTable(ind, table) {
  const columns = table?.kolommen;
  const column = columns instanceof Map ? columns.get(ind.id) : (columns || []).find((k) => k.id === ind.id);
  return column ? { ...ind, synthetic: Boolean(column.synthetisch), column } : ind; // column: the legend's source line
}

async function scenario(id) {
  if (!scenarios.has(id)) scenarios.set(id, await getJSON(`/api/scenarios/${encodeURIComponent(id)}`));
  return scenarios.get(id);
}

// oldest first (the API lists the periods newest first; the order rule lives in layers/codes.py)
function orderedPeriods() {
  return [...(store.get("table")?.perioden || [])].reverse();
}

function defaults(mode, c) {
  const s = store;
  const indicator = s.get("indicator");
  const ps = orderedPeriods();
  const scs = s.get("scenarios");
  const periodic = s.get("catalogue").filter(isPeriodic);
  const next = { ...c, mode };
  if (mode === "indicatoren") {
    next.links = findIndicator(c.links) ? c.links : indicator;
    const other = allIndicators().find((i) => i.id !== next.links && (i.id === "sia_gecombineerd" || i.layer !== findIndicator(next.links)?.layer));
    next.rechts = findIndicator(c.rechts) && c.rechts !== next.links ? c.rechts : other?.id || null;
  }
  if (mode === "perioden" || mode === "verschil") {
    next.indicator = periodic.some((i) => i.id === c.indicator) ? c.indicator
      : periodic.some((i) => i.id === indicator) ? indicator : periodic[0]?.id || null;
    next.periodeB = ps.includes(c.periodeB) ? c.periodeB : ps.at(-1) || null;
    next.periodeA = ps.includes(c.periodeA) && c.periodeA !== next.periodeB ? c.periodeA : ps.at(-2) || null;
  }
  if (mode === "scenarios") {
    const ids = scs.map((sc) => String(sc.id)); // newest first
    next.scenarioB = ids.includes(c.scenarioB) ? c.scenarioB : ids[0] || null;
    next.scenarioA = ids.includes(c.scenarioA) && c.scenarioA !== next.scenarioB ? c.scenarioA : ids[1] || null;
  }
  return next;
}

function select(id, label, options, value, key) {
  const el = fillSelect(h("select", { id }), options, value);
  el.value = value ?? "";
  el.addEventListener("change", () => store.update("compare", (c) => ({ ...c, [key]: el.value })));
  return [h("label", { for: id }, label), el];
}

let shownControls = null; // what the controls were built for: rebuilt only when that changes

function renderControls() {
  const c = store.get("compare");
  byId("compare-mode").value = c.mode;
  const signature = JSON.stringify([c.mode, allIndicators().map((i) => i.id), orderedPeriods(), store.get("scenarios").map((sc) => sc.id)]);
  if (signature === shownControls) { // keep the focus: only set the values
    for (const [id, key] of [["compare-links", "links"], ["compare-rechts", "rechts"], ["compare-indicator", "indicator"],
      ["compare-periode-a", "periodeA"], ["compare-periode-b", "periodeB"], ["compare-scenario-a", "scenarioA"], ["compare-scenario-b", "scenarioB"]]) {
      const el = byId(id);
      if (el && c[key] !== null) el.value = c[key];
    }
    return;
  }
  shownControls = signature;
  const indicatorOptions = (list) => list.map((i) => ({ value: i.id, label: i.label }));
  const ps = orderedPeriods().map((p) => ({ value: p, label: p }));
  const scs = store.get("scenarios").map((sc) => ({ value: String(sc.id), label: scenarioLabel(sc) }));
  let controls = [];
  let note = "";
  if (c.mode === "indicatoren") {
    controls = [select("compare-links", "Links", indicatorOptions(allIndicators()), c.links, "links"),
      select("compare-rechts", "Rechts", indicatorOptions(allIndicators()), c.rechts, "rechts")];
    note = "Sleep de scheiding over de kaart (of gebruik de pijltjestoetsen op de schuif) om links en rechts te vergelijken.";
  } else if (c.mode === "perioden" || c.mode === "verschil") {
    controls = [select("compare-indicator", "Indicator", indicatorOptions(store.get("catalogue").filter(isPeriodic)), c.indicator, "indicator"),
      select("compare-periode-a", c.mode === "verschil" ? "Periode A (van)" : "Periode links", ps, c.periodeA, "periodeA"),
      select("compare-periode-b", c.mode === "verschil" ? "Periode B (naar)" : "Periode rechts", ps, c.periodeB, "periodeB")];
    note = ps.length < 2 ? "Er is maar één periode met partnerdata: vergelijken kan zodra er een tweede levering is."
      : c.mode === "verschil" ? "Verschil B − A per buurt. Paars: hoger in B; oranje: lager in B; wit: gelijk."
        : "Beide kanten gebruiken dezelfde klassen: dezelfde kleur is dezelfde waarde.";
  } else if (c.mode === "scenarios") {
    controls = [select("compare-scenario-a", "Scenario links", scs, c.scenarioA, "scenarioA"),
      select("compare-scenario-b", "Scenario rechts", scs, c.scenarioB, "scenarioB")];
    note = scs.length < 2 ? "Sla eerst twee scenario's op (onder 'Scenario's' in het scorepaneel)."
      : "De gecombineerde score van elk scenario, met dezelfde klassen aan beide kanten.";
  }
  fill("compare-controls", controls);
  byId("compare-note").textContent = note;
}

async function build(c) {
  const s = store;
  if (c.mode === "indicatoren") {
    const left = findIndicator(c.links); const right = findIndicator(c.rechts);
    if (!left || !right) return null;
    return { left: { indicator: left, values: valuesFor(left.id), label: left.label, sub: null },
      right: { indicator: right, values: valuesFor(right.id), label: right.label, sub: null }, shared: false };
  }
  if (c.mode === "perioden" || c.mode === "verschil") {
    const ind = findIndicator(c.indicator);
    if (!ind || !c.periodeA || !c.periodeB || c.periodeA === c.periodeB) return null;
    const [ta, tb] = await Promise.all([tableFor(c.periodeA), tableFor(c.periodeB)]);
    const a = valuesFor(ind.id, s, ta); const b = valuesFor(ind.id, s, tb);
    if (c.mode === "verschil") {
      const diff = new Map();
      for (const code of new Set([...a.keys(), ...b.keys()])) {
        const va = a.get(code); const vb = b.get(code);
        diff.set(code, typeof va === "number" && typeof vb === "number" ? vb - va : null);
      }
      const synthetic = Boolean(ofTable(ind, ta).synthetic || ofTable(ind, tb).synthetic); // either period
      return { diff: true, left: { indicator: { ...ind, id: `${ind.id}_verschil`, synthetic }, values: diff, label: `Verschil: ${ind.label}`, sub: `${c.periodeB} − ${c.periodeA}` } };
    }
    return { shared: true, left: { indicator: ofTable(ind, ta), values: a, label: ind.label, sub: c.periodeA },
      right: { indicator: ofTable(ind, tb), values: b, label: ind.label, sub: c.periodeB } };
  }
  if (c.mode === "scenarios") {
    if (!c.scenarioA || !c.scenarioB || c.scenarioA === c.scenarioB) return null;
    const [a, b] = await Promise.all([scenario(c.scenarioA), scenario(c.scenarioB)]);
    const ind = { ...(findIndicator("sia_gecombineerd") || { id: "sia_gecombineerd", label: "SIA: gecombineerde score", unit: "score 0–1" }), schaal: "score", layer: "sia" };
    const values = (sc) => new Map(sc.resultaat.buurten.map((r) => [r.buurtcode, r.gecombineerd ?? null]));
    const side = (sc) => {
      const basis = syntheticBasis(sc.resultaat); // the scenario's own criteria, not the shown weighting's
      return { indicator: { ...ind, ...basis, synthetic: basis.syntheticIn.length > 0 }, values: values(sc), label: `Scenario #${sc.id} '${sc.naam}'`, sub: ind.label };
    };
    return { shared: true, left: side(a), right: side(b) };
  }
  return null;
}

async function refresh() {
  const mine = ++seq;
  const c = store.get("compare");
  renderControls();
  if (c.mode === "uit") { store.set({ compareData: null }); return; }
  try {
    const data = await build(c);
    if (mine === seq) store.set({ compareData: data });
  } catch (err) {
    if (mine === seq) { store.set({ compareData: null }); byId("compare-note").textContent = `Vergelijken mislukt: ${err.message}`; }
  }
}

export function setCompareMode(mode) {
  store.set({ compare: defaults(mode, store.get("compare")) });
}

export function mountCompare() {
  fillSelect(byId("compare-mode"), MODES.map((m) => ({ value: m.id, label: m.label })), store.get("compare").mode);
  byId("compare-mode").addEventListener("change", (e) => setCompareMode(e.target.value));
  store.subscribe(["compare"], refresh);
  // the values of the current period or weighting changed: rebuild what depends on them
  store.subscribe(["table", "scores", "comparison", "scenarios", "catalogue"], () => {
    const c = store.get("compare");
    if (c.mode === "uit") { renderControls(); return; }
    const next = defaults(c.mode, c);
    if (JSON.stringify(next) !== JSON.stringify(c)) store.set({ compare: next }); else refresh();
  });
  renderControls();
}
