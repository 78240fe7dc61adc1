import { test } from "node:test";
import assert from "node:assert/strict";
import { linearScale, niceTicks, scoreDomain } from "../src/lib/scale.js";

test("a linear scale maps the ends of the domain on the ends of the range", () => {
  const x = linearScale([0, 1], [40, 300]);
  assert.equal(x(0), 40);
  assert.equal(x(1), 300);
  assert.equal(x(0.5), 170);
  const y = linearScale([0, 1], [200, 10]); // inverted for the y axis
  assert.equal(y(1), 10);
});

test("nice ticks are round and cover the domain", () => {
  assert.deepEqual(niceTicks(0, 1, 4), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-0.3, 1.2, 3), [0, 0.5, 1]);
  assert.deepEqual(niceTicks(3, 3), [3]);
  assert.deepEqual(niceTicks(NaN, 1), []);
});

test("the score domain is at least 0–1", () => {
  assert.deepEqual(scoreDomain([0.2, 0.8]), [0, 1]);
  assert.deepEqual(scoreDomain([-0.5, 1.4]), [-0.5, 1.4]);
});
