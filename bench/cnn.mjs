// CNN training benchmark (issue #24 item 5), in headless Chromium: images per second
// training the cnn kind's default network on the generated `shapes` set (16x16 grey
// images, 6 classes): two blocks of 3x3 convolutions (16 and 32 filters, same padding,
// ReLU, 2x2 max-pool), a dense layer of 32 ReLU units and a softmax; mini-batches of 32,
// Adam at 3e-3. mlplay's CPU path (the page's single-thread wasm build, SIMD) against
// TensorFlow.js on the same network and the same images, in the same run: its wasm backend
// (XNNPACK, SIMD; 4.22 has no Conv2DBackpropFilter kernel there, so it cannot train a
// convolution: the row records the failure) and its CPU backend (plain JavaScript), the
// one of its backends that trains a CNN without a GPU.
// Writes bench/results/cnn.{json,md}.
//
// Run: `./x bench cnn`, or after `./x build` and `(cd bench && npm ci)`: `node bench/cnn.mjs`.
// Env: BENCH_CNN_EPOCHS (timed epochs per run, default 3), BENCH_CNN_ROWS (default 3000),
// BENCH_SITE (the built site to serve, default site/).
// TF.js is served from bench/node_modules for this run only; the page never loads it.

import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const { chromium } = require('playwright-core');
const { BASE_ARGS, CHROMIUM } = require(path.join(root, 'tests/e2e/environment.js'));

const epochs = Number(process.env.BENCH_CNN_EPOCHS || 3);
const rows = Number(process.env.BENCH_CNN_ROWS || 3000);
const port = 8735;
const site = path.resolve(process.env.BENCH_SITE || path.join(root, 'site'));
const NET = { side: 16, filters: [16, 32], hidden: [32], classes: 6, batch: 32, lr: 3e-3 };
const log = (...a) => console.log(new Date().toISOString().slice(11, 19), ...a);

// ---- page side (each runs in a page; only training is timed) ----

// The images from mlplay's own generator (so both sides train on the same pixels).
async function shapesJob({ rows }) {
  const mod = await import('/pkg/mlplay.js');
  await mod.default();
  const flat = mod.bench_shapes(rows, 1);
  const stride = 16 * 16 + 1;
  const n = flat.length / stride;
  const x = new Array(n * 256);
  const y = new Array(n);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < 256; j++) x[r * 256 + j] = flat[r * stride + j];
    y[r] = flat[r * stride + 256];
  }
  return { x, y, rows: n };
}

async function mlplayJob({ data, epochs, net }) {
  const mod = await import('/pkg/mlplay.js');
  const wasm = await mod.default();
  const [ms, loss] = mod.bench_cnn_cpu(new Float32Array(data.x), new Uint32Array(data.y), net.side, net.side,
    new Uint32Array(net.filters), new Uint32Array(net.hidden), net.classes, net.batch, net.lr, epochs);
  return { images_per_s: (data.rows * epochs) / (ms / 1000), ms, last_loss: loss, threads: 1, wasm_bytes: wasm.memory.buffer.byteLength };
}

