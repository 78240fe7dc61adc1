// The open DIA proposal (store "proposal", in the address as #voorstel=…): its data, the status
// with the transitions the API allows (vastgesteld asks the BO date and decision reference), a new
// boundary as a new version, the version history with any version viewable, two versions compared
// on the map (area added green, removed red) with the change in figures, the statistics of the
// shown version, the investment agenda with commitments added by hand, comments, and the
// downloads of the BO dossier. Every text from the data is added as text (h()), never as HTML.
// The forms show who is signed in (the author the server records) or, to a visitor the server would
// refuse, a line with a sign-in button instead (ui/proposal-signer.js); a refusal shows the
// server's Dutch message.

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";
import { getJSON, postJSON } from "./api.js";
import { getMap } from "./map.js";
import { statsView } from "./dia-stats.js";
import { fitOptions } from "./dia-draw.js";
import { loadProposals } from "./proposals.js";
import { rights, signedInAs, signInInstead } from "./proposal-signer.js";
import { DIFF_COLORS, STATUS_COLORS, agendaTable, areaText, commitmentPartners, isoDate, nextStatuses, partnerList, statusInfo, weightingText } from "../lib/dia.js";
import { MISSING, formatDate, formatDateTime, formatFixed, formatMoney, formatNumber, formatSigned } from "../lib/format.js";

const L = window.L;
let versionLayer = null;
let diffLayer = null;
let agenda = null;
let loadSeq = 0;
let loadError = null; // { id, error }: the open proposal could not be read (kept until the next load)
let notice = null; // { text, error }: the outcome of the last status change, shown after the reload

const statusLabel = (id) => statusInfo(store.get("meta"), id).label;

// --- loading ---------------------------------------------------------------------------------

/** Load (or reload) the open proposal: its newest version, history, comments, commitments, agenda. */
export async function reloadProposal({ versie = null } = {}) {
  const id = store.get("proposal");
  const seq = ++loadSeq;
  loadError = null;
  if (!id) { store.set({ proposalDetail: null, proposalVersion: null, proposalComparison: null }); agenda = null; return; }
  try {
    const detail = await getJSON(`/api/voorstellen/${id}`);
    const version = versie && versie !== detail.versie ? await getJSON(`/api/voorstellen/${id}/versies/${versie}`) : detail;
    agenda = await getJSON(`/api/voorstellen/${id}/investeringsagenda?versie=${version.versie}`);
    if (seq !== loadSeq) return;
    store.set({ proposalDetail: detail, proposalVersion: version });
  } catch (err) {
    if (seq !== loadSeq) return;
    loadError = { id, error: err };
    store.set({ proposalDetail: null, proposalVersion: null });
    render(store);
  }
}

/** The open proposal could not be read: why, and (a visitor: concepts are not public) the sign-in line. */
function failed(id, err) {
  return [h("h3", { id: "voorstel-titel", tabindex: "-1" }, `Voorstel ${id}`), h("p", { class: "hint error" }, `Het voorstel kon niet worden geladen: ${err.message}`),
    err.status === 404 && !rights().signedIn ? signInInstead("voorstel-aanmelden", { anonymous: "Voorstellen in concept zien alleen ingelogde partners." }) : null];
}

async function showVersion(versie) {
  await reloadProposal({ versie });
  byId("voorstel-titel")?.focus();
}

// --- map layers ------------------------------------------------------------------------------

function drawVersion(s) {
  const map = getMap();
  if (versionLayer) { map.removeLayer(versionLayer); versionLayer = null; }
  const v = s.get("proposalVersion");
  if (!v || s.get("proposalComparison")) return;
  versionLayer = L.geoJSON(v.geometrie, {
    pane: "dia-verschil", interactive: false,
    style: { color: "#1d2733", weight: 3, dashArray: v.versie === v.nieuwste ? null : "2 6", fill: false },
  }).addTo(map);
}

function drawComparison(s) {
  const map = getMap();
  if (diffLayer) { map.removeLayer(diffLayer); diffLayer = null; }
  const c = s.get("proposalComparison");
  if (!c) return;
  diffLayer = L.featureGroup();
  const part = (geometry, kind) => {
    if (!geometry) return;
    L.geoJSON(geometry, {
      pane: "dia-verschil", interactive: false, className: `dia-diff dia-diff-${kind}`,
      style: { color: DIFF_COLORS[kind], weight: 2, fillColor: DIFF_COLORS[kind], fillOpacity: 0.55 },
    }).addTo(diffLayer);
  };
  part(c.toegevoegd, "toegevoegd");
  part(c.verwijderd, "verwijderd");
  diffLayer.addTo(map);
  if (diffLayer.getLayers().length) map.fitBounds(diffLayer.getBounds(), fitOptions());
}

