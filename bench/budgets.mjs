// The standing budgets, checked in headless Chromium on the built site (site/): first-visit
// download (gzip of every file fetched before the page is interactive), time to interactive
// with the default dataset drawn (median of several fresh loads), and the longest
// main-thread task while each model kind trains. The wasm size per crate comes from
// bench/wasm_size.mjs. Prints PASS/FAIL per budget; writes bench/results/budgets.{json,md}.
// Usage: node bench/budgets.mjs [--kinds a,b] (run through `./x bench budgets`, which builds first)

import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { SITE, withBrowser, writeResults } from './lib.mjs';
import { wasmSizes } from './wasm_size.mjs';

const LOADS = Number(process.env.BENCH_LOADS ?? 7);
const BUDGET = { download_bytes: 1.0e6, interactive_ms: 1000, long_task_ms: 50 };
// Each kind on a built-in set it suits, with settings that keep the run short where the
// default is long; the check is about the page staying responsive, not about the fit.
const KINDS = [
  ['logistic_regression', 'breast_cancer'], ['knn', 'digits'], ['naive_bayes', 'wine'],
  ['linear_regression', 'diabetes'], ['ridge', 'houses'], ['lasso', 'diabetes'],
  ['decision_tree', 'penguins'], ['random_forest', 'digits'], ['self_training', 'moons'],
  ['gradient_boosting', 'breast_cancer'], ['mlp', 'digits'], ['autoencoder', 'traffic'],
  ['kmeans', 'blobs'], ['dbscan', 'moons'], ['pca', 'digits'], ['tsne', 'digits', { max_iter: '500' }], ['umap', 'digits'],
];
const only = process.argv.includes('--kinds') ? process.argv[process.argv.indexOf('--kinds') + 1].split(',') : null;

// Interactive: the backend is chosen, the data summary and the scatter plot of the default
// dataset are drawn, and Train is enabled. Returns ms since navigation start.
const READY = () => {
  const q = (s) => document.querySelector(s);
  const ok = /^(cpu|webgpu)$/.test(q('#backend')?.dataset.backend ?? '') && q('#data-info dl') && q('#play') && !q('#play').disabled
    && (q('#scatter-caption')?.textContent ?? '').length > 0;
  return ok ? performance.now() : false;
};

// Where a load's time went, from the page's Resource Timing (ms since navigation start):
// the HTML in, the page's last JS module in (the module graph; HTTP/1.1 servers such as
// `mlplay serve` fetch at most 6 at a time), the wasm in, the training worker's script
// requested. What the worker does next (instantiate, compute threads, the default data) is
// not visible here: it is the rest up to interactive.
const PHASES = () => {
  const res = performance.getEntriesByType('resource');
  const end = (re) => Math.max(0, ...res.filter((e) => re.test(new URL(e.name).pathname)).map((e) => e.responseEnd));
  const start = (re) => Math.min(...res.filter((e) => re.test(new URL(e.name).pathname)).map((e) => e.startTime));
  return { html: performance.getEntriesByType('navigation')[0].responseEnd, modules: end(/^\/www\/(main|ui\/.*)\.js$/),
    wasm: end(/mlplay_bg\.wasm$/), worker: start(/^\/www\/worker\.js$/) };
};

