// DIA proposals on the map and in a list: every proposal's newest version (GET /api/voorstellen/kaart,
// the map's layer, revalidated with its ETag; not /api/voorstellen/export, the audited download),
// outlined in the colour of its status with a light fill, a legend, a list with filters (status,
// partner) and the downloads of all proposals. Proposals
// that overlap the area being drawn are flagged (red dashed). A click on an outline or a list item
// opens the proposal (store "proposal"). Which proposals a visitor sees is the server's rule
// (row-level security): not signed in, only the public ones; signing in or out reloads the page
// (ui/auth.js), so the layer and the list are read again in the new view.
//
// Panes: "dia-voorstellen-vlak" (415, the fills: not clickable, the buurten stay clickable) and
// "dia-voorstellen" (436, the outlines: clickable).

import { store } from "./state.js";
import { h, fill, fillSelect, byId } from "./dom.js";
import { getJSON } from "./api.js";
import { getMap } from "./map.js";
import { addSnapLayer, removeSnapLayer } from "./dia-draw.js";
import { rights, signInInstead } from "./proposal-signer.js";
import { STATUS_COLORS, filterProposals, partnerList, proposalStyle, statusInfo } from "../lib/dia.js";
import { formatDate, formatNumber, plural } from "../lib/format.js";

const L = window.L;
let outlines = null;
let fills = null;

/** (Re)load every proposal's newest version; the layer and the list follow. */
export async function loadProposals() {
  const fc = await getJSON("/api/voorstellen/kaart");
  store.set({ proposals: fc });
  return fc;
}

function flaggedIds(s) {
  return new Set((s.get("diaStats")?.data?.overlap || []).map((o) => o.id));
}

function shown(s) {
  return filterProposals(s.get("proposals")?.features || [], s.get("proposalFilter"));
}

function drawLayer(s) {
  const map = getMap();
  if (outlines) { removeSnapLayer(outlines); map.removeLayer(outlines); outlines = null; }
  if (fills) { map.removeLayer(fills); fills = null; }
  if (!s.get("proposalsOn") || !s.get("proposals")) return;
  const flagged = flaggedIds(s);
  const open = s.get("proposal");
  const features = shown(s);
  const meta = s.get("meta");
  fills = L.geoJSON(features, {
    pane: "dia-voorstellen-vlak", interactive: false,
    style: (f) => ({ stroke: false, fillColor: STATUS_COLORS[f.properties.status] || "#636363", fillOpacity: 0.18 }),
  }).addTo(map);
  outlines = L.geoJSON(features, {
    pane: "dia-voorstellen",
    style: (f) => ({ ...proposalStyle(f.properties.status, { flagged: flagged.has(f.properties.id) }), ...(f.properties.id === open ? { weight: 6 } : {}) }),
    onEachFeature: (f, lyr) => {
      const p = f.properties;
      lyr.bindTooltip(() => h("div", {}, h("strong", {}, p.naam), h("br"), `${statusInfo(meta, p.status).label} · versie ${p.versie}`,
        flagged.has(p.id) ? [h("br"), h("span", { class: "violation" }, "Overlapt met het getekende gebied")] : null), { sticky: true });
      lyr.on("click", () => { if (!store.get("diaTool")) store.set({ proposal: p.id, proposalVersion: null, proposalComparison: null }); });
    },
  }).addTo(map);
  outlines.eachLayer((l) => l.getElement()?.setAttribute("data-voorstel", String(l.feature.properties.id)));
  addSnapLayer(outlines);
}

function renderLegend(s) {
  const statuses = s.get("meta")?.voorstelstatussen || [];
  fill("voorstel-legenda", statuses.map((st) => h("span", { class: "chip" },
    h("span", { class: "swatch-line", style: { borderColor: STATUS_COLORS[st.id], borderStyle: proposalStyle(st.id).dashArray ? "dashed" : "solid" } }), st.label)),
  h("span", { class: "chip" }, h("span", { class: "swatch-line", style: { borderColor: proposalStyle("concept", { flagged: true }).color, borderStyle: "dashed" } }), "overlapt met het getekende gebied"));
}

