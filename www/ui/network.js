// Neural networks in the page (fetched with the first network's run, ui/lazy.js): what every
// hidden neuron computes over the scatter plot's plane (TensorFlow Playground's small
// pictures), and on image data each first-layer unit's weights as a picture. The
// pictures are drawn straight into ImageData: a few thousand pixels per update.

import { el } from './dom.js';

// Diverging colours: orange below zero, white at zero, blue above (as TensorFlow
// Playground); `t` in [-1, 1].
const NEG = [245, 147, 34];
const POS = [8, 119, 189];
export function diverging(t, out, at) {
  const c = t < 0 ? NEG : POS;
  const a = Math.min(1, Math.abs(t));
  out[at] = 255 + (c[0] - 255) * a;
  out[at + 1] = 255 + (c[1] - 255) * a;
  out[at + 2] = 255 + (c[2] - 255) * a;
  out[at + 3] = 255;
}

// ---- neuron pictures ---------------------------------------------------------------

// Unpack `WebSession::neuron_grids`: { nx, ny, layers: [{ shown, units, cells: [Float64Array] }] }.
export function unpackGrids(p) {
  if (!p || p.length < 7) return null;
  const [nx, ny] = [p[0], p[1]];
  const n = p[6];
  let at = 7 + 2 * n;
  const layers = [];
  for (let l = 0; l < n; l++) {
    const shown = p[7 + 2 * l];
    const cells = [];
    for (let u = 0; u < shown; u++, at += nx * ny) cells.push(p.subarray(at, at + nx * ny));
    layers.push({ shown, units: p[8 + 2 * l], cells });
  }
  return at === p.length ? { nx, ny, layers } : null;
}

// One small picture per value grid; `centre` is the activation's neutral value.
function paint(canvas, cells, nx, ny, centre) {
  if (canvas.width !== nx || canvas.height !== ny) { canvas.width = nx; canvas.height = ny; }
  let span = 1e-9;
  for (const v of cells) span = Math.max(span, Math.abs(v - centre));
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) diverging((cells[j * nx + i] - centre) / span, img.data, 4 * ((ny - 1 - j) * nx + i));
  }
  ctx.putImageData(img, 0, 0);
}

// The canvases are kept between updates (same shape), so live training only repaints.
function neuronPanel(root, g, activation) {
  const shape = g.layers.map((l) => l.shown).join(',');
  let box = root.querySelector('[data-view=neurons]');
  if (!box || box.dataset.shape !== shape) {
    box = el('div', { class: 'neuron-layers', 'data-view': 'neurons', 'data-shape': shape },
      g.layers.map((l, k) => el('div', { class: 'neuron-layer' },
        el('h4', {}, `Layer ${k + 1}`, el('span', { class: 'note' }, l.shown < l.units ? ` (first ${l.shown} of ${l.units} units)` : ` (${l.units} units)`)),
        el('div', { class: 'neuron-tiles', style: `--cols:${l.shown > 16 ? 8 : 4}` }, l.cells.map((_, u) => el('canvas', {
          class: 'neuron', width: g.nx, height: g.ny, role: 'img', 'data-layer': k, 'data-unit': u,
          'aria-label': `Layer ${k + 1}, unit ${u + 1}: its output over the plot's plane`,
        }))))));
    root.querySelector('[data-view=neurons]')?.remove();
    root.append(box);
  }
  const centre = activation === 'logistic' ? 0.5 : 0;
  box.querySelectorAll('canvas.neuron').forEach((c) => {
    paint(c, g.layers[c.dataset.layer].cells[c.dataset.unit], g.nx, g.ny, centre);
  });
  box.dataset.updates = String(Number(box.dataset.updates ?? 0) + 1);
}

// Pixel columns (`p0`..`p63` for 8x8 digits, constant ones already left out): the
// picture's side, or 0 when the columns are not an image.
export function imageSide(names) {
  if (!names.length || !names.every((n) => /^p\d+$/.test(n))) return 0;
  const side = Math.ceil(Math.sqrt(1 + Math.max(...names.map((n) => Number(n.slice(1))))));
  return side >= 4 && 2 * names.length >= side * side ? side : 0;
}

const MAX_WEIGHT_IMAGES = 64;

