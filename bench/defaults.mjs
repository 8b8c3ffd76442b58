// Each kind with the defaults a user gets, native mlplay (one thread) against scikit-learn
// (one thread) in the same run, on make_classification's 80,000 x 20 training rows:
// logistic regression (mlplay's default solver, and gradient_descent, the teaching choice)
// and k-means (k = 8, n_init = 1), whose time per iteration is compared as well as the
// total (the two start from different k-means++ draws, so their iteration counts differ).
// Each fit runs BENCH_REPEATS times (default 5); the table shows medians, and the machine's
// load average at the start and end of the run (a loaded machine slows both sides).
// Then every kind with a scikit-learn counterpart, each side with its own defaults, on
// smaller sets (16,000 x 20 classification and regression rows, digits for t-SNE and UMAP;
// at most 3 fits each), and the kinds without one on mlplay's side alone: the review for
// defaults that are slow for no gain, as gradient descent was for logistic regression.
// Writes bench/results/defaults.{json,md}. Usage (through `./x bench defaults`):
// node bench/defaults.mjs TRAIN.csv TEST.csv [CLS_TRAIN CLS_TEST REG_TRAIN REG_TEST DIGITS]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { nativeRun, python, writeResults } from './lib.mjs';

const [trainFile, testFile, ...kindFiles] = process.argv.slice(2);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const load = () => os.loadavg().map((v) => v.toFixed(1)).join(' ');
const loadBefore = load();

// mlplay's runs of one setting: times, and the steps it took (from the saved model file).
function mlplay(kind, sets, supervised, files = [trainFile, testFile], times = repeats) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlplay-defaults-'));
  const file = path.join(dir, 'model.json');
  const args = ['run', '--data', files[0], '--model', kind, ...sets.flatMap((s) => ['--set', s]), '--json', '--save-model', file];
  if (supervised) args.push('--test-data', files[1], '--split', '1,0,0');
  const runs = [];
  let report;
  for (let i = 0; i < times; i++) {
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
    mlplay_iter: iters, sklearn_iter: s.n_iter, per_iter_ratio: iters && s.n_iter ? (ms / iters) / (skMs / s.n_iter) : null, quality,
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
if (kindFiles.length === 5) rows.push(...everyKind(...kindFiles));
const loadAfter = load();
const f = (v, d = 0) => (v == null ? '–' : v.toFixed(d));
const x = (v) => (v == null ? '–' : `${v.toFixed(2)}x`);
const lines = [
  `Defaults, native mlplay vs scikit-learn (both one thread), ${path.basename(trainFile)}, median of ${repeats} fits each, run ${new Date().toISOString().slice(0, 16)}Z`,
  `Machine load average (1, 5, 15 min) at start ${loadBefore}, at end ${loadAfter} on ${os.cpus().length} cores: other work shared the CPU, so times are noisy`,
  '| model | settings | mlplay ms | scikit-learn ms | mlplay / sklearn | iterations mlplay / sklearn | per iteration mlplay / sklearn | quality |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.model} | ${r.settings} | ${f(r.mlplay_ms)} | ${f(r.sklearn_ms)} | ${x(r.ratio)} | ${r.mlplay_iter ?? '–'} / ${r.sklearn_iter ?? '–'} | ${x(r.per_iter_ratio)} | ${r.quality} |`),
];
console.log(lines.join('\n'));
writeResults('defaults', { load_before: loadBefore, load_after: loadAfter, repeats, rows }, lines);

// Every other kind with its defaults (see the top of this file).
function everyKind(clsTrain, clsTest, regTrain, regTest, digits) {
  const times = Math.min(repeats, 3);
  const sk = python('defaults_kinds_sklearn.py', [clsTrain, clsTest, regTrain, regTest, digits, String(times)]);
  const nTest = readFileSync(clsTest, 'utf8').trim().split('\n').length - 1;
  const kinds = [
    // [kind, files, supervised, quality from the report, what the quality is]
    ['knn', [clsTrain, clsTest], true, (r) => r.metrics.test.accuracy, 'test accuracy'],
    ['naive_bayes', [clsTrain, clsTest], true, (r) => r.metrics.test.accuracy, 'test accuracy'],
    ['decision_tree', [clsTrain, clsTest], true, (r) => r.metrics.test.accuracy, 'test accuracy'],
    ['random_forest', [clsTrain, clsTest], true, (r) => r.metrics.test.accuracy, 'test accuracy'],
    ['gradient_boosting', [clsTrain, clsTest], true, (r) => r.metrics.test.accuracy, 'test accuracy'],
    ['mlp', [clsTrain, clsTest], true, (r) => r.metrics.test.accuracy, 'test accuracy'],
    ['self_training', [clsTrain, clsTest], true, (r) => r.metrics.test.accuracy, 'test accuracy (80% of labels hidden)'],
    ['linear_regression', [regTrain, regTest], true, (r) => r.metrics.test.r2, 'test R²'],
    ['ridge', [regTrain, regTest], true, (r) => r.metrics.test.r2, 'test R²'],
    ['lasso', [regTrain, regTest], true, (r) => r.metrics.test.r2, 'test R²'],
    ['isolation_forest', [clsTrain], false, null, ''],
    ['pca', [clsTrain], false, (r) => r.metrics.explained_variance_ratio_cumulative, 'explained variance, 2 components'],
    ['dbscan', [clsTrain], false, (r) => `${r.metrics.n_clusters} clusters, ${r.metrics.n_noise} noise`, ''],
    ['tsne', [digits], false, (r) => r.metrics.kl_divergence, 'KL divergence (digits)'],
    ['umap', [digits], false, null, '(digits)'],
    ['autoencoder', [clsTrain], false, null, 'no scikit-learn counterpart'],
  ];
  return kinds.map(([kind, files, supervised, quality, what]) => {
    const m = mlplay(kind, [], supervised, files, times);
    // kNN's work is in predicting: both sides add the test rows' predictions.
    if (kind === 'knn') m.runs = m.runs.map((ms) => ms + (m.report.timing.predict_us_per_row * nTest) / 1000);
    const s = sk[kind];
    const q = (v) => (v == null ? null : typeof v === 'number' ? v.toFixed(4) : v);
    const text = [what, quality && `${q(quality(m.report))}`, s?.quality != null && `(sklearn ${q(s.quality)})`].filter(Boolean).join(' ');
    if (!s) return { model: kind, settings: 'defaults', mlplay_ms: median(m.runs), sklearn_ms: null, ratio: null, mlplay_runs: m.runs, mlplay_iter: m.steps, quality: text };
    return row(kind, kind === 'knn' ? 'defaults, fit + test predictions' : 'defaults', m, m.steps, { ...s, n_iter: s.n_iter ?? null }, text);
  });
}
