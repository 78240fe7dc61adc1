// The statistics of an area as the API gives them (POST /api/gebieden/statistieken, or what a
// proposal version stored): the buurten touched with their share inside, inhabitants and
// households with the method named, corporation holdings per corporation, projects per partner
// and year, sales and agreement 4.1, the Leefbaarometer, the area's scores with its buurten's
// ranks and quadrants, its share of the gemeente, and what every figure stands on. Built with h():
// names from the data are text, never HTML. A missing figure reads "geen gegevens", an unknown
// potential "onbekend": never NaN.

import { h } from "./dom.js";
import { store } from "./state.js";
import { areaBuurten } from "../lib/dia.js";
import { QUADRANT_COLORS } from "../lib/colors.js";
import { MISSING, formatFixed, formatInteger, formatMoney, formatNumber, formatPercent, plural } from "../lib/format.js";

/** A method's Dutch label (GET /api/meta), its id when unknown. */
const methodLabel = (id) => store.get("meta")?.methoden?.find((m) => m.id === id)?.label || id;

const share = (v) => (typeof v === "number" && Number.isFinite(v) ? formatPercent(100 * v) : MISSING);
const tag = (on) => (on ? [" ", h("span", { class: "tag" }, "synthetisch")] : null);
const score = (v) => formatFixed(v, 3);
const unknownScore = (v) => (v === null || v === undefined ? "onbekend" : score(v));

function row(label, value, figure = null, note = null, cls = "v") {
  return h("tr", {}, h("th", { scope: "row" }, label), h("td", { class: cls, dataset: figure ? { figuur: figure } : undefined }, value),
    note ? h("td", { class: "note" }, note) : null);
}

function table(caption, head, rows, cls = "") {
  return h("table", { class: `dia-table ${cls}`.trim() },
    h("caption", { class: "visually-hidden" }, caption),
    head ? h("thead", {}, h("tr", {}, head.map((t, i) => h("th", { scope: "col", class: i ? "v" : null }, t)))) : null,
    h("tbody", {}, rows));
}

function section(title, source, ...children) {
  return h("section", { class: "dia-section" }, h("h4", {}, title), children,
    source ? h("p", { class: "source" }, source) : null);
}

function notices(d) {
  const items = [...(d.meldingen || []), ...(d.waarschuwingen || [])];
  if (!items.length) return null;
  return h("div", { class: "dia-notice", role: "note" }, items.map((m) => h("p", {}, m)));
}

function overlap(d) {
  if (!(d.overlap || []).length) return null;
  return h("div", { class: "dia-overlap", id: "dia-overlap", dataset: { voorstellen: d.overlap.map((o) => o.id).join(",") } },
    h("strong", {}, `Overlap met ${d.overlap.map((o) => `'${o.naam}'`).join(", ")}`),
    " — op de kaart rood gestreept omlijnd.");
}

function core(d) {
  const methods = Object.entries(d.verdeling?.aantal_buurten || {}).filter(([, n]) => n > 0)
    .map(([m, n]) => `${plural(n, "buurt", "buurten")}: ${d.verdeling.methoden[m] || m}`);
  const g = d.aandeel_gemeente || {};
  return section("Het gebied", `Buurtcijfers CBS ${d.jaar}; verdeeld naar: ${methods.join("; ") || "–"}.`,
    table("Kerncijfers van het gebied", null, [
      row("Oppervlakte", `${formatNumber(d.oppervlakte_ha, 1)} ha`, "oppervlakte_ha"),
      row("Inwoners", formatInteger(d.inwoners), "inwoners", `${share(g.inwoners)} van de gemeente`),
      row("Huishoudens", formatInteger(d.huishoudens), "huishoudens", `${share(g.huishoudens)} van de gemeente`),
      row("Woningen", d.woningen === null ? MISSING : formatInteger(d.woningen), "woningen",
        g.woningen === null || g.woningen === undefined ? null : `${share(g.woningen)} van de gemeente`),
      row("Corporatiewoningen", formatInteger(d.corporatiebezit?.woningen), "corporatiewoningen",
        `${share(g.corporatiewoningen)} van de gemeente`),
    ]),
    g.melding_woningen ? h("p", { class: "hint" }, g.melding_woningen) : null);
}

