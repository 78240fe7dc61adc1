// Scoring: POST /api/scores with the current weighting, as soon as it changes. One request at a
// time: a change while a request is on its way is sent the moment it returns (only the newest
// weighting; no fixed wait). A failed re-score keeps the last result on screen, marked
// "verouderd" (stale) with the reason, until a re-score succeeds.

import { store } from "./state.js";
import { postJSON } from "./api.js";

let inFlight = false;
let queued = false;
let seq = 0;

export function requestBody(s = store) {
  const body = { profiel: s.get("profile"), methode: s.get("method"), gewichten: { ...s.get("weights") } };
  if (s.get("periode")) body.periode = s.get("periode");
  const { jaar, editie } = s.get("dataChoice"); // the year and edition asked for (else the API's standaard)
  if (jaar) body.jaar = jaar;
  if (editie) body.editie = editie;
  const o = s.get("options");
  if (o.robuust) body.monte_carlo = { trekkingen: 1000, seed: 1 };
  if (o.partners) body.partnerprofielen = true;
  return body;
}

function apply(result) {
  seq += 1;
  const scores = {
    seq,
    result,
    byCode: new Map(result.buurten.map((b) => [b.buurtcode, b])),
    contrib: new Map(result.bijdragen.map((b) => [b.buurtcode, b])),
    robust: new Map((result.robuustheid || []).map((r) => [r.buurtcode, r])),
    partnerRanks: new Map(((result.partnerprofielen || {}).buurten || []).map((r) => [r.buurtcode, r])),
  };
  store.set({ scores, scoreStatus: queued ? "bezig" : "ok", scoreError: null });
  // every subscriber (map, legend, ranking, chart, detail) has drawn the new result
  document.body.dataset.scored = String(seq);
}

async function send() {
  inFlight = true;
  queued = false;
  store.set({ scoreStatus: "bezig" });
  const body = requestBody();
  try {
    const result = await postJSON("/api/scores", body);
    apply(result);
  } catch (err) {
    if (!queued) {
      store.set({ scoreStatus: store.get("scores") ? "verouderd" : "geen", scoreError: err.message });
      document.body.dataset.scoreFailed = String(Number(document.body.dataset.scoreFailed || 0) + 1);
    }
  } finally {
    inFlight = false;
    if (queued) send();
  }
}

/** Score the current weighting now, or as soon as the request on its way returns. */
export function rescore() {
  if (!store.get("profile")) return;
  if (inFlight) { queued = true; return; }
  send();
}
