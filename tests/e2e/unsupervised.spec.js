// Clusterings and projections in the page: they fit on the features alone, animate, score
// themselves (ARI against the labels they never saw, trustworthiness), draw the charts
// that help choose k / eps / components, export CSV, and refuse impossible settings by name.
const fs = require('node:fs');
const { test, expect, cpuOnly, open, canvasInk, screenshot, decodeHash, hashOf, cliRun } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

async function choose(page, dataset, kind, params = {}) {
  if (dataset) {
    await page.selectOption('#dataset', dataset);
    await expect(page.locator('#data-info dl')).toBeVisible();
  }
  await page.selectOption('#model-kind', kind);
  for (const [name, value] of Object.entries(params)) {
    const box = page.locator(`#param-${name}`);
    if ((await box.evaluate((e) => e.tagName)) === 'SELECT') await box.selectOption(value);
    else { await box.fill(value); await box.press('Tab'); }
  }
}

async function fit(page, timeout = 60_000) {
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout });
  await expect(page.locator('#unsup-metrics table')).toBeVisible();
  return page.locator('#unsup-metrics tr[data-metric]').evaluateAll((rows) => Object.fromEntries(
    rows.map((r) => [r.dataset.metric, Number(r.querySelector('td').textContent)])));
}

test('k-means on iris: centres animate, ARI against the species, elbow chart, clusters become a column', async ({ page }) => {
  await open(page);
  await choose(page, 'iris', 'kmeans', { n_clusters: '3', n_init: '4' });
  await expect(page.locator('#experiments')).toBeHidden();
  const m = await fit(page);
  // scikit-learn's KMeans(3) on standardised iris: ARI 0.62 (labels never used).
  expect(m.adjusted_rand).toBeGreaterThan(0.55);
  expect(m.n_clusters).toBe(3);
  expect(m.inertia).toBeGreaterThan(100);
  expect(m.inertia).toBeLessThan(160);
  await expect(page.locator('#scatter-caption')).toContainText('cluster centres');
  const ink = await canvasInk(page, '#scatter');
  expect(ink.colours).toBeGreaterThan(10);
  // The same link gives the same numbers natively.
  const cli = cliRun(await hashOf(page));
  expect(cli.metrics.inertia.toFixed(4)).toBe(m.inertia.toFixed(4));
  expect(cli.labels).toHaveLength(150);

  await page.locator('#unsup-helper-button').click();
  await expect(page.locator('#elbow-inertia')).toBeVisible();
  await expect(page.locator('#elbow-silhouette')).toBeVisible();
  expect((await canvasInk(page, '#elbow-inertia')).ink).toBeGreaterThan(500);
  await screenshot(page, 'kmeans-iris.png');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('row,species,cluster');
  expect(csv).toHaveLength(151);

  await page.locator('#add-clusters').click();
  await expect(page.locator('#data-info')).toContainText('cluster');
  await page.selectOption('#colour-by', { index: 0 }).catch(() => {});
});

test('DBSCAN on blobs: three clusters, noise marked, k-distance chart', async ({ page }) => {
  await open(page);
  await choose(page, 'blobs', 'dbscan', { eps: '0.3', min_samples: '5' });
  const m = await fit(page);
  expect(m.n_clusters).toBe(3);
  expect(m.n_noise).toBeGreaterThan(0);
  expect(m.adjusted_rand).toBeGreaterThan(0.9);
  await expect(page.locator('#scatter-caption')).toContainText('noise');
  await page.locator('#unsup-helper-button').click();
  await expect(page.locator('#k-distance')).toBeVisible();
  await expect(page.locator('#unsup-helper figcaption')).toContainText('eps = 0.3');
  await screenshot(page, 'dbscan-moons.png');
});

