// The write key (SIA_SCHRIJFSLEUTEL) that uploads and scenario changes send when the server asks
// for one (config.schrijven_met_sleutel). Kept for the browser session only.

const STORE = "sia-schrijfsleutel";

export function writeHeaders(extra = {}) {
  const key = sessionStorage.getItem(STORE);
  return key ? { ...extra, "X-SIA-Sleutel": key } : extra;
}

export function setupKeyFields(required) {
  document.querySelectorAll(".write-key").forEach((box) => {
    box.hidden = !required;
    const input = box.querySelector("input");
    input.value = sessionStorage.getItem(STORE) || "";
    input.addEventListener("change", () => {
      sessionStorage.setItem(STORE, input.value.trim());
      document.querySelectorAll(".write-key input").forEach((other) => { other.value = input.value.trim(); });
    });
  });
}
