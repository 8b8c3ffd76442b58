// Views the first screen never shows (the loss surface of gradient descent, the look inside
// a CNN), fetched the first time a run wants them instead of on the first visit. `x build`
// preloads only the modules main.js imports statically, so these stay out of the first
// download (bench/budgets.mjs measures it).

const loaded = new Map(); // name -> module, once fetched
const pending = new Map(); // name -> promise of the module

// The module, fetched once; e.g. `view('descent').then((d) => d.openDescent(...))`.
export function view(name) {
  if (!pending.has(name)) pending.set(name, import(`./${name}.js`).then((m) => { loaded.set(name, m); return m; }));
  return pending.get(name);
}

// The module if it was fetched already, else null: what a reset needs (a view never
// fetched has nothing on the page to reset).
export function viewIfLoaded(name) {
  return loaded.get(name) ?? null;
}