test('PCA on wine: scree, cumulative variance and loadings; hover shows the row', async ({ page }) => {
  await open(page);
  await choose(page, 'wine', 'pca', { n_components: '3' });
  const m = await fit(page);
  // scikit-learn's PCA on standardised wine: 0.3620, 0.1921, 0.1112.
  expect(m.explained_variance_ratio_1).toBeCloseTo(0.3620, 3);
  expect(m.trustworthiness_15).toBeGreaterThan(0.85);
  await expect(page.locator('#scree')).toBeVisible();
  await expect(page.locator('#unsup-helper figcaption').nth(1)).toContainText('of 13 components keep 95% of the variance');
  await expect(page.locator('#loadings tbody tr')).toHaveCount(13);
  await expect(page.locator('#scatter-caption')).toContainText('principal components');
  // Hover the middle of the plot until a point is under the mouse.
  const box = await page.locator('#scatter').boundingBox();
  let shown = false;
  for (let i = 0; i < 60 && !shown; i++) {
    await page.mouse.move(box.x + box.width * (0.2 + 0.6 * ((i * 7) % 60) / 60), box.y + box.height * (0.2 + 0.6 * ((i * 13) % 60) / 60));
    shown = await page.locator('#row-tip').isVisible({ timeout: 150 }).catch(() => false);
  }
  expect(shown).toBe(true);
  await expect(page.locator('#row-tip')).toContainText('Row ');
  await expect(page.locator('#row-tip dt').first()).toHaveText('cultivar');
  await screenshot(page, 'pca-wine.png');
  // The first three components as a turnable cloud; dragging redraws it from another angle.
  await page.locator('#pca-3d').check();
  await expect(page.locator('#scatter')).toHaveAttribute('data-view', '3d');
  await expect(page.locator('#scatter-caption')).toContainText('Drag the plot');
  const before = await page.locator('#scatter').evaluate((c) => c.toDataURL());
  // Ticking the box below the (tall) plot scrolled the page: find the plot again.
  await page.locator('#scatter').scrollIntoViewIfNeeded();
  const box3 = await page.locator('#scatter').boundingBox();
  await page.mouse.move(box3.x + box3.width / 2, box3.y + box3.height / 2);
  await page.mouse.down();
  await page.mouse.move(box3.x + box3.width / 2 + 60, box3.y + box3.height / 2 + 20, { steps: 5 });
  await page.mouse.up();
  expect(await page.locator('#scatter').evaluate((c) => c.toDataURL())).not.toBe(before);
  await screenshot(page, 'pca-wine-3d.png');
});

for (const [kind, floor] of [['tsne', 0.97], ['umap', 0.95]]) {
  test(`${kind} on digits: the layout animates and keeps neighbours (trustworthiness >= ${floor})`, async ({ page }) => {
    await open(page);
    await choose(page, 'digits', kind, kind === 'tsne' ? { max_iter: '500' } : {});
    await page.locator('#play').click();
    // Mid-run the plot already shows a layout (the worker sends coordinates as it goes).
    await expect(page.locator('#scatter-caption')).toContainText('1,797 rows', { timeout: 30_000 });
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 120_000 });
    await expect(page.locator('#unsup-metrics table')).toBeVisible();
    const t = Number(await page.locator('#unsup-metrics tr[data-metric=trustworthiness_15] td').textContent());
    expect(t).toBeGreaterThan(floor);
    // t-SNE draws its KL divergence; UMAP tracks no loss, so its empty chart is not shown.
    if (kind === 'tsne') expect((await canvasInk(page, '#loss')).ink).toBeGreaterThan(300);
    else await expect(page.locator('#loss')).toBeHidden();
    await screenshot(page, `${kind}-digits.png`);
  });
}

// The scatter's text as the browser draws it (its own font metrics), at two widths (at
// 1200 px the scatter is at its narrowest, ~290 px): all ten legend entries inside the
// canvas and above the plot (they used to cover points, the last one over the x axis's
// labels), and the x axis's tick labels a font size apart (they were 9 px apart).
test('t-SNE on digits: the legend fits, clear of the points, and tick labels never touch', async ({ page }) => {
  await page.addInitScript(() => {
    const fill = CanvasRenderingContext2D.prototype.fillText;
    window.scatterText = [];
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
      if (this.canvas.id === 'scatter') {
        const m = this.measureText(text);
        const t = this.getTransform();
        window.scatterText.push({ text, align: this.textAlign, turned: t.b !== 0, left: t.e + x - m.actualBoundingBoxLeft,
          right: t.e + x + m.actualBoundingBoxRight, top: t.f + y - m.actualBoundingBoxAscent, bottom: t.f + y + m.actualBoundingBoxDescent });
      }
      return fill.call(this, text, x, y, ...rest);
    };
  });
  await open(page);
  await choose(page, 'digits', 'tsne', { max_iter: '250' });
  await fit(page, 120_000);
  for (const [width, height, scheme] of [[1200, 800, 'dark'], [800, 900, 'light']]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await page.evaluate(() => { window.scatterText = []; });
    await page.emulateMedia({ colorScheme: scheme }); // a redraw, recorded from its start
    await expect.poll(() => page.evaluate(() => window.scatterText.filter((t) => t.align === 'start').length)).toBeGreaterThanOrEqual(10);
    await page.waitForTimeout(300);
    // The last drawing: from after the previous one's last legend entry (if a resize drew too).
    const texts = await page.evaluate(() => {
      const all = window.scatterText;
      const legendAt = all.findLastIndex((t) => t.align === 'start' && t.text === '0');
      return all.slice(all.findLastIndex((t, i) => i < legendAt && t.align === 'start') + 1);
    });
    const [w, h, ratio] = await page.locator('#scatter').evaluate((c) => [c.width, c.height, c.width / c.clientWidth]);
    const legend = texts.filter((t) => t.align === 'start');
    expect(legend.map((t) => t.text)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const t of legend) {
      expect(t.left >= 0 && t.top >= 0 && t.right <= w && t.bottom <= h, `${width}px: '${t.text}' inside ${w}x${h}: ${JSON.stringify(t)}`).toBe(true);
    }
    // The y axis's top label sits at or below the plot's top edge: the legend is above it.
    const yTicks = texts.filter((t) => t.align === 'end' && !t.turned);
    expect(yTicks.length).toBeGreaterThan(2);
    const plotTop = Math.min(...yTicks.map((t) => (t.top + t.bottom) / 2));
    expect(Math.max(...legend.map((t) => t.bottom)), `${width}px: legend above the plot`).toBeLessThan(plotTop);
    const xTicks = texts.filter((t) => t.align === 'center' && !t.turned && t.text !== 't-SNE 1').sort((a, b) => a.left - b.left);
    expect(xTicks.length).toBeGreaterThan(2);
    for (let i = 1; i < xTicks.length; i++) {
      expect(xTicks[i].left - xTicks[i - 1].right, `${width}px: '${xTicks[i - 1].text}' and '${xTicks[i].text}' apart`).toBeGreaterThanOrEqual(12 * ratio);
    }
    await screenshot(page, `tsne-digits-legend-${width}.png`);
  }
});

