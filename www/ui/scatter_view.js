// The main scatter plot: the data on two features (or the PCA plane) with the model's
// surface behind, or a clustering's or projection's result; large sets are thinned.
// It only draws: what it needs (the PCA plane) its caller asks the worker for.

import { $, setText } from './dom.js';
import { drawScatter, queueDraw } from './charts.js';
import * as unsup from './unsupervised.js';
import { draw3d } from './scatter3d.js';

const MAX_SCATTER_POINTS = 10000;

// Whether the loaded data can be drawn on the state's view: the state may already
// describe data that is still loading.
export function canDraw(data, view) {
  return Boolean(data) && data.features.length > 0 && view.x_feature < data.features.length;
}

/**
 * Draw the plot. `p`: { data, state, pcaData (the PCA plane, needed when the view asks
 * for it), surface, family }; `plotted(what)` receives what was drawn, for the hover.
 */
export function redrawScatter(p, plotted) {
  if (!canDraw(p.data, p.state.view) || (p.state.view.pca && !p.pcaData)) return;
  const s = p.data.summary;
  const { x_feature: xi, y_feature: yi } = p.state.view;
  // Large sets: draw every k-th row, and say so.
  const stride = Math.ceil(s.rows / MAX_SCATTER_POINTS);
  const pick = (a) => (stride > 1 ? a.filter((_, i) => i % stride === 0) : a);
  const pc = p.state.view.pca ? p.pcaData : null;
  const pcName = (k) => `PC${k + 1} (${(100 * pc.ratios[k]).toFixed(0)}% of the variance)`;
  const base = {
    x: pc ? pc.coords.filter((_, k) => k % 2 === 0) : p.data.features[xi],
    y: pc ? pc.coords.filter((_, k) => k % 2 === 1) : p.data.features[Math.min(yi, p.data.features.length - 1)],
    xName: pc ? pcName(0) : s.feature_names[xi],
    yName: pc ? pcName(1) : (s.feature_names[yi] ?? s.feature_names[xi]),
  };
  const u = p.family === 'supervised' ? null : unsup.scatterFor(p.family, p.state.model.kind, p.data, base);
  const canvas = $('scatter');
  canvas.dataset.view = u?.threeD ? '3d' : '2d';
  if (u?.threeD) canvas.setAttribute('tabindex', '0'); else canvas.removeAttribute('tabindex');
  if (u?.threeD) {
    queueDraw(canvas, () => draw3d(canvas, u.threeD));
    plotted(null);
    $('scatter-caption').textContent = u.caption;
    canvas.setAttribute('aria-label', `3-D scatter plot of the first three principal components: ${u.caption}`);
    return;
  }
  if (u) {
    const every = Math.ceil(u.x.length / MAX_SCATTER_POINTS);
    const thin = (a) => (every > 1 && a.length === u.x.length ? a.filter((_, i) => i % every === 0) : a);
    const d = { ...u, x: thin(u.x), y: thin(u.y), labels: thin(u.labels), values: thin(u.values), kinds: thin(u.kinds) };
    drawScatter(canvas, d, (frame) => {
      plotted({ x: d.x, y: d.y, rows: thin(u.rows), frame });
      setText($('scatter-caption'), (every > 1 ? `Every ${every}th of ` : '') + u.caption);
      canvas.setAttribute('aria-label', `Scatter plot: ${u.caption}`);
    });
    return;
  }
  const d = {
    x: pick(base.x), y: pick(base.y),
    labels: p.data.labels.length ? pick(p.data.labels) : p.data.labels,
    classNames: s.class_names,
    xName: base.xName, yName: base.yName,
    surface: p.surface ?? new Float64Array(0),
  };
  drawScatter(canvas, d, (frame) => {
    plotted({ x: d.x, y: d.y, rows: null, stride, frame });
    scatterCaption(p, s, stride, xi, yi);
  });
}

// Said once the plot is drawn (the page counts as ready when the caption is there).
function scatterCaption(p, s, stride, xi, yi) {
  const what = s.task === 'regression' ? '' : ', coloured by class';
  const more = p.state.view.pca ? ' On the PCA plane the model sees the plane through the mean of every feature.'
    : s.feature_names.length > 2 ? ' Other features are held at their median, so this is a slice through the model.' : '';
  const behind = p.surface
    ? (s.task === 'regression' ? ` Behind them, the model's prediction: blue low, orange high.${more}` : ` Behind them, the class the model predicts; paler where it is unsure.${more}`)
    : '';
  setText($('scatter-caption'), (stride > 1
    ? `Every ${stride}th row of ${s.rows.toLocaleString()}${what}.`
    : `The data, one dot per row${what}.`) + behind);
  $('scatter').setAttribute('aria-label',
    `Scatter plot of ${s.rows} rows: ${s.feature_names[yi]} against ${s.feature_names[xi]}, coloured by ${s.target_name}.`);
}
