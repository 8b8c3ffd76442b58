// Pictures that do not mislead (issue 21): ten class colours that all show, a colouring
// that does not carry over to another family of model, a threshold slider over thresholds,
// and Automatic never training on a software WebGPU adapter.
const path = require('node:path');
const { test, expect, cpuOnly, open, train, waitForDone, screenshot, decodeHash, hashOf } = require('./helpers');

// A screenshot of one element (the plot itself), beside the full-page ones.
const closeUp = (page, selector, name) =>
  page.locator(selector).screenshot({ path: path.join(__dirname, '..', 'artifacts', 'screenshots', name) });

// The palette, as crates/app/src/charts/palette.rs tests it (CIEDE2000 distances, colour-vision
// simulations); here: that the page draws with all ten.
const PALETTE = [[0, 114, 178], [230, 159, 0], [0, 150, 115], [185, 0, 121], [0, 202, 223],
  [165, 105, 75], [166, 119, 255], [89, 109, 0], [193, 135, 160], [172, 181, 123]];

async function choose(page, dataset, kind, params = {}) {
  if (dataset) {
    await page.selectOption('#dataset', dataset);
    await expect(page.locator('#data-info dl')).toBeVisible();
  }
  await page.selectOption('#model-kind', kind);
  for (const [name, value] of Object.entries(params)) {
    await page.locator(`#param-${name}`).fill(value);
    await page.locator(`#param-${name}`).press('Tab');
  }
}

async function fit(page) {
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
}

// How many pixels of the canvas have exactly each palette colour (a dot's inside).
const paletteCounts = (page, selector) => page.locator(selector).evaluate((c, palette) => {
  const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  const counts = palette.map(() => 0);
  for (let i = 0; i < data.length; i += 4) {
    const k = palette.findIndex(([r, g, b]) => data[i] === r && data[i + 1] === g && data[i + 2] === b);
    if (k >= 0) counts[k]++;
  }
  return counts;
}, PALETTE);

for (const scheme of ['light', 'dark']) {
  test(`digits' ten classes each get their own colour (${scheme})`, async ({ page }, testInfo) => {
    cpuOnly(testInfo);
    await page.emulateMedia({ colorScheme: scheme });
    await open(page);
    await choose(page, 'digits', 'pca');
    await fit(page);
    await expect(page.locator('#colour-by')).toHaveValue('target');
    const counts = await paletteCounts(page, '#scatter');
    // Every digit is drawn in its own colour (the old palette had eight: 0 and 8 shared blue).
    counts.forEach((n, k) => expect(n, `pixels of colour ${k}`).toBeGreaterThan(20));
    await screenshot(page, `picture-digits-pca-${scheme}.png`);
    await closeUp(page, '#scatter', `picture-digits-pca-${scheme}-closeup.png`);
  });
}

test('"Colour points by" goes back to the clusters when the model family changes', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'digits', 'pca');
  await fit(page);
  await expect(page.locator('#colour-by')).toHaveValue('target');
  await choose(page, 'moons', 'dbscan');
  // Moons has labels too, but a clustering is coloured by its clusters first.
  await expect(page.locator('#colour-by')).toHaveValue('cluster');
  await fit(page);
  await expect(page.locator('#colour-by')).toHaveValue('cluster');
  // A choice made within the family stays.
  await page.selectOption('#colour-by', 'target');
  await choose(page, null, 'kmeans');
  await expect(page.locator('#colour-by')).toHaveValue('target');
});

// The 2x2 matrix as [[tn, fp], [fn, tp]].
const matrix = (page) => page.locator('#evaluation [data-view=confusion] tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
const calledPositive = (m) => m[0][1] + m[1][1];
const readout = (page) => page.locator('#threshold-value');
const cut = async (page) => Number((await readout(page).textContent()).replace('score ≥ ', ''));

test('the threshold slider moves over thresholds: both ends, a snap to the scores, back to 0.5', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'breast_cancer', 'logistic_regression');
  await train(page);
  const slider = page.locator('#threshold');
  await expect(slider).toHaveAttribute('min', '0');
  await expect(slider).toHaveAttribute('max', '1');
  await expect(readout(page)).toHaveText('score ≥ 0.500');
  const half = await matrix(page);

  await slider.fill('0');
  await expect(readout(page)).toHaveText('score ≥ 0.000');
  const all = await matrix(page);
  expect(calledPositive(all)).toBe(all.flat().reduce((a, b) => a + b, 0));
  await slider.fill('1');
  await expect(readout(page)).toHaveText('score ≥ 1.000');
  expect(calledPositive(await matrix(page))).toBeLessThanOrEqual(calledPositive(half));

  // A value between scores snaps to one: the readout is the cut the matrix is made with.
  await slider.fill('0.37');
  const snapped = await cut(page);
  expect(Math.abs(snapped - 0.37)).toBeLessThan(0.2);
  // The slider sits on that score (the readout shows six significant digits of it).
  expect(Math.abs(Number(await slider.inputValue()) - snapped)).toBeLessThan(1e-5);

  // Back to 0.5 with one click: the same matrix as at the start, and in the link.
  await page.locator('#threshold-reset').click();
  await expect(readout(page)).toHaveText('score ≥ 0.500');
  expect(await matrix(page)).toEqual(half);
  await expect.poll(async () => decodeHash(await hashOf(page)).view.threshold).toBe(0.5);

  // Each arrow press moves to the next distinct score: down from 0.5 one more row (at
  // least) is called positive, and the readout names that row's score.
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  const below = await cut(page);
  expect(below).toBeLessThan(0.5);
  expect(calledPositive(await matrix(page))).toBeGreaterThan(calledPositive(half));
  await page.keyboard.press('ArrowRight');
  await expect(readout(page)).toHaveText('score ≥ 0.500');
  await screenshot(page, 'picture-threshold.png');
  await closeUp(page, '.threshold-row', 'picture-threshold-closeup.png');
});

