// The evaluation view. Binary problems: a threshold slider that moves the confusion
// matrix, precision, recall and F1 live and the marked point on the ROC and
// precision-recall curves; error costs with the cheapest threshold; "best recall at
// precision >= P". Several classes: the confusion matrix, counts or shares, and per-class
// scores. Regression: predicted against actual, and the residuals. A matrix cell opens
// the rows behind it, and regression lists its largest errors (errors.js).

import { el, infoTip } from './dom.js';
import { tip } from './glossary_results.js';
import { drawCurve, drawXY, saveButton } from './charts.js';
import { renderCellRows, renderLargestErrors } from './errors.js';

// The rings on the scatter plot, for the plot (which reaches them only here).
export { ringSelected } from './errors.js';

const f3 = (v) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');

function chart(name, label) {
  const canvas = el('canvas', { id: `chart-${name}`, role: 'img', 'aria-label': label });
  return { canvas, figure: el('figure', { class: 'chart' }, canvas, el('figcaption', {}, label, ' ', saveButton(canvas, name))) };
}

// A confusion matrix as a table; `share` divides each row by its total (recall per class).
// With `onCell`, each count is a button that opens the cell's rows (`open`: the open cell).
function confusionTable(names, m, share, onCell = null, open = null) {
  const head = el('tr', {}, el('th', { scope: 'col' }, 'true ↓ / predicted →'), names.map((n) => el('th', { scope: 'col' }, n)));
  const rows = m.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return el('tr', {}, el('th', { scope: 'row' }, names[t]), row.map((v, p) => {
      const s = v / total;
      const text = share ? `${(100 * s).toFixed(0)}%` : String(v);
      const isOpen = open && open[0] === t && open[1] === p;
      return el('td', { class: `${t === p ? 'hit' : (v ? 'miss' : '')}${isOpen ? ' open' : ''}`, style: `--share:${s.toFixed(3)}`, 'data-cell': `${t},${p}` },
        onCell ? el('button', { type: 'button', class: 'cell-open', 'aria-pressed': String(Boolean(isOpen)),
          'aria-label': `${text}: true ${names[t]}, predicted ${names[p]}; ${isOpen ? 'close' : 'list'} these rows`, onclick: () => onCell([t, p]) }, text) : text);
    }));
  });
  return el('table', { class: 'confusion' }, el('thead', {}, head), el('tbody', {}, rows));
}

// The view with its opened rows replaced (`null`: none, and no key in the link).
function withErrors(view, errors) {
  const v = { ...view };
  if (errors) v.errors = errors; else delete v.errors;
  return v;
}

// The open cell: kept in the view (a link carries it); a click on it again closes it.
function cellOpener(ev, view, onView, list, threshold, ctx, redraw) {
  let open = view.errors?.cell ?? null;
  const setOpen = (cell) => {
    open = cell && !(open && open[0] === cell[0] && open[1] === cell[1]) ? cell : null;
    onView((v) => withErrors(v, open ? { cell: open } : null));
    redraw();
    show();
  };
  const show = () => renderCellRows(list, ev, open, threshold(), { ...ctx, onClose: () => setOpen(null) });
  return { setOpen, show, open: () => open };
}

