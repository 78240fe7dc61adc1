// Requests to the API. Every request counts in store "loading" (the loading indicator) and a
// refusal becomes an Error with the server's Dutch message (`melding`).

import { store } from "./state.js";

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let inFlight = 0;
function track(delta) {
  inFlight += delta;
  store.set({ loading: inFlight });
}

// --- sign-in (issue 10): every state-changing request carries the session's CSRF token, which
// the server set in the readable cookie sia_csrf (the session cookie itself is HttpOnly)
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function csrfToken(cookies = globalThis.document?.cookie ?? "") {
  const found = cookies.match(/(?:^|;\s*)sia_csrf=([^;]*)/);
  return found ? decodeURIComponent(found[1]) : null;
}

function withCsrf(options) {
  const token = csrfToken();
  if (!token || !UNSAFE.has((options.method || "GET").toUpperCase())) return options;
  return { ...options, headers: { ...(options.headers || {}), "X-CSRF-Token": token } };
}
// --- end sign-in

export async function request(url, options = {}) {
  options = withCsrf(options);
  track(1);
  try {
    let res;
    try {
      res = await fetch(url, options);
    } catch (err) {
      throw new ApiError(`de server is niet bereikbaar (${err.message})`, 0, null);
    }
    if (options.as === "blob" && res.ok) return { blob: await res.blob(), disposition: res.headers.get("Content-Disposition") };
    let body = null;
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    if (!res.ok) {
      const message = (body && body.melding) || `${res.status} ${res.statusText}`;
      throw new ApiError(message, res.status, body);
    }
    return body;
  } finally {
    track(-1);
  }
}

export const getJSON = (url) => request(url);

export const postJSON = (url, body, headers = {}) => request(url, {
  method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body),
});

/** A POST whose answer is a file (a download): { blob, disposition }; a refusal throws as postJSON. */
export const postForFile = (url, body, headers = {}) => request(url, {
  method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body), as: "blob",
});

/** A query string from an object, leaving out empty values: qs({ a: 1, b: null }) → "?a=1". */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}
