// An uploaded image CSV whose column names do not give the image size (c0..c71, 12x6
// pictures): the size typed under the gallery goes into the state, so the share link
// carries it, and the page opened from that link reads the rows (gallery, CNN) at that size.
const { test, expect, cpuOnly, open, waitForDone, decodeHash, hashOf, screenshot } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

const [W, H] = [12, 6];

// Seeded strokes: a row of ink ("across") or a column of ink ("down") on faint noise.
function strokes(rows) {
  let s = 7;
  const next = (n) => { s = (s * 1103515245 + 12345) % 2147483648; return Math.floor((s / 2147483648) * n); };
  let text = `${Array.from({ length: W * H }, (_, i) => `c${i}`).join(',')},label\n`;
  for (let r = 0; r < rows; r++) {
    const px = Array.from({ length: W * H }, () => next(3));
    const across = r % 2 === 0;
    if (across) { const y = next(H); const x0 = next(W - 4); for (let x = x0; x < x0 + 5; x++) px[y * W + x] = 16; }
    else { const x = next(W); const y0 = next(H - 3); for (let y = y0; y < y0 + 4; y++) px[y * W + x] = 16; }
    text += `${px.join(',')},${across ? 'across' : 'down'}\n`;
  }
  return Buffer.from(text);
}

async function typeSize(page, w, h) {
  await page.getByLabel('Image width in pixels').fill(String(w));
  await page.getByLabel('Image height in pixels').fill(String(h));
  await page.getByRole('button', { name: 'Read as images' }).click();
}

test('a typed image size travels in the link and the gallery and the CNN read the rows at it', async ({ page, context }) => {
  test.setTimeout(180_000);
  await open(page);
  await page.locator('#upload').setInputFiles({ name: 'strokes.csv', mimeType: 'text/csv', buffer: strokes(160) });
  await expect(page.locator('#data-info dl')).toContainText('label');
  // The names say nothing of a size: no gallery, a size to give.
  await expect(page.locator('#images')).toContainText('If each row is an image, give its size');
  await expect(page.locator('#images canvas.pixel-image')).toHaveCount(0);
  // A wrong size is refused with the numbers.
  await typeSize(page, 5, 5);
  await expect(page.locator('#data-info')).toContainText('the image size 5x5 makes 25 pixels, but the data has 72 numeric columns besides the target \'label\'');
  await typeSize(page, W, H);
  await expect(page.locator('#message')).toBeHidden();
  const gallery = page.locator('#images [data-view=gallery]');
  await expect(gallery.locator('canvas.pixel-image')).toHaveCount(16);
  await expect(gallery.locator('canvas.pixel-image').first()).toHaveAttribute('width', String(W));
  await expect(gallery.locator('canvas.pixel-image').first()).toHaveAttribute('height', String(H));
  await expect(page.locator('#images')).toContainText('Size as you gave it');
  expect(decodeHash(await hashOf(page)).dataset.image).toEqual({ width: W, height: H });
  // A CNN on the 12x6 pictures.
  await page.selectOption('#model-kind', 'cnn');
  await page.locator('#param-max_iter').fill('6');
  await page.locator('#param-max_iter').press('Tab');
  await page.locator('#play').click();
  await waitForDone(page, 150_000);
  const seen = page.locator('#cnn-inside canvas[aria-label^="The image as the network reads it"]');
  await expect(seen).toHaveAttribute('aria-label', `The image as the network reads it, ${W}x${H}`);
  const hash = await hashOf(page);
  const state = decodeHash(hash);
  expect(state.dataset.image).toEqual({ width: W, height: H });
  expect(state.model.kind).toBe('cnn');
  await screenshot(page, 'image-size-typed.png');
  // The link alone (the small file travels in it) reads the rows at the same size.
  const other = await context.newPage();
  await other.goto(`/${hash}`);
  await waitForDone(other, 150_000);
  await expect(other.locator('#images [data-view=gallery] canvas.pixel-image').first()).toHaveAttribute('width', String(W));
  await expect(other.locator('#cnn-inside canvas[aria-label^="The image as the network reads it"]')).toHaveAttribute('aria-label', `The image as the network reads it, ${W}x${H}`);
  await expect(other.getByLabel('Image width in pixels')).toHaveValue(String(W));
  await screenshot(other, 'image-size-from-link.png');
});
