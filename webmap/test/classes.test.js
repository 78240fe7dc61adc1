import { test } from "node:test";
import assert from "node:assert/strict";
import {
  classBreaks, classOf, sequentialScheme, divergingScheme, probabilityScheme, categoricalScheme,
  schemeFor, colorOf, classCounts, PROBABILITY_CLASSES, CLASSIFICATIONS,
} from "../src/lib/classes.js";
import { NO_DATA, NEUTRAL, QUADRANT_COLORS, contrastRatio } from "../src/lib/colors.js";

const values = [1, 2, 2, 3, 4, 5, 6, 8, 9, 10, 20, 40];

test("quantile breaks start at the minimum and end at the maximum", () => {
  const b = classBreaks(values, "quantile", 4);
  assert.equal(b[0], 1);
  assert.equal(b.at(-1), 40);
  assert.equal(b.length, 5);
  for (let i = 1; i < b.length; i += 1) assert.ok(b[i] > b[i - 1]);
});

test("equal intervals split the range evenly", () => {
  assert.deepEqual(classBreaks([0, 10, 5, 2], "equal", 5), [0, 2, 4, 6, 8, 10]);
});

test("jenks keeps natural groups apart", () => {
  const b = classBreaks([1, 1.1, 1.2, 10, 10.5, 11, 30, 31], "jenks", 3);
  assert.equal(b.length, 4);
  assert.equal(classOf(1.2, b), 0);
  assert.equal(classOf(10, b), 1);
  assert.equal(classOf(31, b), 2);
});

test("missing values are ignored by the breaks and get no class", () => {
  assert.deepEqual(classBreaks([null, undefined, NaN, 3, 1], "equal", 2), [1, 2, 3]);
  assert.equal(classOf(null, [1, 2, 3]), -1);
  assert.equal(classOf(NaN, [1, 2, 3]), -1);
  assert.deepEqual(classBreaks([], "quantile", 5), []);
});

test("one distinct value gives one class, not an empty legend", () => {
  const s = sequentialScheme([7, 7, 7], "quantile", 5);
  assert.equal(s.classes.length, 1);
  assert.equal(s.classOf(7), 0);
});

test("every value falls in exactly the class whose limits hold it", () => {
  for (const method of CLASSIFICATIONS.map((c) => c.id)) {
    const s = sequentialScheme(values, method, 5);
    for (const v of values) {
      const c = s.classes[s.classOf(v)];
      assert.ok(v >= c.lo && v <= c.hi, `${method}: ${v} in ${c.lo}–${c.hi}`);
    }
  }
});

test("diverging classes are symmetric around zero with a neutral class for exactly zero", () => {
  const s = divergingScheme([-12, -3, 0, 0, 2, 7, 9]);
  const n = s.classes.length;
  assert.equal(n % 2, 1);
  const mid = (n - 1) / 2;
  assert.equal(s.classes[mid].color, NEUTRAL);
  assert.equal(s.classOf(0), mid);
  for (let i = 0; i < mid; i += 1) { // mirror images
    assert.equal(s.classes[i].lo, -s.classes[n - 1 - i].hi);
    assert.equal(s.classes[i].hi, -s.classes[n - 1 - i].lo);
  }
  assert.ok(s.classOf(-1) < mid && s.classOf(1) > mid);
  assert.equal(s.classOf(-12), 0);
  assert.equal(s.classOf(12), n - 1);
  assert.notEqual(s.classes[0].color, s.classes[n - 1].color);
});

test("diverging integer classes cover every whole number once", () => {
  for (const max of [1, 2, 5, 12, 69]) {
    const s = divergingScheme([-max, max]);
    for (let v = -max; v <= max; v += 1) {
      const hits = s.classes.filter((c) => (c.exact !== undefined ? v === c.exact : v >= c.lo && v <= c.hi));
      assert.equal(hits.length, 1, `max ${max}, value ${v}`);
    }
  }
});

test("diverging continuous classes: small negative and positive values are not neutral", () => {
  const s = divergingScheme([-0.5, 0.25, 1.5]);
  const mid = (s.classes.length - 1) / 2;
  assert.ok(s.classOf(-1e-9) < mid);
  assert.ok(s.classOf(1e-9) > mid);
  assert.equal(s.classOf(-1.5), 0);
  assert.equal(s.classOf(1.5), s.classes.length - 1);
});

test("probability classes are fixed 0–100 %, whatever the data", () => {
  const s = probabilityScheme();
  assert.equal(s.classes.length, PROBABILITY_CLASSES.length);
  assert.ok(s.classes.length >= 5);
  assert.equal(s.classOf(0), 0);
  assert.equal(s.classOf(0.1), 1);
  assert.equal(s.classOf(50), 2);
  assert.equal(s.classOf(99.9), 4);
  assert.equal(s.classOf(100), 5);
  assert.equal(s.classOf(null), -1);
  // the data do not move the classes: a skewed sample gets the same ones
  assert.deepEqual(schemeFor({ schaal: "kans" }, [0, 0, 0, 100]).classes, s.classes);
});

test("categorical classes follow the categories", () => {
  const s = categoricalScheme([{ id: "a", label: "A", color: "#111111" }, { id: "b", label: "B", color: "#222222" }]);
  assert.equal(colorOf(s, "b"), "#222222");
  assert.equal(colorOf(s, "c"), NO_DATA);
});

test("class counts add up to all values", () => {
  const s = sequentialScheme(values, "quantile", 4);
  const { counts, missing } = classCounts(s, [...values, null]);
  assert.equal(counts.reduce((a, b) => a + b, 0), values.length);
  assert.equal(missing, 1);
});

test("contrast ratio follows WCAG (black on white is 21)", () => {
  assert.equal(Math.round(contrastRatio("#000000", "#ffffff")), 21);
  assert.equal(contrastRatio("#777777", "#777777"), 1);
});

test("the quadrant colours differ from each other and from 'no data'", () => {
  const colors = [...Object.values(QUADRANT_COLORS), NO_DATA];
  assert.equal(new Set(colors).size, colors.length);
});
