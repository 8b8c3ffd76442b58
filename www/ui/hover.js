// The row under the mouse on the scatter plot: found from the plot as last drawn, its
// cells asked of the worker and shown in a tip next to the pointer.

import { $, el } from './dom.js';
import { nearestPoint } from './charts.js';

let hovered = -1;

// `plotted()`: { x, y, rows | stride, frame } of the plot as drawn, or null;
// `ask(row)`: request that row's cells (they come back to showRowTip).
export function attachHover(canvas, plotted, ask) {
  canvas.addEventListener('mousemove', (e) => {
    const p = plotted();
    const i = nearestPoint(canvas, p?.frame, p, e.offsetX, e.offsetY);
    const row = i < 0 ? -1 : p.rows ? p.rows[i] : i * p.stride;
    if (row === hovered) return;
    hovered = row;
    if (row < 0) { $('row-tip').hidden = true; return; }
    $('row-tip').style.left = `${e.offsetX + 14}px`;
    $('row-tip').style.top = `${e.offsetY + 8}px`;
    ask(row);
  });
  canvas.addEventListener('mouseleave', () => { hovered = -1; $('row-tip').hidden = true; });
}

export function showRowTip(index, cells) {
  if (index !== hovered) return;
  const tipBox = $('row-tip');
  const shown = cells.slice(0, 12);
  tipBox.replaceChildren(el('strong', {}, `Row ${index + 1}`),
    el('dl', {}, shown.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v === 'NaN' ? '(missing)' : v)])),
    cells.length > 12 ? el('p', {}, `… and ${cells.length - 12} more columns`) : null);
  tipBox.hidden = false;
}
