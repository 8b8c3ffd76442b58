// Each kind with the defaults a user gets, native mlplay (one thread) against scikit-learn
// (one thread) in the same run, on make_classification's 80,000 x 20 training rows:
// logistic regression (mlplay's default solver, and gradient_descent, the teaching choice)
// and k-means (k = 8, n_init = 1), whose time per iteration is compared as well as the
// total (the two start from different k-means++ draws, so their iteration counts differ).
// Each fit runs BENCH_REPEATS times (default 5); the table shows medians, and the machine's
// load average at the start and end of the run (a loaded machine slows both sides).
// Writes bench/results/defaults.{json,md}. Usage (through `./x bench defaults`):
// node bench/defaults.mjs TRAIN.csv TEST.csv

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { nativeRun, python, writeResults } from './lib.mjs';

const [trainFile, testFile] = process.argv.slice(2);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const load = () => os.loadavg().map((v) => v.toFixed(1)).join(' ');
const loadBefore = load();

// mlplay's runs of one setting: times, and the steps it took (from the saved model file).
function mlplay(kind, sets, supervised) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlplay-defaults-'));
  const file = path.join(dir, 'model.json');
  const args = ['run', '--data', trainFile, '--model', kind, ...sets.flatMap((s) => ['--set', s]), '--json', '--save-model', file];
  if (supervised) args.push('--test-data', testFile, '--split', '1,0,0');
  const runs = [];
  let report;
  for (let i = 0; i < repeats; i++) {
    report = nativeRun(args).report;
    runs.push(report.timing.fit_ms);
  }
  const steps = JSON.parse(readFileSync(file, 'utf8')).training?.steps_done ?? null;
  rmSync(dir, { recursive: true, force: true });
  return { runs, report, steps };
}

const sk = python('defaults_sklearn.py', [trainFile, testFile, String(repeats)]);
const lbfgs = mlplay('logistic_regression', [], true);
const gd = mlplay('logistic_regression', ['solver=gradient_descent'], true);
const km = mlplay('kmeans', ['n_clusters=8'], false);

const row = (name, settings, m, iters, s, quality) => {
  const [ms, skMs] = [median(m.runs), median(s.fit_ms)];
  return {
    model: name, settings, mlplay_ms: ms, sklearn_ms: skMs, ratio: ms / skMs, mlplay_runs: m.runs, sklearn_runs: s.fit_ms,
    mlplay_iter: iters, sklearn_iter: s.n_iter, per_iter_ratio: iters ? (ms / iters) / (skMs / s.n_iter) : null, quality,
  };
};
const acc = (m) => m.report.metrics.test.accuracy.toFixed(4);
const rows = [
  row('logistic_regression', 'defaults (solver lbfgs)', lbfgs, lbfgs.steps, sk.logistic_regression,
    `test accuracy ${acc(lbfgs)} (sklearn ${sk.logistic_regression.accuracy.toFixed(4)})`),
  row('logistic_regression', 'solver=gradient_descent (100 epochs)', gd, gd.steps, sk.logistic_regression,
    `test accuracy ${acc(gd)} (sklearn ${sk.logistic_regression.accuracy.toFixed(4)})`),
  row('kmeans', 'defaults, n_clusters=8 (n_init=1)', km, km.report.metrics.n_iter, sk.kmeans,
    `inertia ${km.report.metrics.inertia.toFixed(0)} (sklearn ${sk.kmeans.inertia.toFixed(0)})`),
];
const loadAfter = load();
const f = (v, d = 0) => (v == null ? '–' : v.toFixed(d));
const lines = [
  `Defaults, native mlplay vs scikit-learn (both one thread), ${path.basename(trainFile)}, median of ${repeats} fits each, run ${new Date().toISOString().slice(0, 16)}Z`,
  `Machine load average (1, 5, 15 min) at start ${loadBefore}, at end ${loadAfter} on ${os.cpus().length} cores: other work shared the CPU, so times are noisy`,
  '| model | settings | mlplay ms | scikit-learn ms | mlplay / sklearn | iterations mlplay / sklearn | per iteration mlplay / sklearn | quality |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.model} | ${r.settings} | ${f(r.mlplay_ms)} | ${f(r.sklearn_ms)} | ${f(r.ratio, 2)}x | ${r.mlplay_iter ?? '–'} / ${r.sklearn_iter} | ${f(r.per_iter_ratio, 2)}x | ${r.quality} |`),
];
console.log(lines.join('\n'));
writeResults('defaults', { load_before: loadBefore, load_after: loadAfter, repeats, rows }, lines);
