// Weight sliders: their range, and each weight's share of its axis (what the engine uses).

/** A round upper end for a slider: 10 for the usual 0–5 weights, 1 for fractions (consensus). */
export function sliderMax(weights) {
  const max = Math.max(0, ...Object.values(weights).filter(Number.isFinite));
  if (max === 0) return 10;
  const target = max * 2.5;
  const mag = 10 ** Math.floor(Math.log10(target));
  const norm = target / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

/** Share (0–1) of each criterion's weight within its axis; null when the axis sums to 0. */
export function axisShares(criteria, weights) {
  const totals = {};
  for (const c of criteria) totals[c.as] = (totals[c.as] || 0) + (weights[c.id] || 0);
  return Object.fromEntries(criteria.map((c) => [c.id, totals[c.as] > 0 ? (weights[c.id] || 0) / totals[c.as] : null]));
}

/** Parse a weight as typed ("0,137" or "0.137"); null when it is not a number from 0 to 1.000.000. */
export function parseWeight(text) {
  const s = String(text ?? "").trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 && n <= 1e6 ? n : null;
}

/** True when two weight objects hold exactly the same numbers for the same criteria. */
export function sameWeights(a, b) {
  const ka = Object.keys(a); const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.is(a[k], b[k]));
}
