// A DIA area on the map: the drawing tools (a toolbar on the map), "buurten kiezen" (buurten or
// whole wijken dissolved into one area by POST /api/gebieden/uit-buurten), "maak hier een
// voorstel van" for every candidate area, the live statistics of the area (debounced POST
// /api/gebieden/statistieken with the current weighting), refusals in Dutch from the API, and
// saving the area as a new proposal or as a new version of the proposal whose boundary is edited
// (planners and beheerders, in their own name: ui/proposal-signer.js; anyone may draw and measure).

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { postJSON } from "./api.js";
import { getMap } from "./map.js";
import { candidateLayer } from "./candidates.js";
import { requestBody } from "./scores.js";
import { mountDraw } from "./dia-draw.js";
import { statsView } from "./dia-stats.js";
import { loadProposals } from "./proposals.js";
import { reloadProposal } from "./proposal-panel.js";
import { rights, signedInAs, signInInstead } from "./proposal-signer.js";
import { AREA_COLOR, debounce, newest, toggled } from "../lib/dia.js";
import { formatInteger, formatFixed, plural } from "../lib/format.js";

const L = window.L;
const TOOLS = [
  { tool: "tekenen", label: "Tekenen", title: "Teken een gebied: klik de hoekpunten en sluit af op het eerste punt (Esc breekt af)" },
  { tool: "buurten", label: "Buurten kiezen", title: "Klik buurten aan of uit; ze worden samengevoegd tot één gebied" },
  { tool: "bewerken", label: "Hoekpunten", title: "Versleep de hoekpunten van het gebied (met snappen naar buurtgrenzen)", area: true },
  { tool: "verslepen", label: "Verslepen", title: "Versleep het hele gebied", area: true },
  { tool: "knippen", label: "Knippen", title: "Teken een vorm die uit het gebied wordt geknipt", area: true },
  { tool: "wissen", label: "Wissen", title: "Wis het gebied", area: true, action: true },
];
const SOURCES = { getekend: "Getekend gebied", buurten: "Gebied uit buurten", kandidaat: "Kandidaatgebied", geknipt: "Getekend gebied" };

const statsTicket = newest();
const pickTicket = newest();
let toolbar = null;
let pickOutline = null;
let shownData = null;
let formFor = null;
let statsRendered = 0;

// --- the toolbar on the map -------------------------------------------------------------------

function mountToolbar() {
  const control = L.Control.extend({
    options: { position: "topright" },
    onAdd() {
      const buttons = TOOLS.map((t) => h("button", {
        type: "button", class: "dia-tool", dataset: { tool: t.tool }, title: t.title,
        "aria-pressed": t.action ? undefined : "false", onclick: () => choose(t),
      }, t.label));
      const bar = h("div", { class: "leaflet-bar dia-toolbar", role: "toolbar", "aria-label": "DIA-gebied tekenen" }, buttons);
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.disableScrollPropagation(bar);
      return bar;
    },
  });
  toolbar = new control().addTo(getMap()).getContainer();
}

function choose(t) {
  if (t.action) { clearArea(); return; }
  const now = store.get("diaTool");
  const next = now === t.tool ? null : t.tool;
  if (next === "buurten") startPicking();
  store.set({ diaTool: next, ...(next && store.get("layout") === "smal" ? { drawer: null } : {}) });
}

function renderToolbar(s) {
  if (!toolbar) return;
  const tool = s.get("diaTool");
  const hasArea = Boolean(s.get("diaArea")?.geometry);
  toolbar.querySelectorAll("button").forEach((b) => {
    const t = TOOLS.find((x) => x.tool === b.dataset.tool);
    if (!t.action) b.setAttribute("aria-pressed", String(tool === t.tool));
    b.disabled = Boolean(t.area) && !hasArea;
  });
  document.body.dataset.diaTool = tool || "";
}

export function clearArea() {
  store.set({ diaArea: null, diaTool: null, diaPicked: { buurten: [], wijken: [] }, diaStats: null });
}

// --- buurten kiezen ----------------------------------------------------------------------------

