// The Data and Model panels, built from the catalog the wasm core provides (names,
// ranges, defaults and help), so the page, the link and the CLI use the same vocabulary.
// Each control edits a copy of the state and hands it to `onChange`, which validates it.

import { el, field, infoTip, setFieldError } from './dom.js';
import { tip, title } from './glossary.js';
import { wideLayout } from './layout.js';

function numberInput(id, value, { min, max, step, placeholder }) {
  return el('input', { type: 'number', id, value: value === null || value === undefined ? '' : String(value), min, max, step: step ?? 'any', inputmode: 'decimal', placeholder });
}

function select(id, options, value) {
  const s = el('select', { id });
  for (const [v, label] of options) s.append(el('option', { value: v, selected: v === value }, label));
  return s;
}

// Rebuilding a panel replaces its controls; keep keyboard focus where it was.
function keepFocus(build) {
  const id = document.activeElement?.id;
  build();
  if (id && !document.activeElement?.id) document.getElementById(id)?.focus();
}

function datasetSelect(catalog, state) {
  const s = el('select', { id: 'dataset' });
  const groups = [['Real data', (d) => d.source !== 'synthetic'], ['Generated', (d) => d.source === 'synthetic']];
  for (const [label, keep] of groups) {
    s.append(el('optgroup', { label }, catalog.datasets.filter(keep).map((d) =>
      el('option', { value: d.id, selected: d.id === state.dataset.id }, d.title))));
  }
  if (state.dataset.id.startsWith('file:')) {
    s.append(el('optgroup', { label: 'Your file' },
      el('option', { value: state.dataset.id, selected: true }, state.dataset.id.slice(5))));
  }
  return s;
}

function knobControl(info, value, onChange) {
  const d = info.domain;
  const input = numberInput(`knob-${info.name}`, value, { min: d.min_exclusive ? undefined : d.min, max: d.max, step: d.type === 'int' ? 1 : 'any' });
  input.addEventListener('change', () => onChange((s) => { s.dataset = { ...s.dataset, [info.name]: Number(input.value) }; }, input));
  return field(info.name, input, info.help);
}

// Settings a first run does not need, folded; a group stays open across the panel's rebuilds.
const openGroups = new Set();
function foldedGroup(name, summary) {
  const det = el('details', { class: 'advanced', id: `group-${name}`, open: openGroups.has(name) }, el('summary', {}, summary));
  det.addEventListener('toggle', () => { if (det.open) openGroups.add(name); else openGroups.delete(name); });
  return det;
}

// Below 900 px a group folds behind a one-line summary of its values (Train then stays within
// ten Tab presses); from 900 px it is open with its summary hidden (see layout.js).
function narrowFold(name, summary) {
  const det = el('details', { class: 'narrow-fold', id: `fold-${name}`, open: wideLayout() || openGroups.has(`narrow-${name}`) },
    el('summary', { title: 'Show these settings' }, summary));
  det.addEventListener('toggle', () => {
    if (wideLayout()) return;
    if (det.open) openGroups.add(`narrow-${name}`); else openGroups.delete(`narrow-${name}`);
  });
  return det;
}

export function buildDataPanel(root, catalog, state, summary, onChange, onUpload) {
  keepFocus(() => renderDataPanel(root, catalog, state, summary, onChange, onUpload));
}

