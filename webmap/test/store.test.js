import { test } from "node:test";
import assert from "node:assert/strict";
import { createStore } from "../src/lib/store.js";

test("only declared keys can be read or set", () => {
  const s = createStore({ a: 1, b: null });
  assert.equal(s.get("a"), 1);
  assert.throws(() => s.get("c"), /undeclared state key 'c'/);
  assert.throws(() => s.set({ c: 1 }), /undeclared/);
  assert.throws(() => s.subscribe(["c"], () => {}), /undeclared/);
  assert.deepEqual(s.keys().sort(), ["a", "b"]);
});

test("a subscriber is called once per set that changes one of its keys", () => {
  const s = createStore({ a: 1, b: 2, c: 3 });
  const calls = [];
  s.subscribe(["a", "b"], (st, changed) => calls.push([...changed]));
  s.set({ a: 5, b: 6 });
  s.set({ c: 9 });
  s.set({ a: 5 }); // unchanged: nobody is told
  assert.deepEqual(calls, [["a", "b"]]);
});

test("subscribers see the new state and run in subscription order", () => {
  const s = createStore({ x: 0 });
  const seen = [];
  s.subscribe(["x"], (st) => seen.push(`first ${st.get("x")}`));
  s.subscribe(["x"], (st) => seen.push(`second ${st.get("x")}`));
  s.set({ x: 1 });
  assert.deepEqual(seen, ["first 1", "second 1"]);
});

test("unsubscribing stops the calls; update() replaces a value by a copy", () => {
  const s = createStore({ list: [] });
  let n = 0;
  const off = s.subscribe(["list"], () => { n += 1; });
  s.update("list", (l) => [...l, 1]);
  off();
  s.update("list", (l) => [...l, 2]);
  assert.equal(n, 1);
  assert.deepEqual(s.get("list"), [1, 2]);
});

test("a subscriber may set other keys; their subscribers run too", () => {
  const s = createStore({ a: 0, b: 0 });
  s.subscribe(["a"], (st) => st.set({ b: st.get("a") * 2 }));
  let seenB = null;
  s.subscribe(["b"], (st) => { seenB = st.get("b"); });
  s.set({ a: 4 });
  assert.equal(seenB, 8);
});
