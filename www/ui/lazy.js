// What the first screen never shows (the views of a finished run, of neural networks, of
// clusterings and projections, of image sets, painting, an open exercise), fetched the
// first time the page wants it instead of on the first visit. `x build` preloads only the
// modules main.js imports statically, so these stay out of the first download
// (bench/budgets.mjs measures it). A view's stylesheet comes with its module, so nothing
// is drawn unstyled.

import { showMessage } from './dom.js';

const loaded = new Map(); // name -> module, once fetched
const pending = new Map(); // name -> promise of the module
// A view's stylesheets: views.css (the rules of every view drawn after the first screen) and
// its own; modules that draw no view of their own need none.
const OWN = { network: 'network.css', anomaly: 'network.css', cnn_view: 'network.css', gallery: 'images.css' };
const UNSTYLED = ['embed', 'glossary_results', 'report'];
const styles = (name) => (UNSTYLED.includes(name) ? [] : ['views.css', ...(OWN[name] ? [OWN[name]] : [])]);
const sheets = new Map(); // file -> promise that it has loaded (or failed: the view still works)

function stylesheet(file) {
  if (!sheets.has(file)) {
    sheets.set(file, new Promise((done) => {
      const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL(`../${file}`, import.meta.url).href });
      link.addEventListener('load', done);
      link.addEventListener('error', done);
      document.head.append(link);
    }));
  }
  return sheets.get(file);
}

// The module, fetched once; e.g. `view('descent').then((d) => d.openDescent(...))`.
export function view(name) {
  if (!pending.has(name)) {
    const css = Promise.all(styles(name).map(stylesheet));
    pending.set(name, import(`./${name}.js`).then(async (m) => { await css; loaded.set(name, m); return m; }, (e) => {
      // Offline before the service worker had the site, say: the page goes on without the
      // view, says so, and the next call tries again.
      pending.delete(name);
      showMessage(`A part of this page (${name}) could not be fetched: ${e.message}. It is tried again when next needed.`);
      return new Promise(() => {});
    }));
  }
  return pending.get(name);
}

// The module if it was fetched already, else null: what a reset needs (a view never
// fetched has nothing on the page to reset).
export function viewIfLoaded(name) {
  return loaded.get(name) ?? null;
}

const turns = new Map(); // slot -> calls so far: only the latest drawing of a slot is done late

// Draw a slot of the page (an element's whole content) with module `name`: at once when
// it is in; else, when `fetch`, once it has come, unless a later call for the same slot
// (newer data, a reset) came first. `fetch` false is for nothing to show (a reset): a
// module never fetched has drawn nothing there.
export function drawWith(name, slot, draw, fetch = true) {
  const turn = (turns.get(slot) ?? 0) + 1;
  turns.set(slot, turn);
  const m = loaded.get(name);
  if (m) draw(m);
  else if (fetch) view(name).then((v) => { if (turns.get(slot) === turn) draw(v); });
}
