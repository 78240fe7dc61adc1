// What the figures stand on, in words: periods and their completeness, buurten years and
// Leefbaarometer editions, what a partner delivery counts for, which criteria are synthetic,
// an axis without data ("onbekend") and how candidate areas were formed. Pure functions on the
// API's answers (GET /api/periods, /api/indicators/table, POST /api/scores, /api/scores/candidates).

import { formatFixed, formatInteger, formatNumber, formatPercent, isNumber, plural } from "./format.js";

export const UNKNOWN = "onbekend";

/** "Domijn", "Domijn en SJHT", "De Veste, Domijn en SJHT". */
export function listNames(names) {
  const list = [...names];
  if (list.length <= 1) return list.join("");
  return `${list.slice(0, -1).join(", ")} en ${list.at(-1)}`;
}

/** The age of a carried-forward delivery: periods are half years. */
export function ageText(periods) {
  if (!isNumber(periods) || periods <= 0) return "actueel";
  const years = periods / 2;
  const span = periods === 1 ? "een half jaar" : Number.isInteger(years) ? plural(years, "jaar", "jaar") : `${formatNumber(years, 1)} jaar`;
  return `${plural(periods, "periode", "perioden")} oud (${span})`;
}

/**
 * The options of the period selector from GET /api/periods: which period is complete, which is
 * the default, and for an incomplete one how many partners delivered: "2026-najaar (volledig,
 * standaard)", "2027-voorjaar (5 van 6 geleverd)", "2027-voorjaar (5 van 6, standaard)". Short
 * enough for the select of the settings panel (a browser test measures them); the note under the
 * select names who delivered.
 */
export function periodOptions(periods) {
  if (!periods) return [];
  return periods.perioden.map((p) => {
    const standard = p.periode === periods.standaard;
    const count = `${formatInteger(p.actueel.length)} van ${formatInteger(p.actueel.length + p.ontbrekend.length)}`;
    const state = p.volledig ? "volledig" : standard ? count : `${count} geleverd`;
    return { value: p.periode, label: `${p.periode} (${state}${standard ? ", standaard" : ""})` };
  });
}

/** The age column of a completeness row (GET /api/periods/completeness): "–" when current. */
export function completenessAge(row) {
  return row.status === "doorgeschoven" ? ageText(row.leeftijd) : "–";
}

/**
 * Whether an API warning is the table's note on carried-forward deliveries of `periode`; the
 * period panel says that itself, per partner with the age (carriedForwardText).
 */
export function isCarriedForwardWarning(warning, periode) {
  return Boolean(periode) && warning.startsWith(`In ${periode} `) && warning.includes("doorgeschoven");
}

/**
 * Who counts with an older delivery in a period: [{ periode, leeftijd, partners }], oldest last.
 * A partner is listed once per age (its layers may come from one delivery).
 */
export function carriedForward(completeness) {
  const groups = new Map();
  for (const r of completeness?.rijen || []) {
    if (r.status !== "doorgeschoven") continue;
    const key = `${r.periode}|${r.leeftijd}`;
    if (!groups.has(key)) groups.set(key, { periode: r.periode, leeftijd: r.leeftijd, partners: new Set() });
    groups.get(key).partners.add(r.partner);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, partners: [...g.partners].sort((a, b) => a.localeCompare(b, "nl")) }))
    .sort((a, b) => a.leeftijd - b.leeftijd);
}

/** "Doorgeschoven uit 2026-najaar (1 periode oud (een half jaar)): De Veste en SJHT." per group. */
export function carriedForwardText(completeness) {
  return carriedForward(completeness).map((g) => `Doorgeschoven uit ${g.periode}, ${ageText(g.leeftijd)}: ${listNames(g.partners)}.`);
}

/** How much of the buurten year the edition covers: "65 van 70 buurten met een Leefbaarometer-score". */
export function combinationCoverage(c) {
  if (c.editie === null || c.editie === undefined) return `Geen Leefbaarometer voor de buurten van ${c.jaar}.`;
  return `${formatInteger(c.met_score)} van ${plural(c.buurten, "buurt", "buurten")} met een Leefbaarometer-score${c.dekt ? "" : ": deze combinatie dekt de gemeente niet"}.`;
}

/**
 * Options of the buurten-year selector (choices: GET /api/indicators/choices or the table's
 * `keuzes`): the default named, and a year the shown edition does not cover said so.
 */