// --- the panel -------------------------------------------------------------------------------

function field(label, value) {
  return [h("dt", {}, label), h("dd", {}, value || "–")];
}

function header(d, v) {
  const older = v.versie !== d.versie;
  return [
    h("h3", { id: "voorstel-titel", tabindex: "-1" }, v.naam),
    h("p", { class: "voorstel-status" },
      h("span", { class: "status-chip", style: { borderColor: STATUS_COLORS[v.status] } }, statusLabel(v.status)),
      ` · versie ${v.versie} van ${d.versie} · ${formatNumber(v.oppervlakte_ha, 1)} ha`),
    older ? h("div", { class: "dia-notice", role: "note", id: "voorstel-oud" }, `U bekijkt versie ${v.versie} van ${formatDateTime(v.aangemaakt)}; de nieuwste is versie ${d.versie}. `,
      h("button", { type: "button", class: "linkbutton", onclick: () => showVersion(null) }, "Naar de nieuwste versie")) : null,
    (v.invoer?.synthetisch) ? h("div", { class: "synthetic" }, "Dit voorstel staat (deels) op synthetische partnerdata — geen echte gegevens") : null,
    h("dl", { class: "dia-fields" },
      field("Motivering", v.motivering),
      field("Partners", partnerList(v.partners).join(", ")),
      field("Contact", v.contact),
      field("Versie gemaakt door", `${v.auteur}, ${formatDateTime(v.aangemaakt)}${v.wijziging ? ` (${v.wijziging})` : ""}`),
      v.bo_datum ? field("Besluit BO", `${formatDate(v.bo_datum)}, ${v.besluitreferentie || ""}`) : null,
      field("Weging", weightingText(v, { profiles: store.get("profiles"), methods: store.get("meta")?.methoden }))),
  ];
}

function actions(d, v) {
  if (v.versie !== d.versie) return null;
  const next = nextStatuses(store.get("meta"), d.status);
  const open = statusInfo(store.get("meta"), d.status).open;
  const select = h("select", { id: "voorstel-nieuwe-status" }, next.map((st) => h("option", { value: st.id }, st.label)));
  const besluit = h("div", { id: "voorstel-besluit", hidden: true },
    h("label", { for: "voorstel-bo-datum" }, "Datum van het Bestuurlijk Overleg"), h("input", { type: "date", id: "voorstel-bo-datum", value: isoDate(new Date()) }),
    h("label", { for: "voorstel-besluit-ref" }, "Referentie van het besluit"), h("input", { id: "voorstel-besluit-ref", maxlength: "500" }));
  const sync = () => { besluit.hidden = !statusInfo(store.get("meta"), select.value).vraagt_besluit; };
  select.addEventListener("change", sync);
  sync();
  const write = rights().write;
  return h("section", { class: "dia-section", "aria-labelledby": "voorstel-acties" },
    h("h4", { id: "voorstel-acties" }, "Status en grens"),
    next.length && !write ? signInInstead("voorstel-aanmelden", {
      anonymous: "Log in om de status of de grens van dit voorstel te wijzigen.",
      reader: "De status en de grens wijzigen planners en beheerders van de betrokken organisaties.",
    }) : next.length ? h("form", { id: "voorstel-status-form", class: "dia-form", onsubmit: (e) => { e.preventDefault(); changeStatus(d); } },
      h("label", { for: "voorstel-nieuwe-status" }, `Status wijzigen (nu: ${statusLabel(d.status)})`), select, besluit,
      h("label", { for: "voorstel-toelichting" }, "Toelichting (optioneel)"), h("input", { id: "voorstel-toelichting", maxlength: "500" }),
      h("button", { type: "submit", id: "voorstel-status-opslaan" }, "Status wijzigen"))
      : h("p", { class: "hint" }, `'${statusLabel(d.status)}' is een eindstatus.`),
    open && write ? h("button", { type: "button", id: "voorstel-grens", onclick: () => editBoundary(v) }, "Grens bewerken (nieuwe versie)") : null,
    h("p", { class: `hint${notice?.error ? " error" : ""}`, id: "voorstel-melding", "aria-live": "polite" }, notice?.text || ""));
}

