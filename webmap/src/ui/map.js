// The Leaflet map: panes, background map (with a fall-back to outlines), the buurten coloured by
// the current view (two layers when comparing with the swipe), wijk outlines, hover and
// selection outlines, one tooltip, and the fit to the gemeente.
//
// Panes, bottom to top: tiles (background) · buurten (410, the left or only side) ·
// buurten-rechts (411, the right side of the swipe) · wijken (420) · markering (430, hover and
// selection outlines, not clickable) · kandidaten (440) · partners (450, partner points and
// areas: always above the buurten, so they stay clickable) · Leaflet's markers, tooltips, popups.

import { store } from "./state.js";
import { h } from "./dom.js";
import { currentView } from "./indicators.js";
import { colorOf } from "../lib/classes.js";
import { formatValue } from "../lib/format.js";

const L = window.L;
const PANES = { buurten: 410, "buurten-rechts": 411, wijken: 420, markering: 430, kandidaten: 440, partners: 450 };
const BUURT_STROKE = { color: "#4d5b69", weight: 0.8, opacity: 1 };

let map = null;
let buurtLayers = []; // [left, right?]: L.GeoJSON per side
let bounds = null;
let userMoved = false;
let fitting = false;
let hoverOutline = null;
let selectOutline = null;
let tooltip = null;
let wijkLayer = null;
let onSelect = () => {};

export function getMap() { return map; }
export function getBuurtLayer(i = 0) { return buurtLayers[i] || null; }

export function createMap(config) {
  map = L.map("map", { zoomSnap: 0.25, maxZoom: 19, preferCanvas: false, keyboard: true });
  for (const [name, z] of Object.entries(PANES)) map.createPane(name).style.zIndex = String(z);
  map.getPane("markering").style.pointerEvents = "none";
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("CBS / Kadaster; Leefbaarometer (BZK)");
  addBasemap(config);
  tooltip = L.tooltip({ className: "buurt-tip", direction: "top", offset: [0, -10], opacity: 1 });
  new (L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const button = h("button", { type: "button", class: "fit-button", title: "Toon de hele gemeente" }, "Hele gemeente");
      L.DomEvent.disableClickPropagation(button);
      button.addEventListener("click", () => fitToGemeente(true));
      return h("div", { class: "leaflet-bar fit-control" }, button);
    },
  }))().addTo(map);
  map.on("dragstart zoomstart", () => { if (!fitting) userMoved = true; });
  new ResizeObserver(() => {
    map.invalidateSize({ pan: false });
    if (!userMoved && bounds) fitToGemeente(false);
  }).observe(map.getContainer());
  return map;
}

function addBasemap(config) {
  if (!config.basemap_url) { store.set({ basemap: "uit" }); return; }
  const tiles = L.tileLayer(config.basemap_url, { attribution: config.basemap_attribution, maxZoom: 19, crossOrigin: false });
  let loaded = 0; let failed = 0;
  const fallBack = () => {
    if (loaded > 0 || store.get("basemap") === "mislukt") return;
    map.removeLayer(tiles);
    store.set({ basemap: "mislukt" });
  };
  tiles.on("tileload", () => { loaded += 1; if (store.get("basemap") === "laden") store.set({ basemap: "aan" }); });
  tiles.on("tileerror", () => { failed += 1; if (failed >= 3) fallBack(); });
  store.set({ basemap: "laden" });
  tiles.addTo(map);
  setTimeout(fallBack, 10_000); // nothing loaded in 10 s: the outlines are the reference
  store.subscribe(["opacity"], (s) => tiles.setOpacity(s.get("opacity").achtergrond));
}

/** Fit the map to the buurten of the gemeente (force: also after the user moved the map). */
export function fitToGemeente(force) {
  if (!bounds || (!force && userMoved)) return;
  fitting = true;
  map.fitBounds(bounds, { padding: [12, 12], animate: false });
  fitting = false;
  if (force) userMoved = false;
}

function buurtLayer(features, pane) {
  const renderer = L.svg({ pane, padding: 0.5 });
  return L.geoJSON(features, {
    pane,
    renderer,
    style: () => ({ ...BUURT_STROKE, fillColor: "#d9d9d9", fillOpacity: store.get("opacity").buurten }),
    onEachFeature: (feature, lyr) => {
      const code = feature.properties.buurtcode;
      lyr.on({
        mouseover: (e) => hover(feature, e.latlng),
        mousemove: (e) => tooltip.setLatLng(e.latlng),
        mouseout: () => unhover(),
        click: () => onSelect(code, { zoom: false }),
      });
    },
  });
}

