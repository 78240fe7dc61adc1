// Partner deliveries in the browser: download the template, upload a filled one (validated as a
// whole by the server: any problem is listed with sheet, row, column, value and what was
// expected, and nothing is stored), and see every delivery version.

import { h, fill, byId } from "./dom.js";
import { getJSON, request } from "./api.js";
import { writeHeaders } from "./key.js";
import { formatDateTime, formatInteger } from "../lib/format.js";

async function renderDeliveries() {
  const rows = await getJSON("/api/partners/deliveries");
  if (rows.length === 0) { fill("deliveries", h("p", { class: "hint" }, "Nog geen leveringen.")); return; }
  fill("deliveries", h("table", {},
    h("thead", {}, h("tr", {}, ["Partner", "Periode", "Versie", "Bestand", "Geladen", "Soort"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((r) => h("tr", { class: r.actief ? "active" : "old" },
      h("td", {}, r.partner), h("td", {}, r.periode), h("td", {}, `${r.versie}${r.actief ? " (actief)" : ""}`),
      h("td", {}, r.bron_bestand), h("td", {}, formatDateTime(r.geladen_op)),
      h("td", {}, r.synthetisch ? h("span", { class: "tag" }, "synthetisch") : ""))))));
}

function showProblems(body) {
  const details = body?.details || [];
  fill("upload-result",
    h("div", { class: "upload-error" }, h("strong", {}, "Niet geladen: er is niets opgeslagen."), h("p", {}, body?.melding || "")),
    details.length ? h("table", { class: "problems" },
      h("thead", {}, h("tr", {}, ["Blad", "Rij", "Kolom", "Waarde", "Verwacht"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, details.map((d) => h("tr", {}, [d.blad, d.rij, d.kolom, d.waarde, d.verwacht].map((v) => h("td", {}, v ?? "")))))) : null);
}

const counted = (obj) => Object.entries(obj || {}).filter(([, n]) => n).map(([k, n]) => `${formatInteger(n)} ${k}`).join(", ");

async function upload(event, onLoaded) {
  event.preventDefault();
  const form = new FormData(byId("upload-form"));
  for (const key of ["laag", "partner", "periode"]) if (!form.get(key)) form.delete(key);
  if (!form.get("bestand") || !form.get("bestand").name) {
    fill("upload-result", h("p", { class: "upload-error" }, "Kies eerst een bestand."));
    return;
  }
  fill("upload-result", h("p", {}, "Controleren en laden…"));
  let body;
  try {
    body = await request("/api/partners/uploads", { method: "POST", body: form, headers: writeHeaders() });
  } catch (err) {
    if (err.body) { showProblems(err.body); return; }
    fill("upload-result", h("div", { class: "upload-error" }, h("strong", {}, `Niet geladen (${err.message}).`),
      " De server gaf geen bruikbaar antwoord; probeer het opnieuw of neem contact op met de beheerder."));
    return;
  }
  const kept = counted(body.overgenomen);
  fill("upload-result", h("p", { class: "upload-ok" }, body.ongewijzigd
    ? `Dit bestand was al geladen (versie ${body.versie}); er is niets veranderd.`
    : [`Geladen: ${body.partner}, ${body.periode}, versie ${body.versie}: ${counted(body.aantallen) || "geen records"}.`,
      kept ? ` Uit de vorige versie overgenomen: ${kept}.` : "", body.vervangen ? " De vorige versie blijft bewaard." : ""]));
  try {
    await renderDeliveries();
    await onLoaded(body.periode);
  } catch (err) {
    byId("upload-result").append(h("p", { class: "upload-error" }, `De kaart kon niet worden bijgewerkt: ${err.message}. Herlaad de pagina.`));
  }
}

export function mountUpload({ onLoaded }) {
  const dialog = byId("upload-dialog");
  byId("open-upload").addEventListener("click", async () => {
    dialog.showModal();
    try { await renderDeliveries(); } catch (err) { fill("deliveries", `De leveringen konden niet worden geladen: ${err.message}`); }
  });
  byId("upload-close").addEventListener("click", () => dialog.close());
  byId("upload-form").addEventListener("submit", (e) => upload(e, onLoaded));
}
