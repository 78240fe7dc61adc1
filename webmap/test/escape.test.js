import { test } from "node:test";
import assert from "node:assert/strict";
import { esc } from "../src/lib/escape.js";

test("esc escapes the five HTML-special characters", () => {
  assert.equal(esc(`<img src=x onerror="a('b')">&`), "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
});

test("esc turns null and undefined into an empty string and numbers into text", () => {
  assert.equal(esc(null), "");
  assert.equal(esc(undefined), "");
  assert.equal(esc(0), "0");
});

test("escaped text never contains a tag or an unescaped quote", () => {
  const nasty = ['"><script>alert(1)</script>', "' onmouseover='x", "</title><svg onload=1>"];
  for (const s of nasty) assert.doesNotMatch(esc(s), /[<>"']/);
});