function startPicking() {
  store.set({ diaPicked: { buurten: [], wijken: [] } });
}

/** True while "buurten kiezen" is on: a click on a buurt then picks it instead of selecting it. */
export function pickingBuurten() {
  return store.get("diaTool") === "buurten";
}

/**
 * What a click on a buurt does: select it (no tool), pick it ("buurten kiezen"), or nothing (a
 * drawing tool owns the click). Wraps the map's selection handler.
 */
export function buurtClick(select) {
  return (code, options) => {
    const tool = store.get("diaTool");
    if (tool === "buurten") pickBuurt(code);
    else if (!tool) select(code, options);
  };
}

export function pickBuurt(code) {
  store.update("diaPicked", (p) => ({ ...p, buurten: toggled(p.buurten, code) }));
}

function pickWijk(code) {
  store.update("diaPicked", (p) => ({ ...p, wijken: toggled(p.wijken, code) }));
}

function wijkOptions() {
  const byWijk = new Map();
  for (const f of store.get("buurten").features) {
    const { wijkcode, buurtnaam } = f.properties;
    if (!byWijk.has(wijkcode)) byWijk.set(wijkcode, []);
    byWijk.get(wijkcode).push(buurtnaam);
  }
  return [...byWijk.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, names]) => ({
    value: code, label: `${code}: ${names.slice(0, 3).join(", ")}${names.length > 3 ? ` e.a. (${names.length} buurten)` : ""}`,
  }));
}

function pickedFeatures(p) {
  const wijken = new Set(p.wijken);
  const buurten = new Set(p.buurten);
  return store.get("buurten").features.filter((f) => buurten.has(f.properties.buurtcode) || wijken.has(f.properties.wijkcode));
}

function renderPick(s) {
  const box = byId("dia-pick");
  if (s.get("diaTool") !== "buurten") { box.replaceChildren(); return; }
  const p = s.get("diaPicked");
  const names = s.get("names");
  const select = h("select", { id: "dia-wijk" }, wijkOptions().map((o) => h("option", { value: o.value }, o.label)));
  const selected = s.get("selected");
  fill(box,
    h("p", { class: "hint" }, "Klik op de kaart buurten aan of uit, of voeg een hele wijk toe. Ze worden samengevoegd tot één gebied."),
    h("ul", { class: "dia-picked", "aria-label": "Gekozen buurten en wijken" },
      p.buurten.map((c) => h("li", {}, names.get(c) || c, " ", h("button", { type: "button", class: "linkbutton", "aria-label": `${names.get(c) || c} weghalen`, onclick: () => pickBuurt(c) }, "weghalen"))),
      p.wijken.map((c) => h("li", {}, `Wijk ${c}`, " ", h("button", { type: "button", class: "linkbutton", "aria-label": `Wijk ${c} weghalen`, onclick: () => pickWijk(c) }, "weghalen")))),
    h("label", { for: "dia-wijk" }, "Hele wijk"), select,
    h("button", { type: "button", id: "dia-wijk-toevoegen", onclick: () => { if (!p.wijken.includes(select.value)) pickWijk(select.value); } }, "Wijk toevoegen"),
    selected ? h("button", { type: "button", id: "dia-buurt-toevoegen", onclick: () => { if (!p.buurten.includes(selected)) pickBuurt(selected); } },
      `Gekozen buurt toevoegen (${names.get(selected) || selected})`) : null,
    h("button", { type: "button", class: "primary", id: "dia-pick-klaar", onclick: () => store.set({ diaTool: null }) }, "Klaar met kiezen"));
}

function outlinePicked(p, picking) {
  const map = getMap();
  if (pickOutline) { map.removeLayer(pickOutline); pickOutline = null; }
  if (!picking) return;
  const features = pickedFeatures(p);
  if (!features.length) return;
  pickOutline = L.geoJSON({ type: "FeatureCollection", features }, {
    pane: "markering", interactive: false, style: { color: AREA_COLOR, weight: 2, dashArray: "4 3", fillColor: AREA_COLOR, fillOpacity: 0.3 },
  }).addTo(map);
}

