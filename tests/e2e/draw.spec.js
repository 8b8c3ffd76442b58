// Image sets: the gallery of sample images per class, and the pad where the student
// draws a digit or a shape that a trained model answers as it is drawn.
const { test, expect, cpuOnly, open, waitForDone, screenshot } = require('./helpers');

async function choose(page, dataset, kind, params = {}) {
  await page.selectOption('#dataset', dataset);
  await expect(page.locator('#data-info dl')).toBeVisible();
  await page.selectOption('#model-kind', kind);
  for (const [name, value] of Object.entries(params)) {
    await page.locator(`#param-${name}`).fill(value);
    await page.locator(`#param-${name}`).press('Tab');
  }
}

// Draw polylines given in the pad's own 0..1 coordinates with the mouse.
async function drawWithMouse(page, lines) {
  await page.locator('#images canvas.draw-pad').scrollIntoViewIfNeeded();
  const box = await page.locator('#images canvas.draw-pad').boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  for (const line of lines) {
    await page.mouse.move(...at(line[0]));
    await page.mouse.down();
    for (const p of line.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
  }
}

// Ink per column of the "as the model sees it" canvas (dark pixels on white).
const seenColumns = (page) => page.locator('#images canvas.seen-image').evaluate((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const cols = new Array(c.width).fill(0);
  for (let i = 0; i < d.length; i += 4) cols[(i / 4) % c.width] += 255 - d[i];
  return cols;
});

test('digits: the gallery shows each class, and a drawn 1 gets the trained model\'s answer', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  await choose(page, 'digits', 'logistic_regression');
  const gallery = page.locator('#images [data-view=gallery]');
  await expect(gallery.locator('.gallery-class')).toHaveCount(10);
  await expect(gallery.locator('canvas.pixel-image')).toHaveCount(80);
  await expect(page.locator('#images .gallery-label').first()).toContainText('rows)');
  // Before training, the pad says so.
  await drawWithMouse(page, [[[0.5, 0.15], [0.5, 0.85]]]);
  await expect(page.locator('#images [data-view=draw-result]')).toContainText('No trained classifier yet');
  await page.locator('#play').click();
  await waitForDone(page, 60_000);
  await page.locator('#images button', { hasText: 'Clear' }).click();
  await expect(page.locator('#images [data-view=draw-result]')).toContainText('Draw something');
  // A "1": one vertical stroke. The model sees it in the middle columns of the 8x8 image,
  // drawn as thick as the digits' strokes, and reads it as a 1 (with a hairline pen,
  // logistic regression read it as a 4).
  await drawWithMouse(page, [[[0.45, 0.1], [0.5, 0.5], [0.5, 0.9]]]);
  const predicted = page.locator('#images [data-view=draw-predicted]');
  await expect(predicted).toHaveText('1');
  const cols = await seenColumns(page);
  expect(cols.length).toBe(8);
  expect(cols[3] + cols[4], JSON.stringify(cols)).toBeGreaterThan(0);
  expect(cols[0] + cols[7], JSON.stringify(cols)).toBe(0);
  await expect(page.locator('#images .proba-row')).toHaveCount(10);
  const shares = await page.locator('#images .proba-value').allTextContents();
  const total = shares.reduce((s, t) => s + parseFloat(t), 0);
  expect(Math.abs(total - 100), shares.join(' ')).toBeLessThan(1);
  await expect(page.locator('#images [data-view=draw-cost]')).toContainText(/One prediction: [\d.]+ (µs|ms) \(median of the last \d+/);
  await expect(page.locator('#images [data-view=draw-cost]')).toContainText(/Model size: [\d.]+ (KB|bytes)/);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator('#images').screenshot({ path: `${__dirname}/../artifacts/screenshots/draw-digits-${scheme}.png` });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#images').scrollIntoViewIfNeeded();
  await page.locator('#images').screenshot({ path: `${__dirname}/../artifacts/screenshots/draw-digits-narrow.png` });
});

test('shapes: the generated images in a gallery, and a drawn circle is read as a circle', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'shapes', 'knn');
  await page.locator('#knob-n_samples').fill('1200');
  await page.locator('#knob-n_samples').press('Tab');
  await expect(page.locator('#data-info dl')).toContainText('1,200');
  const gallery = page.locator('#images [data-view=gallery]');
  // The classes in the legend's order (the set's own), not the shuffled rows' order; 200 rows each.
  const labels = (await gallery.locator('.gallery-label').allTextContents()).map((t) => t.trim());
  expect(labels).toEqual(['circle', 'square', 'triangle', 'plus', 'cross', 'line'].map((n) => `${n} (200 rows)`));
  await expect(gallery.locator('canvas.pixel-image')).toHaveCount(48);
  await page.locator('#play').click();
  await waitForDone(page, 60_000);
  const ring = Array.from({ length: 25 }, (_, i) => [0.5 + 0.35 * Math.cos((2 * Math.PI * i) / 24), 0.5 + 0.35 * Math.sin((2 * Math.PI * i) / 24)]);
  await drawWithMouse(page, [ring]);
  await expect(page.locator('#images [data-view=draw-predicted]')).toHaveText('circle');
  expect((await seenColumns(page)).length).toBe(16);
  await screenshot(page, 'draw-shapes-page.png');
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true });
  test('a tap on the pad is a dot the model answers', async ({ page }, testInfo) => {
    cpuOnly(testInfo);
    await open(page);
    await choose(page, 'digits', 'naive_bayes');
    await page.locator('#play').click();
    await waitForDone(page, 60_000);
    await page.locator('#images canvas.draw-pad').scrollIntoViewIfNeeded();
    const box = await page.locator('#images canvas.draw-pad').boundingBox();
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.locator('#images [data-view=draw-predicted]')).toHaveText(/^\d$/);
    const cols = await seenColumns(page);
    expect(cols.reduce((a, b) => a + b, 0), JSON.stringify(cols)).toBeGreaterThan(0);
  });
});
