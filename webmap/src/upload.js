// Partner deliveries in the browser: download the template, upload a filled one (validated as a
// whole by the server: any problem is listed with sheet, row, column, value and what was
// expected, and nothing is stored), and see every delivery version.

import { writeHeaders } from "/static/key.js";

const esc = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

export function createUpload(hooks) {
  const el = (id) => document.getElementById(id);
  const dialog = el("upload-dialog");

  async function renderDeliveries() {
    const rows = await hooks.getJSON("/api/partners/deliveries");
    el("deliveries").innerHTML = rows.length === 0 ? '<p class="hint">Nog geen leveringen.</p>'
      : `<table><thead><tr><th>Partner</th><th>Periode</th><th>Versie</th><th>Bestand</th><th>Geladen</th><th></th></tr></thead><tbody>${rows.map((r) => `
        <tr class="${r.actief ? "active" : "old"}"><td>${esc(r.partner)}</td><td>${esc(r.periode)}</td><td>${r.versie}${r.actief ? " (actief)" : ""}</td>
        <td>${esc(r.bron_bestand)}</td><td>${new Date(r.geladen_op).toLocaleString("nl-NL")}</td>
        <td>${r.synthetisch ? '<span class="tag">synthetisch</span>' : ""}</td></tr>`).join("")}</tbody></table>`;
  }

  function showProblems(body) {
    const details = body.details || [];
    const rows = details.map((d) => `<tr><td>${esc(d.blad ?? "")}</td><td>${esc(d.rij ?? "")}</td><td>${esc(d.kolom ?? "")}</td>`
      + `<td>${esc(d.waarde ?? "")}</td><td>${esc(d.verwacht ?? "")}</td></tr>`).join("");
    el("upload-result").innerHTML = `<div class="upload-error"><strong>Niet geladen: er is niets opgeslagen.</strong><p>${esc(body.melding)}</p></div>`
      + (rows ? `<table class="problems"><thead><tr><th>Blad</th><th>Rij</th><th>Kolom</th><th>Waarde</th><th>Verwacht</th></tr></thead><tbody>${rows}</tbody></table>` : "");
  }

  async function upload(event) {
    event.preventDefault();
    const form = new FormData(el("upload-form"));
    for (const key of ["laag", "partner", "periode"]) if (!form.get(key)) form.delete(key);
    if (!form.get("bestand") || !form.get("bestand").name) {
      el("upload-result").innerHTML = '<p class="upload-error">Kies eerst een bestand.</p>';
      return;
    }
    el("upload-result").innerHTML = "<p>Controleren en laden…</p>";
    let res; let body;
    try {
      res = await fetch("/api/partners/uploads", { method: "POST", body: form, headers: writeHeaders() });
      body = await res.json();
    } catch (err) { // no answer, or not JSON (e.g. a proxy refusing a large file)
      const status = res ? ` (${res.status} ${res.statusText})` : "";
      el("upload-result").innerHTML = `<div class="upload-error"><strong>Niet geladen${esc(status)}.</strong> De server gaf geen bruikbaar antwoord; probeer het opnieuw of neem contact op met de beheerder.</div>`;
      return;
    }
    if (!res.ok) { showProblems(body); return; }
    const counts = Object.entries(body.aantallen).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ");
    const kept = Object.entries(body.overgenomen || {}).map(([k, n]) => `${n} ${k}`).join(", ");
    el("upload-result").innerHTML = body.ongewijzigd
      ? `<p class="upload-ok">Dit bestand was al geladen (versie ${body.versie}); er is niets veranderd.</p>`
      : `<p class="upload-ok">Geladen: ${esc(body.partner)}, ${esc(body.periode)}, versie ${body.versie}: ${esc(counts || "geen records")}.`
        + `${kept ? ` Uit de vorige versie overgenomen: ${esc(kept)}.` : ""}`
        + `${body.vervangen ? " De vorige versie blijft bewaard." : ""}</p>`;
    try {
      await renderDeliveries();
      await hooks.onLoaded(body.periode);
    } catch (err) {
      el("upload-result").insertAdjacentHTML("beforeend", `<p class="upload-error">De kaart kon niet worden bijgewerkt: ${esc(err.message)}. Herlaad de pagina.</p>`);
    }
  }

  el("open-upload").addEventListener("click", async () => {
    dialog.showModal();
    try { await renderDeliveries(); } catch (err) { el("deliveries").textContent = `De leveringen konden niet worden geladen: ${err.message}`; }
  });
  el("upload-close").addEventListener("click", () => dialog.close());
  el("upload-form").addEventListener("submit", upload);
}
