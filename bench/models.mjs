// Model fit times on a 100,000 x 20 classification set (80,000 training rows), three ways
// in one run: mlplay native, mlplay in headless Chromium (wasm + SIMD) and scikit-learn
// with one thread. Native mlplay and scikit-learn score the same 20,000 test rows; the
// browser trains on exactly the rows native mlplay trains on (same seed, same code), so
// only its time is reported. Writes bench/results/models.{json,md}.
// Run through `./x bench`.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { nativeRun, python, trainInPage, trainWithThreads, withBrowser, writeResults } from './lib.mjs';

const [trainFile, testFile] = process.argv.slice(2);
const trainRows = readFileSync(trainFile, 'utf8').split('\n').filter(Boolean).length - 1;
// Matching hyperparameters (scikit-learn's defaults for these, boosting without early stopping).
const MODELS = {
  logistic_regression: { kind: 'logistic_regression' }, // its default solver, lbfgs
  random_forest: { kind: 'random_forest', n_estimators: 100 },
  gradient_boosting: { kind: 'gradient_boosting', max_iter: 100, max_bins: 255, early_stopping: 'off' },
};
const sets = (spec) => Object.entries(spec).filter(([k]) => k !== 'kind').flatMap(([k, v]) => ['--set', `${k}=${v}`]);

function native(spec) {
  const { report: r, peak_rss_bytes } = nativeRun(['run', '--data', trainFile, '--test-data', testFile,
    '--split', '1,0,0', '--model', spec.kind, ...sets(spec), '--json']);
  return { fit_ms: r.timing.fit_ms, accuracy: r.metrics.test.accuracy, link: r.link, peak_rss_bytes };
}

// Each model in a fresh page (a fresh wasm instance), so the memory after it is its own
// peak: on the single-thread build, then on the build with threads (one per core).
const browser = (links) => withBrowser(null, trainFile, async (open) => {
  const out = {};
  for (const [name, link] of Object.entries(links)) {
    let page = await open();
    const r = await trainInPage(page, link, statSync(trainFile).size);
    await page.close();
    page = await open();
    const t = await trainWithThreads(page, link, statSync(trainFile).size);
    await page.close();
    if (JSON.stringify(t.report.metrics) !== JSON.stringify(r.report.metrics)) throw new Error(`${name}: threads changed the result`);
    out[name] = { fit_ms: r.report.timing.fit_ms, wasm_bytes: r.memory_after, threads: t.threads, threads_ms: t.report.timing.fit_ms };
  }
  return out;
});

const nat = Object.fromEntries(Object.entries(MODELS).map(([name, spec]) => [name, native(spec)]));
console.log('mlplay native:', JSON.stringify(Object.fromEntries(Object.entries(nat).map(([k, v]) => [k, [v.fit_ms, v.accuracy]]))));
const sk = python('models_sklearn.py', [trainFile, testFile]);
console.log('scikit-learn:', JSON.stringify(sk));
// The browser gets the states native mlplay ran (their links), so the runs match.
const web = await browser(Object.fromEntries(Object.entries(nat).map(([name, r]) => [name, r.link])));

const rows = Object.keys(MODELS).map((name) => ({
  model: name,
  sklearn_ms: sk[name].fit_ms, native_ms: nat[name].fit_ms, browser_ms: web[name].fit_ms,
  native_ratio: nat[name].fit_ms / sk[name].fit_ms, browser_ratio: web[name].fit_ms / sk[name].fit_ms,
  threads: web[name].threads, browser_threads_ms: web[name].threads_ms, threads_speedup: web[name].fit_ms / web[name].threads_ms,
  sklearn_accuracy: sk[name].accuracy, mlplay_accuracy: nat[name].accuracy,
  // Raw: the training rows as f64 (80,000 x 20 x 8 bytes at the default size).
  memory_mb: { raw: (trainRows * 20 * 8) / 1e6, native_peak_rss: nat[name].peak_rss_bytes / 1e6, browser_wasm: web[name].wasm_bytes / 1e6 },
}));
const lines = [
  `Model fit, ${trainRows.toLocaleString('en')} x 20 training rows (${path.basename(trainFile)}), test accuracy on the held-out rows; scikit-learn single-threaded`,
  `mlplay native and browser on one thread; "threads": the browser build with threads, ${rows[0].threads} compute threads (the machine's cores), same result`,
  '| model | scikit-learn ms | mlplay native ms | native / sklearn | mlplay browser ms | browser / sklearn | browser, threads ms | speed-up | accuracy sklearn | accuracy mlplay | memory: raw, native RSS, wasm (MB) |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.model} | ${r.sklearn_ms.toFixed(0)} | ${r.native_ms.toFixed(0)} | ${r.native_ratio.toFixed(2)}x | ${r.browser_ms.toFixed(0)} | ${r.browser_ratio.toFixed(2)}x | ${r.browser_threads_ms.toFixed(0)} | ${r.threads_speedup.toFixed(2)}x | ${r.sklearn_accuracy.toFixed(4)} | ${r.mlplay_accuracy.toFixed(4)} | ${r.memory_mb.raw.toFixed(1)}, ${r.memory_mb.native_peak_rss.toFixed(0)}, ${r.memory_mb.browser_wasm.toFixed(0)} |`),
];
console.log(lines.join('\n'));
writeResults('models', rows, lines);
