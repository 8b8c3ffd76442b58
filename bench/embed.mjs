// Embedding benchmark (issues #5, #8, #25): UMAP and t-SNE (mlplay's default method 'auto') on digits (1,797 x 64) and
// generated N x 50 sets, in one run:
// mlplay native vs umap-learn / openTSNE / scikit-learn TSNE (single-threaded, Python), and
// mlplay in headless Chromium (wasm) vs umap-js / tsne-js in the same Chromium. Every
// embedding is scored the same way afterwards (trustworthiness, k=5 and k=15, on one seeded
// sample of 5,000 rows; bench/embed_native.py score). One table per data file; writes
// bench/results/embed.{json,md}. A browser row marked '= native bits' gave the native layout
// exactly (the wasm build must; see crates/core/src/embed/fastpow.rs).
//
// Run: `./x bench embed` (builds, writes the data files, runs this), or after `./x build` and
// `cargo build --release`: `node bench/embed.mjs bench/data/embed_5000.csv [more.csv ...]`.
// `node bench/embed.mjs --render` only rewrites embed.md from embed.json.
// Env: BENCH_EMBED_CAP_S caps each single run (default 900 s; a run over it reads 'over cap');
// BENCH_EMBED_ALGOS=umap (or tsne) runs one algorithm only; BENCH_EMBED_PORT the local server's port (8733);
// BENCH_EMBED_PEERS=opentsne_fft,... runs only these native peers (ids as in embed_native.py; 'none': no peer,
// and no browser peer either); BENCH_EMBED_PAGE=threads runs mlplay's page row on the build with threads (/pkg-mt,
// in a Web Worker with a pool of BENCH_EMBED_THREADS or navigator.hardwareConcurrency compute threads, as a
// cross-origin-isolated page runs it; bench/embed_worker.mjs) instead of the single-thread build; MLPLAY_SITE and
// MLPLAY_BIN point at another site/ and release binary.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const files = process.argv.slice(2);
// `--render` only rewrites embed.md from embed.json (after a hand merge of partial runs).
const renderOnly = process.argv.includes('--render');
if (!files.length) { console.error('usage: node bench/embed.mjs DATA.csv [DATA.csv ...] | --render'); process.exit(2); }
const capS = Number(process.env.BENCH_EMBED_CAP_S || 900);
const algos = (process.env.BENCH_EMBED_ALGOS || 'umap,tsne').split(',');
const port = Number(process.env.BENCH_EMBED_PORT || 8733);
const peerIds = process.env.BENCH_EMBED_PEERS ? process.env.BENCH_EMBED_PEERS.split(',') : null;
const pageThreads = process.env.BENCH_EMBED_PAGE === 'threads';
const python = path.join(root, '.venv/bin/python');
const mlplay = process.env.MLPLAY_BIN ?? path.join(root, 'target/release/mlplay');
const site = process.env.MLPLAY_SITE ?? path.join(root, 'site');
const single = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1' };
const umapEpochs = (n) => (n > 10000 ? 200 : 500); // umap-learn's default, given to every UMAP
// tsne-js is exact: per iteration it holds about 8 n x n float64 matrices (P, distances, Q, ...).
const tsneJsBytes = (n) => 8 * 8 * n * n;
const MLPLAY = {
  umap: { kind: 'umap', n_neighbors: 15, min_dist: 0.1 },
  tsne: { kind: 'tsne', perplexity: 30, early_exaggeration: 12, learning_rate: 0, max_iter: 1000, method: 'auto',
    angle: 0.5, init: 'pca' },
};
const log = (...a) => console.log(new Date().toISOString().slice(11, 19), ...a);
const capped = (r) => (r.signal || r.error?.code === 'ETIMEDOUT' ? { status: `over cap (${capS} s)` } : null);
const failed = (r) => ({ status: `failed: ${(r.stderr || String(r.error || '')).trim().split('\n').slice(-3).join(' | ').slice(0, 300)}` });

function py(args) {
  const r = spawnSync(python, [path.join(root, 'bench/embed_native.py'), ...args],
    { encoding: 'utf8', env: { ...process.env, ...single }, timeout: capS * 1000, maxBuffer: 1 << 26 });
  if (r.status === 0) return JSON.parse(r.stdout);
  return capped(r) || failed(r);
}

