import { test } from "node:test";
import assert from "node:assert/strict";
import { parseView, formatView, ID, BUURTCODE, PERIODE } from "../src/lib/url.js";

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
