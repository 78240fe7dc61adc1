// The swipe: two versions of the buurten on top of each other, the left one shown left of a
// divider and the right one right of it (clip-path on the Leaflet panes "buurten" and
// "buurten-rechts"). The divider is a range input: drag it with the mouse or a finger, or move it
// with the arrow keys.

import { store } from "./state.js";
import { h, fill } from "./dom.js";
import { getMap } from "./map.js";
import { currentView } from "./indicators.js";

let box = null;
let range = null;
let divider = null;
let labels = [];

function clip() {
  const map = getMap();
  const left = map.getPane("buurten");
  const right = map.getPane("buurten-rechts");
  if (!box || box.hidden) { left.style.clipPath = ""; right.style.clipPath = ""; return; }
  const size = map.getSize();
  const x = Math.round(size.x * store.get("swipe"));
  const nw = map.containerPointToLayerPoint([0, 0]);
  const se = map.containerPointToLayerPoint(size);
  const cx = nw.x + x;
  left.style.clipPath = `polygon(${nw.x}px ${nw.y}px, ${cx}px ${nw.y}px, ${cx}px ${se.y}px, ${nw.x}px ${se.y}px)`;
  right.style.clipPath = `polygon(${cx}px ${nw.y}px, ${se.x}px ${nw.y}px, ${se.x}px ${se.y}px, ${cx}px ${se.y}px)`;
  divider.style.left = `${x}px`;
}

function update() {
  const view = currentView();
  const on = view.sides.length === 2;
  box.hidden = !on;
  labels[1].hidden = !on;
  if (on) {
    // the same indicator on both sides (two periods): the periods say what differs
    const same = view.sides[0].label === view.sides[1].label && view.sides[0].sub;
    view.sides.forEach((side, i) => fill(labels[i], i === 0 ? "◀ " : "",
      same ? side.sub : side.sub ? `${side.label} · ${side.sub}` : side.label, i === 1 ? " ▶" : ""));
  }
  clip();
}

export function mountSwipe() {
  const map = getMap();
  range = h("input", {
    type: "range", min: "0", max: "100", step: "1", value: String(store.get("swipe") * 100), class: "swipe-range",
    "aria-label": "Schuif de scheiding tussen de linker- en de rechterkaart",
  });
  divider = h("div", { class: "swipe-divider", "aria-hidden": "true" });
  labels = [h("div", { class: "swipe-label left" }), h("div", { class: "swipe-label right leaflet-control", hidden: true })];
  box = h("div", { class: "swipe", id: "swipe", hidden: true }, divider, labels[0], range);
  map.getContainer().append(box);
  // the right label heads the map's top-right controls, so the drawing toolbar (ui/dia.js) stacks
  // below it instead of covering it, whatever the label's length or the screen's width
  map.getContainer().querySelector(".leaflet-top.leaflet-right").prepend(labels[1]);
  for (const type of ["mousedown", "touchstart", "pointerdown", "dblclick", "wheel", "click"]) {
    range.addEventListener(type, (e) => e.stopPropagation());
  }
  range.addEventListener("pointerdown", () => map.dragging.disable());
  window.addEventListener("pointerup", () => map.dragging.enable());
  range.addEventListener("input", () => store.set({ swipe: Number(range.value) / 100 }));
  store.subscribe(["swipe"], clip);
  map.on("move zoom zoomend resize viewreset", clip);
  store.subscribe(["compare", "compareData"], update);
  update();
}
