// SIA web map: buurten choropleth of any indicator, wijk outlines, buurt detail panel.
// Leaflet is loaded as a global (vendor script); classification uses simple-statistics (npm).
import { quantile, ckmeans, equalIntervalBreaks } from "/vendor/simple-statistics/simple-statistics.mjs";
import { createScores } from "/static/scores.js";
import { createUpload } from "/static/upload.js";
import { setupKeyFields } from "/static/key.js";

const L = window.L;
// ColorBrewer YlGnBu, 3–7 classes (light = low, dark = high)
const RAMPS = {
  3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
  4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
  5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
  6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
  7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
};
const NO_DATA = "#d9d9d9";
const fmt = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 2 });
const fmtInt = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 0 });
// every text that comes from data (labels and units of uploaded rasters, names) goes through esc
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

const state = { indicators: [], values: new Map(), breaks: [], colors: [], layer: null,
  partner: { periode: null, layers: {}, data: {} } };
window.siaMap = state; // inspected by the browser tests

async function getJSON(url) {
  const res = await fetch(url);
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try { message = (await res.json()).melding || message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return res.json();
}

function showStatus(text, isError = false) {
  const el = document.getElementById("status");
  el.textContent = text;
  el.className = `status show${isError ? " error" : ""}`;
  if (!isError) setTimeout(() => { el.className = "status"; }, 2500);
}

export function classBreaks(values, method, k) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  let inner;
  if (method === "jenks") {
    const clusters = ckmeans(sorted, Math.min(k, new Set(sorted).size));
    inner = clusters.slice(1).map((c) => c[0]);
  } else if (method === "equal") {
    inner = equalIntervalBreaks(sorted, k).slice(1, -1);
  } else {
    inner = Array.from({ length: k - 1 }, (_, i) => quantile(sorted, (i + 1) / k));
  }
  const breaks = [sorted[0], ...inner, sorted[sorted.length - 1]];
  return breaks.filter((b, i) => i === 0 || b > breaks[i - 1]); // drop empty classes
}

function classOf(value, breaks) {
  for (let i = 1; i < breaks.length; i += 1) if (value <= breaks[i]) return i - 1;
  return breaks.length - 2;
}

function formatValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return "geen gegevens";
  if (Math.abs(v) < 0.005) v = 0; // no "-0"
  const s = Number.isInteger(v) ? fmtInt.format(v) : fmt.format(v);
  return unit && !unit.startsWith("klasse") && !unit.startsWith("afwijking") && unit !== "score"
    ? `${s} ${unit}` : s;
}

function currentIndicator() {
  const id = document.getElementById("indicator").value;
  return state.indicators.find((i) => i.id === id);
}

function restyle() {
  const ind = currentIndicator();
  const method = document.getElementById("classification").value;
  const k = Number(document.getElementById("classes").value);
  document.getElementById("class-controls").hidden = Boolean(ind.categories); // no classes for categories
  if (ind.categories) { // categorical (the SIA quadrants): one colour per category, no classes
    state.breaks = [];
    state.colors = [];
    state.layer.eachLayer((lyr) => lyr.setStyle(styleFor(lyr.feature)));
    renderCategoryLegend(ind);
    document.getElementById("indicator-description").textContent = ind.description || "";
    return;
  }
  const vals = [...state.values.values()].map((r) => r[ind.id]).filter((v) => v !== null && v !== undefined);
  state.breaks = classBreaks(vals, method, k);
  const n = Math.max(state.breaks.length - 1, 1);
  state.colors = RAMPS[Math.max(3, n)].slice(0, n);
  state.layer.eachLayer((lyr) => lyr.setStyle(styleFor(lyr.feature)));
  renderLegend(ind, method);
  document.getElementById("indicator-description").textContent = ind.description || "";
}

function styleFor(feature) {
  const ind = currentIndicator();
  const row = state.values.get(feature.properties.buurtcode) || {};
  const v = ind ? row[ind.id] : null;
  let fill;
  if (ind && ind.categories) fill = (ind.categories.find((c) => c.value === v) || {}).color || NO_DATA;
  else fill = v === null || v === undefined || state.breaks.length < 2 ? NO_DATA : state.colors[classOf(v, state.breaks)];
  const selected = state.scores && state.scores.selected === feature.properties.buurtcode;
  return selected ? { color: "#e6550d", weight: 3.5, fillColor: fill, fillOpacity: 0.85 }
    : { color: "#4d5b69", weight: 0.8, fillColor: fill, fillOpacity: 0.8 };
}