test('Automatic never picks a software adapter; "gpu" still does', async ({ page }) => {
  await open(page);
  const decided = await page.evaluate(async () => {
    const { decideBackend } = await import('./www/ui/backend.js');
    const names = ['google swiftshader', 'Google SwiftShader Device (Subzero)', 'mesa llvmpipe', 'Microsoft Basic Render Driver', 'some adapter (software)', 'nvidia ampere'];
    return names.map((n) => [decideBackend('auto', n), decideBackend('gpu', n)]);
  });
  decided.slice(0, 5).forEach(([auto, gpu]) => {
    expect(auto).toMatchObject({ backend: 'cpu', label: 'CPU (wasm)' });
    expect(auto.note).toMatch(/software one .* training on the CPU/);
    expect(gpu.backend).toBe('gpu');
  });
  expect(decided[5][0]).toMatchObject({ backend: 'gpu', note: '' });

  // In the page: the webgpu project's browser offers SwiftShader, the cpu project's none.
  const webgpu = (await page.locator('#backend').getAttribute('data-backend')) === 'webgpu';
  await choose(page, 'moons', 'mlp');
  await expect(page.locator('#backend-control')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.locator('#backend-now')).toHaveText(/^Training runs on: CPU \(wasm\)/);
  // The top bar's badge says the same: no WebGPU, or a software adapter and the CPU.
  await expect(page.locator('#backend')).toHaveAttribute('title', webgpu ? /software one \(.*swiftshader.*\).*trains on the CPU/i : /^No WebGPU in this browser/);
  if (!webgpu) return;
  await expect(page.locator('#backend-note')).toHaveText(/software one \(.*swiftshader.*\).*training on the CPU/i);
  await page.locator('#param-max_iter').fill('3');
  await page.locator('#param-max_iter').press('Tab');
  await train(page);
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'cpu');
  await page.selectOption('#backend-choice', 'gpu');
  await expect(page.locator('#backend-control')).toHaveAttribute('data-backend', 'gpu');
  await expect(page.locator('#backend-note')).toBeHidden();
  await train(page, { timeout: 60_000 });
  await expect(page.locator('#backend-control')).toHaveAttribute('data-ran', 'gpu');
});

test('breast cancer\'s positive class is malignant; the select switches it, the labels and the link', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'breast_cancer', 'logistic_regression');
  await train(page);
  // The set's story is about malignant biopsies, so malignant is the positive class.
  const labels = async (cls) => {
    await expect(page.locator('#metrics caption')).toContainText(`(positive class: ${cls})`);
    await expect(page.locator('#metrics tr[data-metric=recall] th')).toHaveText(new RegExp(`^Recall \\(${cls}\\)`));
    await expect(page.locator('#metrics tr[data-metric=precision] th')).toHaveText(new RegExp(`^Precision \\(${cls}\\)`));
    await expect(page.locator('#evaluation .threshold-numbers dt').first()).toHaveText(`Precision (${cls})`);
    await expect(page.locator('label[for=threshold]')).toHaveText(new RegExp(`Call a row ${cls} \\(the positive class\\)`));
    await expect(page.locator('label:has(#cost-fn)')).toContainText(`Cost of a missed positive (${cls})`);
    await expect(page.locator('#positive-class')).toHaveValue(cls);
  };
  await labels('malignant');
  await expect(page.locator('#metrics tr[data-metric=accuracy] th')).toHaveText(/^Accuracy/);
  await expect(page.locator('#metrics tr[data-metric=accuracy] th')).not.toContainText('(malignant)');
  expect(decodeHash(await hashOf(page)).positive).toBeUndefined();
  const recall = async () => page.locator('#metrics tr[data-metric=recall] td').first().textContent();
  const malignantRecall = await recall();
  await screenshot(page, 'picture-positive-malignant.png');

  // Another positive class orders the classes anew: the model trains again.
  await page.selectOption('#positive-class', 'benign');
  expect(decodeHash(await hashOf(page)).positive).toBe('benign');
  await train(page);
  await labels('benign');
  expect(decodeHash(await hashOf(page)).positive).toBe('benign');
  expect(await recall()).not.toBe(malignantRecall);
  await screenshot(page, 'picture-positive-benign.png');

  // The link opens with benign as the positive class.
  const link = page.url();
  await page.goto('about:blank');
  await open(page, link);
  // A shared link trains by itself, so wait for that run rather than click Train (a click
  // during the run would pause it).
  await waitForDone(page);
  await labels('benign');
});