// Each first-layer unit's weights placed at their pixels, one colour scale for all
// (symmetric around zero); pixels the preprocessing dropped (constant) stay blank.
function weightPanel(root, net, names, side) {
  const where = names.map((n) => (/^p(\d+)$/.test(n) ? Number(n.slice(1)) : -1));
  const units = net.first_layer.slice(0, MAX_WEIGHT_IMAGES);
  let span = 1e-9;
  for (const w of units) for (const v of w) span = Math.max(span, Math.abs(v));
  let box = root.querySelector('[data-view=weight-images]');
  if (!box || box.childElementCount !== units.length) {
    box = el('div', { class: 'weight-images', 'data-view': 'weight-images' }, units.map((_, u) => el('canvas', {
      class: 'weight-image', width: side, height: side, role: 'img', 'data-unit': u,
      'aria-label': `Unit ${u + 1} of the first hidden layer: its weight on each pixel`,
    })));
    root.querySelector('[data-view=weight-images]')?.remove();
    root.append(box);
  }
  box.querySelectorAll('canvas').forEach((c) => {
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(side, side);
    units[c.dataset.unit].forEach((v, i) => { if (where[i] >= 0 && where[i] < side * side) diverging(v / span, img.data, 4 * where[i]); });
    ctx.putImageData(img, 0, 0);
  });
  box.dataset.updates = String(Number(box.dataset.updates ?? 0) + 1);
  box.dataset.scale = span.toPrecision(3);
  return { shown: units.length, total: net.first_layer.length, span };
}

// Heatmaps need a plane a person can read: a handful of numeric features.
const MAX_FEATURES_FOR_NEURONS = 10;

// The network's pictures for a classifying or regressing network (`neurons`: nothing for
// other kinds): `grids` from the worker (may be null: keep the last ones), `rawNames` the
// data's numeric columns.
export function renderNetworkViews(root, { neurons, explanation, grids, rawNames, pca }) {
  const net = explanation?.network;
  if (!neurons || !net) { resetNetworkViews(root); return; }
  const side = imageSide(rawNames);
  const g = side ? null : grids ? unpackGrids(grids) : null;
  const useNeurons = !side && !pca && rawNames.length <= MAX_FEATURES_FOR_NEURONS;
  const mode = side ? 'weights' : useNeurons ? 'neurons' : 'shape';
  if (root.dataset.mode !== mode) {
    root.replaceChildren();
    root.dataset.mode = mode;
  }
  root.hidden = false;
  let head = root.querySelector('.network-head');
  if (!head) {
    head = el('div', { class: 'network-head' });
    root.prepend(head);
  }
  const arch = `${net.layer_sizes.join(' → ')} units, ${net.activation}`;
  if (mode === 'weights') {
    const w = weightPanel(root, net, explanation.feature_names ?? [], side);
    head.replaceChildren(el('h3', {}, 'What the first layer looks for'),
      el('p', { class: 'note' }, `Network ${arch}. Each picture is one unit of the first hidden layer: its weight on every pixel, `
        + `blue where ink makes it fire, orange where ink holds it back (one scale for all, ±${w.span.toPrecision(2)}). `
        + `Blank pixels are always empty in the data and were left out.${w.shown < w.total ? ` The first ${w.shown} of ${w.total} units are shown.` : ''}`));
  } else if (mode === 'neurons') {
    if (g) neuronPanel(root, g, net.activation);
    head.replaceChildren(el('h3', {}, 'What each neuron computes'),
      el('p', { class: 'note' }, `Network ${arch}. Each square is one hidden unit's output over the same plane as the scatter plot: `
        + 'blue where it is high, orange where it is low (each square on its own scale). Later layers combine the earlier shapes into the boundary.'
        + (rawNames.length > 2 ? ' Other features are held at their median.' : '')));
  } else {
    const d = networkDiagram(net, explanation.feature_names ?? rawNames);
    head.replaceChildren(el('h3', {}, 'The network'),
      el('p', { class: 'note' }, `Network ${arch}. Columns are layers, circles units; every line is a weight `
        + `(blue positive, orange negative, wider stronger, on one scale per pair of layers).${d.inputsShown < d.inputs ? ` The ${d.inputsShown} inputs with the strongest weights of ${d.inputs} are shown.` : ''}`
        + `${pca ? ' The neurons are drawn on the plane of two features: turn the PCA plane off to see them.' : ''}`));
    root.querySelector('[data-view=network-diagram]')?.remove();
    root.append(d.svg);
  }
}

const SVG = 'http://www.w3.org/2000/svg';
const svgEl = (tag, attrs) => {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  return n;
};
// Units drawn per column: wider layers show their first ones and say how many more.
const MAX_UNITS_DRAWN = 12;

