// Sign-in in the top bar: "Inloggen" opens a form; signed in, the bar says who you are, which
// view of the data the map shows, and offers "Beheer" (beheerders) and "Uitloggen". Signing in or
// out reloads the page, so that every part of the map reads the data of the new view.
// The session is an HttpOnly cookie; api.js sends its CSRF token with every change.

import { store } from "./state.js";
import { byId } from "./dom.js";
import { getJSON, postJSON, request } from "./api.js";
import { viewLabel, whoLabel } from "../lib/view.js";
import { mountAdmin } from "./admin.js";

function render(user) {
  const view = viewLabel(user);
  const badge = byId("view-badge");
  badge.textContent = view.text;
  badge.title = view.title;
  badge.classList.toggle("signed-in", Boolean(user));
  byId("who").textContent = whoLabel(user);
  byId("who").hidden = !user;
  byId("open-login").hidden = Boolean(user);
  byId("logout").hidden = !user;
  byId("open-admin").hidden = !(user && user.rol === "beheerder");
  // the author of a scenario is the signed-in user (the server records it, not this field); the
  // scenario panel fills the field from this same entry when it mounts
  const name = user ? user.naam : "(niet ingelogd)";
  localStorage.setItem("sia-auteur", name);
  const author = byId("scenario-auteur");
  if (author) {
    author.value = name;
    author.readOnly = true;
  }
}

async function signIn(event) {
  event.preventDefault();
  const result = byId("login-result");
  result.textContent = "";
  const email = byId("login-email").value.trim();
  const wachtwoord = byId("login-password").value;
  if (!email || !wachtwoord) { result.textContent = "Vul uw e-mailadres en wachtwoord in."; return; }
  byId("login-submit").disabled = true;
  try {
    await postJSON("/api/auth/aanmelden", { email, wachtwoord });
  } catch (err) {
    result.textContent = `Niet ingelogd: ${err.message}`;
    byId("login-password").value = "";
    byId("login-submit").disabled = false;
    return;
  }
  window.location.reload();
}

async function signOut() {
  try {
    await request("/api/auth/afmelden", { method: "POST" });
  } finally {
    window.location.reload();
  }
}

export async function mountAuth() {
  let me = { aangemeld: false, gebruiker: null };
  try {
    me = await getJSON("/api/auth/ik");
  } catch (_) { /* the public view: nothing to show */ }
  const user = me.aangemeld ? me.gebruiker : null;
  store.set({ user });
  render(user);
  const dialog = byId("login-dialog");
  byId("open-login").addEventListener("click", () => { byId("login-result").textContent = ""; dialog.showModal(); });
  byId("login-close").addEventListener("click", () => dialog.close());
  byId("login-form").addEventListener("submit", signIn);
  byId("logout").addEventListener("click", signOut);
  if (user && user.rol === "beheerder") mountAdmin();
}
