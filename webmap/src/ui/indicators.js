// The indicators the map can show and their values per buurt: the catalogue of the loaded
// layers (GET /api/indicators) plus the results of the weighting (labels from GET /api/meta),
// and the "view": what the map and the legend show, per side when comparing.

import { store } from "./state.js";
import { schemeFor } from "../lib/classes.js";
import { QUADRANT_COLORS } from "../lib/colors.js";
import { knownAxes, scoreBasis, singleAxis, syntheticBasis } from "../lib/datatruth.js";

const PERIODIC_LAYERS = new Set(["partnerdata", "raster"]);

/** The score indicators that exist for the shown result and options. */
function scoreIndicators(s) {
  const meta = s.get("meta");
  const scores = s.get("scores");
  if (!meta || !scores) return [];
  const have = {
    robuust: Boolean(scores.result.robuustheid),
    "partners-vergelijken": Boolean(scores.result.partnerprofielen),
    scenariovergelijking: Boolean(s.get("comparison")),
  };
  // an axis without data has no map (it would be all "onbekend"), nor has the quadrant
  const known = knownAxes(scores.result);
  const absent = new Set([!known.urgentie && "sia_urgentie", !known.potentie && "sia_potentie", singleAxis(scores.result) && "sia_kwadrant"]);
  // synthetic only where a weighed criterion of that score is synthetic
  const axisOf = { sia_urgentie: "urgentie", sia_potentie: "potentie" };
  return meta.score_indicatoren
    .filter((i) => (!i.nodig || have[i.nodig]) && !absent.has(i.id))
    .map((i) => {
      const basis = syntheticBasis(scores.result, axisOf[i.id] || null); // which criteria, for the legend
      return { ...i, layer: "sia", synthetic: basis.syntheticIn.length > 0, ...basis };
    });
}

let memoCatalogue = { catalogue: null, columns: null, out: null };

/** The catalogue, synthetic per column of the shown table (a period can differ from the default). */
function catalogueOfTable(s) {
  const catalogue = s.get("catalogue");
  const columns = s.get("table")?.kolommen;
  if (!columns || columns.size === 0) return catalogue;
  if (memoCatalogue.catalogue === catalogue && memoCatalogue.columns === columns) return memoCatalogue.out;
  const out = catalogue.map((i) => (columns.has(i.id) && columns.get(i.id).synthetisch !== i.synthetic ? { ...i, synthetic: columns.get(i.id).synthetisch } : i));
  memoCatalogue = { catalogue, columns, out };
  return out;
}
export function allIndicators(s = store) {
  return [...catalogueOfTable(s), ...scoreIndicators(s)];
}

export function findIndicator(id, s = store) {
  return allIndicators(s).find((i) => i.id === id) || null;
}

/** What an indicator's values stand on, in one line: its source and year, edition or period. */
export function indicatorBasis(ind, s = store) {
  if (!ind) return "";
  if (ind.layer === "sia") {
    const result = s.get("scores")?.result;
    return result ? `Gebaseerd op: ${scoreBasis(result).join(" · ")}` : "";
  }
  const col = ind.column || s.get("table")?.kolommen?.get(ind.id); // a compared period's own column
  if (!col) return ind.source ? `Bron: ${ind.source}` : "";
  const periods = col.laag === "raster" && col.perioden.length ? `, ${col.perioden.join(", ")}` : "";
  return `Bron: ${col.bron}${periods}`;
}

export function isPeriodic(ind) {
  return Boolean(ind) && PERIODIC_LAYERS.has(ind.layer);
}

export function categoriesFor(ind, s = store) {
  if (!ind || ind.schaal !== "categorie") return [];
  const labels = s.get("scores")?.result.kwadranten || {}; // the result's own labels (incl. one-axis quadrants)
  return (s.get("meta")?.kwadranten || []).map((q) => ({ ...q, label: labels[q.id] || q.label, color: QUADRANT_COLORS[q.id] || "#999999" }));
}

/** Values of a score indicator per buurt, from the shown result. */
function scoreValues(id, s) {
  const out = new Map();
  const scores = s.get("scores");
  if (id === "sia_rangverschil") {
    for (const r of s.get("comparison")?.buurten || []) out.set(r.buurtcode, r.rang_verschil === null ? null : -r.rang_verschil);
    return out;
  }
  if (!scores) return out;
  const field = { sia_gecombineerd: "gecombineerd", sia_urgentie: "urgentie", sia_potentie: "potentie", sia_kwadrant: "kwadrant" }[id];
  for (const b of scores.result.buurten) {
    if (field) out.set(b.buurtcode, b[field] ?? null);
    else if (id === "sia_p_top") out.set(b.buurtcode, scores.robust.has(b.buurtcode) ? 100 * scores.robust.get(b.buurtcode).p_top : null);
    else if (id === "sia_partner_bereik") out.set(b.buurtcode, scores.partnerRanks.get(b.buurtcode)?.bereik ?? null);
  }
  return out;
}

/** buurtcode → value of an indicator, from a table (default: the table of the chosen period). */
export function valuesFor(id, s = store, table = s.get("table")) {
  if (id && id.startsWith("sia_")) return scoreValues(id, s);
  const out = new Map();
  if (!table) return out;
  for (const [code, row] of table.rows) out.set(code, row[id] ?? null);
  return out;
}

function side(ind, values, label, sub, s, shared = null) {
  const scheme = shared || schemeFor(ind, [...values.values()], {
    method: s.get("classification"), k: s.get("classes"), categories: categoriesFor(ind, s),
  });
  return { indicator: ind, values, label, sub, scheme };
}

let memo = { key: null, view: null };

/**
 * What the map shows: { sides: [left, right?], mode }. Each side: indicator, values (Map),
 * label, sub (period, scenario) and scheme (classes and colours). Two sides when comparing with
 * the swipe; one side with a diverging scheme for a difference map.
 */
export function currentView(s = store) {
  const keys = ["indicator", "classification", "classes", "table", "scores", "comparison", "compare", "compareData", "catalogue", "meta"];
  const key = keys.map((k) => s.get(k));
  if (memo.key && memo.key.every((v, i) => v === key[i])) return memo.view;
  memo = { key, view: buildView(s) };
  return memo.view;
}

function buildView(s) {
  const compare = s.get("compare");
  const data = s.get("compareData");
  if (compare.mode !== "uit" && data) {
    if (data.diff) {
      const ind = { ...data.left.indicator, schaal: "verschil" };
      return { mode: compare.mode, sides: [side(ind, data.left.values, data.left.label, data.left.sub, s)] };
    }
    const sharedScheme = data.shared ? schemeFor(data.left.indicator,
      [...data.left.values.values(), ...data.right.values.values()],
      { method: s.get("classification"), k: s.get("classes"), categories: categoriesFor(data.left.indicator, s) }) : null;
    return {
      mode: compare.mode,
      sides: [
        side(data.left.indicator, data.left.values, data.left.label, data.left.sub, s, sharedScheme),
        side(data.right.indicator, data.right.values, data.right.label, data.right.sub, s, sharedScheme),
      ],
    };
  }
  const ind = findIndicator(s.get("indicator"), s);
  if (!ind) return { mode: "uit", sides: [] };
  return { mode: "uit", sides: [side(ind, valuesFor(ind.id, s), ind.label, null, s)] };
}
