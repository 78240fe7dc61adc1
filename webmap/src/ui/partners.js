// Partner layers at address level: holdings and planned sales as points (clustered when zoomed
// out), projects as points or areas. They live in the pane "partners", above the buurten, so a
// point stays clickable wherever the mouse was before.

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { getJSON } from "./api.js";
import { getMap } from "./map.js";
import { showMessage } from "./status.js";
import { LABEL_COLORS, PROJECT_COLORS } from "../lib/colors.js";
import { formatInteger, formatMoney, plural } from "../lib/format.js";
import { syntheticPartnersNote } from "../lib/datatruth.js";

const L = window.L;
// layer: the id of the layer in the catalogue (GET /api/layers), which gives its title
const KINDS = {
  bezit: { layer: "corporatiebezit", url: (p) => `/api/partners/features?laag=bezit&periode=${p}`, cluster: true },
  projecten: { layer: "geplande_projecten", url: (p) => `/api/partners/features?laag=projecten&periode=${p}`, cluster: false },
  verkoop: { layer: "geplande_verkoop", url: (p) => `/api/partners/sales-check?periode=${p}`, cluster: true },
};
const titleOf = (kind) => store.get("layerInfo").find((l) => l.id === KINDS[kind].layer)?.title || kind;
const layers = {}; // kind → Leaflet layer on the map
const data = {}; //   kind → the GeoJSON shown
const seqs = {};
let renderer = null;

export const partnerState = { layers, data };

const yesNo = (v) => (v === null || v === undefined ? "onbekend" : v ? "ja" : "nee");
const present = (v) => v !== null && v !== undefined && v !== "";
const address = (p) => [p.adres, p.postcode].filter(present).join(", ") || "(geen adres)";

function popupTable(rows, synthetic) {
  return [
    synthetic ? h("div", { class: "synthetic" }, "Synthetisch — geen echte gegevens") : null,
    h("table", { class: "popup" }, h("tbody", {}, rows.filter(([, v]) => present(v)).map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, String(v)))))),
  ];
}

function popup(kind, p) {
  if (kind === "bezit") {
    return h("div", {}, h("strong", {}, p.corporatie), h("br"), address(p), popupTable([
      ["Woningen", p.aantal_woningen], ["DAEB", yesNo(p.daeb)], ["Huurklasse", p.huurklasse],
      ["Energielabel", p.energielabel], ["Bouwjaar", p.bouwjaar], ["Conditie (NEN 2767)", p.conditie],
      ["Periode", p.periode], ["Vertrouwelijkheid", p.vertrouwelijkheid]], p.synthetisch));
  }
  if (kind === "verkoop") {
    return h("div", {}, h("strong", {}, `Verkoop ${p.corporatie}`), h("br"), address(p),
      p.overtreding ? h("div", { class: "violation" }, p.reden) : null, popupTable([
        ["Energielabel", p.energielabel], ["Conditie (NEN 2767)", p.conditie], ["Kluswoning", yesNo(p.kluswoning)],
        ["Gemeld aan gemeente", yesNo(p.gemeld_aan_gemeente)], ["Gepland jaar", p.gepland_jaar],
        ["Toets 4.1", p.overtreding ? null : (p.reden || "akkoord")], ["Periode", p.periode]], p.synthetisch));
  }
  return h("div", {}, h("strong", {}, p.projectnaam || "Project"), h("br"), `${p.partij ?? ""} · ${p.type ?? ""}`, popupTable([
    ["Woningen erbij", p.woningen_erbij], ["Woningen eraf", p.woningen_eraf],
    ["Looptijd", p.startjaar ? `${p.startjaar}–${p.eindjaar ?? "?"}` : null],
    ["Investering", p.investering_eur ? formatMoney(p.investering_eur) : null], ["Status", p.status],
    ["Periode", p.periode]], p.synthetisch));
}

function pointStyle(kind, p) {
  const o = store.get("opacity").partners;
  if (kind === "bezit") return { radius: 4 + Math.min(6, Math.sqrt(p.aantal_woningen || 1)), color: "#333", weight: 0.6, fillColor: LABEL_COLORS[p.energielabel] || "#999", fillOpacity: o, opacity: o };
  if (kind === "verkoop") return { radius: 6, color: p.overtreding ? "#7f0000" : "#333", weight: p.overtreding ? 2.5 : 0.8, fillColor: p.overtreding ? "#e31a1c" : "#fdd0a2", fillOpacity: o, opacity: o };
  return { radius: 7, color: "#222", weight: 1, fillColor: PROJECT_COLORS[p.type] || "#777", fillOpacity: o, opacity: o };
}

