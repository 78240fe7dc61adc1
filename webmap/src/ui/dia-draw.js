// Drawing a DIA area on the map with Leaflet-Geoman (npm @geoman-io/leaflet-geoman-free, a
// classic script like Leaflet): draw a polygon, move its vertices, drag it, cut a piece out,
// snapping to the buurt edges, candidate areas and other proposals. The area itself is state
// (store "diaArea", GeoJSON in EPSG:4326); this module keeps the one editable Leaflet layer in
// step with it, in its own pane "dia-gebied" (445: above the candidate areas, below the partner
// points). Geoman is opted in per layer, so no tool can ever edit, drag, cut or remove a buurt.

import { store } from "./state.js";
import { getMap, getBuurtLayer } from "./map.js";
import { candidateLayer } from "./candidates.js";
import { AREA_COLOR } from "../lib/dia.js";

const L = window.L;
// Geoman acts only on layers with pmIgnore: false (the drawn area); the map itself opts in here,
// before map.js creates it (this module is evaluated before app.js runs).
L.PM.setOptIn(true);
L.Map.mergeOptions({ pmIgnore: false });

export const AREA_PANE = "dia-gebied";
const SNAP = { snappable: true, snapDistance: 15 };
const AREA_STYLE = { color: AREA_COLOR, weight: 3, opacity: 1, fillColor: AREA_COLOR, fillOpacity: 0.12 };
const extraSnapLayers = new Set(); // other modules' layers to snap to (the proposals' outlines)

let map = null;
let areaLayer = null;
let ownGeometry = null; // the geometry this module last put in the store (no redraw for it)
let applying = false;

export function areaLayerOf() { return areaLayer; }

const PHONE = window.matchMedia("(max-width: 600px)");

/** fitBounds options that keep a shape clear of the results drawer on a phone (it covers the lower 58 %). */
export function fitOptions() {
  const below = store.get("layout") === "smal" && PHONE.matches ? Math.round(map.getSize().y * 0.6) : 40;
  return { maxZoom: 15, paddingTopLeft: [40, 40], paddingBottomRight: [40, below] };
}

/** Layers (L.GeoJSON groups) whose shapes a drawn area snaps to. */
export function addSnapLayer(layer) { extraSnapLayers.add(layer); }
export function removeSnapLayer(layer) { extraSnapLayers.delete(layer); }

function markSnapTargets() {
  const mark = (group) => group?.eachLayer?.((l) => { l.options.snapIgnore = false; });
  mark(getBuurtLayer(0));
  mark(candidateLayer());
  extraSnapLayers.forEach(mark);
}

function geometryOf(layer) {
  return layer.toGeoJSON(7).geometry; // 7 decimals: ~1 cm
}

/** Put the map's area into the store (no redraw: the layer already shows it). */
function publish() {
  if (!areaLayer) return;
  ownGeometry = geometryOf(areaLayer);
  const before = store.get("diaArea");
  store.set({ diaArea: { ...(before || { bron: "getekend", naam: null, voorstel: null }), geometry: ownGeometry } });
}

function makeLayer(geometry) {
  const depth = geometry.type === "MultiPolygon" ? 2 : 1;
  const latlngs = L.GeoJSON.coordsToLatLngs(geometry.coordinates, depth);
  const layer = L.polygon(latlngs, { ...AREA_STYLE, pane: AREA_PANE, pmIgnore: false, snapIgnore: true });
  const changed = () => { if (layer === areaLayer) publish(); };
  layer.on("pm:edit pm:dragend", changed);
  layer.on("pm:markerdrag pm:drag", changed); // live statistics while moving (debounced by the reader)
  return layer;
}

function redraw(area) {
  if (areaLayer) { areaLayer.remove(); areaLayer = null; }
  if (!area?.geometry) return;
  areaLayer = makeLayer(area.geometry).addTo(map);
  passThrough(store.get("diaTool") === "buurten");
  if (area.fit) map.fitBounds(areaLayer.getBounds(), fitOptions());
}

/** While buurten are picked, clicks go through the area to the buurten below it. */
function passThrough(on) {
  const el = areaLayer?.getElement();
  if (el) el.style.pointerEvents = on ? "none" : "";
}

function disableAll() {
  map.pm.disableDraw();
  if (map.pm.globalCutModeEnabled()) map.pm.disableGlobalCutMode();
  if (areaLayer?.pm) {
    areaLayer.pm.disable();
    areaLayer.pm.disableLayerDrag();
  }
}

function applyTool(tool) {
  applying = true;
  try {
    disableAll();
    passThrough(tool === "buurten");
    if (tool && tool !== "buurten") markSnapTargets();
    if (tool === "tekenen") {
      map.pm.enableDraw("Polygon", { ...SNAP, allowSelfIntersection: true, finishOn: null });
    } else if (tool === "bewerken" && areaLayer) {
      areaLayer.pm.enable({ ...SNAP, allowSelfIntersection: true, draggable: false });
    } else if (tool === "verslepen" && areaLayer) {
      areaLayer.pm.enableLayerDrag();
    } else if (tool === "knippen" && areaLayer) {
      map.pm.enableGlobalCutMode({ ...SNAP, layersToCut: [areaLayer], allowSelfIntersection: false });
    }
  } finally {
    applying = false;
  }
}

/** The geometry of a layer geoman made (a drawing, a cut), after which the layer is dropped. */
function adopt(layer, bron) {
  const geometry = geometryOf(layer);
  layer.remove();
  const before = store.get("diaArea");
  const keep = bron === "geknipt" && before ? before : { bron: "getekend", naam: null, voorstel: null };
  store.set({ diaArea: { ...keep, geometry }, diaTool: null });
}

export function mountDraw() {
  map = getMap();
  map.createPane(AREA_PANE).style.zIndex = "445";
  map.pm.setLang("nl");
  map.pm.setGlobalOptions({
    ...SNAP,
    panes: { vertexPane: "markerPane", layerPane: AREA_PANE, markerPane: "markerPane" },
    pathOptions: { ...AREA_STYLE, pmIgnore: false },
    templineStyle: { color: AREA_COLOR, weight: 3 },
    hintlineStyle: { color: AREA_COLOR, weight: 2, dashArray: [5, 5] },
  });
  map.on("pm:create", (e) => adopt(e.layer, "getekend"));
  map.on("pm:cut", (e) => {
    if (!e.originalLayer || e.originalLayer !== areaLayer) return;
    areaLayer = null; // geoman removed it
    const parts = e.layer.getLayers ? e.layer.getLayers() : [e.layer];
    if (parts.length === 0) { e.layer.remove(); store.set({ diaArea: null, diaTool: null }); return; }
    adopt(e.layer, "geknipt");
  });
  map.on("pm:drawend", () => { if (!applying && store.get("diaTool") === "tekenen") store.set({ diaTool: null }); });
  map.on("pm:globalcutmodetoggled", (e) => { if (!applying && !e.enabled && store.get("diaTool") === "knippen") store.set({ diaTool: null }); });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && ["tekenen", "knippen"].includes(store.get("diaTool"))) store.set({ diaTool: null });
  });

  store.subscribe(["diaArea"], (s) => {
    const area = s.get("diaArea");
    if (area && area.geometry === ownGeometry && areaLayer) return; // the map made this change
    ownGeometry = null;
    redraw(area);
    const tool = s.get("diaTool");
    if (["bewerken", "verslepen"].includes(tool)) applyTool(area ? tool : null);
  });
  store.subscribe(["diaTool"], (s) => applyTool(s.get("diaTool")));
}