function renderCategoryLegend(ind) {
  const counts = new Map();
  state.values.forEach((r) => counts.set(r[ind.id], (counts.get(r[ind.id]) || 0) + 1));
  const rows = ind.categories.map((c) => `<div class="row" data-class="${c.value}"><span class="swatch" style="background:${c.color}"></span><span>${esc(c.label)} (${counts.get(c.value) || 0})</span></div>`);
  const missing = counts.get(null) || 0;
  if (missing) rows.push(`<div class="row" data-class="none"><span class="swatch" style="background:${NO_DATA}"></span><span>niet gerangschikt (${missing} buurten)</span></div>`);
  const badge = ind.synthetic
    ? `<div class="synthetic" id="synthetic-badge">Synthetische demonstratiedata — geen echte gegevens van de partners</div>` : "";
  document.getElementById("legend").innerHTML = `${badge}<div class="title" data-indicator="${esc(ind.id)}">${esc(ind.label)}</div>${rows.join("")}`;
}

function renderIndicatorSelect() {
  const select = document.getElementById("indicator");
  const current = select.value;
  const groups = new Map();
  state.indicators.forEach((i) => { if (!groups.has(i.layer)) groups.set(i.layer, []); groups.get(i.layer).push(i); });
  select.innerHTML = [...groups.entries()].map(([layer, items]) => {
    const synthetic = items.some((i) => i.synthetic);
    const label = `${state.layerTitles[layer] || layer}${synthetic ? " (synthetisch)" : ""}`;
    return `<optgroup label="${esc(label)}">${items.map((i) => `<option value="${esc(i.id)}">${esc(i.label)}${i.synthetic ? " — synthetisch" : ""}</option>`).join("")}</optgroup>`;
  }).join("");
  if (current && state.indicators.some((i) => i.id === current)) select.value = current;
}

function renderLegend(ind, method) {
  const el = document.getElementById("legend");
  const names = { quantile: "kwantielen", jenks: "natuurlijke grenzen", equal: "gelijke intervallen" };
  const rows = state.colors.map((c, i) => {
    const lo = state.breaks[i]; const hi = state.breaks[i + 1];
    return `<div class="row" data-class="${i}"><span class="swatch" style="background:${c}"></span>`
      + `<span>${fmt.format(lo)} – ${fmt.format(hi)}</span></div>`;
  });
  const missing = [...state.values.values()].filter((r) => r[ind.id] === null || r[ind.id] === undefined).length;
  if (missing) {
    rows.push(`<div class="row" data-class="none"><span class="swatch" style="background:${NO_DATA}"></span>`
      + `<span>geen gegevens (${missing} buurten)</span></div>`);
  }
  const badge = ind.synthetic
    ? `<div class="synthetic" id="synthetic-badge">Synthetische demonstratiedata — geen echte gegevens van de partners</div>` : "";
  el.innerHTML = `${badge}<div class="title" data-indicator="${esc(ind.id)}">${esc(ind.label)}</div>`
    + `<div class="hint">${esc(ind.unit || "")}${ind.unit ? " · " : ""}${names[method]}</div>${rows.join("")}`;
}

