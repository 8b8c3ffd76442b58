// Image sets: a gallery of sample images per class, and, for uploaded files, the image
// size the rows are read with (read from the column names, or typed in here). The draw
// pad (draw_pad.js) sits next to the gallery and uses the same size. Both come with the
// first image set or upload (ui/lazy.js).

import { el, hideMessage } from './dom.js';
import { hidePad, paintPixels, showPad } from './draw_pad.js';
import { GALLERY_PER_CLASS as PER_CLASS } from './worker_messages.js';

// The pad's answers to the worker's messages, for the page, which reaches the pad only here.
export { drawingFailed, refreshPad, showDrawing } from './draw_pad.js';

function sizeControl(page, g) {
  const typed = page.store.state.dataset.image;
  const [w0, h0] = typed ? [typed.width, typed.height] : g ? [g.width, g.height] : [0, 0];
  const input = (label, value) => el('input', { type: 'number', min: 1, max: 256, value: value || '', 'aria-label': label, class: 'image-size' });
  const w = input('Image width in pixels', w0);
  const h = input('Image height in pixels', h0);
  const apply = el('button', { type: 'button', class: 'secondary' }, 'Read as images');
  // The size goes into the state, so the link, the model file and `mlplay run` read the rows alike.
  apply.addEventListener('click', () => {
    const [width, height] = [Math.round(Number(w.value) || 0), Math.round(Number(h.value) || 0)];
    hideMessage(); // a refused size's message goes; the new size is checked afresh
    page.change((s) => {
      if (width || height) s.dataset.image = { width, height }; else delete s.dataset.image;
    });
  });
  const how = !g ? 'If each row is an image, give its size: every numeric column other than the target is a pixel, row by row, so width x height must equal their number.'
    : g.source === 'names' ? `Size read from the column names (${g.width} x ${g.height}); change it if the pixels are laid out otherwise.`
      : 'Size as you gave it (saved in the link): every numeric column other than the target is a pixel, row by row.';
  return el('p', { class: 'note image-size-row' }, how, ' ', w, ' x ', h, ' ', apply);
}

// `g`: the worker's gallery (null when the rows are not images).
export function renderGallery(root, page, g) {
  const upload = page.store.state.dataset.id.startsWith('file:');
  root.replaceChildren();
  if (!g && !upload) { root.hidden = true; hidePad(); return; }
  root.hidden = false;
  const head = el('h3', {}, 'The images');
  if (!g) {
    root.append(head, sizeControl(page, null));
    hidePad();
    return;
  }
  const range = g.integer ? `whole numbers from 0 to ${g.max_value}` : `from 0 to ${+g.max_value.toFixed(3)}`;
  const classes = el('div', { class: 'gallery', 'data-view': 'gallery' }, g.classes.map((c) => el('div', { class: 'gallery-class' },
    el('div', { class: 'gallery-label' }, c.name, el('span', { class: 'note' }, ` (${c.count.toLocaleString()} rows)`)),
    el('div', { class: 'gallery-images' }, c.images.map((px, i) => {
      const canvas = el('canvas', { width: g.width, height: g.height, class: 'pixel-image', role: 'img', 'aria-label': `${c.name}: sample ${i + 1}` });
      paintPixels(canvas, px, g.width, g.height, g.max_value);
      return canvas;
    })))));
  root.append(head,
    el('p', { class: 'note' }, `The first ${PER_CLASS} rows of each class, as ${g.width} x ${g.height} pictures: each pixel is a column, ${range}; darker is more ink.`),
    upload ? sizeControl(page, g) : '', classes);
  showPad(root, page, g);
}