async function tfjsJob({ data, epochs, net, backend, threads }) {
  const load = (src) => new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(s);
  });
  await load('/bench-vendor/tf.min.js');
  const tf = window.tf;
  if (backend === 'wasm') {
    await load('/bench-vendor/tf-backend-wasm.min.js');
    tf.wasm.setWasmPaths('/bench-vendor/');
    if (threads) tf.wasm.setThreadsCount(threads);
  }
  try {
    if (!(await tf.setBackend(backend))) return { status: `failed: the ${backend} backend did not start` };
    await tf.ready();
    const s = net.side;
    const xs = tf.tensor4d(data.x, [data.rows, s, s, 1]);
    const ys = tf.oneHot(tf.tensor1d(data.y, 'int32'), net.classes).toFloat();
    const model = tf.sequential();
    net.filters.forEach((f, i) => {
      model.add(tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', activation: 'relu', ...(i === 0 ? { inputShape: [s, s, 1] } : {}) }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    });
    model.add(tf.layers.flatten());
    net.hidden.forEach((u) => model.add(tf.layers.dense({ units: u, activation: 'relu' })));
    model.add(tf.layers.dense({ units: net.classes, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(net.lr), loss: 'categoricalCrossentropy' });
    await model.fit(xs, ys, { batchSize: net.batch, epochs: 1, shuffle: true, verbose: 0 }); // warm-up
    const t0 = performance.now();
    const h = await model.fit(xs, ys, { batchSize: net.batch, epochs, shuffle: true, verbose: 0 });
    const ms = performance.now() - t0;
    return {
      images_per_s: (data.rows * epochs) / (ms / 1000), ms, last_loss: h.history.loss.at(-1),
      threads: backend === 'wasm' ? tf.wasm.getThreadsCount?.() ?? null : 1, params: model.countParams(),
    };
  } catch (e) {
    return { status: `failed: ${String(e.message || e).slice(0, 300)}` };
  }
}

// ---- driver ----

const vendorFiles = () => {
  const nm = path.join(root, 'bench/node_modules/@tensorflow');
  const wasmDir = path.join(nm, 'tfjs-backend-wasm/dist');
  return [
    path.join(nm, 'tfjs/dist/tf.min.js'),
    path.join(wasmDir, 'tf-backend-wasm.min.js'),
    ...readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')).map((f) => path.join(wasmDir, f)),
  ];
};

const fmt = (v, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');
const ratio = (a, b) => (a?.images_per_s && b?.images_per_s ? (a.images_per_s / b.images_per_s).toFixed(2) : '–');

async function main() {
  const vendor = path.join(site, 'bench-vendor');
  mkdirSync(vendor, { recursive: true });
  writeFileSync(path.join(vendor, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title>\n');
  for (const f of vendorFiles()) copyFileSync(f, path.join(vendor, path.basename(f)));
  const server = spawn(path.join(root, 'target/release/mlplay'), ['serve', site, '--port', String(port)], { stdio: 'ignore' });
  const b = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS });
  const result = {
    dataset: 'shapes', rows, image: [NET.side, NET.side], network: NET, epochs_timed: epochs,
    machine: `${os.cpus()[0]?.model} x${os.cpus().length}`, load_before: os.loadavg(),
  };
  try {
    // A fresh page per run: TF.js's backend and thread count are set once per page.
    const open = async () => {
      const page = await b.newPage();
      page.on('requestfailed', (r) => log('request failed:', r.url(), r.failure()?.errorText));
      for (let i = 0; i < 50; i++) {
        try { await page.goto(`http://127.0.0.1:${port}/bench-vendor/index.html`); break; } catch { await new Promise((r) => setTimeout(r, 200)); }
      }
      return page;
    };
    const page = await open();
    result.browser = await b.version();
    result.cross_origin_isolated = await page.evaluate(() => self.crossOriginIsolated);
    const data = await page.evaluate(shapesJob, { rows });
    const arg = { data, epochs, net: NET };
    log('mlplay cpu'); result.mlplay_cpu = await page.evaluate(mlplayJob, arg);
    await page.close();
    log('tfjs wasm, 1 thread'); const p1 = await open(); result.tfjs_wasm_1 = await p1.evaluate(tfjsJob, { ...arg, backend: 'wasm', threads: 1 }); await p1.close();
    log('tfjs cpu'); const p2 = await open(); result.tfjs_cpu = await p2.evaluate(tfjsJob, { ...arg, backend: 'cpu' }); await p2.close();
  } finally {
    await b.close().catch(() => {});
    server.kill();
    rmSync(vendor, { recursive: true, force: true });
  }
  result.load_after = os.loadavg();

  const out = path.join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'cnn.json'), JSON.stringify(result, null, 2) + '\n');
  const row = (name, r) => `| ${name} | ${r?.status ?? fmt(r?.images_per_s)} | ${fmt(r?.ms)} | ${fmt(r?.last_loss, 4)} | ${r?.threads ?? '?'} |`;
  const load = (l) => l.map((v) => v.toFixed(2)).join(', ');
  const md = [
    '# CNN training: mlplay vs TensorFlow.js (headless Chromium, CPU)',
    '',
    `The generated \`shapes\` set (${rows} images of ${NET.side}x${NET.side}, ${NET.classes} classes, seed 1), the cnn kind's default network:`,
    `conv 3x3 x${NET.filters.join(' -> conv 3x3 x')} (same padding, ReLU, 2x2 max-pool each), dense ${NET.hidden.join('-')} ReLU, softmax;`,
    `batch ${NET.batch}, Adam (lr ${NET.lr}); ${epochs} timed epochs after one warm-up epoch. ${result.browser};`,
    `cross-origin isolated: ${result.cross_origin_isolated}. Machine: ${result.machine}; load average (1, 5, 15 min) before`,
    `${load(result.load_before)}, after ${load(result.load_after)}. Produced by \`node bench/cnn.mjs\`.`,
    '',
    '| run | images/s | ms | last epoch loss | threads |',
    '|---|---:|---:|---:|---:|',
    row('mlplay CPU (wasm SIMD, the page\'s single-thread build)', result.mlplay_cpu),
    row('TF.js wasm backend, 1 thread', result.tfjs_wasm_1),
    row('TF.js cpu backend (JavaScript)', result.tfjs_cpu),
    '',
    `mlplay / TF.js wasm: **${ratio(result.mlplay_cpu, result.tfjs_wasm_1)}**; mlplay / TF.js cpu: **${ratio(result.mlplay_cpu, result.tfjs_cpu)}**`,
    '(images per second; above 1: mlplay trains faster). Load averages are of the whole machine, shared with other work:',
    'absolute figures move with it, the ratio of runs made minutes apart less so.',
    '',
  ].join('\n');
  writeFileSync(path.join(out, 'cnn.md'), md);
  console.log(md);
}

main().catch((e) => { console.error(e); process.exit(1); });
