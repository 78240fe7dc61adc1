import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ageText, periodOptions, completenessAge, isCarriedForwardWarning, carriedForward, carriedForwardText, combinationCoverage,
  yearOptions, editionOptions, codeChangeSummary, knownAxes, singleAxis, formatAxis, isSynthetic,
  syntheticCriteria, leftOutText, scoreBasis, candidateParameters, listNames, UNKNOWN, syntheticBasis, syntheticNote,
  syntheticPartnersNote,
} from "../src/lib/datatruth.js";

// the shapes of the API's answers for Enschede after Domijn delivered for 2027-voorjaar alone
const PERIODS = {
  standaard: "2026-najaar",
  perioden: [
    { periode: "2027-voorjaar", volledig: false, actueel: ["Domijn"], ontbrekend: ["De Veste", "Ons Huis", "SJHT"] },
    { periode: "2026-najaar", volledig: true, actueel: ["De Veste", "Domijn", "Ons Huis", "SJHT"], ontbrekend: [] },
  ],
};
const row = (partner, laag, status, periode, leeftijd) => ({ partner, laag, soort: "partnerlaag", status, periode, leeftijd, aantal: 3, synthetisch: true });
const COMPLETENESS = {
  rijen: [
    row("SJHT", "bezit", "doorgeschoven", "2026-najaar", 1), row("SJHT", "projecten", "doorgeschoven", "2026-najaar", 1),
    row("De Veste", "bezit", "doorgeschoven", "2026-najaar", 1), row("Domijn", "bezit", "actueel", "2027-voorjaar", 0),
    row("Ons Huis", "bezit", "doorgeschoven", "2025-najaar", 3), row("Ons Huis", "verkoop", "ontbreekt", null, null),
  ],
};

test("names are listed the Dutch way", () => {
  assert.equal(listNames([]), "");
  assert.equal(listNames(["Domijn"]), "Domijn");
  assert.equal(listNames(["De Veste", "Domijn", "SJHT"]), "De Veste, Domijn en SJHT");
});

test("the age of a carried-forward delivery counts half years", () => {
  assert.equal(ageText(0), "actueel");
  assert.equal(ageText(1), "1 periode oud (een half jaar)");
  assert.equal(ageText(2), "2 perioden oud (1 jaar)");
  assert.equal(ageText(3), "3 perioden oud (1,5 jaar)");
  assert.equal(ageText(null), "actueel");
});

test("period options say which period is complete and which is the default", () => {
  const options = periodOptions(PERIODS);
  assert.deepEqual(options.map((o) => o.value), ["2027-voorjaar", "2026-najaar"]);
  assert.equal(options[0].label, "2027-voorjaar (1 van 4 geleverd)");
  assert.equal(options[1].label, "2026-najaar (volledig, standaard)");
  // no complete period: the newest is the default, and says how many delivered
  const none = periodOptions({ standaard: "2027-voorjaar", perioden: [{ ...PERIODS.perioden[0] }, { ...PERIODS.perioden[1], volledig: false, actueel: ["Domijn"], ontbrekend: ["SJHT"] }] });
  assert.deepEqual(none.map((o) => o.label), ["2027-voorjaar (1 van 4, standaard)", "2026-najaar (1 van 2 geleverd)"]);
  assert.equal(periodOptions({ standaard: null, perioden: [{ ...PERIODS.perioden[1] }] })[0].label, "2026-najaar (volledig)");
  assert.deepEqual(periodOptions(null), []);
});

test("completeness rows: the age of what is carried forward, nothing for the current", () => {
  assert.equal(completenessAge(COMPLETENESS.rijen[0]), "1 periode oud (een half jaar)");
  assert.equal(completenessAge(COMPLETENESS.rijen[4]), "3 perioden oud (1,5 jaar)");
  assert.equal(completenessAge(COMPLETENESS.rijen[3]), "–");
  assert.equal(completenessAge(COMPLETENESS.rijen[5]), "–");
});