function featureLayer(kind, collection) {
  renderer = renderer || L.svg({ pane: "partners" });
  const geo = L.geoJSON(collection, {
    pane: "partners",
    renderer,
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...pointStyle(kind, f.properties), pane: "partners", renderer }),
    style: (f) => (f.geometry.type === "Point" ? pointStyle(kind, f.properties)
      : { color: PROJECT_COLORS[f.properties.type] || "#777", weight: 2, fillOpacity: 0.25 * store.get("opacity").partners, opacity: store.get("opacity").partners, dashArray: "4 3" }),
    onEachFeature: (f, lyr) => lyr.bindPopup(() => popup(kind, f.properties), { maxWidth: 320 }),
  });
  if (!KINDS[kind].cluster) return geo;
  const group = L.markerClusterGroup({
    maxClusterRadius: 45, disableClusteringAtZoom: 16, spiderfyOnMaxZoom: true, showCoverageOnHover: false,
    iconCreateFunction: (cluster) => {
      const markers = cluster.getAllChildMarkers();
      const n = kind === "bezit" ? markers.reduce((s, m) => s + (m.feature.properties.aantal_woningen || 1), 0) : markers.length;
      const bad = kind === "verkoop" && markers.some((m) => m.feature.properties.overtreding);
      const size = n < 100 ? "small" : n < 1000 ? "medium" : "large";
      const label = kind === "bezit" ? plural(n, "woning", "woningen") : plural(n, "verkoop", "verkopen");
      const icon = h("div", { title: label, "aria-label": label }, h("span", {}, formatInteger(n)));
      return L.divIcon({ html: icon, className: `marker-cluster marker-cluster-${size} cluster-${kind}${bad ? " cluster-bad" : ""}`, iconSize: L.point(40, 40) });
    },
  });
  group.addLayers(geo.getLayers());
  return group;
}

function renderLegend() {
  const shown = Object.keys(layers);
  const chip = (color, text, extra = {}) => h("span", { class: "chip" }, h("span", { class: "dot", style: { background: color, ...extra } }), text);
  const parts = [];
  if (shown.includes("bezit")) {
    parts.push(h("div", { class: "title" }, "Corporatiebezit: energielabel"),
      Object.entries(LABEL_COLORS).map(([k, c]) => chip(c, k)), chip("#999", "onbekend"),
      h("div", { class: "hint" }, "Clusters tonen het aantal woningen."));
  }
  if (shown.includes("projecten")) {
    parts.push(h("div", { class: "title" }, "Projecttype"), Object.entries(PROJECT_COLORS).map(([k, c]) => chip(c, k)));
  }
  if (shown.includes("verkoop")) {
    parts.push(h("div", { class: "title" }, "Verkoop (afspraak 4.1)"), chip("#e31a1c", "strijdig", { border: "2px solid #7f0000" }), chip("#fdd0a2", "akkoord"));
  }
  // which layers and partners are synthetic, by name; none: no banner (real deliveries are not "demonstratiedata")
  const synthetic = syntheticPartnersNote(shown.map((k) => ({ title: titleOf(k), features: data[k]?.features })));
  fill("partner-legend", synthetic ? h("div", { class: "synthetic", id: "partner-synthetic" }, synthetic) : null, parts);
  byId("partner-note").textContent = shown.map((k) => {
    const d = data[k];
    const extra = [d.verborgen ? `${formatInteger(d.verborgen)} vertrouwelijk (alleen per buurt getoond)` : "",
      d.zonder_locatie ? `${formatInteger(d.zonder_locatie)} zonder adres (alleen per buurt)` : "",
      d.overtredingen ? `${formatInteger(d.overtredingen)} strijdig met 4.1` : ""].filter(Boolean).join(", ");
    return `${titleOf(k)}: ${formatInteger(d.features.length)} op de kaart${extra ? `; ${extra}` : ""}.`;
  }).join(" ");
}

async function toggle(kind, on) {
  const map = getMap();
  const seq = (seqs[kind] = (seqs[kind] || 0) + 1); // a later toggle or period change wins
  const drop = () => { if (layers[kind]) { map.removeLayer(layers[kind]); delete layers[kind]; } };
  const periode = store.get("periode");
  if (!on || !periode) { drop(); renderLegend(); return; }
  try {
    const d = await getJSON(KINDS[kind].url(encodeURIComponent(periode)));
    if (seq !== seqs[kind] || !store.get("partnerOn")[kind]) return;
    drop();
    data[kind] = d;
    layers[kind] = featureLayer(kind, d).addTo(map);
  } catch (err) {
    if (seq === seqs[kind]) showMessage(`${titleOf(kind)} kon niet worden geladen: ${err.message}`, true);
  }
  renderLegend();
}

export function mountPartners() {
  for (const kind of Object.keys(KINDS)) {
    byId(`toggle-${kind}`).addEventListener("change", (e) => store.update("partnerOn", (o) => ({ ...o, [kind]: e.target.checked })));
  }
  let before = { ...store.get("partnerOn") };
  store.subscribe(["partnerOn"], (s) => {
    const now = s.get("partnerOn");
    for (const kind of Object.keys(KINDS)) if (now[kind] !== before[kind]) toggle(kind, now[kind]);
    before = { ...now };
  });
  store.subscribe(["periode"], (s) => { // another period: reload what is shown
    for (const kind of Object.keys(KINDS)) if (s.get("partnerOn")[kind]) toggle(kind, true);
  });
  store.subscribe(["opacity"], () => {
    for (const [kind, layer] of Object.entries(layers)) {
      layer.eachLayer?.((l) => { if (l.setStyle && l.feature) l.setStyle(l.feature.geometry.type === "Point" ? pointStyle(kind, l.feature.properties) : { opacity: store.get("opacity").partners, fillOpacity: 0.25 * store.get("opacity").partners }); });
    }
  });
  const showBox = (s) => { byId("partner-box").hidden = (s.get("table")?.perioden || []).length === 0; };
  store.subscribe(["table"], showBox);
  showBox(store);
}
