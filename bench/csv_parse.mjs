// CSV parse + type inference, three ways on the same file in one run: mlplay in headless
// Chromium (wasm + SIMD), mlplay native, and pandas.read_csv. Prints MB/s and peak memory
// next to the raw size, and writes bench/results/csv_parse.{json,md}.
// Run through `./x bench` (which builds everything and makes the file).

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const file = process.argv[2] ?? path.join(root, 'bench/data/numeric_1m.csv');
const mb = statSync(file).size / 1e6;
const port = 8731;

function native() {
  const out = execFileSync(path.join(root, 'target/release/examples/bench_csv'), [file], { encoding: 'utf8' });
  return JSON.parse(out);
}

function pandas() {
  const out = execFileSync(path.join(root, '.venv/bin/python'), [path.join(root, 'bench/csv_pandas.py'), file], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function browser() {
  const served = path.join(root, 'site/bench-data');
  mkdirSync(served, { recursive: true });
  copyFileSync(file, path.join(served, 'bench.csv'));
  const server = spawn(path.join(root, 'target/release/mlplay'), ['serve', path.join(root, 'site'), '--port', String(port)], { stdio: 'ignore' });
  const b = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await b.newPage();
    for (let i = 0; i < 50; i++) {
      try { await page.goto(`http://127.0.0.1:${port}/`); break; } catch { await new Promise((r) => setTimeout(r, 200)); }
    }
    return await page.evaluate(async () => {
      const mod = await import('/pkg/mlplay.js');
      const wasm = await mod.default();
      const buf = new Uint8Array(await (await fetch('/bench-data/bench.csv')).arrayBuffer());
      const before = wasm.memory.buffer.byteLength;
      const ws = new mod.WebSession();
      const t0 = performance.now();
      ws.begin_upload('bench.csv', buf.length);
      for (let at = 0; at < buf.length; at += 1 << 20) ws.push_chunk(buf.subarray(at, at + (1 << 20)));
      ws.finish_upload(mod.default_state());
      const summary = JSON.parse(ws.summary());
      const seconds = (performance.now() - t0) / 1000;
      // wasm memory only grows, so its size after the run is the run's peak.
      return { seconds, rows: summary.rows, columns: summary.columns.length, peak_extra_bytes: wasm.memory.buffer.byteLength - before };
    });
  } finally {
    await b.close();
    server.kill();
    rmSync(served, { recursive: true, force: true });
  }
}

const runs = { 'mlplay (browser, wasm)': await browser(), 'mlplay (native)': native(), 'pandas.read_csv': pandas() };
const rows = Object.entries(runs).map(([name, r]) => ({
  name, rows: r.rows, seconds: r.seconds, mb_per_s: mb / r.seconds, peak_mb: r.peak_extra_bytes / 1e6, memory_ratio: r.peak_extra_bytes / (mb * 1e6),
}));
const pandasSecs = runs['pandas.read_csv'].seconds;
const lines = [
  `CSV parse + infer: ${path.basename(file)}, ${mb.toFixed(1)} MB, ${rows[0].rows.toLocaleString()} rows`,
  '| run | seconds | MB/s | peak memory (MB) | memory / raw size | time / pandas |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.mb_per_s.toFixed(1)} | ${r.peak_mb.toFixed(0)} | ${r.memory_ratio.toFixed(2)}x | ${(r.seconds / pandasSecs).toFixed(2)}x |`),
];
console.log(lines.join('\n'));
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/csv_parse.json'), JSON.stringify({ file: path.basename(file), mb, runs: rows }, null, 1));
writeFileSync(path.join(root, 'bench/results/csv_parse.md'), lines.join('\n') + '\n');