async function showDetail(code) {
  const panel = document.getElementById("detail");
  const body = document.getElementById("detail-body");
  panel.hidden = false;
  state.map.invalidateSize();
  body.innerHTML = "<p>Laden…</p>";
  try {
    const b = await getJSON(`/api/buurten/${encodeURIComponent(code)}`);
    const partnerRow = state.values.get(code) || {};
    const hidden = state.suppressed && state.suppressed.buurten.includes(code) ? state.suppressed : null;
    const rows = state.indicators.map((i) => {
      const v = i.id in b ? b[i.id] : partnerRow[i.id];
      const shown = hidden && hidden.velden.includes(i.id)
        ? `<span title="${esc(hidden.reden)}">onderdrukt (&lt; ${hidden.drempel} woningen)</span>` : esc(formatValue(v, i.unit));
      return `<tr><td>${esc(i.label)}${i.synthetic ? ' <span class="tag">synthetisch</span>' : ""}</td><td class="v">${shown}</td></tr>`;
    });
    const extra = Object.entries(b.kerncijfers || {}).map(([k, v]) => `<tr><td>${esc(k.replaceAll("_", " "))}</td><td class="v">${esc(formatValue(v))}</td></tr>`);
    body.innerHTML = `<h3 id="detail-name">${esc(b.buurtnaam || b.buurtcode)}</h3>`
      + `<div class="codes">${esc(b.buurtcode)} · wijk ${esc(b.wijkcode)} · ${esc(b.gemeentenaam || b.gemeentecode)} · buurtindeling ${esc(b.jaar)}</div>`
      + `<table><tbody>${rows.join("")}</tbody></table>`
      + `<details><summary>Alle kerncijfers (${extra.length})</summary><table><tbody>${extra.join("")}</tbody></table></details>`
      + `<div class="source">Bron: ${esc(b.bronnen.buurten)}${b.bronnen.leefbaarometer ? `; ${esc(b.bronnen.leefbaarometer)}, editie ${esc(b.lbm_editie)}` : "; geen Leefbaarometer-score voor deze buurt"}.`
      + `${b.bron_bestand ? ` Geladen uit ${esc(b.bron_bestand)}.` : ""}</div>`;
    if (state.scores && state.scores.result) { // the score and its contributions first, under the name
      document.getElementById("detail-name").nextElementSibling.insertAdjacentHTML("afterend", `<div id="detail-score">${state.scoresApi.detailRows(code)}</div>`);
    }
  } catch (err) {
    body.innerHTML = `<p>Buurt ${esc(code)} kon niet worden geladen: ${esc(err.message)}</p>`;
  }
}

// ---------------------------------------------------------------- partner layers (address level)
const LABEL_COLORS = { A: "#1a9850", B: "#66bd63", C: "#a6d96a", D: "#fee08b", E: "#fdae61", F: "#f46d43", G: "#d73027" };
const PROJECT_COLORS = {
  nieuwbouw: "#1f78b4", renovatie: "#33a02c", sloop: "#e31a1c", transformatie: "#6a3d9a", verduurzaming: "#ff7f00",
};
const PARTNER_LAYERS = {
  bezit: { title: "Corporatiebezit", url: (p) => `/api/partners/features?laag=bezit&periode=${p}`, cluster: true },
  projecten: { title: "Geplande projecten", url: (p) => `/api/partners/features?laag=projecten&periode=${p}`, cluster: false },
  verkoop: { title: "Geplande verkoop", url: (p) => `/api/partners/sales-check?periode=${p}`, cluster: true },
};
const yesNo = (v) => (v === null || v === undefined ? "onbekend" : v ? "ja" : "nee");
const money = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

function popupRows(rows, synthetic) {
  const tag = synthetic ? '<div class="synthetic">Synthetisch — geen echte gegevens</div>' : "";
  return `${tag}<table class="popup">${rows.filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `<tr><td>${k}</td><td>${esc(v)}</td></tr>`).join("")}</table>`;
}

function address(p) { // "adres" is street and number (template definition); postcode for context
  return [p.adres, p.postcode].filter((x) => x !== null && x !== undefined && x !== "").join(", ") || "(geen adres)";
}

