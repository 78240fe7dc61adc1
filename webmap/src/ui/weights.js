// The score panel's controls: profile, method, one slider and one exact number field per
// criterion (the number field shows and takes any weight exactly, e.g. the consensus profile's
// fractions), the share of each weight in its axis, and the analysis options.

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { getJSON } from "./api.js";
import { rescore } from "./scores.js";
import { findIndicator } from "./indicators.js";
import { sliderMax, axisShares, parseWeight } from "../lib/weights.js";
import { formatPercent, formatWeight } from "../lib/format.js";
import { syntheticById } from "../lib/datatruth.js";

const AXES = { urgentie: "Urgentie (opgaven)", potentie: "Potentie (kansen)" };

function profileOf(s = store) {
  return s.get("profiles").find((p) => p.naam === s.get("profile")) || null;
}

/** One label per indicator: a criterion that is an indicator of the map carries its label. */
export function criterionLabel(c) {
  return findIndicator(c.id)?.label || c.label;
}

function setWeight(id, value, from) {
  store.update("weights", (w) => ({ ...w, [id]: value }));
  const range = byId(`w-${id}`); const number = byId(`n-${id}`);
  if (from !== range) range.value = String(value);
  if (from !== number) number.value = formatWeight(value);
  number.removeAttribute("aria-invalid");
  updateShares();
  rescore();
}

function renderSliders() {
  const profile = profileOf();
  if (!profile) return;
  const weights = store.get("weights");
  const max = sliderMax(profile.gewichten);
  const axes = Object.entries(AXES).map(([axis, title]) => h("fieldset", { class: "axis", dataset: { as: axis } },
    h("legend", { class: "axis-title" }, title),
    profile.criteria.some((c) => c.as === axis) ? null
      : h("p", { class: "hint" }, `Dit profiel heeft geen ${axis}-criteria: ${axis} is onbekend.`),
    profile.criteria.filter((c) => c.as === axis).map((c) => {
      const label = criterionLabel(c);
      const range = h("input", {
        type: "range", id: `w-${c.id}`, min: "0", max: String(max), step: "any", value: String(weights[c.id]),
        "aria-describedby": `s-${c.id}`,
      });
      // a text field, so a Dutch comma works and the weight shows every digit it has
      const number = h("input", {
        type: "text", id: `n-${c.id}`, value: formatWeight(weights[c.id]), class: "weight-number",
        "aria-label": `Gewicht ${label} (exact)`, inputmode: "decimal", autocomplete: "off", spellcheck: "false",
      });
      range.addEventListener("input", () => setWeight(c.id, Number(range.value), range));
      number.addEventListener("input", () => {
        const w = parseWeight(number.value);
        if (w === null) { number.setAttribute("aria-invalid", "true"); return; }
        setWeight(c.id, w, number);
      });
      return h("div", { class: "weight", dataset: { criterion: c.id } },
        h("label", { for: `w-${c.id}`, title: c.richting_label || "" }, label, " ", h("span", { class: "tag", hidden: !c.synthetisch }, "synthetisch")),
        h("div", { class: "slider" }, range, number, h("span", { class: "share", id: `s-${c.id}` })),
        h("p", { class: "hint reden", hidden: true }));
    })));
  fill("weights", axes);
  updateShares();
  markCriteria(store);
}

/**
 * What each criterion stands on in the shown result: synthetic (a tag, only where its data are
 * synthetic) and left out with the reason (struck through). Before the first result: the profile's.
 */
function markCriteria(s) {
  const result = s.get("scores")?.result;
  const synthetic = result ? syntheticById(result) : new Map();
  const leftOut = new Map((result?.weggelaten || []).map((w) => [w.id, w.reden]));
  const profile = profileOf(s);
  for (const row of document.querySelectorAll("#weights .weight")) {
    const id = row.dataset.criterion;
    const fromProfile = profile?.criteria.find((c) => c.id === id)?.synthetisch;
    row.querySelector(".tag").hidden = !(synthetic.has(id) ? synthetic.get(id) : Boolean(fromProfile) && !leftOut.has(id));
    row.classList.toggle("empty", leftOut.has(id));
    const reason = row.querySelector(".reden");
    reason.hidden = !leftOut.has(id);
    reason.textContent = leftOut.has(id) ? `Weggelaten: ${leftOut.get(id)}` : "";
  }
}

function updateShares() {
  const profile = profileOf();
  if (!profile) return;
  const shares = axisShares(profile.criteria, store.get("weights"));
  for (const c of profile.criteria) {
    const el = byId(`s-${c.id}`);
    if (el) el.textContent = shares[c.id] === null ? "–" : formatPercent(100 * shares[c.id], 0);
  }
}

/** Choose a profile: its weights (exactly as the API gives them) and its method. */
export function selectProfile(name, method = null) {
  const profile = store.get("profiles").find((p) => p.naam === name) || store.get("profiles")[0];
  store.set({ profile: profile.naam, method: method || profile.methode, weights: { ...profile.gewichten } });
  byId("profiel").value = profile.naam;
  byId("methode").value = store.get("method");
  byId("profiel-beschrijving").textContent = profile.beschrijving || "";
  renderSliders();
}

export async function mountWeights(initial = {}) {
  const meta = store.get("meta");
  fillSelect(byId("methode"), meta.methoden.map((m) => ({ value: m.id, label: m.label[0].toUpperCase() + m.label.slice(1) })));
  const profiles = await getJSON("/api/scores/profiles");
  store.set({ profiles });
  fillSelect(byId("profiel"), profiles.map((p) => ({ value: p.naam, label: p.label || p.naam })));
  // the profile of the address, else the one the API recommends for this gemeente (aanbevolen)
  const start = profiles.some((p) => p.naam === initial.profiel) ? initial.profiel
    : (profiles.find((p) => p.aanbevolen) || profiles[0]).naam;
  selectProfile(start, meta.methoden.some((m) => m.id === initial.methode) ? initial.methode : null);
  byId("profiel").addEventListener("change", (e) => { selectProfile(e.target.value); rescore(); });
  byId("methode").addEventListener("change", (e) => { store.set({ method: e.target.value }); rescore(); });
  byId("reset-weights").addEventListener("click", () => { selectProfile(store.get("profile")); rescore(); });
  for (const [id, key] of [["robuust", "robuust"], ["partners-vergelijken", "partners"]]) {
    byId(id).addEventListener("change", (e) => { store.update("options", (o) => ({ ...o, [key]: e.target.checked })); rescore(); });
  }
  // synthetic and left-out criteria of the shown result
  store.subscribe(["scores"], markCriteria);
  // the catalogue gives the labels: re-label when it changes (a new raster, a new period)
  store.subscribe(["catalogue"], renderSliders);
}
