// The period of the partner data: the choice (which periods are complete, the default, who is
// carried forward and how old that is), loading the indicator table of a period, and the data
// query every request for the table uses (gemeente, buurten year, Leefbaarometer edition, period).

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { getJSON, qs } from "./api.js";
import { showMessage } from "./status.js";
import { rescore } from "./scores.js";
import { carriedForwardText, listNames, periodOptions } from "../lib/datatruth.js";

let seq = 0;

export function asTable(t) {
  return {
    jaar: t.jaar, editie: t.editie ?? null, periode: t.periode, perioden: t.perioden, onderdrukt: t.onderdrukt,
    synthetisch: t.synthetisch, kolommen: new Map((t.kolommen || []).map((c) => [c.id, c])),
    volledigheid: t.volledigheid || null, keuzes: t.keuzes || null, waarschuwingen: t.waarschuwingen || [],
    leveringen: t.leveringen || [], rows: new Map(t.rijen.map((r) => [r.buurtcode, r])),
  };
}

/** The data a request reads: the gemeente, the year and edition asked for, and a period. */
export function dataQuery(periode = store.get("periode")) {
  const { jaar, editie } = store.get("dataChoice");
  return { gemeente: store.get("config").gemeente, jaar, editie, periode };
}

/**
 * The indicator table the map opens with: the year, edition and period of the address, or, when
 * those are not (or no longer) available, the API's defaults, saying so.
 */
export async function firstTable(view) {
  const gemeente = store.get("config").gemeente;
  const asked = { jaar: view.jaar ?? null, editie: view.editie ?? null };
  store.set({ dataChoice: asked });
  try {
    return await getJSON(`/api/indicators/table${qs({ gemeente, ...asked, periode: view.periode })}`);
  } catch (err) {
    if (!asked.jaar && !asked.editie && !view.periode) throw err;
    const what = [asked.jaar && `buurten ${asked.jaar}`, asked.editie && `Leefbaarometer ${asked.editie}`, view.periode && `periode ${view.periode}`];
    showMessage(`De gekozen gegevens (${what.filter(Boolean).join(", ")}) zijn niet beschikbaar: ${err.message}. De kaart toont de standaard.`, true);
    store.set({ dataChoice: { jaar: null, editie: null } });
    return getJSON(`/api/indicators/table${qs({ gemeente })}`);
  }
}

export async function loadPeriod(periode) {
  const mine = ++seq;
  try {
    const t = await getJSON(`/api/indicators/table${qs(dataQuery(periode))}`);
    if (mine !== seq) return; // a newer choice is on its way
    store.set({ table: asTable(t), periode: t.periode });
    rescore();
  } catch (err) {
    if (mine === seq) showMessage(`Periode ${periode} kon niet worden geladen: ${err.message}`, true);
  }
}

/** GET /api/periods: which periods are complete and the default (null when it fails). */
export async function loadPeriods() {
  try {
    store.set({ periods: await getJSON(`/api/periods${qs({ gemeente: store.get("config").gemeente })}`) });
  } catch (err) {
    store.set({ periods: null });
    showMessage(`De perioden konden niet worden geladen: ${err.message}`, true);
  }
}

/** After an upload: the periods, and the table of the shown period, again (its data changed). */
export async function refreshPeriods(uploaded) {
  await loadPeriods();
  const listed = (store.get("periods")?.perioden || []).map((p) => p.periode);
  const current = store.get("periode");
  await loadPeriod(current && listed.includes(current) ? current : uploaded);
}

function note(s) {
  const t = s.get("table");
  const periods = s.get("periods");
  const info = periods?.perioden.find((p) => p.periode === t.periode);
  const lines = [];
  if (info && !info.volledig) {
    lines.push(h("p", { class: "hint warn", id: "periode-onvolledig" },
      h("strong", {}, "Onvolledige periode. "),
      `Voor ${t.periode} leverde alleen ${listNames(info.actueel)}; de andere partners tellen mee met hun vorige levering.`));
  }
  for (const text of carriedForwardText(t.volledigheid)) lines.push(h("p", { class: "hint doorgeschoven" }, text));
  if (info && t.periode === periods.standaard && info.volledig) lines.push(h("p", { class: "hint" }, "Volledig: elke partner leverde voor deze periode (standaard)."));
  return lines;
}

export function mountPeriods() {
  const select = byId("periode");
  select.addEventListener("change", () => loadPeriod(select.value));
  const show = (s) => {
    const t = s.get("table");
    const options = periodOptions(s.get("periods"));
    fillSelect(select, options.length ? options : t.perioden.map((p) => ({ value: p, label: p })), t.periode);
    byId("periode-box").hidden = t.perioden.length === 0;
    fill("periode-note", note(s));
  };
  store.subscribe(["table", "periods"], show);
  show(store);
}
