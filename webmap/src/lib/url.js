// The view in the address (the part after #), so a view can be bookmarked and shared:
// "#indicator=lbm_score&klassen=4&buurt=BU01530000". Only declared keys, only valid values,
// only values that differ from the default are written.

export const ID = /^[a-z][a-z0-9_]{0,62}$/;
export const BUURTCODE = /^BU\d{4}[0-9A-Z]{4}$/;
export const PERIODE = /^\d{4}-(voorjaar|najaar)$/;
export const SCENARIO_ID = /^[1-9]\d{0,9}$/;
export const VOORSTEL_ID = SCENARIO_ID; // a DIA proposal's id

// --- weights in the address (DIA, issue 9): "lbm_score:3,aandeel_label_efg:0.5" --------------
const WEIGHT = /^(\d+(\.\d+)?|\.\d+)(e-?\d+)?$/i;

/** "id:weight,…" of a weights object, exactly as the engine gets them (no rounding). */
export function formatWeights(weights) {
  return Object.entries(weights || {}).map(([id, w]) => `${id}:${String(w)}`).join(",");
}

/** The weights object of "id:weight,…"; undefined when any part is not a criterion id and a weight 0–1e6. */
export function parseWeights(text) {
  const out = {};
  const parts = String(text ?? "").split(",");
  if (!text || parts.length > 200) return undefined;
  for (const part of parts) {
    const [id, w, extra] = part.split(":");
    if (extra !== undefined || !ID.test(id || "") || !WEIGHT.test(w || "")) return undefined;
    const n = Number(w);
    if (!Number.isFinite(n) || n > 1e6 || Object.hasOwn(out, id)) return undefined;
    out[id] = n;
  }
  return out;
}

/**
 * A schema maps a key in the address to { pattern | values | integer: [min, max] | weights, default }.
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
  if (spec.weights) return parseWeights(raw);
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
    const text = spec.weights ? formatWeights(v) : String(v);
    if (validate(text, spec) === undefined) continue;
    params.set(key, text);
  }
  const s = params.toString();
  return s ? `#${s}` : "";
}
