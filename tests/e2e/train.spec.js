// The core flow, in both projects (CPU only, and WebGPU through SwiftShader): load the
// page, train with the defaults, and reproduce the result from the share link, in a new
// tab and with the native CLI.
const {
  test, expect, VALIDATION_ACCURACY, open, train, waitForDone, waitForLoaded, readMetrics,
  hashOf, canvasInk, dataRows, decodeHash, cliRun,
} = require('./helpers');

test('loads iris, draws the data and names the backend', async ({ page }, testInfo) => {
  await open(page);
  await expect(page.locator('#dataset')).toHaveValue('iris');
  await expect(dataRows(page)).toHaveText('150');
  const backend = testInfo.project.name === 'webgpu' ? 'webgpu' : 'cpu';
  await expect(page.locator('#backend')).toHaveAttribute('data-backend', backend);
  await expect(page.locator('#backend')).toHaveText(backend === 'webgpu' ? /^WebGPU: \S/ : /^CPU \(WebAssembly, (\d+ threads|one thread)\)$/);

  const scatter = await canvasInk(page, '#scatter');
  expect(scatter.width).toBeGreaterThan(100);
  // 150 dots, axes and labels: far more than a blank or a frame-only canvas.
  expect(scatter.ink, JSON.stringify(scatter)).toBeGreaterThan(scatter.pixels * 0.01);
  expect(scatter.colours).toBeGreaterThan(3);
  // The address bar already holds the state.
  expect(decodeHash(await hashOf(page)).dataset.id).toBe('iris');
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'idle');
});

test('trains iris; the link reproduces it in a new tab and in the CLI', async ({ page, context }, testInfo) => {
  await open(page);
  const lossBefore = await canvasInk(page, '#loss');
  const metrics = await train(page);

  const acc = Number(metrics.accuracy.validation);
  expect(acc).toBeGreaterThanOrEqual(0.9);
  // The default solver (lbfgs) stops once the gradient is below tol: 15 of at most 100 on iris.
  await expect(page.locator('#counter')).toHaveText('epoch 15 / 15');
  await expect(page.locator('#progress')).toHaveJSProperty('value', 1);
  await expect(page.locator('#train-status')).toContainText('Training finished');
  const loss = await canvasInk(page, '#loss');
  expect(loss.ink, 'the learning curve is drawn').toBeGreaterThan(lossBefore.ink);
  expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['accuracy', 'balanced_accuracy', 'log_loss']));
  await page.screenshot({ path: testInfo.outputPath('trained.png'), fullPage: true });

  // A new tab opened on the link trains by itself and shows exactly the same numbers.
  const url = page.url();
  expect(url).toMatch(/#v1\.[A-Za-z0-9_-]+$/);
  const tab = await context.newPage();
  await tab.goto(url);
  await waitForLoaded(tab);
  await waitForDone(tab);
  expect(await readMetrics(tab)).toEqual(metrics);
  expect(tab.url()).toBe(url);
  await tab.close();

  // The CLI, given the same link, agrees to the 4 decimals the page shows.
  const cli = cliRun(url);
  expect(cli.metrics.validation.accuracy.toFixed(4)).toBe(metrics.accuracy.validation);
  expect(cli.metrics.train.accuracy.toFixed(4)).toBe(metrics.accuracy.train);
  expect(cli.metrics.validation.log_loss.toFixed(4)).toBe(metrics.log_loss.validation);
  expect(cli.metrics.train.log_loss.toFixed(4)).toBe(metrics.log_loss.train);
  await expect(page.locator(VALIDATION_ACCURACY)).toHaveText(metrics.accuracy.validation);
});
