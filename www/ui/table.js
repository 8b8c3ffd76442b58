// The data table view: the first rows, and one line per column with its type, gaps,
// distinct values, a summary and a small histogram. Everything goes in as text. Folded under
// the charts, so fetched with its first opening (main.js, showTable).

import { el } from './dom.js';

const fmt = (v) => (v === null || v === undefined ? '' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(+v.toFixed(3)));

function bars(counts) {
  const max = Math.max(1, ...counts);
  return el('span', { class: 'bars', 'aria-hidden': 'true' }, counts.map((c) => {
    const b = el('span', { class: 'bar' });
    b.style.height = `${Math.max(c > 0 ? 8 : 0, (100 * c) / max)}%`;
    return b;
  }));
}

function describe(c) {
  if (c.kind === 'numeric') return `min ${fmt(c.min)} · mean ${fmt(c.mean)} · max ${fmt(c.max)}`;
  if (c.top.length) return c.top.map(([v, n]) => `${v} (${n})`).join(', ');
  return c.note ?? '';
}

// Rows whose 64 (or w*h) pixel values are drawn as small grey pictures.
function imageRows(preview, columns, [w, h]) {
  const pix = columns.map((c) => c.name).slice(0, w * h);
  const max = Math.max(1, ...columns.slice(0, w * h).map((c) => c.max ?? 0));
  return el('div', { class: 'image-rows' }, preview.map((row, r) => {
    const canvas = el('canvas', { width: w, height: h, class: 'pixel-image', role: 'img', 'aria-label': `Row ${r + 1} as an image; label ${row[row.length - 1]}` });
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(w, h);
    pix.forEach((_, i) => {
      const g = 255 - Math.round((255 * (Number(row[i]) || 0)) / max);
      img.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(img, 0, 0);
    return el('figure', { class: 'pixel-figure' }, canvas, el('figcaption', {}, row[row.length - 1]));
  }));
}

// A role per column: a number, categories (one-hot), or left out. The target has none.
function roleSelect(c, summary, onRole) {
  if (c.name === summary.target_name || !onRole) return '';
  const current = (summary.feature_names ?? []).includes(c.name) ? 'number'
    : (summary.categorical_features ?? []).includes(c.name) ? 'categories' : 'out';
  const options = [];
  if (c.kind === 'numeric' || c.kind === 'boolean' || (c.kind !== 'categorical' && c.min !== null && c.min !== undefined)) options.push(['number', 'number']);
  if (c.kind !== 'empty') options.push(['categories', 'categories']);
  options.push(['out', 'left out']);
  const s = el('select', { class: 'role', 'aria-label': `Role of column ${c.name}`, title: 'How the model uses this column' },
    options.map(([v, label]) => el('option', { value: v, selected: v === current }, label)));
  s.addEventListener('change', () => onRole(c, s.value));
  return s;
}

export function renderTable(root, summary, image, onRole) {
  root.replaceChildren();
  if (!summary) return;
  const names = summary.columns.map((c) => c.name);
  const preview = image
    ? imageRows(summary.preview, summary.columns, image)
    : el('div', { class: 'scroll' }, el('table', { class: 'preview' },
        el('caption', {}, `First ${summary.preview.length} of ${summary.rows.toLocaleString()} rows`),
        el('thead', {}, el('tr', {}, names.map((n) => el('th', { scope: 'col' }, n)))),
        el('tbody', {}, summary.preview.map((row) => el('tr', {}, row.map((v) => el('td', { class: v === '' ? 'missing' : '' }, v === '' ? '—' : v)))))));
  const profiles = el('div', { class: 'scroll' }, el('table', { class: 'profiles' },
    el('caption', {}, 'Columns'),
    el('thead', {}, el('tr', {}, ['Role', 'Column', 'Type', 'Missing', 'Distinct', 'Summary', 'Histogram'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, summary.columns.map((c) => el('tr', { 'data-column': c.name, class: c.kind === 'numeric' || c.kind === 'categorical' || c.kind === 'boolean' ? '' : 'excluded' },
      el('td', {}, roleSelect(c, summary, onRole)),
      el('th', { scope: 'row' }, c.name, c.name === summary.target_name ? el('span', { class: 'tag' }, 'target') : null),
      el('td', {}, c.kind), el('td', {}, String(c.missing)), el('td', {}, c.distinct_more ? `${c.distinct.toLocaleString()}+` : String(c.distinct)),
      el('td', { class: 'summary' }, describe(c)),
      el('td', {}, c.histogram.length ? bars(c.histogram) : c.top.length ? bars(c.top.map(([, n]) => n)) : ''))))));
  root.append(preview, profiles);
}
