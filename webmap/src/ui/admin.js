// The small admin page for beheerders: the users of their gemeente (role, disable / enable, add
// one) and the audit trail (newest first, the whole trail as CSV). Everything here is checked
// again by the server (only beheerders, only their gemeente) and written to the audit trail.

import { h, fill, fillSelect, byId } from "./dom.js";
import { getJSON, request } from "./api.js";
import { formatDateTime } from "../lib/format.js";

const ROLES = ["lezer", "planner", "beheerder"];

async function change(id, body, note) {
  try {
    await request(`/api/admin/gebruikers/${id}`, {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    fill("admin-add-result", h("p", { class: "upload-ok" }, note));
  } catch (err) {
    fill("admin-add-result", h("p", { class: "upload-error" }, `Niet gewijzigd: ${err.message}`));
  }
  await Promise.all([loadUsers(), loadAudit()]);
}

function roleSelect(user) {
  const select = h("select", { "aria-label": `Rol van ${user.email}` },
    ROLES.map((r) => h("option", { value: r, selected: r === user.rol }, r)));
  select.addEventListener("change", () => change(user.id, { rol: select.value }, `${user.email} is nu ${select.value}.`));
  return select;
}

async function loadUsers() {
  const users = await getJSON("/api/admin/gebruikers");
  fill("admin-users", h("table", {},
    h("thead", {}, h("tr", {}, ["E-mailadres", "Naam", "Organisatie", "Rol", "Status", "Laatst ingelogd", ""]
      .map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, users.map((u) => h("tr", { dataset: { id: String(u.id) } },
      h("td", {}, u.email), h("td", {}, u.naam), h("td", {}, u.organisatie), h("td", {}, roleSelect(u)),
      h("td", {}, u.actief ? "actief" : "uitgeschakeld"),
      h("td", {}, u.laatst_aangemeld ? formatDateTime(u.laatst_aangemeld) : "nooit"),
      h("td", {}, h("button", {
        type: "button", onclick: () => change(u.id, { actief: !u.actief }, `${u.email} is ${u.actief ? "uitgeschakeld" : "weer actief"}.`),
      }, u.actief ? "Uitschakelen" : "Inschakelen")))))));
}

async function loadAudit() {
  const { rijen } = await getJSON("/api/admin/audit?limit=100");
  fill("admin-audit", rijen.length === 0 ? h("p", { class: "hint" }, "Nog niets vastgelegd.") : h("table", {},
    h("thead", {}, h("tr", {}, ["Tijdstip", "Gebruiker", "Organisatie", "Actie", "Object"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rijen.map((r) => h("tr", {},
      h("td", {}, formatDateTime(r.tijdstip)), h("td", {}, r.gebruiker || "—"), h("td", {}, r.organisatie || "—"),
      h("td", {}, r.actie), h("td", {}, [r.object_soort, r.object_id].filter(Boolean).join(" ")))))));
}

async function add(event) {
  event.preventDefault();
  const form = new FormData(byId("admin-add"));
  const body = {
    email: form.get("email"), naam: form.get("naam"), rol: form.get("rol"), organisatie_id: Number(form.get("organisatie_id")),
  };
  try {
    const res = await request("/api/admin/gebruikers", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    byId("admin-add").reset();
    fill("admin-add-result", h("p", { class: "upload-ok" },
      `${res.gebruiker.email} is toegevoegd. Tijdelijk wachtwoord (wordt maar één keer getoond): `,
      h("code", {}, res.tijdelijk_wachtwoord || "")));
  } catch (err) {
    fill("admin-add-result", h("p", { class: "upload-error" }, `Niet toegevoegd: ${err.message}`));
  }
  await Promise.all([loadUsers(), loadAudit()]);
}

async function open() {
  byId("admin-dialog").showModal();
  try {
    const orgs = await getJSON("/api/admin/organisaties");
    fillSelect(byId("admin-org"), orgs.map((o) => ({ value: String(o.id), label: `${o.naam} (${o.soort})` })));
    await Promise.all([loadUsers(), loadAudit()]);
  } catch (err) {
    fill("admin-users", h("p", { class: "upload-error" }, `Het beheer kon niet worden geladen: ${err.message}`));
  }
}

export function mountAdmin() {
  byId("open-admin").addEventListener("click", open);
  byId("admin-close").addEventListener("click", () => byId("admin-dialog").close());
  byId("admin-add").addEventListener("submit", add);
}
