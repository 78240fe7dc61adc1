// The introduction (what urgency, potential, the quadrants and P(top) mean): opened on the first
// visit and from the "Uitleg" button. The text is in index.html (#intro).

import { byId } from "./dom.js";

const SEEN = "sia-intro-gezien";

export function mountIntro() {
  const dialog = byId("intro");
  const open = () => { if (!dialog.open) dialog.showModal(); };
  byId("open-intro").addEventListener("click", open);
  for (const id of ["intro-close", "intro-start"]) byId(id).addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => localStorage.setItem(SEEN, "1"));
  if (!localStorage.getItem(SEEN)) open();
}
