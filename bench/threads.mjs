// The browser's compute threads on one task: the single-thread build, then the build with
// threads on 1 and on N threads (default: the machine's cores), each in a fresh worker,
// `repeats` times; checks that every run gives the same numbers.
// Usage: node bench/threads.mjs FILE.csv MODEL [param=value ...]   (after ./x build)

import { statSync } from 'node:fs';
import { nativeRun, withBrowser } from './lib.mjs';

const [file, model, ...sets] = process.argv.slice(2);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const nat = nativeRun(['run', '--data', file, '--split', '1,0,0', '--model', model, ...sets.flatMap((s) => ['--set', s]), '--json']);
const inWorker = (page, dir, threads) => page.evaluate(([link, size, dir, threads]) => new Promise((resolve, reject) => {
  const w = new Worker('/bench-data/train_worker.mjs', { type: 'module' });
  w.onmessage = (e) => { w.terminate(); if (e.data.error) reject(new Error(e.data.error)); else resolve(e.data); };
  w.postMessage({ dir, threads, link, size });
}), [nat.report.link, statSync(file).size, dir, threads]);

const rows = await withBrowser(null, file, async (open) => {
  const page = await open();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const runs = [['pkg', 1], ['pkg-mt', 1], ['pkg-mt', Number(process.env.BENCH_THREADS ?? cores)]];
  const out = runs.map(([dir, t]) => ({ build: dir, threads: t, ms: [] }));
  let metrics = null;
  for (let r = 0; r < repeats; r++) {
    for (const row of out) {
      const res = await inWorker(page, row.build, row.threads);
      const m = JSON.stringify(res.report.metrics);
      if (metrics && m !== metrics) throw new Error(`${row.build} on ${row.threads} threads gave other numbers: ${m} vs ${metrics}`);
      metrics = m;
      row.got = res.threads;
      row.ms.push(res.report.timing.fit_ms);
    }
  }
  return out;
});
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(rows[0].ms);
console.log(`${model} on ${file} (${process.env.BENCH_REPEATS ?? 3} runs each, median fit time; native one thread ${nat.report.timing.fit_ms.toFixed(0)} ms)`);
for (const r of rows) console.log(`  ${r.build.padEnd(6)} ${String(r.got).padStart(2)} thread(s): ${median(r.ms).toFixed(0).padStart(7)} ms  (${(base / median(r.ms)).toFixed(2)}x the single-thread build; runs ${r.ms.map((v) => v.toFixed(0)).join(', ')})`);
