// One workspace for the page and the CLI: the CSV the page downloads for a run and the file
// `mlplay run --link ... --predictions FILE` writes for the same link are the same bytes,
// for clusterings (k-means, DBSCAN with its noise), a projection (PCA) and a classifier:
// their products sum in one order on every target (the packed kernel, fixed loops), never
// through a kernel picked at run time (FMA natively), so wasm and native give the same bits.
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

const cases = [
  { name: 'k-means on iris', state: { dataset: { id: 'iris' }, model: { kind: 'kmeans', n_clusters: 3, n_init: 4 } },
    head: 'row,species,cluster' },
  { name: 'DBSCAN on blobs (noise rows)', state: { dataset: { id: 'blobs' }, model: { kind: 'dbscan', eps: 0.3, min_samples: 5 } },
    head: 'row,', noise: true },
  { name: 'PCA on wine', state: { dataset: { id: 'wine' }, model: { kind: 'pca', n_components: 2 } },
    head: 'row,cultivar,x,y\n' },
];

for (const c of cases) {
  test(`${c.name}: the page's fitted-rows CSV and mlplay run --predictions are identical`, async ({ page }) => {
    await open(page, `#${encodeState(c.state)}`);
    await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 }); // a link fits on opening
    await expect(page.locator('#export-csv')).toBeEnabled();
    const mine = await download(page, '#export-csv');
    const text = mine.toString('utf8');
    expect(text.startsWith(c.head), text.slice(0, 80)).toBe(true);
    if (c.noise) expect(text).toContain(',noise');
    const cli = cliCsv(await hashOf(page));
    expect(cli.toString('utf8')).toBe(text);
    expect(Buffer.compare(cli, mine)).toBe(0);
  });
}

test('logistic regression on iris after a final evaluation: the predictions CSV of the page and the CLI are identical', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'iris' }, model: { kind: 'logistic_regression', C: 0.05 } })}`);
  await waitForDone(page); // a link trains on opening
  // The CLI always writes the test rows; the page does once the state records a final evaluation.
  await page.locator('#final-eval').click();
  await expect(page.locator('#metrics td[data-split=test]').first()).toBeVisible();
  const mine = await download(page, '#download-predictions');
  const text = mine.toString('utf8');
  expect(text.split('\n')[0]).toBe('row,split,true_species,predicted,proba_setosa,proba_versicolor,proba_virginica');
  expect(text).toContain(',test,');
  const cli = cliCsv(await hashOf(page));
  expect(cli.toString('utf8')).toBe(text);
  expect(Buffer.compare(cli, mine)).toBe(0);
});
