// The status line (messages and errors) and the loading indicator.

import { store } from "./state.js";
import { byId } from "./dom.js";

let timer = null;

export function showMessage(text, error = false) {
  store.set({ message: { text, error } });
}

export function mountStatus() {
  const line = byId("status");
  const loading = byId("loading");
  store.subscribe(["message"], (s) => {
    const m = s.get("message");
    clearTimeout(timer);
    line.textContent = m ? m.text : "";
    line.className = `status${m ? " show" : ""}${m && m.error ? " error" : ""}`;
    if (m && !m.error) timer = setTimeout(() => store.set({ message: null }), 3000);
  });
  store.subscribe(["loading"], (s) => {
    const busy = s.get("loading") > 0;
    loading.hidden = !busy;
    document.querySelector("main").setAttribute("aria-busy", String(busy));
  });
}