const buildFromBuurten = debounce(async () => {
  const p = store.get("diaPicked");
  const before = store.get("diaArea");
  const keep = { naam: before?.naam ?? null, voorstel: before?.voorstel ?? null };
  const t = pickTicket.ticket();
  if (!p.buurten.length && !p.wijken.length) {
    store.set({ diaArea: keep.voorstel ? { ...before, geometry: null } : null });
    return;
  }
  try {
    const res = await postJSON("/api/gebieden/uit-buurten", { buurtcodes: p.buurten, wijkcodes: p.wijken, gemeente: store.get("config").gemeente });
    if (!pickTicket.isNewest(t)) return;
    store.set({ diaArea: { ...keep, bron: keep.voorstel ? before.bron : "buurten", geometry: res.geometrie, buurtcodes: res.buurtcodes } });
  } catch (err) {
    if (pickTicket.isNewest(t)) byId("dia-area-status").textContent = `Het gebied kon niet worden samengesteld: ${err.message}`;
  }
}, 250);

// --- candidate areas: "maak hier een voorstel van" ----------------------------------------------

function fromCandidate(f) {
  const p = f.properties;
  store.set({
    diaTool: null,
    diaArea: { geometry: f.geometry, bron: "kandidaat", naam: `Kandidaatgebied ${p.gebied ?? ""}`.trim(), voorstel: null, fit: true },
    ...(store.get("layout") === "smal" ? { drawer: "resultaten" } : {}),
  });
  byId("dia-area-title").focus();
}

function renderCandidates(s) {
  const fc = s.get("candidates");
  const list = byId("kandidaten-lijst");
  const names = s.get("names");
  fill(list, (fc?.features || []).map((f) => h("li", {},
    h("span", {}, `${f.properties.gebied}: ${String(f.properties.buurtcodes || "").split(",").map((c) => names.get(c.trim()) || c).join(", ")}`),
    " ", h("button", { type: "button", class: "linkbutton", dataset: { gebied: f.properties.gebied }, onclick: () => fromCandidate(f) }, "maak hier een voorstel van"))));
  candidateLayer()?.eachLayer((lyr) => {
    lyr.options.snapIgnore = false;
    lyr.bindPopup(() => h("div", {}, h("strong", {}, `Kandidaatgebied ${lyr.feature.properties.gebied}`), h("br"),
      `${plural(lyr.feature.properties.n_buurten, "buurt", "buurten")}, ${formatInteger(lyr.feature.properties.inwoners)} inwoners, gem. score ${formatFixed(lyr.feature.properties.gem_score)}`, h("br"),
      h("button", { type: "button", class: "linkbutton", onclick: () => { getMap().closePopup(); fromCandidate(lyr.feature); } }, "Maak hier een voorstel van")));
  });
}

// --- statistics ---------------------------------------------------------------------------------

const debouncedStats = debounce(async () => {
  const area = store.get("diaArea");
  const t = statsTicket.ticket();
  if (!area?.geometry) { store.set({ diaStats: null }); return; }
  store.set({ diaStats: { ...(store.get("diaStats") || { data: null, error: null }), state: "bezig" } });
  try {
    const body = { ...requestBody(), geometrie: area.geometry, crs: "EPSG:4326" };
    if (area.voorstel) body.voorstel_id = area.voorstel.id; // a proposal's new boundary does not overlap itself
    const data = await postJSON("/api/gebieden/statistieken", body);
    if (statsTicket.isNewest(t)) store.set({ diaStats: { state: "ok", data, error: null } });
  } catch (err) {
    if (statsTicket.isNewest(t)) store.set({ diaStats: { state: "fout", data: null, error: err.message } });
  }
}, 350);

/** Ask for the statistics of the area as it is now: an answer still on its way for an earlier
 * area or weighting is dropped at once (a new ticket), not shown while the new one is debounced. */
function fetchStats() {
  statsTicket.ticket();
  debouncedStats();
}
fetchStats.cancel = () => { statsTicket.ticket(); debouncedStats.cancel(); };