function multiclass(root, ev, view, onView, ctx) {
  let share = false;
  const box = el('div', { 'data-view': 'confusion' });
  const list = el('section', { id: 'errors', 'data-view': 'errors', hidden: true });
  const cells = cellOpener(ev, view, onView, list, () => undefined, ctx, () => redraw());
  const redraw = () => box.replaceChildren(confusionTable(ev.class_names, ev.confusion, share, ev.rows ? cells.setOpen : null, cells.open()));
  const toggle = el('label', { class: 'inline' }, el('input', { type: 'checkbox', id: 'confusion-share', onchange: (e) => { share = e.target.checked; redraw(); } }), ' as shares of each true class');
  redraw();
  const per = el('table', { class: 'metrics-table per-class' },
    el('thead', {}, el('tr', {}, ['Class', 'Precision', 'Recall', 'F1', 'Rows'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ev.per_class.map((s, k) => el('tr', {}, el('th', { scope: 'row' }, ev.class_names[k]),
      el('td', {}, f3(s.precision)), el('td', {}, f3(s.recall)), el('td', {}, f3(s.f1)), el('td', {}, String(s.support))))));
  root.append(el('h3', {}, 'Confusion matrix ', infoTip('confusion matrix', tip('confusion'))), toggle, box, list, per);
  cells.show();
  if (ev.per_class.some((s) => s.support > 0 && s.precision === 0 && s.recall === 0)) {
    root.append(el('p', { class: 'note' }, 'A class the model never predicts gets precision 0 (nothing to divide), as scikit-learn reports it.'));
  }
}

function binary(root, ev, view, onView, ctx) {
  const c = ev.cuts;
  // The second class is the positive one: every label about it names it.
  const positive = ev.class_names[1];
  const n = c.threshold.length;
  const pos = c.tp[0] + c.fn[0];
  const at = (i) => {
    const called = c.tp[i] + c.fp[i];
    const precision = called ? c.tp[i] / called : 1;
    const recall = pos ? c.tp[i] / pos : 0;
    const f1 = (2 * c.tp[i] + c.fp[i] + c.fn[i]) ? (2 * c.tp[i]) / (2 * c.tp[i] + c.fp[i] + c.fn[i]) : 0;
    const neg = c.fp[i] + c.tn[i];
    return { precision, recall, f1, fpr: neg ? c.fp[i] / neg : 0, called };
  };
  const points = Array.from({ length: n }, (_, i) => at(i));
  // The cut a threshold makes: the last one (lowest threshold) still >= it, so that
  // "score >= t" and "score >= threshold[i]" call the same rows positive.
  const indexOf = (t) => { let i = 0; while (i + 1 < n && c.threshold[i + 1] >= t) i++; return i; };
  // Where the slider can stop: the distinct scores in 0..1 (where the counts change), the
  // ends and 0.5, ascending. It moves over thresholds, not over rows, so its readout is
  // the cut itself and 0.5 is always reachable.
  const stops = [...new Set([0, 0.5, 1, ...c.threshold.filter((t) => t >= 0 && t <= 1)])].sort((a, b) => a - b);
  const snap = (v) => stops.reduce((best, s) => (Math.abs(s - v) < Math.abs(best - v) ? s : best), stops[0]);
  let shown = snap(Math.min(1, Math.max(0, view.threshold ?? 0.5)));
  let i = indexOf(shown);
  let [costFn, costFp] = view.costs ?? [1, 1];

  const slider = el('input', { type: 'range', id: 'threshold', min: 0, max: 1, step: 'any', value: String(shown), 'aria-label': 'Decision threshold' });
  const resetBtn = el('button', { type: 'button', class: 'secondary small', id: 'threshold-reset' }, 'Back to 0.5');
  const readout = el('output', { id: 'threshold-value', for: 'threshold' });
  const nums = el('dl', { class: 'cost threshold-numbers' });
  const matrix = el('div', { 'data-view': 'confusion' });
  const list = el('section', { id: 'errors', 'data-view': 'errors', hidden: true });
  const drawMatrix = () => matrix.replaceChildren(confusionTable(ev.class_names, [[c.tn[i], c.fp[i]], [c.fn[i], c.tp[i]]], false, ev.rows ? cells.setOpen : null, cells.open()));
  // The open cell's rows are the ones its count is made of: those scoring at least this cut.
  const cells = cellOpener(ev, view, onView, list, () => c.threshold[i], ctx, () => drawMatrix());
  const roc = chart('roc', 'ROC curve: true positive rate against false positive rate at every threshold; the ring is the current one.');
  const pr = chart('precision-recall', 'Precision against recall at every threshold; the ring is the current one.');
  const cost = chart('cost', 'Total cost of the errors at each threshold; green marks the cheapest.');
  const costInputs = [['cost-fn', `Cost of a missed positive (${positive})`, costFn], ['cost-fp', `Cost of a false alarm (${ev.class_names[0]} called ${positive})`, costFp]].map(([id, label, v]) =>
    el('label', { class: 'inline' }, `${label} `, el('input', { type: 'number', id, min: 0, step: 'any', value: String(v), class: 'short' })));
  const cheapestBtn = el('button', { type: 'button', class: 'secondary small', id: 'use-cheapest' }, 'Use the cheapest threshold');
  const floor = el('input', { type: 'number', id: 'min-precision', min: 0, max: 1, step: 0.05, value: '0.9', class: 'short' });
  const floorBtn = el('button', { type: 'button', class: 'secondary small', id: 'use-precision-floor' }, 'Best recall at this precision');
  const floorNote = el('span', { class: 'note', id: 'precision-floor-note' });

  const costs = () => c.threshold.map((_, k) => costFn * c.fn[k] + costFp * c.fp[k]);
  const cheapest = () => costs().reduce((best, v, k, a) => (v < a[best] ? k : best), 0);

  function show() {
    const p = points[i];
    const exact = String(Number(shown.toFixed(3))) === String(shown) ? shown.toFixed(3) : String(Number(shown.toPrecision(6)));
    readout.textContent = `score ≥ ${exact}`;
    slider.setAttribute('aria-valuetext', `score at least ${exact}`);
    // With nothing called positive precision has nothing to divide: 0, as scikit-learn's
    // zero_division (the curve's end point stays at 1 by convention).
    const shownPrecision = p.called ? f3(p.precision) : '0.000 (nothing called positive)';
    nums.replaceChildren(...[['Precision', shownPrecision], ['Recall', f3(p.recall)], ['F1', f3(p.f1)], ['False positive rate', f3(p.fpr)]]
      .flatMap(([k, v]) => [el('dt', {}, k === 'False positive rate' ? k : `${k} (${positive})`), el('dd', { 'data-number': k.toLowerCase().replace(/ /g, '_') }, v)]));
    drawMatrix();
    cells.show();
    drawCurve(roc.canvas, { x: points.map((q) => q.fpr), y: points.map((q) => q.recall), xLabel: 'false positive rate', yLabel: 'true positive rate (recall)', mark: i, unitSquare: true, diagonal: true });
    drawCurve(pr.canvas, { x: points.map((q) => q.recall), y: points.map((q) => q.precision), xLabel: 'recall', yLabel: 'precision', mark: i, unitSquare: true });
    // The first cut (above every score) sits at threshold 1 on the cost chart.
    drawCurve(cost.canvas, { x: c.threshold.map((v) => Math.min(v, 1)), y: costs(), xLabel: 'threshold', yLabel: 'total cost', mark: i, best: cheapest() });
  }
  const settle = () => onView((v) => ({ ...v, threshold: Math.min(1, shown), costs: [costFn, costFp] }));
  // The slider runs from low thresholds (left) to high ones, as people expect.
  const moveTo = (t) => { shown = t; i = indexOf(t); slider.value = String(t); show(); };
  slider.addEventListener('input', () => moveTo(snap(Number(slider.value))));
  slider.addEventListener('change', settle);
  // Arrow keys step to the next distinct score (each press changes the counts), Page keys
  // by tenths, Home and End to the ends.
  slider.addEventListener('keydown', (e) => {
    const k = stops.indexOf(shown);
    const to = { ArrowRight: k + 1, ArrowUp: k + 1, ArrowLeft: k - 1, ArrowDown: k - 1, Home: 0, End: stops.length - 1 }[e.key];
    const page = { PageUp: 0.1, PageDown: -0.1 }[e.key];
    if (to === undefined && page === undefined) return;
    e.preventDefault();
    moveTo(page === undefined ? stops[Math.max(0, Math.min(stops.length - 1, to))] : snap(Math.min(1, Math.max(0, shown + page))));
    settle();
  });
  resetBtn.addEventListener('click', () => { moveTo(0.5); settle(); });
  for (const lab of costInputs) {
    lab.querySelector('input').addEventListener('change', (e) => {
      const v = Number(e.target.value);
      if (!(v >= 0)) { e.target.value = String(e.target.id === 'cost-fn' ? costFn : costFp); return; }
      if (e.target.id === 'cost-fn') costFn = v; else costFp = v;
      show(); settle();
    });
  }
  const jump = (k) => { moveTo(Math.min(1, c.threshold[k])); settle(); };
  cheapestBtn.addEventListener('click', () => jump(cheapest()));
  floorBtn.addEventListener('click', () => {
    const want = Number(floor.value);
    let best = -1;
    points.forEach((q, k) => { if (c.tp[k] > 0 && q.precision >= want && (best < 0 || q.recall > points[best].recall)) best = k; });
    floorNote.textContent = best < 0 ? `No threshold reaches precision ${want}.` : '';
    if (best >= 0) jump(best);
  });

  root.append(
    el('h3', {}, 'Threshold ', infoTip('threshold', tip('threshold'))),
    el('div', { class: 'threshold-row' }, el('label', { for: 'threshold' }, `Call a row ${positive} (the positive class) when its `), readout, resetBtn),
    slider, nums, matrix, list,
    el('div', { class: 'chart-grid' }, roc.figure, pr.figure),
    el('h3', {}, 'Cost of errors ', infoTip('cost of errors', tip('costs'))),
    el('div', { class: 'cost-row' }, costInputs, cheapestBtn),
    el('div', { class: 'cost-row' }, el('label', { class: 'inline', for: 'min-precision' }, 'Minimum precision '), floor, floorBtn, floorNote),
    el('div', { class: 'chart-grid' }, cost.figure));
  show();
}

function positiveChoice(classes, onPositive) {
  const select = el('select', { id: 'positive-class' }, [...classes].sort().map((c) => el('option', { value: c }, c)));
  select.value = classes[1];
  select.addEventListener('change', () => onPositive(select.value));
  return el('div', { class: 'cost-row' }, el('label', { class: 'inline', for: 'positive-class' }, 'Positive class '), select,
    el('span', { class: 'note' }, ' the class recall, precision and the threshold are about'));
}

function regression(root, ev, view, onView, ctx) {
  const pa = chart('predicted-vs-actual', 'Predicted against actual values; points on the line are perfect predictions.');
  const res = chart('residuals', 'Residuals (actual minus predicted) against the prediction; a pattern means the model misses something.');
  root.append(el('h3', {}, 'Predictions'), el('div', { class: 'chart-grid' }, pa.figure, res.figure));
  drawXY(pa.canvas, { x: ev.actual, y: ev.predicted, xLabel: 'actual', yLabel: 'predicted', identity: true });
  drawXY(res.canvas, { x: ev.predicted, y: ev.actual.map((a, k) => a - ev.predicted[k]), xLabel: 'predicted', yLabel: 'actual − predicted' });
  const list = el('section', { id: 'errors', 'data-view': 'errors' });
  root.append(list);
  const show = (picked) => renderLargestErrors(list, ev, picked, ctx, (rows) => {
    onView((v) => withErrors(v, rows.length ? { rows } : null));
    show(rows);
  });
  show(view.errors?.rows ?? []);
}

// `onView(mutate)` stores threshold and costs in the state (the share link).
// `onPositive(name)` stores the chosen positive class (a two-class target's classes are
// ordered so that it is the second one, and the model trains again).
// `ctx`: { image: [w, h] of an image set, names: the data's numeric columns, redraw: the
// scatter plot's (it rings the open rows) }.
export function renderEvaluation(root, ev, view, onView, part = 'validation', onPositive = null, ctx = {}) {
  root.replaceChildren();
  if (!ev || ev.type === 'empty') { renderCellRows(el('div'), null, null, undefined, ctx); return; }
  root.append(el('h2', { class: 'sub' }, `Evaluation on the ${part} rows`));
  if (ev.cuts && onPositive) root.append(positiveChoice(ev.class_names, onPositive));
  if (ev.type === 'regression') regression(root, ev, view, onView, ctx);
  else if (ev.cuts) binary(root, ev, view, onView, ctx);
  else multiclass(root, ev, view, onView, ctx);
}
