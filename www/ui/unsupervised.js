// Clusterings and projections on the page: what the scatter plot shows while they fit
// (clusters and k-means centres moving, DBSCAN's core/border/noise, the embedding taking
// shape), their scores, the charts that help choose k, eps and the number of components,
// and the exports. Fetched when such a kind is first chosen (ui/lazy.js).

import { el, infoTip } from './dom.js';
import { tip, title } from './glossary_results.js';
import { drawCurve, saveButton } from './charts.js';
import { ToWorker } from './worker_messages.js';

// The 3-D cloud of a projection, for the scatter plot (which reaches it only here).
export { draw3d } from './scatter3d.js';

export const familyOf = (catalog, kind) => catalog.models.find((m) => m.kind === kind)?.family ?? 'supervised';

const NOISE = -1;

// The views a kind's catalog entry may offer (`views`); tests/kinds.rs checks the core
// names none the page does not know. The helper charts: [message, button, its title].
export const VIEWS = ['centres', 'elbow', 'k_distance', 'scree', 'three_d', 'tree', 'self_training'];
const HELPERS = {
  elbow: [ToWorker.ELBOW, 'Elbow chart (k = 1 to 10)', 'Fit k-means for k = 1 to 10 and chart inertia and silhouette, to help choose k'],
  k_distance: [ToWorker.K_DISTANCE, 'k-distance chart', 'Chart every row\'s distance to its min_samples-th nearest row, to help choose eps'],
  scree: [ToWorker.PCA_DETAILS, 'Scree chart and loadings', 'Chart the variance each component explains and which features drive them'],
};
const offers = (info, view) => Boolean(info?.views?.includes(view));
const axisName = (info, i) => (info?.axis ?? 'axis {}').replace('{}', String(i));

let fit = null;      // { rows, labels, embedding, width, kinds } from the worker
let report = null;
let colourBy = null; // 'cluster' | 'target' | 'feature:<i>'
let colourFamily = null; // the family colourBy was chosen for
let pcaRatios = null;
let view3d = false;  // PCA: the first three components as a turnable cloud

export function resetFit() {
  fit = null;
  report = null;
  pcaRatios = null;
}

export const hasFit = () => Boolean(fit);
export const fittedRows = () => fit?.rows ?? null;

export function updateFit(m) {
  fit = m;
}

// k-means centres on the plot's axes: the mean of each cluster's points there, which is
// exactly where the centre sits after the step (the plot's axes are affine in the features).
function centres(x, y, labels) {
  const k = labels.reduce((a, c) => Math.max(a, c), -1) + 1;
  const sum = new Float64Array(3 * k);
  labels.forEach((c, i) => {
    if (c < 0 || !Number.isFinite(x[i]) || !Number.isFinite(y[i])) return;
    sum[3 * c] += x[i]; sum[3 * c + 1] += y[i]; sum[3 * c + 2] += 1;
  });
  const out = [];
  for (let c = 0; c < k; c++) if (sum[3 * c + 2] > 0) out.push(sum[3 * c] / sum[3 * c + 2], sum[3 * c + 1] / sum[3 * c + 2]);
  return new Float64Array(out);
}

// What to colour the points by, given the family and data: the clusters first for a
// clustering, the class for a projection of labelled data, else the first feature.
function colouring(family, summary) {
  const options = [];
  if (family === 'clustering') options.push(['cluster', 'the clusters']);
  if (summary.class_names.length) options.push(['target', `${summary.target_name} (the labels)`]);
  summary.feature_names.forEach((n, i) => options.push([`feature:${i}`, n]));
  // Labels kept from a t-SNE once made DBSCAN's single cluster look like a clean split:
  // renderPanel clears the choice when the family changes.
  if (!options.some(([v]) => v === colourBy)) colourBy = options[0]?.[0] ?? null;
  return options;
}

/**
 * The scatter plot's content for a clustering or projection, or null to draw the plain
 * data. `base` holds the plot's usual x, y (per dataset row) and names.
 */
