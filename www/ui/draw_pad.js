// Draw a digit (or a shape): a pad for mouse, pen and touch. The strokes go to the worker,
// which reduces them to the set's own format (8x8 counts 0-16 for digits) and asks the
// trained model; the page shows the image as the model sees it, the class probabilities,
// the median time of one prediction over the last ten, and the model's size.

import { el, formatBytes } from './dom.js';
import { ToWorker } from './worker_messages.js';

const PAD_CSS = 220; // the pad's side in CSS pixels
const LATENCIES_KEPT = 10;

let pad = null;          // { box, canvas, ctx, seen, result } while an image set is shown
let strokes = [];        // polylines [[x, y], ...] in the pad's CSS pixels
let inFlight = false;
let dirty = false;       // strokes changed while a request was in flight
let latencies = [];      // µs of the last predictions
let pageRef = null;
let gallery = null;

function send() {
  if (!pad || !pageRef) return;
  if (inFlight) { dirty = true; return; }
  inFlight = true;
  dirty = false;
  pageRef.trainer.send(ToWorker.DRAWING, { strokes: strokes.filter((s) => s.length) });
}

function redrawPad() {
  const { canvas, ctx } = pad;
  const scale = canvas.width / PAD_CSS;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, PAD_CSS, PAD_CSS);
  ctx.strokeStyle = '#111111';
  ctx.fillStyle = '#111111';
  ctx.lineWidth = PAD_CSS * 0.07;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    ctx.beginPath();
    ctx.moveTo(s[0][0], s[0][1]);
    for (const [x, y] of s.slice(1)) ctx.lineTo(x, y);
    if (s.length === 1) ctx.lineTo(s[0][0] + 0.01, s[0][1]);
    ctx.stroke();
  }
}

function listen(canvas) {
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * PAD_CSS) / r.width, ((e.clientY - r.top) * PAD_CSS) / r.height];
  };
  let drawing = false;
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    canvas.setPointerCapture?.(e.pointerId);
    drawing = true;
    strokes.push([at(e)]);
    redrawPad();
    send();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    strokes[strokes.length - 1].push(at(e));
    redrawPad();
    send();
  });
  const end = () => { if (drawing) { drawing = false; send(); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
}

function clearPad() {
  strokes = [];
  redrawPad();
  showResult(null);
}

// Grey pixels, full ink dark on a light background (as digits are usually shown).
export function paintPixels(canvas, pixels, w, h, max) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  pixels.forEach((v, i) => {
    const g = 255 - Math.round(255 * Math.min(1, Math.max(0, (Number(v) || 0) / (max || 1))));
    img.data.set([g, g, g, 255], i * 4);
  });
  ctx.putImageData(img, 0, 0);
}

// Build the pad under the gallery in `root` for the gallery `g` (see gallery.js).
export function showPad(root, page, g) {
  pageRef = page;
  gallery = g;
  latencies = [];
  strokes = [];
  const canvas = el('canvas', { class: 'draw-pad', 'data-view': 'draw-pad', role: 'img', tabindex: 0,
    'aria-label': 'Drawing pad: draw with the mouse, a pen or a finger' });
  const dpr = window.devicePixelRatio || 1;
  canvas.width = canvas.height = Math.round(PAD_CSS * dpr);
  const seen = el('canvas', { class: 'pixel-image seen-image', width: g.width, height: g.height, role: 'img',
    'aria-label': `Your drawing as the model sees it: ${g.width} x ${g.height} pixels` });
  const clear = el('button', { type: 'button', class: 'secondary' }, 'Clear');
  clear.addEventListener('click', clearPad);
  const result = el('div', { class: 'draw-result', 'data-view': 'draw-result', 'aria-live': 'polite' });
  const box = el('div', { class: 'draw-box' },
    el('h3', {}, 'Draw one yourself'),
    el('p', { class: 'note' }, `Draw in the white square. Your drawing is resized to fill the frame, centred, and cut into ${g.width} x ${g.height} pixels, `
      + `the format of this set's images; any model trained on this set then predicts as you draw.`),
    el('div', { class: 'draw-row' },
      el('div', { class: 'draw-col' }, canvas, clear),
      el('figure', { class: 'draw-col seen' }, seen, el('figcaption', {}, 'What the model sees')),
      result));
  root.append(box);
  pad = { box, canvas, ctx: canvas.getContext('2d'), seen, result };
  redrawPad();
  listen(canvas);
  showResult(null);
}

export function hidePad() {
  pad = null;
  strokes = [];
}

// Training moved on (or finished): answer the current drawing with the model as it is now.
export function refreshPad() {
  if (pad && strokes.length) send();
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const micros = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(us < 10 ? 2 : 1)} µs`);

// The worker's answer: `{ pixels, width, height, max_value, answer }` (see crates/app/src/web/images.rs).
export function showDrawing(r) {
  inFlight = false;
  if (!pad) return;
  if (dirty) send();
  showResult(r);
}

// A request failed: let the next stroke try again.
export function drawingFailed() { inFlight = false; }

function showResult(r) {
  if (!pad) return;
  const { seen, result } = pad;
  if (!r || !strokes.length) {
    paintPixels(seen, new Array(gallery.width * gallery.height).fill(0), gallery.width, gallery.height, 1);
    result.replaceChildren(el('p', { class: 'note' }, 'Draw something to see the model\'s answer.'));
    return;
  }
  if (r.width !== seen.width || r.height !== seen.height) { seen.width = r.width; seen.height = r.height; }
  paintPixels(seen, r.pixels, r.width, r.height, r.max_value);
  const a = r.answer;
  if (!a) {
    result.replaceChildren(el('p', { class: 'note' }, 'No trained classifier yet: train one on this set (logistic regression, a forest, a network...) and it answers here as you draw.'));
    return;
  }
  latencies.push(a.micros);
  if (latencies.length > LATENCIES_KEPT) latencies.shift();
  const fit = pageRef?.report?.timing?.fit_ms;
  const cost = el('p', { class: 'note draw-cost', 'data-view': 'draw-cost' },
    `One prediction: ${micros(median(latencies))} (median of the last ${latencies.length}; each timed over ${a.repeats.toLocaleString()} repeats, as the browser's clock is coarse). `,
    `Model size: ${formatBytes(a.model_bytes)}.`, Number.isFinite(fit) ? ` Training took ${(fit / 1000).toFixed(2)} s.` : '');
  if (!a.classes.length) {
    result.replaceChildren(el('p', { class: 'draw-answer' }, 'The model predicts ', el('strong', { 'data-view': 'draw-predicted' }, a.predicted)), cost);
    return;
  }
  const best = a.proba.indexOf(Math.max(...a.proba));
  const bars = el('div', { class: 'proba-bars', role: 'list', 'aria-label': 'The model\'s probability for each class' },
    a.classes.map((c, i) => el('div', { class: `proba-row${i === best ? ' best' : ''}`, role: 'listitem' },
      el('span', { class: 'proba-name' }, c),
      el('span', { class: 'proba-track' }, el('span', { class: 'proba-fill', style: `width:${(100 * a.proba[i]).toFixed(1)}%` })),
      el('span', { class: 'proba-value' }, `${(100 * a.proba[i]).toFixed(1)}%`))));
  result.replaceChildren(
    el('p', { class: 'draw-answer' }, 'The model says ', el('strong', { 'data-view': 'draw-predicted' }, a.predicted),
      ` (${(100 * a.proba[best]).toFixed(1)}%)`), bars, cost);
}
