// A session that lasts a class (issue #25 item 4): many consecutive runs in ONE page across
// kinds and datasets (uploads, forests, boosting, MLP, t-SNE, UMAP, k-means, model-file
// reloads, injected engine crashes), recording after each run the page's JS heap (after a
// forced garbage collection), its DOM nodes and listeners, the page's and the worker's wasm
// memory, and the run's time. Memory must stop growing and later runs must not get slower.
//
// The default run is the quick variant (SOAK_QUICK runs: three cycles, three crashes); MLPLAY_SOAK=1
// runs MLPLAY_SOAK_RUNS (default 100, ten cycles, ten crashes): `./x bench soak`
// (bench/soak.mjs), which also writes bench/results/soak.{json,md,svg} from MLPLAY_SOAK_OUT.
const fs = require('node:fs');
const { test, expect, cpuOnly, open, encodeState, readMetrics } = require('./helpers');

const SOAK_QUICK = 30;
const FULL = process.env.MLPLAY_SOAK === '1';
const RUNS = FULL ? Number(process.env.MLPLAY_SOAK_RUNS || 100) : SOAK_QUICK;
// Memory after the warm-up runs may not grow by more than this (issue #25: 1.5x).
const GROWTH = 1.5;
const WARM_UP = 10;
// The last half of a kind's runs against its first half (fastest and median): at most 20% slower.
const SLOWER = 1.2;
// `?debug` gives the crash hook; MLPLAY_SOAK_QUERY may add e.g. `&threads=1`.
const QUERY = process.env.MLPLAY_SOAK_QUERY || '?debug';

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

// An uploaded table, different each cycle: two measures and a class from a noisy rule.
function uploadCsv(rows, seed) {
  let text = 'width,height,depth,kind\n';
  let s = seed * 7919 + 1;
  const rnd = () => { s = (s * 48271) % 2147483647; return s / 2147483647; };
  for (let i = 0; i < rows; i++) {
    const a = rnd() * 10; const b = rnd() * 10; const c = rnd() * 5;
    text += `${a.toFixed(3)},${b.toFixed(3)},${c.toFixed(3)},${a + b + rnd() * 3 > 11.5 ? 'big' : 'small'}\n`;
  }
  return Buffer.from(text);
}

// In the page: count each time Train's phase becomes 'done' (a run finished), so a run is
// waited for by its count, never by a 'done' left over from the run before.
async function watchRuns(page) {
  await page.evaluate(() => {
    const play = document.getElementById('play');
    window.soakRunsDone = 0;
    new MutationObserver((records) => {
      records.forEach((r, i) => {
        const now = i + 1 < records.length ? records[i + 1].oldValue : play.dataset.phase;
        if (now === 'done' && r.oldValue !== 'done') window.soakRunsDone += 1;
      });
    }).observe(play, { attributes: true, attributeFilter: ['data-phase'], attributeOldValue: true });
  });
}
const runsDone = (page) => page.evaluate(() => window.soakRunsDone);
async function nextDone(page, before, timeout = 120_000) {
  await expect.poll(() => runsDone(page), { timeout, intervals: [50, 100, 200] }).toBeGreaterThan(before);
}

// A shared link opened in the same tab: the page loads its data and trains it.
async function openLink(page, state) {
  const before = await runsDone(page);
  await page.evaluate((h) => { location.hash = h; }, encodeState(state));
  await nextDone(page, before);
}

async function trainNow(page) {
  const before = await runsDone(page);
  await expect(page.locator('#play')).toBeEnabled();
  await page.locator('#play').click();
  await nextDone(page, before);
}

