// Model fit times on a 100,000 x 20 classification set (80,000 training rows), three ways
// in one run: mlplay native, mlplay in headless Chromium (wasm + SIMD) and scikit-learn
// with one thread. Native mlplay and scikit-learn score the same 20,000 test rows; the
// browser trains on exactly the rows native mlplay trains on (same seed, same code), so
// only its time is reported. Writes bench/results/models.{json,md}.
// Run through `./x bench`.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const [trainFile, testFile] = process.argv.slice(2);
const port = 8732;
// Matching hyperparameters (scikit-learn's defaults for these, boosting without early stopping).
const MODELS = {
  logistic_regression: { kind: 'logistic_regression', solver: 'lbfgs' },
  random_forest: { kind: 'random_forest', n_estimators: 100 },
  gradient_boosting: { kind: 'gradient_boosting', max_iter: 100, max_bins: 255, early_stopping: 'off' },
};
const sets = (spec) => Object.entries(spec).filter(([k]) => k !== 'kind').flatMap(([k, v]) => ['--set', `${k}=${v}`]);

function native(spec) {
  const out = execFileSync(path.join(root, 'target/release/mlplay'), ['run', '--data', trainFile, '--test-data', testFile,
    '--split', '1,0,0', '--model', spec.kind, ...sets(spec), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const r = JSON.parse(out);
  return { fit_ms: r.timing.fit_ms, accuracy: r.metrics.test.accuracy, link: r.link };
}

function sklearn() {
  const out = execFileSync(path.join(root, '.venv/bin/python'), [path.join(root, 'bench/models_sklearn.py'), trainFile, testFile],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  return JSON.parse(out);
}

async function browser(links) {
  const served = path.join(root, 'site/bench-data');
  mkdirSync(served, { recursive: true });
  copyFileSync(trainFile, path.join(served, 'train.csv'));
  const server = spawn(path.join(root, 'target/release/mlplay'), ['serve', path.join(root, 'site'), '--port', String(port)], { stdio: 'ignore' });
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const page = await b.newPage();
    for (let i = 0; i < 50; i++) {
      try { await page.goto(`http://127.0.0.1:${port}/`); break; } catch { await new Promise((r) => setTimeout(r, 200)); }
    }
    return await page.evaluate(async (links) => {
      const mod = await import('/pkg/mlplay.js');
      await mod.default();
      const buf = new Uint8Array(await (await fetch('/bench-data/train.csv')).arrayBuffer());
      const ws = new mod.WebSession();
      ws.begin_upload('train.csv', buf.length);
      for (let at = 0; at < buf.length; at += 1 << 20) ws.push_chunk(buf.subarray(at, at + (1 << 20)));
      const out = {};
      for (const [name, link] of Object.entries(links)) {
        const state = mod.decode_link(link);
        if (!Object.keys(out).length) ws.finish_upload(state);
        ws.start_training(state);
        while (!JSON.parse(ws.run_slice(1e9, 1e9)).done) { /* one slice runs to the end */ }
        out[name] = { fit_ms: JSON.parse(ws.report()).timing.fit_ms };
      }
      return out;
    }, links);
  } finally {
    await b.close();
    server.kill();
    rmSync(served, { recursive: true, force: true });
  }
}

const nat = Object.fromEntries(Object.entries(MODELS).map(([name, spec]) => [name, native(spec)]));
console.log('mlplay native:', JSON.stringify(Object.fromEntries(Object.entries(nat).map(([k, v]) => [k, [v.fit_ms, v.accuracy]]))));
const sk = sklearn();
console.log('scikit-learn:', JSON.stringify(sk));
// The browser gets the states native mlplay ran (their links), so the runs match.
const web = await browser(Object.fromEntries(Object.entries(nat).map(([name, r]) => [name, r.link])));

const rows = Object.keys(MODELS).map((name) => ({
  model: name,
  sklearn_ms: sk[name].fit_ms, native_ms: nat[name].fit_ms, browser_ms: web[name].fit_ms,
  native_ratio: nat[name].fit_ms / sk[name].fit_ms, browser_ratio: web[name].fit_ms / sk[name].fit_ms,
  sklearn_accuracy: sk[name].accuracy, mlplay_accuracy: nat[name].accuracy,
}));
const lines = [
  `Model fit, 80,000 x 20 training rows (${path.basename(trainFile)}), test accuracy on 20,000 rows; scikit-learn single-threaded`,
  '| model | scikit-learn ms | mlplay native ms | native / sklearn | mlplay browser ms | browser / sklearn | accuracy sklearn | accuracy mlplay |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.model} | ${r.sklearn_ms.toFixed(0)} | ${r.native_ms.toFixed(0)} | ${r.native_ratio.toFixed(2)}x | ${r.browser_ms.toFixed(0)} | ${r.browser_ratio.toFixed(2)}x | ${r.sklearn_accuracy.toFixed(4)} | ${r.mlplay_accuracy.toFixed(4)} |`),
];
console.log(lines.join('\n'));
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/models.json'), JSON.stringify(rows, null, 1));
writeFileSync(path.join(root, 'bench/results/models.md'), lines.join('\n') + '\n');