test("the table's note on carried-forward deliveries is recognised (the period panel says it with ages)", () => {
  const note = "In 2027-voorjaar tellen eerdere leveringen mee (doorgeschoven): De Veste, SJHT uit 2026-najaar.";
  const other = "Periode 2027-voorjaar is nog onvolledig: geleverd door Domijn; nog niet door De Veste.";
  assert.equal(isCarriedForwardWarning(note, "2027-voorjaar"), true);
  assert.equal(isCarriedForwardWarning(other, "2027-voorjaar"), false);
  assert.equal(isCarriedForwardWarning(note, "2026-najaar"), false);
  assert.equal(isCarriedForwardWarning(note, null), false);
});

test("carried-forward partners are grouped by age, each partner once", () => {
  const groups = carriedForward(COMPLETENESS);
  assert.deepEqual(groups.map((g) => [g.periode, g.leeftijd, g.partners]), [
    ["2026-najaar", 1, ["De Veste", "SJHT"]],
    ["2025-najaar", 3, ["Ons Huis"]],
  ]);
  assert.deepEqual(carriedForwardText(COMPLETENESS), [
    "Doorgeschoven uit 2026-najaar, 1 periode oud (een half jaar): De Veste en SJHT.",
    "Doorgeschoven uit 2025-najaar, 3 perioden oud (1,5 jaar): Ons Huis.",
  ]);
  assert.deepEqual(carriedForward({ rijen: [] }), []);
  assert.deepEqual(carriedForward(null), []);
});

test("how much of a buurten year an edition covers", () => {
  assert.equal(combinationCoverage({ jaar: 2021, editie: 2024, buurten: 70, met_score: 65, dekt: true }),
    "65 van 70 buurten met een Leefbaarometer-score.");
  assert.equal(combinationCoverage({ jaar: 2024, editie: 2024, buurten: 70, met_score: 40, dekt: false }),
    "40 van 70 buurten met een Leefbaarometer-score: deze combinatie dekt de gemeente niet.");
  assert.equal(combinationCoverage({ jaar: 2024, editie: null }), "Geen Leefbaarometer voor de buurten van 2024.");
});

test("year and edition options name the default and a year the edition does not cover", () => {
  const choices = {
    jaren: [2024, 2021], edities: [2024], standaard: { jaar: 2021, editie: 2024 },
    combinaties: [{ jaar: 2024, editie: 2024, dekt: false }, { jaar: 2021, editie: 2024, dekt: true }],
  };
  assert.deepEqual(yearOptions(choices, 2024), [{ value: "2024", label: "2024 (dekt niet)" }, { value: "2021", label: "2021 (standaard)" }]);
  assert.deepEqual(editionOptions(choices, 2021), [{ value: "2024", label: "2024 (standaard)" }]);
  assert.deepEqual(editionOptions(choices, 2024), [{ value: "2024", label: "2024 (standaard, dekt niet)" }]);
  assert.deepEqual(editionOptions({ ...choices, edities: [] }, 2021), [{ value: "", label: "geen" }]);
});

test("code changes are counted by kind", () => {
  const changes = [{ soort: "nieuw" }, { soort: "nieuw" }, { soort: "vervallen" }, { soort: "zonder_leefbaarometer" }];
  assert.equal(codeChangeSummary(changes), "2 nieuwe codes, 1 vervallen code, 1 buurt zonder Leefbaarometer-score");
  assert.equal(codeChangeSummary([]), "");
});