function renderArea(s) {
  const area = s.get("diaArea");
  const picking = s.get("diaTool") === "buurten";
  const panel = byId("dia-area");
  panel.hidden = !area && !picking;
  if (panel.hidden) { shownData = null; formFor = null; return; }
  byId("dia-area-title").textContent = area?.voorstel ? `Nieuwe grens voor '${area.naam}'`
    : area?.bron === "kandidaat" ? area.naam : picking && !area ? "Gebied uit buurten" : SOURCES[area?.bron] || "Gebied";
  const st = s.get("diaStats");
  const status = byId("dia-area-status");
  status.classList.toggle("error", st?.state === "fout");
  status.textContent = !area?.geometry ? (picking ? "Nog geen buurten gekozen." : "")
    : st?.state === "bezig" ? "Cijfers van het gebied worden berekend…"
      : st?.state === "fout" ? `Dit gebied kan niet: ${st.error}` : "";
  const data = st?.state === "fout" || !area?.geometry ? null : st?.data ?? shownData;
  if (data !== shownData) {
    shownData = data;
    fill("dia-area-stats",
      data?.afgesneden ? h("button", { type: "button", id: "dia-afgesneden", onclick: () => useClipped(data) }, "Neem alleen het deel binnen de gemeente over") : null,
      data ? statsView(data, { quadrantLabel: (q) => s.get("meta").kwadranten.find((k) => k.id === q)?.label || data.scores?.kwadranten?.[q] || q }) : null);
    if (data) { statsRendered += 1; document.body.dataset.diaStats = String(statsRendered); }
  }
  if (st?.state === "fout") document.body.dataset.diaStatsError = st.error;
  renderSaveForm(area);
}

/** A shape partly outside the gemeente: take the part inside, as the API used it, as the area. */
function useClipped(data) {
  const area = store.get("diaArea");
  if (area) store.set({ diaArea: { ...area, geometry: data.geometrie } });
}

// --- saving ---------------------------------------------------------------------------------------

function renderSaveForm(area) {
  const key = area?.geometry ? (area.voorstel ? `v${area.voorstel.id}` : "nieuw") : null;
  if (key === formFor) return;
  formFor = key;
  if (!key) { fill("dia-save"); return; }
  if (!rights().write) {
    fill("dia-save", signInInstead("dia-save-aanmelden", area.voorstel
      ? { anonymous: "Log in om de nieuwe grens als versie op te slaan.", reader: "Een nieuwe grens opslaan doen planners en beheerders van de betrokken organisaties." }
      : { anonymous: "Log in om een voorstel op te slaan.", reader: "Een voorstel opslaan doen planners en beheerders; u kunt het gebied wel meten." }));
    return;
  }
  if (area.voorstel) {
    fill("dia-save", h("form", { id: "dia-versie-form", class: "dia-form", onsubmit: (e) => { e.preventDefault(); saveVersion(); } },
      h("h4", {}, "Opslaan als nieuwe versie"),
      h("p", { class: "hint" }, `Versie ${area.voorstel.versie} blijft ongewijzigd bewaard; de nieuwe grens wordt versie ${area.voorstel.versie + 1}.`),
      signedInAs("dia-save-auteur"),
      h("label", { for: "versie-wijziging" }, "Wat is er veranderd en waarom?"), h("input", { id: "versie-wijziging", maxlength: "500" }),
      h("button", { type: "submit", class: "primary", id: "versie-opslaan" }, "Nieuwe versie opslaan"), " ",
      h("button", { type: "button", onclick: clearArea }, "Annuleren"),
      h("p", { class: "hint", id: "dia-save-status", "aria-live": "polite" })));
    return;
  }
  const orgs = store.get("organisations");
  fill("dia-save", h("form", { id: "dia-voorstel-form", class: "dia-form", onsubmit: (e) => { e.preventDefault(); saveProposal(); } },
    h("h4", {}, "Opslaan als DIA-voorstel"),
    signedInAs("dia-save-auteur"),
    h("label", { for: "voorstel-naam" }, "Naam van het voorstel"), h("input", { id: "voorstel-naam", maxlength: "120", required: true, value: area.naam || "" }),
    h("label", { for: "voorstel-motivering" }, "Motivering"), h("textarea", { id: "voorstel-motivering", rows: "3" }),
    h("fieldset", { id: "voorstel-partners", class: "checks" }, h("legend", {}, "Betrokken partners"),
      orgs.map((o) => h("label", { class: "check" }, h("input", { type: "checkbox", value: o.naam }), ` ${o.naam}`))),
    h("label", { for: "voorstel-contact" }, "Contactpersoon"), h("input", { id: "voorstel-contact", maxlength: "500" }),
    h("p", { class: "hint" }, "Het voorstel krijgt de status concept en bewaart de huidige weging en de gegevens waarop de cijfers staan."),
    h("button", { type: "submit", class: "primary", id: "voorstel-opslaan" }, "Voorstel opslaan"),
    h("p", { class: "hint", id: "dia-save-status", "aria-live": "polite" })));
}