function versions(d, v) {
  const options = d.versies.map((x) => h("option", { value: String(x.versie) }, `versie ${x.versie} (${formatDate(x.aangemaakt)})`));
  const a = h("select", { id: "vergelijk-a" }, options.map((o) => o.cloneNode(true)));
  const b = h("select", { id: "vergelijk-b" }, options);
  a.value = String(Math.max(1, d.versie - 1));
  b.value = String(d.versie);
  return h("details", { class: "dia-section", open: true, id: "voorstel-versies" },
    h("summary", {}, `Versies (${d.versies.length})`),
    h("table", { class: "dia-table versions" }, h("caption", { class: "visually-hidden" }, "Versies van het voorstel"),
      h("thead", {}, h("tr", {}, ["Versie", "Wijziging", ""].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, d.versies.map((x) => h("tr", { class: x.versie === v.versie ? "selected" : null, dataset: { versie: String(x.versie) } },
        h("td", {}, h("strong", {}, String(x.versie))),
        h("td", {}, x.wijziging || "–", h("div", { class: "unit" }, `${statusLabel(x.status)} · ${formatDateTime(x.aangemaakt)}, ${x.auteur} · ${formatNumber(x.oppervlakte_ha, 1)} ha`)),
        h("td", { class: "v" }, x.versie === v.versie ? h("span", { class: "unit" }, "getoond")
          : h("button", { type: "button", class: "linkbutton", "aria-label": `Bekijk versie ${x.versie}`, onclick: () => showVersion(x.versie) }, "bekijk")))))),
    d.versies.length > 1 ? h("form", { class: "dia-form compare-versions", onsubmit: (e) => { e.preventDefault(); compare(d.id, Number(a.value), Number(b.value)); } },
      h("div", { class: "pair" }, h("div", {}, h("label", { for: "vergelijk-a" }, "Versie A"), a), h("div", {}, h("label", { for: "vergelijk-b" }, "Versie B"), b)),
      h("button", { type: "submit", id: "vergelijk-knop" }, "Vergelijk op de kaart")) : null,
    h("div", { id: "vergelijking", "aria-live": "polite" }));
}

function comparisonView(c) {
  if (!c) return null;
  const erbij = c.buurten_erbij.map((x) => store.get("names").get(x) || x);
  const eraf = c.buurten_eraf.map((x) => store.get("names").get(x) || x);
  const value = (f, x) => (f.grootheid.includes("investering") ? formatMoney(x) : ["urgentie", "potentie", "gecombineerd", "leefbaarometer"].includes(f.grootheid)
    ? (x === null ? "onbekend" : formatFixed(x, 3)) : formatNumber(x, f.eenheid === "ha" ? 1 : 0));
  const change = (f) => (f.verschil === null ? MISSING : f.grootheid.includes("investering")
    ? `${f.verschil > 0 ? "+" : f.verschil < 0 ? "−" : ""}${formatMoney(Math.abs(f.verschil))}`
    : formatSigned(f.verschil, ["urgentie", "potentie", "gecombineerd", "leefbaarometer"].includes(f.grootheid) ? 3 : f.eenheid === "ha" ? 1 : 0));
  return h("div", { class: "dia-comparison" },
    h("p", {}, `Versie ${c.a.versie} → versie ${c.b.versie}: `,
      h("span", { class: "diff-chip added" }, `+${areaText(c.toegevoegd_ha, formatNumber)} erbij`), " ",
      h("span", { class: "diff-chip removed" }, `−${areaText(c.verwijderd_ha, formatNumber)} eraf`)),
    erbij.length ? h("p", { class: "hint" }, `Buurten erbij: ${erbij.join(", ")}`) : null,
    eraf.length ? h("p", { class: "hint" }, `Buurten eraf: ${eraf.join(", ")}`) : null,
    h("table", { class: "dia-table", id: "vergelijking-cijfers" }, h("caption", { class: "visually-hidden" }, "Verandering in de cijfers"),
      h("thead", {}, h("tr", {}, ["", `Versie ${c.a.versie}`, `Versie ${c.b.versie}`, "Verschil"].map((t, i) => h("th", { scope: "col", class: i ? "v" : null }, t)))),
      h("tbody", {}, c.statistieken.map((f) => h("tr", { dataset: { grootheid: f.grootheid } },
        h("th", { scope: "row" }, f.label), h("td", { class: "v" }, value(f, f.a)), h("td", { class: "v" }, value(f, f.b)), h("td", { class: "v" }, change(f)))))),
    h("p", { class: "hint" }, "Op de kaart: groen = erbij gekomen, rood = eraf gegaan."),
    h("button", { type: "button", id: "vergelijking-wissen", onclick: () => store.set({ proposalComparison: null }) }, "Vergelijking wissen"));
}

function agendaView(d, v) {
  if (!agenda) return null;
  const t = agendaTable(agenda.rijen);
  const yearLabel = (y) => (y === "" ? "onbekend" : y);
  const user = store.get("user");
  const partners = commitmentPartners(user, store.get("organisations"));
  const form = v.versie !== d.versie ? null : !rights().write ? signInInstead("toezegging-aanmelden", {
    anonymous: "Log in om een toezegging te doen.",
    reader: "Toezeggingen doen planners (voor hun eigen organisatie) en beheerders.",
  }) : h("form", { id: "toezegging-form", class: "dia-form", onsubmit: (e) => { e.preventDefault(); addCommitment(d); } },
    h("h5", {}, "Toezegging toevoegen"),
    h("label", { for: "toezegging-partner" }, "Partner"), h("select", { id: "toezegging-partner" }, partners.map((naam) => h("option", { value: naam, selected: naam === user.organisatie }, naam))),
    user.rol === "beheerder" ? null : h("p", { class: "hint" }, "Een planner zegt toe namens de eigen organisatie."),
    h("div", { class: "pair" },
      h("div", {}, h("label", { for: "toezegging-jaar" }, "Jaar"), h("input", { id: "toezegging-jaar", type: "number", min: "2000", max: "2100", value: String(new Date().getFullYear() + 1), required: true })),
      h("div", {}, h("label", { for: "toezegging-bedrag" }, "Bedrag (€)"), h("input", { id: "toezegging-bedrag", type: "number", min: "0", step: "1000", required: true }))),
    h("label", { for: "toezegging-thema" }, "Thema"), h("input", { id: "toezegging-thema", maxlength: "120", placeholder: "bijv. verduurzaming", required: true }),
    h("label", { for: "toezegging-soort" }, "Soort"), h("select", { id: "toezegging-soort" }, h("option", { value: "toegezegd" }, "toegezegd"), h("option", { value: "indicatief" }, "indicatief")),
    h("label", { for: "toezegging-toelichting" }, "Toelichting (optioneel)"), h("input", { id: "toezegging-toelichting", maxlength: "500" }),
    h("button", { type: "submit", id: "toezegging-opslaan" }, "Toezegging toevoegen"),
    h("p", { class: "hint", id: "toezegging-melding", "aria-live": "polite" }));
  return h("details", { class: "dia-section", id: "voorstel-agenda" },
    h("summary", {}, `Investeringsagenda (${formatMoney(agenda.totaal_eur)})`),
    agenda.synthetisch ? h("div", { class: "synthetic" }, "Geplande investeringen uit synthetische projectleveringen — geen echte gegevens") : null,
    t.rows.length ? h("div", { class: "table-scroll" }, h("table", { class: "dia-table agenda" }, h("caption", { class: "visually-hidden" }, "Investering per partner en jaar"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Partner"), t.years.map((y) => h("th", { scope: "col", class: "v" }, yearLabel(y))), h("th", { scope: "col", class: "v" }, "Totaal"))),
      h("tbody", {}, t.rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.partner),
        t.years.map((y) => h("td", { class: "v", title: r.cells[y] ? `gepland ${formatMoney(r.cells[y].gepland_eur)}, toegezegd ${formatMoney(r.cells[y].toegezegd_eur)}, indicatief ${formatMoney(r.cells[y].indicatief_eur)}` : null },
          r.cells[y] ? formatMoney(r.cells[y].totaal_eur) : "")),
        h("td", { class: "v" }, formatMoney(r.total))))),
      h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, "Totaal"), t.years.map((y) => h("td", { class: "v" }, formatMoney(t.totals[y]))), h("td", { class: "v", dataset: { figuur: "agenda_totaal" } }, formatMoney(t.total))))))
      : h("p", { class: "hint" }, "Geen geplande investeringen of toezeggingen in dit gebied."),
    h("p", { class: "source" }, `Periode ${agenda.periode ?? "–"}; ${agenda.methode}`),
    agenda.toezeggingen.length ? [h("h5", {}, "Toezeggingen"), h("ul", { class: "dia-commitments" }, agenda.toezeggingen.map((c) => h("li", {},
      `${c.partner}, ${c.jaar}: ${formatMoney(c.bedrag_eur)} ${c.thema} (${c.soort})`, h("span", { class: "unit" }, ` — ${c.auteur}, ${formatDate(c.aangemaakt)}${c.toelichting ? `: ${c.toelichting}` : ""}`))))] : null,
    form);
}

