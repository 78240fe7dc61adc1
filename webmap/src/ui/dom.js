// Building DOM nodes. Text is always added as text nodes, never parsed as HTML, so data texts
// (names, labels from uploads) cannot inject markup. Use h() for HTML and svg() for SVG.
//
//   h("button", { class: "close", "aria-label": "Sluiten", onclick: close }, "×")
//   h("tr", { dataset: { code } }, h("td", {}, name), h("td", { class: "v" }, value))

const SVG_NS = "http://www.w3.org/2000/svg";

function apply(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key === "class") el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    else if (key === "value" || key === "checked" || key === "selected" || key === "hidden" || key === "disabled") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

export function svg(tag, props = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props);
  append(el, children);
  return el;
}

/** Replace the children of an element (by id or node). */
export function fill(target, ...children) {
  const el = typeof target === "string" ? document.getElementById(target) : target;
  el.replaceChildren();
  append(el, children);
  return el;
}

export const byId = (id) => document.getElementById(id);

/** <option>s for a <select>; keeps the current value when it is still offered. */
export function fillSelect(select, options, value = select.value) {
  select.replaceChildren(...options.map((o) => (o.group
    ? h("optgroup", { label: o.group }, o.options.map((x) => h("option", { value: x.value }, x.label)))
    : h("option", { value: o.value }, o.label))));
  const values = [...select.options].map((o) => o.value);
  if (values.includes(value)) select.value = value;
  return select;
}
