// MLP training benchmark (issue #6), in one headless Chromium page with WebGPU on
// (SwiftShader here, so only relative GPU figures mean anything): samples per second
// training a 64-128-128-10 MLP on digits (batch 64, Adam, lr 1e-3) with mlplay's CPU path
// (wasm SIMD) vs TensorFlow.js's wasm backend, and mlplay's WebGPU path vs TensorFlow.js's
// webgpu backend; GFLOP/s of the matrix product on each (n x n, n = 256 and 512), and
// natively (examples/gpu_gemm.rs: the CPU kernel and the WGSL kernel on Vulkan).
// Writes bench/results/mlp.{json,md}.
//
// Run: `./x bench mlp`, or after `./x build`: `node bench/mlp.mjs`.
// Env: BENCH_MLP_EPOCHS (timed epochs per run, default 5).

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const { chromium } = require('playwright-core');
const { BASE_ARGS, WEBGPU_ARGS, CHROMIUM } = require(path.join(root, 'tests/e2e/environment.js'));

const epochs = Number(process.env.BENCH_MLP_EPOCHS || 5);
const port = 8734;
const HIDDEN = [128, 128];
const BATCH = 64;
const log = (...a) => console.log(new Date().toISOString().slice(11, 19), ...a);

// Digits, pixels scaled to [0, 1].
function digits() {
  const lines = readFileSync(path.join(root, 'www/data/digits.csv'), 'utf8').trim().split('\n').slice(1);
  const x = new Float32Array(lines.length * 64);
  const y = new Uint32Array(lines.length);
  lines.forEach((l, i) => {
    const v = l.split(',').map(Number);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j] / 16;
    y[i] = v[64];
  });
  return { x: Array.from(x), y: Array.from(y), rows: lines.length };
}

// ---- page side (each runs in the page; only training or products are timed) ----

async function mlplayJob({ data, epochs, hidden, batch, gpu }) {
  const mod = await import('/pkg/mlplay.js');
  const wasm = await mod.default(); // the page's one instance (a second call returns it)
  const x = new Float32Array(data.x), y = new Uint32Array(data.y);
  const h = new Uint32Array(hidden);
  try {
    const [ms, loss] = gpu
      ? await mod.bench_mlp_gpu(x, y, 64, h, 10, batch, epochs)
      : mod.bench_mlp_cpu(x, y, 64, h, 10, batch, epochs);
    // Wasm memory only grows: its size now is the peak of the page's mlplay runs so far.
    return { samples_per_s: (data.rows * epochs) / (ms / 1000), ms, last_loss: loss, wasm_bytes: wasm.memory.buffer.byteLength };
  } catch (e) {
    return { status: `failed: ${String(e.message || e).slice(0, 300)}` };
  }
}

async function tfjsJob({ data, epochs, hidden, batch, backend }) {
  const load = (src) => new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(s);
  });
  if (!window.tf) await load('/bench-vendor/tf.min.js');
  if (backend === 'wasm' && !window.tf.wasm) {
    await load('/bench-vendor/tf-backend-wasm.min.js');
    window.tf.wasm.setWasmPaths('/bench-vendor/');
  }
  if (backend === 'webgpu' && !window.tf.findBackend('webgpu')) await load('/bench-vendor/tf-backend-webgpu.min.js');
  const tf = window.tf;
  try {
    if (!(await tf.setBackend(backend))) return { status: `failed: backend ${backend} did not start` };
    await tf.ready();
    const xs = tf.tensor2d(data.x, [data.rows, 64]);
    const ys = tf.oneHot(tf.tensor1d(data.y, 'int32'), 10).toFloat();
    const model = tf.sequential();
    hidden.forEach((u, i) => model.add(tf.layers.dense({ units: u, activation: 'relu', ...(i === 0 ? { inputShape: [64] } : {}) })));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    await model.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0 }); // warm-up
    const t0 = performance.now();
    const h = await model.fit(xs, ys, { batchSize: batch, epochs, shuffle: true, verbose: 0 });
    const ms = performance.now() - t0;
    return { samples_per_s: (data.rows * epochs) / (ms / 1000), ms, last_loss: h.history.loss.at(-1), backend: tf.getBackend() };
  } catch (e) {
    return { status: `failed: ${String(e.message || e).slice(0, 300)}` };
  }
}

async function gemmJob({ n }) {
  const mod = await import('/pkg/mlplay.js');
  await mod.default();
  const out = { n, cpu_gflops: mod.bench_gemm_cpu(n) };
  try { out.webgpu_gflops = await mod.bench_gemm_gpu(n); } catch (e) { out.webgpu_gflops = null; out.webgpu_status = String(e.message || e); }
  return out;
}

async function adapterJob() {
  const a = await navigator.gpu?.requestAdapter();
  const i = a?.info;
  return i ? [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') + (i.isFallbackAdapter ? ' (software)' : '') : null;
}

// ---- driver ----

function nativeGemm() {
  const r = spawnSync('cargo', ['run', '--release', '--quiet', '--features', 'native-gpu', '--example', 'gpu_gemm'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR || '/tmp/xdg' }, timeout: 1800_000 });
  if (r.status !== 0) return { status: `failed: ${(r.stderr || '').trim().split('\n').slice(-2).join(' | ').slice(0, 300)}` };
  const adapter = /adapter: (.*)/.exec(r.stdout)?.[1] ?? null;
  const rows = [...r.stdout.matchAll(/^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s*$/gm)].map((m) => ({ n: +m[1], vulkan_gflops: +m[2], cpu_gflops: +m[3] }));
  return { adapter, rows };
}

