// Gradient descent you can watch (www/ui/descent.js): after a linear regression run on one
// feature, the loss surface over slope and intercept with the optimiser's path, which ends
// at the least-squares solution the CLI's exact fit finds; a too-large learning rate
// diverges with the page's divergence note (in the view, and in the model's own notes when
// it trains with it); the loss curve's epochs highlight on the surface; on four features
// the caption says which weights move and which are held.
const path = require('node:path');
const AxeBuilder = require('@axe-core/playwright').default;
const { execFileSync } = require('node:child_process');
const { test, expect, BIN, cpuOnly, open, waitForDone, screenshot, encodeState, cliRun } = require('./helpers');

// A close-up of the descent view, beside the full-page screenshots.
const closeUp = (page, name) => page.locator('#descent').screenshot({ path: path.resolve(__dirname, '..', 'artifacts', 'screenshots', name) });

const ONE_FEATURE = {
  dataset: { id: 'linear' },
  columns: { exclude: ['x2', 'x3', 'x4'], include: [], categorical: [] },
};
const gd = (extra = {}) => ({ ...ONE_FEATURE, model: { kind: 'linear_regression', solver: 'gradient_descent', learning_rate: 0.1, max_iter: 200, ...extra } });

const attr = async (page, name) => page.locator('#descent').getAttribute(`data-${name}`);
const point = async (page, name) => JSON.parse(await attr(page, name));

// The exact least-squares fit of the same rows, by the native CLI (solver lstsq).
function leastSquares(state) {
  const out = cliRun(`http://x/#${encodeState({ ...state, model: { kind: 'linear_regression' } })}`);
  const c = out.explanation?.coefficients ?? out.coefficients;
  return [c.weights[0][0], c.intercepts[0]];
}

test('the path ends at the least-squares solution and a loss-curve epoch lights up on the surface', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  const state = gd();
  await open(page, `#${encodeState(state)}`);
  await waitForDone(page);
  await expect(page.locator('#descent')).toBeVisible();
  await expect(page.locator('#descent')).toHaveAttribute('data-epochs', '200');
  const ls = leastSquares(state);
  const end = await point(page, 'end');
  const optimum = await point(page, 'optimum');
  expect(Math.hypot(optimum[0] - ls[0], optimum[1] - ls[1]), `marked ${optimum} vs CLI ${ls}`).toBeLessThan(1e-6);
  expect(Math.hypot(end[0] - ls[0], end[1] - ls[1]), `path ends at ${end} vs least squares ${ls}`).toBeLessThan(1e-3);
  expect(await attr(page, 'diverged')).toBe('');
  await expect(page.locator('#descent-caption')).toContainText('slope and the intercept');
  await expect(page.locator('#descent-status')).toContainText('within 0.1% of the least-squares solution');
  // Hovering the loss curve near its left edge marks an early epoch.
  const curve = page.locator('#descent-curve');
  await curve.scrollIntoViewIfNeeded();
  const box = await curve.boundingBox();
  await curve.hover({ position: { x: 62 + (box.width - 76) * 0.05, y: box.height / 2 } });
  await expect(page.locator('#descent')).toHaveAttribute('data-highlight', /^(9|10|11)$/);
  await expect(page.locator('#descent-epoch-readout')).toContainText(/^epoch (9|10|11):/);
  await page.locator('#descent-epoch').fill('3');
  await expect(page.locator('#descent-epoch-readout')).toContainText(/^epoch 3:/);
  // The panel's controls and pictures are labelled, in both colour schemes.
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page }).include('#descent').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), scheme).toEqual([]);
  }
  for (const [scheme, w, h, tag] of [['light', 1280, 800, 'desktop'], ['dark', 1280, 800, 'desktop'], ['light', 390, 844, 'phone'], ['dark', 390, 844, 'phone']]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: w, height: h });
    await page.locator('#descent-epoch').fill('5');
    await page.locator('#descent').scrollIntoViewIfNeeded();
    await closeUp(page, `descent-${tag}-${scheme}.png`);
  }
  await screenshot(page, 'descent-page-phone-dark.png');
});

