// Painting points on the scatter plot of a 2-D set with classes, or on "Draw your own":
// a brush (size, density) adds points of the chosen class (or value), Erase or Shift
// removes them, Undo goes back. Each stroke is one edit of the state (the core snaps and
// packs the points, crates/core/src/data/painted.rs), so the link, the CLI and model files carry them;
// the page then reloads the rows and retrains in the worker.

import { $, announce, el, setText } from './dom.js';
import { paint_edit } from './core.js';

const PAINT_ID = 'paint';
const MIN_POINTS = 6;      // "Draw your own" needs this many to split (MIN_PAINTED in builtin.rs)
const MAX_CLASSES = 10;    // class numbers 0..9 (painted.rs)
const VALUES = [-10, 10];  // the range of painted regression values
const COMMIT_MS = 150;     // strokes this close together make one edit (one retrain)

let ctx = null;            // { canvas, plotted(), state(), data(), catalog, edit(mutate) }
let on = false;            // the paint tool is active (pointer events paint instead of hover)
let erasing = false;
let stroke = null;         // { add: [[x, y, v]...], erase: [[x, y, rx, ry]...] } not yet committed
let timer = 0;
let lastDab = null;
let shown = null;          // the data as last drawn: strokes made while new rows load still count
const undo = [];           // earlier `dataset.painted` values (null: none)

/**
 * @param {HTMLCanvasElement} canvas  the scatter plot
 * @param {{ plotted: () => object, state: () => object, data: () => object, catalog: object,
 *   edit: (mutate: (s: object) => void) => void, redraw: () => void }} page  what the plot shows,
 *   how to change the state (and retrain), how to draw the plot again
 */
export function attachPaint(canvas, page) {
  ctx = { canvas, ...page };
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  document.addEventListener('keydown', (e) => {
    if (on && (e.ctrlKey || e.metaKey) && e.key === 'z' && !e.target.closest?.('input, textarea, select')) { e.preventDefault(); undoOnce(); }
  });
}

// Whether the plot shows what can be painted: a paintable set on its two features.
function paintable() {
  const s = ctx.state(); const d = ctx.data() ?? shown;
  const set = ctx.catalog.datasets.find((b) => b.id === s.dataset.id);
  // x1 across and x2 up, as the sets are drawn by default.
  return Boolean(set?.paintable && d && !s.view.pca && s.view.x_feature === 0 && s.view.y_feature === 1 && d.summary.feature_names.length === 2);
}

const valuesMode = () => Boolean(ctx.state().dataset.painted?.values);

