import { test } from "node:test";
import assert from "node:assert/strict";
import { parseView, formatView, formatWeights, parseWeights, ID, BUURTCODE, PERIODE, VOORSTEL_ID } from "../src/lib/url.js";

const schema = {
  indicator: { pattern: ID, default: "lbm_score" },
  klassen: { integer: [3, 7], default: 5 },
  indeling: { values: ["quantile", "jenks", "equal"], default: "quantile" },
  buurt: { pattern: BUURTCODE, default: null },
  periode: { pattern: PERIODE, default: null },
};

test("a view round-trips through the address", () => {
  const view = { indicator: "aandeel_label_efg", klassen: 4, indeling: "jenks", buurt: "BU01530000", periode: "2026-voorjaar" };
  assert.deepEqual(parseView(formatView(view, schema), schema), view);
});

test("defaults are left out of the address", () => {
  assert.equal(formatView({ indicator: "lbm_score", klassen: 5, indeling: "quantile" }, schema), "");
  assert.equal(formatView({ klassen: 3 }, schema), "#klassen=3");
});

test("invalid or unknown values in the address are ignored, never passed on", () => {
  const got = parseView("#indicator=<script>&klassen=99&indeling=x&buurt=BU0153&onbekend=1&periode=2026-zomer", schema);
  assert.deepEqual(got, {});
  assert.deepEqual(parseView("", schema), {});
  assert.deepEqual(parseView("#klassen=3.5", schema), {});
});

// --- weights and the open proposal in the address (DIA, issue 9)
const diaSchema = {
  gewichten: { weights: true, default: null },
  voorstel: { pattern: VOORSTEL_ID, default: null },
};

test("weights round-trip exactly through the address, fractions included", () => {
  const gewichten = { lbm_score: 3, aandeel_label_efg: 0.1373, investering_per_woning: 0.2727272727272727, gem_conditie: 0 };
  const hash = formatView({ gewichten, voorstel: 12 }, diaSchema);
  assert.match(hash, /^#gewichten=/);
  assert.deepEqual(parseView(hash, diaSchema), { gewichten, voorstel: "12" });
  assert.equal(formatWeights({ a: 1e-7 }), "a:1e-7");
  assert.deepEqual(parseWeights("a:1e-7"), { a: 1e-7 });
});

test("weights that are not criterion ids with a weight from 0 to 1e6 are ignored as a whole", () => {
  for (const bad of ["lbm_score:-1", "lbm_score:abc", "Lbm:1", "lbm_score:1:2", "lbm_score:2e7", "a:1,a:2",
    "constructor:1,constructor:2", "lbm_score", ":1", "a:1,"]) {
    assert.equal(parseWeights(bad), undefined, bad);
    assert.deepEqual(parseView(`#gewichten=${encodeURIComponent(bad)}`, diaSchema), {}, bad);
  }
  assert.equal(formatView({ gewichten: {} }, diaSchema), "");
  assert.equal(formatView({ gewichten: { a: Number.NaN } }, diaSchema), "");
  assert.deepEqual(parseView("#voorstel=0&gewichten=", diaSchema), {});
});