test('impossible settings are refused by name and the page keeps working', async ({ page }) => {
  await open(page);
  await choose(page, 'iris', 'tsne');
  await page.locator('#param-perplexity').fill('150');
  await page.locator('#param-perplexity').press('Tab');
  await page.locator('#play').click();
  await expect(page.locator('#message-text')).toContainText('perplexity');
  await expect(page.locator('#message-text')).toContainText('less than the number of rows (150)');
  expect(decodeHash(await hashOf(page)).model.kind).toBe('tsne');
  await page.locator('#param-perplexity').fill('30');
  await page.locator('#param-perplexity').press('Tab');
  await page.selectOption('#model-kind', 'dbscan');
  await page.locator('#param-eps').fill('0');
  await page.locator('#param-eps').press('Tab');
  await expect(page.locator('#param-eps')).toHaveAttribute('aria-invalid', '');
  const errId = await page.locator('#param-eps').getAttribute('aria-describedby');
  await expect(page.locator(`[id="${errId}"]`)).toContainText('eps');
  expect(decodeHash(await hashOf(page)).model.eps).toBe(0.5);
});

// Issue #5's scale aim: a large N x 50 upload embeds with a moving progress bar (the
// neighbour search's too) while the page's own thread stays free (the fit runs in the
// worker). 12,000 rows here (t-SNE for 300 iterations); MLPLAY_EMBED_ROWS=70000 runs the
// full size by hand.
for (const [kind, params, unit] of [['umap', {}, 'epoch'], ['tsne', { max_iter: '300' }, 'iteration']]) test(`${kind} on a large uploaded set: the progress bar moves and the page stays responsive`, async ({ page }) => {
  const rows = Number(process.env.MLPLAY_EMBED_ROWS || 12000);
  test.setTimeout(Math.max(300_000, rows * 10));
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = [Array.from({ length: 50 }, (_, i) => `f${i}`).join(',')];
  for (let r = 0; r < rows; r++) {
    const c = r % 8;
    lines.push(Array.from({ length: 50 }, (_, i) => (((c * 7 + i) % 5) * 3 + rand()).toFixed(3)).join(','));
  }
  await open(page);
  await page.setInputFiles('#upload', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.locator('#data-info')).toContainText(rows.toLocaleString('en-US'), { timeout: 60_000 });
  await choose(page, null, kind, params);
  const started = Date.now();
  await page.locator('#play').click();
  const seen = [];
  const phases = new Set();
  const trace = [];
  let worstLag = 0;
  while ((await page.locator('#play').getAttribute('data-phase')) !== 'done' && Date.now() - started < rows * 10) {
    // How long the page's thread takes to run a queued task: small while the worker fits.
    const lag = await page.evaluate(() => new Promise((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); }));
    seen.push(Number(await page.locator('#progress').evaluate((p) => p.value)));
    phases.add((await page.locator('#counter').textContent()).replace(/[\d%/ ]+$/, ''));
    // Only while the fit runs: drawing the finished result is a separate, later step.
    if (seen.at(-1) < 1) worstLag = Math.max(worstLag, lag);
    trace.push(`${((Date.now() - started) / 1000).toFixed(1)}s:${seen.at(-1).toFixed(2)}/${lag.toFixed(0)}ms`);
    await page.waitForTimeout(250);
  }
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
  const mid = seen.filter((v) => v > 0 && v < 1);
  console.log(`${rows} rows: ${((Date.now() - started) / 1000).toFixed(1)} s, ${mid.length} progress readings between 0 and 1, worst task lag while fitting ${worstLag.toFixed(0)} ms`);
  console.log(trace.join(' '));
  expect(new Set(mid).size).toBeGreaterThan(2);
  // The neighbour search (seconds at this size) is named while it runs, then the steps count.
  expect([...phases]).toEqual(expect.arrayContaining(['finding nearest neighbours', unit]));
  expect(mid).toEqual([...mid].sort((a, b) => a - b));
  expect(worstLag).toBeLessThan(500);
});
