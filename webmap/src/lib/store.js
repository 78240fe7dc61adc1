// One declared state store. All keys are declared when the store is made; setting or reading an
// undeclared key throws, so the state cannot grow keys along the way. Subscribers name the keys
// they depend on and are called once per set() that changed any of them (in subscription order),
// with the store and the list of changed keys.
//
//   const store = createStore({ indicator: null, selected: null });
//   store.subscribe(["selected"], (s) => highlight(s.get("selected")));
//   store.set({ selected: "BU01530000" });

export function createStore(declared) {
  const state = { ...declared };
  const keys = new Set(Object.keys(declared));
  const subscribers = [];
  let notifying = 0;
  const check = (key) => {
    if (!keys.has(key)) throw new Error(`undeclared state key '${key}'; declare it in the store first`);
  };

  const store = {
    keys: () => [...keys],
    get(key) { check(key); return state[key]; },
    /** Set several keys at once; unchanged values (Object.is) notify nobody. Returns the changed keys. */
    set(patch) {
      Object.keys(patch).forEach(check);
      const changed = Object.keys(patch).filter((k) => !Object.is(state[k], patch[k]));
      changed.forEach((k) => { state[k] = patch[k]; });
      if (changed.length === 0) return changed;
      notifying += 1;
      try {
        for (const sub of [...subscribers]) {
          if (sub.active && sub.keys.some((k) => changed.includes(k))) sub.fn(store, changed);
        }
      } finally { notifying -= 1; }
      return changed;
    },
    /** Set one key to an updated copy: update(key, (old) => new). */
    update(key, fn) { return store.set({ [key]: fn(store.get(key)) }); },
    subscribe(subKeys, fn) {
      subKeys.forEach(check);
      const sub = { keys: [...subKeys], fn, active: true };
      subscribers.push(sub);
      return () => { sub.active = false; subscribers.splice(subscribers.indexOf(sub), 1); };
    },
    get notifying() { return notifying > 0; },
  };
  return store;
}
