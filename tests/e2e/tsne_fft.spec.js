// t-SNE on the fft method in the page (issue #25 item 3): the run reports its progress,
// Pause holds it (the iteration counter stops) and Resume carries it on to the end, where
// it scores itself. 4,000 uploaded rows so that it runs for several seconds.
const { test, expect, cpuOnly, open, decodeHash, hashOf, screenshot } = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

const iteration = async (page) => {
  const m = /(\d+) \/ (\d+)$/.exec(await page.locator('#counter').textContent());
  return m ? Number(m[1]) : null;
};

test('t-SNE fft: progress moves, pause holds the iterations, resume finishes the run', async ({ page }) => {
  test.setTimeout(180_000);
  const rows = 4000;
  let s = 777;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = [Array.from({ length: 10 }, (_, i) => `f${i}`).join(',')];
  for (let r = 0; r < rows; r++) {
    const c = r % 6;
    lines.push(Array.from({ length: 10 }, (_, i) => (((c * 3 + i) % 4) * 2 + rand()).toFixed(3)).join(','));
  }
  await open(page);
  await page.setInputFiles('#upload', { name: 'blobs.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.locator('#data-info')).toContainText(rows.toLocaleString('en-US'), { timeout: 60_000 });
  await page.selectOption('#model-kind', 'tsne');
  if (!(await page.locator('#param-method').isVisible())) await page.locator('#model-controls details.advanced summary').click();
  await page.selectOption('#param-method', 'fft');
  await page.locator('#param-max_iter').fill('600');
  await page.locator('#param-max_iter').press('Tab');
  await expect.poll(async () => decodeHash(await hashOf(page)).model).toMatchObject({ method: 'fft', max_iter: 600 });

  const play = page.locator('#play');
  await play.click();
  await expect.poll(() => iteration(page), { timeout: 60_000 }).toBeGreaterThan(20);
  const before = Number(await page.locator('#progress').evaluate((p) => p.value));
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThan(1);

  await play.click();
  await expect(play).toHaveAttribute('data-phase', 'paused');
  await expect(play).toHaveAccessibleName('Resume');
  // Held: the counter settles, then stays put for a second.
  let held = await iteration(page);
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(300);
    const now = await iteration(page);
    if (now === held) break;
    held = now;
  }
  await page.waitForTimeout(1000);
  expect(await iteration(page), 'the counter no longer advances while paused').toBe(held);
  expect(held).toBeLessThan(600);

  await play.click();
  await expect(play).toHaveAttribute('data-phase', 'running');
  await expect.poll(() => iteration(page)).toBeGreaterThan(held);
  await expect(play).toHaveAttribute('data-phase', 'done', { timeout: 150_000 });
  expect(Number(await page.locator('#progress').evaluate((p) => p.value))).toBe(1);
  const trust = await page.locator('#unsup-metrics tr[data-metric=trustworthiness_15] td').textContent();
  expect(Number(trust)).toBeGreaterThan(0.9);
  await screenshot(page, 'tsne-fft-blobs.png');
});
