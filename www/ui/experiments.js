// Model selection beyond one run: k-fold cross-validation on the training rows, and a
// validation curve over one hyperparameter showing where training and validation
// scores part ways (overfitting): the results, fetched with the first (the buttons are
// main.js's).

import { el } from './dom.js';
import { drawSweep, saveButton } from './charts.js';

export function renderCv(root, r) {
  root.replaceChildren();
  if (!r) return;
  root.append(el('p', { 'data-view': 'cv' },
    `${r.scores.length}-fold cross-validation ${r.metric} on the training rows: `,
    el('strong', { 'data-cv-mean': r.mean }, `${r.mean.toFixed(3)} ± ${r.std.toFixed(3)}`),
    ` (folds: ${r.scores.map((s) => s.toFixed(3)).join(', ')})`));
}

export function renderSweep(root, r) {
  root.replaceChildren();
  if (!r) return;
  const canvas = el('canvas', { id: 'chart-validation-curve', role: 'img',
    'aria-label': `Validation curve: training and validation ${r.metric} for each ${r.param}` });
  const best = r.values[r.best];
  const gap = r.gap_opens === null || r.gap_opens === undefined ? null : r.values[r.gap_opens];
  const text = `Best validation ${r.metric} at ${r.param} = ${best}.`
    + (gap === null ? ' Training and validation scores stay close over this range.'
      : ` From ${r.param} = ${gap} on (red line) the model scores clearly better on its training rows than on new ones: it starts to overfit.`);
  root.append(el('figure', { class: 'chart' }, canvas,
    el('figcaption', {}, text, ' ', saveButton(canvas, 'validation-curve'))));
  drawSweep(canvas, r);
}
