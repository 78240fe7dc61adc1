// Dutch number, money, percentage, plural and unit formatting (nl-NL), in one place.
// Rules: "€ 5.821.000" (symbol first, no decimals), "12,5%", "1 buurt" / "2 buurten",
// "34,1 °C", "geen gegevens" for a missing or non-finite value: never "NaN" or "-0".

const cache = new Map();
function nf(maxDigits, minDigits = 0) {
  const key = `${maxDigits}:${minDigits}`;
  if (!cache.has(key)) {
    cache.set(key, new Intl.NumberFormat("nl-NL", { maximumFractionDigits: maxDigits, minimumFractionDigits: minDigits }));
  }
  return cache.get(key);
}

export const MISSING = "geen gegevens";

export function isNumber(v) {
  return typeof v === "number" && Number.isFinite(v);
}

function clean(v) { // no "-0"
  return Object.is(v, -0) ? 0 : v;
}

const minus = (s) => s.replace(/^-/, "−"); // a real minus sign, as in "−0,27"

/** Digits after the comma that suit the size of the number (3 below 1, none from 1.000). */
export function autoDigits(v) {
  const a = Math.abs(v);
  if (a >= 1000) return 0;
  if (a >= 100) return 1;
  if (a >= 1) return 2;
  return 3;
}

export function formatNumber(v, digits = null) {
  if (!isNumber(v)) return MISSING;
  const d = digits ?? autoDigits(v);
  const s = nf(d).format(clean(v));
  return s === "-0" ? "0" : minus(s);
}

export function formatFixed(v, digits = 2) {
  if (!isNumber(v)) return MISSING;
  const s = nf(digits, digits).format(clean(v));
  return /^-0(,0+)?$/.test(s) ? s.slice(1) : minus(s);
}

export function formatInteger(v) {
  return formatNumber(isNumber(v) ? Math.round(v) : v, 0);
}

const money = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0 });

/** "€ 5.821.000": euro sign first, a non-breaking space, whole euros. */
export function formatMoney(v) {
  if (!isNumber(v)) return MISSING;
  return money.format(Math.round(v) === 0 ? 0 : Math.round(v));
}

export function formatPercent(v, digits = null) { // v in percent (0–100)
  if (!isNumber(v)) return MISSING;
  return `${formatNumber(v, digits ?? (Math.abs(v) >= 10 ? 0 : 1))}%`;
}

/** "+3", "−2" (minus sign), "0": a change such as a rank difference. */
export function formatSigned(v, digits = 0) {
  if (!isNumber(v)) return MISSING;
  const s = formatNumber(Math.abs(v), digits);
  if (s === "0" || /^0(,0+)?$/.test(s)) return s;
  return `${v > 0 ? "+" : "−"}${s}`;
}

/** "1 buurt", "2 buurten", "1.234 buurten". */
export function plural(n, one, many) {
  return `${formatInteger(n)} ${Math.abs(n) === 1 ? one : many}`;
}

// count units in the singular, for a value of exactly 1 ("1 woning", "1 persoon per km²")
const SINGULAR = {
  woningen: "woning", personen: "persoon", huishoudens: "huishouden", corporaties: "corporatie", partners: "partner",
  plaatsen: "plaats", buurten: "buurt", inwoners: "inwoner", adressen: "adres", projecten: "project",
};

export function unitFor(v, unit) {
  if (Math.abs(v) !== 1) return unit;
  const [first, ...rest] = unit.split(" ");
  return SINGULAR[first] ? [SINGULAR[first], ...rest].join(" ") : unit;
}

// units that describe a scale rather than a quantity: shown in the legend, not after each value
const SCALE_UNITS = [/^klasse/, /^afwijking/, /^score/, /^conditiescore/];

export function isMoneyUnit(unit) {
  return typeof unit === "string" && /^€/.test(unit.trim());
}

/**
 * A value with its unit as a reader expects it: money as "€ 12.684 per huishouden", percentages
 * as "12,5%", temperatures as "34,1 °C", counts as "3.410 personen"; scale units (score, klasse)
 * are left off. Text values (categories) are returned as they are.
 */
export function formatValue(v, unit = null) {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "ja" : "nee";
  if (!isNumber(v)) return MISSING;
  const u = (unit || "").trim();
  if (isMoneyUnit(u)) {
    const rest = u.replace(/^€\s*/, "");
    return rest ? `${formatMoney(v)} ${rest}` : formatMoney(v);
  }
  if (u === "%") return formatPercent(v);
  if (!u || SCALE_UNITS.some((re) => re.test(u))) return formatNumber(v);
  return `${formatNumber(v)} ${unitFor(v, u)}`;
}

/** A value for a legend row: money and percentages keep their sign, other units are in the title. */
export function formatLegendValue(v, unit = null) {
  const u = (unit || "").trim();
  if (isMoneyUnit(u)) return formatMoney(v);
  if (u === "%") return formatPercent(v);
  return formatNumber(v);
}

/** A weight exactly as the engine gets it, in Dutch notation (no rounding: 0,1373 stays 0,1373). */
export function formatWeight(w) {
  if (!isNumber(w)) return MISSING;
  return String(w).replace(".", ",");
}

/** A date-time from the API (ISO 8601) as "1-12-2026 13:52". */
export function formatDateTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return MISSING;
  return d.toLocaleString("nl-NL", { dateStyle: "short", timeStyle: "short" });
}

export function formatDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return MISSING;
  return d.toLocaleDateString("nl-NL");
}

/** A readable label for a field name no catalogue knows: "percentage_koopwoningen" → "Koopwoningen". */
export function humanise(field) {
  const s = String(field).replace(/^percentage_|^p_/, "").replaceAll("_", " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : String(field);
}

export function humaniseUnit(field) {
  return /^percentage_|^p_/.test(String(field)) ? "%" : null;
}