function buurten(d, quadrantLabel) {
  const rows = areaBuurten(d);
  return section(`Buurten in het gebied (${rows.length})`,
    "Aandeel binnen: het deel van de buurtcijfers dat in het gebied telt (hele buurt, adrespunten of oppervlakte).",
    table("Buurten die het gebied raakt", ["Buurt", "Binnen", "Rang", "Kwadrant"], rows.map((b) => h("tr", { dataset: { code: b.buurtcode } },
      h("td", {}, b.buurtnaam || b.buurtcode, h("span", { class: "unit" }, ` ${b.methode}`)),
      h("td", { class: "v" }, share(b.aandeel)),
      h("td", { class: "v" }, b.rang === null ? "–" : `#${b.rang}`),
      h("td", { class: "v wrap" }, b.kwadrant ? h("span", { title: quadrantLabel(b.kwadrant) }, h("span", { class: "qdot", style: { background: QUADRANT_COLORS[b.kwadrant] || "#fff" } }), quadrantLabel(b.kwadrant).split(":")[0]) : (b.reden || "–")))),
    "buurten"));
}

function scores(d) {
  const s = d.scores;
  if (!s) return null;
  const quadrant = s.kwadrant ? (s.kwadranten?.[s.kwadrant] || s.kwadrant) : MISSING;
  return section("Score van het gebied",
    `${s.profiel_label} (${methodLabel(s.methode)}); ${s.weging_gebied}. ${plural(s.aantal_gerangschikt, "buurt", "buurten")} gerangschikt; buurten ${s.jaar}, Leefbaarometer ${s.editie ?? "–"}, partnerdata ${s.periode ?? "geen"}.`,
    s.synthetisch ? h("div", { class: "synthetic" }, "Deze score weegt synthetische partnerdata mee — geen echte gegevens") : null,
    table("Scores van het gebied", null, [
      row("Urgentie", unknownScore(s.urgentie), "urgentie"),
      row("Potentie", unknownScore(s.potentie), "potentie"),
      row("Gecombineerd", unknownScore(s.gecombineerd), "gecombineerd"),
      row("Kwadrant", quadrant, "kwadrant", null, "v wrap"),
    ]),
    s.melding ? h("p", { class: "hint" }, s.melding) : null);
}

function liveability(d) {
  const l = d.leefbaarometer;
  if (!l) return null;
  const keys = Object.keys(l.labels || {});
  return section("Leefbaarometer", `${l.bron || "Leefbaarometer"}${l.editie ? ` (editie ${l.editie})` : ""}, gewogen naar ${l.weging}.`
    + (l.buurten_zonder?.length ? ` Zonder score: ${l.buurten_zonder.join(", ")}.` : ""),
  table("Leefbaarometer van het gebied", null, keys.map((k) => row(l.labels[k].replace(/^Leefbaarometer: /, ""), formatFixed(l[k], 3), k))));
}

function holdings(d) {
  const c = d.corporatiebezit;
  if (!c) return section("Corporatiebezit", null, h("p", { class: "hint" }, "Geen partnerdata voor deze periode."));
  const cell = (x, v, fmt) => (x.onderdrukt ? h("span", { title: `minder dan ${c.drempel_onderdrukking} woningen` }, "onderdrukt") : fmt(v));
  return section(["Corporatiebezit", tag(c.synthetisch)], `Partnerdata ${d.periode}; ${c.methode}. Aandeel en conditie van minder dan ${c.drempel_onderdrukking} woningen blijven leeg (onderdrukt).`,
    table("Corporatiewoningen per corporatie", ["Corporatie", "Woningen", "Label E–G", "Conditie"], [
      ...c.per_corporatie.map((x) => h("tr", {}, h("td", {}, x.corporatie, tag(x.synthetisch)), h("td", { class: "v" }, formatInteger(x.woningen)),
        h("td", { class: "v" }, cell(x, x.aandeel_label_efg, formatPercent)), h("td", { class: "v" }, cell(x, x.gem_conditie, (v) => formatFixed(v, 1))))),
      h("tr", { class: "total" }, h("td", {}, "Totaal"), h("td", { class: "v", dataset: { figuur: "bezit_totaal" } }, formatInteger(c.woningen)),
        h("td", { class: "v", dataset: { figuur: "label_efg" } }, cell(c, c.aandeel_label_efg, formatPercent)),
        h("td", { class: "v", dataset: { figuur: "conditie" } }, cell(c, c.gem_conditie, (v) => formatFixed(v, 1)))),
    ], "holdings"));
}

