import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatMoney, formatNumber, formatFixed, formatPercent, formatSigned, formatValue, formatLegendValue,
  formatWeight, plural, humanise, humaniseUnit, MISSING,
} from "../src/lib/format.js";

const NBSP = "\u00a0";

test("money: euro sign first, thousands with dots, whole euros", () => {
  assert.equal(formatMoney(5821000), `€${NBSP}5.821.000`);
  assert.equal(formatMoney(2370000.4), `€${NBSP}2.370.000`);
  assert.equal(formatMoney(0), `€${NBSP}0`);
  assert.equal(formatMoney(-0.2), `€${NBSP}0`);
});

test("a money unit puts the euro sign first, also with 'per …'", () => {
  assert.equal(formatValue(5821000, "€"), `€${NBSP}5.821.000`);
  assert.equal(formatValue(12683.65, "€ per huishouden"), `€${NBSP}12.684 per huishouden`);
  assert.equal(formatLegendValue(12683.65, "€ per huishouden"), `€${NBSP}12.684`);
  assert.ok(!formatValue(5821000, "€").endsWith("€"));
});

test("plurals: 1 buurt, 0 and 2 buurten, thousands separated", () => {
  assert.equal(plural(1, "buurt", "buurten"), "1 buurt");
  assert.equal(plural(0, "buurt", "buurten"), "0 buurten");
  assert.equal(plural(2, "buurt", "buurten"), "2 buurten");
  assert.equal(plural(1234, "woning", "woningen"), "1.234 woningen");
});

test("a count of exactly one takes the singular unit", () => {
  assert.equal(formatValue(1, "woningen"), "1 woning");
  assert.equal(formatValue(2, "woningen"), "2 woningen");
  assert.equal(formatValue(1, "inwoners per km²"), "1 inwoner per km²");
  assert.equal(formatValue(1, "personen"), "1 persoon");
  assert.equal(formatValue(1.5, "personen"), "1,5 personen");
  assert.equal(formatValue(1, "°C"), "1 °C");
});

test("units: temperature and counts after the value, percentages glued, scales left off", () => {
  assert.equal(formatValue(34.118, "°C"), "34,12 °C");
  assert.equal(formatValue(3410, "personen"), "3.410 personen");
  assert.equal(formatValue(27.27, "%"), "27%");
  assert.equal(formatValue(4.5, "%"), "4,5%");
  assert.equal(formatValue(0.58, "score 0–1"), "0,58");
  assert.equal(formatValue(5, "klasse 1–9"), "5");
});

test("never NaN, never -0: missing values say so", () => {
  for (const v of [null, undefined, NaN, Infinity, -Infinity, "", {}]) {
    const s = typeof v === "string" ? formatNumber(v) : formatValue(v, "%");
    assert.equal(s, MISSING);
  }
  assert.equal(formatValue(-0.0001), "0");
  assert.equal(formatFixed(-0.001, 2), "0,00");
  assert.equal(formatNumber(-0), "0");
  assert.ok(!formatPercent(NaN).includes("NaN"));
});

test("negative numbers have a real minus sign", () => {
  assert.equal(formatNumber(-0.2734), "−0,273");
  assert.equal(formatFixed(-0.5, 2), "−0,50");
});

test("text values (categories) are returned as text, booleans in Dutch", () => {
  assert.equal(formatValue("kandidaat"), "kandidaat");
  assert.equal(formatValue(true), "ja");
  assert.equal(formatValue(false), "nee");
});

test("signed changes use a real minus sign; zero has no sign", () => {
  assert.equal(formatSigned(3), "+3");
  assert.equal(formatSigned(-12), "−12");
  assert.equal(formatSigned(0), "0");
  assert.equal(formatSigned(-0.001, 1), "0");
});

test("weights are shown exactly, in Dutch notation", () => {
  assert.equal(formatWeight(0.13727419), "0,13727419");
  assert.equal(formatWeight(3), "3");
  assert.equal(Number(formatWeight(0.1 + 0.2).replace(",", ".")), 0.1 + 0.2);
});

test("unknown field names become readable labels", () => {
  assert.equal(humanise("percentage_koopwoningen"), "Koopwoningen");
  assert.equal(humaniseUnit("percentage_koopwoningen"), "%");
  assert.equal(humanise("gemiddelde_woningwaarde"), "Gemiddelde woningwaarde");
  assert.equal(humaniseUnit("woningvoorraad"), null);
});
