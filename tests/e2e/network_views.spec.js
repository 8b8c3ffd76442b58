// Neural network views: every hidden neuron as a live heatmap on 2-D data, first-layer
// weights as 8x8 pictures on digits, the autoencoder's error histogram with a movable
// threshold (checked against the errors the worker reports), and the backend switch.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect, cpuOnly, open, waitForDone, screenshot, decodeHash, hashOf } = require('./helpers');

async function choose(page, dataset, kind, params = {}) {
  await page.selectOption('#dataset', dataset);
  await expect(page.locator('#data-info dl')).toBeVisible();
  await page.selectOption('#model-kind', kind);
  for (const [name, value] of Object.entries(params)) {
    await page.locator(`#param-${name}`).fill(value);
    await page.locator(`#param-${name}`).press('Tab');
  }
}

// A close-up of one part of the page, beside the full-page screenshots.
const closeUp = (page, selector, name) => page.locator(selector).screenshot({ path: path.resolve(__dirname, '..', 'artifacts', 'screenshots', name) });

// A fingerprint of a canvas's pixels.
const pixels = (page, selector) => page.locator(selector).first().evaluate((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) >>> 0;
  return h;
});

test('each hidden neuron is a heatmap over the plane, redrawn while the network trains', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await page.selectOption('#dataset', 'moons');
  await page.locator('#knob-n_samples').fill('3000');
  await page.locator('#knob-n_samples').press('Tab');
  await expect(page.locator('#data-info dl')).toContainText('3,000');
  await choose(page, 'moons', 'mlp', { hidden_layer_sizes: '6, 4', max_iter: '1000' });
  await page.selectOption('#param-activation', 'tanh');
  await page.locator('#step').click();
  const tiles = page.locator('#network [data-view=neurons] canvas.neuron');
  await expect(tiles).toHaveCount(10);
  await expect(page.locator('#network .neuron-layer h4')).toHaveText(['Layer 1 (6 units)', 'Layer 2 (4 units)']);
  const first = await pixels(page, '#network canvas.neuron');
  // Live: pictures keep arriving while the run goes on, not only at its end. Note the
  // phase of the run at each repaint.
  await page.evaluate(() => {
    window.repaintPhases = [];
    new MutationObserver(() => window.repaintPhases.push(document.getElementById('play').dataset.phase))
      .observe(document.querySelector('#network [data-view=neurons]'), { attributes: true, attributeFilter: ['data-updates'] });
  });
  await page.locator('#play').click();
  await waitForDone(page, 45_000);
  expect(await pixels(page, '#network canvas.neuron')).not.toBe(first);
  // Live: at least two repaints while the run was still going (a fast machine may finish
  // the run in a few slices, so no more is asked).
  const phases = await page.evaluate(() => window.repaintPhases);
  expect(phases.filter((p) => p === 'running').length, phases.join(' ')).toBeGreaterThanOrEqual(2);
  // Each tile is coloured: orange and blue both appear somewhere in layer 1.
  const colours = await tiles.evaluateAll((cs) => cs.slice(0, 6).map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let orange = 0, blue = 0;
    for (let i = 0; i < d.length; i += 4) { if (d[i] > d[i + 2] + 40) orange++; if (d[i + 2] > d[i] + 40) blue++; }
    return { orange, blue };
  }));
  expect(colours.some((c) => c.orange > 0 && c.blue > 0), JSON.stringify(colours)).toBe(true);
  await expect(page.locator('#network .network-head')).toContainText('2 → 6 → 4 → 1 units, tanh');
  await screenshot(page, 'network-neurons-moons.png');
  await closeUp(page, '#network', 'network-neurons-moons-closeup.png');
});

test('on digits each first-layer unit shows its weights as an 8x8 picture', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'digits', 'mlp', { hidden_layer_sizes: '16', max_iter: '30' });
  await page.locator('#play').click();
  await waitForDone(page, 45_000);
  const images = page.locator('#network [data-view=weight-images] canvas.weight-image');
  await expect(images).toHaveCount(16);
  await expect(page.locator('#network [data-view=neurons]')).toHaveCount(0);
  const probe = await images.first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const alpha = (i) => d[4 * i + 3];
    return { w: c.width, h: c.height, corner: alpha(0), painted: [...Array(64).keys()].filter((i) => alpha(i) === 255).length };
  });
  // Pixel p0 is blank in every digit: dropped by preprocessing, left empty; most are painted.
  expect(probe).toMatchObject({ w: 8, h: 8, corner: 0 });
  expect(probe.painted).toBeGreaterThan(50);
  await expect(page.locator('#network .network-head')).toContainText('What the first layer looks for');
  await screenshot(page, 'network-weights-digits.png');
  await closeUp(page, '#network', 'network-weights-digits-closeup.png');
});

// The errors the worker reported, as the page's CSV download.
async function downloadErrors(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#anomaly-csv').click()]);
  const text = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(text[0]).toBe('row,reconstruction_error,score,label');
  return text.slice(1).map((l) => l.split(',').map(Number)).map(([row, error, score, label]) => ({ row, error, score, label }));
}