// What one cycle of ten runs does; `c` is the cycle's number (seeds and files differ).
const STEPS = [
  // Dropped on the data panel (the page's other way in): Playwright's setInputFiles on
  // #upload kept each replaced data panel reachable (about 300 DOM nodes a cycle, seen with
  // MLPLAY_SOAK_PROBE), which is the test's leak, not the page's.
  ['upload', async (page, c) => {
    await page.evaluate(([name, text]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'text/csv' }));
      document.getElementById('data-panel').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [`class-${c}.csv`, uploadCsv(3000, c + 1).toString()]);
    await expect(page.locator('#dataset')).toHaveValue(`file:class-${c}.csv`);
    await expect(page.locator('#data-info dl')).toBeVisible();
    await page.selectOption('#model-kind', 'decision_tree');
    await trainNow(page);
  }],
  ['random_forest', (page, c) => openLink(page, { dataset: { id: 'digits' }, model: { kind: 'random_forest', n_estimators: 20 }, seed: c + 1 })],
  ['model_file', async (page, c) => {
    const shown = await readMetrics(page);
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator('#download-model').click()]);
    const text = fs.readFileSync(await d.path(), 'utf8');
    await d.delete();
    // Opened on other data, so the page must switch back to the file's data and model.
    await openLink(page, { dataset: { id: 'iris' }, model: { kind: 'knn' }, seed: c + 1 });
    const before = await runsDone(page);
    await page.locator('#open-model-input').setInputFiles({ name: d.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
    await nextDone(page, before);
    await expect(page.locator('#model-kind')).toHaveValue('random_forest');
    await expect.poll(() => readMetrics(page)).toEqual(shown);
  }],
  ['gradient_boosting', (page, c) => openLink(page, { dataset: { id: 'breast_cancer' }, model: { kind: 'gradient_boosting', max_iter: 30 }, seed: c + 1 })],
  ['mlp', (page, c) => openLink(page, { dataset: { id: 'digits' }, model: { kind: 'mlp', hidden_layer_sizes: [32], max_iter: 20 }, seed: c + 1 })],
  ['tsne', (page, c) => openLink(page, { dataset: { id: 'iris' }, model: { kind: 'tsne', max_iter: 300 }, seed: c + 1 })],
  ['umap', (page, c) => openLink(page, { dataset: { id: 'wine' }, model: { kind: 'umap' }, seed: c + 1 })],
  ['kmeans', (page, c) => openLink(page, { dataset: { id: 'digits' }, model: { kind: 'kmeans', n_clusters: 10 }, seed: c + 1 })],
  ['crash', async (page) => {
    // The engine dies (a Rust panic); the page starts a new one, which reloads the data.
    await page.evaluate(() => window.mlplayDebug.crash());
    await expect(page.locator('#message-text')).toContainText(/crashed/);
    await expect(page.locator('#data-info dl')).toBeVisible();
    await trainNow(page);
    await page.locator('#message-close').click();
  }],
  ['logistic_ui', async (page) => {
    // As a student does it: pick the data and the model, press Train.
    await page.selectOption('#dataset', 'breast_cancer');
    await expect(page.locator('#data-info dl')).toBeVisible();
    await page.selectOption('#model-kind', 'logistic_regression');
    await trainNow(page);
  }],
];

// MLPLAY_SOAK_PROBE=1: DOM nodes out of the document yet still reachable (a heap snapshot),
// the commonest first: what keeps an old panel or canvas alive.
async function detachedNodes(cdp) {
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const { snapshot: { meta }, nodes, strings } = JSON.parse(chunks.join(''));
  const n = meta.node_fields.length; const name = meta.node_fields.indexOf('name'); const det = meta.node_fields.indexOf('detachedness');
  const counts = new Map();
  for (let i = 0; i < nodes.length; i += n) {
    if (det >= 0 && nodes[i + det] === 2) counts.set(strings[nodes[i + name]].slice(0, 60), (counts.get(strings[nodes[i + name]].slice(0, 60)) || 0) + 1);
  }
  return { total: [...counts.values()].reduce((a, b) => a + b, 0), top: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5) };
}

// After a run: collect garbage, then read the page's heap and DOM counters (CDP), the
// page's wasm memory (the core's module is already initialised: init returns its exports)
// and the worker's (its global probe, www/worker.js).
async function measure(page, cdp) {
  await page.waitForTimeout(150); // let the run's last redraws land
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const pageWasm = await page.evaluate(async () => {
    const core = await import(new URL(`${document.documentElement.dataset.core || 'pkg'}/mlplay.js`, location.href).href);
    return (await core.default()).memory.buffer.byteLength;
  });
  // A crashed worker is terminated at once, but its target (with its compute threads) can
  // take a moment to go; a worker that never goes is a leak.
  const trainers = () => page.workers().filter((w) => /\/worker\.js$/.test(w.url()));
  await expect.poll(() => trainers().length, { timeout: 10_000 }).toBe(1);
  const sizes = [];
  for (const w of trainers()) {
    sizes.push(await w.evaluate(() => self.mlplayWasmBytes?.() ?? null).catch(() => null));
  }
  const detached = process.env.MLPLAY_SOAK_PROBE ? await detachedNodes(cdp) : null;
  return {
    heap_used: heap.usedSize, heap_total: heap.totalSize, dom_nodes: dom.nodes, listeners: dom.jsEventListeners,
    page_wasm: pageWasm, worker_wasm: sizes.find((s) => s != null) ?? null, workers: sizes.length,
    ...(detached && { detached }),
  };
}

