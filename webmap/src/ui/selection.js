// Selecting a buurt: from the map, the ranking, the chart or the buurt search. Everything that
// shows a selection subscribes to store "selected".

import { store } from "./state.js";
import { zoomToBuurt } from "./map.js";

export function selectBuurt(code, { zoom = false } = {}) {
  store.set({ selected: code });
  if (zoom && code) zoomToBuurt(code);
}
