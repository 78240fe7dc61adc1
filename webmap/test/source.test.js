// Rules for the front-end source itself: data texts never parsed as HTML, imports that resolve,
// labels and method lists from the API rather than repeated here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}
const js = files(SRC).filter((f) => f.endsWith(".js"));

test("no HTML parsing of strings: no innerHTML, outerHTML, insertAdjacentHTML or document.write", () => {
  for (const f of js) {
    const text = readFileSync(f, "utf8");
    assert.doesNotMatch(text, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, f);
  }
});

test("every relative import resolves to a file", () => {
  for (const f of js) {
    const text = readFileSync(f, "utf8");
    for (const [, spec] of text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
      assert.ok(existsSync(resolve(dirname(f), spec)), `${f}: ${spec}`);
    }
  }
});

test("pure modules (src/lib) use neither the DOM nor Leaflet", () => {
  for (const f of js.filter((x) => x.includes(`${join("src", "lib")}`))) {
    const text = readFileSync(f, "utf8");
    assert.doesNotMatch(text, /\bdocument\.|\bwindow\.|\bL\./, f);
  }
});

test("method names and quadrant labels come from the API (GET /api/meta), not from the source", () => {
  for (const f of js) {
    const text = readFileSync(f, "utf8");
    assert.doesNotMatch(text, /gewogen_som|"topsis"|Gewogen som|hoge urgentie en hoge potentie/i, f);
  }
  const html = readFileSync(join(SRC, "index.html"), "utf8");
  assert.doesNotMatch(html, /<option value="gewogen_som"|<option value="topsis"/);
});

test("the state store is declared in one place", () => {
  const makers = js.filter((f) => /createStore\(/.test(readFileSync(f, "utf8")) && !f.endsWith(join("lib", "store.js")));
  assert.deepEqual(makers.map((f) => f.slice(SRC.length + 1)), [join("ui", "state.js")]);
});

test("no inline script in index.html: the Content-Security-Policy allows scripts from 'self' only", () => {
  const html = readFileSync(join(SRC, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 3);
  for (const [tag, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc="\/(static|vendor)\//, tag); // an import map is an inline script too
    assert.equal(body.trim(), "", tag);
  }
});

test("modules import npm packages by the URL the server gives them (/vendor/…), never by a bare name", () => {
  for (const f of js) {
    const text = readFileSync(f, "utf8");
    for (const [, spec] of text.matchAll(/^\s*import\s[^"']*["']([^"']+)["']/gm)) {
      assert.match(spec, /^(\.{1,2}\/|\/vendor\/)/, `${f}: ${spec}`);
    }
  }
});
