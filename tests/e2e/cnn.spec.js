// The convolutional network (`cnn` kind): it trains on the digits in the page, and its
// look inside shows one validation image's feature maps, the first block's filters and
// the class probabilities, redrawn while it trains, and the accuracy after each epoch;
// another image can be chosen.
const path = require('node:path');
const { test, expect, cpuOnly, open, waitForDone, screenshot } = require('./helpers');

const closeUp = (page, selector, name) => page.locator(selector).screenshot({ path: path.resolve(__dirname, '..', 'artifacts', 'screenshots', name) });

test('a CNN trains on the digits and shows its feature maps', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  test.setTimeout(180_000);
  await open(page);
  await page.selectOption('#dataset', 'digits');
  await expect(page.locator('#data-info dl')).toBeVisible();
  await page.selectOption('#model-kind', 'cnn');
  await page.locator('#param-max_iter').fill('8');
  await page.locator('#param-max_iter').press('Tab');
  await page.locator('#play').click();
  const inside = page.locator('#cnn-inside');
  await expect(inside).toBeVisible({ timeout: 60_000 });
  await waitForDone(page, 150_000);
  const acc = Number(await page.locator('#metrics tr[data-metric=accuracy] td[data-split=validation]').textContent());
  expect(acc).toBeGreaterThan(0.9);
  // The accuracy after each epoch, its last validation figure the metrics table's.
  await expect(inside.locator('canvas[data-view=cnn-epochs]')).toHaveAttribute('aria-label', /of 8 epochs/);
  const last = /validation ([\d.]+)%/.exec(await inside.locator('.cnn-chart figcaption').textContent());
  expect(Math.abs(Number(last[1]) / 100 - acc)).toBeLessThan(0.0006);
  // Defaults: 16 then 32 filters; maps of 4x4 then 2x2 after pooling; 16 filters of 3x3.
  await expect(inside.locator('.cnn-layer')).toHaveCount(3);
  await expect(inside.locator('.cnn-layer').nth(0).locator('canvas')).toHaveCount(16);
  await expect(inside.locator('.cnn-layer').nth(1).locator('canvas')).toHaveCount(16);
  await expect(inside.locator('.cnn-layer').nth(2).locator('canvas')).toHaveCount(32);
  await expect(inside.locator('.cnn-layer figcaption').nth(1)).toContainText('4x4');
  await expect(inside.locator('.cnn-prob')).toHaveCount(10);
  const shares = await inside.locator('.cnn-prob-value').allTextContents();
  const total = shares.map((s) => Number(s.replace('%', ''))).reduce((a, b) => a + b, 0);
  expect(Math.abs(total - 100)).toBeLessThan(1);
  // Another image: its number and true class change.
  const caption = await inside.locator('.cnn-input figcaption').textContent();
  await inside.getByRole('button', { name: /Next/ }).click();
  await expect(inside.locator('input[type=number]')).toHaveValue('2');
  await expect(inside.locator('.cnn-input figcaption')).not.toHaveText(caption);
  await closeUp(page, '#cnn-inside', 'cnn-inside-digits.png');
  await screenshot(page, 'cnn-digits.png');
});
