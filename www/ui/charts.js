// Sizing canvases for the screen (device pixels, so charts stay crisp on high-DPI
// displays) and handing them to the Rust drawing code.

import { draw_scatter_plot, draw_loss_chart } from '../../pkg/mlplay.js';

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
