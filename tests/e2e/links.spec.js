// Every edit is written to the share link; invalid edits are refused next to the control
// and leave the link alone.
const { test, expect, cpuOnly, open, train, dataRows, hashOf, decodeHash } = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

test('switching to moons updates the link and the data, and it trains well', async ({ page }) => {
  await open(page);
  const before = await hashOf(page);
  await page.locator('#dataset').selectOption('moons');
  await expect(dataRows(page)).toHaveText('300');
  await expect(page.locator('#play')).toBeEnabled();
  const after = await hashOf(page);
  expect(after).not.toBe(before);
  expect(decodeHash(after).dataset.id).toBe('moons');

  const metrics = await train(page);
  expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.8);
  expect(await hashOf(page), 'training does not change the link').toBe(after);
});

test('a smaller C changes the link and the result', async ({ page }) => {
  await open(page);
  const base = await train(page);
  const linkC1 = await hashOf(page);
  expect(decodeHash(linkC1).model.C).toBe(1);

  await page.locator('#param-C').fill('0.01');
  await page.locator('#param-C').press('Tab');
  await expect.poll(() => hashOf(page)).not.toBe(linkC1);
  expect(decodeHash(await hashOf(page)).model.C).toBe(0.01);
  // The old result is cleared: it no longer matches the settings.
  await expect(page.locator('#metrics table')).toHaveCount(0);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'idle');

  const strong = await train(page);
  // Stronger regularisation fits less closely: a higher (worse) log loss than C = 1.
  expect(strong.log_loss.validation).not.toBe(base.log_loss.validation);
  expect(Number(strong.log_loss.validation)).toBeGreaterThan(Number(base.log_loss.validation));
  expect(Number(strong.log_loss.train)).toBeGreaterThan(Number(base.log_loss.train));
});

test('an invalid C is reported next to the field and does not touch the link', async ({ page }) => {
  await open(page);
  const before = await hashOf(page);
  const c = page.locator('#param-C');
  await c.fill('-1');
  await c.press('Tab');
  const errorId = await c.getAttribute('aria-describedby');
  expect(errorId).toBeTruthy();
  const error = page.locator(`[id="${errorId}"]`);
  await expect(error).toBeVisible();
  await expect(error).toContainText('C');
  await expect(c).toHaveAttribute('aria-invalid', /.*/);
  expect(await hashOf(page)).toBe(before);
  await expect(page.locator('#message')).toBeHidden();

  // Training still uses the last valid settings (C = 1), and fixing the value clears the error.
  await c.fill('0.5');
  await c.press('Tab');
  await expect(error).toBeHidden();
  await expect(c).not.toHaveAttribute('aria-invalid', /.*/);
  expect(decodeHash(await hashOf(page)).model.C).toBe(0.5);
});
