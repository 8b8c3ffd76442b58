// An anomaly detector's view: the histogram of its per-row scores (the autoencoder's
// reconstruction errors, the isolation forest's anomaly scores; the catalog names them)
// (training rows,
// and the validation rows split by their label) with the threshold as a line the student
// drags or slides, the flagged validation rows (most anomalous first), and precision,
// recall and F1 of the flags. Moving the threshold recounts here, without retraining.
//
// The state keeps the threshold as the evaluation view's `view.threshold`: the model's
// score of a row is s = e / (e + t) (e its error, t the threshold contamination sets), so
// flagging s >= p is flagging e >= t p / (1 - p), and both views always agree.

import { el, infoTip } from './dom.js';
import { isDark } from './charts.js';

const SHOWN_ROWS = 50;
const STEPS = 1000;  // slider positions over the histogram's (log) range
const COLOURS = { train: '#9aa4b1', normal: '#0877bd', anomalous: '#d1242f' };

let cur = null;      // { a: explanation.anomaly, d: worker rows, p, dragging, els, words }
let onSettle = null; // (p) => store the threshold in the state

const f3 = (v) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
const fmtErr = (e) => (Number.isFinite(e) ? (e >= 0.01 && e < 1000 ? e.toPrecision(3) : e.toExponential(2)) : '∞');
const tOf = (d) => Math.max(d.threshold, Number.MIN_VALUE);
// The model's score of an error, computed as the engine computes it.
const scoreOf = (e, t) => e / (e + t);
const errorAt = (p, t) => (p >= 1 ? Infinity : p <= 0 ? 0 : (t * p) / (1 - p));