/** Shows the tools when the plot can be painted on; called after each redraw of the scatter. */
export function renderPaintTools() {
  if (!ctx) return;
  shown = ctx.data() ?? shown;
  let box = document.getElementById('paint-tools');
  if (!box) {
    box = el('div', { id: 'paint-tools', class: 'paint-tools' });
    ctx.canvas.closest('.scatter-wrap').after(box);
  }
  const can = paintable();
  box.hidden = !can;
  const s = ctx.state();
  // "Draw your own" opens with the brush in hand; elsewhere the student turns it on.
  const opening = box.dataset.opened !== s.dataset.id;
  box.dataset.opened = s.dataset.id;
  if (opening) undo.length = 0; // another set's points would not belong here
  if (!can || opening) pointerPaints(can && s.dataset.id === PAINT_ID);
  if (!can) return;
  const classes = shown.summary.class_names.map(Number).filter((c) => Number.isInteger(c) && c >= 0 && c < MAX_CLASSES);
  const key = [s.dataset.id, classes, valuesMode(), on, erasing, undo.length].join('|');
  if (box.dataset.key === key) { setText($('paint-count'), countWords(s)); return; }
  box.dataset.key = key;
  const keep = { value: $('paint-class')?.value, size: $('paint-size')?.value, density: $('paint-density')?.value };
  const next = classes.length ? Math.max(...classes) + 1 : 0;
  const offered = next < MAX_CLASSES ? [...classes, next] : classes;
  const what = valuesMode()
    ? el('label', {}, 'Value ', el('input', { id: 'paint-class', type: 'number', min: VALUES[0], max: VALUES[1], step: 0.1, value: keep.value ?? 0 }))
    : el('label', {}, 'Class ', el('select', { id: 'paint-class' }, offered.map((c) =>
      el('option', { value: c, selected: String(c) === (keep.value ?? String(offered[0])) }, c === next && !classes.includes(c) ? `${c} (new)` : String(c)))));
  const slider = (id, label, min, max, value, title) => el('label', { title }, `${label} `,
    el('input', { id, type: 'range', min, max, step: 1, value }));
  box.replaceChildren(
    el('button', { type: 'button', id: 'paint-toggle', class: 'secondary small', 'aria-pressed': String(on),
      onclick: () => setOn(!on) }, on ? 'Painting: on' : 'Paint points'),
    el('span', { class: 'paint-controls', hidden: !on },
      what,
      el('button', { type: 'button', id: 'paint-erase', class: 'secondary small', 'aria-pressed': String(erasing),
        title: 'Remove the points under the brush (or hold Shift while painting)', onclick: () => { erasing = !erasing; renderPaintTools(); } }, 'Erase'),
      slider('paint-size', 'Brush', 2, 60, keep.size ?? 16, 'The brush radius in screen pixels'),
      slider('paint-density', 'Density', 1, 20, keep.density ?? 3, 'Points added per dab of the brush (1: one point exactly where you click)'),
      el('button', { type: 'button', id: 'paint-undo', class: 'secondary small', disabled: !undo.length, onclick: undoOnce }, 'Undo'),
      s.dataset.id === PAINT_ID ? el('button', { type: 'button', id: 'paint-mode', class: 'secondary small', onclick: switchMode },
        valuesMode() ? 'Paint classes instead' : 'Paint values (regression)') : null,
      el('span', { id: 'paint-count', class: 'note' }, countWords(s))),
  );
}

function countWords(s) {
  const n = shown.summary.rows;
  return s.dataset.id === PAINT_ID ? `${n} painted point${n === 1 ? '' : 's'}. Click or drag on the plot; Shift erases.`
    : `${n} rows${s.dataset.painted ? ', painted ones included' : ''}. Click or drag on the plot; Shift erases.`;
}

function setOn(v) {
  pointerPaints(v);
  renderPaintTools();
}

function pointerPaints(v) {
  on = v;
  // Touch drags paint instead of scrolling the page while the tool is on.
  ctx.canvas.style.touchAction = on ? 'none' : '';
  ctx.canvas.classList.toggle('painting', on);
}

// The pointer's position in data units, and the brush's radii, from the plot as drawn.
function where(e) {
  const p = ctx.plotted();
  if (!p?.frame) return null;
  const r = ctx.canvas.width / Math.max(1, ctx.canvas.clientWidth);
  const [x0, x1, y0, y1, left, top, right, bottom] = p.frame;
  const a = x0 + ((e.offsetX * r - left) / (right - left)) * (x1 - x0);
  const b = y0 + ((bottom - e.offsetY * r) / (bottom - top)) * (y1 - y0);
  const px = Number($('paint-size')?.value ?? 16) * r;
  return { x: a, y: b, rx: (px / (right - left)) * (x1 - x0), ry: (px / (bottom - top)) * (y1 - y0), px, r };
}

function down(e) {
  if (!on || !paintable()) return;
  e.preventDefault();
  ctx.canvas.setPointerCapture?.(e.pointerId);
  stroke ??= { add: [], erase: [] };
  lastDab = null;
  dab(e);
}

function move(e) {
  if (!on || !stroke || !lastDab || !(e.buttons & 1 || e.pointerType === 'touch')) return;
  const step = Number($('paint-size')?.value ?? 16) * 0.6;
  if (Math.hypot(e.offsetX - lastDab[0], e.offsetY - lastDab[1]) >= step) dab(e);
}

