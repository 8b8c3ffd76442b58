// The loaded data in a few lines: rows, features, target and class sizes, with the
// loader's warnings and notes.

import { el } from './dom.js';

// `positive`: a two-class target's positive class now; `onPositive(name)` chooses another.
export function renderDataInfo(box, s, positive = null, onPositive = null) {
  const items = [
    ['Rows', s.rows.toLocaleString()],
    ['Numeric features', `${s.feature_names.length}${s.feature_names.length <= 12 ? ` (${s.feature_names.join(', ')})` : ''}`],
    ['Target', s.target_name ? `${s.target_name} — ${s.task}${s.class_names.length ? `, ${s.class_names.length} classes` : ''}`
      : '(none): every column is a feature'],
  ];
  // Missing values: the total, then the columns that have any (most first).
  const gaps = s.columns.filter((c) => c.missing > 0).sort((a, b) => b.missing - a.missing);
  const total = gaps.reduce((n, c) => n + c.missing, 0);
  items.push(['Missing values', total === 0 ? 'none'
    : `${total.toLocaleString()} in total: ${gaps.slice(0, 8).map((c) => `${c.name} ${c.missing.toLocaleString()}`).join(', ')}${gaps.length > 8 ? `, and ${gaps.length - 8} more columns` : ''}`]);
  if (s.categorical_features.length) items.push(['Text features', `${s.categorical_features.join(', ')} (one-hot encoded)`]);
  if (s.class_counts.length) items.push(['Class sizes', s.class_names.map((c, i) => `${c}: ${s.class_counts[i]}`).join(', ')]);
  if (s.class_names.length === 2 && positive && onPositive) items.push([el('label', { for: 'data-positive' }, 'Positive class'), positiveSelect(s.class_names, positive, onPositive)]);
  box.replaceChildren(
    el('dl', {}, items.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    ...s.warnings.map((w) => el('p', { class: 'warning', role: 'status' }, w)),
    ...s.notes.map((n) => el('p', { class: 'note' }, n)));
}

// Chosen before training too: recall, precision, the threshold and the exports are about it.
function positiveSelect(classes, positive, onPositive) {
  const select = el('select', { id: 'data-positive' }, classes.map((c) => el('option', { value: c }, c)));
  select.value = positive;
  select.addEventListener('change', () => onPositive(select.value));
  return [select, el('span', { class: 'note' }, ' what recall, precision and the threshold are about')];
}
