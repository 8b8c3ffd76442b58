// Neural networks trained on WebGPU in the page (the webgpu project: SwiftShader), against
// the same run on the CPU; a GPU lost mid-run hands the run to the CPU; without WebGPU
// (the cpu project) asking for the GPU trains on the CPU and says why.
const { test, expect, open, waitForDone, dataRows } = require('./helpers');

// Per-epoch losses of the GPU and CPU runs must agree to this relative difference: both
// compute in f32 from the same weights, row order and batches; only summation order
// differs (natively on llvmpipe the gap is ~1e-7).
const CURVE_TOLERANCE = 1e-3;

const webgpuOnly = (testInfo) => test.skip(testInfo.project.name !== 'webgpu', 'needs WebGPU (SwiftShader)');

async function mlpOnMoons(page, params) {
  await open(page, '?debug');
  await page.selectOption('#dataset', 'moons');
  await expect(page.locator('#data-info dl')).toBeVisible();
  await page.selectOption('#model-kind', 'mlp');
  await page.locator('details.advanced').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  for (const [name, value] of Object.entries(params)) {
    await page.locator(`#param-${name}`).fill(value);
    await page.locator(`#param-${name}`).press('Tab');
  }
}

const curves = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.mlplayDebug.curves())));

async function trainOn(page, backend) {
  await page.selectOption('#backend-choice', backend);
  await page.locator('#play').click();
  await waitForDone(page, 60_000);
  return curves(page);
}

function worstGap(a, b) {
  expect(a.length).toBe(b.length);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-12)));
}

test('a seeded MLP trains on WebGPU with the loss curves of the CPU run, and the page names the adapter', async ({ page }, testInfo) => {
  webgpuOnly(testInfo);
  await mlpOnMoons(page, { hidden_layer_sizes: '16, 16', max_iter: '40', n_iter_no_change: '100' });
  // Two single steps on the GPU, then the rest of the run: one run, as if played through.
  await page.selectOption('#backend-choice', 'gpu');
  await page.locator('#step').click();
  await expect(page.locator('#counter')).toHaveText('epoch 1 / 40');
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'gpu');
  await page.locator('#step').click();
  await expect(page.locator('#counter')).toHaveText('epoch 2 / 40');
  await page.locator('#play').click();
  await waitForDone(page, 60_000);
  const gpu = await curves(page);
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'gpu');
  await expect(page.locator('#backend-now')).toHaveText(/^Training runs on: WebGPU: \S/);
  await expect(page.locator('#counter')).toHaveText('epoch 40 / 40');
  const cpu = await trainOn(page, 'cpu');
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'cpu');
  await expect(page.locator('#backend-now')).toHaveText(/^Training runs on: CPU \(wasm\)/);
  expect(gpu.train.length).toBe(40);
  const gaps = [worstGap(gpu.train, cpu.train), worstGap(gpu.validation, cpu.validation)];
  console.log(`GPU vs CPU on moons, 40 epochs: worst relative gap train ${gaps[0].toExponential(2)}, validation ${gaps[1].toExponential(2)}`);
  expect(Math.max(...gaps)).toBeLessThan(CURVE_TOLERANCE);
  // The loss fell: the curves compared are of a run that learned something.
  expect(gpu.train.at(-1)).toBeLessThan(0.7 * gpu.train[0]);
});

test('the autoencoder trains on WebGPU and flags rows', async ({ page }, testInfo) => {
  webgpuOnly(testInfo);
  await open(page, '?debug');
  await page.selectOption('#model-kind', 'autoencoder');
  await expect(page.locator('#dataset')).toHaveValue('traffic');
  // The traffic rows must be in before the field is set: their arrival redraws the panel.
  await expect(dataRows(page)).toHaveText('5,000');
  await page.locator('#param-max_iter').fill('15');
  await page.locator('#param-max_iter').press('Tab');
  await expect(page.locator('#param-max_iter')).toHaveValue('15');
  const gpu = await trainOn(page, 'gpu');
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'gpu');
  await expect(page.locator('#anomaly .legend')).toContainText(/validation, anomalous \(\d+\)/);
  const cpu = await trainOn(page, 'cpu');
  const gap = Math.max(worstGap(gpu.train, cpu.train), worstGap(gpu.validation, cpu.validation));
  console.log(`autoencoder GPU vs CPU, 15 epochs: worst relative gap ${gap.toExponential(2)}`);
  expect(gap).toBeLessThan(CURVE_TOLERANCE);
});

