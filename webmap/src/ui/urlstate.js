// The view in the address bar (#indicator=…&buurt=…): read once at start, kept up to date.

import { store } from "./state.js";
import { parseView, formatView, ID, BUURTCODE, PERIODE, SCENARIO_ID, VOORSTEL_ID } from "../lib/url.js";
import { sameWeights } from "../lib/weights.js";
import { formatWeight } from "../lib/format.js";

const MODES = ["uit", "indicatoren", "perioden", "scenarios", "verschil"];
export const VIEW = {
  indicator: { pattern: ID, default: null },
  indeling: { values: ["quantile", "jenks", "equal"], default: "quantile" },
  klassen: { integer: [3, 7], default: 5 },
  periode: { pattern: PERIODE, default: null },
  profiel: { pattern: ID, default: null }, // the gemeente's recommended profile is not written
  methode: { pattern: ID, default: null },
  buurt: { pattern: BUURTCODE, default: null },
  vergelijk: { values: MODES, default: "uit" },
  links: { pattern: ID, default: null },
  rechts: { pattern: ID, default: null },
  vi: { pattern: ID, default: null },
  pa: { pattern: PERIODE, default: null },
  pb: { pattern: PERIODE, default: null },
  sa: { pattern: SCENARIO_ID, default: null },
  sb: { pattern: SCENARIO_ID, default: null },
  jaar: { integer: [1900, 2200], default: null }, //   buurten year asked for (ui/choices.js)
  editie: { integer: [1900, 2200], default: null }, // Leefbaarometer edition asked for
  // DIA (issue 9): weights that differ from the profile's, and the open proposal
  gewichten: { weights: true, default: null },
  voorstel: { pattern: VOORSTEL_ID, default: null },
};

export function readView() {
  return parseView(window.location.hash, VIEW);
}

let defaultPeriode = null; // the default period (GET /api/periods standaard): not written to the address

function current(s) {
  const c = s.get("compare");
  const profile = s.get("profiles").find((p) => p.naam === s.get("profile"));
  return {
    indicator: s.get("indicator"), indeling: s.get("classification"), klassen: s.get("classes"),
    periode: s.get("periode") === defaultPeriode ? null : s.get("periode"),
    profiel: profile?.aanbevolen ? null : s.get("profile"), methode: profile && s.get("method") === profile.methode ? null : s.get("method"),
    buurt: s.get("selected"), vergelijk: c.mode,
    links: c.mode === "indicatoren" ? c.links : null, rechts: c.mode === "indicatoren" ? c.rechts : null,
    vi: ["perioden", "verschil"].includes(c.mode) ? c.indicator : null,
    pa: ["perioden", "verschil"].includes(c.mode) ? c.periodeA : null,
    pb: ["perioden", "verschil"].includes(c.mode) ? c.periodeB : null,
    sa: c.mode === "scenarios" ? c.scenarioA : null, sb: c.mode === "scenarios" ? c.scenarioB : null,
    jaar: s.get("dataChoice").jaar, editie: s.get("dataChoice").editie,
    gewichten: profile && !sameWeights(profile.gewichten, s.get("weights")) ? s.get("weights") : null,
    voorstel: s.get("proposal"),
  };
}

export function mountUrlState(openingPeriode) {
  defaultPeriode = openingPeriode;
  store.subscribe(["indicator", "classification", "classes", "periode", "profile", "method", "selected", "compare", "dataChoice", "weights", "proposal"], (s) => {
    const hash = formatView(current(s), VIEW);
    if (hash !== window.location.hash && !(hash === "" && window.location.hash === "")) {
      window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}${hash}`);
    }
  });
}

/**
 * The weights of a shared link, typed into the score panel's exact fields as a user would (the
 * sliders, shares and ranking follow). Criteria the chosen profile does not have are ignored.
 */
export function restoreWeights(weights) {
  for (const [id, w] of Object.entries(weights || {})) {
    const input = document.getElementById(`n-${id}`);
    if (!input) continue;
    input.value = formatWeight(w);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
