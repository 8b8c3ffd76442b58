// Each model family trains in the page on a set it suits, reaches a stated quality, and
// shows what it learned: weights, the tree, importances; the decision boundary appears
// behind the points while training.
const { test, expect, cpuOnly, open, train, readMetrics, canvasInk, screenshot, decodeHash, hashOf } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

async function choose(page, { dataset, kind, params = {}, imputer }) {
  if (dataset) {
    await page.selectOption('#dataset', dataset);
    await expect(page.locator('#data-info dl')).toBeVisible();
    await expect(page.locator(`#model-kind option[value=${kind}]`)).toHaveCount(1);
  }
  if (imputer) {
    await page.locator('#group-prep summary').click(); // missing values sit in a folded group
    await page.selectOption('#imputer', imputer);
  }
  await page.selectOption('#model-kind', kind);
  for (const [name, value] of Object.entries(params)) {
    const box = page.locator(`#param-${name}`);
    if ((await box.evaluate((e) => e.tagName)) === 'SELECT') await box.selectOption(value);
    else { await box.fill(value); await box.press('Tab'); }
  }
}

const CASES = [
  // kind, dataset, params, metric, at least, view that must show
  ['linear_regression', 'diabetes', {}, 'r2', 0.3, '[data-view=coefficients] li'],
  ['ridge', 'diabetes', { alpha: '10' }, 'r2', 0.3, '[data-view=coefficients] li'],
  ['lasso', 'diabetes', { alpha: '1' }, 'r2', 0.3, '[data-view=coefficients] li'],
  ['logistic_regression', 'breast_cancer', {}, 'accuracy', 0.93, '[data-view=coefficients] li'],
  ['knn', 'diabetes', { n_neighbors: '15' }, 'r2', 0.2, null],
  ['decision_tree', 'iris', { max_depth: '3' }, 'accuracy', 0.9, '[data-view=tree] summary'],
  ['random_forest', 'wine', { n_estimators: '30' }, 'accuracy', 0.9, '[data-view=importances] li'],
  ['gradient_boosting', 'breast_cancer', { max_iter: '40' }, 'accuracy', 0.9, '[data-view=importances] li'],
  ['self_training', 'moons', {}, 'accuracy', 0.75, '[data-view=self-training]'],
  ['mlp', 'moons', { hidden_layer_sizes: '16, 16', learning_rate_init: '0.01' }, 'accuracy', 0.85, null],
  ['autoencoder', 'traffic', {}, 'average_precision', 0.4, null],
  ['isolation_forest', 'traffic', { n_estimators: '60' }, 'average_precision', 0.3, null],
];

for (const [kind, dataset, params, metric, floor, view] of CASES) {
  test(`${kind} on ${dataset} reaches ${metric} >= ${floor} and shows what it learned`, async ({ page }) => {
    await open(page);
    await choose(page, { dataset, kind, params });
    const m = await train(page, { timeout: 45_000 });
    expect(Number(m[metric].validation), `${metric} on validation`).toBeGreaterThanOrEqual(floor);
    // The baseline column is there and the model beats it.
    const base = Number(m[metric].baseline);
    expect(Number(m[metric].validation)).toBeGreaterThan(base);
    if (view) await expect(page.locator(`#explain ${view}`).first()).toBeVisible();
    expect(decodeHash(await hashOf(page)).model.kind).toBe(kind);
    await screenshot(page, `model-${kind}.png`);
  });
}

test('an isolation forest grows a tree per step and shows its anomaly scores with a threshold', async ({ page }) => {
  await open(page);
  await choose(page, { dataset: 'traffic', kind: 'isolation_forest', params: { n_estimators: '40' } });
  await page.locator('#step').click();
  await expect(page.locator('#counter')).toHaveText(/^tree 1 \/ 40$/);
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  // The anomaly view names this detector's score, not the autoencoder's error.
  await expect(page.locator('#anomaly h3')).toContainText('anomaly score');
  await expect(page.locator('#anomaly-threshold')).toBeVisible();
  await expect(page.locator('#anomaly')).not.toContainText('rebuil');
  const m = await readMetrics(page);
  expect(Number(m.roc_auc.validation)).toBeGreaterThanOrEqual(0.9);
  await screenshot(page, 'isolation-forest-traffic.png');
});

test('the decision boundary is drawn behind the points as training runs', async ({ page }) => {
  await open(page, '?');
  await choose(page, { dataset: 'moons', kind: 'knn' });
  const before = await canvasInk(page, '#scatter');
  await train(page);
  const after = await canvasInk(page, '#scatter');
  // The plane is now coloured by the predicted class: the white background is gone from
  // most of the canvas and there are more colours.
  expect(after.ink).toBeGreaterThan(before.ink * 2);
  expect(after.colours).toBeGreaterThan(before.colours);
  await expect(page.locator('#scatter-caption')).toContainText('the class the model predicts');
  // Changing an axis redraws the plane for the new pair without retraining.
  await page.selectOption('#axis-x', '1');
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
  await screenshot(page, 'boundary-moons.png');
});

test('a decision tree grows a level per step, reads as rules, and keeps missing values', async ({ page }) => {
  await open(page);
  await choose(page, { dataset: 'penguins', kind: 'decision_tree', imputer: 'keep', params: { max_depth: '4' } });
  await page.locator('#step').click();
  await expect(page.locator('#counter')).toHaveText(/^level 1 \/ \d+$/);
  await expect(page.locator('#explain [data-view=tree] > li > details > summary')).toBeVisible();
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  const m = await readMetrics(page);
  expect(Number(m.accuracy.validation)).toBeGreaterThanOrEqual(0.9);
  await page.locator('#explain .rules summary').click();
  await expect(page.locator('#explain .rules pre')).toContainText('if ');
});

test('an impossible max_depth is named next to its control', async ({ page }) => {
  await open(page);
  await choose(page, { kind: 'decision_tree' });
  await page.locator('#param-max_depth').fill('0');
  await page.locator('#param-max_depth').press('Tab');
  const errId = await page.locator('#param-max_depth').getAttribute('aria-describedby');
  await expect(page.locator(`#${errId}`)).toContainText('max_depth = 0');
  await expect(page.locator('#param-max_depth')).toHaveAttribute('aria-invalid', '');
});

test('keeping missing values is refused for a model that cannot read them', async ({ page }) => {
  await open(page);
  await choose(page, { dataset: 'penguins', kind: 'logistic_regression', imputer: 'keep' });
  await page.locator('#play').click();
  await expect(page.locator('#message-text')).toContainText('imputer');
  await expect(page.locator('#play')).toBeEnabled();
});

test('the PCA plane shows many features at once, with the model behind them', async ({ page }) => {
  await open(page);
  await choose(page, { dataset: 'wine', kind: 'logistic_regression' });
  await train(page);
  const sliced = await canvasInk(page, '#scatter');
  await page.locator('#view-pca').check();
  await expect(page.locator('#axis-x')).toHaveCount(0);
  await expect(page.locator('#scatter-caption')).toContainText('PCA plane');
  await expect.poll(async () => decodeHash(await hashOf(page)).view.pca).toBe(true);
  // The plane is drawn anew: a different picture, still coloured by the model.
  await expect.poll(async () => (await canvasInk(page, '#scatter')).ink).not.toBe(sliced.ink);
  expect((await canvasInk(page, '#scatter')).colours).toBeGreaterThan(50);
  await screenshot(page, 'pca-plane-wine.png');
});
