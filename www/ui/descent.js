// Gradient descent you can watch: the training loss of a linear or logistic regression
// over two of its parameters, as colour and contour lines, with the path an optimiser
// takes across it epoch by epoch and the exact minimum marked. The core computes the
// surface and the path (crates/core/src/models/descent.rs, via the worker); this file draws them and
// owns the panel's controls (optimiser, learning rate, epochs). Hovering or clicking the
// panel's loss curve, or moving the epoch slider, highlights that epoch on the surface.

import { el, setText } from './dom.js';
import { fit, isDark, saveButton } from './charts.js';

const KINDS = ['linear_regression', 'logistic_regression'];
const OPTIMIZERS = [['sgd', 'plain gradient descent (SGD)'], ['momentum', 'momentum (0.9)'], ['adam', 'Adam']];
const LEVELS = 12; // contour lines

let cur = null; // { root, els, view, epoch, send }

const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : Number(v.toPrecision(4)).toString()) : 'n/a');

// Whether the run's model and target have a descent view: linear regression, or logistic
// regression on two classes.
export function offersDescent(kind, task, nClasses) {
  if (!KINDS.includes(kind)) return false;
  return task === 'regression' || (task === 'classification' && nClasses === 2);
}

export function resetDescent(root) {
  cur = null;
  root.hidden = true;
  root.replaceChildren();
}

// Show the panel for a finished run and ask the worker for its view. `model` is the
// state's model (its learning_rate and max_iter start the controls); `send(request)`
// posts the descent request.
export function openDescent(root, model, send) {
  const keep = cur?.root === root ? cur.controls : null;
  const controls = keep ?? {
    optimizer: 'sgd',
    learning_rate: model.learning_rate ?? 0.1,
    epochs: Math.min(model.max_iter ?? 100, 1000),
  };
  const els = build(root, controls);
  cur = { root, els, controls, view: null, epoch: null, send };
  root.hidden = false;
  request();
}

function request() {
  const c = cur.controls;
  cur.els.status.textContent = 'Computing the loss surface…';
  cur.send({ optimizer: c.optimizer, learning_rate: c.learning_rate, epochs: c.epochs, grid: 60 });
}

let pending = 0;
function changed() {
  clearTimeout(pending);
  pending = setTimeout(request, 150);
}

// Learning-rate slider positions: log scale from 1e-3 to 10.
const LR_MIN = -3; const LR_MAX = 1; const LR_STEPS = 400;
const lrToSlider = (lr) => Math.round(((Math.log10(lr) - LR_MIN) / (LR_MAX - LR_MIN)) * LR_STEPS);
const sliderToLr = (s) => Number((10 ** (LR_MIN + (s / LR_STEPS) * (LR_MAX - LR_MIN))).toPrecision(3));