function renderDataPanel(root, catalog, state, summary, onChange, onUpload) {
  root.replaceChildren();
  const ds = state.dataset;
  const builtin = catalog.datasets.find((d) => d.id === ds.id);
  const dsSelect = datasetSelect(catalog, state);
  dsSelect.addEventListener('change', () => onChange((s) => {
    s.dataset = { id: dsSelect.value, target: null };
    s.task = null;
    s.columns = { exclude: [], include: [], categorical: [] };
    s.view = dsSelect.value === 'iris' ? { x_feature: 2, y_feature: 3 } : { x_feature: 0, y_feature: 1 };
  }, dsSelect));
  root.append(field(title('dataset'), dsSelect, tip('dataset')));

  const file = el('input', { type: 'file', id: 'upload', accept: '.csv,.tsv,.txt,text/csv,text/tab-separated-values', class: 'file-input' });
  file.addEventListener('change', () => { if (file.files[0]) onUpload(file.files[0]); file.value = ''; });
  root.append(el('div', { class: 'upload-row' },
    el('label', { for: 'upload', class: 'file-button' }, 'Upload a CSV…'), file,
    el('span', { class: 'hint' }, 'or drop a file on this panel'), infoTip('uploading', tip('upload'))));
  root.append(el('div', { id: 'upload-status', class: 'upload-status', hidden: true },
    el('progress', { id: 'upload-progress', max: 1, value: 0, 'aria-label': 'Reading the file' }),
    el('span', { id: 'upload-text', class: 'counter' }),
    el('button', { type: 'button', id: 'upload-cancel', class: 'secondary' }, 'Cancel')));
  if (builtin) root.append(el('p', { class: 'about' }, builtin.about));

  if (builtin?.knobs.length) {
    const knobs = builtin.knobs.map((k) => catalog.knobs.find((i) => i.name === k)).filter(Boolean);
    root.append(el('div', { class: 'row2' }, knobs.map((k) => knobControl(k, ds[k.name], onChange))));
  }

  const pct = (f) => Math.round(f * 100);
  const splitText = `${pct(state.split.train)}/${pct(state.split.validation)}/${pct(state.split.test ?? Math.max(0, 1 - state.split.train - state.split.validation))}`;
  const targetName = summary ? (summary.target_name ?? ds.target ?? summary.columns.at(-1)?.name) : null;
  const fold = narrowFold('data', `${targetName ? `Target ${targetName} · ` : ''}${state.task ?? 'automatic task'} · split ${splitText} · scaling`);
  root.append(fold);

  if (summary) {
    // '' is "(none)": clusterings and projections then use every column as a feature.
    const target = select('target', [['', '(none)'], ...summary.columns.map((c) => [c.name, c.name])], summary.target_name ?? ds.target ?? summary.columns.at(-1)?.name);
    target.addEventListener('change', () => onChange((s) => { s.dataset = { ...s.dataset, target: target.value }; }, target));
    const task = select('task', [['auto', 'automatic'], ['classification', 'classification'], ['regression', 'regression']], state.task ?? 'auto');
    task.addEventListener('change', () => onChange((s) => { s.task = task.value === 'auto' ? null : task.value; }, task));
    fold.append(el('div', { class: 'row2' }, field(title('target'), target, tip('target')), field(title('task'), task, tip('task'))));
  }

  const imputer = select('imputer', [['mean', 'mean'], ['median', 'median'], ['most_frequent', 'most frequent'], ['drop_rows', 'drop the rows'], ['keep', 'keep them (trees)']], state.prep.imputer);
  imputer.addEventListener('change', () => onChange((s) => { s.prep = { ...s.prep, imputer: imputer.value }; }, imputer));
  const scaler = select('scaler', [['standard', 'standard'], ['minmax', 'min-max'], ['none', 'none']], state.prep.scaler);
  scaler.addEventListener('change', () => onChange((s) => { s.prep = { ...s.prep, scaler: scaler.value }; }, scaler));
  const prep = foldedGroup('prep', 'Missing values, scaling, seed');
  prep.append(el('div', { class: 'row2' }, field(title('imputer'), imputer, tip('imputer')), field(title('scaler'), scaler, tip('scaler'))));

  // Split: two sliders; the test share is what remains.
  const train = el('input', { type: 'range', id: 'split-train', min: 10, max: 90, step: 5, value: pct(state.split.train) });
  const val = el('input', { type: 'range', id: 'split-validation', min: 0, max: 45, step: 5, value: pct(state.split.validation) });
  const out = el('output', { id: 'split-out', for: 'split-train split-validation' });
  const show = () => {
    const t = Number(train.value), v = Number(val.value);
    out.textContent = `train ${t}% · validation ${v}% · test ${Math.max(0, 100 - t - v)}%`;
  };
  const apply = (changed) => () => {
    let t = Number(train.value), v = Number(val.value);
    if (t + v > 100) { if (changed === train) { v = 100 - t; val.value = v; } else { t = 100 - v; train.value = t; } }
    show();
    onChange((s) => { s.split = { train: t / 100, validation: v / 100, test: Math.max(0, 100 - t - v) / 100 }; }, changed);
  };
  train.addEventListener('change', apply(train));
  val.addEventListener('change', apply(val));
  train.addEventListener('input', show);
  val.addEventListener('input', show);
  show();
  fold.append(el('div', { class: 'split' },
    field(title('train_fraction'), train, tip('train_fraction')),
    field(title('validation_fraction'), val, tip('validation_fraction')), out));

  const seed = numberInput('seed', state.seed, { min: 0, max: 4294967295, step: 1 });
  seed.addEventListener('change', () => onChange((s) => { s.seed = Number(seed.value); }, seed));
  const reroll = el('button', { type: 'button', class: 'secondary', 'aria-label': 'New random seed', onclick: () => {
    seed.value = String(Math.floor(Math.random() * 100000));
    seed.dispatchEvent(new Event('change'));
  } }, 'New seed');
  prep.append(el('div', { class: 'seed-row' }, field(title('seed'), seed, tip('seed')), reroll));
  fold.append(prep);
}

