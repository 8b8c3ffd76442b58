// "Open the errors": the rows behind a confusion-matrix cell (or regression's largest
// errors), listed under the evaluation, ringed on the scatter plot and, on image sets,
// drawn as the images with their true and predicted labels and the model's probability.
// The rows come with the evaluation (`ev.rows`, crates/app/src/app/errors.rs); the selection lives in
// the state's view (`view.errors`), so a shared link opens with the same rows.

import { el } from './dom.js';
import { isDark } from './charts.js';

const MAX_LISTED = 200;
const LARGEST = 10;

// Data rows (0-based) ringed on the scatter plot: the ones listed now.
let ringed = [];

const f3 = (v) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');

// Indices into `r.rows` of the rows of cell [t, p]; with `threshold` (two classes), a row
// is called positive when its positive probability is at least it, as the slider's matrix
// counts (`cell_rows` in crates/app/src/app/errors.rs is the same rule).
export function cellRows(r, t, p, threshold) {
  const called = (i) => (threshold !== undefined && r.classes === 2 ? Number(r.proba[2 * i + 1] >= threshold) : r.predicted[i]);
  const out = [];
  for (let i = 0; i < r.rows.length; i++) if (r.actual[i] === t && called(i) === p) out.push(i);
  return out;
}

// Regression: the `n` rows with the largest absolute error, largest first.
function largestErrors(r, n) {
  const err = (i) => Math.abs(r.actual[i] - r.predicted[i]);
  return r.rows.map((_, i) => i).sort((a, b) => err(b) - err(a) || a - b).slice(0, n);
}

