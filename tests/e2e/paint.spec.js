// Painting points on the scatter plot (www/ui/paint.js, crates/core/src/data/painted.rs): strokes with
// the mouse and a touch tap add rows, Shift erases, Undo restores, the model retrains by
// itself, and the link (in the page after a reload, and in the CLI) gives the same metrics.
const path = require('node:path');

const SCREENSHOTS = path.resolve(__dirname, '..', 'artifacts', 'screenshots');
const { test, expect, cpuOnly, dataRows, decodeHash, encodeState, hashOf, readMetrics, waitForDone, cliRun, screenshot } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

const PAINT = { dataset: { id: 'paint' }, model: { kind: 'decision_tree' }, view: { x_feature: 0, y_feature: 1 } };

// A point of the scatter canvas, as fractions of its box from the top left.
async function at(page, fx, fy) {
  const b = await page.locator('#scatter').boundingBox();
  return [b.x + fx * b.width, b.y + fy * b.height];
}

async function drag(page, from, to, steps = 8) {
  await page.mouse.move(...from);
  await page.mouse.down();
  await page.mouse.move(...to, { steps });
  await page.mouse.up();
}

const rowsNow = async (page) => Number((await dataRows(page).textContent()).replace(/,/g, ''));

test('paint with the mouse: rows are added, erased and restored, the model retrains, the link reproduces it', async ({ page }) => {
  await page.goto(`#${encodeState(PAINT)}`);
  await waitForDone(page);
  const tools = page.locator('#paint-tools');
  await expect(tools).toBeVisible();
  // "Draw your own" opens with the brush in hand.
  await expect(page.locator('#paint-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await rowsNow(page)).toBe(12);

  await page.locator('#paint-class').selectOption('1');
  await page.locator('#paint-density').fill('4');
  await drag(page, await at(page, 0.3, 0.25), await at(page, 0.45, 0.25));
  await expect.poll(() => rowsNow(page)).toBeGreaterThan(12);
  await waitForDone(page); // retrained without a click
  const painted = await rowsNow(page);
  let state = decodeHash(await hashOf(page));
  expect(state.dataset.painted.points.length).toBeGreaterThan(0);

  // A new class, painted in one dab per click at density 1: exactly one row per click.
  await page.locator('#paint-class').selectOption('2');
  await page.locator('#paint-density').fill('1');
  for (const fx of [0.74, 0.75, 0.76]) await page.mouse.click(...await at(page, fx, 0.7));
  await expect.poll(() => rowsNow(page)).toBe(painted + 3);
  await waitForDone(page);

  // Shift erases under the brush; Undo puts the points back.
  await page.locator('#paint-size').fill('40');
  await page.keyboard.down('Shift');
  await page.mouse.click(...await at(page, 0.75, 0.7));
  await page.keyboard.up('Shift');
  // The three clicked points are gone (and any other point under the brush).
  await expect.poll(() => rowsNow(page)).toBeLessThanOrEqual(painted);
  await page.locator('#paint-undo').click();
  await expect.poll(() => rowsNow(page)).toBe(painted + 3);
  await waitForDone(page);
  const metrics = await readMetrics(page);
  const hash = await hashOf(page);
  state = decodeHash(hash);
  expect(hash.length).toBeLessThan(4000);

  // The same link in a fresh page trains to the same numbers, and so does the CLI.
  await page.goto('about:blank');
  await page.goto(`/${hash}`);
  await waitForDone(page);
  expect(await rowsNow(page)).toBe(painted + 3);
  expect(await readMetrics(page)).toEqual(metrics);
  const cli = cliRun(hash);
  expect(cli.metrics.validation.accuracy.toFixed(4)).toBe(metrics.accuracy.validation);
  expect(cli.rows.reduce((a, b) => a + b, 0)).toBe(painted + 3);
  expect(state.dataset.id).toBe('paint');
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, viewport: { width: 390, height: 844 } });

  for (const scheme of ['light', 'dark']) test(`a tap paints one point on moons and the model retrains, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`#${encodeState({ dataset: { id: 'moons' }, model: { kind: 'logistic_regression' }, view: { x_feature: 0, y_feature: 1 } })}`);
    await waitForDone(page);
    expect(await rowsNow(page)).toBe(300);
    await page.locator('#paint-toggle').tap();
    await expect(page.locator('#paint-toggle')).toHaveAttribute('aria-pressed', 'true');
    await page.locator('#paint-density').fill('1');
    await page.locator('#paint-class').selectOption('0');
    await page.locator('#scatter').scrollIntoViewIfNeeded();
    await page.touchscreen.tap(...await at(page, 0.5, 0.5));
    await expect.poll(() => rowsNow(page)).toBe(301);
    await waitForDone(page);
    const state = decodeHash(await hashOf(page));
    expect(state.dataset.painted.points.length).toBeGreaterThan(0);
    expect(cliRun(await hashOf(page)).rows.reduce((a, b) => a + b, 0)).toBe(301);
    await screenshot(page, `paint-moons-touch-390-${scheme}.png`);
    // The plot and its tools alone, readable at phone size.
    await page.locator('#scatter').locator('xpath=ancestor::figure').screenshot({ path: path.join(SCREENSHOTS, `paint-tools-390-${scheme}.png`) });
  });
});

for (const scheme of ['light', 'dark']) {
  test(`a painted XOR with a tree, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`#${encodeState(PAINT)}`);
    await waitForDone(page);
    await page.locator('#paint-density').fill('12');
    await page.locator('#paint-size').fill('30');
    for (const [fx, fy, c] of [[0.3, 0.25, '0'], [0.7, 0.75, '0'], [0.7, 0.25, '1'], [0.3, 0.75, '1']]) {
      await page.locator('#paint-class').selectOption(c);
      const before = await rowsNow(page);
      await drag(page, await at(page, fx - 0.05, fy), await at(page, fx + 0.05, fy), 4);
      await expect.poll(() => rowsNow(page)).toBeGreaterThan(before);
      await waitForDone(page);
    }
    await screenshot(page, `paint-xor-tree-1280-${scheme}.png`);
  });
}
