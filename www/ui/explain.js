// "What the model learned": signed weights of linear models, feature importances of
// ensembles, the tree of a decision tree (collapsible, depth-limited) with its rules as
// text, and what self-training added. Everything is built as text nodes (names come from
// the user's file).

import { el, infoTip } from './dom.js';
import { tip, viewTip } from './glossary_results.js';

const TOP = 15;          // rows shown before "show all"
const OPEN_DEPTH = 2;    // tree levels open at first
const MAX_TREE_DEPTH = 8; // deeper levels are summarised, not drawn

const fmt = (v) => (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.001) ? v.toExponential(2) : v.toFixed(3));

// A list of named values as bars (signed values grow left or right of the middle).
function bars(items, { signed, label }) {
  const max = Math.max(1e-12, ...items.map((d) => Math.abs(d.value)));
  const row = (d) => {
    const w = `${(50 * Math.abs(d.value)) / max}%`;
    const style = signed
      ? (d.value >= 0 ? `left:50%;width:${w}` : `right:50%;width:${w}`)
      : `left:0;width:${(100 * Math.abs(d.value)) / max}%`;
    return el('li', { class: `bar-row ${d.value < 0 ? 'neg' : 'pos'}` },
      el('span', { class: 'bar-name', title: d.name }, d.name),
      el('span', { class: `bar-track${signed ? ' signed' : ''}`, 'aria-hidden': 'true' }, el('span', { class: 'bar', style })),
      el('span', { class: 'bar-value' }, fmt(d.value)));
  };
  const list = el('ol', { class: 'weight-bars', 'aria-label': label }, items.slice(0, TOP).map(row));
  if (items.length <= TOP) return list;
  const more = el('button', { type: 'button', class: 'secondary small', onclick: () => {
    list.replaceChildren(...items.map(row));
    more.remove();
  } }, `Show all ${items.length}`);
  return el('div', {}, list, more);
}

const sortedBy = (names, values) => names.map((name, i) => ({ name, value: values[i] }))
  .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));

function coefficients(c, names) {
  const box = el('div', { class: 'explain-block', 'data-view': 'coefficients' });
  const show = (k) => box.replaceChildren(
    picker,
    el('p', { class: 'note' }, `Intercept ${fmt(c.intercepts[k])}. Features are ${c.outputs.length > 1 ? `scored for ${c.outputs[k]}` : `pushing towards ${c.outputs[k]}`} when positive, away when negative; on standardised inputs the sizes compare.`),
    bars(sortedBy(names, c.weights[k]), { signed: true, label: `Weights for ${c.outputs[k]}` }));
  const picker = c.outputs.length > 1
    ? el('label', { class: 'inline' }, 'Class ', el('select', { onchange: (e) => show(Number(e.target.value)) },
      c.outputs.map((o, k) => el('option', { value: k }, o))))
    : '';
  show(0);
  return [el('h3', {}, 'Weights ', infoTip('weights', tip('coefficients'))), box];
}

function importances(imp, names) {
  const blocks = [el('h3', {}, 'Feature importance ', infoTip('feature importance', tip('importance')))];
  blocks.push(el('div', { class: 'explain-block', 'data-view': 'importances' },
    el('p', { class: 'note' }, 'From the splits: how much each feature reduced the error, summing to 1.'),
    bars(sortedBy(names, imp.impurity), { signed: false, label: 'Split importance' })));
  if (imp.permutation) {
    blocks.push(el('div', { class: 'explain-block', 'data-view': 'permutation' },
      el('p', { class: 'note' }, 'Permutation: how much the validation score drops when the feature is shuffled. Near zero means the model does not need it.'),
      bars(sortedBy(names, imp.permutation), { signed: true, label: 'Permutation importance' })));
  }
  return blocks;
}

// One tree node as a collapsible <details>; the summary reads as the rule.
function treeNode(n, ctx, depth, condition) {
  const share = (v) => (ctx.classes.length ? `${ctx.classes[v.indexOf(Math.max(...v))]} (${(100 * Math.max(...v)).toFixed(0)}%)` : fmt(v[0]));
  const head = `${condition ? `${condition}: ` : ''}${n.samples} rows → ${share(n.value)}`;
  if (n.type === 'leaf') return el('li', { class: 'leaf' }, head);
  if (depth >= MAX_TREE_DEPTH) return el('li', { class: 'leaf' }, `${head} … (deeper levels not drawn)`);
  const name = ctx.features[n.feature] ?? `feature ${n.feature}`;
  let yes, no;
  if (n.categories_left) {
    const levels = ctx.categories[n.feature] ?? [];
    const cats = n.categories_left.map((k) => levels[k] ?? k).join(', ');
    [yes, no] = [`${name} in {${cats}}`, `${name} not in {${cats}}`];
  } else {
    [yes, no] = [`${name} ≤ ${fmt(n.threshold)}`, `${name} > ${fmt(n.threshold)}`];
  }
  const miss = ' (or missing)';
  if (n.missing_left) yes += miss; else no += miss;
  return el('li', {}, el('details', { open: depth < OPEN_DEPTH },
    el('summary', {}, head),
    el('ul', {}, treeNode(n.left, ctx, depth + 1, yes), treeNode(n.right, ctx, depth + 1, no))));
}

function tree(e) {
  const ctx = { features: e.feature_names ?? [], classes: e.class_names ?? [], categories: e.category_names ?? [] };
  const out = [el('h3', {}, 'The tree ', infoTip('decision tree', viewTip('tree'))),
    el('ul', { class: 'tree', 'data-view': 'tree' }, treeNode(e.tree, ctx, 0, ''))];
  if (e.rules) out.push(el('details', { class: 'rules' }, el('summary', {}, 'Rules as text'), el('pre', {}, e.rules)));
  return out;
}

function selfTraining(s) {
  return [el('h3', {}, 'Self-training ', infoTip('self-training', viewTip('self_training'))),
    el('p', { 'data-view': 'self-training' },
      `${s.labelled} rows kept their labels and ${s.unlabelled} had them hidden. Pseudo-labels added per round: `
      + `${s.added_per_round.join(', ') || 'none'}. Trained on the labelled rows alone, the base model scored `
      + `${s.baseline_accuracy.toFixed(3)} validation accuracy.`)];
}

export function renderExplanation(root, e) {
  root.replaceChildren();
  if (!e) return;
  const names = e.feature_names ?? [];
  const parts = [];
  if (e.coefficients) parts.push(...coefficients(e.coefficients, names));
  if (e.tree) parts.push(...tree(e));
  if (e.importances) parts.push(...importances(e.importances, names));
  if (e.self_training) parts.push(...selfTraining(e.self_training));
  const scores = Object.entries(e.scores ?? {});
  if (scores.length) {
    parts.push(el('dl', { class: 'cost', 'data-view': 'scores' }, scores.map(([k, v]) => [
      el('dt', {}, k, tip(k) ? infoTip(k, tip(k)) : ''), el('dd', {}, Number.isInteger(v) ? String(v) : v.toFixed(4))])));
  }
  if (parts.length) root.append(el('h2', { class: 'sub' }, 'What the model learned'), ...parts);
}