function build(root, controls) {
  const optimizer = el('select', { id: 'descent-optimizer' },
    OPTIMIZERS.map(([v, t]) => el('option', { value: v, selected: v === controls.optimizer }, t)));
  const lrSlider = el('input', { type: 'range', id: 'descent-lr-slider', min: 0, max: LR_STEPS, step: 1, value: String(lrToSlider(controls.learning_rate)), 'aria-label': 'Learning rate (log scale)' });
  const lr = el('input', { type: 'number', id: 'descent-lr', min: 0.0001, max: 100, step: 'any', value: String(controls.learning_rate), 'aria-label': 'Learning rate' });
  const epochs = el('input', { type: 'number', id: 'descent-epochs', min: 1, max: 5000, step: 1, value: String(controls.epochs), 'aria-label': 'Epochs' });
  optimizer.addEventListener('change', () => { controls.optimizer = optimizer.value; changed(); });
  lrSlider.addEventListener('input', () => { controls.learning_rate = sliderToLr(Number(lrSlider.value)); lr.value = String(controls.learning_rate); changed(); });
  lr.addEventListener('change', () => {
    const v = Number(lr.value);
    if (!(v > 0 && v <= 100)) { lr.value = String(controls.learning_rate); return; }
    controls.learning_rate = v; lrSlider.value = String(lrToSlider(v)); changed();
  });
  epochs.addEventListener('change', () => {
    const v = Math.round(Number(epochs.value));
    if (!(v >= 1 && v <= 5000)) { epochs.value = String(controls.epochs); return; }
    controls.epochs = v; changed();
  });
  const epoch = el('input', { type: 'range', id: 'descent-epoch', min: 0, max: 0, step: 1, value: '0', 'aria-label': 'Epoch shown on the surface' });
  epoch.addEventListener('input', () => highlight(Number(epoch.value)));
  const surface = el('canvas', { id: 'descent-surface', role: 'img', 'aria-label': 'Loss surface with the optimiser\'s path' });
  const curve = el('canvas', { id: 'descent-curve', role: 'img', 'aria-label': 'Training loss along the path, per epoch' });
  const pick = (e) => {
    const v = cur?.view;
    if (!v) return;
    const r = curve.getBoundingClientRect();
    const { left, right } = curveFrame(r.width);
    const k = Math.round(((e.clientX - r.left - left) / Math.max(1, right - left)) * (v.path.length - 1));
    highlight(Math.max(0, Math.min(v.path.length - 1, k)));
  };
  curve.addEventListener('mousemove', pick);
  curve.addEventListener('click', pick);
  const surfaceCaption = el('figcaption', { id: 'descent-caption' });
  const status = el('p', { id: 'descent-status', class: 'descent-status', 'aria-live': 'polite' });
  const note = el('p', { id: 'descent-note', class: 'note', hidden: true });
  const readout = el('p', { id: 'descent-epoch-readout', class: 'descent-readout' });
  root.replaceChildren(
    el('h3', {}, 'Gradient descent on the loss surface'),
    el('div', { class: 'descent-controls' },
      el('label', {}, 'Optimiser ', optimizer),
      el('label', { class: 'descent-lr' }, 'Learning rate ', lrSlider, lr),
      el('label', {}, 'Epochs ', epochs)),
    status, note,
    el('div', { class: 'descent-charts' },
      el('figure', { class: 'chart' }, surface, surfaceCaption, saveButton(surface, 'loss-surface')),
      el('figure', { class: 'chart' }, curve,
        el('figcaption', {}, 'Training loss along the path after each epoch (log scale; dashed: the minimum). Hover or click an epoch to mark it on the surface. ',
          saveButton(curve, 'loss-along-the-path')))),
    el('label', { class: 'descent-epoch' }, 'Epoch shown ', epoch, readout));
  return { surface, curve, surfaceCaption, status, note, epoch, readout };
}

// The worker's view (models/descent.rs `DescentView`).
export function showDescent(view) {
  if (!cur) return;
  cur.view = view;
  const { els } = cur;
  const last = view.path.length - 1;
  els.epoch.max = String(last);
  const end = view.path[last];
  const name = OPTIMIZERS.find(([v]) => v === cur.controls.optimizer)[1];
  const conv = view.converged_at !== null && view.converged_at !== undefined
    ? `within 0.1% of the ${view.optimum_label}'s loss at epoch ${view.converged_at}`
    : `not within 0.1% of the ${view.optimum_label}'s loss after ${last} epochs`;
  const what = view.diverged_at ? `diverged at epoch ${view.diverged_at}` : conv;
  setText(els.status, `${name[0].toUpperCase()}${name.slice(1)}, learning rate ${cur.controls.learning_rate}: ${what}. `
    + `Last point: ${view.axes[0]} ${fmt(end[0])}, ${view.axes[1]} ${fmt(end[1])}; ${view.optimum_label}: ${fmt(view.optimum[0])}, ${fmt(view.optimum[1])}.`);
  els.note.hidden = !view.note;
  els.note.textContent = view.note ?? '';
  const root = cur.root;
  root.dataset.end = JSON.stringify(end);
  root.dataset.optimum = JSON.stringify(view.optimum);
  root.dataset.diverged = view.diverged_at ? String(view.diverged_at) : '';
  root.dataset.converged = view.converged_at ?? '';
  root.dataset.epochs = String(last);
  setText(els.surfaceCaption, `${view.caption} Colour: ${view.loss_name} on the training rows, log scale, dark blue lowest, yellow highest; `
    + `thin lines join equal losses. White line: the path from the start (ringed), one dot per epoch, each epoch one step on all training rows; red cross: the ${view.optimum_label}.`
    + (view.diverged_at ? ' The path leaves the picture where it diverged.' : ''));
  highlight(cur.epoch !== null && cur.epoch <= last ? cur.epoch : last);
}