// The network as a diagram for any number of inputs: layers as columns of units, the
// weights as lines whose colour is the sign and width the size; with many inputs, the ones
// whose first-layer weights are largest in total.
export function networkDiagram(net, names) {
  const sizes = net.layer_sizes;
  const w = net.first_layer; // [unit][input]
  const strength = Array.from({ length: sizes[0] }, (_, i) => w.reduce((a, unit) => a + Math.abs(unit[i] ?? 0), 0));
  const inputs = strength.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0]).slice(0, MAX_UNITS_DRAWN).map(([, i]) => i).sort((a, b) => a - b);
  const columns = sizes.map((n, l) => (l === 0 ? inputs : Array.from({ length: Math.min(n, MAX_UNITS_DRAWN) }, (_, i) => i)));
  const labelW = 130, colGap = 110, rowH = 22, top = 24;
  const width = labelW + colGap * (sizes.length - 1) + 60;
  const height = top + rowH * Math.max(...columns.map((c) => c.length)) + 26;
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, class: 'network-diagram', role: 'img', 'data-view': 'network-diagram',
    'aria-label': `Network diagram: ${sizes.join(', ')} units per layer; the first layer's strongest weights drawn as lines` });
  const x = (l) => labelW + colGap * l;
  const y = (l, k) => top + rowH * (k + 0.5) + (rowH * (Math.max(...columns.map((c) => c.length)) - columns[l].length)) / 2;
  let span = 1e-9;
  for (const unit of w) for (const i of inputs) span = Math.max(span, Math.abs(unit[i] ?? 0));
  const edges = svgEl('g', { class: 'edges' });
  columns[1]?.forEach((j, b) => inputs.forEach((i, a) => {
    const v = w[j]?.[i] ?? 0;
    edges.append(svgEl('line', { x1: x(0), y1: y(0, a), x2: x(1), y2: y(1, b), class: v >= 0 ? 'pos' : 'neg',
      'data-layer': 0, 'stroke-width': (0.3 + 3.2 * Math.abs(v) / span).toFixed(2), 'stroke-opacity': (0.15 + 0.75 * Math.abs(v) / span).toFixed(2), 'data-weight': v.toPrecision(3) }));
  }));
  // Later layers: each pair of columns on its own scale, so small deep weights still show.
  for (let l = 1; l + 1 < columns.length; l++) {
    const wl = net.later_layers?.[l - 1] ?? []; // [unit][unit of the layer before]
    let spanL = 1e-9;
    for (const j of columns[l + 1]) for (const i of columns[l]) spanL = Math.max(spanL, Math.abs(wl[j]?.[i] ?? 0));
    columns[l].forEach((i, a) => columns[l + 1].forEach((j, b) => {
      const v = wl[j]?.[i];
      edges.append(v === undefined
        ? svgEl('line', { x1: x(l), y1: y(l, a), x2: x(l + 1), y2: y(l + 1, b), class: 'plain' })
        : svgEl('line', { x1: x(l), y1: y(l, a), x2: x(l + 1), y2: y(l + 1, b), class: v >= 0 ? 'pos' : 'neg', 'data-layer': l,
          'stroke-width': (0.3 + 3.2 * Math.abs(v) / spanL).toFixed(2), 'stroke-opacity': (0.15 + 0.75 * Math.abs(v) / spanL).toFixed(2), 'data-weight': v.toPrecision(3) }));
    }));
  }
  svg.append(edges);
  columns.forEach((col, l) => {
    col.forEach((unit, k) => svg.append(svgEl('circle', { cx: x(l), cy: y(l, k), r: 7, class: 'unit', 'data-layer': l })));
    const more = sizes[l] - col.length;
    const title = l === 0 ? 'inputs' : l === sizes.length - 1 ? 'outputs' : `hidden ${l}`;
    const t = svgEl('text', { x: x(l), y: 12, 'text-anchor': 'middle', class: 'layer-title' });
    t.textContent = `${title} (${sizes[l]})`;
    svg.append(t);
    if (more > 0) {
      const m = svgEl('text', { x: x(l), y: height - 6, 'text-anchor': 'middle', class: 'more' });
      m.textContent = `+${more} more`;
      svg.append(m);
    }
  });
  inputs.forEach((i, a) => {
    const t = svgEl('text', { x: x(0) - 12, y: y(0, a) + 4, 'text-anchor': 'end', class: 'input-name' });
    const name = names[i] ?? `input ${i + 1}`;
    t.textContent = name.length > 18 ? `${name.slice(0, 17)}…` : name;
    svg.append(t);
  });
  return { svg, inputs: sizes[0], inputsShown: inputs.length };
}

export function resetNetworkViews(root) {
  root.replaceChildren();
  root.hidden = true;
  delete root.dataset.mode;
}