function comments(d) {
  return h("details", { class: "dia-section", id: "voorstel-reacties", open: d.reacties.length > 0 },
    h("summary", {}, `Reacties (${d.reacties.length})`),
    h("ol", { class: "dia-comments" }, d.reacties.map((r) => h("li", { dataset: { reactie: String(r.id) } },
      h("div", { class: "who" }, h("strong", {}, r.auteur), `, ${r.organisatie} · ${formatDateTime(r.aangemaakt)} · over versie ${r.versie}`),
      h("p", { class: "text" }, r.tekst)))),
    rights().comment ? h("form", { id: "reactie-form", class: "dia-form", onsubmit: (e) => { e.preventDefault(); addComment(d); } },
      h("label", { for: "reactie-tekst" }, "Uw reactie"), h("textarea", { id: "reactie-tekst", rows: "3", maxlength: "20000", required: true }),
      h("button", { type: "submit", id: "reactie-plaatsen" }, "Reactie plaatsen"),
      h("p", { class: "hint", id: "reactie-melding", "aria-live": "polite" }))
      : signInInstead("reactie-aanmelden", { anonymous: "Log in om te reageren." }));
}

function downloads(d, v) {
  const base = `/api/voorstellen/${d.id}/dossier?versie=${v.versie}&formaat=`;
  const link = (formaat, label) => h("a", { href: `${base}${formaat}`, download: "", id: `dossier-${formaat}`, class: "download" }, label);
  return h("section", { class: "dia-section", "aria-labelledby": "voorstel-dossier" },
    h("h4", { id: "voorstel-dossier" }, `BO-dossier van versie ${v.versie}`),
    h("p", { class: "downloads" }, link("pdf", "PDF (A4)"), link("gpkg", "GeoPackage"), link("html", "Kaart (HTML)"), link("zip", "Alles (zip)")),
    h("p", { class: "hint" }, "Het PDF-dossier wordt op de server gemaakt; dat duurt enkele seconden."));
}

