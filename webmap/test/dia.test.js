import { test } from "node:test";
import assert from "node:assert/strict";
import {
  STATUS_COLORS, proposalStyle, statusInfo, nextStatuses, filterProposals, partnerList, agendaTable,
  areaBuurten, toggled, debounce, newest, fileName, isoDate, areaText, proposalRights, commitmentPartners,
  weightingText,
} from "../src/lib/dia.js";
import { formatNumber } from "../src/lib/format.js";

const meta = {
  voorstelstatussen: [
    { id: "concept", label: "Concept", open: true, naar: ["voorgesteld", "ingetrokken"], vraagt_besluit: false },
    { id: "voorgesteld", label: "Voorgesteld aan het BO", open: true, naar: ["vastgesteld", "afgewezen", "ingetrokken"], vraagt_besluit: false },
    { id: "vastgesteld", label: "Vastgesteld", open: false, naar: [], vraagt_besluit: true },
    { id: "afgewezen", label: "Afgewezen", open: false, naar: [], vraagt_besluit: false },
    { id: "ingetrokken", label: "Ingetrokken", open: false, naar: [], vraagt_besluit: false },
  ],
};

test("every status has its own colour, and closed proposals are dashed", () => {
  const colors = meta.voorstelstatussen.map((s) => STATUS_COLORS[s.id]);
  assert.equal(new Set(colors).size, 5);
  assert.ok(colors.every(Boolean));
  assert.equal(proposalStyle("concept").dashArray, null);
  assert.equal(proposalStyle("vastgesteld").dashArray, null);
  assert.ok(proposalStyle("ingetrokken").dashArray);
  assert.notEqual(proposalStyle("concept", { flagged: true }).color, proposalStyle("concept").color);
});

test("next statuses come from the API's rule, with their labels", () => {
  assert.deepEqual(nextStatuses(meta, "concept").map((s) => s.id), ["voorgesteld", "ingetrokken"]);
  assert.deepEqual(nextStatuses(meta, "vastgesteld"), []);
  assert.equal(statusInfo(meta, "voorgesteld").label, "Voorgesteld aan het BO");
  assert.deepEqual(nextStatuses(null, "concept"), []);
  assert.equal(statusInfo(meta, "onbekend").label, "onbekend");
});

test("the list filter: status and partner, from summaries or GeoJSON features", () => {
  const items = [
    { id: 1, status: "concept", partners: ["Domijn", "Ons Huis"] },
    { id: 2, status: "vastgesteld", partners: [] },
    { properties: { id: 3, status: "concept", partners: "De Veste, Domijn" } },
  ];
  const ids = (xs) => xs.map((x) => (x.properties || x).id);
  assert.deepEqual(ids(filterProposals(items, {})), [1, 2, 3]);
  assert.deepEqual(ids(filterProposals(items, { status: "concept" })), [1, 3]);
  assert.deepEqual(ids(filterProposals(items, { partner: "Domijn" })), [1, 3]);
  assert.deepEqual(ids(filterProposals(items, { status: "concept", partner: "De Veste" })), [3]);
  assert.deepEqual(partnerList(""), []);
  assert.deepEqual(partnerList(null), []);
});

test("the investment agenda as partner × year, totals per year and in all", () => {
  const t = agendaTable([
    { partner: "Ons Huis", jaar: 2031, totaal_eur: 10 },
    { partner: "Domijn", jaar: 2029, totaal_eur: 5 },
    { partner: "Ons Huis", jaar: 2029, totaal_eur: 7 },
    { partner: "Domijn", jaar: null, totaal_eur: 1 },
  ]);
  assert.deepEqual(t.years, ["2029", "2031", ""]);
  assert.deepEqual(t.rows.map((r) => [r.partner, r.total]), [["Domijn", 6], ["Ons Huis", 17]]);
  assert.deepEqual(t.totals, { 2029: 12, 2031: 10, "": 1 });
  assert.equal(t.total, 23);
  assert.equal(t.rows[0].cells["2031"], undefined);
  assert.deepEqual(agendaTable([]), { years: [], rows: [], totals: {}, total: 0 });
});

test("an area's buurten carry their rank and quadrant, largest share first", () => {
  const stats = {
    buurten: [{ buurtcode: "BU2", aandeel: 0.4 }, { buurtcode: "BU1", aandeel: 1 }, { buurtcode: "BU3", aandeel: 0.4 }],
    scores: { buurten: [{ buurtcode: "BU1", rang: 3, kwadrant: "kandidaat", potentie: null }] },
  };
  const rows = areaBuurten(stats);
  assert.deepEqual(rows.map((r) => r.buurtcode), ["BU1", "BU2", "BU3"]);
  assert.equal(rows[0].rang, 3);
  assert.equal(rows[0].potentie, null);
  assert.equal(rows[1].rang, null);
  assert.deepEqual(areaBuurten(null), []);
});

test("areas in ha, slivers in m², never 0 ha for something that is there", () => {
  assert.equal(areaText(3.6812, formatNumber), "3,68 ha");
  assert.equal(areaText(185.52, formatNumber), "185,5 ha");
  assert.equal(areaText(0.125, formatNumber), "0,125 ha");
  assert.equal(areaText(0.0035, formatNumber), "35 m²");
  assert.equal(areaText(0.00000001, formatNumber), "1 m²");
  assert.equal(areaText(0, formatNumber), "0 ha");
  assert.equal(areaText(null, formatNumber), "geen gegevens");
});

