// The layer list: wijk outlines on or off, and the opacity of each layer.

import { store } from "./state.js";
import { h, fill, byId } from "./dom.js";

const LAYERS = [
  { key: "buurten", label: "Buurtkleuren" },
  { key: "wijken", label: "Wijkgrenzen" },
  { key: "partners", label: "Partnerlagen" },
  { key: "achtergrond", label: "Achtergrondkaart", needs: (s) => s.get("basemap") === "aan" || s.get("basemap") === "laden" },
];

function render() {
  const s = store;
  const opacity = s.get("opacity");
  fill("opacity-controls", LAYERS.filter((l) => !l.needs || l.needs(s)).map((l) => {
    const input = h("input", { type: "range", id: `opacity-${l.key}`, min: "0", max: "100", step: "5", value: String(Math.round(opacity[l.key] * 100)) });
    const out = h("output", { for: `opacity-${l.key}`, id: `opacity-${l.key}-value` }, `${Math.round(opacity[l.key] * 100)}%`);
    input.addEventListener("input", () => {
      out.textContent = `${input.value}%`;
      store.update("opacity", (o) => ({ ...o, [l.key]: Number(input.value) / 100 }));
    });
    return h("div", { class: "opacity" }, h("label", { for: `opacity-${l.key}` }, `Dekking ${l.label.toLowerCase()}`), h("div", { class: "slider" }, input, out));
  }));
}

function basemapNote(s) {
  const state = s.get("basemap");
  const note = byId("basemap-note");
  note.textContent = {
    uit: "Geen achtergrondkaart ingesteld: de buurt- en wijkgrenzen zijn de referentie.",
    laden: "Achtergrondkaart wordt geladen…",
    aan: "",
    mislukt: "De achtergrondkaart is niet bereikbaar: de kaart toont alleen de buurt- en wijkgrenzen.",
  }[state];
  note.className = `hint${state === "mislukt" ? " warn" : ""}`;
}

export function mountLayersPanel() {
  byId("toggle-wijken").addEventListener("change", (e) => store.set({ wijkenOn: e.target.checked }));
  store.subscribe(["basemap"], (s) => { render(); basemapNote(s); });
  render();
  basemapNote(store);
}
