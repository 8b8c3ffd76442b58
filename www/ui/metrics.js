// The numbers after training: metrics per split and the cost of the model.

import { el, infoTip } from './dom.js';
import { tip, title } from './glossary_results.js';

const fmt = (v) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');
// Ranking scores need both classes among the rows; with one, they do not exist.
const RANKING = new Set(['roc_auc', 'roc_auc_ovr', 'average_precision']);
// Scores about one class: with two classes, the second one (the positive class), named in
// the label so that nobody reads "recall" as being about the class the story is about.
const ABOUT_POSITIVE = new Set(['precision', 'recall', 'f1', 'average_precision']);
const cell = (part, n) => (n in part ? fmt(part[n]) : RANKING.has(n) ? 'undefined (one class)' : 'n/a');

export function renderMetrics(root, report, testRows, testCount = 0) {
  root.replaceChildren();
  if (!report) return;
  const names = Object.keys(report.metrics.train);
  const base = report.baseline?.validation ?? {};
  const test = report.metrics.test;
  const classes = report.explanation?.class_names ?? [];
  const positive = classes.length === 2 ? classes[1] : null;
  const label = (n) => (positive && ABOUT_POSITIVE.has(n) ? `${title(n)} (${positive})` : title(n));
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Metric'), el('th', { scope: 'col' }, 'Train'), el('th', { scope: 'col' }, 'Validation'),
    test ? el('th', { scope: 'col', class: 'test-col' }, 'Test') : null,
    el('th', { scope: 'col' }, el('span', { class: 'with-tip' }, 'Baseline', infoTip('baseline', tip('baseline')))));
  const rows = names.map((n) => el('tr', { 'data-metric': n },
    el('th', { scope: 'row' }, el('span', { class: 'with-tip' }, label(n), infoTip(title(n), tip(n) || n))),
    el('td', { 'data-split': 'train' }, cell(report.metrics.train, n)),
    el('td', { 'data-split': 'validation' }, cell(report.metrics.validation, n)),
    test ? el('td', { 'data-split': 'test', class: 'test-col' }, cell(test, n)) : null,
    el('td', { 'data-split': 'baseline', class: 'baseline' }, n in base ? fmt(base[n]) : '—')));
  root.append(el('table', { class: 'metrics-table' },
    el('caption', {}, `${report.model} on ${report.dataset}${positive ? ` (positive class: ${positive})` : ''}`),
    el('thead', {}, head), el('tbody', {}, rows)));

  const t = report.timing;
  const cost = [
    ['fit_ms', `${t.fit_ms.toFixed(1)} ms`],
    ['predict_us_per_row', `${t.predict_us_per_row.toFixed(3)} µs / row in a batch`],
    ['latency', `${t.latency_us_p50.toFixed(2)} µs median, ${t.latency_us_p99.toFixed(2)} µs p99, one row at a time`],
    ['model_bytes', `${t.model_bytes.toLocaleString()} bytes`],
  ];
  root.append(el('dl', { class: 'cost' }, cost.map(([k, v]) => [
    el('dt', {}, title(k), infoTip(title(k), tip(k))), el('dd', { 'data-cost': k }, v)])));
  if (test) {
    root.append(el('p', { class: testCount > 1 ? 'warning' : 'note', 'data-view': 'test-count' }, testCount > 1
      ? `Test set evaluated ${testCount} times: choosing settings by these numbers has tuned on the test rows, so they are optimistic.`
      : `Final evaluation on the ${testRows} test rows (evaluated once). Change anything and the test set locks again.`));
  } else if (testCount > 0) {
    root.append(el('p', { class: 'note', 'data-view': 'test-count' },
      `The test set was evaluated ${testCount} time${testCount > 1 ? 's' : ''} with other settings; it is locked again until a new final evaluation.`));
  } else {
    root.append(el('p', { class: 'note' },
      `The test set (${testRows} rows) stays locked while you tune, so it can give one honest final score.`));
  }
  for (const n of report.notes) root.append(el('p', { class: 'note' }, n));
}