test('a too-large learning rate overshoots and diverges, in the view and in training', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page, `#${encodeState(gd())}`);
  await waitForDone(page);
  await expect(page.locator('#descent')).toHaveAttribute('data-converged', /^\d+$/);
  await page.locator('#descent-lr').fill('1.5');
  await page.locator('#descent-lr').press('Tab');
  await expect(page.locator('#descent')).toHaveAttribute('data-diverged', /^\d+$/);
  await expect(page.locator('#descent-note')).toBeVisible();
  await expect(page.locator('#descent-note')).toContainText(/^training diverged at epoch \d+ \(the loss jumped to .*\): lower learning_rate$/);
  await expect(page.locator('#descent-status')).toContainText('diverged at epoch');
  await page.emulateMedia({ colorScheme: 'light' });
  await closeUp(page, 'descent-diverged-light.png');
  // Momentum and Adam draw their own paths to the same minimum.
  await page.locator('#descent-lr').fill('0.05');
  await page.locator('#descent-lr').press('Tab');
  for (const optimizer of ['momentum', 'adam']) {
    await page.selectOption('#descent-optimizer', optimizer);
    await expect(page.locator('#descent-status')).toContainText(optimizer === 'adam' ? 'Adam, learning rate 0.05' : 'Momentum (0.9), learning rate 0.05');
    expect(await attr(page, 'diverged')).toBe('');
  }
  // The model itself, trained with that rate, stops with the same note.
  await open(page, `#${encodeState(gd({ learning_rate: 1.5 }))}`);
  // (its R² is far below zero: the weights kept are those of the epoch before it ran away)
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(page.locator('#metrics .note', { hasText: 'training diverged at epoch' })).toContainText('lower learning_rate');
});

test('on four features the two largest weights move and the caption says the rest are held', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page, `#${encodeState({ dataset: { id: 'linear' }, model: { kind: 'linear_regression', solver: 'gradient_descent' } })}`);
  await waitForDone(page);
  await expect(page.locator('#descent-caption')).toContainText('two largest weights (x1 and x2)');
  await expect(page.locator('#descent-caption')).toContainText('held at their fitted values');
  await closeUp(page, 'descent-four-features-light.png');
  // Logistic regression on two classes draws its own surface.
  await open(page, `#${encodeState({ dataset: { id: 'breast_cancer' }, model: { kind: 'logistic_regression' } })}`);
  await waitForDone(page);
  await expect(page.locator('#descent-caption')).toContainText('log-loss');
  await expect(page.locator('#descent-status')).toContainText('minimum');
  await closeUp(page, 'descent-logistic-light.png');
  // k-NN has no such view.
  await open(page, `#${encodeState({ dataset: { id: 'linear' }, model: { kind: 'knn' } })}`);
  await waitForDone(page);
  await expect(page.locator('#descent')).toBeHidden();
});

test('exercise 18: 0.01 falls short in 20 epochs, 0.3 gets there, and mlplay check agrees', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page, '?exercise=18-learning-rate');
  await expect(page.locator('#exercise h2')).toContainText('A learning rate that converges');
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(page.locator('#goal-count')).toHaveText('2 of 3 goals met');
  await expect(page.locator('#descent')).toHaveAttribute('data-epochs', '20');
  await expect(page.locator('#descent')).toHaveAttribute('data-converged', '');
  await page.locator('#group-model-advanced summary').click();
  await page.locator('#param-learning_rate').fill('0.3');
  await page.locator('#param-learning_rate').press('Tab');
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(page.locator('#goal-count')).toHaveText('3 of 3 goals met');
  await expect(page.locator('#descent')).toHaveAttribute('data-converged', /^\d+$/);
  await page.locator('#submit-exercise').click();
  const link = await page.locator('#result-link').inputValue();
  const out = execFileSync(BIN, ['check', '--exercise', '../../www/exercises/18-learning-rate.json', '--link', link], { encoding: 'utf8' });
  expect(out).toContain('3 of 3 goals met');
});
