// The main views at desktop, tablet and embed sizes, light and dark, after training so the
// charts have content. Each saves a screenshot under tests/artifacts/screenshots/.
const { test, expect, cpuOnly, open, train, canvasInk, screenshot, luminance } = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

const box = async (page, sel) => {
  const b = await page.locator(sel).boundingBox();
  expect(b, `${sel} is laid out`).not.toBeNull();
  return b;
};

async function trainedView(page, { width, height, scheme = 'light', query = '' }) {
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: scheme });
  await open(page, query);
  await train(page);
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(() => window.scrollTo(0, 0)); // clicking Train may have scrolled
}

async function expectColours(page, scheme) {
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const scatter = await canvasInk(page, '#scatter');
  const loss = await canvasInk(page, '#loss');
  if (scheme === 'dark') {
    expect(luminance(bg), `dark page background ${bg}`).toBeLessThan(0.05);
    expect(luminance(scatter.background), 'the scatter plot is drawn dark too').toBeLessThan(0.1);
    expect(luminance(loss.background), 'the loss chart is drawn dark too').toBeLessThan(0.1);
  } else {
    expect(luminance(bg), `light page background ${bg}`).toBeGreaterThan(0.8);
    expect(luminance(scatter.background)).toBeGreaterThan(0.8);
  }
  expect(scatter.ink).toBeGreaterThan(scatter.pixels * 0.01);
  expect(loss.ink).toBeGreaterThan(loss.pixels * 0.005);
}

for (const scheme of ['light', 'dark']) {
  test(`desktop 1280x720 (${scheme}): data, model and results side by side`, async ({ page }) => {
    await trainedView(page, { width: 1280, height: 720, scheme });
    const [data, model, visual] = [await box(page, '#data-panel'), await box(page, '#model-panel'), await box(page, '#visual-panel')];
    expect(data.x + data.width).toBeLessThanOrEqual(model.x);
    expect(model.x + model.width).toBeLessThanOrEqual(visual.x);
    expect(Math.abs(data.y - model.y)).toBeLessThan(2);
    expect(Math.abs(model.y - visual.y)).toBeLessThan(2);
    expect(visual.width, 'the results panel is the widest').toBeGreaterThan(data.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await expectColours(page, scheme);
    await screenshot(page, `desktop-1280x720-${scheme}.png`);
  });

  test(`tablet 768x1024 (${scheme}): controls stacked left, results kept in view on the right`, async ({ page }) => {
    await trainedView(page, { width: 768, height: 1024, scheme });
    const [data, model, visual] = [await box(page, '#data-panel'), await box(page, '#model-panel'), await box(page, '#visual-panel')];
    expect(Math.abs(data.x - model.x), 'data and model share the left column').toBeLessThan(2);
    expect(model.y).toBeGreaterThanOrEqual(data.y + data.height);
    expect(visual.x).toBeGreaterThanOrEqual(data.x + data.width);
    expect(Math.abs(visual.y - data.y)).toBeLessThan(2);
    expect(visual.width, 'the results column is the wider one').toBeGreaterThan(data.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await expectColours(page, scheme);
    await screenshot(page, `tablet-768x1024-${scheme}.png`);
    // Down at the Train button, the chart is still on screen.
    await page.locator('#play').scrollIntoViewIfNeeded();
    await expect(page.locator('#play')).toBeInViewport();
    await expect(page.locator('#scatter')).toBeInViewport({ ratio: 0.5 });
  });
}

test('embed 800x600: compact, nothing overflows sideways', async ({ page }) => {
  await trainedView(page, { width: 800, height: 600, query: '?embed&show=dataset,model,max_iter' });
  await expect(page.locator('body')).toHaveClass(/\bembed\b/);
  await expect(page.locator('.tagline')).toBeHidden();
  await expect(page.locator('#open-glossary')).toBeHidden();
  const [data, visual] = [await box(page, '#data-panel'), await box(page, '#visual-panel')];
  expect(data.x, 'the results come first, the controls beside them').toBeGreaterThanOrEqual(visual.x + visual.width);
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.locator('#scatter'), 'the chart shows without scrolling').toBeInViewport({ ratio: 0.9 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
  // Visible elements that stick out past the right edge, unless a scrolling or clipping
  // box of their own holds them (a wide table in a scroll box is fine).
  const overflowing = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 0.5) return true;
      }
      return false;
    };
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.checkVisibility({ visibilityProperty: true }) && e.getBoundingClientRect().right > width + 0.5)
      .filter((e) => !e.closest('.visually-hidden, .skip, .tip') && !clipped(e))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className}`);
  });
  expect(overflowing, 'elements sticking out on the right').toEqual([]);
  await expectColours(page, 'light');
  await screenshot(page, 'embed-800x600-light.png');
});