function partnerFeatureLayer(kind, collection) {
  const pointStyle = (p) => {
    if (kind === "bezit") return { radius: 4 + Math.min(6, Math.sqrt(p.aantal_woningen || 1)), color: "#333", weight: 0.6, fillColor: LABEL_COLORS[p.energielabel] || "#999", fillOpacity: 0.9 };
    if (kind === "verkoop") return { radius: 6, color: p.overtreding ? "#7f0000" : "#333", weight: p.overtreding ? 2.5 : 0.8, fillColor: p.overtreding ? "#e31a1c" : "#fdd0a2", fillOpacity: 0.95 };
    return { radius: 7, color: "#222", weight: 1, fillColor: PROJECT_COLORS[p.type] || "#777", fillOpacity: 0.9 };
  };
  const popup = (p) => {
    if (kind === "bezit") {
      return `<strong>${esc(p.corporatie)}</strong><br>${esc(address(p))}` + popupRows([
        ["Woningen", p.aantal_woningen], ["DAEB", yesNo(p.daeb)], ["Huurklasse", p.huurklasse],
        ["Energielabel", p.energielabel], ["Bouwjaar", p.bouwjaar], ["Conditie (NEN 2767)", p.conditie],
        ["Periode", p.periode], ["Vertrouwelijkheid", p.vertrouwelijkheid]], p.synthetisch);
    }
    if (kind === "verkoop") {
      const verdict = p.overtreding ? `<div class="violation">${esc(p.reden)}</div>` : "";
      return `<strong>Verkoop ${esc(p.corporatie)}</strong><br>${esc(address(p))}${verdict}` + popupRows([
        ["Energielabel", p.energielabel], ["Conditie (NEN 2767)", p.conditie], ["Kluswoning", yesNo(p.kluswoning)],
        ["Gemeld aan gemeente", yesNo(p.gemeld_aan_gemeente)], ["Gepland jaar", p.gepland_jaar],
        ["Toets 4.1", p.overtreding ? null : (p.reden || "akkoord")], ["Periode", p.periode]], p.synthetisch);
    }
    return `<strong>${esc(p.projectnaam || "Project")}</strong><br>${esc(p.partij)} · ${esc(p.type)}` + popupRows([
      ["Woningen erbij", p.woningen_erbij], ["Woningen eraf", p.woningen_eraf],
      ["Looptijd", p.startjaar ? `${p.startjaar}–${p.eindjaar ?? "?"}` : null],
      ["Investering", p.investering_eur ? money.format(p.investering_eur) : null], ["Status", p.status],
      ["Periode", p.periode]], p.synthetisch);
  };
  const geo = L.geoJSON(collection, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, pointStyle(f.properties)),
    style: (f) => (f.geometry.type === "Point" ? pointStyle(f.properties)
      : { color: PROJECT_COLORS[f.properties.type] || "#777", weight: 2, fillOpacity: 0.25, dashArray: "4 3" }),
    onEachFeature: (f, lyr) => lyr.bindPopup(popup(f.properties), { maxWidth: 320 }),
  });
  if (!PARTNER_LAYERS[kind].cluster) return geo;
  const group = L.markerClusterGroup({
    maxClusterRadius: 45, disableClusteringAtZoom: 16, spiderfyOnMaxZoom: true, showCoverageOnHover: false,
    iconCreateFunction: (cluster) => {
      const markers = cluster.getAllChildMarkers();
      const n = kind === "bezit" ? markers.reduce((s, m) => s + (m.feature.properties.aantal_woningen || 1), 0) : markers.length;
      const bad = kind === "verkoop" && markers.some((m) => m.feature.properties.overtreding);
      const size = n < 100 ? "small" : n < 1000 ? "medium" : "large";
      return L.divIcon({ html: `<div><span>${fmtInt.format(n)}</span></div>`, className: `marker-cluster marker-cluster-${size} cluster-${kind}${bad ? " cluster-bad" : ""}`, iconSize: L.point(40, 40) });
    },
  });
  group.addLayers(geo.getLayers());
  return group;
}

function renderPartnerLegend() {
  const shown = Object.keys(state.partner.layers);
  const parts = [];
  if (shown.includes("bezit")) {
    parts.push(`<div class="title">Corporatiebezit: energielabel</div>${Object.entries(LABEL_COLORS).map(([k, c]) => `<span class="chip"><span class="dot" style="background:${c}"></span>${k}</span>`).join("")}<span class="chip"><span class="dot" style="background:#999"></span>onbekend</span><div class="hint">Clusters tonen het aantal woningen.</div>`);
  }
  if (shown.includes("projecten")) {
    parts.push(`<div class="title">Projecttype</div>${Object.entries(PROJECT_COLORS).map(([k, c]) => `<span class="chip"><span class="dot" style="background:${c}"></span>${k}</span>`).join("")}`);
  }
  if (shown.includes("verkoop")) {
    parts.push(`<div class="title">Verkoop (afspraak 4.1)</div><span class="chip"><span class="dot" style="background:#e31a1c;border:2px solid #7f0000"></span>strijdig</span><span class="chip"><span class="dot" style="background:#fdd0a2"></span>akkoord</span>`);
  }
  const synthetic = Object.values(state.partner.data).some((d) => d.synthetisch);
  document.getElementById("partner-legend").innerHTML = (synthetic && shown.length
    ? '<div class="synthetic" id="partner-synthetic">Synthetische demonstratiedata — geen echte gegevens van de partners</div>' : "") + parts.join("");
  const notes = shown.map((k) => {
    const d = state.partner.data[k];
    const extra = [d.verborgen ? `${d.verborgen} vertrouwelijk (alleen per buurt getoond)` : "",
      d.zonder_locatie ? `${fmtInt.format(d.zonder_locatie)} zonder adres (alleen per buurt)` : "",
      d.overtredingen ? `${d.overtredingen} strijdig met 4.1` : ""].filter(Boolean).join(", ");
    return `${PARTNER_LAYERS[k].title}: ${fmtInt.format(d.features.length)} op de kaart${extra ? `; ${extra}` : ""}.`;
  });
  document.getElementById("partner-note").textContent = notes.join(" ");
}