export function descentFailed(message) {
  if (!cur) return;
  cur.view = null;
  setText(cur.els.status, `The loss surface cannot be drawn: ${message}`);
}

function highlight(k) {
  if (!cur?.view) return;
  cur.epoch = k;
  cur.els.epoch.value = String(k);
  const v = cur.view;
  const p = v.path[k];
  setText(cur.els.readout, `epoch ${k}: ${v.axes[0]} ${fmt(p[0])}, ${v.axes[1]} ${fmt(p[1])}, loss ${fmt(v.path_loss[k])}`);
  cur.root.dataset.highlight = String(k);
  drawSurface(cur.els.surface, v, k);
  drawCurve(cur.els.curve, v, k);
}

// Log-scaled loss in [0, 1] over the surface's range.
function scaler(view) {
  let lo = Infinity; let hi = -Infinity;
  for (const s of view.surface) { if (s < lo) lo = s; if (s > hi) hi = s; }
  const floor = Math.max(lo, 1e-12);
  const base = floor - Math.max(floor * 1e-3, 1e-12);
  const f = (s) => Math.log(Math.max(s - base, 1e-300));
  const a = f(floor); const b = f(Math.max(hi, floor * (1 + 1e-9)));
  return (s) => Math.min(1, Math.max(0, (f(s) - a) / Math.max(1e-12, b - a)));
}

// Dark blue (low) to yellow (high), through teal and green (a viridis-like ramp).
const RAMP = [[40, 24, 110], [45, 90, 150], [35, 145, 140], [90, 190, 95], [245, 225, 60]];
function colour(t) {
  const x = t * (RAMP.length - 1); const i = Math.min(RAMP.length - 2, Math.floor(x)); const u = x - i;
  return RAMP[i].map((c, j) => Math.round(c + u * (RAMP[i + 1][j] - c)));
}

function frame(w, h, ratio) {
  return { left: 62 * ratio, right: w - 14 * ratio, top: 12 * ratio, bottom: h - 44 * ratio };
}

function drawSurface(canvas, v, k) {
  const ratio = fit(canvas);
  const ctx = canvas.getContext('2d');
  const { width: w, height: h } = canvas;
  const dark = isDark();
  const fr = frame(w, h, ratio);
  const n = v.grid;
  const [x0, x1] = v.x_range; const [y0, y1] = v.y_range;
  const px = (x) => fr.left + ((x - x0) / (x1 - x0)) * (fr.right - fr.left);
  const py = (y) => fr.bottom - ((y - y0) / (y1 - y0)) * (fr.bottom - fr.top);
  ctx.clearRect(0, 0, w, h);
  const t = scaler(v);
  // The colour field: one image pixel per grid cell, smoothed when scaled up.
  const img = new ImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const c = colour(t(v.surface[j * n + i]));
      const o = 4 * ((n - 1 - j) * n + i);
      img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2]; img.data[o + 3] = 255;
    }
  }
  const off = new OffscreenCanvas(n, n);
  off.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  // Cell centres sit on the grid's points: the image spans half a cell beyond each side.
  const cw = (fr.right - fr.left) / (n - 1); const ch = (fr.bottom - fr.top) / (n - 1);
  ctx.save();
  ctx.beginPath(); ctx.rect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top); ctx.clip();
  ctx.drawImage(off, fr.left - cw / 2, fr.top - ch / 2, fr.right - fr.left + cw, fr.bottom - fr.top + ch);
  contours(ctx, v, t, px, py);
  path(ctx, v, k, px, py, ratio);
  ctx.restore();
  axes(ctx, fr, v, ratio, dark);
}

