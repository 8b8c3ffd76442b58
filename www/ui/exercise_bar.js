// The exercise bar: title, instructions, goals that tick as the student works, and Submit,
// which gives the result link to hand in. Fetched when an exercise is open (ui/lazy.js).

import { el } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { title } from './glossary_results.js';

export function renderExercise(root, ex, onSubmit) {
  root.hidden = false;
  const goals = el('ul', { id: 'goals', class: 'goals' }, ex.goals.map((g, i) => el('li', { 'data-goal': i, 'data-passed': 'false' },
    el('span', { class: 'goal-mark', 'aria-hidden': 'true' }, '○'), el('span', {}, g.text), el('span', { class: 'goal-detail' }, ''))));
  const submit = el('button', { type: 'button', id: 'submit-exercise', title: 'Get the link to hand in: it reproduces your run exactly' }, 'Submit');
  submit.addEventListener('click', onSubmit);
  root.replaceChildren(
    el('h2', {}, el('span', { class: 'exercise-tag' }, 'Exercise'), ' ', ex.title),
    el('div', { class: 'instructions' }, renderMarkdown(ex.instructions)),
    el('h3', {}, 'Goals'), goals,
    el('div', { class: 'submit-row' }, submit, el('span', { id: 'goal-count', role: 'status' }, `0 of ${ex.goals.length} goals met`)),
    el('div', { id: 'submit-result', hidden: true }));
}

// The grader names what it read as a path ("metrics.adjusted_rand is 0.3435"); the student
// reads the page's words ("Adjusted Rand index is 0.3435").
const PARTS = { train: 'on the training rows', validation: 'on the validation rows', test: 'on the test rows', cv: 'in cross-validation', threshold: 'at the chosen threshold', final: 'in the final evaluation' };
export function inWords(detail) {
  return detail.replace(/\b([a-z]+)\.([a-z0-9_]+)\b/g, (whole, part, name) => {
    const words = title(name) === name ? name.replace(/_/g, ' ') : title(name);
    if (part === 'metrics') return words;
    if (PARTS[part]) return `${words} ${PARTS[part]}`;
    if (part === 'model' || part === 'params') return `the model's ${words}`;
    if (part === 'timing') return words;
    return whole;
  }).replace(/^\w/, (c) => c.toUpperCase());
}

/** Tick the goals; returns how many pass. */
export function showGoals(root, results) {
  results.forEach((r, i) => {
    const li = root.querySelector(`[data-goal="${i}"]`);
    if (!li) return;
    li.dataset.passed = String(r.passed);
    li.querySelector('.goal-mark').textContent = r.passed ? '✓' : '○';
    li.querySelector('.goal-detail').textContent = r.passed ? '' : r.detail ? ` (${inWords(r.detail)})` : '';
  });
  const n = results.filter((r) => r.passed).length;
  root.querySelector('#goal-count').textContent = `${n} of ${results.length} goals met`;
  return n;
}

export function showSubmission(root, link, met, total) {
  const box = root.querySelector('#submit-result');
  box.hidden = false;
  const field = el('input', { type: 'text', id: 'result-link', readonly: true, value: link, 'aria-label': 'Your result link' });
  box.replaceChildren(el('p', {}, met === total
    ? 'All goals met. Hand in this link: it reopens your exact run, and your instructor can check it with mlplay check.'
    : `${met} of ${total} goals met so far. You can hand in this link now or keep working.`), field);
  field.select();
}