export function scatterFor(family, info, data, base) {
  if (!fit) return null;
  const s = data.summary;
  const rows = fit.rows;
  const n = rows.length;
  let x; let y; let xName = base.xName; let yName = base.yName;
  if (family === 'projection' && fit.embedding.length >= n * fit.width && fit.width >= 2) {
    x = new Float64Array(n); y = new Float64Array(n);
    for (let i = 0; i < n; i++) { x[i] = fit.embedding[fit.width * i]; y[i] = fit.embedding[fit.width * i + 1]; }
    const pct = (k) => (pcaRatios ? ` (${(100 * pcaRatios[k]).toFixed(0)}% of the variance)` : '');
    xName = `${axisName(info, 1)}${pct(0)}`;
    yName = `${axisName(info, 2)}${pct(1)}`;
  } else if (family === 'projection') {
    return null;
  } else {
    x = Float64Array.from(rows, (r) => base.x[r]);
    y = Float64Array.from(rows, (r) => base.y[r]);
  }
  const out = { x, y, xName, yName, rows, labels: new Uint32Array(0), classNames: [], values: new Float64Array(0), kinds: new Uint8Array(0), centers: new Float64Array(0) };
  const clusters = fit.labels.length === n ? fit.labels : null;
  if (colourBy === 'cluster' && clusters) {
    const k = clusters.reduce((a, c) => Math.max(a, c), -1) + 1;
    out.labels = Uint32Array.from(clusters, (c) => (c === NOISE ? 0 : c));
    out.classNames = Array.from({ length: k }, (_, c) => `cluster ${c}`);
    if (fit.kinds.length === n) out.kinds = fit.kinds;
  } else if (colourBy === 'target' && data.labels.length) {
    out.labels = Uint32Array.from(rows, (r) => data.labels[r]);
    out.classNames = s.class_names;
  } else if (colourBy?.startsWith('feature:')) {
    const f = data.features[Number(colourBy.slice(8))];
    if (f) out.values = Float64Array.from(rows, (r) => f[r]);
  }
  if (offers(info, 'centres') && clusters) out.centers = centres(x, y, clusters);
  out.caption = caption(info, s, n);
  if (offers(info, 'three_d') && view3d) {
    if (fit.width === 3) {
      const z = Float64Array.from({ length: n }, (_, i) => fit.embedding[3 * i + 2]);
      const finite = Array.from(out.values).filter(Number.isFinite);
      out.threeD = { x: Array.from(x), y: Array.from(y), z: Array.from(z), labels: out.labels, values: out.values,
        lo: Math.min(...finite), hi: Math.max(...finite), names: [1, 2, 3].map((i) => axisName(info, i)) };
      out.caption += ' Drag the plot (or focus it and use the arrow keys) to turn it.';
    } else {
      out.caption += ' The 3-D view needs n_components of 3 or more.';
    }
  }
  return out;
}

function caption(info, s, n) {
  const by = colourBy === 'cluster' ? 'coloured by cluster' : colourBy === 'target' ? `coloured by ${s.target_name}`
    : `coloured by ${s.feature_names[Number(colourBy?.slice(8))] ?? ''} (blue low, orange high)`;
  const extra = info?.picture_note ? ` ${info.picture_note}` : '';
  return `${n.toLocaleString()} rows, ${by}.${extra}`;
}

// ---- the panel under the charts ---------------------------------------------------

const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4)) : 'n/a');