// Marching squares over the grid at evenly spaced (log-scaled) levels.
function contours(ctx, v, t, px, py) {
  const n = v.grid;
  const [x0, x1] = v.x_range; const [y0, y1] = v.y_range;
  const gx = (i) => x0 + ((x1 - x0) * i) / (n - 1); const gy = (j) => y0 + ((y1 - y0) * j) / (n - 1);
  const s = v.surface.map(t);
  ctx.strokeStyle = 'rgba(255,255,255,0.45)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let l = 1; l < LEVELS; l++) {
    const level = l / LEVELS;
    for (let j = 0; j + 1 < n; j++) {
      for (let i = 0; i + 1 < n; i++) {
        const c = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
        const val = c.map(([a, b]) => s[b * n + a]);
        const pts = [];
        for (let e = 0; e < 4; e++) {
          const p = val[e]; const q = val[(e + 1) % 4];
          if ((p < level) !== (q < level)) {
            const u = (level - p) / (q - p);
            const [a0, b0] = c[e]; const [a1, b1] = c[(e + 1) % 4];
            pts.push([px(gx(a0 + u * (a1 - a0))), py(gy(b0 + u * (b1 - b0)))]);
          }
        }
        for (let m = 0; m + 1 < pts.length; m += 2) { ctx.moveTo(...pts[m]); ctx.lineTo(...pts[m + 1]); }
      }
    }
  }
  ctx.stroke();
}

function path(ctx, v, k, px, py, ratio) {
  const pts = v.path.map(([x, y]) => [px(x), py(y)]);
  ctx.lineJoin = 'round';
  for (const [style, width] of [['rgba(0,0,0,0.7)', 3.5], ['#ffffff', 1.6]]) {
    ctx.strokeStyle = style; ctx.lineWidth = width * ratio;
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.stroke();
  }
  // One dot per epoch while they stay apart; the first 60 otherwise.
  ctx.fillStyle = '#ffffff';
  const dots = pts.length <= 120 ? pts : pts.slice(0, 60);
  for (const [x, y] of dots) { ctx.beginPath(); ctx.arc(x, y, 1.8 * ratio, 0, 2 * Math.PI); ctx.fill(); }
  // The start, ringed.
  ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 2 * ratio;
  ctx.beginPath(); ctx.arc(pts[0][0], pts[0][1], 6 * ratio, 0, 2 * Math.PI); ctx.stroke();
  // The minimum: a red cross with a white edge.
  const [ox, oy] = [px(v.optimum[0]), py(v.optimum[1])]; const r = 7 * ratio;
  for (const [style, width] of [['#ffffff', 4.5], ['#d1242f', 2.5]]) {
    ctx.strokeStyle = style; ctx.lineWidth = width * ratio;
    ctx.beginPath(); ctx.moveTo(ox - r, oy - r); ctx.lineTo(ox + r, oy + r); ctx.moveTo(ox - r, oy + r); ctx.lineTo(ox + r, oy - r); ctx.stroke();
  }
  // The highlighted epoch: an orange ring.
  const [hx, hy] = pts[k];
  ctx.strokeStyle = '#000000'; ctx.lineWidth = 4.5 * ratio;
  ctx.beginPath(); ctx.arc(hx, hy, 8 * ratio, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = '#ff9f1c'; ctx.lineWidth = 2.5 * ratio;
  ctx.beginPath(); ctx.arc(hx, hy, 8 * ratio, 0, 2 * Math.PI); ctx.stroke();
}

function ticks(lo, hi, count = 5) {
  const step0 = (hi - lo) / count; const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12 * Math.abs(step); v += step) out.push(Number(v.toPrecision(6)));
  return out;
}

