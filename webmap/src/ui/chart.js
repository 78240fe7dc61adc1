// The urgency × potential chart: one point per ranked buurt, axes with values, the thresholds of
// the quadrants; with one axis unknown (no data), the known score in rank order instead, and why.
// Under it, what the scores stand on. Keyboard: one tab stop; arrow keys walk the points in rank
// order (Home, End); Enter or Space selects the buurt.

import { store } from "./state.js";
import { h, svg, fill, byId } from "./dom.js";
import { selectBuurt } from "./selection.js";
import { linearScale, niceTicks, scoreDomain } from "../lib/scale.js";
import { formatFixed, formatInteger, formatNumber } from "../lib/format.js";
import { UNKNOWN, scoreBasis, singleAxis } from "../lib/datatruth.js";
import { QUADRANT_COLORS } from "../lib/colors.js";

const W = 320; const H = 260;
const M = { l: 44, r: 10, t: 10, b: 40 };
let active = null;

export function renderChart() {
  const s = store;
  const scores = s.get("scores");
  if (!scores) return;
  const { result } = scores;
  const axis = singleAxis(result);
  byId("scores-title").textContent = axis ? `${axis[0].toUpperCase()}${axis.slice(1)} per buurt` : "Urgentie × potentie";
  if (axis) { renderRanked(result, axis); return; }
  const quadrants = quadrantLabels(result);
  const pts = result.buurten.filter((b) => b.rang !== null);
  const xd = scoreDomain(pts.map((b) => b.potentie));
  const yd = scoreDomain(pts.map((b) => b.urgentie));
  const x = linearScale(xd, [M.l, W - M.r]);
  const y = linearScale(yd, [H - M.b, M.t]);
  const th = result.drempels;
  const selected = s.get("selected");
  if (!active || !pts.some((b) => b.buurtcode === active)) active = pts.some((b) => b.buurtcode === selected) ? selected : pts[0]?.buurtcode;
  const focused = document.activeElement?.closest?.("#chart") ? document.activeElement.dataset.code : null;

  const xTicks = niceTicks(xd[0], xd[1], 4); const yTicks = niceTicks(yd[0], yd[1], 4);
  const grid = [
    ...xTicks.map((v) => svg("g", { class: "tick" },
      svg("line", { x1: x(v), x2: x(v), y1: M.t, y2: H - M.b, class: "grid" }),
      svg("text", { x: x(v), y: H - M.b + 14, "text-anchor": "middle" }, formatNumber(v)))),
    ...yTicks.map((v) => svg("g", { class: "tick" },
      svg("line", { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: M.l - 5, y: y(v) + 4, "text-anchor": "end" }, formatNumber(v)))),
  ];
  const thresholds = [
    svg("line", { x1: x(th.potentie), x2: x(th.potentie), y1: M.t, y2: H - M.b, class: "threshold" }),
    svg("line", { x1: M.l, x2: W - M.r, y1: y(th.urgentie), y2: y(th.urgentie), class: "threshold" }),
  ];
  const corner = (id, tx, ty, anchor) => svg("text", { x: tx, y: ty, "text-anchor": anchor, class: `q q-${id}` }, quadrants[id]?.split(":")[0] || id);
  const labels = [
    corner("kandidaat", W - M.r - 4, M.t + 12, "end"), corner("urgent", M.l + 4, M.t + 12, "start"),
    corner("kansrijk", W - M.r - 4, H - M.b - 6, "end"), corner("laag", M.l + 4, H - M.b - 6, "start"),
    svg("text", { x: (M.l + W - M.r) / 2, y: H - 6, "text-anchor": "middle", class: "axis-title" }, "potentie →"),
    svg("text", { x: 12, y: (M.t + H - M.b) / 2, "text-anchor": "middle", class: "axis-title", transform: `rotate(-90 12 ${(M.t + H - M.b) / 2})` }, "urgentie →"),
  ];
  const dots = pts.map((b) => {
    const sel = b.buurtcode === selected;
    const text = `${b.buurtnaam}, plaats ${b.rang}: urgentie ${formatFixed(b.urgentie)}, potentie ${formatFixed(b.potentie)}, ${quadrants[b.kwadrant] || b.kwadrant}`;
    return svg("circle", {
      class: `pt${sel ? " selected" : ""}`, dataset: { code: b.buurtcode }, cx: x(b.potentie).toFixed(1), cy: y(b.urgentie).toFixed(1),
      r: sel ? 6 : 4, fill: QUADRANT_COLORS[b.kwadrant], tabindex: b.buurtcode === active ? "0" : "-1",
      role: "button", "aria-label": text, "aria-pressed": String(sel),
    }, svg("title", {}, text));
  });
  const stale = s.get("scoreStatus") === "verouderd";
  fill("chart", svg("svg", {
    viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "group", class: stale ? "stale" : null,
    "aria-label": "Urgentie tegen potentie per buurt; kies een punt met de pijltjestoetsen en Enter",
  }, svg("rect", { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b, class: "plot" }), grid, thresholds, labels,
  svg("text", { x: x(th.potentie) + 3, y: H - M.b - 18, class: "threshold-label" }, `drempel ${formatFixed(th.potentie)}`),
  svg("text", { x: W - M.r - 4, y: y(th.urgentie) - 4, "text-anchor": "end", class: "threshold-label" }, `drempel ${formatFixed(th.urgentie)}`),
  dots), caption(result));
  if (focused) byId("chart").querySelector(`circle[data-code="${focused}"]`)?.focus();
}

