// After one visit the site works with no network: the service worker has cached every
// file, so a reload offline loads the page, any built-in dataset, and trains.
const { test, expect, cpuOnly, open, waitForLoaded, train } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

test('the page reloads, loads data and trains offline after the first visit', async ({ page, context }) => {
  await open(page);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 20_000 });
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('mlplay-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  // Both builds: this server isolates the page (threads), and an embedded copy is not.
  expect(cached).toEqual(expect.arrayContaining(['/index.html', '/www/main.js', '/www/worker.js', '/pkg/mlplay_bg.wasm',
    '/pkg-mt/mlplay_bg.wasm', '/www/pool_worker.js', '/data/wine.csv']));

  await context.setOffline(true);
  await page.reload();
  await waitForLoaded(page);
  // The cached responses keep their isolation headers, so offline the page still has threads.
  expect(await page.evaluate(() => [self.crossOriginIsolated, document.documentElement.dataset.core])).toEqual([true, 'pkg-mt']);
  await page.selectOption('#dataset', 'wine');
  await expect(page.locator('#data-info dl')).toBeVisible();
  const m = await train(page);
  expect(Number(m.accuracy.validation)).toBeGreaterThan(0.85);
  // A new tab of the same origin opens offline too (?embed is the same page).
  const other = await context.newPage();
  await other.goto('?embed&show=dataset');
  await waitForLoaded(other);
  await context.setOffline(false);
});

test('the manifest makes the site installable', async ({ page }) => {
  await open(page);
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifest = await (await page.request.get(href)).json();
  expect(manifest.name).toContain('mlplay');
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.length).toBeGreaterThan(0);
});