function render(s) {
  const d = s.get("proposalDetail");
  const v = s.get("proposalVersion");
  const panel = byId("dia-proposal");
  panel.hidden = !s.get("proposal");
  if (!d || !v) {
    const id = s.get("proposal");
    // a failed answer stays on screen when something else renders (e.g. the organisations arriving)
    if (id && loadError?.id === id) fill("voorstel-body", failed(id, loadError.error));
    else if (id) fill("voorstel-body", h("h3", { id: "voorstel-titel", tabindex: "-1" }, "Voorstel"), h("p", { class: "hint" }, "Laden…"));
    return;
  }
  fill("voorstel-body",
    header(d, v), signedInAs("voorstel-ik"), actions(d, v), versions(d, v),
    h("details", { class: "dia-section", id: "voorstel-statistieken" }, h("summary", {}, `Cijfers van versie ${v.versie}`),
      v.statistieken && Object.keys(v.statistieken).length ? statsView(v.statistieken) : h("p", { class: "hint" }, "Deze versie bewaarde geen cijfers.")),
    agendaView(d, v), comments(d), downloads(d, v));
  fill("vergelijking", comparisonView(s.get("proposalComparison")));
  document.body.dataset.voorstel = `${d.id}:${v.versie}:${d.versie}:${d.status}:${d.reacties.length}:${agenda?.toezeggingen.length ?? 0}`;
}

// --- writes -------------------------------------------------------------------------------------

function say(id, text, error = false) {
  const el = byId(id);
  if (!el) return;
  el.textContent = text;
  el.classList.toggle("error", error);
}

