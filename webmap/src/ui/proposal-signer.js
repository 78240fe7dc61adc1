// Who writes in the DIA forms (issue 10). The server records the signed-in user as the author of a
// proposal, version, status change, comment or commitment and ignores any name in the request, so
// the forms ask for none: they show who is signed in, read-only, from store "user" as ui/auth.js
// sets it and in the words of the top bar (lib/view.js whoLabel). To a visitor the server would
// refuse they show a line instead of the form, with a button that opens the top bar's sign-in
// dialog (signing in reloads the page, so the proposals are read again in the new view).

import { store } from "./state.js";
import { h, byId } from "./dom.js";
import { whoLabel } from "../lib/view.js";
import { proposalRights } from "../lib/dia.js";

/** What the signed-in user is offered (lib/dia.js proposalRights). */
export const rights = () => proposalRights(store.get("user"));

/** "U werkt als Els de Vries (planner, Domijn)": who the server will record; null when not signed in. */
export function signedInAs(id) {
  const user = store.get("user");
  return user ? h("p", { class: "dia-signer", id }, "U werkt als ", h("strong", {}, whoLabel(user))) : null;
}

/**
 * Instead of a form the server would refuse: `anonymous` (with a button that opens the sign-in
 * dialog) for a visitor, `reader` for a signed-in user whose role does not write.
 */
export function signInInstead(id, { anonymous, reader = "" }) {
  const user = store.get("user");
  if (user) return h("p", { class: "hint dia-signin", id }, reader);
  return h("p", { class: "hint dia-signin", id }, `${anonymous} `,
    h("button", { type: "button", class: "linkbutton", onclick: () => byId("open-login").click() }, "Inloggen"));
}
