// SIA web map: buurten choropleth of any indicator, wijk outlines, buurt detail panel.
// Leaflet is loaded as a global (vendor script); classification uses simple-statistics (npm).
import { quantile, ckmeans, equalIntervalBreaks } from "/vendor/simple-statistics/simple-statistics.mjs";

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

const state = { indicators: [], values: new Map(), breaks: [], colors: [], layer: null };
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
  const fill = v === null || v === undefined || state.breaks.length < 2
    ? NO_DATA : state.colors[classOf(v, state.breaks)];
  return { color: "#4d5b69", weight: 0.8, fillColor: fill, fillOpacity: 0.8 };
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
  el.innerHTML = `${badge}<div class="title" data-indicator="${ind.id}">${ind.label}</div>`
    + `<div class="hint">${ind.unit || ""}${ind.unit ? " · " : ""}${names[method]}</div>${rows.join("")}`;
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
    const rows = state.indicators.map((i) => {
      const v = i.id in b ? b[i.id] : partnerRow[i.id];
      return `<tr><td>${i.label}${i.synthetic ? ' <span class="tag">synthetisch</span>' : ""}</td><td class="v">${formatValue(v, i.unit)}</td></tr>`;
    });
    const extra = Object.entries(b.kerncijfers || {}).map(([k, v]) => `<tr><td>${k.replaceAll("_", " ")}</td><td class="v">${formatValue(v)}</td></tr>`);
    body.innerHTML = `<h3 id="detail-name">${b.buurtnaam || b.buurtcode}</h3>`
      + `<div class="codes">${b.buurtcode} · wijk ${b.wijkcode} · ${b.gemeentenaam || b.gemeentecode} · buurtindeling ${b.jaar}</div>`
      + `<table><tbody>${rows.join("")}</tbody></table>`
      + `<details><summary>Alle kerncijfers (${extra.length})</summary><table><tbody>${extra.join("")}</tbody></table></details>`
      + `<div class="source">Bron: ${b.bronnen.buurten}${b.bronnen.leefbaarometer ? `; ${b.bronnen.leefbaarometer}, editie ${b.lbm_editie}` : "; geen Leefbaarometer-score voor deze buurt"}.`
      + `${b.bron_bestand ? ` Geladen uit ${b.bron_bestand}.` : ""}</div>`;
  } catch (err) {
    body.innerHTML = `<p>Buurt ${code} kon niet worden geladen: ${err.message}</p>`;
  }
}

async function init() {
  const config = await getJSON("/api/config");
  const map = L.map("map", { zoomSnap: 0.25, preferCanvas: false });
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
  const select = document.getElementById("indicator");
  const groups = new Map();
  indicators.forEach((i) => { if (!groups.has(i.layer)) groups.set(i.layer, []); groups.get(i.layer).push(i); });
  const titles = Object.fromEntries(layers.map((l) => [l.id, l.title]));
  select.innerHTML = [...groups.entries()].map(([layer, items]) => {
    const synthetic = items.some((i) => i.synthetic);
    const label = `${titles[layer] || layer}${synthetic ? " (synthetisch)" : ""}`;
    return `<optgroup label="${label}">${items.map((i) => `<option value="${i.id}">${i.label}${i.synthetic ? " — synthetisch" : ""}</option>`).join("")}</optgroup>`;
  }).join("");
  const periodSelect = document.getElementById("periode");
  if (table.perioden.length) {
    periodSelect.innerHTML = table.perioden.map((p) => `<option>${p}</option>`).join("");
    periodSelect.value = table.periode;
    document.getElementById("periode-box").hidden = false;
    periodSelect.addEventListener("change", async () => {
      const t = await getJSON(`/api/indicators/table?gemeente=${config.gemeente}&periode=${periodSelect.value}`);
      t.rijen.forEach((r) => state.values.set(r.buurtcode, r));
      restyle();
    });
  }
  select.value = indicators.some((i) => i.id === "lbm_score") ? "lbm_score" : indicators[0].id;

  state.layer = L.geoJSON(buurten, {
    style: styleFor,
    onEachFeature: (feature, lyr) => {
      lyr.bindTooltip(() => {
        const ind = currentIndicator();
        const row = state.values.get(feature.properties.buurtcode) || {};
        return `<strong>${feature.properties.buurtnaam}</strong><br>${ind.label}: ${formatValue(row[ind.id], ind.unit)}`;
      }, { sticky: true, className: "buurt-tip" });
      lyr.on({
        mouseover: () => { lyr.setStyle({ weight: 3, color: "#e6550d" }); lyr.bringToFront(); },
        mouseout: () => { lyr.setStyle(styleFor(feature)); },
        click: () => showDetail(feature.properties.buurtcode),
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
  document.body.dataset.ready = "true";
}

init().catch((err) => showStatus(`De kaart kon niet worden geladen: ${err.message}`, true));