const mlplayArgs = (spec, n) => Object.entries({ ...spec, ...(spec.kind === 'umap' ? { n_epochs: umapEpochs(n) } : {}) })
  .filter(([k]) => k !== 'kind').flatMap(([k, v]) => ['--set', `${k}=${v}`]);

function mlplayNative(csv, spec, n, out) {
  const sets = mlplayArgs(spec, n);
  const t0 = performance.now();
  // Under /usr/bin/time for the process's peak RSS (its report goes to stderr); `timeout`
  // inside it, since time would not pass a kill on and the run would go on orphaned.
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', 'timeout', '-s', 'KILL', String(capS), mlplay, 'run', '--data', csv, '--model', spec.kind, ...sets, '--json'],
    { encoding: 'utf8', timeout: (capS + 30) * 1000, maxBuffer: 1 << 30, env: { ...process.env, RAYON_NUM_THREADS: '1' } });
  const wall_ms = performance.now() - t0; // the whole process: CSV read, fit, scoring, JSON
  if (r.status === 137 || /signal 9/.test(r.stderr)) return { status: `over cap (${capS} s)` };
  if (r.status !== 0) return capped(r) || failed(r);
  const peak_rss_bytes = 1024 * Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const j = JSON.parse(r.stdout);
  if (!Array.isArray(j.embedding) || j.embedding.length !== n) return { status: `failed: embedding has ${j.embedding?.length} rows, want ${n}` };
  writeFileSync(out, new Float64Array(j.embedding.flat()));
  return { fit_ms: j.timing.fit_ms, wall_ms, link: j.link, own_metrics: j.metrics, peak_rss_bytes };
}

function linkFor(csv, spec, n, head) {
  writeFileSync(head, readFileSync(csv, 'utf8').split('\n').slice(0, 501).join('\n') + '\n');
  const r = spawnSync(mlplay, ['run', '--data', head, '--model', spec.kind, ...mlplayArgs(spec, n), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return r.status === 0 ? JSON.parse(r.stdout).link : undefined;
}

// One fresh Chromium per run, so a capped or crashed run cannot disturb the next one.
async function inBrowser(job, arg, out) {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  let timer;
  try {
    const page = await b.newPage();
    for (let i = 0; i < 50; i++) {
      try { await page.goto(`http://127.0.0.1:${port}/bench-vendor/index.html`); break; } catch { await new Promise((r) => setTimeout(r, 200)); }
    }
    const over = new Promise((resolve) => { timer = setTimeout(() => resolve({ status: `over cap (${capS} s)` }), capS * 1000); });
    const r = await Promise.race([page.evaluate(job, arg).catch((e) => ({ status: `failed: ${String(e.message).split('\n')[0].slice(0, 300)}` })), over]);
    if (r.embedding) { writeFileSync(out, new Float64Array(r.embedding)); delete r.embedding; }
    return r;
  } finally {
    clearTimeout(timer);
    await b.close().catch(() => {});
  }
}

// Page-side jobs (run in Chromium; only their fit call is timed).
async function peerJob({ lib, n, epochs }) {
  const x = new Float64Array(await (await fetch('/bench-data/x.f64')).arrayBuffer());
  const d = x.length / n;
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  await new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = lib === 'umap-js' ? '/bench-vendor/umap-js.min.js' : '/bench-vendor/tsne.min.js';
    s.onload = resolve; s.onerror = reject;
    document.head.appendChild(s);
  });
  let emb, extra = {};
  const t0 = performance.now();
  if (lib === 'umap-js') {
    emb = new window.UMAP.UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0.1, nEpochs: epochs }).fit(rows);
  } else {
    // scikit-learn's learning_rate='auto' and early_exaggeration=12; tsne-js has no PCA init.
    const m = new window.TSNE({ dim: 2, perplexity: 30, earlyExaggeration: 12, learningRate: Math.max(n / 12 / 4, 50), nIter: 1000, metric: 'euclidean' });
    m.init({ data: rows, type: 'dense' });
    const [error, iter] = m.run();
    emb = m.getOutput();
    extra = { kl_divergence: error, iterations: iter };
  }
  const fit_ms = performance.now() - t0;
  return { fit_ms, ...extra, embedding: emb.flat() };
}