async function togglePartnerLayer(kind, on) {
  const p = state.partner;
  p.seq = p.seq || {};
  const seq = (p.seq[kind] = (p.seq[kind] || 0) + 1); // a later toggle or period change wins
  const drop = () => { if (p.layers[kind]) { state.map.removeLayer(p.layers[kind]); delete p.layers[kind]; } };
  if (!on || !p.periode) { drop(); renderPartnerLegend(); return; }
  try {
    const data = await getJSON(PARTNER_LAYERS[kind].url(encodeURIComponent(p.periode)));
    if (seq !== p.seq[kind] || !document.getElementById(`toggle-${kind}`).checked) return;
    drop();
    p.data[kind] = data;
    p.layers[kind] = partnerFeatureLayer(kind, data).addTo(state.map);
  } catch (err) {
    if (seq === p.seq[kind]) showStatus(`${PARTNER_LAYERS[kind].title} kon niet worden geladen: ${err.message || err}`, true);
  }
  renderPartnerLegend();
}

// ---------------------------------------------------------------- periods of the partner data
async function loadPeriod(periode) {
  const seq = (state.periodSeq = (state.periodSeq || 0) + 1);
  try {
    const t = await getJSON(`/api/indicators/table?gemeente=${state.config.gemeente}&periode=${encodeURIComponent(periode)}`);
    if (seq !== state.periodSeq) return; // a newer choice is on its way
    state.suppressed = t.onderdrukt;
    // update the rows in place: the computed SIA values stay until the scores are recomputed
    t.rijen.forEach((r) => { if (state.values.has(r.buurtcode)) Object.assign(state.values.get(r.buurtcode), r); else state.values.set(r.buurtcode, r); });
    state.partner.periode = periode;
    restyle();
    await Promise.all([
      state.scoresApi.run(),
      ...Object.keys(PARTNER_LAYERS).filter((k) => document.getElementById(`toggle-${k}`).checked).map((k) => togglePartnerLayer(k, true)),
    ]);
  } catch (err) {
    if (seq === state.periodSeq) showStatus(`Periode ${periode} kon niet worden geladen: ${err.message}`, true);
  }
}

function showPeriods(perioden, current) { // (re)fill the period choice; shown once there is partner data
  const select = document.getElementById("periode");
  select.innerHTML = perioden.map((p) => `<option>${esc(p)}</option>`).join("");
  if (current) select.value = current;
  document.getElementById("periode-box").hidden = perioden.length === 0;
  document.getElementById("partner-box").hidden = perioden.length === 0;
}

