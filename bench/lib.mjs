// Shared by the benchmark scripts: paths, the native CLI, and a headless Chromium page on
// mlplay's own static server with one data file served next to the site.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
export const { chromium } = require('playwright-core');
// MLPLAY_BIN / MLPLAY_SITE point the scripts at another build (e.g. to compare two).
export const BIN = process.env.MLPLAY_BIN ?? path.join(root, 'target/release/mlplay');
export const SITE = process.env.MLPLAY_SITE ?? path.join(root, 'site');
export const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1' };

// `mlplay ARGS` under /usr/bin/time: its stdout as JSON, the process's peak RSS and its CPU
// seconds (user + system: steadier than wall time on a shared machine). One thread
// (RAYON_NUM_THREADS), as the peers run.
export function nativeRun(args, bin = BIN) {
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M cpu_s=%U+%S', bin, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, RAYON_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`mlplay ${args.join(' ')} failed: ${r.stderr}`);
  const kb = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const cpu = /cpu_s=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return { report: JSON.parse(r.stdout), peak_rss_bytes: kb * 1024, cpu_s: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN };
}

export function python(script, args) {
  const out = execFileSync(path.join(root, '.venv/bin/python'), [path.join(root, 'bench', script), ...args],
    { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...ONE_THREAD } });
  return JSON.parse(out.trim().split('\n').pop());
}

// A port nobody listens on now: other benchmark runs on this machine use fixed ports, and a
// page talking to another run's server would time the wrong data.
export function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

// Runs `body(open)` with a server on a free port serving `site` (default site/) and `file`
// as /bench-data/data.csv; `open()` gives a fresh page (a fresh wasm instance) on the site;
// `body` also gets the browser and the port.
export async function withBrowser(_port, file, body, site = SITE) {
  const port = await freePort();
  const served = path.join(site, 'bench-data');
  mkdirSync(served, { recursive: true });
  copyFileSync(path.join(root, 'bench/train_worker.mjs'), path.join(served, 'train_worker.mjs'));
  if (file) copyFileSync(file, path.join(served, 'data.csv'));
  const server = spawn(BIN, ['serve', site, '--port', String(port)], { stdio: 'ignore' });
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const open = async () => {
    const page = await b.newPage();
    for (let i = 0; i < 50; i++) {
      try { await page.goto(`http://127.0.0.1:${port}/`); return page; } catch { await new Promise((r) => setTimeout(r, 200)); }
    }
    throw new Error(`no server on port ${port}`);
  };
  try {
    return await body(open, b, port);
  } finally {
    await b.close();
    server.kill();
    rmSync(served, { recursive: true, force: true });
  }
}

// In a page: load the wasm, upload /bench-data/data.csv, train the state of `link` to the
// end in one slice. Returns the report and the wasm memory size after (it only grows, so
// that is the run's peak), next to its size before the upload.
export function trainInPage(page, link, size = null) {
  return page.evaluate(async ([link, size]) => {
    const mod = await import('/pkg/mlplay.js');
    const wasm = await mod.default();
    const before = wasm.memory.buffer.byteLength;
    const buf = new Uint8Array(await (await fetch('/bench-data/data.csv')).arrayBuffer());
    if (size != null && buf.length !== size) throw new Error(`served data is ${buf.length} bytes, expected ${size}`);
    const ws = new mod.WebSession();
    ws.begin_upload('data.csv', buf.length);
    for (let at = 0; at < buf.length; at += 1 << 20) ws.push_chunk(buf.subarray(at, at + (1 << 20)));
    const state = mod.decode_link(link);
    ws.finish_upload(state);
    ws.start_training(state);
    while (!JSON.parse(ws.run_slice(1e9, 1e9)).done) { /* one slice runs to the end */ }
    return { report: JSON.parse(ws.report()), memory_before: before, memory_after: wasm.memory.buffer.byteLength };
  }, [link, size]);
}

// As trainInPage, in a worker on the build with threads and a pool of `threads` (default:
// the machine's cores); also returns the threads the pool has.
export function trainWithThreads(page, link, size = null, threads = null) {
  return page.evaluate(([link, size, threads]) => new Promise((resolve, reject) => {
    const w = new Worker('/bench-data/train_worker.mjs', { type: 'module' });
    w.onmessage = (e) => { w.terminate(); if (e.data.error) reject(new Error(e.data.error)); else resolve(e.data); };
    w.onerror = (e) => { w.terminate(); reject(new Error(e.message)); };
    w.postMessage({ dir: 'pkg-mt', threads: threads ?? navigator.hardwareConcurrency, link, size });
  }), [link, size, threads]);
}

export function writeResults(name, json, mdLines) {
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, `bench/results/${name}.json`), JSON.stringify(json, null, 1));
  writeFileSync(path.join(root, `bench/results/${name}.md`), mdLines.join('\n') + '\n');
}