// a result of POST /api/scores of the urgency profile in a gemeente without partner data
const URGENCY_ONLY = {
  profiel: "urgentie", profiel_label: "Urgentie (openbare gegevens)", jaar: 2024, editie: 2024, periode: null,
  assen: { urgentie: true, potentie: false }, leveringen: [],
  criteria: [
    { id: "lbm_score", label: "Leefbaarometer totaalscore", as: "urgentie", gewicht: 0.4, synthetisch: false, laag: "leefbaarometer" },
  ],
  weggelaten: [{ id: "gem_woz", label: "Gemiddelde WOZ-waarde", as: "urgentie", reden: "geen waarde voor enige buurt" }],
  buurten: [{ buurtcode: "BU03440832", urgentie: 0.85, potentie: null }],
};
const WITH_PARTNERS = {
  profiel: "default", profiel_label: "SIA standaardprofiel", jaar: 2021, editie: 2024, periode: "2027-voorjaar",
  assen: { urgentie: true, potentie: true },
  leveringen: [{ partner: "Domijn", periode: "2027-voorjaar" }, { partner: "SJHT", periode: "2026-najaar" }],
  criteria: [
    { id: "lbm_score", label: "Leefbaarometer", as: "urgentie", gewicht: 0.5, synthetisch: false, laag: "leefbaarometer" },
    { id: "aandeel_label_efg", label: "Energielabel E–G", as: "urgentie", gewicht: 0, synthetisch: true, laag: "partnerdata" },
    { id: "geplande_investering", label: "Investering", as: "potentie", gewicht: 1, synthetisch: true, laag: "partnerdata" },
  ],
};

test("an axis without data is 'onbekend', never 0,00 or NaN", () => {
  assert.deepEqual(knownAxes(URGENCY_ONLY), { urgentie: true, potentie: false });
  assert.equal(singleAxis(URGENCY_ONLY), "urgentie");
  assert.equal(singleAxis(WITH_PARTNERS), null);
  assert.equal(formatAxis(null, false), UNKNOWN);
  assert.equal(formatAxis(0, false), UNKNOWN);
  assert.equal(formatAxis(0.8517, true), "0,85");
  // a result without `assen`: the axis is known when any buurt has a value
  assert.deepEqual(knownAxes({ buurten: [{ urgentie: 0.2, potentie: null }] }), { urgentie: true, potentie: false });
});

test("synthetic only where a weighed criterion is synthetic", () => {
  assert.equal(isSynthetic(URGENCY_ONLY), false);
  assert.equal(isSynthetic(WITH_PARTNERS), true);
  assert.equal(isSynthetic(WITH_PARTNERS, "urgentie"), false); // the synthetic urgency criterion weighs 0
  assert.equal(isSynthetic(WITH_PARTNERS, "potentie"), true);
  assert.deepEqual(syntheticCriteria(WITH_PARTNERS).map((c) => c.id), ["geplande_investering"]);
});

test("the legend's synthetic banner names exactly the synthetic criteria, and is absent without them", () => {
  // mostly real data: two real criteria weighed, one synthetic (the raster), one synthetic weighing 0
  const mixed = { ...WITH_PARTNERS, criteria: [...WITH_PARTNERS.criteria,
    { id: "bezit_woningen", label: "Aantal corporatiewoningen", as: "potentie", gewicht: 1, synthetisch: false, laag: "partnerdata" },
    { id: "hittestress", label: "Hittestress, gevoelstemperatuur", as: "urgentie", gewicht: 0.5, synthetisch: true, laag: "raster" }] };
  assert.deepEqual(syntheticBasis(mixed), { weighed: 4, syntheticIn: ["Investering", "Hittestress, gevoelstemperatuur"] });
  assert.deepEqual(syntheticBasis(mixed, "urgentie"), { weighed: 2, syntheticIn: ["Hittestress, gevoelstemperatuur"] });
  const combined = syntheticNote({ id: "sia_gecombineerd", label: "SIA: gecombineerde score", synthetic: true, ...syntheticBasis(mixed) });
  assert.equal(combined, "Synthetische demonstratiedata (geen echte gegevens) in 2 van 4 gewogen criteria: Investering; Hittestress, gevoelstemperatuur.");
  assert.doesNotMatch(combined, /Energielabel|Aantal corporatiewoningen|Leefbaarometer/); // real or weighing 0: not named
  assert.equal(syntheticNote({ label: "SIA: urgentie", synthetic: true, ...syntheticBasis(mixed, "urgentie") }),
    "Synthetische demonstratiedata (geen echte gegevens) in 1 van 2 gewogen criteria: Hittestress, gevoelstemperatuur.");
  assert.equal(syntheticNote({ label: "SIA: potentie", ...syntheticBasis(WITH_PARTNERS, "potentie") }),
    "Synthetische demonstratiedata (geen echte gegevens) in 1 van 1 gewogen criterium: Investering.");
  // nothing synthetic weighed: no banner, whatever the flag says
  assert.equal(syntheticNote({ label: "SIA: gecombineerde score", synthetic: true, ...syntheticBasis(URGENCY_ONLY) }), null);
  assert.equal(syntheticNote({ label: "SIA: urgentie", ...syntheticBasis(WITH_PARTNERS, "urgentie") }), null);
  // a column of the table names itself
  assert.equal(syntheticNote({ id: "hittestress", label: "Hittestress (gevoelstemperatuur)", synthetic: true }),
    "Synthetische demonstratiedata (geen echte gegevens) in: Hittestress (gevoelstemperatuur).");
  assert.equal(syntheticNote({ id: "bezit_woningen", label: "Aantal corporatiewoningen", synthetic: false }), null);
  assert.equal(syntheticNote(null), null);
});

