// Compute threads: served with the isolation headers (as `mlplay serve` does) the page runs
// the core's build with threads, on a pool of Web Workers; `?threads=1` and hosts without
// the headers get the single-thread build. Both must show the very same numbers for the
// same link, and a crash inside a compute thread must not freeze the page.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { test, expect, cpuOnly, open, train, readMetrics, encodeState } = require('./helpers');

const BIN = process.env.MLPLAY_BIN || path.resolve(__dirname, '..', '..', 'target', 'release', 'mlplay');
const SITE = path.resolve(__dirname, '..', '..', 'site');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

const build = (page) => page.evaluate(() => ({
  core: document.documentElement.dataset.core,
  isolated: self.crossOriginIsolated,
  cores: navigator.hardwareConcurrency,
}));

test('the isolated page runs the build with threads, one per core, and fetches nothing of the other', async ({ page }) => {
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await open(page);
  const b = await build(page);
  // A module importing the core from pkg/ would get a second, uninitialised copy.
  expect(fetched.filter((p) => p.startsWith('/pkg/'))).toEqual([]);
  expect(fetched).toContain('/pkg-mt/mlplay_bg.wasm');
  expect(b).toMatchObject({ core: 'pkg-mt', isolated: true });
  const want = Math.min(b.cores, 16);
  await expect(page.locator('#backend')).toHaveAttribute('data-threads', String(want));
  await expect(page.locator('#backend')).toHaveText(want > 1 ? `CPU (WebAssembly, ${want} threads)` : 'CPU (WebAssembly, one thread)');
});

// Supervised metrics, or an unsupervised run's own numbers (its caption has the fit time).
const numbers = async (page) => ({
  metrics: await readMetrics(page),
  unsup: await page.locator('#unsup-metrics tr[data-metric]').evaluateAll((rows) => rows.map((r) => r.textContent)),
});

const LINKS = [
  ['random forest on breast_cancer', { dataset: { id: 'breast_cancer' }, model: { kind: 'random_forest', n_estimators: 12 }, seed: 3 }],
  ['gradient boosting on wine', { dataset: { id: 'wine' }, model: { kind: 'gradient_boosting', max_iter: 20 }, seed: 3 }],
  ['an MLP on moons', { dataset: { id: 'moons' }, model: { kind: 'mlp', hidden_layer_sizes: [16], max_iter: 30 }, seed: 3 }],
  ['k-means on blobs', { dataset: { id: 'blobs' }, model: { kind: 'kmeans', n_clusters: 4 }, seed: 3 }],
  ['t-SNE on iris', { dataset: { id: 'iris' }, model: { kind: 'tsne', max_iter: 300 }, seed: 3 }],
];

for (const [what, state] of LINKS) {
  test(`${what}: the same numbers on threads and on one thread`, async ({ page }) => {
    const hash = `#${encodeState(state)}`;
    await open(page, `/?threads=1${hash}`);
    expect((await build(page)).core).toBe('pkg');
    await expect(page.locator('#backend')).toHaveAttribute('data-threads', '1');
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
    const single = await numbers(page);

    // The charts too: the page's own instance has shared memory in this build, which some
    // browser APIs refuse (ImageData did), and a failed drawing is only logged.
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await open(page, `/${hash}`);
    expect((await build(page)).core).toBe('pkg-mt');
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
    await expect.poll(() => numbers(page)).toEqual(single);
    await page.waitForTimeout(300); // the last frame's charts
    expect(errors).toEqual([]);
    expect(Object.keys(single.metrics).length + single.unsup.length, 'numbers were shown').toBeGreaterThan(0);
  });
}

test('a host without the isolation headers gets the single-thread build, which trains', async ({ page }) => {
  const port = 8700 + Math.floor(Math.random() * 200);
  const server = spawn(BIN, ['serve', SITE, '--port', String(port), '--no-isolation'], { stdio: 'ignore' });
  try {
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)).toBe(true);
    await open(page, `http://127.0.0.1:${port}/`);
    expect(await build(page)).toMatchObject({ core: 'pkg', isolated: false });
    await expect(page.locator('#backend')).toHaveText('CPU (WebAssembly, one thread)');
    const metrics = await train(page);
    expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.9);
  } finally {
    server.kill();
  }
});

test('a crash inside a compute thread is reported, and the restarted engine trains', async ({ page }) => {
  await open(page, '?debug');
  expect((await build(page)).core).toBe('pkg-mt');
  await page.evaluate(() => window.mlplayDebug.crash(true));
  await expect(page.locator('#message-text')).toContainText(/crashed[\s\S]*in a compute thread/i, { timeout: 15_000 });
  await expect(page.locator('#play')).toBeEnabled();
  const metrics = await train(page);
  expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.9);
});
