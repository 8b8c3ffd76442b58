// Look inside a convolutional network (the `cnn` kind): for one validation image, the
// image as the network reads it, each convolution block's feature maps as small grey
// pictures (darker: stronger), the first block's filters as k x k pictures, and the class probabilities as
// bars. The worker sends a new look (`cnn-inside`) at most 4 times a second while
// training, so the maps change as the filters learn. Above them, the accuracy after each
// epoch on the training and validation images.

import { drawLoss } from './charts.js';
import { el } from './dom.js';
import { diverging } from './network.js';

const CELL = 6; // screen pixels per image pixel of the input picture

// A `w x h` picture of `values`: from white (`lo`) to black (`hi`), darker meaning more,
// as the gallery draws ink; or, `diverging`, the network views' colours: blue positive,
// orange negative, white 0, |v| <= `hi`.
function picture(values, w, h, { lo, hi, diverging: signed = false, scale, label }) {
  const c = el('canvas', { width: w, height: h, role: 'img', 'aria-label': label, title: label });
  c.style.width = `${w * scale}px`;
  c.style.height = `${h * scale}px`;
  const ctx = c.getContext('2d');
  if (!ctx) return c;
  const img = ctx.createImageData(w, h);
  const span = hi - lo || 1;
  values.forEach((v, i) => {
    if (signed) { diverging(Math.max(-1, Math.min(1, v / (hi || 1))), img.data, i * 4); return; }
    const g = Math.round(255 * (1 - Math.max(0, Math.min(1, (v - lo) / span))));
    img.data.set([g, g, g, 255], i * 4);
  });
  ctx.putImageData(img, 0, 0);
  return c;
}

const extent = (lists) => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lists) for (const v of l) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
};

// `inside`: the worker's look (`{}` or null: nothing to show); `choose(position)` asks
// for another validation image.
export function renderCnnInside(root, inside, choose) {
  if (!root) return;
  root.hidden = !inside || !inside.layers;
  if (root.hidden) { root.replaceChildren(); return; }
  const d = inside;
  const names = d.class_names ?? [];
  const truth = names[d.label] ?? d.label;
  const pick = (p) => choose(Math.max(0, Math.min(d.count - 1, p)));
  const number = el('input', {
    type: 'number', min: 1, max: d.count, value: d.position + 1, 'aria-label': 'Validation image number',
    onchange: (e) => pick(Number(e.target.value) - 1),
  });
  const nav = el('div', { class: 'cnn-nav' },
    el('button', { type: 'button', onclick: () => pick(d.position - 1), disabled: d.position === 0 }, '◀ Previous'),
    el('label', {}, 'Validation image ', number, ` of ${d.count}`),
    el('button', { type: 'button', onclick: () => pick(d.position + 1), disabled: d.position + 1 >= d.count }, 'Next ▶'));
  const [ilo, ihi] = extent([d.image]);
  const input = el('figure', { class: 'cnn-input' },
    picture(d.image, d.w, d.h, { lo: ilo, hi: ihi, scale: CELL, label: `The image as the network reads it, ${d.w}x${d.h}` }),
    el('figcaption', {}, `Row ${d.row ?? '?'} as the network reads it (after scaling; darker is higher), true class ${truth}`));
  const layers = d.layers.map((layer) => {
    // One grey scale per layer, from 0 (white) to the layer's largest value (black).
    const [, hi] = extent(layer.maps);
    const scale = Math.max(3, Math.round((d.h * CELL) / 2 / layer.h));
    return el('figure', { class: 'cnn-layer' },
      el('div', { class: 'cnn-maps' }, layer.maps.map((m, i) =>
        picture(m, layer.w, layer.h, { lo: 0, hi, scale, label: `${layer.name}: map of filter ${i + 1}` }))),
      el('figcaption', {}, `${layer.name}: ${layer.maps.length} maps of ${layer.w}x${layer.h}; white 0, black ${hi.toPrecision(3)}`));
  });
  const [flo, fhi] = extent(d.filters);
  const fmax = Math.max(Math.abs(flo), Math.abs(fhi));
  const filters = el('figure', { class: 'cnn-layer' },
    el('div', { class: 'cnn-maps' }, d.filters.map((f, i) =>
      picture(f, d.kernel, d.kernel, { lo: -fmax, hi: fmax, diverging: true, scale: 12, label: `Filter ${i + 1} of the first block` }))),
    el('figcaption', {}, `The first block's ${d.filters.length} filters, ${d.kernel}x${d.kernel} weights each: blue positive, orange negative, white 0 (largest |weight| ${fmax.toPrecision(3)})`));
  const best = d.probabilities.indexOf(Math.max(...d.probabilities));
  const bars = el('div', { class: 'cnn-probs', role: 'list', 'aria-label': 'Class probabilities' },
    d.probabilities.map((p, k) => el('div', { class: `cnn-prob${k === best ? ' best' : ''}`, role: 'listitem' },
      el('span', { class: 'cnn-prob-name' }, names[k] ?? k),
      el('span', { class: 'cnn-prob-bar' }, el('span', { style: `width:${(100 * p).toFixed(1)}%` })),
      el('span', { class: 'cnn-prob-value' }, `${(100 * p).toFixed(1)}%`))));
  root.replaceChildren(
    el('h3', {}, 'Inside the convolutional network'),
    epochChart(d.epochs),
    nav,
    el('div', { class: 'cnn-row' }, input, el('div', {}, el('p', { class: 'cnn-predicted' },
      `Predicted ${names[best] ?? best} (${(100 * d.probabilities[best]).toFixed(1)}%)`), bars)),
    filters,
    ...layers);
}

// Accuracy per epoch (the loss chart above the page's charts shows the loss).
function epochChart(e) {
  if (!e?.train?.length) return '';
  const canvas = el('canvas', { class: 'cnn-epochs', role: 'img', 'data-view': 'cnn-epochs',
    'aria-label': `Accuracy after each of ${e.train.length} epochs, training and validation images` });
  drawLoss(canvas, e.train, e.validation, 'accuracy');
  const last = (v) => (v.length ? `${(100 * v[v.length - 1]).toFixed(1)}%` : 'none');
  return el('figure', { class: 'cnn-chart' }, canvas,
    el('figcaption', {}, `Accuracy after each epoch: training images (the mean over the epoch's batches while the weights moved) `
      + `and validation images (after the epoch). Last: training ${last(e.train)}, validation ${last(e.validation)}.`));
}
