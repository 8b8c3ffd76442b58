// One workspace for the page and the CLI: the CSV the page downloads for a run and the file
// `mlplay run --link ... --predictions FILE` writes for the same link are the same bytes
// for clusterings (k-means, DBSCAN with its noise); for a projection (PCA) and a classifier
// the same text except the last bits of floating-point numbers (see below).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test, expect, BIN, cpuOnly, open, encodeState, hashOf, waitForDone } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return fs.readFileSync(await d.path());
}

// The CLI's file for the page's current link.
function cliCsv(link) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlplay-ws-'));
  const file = path.join(dir, 'rows.csv');
  execFileSync(BIN, ['run', '--link', link, '--predictions', file], { encoding: 'utf8', timeout: 60_000 });
  const bytes = fs.readFileSync(file);
  fs.rmSync(dir, { recursive: true, force: true });
  return bytes;
}

// Same text apart from the last bits of floating-point numbers: wasm and native builds
// sum in different orders (SIMD lanes), so a PCA's coordinates or a classifier's
// probabilities may differ in the 16th digit. Everything else (header, rows, order,
// splits, labels, clusters) must match exactly.
function expectSameUpToRounding(cli, page) {
  const a = cli.split('\n');
  const b = page.split('\n');
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i].split(',');
    const y = b[i].split(',');
    expect(x.length, `line ${i + 1}`).toBe(y.length);
    for (let j = 0; j < x.length; j++) {
      if (x[j] === y[j]) continue;
      const [u, v] = [Number(x[j]), Number(y[j])];
      expect(Number.isFinite(u) && Number.isFinite(v), `line ${i + 1}: '${x[j]}' vs '${y[j]}'`).toBe(true);
      expect(Math.abs(u - v), `line ${i + 1} field ${j + 1}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(u)));
    }
  }
}

const cases = [
  { name: 'k-means on iris', state: { dataset: { id: 'iris' }, model: { kind: 'kmeans', n_clusters: 3, n_init: 4 } },
    head: 'row,species,cluster', exact: true },
  { name: 'DBSCAN on blobs (noise rows)', state: { dataset: { id: 'blobs' }, model: { kind: 'dbscan', eps: 0.3, min_samples: 5 } },
    head: 'row,', noise: true, exact: true },
  { name: 'PCA on wine', state: { dataset: { id: 'wine' }, model: { kind: 'pca', n_components: 2 } },
    head: 'row,cultivar,x,y\n' },
];

for (const c of cases) {
  test(`${c.name}: the page's fitted-rows CSV and mlplay run --predictions ${c.exact ? 'are identical' : 'agree'}`, async ({ page }) => {
    await open(page, `#${encodeState(c.state)}`);
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 }); // a link fits on opening
    await expect(page.locator('#export-csv')).toBeEnabled();
    const mine = await download(page, '#export-csv');
    const text = mine.toString('utf8');
    expect(text.startsWith(c.head), text.slice(0, 80)).toBe(true);
    if (c.noise) expect(text).toContain(',noise');
    const cli = cliCsv(await hashOf(page));
    if (c.exact) {
      expect(cli.toString('utf8')).toBe(text);
      expect(Buffer.compare(cli, mine)).toBe(0);
    } else {
      expectSameUpToRounding(cli.toString('utf8'), text);
    }
  });
}

test('logistic regression on iris after a final evaluation: the predictions CSV of the page and the CLI agree', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'iris' }, model: { kind: 'logistic_regression', C: 0.05 } })}`);
  await waitForDone(page); // a link trains on opening
  // The CLI always writes the test rows; the page does once the state records a final evaluation.
  await page.locator('#final-eval').click();
  await expect(page.locator('#metrics td[data-split=test]').first()).toBeVisible();
  const mine = await download(page, '#download-predictions');
  const text = mine.toString('utf8');
  expect(text.split('\n')[0]).toBe('row,split,true_species,predicted,proba_setosa,proba_versicolor,proba_virginica');
  expect(text).toContain(',test,');
  expectSameUpToRounding(cliCsv(await hashOf(page)).toString('utf8'), text);
});
