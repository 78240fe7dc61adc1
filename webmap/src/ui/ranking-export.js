// Downloads of the score panel: the current ranking as CSV or GeoPackage (POST
// /api/exports/ranking with the current weighting; contributions per criterion, and robustness
// and partner ranks when they are switched on).

import { h, byId, fill } from "./dom.js";
import { postForFile } from "./api.js";
import { requestBody } from "./scores.js";
import { fileName } from "../lib/dia.js";

async function download(formaat, button) {
  const note = byId("ranglijst-download-melding");
  button.disabled = true;
  note.textContent = "De download wordt gemaakt…";
  try {
    const { blob, disposition } = await postForFile(`/api/exports/ranking?formaat=${formaat}`, requestBody());
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: fileName(disposition, `sia_ranglijst.${formaat}`), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    note.textContent = "";
  } catch (err) {
    note.textContent = `Download mislukt: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}

export function mountRankingExport() {
  const csv = h("button", { type: "button", id: "ranglijst-csv" }, "CSV");
  const gpkg = h("button", { type: "button", id: "ranglijst-gpkg" }, "GeoPackage");
  csv.addEventListener("click", () => download("csv", csv));
  gpkg.addEventListener("click", () => download("gpkg", gpkg));
  fill("ranglijst-download", h("span", { id: "ranglijst-download-label" }, "Download de ranglijst met deze weging: "), csv, " ", gpkg,
    h("span", { class: "hint", id: "ranglijst-download-melding", "aria-live": "polite" }));
  byId("ranglijst-download").setAttribute("aria-labelledby", "ranglijst-download-label");
}