function paramControl(p, value, onChange) {
  const id = `param-${p.name}`;
  const d = p.domain;
  const optional = p.default === null; // e.g. max_depth: empty means no limit
  let input;
  if (d.type === 'choice') {
    input = select(id, d.options.map((o) => [o, o]), value);
  } else if (d.type === 'bool') {
    input = el('input', { type: 'checkbox', id, checked: Boolean(value) });
  } else if (d.type === 'int_list') {
    // e.g. hidden_layer_sizes: "64, 32" (the engine reads the text and names any mistake).
    input = el('input', { type: 'text', id, value: Array.isArray(value) ? value.join(', ') : String(value ?? ''), inputmode: 'numeric', autocomplete: 'off' });
  } else {
    input = numberInput(id, value, { min: d.min_exclusive ? undefined : d.min, max: d.max, step: d.type === 'int' ? 1 : 'any', placeholder: optional ? 'none' : undefined });
  }
  input.addEventListener('change', () => onChange((s) => {
    // An empty number box means "none" (null) where the parameter allows it, e.g. max_depth.
    const v = d.type === 'choice' || d.type === 'int_list' ? input.value
      : d.type === 'bool' ? input.checked
        : (input.value.trim() === '' ? (optional ? null : NaN) : Number(input.value));
    s.model = { ...s.model, [p.name]: v };
  }, input));
  return field(p.name, input, p.help);
}

export function buildModelPanel(root, catalog, state, task, onChange) {
  keepFocus(() => renderModelPanel(root, catalog, state, task, onChange));
}

function renderModelPanel(root, catalog, state, task, onChange) {
  root.replaceChildren();
  const kinds = catalog.models.filter((m) => !task || m.tasks.includes(task));
  if (!kinds.length) {
    root.append(el('p', { class: 'warning', role: 'status' }, `No model here can learn a ${task} target yet; choose another target or task.`));
    return;
  }
  const kind = state.model.kind;
  const kindSelect = select('model-kind', kinds.map((m) => [m.kind, m.title]), kind);
  kindSelect.addEventListener('change', () => onChange((s) => { s.model = { kind: kindSelect.value }; }, kindSelect));
  root.append(field('Model', kindSelect, 'The family of model to train. Each one learns a different shape of rule from the data.'));
  const info = catalog.models.find((m) => m.kind === kind);
  if (!info) return;
  root.append(el('p', { class: 'about' }, info.about));
  const basic = info.params.filter((p) => !p.advanced);
  const advanced = info.params.filter((p) => p.advanced);
  const shown = (p) => { const v = state.model[p.name] ?? p.default; return `${p.name} ${Array.isArray(v) ? v.join(',') : v ?? 'none'}`; };
  const fold = narrowFold('model', basic.length ? `Settings: ${basic.map(shown).join(' · ')}` : 'Settings');
  for (const p of basic) fold.append(paramControl(p, state.model[p.name] ?? p.default, onChange));
  if (advanced.length) {
    const det = foldedGroup('model-advanced', 'Advanced settings');
    for (const p of advanced) det.append(paramControl(p, state.model[p.name] ?? p.default, onChange));
    fold.append(det);
  }
  if (basic.length || advanced.length) root.append(fold);
}

export function buildAxisPickers(root, features, view, onChange) {
  keepFocus(() => renderAxisPickers(root, features, view, onChange));
}

function renderAxisPickers(root, features, view, onChange) {
  root.replaceChildren();
  const opts = features.map((f, i) => [String(i), f]);
  const mk = (id, label, key) => {
    const s = select(id, opts, String(view[key]));
    s.title = `Which feature to put on the ${label.trim()}; this changes the picture, not the model`;
    s.addEventListener('change', () => onChange((st) => { st.view = { ...st.view, [key]: Number(s.value) }; }, s));
    return el('label', { class: 'axis', for: id }, label, s);
  };
  if (features.length < 2) return;
  const pca = el('input', { type: 'checkbox', id: 'view-pca', checked: Boolean(view.pca) });
  pca.title = 'Show the data on its first two principal components: the plane that keeps the most of its spread';
  pca.addEventListener('change', () => onChange((st) => { st.view = { ...st.view, pca: pca.checked }; }, pca));
  if (!view.pca) root.append(mk('axis-x', 'x axis ', 'x_feature'), mk('axis-y', 'y axis ', 'y_feature'));
  root.append(el('label', { class: 'axis', for: 'view-pca' }, pca, ' PCA plane'));
}

export { setFieldError };