export function yearOptions(choices, editie) {
  return choices.jaren.map((jaar) => {
    const combo = choices.combinaties.find((c) => c.jaar === jaar && (c.editie ?? null) === (editie ?? null));
    const notes = [jaar === choices.standaard.jaar ? "standaard" : null, combo && combo.editie && !combo.dekt ? "dekt niet" : null];
    return { value: String(jaar), label: `${jaar}${suffix(notes)}` };
  });
}

/** Options of the Leefbaarometer-edition selector; "geen" when none is loaded. */
export function editionOptions(choices, jaar) {
  if (!choices.edities.length) return [{ value: "", label: "geen" }];
  return choices.edities.map((editie) => {
    const combo = choices.combinaties.find((c) => c.jaar === jaar && c.editie === editie);
    const notes = [editie === choices.standaard.editie ? "standaard" : null, combo && !combo.dekt ? "dekt niet" : null];
    return { value: String(editie), label: `${editie}${suffix(notes)}` };
  });
}

function suffix(notes) {
  const list = notes.filter(Boolean);
  return list.length ? ` (${list.join(", ")})` : "";
}

/** Per kind ("nieuw", "vervallen", "zonder_leefbaarometer") the number of listed code changes. */
export function codeChangeCounts(changes) {
  const out = { nieuw: 0, vervallen: 0, zonder_leefbaarometer: 0 };
  for (const c of changes || []) out[c.soort] = (out[c.soort] || 0) + 1;
  return out;
}

export function codeChangeSummary(changes) {
  const n = codeChangeCounts(changes);
  return [
    n.nieuw ? `${plural(n.nieuw, "nieuwe code", "nieuwe codes")}` : null,
    n.vervallen ? `${plural(n.vervallen, "vervallen code", "vervallen codes")}` : null,
    n.zonder_leefbaarometer ? `${plural(n.zonder_leefbaarometer, "buurt", "buurten")} zonder Leefbaarometer-score` : null,
  ].filter(Boolean).join(", ");
}

// -- a score result ----------------------------------------------------------------------------

/** Which axes of a score result have data (result.assen; older results: any value on the axis). */
export function knownAxes(result) {
  if (result?.assen) return { urgentie: Boolean(result.assen.urgentie), potentie: Boolean(result.assen.potentie) };
  const has = (axis) => (result?.buurten || []).some((b) => isNumber(b[axis]));
  return { urgentie: has("urgentie"), potentie: has("potentie") };
}

/** The one axis a result is ranked on when the other has no data, else null. */
export function singleAxis(result) {
  const known = knownAxes(result);
  if (known.urgentie && !known.potentie) return "urgentie";
  if (known.potentie && !known.urgentie) return "potentie";
  return null;
}

/** An axis score for display: "onbekend" when the axis has no data, never "0,00" or "NaN". */
export function formatAxis(value, known = true) {
  if (!known) return UNKNOWN;
  return formatFixed(value);
}

/** The criteria of a result that carry weight. */
export function weighed(result) {
  return (result?.criteria || []).filter((c) => isNumber(c.gewicht) && c.gewicht > 0);
}

/** The weighed criteria that come from synthetic data (optionally of one axis). */
export function syntheticCriteria(result, axis = null) {
  return weighed(result).filter((c) => c.synthetisch && (!axis || c.as === axis));
}

/** Whether a score figure is synthetic: the combined score (axis null), or one axis. */
export function isSynthetic(result, axis = null) {
  return syntheticCriteria(result, axis).length > 0;
}

/**
 * What a score (of one axis, or the combined score) weighs, and which of it is synthetic:
 * { weighed: the number of weighed criteria, syntheticIn: the labels of the synthetic ones }.
 */
export function syntheticBasis(result, axis = null) {
  const used = weighed(result).filter((c) => !axis || c.as === axis);
  return { weighed: used.length, syntheticIn: used.filter((c) => c.synthetisch).map((c) => c.label) };
}

/**
 * The banner over a legend (and in the help of an indicator): exactly what of the shown figures
 * rests on synthetic data, or null when nothing does. A score names its weighed criteria that are
 * synthetic (`syntheticIn`, `weighed`: syntheticBasis), a column of the table names itself.
 */