function projects(d) {
  const p = d.projecten;
  if (!p) return null;
  return section(["Geplande projecten", tag(p.synthetisch)], `Partnerdata ${d.periode}; ${p.methode}.`,
    table("Geplande projecten in het gebied", null, [
      row("Projecten in of over de grens", formatInteger(p.aantal), "projecten"),
      row("Investering binnen het gebied", formatMoney(p.investering_eur), "investering"),
      row("Woningen erbij / eraf", `${formatInteger(p.woningen_erbij)} / ${formatInteger(p.woningen_eraf)}`),
    ]),
    p.per_partij_jaar.length ? h("details", {}, h("summary", {}, "Per partner en jaar"),
      table("Investering per partner en jaar", ["Partner", "Jaar", "Investering", "Woningen +/−"], p.per_partij_jaar.map((r) => h("tr", {},
        h("td", {}, r.partij), h("td", { class: "v" }, r.jaar ?? "–"), h("td", { class: "v" }, formatMoney(r.investering_eur)),
        h("td", { class: "v" }, `${formatInteger(r.woningen_erbij)} / ${formatInteger(r.woningen_eraf)}`))))) : null);
}

function sales(d) {
  const v = d.verkoop;
  if (!v) return null;
  return section(["Geplande verkoop", tag(v.synthetisch)], `Partnerdata ${d.periode}. Afspraak 4.1: conditie onder 4 en nooit label F of G (uitzondering: kluswoning, gemeld).`,
    table("Geplande verkoop in het gebied", null, [
      row("Geplande verkopen", formatInteger(v.aantal), "verkoop"),
      row("Strijdig met afspraak 4.1", formatInteger(v.strijdig_41), "strijdig_41"),
    ]),
    v.per_corporatie.length ? h("details", {}, h("summary", {}, "Per corporatie"),
      table("Verkoop per corporatie", ["Corporatie", "Verkopen", "Strijdig 4.1"], v.per_corporatie.map((r) => h("tr", {},
        h("td", {}, r.corporatie), h("td", { class: "v" }, formatInteger(r.aantal)), h("td", { class: "v" }, formatInteger(r.strijdig_41)))))) : null);
}

function sources(d) {
  const carried = (d.volledigheid || []).filter((r) => r.status !== "actueel");
  const hidden = Object.entries(d.verborgen || {}).filter(([, n]) => n > 0);
  return h("div", { class: "source" },
    `Bronnen: CBS wijk- en buurtkaart ${d.jaar}; Leefbaarometer ${d.editie ?? "–"}; partnerdata periode ${d.periode ?? "geen"}`,
    d.synthetisch ? ` (synthetisch: ${(d.synthetisch_in || []).join(", ")})` : "", ".",
    carried.length ? ` Doorgeschoven (oudere levering): ${carried.map((r) => `${r.partner} ${r.laag} ${r.periode}`).join(", ")}.` : "",
    hidden.length ? ` Niet zichtbaar voor u (alleen in de buurtcijfers): ${hidden.map(([k, n]) => `${formatInteger(n)} ${k}`).join(", ")}.` : "");
}

/** The statistics of an area as one element; `quadrantLabel(code)` names a quadrant. */
export function statsView(d, { quadrantLabel = (q) => d.scores?.kwadranten?.[q] || q } = {}) {
  return h("div", { class: "dia-stats" },
    d.synthetisch ? h("div", { class: "synthetic" }, "Bevat synthetische partnerdata — geen echte gegevens") : null,
    notices(d), overlap(d), core(d), scores(d), buurten(d, quadrantLabel), liveability(d), holdings(d), projects(d), sales(d), sources(d));
}
