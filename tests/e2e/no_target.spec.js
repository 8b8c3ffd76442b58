// A file without a label column (sklearn's wine measurements, 13 columns): a clustering
// uses every column, the target list offers "(none)", the data panel says so and counts
// missing values, and the link gives the CLI the same clusters (issue #22).
const fs = require('node:fs');
const path = require('node:path');
const { test, expect, cpuOnly, open, hashOf, decodeHash, cliRun, screenshot } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const info = (page, term) => page.locator('#data-info dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

test('k-means on an uploaded features-only file clusters on all 13 columns with target (none)', async ({ page }) => {
  const want = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'data_meaning.json'), 'utf8'));
  await open(page);
  await page.selectOption('#model-kind', 'kmeans');
  const box = page.locator('#param-n_clusters');
  await box.fill('3');
  await box.press('Tab');
  const wine = fs.readFileSync(path.join(FIXTURES, 'wine_features.csv'));
  await page.setInputFiles('#upload', { name: 'wine_features.csv', mimeType: 'text/csv', buffer: wine });
  await expect(page.locator('#dataset')).toHaveValue('file:wine_features.csv');
  await expect(info(page, 'Target')).toHaveText('(none): every column is a feature');
  // More than 12 features: the count alone (the names are listed only up to 12).
  await expect(info(page, 'Numeric features')).toHaveText('13');
  await expect(info(page, 'Missing values')).toHaveText('none');
  await expect(page.locator('#data-info')).toContainText('every column is a feature and none colours the plot');
  // "(none)" is in the target list and is the current choice; choosing it says so in the link.
  await expect(page.locator('#target')).toHaveValue('');
  await expect(page.locator('#target option').first()).toHaveText('(none)');
  await page.selectOption('#target', '');
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  const inertia = await page.locator('#unsup-metrics tr[data-metric=inertia] td').textContent();
  // scikit-learn's KMeans(3, n_init=10) on the 13 standardised columns: 1277.93.
  expect(Math.abs(Number(inertia) - want.wine_kmeans_inertia)).toBeLessThan(1);
  const hash = await hashOf(page);
  expect(decodeHash(hash).dataset.id).toBe('file:wine_features.csv');
  const cli = cliRun(hash);
  expect(cli.metrics.inertia).toBeCloseTo(want.wine_kmeans_inertia, 3);
  expect(cli.notes.join(' ')).toContain('every column is a feature');
  await screenshot(page, 'no-target-kmeans-wine.png');
});

test('missing values are counted per column and in total', async ({ page }) => {
  await open(page);
  const cars = fs.readFileSync(path.join(FIXTURES, 'cars.csv'));
  await page.setInputFiles('#upload', { name: 'cars.csv', mimeType: 'text/csv', buffer: cars });
  await expect(page.locator('#dataset')).toHaveValue('file:cars.csv');
  // vega's cars: Miles_per_Gallon has 8 gaps, Horsepower 6.
  await expect(info(page, 'Missing values')).toHaveText('14 in total: Miles_per_Gallon 8, Horsepower 6');
  await expect(page.locator('#data-info')).toContainText("column 'Name' looks like a name (311 distinct values in 406 rows)");
});
