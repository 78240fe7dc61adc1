// The data the map stands on, chosen explicitly: the buurten year and the Leefbaarometer edition
// (default: the API's standaard, the newest combination that covers the gemeente), the warnings
// of the indicator table (an incomplete newer period, a newer year the Leefbaarometer does not
// cover) and the buurtcodes that differ between years. A different year means different buurten:
// the choice goes into the address and the map is loaded again with it, so nothing switches
// silently and every part of the page (buurten, wijken, values, scores) reads the same year.

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { VIEW, readView } from "./urlstate.js";
import { formatView } from "../lib/url.js";
import { codeChangeSummary, combinationCoverage, editionOptions, isCarriedForwardWarning, yearOptions } from "../lib/datatruth.js";

/** Reload the map with another buurten year or edition (kept in the address; the default is not). */
function switchTo(jaar, editie) {
  const std = store.get("table").keuzes.standaard;
  const view = { ...readView(), buurt: null, jaar: jaar === std.jaar ? null : jaar, editie: editie === std.editie ? null : editie };
  byId("jaar-note").textContent = `De kaart wordt opnieuw geladen: buurten ${jaar}, Leefbaarometer ${editie ?? "geen"}…`;
  window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}${formatView(view, VIEW)}`);
  window.location.reload();
}

function codeChanges(changes) {
  const box = byId("codewijzigingen");
  box.hidden = changes.length === 0;
  if (!changes.length) return;
  const overlap = (c) => (c.overlap?.length
    ? h("span", { class: "hint" }, ` Ligt in ${c.vergeleken_met}: ${c.overlap.map((o) => `${o.buurtnaam || o.buurtcode} (${o.buurtcode})`).join(", ")}.`)
    : null);
  fill(box,
    h("summary", {}, `Buurtcodes: ${codeChangeSummary(changes)}`),
    h("ul", {}, changes.map((c) => h("li", { dataset: { code: c.buurtcode, soort: c.soort } }, c.toelichting, overlap(c)))));
}

function render(s) {
  const t = s.get("table");
  const k = t.keuzes;
  if (!k) return;
  const year = byId("jaar"); const edition = byId("editie");
  fillSelect(year, yearOptions(k, t.editie), String(t.jaar));
  fillSelect(edition, editionOptions(k, t.jaar), String(t.editie ?? ""));
  year.disabled = k.jaren.length < 2;
  edition.disabled = k.edities.length < 2;
  const chosen = s.get("dataChoice");
  const shown = k.combinaties.find((c) => c.jaar === t.jaar && (c.editie ?? null) === (t.editie ?? null));
  const std = `buurten ${k.standaard.jaar} met Leefbaarometer ${k.standaard.editie ?? "geen"}`;
  byId("jaar-note").textContent = [
    shown ? combinationCoverage(shown) : null,
    chosen.jaar || chosen.editie ? `Gekozen; de standaard is ${std}.`
      : k.jaren.length > 1 || k.edities.length > 1 ? "De standaard: de nieuwste combinatie die de gemeente dekt; een andere keuze laadt de kaart opnieuw." : null,
  ].filter(Boolean).join(" ");
  // the note on carried-forward deliveries is in the period panel, per partner with its age
  const warnings = t.waarschuwingen.filter((w) => !isCarriedForwardWarning(w, t.periode));
  fill("data-warnings", warnings.map((w) => h("p", { class: "hint warn" }, w)));
  codeChanges(k.codewijzigingen || []);
  byId("intro-synthetisch").hidden = !t.synthetisch; // the introduction names synthetic data only where there are
}

export function mountChoices() {
  const year = byId("jaar"); const edition = byId("editie");
  const change = () => switchTo(Number(year.value), edition.value ? Number(edition.value) : null);
  year.addEventListener("change", change);
  edition.addEventListener("change", change);
  store.subscribe(["table", "dataChoice"], render);
  render(store);
}
