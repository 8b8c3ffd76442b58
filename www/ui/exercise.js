// An exercise's controls: those it locks or hides, and the names exercise files use for
// them. The bar itself (exercise_bar.js) comes only when an exercise is open. Exercise
// files are validated in Rust (`parse_exercise`) before anything is shown.

// What each lockable name covers on the page.
export const CONTROLS = {
  dataset: ['#dataset', '[id^=knob-]'],
  upload: ['.upload-row'],
  target: ['#target'],
  task: ['#task'],
  columns: ['select.role'],
  prep: ['#imputer', '#scaler'],
  split: ['#split-train', '#split-validation'],
  seed: ['#seed', '[aria-label="New random seed"]'],
  model: ['#model-kind'],
  params: ['[id^=param-]'],
  threshold: ['#threshold'],
  test: ['#final-eval'],
};

export const EXERCISE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Disable locked controls and hide hidden ones (call after every re-render of the panels). */
export function applyLocks(ex) {
  if (!ex) return;
  const pick = (names) => names.flatMap((n) => CONTROLS[n] ?? []).join(', ');
  const locked = pick(ex.locked);
  if (locked) {
    document.querySelectorAll(locked).forEach((c) => {
      if ('disabled' in c) c.disabled = true; else c.hidden = true; // e.g. the upload row
      c.title = 'Locked by this exercise';
    });
  }
  const hidden = pick(ex.hidden);
  if (hidden) document.querySelectorAll(hidden).forEach((c) => { (c.closest('.field') ?? c).hidden = true; });
}
