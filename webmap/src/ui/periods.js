// The period of the partner data: the choice, and loading the indicator table of a period.

import { store } from "./state.js";
import { fillSelect, byId } from "./dom.js";
import { getJSON, qs } from "./api.js";
import { showMessage } from "./status.js";
import { rescore } from "./scores.js";

let seq = 0;

export function asTable(t) {
  return { jaar: t.jaar, periode: t.periode, perioden: t.perioden, onderdrukt: t.onderdrukt, synthetisch: t.synthetisch,
    rows: new Map(t.rijen.map((r) => [r.buurtcode, r])) };
}

export async function loadPeriod(periode) {
  const mine = ++seq;
  try {
    const t = await getJSON(`/api/indicators/table${qs({ gemeente: store.get("config").gemeente, periode })}`);
    if (mine !== seq) return; // a newer choice is on its way
    store.set({ table: asTable(t), periode: t.periode });
    rescore();
  } catch (err) {
    if (mine === seq) showMessage(`Periode ${periode} kon niet worden geladen: ${err.message}`, true);
  }
}

export function mountPeriods() {
  const select = byId("periode");
  select.addEventListener("change", () => loadPeriod(select.value));
  const show = (s) => {
    const t = s.get("table");
    fillSelect(select, t.perioden.map((p) => ({ value: p, label: p })), t.periode);
    byId("periode-box").hidden = t.perioden.length === 0;
  };
  store.subscribe(["table"], show);
  show(store);
}
