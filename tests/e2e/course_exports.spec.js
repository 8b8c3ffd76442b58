// Downloads of a finished run: the predictions CSV agrees with the metrics table, every
// chart saves as a real PNG, and the HTML report is self-contained, carries the metrics and
// shows a hostile column name as text.
const fs = require('node:fs');
const { test, expect, cpuOnly, open, train, readMetrics, screenshot, encodeState } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

const parseCsv = (text) => text.trim().split('\n').map((l) => l.split(','));

test('the predictions CSV gives the accuracy the page shows, and the test rows only after the final evaluation', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'iris' }, model: { kind: 'logistic_regression', C: 0.05 } })}`);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done'); // a link trains on opening
  await page.locator('#reset').click();
  await expect(page.locator('#download-predictions')).toBeDisabled();
  const shown = await train(page);
  const { name, bytes } = await download(page, '#download-predictions');
  expect(name).toMatch(/^mlplay-predictions-logistic_regression-iris\.csv$/);
  const [head, ...rows] = parseCsv(bytes.toString('utf8'));
  expect(head).toEqual(['row', 'split', 'true_species', 'predicted', 'proba_setosa', 'proba_versicolor', 'proba_virginica']);
  expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['train', 'validation']));
  for (const part of ['train', 'validation']) {
    const mine = rows.filter((r) => r[1] === part);
    const acc = mine.filter((r) => r[2] === r[3]).length / mine.length;
    expect(acc.toFixed(4), part).toBe(shown.accuracy[part]);
  }
  expect(Number(shown.accuracy.train)).toBeLessThan(1); // some rows wrong: the check is not 1 == 1

  await page.locator('#final-eval').click();
  await expect(page.locator('#metrics td[data-split=test]').first()).toBeVisible();
  const after = await readMetrics(page);
  const all = parseCsv((await download(page, '#download-predictions')).bytes.toString('utf8')).slice(1);
  const test = all.filter((r) => r[1] === 'test');
  expect(test.length).toBeGreaterThan(0);
  expect((test.filter((r) => r[2] === r[3]).length / test.length).toFixed(4)).toBe(after.accuracy.test);
  expect(all.length).toBe(150);
});

test('every chart has a Save PNG button that downloads a PNG of it', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'breast_cancer' }, model: { kind: 'logistic_regression' } })}`);
  await train(page);
  await expect(page.locator('#chart-roc')).toBeVisible();
  const charts = await page.locator('#visual-panel canvas:not(.pixel-image)').evaluateAll((cs) => cs.filter((c) => c.offsetParent)
    .map((c) => ({ id: c.id, button: Boolean(c.closest('figure')?.querySelector('.save-png')) })));
  expect(charts.length).toBeGreaterThanOrEqual(5);
  for (const c of charts) expect(c.button, `${c.id} has a Save PNG button`).toBe(true);
  for (const [fig, file] of [['#scatter', 'mlplay-scatter.png'], ['#chart-roc', 'mlplay-roc.png']]) {
    const { name, bytes } = await download(page, `figure:has(${fig}) .save-png`);
    expect(name).toBe(file);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const size = await page.locator(fig).evaluate((c) => [c.width, c.height]);
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual(size);
  }
});

test('the report is one self-contained HTML file with the settings, the link, the metrics and the charts', async ({ page, context }) => {
  await open(page, `#${encodeState({ dataset: { id: 'breast_cancer' }, model: { kind: 'decision_tree', max_depth: 3 }, seed: 11 })}`);
  const shown = await train(page);
  const { name, bytes } = await download(page, '#download-report');
  expect(name).toBe('mlplay-report-decision_tree-breast_cancer.html');
  const html = bytes.toString('utf8');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/(src|href)="(?!data:|#|http:\/\/127\.0\.0\.1)/); // no file fetched from elsewhere
  expect(html).not.toMatch(/<link\b/i);
  expect(html).toContain('max_depth');
  expect(html).toContain(await page.evaluate(() => location.hash.slice(1)));
  expect(html).toMatch(/<dt>Seed<\/dt><dd>11<\/dd>/);
  const row = html.match(/<tr data-metric="accuracy">(.*?)<\/tr>/)[1];
  expect(row).toContain(`<td>${shown.accuracy.train}</td><td>${shown.accuracy.validation}</td>`);
  expect((html.match(/<img src="data:image\/png;base64,/g) ?? []).length).toBeGreaterThanOrEqual(4);
  // Opened on its own it renders, with every image loaded from itself.
  const view = await context.newPage();
  const requests = [];
  view.on('request', (r) => { if (!r.url().startsWith('data:')) requests.push(r.url()); });
  await view.setContent(html);
  await expect(view.locator('h1')).toContainText('decision_tree');
  expect(await view.locator('img').evaluateAll((imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0))).toBe(true);
  expect(requests).toEqual([]);
  await screenshot(view, 'course-report.png');
});

test('a hostile column name from an uploaded file is escaped in the report', async ({ page, context }) => {
  await open(page);
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const lines = [`${evil};b;label`];
  for (let i = 0; i < 60; i++) lines.push(`${i % 7};${(i * 3) % 5};${i % 2 ? '<b>yes</b>' : 'no'}`);
  await page.locator('#upload').setInputFiles({ name: 'evil"<i>.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.locator('#data-info dl')).toBeVisible();
  await expect(page.locator('#data-info')).toContainText('60');
  await train(page);
  const html = (await download(page, '#download-report')).bytes.toString('utf8');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img src=x/i);
  expect(html).not.toContain('<b>yes</b>');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
  expect(html).toContain('&lt;b&gt;yes&lt;/b&gt;');
  expect(html).toContain('evil&quot;&lt;i&gt;.csv');
  const view = await context.newPage();
  await view.setContent(html); // the guard fails the test if anything in it runs or opens a dialog
  await expect(view.locator('dd', { hasText: '<script>alert(1)</script>' })).toHaveCount(1);
  await screenshot(view, 'course-report-hostile.png');
});

test('a clustering has a report with its scores, and no predictions button', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'iris' }, model: { kind: 'kmeans', n_clusters: 3 } })}`);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(page.locator('#download-predictions')).toBeHidden();
  const html = (await download(page, '#download-report')).bytes.toString('utf8');
  expect(html).toContain('mlplay report: kmeans on iris');
  expect(html).toMatch(/<tr><th scope="row">[^<]*[Ss]ilhouette[^<]*<\/th><td>0\.\d+<\/td><\/tr>/);
  expect(html).toContain('<dt>Dataset</dt><dd>iris</dd>');
  expect(html).toMatch(/<th scope="row">n_clusters<\/th><td>3<\/td>/);
  expect(html).not.toMatch(/<script/i);
});