async function mlplayJob({ link }) {
  const mod = await import('/pkg/mlplay.js');
  const wasm = await mod.default();
  const buf = new Uint8Array(await (await fetch('/bench-data/data.csv')).arrayBuffer());
  const ws = new mod.WebSession();
  ws.begin_upload('data.csv', buf.length);
  for (let at = 0; at < buf.length; at += 1 << 20) ws.push_chunk(buf.subarray(at, at + (1 << 20)));
  const state = mod.decode_link(link);
  ws.finish_upload(state);
  const t0 = performance.now();
  ws.start_training(state);
  while (!JSON.parse(ws.run_slice(1e9, 1e9)).done) { /* one slice runs to the end */ }
  const wall_ms = performance.now() - t0; // fit_ms plus what the session does around the steps
  const rep = JSON.parse(ws.report());
  // Wasm memory only grows, so its size now is the run's peak (data upload included).
  return { fit_ms: rep.timing.fit_ms, wall_ms, own_metrics: rep.metrics, wasm_bytes: wasm.memory.buffer.byteLength, embedding: Array.from(ws.embedding()) };
}

// The same on the build with threads, in a worker (bench/embed_worker.mjs).
function mlplayThreadsJob({ link, threads }) {
  return new Promise((resolve) => {
    const w = new Worker('/bench-vendor/embed_worker.mjs', { type: 'module' });
    w.onmessage = (e) => {
      w.terminate();
      if (e.data.error) resolve({ status: `failed: ${e.data.error.slice(0, 300)}` });
      else resolve({ ...e.data, embedding: Array.from(e.data.embedding) });
    };
    w.onerror = (e) => { w.terminate(); resolve({ status: `failed: ${e.message}` }); };
    w.postMessage({ link, threads: threads || navigator.hardwareConcurrency });
  });
}

