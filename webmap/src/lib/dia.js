// Pure helpers of the DIA parts of the map (areas, proposals): status colours, the list filter,
// the investment agenda as a partner × year table, the buurten of an area with their scores,
// and a debounce with "newest answer wins". No DOM, no Leaflet. Status labels and the allowed
// transitions come from the API (GET /api/meta, voorstelstatussen).

/** Outline colour per proposal status (ColorBrewer Set1/Greys; closed statuses grey). */
export const STATUS_COLORS = {
  concept: "#1f78b4",
  voorgesteld: "#e66101",
  vastgesteld: "#1b7837",
  afgewezen: "#636363",
  ingetrokken: "#969696",
};

/** The area added between two versions (green) and removed (red), and the drawn area. */
export const DIFF_COLORS = { toegevoegd: "#1a9850", verwijderd: "#d73027" };
export const AREA_COLOR = "#c51b7d";
export const OVERLAP_COLOR = "#b2182b";

/** Leaflet path style of a proposal outline: open proposals solid, closed ones dashed. */
export function proposalStyle(status, { flagged = false } = {}) {
  const open = status === "concept" || status === "voorgesteld";
  return {
    color: flagged ? OVERLAP_COLOR : STATUS_COLORS[status] || "#636363",
    weight: flagged ? 5 : status === "vastgesteld" ? 4 : 3,
    opacity: 1,
    dashArray: flagged ? "10 6" : open || status === "vastgesteld" ? null : "6 5",
    fill: false,
  };
}

/** A status and where it may go next, from GET /api/meta (voorstelstatussen). */
export function statusInfo(meta, status) {
  return (meta?.voorstelstatussen || []).find((s) => s.id === status) || { id: status, label: status, open: false, naar: [], vraagt_besluit: false };
}

/** The statuses a proposal may move to from `status`, each with its label. */
export function nextStatuses(meta, status) {
  return statusInfo(meta, status).naar.map((id) => statusInfo(meta, id));
}

/** Proposals (GeoJSON features or summaries) that match the filter { status, partner } ("" = all). */
export function filterProposals(items, { status = "", partner = "" } = {}) {
  return items.filter((item) => {
    const p = item.properties || item;
    if (status && p.status !== status) return false;
    if (partner && !partnerList(p.partners).includes(partner)) return false;
    return true;
  });
}

/** Partners as a list: the API gives a list, the GeoJSON export a comma-separated text. */
export function partnerList(value) {
  if (Array.isArray(value)) return value;
  if (typeof value !== "string" || !value.trim()) return [];
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * The investment agenda (GET /api/voorstellen/{id}/investeringsagenda, rijen) as a table with one
 * row per partner and one column per year: { years, rows: [{ partner, cells: {year: row}, total }],
 * totals: {year: eur}, total }. A row without a year goes into the column "onbekend" (key "").
 */
export function agendaTable(rijen) {
  const years = [...new Set(rijen.map((r) => (r.jaar === null || r.jaar === undefined ? "" : String(r.jaar))))]
    .sort((a, b) => (a === "" ? 1 : b === "" ? -1 : Number(a) - Number(b)));
  const byPartner = new Map();
  for (const r of rijen) {
    const year = r.jaar === null || r.jaar === undefined ? "" : String(r.jaar);
    if (!byPartner.has(r.partner)) byPartner.set(r.partner, { partner: r.partner, cells: {}, total: 0 });
    const row = byPartner.get(r.partner);
    row.cells[year] = r;
    row.total += finite(r.totaal_eur);
  }
  const rows = [...byPartner.values()].sort((a, b) => a.partner.localeCompare(b.partner, "nl"));
  const totals = Object.fromEntries(years.map((y) => [y, rows.reduce((s, r) => s + finite(r.cells[y]?.totaal_eur), 0)]));
  return { years, rows, totals, total: rows.reduce((s, r) => s + r.total, 0) };
}

const finite = (v) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/**
 * The buurten of an area's statistics with their share inside and their score (rank, quadrant),
 * largest share first: [{ buurtcode, buurtnaam, aandeel, methode, rang, kwadrant, ... }].
 */
export function areaBuurten(stats) {
  const scores = new Map((stats?.scores?.buurten || []).map((b) => [b.buurtcode, b]));
  return (stats?.buurten || []).map((b) => {
    const s = scores.get(b.buurtcode) || {};
    return { ...b, rang: s.rang ?? null, kwadrant: s.kwadrant ?? null, urgentie: s.urgentie ?? null, potentie: s.potentie ?? null,
      gecombineerd: s.gecombineerd ?? null, reden: s.reden ?? null, p_top: s.p_top ?? null };
  }).sort((a, b) => b.aandeel - a.aandeel || a.buurtcode.localeCompare(b.buurtcode));
}

/** Toggle a code in a list (a new list; the order of choosing is kept). */
export function toggled(list, code) {
  return list.includes(code) ? list.filter((c) => c !== code) : [...list, code];
}

/**
 * debounce(fn, ms): call fn once the calls stop for ms; .flush() calls it now, .cancel() drops it.
 * The timer functions are passed in so tests need no clock.
 */
export function debounce(fn, ms, timers = { set: (f, t) => setTimeout(f, t), clear: (x) => clearTimeout(x) }) {
  let handle = null;
  let args = null;
  const run = () => { handle = null; const a = args; args = null; fn(...a); };
  const d = (...a) => {
    args = a;
    if (handle !== null) timers.clear(handle);
    handle = timers.set(run, ms);
  };
  d.flush = () => { if (handle !== null) { timers.clear(handle); run(); } };
  d.cancel = () => { if (handle !== null) timers.clear(handle); handle = null; args = null; };
  d.pending = () => handle !== null;
  return d;
}

/** newest(): a ticket counter; ticket() gives a number, isNewest(n) says whether no later ticket was given. */
export function newest() {
  let n = 0;
  return { ticket: () => ++n, isNewest: (t) => t === n };
}

/** A file name from a Content-Disposition header (attachment; filename="x.csv"), or the fallback. */
export function fileName(disposition, fallback) {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || "");
  return m ? decodeURIComponent(m[1]) : fallback;
}