function metricsTable(r) {
  const rows = Object.entries(r.metrics).map(([n, v]) => el('tr', { 'data-metric': n },
    el('th', { scope: 'row' }, el('span', { class: 'with-tip' }, title(n), infoTip(title(n), tip(n) || n))),
    el('td', {}, Number.isInteger(v) ? String(v) : fmt(v))));
  return el('table', { class: 'metrics-table' },
    el('caption', {}, `${r.model} on ${r.dataset} (${r.rows.toLocaleString()} rows, fitted in ${r.timing.fit_ms < 1000 ? `${r.timing.fit_ms.toFixed(0)} ms` : `${(r.timing.fit_ms / 1000).toFixed(2)} s`})`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Score'), el('th', { scope: 'col' }, 'Value'))),
    el('tbody', {}, rows));
}

/**
 * The unsupervised panel: colour picker, scores, helper charts and exports. `ask(type,
 * payload)` sends to the worker; `redraw()` redraws the scatter plot.
 */
export function renderPanel(root, { family, info, data, ask, redraw }) {
  // A colouring chosen under another family (a supervised model between counts) goes
  // back to this family's natural default.
  if (family !== colourFamily) colourBy = null;
  colourFamily = family;
  root.replaceChildren();
  root.hidden = family === 'supervised';
  if (root.hidden || !data) return;
  const options = colouring(family, data.summary);
  const select = el('select', { id: 'colour-by' }, options.map(([v, t]) => el('option', { value: v, selected: v === colourBy }, t)));
  select.addEventListener('change', () => { colourBy = select.value; redraw(); });
  const controls = el('div', { class: 'unsup-controls' },
    el('label', { for: 'colour-by' }, 'Colour points by '), select);
  const exportBtn = el('button', { type: 'button', class: 'secondary', id: 'export-csv', disabled: !fit,
    title: 'Download every row with its cluster and/or coordinates as a CSV file' }, family === 'clustering' ? 'Download clusters (CSV)' : 'Download coordinates (CSV)');
  exportBtn.addEventListener('click', () => ask(ToWorker.EXPORT));
  controls.append(exportBtn);
  if (family === 'clustering') {
    const add = el('button', { type: 'button', class: 'secondary', id: 'add-clusters', disabled: !report,
      title: 'Add the cluster of each row to the data as a new text column, so a model can use it' }, 'Add clusters as a column');
    add.addEventListener('click', () => ask(ToWorker.ADD_CLUSTERS));
    controls.append(add);
  }
  const helper = el('div', { id: 'unsup-helper', class: 'chart-grid' });
  const helperButton = Object.entries(HELPERS).find(([view]) => offers(info, view))?.[1];
  if (offers(info, 'three_d')) {
    const box = el('input', { type: 'checkbox', id: 'pca-3d', checked: view3d });
    box.addEventListener('change', () => { view3d = box.checked; redraw(); });
    controls.append(el('label', { class: 'inline' }, box, ` 3-D view of ${axisName(info, 1)} to ${axisName(info, 3)}`));
  }
  if (helperButton) {
    const b = el('button', { type: 'button', class: 'secondary', id: 'unsup-helper-button', disabled: !fit, title: helperButton[2] }, helperButton[1]);
    b.addEventListener('click', () => ask(helperButton[0]));
    controls.append(b);
  }
  root.append(controls, el('div', { id: 'unsup-metrics', class: 'metrics' }, report ? metricsTable(report) : null), helper);
}

// What the page asks the worker for once a kind has fitted (PCA: its scree chart), or null.
export const requestAfterFit = (info) => (offers(info, 'scree') ? ToWorker.PCA_DETAILS : null);

export function showReport(root, r) {
  report = r;
  const ratios = Object.keys(r.metrics).filter((k) => /^explained_variance_ratio_\d+$/.test(k)).map((k) => r.metrics[k]);
  if (ratios.length >= 2) pcaRatios = ratios;
  const box = root.querySelector('#unsup-metrics');
  if (box) box.replaceChildren(metricsTable(r));
  root.querySelector('#add-clusters')?.removeAttribute('disabled');
  root.querySelector('#export-csv')?.removeAttribute('disabled');
  root.querySelector('#unsup-helper-button')?.removeAttribute('disabled');
}

export function enableFitButtons(root) {
  root.querySelector('#export-csv')?.removeAttribute('disabled');
  root.querySelector('#unsup-helper-button')?.removeAttribute('disabled');
}

function chart(id, label, caption, d) {
  const canvas = el('canvas', { id, role: 'img', 'aria-label': label });
  const fig = el('figure', { class: 'chart' }, canvas, el('figcaption', {}, caption));
  return { fig, draw: () => drawCurve(canvas, d), canvas };
}

function showCharts(root, charts) {
  const box = root.querySelector('#unsup-helper');
  if (!box) return;
  box.replaceChildren(...charts.map((c) => { c.fig.append(saveButton(c.canvas, c.canvas.id)); return c.fig; }));
  charts.forEach((c) => c.draw());
}

// The knee of a convex curve (an elbow chart's inertia falling, a k-distance chart's
// distances rising): with both axes scaled to 0..1, the point furthest below the straight
// line from the first point to the last (Satopää et al.'s "Kneedle"). -1 if there is none.
export function knee(x, y) {
  const n = Math.min(x.length, y.length);
  if (n < 3) return -1;
  const [x0, x1] = [x[0], x[n - 1]];
  const lo = Math.min(...y.slice(0, n)); const hi = Math.max(...y.slice(0, n));
  if (!(x1 > x0) || !(hi > lo)) return -1;
  const rising = y[n - 1] > y[0];
  let best = -1; let gap = 0;
  for (let i = 1; i < n - 1; i++) {
    const t = (x[i] - x0) / (x1 - x0);
    const v = (y[i] - lo) / (hi - lo);
    const below = (rising ? t : 1 - t) - v;
    if (below > gap) { gap = below; best = i; }
  }
  return best;
}

// Sets a hyperparameter as its field would (so the state, the link and the checks see it)
// and trains: a suggestion is one click to try.
function tryParam(name, value) {
  const box = document.getElementById(`param-${name}`);
  if (!box) return;
  box.value = String(value);
  box.dispatchEvent(new Event('change', { bubbles: true }));
  document.getElementById('play')?.click();
}

function suggestion(root, id, text, label, onClick) {
  const b = el('button', { type: 'button', class: 'secondary small', id }, label);
  b.addEventListener('click', onClick);
  root.querySelector('#unsup-helper')?.append(el('p', { class: 'note suggestion' }, text, ' ', b));
}

export function showElbow(root, result, chosenK) {
  const ks = result.map((r) => r[0]);
  const sil = result.filter((r) => r[2] !== null);
  const best = sil.reduce((b, r) => (r[2] > b[2] ? r : b), sil[0] ?? [NaN, NaN, -Infinity]);
  showCharts(root, [
    chart('elbow-inertia', 'Elbow chart: inertia against k', `Inertia (within-cluster spread) against k. It always falls; look for the bend where adding a cluster stops paying. Marked: k = ${chosenK}.`,
      { x: ks, y: result.map((r) => r[1]), xLabel: 'k (n_clusters)', yLabel: 'inertia', mark: ks.indexOf(chosenK) }),
    chart('elbow-silhouette', 'Silhouette against k', `Silhouette against k (higher: tighter, better separated clusters). Best here: k = ${best[0]}.`,
      { x: sil.map((r) => r[0]), y: sil.map((r) => r[2]), xLabel: 'k (n_clusters)', yLabel: 'silhouette', best: sil.indexOf(best) }),
  ]);
  const at = knee(ks, result.map((r) => r[1]));
  if (at < 0) return;
  const k = ks[at];
  suggestion(root, 'try-k', `The elbow bends at k = ${k}${k === best[0] ? ', where the silhouette is best too' : ''}${k === chosenK ? ' (the k you have)' : ''}.`,
    `Try k = ${k}`, () => tryParam('n_clusters', k));
}

export function showKDistance(root, k, distances, eps) {
  const over = distances.findIndex((d) => d > eps);
  const noiseShare = over < 0 ? 0 : (distances.length - over) / distances.length;
  showCharts(root, [
    chart('k-distance', 'k-distance chart', `Each row's distance to its ${k}-th nearest row (itself counted), sorted. Rows right of the mark (distance > eps = ${eps}) are not core points: ${(100 * noiseShare).toFixed(0)}% of rows. A good eps sits at the knee, where the curve turns up.`,
      { x: Array.from(distances, (_, i) => i + 1), y: Array.from(distances), xLabel: 'rows, sorted', yLabel: `distance to neighbour ${k}`, mark: over < 0 ? distances.length - 1 : over }),
  ]);
  const at = knee(Array.from(distances, (_, i) => i + 1), Array.from(distances));
  if (at < 0) return;
  // Two significant digits: a value to type, just above the knee's distance.
  const suggested = Number(distances[at].toPrecision(2)) >= distances[at] ? Number(distances[at].toPrecision(2))
    : Number((distances[at] + 10 ** (Math.floor(Math.log10(distances[at])) - 1)).toPrecision(2));
  const share = distances.filter((d) => d > suggested).length / distances.length;
  suggestion(root, 'try-eps', `The curve turns up at a distance of about ${suggested}: with eps = ${suggested}, ${(100 * share).toFixed(0)}% of rows would not be core points.`,
    `Try eps = ${suggested}`, () => tryParam('eps', suggested));
}

export function showPcaDetails(root, d, kept) {
  const ratios = d.explained_variance_ratio;
  const cum = []; ratios.reduce((a, r) => { cum.push(a + r); return a + r; }, 0);
  const need95 = cum.findIndex((c) => c >= 0.95) + 1;
  const comps = ratios.map((_, i) => i + 1);
  showCharts(root, [
    chart('scree', 'Scree chart: variance explained per component', `Share of the variance each component explains (scree chart). Marked: the ${kept} kept.`,
      { x: comps, y: ratios, xLabel: 'component', yLabel: 'explained variance ratio', mark: Math.min(kept, comps.length) - 1 }),
    chart('cumulative', 'Cumulative explained variance', `Cumulative share: ${need95} of ${ratios.length} components keep 95% of the variance.`,
      { x: comps, y: cum, xLabel: 'components kept', yLabel: 'cumulative ratio', mark: need95 - 1 }),
  ]);
  // Loadings: which features drive each of the first components, largest first.
  const n = d.components.length;
  const order = d.feature_names.map((_, j) => j).sort((a, b) => Math.abs(d.components[0][b]) - Math.abs(d.components[0][a]));
  const shown = order.slice(0, 15);
  const table = el('table', { class: 'metrics-table loadings', id: 'loadings' },
    el('caption', {}, `Loadings: how much each feature counts in each component${order.length > 15 ? ' (the 15 largest on PC1)' : ''}`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Feature'), d.components.map((_, c) => el('th', { scope: 'col' }, `PC${c + 1}`)))),
    el('tbody', {}, shown.map((j) => el('tr', {}, el('th', { scope: 'row' }, d.feature_names[j]),
      Array.from({ length: n }, (_, c) => el('td', { class: d.components[c][j] < 0 ? 'neg' : 'pos' }, d.components[c][j].toFixed(3)))))));
  root.querySelector('#unsup-helper')?.append(table);
}

export function download(name, text) {
  const a = document.createElement('a');
  a.download = name;
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
