import { test } from "node:test";
import assert from "node:assert/strict";
import { viewLabel, whoLabel } from "../src/lib/view.js";
import { csrfToken } from "../src/ui/api.js";

test("anonymous visitors see the public view", () => {
  const label = viewLabel(null);
  assert.equal(label.text, "Openbare weergave");
  assert.match(label.title, /niet ingelogd/);
  assert.equal(whoLabel(null), "");
});

test("a planner sees its organisation's view, a beheerder the gemeente's", () => {
  const planner = { naam: "Els", rol: "planner", organisatie: "Domijn", gemeente: "GM0153" };
  assert.equal(viewLabel(planner).text, "Weergave: Domijn");
  assert.equal(whoLabel(planner), "Els (planner, Domijn)");
  const beheerder = { ...planner, rol: "beheerder", organisatie: "Gemeente Enschede" };
  assert.equal(viewLabel(beheerder).text, "Weergave: alle gegevens van GM0153");
  assert.match(viewLabel(beheerder).title, /alle gegevens van de gemeente/);
});

test("the CSRF token is read from its cookie, and only from that one", () => {
  assert.equal(csrfToken("a=1; sia_csrf=abc%2Bd; b=2"), "abc+d");
  assert.equal(csrfToken("sia_csrf=xyz"), "xyz");
  assert.equal(csrfToken("nosia_csrf=evil; other=1"), null);
  assert.equal(csrfToken(""), null);
});