/** An area for a reader: "3,68 ha", "0,125 ha", and below 0,01 ha in m² ("35 m²"), never "0 ha" for a sliver. */
export function areaText(ha, formatNumber) {
  if (typeof ha !== "number" || !Number.isFinite(ha)) return formatNumber(ha);
  if (ha > 0 && ha < 0.01) return `${formatNumber(Math.max(1, Math.round(ha * 10_000)), 0)} m²`;
  return `${formatNumber(ha)} ha`;
}

/**
 * The weighting a proposal version was saved with, in words: the profile's and the method's labels
 * and the data it read ("SIA standaardprofiel · <method label> · buurten 2021, Leefbaarometer
 * 2024, partnerdata 2026-najaar"). The labels come from the version's own statistics (the profile label
 * as scored), the profiles of the gemeente (GET /api/scores/profiles) and the methods of GET
 * /api/meta; an unknown name is shown as it is rather than left out.
 */
export function weightingText(version, { profiles = [], methods = [] } = {}) {
  const w = version?.weging || {};
  const scored = version?.statistieken?.scores || {};
  const name = w.profiel || scored.profiel || "default";
  const profile = (scored.profiel === name && scored.profiel_label) || profiles.find((p) => p.naam === name)?.label || name;
  const methodId = w.methode || (scored.profiel === name ? scored.methode : null);
  const method = methodId ? methods.find((m) => m.id === methodId)?.label || methodId : null;
  const data = `buurten ${w.jaar ?? "–"}, Leefbaarometer ${w.editie ?? "–"}, partnerdata ${w.periode ?? "geen"}`;
  return [profile, method, data].filter(Boolean).join(" · ");
}

/** Today as YYYY-MM-DD in local time (the default BO date). */
export function isoDate(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// --- who may write in the DIA forms (issue 10). The server decides: it takes the author and
// organisation from the signed-in user, and refuses (401/403/409, in Dutch) what a user may not do
// (api/security.py Writer, layers/proposals.py check_writer, migration 0008's policies). The map only
// leaves out the forms every request of which would be refused, and offers what may be chosen.

/** The roles that start proposals, change their status or boundary and add commitments. */
export const WRITER_ROLES = ["planner", "beheerder"];

/**
 * What a user (store "user", GET /api/auth/ik; null: not signed in) is offered: `write` a proposal,
 * its status, boundary and commitments (planner, beheerder), `comment` (anyone signed in).
 */
export function proposalRights(user) {
  return { signedIn: Boolean(user), write: Boolean(user) && WRITER_ROLES.includes(user.rol), comment: Boolean(user) };
}

/** The organisations a user may add a commitment for: a beheerder any of the gemeente's, a planner its own. */
export function commitmentPartners(user, organisations) {
  if (!proposalRights(user).write) return [];
  if (user.rol === "beheerder") return organisations.map((o) => o.naam);
  return [user.organisatie];
}