// Rings around the listed rows on the scatter plot as drawn (`frame` as drawScatter gives it).
export function ringSelected(canvas, frame, xs, ys) {
  canvas.dataset.ringed = String(ringed.length);
  if (!ringed.length || !frame) return;
  const [x0, x1, y0, y1, left, top, right, bottom] = frame;
  const ratio = canvas.width / Math.max(1, canvas.clientWidth);
  const ctx = canvas.getContext('2d');
  ctx.save();
  ctx.lineWidth = 2 * ratio;
  ctx.strokeStyle = isDark() ? '#ffffff' : '#000000';
  for (const row of ringed) {
    const x = left + ((xs[row] - x0) / (x1 - x0)) * (right - left);
    const y = bottom - ((ys[row] - y0) / (y1 - y0)) * (bottom - top);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    ctx.beginPath();
    ctx.arc(x, y, 7 * ratio, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

// One row's pixels as a small grey picture: columns `p0`.. placed by name (constant ones
// are not in the data and stay blank), dark for high values as the data view draws them.
function picture(r, i, names, [w, h], max, label) {
  const canvas = el('canvas', { width: w, height: h, class: 'pixel-image', role: 'img', 'aria-label': label });
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  img.data.fill(255);
  names.forEach((n, j) => {
    const m = /^p(\d+)$/.exec(n);
    const at = m ? Number(m[1]) : -1;
    if (at < 0 || at >= w * h) return;
    const g = 255 - Math.round((255 * Math.max(0, r.features[i * r.feature_count + j] || 0)) / max);
    img.data.set([g, g, g, 255], at * 4);
  });
  ctx.putImageData(img, 0, 0);
  return canvas;
}

// Words for one row: its number (1-based, as the row tooltip counts), true and predicted
// labels and the model's probability.
function describe(r, i, names, called) {
  const row = r.rows[i] + 1;
  if (!r.classes) {
    return { row, cells: [r.actual[i], r.predicted[i], r.actual[i] - r.predicted[i]].map((v) => Number(v.toPrecision(6))) };
  }
  const p = r.proba.slice(i * r.classes, (i + 1) * r.classes);
  const prob = r.classes === 2 ? `P(${names[1]}) = ${f3(p[1])}` : `P(${names[called]}) = ${f3(p[called])}`;
  return { row, truth: names[r.actual[i]], predicted: names[called], prob };
}

function listTable(r, idx, classNames, calledOf) {
  const twoClasses = r.classes === 2;
  const head = r.classes
    ? ['Row', 'True', 'Predicted', twoClasses ? `Probability of ${classNames[1]}` : 'Probability of the prediction']
    : ['Row', 'Actual', 'Predicted', 'Error (actual − predicted)'];
  return el('table', { class: 'metrics-table error-rows' },
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, idx.map((i) => {
      const d = describe(r, i, classNames, calledOf(i));
      const cells = r.classes ? [d.truth, d.predicted, d.prob.replace(/^P\(.*\) = /, '')] : d.cells.map(String);
      return el('tr', { 'data-row': r.rows[i] }, el('th', { scope: 'row' }, String(d.row)), cells.map((c) => el('td', {}, c)));
    })));
}

function imageGrid(r, idx, classNames, calledOf, ctx) {
  let max = 1;
  for (const v of r.features) if (v > max) max = v;
  return el('div', { class: 'image-rows error-images', 'data-view': 'error-images' }, idx.map((i) => {
    const d = describe(r, i, classNames, calledOf(i));
    const label = `Row ${d.row}: true ${d.truth}, predicted ${d.predicted}, ${d.prob}`;
    return el('figure', { class: 'pixel-figure', 'data-row': r.rows[i] }, picture(r, i, ctx.names, ctx.image, max, label),
      el('figcaption', {}, `${d.truth} → ${d.predicted}`, el('br'), d.prob.replace(/^P\((.*)\) = /, 'p($1) '), el('br'), `row ${d.row}`));
  }));
}

/**
 * The open cell's rows under the confusion matrix. `ev.rows`: the part's rows; `cell`:
 * [true, predicted] or null; `threshold`: the binary cut (undefined for argmax);
 * `ctx`: { image: [w, h] | undefined, names: the data's numeric columns, redraw, onClose }.
 */
export function renderCellRows(box, ev, cell, threshold, ctx) {
  const r = ev?.rows;
  const n = ev?.class_names?.length ?? 0;
  if (!r || !cell || cell[0] >= n || cell[1] >= n) {
    box.replaceChildren();
    box.hidden = true;
    setRinged([], ctx);
    return;
  }
  const [t, p] = cell;
  const idx = cellRows(r, t, p, threshold);
  const calledOf = (i) => (threshold !== undefined && r.classes === 2 ? Number(r.proba[2 * i + 1] >= threshold) : r.predicted[i]);
  const names = ev.class_names;
  const shown = idx.slice(0, MAX_LISTED);
  const what = t === p ? `${names[t]} predicted correctly` : `true ${names[t]}, predicted ${names[p]}`;
  const image = ctx.image && r.feature_count ? ctx.image : null;
  box.hidden = false;
  box.replaceChildren(
    el('h3', { id: 'errors-title' }, `The rows behind the cell: ${what}`),
    el('p', { class: 'note', 'data-count': idx.length },
      `${idx.length} ${r.part} row${idx.length === 1 ? '' : 's'}`,
      idx.length > shown.length ? ` (the first ${shown.length} listed)` : '',
      idx.length ? ', ringed on the scatter plot.' : '.',
      ' ', el('button', { type: 'button', class: 'secondary small', id: 'errors-close', onclick: ctx.onClose }, 'Close')),
    image ? imageGrid(r, shown, names, calledOf, ctx) : listTable(r, shown, names, calledOf));
  setRinged(idx.map((i) => r.rows[i]), ctx);
}

/**
 * Regression: the validation rows with the largest errors; a click picks a row (or lets
 * it go), ringed on the scatter plot. `picked`: the state's `view.errors.rows`;
 * `onPick(rows)` stores the new list.
 */
export function renderLargestErrors(box, ev, picked, ctx, onPick) {
  const r = ev?.rows;
  if (!r || r.classes) { box.replaceChildren(); setRinged([], ctx); return; }
  const idx = largestErrors(r, LARGEST);
  const inPart = new Set(r.rows);
  const chosen = (picked ?? []).filter((row) => inPart.has(row));
  const table = listTable(r, idx, [], () => 0);
  for (const tr of table.querySelectorAll('tbody tr')) {
    const row = Number(tr.dataset.row);
    tr.tabIndex = 0;
    tr.classList.toggle('picked', chosen.includes(row));
    tr.setAttribute('aria-selected', String(chosen.includes(row)));
    const toggle = () => onPick(chosen.includes(row) ? chosen.filter((x) => x !== row) : [...chosen, row]);
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
  }
  box.replaceChildren(
    el('h3', {}, `Largest errors on the ${r.part} rows`),
    el('p', { class: 'note' }, 'Click a row to ring it on the scatter plot (again to let it go); the picked rows are in the link.'),
    table);
  setRinged(chosen, ctx);
}

function setRinged(rows, ctx) {
  const same = rows.length === ringed.length && rows.every((v, k) => v === ringed[k]);
  ringed = rows;
  if (!same) ctx?.redraw?.();
}
