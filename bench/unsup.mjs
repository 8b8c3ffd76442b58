// Clustering and projection fit times, three ways in one run: mlplay native (the CLI),
// mlplay in headless Chromium (wasm + SIMD, the state native mlplay ran, via its link) and
// scikit-learn with one thread. Quality: k-means inertia, DBSCAN clusters / noise / ARI
// against scikit-learn's labels, PCA explained variance. Peak memory next to the raw size
// (rows x features x 8 bytes). Writes bench/results/unsup.{json,md}; a task left out of
// the arguments keeps its row from the previous results (each row has the date it was run).
// k-means also by iteration: the two sides start from different k-means++ draws, so their
// iteration counts differ and the time per Lloyd iteration is the like-for-like figure.
// Each side runs BENCH_REPEATS times (default 3), native and scikit-learn interleaved, under
// the load of the machine at the time (recorded with the row); the table shows medians.
// Usage: node bench/unsup.mjs kmeans=FILE dbscan=FILE pca=FILE   (run through `./x bench`)

import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { nativeRun, python, trainInPage, trainWithThreads, withBrowser, writeResults } from './lib.mjs';

const PARAMS = {
  kmeans: { n_clusters: 8, n_init: 1 },
  dbscan: { eps: 0.05, min_samples: 10 },
  pca: { n_components: 10 },
};
const files = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const load = () => os.loadavg().map((v) => v.toFixed(1)).join(' ');

// The figure each side is judged on, as text, and as a number for the summary.
function quality(task, m) {
  if (task === 'kmeans') return { value: m.inertia, text: `inertia ${m.inertia.toFixed(0)}` };
  if (task === 'dbscan') return { value: m.n_clusters, text: `${m.n_clusters} clusters, ${m.noise} noise` };
  return { value: m.explained_variance_ratio_sum, text: `explained variance ${m.explained_variance_ratio_sum.toFixed(4)}` };
}

// mlplay's metrics in the same names as the scikit-learn script's.
function mlplayMetrics(task, report) {
  const m = { ...report.metrics };
  if (task === 'dbscan') m.noise = report.metrics.n_noise ?? report.labels?.filter((l) => l === -1).length;
  if (task === 'pca') {
    m.explained_variance_ratio_sum = report.metrics.explained_variance_ratio_cumulative;
  }
  return m;
}

// Iterations of each side and the time per iteration (k-means++ start included, as in
// the total), with its ratio to scikit-learn's.
function perIteration(skIter, natIter, webIter, skMs, natMs, webMs) {
  const [sk, nat, web] = [skMs / skIter, natMs / natIter, webMs / webIter];
  return {
    n_iter: { sklearn: skIter, native: natIter, browser: webIter },
    per_iter_ms: { sklearn: sk, native: nat, browser: web },
    native_per_iter_ratio: nat / sk, browser_per_iter_ratio: web / sk,
  };
}

