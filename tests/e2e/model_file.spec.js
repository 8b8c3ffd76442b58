// Model files in the page: a trained model downloads as JSON, opens again in a fresh page
// with the same data, settings and metrics (nothing retrained), and a damaged or hostile
// file gets a message naming what is wrong, leaving the page as it was.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect, cpuOnly, open, train, readMetrics, encodeState } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

async function saveModel(page) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator('#download-model').click()]);
  return { name: d.suggestedFilename(), text: fs.readFileSync(await d.path(), 'utf8') };
}

async function openModel(page, name, text, testInfo) {
  const file = path.join(testInfo.outputDir, name);
  fs.mkdirSync(testInfo.outputDir, { recursive: true });
  fs.writeFileSync(file, text);
  await page.locator('#open-model-input').setInputFiles(file);
}

for (const [dataset, model] of [['wine', { kind: 'random_forest', n_estimators: 15 }], ['moons', { kind: 'mlp', hidden_layer_sizes: [8], max_iter: 40 }]]) {
  test(`a ${model.kind} on ${dataset} saved as a file reopens with the same metrics`, async ({ page }, testInfo) => {
    await open(page, `#${encodeState({ dataset: { id: dataset }, model, seed: 11 })}`);
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
    await page.locator('#reset').click();
    await expect(page.locator('#download-model')).toBeDisabled();
    const shown = await train(page);
    const file = await saveModel(page);
    expect(file.name).toBe(`mlplay-model-${model.kind}-${dataset}.json`);
    const saved = JSON.parse(file.text);
    expect(saved.format).toBe('mlplay-model');

    // A fresh page on other data: opening the file brings back its data, model and numbers.
    await open(page, `#${encodeState({ dataset: { id: 'iris' }, model: { kind: 'knn' } })}`);
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
    await openModel(page, file.name, file.text, testInfo);
    // The file is read asynchronously: the page is still 'done' with iris until it lands,
    // so wait for the model kind to switch, then for the reopened model's numbers.
    await expect(page.locator('#model-kind')).toHaveValue(model.kind);
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
    await expect.poll(() => readMetrics(page)).toEqual(shown);
    expect(page.url()).toContain('#v1.');
  });
}

test('a damaged or hostile model file is refused with a message and the page keeps its run', async ({ page }, testInfo) => {
  await open(page, `#${encodeState({ dataset: { id: 'iris' }, model: { kind: 'decision_tree' } })}`);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
  const before = await readMetrics(page);
  const { text } = await saveModel(page);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  const cases = [
    ['cut.json', text.slice(0, text.length / 2), /malformed|JSON|EOF/i],
    ['future.json', text.replace(/"version":\d+/, '"version":99'), /version/i],
    ['not-a-model.json', JSON.stringify({ format: '<img src=x onerror=alert(1)>', version: 1 }), /format|mlplay-model/i],
  ];
  for (const [name, body, says] of cases) {
    await openModel(page, name, body, testInfo);
    await expect(page.locator('#message')).toContainText(name);
    await expect(page.locator('#message')).toContainText(says);
  }
  expect(dialogs).toBe(0);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
  expect(await readMetrics(page)).toEqual(before);
});
