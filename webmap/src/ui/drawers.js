// Phones and tablets (narrower than 1100 px): the map fills the screen and the panels become
// drawers over it, the settings from the left and the results (ranking, buurt) from the right
// or, on a phone, from the bottom. A closed drawer is inert (no tab stops); Escape closes.

import { store } from "./state.js";
import { byId } from "./dom.js";

const NARROW = window.matchMedia("(max-width: 1099px)");
const PHONE = window.matchMedia("(max-width: 600px)");
const DRAWERS = { instellingen: "controls", resultaten: "results" };
let opener = null;

function apply(s) {
  const narrow = s.get("layout") === "smal";
  const open = narrow ? s.get("drawer") : null;
  document.body.dataset.layout = s.get("layout");
  document.body.dataset.drawer = open || "";
  for (const [name, id] of Object.entries(DRAWERS)) {
    const el = byId(id);
    const closed = narrow && open !== name;
    el.inert = closed;
    if (closed) el.setAttribute("aria-hidden", "true"); else el.removeAttribute("aria-hidden");
    byId(`open-${name}`).setAttribute("aria-expanded", String(open === name));
  }
  if (open) {
    const panel = byId(DRAWERS[open]);
    const target = panel.querySelector(".drawer-close");
    if (target && !panel.contains(document.activeElement)) target.focus();
  } else if (narrow && opener) { opener.focus(); opener = null; }
}

/** Skip links move the focus themselves: the address keeps the view (#indicator=…), not an anchor. */
function mountSkipLinks() {
  document.querySelectorAll("a.skip-link").forEach((a) => a.addEventListener("click", (e) => {
    e.preventDefault();
    const target = byId(a.getAttribute("href").slice(1));
    const drawer = Object.entries(DRAWERS).find(([, id]) => byId(id).contains(target));
    if (drawer && store.get("layout") === "smal") store.set({ drawer: drawer[0] });
    target.focus();
  }));
}

export function mountDrawers() {
  mountSkipLinks();
  const layout = () => {
    store.set({ layout: NARROW.matches ? "smal" : "breed" });
    byId("legend-box").open = !PHONE.matches; // on a phone the legend starts folded: the map comes first
  };
  NARROW.addEventListener("change", layout);
  for (const name of Object.keys(DRAWERS)) {
    byId(`open-${name}`).addEventListener("click", (e) => {
      opener = e.currentTarget;
      store.set({ drawer: store.get("drawer") === name ? null : name });
    });
  }
  document.querySelectorAll(".drawer-close").forEach((b) => b.addEventListener("click", () => store.set({ drawer: null })));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && store.get("drawer") && !document.querySelector("dialog[open]")) store.set({ drawer: null });
  });
  store.subscribe(["layout", "drawer"], apply);
  // a chosen buurt is shown at once: on a narrow screen its panel slides in
  store.subscribe(["selected"], (s) => { if (s.get("selected") && s.get("layout") === "smal") s.set({ drawer: "resultaten" }); });
  layout();
  apply(store);
}