test('the elbow suggests a k and DBSCAN\'s k-distance chart an eps, each one click to try', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  const knees = await page.evaluate(async () => {
    const { knee } = await import('./www/ui/unsupervised.js');
    return [knee([1, 2, 3, 4, 5], [100, 40, 20, 15, 12]), knee([1, 2, 3, 4, 5], [1, 1.1, 1.2, 1.4, 9]), knee([1, 2], [3, 1]), knee([1, 2, 3], [1, 1, 1])];
  });
  expect(knees).toEqual([1, 3, -1, -1]);

  await choose(page, 'blobs', 'kmeans');
  await fit(page);
  await page.locator('#unsup-helper-button').click();
  await expect(page.locator('#try-k')).toBeVisible();
  const k = Number((await page.locator('#try-k').textContent()).replace('Try k = ', ''));
  expect(k).toBe(3); // three blobs (the set's default)
  await screenshot(page, 'picture-elbow-suggestion.png');
  await page.locator('#try-k').click();
  await expect.poll(async () => decodeHash(await hashOf(page)).model.n_clusters).toBe(k);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  await expect(page.locator('#unsup-metrics tr[data-metric=n_clusters] td')).toHaveText(String(k));

  await choose(page, 'moons', 'dbscan');
  await fit(page);
  await page.locator('#unsup-helper-button').click();
  await expect(page.locator('#try-eps')).toBeVisible();
  const eps = Number((await page.locator('#try-eps').textContent()).replace('Try eps = ', ''));
  expect(eps).toBeGreaterThan(0);
  await page.locator('#try-eps').click();
  await expect.poll(async () => decodeHash(await hashOf(page)).model.eps).toBe(eps);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  await screenshot(page, 'picture-kdistance-suggestion.png');
});

for (const scheme of ['light', 'dark']) {
  test(`rows missing a plotted value are counted and drawn in a labelled strip (${scheme})`, async ({ page }, testInfo) => {
    cpuOnly(testInfo);
    await page.emulateMedia({ colorScheme: scheme });
    await open(page);
    await choose(page, 'penguins', 'logistic_regression');
    // Two penguins have no measurements at all: they sit in the corner of both strips.
    await expect(page.locator('#scatter-caption')).toContainText(/2 rows missing \S+: drawn in the strip marked "missing" left of the data/);
    await expect(page.locator('#scatter-caption')).toContainText(/2 rows missing \S+: drawn in the strip marked "missing" below the data/);
    await closeUp(page, '#scatter', `picture-missing-strip-${scheme}.png`);
  });
}

test('a surface from many features says what it is, and "fit on these two" trains on the pair', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'breast_cancer', 'decision_tree');
  await train(page);
  await expect(page.locator('#scatter')).toHaveAttribute('data-background', /^Background: a slice, the other 28 features held at their median/);
  await expect(page.locator('#scatter-caption')).toContainText('held at their median');
  await screenshot(page, 'picture-surface-slice.png');
  await closeUp(page, '#scatter', 'picture-surface-slice-closeup.png');
  const [x, y] = await page.locator('#fit-two').textContent().then((t) => /^Fit on (.+) and (.+) only$/.exec(t).slice(1));
  await page.locator('#fit-two').click();
  await expect.poll(async () => decodeHash(await hashOf(page)).columns?.exclude?.length).toBe(28);
  await expect(page.locator('#data-info')).toContainText(/Numeric features\s*2 \(/);
  // One click also trains the pair.
  await waitForDone(page, 30_000);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
  // The tree just trained reads the pair alone: its importances list two features.
  await expect(page.locator('#explain')).toContainText('Feature importance');
  await expect(page.locator('#explain')).not.toContainText('Show all');
  // The model sees only the plane: no slice to explain, and the way back is offered.
  await expect(page.locator('#scatter')).not.toHaveAttribute('data-background', /./);
  const s = decodeHash(await hashOf(page));
  expect(s.model.kind).toBe('decision_tree');
  // The pair stays on the axes it was on.
  expect(await page.locator('#axis-x option:checked').textContent()).toBe(x);
  expect(await page.locator('#axis-y option:checked').textContent()).toBe(y);
  await screenshot(page, 'picture-surface-two-features.png');
  await closeUp(page, '#scatter', 'picture-surface-two-features-closeup.png');
  await page.locator('#fit-all').click();
  await expect.poll(async () => decodeHash(await hashOf(page)).columns?.exclude?.length ?? 0).toBe(0);
});

