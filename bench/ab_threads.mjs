// Two sites' builds with threads timed against each other at one compute thread, in a
// fresh headless Chromium worker per run (bench/train_worker.mjs), alternating A and B so
// the machine's load falls on both alike: for build flags that change the wasm but not
// the results (each run's metrics are compared). Prints the best of REPS runs per site.
// Usage: node bench/ab_threads.mjs SITE_A SITE_B   (TASKS=knn,pca picks tasks; REPS=2)
// The data: bench/data/classification_20000_train.csv, dbscan_20000.csv, pca_20000.csv
// (bench/make_classification.py, bench/make_unsup_data.py) and digits.

import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { nativeRun, root, trainWithThreads, withBrowser } from './lib.mjs';

const sites = process.argv.slice(2).map((s) => path.resolve(s));
if (sites.length !== 2) throw new Error('usage: node bench/ab_threads.mjs SITE_A SITE_B');
const data = (f) => path.join(root, 'bench/data', f);
const table = data('classification_20000_train.csv');
const TASKS = {
  logistic: [table, ['--model', 'logistic_regression']],
  forest: [table, ['--model', 'random_forest']],
  boosting: [table, ['--model', 'gradient_boosting']],
  mlp: [table, ['--model', 'mlp']],
  knn: [table, ['--model', 'knn']],
  kmeans: [table, ['--model', 'kmeans', '--set', 'n_clusters=8', '--set', 'n_init=1']],
  dbscan: [data('dbscan_20000.csv'), ['--model', 'dbscan', '--set', 'eps=0.05', '--set', 'min_samples=10']],
  pca: [data('pca_20000.csv'), ['--model', 'pca', '--set', 'n_components=10']],
  tsne: [path.join(root, 'www/data/digits.csv'), ['--model', 'tsne']],
  umap: [path.join(root, 'www/data/digits.csv'), ['--model', 'umap']],
};
const picked = (process.env.TASKS ?? Object.keys(TASKS).join(',')).split(',');
const reps = Number(process.env.REPS ?? 2);
for (const name of picked) {
  const [file, args] = TASKS[name];
  const { link } = nativeRun(['run', '--data', file, ...args, '--json']).report;
  const times = sites.map(() => []);
  const metrics = sites.map(() => null);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < sites.length; i++) {
      await withBrowser(null, file, async (open) => {
        const out = await trainWithThreads(await open(), link, statSync(file).size, 1);
        times[i].push(out.report.timing.fit_ms);
        metrics[i] = JSON.stringify(out.report.metrics);
      }, sites[i]);
    }
  }
  const best = times.map((t) => Math.min(...t));
  console.log(`${name}: A ${best[0].toFixed(0)} ms, B ${best[1].toFixed(0)} ms, B/A ${(best[1] / best[0]).toFixed(2)}x, `
    + `same results ${metrics[0] === metrics[1]}, load ${os.loadavg()[0].toFixed(1)}`);
}