test("the partner layers' banner names the layers and partners whose shown points are synthetic", () => {
  const f = (partner, synthetisch) => ({ type: "Feature", properties: { partner, synthetisch } });
  const shown = [
    { title: "Corporatiebezit", features: [f("Ons Huis", false), f("Domijn", false)] },
    { title: "Geplande projecten", features: [f("Ons Huis", false), f("Gemeente Enschede", true), f("De Veste", true), f("Gemeente Enschede", true)] },
  ];
  assert.equal(syntheticPartnersNote(shown), "Synthetische demonstratiedata (geen echte gegevens): Geplande projecten van De Veste en Gemeente Enschede.");
  assert.equal(syntheticPartnersNote(shown.slice(0, 1)), null); // only real deliveries shown: no banner
  assert.equal(syntheticPartnersNote([{ title: "Geplande verkoop", features: [] }]), null);
});

test("left-out criteria with their reason", () => {
  assert.deepEqual(leftOutText(URGENCY_ONLY), ["Gemiddelde WOZ-waarde (geen waarde voor enige buurt)"]);
  assert.deepEqual(leftOutText({}), []);
});

test("what a score stands on: public data only, or the deliveries and their periods", () => {
  const publicOnly = scoreBasis(URGENCY_ONLY).join(" · ");
  assert.equal(publicOnly, "profiel Urgentie (openbare gegevens) · buurten 2024 · Leefbaarometer 2024 · alleen openbare gegevens");
  assert.doesNotMatch(publicOnly, /synthetisch/);
  const partners = scoreBasis(WITH_PARTNERS).join(" · ");
  assert.match(partners, /partnerdata 2027-voorjaar \(leveringen uit 2027-voorjaar, 2026-najaar\)/);
  assert.match(partners, /van Domijn en SJHT/);
  assert.match(partners, /synthetisch: Investering$/);
  // many partners and synthetic criteria are counted, not listed
  const many = {
    ...WITH_PARTNERS,
    leveringen: ["A", "B", "C", "D"].map((partner) => ({ partner, periode: "2027-voorjaar" })),
    criteria: ["a", "b", "c"].map((id) => ({ id, label: id, as: "potentie", gewicht: 1, synthetisch: true, laag: "partnerdata" })),
  };
  assert.match(scoreBasis(many).join(" · "), /partnerdata 2027-voorjaar · van 4 partners · synthetisch: 3 van de 3 gewogen criteria$/);
});

test("candidate-area parameters in words, per method", () => {
  const params = { alpha: 0.05, permutaties: 999, seed: 0, top_fractie: 0.25, min_inwoners: 1000, fdr: true, buren: "queen" };
  assert.deepEqual(candidateParameters(params, "gi_star"),
    ["significantie 0,05 (FDR-gecorrigeerd)", "999 permutaties", "buren: queen", "minimaal 1.000 inwoners"]);
  assert.deepEqual(candidateParameters(params, "top_groep"), ["bovenste 25% van de buurten", "buren: queen", "minimaal 1.000 inwoners"]);
  assert.deepEqual(candidateParameters({ ...params, min_inwoners: null }, "top_groep").at(-1), "geen minimum aantal inwoners");
});