function quadrantLabels(result) {
  return { ...Object.fromEntries(store.get("meta").kwadranten.map((q) => [q.id, q.label])), ...(result.kwadranten || {}) };
}

/** Under the chart: what it stands on (profile, year, edition, period, synthetic criteria). */
function caption(result, why = null) {
  return [why ? h("p", { class: "hint chart-why" }, why) : null,
    h("p", { class: "hint chart-basis" }, `Gebaseerd op: ${scoreBasis(result).join(" · ")}.`)];
}

/**
 * One axis without data (e.g. an urgency-only profile): no urgency × potential plane (it would be
 * a vertical line) but the known score per buurt in rank order, with its threshold, and why.
 */
function renderRanked(result, axis) {
  const s = store;
  const other = axis === "urgentie" ? "potentie" : "urgentie";
  const pts = result.buurten.filter((b) => b.rang !== null).sort((a, z) => a.rang - z.rang);
  const n = pts.length;
  const x = linearScale([1, Math.max(2, n)], [M.l + 4, W - M.r - 4]);
  const yd = scoreDomain(pts.map((b) => b[axis]));
  const y = linearScale(yd, [H - M.b, M.t]);
  const th = result.drempels?.[axis];
  const selected = s.get("selected");
  if (!active || !pts.some((b) => b.buurtcode === active)) active = pts.some((b) => b.buurtcode === selected) ? selected : pts[0]?.buurtcode;
  const focused = document.activeElement?.closest?.("#chart") ? document.activeElement.dataset.code : null;
  const xTicks = [1, ...niceTicks(1, Math.max(2, n), 4).filter((v) => v > 1 && v <= n && Number.isInteger(v))];
  const yTicks = niceTicks(yd[0], yd[1], 4);
  const grid = [
    ...xTicks.map((v) => svg("g", { class: "tick" },
      svg("text", { x: x(v), y: H - M.b + 14, "text-anchor": "middle" }, formatInteger(v)))),
    ...yTicks.map((v) => svg("g", { class: "tick" },
      svg("line", { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: M.l - 5, y: y(v) + 4, "text-anchor": "end" }, formatNumber(v)))),
  ];
  const quadrants = quadrantLabels(result);
  const color = QUADRANT_COLORS[`${other}_onbekend`] || "#5a6775";
  const dots = pts.map((b) => {
    const sel = b.buurtcode === selected;
    const text = `${b.buurtnaam}, plaats ${b.rang}: ${axis} ${formatFixed(b[axis])}, ${other} ${UNKNOWN}`;
    return svg("circle", {
      class: `pt${sel ? " selected" : ""}`, dataset: { code: b.buurtcode }, cx: x(b.rang).toFixed(1), cy: y(b[axis]).toFixed(1),
      r: sel ? 6 : 3.5, fill: color, tabindex: b.buurtcode === active ? "0" : "-1",
      role: "button", "aria-label": text, "aria-pressed": String(sel),
    }, svg("title", {}, text));
  });
  const threshold = typeof th === "number" ? [
    svg("line", { x1: M.l, x2: W - M.r, y1: y(th), y2: y(th), class: "threshold" }),
    svg("text", { x: W - M.r - 4, y: y(th) - 4, "text-anchor": "end", class: "threshold-label" }, `mediaan ${formatFixed(th)}`),
  ] : [];
  const stale = s.get("scoreStatus") === "verouderd";
  const why = [h("strong", {}, `Alleen ${axis}, geen ${axis} × ${other}. `), result.melding || quadrants[`${other}_onbekend`] || `${other} onbekend.`];
  fill("chart", svg("svg", {
    viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "group", class: ["ranked", stale ? "stale" : null], dataset: { as: axis },
    "aria-label": `${axis[0].toUpperCase()}${axis.slice(1)} per buurt in volgorde van rang (${other} onbekend); kies een punt met de pijltjestoetsen en Enter`,
  }, svg("rect", { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b, class: "plot" }), grid, threshold,
  svg("text", { x: (M.l + W - M.r) / 2, y: H - 6, "text-anchor": "middle", class: "axis-title" }, `rang (1 = hoogste ${axis}) →`),
  svg("text", { x: 12, y: (M.t + H - M.b) / 2, "text-anchor": "middle", class: "axis-title", transform: `rotate(-90 12 ${(M.t + H - M.b) / 2})` }, `${axis} →`),
  dots), caption(result, why));
  if (focused) byId("chart").querySelector(`circle[data-code="${focused}"]`)?.focus();
}

