// The view in the address (the part after #), so a view can be bookmarked and shared:
// "#indicator=lbm_score&klassen=4&buurt=BU01530000". Only declared keys, only valid values,
// only values that differ from the default are written.

export const ID = /^[a-z][a-z0-9_]{0,62}$/;
export const BUURTCODE = /^BU\d{4}[0-9A-Z]{4}$/;
export const PERIODE = /^\d{4}-(voorjaar|najaar)$/;
export const SCENARIO_ID = /^[1-9]\d{0,9}$/;

/**
 * A schema maps a key in the address to { pattern | values | integer: [min, max], default }.
 * parseView returns the valid keys of the hash (others are ignored, never an error).
 */
export function parseView(hash, schema) {
  const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const out = {};
  for (const [key, spec] of Object.entries(schema)) {
    if (!params.has(key)) continue;
    const raw = params.get(key);
    const value = validate(raw, spec);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function validate(raw, spec) {
  if (spec.values) return spec.values.includes(raw) ? raw : undefined;
  if (spec.integer) {
    const n = Number(raw);
    const [lo, hi] = spec.integer;
    return Number.isInteger(n) && n >= lo && n <= hi ? n : undefined;
  }
  if (spec.pattern) return spec.pattern.test(raw) ? raw : undefined;
  return undefined;
}

/** "#key=value&…" of the values that are valid and not the default ("" when all are default). */
export function formatView(view, schema) {
  const params = new URLSearchParams();
  for (const [key, spec] of Object.entries(schema)) {
    const v = view[key];
    if (v === undefined || v === null || v === spec.default) continue;
    if (validate(String(v), spec) === undefined) continue;
    params.set(key, String(v));
  }
  const s = params.toString();
  return s ? `#${s}` : "";
}