const maxOf = (xs) => Math.max(...xs);

test(`${RUNS} runs in one page: memory stops growing, later runs are not slower, no errors`, async ({ page }, testInfo) => {
  test.setTimeout(RUNS * 60_000);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const cdp = await page.context().newCDPSession(page);
  await open(page, QUERY);
  await watchRuns(page);
  const runs = [];
  const started = Date.now();
  for (let i = 0; i < RUNS; i++) {
    const [kind, run] = STEPS[i % STEPS.length];
    const cycle = Math.floor(i / STEPS.length);
    const errorsBefore = errors.length;
    const t0 = Date.now();
    await run(page, cycle);
    const ms = Date.now() - t0;
    const m = await measure(page, cdp);
    // A crash's own report is expected; any other console error is a failure.
    const newErrors = errors.slice(errorsBefore).filter((e) => !(kind === 'crash' && /panic|crash|debug_panic|unreachable/i.test(e)));
    runs.push({ run: i + 1, kind, cycle, ms, ...m, errors: newErrors });
    await expect(page.locator('#message-text')).not.toContainText(/failed/i);
    console.log(`soak ${i + 1}/${RUNS} ${kind}: ${ms} ms, heap ${(m.heap_used / 1e6).toFixed(1)} MB, `
      + `nodes ${m.dom_nodes}, listeners ${m.listeners}, page wasm ${(m.page_wasm / 1e6).toFixed(1)} MB, worker wasm ${(m.worker_wasm / 1e6).toFixed(1)} MB (${m.workers} worker)${m.detached ? `, detached ${JSON.stringify(m.detached)}` : ''}`);
  }
  const summary = { runs: RUNS, wall_s: (Date.now() - started) / 1000, cycle: STEPS.map(([k]) => k), results: runs };
  if (process.env.MLPLAY_SOAK_OUT) fs.writeFileSync(process.env.MLPLAY_SOAK_OUT, JSON.stringify(summary, null, 1));
  fs.writeFileSync(testInfo.outputPath('soak.json'), JSON.stringify(summary, null, 1));

  expect(runs.flatMap((r) => r.errors), 'no console errors').toEqual([]);
  expect(runs.every((r) => r.workers === 1), 'one training worker at a time (a crashed one is gone)').toBe(true);
  // Memory: after the warm-up, the last run's figures within 1.5x of the warm-up's maximum.
  const warm = runs.slice(0, Math.min(WARM_UP, runs.length));
  const last = runs[runs.length - 1];
  for (const key of ['heap_used', 'dom_nodes', 'listeners', 'page_wasm', 'worker_wasm']) {
    expect(last[key], `${key}: last run vs ${GROWTH}x the first ${warm.length} runs' maximum`).toBeLessThanOrEqual(GROWTH * maxOf(warm.map((r) => r[key])));
  }
  // Kinds draw different views, so the DOM is compared kind by kind: the same view again
  // (its second run on, once lazily built parts exist) holds no more than 10% more nodes.
  for (const [kind] of STEPS) {
    const nodes = runs.filter((r) => r.kind === kind).map((r) => r.dom_nodes);
    if (nodes.length >= 3) expect(nodes[nodes.length - 1], `${kind}: DOM nodes (${nodes.join(', ')})`).toBeLessThanOrEqual(1.1 * nodes[1]);
  }
  // Time: for kinds run at least six times, the last half of their runs against the first
  // half. On a shared machine the load adds to single runs at random, so a kind counts as
  // slower only when both its fastest and its median run of the last half are over 1.2x
  // those of the first half (a page that slows down raises both).
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [kind] of STEPS) {
    const times = runs.filter((r) => r.kind === kind).map((r) => r.ms);
    if (times.length < 6) continue;
    const half = Math.floor(times.length / 2);
    const [first, later] = [times.slice(0, half), times.slice(-half)];
    const ratio = Math.min(Math.min(...later) / Math.min(...first), median(later) / median(first));
    expect(ratio, `${kind}: last runs vs first runs (ms ${times.join(', ')})`).toBeLessThanOrEqual(SLOWER);
  }
});