async function changeStatus(d) {
  const status = byId("voorstel-nieuwe-status").value;
  const body = { basisversie: d.versie, status, toelichting: byId("voorstel-toelichting").value.trim() };
  if (statusInfo(store.get("meta"), status).vraagt_besluit) {
    body.bo_datum = byId("voorstel-bo-datum").value || null;
    body.besluitreferentie = byId("voorstel-besluit-ref").value.trim() || null;
  }
  try {
    await postJSON(`/api/voorstellen/${d.id}/status`, body);
    notice = { text: `Status gewijzigd naar '${statusLabel(status)}'.`, error: false };
  } catch (err) {
    // refused: show the server's reason; a 409 (not allowed now, or someone else changed it first)
    // also reloads, to show what is now true
    notice = { text: `Status niet gewijzigd: ${err.message}`, error: true };
    if (err.status !== 409) { say("voorstel-melding", notice.text, true); notice = null; return; }
  }
  await Promise.all([reloadProposal({ versie: null }), loadProposals()]);
}

function editBoundary(v) {
  store.set({
    diaArea: { geometry: v.geometrie, bron: "voorstel", naam: v.naam, voorstel: { id: v.id, versie: v.versie }, fit: true },
    diaTool: "bewerken", proposalComparison: null,
    ...(store.get("layout") === "smal" ? { drawer: null } : {}),
  });
  byId("dia-area-title")?.focus();
}

async function compare(id, a, b) {
  if (a === b) { fill("vergelijking", h("p", { class: "hint error" }, "Kies twee verschillende versies.")); return; }
  try {
    const c = await getJSON(`/api/voorstellen/${id}/vergelijk?a=${a}&b=${b}`);
    store.set({ proposalComparison: c });
    byId("vergelijking")?.scrollIntoView({ block: "nearest" });
  } catch (err) {
    fill("vergelijking", h("p", { class: "hint error" }, `Vergelijken mislukt: ${err.message}`));
  }
}

async function addComment(d) {
  const tekst = byId("reactie-tekst").value.trim();
  if (!tekst) { say("reactie-melding", "Schrijf eerst uw reactie.", true); return; }
  try {
    await postJSON(`/api/voorstellen/${d.id}/reacties`, { tekst });
  } catch (err) {
    say("reactie-melding", `Reactie niet geplaatst: ${err.message}`, true);
    return;
  }
  await reloadProposal({ versie: store.get("proposalVersion")?.versie });
  byId("voorstel-reacties").open = true;
}

async function addCommitment(d) {
  const body = {
    partner: byId("toezegging-partner").value, jaar: Number(byId("toezegging-jaar").value), bedrag_eur: Number(byId("toezegging-bedrag").value),
    thema: byId("toezegging-thema").value.trim(), soort: byId("toezegging-soort").value, toelichting: byId("toezegging-toelichting").value.trim(),
  };
  try {
    await postJSON(`/api/voorstellen/${d.id}/toezeggingen`, body);
  } catch (err) {
    say("toezegging-melding", `Toezegging niet opgeslagen: ${err.message}`, true);
    return;
  }
  await reloadProposal();
  byId("voorstel-agenda").open = true;
}

// --- mount ------------------------------------------------------------------------------------------

export function mountProposalPanel() {
  const map = getMap();
  map.createPane("dia-verschil").style.zIndex = "437";
  map.getPane("dia-verschil").style.pointerEvents = "none";
  byId("voorstel-sluiten").addEventListener("click", () => store.set({ proposal: null }));
  store.subscribe(["proposal"], (s) => {
    notice = null;
    store.set({ proposalVersion: null, proposalComparison: null, proposalDetail: null });
    reloadProposal().then(() => {
      const v = s.get("proposalVersion");
      if (v && s.get("proposal") === v.id) {
        const bounds = L.geoJSON(v.geometrie).getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, fitOptions());
        if (s.get("layout") === "smal") s.set({ drawer: "resultaten" });
      }
    });
  });
  store.subscribe(["proposal", "proposalDetail", "proposalVersion", "organisations"], render);
  store.subscribe(["proposalComparison"], (s) => {
    if (byId("vergelijking")) fill("vergelijking", comparisonView(s.get("proposalComparison")));
    drawComparison(s);
    drawVersion(s);
  });
  store.subscribe(["proposalVersion"], drawVersion);
}
