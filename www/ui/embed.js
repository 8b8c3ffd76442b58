// `?embed`: the compact layout for an iframe in a course page. The header goes, the charts
// come first, and of the settings only those the link asks for stay: the state's
// `view.show` (e.g. ["model", "max_depth"]: control names as exercises use them, or
// hyperparameter names), or `&show=model,max_depth` in the address. An exercise's locked
// and hidden controls still apply on top (applyLocks runs after this). Fetched only for
// `?embed` pages, before their first drawing (main.js).

import { CONTROLS } from './exercise.js';

const params = new URLSearchParams(location.search);
export const EMBED = params.has('embed');
const NAME = /^[a-z0-9_]{1,40}$/;

/** The names to show: the address's `show=` when given, else the state's `view.show`;
 * `null` (every control) for an exercise that names none, as the student needs them. */
export function shownNames(state, exerciseOpen) {
  const fromUrl = params.get('show');
  const names = fromUrl !== null ? fromUrl.split(',').map((s) => s.trim()) : (state.view.show ?? []);
  if (!names.length && exerciseOpen) return null;
  return names.filter((n) => NAME.test(n));
}

// The blocks a panel is made of; each is kept or hidden as a whole.
const BLOCKS = '.field, .upload-row, .about, .seed-row, .split > output';

/** Hide every setting not asked for (call after every re-render of the panels). */
export function applyEmbed(state, exerciseOpen) {
  if (!EMBED) return;
  document.body.classList.add('embed');
  const names = shownNames(state, exerciseOpen);
  if (!names) { document.body.classList.add('embed-threshold', 'embed-test'); return; }
  const keep = new Set();
  for (const n of names) {
    const sel = CONTROLS[n] ?? [`#param-${n}`];
    for (const c of document.querySelectorAll(sel.map((s) => `#data-controls ${s}, #model-controls ${s}`).join(', '))) {
      keep.add(c.closest('.seed-row') ?? c.closest('.upload-row') ?? c.closest('.field') ?? c);
    }
    if (n === 'split') document.querySelectorAll('.split > output').forEach((o) => keep.add(o));
  }
  for (const root of [document.getElementById('data-controls'), document.getElementById('model-controls')]) {
    if (!root) continue;
    root.querySelectorAll(BLOCKS).forEach((b) => {
      const inside = b.classList.contains('field') && b.parentElement?.closest('.seed-row');
      if (!inside) b.hidden = !keep.has(b);
    });
    // Rows and groups whose every part is hidden would still take their gap.
    root.querySelectorAll('.row2, .split').forEach((g) => { g.hidden = [...g.children].every((c) => c.hidden); });
    root.querySelectorAll('details.advanced').forEach((d) => {
      const any = [...keep].some((k) => d.contains(k)); // a field, or the seed's row
      d.hidden = !any;
      if (any) d.open = true;
    });
  }
  const dataShown = [...keep].some((k) => k.closest('#data-controls'));
  document.getElementById('data-panel').hidden = !dataShown;
  document.getElementById('model-controls').hidden = ![...keep].some((k) => k.closest('#model-controls'));
  document.getElementById('model-title').hidden = document.getElementById('model-controls').hidden;
  // The threshold and the final evaluation live in the evaluation view: shown only when asked.
  document.body.classList.toggle('embed-threshold', names.includes('threshold'));
  document.body.classList.toggle('embed-test', names.includes('test'));
}

/** A link out of the frame to the full page with the same state. */
export function openFullLink() {
  const a = document.createElement('a');
  a.className = 'embed-open';
  a.target = '_blank';
  a.rel = 'noopener';
  a.textContent = 'Open in mlplay ↗';
  const update = () => {
    const u = new URL(location.href);
    u.searchParams.delete('embed');
    u.searchParams.delete('show');
    a.href = u.href;
  };
  update();
  a.addEventListener('mouseenter', update);
  a.addEventListener('focus', update);
  return a;
}
