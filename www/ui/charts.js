// Sizing canvases for the screen (device pixels, so charts stay crisp on high-DPI
// displays) and handing them to the Rust drawing code.

import { draw_scatter_plot, draw_loss_chart, draw_curve_chart, draw_xy_chart, draw_sweep_chart } from '../../pkg/mlplay.js';

export const isDark = () => matchMedia('(prefers-color-scheme: dark)').matches;

function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  return ratio;
}

export function drawScatter(canvas, d) {
  const ratio = fit(canvas);
  draw_scatter_plot(canvas, d.x, d.y, d.labels, d.classNames, d.xName, d.yName, d.surface ?? new Float64Array(0), isDark(), ratio);
}

export function drawLoss(canvas, train, validation, yLabel = 'log-loss', xLabel = 'epoch') {
  const ratio = fit(canvas);
  draw_loss_chart(canvas, Float64Array.from(train), Float64Array.from(validation), xLabel, yLabel, isDark(), ratio);
}

export function drawCurve(canvas, d) {
  const ratio = fit(canvas);
  draw_curve_chart(canvas, Float64Array.from(d.x), Float64Array.from(d.y), d.xLabel, d.yLabel,
    d.mark ?? -1, d.best ?? -1, Boolean(d.unitSquare), Boolean(d.diagonal), isDark(), ratio);
}

export function drawXY(canvas, d) {
  const ratio = fit(canvas);
  draw_xy_chart(canvas, Float64Array.from(d.x), Float64Array.from(d.y), d.xLabel, d.yLabel, Boolean(d.identity), isDark(), ratio);
}

// A "Save PNG" button for a chart: the canvas as drawn, at its device resolution.
export function saveButton(canvas, name) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary small save-png';
  b.textContent = 'Save PNG';
  b.setAttribute('aria-label', `Save the ${name.replace(/-/g, ' ')} chart as a PNG image`);
  b.addEventListener('click', () => {
    const a = document.createElement('a');
    a.download = `mlplay-${name}.png`;
    a.href = canvas.toDataURL('image/png');
    a.click();
  });
  return b;
}

export function drawSweep(canvas, r) {
  const ratio = fit(canvas);
  draw_sweep_chart(canvas, r.values.map((v) => String(v)), Float64Array.from(r.train), Float64Array.from(r.validation),
    r.param, r.metric, r.best ?? -1, r.gap_opens ?? -1, isDark(), ratio);
}