async function init() {
  const config = await getJSON("/api/config");
  state.config = config;
  setupKeyFields(config.schrijven_met_sleutel);
  const map = L.map("map", { zoomSnap: 0.25, preferCanvas: false, maxZoom: 19 }); // maxZoom: needed by marker clusters without a basemap
  state.map = map;
  if (config.basemap_url) {
    L.tileLayer(config.basemap_url, { attribution: config.basemap_attribution, maxZoom: 19 }).addTo(map);
  }
  const [indicators, table, buurten, wijken, layers] = await Promise.all([
    getJSON("/api/indicators"),
    getJSON(`/api/indicators/table?gemeente=${config.gemeente}`),
    getJSON(`/api/layers/buurten/features?gemeente=${config.gemeente}&properties=buurtcode,buurtnaam,wijkcode,gemeentenaam`),
    getJSON(`/api/layers/wijken/features?gemeente=${config.gemeente}`),
    getJSON("/api/layers"),
  ]);
  if (buurten.features.length === 0) {
    showStatus(`Geen buurten geladen voor ${config.gemeente}. Laad ze met 'sia load buurten'.`, true);
    return;
  }
  state.indicators = indicators;
  table.rijen.forEach((r) => state.values.set(r.buurtcode, r));
  state.suppressed = table.onderdrukt;
  const select = document.getElementById("indicator");
  state.layerTitles = { ...Object.fromEntries(layers.map((l) => [l.id, l.title])), sia: "SIA-score (berekend met de weging hiernaast)" };
  renderIndicatorSelect();
  const periodSelect = document.getElementById("periode");
  showPeriods(table.perioden, table.periode);
  state.partner.periode = table.periode;
  periodSelect.addEventListener("change", () => loadPeriod(periodSelect.value));
  Object.keys(PARTNER_LAYERS).forEach((kind) => {
    document.getElementById(`toggle-${kind}`).addEventListener("change", (e) => togglePartnerLayer(kind, e.target.checked));
  });
  select.value = indicators.some((i) => i.id === "lbm_score") ? "lbm_score" : indicators[0].id;

  state.layer = L.geoJSON(buurten, {
    style: styleFor,
    onEachFeature: (feature, lyr) => {
      lyr.bindTooltip(() => {
        const ind = currentIndicator();
        const row = state.values.get(feature.properties.buurtcode) || {};
        return `<strong>${esc(feature.properties.buurtnaam)}</strong><br>${esc(ind.label)}: ${esc(formatValue(row[ind.id], ind.unit))}`;
      }, { sticky: true, className: "buurt-tip" });
      lyr.on({
        mouseover: () => { lyr.setStyle({ weight: 3, color: "#e6550d" }); lyr.bringToFront(); },
        mouseout: () => { lyr.setStyle(styleFor(feature)); },
        click: () => (state.scores && state.scores.result
          ? state.scoresApi.select(feature.properties.buurtcode, false) : showDetail(feature.properties.buurtcode)),
      });
    },
  }).addTo(map);
  const wijkLayer = L.geoJSON(wijken, {
    style: { color: "#1d2733", weight: 2.2, fill: false, dashArray: null }, interactive: false,
  }).addTo(map);
  map.fitBounds(state.layer.getBounds(), { padding: [10, 10] });
  const sources = layers.filter((l) => l.years.length).map((l) => `${l.title}: ${l.attribution} (${l.years.join(", ")})`);
  document.getElementById("sources").textContent = sources.join(" · ");
  map.attributionControl.addAttribution("CBS / Kadaster; Leefbaarometer (BZK)");
  const naam = buurten.features[0].properties.gemeentenaam || config.gemeente;
  document.getElementById("gemeente-naam").textContent = `— ${naam}`;
  document.title = `SIA — ${naam}`;

  ["indicator", "classification", "classes"].forEach((id) => document.getElementById(id).addEventListener("change", restyle));
  document.getElementById("toggle-wijken").addEventListener("change", (e) => {
    if (e.target.checked) wijkLayer.addTo(map); else map.removeLayer(wijkLayer);
  });
  document.getElementById("detail-close").addEventListener("click", () => {
    document.getElementById("detail").hidden = true;
    map.invalidateSize();
  });
  restyle();
  state.scoresApi = createScores(state, {
    getJSON,
    setScoreIndicators: (list) => {
      const extra = state.indicators.filter((i) => i.layer === "sia" && i.extra);
      state.indicators = [...state.indicators.filter((i) => i.layer !== "sia"), ...list,
        ...extra.filter((e) => !list.some((i) => i.id === e.id))];
      renderIndicatorSelect();
      restyle();
    },
    addIndicator: (ind, show) => { // e.g. the rank change between two scenarios
      state.indicators = [...state.indicators.filter((i) => i.id !== ind.id), { ...ind, extra: true }];
      renderIndicatorSelect();
      if (show) document.getElementById("indicator").value = ind.id;
      restyle();
    },
    highlight: (code, zoom) => {
      state.layer.eachLayer((lyr) => {
        lyr.setStyle(styleFor(lyr.feature));
        if (lyr.feature.properties.buurtcode === code) {
          lyr.bringToFront();
          if (zoom) map.fitBounds(lyr.getBounds(), { maxZoom: 14, padding: [60, 60] });
        }
      });
      showDetail(code);
    },
  });
  createUpload({
    getJSON,
    onLoaded: async (periode) => { // new data: new periods, values, scores and partner layers
      const perioden = await getJSON("/api/partners/periods");
      const current = state.partner.periode && perioden.includes(state.partner.periode) ? state.partner.periode : periode;
      showPeriods(perioden, current);
      await loadPeriod(current);
    },
  });
  document.body.dataset.ready = "true";
  try {
    await state.scoresApi.loadProfiles();
    await state.scoresApi.run();
  } catch (err) {
    showStatus(`De SIA-scores konden niet worden berekend: ${err.message}`, true);
  }
}

init().catch((err) => showStatus(`De kaart kon niet worden geladen: ${err.message}`, true));