const rows = [];
for (const [task, file] of Object.entries(files)) {
  const params = PARAMS[task];
  const sets = Object.entries(params).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const loadBefore = load();
  const nats = [];
  const sks = [];
  for (let i = 0; i < repeats; i++) {
    const nat = nativeRun(['run', '--data', file, '--model', task, ...sets, '--json']);
    const labelsFile = path.join(os.tmpdir(), `mlplay-bench-${task}-labels.json`);
    if (nat.report.labels) writeFileSync(labelsFile, JSON.stringify(nat.report.labels));
    sks.push(python('unsup_sklearn.py', [task, file, JSON.stringify(params), ...(nat.report.labels ? [labelsFile] : [])]));
    rmSync(labelsFile, { force: true });
    nats.push(nat);
  }
  // Every run of a side gives the same result (seeded); the times vary with the load.
  const [nat, sk] = [nats[0], sks[0]];
  const natMs = median(nats.map((r) => r.report.timing.fit_ms));
  const skMs = median(sks.map((r) => r.fit_ms));
  const natM = mlplayMetrics(task, nat.report);
  const [webs, mt] = await withBrowser(null, file, async (open) => {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await trainInPage(await open(), nat.report.link, statSync(file).size));
    return [runs, await trainWithThreads(await open(), nat.report.link, statSync(file).size)];
  });
  const web = webs[0];
  const webMs = median(webs.map((r) => r.report.timing.fit_ms));
  const webM = mlplayMetrics(task, web.report);
  if (task === 'kmeans' && webM.n_iter !== natM.n_iter) throw new Error('kmeans: the page took other iterations than native');
  if (quality(task, mlplayMetrics(task, mt.report)).text !== quality(task, webM).text) throw new Error(`${task}: threads changed the result`);
  const n = nat.report.rows;
  const features = task === 'kmeans' ? 20 : task === 'dbscan' ? 2 : 200;
  const row = {
    task, date: new Date().toISOString().slice(0, 10), rows: n, features, csv_mb: statSync(file).size / 1e6, raw_mb: (n * features * 8) / 1e6, params,
    sklearn_ms: skMs, native_ms: natMs, browser_ms: webMs,
    native_ratio: natMs / skMs, browser_ratio: webMs / skMs,
    threads: mt.threads, browser_threads_ms: mt.report.timing.fit_ms, threads_speedup: webMs / mt.report.timing.fit_ms,
    runs_ms: { sklearn: sks.map((r) => r.fit_ms), native: nats.map((r) => r.report.timing.fit_ms), browser: webs.map((r) => r.report.timing.fit_ms) },
    load_before: loadBefore, load_after: load(),
    ...(task === 'kmeans' ? perIteration(sk.n_iter, natM.n_iter, webM.n_iter, skMs, natMs, webMs) : {}),
    quality_sklearn: quality(task, sk), quality_native: quality(task, natM), quality_browser: quality(task, webM),
    adjusted_rand_vs_sklearn: sk.adjusted_rand_vs_mlplay ?? null,
    adjusted_rand_truth: { sklearn: sk.adjusted_rand_truth ?? null, mlplay: natM.adjusted_rand ?? null },
    memory_mb: { native_peak_rss: nat.peak_rss_bytes / 1e6, browser_wasm: web.memory_after / 1e6, sklearn_peak_rss: sk.peak_bytes / 1e6 },
  };
  console.log(JSON.stringify(row));
  rows.push(row);
}

// Rows of the tasks not run this time, from the last results file, in the usual order.
const previous = path.join(import.meta.dirname, 'results/unsup.json');
const kept = existsSync(previous) ? JSON.parse(readFileSync(previous, 'utf8')).filter((r) => !(r.task in files)) : [];
const order = Object.keys(PARAMS);
rows.push(...kept);
rows.sort((a, b) => order.indexOf(a.task) - order.indexOf(b.task));

const f = (v, d = 0) => (v == null ? '–' : v.toFixed(d));
const lines = [
  'Clustering and projection fits on standardised features; scikit-learn single-threaded, warmed up',
  `mlplay native and browser on one thread; "threads": the browser build with threads, ${rows.find((r) => r.threads)?.threads ?? '–'} compute threads (the machine's cores), same result`,
  '| task | run | rows x features | sklearn ms | native ms | native / sklearn | browser ms | browser / sklearn | browser, threads ms | speed-up | sklearn | mlplay native | mlplay browser | ARI mlplay vs sklearn | memory: raw, native RSS, wasm, sklearn RSS (MB) |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.task} | ${r.date ?? 'earlier'} | ${r.rows.toLocaleString('en')} x ${r.features} | ${f(r.sklearn_ms)} | ${f(r.native_ms)} | ${f(r.native_ratio, 2)}x | ${f(r.browser_ms)} | ${f(r.browser_ratio, 2)}x | ${f(r.browser_threads_ms)} | ${f(r.threads_speedup, 2)}x | ${r.quality_sklearn.text} | ${r.quality_native.text} | ${r.quality_browser.text} | ${f(r.adjusted_rand_vs_sklearn, 4)} | ${f(r.raw_mb, 1)}, ${f(r.memory_mb.native_peak_rss)}, ${f(r.memory_mb.browser_wasm)}, ${f(r.memory_mb.sklearn_peak_rss)} |`),
  '',
  'k-means per Lloyd iteration (total / iterations; each side draws its own k-means++ start, so the counts differ)',
  '| run | load average at start; at end (1, 5, 15 min) | runs | iterations sklearn / native / browser | sklearn ms / iteration | native ms / iteration | native / sklearn | browser ms / iteration | browser / sklearn native |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.filter((r) => r.n_iter).map((r) => `| ${r.date} | ${r.load_before}; ${r.load_after} | ${r.runs_ms.native.length} each, medians | ${r.n_iter.sklearn} / ${r.n_iter.native} / ${r.n_iter.browser} | ${f(r.per_iter_ms.sklearn, 2)} | ${f(r.per_iter_ms.native, 2)} | ${f(r.native_per_iter_ratio, 2)}x | ${f(r.per_iter_ms.browser, 2)} | ${f(r.browser_per_iter_ratio, 2)}x |`),
];
console.log(lines.join('\n'));
writeResults('unsup', rows, lines);
