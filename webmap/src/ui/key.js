// Headers for requests that change something. The interim write key is gone (issue 10): writing
// needs a signed-in planner or beheerder, and the CSRF token of the session, which api.js adds to
// every POST, PUT, PATCH and DELETE itself. Kept for modules that pass writeHeaders() explicitly.

import { csrfToken } from "./api.js";

export function writeHeaders(extra = {}) {
  const token = csrfToken();
  return token ? { ...extra, "X-CSRF-Token": token } : extra;
}