export function syntheticNote(indicator) {
  if (!indicator) return null;
  const head = "Synthetische demonstratiedata (geen echte gegevens) in";
  if (Array.isArray(indicator.syntheticIn)) {
    const parts = indicator.syntheticIn;
    if (!parts.length) return null;
    return `${head} ${formatInteger(parts.length)} van ${plural(indicator.weighed, "gewogen criterium", "gewogen criteria")}: ${parts.join("; ")}.`;
  }
  return indicator.synthetic ? `${head}: ${indicator.label}.` : null;
}

/**
 * The banner of the partner layers on the map: which shown layer holds synthetic points of which
 * partners, or null when no shown point is synthetic. `shown`: [{ title, features }] with the
 * features' properties `partner` and `synthetisch` (GET /api/partners/features, /sales-check).
 */
export function syntheticPartnersNote(shown) {
  const parts = shown.map(({ title, features }) => {
    const partners = [...new Set((features || []).filter((f) => f.properties?.synthetisch).map((f) => f.properties.partner))];
    return partners.length ? `${title} van ${listNames(partners.sort((a, b) => a.localeCompare(b, "nl")))}` : null;
  }).filter(Boolean);
  return parts.length ? `Synthetische demonstratiedata (geen echte gegevens): ${parts.join("; ")}.` : null;
}

/** criterion id → synthetic, from a result's criteria (only what the result used). */
export function syntheticById(result) {
  return new Map((result?.criteria || []).map((c) => [c.id, Boolean(c.synthetisch)]));
}

/** "Aandeel corporatiewoningen (geen waarde voor enige buurt)" per left-out criterion. */
export function leftOutText(result) {
  return (result?.weggelaten || []).map((w) => `${w.label} (${w.reden})`);
}

/** A few names in full, more as a count: "Domijn en SJHT", "6 partners". */
function fewOrCount(names, one, many, max = 3) {
  return names.length <= max ? listNames(names) : plural(names.length, one, many);
}

/**
 * What a score stands on, as parts of one line: profile, buurten year, Leefbaarometer edition,
 * period and partner deliveries (carried-forward periods named), and which weighed criteria are
 * synthetic (named, or counted when there are many).
 */
export function scoreBasis(result) {
  if (!result) return [];
  const partners = [...new Set((result.leveringen || []).map((d) => d.partner))];
  const periods = [...new Set((result.leveringen || []).map((d) => d.periode))];
  const used = weighed(result);
  const synthetic = syntheticCriteria(result);
  const usesPartners = used.some((c) => c.laag === "partnerdata" || c.laag === "raster");
  const older = periods.length > 1 || (periods[0] && periods[0] !== result.periode);
  return [
    `profiel ${result.profiel_label || result.profiel}`,
    `buurten ${result.jaar}`,
    result.editie ? `Leefbaarometer ${result.editie}` : "zonder Leefbaarometer",
    usesPartners && result.periode ? `partnerdata ${result.periode}${older ? ` (leveringen uit ${periods.join(", ")})` : ""}` : null,
    usesPartners && partners.length ? `van ${fewOrCount(partners, "partner", "partners")}` : null,
    usesPartners ? null : "alleen openbare gegevens",
    synthetic.length ? `synthetisch: ${synthetic.length <= 2 ? synthetic.map((c) => c.label).join(", ") : `${synthetic.length} van de ${used.length} gewogen criteria`}` : null,
  ].filter(Boolean);
}

// -- candidate areas -------------------------------------------------------------------------

/** The parameters of candidate areas in words (POST /api/scores/candidates, `parameters`). */
export function candidateParameters(params, used) {
  if (!params) return [];
  const out = [];
  if (used === "gi_star") {
    if (isNumber(params.alpha)) out.push(`significantie ${formatNumber(params.alpha, 2)}${params.fdr ? " (FDR-gecorrigeerd)" : ""}`);
    if (isNumber(params.permutaties)) out.push(`${formatInteger(params.permutaties)} permutaties`);
  }
  if (used === "top_groep" && isNumber(params.top_fractie)) out.push(`bovenste ${formatPercent(100 * params.top_fractie, 0)} van de buurten`);
  if (params.buren) out.push(`buren: ${params.buren}`);
  out.push(isNumber(params.min_inwoners) ? `minimaal ${formatInteger(params.min_inwoners)} inwoners` : "geen minimum aantal inwoners");
  return out;
}
