// Two builds of mlplay timed against each other in one run: did a change slow anything?
// Each task runs on build A, then build B, then A again..., natively (one thread) and in a
// fresh headless Chromium page of each build's own site (single-thread wasm), so the load of
// the machine falls on both alike. Results must be identical across the builds (seeded runs);
// a difference is reported. Writes bench/results/ab.{json,md}.
// Usage: node bench/ab.mjs DIR_A DIR_B   (each a checkout with target/release/mlplay and site/
// built); AB_TASKS=gradient_boosting,kmeans picks tasks; BENCH_REPEATS (default 3; the fastest counts);
// AB_NATIVE_ONLY=1 times only the native half (for a checkout with no site/ built; page columns say "-").

import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { nativeRun, root, trainInPage, withBrowser, writeResults } from './lib.mjs';

const [dirA, dirB] = process.argv.slice(2).map((d) => path.resolve(d));
if (!dirB) throw new Error('usage: node bench/ab.mjs DIR_A DIR_B');
const data = (f) => path.join(root, 'bench/data', f);
const train = data('classification_100000_train.csv');
// The settings of bench/models.mjs and bench/unsup.mjs, so the rows compare with theirs.
const TASKS = {
  // The solver named: older builds defaulted to gradient descent.
  logistic_regression: { file: train, model: 'logistic_regression', set: { solver: 'lbfgs' } },
  random_forest: { file: train, model: 'random_forest', set: { n_estimators: 100 } },
  gradient_boosting: { file: train, model: 'gradient_boosting', set: { max_iter: 100, max_bins: 255, early_stopping: 'off' } },
  kmeans: { file: data('kmeans_classification_100000.csv'), model: 'kmeans', set: { n_clusters: 8, n_init: 1 } },
  dbscan: { file: data('dbscan_50000.csv'), model: 'dbscan', set: { eps: 0.05, min_samples: 10 } },
  pca: { file: data('pca_20000.csv'), model: 'pca', set: { n_components: 10 } },
};
const supervised = (t) => t.file === train;
const picked = (process.env.AB_TASKS ?? Object.keys(TASKS).join(',')).split(',');
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const nativeOnly = process.env.AB_NATIVE_ONLY === '1';
// The fastest of the repeats: on a shared machine the load only ever adds time.
const fastest = (v) => Math.min(...v);
const load = () => os.loadavg()[0].toFixed(1);
const builds = [dirA, dirB].map((dir) => ({ dir, bin: path.join(dir, 'target/release/mlplay'), site: path.join(dir, 'site') }));

function native(build, task) {
  const sets = Object.entries(task.set).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const split = supervised(task) ? ['--test-data', data('classification_100000_test.csv'), '--split', '1,0,0'] : [];
  const { report, cpu_s } = nativeRun(['run', '--data', task.file, ...split, '--model', task.model, ...sets, '--json'], build.bin);
  return { ...report, cpu_s };
}

// One page per run: a fresh wasm instance, as a user's first run.
const inPage = (build, link, file) =>
  withBrowser(null, file, async (open) => (await trainInPage(await open(), link, statSync(file).size)).report, build.site);

// The metrics both builds report agree exactly (a newer build may report more of them).
function sameMetrics(x, y) {
  const common = Object.keys(x.metrics).filter((k) => k in y.metrics);
  return common.length > 0 && common.every((k) => JSON.stringify(x.metrics[k]) === JSON.stringify(y.metrics[k]));
}

const rows = [];
for (const name of picked) {
  const task = TASKS[name];
  if (!task) throw new Error(`unknown task ${name}`);
  const loadBefore = load();
  const runs = builds.map(() => ({ native: [], page: [] }));
  for (let i = 0; i < repeats; i++) {
    builds.forEach((b, j) => runs[j].native.push(native(b, task)));
  }
  for (let i = 0; i < repeats && !nativeOnly; i++) {
    for (const [j, b] of builds.entries()) runs[j].page.push(await inPage(b, runs[j].native[0].link, task.file));
  }
  const ms = (reports) => (reports.length ? fastest(reports.map((r) => r.timing.fit_ms)) : NaN);
  const cpu = (reports) => fastest(reports.map((r) => r.cpu_s));
  const [a, b] = runs;
  const same = sameMetrics(a.native[0], b.native[0]) && (nativeOnly || sameMetrics(a.page[0], b.page[0]));
  const row = {
    task: name, native_a_ms: ms(a.native), native_b_ms: ms(b.native), page_a_ms: ms(a.page), page_b_ms: ms(b.page),
    native_a_cpu_s: cpu(a.native), native_b_cpu_s: cpu(b.native),
    same_results: same, load: `${loadBefore} → ${load()}`,
    all_ms: runs.map((r) => ({ native: r.native.map((x) => x.timing.fit_ms), page: r.page.map((x) => x.timing.fit_ms) })),
    all_cpu_s: runs.map((r) => r.native.map((x) => x.cpu_s)),
  };
  row.native_ratio = row.native_b_ms / row.native_a_ms;
  row.cpu_ratio = row.native_b_cpu_s / row.native_a_cpu_s;
  row.page_ratio = row.page_b_ms / row.page_a_ms;
  if (!same) row.metrics = runs.map((r) => ({ native: r.native[0].metrics, page: r.page[0]?.metrics }));
  console.log(name, row.native_a_ms.toFixed(0), row.native_b_ms.toFixed(0), row.native_ratio.toFixed(2), row.cpu_ratio.toFixed(2),
    row.page_a_ms.toFixed(0), row.page_b_ms.toFixed(0), row.page_ratio.toFixed(2), same ? 'same' : 'DIFFERENT', row.load);
  rows.push(row);
}

const f = (v) => (Number.isNaN(v) ? '-' : v.toFixed(0));
const x = (v) => (Number.isNaN(v) ? '-' : `${v.toFixed(2)}x`);
writeResults('ab', { a: dirA, b: dirB, date: new Date().toISOString(), repeats, rows }, [
  `Build A: ${dirA}; build B: ${dirB}. ${new Date().toISOString()}; the fastest of ${repeats} runs each,`,
  'A and B interleaved; native one thread (fit time, and the process\'s CPU seconds, parsing included), the page',
  `single-thread wasm in headless Chromium (fit time${nativeOnly ? '; not run: AB_NATIVE_ONLY=1' : ''}). Made by \`node bench/ab.mjs A B\`.`,
  '',
  '| task | native A ms | native B ms | B / A | CPU s A | CPU s B | B / A | page A ms | page B ms | B / A | same results | load (1 min) |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.task} | ${f(r.native_a_ms)} | ${f(r.native_b_ms)} | ${r.native_ratio.toFixed(2)}x | ${r.native_a_cpu_s.toFixed(2)} | ${r.native_b_cpu_s.toFixed(2)} | ${r.cpu_ratio.toFixed(2)}x | ${f(r.page_a_ms)} | ${f(r.page_b_ms)} | ${x(r.page_ratio)} | ${r.same_results ? 'yes' : 'NO'} | ${r.load} |`),
]);
