// Every model kind the catalog offers trains in the page and reaches a stated quality.
const { test, expect, cpuOnly, open, train, hashOf, decodeHash } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

for (const [kind, param, value] of [['knn', '#param-n_neighbors', '7'], ['naive_bayes', null, null]]) {
  test(`${kind} trains on iris from the model menu`, async ({ page }) => {
    await open(page);
    await page.selectOption('#model-kind', kind);
    if (param) {
      await page.locator(param).fill(value);
      await page.locator(param).press('Tab');
    }
    const metrics = await train(page);
    expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.9);
    const state = decodeHash(await hashOf(page));
    expect(state.model.kind).toBe(kind);
    if (param) expect(String(state.model.n_neighbors)).toBe(value);
  });
}

test('an impossible n_neighbors is named in words when training starts', async ({ page }) => {
  await open(page);
  await page.selectOption('#model-kind', 'knn');
  await page.locator('#param-n_neighbors').fill('500');
  await page.locator('#param-n_neighbors').press('Tab');
  await page.locator('#play').click();
  await expect(page.locator('#message-text')).toContainText('n_neighbors = 500');
  await expect(page.locator('#play')).toBeEnabled();
});
