// Scenarios: save the current weighting (stored, never changed) and compare two scenarios (rank
// changes per buurt, Kendall's tau, the rank change as a map with a diverging ramp).

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { getJSON, postJSON } from "./api.js";
import { requestBody } from "./scores.js";
import { writeHeaders } from "./key.js";
import { selectBuurt } from "./selection.js";
import { formatDate, formatFixed, formatSigned, plural } from "../lib/format.js";

export function scenarioLabel(sc) {
  return `#${sc.id} ${sc.naam} (${sc.auteur}, ${formatDate(sc.aangemaakt)})`;
}

export async function loadScenarios() {
  const list = await getJSON("/api/scenarios");
  store.set({ scenarios: list });
  const options = list.map((sc) => ({ value: String(sc.id), label: scenarioLabel(sc) }));
  ["scenario-a", "scenario-b"].forEach((id, i) => {
    const el = byId(id);
    const keep = el.value;
    fillSelect(el, options, keep);
    if (!list.some((sc) => String(sc.id) === keep) && list.length) el.selectedIndex = Math.min(1 - i, list.length - 1); // A older, B newest
  });
  byId("scenario-compare-box").hidden = list.length < 2;
  return list;
}

async function save() {
  const naam = byId("scenario-naam").value.trim();
  const auteur = byId("scenario-auteur").value.trim();
  const status = byId("scenario-status");
  if (!naam || !auteur) { status.textContent = "Vul een naam en een auteur in."; return; }
  localStorage.setItem("sia-auteur", auteur);
  let res;
  try {
    res = await postJSON("/api/scenarios", { ...requestBody(), naam, auteur }, writeHeaders());
  } catch (err) {
    status.textContent = `Niet opgeslagen: ${err.message}`;
    return;
  }
  byId("scenario-naam").value = "";
  await loadScenarios();
  byId("scenario-b").value = String(res.id);
  status.textContent = `Opgeslagen als scenario #${res.id}: '${res.naam}'. Het blijft ongewijzigd bewaard.`;
}

function changeCell(v) {
  if (v === null || v === undefined) return h("td", { class: "v" }, "");
  // rang_verschil = B − A: positive means a lower place in B
  if (v === 0) return h("td", { class: "v" }, "=");
  return h("td", { class: `v ${v > 0 ? "down" : "up"}` }, v > 0 ? `▼ ${v}` : `▲ ${-v}`);
}

async function compare() {
  const a = byId("scenario-a").value; const b = byId("scenario-b").value;
  const status = byId("scenario-status");
  if (a === b) { status.textContent = "Kies twee verschillende scenario's om te vergelijken."; return; }
  let cmp;
  try {
    cmp = await getJSON(`/api/scenarios/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
  } catch (err) {
    status.textContent = `Vergelijken mislukt: ${err.message}`;
    return;
  }
  const moved = cmp.buurten.filter((r) => r.rang_verschil).length;
  fill("comparison",
    h("p", { class: "hint" }, `Scenario #${cmp.a.id} '${cmp.a.naam}' → #${cmp.b.id} '${cmp.b.naam}': `,
      `${plural(moved, "buurt verandert", "buurten veranderen")} van plaats; Kendalls tau ${cmp.kendall_tau === null ? "–" : formatFixed(cmp.kendall_tau)} (1 = zelfde volgorde).`),
    h("table", {}, h("caption", { class: "visually-hidden" }, "Grootste verschuivingen in de ranglijst"),
      h("thead", {}, h("tr", {}, ["Buurt", "Rang A", "Rang B", "Verschil"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, cmp.buurten.slice(0, 25).map((r) => h("tr", { dataset: { code: r.buurtcode } },
        h("td", {}, h("button", { type: "button", class: "rowbutton", dataset: { code: r.buurtcode } }, r.buurtnaam)),
        h("td", { class: "v" }, r.rang_a ?? "–"), h("td", { class: "v" }, r.rang_b ?? "–"), changeCell(r.rang_verschil))))));
  store.set({ comparison: cmp, indicator: "sia_rangverschil" });
  status.textContent = `Op de kaart: de verschuiving per buurt (${formatSigned(1)} = één plaats hoger in B).`;
}

export function mountScenarios() {
  byId("scenario-auteur").value = localStorage.getItem("sia-auteur") || "";
  byId("scenario-save").addEventListener("click", save);
  byId("scenario-compare").addEventListener("click", compare);
  byId("comparison").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-code]");
    if (b) selectBuurt(b.dataset.code, { zoom: true });
  });
  loadScenarios().catch((err) => { byId("scenario-status").textContent = `De scenario's konden niet worden geladen: ${err.message}`; });
}