function renderFilters(s) {
  const statuses = s.get("meta")?.voorstelstatussen || [];
  const f = s.get("proposalFilter");
  fillSelect(byId("voorstel-status"), [{ value: "", label: "alle statussen" }, ...statuses.map((st) => ({ value: st.id, label: st.label }))], f.status);
  const partners = new Set(s.get("organisations").map((o) => o.naam));
  for (const p of s.get("proposals")?.features || []) partnerList(p.properties.partners).forEach((x) => partners.add(x));
  fillSelect(byId("voorstel-partner"), [{ value: "", label: "alle partners" }, ...[...partners].sort((a, b) => a.localeCompare(b, "nl")).map((x) => ({ value: x, label: x }))], f.partner);
}

function renderList(s) {
  const all = s.get("proposals")?.features || [];
  const items = shown(s);
  const meta = s.get("meta");
  const open = s.get("proposal");
  fill("voorstel-lijst",
    h("p", { class: "hint" }, all.length ? `${plural(items.length, "voorstel", "voorstellen")} van ${all.length}`
      : rights().signedIn ? "Nog geen voorstellen. Teken een gebied of kies buurten en sla het op." : "Nog geen openbare voorstellen."),
    rights().signedIn ? null : signInInstead("voorstellen-aanmelden", { anonymous: "U ziet alleen de openbare voorstellen; concepten zien ingelogde partners." }),
    items.length ? h("ul", {}, items.map((f) => {
      const p = f.properties;
      return h("li", { class: p.id === open ? "open" : null },
        h("button", { type: "button", class: "rowbutton", dataset: { voorstel: String(p.id) }, "aria-current": p.id === open ? "true" : undefined,
          onclick: () => store.set({ proposal: p.id, proposalVersion: null, proposalComparison: null }) }, p.naam),
        h("div", { class: "hint" }, h("span", { class: "status-dot", style: { background: STATUS_COLORS[p.status] } }),
          `${statusInfo(meta, p.status).label} · versie ${p.versie} · ${formatNumber(p.oppervlakte_ha, 1)} ha · ${formatDate(p.aangemaakt)}`,
          partnerList(p.partners).length ? ` · ${partnerList(p.partners).join(", ")}` : ""));
    })) : null);
}

export function mountProposals() {
  const map = getMap();
  map.createPane("dia-voorstellen-vlak").style.zIndex = "415";
  map.getPane("dia-voorstellen-vlak").style.pointerEvents = "none";
  map.createPane("dia-voorstellen").style.zIndex = "436";
  byId("toggle-voorstellen").addEventListener("change", (e) => store.set({ proposalsOn: e.target.checked }));
  byId("voorstel-status").addEventListener("change", (e) => store.update("proposalFilter", (f) => ({ ...f, status: e.target.value })));
  byId("voorstel-partner").addEventListener("change", (e) => store.update("proposalFilter", (f) => ({ ...f, partner: e.target.value })));
  store.subscribe(["proposals", "proposalsOn", "proposalFilter", "diaStats", "proposal"], (s, changed) => {
    // statistics that only say "bezig" change no flag: keep the layer
    if (changed.length === 1 && changed[0] === "diaStats" && s.get("diaStats")?.state === "bezig") return;
    drawLayer(s);
  });
  store.subscribe(["proposals", "proposalFilter", "proposal"], renderList);
  store.subscribe(["proposals", "organisations"], renderFilters);
  renderLegend(store);
  // loaded once the first ranking is on screen: the map's own start-up requests go first
  const off = store.subscribe(["scores", "scoreError"], (s) => {
    if (!s.get("scores") && !s.get("scoreError")) return;
    off();
    getJSON(`/api/organisations?gemeente=${encodeURIComponent(s.get("config").gemeente)}`)
      .then((orgs) => store.set({ organisations: orgs }))
      .catch(() => store.set({ organisations: [] }));
    loadProposals().catch((err) => fill("voorstel-lijst", h("p", { class: "hint error" }, `De voorstellen konden niet worden geladen: ${err.message}`)));
  });
}
