// A long run stays interruptible and never freezes the page; a crash of the training
// engine is reported and survived.
const { test, expect, cpuOnly, open, train, hashOf, decodeHash } = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

const epoch = async (page) => {
  const m = /^epoch (\d+) \/ (\d+)$/.exec(await page.locator('#counter').textContent());
  return m ? { step: Number(m[1]), total: Number(m[2]) } : null;
};

// Wait until the counter holds still over `quiet` ms; fail if that takes over `within` ms.
async function counterSettles(page, { within = 2000, quiet = 500 } = {}) {
  const t0 = Date.now();
  for (;;) {
    const a = (await epoch(page)).step;
    await page.waitForTimeout(quiet);
    const b = (await epoch(page)).step;
    if (a === b) return b;
    expect(Date.now() - t0, `the counter still moves ${Date.now() - t0} ms later`).toBeLessThan(within + quiet);
  }
}

// Time for the main thread to paint the next frame.
const frameDelay = (page) => page.evaluate(() => new Promise((resolve) => {
  const t0 = performance.now();
  requestAnimationFrame(() => resolve(performance.now() - t0));
}));

// A long run: gradient descent runs all of max_iter (the default lbfgs stops at tol).
async function gradientDescent(page) {
  if (!(await page.locator('#param-solver').isVisible())) await page.locator('#model-controls details.advanced summary').click();
  await page.selectOption('#param-solver', 'gradient_descent');
  await expect.poll(async () => decodeHash(await hashOf(page)).model.solver).toBe('gradient_descent');
}

test('a long run keeps the page responsive and stops promptly', async ({ page }) => {
  await open(page);
  await gradientDescent(page);
  const iters = page.locator('#param-max_iter');
  await iters.fill('100000');
  await iters.press('Tab');
  await expect.poll(async () => decodeHash(await hashOf(page)).model.max_iter).toBe(100000);

  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'running');
  await expect.poll(async () => (await epoch(page))?.step ?? 0).toBeGreaterThan(0);
  expect((await epoch(page)).total).toBe(100000);

  // While the worker trains, the main thread keeps painting frames and answering input.
  for (let i = 0; i < 5; i++) expect(await frameDelay(page)).toBeLessThan(500);
  const t0 = Date.now();
  await page.locator('#open-glossary').click();
  await expect(page.locator('#glossary')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#glossary')).toBeHidden();
  expect(Date.now() - t0).toBeLessThan(2000);
  const progressed = (await epoch(page)).step;

  await page.locator('#stop').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'stopped', { timeout: 2000 });
  const stoppedAt = await counterSettles(page);
  await page.waitForTimeout(500);
  expect((await epoch(page)).step, 'the counter no longer advances').toBe(stoppedAt);
  expect(stoppedAt).toBeGreaterThanOrEqual(progressed);
  expect(stoppedAt).toBeLessThan(100000);
  await expect(page.locator('#stop')).toBeDisabled();
  await expect(page.locator('#metrics table')).toHaveCount(0);
});

test('pause holds the run and resume continues it', async ({ page }) => {
  await open(page);
  await gradientDescent(page);
  await page.locator('#param-max_iter').fill('100000');
  await page.locator('#param-max_iter').press('Enter');
  await expect.poll(async () => decodeHash(await hashOf(page)).model.max_iter).toBe(100000);
  const play = page.locator('#play');
  await play.click();
  await expect.poll(async () => (await epoch(page))?.step ?? 0).toBeGreaterThan(0);
  await play.click();
  await expect(play).toHaveAttribute('data-phase', 'paused');
  await expect(play).toHaveAccessibleName('Resume');
  const held = await counterSettles(page);
  await play.click();
  await expect(play).toHaveAttribute('data-phase', 'running');
  await expect.poll(async () => (await epoch(page)).step).toBeGreaterThan(held);
  await page.locator('#stop').click();
  await expect(play).toHaveAttribute('data-phase', 'stopped');
});

test('a crash in the engine is reported, and the restarted engine trains', async ({ page }) => {
  await open(page, '?debug');
  const hash = await hashOf(page);
  await expect(page.locator('#message')).toBeHidden();
  // Count rebuilds of the data summary: the restarted engine reloads the data.
  await page.evaluate(() => {
    window.infoBuilds = 0;
    new MutationObserver(() => { window.infoBuilds += 1; })
      .observe(document.getElementById('data-info'), { childList: true });
    window.mlplayDebug.crash();
  });
  await expect(page.locator('#message')).toBeVisible();
  await expect(page.locator('#message-text')).toContainText(/crash/i);

  // Wait for the new engine to have the data (pressing Train earlier is the next test's
  // subject), then train with it.
  await expect.poll(() => page.evaluate(() => window.infoBuilds)).toBeGreaterThanOrEqual(2);
  await expect(page.locator('#data-info dl')).toBeVisible();
  await expect(page.locator('#play')).toBeEnabled();
  const metrics = await train(page);
  expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.9);
  await expect(page.locator('#counter')).toHaveText('epoch 15 / 15');
  expect(await hashOf(page)).toBe(hash);

  // The message can be dismissed.
  await page.locator('#message-close').click();
  await expect(page.locator('#message')).toBeHidden();
});

test('Train pressed the moment the crash is reported is not lost', async ({ page }) => {
  await open(page, '?debug');
  // Press Train from inside the page as soon as the message appears (a quick user).
  const pressed = await page.evaluate(() => new Promise((resolve) => {
    const play = document.getElementById('play');
    const msg = document.getElementById('message');
    const seen = new MutationObserver(() => {
      if (msg.hidden) return;
      seen.disconnect();
      const enabled = !play.disabled;
      if (enabled) play.click();
      resolve(enabled);
    });
    seen.observe(msg, { attributes: true });
    window.mlplayDebug.crash();
  }));
  // Either Train was disabled until the new engine was ready, or the press must count.
  if (!pressed) await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 15_000 });
  await expect(page.locator('#message-text')).not.toContainText('Training failed');
  await expect(page.locator('#counter')).toHaveText('epoch 15 / 15');
});

test('Train pressed while a new dataset loads is not silently ignored', async ({ page }) => {
  await open(page);
  const pressed = await page.evaluate(() => {
    const select = document.getElementById('dataset');
    select.value = 'moons';
    select.dispatchEvent(new Event('change'));
    const play = document.getElementById('play');
    const enabled = !play.disabled;
    if (enabled) play.click();
    return enabled;
  });
  if (!pressed) await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 15_000 });
  await expect(page.locator('#metrics caption')).toContainText('moons');
});
