// Colour ramps (ColorBrewer, colour-blind safe) and the colours of fixed categories.

export const NO_DATA = "#d9d9d9";

// sequential YlGnBu, 3–7 classes (light = low, dark = high)
export const SEQUENTIAL = {
  1: ["#41b6c4"],
  2: ["#a1dab4", "#225ea8"],
  3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
  4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
  5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
  6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
  7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
};

// diverging PuOr: orange = below zero (decrease), purple = above zero (increase); per side 1–4
// classes, from the neutral middle outwards
const PUOR_NEG = ["#fee0b6", "#fdb863", "#e08214", "#b35806"];
const PUOR_POS = ["#d8daeb", "#b2abd2", "#8073ac", "#542788"];
export const NEUTRAL = "#f7f7f7";

export function sequentialRamp(n) {
  const k = Math.max(1, Math.min(7, n));
  return SEQUENTIAL[k].slice();
}

/** n classes below zero, a neutral class for zero, n classes above: 2n + 1 colours, low to high. */
export function divergingRamp(n) {
  const k = Math.max(1, Math.min(4, n));
  const idx = k === 1 ? [1] : k === 2 ? [0, 2] : k === 3 ? [0, 1, 3] : [0, 1, 2, 3];
  return [...idx.map((i) => PUOR_NEG[i]).reverse(), NEUTRAL, ...idx.map((i) => PUOR_POS[i])];
}

// probability of a top place: light (never) to dark purple (always)
export const PROBABILITY = ["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"];

// the quadrants of urgency × potential (labels come from the API, GET /api/meta)
export const QUADRANT_COLORS = {
  kandidaat: "#7a0177", urgent: "#e6550d", kansrijk: "#3182bd", laag: "#fff7bc", // laag is not the grey of "no data"
  potentie_onbekend: "#a63603", urgentie_onbekend: "#08519c", // one axis without data: ranked on the other
};

// partner layers
export const LABEL_COLORS = { A: "#1a9850", B: "#66bd63", C: "#a6d96a", D: "#fee08b", E: "#fdae61", F: "#f46d43", G: "#d73027" };
export const PROJECT_COLORS = {
  nieuwbouw: "#1f78b4", renovatie: "#33a02c", sloop: "#e31a1c", transformatie: "#6a3d9a", verduurzaming: "#ff7f00",
};

/** WCAG relative luminance of "#rrggbb". */
export function luminance(hex) {
  const c = hex.replace("#", "");
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(c.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours (1–21). */
export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