function expected(rows, p) {
  const flagged = rows.filter((r) => r.score >= p);
  const tp = flagged.filter((r) => r.label === 1).length;
  const positives = rows.filter((r) => r.label === 1).length;
  const fn = positives - tp;
  const fp = flagged.length - tp;
  return { flagged: flagged.length, precision: flagged.length ? tp / flagged.length : 0, recall: tp / positives, f1: (2 * tp) / (2 * tp + fp + fn) };
}

async function shown(page) {
  const num = (k) => page.locator(`#anomaly [data-view=anomaly-numbers] dd[data-number=${k}]`).textContent();
  return { flagged: Number((await num('flagged')).split(' ')[0]), precision: Number((await num('precision')).split(' ')[0]), recall: Number(await num('recall')), f1: Number(await num('f1')) };
}

function agree(page, rows, p, got) {
  const want = expected(rows, p);
  expect(got.flagged).toBe(want.flagged);
  for (const k of ['precision', 'recall', 'f1']) expect(got[k], k).toBeCloseTo(want[k], 3);
  return want;
}

test('the autoencoder flags rows by a threshold the student moves, and scores the flags', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  // Choosing the autoencoder on iris (three classes) opens the network traffic set.
  await page.selectOption('#model-kind', 'autoencoder');
  await expect(page.locator('#dataset')).toHaveValue('traffic');
  await expect(page.locator('#data-info dl')).toContainText('is_anomaly');
  await page.locator('#play').click();
  await waitForDone(page, 45_000);
  await expect(page.locator('#anomaly-histogram')).toBeVisible();
  await expect(page.locator('#anomaly .legend')).toContainText(/validation, anomalous \(\d+\)/);
  const rows = await downloadErrors(page);
  expect(rows.length).toBeGreaterThan(500);
  // The default threshold is the contamination's (score 0.5).
  const before = agree(page, rows, 0.5, await shown(page));
  expect(before.flagged).toBeGreaterThan(0);
  await expect(page.locator('#anomaly-table tbody tr')).toHaveCount(Math.min(50, before.flagged));
  // Largest error first.
  const errs = await page.locator('#anomaly-table tbody td[data-score]').allTextContents();
  expect(errs.map(Number)).toEqual([...errs.map(Number)].sort((a, b) => b - a));

  // Lower the threshold with the slider: more flags, recomputed from the same errors.
  const slider = page.locator('#anomaly-threshold');
  await slider.fill(String(Math.round(Number(await slider.inputValue()) * 0.8)));
  await expect.poll(async () => decodeHash(await hashOf(page)).view.threshold).toBeLessThan(0.5);
  const p = decodeHash(await hashOf(page)).view.threshold;
  const after = agree(page, rows, p, await shown(page));
  expect(after.flagged).toBeGreaterThan(before.flagged);
  // The evaluation below uses the same threshold: its precision and recall agree.
  await expect(page.locator('#evaluation dd[data-number=recall]')).toHaveText(after.recall.toFixed(3));
  await expect(page.locator('#evaluation dd[data-number=precision]')).toHaveText(after.precision.toFixed(3));

  // Dragging the line on the histogram to its right end flags nothing.
  const box = await page.locator('#anomaly-histogram').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.locator('#anomaly [data-view=anomaly-numbers] dd[data-number=flagged]')).toHaveText(/^0 of \d+$/);
  await expect(page.locator('#anomaly-table')).toHaveCount(0);
  await expect.poll(async () => decodeHash(await hashOf(page)).view.threshold).toBe(1);

  // The link carries the threshold: reopening it shows the same flags.
  await page.locator('#anomaly-threshold').fill('500');
  await expect.poll(async () => decodeHash(await hashOf(page)).view.threshold).toBeLessThan(1);
  const kept = await shown(page);
  await screenshot(page, 'network-anomaly-traffic.png');
  await closeUp(page, '#anomaly', 'network-anomaly-traffic-closeup.png');
  const link = page.url();
  const again = await page.context().newPage();
  await again.goto(link);
  await waitForDone(again, 45_000);
  await expect(again.locator('#anomaly [data-view=anomaly-numbers] dd[data-number=flagged]')).toHaveText(new RegExp(`^${kept.flagged} of `));
});