async function benchFile(csv) {
  const base = path.basename(csv, '.csv');
  const work = path.join(root, 'bench/data/embed-work', base);
  mkdirSync(work, { recursive: true });
  const std = path.join(work, 'x.f64');
  const { rows: n, features } = py(['prep', csv, std]);
  log(`${base}: ${n} x ${features}`);
  const runs = [];
  const add = (algo, method, where, r, file) => { runs.push({ algo, method, where, ...r, file: r.fit_ms != null ? file : undefined }); log(algo, method, where, r.fit_ms != null ? `${(r.fit_ms / 1000).toFixed(2)} s` : r.status); };

  // Native: mlplay first (its links drive the browser runs), then the Python peers.
  const links = {};
  for (const algo of algos) {
    const f = path.join(work, `mlplay_native_${algo}.f64`);
    const r = mlplayNative(csv, MLPLAY[algo], n, f);
    // A capped run gives no link; the state (kind, settings, seed) is the same for any rows,
    // so take it from an untimed run on the first 500 rows then.
    links[algo] = r.link || linkFor(csv, MLPLAY[algo], n, path.join(work, 'head.csv'));
    delete r.link;
    add(algo, 'mlplay', 'native', r, f);
  }
  const peers = [['umap', 'umap_learn', 'umap-learn'], ['tsne', 'opentsne_bh', 'openTSNE (Barnes-Hut)'],
    ...(n >= 10000 ? [['tsne', 'opentsne_fft', 'openTSNE (FFT, its default at this size)']] : []),
    ['tsne', 'sklearn_tsne', 'scikit-learn TSNE']];
  for (const [algo, id, name] of peers.filter(([a, id]) => algos.includes(a) && (!peerIds || peerIds.includes(id)))) {
    const f = path.join(work, `${id}.f64`);
    add(algo, name, 'native', py(['run', id, std, String(n), f]), f);
  }

  // Browser: the same Chromium build for mlplay (wasm) and the JS peers.
  const vendor = path.join(site, 'bench-vendor'), served = path.join(site, 'bench-data');
  mkdirSync(vendor, { recursive: true });
  mkdirSync(served, { recursive: true });
  writeFileSync(path.join(vendor, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title>\n');
  // The JS peers (bench/node_modules: `npm ci` in bench/), where installed: a peer that runs
  // without its file fails in the page with the missing script named.
  if (!peerIds?.includes('none')) {
    for (const [from, to] of [['umap-js/lib/umap-js.min.js', 'umap-js.min.js'], ['tsne-js/build/tsne.min.js', 'tsne.min.js']]) {
      const file = path.join(root, 'bench/node_modules', from);
      if (existsSync(file)) copyFileSync(file, path.join(vendor, to));
    }
  }
  copyFileSync(path.join(root, 'bench/embed_worker.mjs'), path.join(vendor, 'embed_worker.mjs'));
  copyFileSync(csv, path.join(served, 'data.csv'));
  copyFileSync(std, path.join(served, 'x.f64'));
  const server = spawn(mlplay, ['serve', site, '--port', String(port)], { stdio: 'ignore' });
  try {
    for (const algo of algos) {
      const f = path.join(work, `mlplay_browser_${algo}.f64`);
      const job = pageThreads ? mlplayThreadsJob : mlplayJob;
      const arg = { link: links[algo], threads: Number(process.env.BENCH_EMBED_THREADS || 0) };
      const r = links[algo] ? await inBrowser(job, arg, f) : { status: 'not run: native mlplay gave no link' };
      add(algo, 'mlplay', pageThreads ? `browser (build with threads, ${r.threads ?? '?'} threads)` : 'browser', r, f);
    }
    if (peerIds?.includes('none')) {
      // no browser peers either
    } else if (algos.includes('umap')) add('umap', 'umap-js', 'browser', await inBrowser(peerJob, { lib: 'umap-js', n, epochs: umapEpochs(n) }, path.join(work, 'umap-js.f64')), path.join(work, 'umap-js.f64'));
    const need = tsneJsBytes(n);
    if (!algos.includes('tsne') || peerIds?.includes('none')) {
      // t-SNE not asked for in this run
    } else if (need > os.totalmem() / 2) {
      add('tsne', 'tsne-js (exact)', 'browser', { status: `cannot run (O(n^2) memory: ${(need / 1e9).toFixed(0)} GB)` });
    } else {
      add('tsne', 'tsne-js (exact)', 'browser', await inBrowser(peerJob, { lib: 'tsne-js', n }, path.join(work, 'tsne-js.f64')), path.join(work, 'tsne-js.f64'));
    }
  } finally {
    server.kill();
    rmSync(vendor, { recursive: true, force: true });
    rmSync(served, { recursive: true, force: true });
  }

  // Determinism: mlplay in the browser (wasm) must give the native layout bit for bit.
  for (const algo of algos) {
    const [nat, web] = ['native', 'browser'].map((w) => runs.find((r) => r.method === 'mlplay' && r.algo === algo && r.where.startsWith(w)));
    if (nat?.file && web?.file) web.same_bits_as_native = readFileSync(nat.file).equals(readFileSync(web.file));
  }
  // One scoring step for every embedding that came back.
  const scored = runs.filter((r) => r.file);
  const scores = scored.length ? py(['score', std, String(n), ...scored.map((r) => r.file)]) : {};
  for (const r of scored) { Object.assign(r, scores[r.file] || { score: scores.status }); delete r.file; }
  return { data: path.basename(csv), rows: n, features, runs };
}

const fmtS = (ms) => (ms / 1000).toFixed(ms < 10000 ? 2 : 1);
const fmtT = (t) => (t == null ? '–' : t.toFixed(4));
// Process peak RSS natively; wasm linear memory in the browser (JS peers' heaps are not measured).
const memMb = (r) => (r.peak_rss_bytes > 0 ? `${(r.peak_rss_bytes / 1e6).toFixed(0)} (RSS)` : r.wasm_bytes ? `${(r.wasm_bytes / 1e6).toFixed(0)} (wasm)` : '');
function table(res) {
  const lines = [
    `### ${res.rows.toLocaleString('en-US')} x ${res.features} (${res.data})`, '',
    '| algorithm | method | where | time s | trustworthiness k=15 | k=5 | mlplay time / this time | mlplay k=15 − this | peak memory MB |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of res.runs) {
    const me = res.runs.find((m) => m.method === 'mlplay' && m.algo === r.algo && m.where === r.where);
    let ratio = '', dt = '';
    if (r.method !== 'mlplay' && me?.fit_ms != null) {
      if (r.fit_ms != null) ratio = `${(me.fit_ms / r.fit_ms).toFixed(2)}`;
      else if (r.status?.startsWith('over cap')) ratio = `< ${(me.fit_ms / 1000 / Number(/\((\d+) s\)/.exec(r.status)?.[1] ?? res.cap_s)).toFixed(3)}`;
      if (r.trustworthiness_15 != null && me.trustworthiness_15 != null) dt = (me.trustworthiness_15 - r.trustworthiness_15).toFixed(4);
    }
    const where = r.same_bits_as_native === true ? `${r.where} (= native bits)` : r.same_bits_as_native === false ? `${r.where} (≠ native bits)` : r.where;
    lines.push(`| ${r.algo === 'umap' ? 'UMAP' : 't-SNE'} | ${r.method} | ${where} | ${r.fit_ms != null ? fmtS(r.fit_ms) : r.status} | ${fmtT(r.trustworthiness_15)} | ${fmtT(r.trustworthiness_5)} | ${ratio} | ${dt} | ${memMb(r)} |`);
  }
  return lines;
}

const started = new Date().toISOString();
const results = [];
const machine = `${os.cpus()[0].model.trim()} x ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;
// BENCH_EMBED_NOTE: a word on the machine's state (e.g. shared, noisy), printed with the table.
for (const f of renderOnly ? [] : files) {
  results.push({ run_at: started, machine, cap_s: capS, note: process.env.BENCH_EMBED_NOTE || '', ...(await benchFile(path.resolve(f))) });
}
// Keep earlier results for other data files (sizes are often run separately), newest last.
const jsonFile = path.join(root, 'bench/results/embed.json');
let earlier = [];
try { earlier = JSON.parse(readFileSync(jsonFile, 'utf8')).results; } catch { /* first run */ }
// A run of one algorithm keeps the other algorithm's rows from the earlier run of that file.
for (const r of results) {
  const old = earlier.find((e) => e.data === r.data);
  const kept = (old ? old.runs.filter((x) => !algos.includes(x.algo)) : [])
    .map((x) => ({ ...x, from_run: x.from_run || { run_at: old.run_at, cap_s: old.cap_s } }));
  if (kept.length) {
    const [other, src] = [kept[0].algo === 'umap' ? 'UMAP' : 't-SNE', kept[0].from_run];
    r.runs = [...r.runs, ...kept];
    r.note = `${r.note ? r.note + ' ' : ''}${other} rows: run ${src.run_at.slice(0, 16).replace('T', ' ')} UTC, capped at ${src.cap_s} s.`;
  }
}
earlier = earlier.filter((r) => !results.some((x) => x.data === r.data));
const all = [...earlier, ...results].sort((a, b) => a.rows - b.rows);
const notes = [
  `# Embedding benchmark`, '',
  'Fit times are wall-clock of one run (neighbour graph included); the Python peers are single-threaded and get one untimed',
  'warm-up fit first (numba compiles umap-learn on first use). Native rows compare with mlplay native, browser rows (headless',
  'Chromium, same build) with mlplay in the browser. Trustworthiness: scikit-learn `trustworthiness` on the standardised features',
  'of one seeded sample of at most 5,000 rows, the same for every method. "mlplay time / this time" < 1 means mlplay is faster.',
  `Settings: UMAP n_neighbors=15, min_dist=0.1, n_epochs 500 (<= 10,000 rows) or 200; t-SNE perplexity 30, 1000 iterations,`,
  'early exaggeration 12, learning rate auto, PCA init, angle 0.5; mlplay method auto (Barnes-Hut on small data, FFT',
  'interpolation from crates/core/src/embed/tsne.rs FFT_MIN_ROWS rows, as openTSNE\'s default). Peer quirks: umap-js and tsne-js start from random',
  'positions; tsne-js is exact (O(n^2)), exaggerates for 100 iterations, calibrates perplexity on plain (not squared)',
  'distances and may stop early; openTSNE runs 250 exaggerated + 750 iterations.', '',
];
const md = [...notes, ...all.flatMap((r) => [...table(r), '', `Run ${r.run_at.slice(0, 16).replace('T', ' ')} UTC on ${r.machine}; each run capped at ${r.cap_s} s.${r.note ? ' ' + r.note : ''}`, ''])];
console.log(md.join('\n'));
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(jsonFile, JSON.stringify({ results: all }, null, 1));
writeFileSync(path.join(root, 'bench/results/embed.md'), md.join('\n'));
