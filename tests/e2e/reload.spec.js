// Reliability in the page: an uploaded file survives a reload of its tab (IndexedDB) until
// it is forgotten; a file too large for memory is refused before it is read, and the run on
// screen stays; a network whose training diverges stops with a message and keeps its model.
const { test, expect, cpuOnly, open, train, waitForDone, waitForLoaded, readMetrics, dataRows, hashOf, decodeHash, encodeState } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

// Over 64 KB, so the link names the file by its checksum instead of carrying it.
function csv(rows) {
  let text = 'width,height,kind\n';
  for (let i = 0; i < rows; i++) {
    const a = ((i * 37) % 101) / 10; const b = ((i * 53) % 97) / 10;
    text += `${a},${b},${a + b > 10 ? 'big' : 'small'}\n`;
  }
  return Buffer.from(text);
}

test('an uploaded file is kept across a reload until it is forgotten', async ({ page }) => {
  await open(page);
  await page.locator('#upload').setInputFiles({ name: 'kept.csv', mimeType: 'text/csv', buffer: csv(6000) });
  await expect(dataRows(page)).toHaveText('6,000');
  await expect(page.locator('#upload-kept')).toContainText("'kept.csv'");
  const first = await train(page);
  const hash = await hashOf(page);
  expect(decodeHash(hash).dataset.csv, 'the file is too large to travel in the link').toBeUndefined();

  // Reload: the same link finds the kept file, reloads it with no upload and re-trains.
  await page.reload();
  await waitForDone(page);
  expect(await hashOf(page)).toBe(hash);
  await expect(dataRows(page)).toHaveText('6,000');
  expect(await readMetrics(page)).toEqual(first);
  await expect(page.locator('#message')).toBeHidden();

  // Forget it: the next reload says the file is needed and loads nothing in its place.
  await page.locator('#forget-upload').click();
  await expect(page.locator('#upload-kept')).toBeHidden();
  await page.reload();
  await expect(page.locator('#message-text')).toContainText("made with the file 'kept.csv', which this tab does not keep");
  await expect(page.locator('#data-info')).toContainText("No data is loaded: upload 'kept.csv' or choose a dataset");
  await expect(page.locator('#play')).toBeDisabled();
  // The page still works: another dataset loads and trains.
  await page.selectOption('#dataset', 'iris');
  await waitForLoaded(page);
  await train(page);
});

test('a file too large for memory is refused up front and the previous run stays', async ({ page }) => {
  await open(page);
  const before = await train(page);
  // 200 MB of one-digit cells: about 100 million numbers, three copies of which would not
  // fit. Only the first chunk is read before the refusal.
  const data = await page.evaluateHandle(() => {
    const part = '0,1,0,1,0,1,0,1,0,1\n'.repeat(1 << 16);
    const dt = new DataTransfer();
    dt.items.add(new File(Array(150).fill(part), 'huge.csv', { type: 'text/csv' }));
    return dt;
  });
  await page.dispatchEvent('#data-panel', 'drop', { dataTransfer: data });
  await expect(page.locator('#message-text')).toContainText(/this file \(about \d+ rows x 10 columns\) needs about \d+\.\d GB in memory; the limit is 2\.0 GB/);
  await expect(page.locator('#dataset')).toHaveValue('iris');
  expect(await readMetrics(page)).toEqual(before);
  await expect(page.locator('#upload-kept')).toHaveCount(0);
});

test('a diverging network stops with a message in words and keeps its last good model', async ({ page }) => {
  const state = { dataset: { id: 'diabetes' }, model: { kind: 'mlp', solver: 'sgd', learning_rate_init: 10, momentum: 0.99, activation: 'identity', max_iter: 200 } };
  await open(page, `#${encodeState(state)}`);
  await waitForDone(page);
  await expect(page.locator('#metrics .note', { hasText: 'training diverged' })).toContainText(/training diverged at epoch \d+ \(.*\): lower learning_rate_init; the (network of epoch \d+|untrained network) is kept/);
  await expect(page.locator('#metrics tr[data-metric=r2] td[data-split=validation]')).toHaveText(/^-?\d+\.\d{4}$/);
});

test('after an engine crash the uploaded file is reloaded from the browser, not lost', async ({ page }) => {
  await open(page, '?debug');
  await page.locator('#upload').setInputFiles({ name: 'kept.csv', mimeType: 'text/csv', buffer: csv(6000) });
  await expect(page.locator('#upload-kept')).toContainText("'kept.csv'");
  const first = await train(page);
  const hash = await hashOf(page);
  await page.evaluate(() => window.mlplayDebug.crash());
  await expect(page.locator('#message-text')).toContainText(/crash/i);
  // The restarted engine has no data; the page hands it the kept file and re-trains the link.
  await waitForDone(page);
  await expect(dataRows(page)).toHaveText('6,000');
  expect(await readMetrics(page)).toEqual(first);
  expect(await hashOf(page)).toBe(hash);
});

test('without IndexedDB an upload still works and the page says it will not survive a reload', async ({ page }) => {
  await page.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { value: undefined }); });
  await open(page);
  await page.locator('#upload').setInputFiles({ name: 'plain.csv', mimeType: 'text/csv', buffer: csv(6000) });
  await expect(page.locator('#message-text')).toContainText("'plain.csv' could not be kept for a reload: this browser offers no IndexedDB storage; after a reload the page will ask for the file again.");
  await expect(dataRows(page)).toHaveText('6,000');
  await train(page);
  await page.reload();
  await expect(page.locator('#message-text')).toContainText("made with the file 'plain.csv'");
});
