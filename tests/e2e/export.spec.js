// "Export as code" downloads the experiment as a scikit-learn script, a notebook and a
// Spark job, with the page's model and hyperparameters in them.
const fs = require('node:fs');
const { test, expect, cpuOnly, open } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

test('the three exports download, each naming the model and its settings', async ({ page }) => {
  await open(page);
  await page.selectOption('#model-kind', 'random_forest');
  await page.locator('#param-n_estimators').fill('30');
  await page.locator('#param-n_estimators').press('Tab');
  for (const [target, name, needle] of [
    ['sklearn', /\.py$/, 'RandomForestClassifier'],
    ['notebook', /\.ipynb$/, 'RandomForestClassifier'],
    ['spark', /_spark\.py$/, 'RandomForestClassifier'],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export=${target}]`).click()]);
    expect(download.suggestedFilename()).toMatch(name);
    const text = fs.readFileSync(await download.path(), 'utf8');
    expect(text).toContain(needle);
    expect(text).toMatch(/n_estimators\W+30|numTrees\W+30/);
    if (target === 'notebook') expect(JSON.parse(text).nbformat).toBe(4);
  }
});