const vendorFiles = () => {
  const nm = path.join(root, 'bench/node_modules/@tensorflow');
  const wasmDir = path.join(nm, 'tfjs-backend-wasm/dist');
  return [
    path.join(nm, 'tfjs/dist/tf.min.js'),
    path.join(wasmDir, 'tf-backend-wasm.min.js'),
    ...readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')).map((f) => path.join(wasmDir, f)),
    path.join(nm, 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js'),
  ];
};

const fmt = (v, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');
const ratio = (a, b) => (a?.samples_per_s && b?.samples_per_s ? (a.samples_per_s / b.samples_per_s).toFixed(2) : '–');

async function main() {
  const data = digits();
  const vendor = path.join(root, 'site/bench-vendor');
  mkdirSync(vendor, { recursive: true });
  writeFileSync(path.join(vendor, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title>\n');
  for (const f of vendorFiles()) copyFileSync(f, path.join(vendor, path.basename(f)));
  const server = spawn(path.join(root, 'target/release/mlplay'), ['serve', path.join(root, 'site'), '--port', String(port)], { stdio: 'ignore' });
  const b = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...WEBGPU_ARGS] });
  const result = { rows: data.rows, network: [64, ...HIDDEN, 10], batch: BATCH, epochs_timed: epochs, machine: `${os.cpus()[0]?.model} x${os.cpus().length}` };
  try {
    // One page for everything (a fresh page per job would reload the same wasm anyway).
    const page = await b.newPage();
    page.on('requestfailed', (r) => log('request failed:', r.url(), r.failure()?.errorText));
    for (let i = 0; i < 50; i++) {
      try { await page.goto(`http://127.0.0.1:${port}/bench-vendor/index.html`); break; } catch { await new Promise((r) => setTimeout(r, 200)); }
    }
    result.browser = await b.version();
    result.adapter = await page.evaluate(adapterJob);
    const arg = { data, epochs, hidden: HIDDEN, batch: BATCH };
    log('mlplay cpu'); result.mlplay_cpu = await page.evaluate(mlplayJob, { ...arg, gpu: false });
    log('tfjs wasm'); result.tfjs_wasm = await page.evaluate(tfjsJob, { ...arg, backend: 'wasm' });
    log('mlplay webgpu'); result.mlplay_webgpu = await page.evaluate(mlplayJob, { ...arg, gpu: true });
    log('tfjs webgpu'); result.tfjs_webgpu = await page.evaluate(tfjsJob, { ...arg, backend: 'webgpu' });
    result.gemm_browser = [];
    for (const n of [256, 512]) { log(`gemm ${n}`); result.gemm_browser.push(await page.evaluate(gemmJob, { n })); }
  } finally {
    await b.close().catch(() => {});
    server.kill();
    rmSync(vendor, { recursive: true, force: true });
  }
  log('native gemm (cargo, --features native-gpu)');
  result.gemm_native = nativeGemm();

  const out = path.join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'mlp.json'), JSON.stringify(result, null, 2) + '\n');
  const row = (name, r) => `| ${name} | ${r?.status ?? fmt(r?.samples_per_s)} | ${fmt(r?.ms)} | ${fmt(r?.last_loss, 4)} | ${r?.wasm_bytes ? fmt(r.wasm_bytes / 1e6) : ''} |`;
  const md = [
    '# MLP training: mlplay vs TensorFlow.js (one headless Chromium page)',
    '',
    `Digits (${data.rows} rows, 64 features), a ${result.network.join('-')} MLP (relu, softmax), batch ${BATCH}, Adam (lr 1e-3);`,
    `${epochs} timed epochs after one warm-up epoch. ${result.browser}; WebGPU adapter: ${result.adapter ?? 'none'}`,
    `(a software adapter: GPU figures are only comparable with each other). Machine: ${result.machine}. Produced by \`node bench/mlp.mjs\`.`,
    '',
    '| run | samples/s | ms | last epoch loss | wasm memory MB (peak so far) |',
    '|---|---:|---:|---:|---:|',
    row('mlplay CPU (wasm SIMD)', result.mlplay_cpu),
    row('TF.js wasm backend', result.tfjs_wasm),
    row('mlplay WebGPU', result.mlplay_webgpu),
    row('TF.js webgpu backend', result.tfjs_webgpu),
    '',
    `mlplay CPU / TF.js wasm: **${ratio(result.mlplay_cpu, result.tfjs_wasm)}**; mlplay WebGPU / TF.js webgpu: **${ratio(result.mlplay_webgpu, result.tfjs_webgpu)}**.`,
    '',
    '## Matrix product (n x n by n x n, f32), GFLOP/s',
    '',
    '| where | n | CPU kernel | GPU kernel |',
    '|---|---:|---:|---:|',
    ...result.gemm_browser.map((g) => `| Chromium (wasm / WebGPU) | ${g.n} | ${fmt(g.cpu_gflops, 2)} | ${fmt(g.webgpu_gflops, 2)} |`),
    ...(result.gemm_native.rows ?? []).map((g) => `| native (Vulkan: ${result.gemm_native.adapter}) | ${g.n} | ${fmt(g.cpu_gflops, 2)} | ${fmt(g.vulkan_gflops, 2)} |`),
    ...(result.gemm_native.status ? [`| native | – | ${result.gemm_native.status} | |`] : []),
    '',
  ].join('\n');
  writeFileSync(path.join(out, 'mlp.md'), md);
  console.log(md);
}

main().catch((e) => { console.error(e); process.exit(1); });