test("toggled keeps the order of choosing", () => {
  assert.deepEqual(toggled(["a", "b"], "c"), ["a", "b", "c"]);
  assert.deepEqual(toggled(["a", "b", "c"], "b"), ["a", "c"]);
});

test("debounce calls once with the last arguments; flush and cancel", () => {
  const pending = new Map();
  let id = 0;
  const timers = { set: (fn) => { pending.set(++id, fn); return id; }, clear: (h) => pending.delete(h) };
  const calls = [];
  const d = debounce((x) => calls.push(x), 300, timers);
  d(1); d(2); d(3);
  assert.equal(pending.size, 1);
  [...pending.values()][0]();
  assert.deepEqual(calls, [3]);
  d(4); d.flush();
  assert.deepEqual(calls, [3, 4]);
  d(5); d.cancel();
  assert.equal(d.pending(), false);
  d.flush();
  assert.deepEqual(calls, [3, 4]);
});

test("newest: only the last ticket counts", () => {
  const n = newest();
  const a = n.ticket(); const b = n.ticket();
  assert.equal(n.isNewest(a), false);
  assert.equal(n.isNewest(b), true);
});

test("file names from Content-Disposition", () => {
  assert.equal(fileName('attachment; filename="sia_ranking.csv"', "x"), "sia_ranking.csv");
  assert.equal(fileName("attachment; filename*=UTF-8''dossier%20v2.pdf", "x"), "dossier v2.pdf");
  assert.equal(fileName(null, "ranglijst.csv"), "ranglijst.csv");
  assert.equal(isoDate(new Date(2026, 0, 5)), "2026-01-05");
});

test("who is offered which DIA form: writers write, everyone signed in comments, nobody else", () => {
  const planner = { naam: "Els", rol: "planner", organisatie: "Domijn" };
  const reader = { naam: "Jan", rol: "lezer", organisatie: "Huurdersorganisaties Enschede" };
  const admin = { naam: "Ria", rol: "beheerder", organisatie: "Gemeente Enschede" };
  assert.deepEqual(proposalRights(null), { signedIn: false, write: false, comment: false });
  assert.deepEqual(proposalRights(reader), { signedIn: true, write: false, comment: true });
  assert.deepEqual(proposalRights(planner), { signedIn: true, write: true, comment: true });
  assert.deepEqual(proposalRights(admin), { signedIn: true, write: true, comment: true });
  assert.deepEqual(proposalRights({ ...planner, rol: "onbekend" }).write, false);
});

test("a planner commits for its own organisation only, a beheerder for any of the gemeente", () => {
  const orgs = [{ naam: "Gemeente Enschede" }, { naam: "Domijn" }, { naam: "Ons Huis" }];
  assert.deepEqual(commitmentPartners({ rol: "planner", organisatie: "Domijn" }, orgs), ["Domijn"]);
  assert.deepEqual(commitmentPartners({ rol: "beheerder", organisatie: "Gemeente Enschede" }, orgs),
    ["Gemeente Enschede", "Domijn", "Ons Huis"]);
  assert.deepEqual(commitmentPartners({ rol: "lezer", organisatie: "Domijn" }, orgs), []);
  assert.deepEqual(commitmentPartners(null, orgs), []);
});

test("the weighting of a version names the profile and method by their labels, never their ids", () => {
  const methods = [{ id: "gewogen_som", label: "gewogen som" }, { id: "topsis", label: "TOPSIS (afstand tot ideaal)" }];
  const profiles = [{ naam: "default", label: "SIA standaardprofiel" }, { naam: "domijn", label: "Domijn (voorbeeldgewichten)" }];
  const data = { jaar: 2021, editie: 2024, periode: "2026-najaar" };
  // the profile's method (no methode in the request): the one the version was scored with
  const saved = { weging: { profiel: "default", ...data }, statistieken: { scores: { profiel: "default", profiel_label: "SIA standaardprofiel", methode: "gewogen_som" } } };
  assert.equal(weightingText(saved, { profiles, methods }), "SIA standaardprofiel · gewogen som · buurten 2021, Leefbaarometer 2024, partnerdata 2026-najaar");
  // a method asked for; the label from the profiles of the gemeente when the statistics lack it
  const topsis = { weging: { profiel: "domijn", methode: "topsis", ...data } };
  assert.equal(weightingText(topsis, { profiles, methods }), "Domijn (voorbeeldgewichten) · TOPSIS (afstand tot ideaal) · buurten 2021, Leefbaarometer 2024, partnerdata 2026-najaar");
  // no profile in the request: the default profile, by its label
  assert.match(weightingText({ weging: { jaar: 2021 } }, { profiles, methods }), /^SIA standaardprofiel · buurten 2021, Leefbaarometer –, partnerdata geen$/);
  // an unknown profile or method is shown as it is, not dropped; no empty "· ·"
  const unknown = weightingText({ weging: { profiel: "eigen", methode: "nieuw", ...data } }, { profiles, methods });
  assert.equal(unknown, "eigen · nieuw · buurten 2021, Leefbaarometer 2024, partnerdata 2026-najaar");
  assert.doesNotMatch(weightingText(saved, { profiles, methods }), /gewogen_som|default/);
});
