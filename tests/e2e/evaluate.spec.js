// The evaluation view: the threshold slider moves the confusion matrix and the numbers,
// costs pick the cheapest threshold, multiclass confusion matrices and regression plots.
const { test, expect, cpuOnly, open, train, canvasInk, screenshot, decodeHash, hashOf, cliRun } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

async function trainOn(page, dataset, kind) {
  await open(page);
  await page.selectOption('#dataset', dataset);
  await expect(page.locator(`#model-kind option[value=${kind}]`)).toHaveCount(1);
  await page.selectOption('#model-kind', kind);
  return train(page);
}

// The 2x2 matrix as [[tn, fp], [fn, tp]].
const matrix = (page) => page.locator('#evaluation [data-view=confusion] tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
const number = (page, name) => page.locator(`#evaluation [data-number=${name}]`).textContent().then(Number);

test('the threshold slider moves the confusion matrix, precision and recall', async ({ page }) => {
  const metrics = await trainOn(page, 'breast_cancer', 'logistic_regression');
  // At the default 0.5 the view agrees with the metrics table (positive class: malignant).
  expect((await number(page, 'precision')).toFixed(3)).toBe(Number(metrics.precision.validation).toFixed(3));
  expect((await number(page, 'recall')).toFixed(3)).toBe(Number(metrics.recall.validation).toFixed(3));
  const mid = await matrix(page);
  const total = mid.flat().reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(50); // the validation rows (15% of 569)
  const positives = mid[1][0] + mid[1][1];

  const slider = page.locator('#threshold');
  await slider.fill('0'); // lowest threshold: every row called positive
  await expect(page.locator('#evaluation [data-number=recall]')).toHaveText('1.000');
  const low = await matrix(page);
  expect(low[0][0] + low[1][0]).toBe(0);
  expect(low[1][1]).toBe(positives);
  expect(low.flat().reduce((a, b) => a + b, 0)).toBe(total);
  await slider.fill('1'); // the top: only scores of exactly 1 called positive
  await expect(page.locator('#threshold-value')).toHaveText('score ≥ 1.000');
  const top = await matrix(page);
  expect(top[0][1] + top[1][1]).toBeLessThanOrEqual(mid[0][1] + mid[1][1]);
  // The threshold is part of the share link.
  await slider.fill('0.3');
  await slider.dispatchEvent('change');
  await expect.poll(async () => decodeHash(await hashOf(page)).view.threshold).toBeGreaterThan(0);
  expect((await canvasInk(page, '#chart-roc')).ink).toBeGreaterThan(2000);
  await screenshot(page, 'evaluation-threshold.png');
});

test('a missed positive costing 250 false alarms moves the cheapest threshold down', async ({ page }) => {
  await trainOn(page, 'breast_cancer', 'logistic_regression');
  await page.locator('#use-cheapest').click();
  const balancedRecall = await number(page, 'recall');
  await page.locator('#cost-fn').fill('250');
  await page.locator('#cost-fn').press('Tab');
  await page.locator('#use-cheapest').click();
  const matrixAfter = await matrix(page);
  // With misses this expensive the cheapest cut misses no positive at all.
  expect(matrixAfter[1][0]).toBe(0);
  expect(await number(page, 'recall')).toBeGreaterThanOrEqual(balancedRecall);
  expect(decodeHash(await hashOf(page)).view.costs).toEqual([250, 1]);
  // Best recall at a precision floor keeps precision at or above it.
  await page.locator('#min-precision').fill('0.99');
  await page.locator('#use-precision-floor').click();
  expect(await number(page, 'precision')).toBeGreaterThanOrEqual(0.99);
  const download = page.waitForEvent('download');
  await page.locator('#evaluation .save-png').first().click();
  expect((await download).suggestedFilename()).toBe('mlplay-roc.png');
});

test('a multiclass confusion matrix counts every validation row, as counts or shares', async ({ page }) => {
  const metrics = await trainOn(page, 'wine', 'naive_bayes');
  const m = await matrix(page);
  expect(m.length).toBe(3);
  const hits = m.reduce((a, row, i) => a + row[i], 0);
  const total = m.flat().reduce((a, b) => a + b, 0);
  expect((hits / total).toFixed(4)).toBe(metrics.accuracy.validation);
  await page.locator('#confusion-share').check();
  const shares = await page.locator('#evaluation [data-view=confusion] tbody tr').first().locator('td').allTextContents();
  expect(shares.every((s) => /^\d+%$/.test(s))).toBe(true);
  await expect(page.locator('#evaluation table.per-class tbody tr')).toHaveCount(3);
});

test('regression shows predicted against actual and the residuals', async ({ page }) => {
  const metrics = await trainOn(page, 'diabetes', 'ridge');
  expect(Number(metrics.r2.validation)).toBeGreaterThan(Number(metrics.r2.baseline));
  for (const id of ['#chart-predicted-vs-actual', '#chart-residuals']) {
    expect((await canvasInk(page, id)).ink).toBeGreaterThan(2000);
  }
  await screenshot(page, 'evaluation-regression.png');
});

test('cross-validation and a validation curve run from the page', async ({ page }) => {
  await trainOn(page, 'moons', 'decision_tree');
  await page.locator('#run-cv').click();
  await expect(page.locator('[data-view=cv]')).toContainText('5-fold cross-validation accuracy');
  const mean = Number(await page.locator('[data-cv-mean]').getAttribute('data-cv-mean'));
  expect(mean).toBeGreaterThan(0.8);
  await page.locator('#run-sweep').click();
  await expect(page.locator('#sweep-result figcaption')).toContainText('max_depth', { timeout: 60_000 });
  expect((await canvasInk(page, '#chart-validation-curve')).ink).toBeGreaterThan(2000);
});

test('the test set stays locked until a final evaluation, which the link counts', async ({ page }) => {
  await trainOn(page, 'iris', 'naive_bayes');
  await expect(page.locator('#metrics td[data-split=test]')).toHaveCount(0);
  await page.locator('#final-eval').click();
  await expect(page.locator('#metrics tr[data-metric=accuracy] td[data-split=test]')).toHaveText(/^\d\.\d{4}$/);
  await expect(page.locator('#evaluation h2')).toHaveText('Evaluation on the test rows');
  await page.locator('#final-eval').click();
  await expect(page.locator('[data-view=test-count]')).toContainText('evaluated 2 times');
  const hash = await hashOf(page);
  expect(decodeHash(hash).test_evaluations).toBe(2);
  // The link reopens with the test numbers shown, and the CLI agrees with them.
  const shown = await page.locator('#metrics tr[data-metric=accuracy] td[data-split=test]').textContent();
  const fresh = await page.context().newPage();
  await fresh.goto(`/${hash}`);
  await expect(fresh.locator('#metrics tr[data-metric=accuracy] td[data-split=test]')).toHaveText(shown, { timeout: 30_000 });
  expect(cliRun(hash).metrics.test.accuracy.toFixed(4)).toBe(shown);
  // Changing the model locks the test set again.
  if (!(await fresh.locator('#param-var_smoothing').isVisible())) await fresh.locator('#model-controls details.advanced summary').click();
  await fresh.locator('#param-var_smoothing').fill('0.5');
  await fresh.locator('#param-var_smoothing').press('Tab');
  await fresh.locator('#play').click();
  await expect(fresh.locator('#play')).toHaveAttribute('data-phase', 'done');
  await expect(fresh.locator('#metrics td[data-split=test]')).toHaveCount(0);
  await expect(fresh.locator('[data-view=test-count]')).toContainText('locked again');
});
