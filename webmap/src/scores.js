// SIA score panel: weights per criterion (sliders), live re-ranking through POST /api/scores,
// a ranking table linked to the map, the urgency × potential chart, candidate DIA areas.
// The scores become indicators of the map (group "SIA-score"), so the choropleth, legend and
// tooltip work for them as for any other indicator.

import { writeHeaders } from "/static/key.js";

const QUADRANTS = [
  { value: "kandidaat", label: "DIA-kandidaat: hoge urgentie en hoge potentie", color: "#7a0177" },
  { value: "urgent", label: "Urgent: hoge urgentie, lage potentie", color: "#e6550d" },
  { value: "kansrijk", label: "Kansrijk: lage urgentie, hoge potentie", color: "#3182bd" },
  { value: "laag", label: "Laag: lage urgentie en lage potentie", color: "#d9d9d9" },
];
const QUADRANT_COLOR = Object.fromEntries(QUADRANTS.map((q) => [q.value, q.color]));
const SCORE_INDICATORS = [
  { id: "sia_gecombineerd", label: "SIA: gecombineerde score", unit: "score 0–1", description: "Gecombineerde score van urgentie en potentie met de gekozen weging; hoger = sterkere DIA-kandidaat." },
  { id: "sia_urgentie", label: "SIA: urgentie", unit: "score 0–1", description: "Gewogen urgentie (opgaven) met de gekozen weging." },
  { id: "sia_potentie", label: "SIA: potentie", unit: "score 0–1", description: "Gewogen potentie (kansen om investeringen te bundelen) met de gekozen weging." },
  { id: "sia_kwadrant", label: "SIA: kwadrant urgentie × potentie", unit: "", description: "Hoog/laag ten opzichte van de drempels (standaard de mediaan).", categories: QUADRANTS },
  { id: "sia_p_top", label: "SIA: kans op een top-plaats", unit: "%", description: "Kans op een plaats in de top bij willekeurig gevarieerde gewichten (Monte Carlo).", needs: "robuust" },
  { id: "sia_partner_bereik", label: "SIA: verschil tussen de partnerprofielen", unit: "plaatsen", description: "Verschil tussen de hoogste en laagste rang van de buurt onder de wegingsprofielen van de partners: waar de keuze van de weging het meest uitmaakt.", needs: "partners-vergelijken" },
];
const fmt2 = new Intl.NumberFormat("nl-NL", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const esc = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

export function createScores(state, hooks) {
  const s = { profiles: [], profile: null, weights: {}, result: null, timer: null, seq: 0, candidates: null, selected: null };
  state.scores = s;
  const el = (id) => document.getElementById(id);

  async function loadProfiles() {
    s.profiles = await hooks.getJSON("/api/scores/profiles");
    el("profiel").innerHTML = s.profiles.map((p) => `<option value="${p.naam}">${esc(p.label || p.naam)}</option>`).join("");
    el("profiel").value = s.profiles.some((p) => p.naam === "default") ? "default" : s.profiles[0].naam;
    selectProfile();
  }

  function selectProfile() {
    s.profile = s.profiles.find((p) => p.naam === el("profiel").value);
    s.weights = Object.fromEntries(s.profile.criteria.map((c) => [c.id, c.gewicht]));
    el("methode").value = s.profile.methode;
    el("profiel-beschrijving").textContent = s.profile.beschrijving || "";
    renderSliders();
  }

  function renderSliders() {
    const groups = { urgentie: "Urgentie (opgaven)", potentie: "Potentie (kansen)" };
    el("weights").innerHTML = Object.entries(groups).map(([axis, title]) => {
      const crit = s.profile.criteria.filter((c) => c.as === axis);
      return `<div class="axis"><div class="axis-title">${title}</div>${crit.map((c) => `
        <div class="weight" data-criterion="${c.id}">
          <label for="w-${c.id}" title="${esc(c.richting_label || "")}">${esc(c.label)}${c.synthetisch ? ' <span class="tag">synthetisch</span>' : ""}</label>
          <div class="slider"><input type="range" id="w-${c.id}" min="0" max="10" step="0.5" value="${s.weights[c.id]}">
          <output id="o-${c.id}">${s.weights[c.id]}</output><span class="share" id="s-${c.id}"></span></div>
        </div>`).join("")}</div>`;
    }).join("");
    s.profile.criteria.forEach((c) => {
      el(`w-${c.id}`).addEventListener("input", (e) => {
        s.weights[c.id] = Number(e.target.value);
        el(`o-${c.id}`).textContent = e.target.value;
        schedule();
      });
    });
    updateShares();
  }

  function updateShares() { // each weight as a share of its axis: what the engine actually uses
    ["urgentie", "potentie"].forEach((axis) => {
      const crit = s.profile.criteria.filter((c) => c.as === axis);
      const total = crit.reduce((t, c) => t + s.weights[c.id], 0);
      crit.forEach((c) => { el(`s-${c.id}`).textContent = total > 0 ? `${Math.round((100 * s.weights[c.id]) / total)}%` : "–"; });
    });
  }

  function schedule() {
    updateShares();
    clearTimeout(s.timer);
    s.timer = setTimeout(run, 120);
  }

  function requestBody() {
    const body = { profiel: s.profile.naam, methode: el("methode").value, gewichten: s.weights };
    if (state.partner && state.partner.periode) body.periode = state.partner.periode;
    if (el("robuust").checked) body.monte_carlo = { trekkingen: 1000, seed: 1 };
    if (el("partners-vergelijken").checked) body.partnerprofielen = true;
    return body;
  }

  async function run() {
    const seq = ++s.seq;
    const body = requestBody();
    const t0 = performance.now();
    let res;
    try {
      const r = await fetch("/api/scores", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      res = await r.json();
      if (!r.ok) throw new Error(res.melding || r.statusText);
    } catch (err) {
      if (seq !== s.seq) return; // a newer request is on its way; its result counts
      el("score-status").textContent = `Scoren mislukt: ${err.message}`;
      el("score-status").className = "hint error";
      return;
    }
    if (seq !== s.seq) return; // a newer request is on its way
    s.result = res;
    s.byCode = new Map(res.buurten.map((b) => [b.buurtcode, b]));
    s.contrib = new Map(res.bijdragen.map((b) => [b.buurtcode, b]));
    const robust = new Map((res.robuustheid || []).map((r) => [r.buurtcode, r]));
    s.partnerRanks = new Map(((res.partnerprofielen || {}).buurten || []).map((r) => [r.buurtcode, r]));
    state.values.forEach((row, code) => {
      const b = s.byCode.get(code) || {};
      row.sia_gecombineerd = b.gecombineerd ?? null;
      row.sia_urgentie = b.urgentie ?? null;
      row.sia_potentie = b.potentie ?? null;
      row.sia_kwadrant = b.kwadrant ?? null;
      row.sia_rang = b.rang ?? null;
      row.sia_p_top = robust.has(code) ? 100 * robust.get(code).p_top : null;
      row.sia_partner_bereik = s.partnerRanks.has(code) ? s.partnerRanks.get(code).bereik : null;
    });
    const ranked = res.buurten.filter((b) => b.rang !== null);
    const excluded = res.buurten.length - ranked.length;
    el("score-status").className = "hint";
    el("score-status").textContent = `${ranked.length} buurten gerangschikt${excluded ? `, ${excluded} uitgesloten (zie ranglijst)` : ""}`
      + ` · ${res.methode === "topsis" ? "TOPSIS" : "gewogen som"} · ${Math.round(performance.now() - t0)} ms`
      + (res.synthetisch ? " · met synthetische partnerdata" : "")
      + (res.weggelaten ? ` · weggelaten (geen gegevens): ${res.weggelaten.map((w) => w.label).join(", ")}` : "");
    const empty = new Set((res.weggelaten || []).map((w) => w.id));
    document.querySelectorAll("#weights .weight").forEach((w) => w.classList.toggle("empty", empty.has(w.dataset.criterion)));
    hooks.setScoreIndicators(SCORE_INDICATORS.filter((i) => !i.needs || el(i.needs).checked)
      .map((i) => ({ ...i, layer: "sia", synthetic: res.synthetisch })));
    renderTable();
    renderChart();
    if (el("toggle-kandidaten").checked) loadCandidates();
    document.body.dataset.scored = String(s.seq);
  }

  function renderTable() {
    const res = s.result;
    const robust = el("robuust").checked;
    const partners = el("partners-vergelijken").checked;
    const extra = (robust ? 1 : 0) + (partners ? 1 : 0);
    const rows = res.buurten.map((b) => {
      const p = robust && b.rang !== null ? state.values.get(b.buurtcode)?.sia_p_top : null;
      const pr = s.partnerRanks.get(b.buurtcode);
      const cells = b.rang === null
        ? `<td>–</td><td>${esc(b.buurtnaam)}</td><td colspan="${3 + extra}" class="reden">${esc(b.reden)}</td>`
        : `<td>${b.rang}</td><td>${esc(b.buurtnaam)}</td><td class="v">${fmt2.format(b.urgentie)}</td><td class="v">${fmt2.format(b.potentie)}</td>`
          + `<td class="v"><span class="qdot" style="background:${QUADRANT_COLOR[b.kwadrant]}"></span>${fmt2.format(b.gecombineerd)}</td>`
          + `${robust ? `<td class="v">${p === null ? "" : Math.round(p)}%</td>` : ""}`
          + `${partners ? `<td class="v">${pr ? `${pr.rang_min}–${pr.rang_max}` : ""}</td>` : ""}`;
      return `<tr data-code="${b.buurtcode}"${b.buurtcode === s.selected ? ' class="selected"' : ""}>${cells}</tr>`;
    });
    el("ranking").innerHTML = `<table><thead><tr><th>#</th><th>Buurt</th><th>Urg.</th><th>Pot.</th><th>Score</th>`
      + `${robust ? `<th title="kans op top-${res.top_n}">P(top)</th>` : ""}${partners ? '<th title="laagste en hoogste rang onder de partnerprofielen">Partners</th>' : ""}`
      + `</tr></thead><tbody>${rows.join("")}</tbody></table>`;
    el("ranking").querySelectorAll("tr[data-code]").forEach((tr) => tr.addEventListener("click", () => select(tr.dataset.code, true)));
    el("scores-panel").hidden = false;
    state.map.invalidateSize();
  }

  function renderChart() {
    const W = 310; const H = 230; const m = { l: 34, r: 8, t: 8, b: 30 };
    const pts = s.result.buurten.filter((b) => b.rang !== null);
    const xs = pts.map((b) => b.potentie); const ys = pts.map((b) => b.urgentie);
    const lo = (v) => Math.min(0, ...v); const hi = (v) => Math.max(1, ...v);
    const x = (v) => m.l + ((v - lo(xs)) / (hi(xs) - lo(xs))) * (W - m.l - m.r);
    const y = (v) => H - m.b - ((v - lo(ys)) / (hi(ys) - lo(ys))) * (H - m.t - m.b);
    const th = s.result.drempels;
    const dots = pts.map((b) => `<circle class="pt${b.buurtcode === s.selected ? " selected" : ""}" data-code="${b.buurtcode}" cx="${x(b.potentie).toFixed(1)}" cy="${y(b.urgentie).toFixed(1)}" r="${b.buurtcode === s.selected ? 6 : 4}" fill="${QUADRANT_COLOR[b.kwadrant]}"><title>${esc(b.buurtnaam)} (#${b.rang}): urgentie ${fmt2.format(b.urgentie)}, potentie ${fmt2.format(b.potentie)}</title></circle>`);
    el("chart").innerHTML = `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Urgentie tegen potentie per buurt">
      <rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="#fff" stroke="#b8c1cb"/>
      <line x1="${x(th.potentie)}" x2="${x(th.potentie)}" y1="${m.t}" y2="${H - m.b}" stroke="#8895a3" stroke-dasharray="4 3"/>
      <line x1="${m.l}" x2="${W - m.r}" y1="${y(th.urgentie)}" y2="${y(th.urgentie)}" stroke="#8895a3" stroke-dasharray="4 3"/>
      <text x="${W - m.r - 4}" y="${m.t + 12}" text-anchor="end" class="q">DIA-kandidaten</text>
      <text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle">potentie →</text>
      <text x="12" y="${(m.t + H - m.b) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(m.t + H - m.b) / 2})">urgentie →</text>
      ${dots.join("")}</svg>`;
    el("chart").querySelectorAll("circle[data-code]").forEach((c) => c.addEventListener("click", () => select(c.dataset.code, true)));
  }

  function select(code, zoom) {
    s.selected = code;
    hooks.highlight(code, zoom);
    renderTable();
    renderChart();
    el("ranking").querySelector("tr.selected")?.scrollIntoView({ block: "nearest" });
  }

  async function loadCandidates() {
    const seq = (s.candSeq = (s.candSeq || 0) + 1);
    if (!el("toggle-kandidaten").checked) {
      if (s.candidates) { state.map.removeLayer(s.candidates); s.candidates = null; }
      el("kandidaten-note").textContent = "";
      return;
    }
    const r = await fetch("/api/scores/candidates", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(requestBody()) });
    const fc = await r.json();
    if (seq !== s.candSeq) return; // a newer request replaces this one
    if (s.candidates) { state.map.removeLayer(s.candidates); s.candidates = null; }
    if (!r.ok) { el("kandidaten-note").textContent = `Geen kandidaatgebieden: ${fc.melding || r.statusText}`; return; }
    s.candidateData = fc;
    s.candidates = window.L.geoJSON(fc, {
      style: { color: "#7a0177", weight: 4, fill: false, dashArray: "8 4" },
      interactive: true,
      onEachFeature: (f, lyr) => lyr.bindTooltip(`<strong>Kandidaatgebied</strong><br>${f.properties.n_buurten} buurten, ${Math.round(f.properties.inwoners).toLocaleString("nl-NL")} inwoners<br>${esc(f.properties.methode_label)}`, { sticky: true }),
    }).addTo(state.map);
    el("kandidaten-note").textContent = `${fc.features.length} kandidaatgebied(en) met de huidige weging`
      + `${fc.synthetisch ? " (met synthetische partnerdata)" : ""}.`;
  }

  // ------------------------------------------------------------ scenarios (saved in PostGIS)
  async function renderScenarios() {
    const list = await hooks.getJSON("/api/scenarios");
    const options = list.map((sc) => `<option value="${sc.id}">#${sc.id} ${esc(sc.naam)} (${esc(sc.auteur)}, ${new Date(sc.aangemaakt).toLocaleDateString("nl-NL")})</option>`).join("");
    ["scenario-a", "scenario-b"].forEach((id, i) => {
      const keep = el(id).value;
      el(id).innerHTML = options;
      if (keep && list.some((sc) => String(sc.id) === keep)) el(id).value = keep;
      else if (list.length) el(id).selectedIndex = Math.min(1 - i, list.length - 1); // A older, B newest
    });
    el("scenario-compare-box").hidden = list.length < 2;
  }

  async function saveScenario() {
    const naam = el("scenario-naam").value.trim();
    const auteur = el("scenario-auteur").value.trim();
    if (!naam || !auteur) { el("scenario-status").textContent = "Vul een naam en een auteur in."; return; }
    localStorage.setItem("sia-auteur", auteur);
    const body = { ...requestBody(), naam, auteur };
    let r; let res;
    try {
      r = await fetch("/api/scenarios", { method: "POST", headers: writeHeaders({ "Content-Type": "application/json" }), body: JSON.stringify(body) });
      res = await r.json();
    } catch (err) {
      el("scenario-status").textContent = `Niet opgeslagen: de server gaf geen bruikbaar antwoord (${err.message}).`;
      return;
    }
    if (!r.ok) { el("scenario-status").textContent = `Niet opgeslagen: ${res.melding || r.statusText}`; return; }
    el("scenario-naam").value = "";
    await renderScenarios();
    el("scenario-b").value = String(res.id);
    el("scenario-status").textContent = `Opgeslagen als scenario #${res.id}: '${res.naam}'. Het blijft ongewijzigd bewaard.`;
  }

  async function compareScenarios() {
    const a = el("scenario-a").value; const b = el("scenario-b").value;
    if (a === b) { el("scenario-status").textContent = "Kies twee verschillende scenario's om te vergelijken."; return; }
    let cmp;
    try {
      cmp = await hooks.getJSON(`/api/scenarios/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    } catch (err) {
      el("scenario-status").textContent = `Vergelijken mislukt: ${err.message}`;
      return;
    }
    s.comparison = cmp;
    const moved = cmp.buurten.filter((r) => r.rang_verschil);
    const rows = cmp.buurten.slice(0, 25).map((r) => `<tr data-code="${r.buurtcode}"><td>${esc(r.buurtnaam)}</td><td class="v">${r.rang_a ?? "–"}</td><td class="v">${r.rang_b ?? "–"}</td>`
      + `<td class="v ${r.rang_verschil > 0 ? "down" : r.rang_verschil < 0 ? "up" : ""}">${r.rang_verschil === null ? "" : r.rang_verschil > 0 ? `▼ ${r.rang_verschil}` : r.rang_verschil < 0 ? `▲ ${-r.rang_verschil}` : "="}</td></tr>`);
    el("comparison").innerHTML = `<p class="hint">Scenario #${cmp.a.id} '${esc(cmp.a.naam)}' → #${cmp.b.id} '${esc(cmp.b.naam)}': ${moved.length} buurten veranderen van plaats; `
      + `Kendalls tau ${cmp.kendall_tau === null ? "–" : fmt2.format(cmp.kendall_tau)} (1 = zelfde volgorde).</p>`
      + `<table><thead><tr><th>Buurt</th><th>Rang A</th><th>Rang B</th><th>Verschil</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
    el("comparison").querySelectorAll("tr[data-code]").forEach((tr) => tr.addEventListener("click", () => select(tr.dataset.code, true)));
    state.values.forEach((row, code) => {
      const r = cmp.buurten.find((x) => x.buurtcode === code);
      row.sia_rangverschil = r && r.rang_verschil !== null ? -r.rang_verschil : null;
    });
    hooks.addIndicator({ id: "sia_rangverschil", label: `SIA: plaatsen gestegen van scenario #${cmp.a.id} naar #${cmp.b.id}`, unit: "plaatsen", description: "Positief: de buurt staat in scenario B hoger dan in A.", layer: "sia", synthetic: s.result && s.result.synthetisch }, true);
    el("scores-panel").hidden = false;
  }

  function detailRows(code) { // contributions of each criterion to the axis scores of one buurt
    if (!s.result) return "";
    const b = s.byCode.get(code);
    if (!b) return "";
    if (b.rang === null) return `<h4>SIA-score</h4><p class="hint">Niet gerangschikt: ${esc(b.reden)}</p>`;
    const c = s.contrib.get(code) || {};
    const crit = s.profile.criteria;
    const max = Math.max(...crit.map((k) => Math.abs(c[k.id] || 0)), 1e-9);
    const bars = ["urgentie", "potentie"].map((axis) => `<tr><th colspan="2">${axis === "urgentie" ? "Urgentie" : "Potentie"} ${fmt2.format(b[axis])}</th></tr>`
      + crit.filter((k) => k.as === axis).map((k) => `<tr><td>${esc(k.label)}</td><td class="v"><span class="bar" style="width:${Math.round(60 * Math.abs(c[k.id] || 0) / max)}px"></span>${fmt2.format(c[k.id] || 0)}</td></tr>`).join("")).join("");
    return `<h4>SIA-score: #${b.rang} · ${fmt2.format(b.gecombineerd)}</h4>`
      + `<div class="hint"><span class="qdot" style="background:${QUADRANT_COLOR[b.kwadrant]}"></span>${esc(QUADRANTS.find((q) => q.value === b.kwadrant)?.label)}</div>`
      + `<table class="contrib"><tbody>${bars}</tbody></table><div class="hint">Bijdragen tellen per as precies op tot de score.</div>`
      + partnerRows(code);
  }

  function partnerRows(code) { // the buurt's rank under each partner's weight profile
    const pr = s.partnerRanks && s.partnerRanks.get(code);
    if (!pr) return "";
    const labels = (s.result.partnerprofielen || {}).partners || {};
    const rows = Object.entries(pr.rangen).sort((a, b) => a[1] - b[1])
      .map(([name, rank]) => `<tr><td>${esc(labels[name] || name)}</td><td class="v">#${rank}</td></tr>`).join("");
    return `<h4>Rang per partnerprofiel (${pr.rang_min}–${pr.rang_max})</h4><table class="contrib"><tbody>${rows}</tbody></table>`;
  }

  el("profiel").addEventListener("change", () => { selectProfile(); run(); });
  el("methode").addEventListener("change", run);
  el("robuust").addEventListener("change", run);
  el("partners-vergelijken").addEventListener("change", run);
  el("reset-weights").addEventListener("click", () => { selectProfile(); run(); });
  el("toggle-kandidaten").addEventListener("change", loadCandidates);
  el("scores-close").addEventListener("click", () => { el("scores-panel").hidden = true; state.map.invalidateSize(); });
  el("scenario-auteur").value = localStorage.getItem("sia-auteur") || "";
  el("scenario-save").addEventListener("click", saveScenario);
  el("scenario-compare").addEventListener("click", compareScenarios);
  renderScenarios().catch((err) => { el("scenario-status").textContent = `De scenario's konden niet worden geladen: ${err.message}`; });

  return { loadProfiles, run, select, detailRows, categories: QUADRANT_COLOR };
}