function axes(ctx, fr, v, ratio, dark) {
  const ink = dark ? '#d0d7de' : '#1f2328';
  ctx.strokeStyle = ink; ctx.fillStyle = ink; ctx.lineWidth = ratio;
  ctx.strokeRect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  const [x0, x1] = v.x_range; const [y0, y1] = v.y_range;
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (const t of ticks(x0, x1)) {
    const x = fr.left + ((t - x0) / (x1 - x0)) * (fr.right - fr.left);
    ctx.beginPath(); ctx.moveTo(x, fr.bottom); ctx.lineTo(x, fr.bottom + 4 * ratio); ctx.stroke();
    ctx.fillText(fmt(t), x, fr.bottom + 6 * ratio);
  }
  ctx.fillText(v.axes[0], (fr.left + fr.right) / 2, fr.bottom + 22 * ratio);
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  for (const t of ticks(y0, y1)) {
    const y = fr.bottom - ((t - y0) / (y1 - y0)) * (fr.bottom - fr.top);
    ctx.beginPath(); ctx.moveTo(fr.left - 4 * ratio, y); ctx.lineTo(fr.left, y); ctx.stroke();
    ctx.fillText(fmt(t), fr.left - 6 * ratio, y);
  }
  ctx.save();
  ctx.translate(14 * ratio, (fr.top + fr.bottom) / 2); ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
  ctx.fillText(v.axes[1], 0, 0);
  ctx.restore();
}

// The loss curve's plot area across, in CSS pixels (for hit-testing; `frame` in device pixels).
function curveFrame(cssWidth) {
  return { left: 62, right: cssWidth - 14 };
}

function drawCurve(canvas, v, k) {
  const ratio = fit(canvas);
  const ctx = canvas.getContext('2d');
  const { width: w, height: h } = canvas;
  const dark = isDark();
  const fr = frame(w, h, ratio);
  ctx.clearRect(0, 0, w, h);
  const losses = v.path_loss.map((l) => Math.max(l, 1e-300));
  const lo = Math.min(v.optimum_loss > 0 ? v.optimum_loss : Infinity, ...losses);
  const hi = Math.max(...losses);
  const a = Math.log10(lo) - 0.05; const b = Math.max(Math.log10(hi), a + 0.1) + 0.05;
  const last = Math.max(1, losses.length - 1);
  const px = (i) => fr.left + (i / last) * (fr.right - fr.left);
  const py = (l) => fr.bottom - ((Math.log10(Math.max(l, 1e-300)) - a) / (b - a)) * (fr.bottom - fr.top);
  const ink = dark ? '#d0d7de' : '#1f2328';
  // The minimum, dashed.
  if (v.optimum_loss > 0) {
    ctx.strokeStyle = '#d1242f'; ctx.lineWidth = 1.2 * ratio; ctx.setLineDash([5 * ratio, 4 * ratio]);
    ctx.beginPath(); ctx.moveTo(fr.left, py(v.optimum_loss)); ctx.lineTo(fr.right, py(v.optimum_loss)); ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.strokeStyle = dark ? '#58a6ff' : '#0b63b6'; ctx.lineWidth = 2 * ratio;
  ctx.beginPath();
  losses.forEach((l, i) => (i ? ctx.lineTo(px(i), py(l)) : ctx.moveTo(px(i), py(l))));
  ctx.stroke();
  ctx.strokeStyle = '#ff9f1c'; ctx.lineWidth = 2.5 * ratio;
  ctx.beginPath(); ctx.arc(px(k), py(losses[k]), 6 * ratio, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = ink; ctx.fillStyle = ink; ctx.lineWidth = ratio;
  ctx.strokeRect(fr.left, fr.top, fr.right - fr.left, fr.bottom - fr.top);
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (const t of ticks(0, last).filter((t) => Number.isInteger(t))) ctx.fillText(String(t), px(t), fr.bottom + 6 * ratio);
  ctx.fillText('epoch', (fr.left + fr.right) / 2, fr.bottom + 22 * ratio);
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  // Powers of ten where the range spans one; else its two ends.
  const decades = [];
  for (let e = Math.ceil(a); e <= Math.floor(b); e++) decades.push(10 ** e);
  for (const t of decades.length ? decades : [10 ** (a + 0.05), 10 ** (b - 0.05)]) ctx.fillText(fmt(t), fr.left - 6 * ratio, py(t));
  ctx.save();
  ctx.translate(14 * ratio, (fr.top + fr.bottom) / 2); ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center'; ctx.fillText('training loss', 0, 0);
  ctx.restore();
}
