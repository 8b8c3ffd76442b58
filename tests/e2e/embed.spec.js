// `?embed`: the compact layout for iframes. No header, the charts first, only the controls
// the link lists (view.show, or show= in the address), an exercise's locks still applied,
// and the page works inside a same-origin iframe under its Content Security Policy.
const { test, expect, cpuOnly, train, encodeState, screenshot } = require('./helpers');

// The data summary is hidden in embed: wait for the backend and the Train button instead.
async function open(page, suffix) {
  await page.goto(suffix);
  await expect(page.locator('#backend')).toHaveAttribute('data-backend', /^(cpu|webgpu)$/);
  await expect(page.locator('#play')).toBeEnabled();
}

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

const tree = (view) => encodeState({ dataset: { id: 'iris' }, model: { kind: 'decision_tree', max_depth: 2 }, view });

test('embed hides the header and shows only the listed controls, charts first', async ({ page }) => {
  await open(page, `?embed&nosw#${tree({ x_feature: 2, y_feature: 3, show: ['model', 'max_depth'] })}`);
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.locator('#copy-link')).toBeHidden();
  await expect(page.locator('#model-kind')).toBeVisible();
  await expect(page.locator('#param-max_depth')).toBeVisible();
  await expect(page.locator('#param-min_samples_leaf')).toBeHidden();
  await expect(page.locator('#data-panel')).toBeHidden();
  await expect(page.locator('#dataset')).toBeHidden();
  await expect(page.locator('#play')).toBeVisible();
  const full = await page.locator('.embed-open').getAttribute('href');
  expect(full).toMatch(/#v1\./);
  expect(full).not.toMatch(/embed|show=/);
  const chart = await page.locator('#visual-panel').boundingBox();
  const model = await page.locator('#model-panel').boundingBox();
  expect(chart.x).toBeLessThan(model.x);
  await page.locator('#param-max_depth').fill('4');
  await page.locator('#param-max_depth').press('Tab');
  await train(page);
  await expect(page.locator('#model-kind')).toBeVisible();
  await expect(page.locator('#param-min_samples_leaf')).toBeHidden(); // still after the panel re-renders
  await screenshot(page, 'embed-model-max-depth.png');
});

test('show= in the address overrides the link, and with nothing listed only Train remains', async ({ page }) => {
  await open(page, `?embed&nosw&show=split,seed#${tree({ x_feature: 2, y_feature: 3, show: ['model'] })}`);
  await expect(page.locator('#split-train')).toBeVisible();
  await expect(page.locator('#seed')).toBeVisible();
  await expect(page.locator('#dataset')).toBeHidden();
  await expect(page.locator('#model-kind')).toBeHidden();
  await open(page, `?embed&nosw#${tree({ x_feature: 2, y_feature: 3 })}`);
  await expect(page.locator('#data-panel')).toBeHidden();
  await expect(page.locator('#model-kind')).toBeHidden();
  await expect(page.locator('#play')).toBeVisible();
  await expect(page.locator('#scatter')).toBeVisible();
});

test('an exercise in embed keeps its locks and its goals', async ({ page }) => {
  await open(page, '?embed&nosw&exercise=08-linear-baseline');
  await expect(page.locator('#exercise')).toBeVisible();
  await expect(page.locator('#goals li')).toHaveCount(2);
  await expect(page.locator('#model-kind')).toBeVisible();
  await expect(page.locator('#dataset')).toBeDisabled();
  await screenshot(page, 'embed-exercise.png');
});

test('the embedded page trains inside a same-origin iframe', async ({ page, baseURL }) => {
  const host = new URL('course-page.html', baseURL).href;
  const hash = tree({ x_feature: 2, y_feature: 3, show: ['max_depth'] });
  await page.route(host, (r) => r.fulfill({ contentType: 'text/html',
    body: `<!doctype html><title>Course</title><h1>Chapter 1</h1><iframe src="./?embed&nosw#${hash}" width="900" height="640"></iframe>` }));
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(host);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('#play')).toBeEnabled({ timeout: 30_000 });
  await expect(frame.locator('.topbar')).toBeHidden();
  await frame.locator('#play').click();
  await expect(frame.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(frame.locator('#metrics tr[data-metric=accuracy] td[data-split=validation]')).toHaveText(/^\d\.\d{4}$/);
  expect(violations).toEqual([]);
  await screenshot(page, 'embed-iframe.png');
});
