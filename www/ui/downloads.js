// The download buttons of a finished run: the predictions as CSV (made by the engine) and
// the run report (report.js, fetched on the first click), and saving a text as a file.

import { el } from './dom.js';

export function saveText(name, text, type) {
  const a = el('a', { download: name, href: URL.createObjectURL(new Blob([text], { type })) });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The row of export buttons; `onPredictions` and `onReport` are called on click. */
export function exportBar(onPredictions, onReport) {
  return el('div', { id: 'run-export', class: 'export-code' },
    el('span', { class: 'export-label' }, 'Download:'),
    el('button', { type: 'button', id: 'download-predictions', class: 'secondary small', disabled: true,
      title: 'Each row with its split, true value, prediction and class probabilities, as CSV', onclick: onPredictions }, 'Predictions CSV'),
    el('button', { type: 'button', id: 'download-report', class: 'secondary small', disabled: true,
      title: 'One HTML file with the settings, the link, the metrics and the charts of this run', onclick: onReport }, 'Report (HTML)'));
}

/** Enable the buttons once a run is finished; predictions only for models that learn a target. */
export function enableExports(done, supervised) {
  const p = document.getElementById('download-predictions');
  const r = document.getElementById('download-report');
  if (p) { p.disabled = !(done && supervised); p.hidden = !supervised; }
  if (r) r.disabled = !done;
}