test('the page names the backend that trains neural networks, and the switch is in the link', async ({ page }, testInfo) => {
  await open(page);
  await expect(page.locator('#backend-control')).toBeHidden(); // logistic regression
  await page.selectOption('#model-kind', 'mlp');
  await expect(page.locator('#backend-control')).toBeVisible();
  const webgpu = (await page.locator('#backend').getAttribute('data-backend')) === 'webgpu';
  // Automatic never picks a software adapter (the webgpu project's is SwiftShader).
  const software = webgpu && /swiftshader|llvmpipe|software/i.test(await page.locator('#backend').textContent());
  await expect(page.locator('#backend-now')).toHaveText(webgpu && !software ? /^Training runs on: WebGPU: \S/ : /^Training runs on: CPU \(wasm\)/);
  await page.selectOption('#backend-choice', 'gpu');
  await expect.poll(async () => decodeHash(await hashOf(page)).backend).toBe('gpu');
  await expect(page.locator('#backend-note')).toHaveText(webgpu ? '' : /offers no WebGPU adapter: training on the CPU/);
  await expect(page.locator('#backend-control')).toHaveAttribute('data-backend', webgpu ? 'gpu' : 'cpu');
  await page.selectOption('#backend-choice', 'cpu');
  await expect(page.locator('#backend-note')).toBeHidden();
  await expect.poll(async () => decodeHash(await hashOf(page)).backend).toBe('cpu');
  // One function decides: with an adapter, `auto` trains on the GPU.
  const decided = await page.evaluate(async () => {
    const { decideBackend } = await import('./www/ui/backend.js');
    return [decideBackend('auto', 'Test Adapter'), decideBackend('auto', null), decideBackend('cpu', 'Test Adapter')];
  });
  expect(decided[0]).toMatchObject({ backend: 'gpu', label: 'WebGPU: Test Adapter', note: '' });
  expect(decided[1]).toMatchObject({ backend: 'cpu', label: 'CPU (wasm)' });
  expect(decided[2]).toMatchObject({ backend: 'cpu', note: '' });
  if (testInfo.project.name === 'cpu') await closeUp(page, '#model-panel', 'network-backend-closeup.png');
});

test('the network views have no serious accessibility problems, in the dark scheme too', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  const AxeBuilder = require('@axe-core/playwright').default;
  const serious = async () => (await new AxeBuilder({ page }).include('#visual-panel').include('#backend-control').analyze()).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(page);
  await choose(page, 'moons', 'mlp', { hidden_layer_sizes: '4, 3', max_iter: '50' });
  await page.locator('#play').click();
  await waitForDone(page, 45_000);
  await expect(page.locator('#network canvas.neuron')).toHaveCount(7);
  expect(await serious()).toEqual([]);
  // Moons has two classes, so the autoencoder keeps it; the traffic set is chosen here.
  await page.selectOption('#model-kind', 'autoencoder');
  await expect(page.locator('#dataset')).toHaveValue('moons');
  await choose(page, 'traffic', 'autoencoder');
  await page.locator('#play').click();
  await waitForDone(page, 45_000);
  await expect(page.locator('#anomaly-histogram')).toBeVisible();
  expect(await serious()).toEqual([]);
  await closeUp(page, '#anomaly', 'network-anomaly-dark-closeup.png');
});

// Issue 21: on a table with many features "The network" is a diagram, not a line of text:
// columns of units per layer, every layer's weights as lines coloured by sign, the
// strongest inputs named when there are more than fit.
test('an MLP on many features is drawn as a diagram with its strongest inputs', async ({ page }, testInfo) => {
  cpuOnly(testInfo);
  await open(page);
  await choose(page, 'breast_cancer', 'mlp', { hidden_layer_sizes: '8, 4', max_iter: '30' });
  await page.locator('#play').click();
  await waitForDone(page);
  const diagram = page.locator('#network svg[data-view=network-diagram]');
  await expect(diagram).toBeVisible();
  // 12 of 30 inputs, 8 and 4 hidden units, the output(s): a column per layer.
  const columns = await diagram.locator('circle.unit').evaluateAll((cs) => {
    const by = {};
    for (const c of cs) by[c.dataset.layer] = (by[c.dataset.layer] ?? 0) + 1;
    return by;
  });
  expect(columns['0']).toBe(12);
  expect(columns['1']).toBe(8);
  expect(columns['2']).toBe(4);
  await expect(diagram.locator('text.more').first()).toHaveText('+18 more');
  // Every input-to-first-layer line carries a weight; both signs appear and wider means larger.
  const lines = await diagram.locator('line.pos[data-layer="0"], line.neg[data-layer="0"]').evaluateAll((ls) => ls.map((l) => [Number(l.dataset.weight), Number(l.getAttribute('stroke-width'))]));
  expect(lines).toHaveLength(12 * 8);
  // The later layers carry their own weights too: 8x4 into the second hidden layer, 4x1 into the output.
  const later = await diagram.locator('line.pos[data-layer="1"], line.neg[data-layer="1"]').evaluateAll((ls) => ls.map((l) => Number(l.dataset.weight)));
  expect(later).toHaveLength(8 * 4);
  expect(later.every((w) => Number.isFinite(w) && w !== 0)).toBe(true);
  expect(columns['3']).toBe(1); // two classes: one logistic output
  await expect(diagram.locator('line.pos[data-layer="2"], line.neg[data-layer="2"]')).toHaveCount(4);
  await expect(diagram.locator('line.plain')).toHaveCount(0);
  expect(lines.some(([w]) => w > 0) && lines.some(([w]) => w < 0)).toBe(true);
  const byWeight = [...lines].sort((a, b) => Math.abs(a[0]) - Math.abs(b[0]));
  expect(byWeight.at(-1)[1]).toBeGreaterThan(byWeight[0][1]);
  await expect(diagram.locator('text.input-name')).toHaveCount(12);
  await expect(page.locator('#network .note')).toContainText('strongest weights of 30');
  await closeUp(page, '#network', 'network-diagram.png');
});