// Flags and their quality at probability threshold p.
export function flagsAt(d, p) {
  const t = tOf(d);
  let tp = 0, fp = 0, fn = 0, flagged = 0;
  d.errors.forEach((e, i) => {
    const hit = e !== null && scoreOf(e, t) >= p;
    const pos = d.labels[i] === 1;
    if (hit) flagged++;
    if (hit && pos) tp++;
    else if (hit) fp++;
    else if (pos) fn++;
  });
  return {
    flagged, tp, fp, fn,
    precision: flagged ? tp / flagged : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}

// Log-scale x axis over the histogram's edges.
function axis(a) {
  const lo = Math.log10(a.edges[0]);
  const hi = Math.log10(a.edges[a.edges.length - 1]);
  return { lo, hi, frac: (e) => (Math.log10(Math.max(e, 1e-300)) - lo) / (hi - lo || 1), at: (f) => 10 ** (lo + f * (hi - lo)) };
}

function drawHistogram(canvas, a, threshold) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext('2d');
  const dark = isDark();
  const ink = dark ? '#e6e9ee' : '#1f2328';
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = dark ? '#181b21' : '#ffffff';
  ctx.fillRect(0, 0, w, h);
  const [left, right, top, bottom] = [46 * ratio, w - 12 * ratio, 10 * ratio, h - 34 * ratio];
  const ax = axis(a);
  const X = (e) => left + ax.frac(e) * (right - left);
  // Each group as shares of its own rows, so 8 anomalies show beside 3,500 normal rows.
  const share = (c) => { const n = c.reduce((s, v) => s + v, 0) || 1; return c.map((v) => v / n); };
  const series = [['train', share(a.train)], ['normal', share(a.validation_normal)], ['anomalous', share(a.validation_anomalous)]];
  const ymax = Math.max(1e-9, ...series.flatMap(([, s]) => s));
  const Y = (v) => bottom - (v / ymax) * (bottom - top);
  ctx.globalAlpha = 0.55;
  for (const [name, s] of series) {
    ctx.fillStyle = COLOURS[name];
    s.forEach((v, i) => { if (v > 0) ctx.fillRect(X(a.edges[i]) + ratio, Y(v), Math.max(ratio, X(a.edges[i + 1]) - X(a.edges[i]) - ratio), bottom - Y(v)); });
  }
  ctx.globalAlpha = 1;
  // Axes: decades along x, shares up y.
  ctx.strokeStyle = ink;
  ctx.fillStyle = ink;
  ctx.lineWidth = ratio;
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, bottom); ctx.lineTo(right, bottom); ctx.stroke();
  ctx.textAlign = 'center';
  for (let k = Math.ceil(ax.lo); k <= Math.floor(ax.hi); k++) {
    const x = X(10 ** k);
    ctx.beginPath(); ctx.moveTo(x, bottom); ctx.lineTo(x, bottom + 4 * ratio); ctx.stroke();
    ctx.fillText(k >= -2 && k <= 3 ? String(10 ** k) : `1e${k}`, x, bottom + 15 * ratio);
  }
  ctx.fillText(`${cur.words.name} (log scale)`, (left + right) / 2, h - 4 * ratio);
  ctx.textAlign = 'right';
  ctx.fillText(`${(100 * ymax).toFixed(0)}%`, left - 4 * ratio, top + 8 * ratio);
  ctx.fillText('0', left - 4 * ratio, bottom);
  ctx.save();
  ctx.translate(12 * ratio, (top + bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('share of the group', 0, 0);
  ctx.restore();
  // The threshold, clamped to the drawing when it lies beyond the errors.
  const tx = Math.min(right, Math.max(left, Number.isFinite(threshold) ? X(threshold) : right));
  ctx.strokeStyle = dark ? '#ffb454' : '#b35900';
  ctx.lineWidth = 2 * ratio;
  ctx.setLineDash([6 * ratio, 4 * ratio]);
  ctx.beginPath(); ctx.moveTo(tx, top); ctx.lineTo(tx, bottom); ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = ctx.strokeStyle;
  ctx.textAlign = tx > (left + right) / 2 ? 'right' : 'left';
  ctx.fillText('threshold', tx + (tx > (left + right) / 2 ? -5 : 5) * ratio, top + 10 * ratio);
  return { left, right };
}

function legend(a) {
  const n = (c) => c.reduce((s, v) => s + v, 0);
  const item = (name, text) => el('span', { class: 'legend-item' }, el('span', { class: 'swatch', style: `background:${COLOURS[name]}` }), text);
  return el('p', { class: 'legend' },
    item('train', `training rows (${n(a.train)})`),
    item('normal', `validation, normal (${n(a.validation_normal)})`),
    item('anomalous', `validation, anomalous (${n(a.validation_anomalous)})`));
}

// The flagged rows, most anomalous first, with their values.
function flaggedTable(d, p) {
  const t = tOf(d);
  const rows = d.order.map((pos, k) => ({ pos, k })).filter(({ pos }) => d.errors[pos] !== null && scoreOf(d.errors[pos], t) >= p);
  const shown = rows.slice(0, SHOWN_ROWS);
  const head = el('tr', {}, ['Row', cur.words.short[0].toUpperCase() + cur.words.short.slice(1), d.target_name, ...d.columns].map((c) => el('th', { scope: 'col' }, c)));
  const body = shown.map(({ pos, k }) => el('tr', { class: d.labels[pos] === 1 ? 'is-anomaly' : '' },
    el('td', {}, String(d.rows[pos] + 1)), el('td', { 'data-score': '' }, fmtErr(d.errors[pos])),
    el('td', {}, d.class_names[d.labels[pos]] ?? ''), d.values[k].map((v) => el('td', {}, v))));
  return el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Flagged rows, scrollable' }, el('table', { class: 'metrics-table', id: 'anomaly-table' }, el('thead', {}, head), el('tbody', {}, body)));
}

function csvOf(d) {
  const t = tOf(d);
  const lines = [`row,${cur.words.name.replace(/ /g, '_')},score,label`];
  d.errors.forEach((e, i) => lines.push(`${d.rows[i] + 1},${e ?? ''},${e === null ? '' : scoreOf(e, t)},${d.labels[i] ?? ''}`));
  return `${lines.join('\n')}\n`;
}

function show() {
  const { a, d, p, els } = cur;
  const e = errorAt(p, tOf(d));
  const f = flagsAt(d, p);
  els.readout.textContent = Number.isFinite(e) ? `${cur.words.short} ≥ ${fmtErr(e)}` : `above every ${cur.words.short} (nothing flagged)`;
  const ax = axis(a);
  if (!cur.sliding) els.slider.value = String(Math.round(Math.min(1, Math.max(0, ax.frac(e))) * STEPS));
  cur.frame = drawHistogram(els.canvas, a, e);
  const labelled = d.labels.length === d.errors.length && d.labels.some((l) => l === 1);
  els.nums.replaceChildren(...[
    ['Flagged', `${f.flagged} of ${d.errors.length}`],
    ...(labelled ? [['Precision', f.flagged ? f3(f.precision) : '0.000 (nothing flagged)'], ['Recall', f3(f.recall)], ['F1', f3(f.f1)]] : []),
  ].flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-number': k.toLowerCase() }, v)]));
  const more = f.flagged > SHOWN_ROWS ? ` The ${SHOWN_ROWS} most anomalous are shown.` : '';
  els.tableNote.textContent = f.flagged
    ? `${f.flagged} validation row${f.flagged === 1 ? '' : 's'} flagged, largest ${cur.words.short} first.${more} Rows numbered as in the data.`
    : 'No validation row is above the threshold.';
  els.table.replaceChildren(f.flagged ? flaggedTable(d, p) : '');
  els.root.dataset.flagged = String(f.flagged);
}

// Threshold from a position along the histogram (0..1), live; `settle` stores it.
function moveTo(frac, settle) {
  const e = axis(cur.a).at(Math.min(1, Math.max(0, frac)));
  // The right end means "flag nothing".
  cur.p = frac >= 1 ? 1 : Math.min(1, scoreOf(e, tOf(cur.d)));
  show();
  if (settle) onSettle?.(cur.p);
}

function build(root, words) {
  const canvas = el('canvas', { id: 'anomaly-histogram', role: 'img', 'aria-label': `Histogram of ${words.name}s with the threshold as a line; drag it to move the threshold` });
  const slider = el('input', { type: 'range', id: 'anomaly-threshold', min: 0, max: STEPS, step: 1, 'aria-label': `Anomaly threshold (${words.name})` });
  const readout = el('output', { id: 'anomaly-threshold-value', for: 'anomaly-threshold' });
  const nums = el('dl', { class: 'cost threshold-numbers', 'data-view': 'anomaly-numbers' });
  const tableNote = el('p', { class: 'note' });
  const table = el('div', {});
  const legendBox = el('div', {});
  const download = el('button', { type: 'button', class: 'secondary small', id: 'anomaly-csv', onclick: () => {
    const a = el('a', { download: `mlplay-${words.name.replace(/ /g, '-')}s.csv`, href: URL.createObjectURL(new Blob([csvOf(cur.d)], { type: 'text/csv' })) });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } }, `Download the ${words.short}s (CSV)`);
  slider.addEventListener('input', () => { cur.sliding = true; moveTo(Number(slider.value) / STEPS, false); cur.sliding = false; });
  slider.addEventListener('change', () => onSettle?.(cur.p));
  const fracAt = (ev) => {
    const r = canvas.getBoundingClientRect();
    const ratio = canvas.width / Math.max(1, r.width);
    const { left, right } = cur.frame;
    return ((ev.clientX - r.left) * ratio - left) / (right - left);
  };
  canvas.addEventListener('pointerdown', (ev) => { cur.dragging = true; canvas.setPointerCapture(ev.pointerId); moveTo(fracAt(ev), false); });
  canvas.addEventListener('pointermove', (ev) => { if (cur?.dragging) moveTo(fracAt(ev), false); });
  const end = () => { if (cur?.dragging) { cur.dragging = false; onSettle?.(cur.p); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  root.replaceChildren(
    el('h3', {}, `Anomalies: each row's ${words.name} `, infoTip(words.name, words.about)),
    el('figure', { class: 'chart anomaly-chart' }, canvas, legendBox),
    el('div', { class: 'threshold-row' }, el('label', { for: 'anomaly-threshold' }, 'Flag a row when its '), readout),
    slider,
    el('p', { class: 'note' }, 'Drag the line or the slider: the flags, the table and the scores follow at once, without training again. '
      + 'The threshold is kept in the link, and the evaluation below uses the same one.'),
    nums, tableNote, table, download);
  return { root, canvas, slider, readout, nums, tableNote, table, legendBox };
}

// Show (or update, during training) the view. `a`: explanation.anomaly; `d`: the worker's
// `anomaly_rows` (may be null: keep the last); `p`: the state's view.threshold (0.5 if unset);
// `kind`: the detector's catalog entry (its score's name and description).
export function renderAnomaly(root, { a, d, p, settle, kind }) {
  onSettle = settle;
  if (!a) { resetAnomaly(root); return; }
  const name = kind?.score_name ?? 'anomaly score';
  const words = { name, short: name.split(' ').pop(), about: kind?.score_about ?? '' };
  if (!cur || cur.els.root !== root || !root.firstChild || cur.words.name !== name) {
    cur = { els: build(root, words), p, words };
  }
  cur.a = a;
  if (d && d.errors) cur.d = d;
  if (!cur.d) return;
  if (!cur.dragging && !cur.sliding) cur.p = p ?? 0.5;
  root.hidden = false;
  cur.els.legendBox.replaceChildren(legend(a));
  show();
}

// The state's threshold changed elsewhere (the evaluation's slider, a link).
export function syncThreshold(p) {
  if (!cur?.d || cur.dragging || Math.abs((p ?? 0.5) - cur.p) < 1e-15) return;
  cur.p = p ?? 0.5;
  show();
}

export function redrawAnomaly() {
  if (cur?.d && cur.a) show();
}

export function resetAnomaly(root) {
  root.replaceChildren();
  root.hidden = true;
  cur = null;
}