function ordered() {
  return [...byId("chart").querySelectorAll("circle[data-code]")].sort((a, b) => {
    const rank = (c) => store.get("scores").byCode.get(c.dataset.code).rang;
    return rank(a) - rank(b);
  });
}

export function mountChart() {
  const el = byId("chart");
  el.addEventListener("click", (e) => {
    const c = e.target.closest("circle[data-code]");
    if (c) { active = c.dataset.code; selectBuurt(c.dataset.code, { zoom: true }); }
  });
  el.addEventListener("keydown", (e) => {
    const c = e.target.closest("circle[data-code]");
    if (!c) return;
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); active = c.dataset.code; selectBuurt(c.dataset.code, { zoom: true }); return; }
    const delta = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "home", End: "end" }[e.key];
    if (delta === undefined) return;
    e.preventDefault();
    const all = ordered();
    const i = all.indexOf(c);
    const next = delta === "home" ? all[0] : delta === "end" ? all.at(-1) : all[Math.max(0, Math.min(all.length - 1, i + delta))];
    c.setAttribute("tabindex", "-1");
    next.setAttribute("tabindex", "0");
    active = next.dataset.code;
    next.focus();
  });
  let stale = false;
  store.subscribe(["scores", "selected", "scoreStatus", "meta"], (s, changed) => {
    const nowStale = s.get("scoreStatus") === "verouderd";
    if (changed.length === 1 && changed[0] === "scoreStatus" && nowStale === stale) return; // only "bezig"
    stale = nowStale;
    if (changed.includes("selected") && s.get("selected")) active = s.get("selected");
    renderChart();
  });
}
