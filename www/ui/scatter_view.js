// The main scatter plot: the data on two features (or the PCA plane) with the model's
// surface behind, or a clustering's or projection's result; large sets are thinned.
// It only draws: what it needs (the PCA plane) its caller asks the worker for.

import { $, setText } from './dom.js';
import { drawScatter, queueDraw, isDark } from './charts.js';
import { viewIfLoaded } from './lazy.js';

const MAX_SCATTER_POINTS = 10000;

// Whether the loaded data can be drawn on the state's view: the state may already
// describe data that is still loading.
export function canDraw(data, view) {
  return Boolean(data) && data.features.length > 0 && view.x_feature < data.features.length;
}

/**
 * Draw the plot. `p`: { data, state, pcaData (the PCA plane, needed when the view asks
 * for it), surface, family, report (the finished run's, to say why a background is flat) }; `plotted(what)` receives what was drawn, for the hover.
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
  // A clustering's or projection's picture needs its module, which the panel fetches and
  // then draws the plot again (main.js, renderUnsupPanel).
  const unsup = p.family === 'supervised' ? null : viewIfLoaded('unsupervised');
  if (p.family !== 'supervised' && !unsup) return;
  const u = unsup?.scatterFor(p.family, p.info, p.data, base) ?? null;
  const canvas = $('scatter');
  canvas.dataset.view = u?.threeD ? '3d' : '2d';
  if (u?.threeD) canvas.setAttribute('tabindex', '0'); else canvas.removeAttribute('tabindex');
  if (u?.threeD) {
    queueDraw(canvas, () => unsup.draw3d(canvas, u.threeD));
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
    // The rows opened from the evaluation, ringed (none before its view has come).
    const evaluation = viewIfLoaded('evaluate');
    if (evaluation) evaluation.ringSelected(canvas, frame, base.x, base.y); else canvas.dataset.ringed = '0';
    const about = p.surface ? backgroundWords(p, s) : null;
    if (about) labelBackground(canvas, frame, about); else delete canvas.dataset.background;
    twoFeatures(p, s, xi, yi);
    scatterCaption(p, s, stride, xi, yi, d, about);
  });
}

// The columns in use before "Fit on these two features", to go back to; and whether to
// train once the pair's data is in (one click fits the pair).
let allColumns = null;
let trainPair = false;

// A button under the plot: with more than two features, "fit on these two features" (the
// same kind of model trained on the plotted pair alone, at once: its whole surface is then
// what it sees); after that, the way back to every feature.
function twoFeatures(p, s, xi, yi) {
  const caption = $('scatter-caption');
  let box = document.getElementById('two-features');
  if (!box) {
    box = document.createElement('p');
    box.id = 'two-features';
    box.className = 'note';
    caption.after(box);
  }
  box.replaceChildren();
  if (!p.change || p.family !== 'supervised' || p.state.view.pca) return;
  if (trainPair && s.feature_names.length === 2) {
    trainPair = false;
    const play = document.getElementById('play');
    if (play && !play.disabled) setTimeout(() => play.click());
  }
  const button = (id, text, onClick) => {
    const b = document.createElement('button');
    Object.assign(b, { type: 'button', id, className: 'secondary small', textContent: text });
    b.addEventListener('click', onClick);
    return b;
  };
  if (s.feature_names.length > 2 && xi !== yi) {
    const keep = [s.feature_names[xi], s.feature_names[yi]];
    box.append(button('fit-two', `Fit on ${keep[0]} and ${keep[1]} only`, () => {
      allColumns = structuredClone(p.state.columns ?? { exclude: [], include: [], categorical: [] });
      trainPair = true;
      const others = s.columns.map((c) => c.name).filter((n) => n !== s.target_name && !keep.includes(n));
      // The two stay in the data's order: the plot keeps them on the axes they are on.
      p.change((st) => {
        st.columns = { ...allColumns, exclude: [...new Set([...(allColumns.exclude ?? []), ...others])] };
        st.view = { ...st.view, x_feature: xi < yi ? 0 : 1, y_feature: xi < yi ? 1 : 0 };
      });
    }), ' The same kind of model on the plotted pair alone: then the background is all it sees.');
  } else if (allColumns && s.feature_names.length === 2) {
    box.append(button('fit-all', 'Back to every feature', () => {
      const back = allColumns;
      allColumns = null;
      p.change((st) => { st.columns = back; st.view = { ...st.view, x_feature: 0, y_feature: 1 }; });
    }));
  }
}

// The surface as packed by the worker: [nx, ny, x0, x1, y0, y1, n_classes, values...,
// confidences...]. The share of cells predicting its most common class (null for a
// regression).
function uniformShare(surface) {
  const [nx, ny, , , , , classes] = surface;
  if (!classes || surface.length < 7 + nx * ny) return null;
  const counts = new Map();
  for (let k = 0; k < nx * ny; k++) counts.set(surface[7 + k], (counts.get(surface[7 + k]) ?? 0) + 1);
  let top = 0; let cls = 0;
  for (const [c, m] of counts) if (m > top) { top = m; cls = c; }
  return { share: top / Math.max(1, nx * ny), cls };
}

// What the background is when the model reads more than the two plotted features: the
// short words drawn on the canvas and a longer why for the caption; null when the plane
// is all the model sees.
function backgroundWords(p, s) {
  const others = s.feature_names.length - 2;
  if (!p.state.view.pca && others <= 0) return null;
  const short = p.state.view.pca ? 'Background: the model on this plane, every other direction at the mean'
    : `Background: a slice, the other ${others} feature${others > 1 ? 's' : ''} held at their median`;
  const u = uniformShare(p.surface);
  const uniform = u && u.share >= 0.97 ? s.class_names[u.cls] ?? String(u.cls) : null;
  const why = uniform ? ` The model predicts ${uniform} over almost all of this slice: with the other features fixed, these two alone do not change its answer.${uniformWhy(p.report)}` : '';
  return { short, uniform, why };
}

// Why a uniform slice: the model may read features the picture does not show (it scores
// well), or it may have learned little (it scores as always answering the commonest class).
function uniformWhy(report) {
  const acc = report?.metrics?.validation?.accuracy;
  const base = report?.baseline?.validation?.accuracy;
  if (!Number.isFinite(acc) || !Number.isFinite(base)) return '';
  const f = (v) => v.toFixed(3);
  return acc > base + 0.02
    ? ` Yet it scores ${f(acc)} on the validation rows (always answering the commonest class scores ${f(base)}): its skill comes from features this picture does not show.`
    : ` And it scores ${f(acc)} on the validation rows, no better than always answering the commonest class (${f(base)}): it has learned little.`;
}

// The background's meaning, written on the canvas itself (top left of the plot), so that
// a screenshot of the picture carries it.
function labelBackground(canvas, frame, about) {
  const g = canvas.getContext('2d');
  const r = canvas.width / Math.max(1, canvas.clientWidth);
  const [, , , , left, top, right] = frame;
  const said = [about.short, ...(about.uniform ? [`It predicts ${about.uniform} almost everywhere here`] : [])];
  g.save();
  g.font = `${11 * r}px system-ui, sans-serif`;
  const pad = 4 * r; const lineH = 14 * r;
  const room = right - left - 4 * pad;
  // Wrapped at words to the plot's width (squeezing the text made it unreadable).
  const lines = said.flatMap((t) => t.split(' ').reduce((out, w) => {
    const next = out.length ? `${out[out.length - 1]} ${w}` : w;
    if (out.length && g.measureText(next).width <= room) out[out.length - 1] = next; else out.push(w);
    return out;
  }, []));
  const width = Math.min(right - left - 2 * pad, Math.max(...lines.map((t) => g.measureText(t).width)) + 2 * pad);
  const dark = isDark();
  g.fillStyle = dark ? 'rgba(24, 27, 33, 0.85)' : 'rgba(255, 255, 255, 0.85)';
  g.fillRect(left + pad, top + pad, width, lines.length * lineH + pad);
  g.fillStyle = dark ? '#dee2e8' : '#282c34';
  g.textBaseline = 'top';
  lines.forEach((t, k) => g.fillText(t, left + 2 * pad, top + 1.5 * pad + k * lineH, width - 2 * pad));
  g.restore();
  canvas.dataset.background = said.join(' | ');
}

// Said once the plot is drawn (the page counts as ready when the caption is there).
function scatterCaption(p, s, stride, xi, yi, d, about) {
  const what = s.task === 'regression' ? '' : ', coloured by class';
  const more = (p.state.view.pca ? ' On the PCA plane the model sees the plane through the mean of every feature.'
    : s.feature_names.length > 2 ? ' Other features are held at their median, so this is a slice through the model.' : '') + (about?.why ?? '');
  const missing = [[d.x, s.feature_names[xi], 'left of'], [d.y, s.feature_names[yi], 'below']]
    .map(([a, name, where]) => [a.filter((v) => !Number.isFinite(v)).length, name, where])
    .filter(([k]) => k > 0)
    .map(([k, name, where]) => ` ${k.toLocaleString()} row${k > 1 ? 's' : ''} missing ${name}: drawn in the strip marked "missing" ${where} the data.`)
    .join('');
  const behind = p.surface
    ? (s.task === 'regression' ? ` Behind them, the model's prediction: blue low, orange high.${more}` : ` Behind them, the class the model predicts; paler where it is unsure.${more}`)
    : '';
  setText($('scatter-caption'), (stride > 1
    ? `Every ${stride}th row of ${s.rows.toLocaleString()}${what}.`
    : `The data, one dot per row${what}.`) + missing + behind);
  $('scatter').setAttribute('aria-label',
    `Scatter plot of ${s.rows} rows: ${s.feature_names[yi]} against ${s.feature_names[xi]}, coloured by ${s.target_name}.`);
}
