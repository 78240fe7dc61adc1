// The one escape helper: every text that comes from data and must become part of an HTML string
// goes through esc(). Most of the front end builds DOM nodes instead (ui/dom.js), where text is
// never parsed as HTML; esc() is for the few places that need a string (e.g. attribute values
// in a template handed to a library).

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
