// Classification of indicator values into coloured classes ("schemes"), for the map and legend.
// A scheme is plain data: { kind, classes: [{ lo, hi, color, label? }], noData }, plus classOf().
//   sequential  quantiles, natural breaks (Jenks) or equal intervals, light = low
//   diverging   symmetric around zero with a neutral class for exactly zero (changes, differences)
//   probability fixed classes for 0–100 % (never, rarely, …, always), whatever the data
//   categorical one colour per category (the quadrants)

import { quantile, ckmeans, equalIntervalBreaks } from "/vendor/simple-statistics/simple-statistics.mjs";
import { NO_DATA, divergingRamp, sequentialRamp, PROBABILITY } from "./colors.js";

export const CLASSIFICATIONS = [
  { id: "quantile", label: "Kwantielen (gelijke aantallen)", short: "kwantielen" },
  { id: "jenks", label: "Natuurlijke grenzen (Jenks)", short: "natuurlijke grenzen" },
  { id: "equal", label: "Gelijke intervallen", short: "gelijke intervallen" },
];
export const CLASS_COUNTS = [3, 4, 5, 6, 7];

export function finite(values) {
  return [...values].filter((v) => typeof v === "number" && Number.isFinite(v));
}

/** Class limits [min, …inner…, max] of the finite values; empty classes are dropped. */
export function classBreaks(values, method, k) {
  const sorted = finite(values).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const distinct = new Set(sorted).size;
  let inner;
  if (distinct === 1) inner = [];
  else if (method === "jenks") {
    // upper limits are inclusive, so a class ends at the last value of its cluster
    const clusters = ckmeans(sorted, Math.min(k, distinct));
    inner = clusters.slice(0, -1).map((c) => c[c.length - 1]);
  } else if (method === "equal") {
    inner = equalIntervalBreaks(sorted, k).slice(1, -1);
  } else {
    inner = Array.from({ length: k - 1 }, (_, i) => quantile(sorted, (i + 1) / k));
  }
  const breaks = [sorted[0], ...inner, sorted[sorted.length - 1]];
  const out = breaks.filter((b, i) => i === 0 || b > breaks[i - 1]);
  return out.length === 1 ? [out[0], out[0]] : out;
}

/** Index of the class of value in breaks (upper limits inclusive), -1 when missing. */
export function classOf(value, breaks) {
  if (typeof value !== "number" || !Number.isFinite(value) || breaks.length < 2) return -1;
  for (let i = 1; i < breaks.length; i += 1) if (value <= breaks[i]) return i - 1;
  return breaks.length - 2;
}

function byRanges(classes) {
  return (v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return -1;
    for (let i = 0; i < classes.length; i += 1) {
      const c = classes[i];
      if (c.exact !== undefined ? v === c.exact : (c.loOpen ? v > c.lo : v >= c.lo) && (c.hiOpen ? v < c.hi : v <= c.hi)) return i;
    }
    return -1;
  };
}

export function sequentialScheme(values, method, k) {
  const breaks = classBreaks(values, method, k);
  if (breaks.length < 2) return { kind: "sequential", method, classes: [], noData: NO_DATA, classOf: () => -1 };
  const n = breaks.length - 1;
  const colors = sequentialRamp(n);
  const classes = colors.map((color, i) => ({ lo: breaks[i], hi: breaks[i + 1], color }));
  return { kind: "sequential", method, breaks, classes, noData: NO_DATA, classOf: (v) => classOf(v, breaks) };
}

/**
 * Classes symmetric around zero: `perSide` equal steps up to the largest absolute value on each
 * side, and a neutral class for exactly zero. Integers (rank changes) get whole-number limits.
 */
export function divergingScheme(values, perSide = 3) {
  const vals = finite(values);
  const max = Math.max(0, ...vals.map(Math.abs));
  const integer = vals.every(Number.isInteger);
  if (max === 0) {
    return { kind: "diverging", classes: [{ exact: 0, lo: 0, hi: 0, color: divergingRamp(1)[1] }], noData: NO_DATA,
      classOf: (v) => (v === 0 ? 0 : -1) };
  }
  const n = integer ? Math.max(1, Math.min(perSide, max)) : perSide;
  const colors = divergingRamp(n);
  const edge = (i) => (integer ? Math.ceil((max * i) / n) : (max * i) / n);
  const neg = []; const pos = [];
  for (let i = n; i >= 1; i -= 1) { // outermost first
    neg.push(integer ? { lo: -edge(i), hi: -(edge(i - 1) + 1) } : { lo: -edge(i), hi: -edge(i - 1), hiOpen: true });
  }
  for (let i = 1; i <= n; i += 1) {
    pos.push(integer ? { lo: edge(i - 1) + 1, hi: edge(i) } : { lo: edge(i - 1), hi: edge(i), loOpen: true });
  }
  const classes = [...neg, { exact: 0, lo: 0, hi: 0 }, ...pos].map((c, i) => ({ ...c, color: colors[i] }));
  return { kind: "diverging", integer, max, classes, noData: NO_DATA, classOf: byRanges(classes) };
}

/** Fixed classes for a probability in percent: never, rare, …, always. */
export const PROBABILITY_CLASSES = [
  { exact: 0, lo: 0, hi: 0, label: "0% (nooit)" },
  { lo: 0, hi: 25, loOpen: true, label: "minder dan 25%" },
  { lo: 25, hi: 50, loOpen: true, label: "25–50%" },
  { lo: 50, hi: 75, loOpen: true, label: "50–75%" },
  { lo: 75, hi: 100, loOpen: true, hiOpen: true, label: "75% of meer" },
  { exact: 100, lo: 100, hi: 100, label: "100% (altijd)" },
];

export function probabilityScheme() {
  const classes = PROBABILITY_CLASSES.map((c, i) => ({ ...c, color: PROBABILITY[i] }));
  return { kind: "probability", classes, noData: NO_DATA, classOf: byRanges(classes) };
}

export function categoricalScheme(categories) {
  const classes = categories.map((c) => ({ value: c.id, label: c.label, color: c.color }));
  const index = new Map(classes.map((c, i) => [c.value, i]));
  return { kind: "categorical", classes, noData: NO_DATA, classOf: (v) => (index.has(v) ? index.get(v) : -1) };
}

/** The scheme that fits an indicator: by its scale ("kans", "verschil", "categorie") or sequential. */
export function schemeFor(indicator, values, { method = "quantile", k = 5, categories = [] } = {}) {
  if (indicator.schaal === "categorie") return categoricalScheme(categories);
  if (indicator.schaal === "kans") return probabilityScheme();
  if (indicator.schaal === "verschil") return divergingScheme(values);
  return sequentialScheme(values, method, k);
}

/** Colour of a value under a scheme. */
export function colorOf(scheme, value) {
  const i = scheme.classOf(value);
  return i < 0 ? scheme.noData : scheme.classes[i].color;
}

/** Count of values per class, and the missing ones. */
export function classCounts(scheme, values) {
  const counts = scheme.classes.map(() => 0);
  let missing = 0;
  for (const v of values) {
    const i = scheme.classOf(v);
    if (i < 0) missing += 1; else counts[i] += 1;
  }
  return { counts, missing };
}