// Which class colour the background leans to, near the dots of each class: the dots are
// exact palette colours, the background a pale tint of one (a mix with the plot's white).
const backgroundNearDots = (page) => page.locator('#scatter').evaluate((c, palette) => {
  const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  const px = (x, y) => { const i = 4 * (y * width + x); return [data[i], data[i + 1], data[i + 2]]; };
  const same = (p, q) => p[0] === q[0] && p[1] === q[1] && p[2] === q[2];
  const dots = [[], []];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const k = [0, 1].find((k) => same(px(x, y), palette[k]));
    if (k !== undefined) dots[k].push([x, y]);
  }
  // Tint of a pixel toward class k: cosine between (white - pixel) and (white - colour k).
  const lean = (p) => {
    const d = p.map((v) => 255 - v);
    const norm = Math.hypot(...d);
    if (norm < 8) return -1;
    const cos = (k) => { const e = palette[k].map((v) => 255 - v); return d.reduce((s, v, i) => s + v * e[i], 0) / (norm * Math.hypot(...e)); };
    return cos(0) > cos(1) ? 0 : 1;
  };
  // Each class's dots furthest from the other class along x: the model is surest there.
  const meanX = (ds) => ds.reduce((s, [x]) => s + x, 0) / ds.length;
  const right = meanX(dots[0]) > meanX(dots[1]) ? 0 : 1;
  return [0, 1].map((k) => {
    const xs = dots[k].map(([x]) => x).sort((a, b) => a - b);
    const edge = k === right ? xs[Math.floor(xs.length * 0.95)] : xs[Math.floor(xs.length * 0.05)];
    const votes = [0, 0];
    for (const [x, y] of dots[k]) {
      if (Math.abs(x - edge) > 6) continue;
      // Background just above and below the dot (the dot radius is a few pixels).
      for (const dy of [-9, 9]) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        const p = px(x, yy);
        if (palette.slice(0, 2).some((q) => same(p, q))) continue;
        const l = lean(p);
        if (l >= 0) votes[l]++;
      }
    }
    return votes;
  });
}, PALETTE);

test('the background agrees with the legend when the positive class is not the data\'s second class', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'breast_cancer', 'logistic_regression');
  await train(page);
  await page.locator('#fit-two').click();
  await waitForDone(page, 30_000);
  // Malignant (the data's first class, blue) is the positive class, second in the model.
  await expect(page.locator('#metrics caption')).toContainText('(positive class: malignant)');
  const votes = await backgroundNearDots(page);
  await closeUp(page, '#scatter', 'picture-background-agrees.png');
  // Around each class's surest dots the background is that class's tint.
  expect(votes[0][0], `blue dots' surroundings ${votes[0]}`).toBeGreaterThan(votes[0][1]);
  expect(votes[1][1], `orange dots' surroundings ${votes[1]}`).toBeGreaterThan(votes[1][0]);
});

test('the positive class is chosen in the data panel before any training, and the run follows it', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'breast_cancer', 'logistic_regression');
  const select = page.locator('#data-positive');
  // The set's story (malignant biopsies) is the default, offered before training.
  await expect(select).toHaveValue('malignant');
  await select.selectOption('benign');
  await expect.poll(async () => decodeHash(await hashOf(page)).positive).toBe('benign');
  await train(page);
  await expect(page.locator('#metrics caption')).toContainText('(positive class: benign)');
  await expect(page.locator('#data-positive')).toHaveValue('benign');
  // Chosen after training in the evaluation, the data panel follows.
  await page.locator('#positive-class').selectOption('malignant');
  await expect(page.locator('#data-positive')).toHaveValue('malignant');
});

test('a flat background is weighed against the score: a model that learned nothing says so', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  // So strong a penalty that the weights stay near zero: the majority class everywhere.
  await choose(page, 'breast_cancer', 'logistic_regression', { C: '0.00001' });
  await train(page);
  await expect(page.locator('#scatter')).toHaveAttribute('data-background', /predicts benign almost everywhere/);
  await expect(page.locator('#scatter-caption')).toContainText('no better than always answering the commonest class');
  await closeUp(page, '#scatter', 'picture-flat-background.png');
});
