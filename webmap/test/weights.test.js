import { test } from "node:test";
import assert from "node:assert/strict";
import { sliderMax, axisShares, parseWeight, sameWeights } from "../src/lib/weights.js";

test("the slider range fits the weights: 0–10 for whole weights, 0–1 for fractions", () => {
  assert.equal(sliderMax({ a: 1, b: 3 }), 10);
  assert.equal(sliderMax({ a: 0.137, b: 0.31 }), 1);
  assert.equal(sliderMax({ a: 0, b: 0 }), 10);
  const consensus = { a: 0.0912, b: 0.2727 };
  for (const w of Object.values(consensus)) assert.ok(w <= sliderMax(consensus) && w / sliderMax(consensus) > 0.05);
});

test("shares are per axis and add up to 1", () => {
  const criteria = [{ id: "a", as: "urgentie" }, { id: "b", as: "urgentie" }, { id: "c", as: "potentie" }];
  const s = axisShares(criteria, { a: 1, b: 3, c: 0 });
  assert.equal(s.a, 0.25);
  assert.equal(s.b, 0.75);
  assert.equal(s.c, null); // the axis sums to zero
});

test("typed weights are read exactly, with a comma or a point", () => {
  assert.equal(parseWeight("0,13727419"), 0.13727419);
  assert.equal(parseWeight("2.5"), 2.5);
  assert.equal(parseWeight(" 3 "), 3);
  for (const bad of ["", "-1", "abc", "1e9", "2000000", "NaN", "1,2,3"]) assert.equal(parseWeight(bad), null, bad);
});

test("sameWeights compares exactly", () => {
  assert.ok(sameWeights({ a: 0.1 + 0.2 }, { a: 0.30000000000000004 }));
  assert.ok(!sameWeights({ a: 0.3 }, { a: 0.30000000000000004 }));
  assert.ok(!sameWeights({ a: 1 }, { a: 1, b: 0 }));
});