function saveStatus(text, error = false) {
  const el = byId("dia-save-status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

async function saveProposal() {
  const area = store.get("diaArea");
  const naam = byId("voorstel-naam").value.trim();
  if (!naam) { saveStatus("Vul een naam voor het voorstel in.", true); return; }
  const body = {
    naam, motivering: byId("voorstel-motivering").value.trim(), contact: byId("voorstel-contact").value.trim(),
    partners: [...byId("voorstel-partners").querySelectorAll("input:checked")].map((i) => i.value),
    geometrie: area.geometry, crs: "EPSG:4326", weging: requestBody(),
  };
  saveStatus("Opslaan…");
  try {
    const saved = await postJSON("/api/voorstellen", body);
    clearArea();
    await loadProposals();
    store.set({ proposal: saved.id, proposalVersion: null, proposalComparison: null });
  } catch (err) {
    saveStatus(`Niet opgeslagen: ${err.message}`, true);
  }
}

async function saveVersion() {
  const area = store.get("diaArea");
  saveStatus("Opslaan…");
  try {
    await postJSON(`/api/voorstellen/${area.voorstel.id}/versies`, {
      basisversie: area.voorstel.versie, wijziging: byId("versie-wijziging").value.trim() || "grens gewijzigd",
      geometrie: area.geometry, crs: "EPSG:4326",
    });
    const id = area.voorstel.id;
    clearArea();
    await loadProposals();
    if (store.get("proposal") === id) await reloadProposal(); else store.set({ proposal: id });
  } catch (err) {
    saveStatus(`Niet opgeslagen: ${err.message}`, true);
  }
}

// --- mount ------------------------------------------------------------------------------------------

export function mountDia() {
  mountDraw();
  mountToolbar();
  byId("dia-area-close").addEventListener("click", clearArea);
  store.subscribe(["diaTool", "diaArea"], renderToolbar);
  store.subscribe(["diaTool", "diaPicked", "selected"], (s) => { renderPick(s); outlinePicked(s.get("diaPicked"), s.get("diaTool") === "buurten"); });
  store.subscribe(["diaPicked"], () => { if (pickingBuurten()) buildFromBuurten(); });
  store.subscribe(["diaArea"], (s) => {
    const area = s.get("diaArea");
    if (area?.geometry) { store.set({ diaStats: { ...(s.get("diaStats") || { data: null, error: null }), state: "bezig" } }); fetchStats(); } else { fetchStats.cancel(); store.set({ diaStats: null }); }
  });
  // on a narrow screen the figures slide in once no tool needs the map
  store.subscribe(["diaArea", "diaTool"], (s) => {
    if (s.get("layout") === "smal" && s.get("diaArea")?.geometry && !s.get("diaTool")) s.set({ drawer: "resultaten" });
  });
  store.subscribe(["scores"], (s) => { if (s.get("diaArea")?.geometry) fetchStats(); }); // another weighting: the area's scores follow
  store.subscribe(["diaArea", "diaStats", "diaTool"], renderArea);
  store.subscribe(["candidates"], renderCandidates);
  store.subscribe(["organisations"], () => { formFor = null; renderArea(store); });
  renderToolbar(store);
}
