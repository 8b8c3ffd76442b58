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

// Elements that stick out past the right edge (the page would scroll sideways), unless a
// scrolling or clipping box of their own holds them (a wide table in a scroll box is fine).
const overflowingRight = (page) => page.evaluate(() => {
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

// The picture leads (issue 21): from 900 px the scatter plot takes at least 45% of the
// window's width and it and Train are both on the first screen; below 900 px the page
// reads data, model, Train, charts, each full width, Train within one screen's scroll.
const SIZES = [[1280, 800], [1024, 768], [800, 600], [390, 844]];
for (const scheme of ['light', 'dark']) {
  for (const [width, height] of SIZES) {
    test(`${width}x${height} (${scheme}): the chart leads, Train in reach, nothing sideways`, async ({ page }) => {
      await trainedView(page, { width, height, scheme });
      const [data, model, run, visual, scatter, play] = await Promise.all(
        ['#data-panel', '#model-panel', '#run-panel', '#visual-panel', '#scatter', '#play'].map((sel) => box(page, sel)));
      const inside = (b) => b.y >= 0 && b.y + b.height <= height;
      if (width >= 900) {
        expect(scatter.width / width, 'the scatter plot is at least 45% of the width').toBeGreaterThanOrEqual(0.45);
        expect(inside(scatter), `the whole scatter plot on the first screen (${JSON.stringify(scatter)})`).toBe(true);
        expect(inside(play), 'Train on the first screen').toBe(true);
        expect(scatter.width, 'the chart is the widest thing').toBeGreaterThan(data.width);
        expect(visual.x, 'the settings on the left, the picture on the right').toBeGreaterThanOrEqual(data.x + data.width);
        expect(model.y, 'model below data').toBeGreaterThanOrEqual(data.y + data.height);
        expect(run.y + run.height, 'Train above the charts').toBeLessThanOrEqual(visual.y);
      } else {
        const order = [data, model, run, visual];
        for (let i = 1; i < order.length; i++) expect(order[i].y, 'data, model, Train, charts, top to bottom').toBeGreaterThanOrEqual(order[i - 1].y + order[i - 1].height);
        const full = width - 2 * 10; // the page's padding at this width
        for (const b of order) expect(b.width, 'each full width').toBeGreaterThanOrEqual(full - 1);
        expect(play.y + play.height, 'Train within one screen of scrolling').toBeLessThanOrEqual(2 * height);
        expect(scatter.width / width, 'the chart spans the width').toBeGreaterThan(0.8);
      }
      // The DOM (the Tab order) follows what is seen: Train right after the header when it
      // is on top, after the model below 900 px.
      const runFirst = await page.evaluate(() => document.getElementById('run-panel').nextElementSibling?.id === 'settings');
      expect(runFirst).toBe(width >= 900);
      // The backend badge shows its whole text.
      const badge = await page.locator('#backend').evaluate((b) => [b.scrollWidth, b.clientWidth]);
      expect(badge[0], 'the backend badge is not cut').toBeLessThanOrEqual(badge[1] + 1);
      if (width >= 800) {
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await overflowingRight(page), 'elements sticking out on the right').toEqual([]);
      }
      await expectColours(page, scheme);
      await screenshot(page, `layout-${width}x${height}-${scheme}.png`);
    });
  }
}

test('one-pass models show no empty learning curve; k-NN after its one step neither', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  await expect(page.locator('#loss')).toBeVisible();
  await page.selectOption('#model-kind', 'knn');
  await expect(page.locator('#loss'), 'before training, the curve to come has its place').toBeVisible();
  await train(page);
  await expect(page.locator('#loss')).toBeHidden();
  const scatter = await box(page, '#scatter');
  expect(scatter.width / 1280, 'the scatter plot takes the freed room').toBeGreaterThan(0.6);
  await page.selectOption('#model-kind', 'dbscan');
  await expect(page.locator('#loss')).toBeHidden();
  await page.selectOption('#model-kind', 'logistic_regression');
  await expect(page.locator('#loss')).toBeVisible();
});

test('a long column name does not make the page scroll sideways at 1280; a small file reads in KB', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  const long = `a_${'very_long_column_name_'.repeat(8)}end`;
  const csv = `${long},other,label\n${Array.from({ length: 900 }, (_, i) => `${i},${i % 7},${i % 2 ? 'yes' : 'no'}`).join('\n')}\n`;
  expect(csv.length, 'a file of a few KB').toBeGreaterThan(5000);
  expect(csv.length).toBeLessThan(10000);
  await page.setInputFiles('#upload', { name: 'long_names.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.locator('#data-info')).toContainText('900');
  // Its size in words that fit it (not "0.0 MB").
  await expect(page.locator('#upload-kept')).toContainText(`(${(csv.length / 1000).toFixed(1)} KB)`);
  await page.locator('#table-view summary').click();
  await expect(page.locator('#table-body table').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  expect(await overflowingRight(page), 'elements sticking out on the right').toEqual([]);
});

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
  const overflowing = await overflowingRight(page);
  expect(overflowing, 'elements sticking out on the right').toEqual([]);
  await expectColours(page, 'light');
  await screenshot(page, 'embed-800x600-light.png');
});