test('a GPU lost mid-run hands the run to the CPU, keeping the epochs done', async ({ page }, testInfo) => {
  webgpuOnly(testInfo);
  await mlpOnMoons(page, { hidden_layer_sizes: '32, 32', max_iter: '300', n_iter_no_change: '1000', batch_size: '16' });
  await page.selectOption('#backend-choice', 'gpu');
  await page.locator('#play').click();
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'gpu');
  await expect.poll(async () => (await curves(page)).train.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  await page.evaluate(() => window.mlplayDebug.loseGpu());
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'cpu', { timeout: 30_000 });
  const lostAt = (await curves(page)).train;
  await expect(page.locator('#backend-note')).toHaveText(/^The GPU failed \(.+\): training continues on the CPU from epoch \d+/);
  await waitForDone(page, 60_000);
  await expect(page.locator('#counter')).toHaveText('epoch 300 / 300');
  const after = await curves(page);
  // The GPU's epochs stay on the curve, and the run went on learning on the CPU.
  expect(after.train.slice(0, lostAt.length)).toEqual(lostAt);
  expect(after.train.length).toBe(300);
  expect(after.train.at(-1)).toBeLessThan(after.train[0]);
  expect(Number(await page.locator('#metrics tr[data-metric=accuracy] td[data-split=validation]').textContent())).toBeGreaterThan(0.8);
});

test('without WebGPU, asking for the GPU trains on the CPU and says why', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'cpu', 'the cpu project has no WebGPU');
  await mlpOnMoons(page, { max_iter: '20' });
  await page.selectOption('#backend-choice', 'gpu');
  await expect(page.locator('#backend-note')).toHaveText(/offers no WebGPU adapter: training on the CPU/);
  await page.locator('#play').click();
  await waitForDone(page, 30_000);
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'cpu');
  await expect(page.locator('#backend-now')).toHaveText(/^Training runs on: CPU \(wasm\)/);
  expect((await curves(page)).train.length).toBe(20);
});

test('a seeded CNN trains on WebGPU with the loss curves of the CPU run, and shows its maps', async ({ page }, testInfo) => {
  webgpuOnly(testInfo);
  test.setTimeout(240_000);
  // The single-thread core: the CPU run it is compared with needs no thread pool.
  await open(page, '?debug&threads=1');
  await page.selectOption('#dataset', 'digits');
  await expect(page.locator('#data-info dl')).toBeVisible();
  await page.selectOption('#model-kind', 'cnn');
  await page.locator('details.advanced').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  // Small, so SwiftShader (a CPU rasteriser) gets through it: 4 then 8 filters, 16 dense units.
  for (const [name, value] of Object.entries({ filters: '4, 8', hidden_layer_sizes: '16', max_iter: '3', batch_size: '64', learning_rate_init: '0.01' })) {
    await page.locator(`#param-${name}`).fill(value);
    await page.locator(`#param-${name}`).press('Tab');
  }
  await page.selectOption('#backend-choice', 'gpu');
  await page.locator('#play').click();
  await waitForDone(page, 150_000);
  const gpu = await curves(page);
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'gpu');
  await expect(page.locator('#backend-now')).toHaveText(/^Training runs on: WebGPU: \S/);
  await expect(page.locator('#counter')).toHaveText('epoch 3 / 3');
  // The maps drawn are the read-back network's: two blocks of 4 and 8 maps, 4 filters.
  const inside = page.locator('#cnn-inside');
  await expect(inside.locator('.cnn-layer')).toHaveCount(3);
  await expect(inside.locator('.cnn-layer').nth(2).locator('canvas')).toHaveCount(8);
  await page.locator('#backend-control').screenshot({ path: require('node:path').resolve(__dirname, '..', 'artifacts', 'screenshots', 'cnn-webgpu-backend.png') });
  const acc = Number(await page.locator('#metrics tr[data-metric=accuracy] td[data-split=validation]').textContent());
  const cpu = await trainOn(page, 'cpu');
  await expect(page.locator('#backend-now')).toHaveText(/^Training runs on: CPU \(wasm\)/);
  expect(gpu.train.length).toBe(3);
  const gaps = [worstGap(gpu.train, cpu.train), worstGap(gpu.validation, cpu.validation)];
  console.log(`CNN GPU vs CPU on digits, 3 epochs: worst relative gap train ${gaps[0].toExponential(2)}, validation ${gaps[1].toExponential(2)}; GPU validation accuracy ${acc}`);
  expect(Math.max(...gaps)).toBeLessThan(CURVE_TOLERANCE);
  expect(gpu.train.at(-1)).toBeLessThan(0.8 * gpu.train[0]);
});