function up() {
  if (!stroke) return;
  lastDab = null;
  clearTimeout(timer);
  timer = setTimeout(commit, COMMIT_MS);
}

// One touch of the brush: points at random in its circle (one point: where it touched).
function dab(e) {
  const w = where(e);
  if (!w) return;
  lastDab = [e.offsetX, e.offsetY];
  const g = ctx.canvas.getContext('2d');
  const cx = e.offsetX * w.r; const cy = e.offsetY * w.r;
  if (erasing || e.shiftKey) {
    stroke.erase.push([w.x, w.y, w.rx, w.ry]);
    g.strokeStyle = 'rgba(128, 128, 128, 0.9)';
    g.beginPath(); g.arc(cx, cy, w.px, 0, 2 * Math.PI); g.stroke();
    return;
  }
  const v = Number($('paint-class')?.value ?? 0);
  const n = Number($('paint-density')?.value ?? 3);
  g.fillStyle = 'rgba(128, 128, 128, 0.8)';
  for (let k = 0; k < n; k++) {
    // Uniform in the disc: radius by the square root of a uniform number.
    const [t, u] = n === 1 ? [0, 0] : [2 * Math.PI * Math.random(), Math.sqrt(Math.random())];
    const dx = u * Math.cos(t); const dy = u * Math.sin(t);
    stroke.add.push([w.x + dx * w.rx, w.y - dy * w.ry, v]); // screen y grows downwards
    g.beginPath(); g.arc(cx + dx * w.px, cy + dy * w.px, 2.5 * w.r, 0, 2 * Math.PI); g.fill();
  }
}

// The stroke becomes one edit of the state: adds first, then each erase in turn.
function commit() {
  const s = ctx.state();
  const st = stroke;
  stroke = null;
  if (!st || (!st.add.length && !st.erase.length)) return;
  let painted = s.dataset.painted ?? null;
  let count = 0;
  try {
    const [x0, x1, y0, y1] = ctx.plotted().frame;
    // A new painting's box: the plot's range with half of it again on each side, to paint beyond.
    const bounds = [x0 - (x1 - x0) / 2, x1 + (x1 - x0) / 2, y0 - (y1 - y0) / 2, y1 + (y1 - y0) / 2];
    const edits = [{ add: st.add }, ...st.erase.map((erase) => ({ erase }))];
    for (const edit of edits) {
      ({ painted, count } = JSON.parse(paint_edit(JSON.stringify(painted), JSON.stringify(bounds), 'null', JSON.stringify(edit))));
    }
  } catch (e) {
    announce(`The points could not be painted: ${e.message}`);
    return;
  }
  if (s.dataset.id === PAINT_ID && count < MIN_POINTS) {
    announce(`Keep at least ${MIN_POINTS} points to train on.`);
    ctx.redraw(); // without the stroke's dots
    return;
  }
  setPainted(painted, count);
}

function setPainted(painted, count) {
  const before = ctx.state().dataset.painted ?? null;
  undo.push(before);
  if (undo.length > 50) undo.shift();
  ctx.edit((next) => {
    if (painted && (count > 0 || next.dataset.id === PAINT_ID)) next.dataset.painted = painted;
    else delete next.dataset.painted;
  });
}

function undoOnce() {
  if (!undo.length) return;
  const prev = undo.pop();
  ctx.edit((next) => { if (prev) next.dataset.painted = prev; else delete next.dataset.painted; });
  announce('Undone.');
}

// "Draw your own": classes or values (a regression). Values start from a few points on a line.
function switchMode() {
  if (valuesMode()) { setPainted(null, 0); return; }
  const add = Array.from({ length: 12 }, (_, i) => { const x = -2 + (4 * i) / 11; return [x, 0.5 * Math.sin(3 * i), 2 * x]; });
  const r = JSON.parse(paint_edit('null', JSON.stringify([-3, 3, -3, 3]), JSON.stringify(VALUES), JSON.stringify({ add })));
  setPainted(r.painted, r.count);
}
