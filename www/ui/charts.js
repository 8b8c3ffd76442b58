// Sizing canvases for the screen (device pixels, so charts stay crisp on high-DPI
// displays) and handing them to the Rust drawing code, one chart per task.

import { draw_scatter_plot, draw_loss_chart, draw_curve_chart, draw_xy_chart, draw_sweep_chart } from './core.js';

// One query kept: making one per drawing showed in profiles.
const darkQuery = matchMedia('(prefers-color-scheme: dark)');
export const isDark = () => darkQuery.matches;

// Each canvas's size in CSS pixels, kept by an observer: reading clientWidth while drawing
// forced a layout of the whole page in the middle of every redraw.
const cssSize = new WeakMap();
const watch = new ResizeObserver((entries) => {
  for (const e of entries) cssSize.set(e.target, [e.contentRect.width, e.contentRect.height]);
});

export function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  let size = cssSize.get(canvas);
  if (!size) {
    size = [canvas.clientWidth, canvas.clientHeight];
    if (canvas.isConnected) { cssSize.set(canvas, size); watch.observe(canvas); }
  }
  const w = Math.max(1, Math.round(size[0] * ratio));
  const h = Math.max(1, Math.round(size[1] * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  return ratio;
}

// Drawings wait for a task of their own, and only a canvas's latest one is drawn: snapshots
// arrive faster than charts need redrawing, and a message that redrew several charts (and
// rasterised them all) was one long main-thread task.
const queue = new Map(); // canvas -> () => void
function drainOne() {
  const [canvas, draw] = queue.entries().next().value;
  queue.delete(canvas);
  if (queue.size) setTimeout(drainOne, 0);
  try {
    draw();
  } catch (e) {
    console.error('drawing failed:', e);
  }
}
export function queueDraw(canvas, draw) {
  if (!queue.size) setTimeout(drainOne, 0);
  queue.set(canvas, draw);
}

const none = new Float64Array(0);

// `drawn(frame)` gets the plot frame [x0, x1, y0, y1, left, top, right, bottom] (device
// pixels) for hit-testing, once drawn.
export function drawScatter(canvas, d, drawn = () => {}) {
  queueDraw(canvas, () => {
    const ratio = fit(canvas);
    drawn(draw_scatter_plot(canvas, d.x, d.y, d.labels, d.classNames, d.xName, d.yName, d.surface ?? none,
      d.values ?? none, d.kinds ?? new Uint8Array(0), d.centers ?? none, isDark(), ratio));
  });
}

// The index (into d.x / d.y) of the point nearest the mouse, within `reach` CSS pixels.
export function nearestPoint(canvas, frame, d, offsetX, offsetY, reach = 8) {
  if (!frame || !d) return -1;
  const r = canvas.width / Math.max(1, canvas.clientWidth);
  const [x0, x1, y0, y1, left, top, right, bottom] = frame;
  const px = (v) => left + ((v - x0) / (x1 - x0)) * (right - left);
  const py = (v) => bottom - ((v - y0) / (y1 - y0)) * (bottom - top);
  const mx = offsetX * r; const my = offsetY * r;
  let best = -1; let bestD = (reach * r) ** 2;
  for (let i = 0; i < d.x.length; i++) {
    const dd = (px(d.x[i]) - mx) ** 2 + (py(d.y[i]) - my) ** 2;
    if (dd < bestD) { bestD = dd; best = i; }
  }
  return best;
}

export function drawLoss(canvas, train, validation, yLabel = 'log-loss', xLabel = 'epoch') {
  queueDraw(canvas, () => {
    const ratio = fit(canvas);
    draw_loss_chart(canvas, Float64Array.from(train), Float64Array.from(validation), xLabel, yLabel, isDark(), ratio);
  });
}

export function drawCurve(canvas, d) {
  queueDraw(canvas, () => {
    const ratio = fit(canvas);
    draw_curve_chart(canvas, Float64Array.from(d.x), Float64Array.from(d.y), d.xLabel, d.yLabel,
      d.mark ?? -1, d.best ?? -1, Boolean(d.unitSquare), Boolean(d.diagonal), isDark(), ratio);
  });
}

export function drawXY(canvas, d) {
  queueDraw(canvas, () => {
    const ratio = fit(canvas);
    draw_xy_chart(canvas, Float64Array.from(d.x), Float64Array.from(d.y), d.xLabel, d.yLabel, Boolean(d.identity), isDark(), ratio);
  });
}

// A "Save PNG" button for a chart: the canvas as drawn, at its device resolution.
export function saveButton(canvas, name) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary small save-png';
  b.textContent = 'Save PNG';
  b.setAttribute('aria-label', `Save the ${name.replace(/-/g, ' ')} chart as a PNG image`);
  b.addEventListener('click', () => canvas.toBlob((blob) => {
    if (!blob) return; // a canvas of zero size has no image
    const a = document.createElement('a');
    a.download = `mlplay-${name}.png`;
    a.href = URL.createObjectURL(blob);
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png'));
  return b;
}

export function drawSweep(canvas, r) {
  queueDraw(canvas, () => {
    const ratio = fit(canvas);
    draw_sweep_chart(canvas, r.values.map((v) => String(v)), Float64Array.from(r.train), Float64Array.from(r.validation),
      r.param, r.metric, r.best ?? -1, r.gap_opens ?? -1, isDark(), ratio);
  });
}