// A served path's size and gzip -9 size, from the site folder ('/' is index.html).
function sizes(url) {
  const file = path.join(SITE, url === '/' ? 'index.html' : decodeURIComponent(url));
  if (!existsSync(file) || !statSync(file).isFile()) return { bytes: 0, gzip: 0 };
  const body = readFileSync(file);
  return { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

async function firstVisits(browser, port) {
  const loads = [];
  const phases = [];
  let files = null;
  let offline = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext(); // empty cache and no service worker: a first visit
    const page = await context.newPage();
    const fetched = [];
    // What the page and its worker fetch; the service worker's own fetches (its offline
    // cache, filled in the background) are listed apart. Sizes are the site's files, gzipped.
    context.on('requestfinished', (req) => {
      const url = new URL(req.url()).pathname;
      fetched.push({ at: Date.now(), url, by: req.serviceWorker() ? 'service worker' : 'page' });
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    const ms = await (await page.waitForFunction(READY, null, { polling: 'raf', timeout: 30_000 })).jsonValue();
    const readyAt = Date.now();
    loads.push(ms);
    phases.push(await page.evaluate(PHASES));
    if (!files) {
      await page.waitForTimeout(500); // let the bodies of what finished before "ready" be read
      const seen = new Set();
      files = fetched.filter((f) => f.at <= readyAt && f.by === 'page' && !seen.has(f.url) && seen.add(f.url)).map((f) => ({ url: f.url, ...sizes(f.url) }));
      const precached = new Set(fetched.filter((f) => f.by !== 'page').map((f) => f.url));
      offline = [...precached].map((url) => ({ url, ...sizes(url) }));
      const late = fetched.filter((f) => f.at > readyAt && f.by === 'page').map((f) => f.url);
      if (late.length) console.log(`fetched by the page after interactive (not counted): ${late.join(', ')}`);
    }
    await context.close();
  }
  const sorted = [...loads].sort((a, b) => a - b);
  return { loads, phases, median_ms: sorted[Math.floor(sorted.length / 2)], files, offline };
}

// The main thread's longest task by its own CPU time (Chrome trace, RunTask's tdur): on a
// loaded machine a task's wall time stretches while the thread waits for a core, so this
// is the figure that says what the page itself costs.
function longestCpuTask(trace) {
  const events = JSON.parse(trace.toString('utf8')).traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .reduce((m, e) => Math.max(m, (e.tdur ?? 0) / 1000), 0);
}

async function longTasks(open, browser) {
  const out = [];
  for (const [kind, dataset, params = {}] of KINDS) {
    if (only && !only.includes(kind)) continue;
    const page = await open();
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((l) => window.longTasks.push(...l.getEntries().map((e) => [e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true });
    });
    await page.waitForFunction(READY, null, { timeout: 30_000 });
    await page.selectOption('#dataset', dataset);
    await page.waitForFunction(READY, null, { timeout: 30_000 });
    await page.selectOption('#model-kind', kind);
    for (const [name, value] of Object.entries(params)) { await page.fill(`#param-${name}`, value); await page.press(`#param-${name}`, 'Tab'); }
    await page.waitForTimeout(200);
    const t0 = await page.evaluate(() => performance.now());
    await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
    await page.click('#play');
    const started = Date.now();
    let error = null;
    try {
      await page.waitForSelector('#play[data-phase=done]', { timeout: 180_000 });
      await page.waitForTimeout(500); // the report and final charts are drawn just after
    } catch (e) { error = `did not finish: ${e.message.split('\n')[0]}`; }
    const cpu = longestCpuTask(await browser.stopTracing());
    const tasks = await page.evaluate((t0) => window.longTasks.filter(([s]) => s >= t0), t0);
    const longest = tasks.reduce((m, [, d]) => Math.max(m, d), 0);
    out.push({ kind, dataset, wall_ms: Date.now() - started, long_tasks: tasks.length, longest_ms: longest, longest_cpu_ms: cpu, pass: !error && longest <= BUDGET.long_task_ms, error });
    console.log(`long tasks: ${kind} on ${dataset}: ${tasks.length} over 50 ms, longest ${longest.toFixed(0)} ms (main-thread CPU of the longest task ${cpu.toFixed(0)} ms)${error ? ` (${error})` : ''}`);
    await page.close();
  }
  return out;
}

const result = await withBrowser(null, null, async (open, browser, port) => ({ visit: await firstVisits(browser, port), long: await longTasks(open, browser) }));
const wasm = wasmSizes();
const download = result.visit.files.reduce((s, f) => s + f.gzip, 0);
const checks = [
  { budget: 'first-visit download, gzip (HTML, JS, CSS, wasm, default data)', value: download, limit: BUDGET.download_bytes, unit: 'bytes' },
  { budget: `time to interactive, default dataset drawn (median of ${LOADS} loads)`, value: result.visit.median_ms, limit: BUDGET.interactive_ms, unit: 'ms' },
  ...result.long.map((l) => ({ budget: `longest main-thread task while training ${l.kind} (${l.dataset})`, value: l.longest_ms, cpu_ms: l.longest_cpu_ms, limit: BUDGET.long_task_ms, unit: 'ms', error: l.error })),
].map((c) => ({ ...c, pass: !c.error && c.value <= c.limit }));
const fmt = (c) => (c.unit === 'bytes' ? `${(c.value / 1e6).toFixed(3)} MB` : `${c.value.toFixed(0)} ms`);
const lim = (c) => (c.unit === 'bytes' ? `${(c.limit / 1e6).toFixed(1)} MB` : `${c.limit} ms`);
const lines = [
  `Load average during the run: ${os.loadavg().map((v) => v.toFixed(1)).join(', ')} (${os.cpus().length} cores); long tasks: the`
    + ' PerformanceObserver\'s longest (wall time, stretched by a busy machine) and, in brackets, the same'
    + ' thread\'s longest task by its own CPU time from a Chrome trace.', '',
  '| budget | measured | limit | result |', '|---|---|---|---|',
  ...checks.map((c) => `| ${c.budget} | ${fmt(c)}${c.cpu_ms != null ? ` (CPU ${c.cpu_ms.toFixed(0)} ms)` : ''} | ${lim(c)} | ${c.pass ? 'PASS' : `FAIL${c.error ? ` (${c.error})` : ''}`} |`),
  '', `Loads (ms to interactive): ${result.visit.loads.map((v) => v.toFixed(0)).join(', ')}`, '',
  'Each load in ms since navigation start (Resource Timing: the HTML in, the page\'s last JS module in, the wasm in, the training worker\'s script requested, interactive):', '',
  '| load | HTML | modules | wasm | worker | interactive |', '|---|---|---|---|---|---|',
  ...result.visit.phases.map((p, i) => `| ${i + 1} | ${[p.html, p.modules, p.wasm, p.worker, result.visit.loads[i]].map((v) => v.toFixed(0)).join(' | ')} |`), '',
  '| file fetched before interactive | bytes | gzip bytes |', '|---|---|---|',
  ...result.visit.files.map((f) => `| ${f.url} | ${f.bytes} | ${f.gzip} |`), '',
  `The service worker also fetches ${result.visit.offline.length} files for offline use in the background`
    + ` (${(result.visit.offline.reduce((s, f) => s + f.gzip, 0) / 1e6).toFixed(2)} MB gzip, most of them already fetched by the page); not counted above.`, '',
  `Wasm per crate (${wasm.note}):`, '', '| crate | bytes | share |', '|---|---|---|',
  ...wasm.crates.slice(0, 15).map((c) => `| ${c.crate} | ${c.bytes} | ${(100 * c.share).toFixed(1)}% |`), '',
  'Largest functions:', '', '| function | bytes |', '|---|---|',
  ...wasm.functions.slice(0, 12).map((f) => `| \`${f.name.replace(/\|/g, '\\|').slice(0, 110)}\` | ${f.bytes} |`),
];
for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.budget}: ${fmt(c)}${c.cpu_ms != null ? ` (CPU ${c.cpu_ms.toFixed(0)} ms)` : ''} (limit ${lim(c)})${c.error ? ` ${c.error}` : ''}`);
writeResults('budgets', { checks, loads_ms: result.visit.loads, load_phases_ms: result.visit.phases, files: result.visit.files, service_worker_files: result.visit.offline, long_tasks: result.long, wasm }, ['# Budgets', '', ...lines]);