function tooltipContent(code) {
  const view = currentView();
  const name = store.get("names").get(code) || code;
  const lines = view.sides.map((side) => {
    const v = side.values.get(code);
    const cat = side.scheme.kind === "categorical" ? side.scheme.classes.find((c) => c.value === v)?.label : null;
    const shown = cat || formatValue(v ?? null, side.indicator.unit);
    const label = side.sub ? `${side.label} (${side.sub})` : side.label;
    return h("div", {}, `${label}: `, h("strong", {}, side.scheme.kind === "diverging" && typeof v === "number" && v > 0 ? `+${shown}` : shown));
  });
  return h("div", {}, h("strong", { class: "tip-name" }, name), lines);
}

function hover(feature, latlng) {
  unhover();
  hoverOutline = L.geoJSON(feature, { pane: "markering", interactive: false, style: { color: "#1d2733", weight: 3, fill: false } }).addTo(map);
  tooltip.setContent(tooltipContent(feature.properties.buurtcode));
  tooltip.setLatLng(latlng);
  if (!map.hasLayer(tooltip)) tooltip.addTo(map);
}

function unhover() {
  if (hoverOutline) { map.removeLayer(hoverOutline); hoverOutline = null; }
  if (map.hasLayer(tooltip)) map.removeLayer(tooltip);
}

/** The buurten and wijken: draw them, fit the map, repaint whenever the view changes. */
export function mountBuurten(buurten, wijken, select) {
  onSelect = select;
  buurtLayers = [buurtLayer(buurten, "buurten").addTo(map)];
  bounds = buurtLayers[0].getBounds();
  wijkLayer = L.geoJSON(wijken, { pane: "wijken", interactive: false, style: { color: "#1d2733", weight: 2.2, fill: false } }).addTo(map);
  fitToGemeente(true);
  store.subscribe(["indicator", "classification", "classes", "table", "scores", "comparison", "compare", "compareData", "catalogue"], repaint);
  store.subscribe(["opacity"], repaint);
  store.subscribe(["opacity", "wijkenOn"], (s) => {
    wijkLayer.setStyle({ opacity: s.get("opacity").wijken });
    if (s.get("wijkenOn") && !map.hasLayer(wijkLayer)) wijkLayer.addTo(map);
    if (!s.get("wijkenOn") && map.hasLayer(wijkLayer)) map.removeLayer(wijkLayer);
  });
  store.subscribe(["selected"], (s) => outlineSelected(s.get("selected")));
  repaint();
}

function paint(layer, side, opacity) {
  layer.eachLayer((lyr) => {
    const fill = side ? colorOf(side.scheme, side.values.get(lyr.feature.properties.buurtcode)) : "#d9d9d9";
    if (lyr.options.fillColor !== fill || lyr.options.fillOpacity !== opacity) lyr.setStyle({ fillColor: fill, fillOpacity: opacity });
  });
}

export function repaint() {
  const view = currentView();
  const opacity = store.get("opacity").buurten;
  const swipe = view.sides.length === 2;
  if (swipe && buurtLayers.length === 1) buurtLayers.push(buurtLayer(store.get("buurten"), "buurten-rechts").addTo(map));
  if (!swipe && buurtLayers.length === 2) { map.removeLayer(buurtLayers.pop()); }
  paint(buurtLayers[0], view.sides[0], opacity);
  if (swipe) paint(buurtLayers[1], view.sides[1], opacity);
}

function outlineSelected(code) {
  if (selectOutline) { map.removeLayer(selectOutline); selectOutline = null; }
  if (!code) return;
  const feature = store.get("buurten").features.find((f) => f.properties.buurtcode === code);
  if (feature) {
    selectOutline = L.geoJSON(feature, { pane: "markering", interactive: false, style: { color: "#e6550d", weight: 4, fill: false } }).addTo(map);
  }
}

export function zoomToBuurt(code) {
  const lyr = buurtLayers[0]?.getLayers().find((l) => l.feature.properties.buurtcode === code);
  if (lyr) { fitting = true; map.fitBounds(lyr.getBounds(), { maxZoom: 14, padding: [60, 60] }); fitting = false; }
}
