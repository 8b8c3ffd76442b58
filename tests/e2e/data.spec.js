// The Data step: uploading (picker, drag and drop, cancel), bad files, hostile column
// names, choosing the target and task, and the table view.
const { test, expect, cpuOnly, open, train, dataRows, hashOf, decodeHash } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

const XSS = '<img src=x onerror=alert(1)>';

function csv(rows) {
  const lines = [`size;${XSS};label`];
  for (let i = 0; i < rows; i++) lines.push(`${(i % 5) + (i % 2) * 10};${['red', 'blue', 'green'][i % 3]};${i % 2 ? 'yes' : 'no'}`);
  return Buffer.from(lines.join('\n') + '\n');
}

test('a CSV from the file picker loads, shows hostile names as text, and trains', async ({ page }) => {
  await open(page);
  await page.setInputFiles('#upload', { name: 'mine.csv', mimeType: 'text/csv', buffer: csv(120) });
  await expect(page.locator('#dataset')).toHaveValue('file:mine.csv');
  await expect(dataRows(page)).toHaveText('120');
  expect(decodeHash(await hashOf(page)).dataset.id).toBe('file:mine.csv');
  // The column name is text in the table view and the data panel, never markup.
  await page.locator('#table-view summary').click();
  await expect(page.locator('#table-body')).toContainText(XSS);
  await expect(page.locator('#data-info')).toContainText(XSS);
  expect(await page.locator('#table-body img, #data-info img, #data-controls img').count()).toBe(0);
  const metrics = await train(page);
  expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.9);
});

test('a dropped file loads too', async ({ page }) => {
  await open(page);
  const data = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  }, csv(60).toString());
  await page.dispatchEvent('#data-panel', 'drop', { dataTransfer: data });
  await expect(page.locator('#dataset')).toHaveValue('file:dropped.csv');
  await expect(dataRows(page)).toHaveText('60');
});

test('a broken file is refused with its row, and the previous data stays', async ({ page }) => {
  await open(page);
  const before = await hashOf(page);
  await page.setInputFiles('#upload', { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n') });
  await expect(page.locator('#message-text')).toContainText('row 3');
  await expect(page.locator('#dataset')).toHaveValue('iris');
  await expect(dataRows(page)).toHaveText('150');
  expect(await hashOf(page)).toBe(before);
  await train(page);
});

// Build a CSV of `rows` rows inside the page (no transfer from the test) and choose it
// with the file input; with `cancel`, press Cancel in the same task, while the worker reads.
function chooseGeneratedFile(page, name, rows, cancel = false) {
  return page.evaluate(({ name, rows, cancel }) => {
    const lines = [];
    for (let i = 0; i < rows; i++) lines.push(`${i % 97},${(i * 7) % 13},${i % 2}`);
    const dt = new DataTransfer();
    dt.items.add(new File(['a,b,y\n' + lines.join('\n')], name, { type: 'text/csv' }));
    const input = document.querySelector('#upload');
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    if (document.querySelector('#upload-status').hidden) throw new Error('no progress shown');
    if (cancel) document.querySelector('#upload-cancel').click();
  }, { name, rows, cancel });
}

test('a large upload shows progress and can be cancelled', async ({ page }) => {
  await open(page);
  await chooseGeneratedFile(page, 'big.csv', 2_000_000, true);
  await expect(page.locator('#announcer')).toContainText('Upload cancelled');
  await expect(page.locator('#upload-status')).toBeHidden();
  await expect(page.locator('#dataset')).toHaveValue('iris');
  await expect(page.locator('#play')).toBeEnabled();
});

test('upload progress is reported while a file is read', async ({ page }) => {
  await open(page);
  const seen = page.waitForFunction(() => /of \d+\.\d MB/.test(document.querySelector('#upload-text')?.textContent ?? ''));
  await chooseGeneratedFile(page, 'progress.csv', 1_000_000);
  await seen;
  await expect(page.locator('#dataset')).toHaveValue('file:progress.csv', { timeout: 30_000 });
  await expect(page.locator('#data-info')).toContainText('1,000,000');
});

test('the target and task can be chosen; an impossible task is explained', async ({ page }) => {
  await open(page);
  await page.selectOption('#task', 'regression');
  await expect(page.locator('#message-text')).toContainText('holds text');
  await expect(page.locator('#play')).toBeDisabled();
  await page.selectOption('#task', 'auto');
  await expect(page.locator('#play')).toBeEnabled();
  // Predicting petal width from the other columns is a regression target: logistic
  // regression is not offered for it, and the page says why training cannot start.
  await page.selectOption('#target', 'petal_width');
  await expect(page.locator('#data-info')).toContainText('regression');
  expect(decodeHash(await hashOf(page)).dataset.target).toBe('petal_width');
});

test('digits preview as small images; penguins show missing values and text columns', async ({ page }) => {
  await open(page);
  await page.selectOption('#dataset', 'digits');
  await expect(dataRows(page)).toHaveText('1,797');
  await page.locator('#table-view summary').click();
  await expect(page.locator('#table-body canvas.pixel-image')).toHaveCount(8);
  await page.selectOption('#dataset', 'penguins');
  await expect(dataRows(page)).toHaveText('344');
  await expect(page.locator('#table-body tr[data-column=sex] td').nth(2)).toHaveText('11');
  await expect(page.locator('#data-info')).toContainText('island, sex (one-hot encoded)');
  const metrics = await train(page);
  expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.9);
});

test('columns can be left out, identifiers brought back and codes read as categories', async ({ page }) => {
  await open(page);
  await page.locator('#table-view summary').click();
  await page.getByLabel('Role of column petal_length').selectOption('out');
  await expect(page.locator('#data-info')).toContainText("'petal_length' is left out, as you chose");
  expect(decodeHash(await hashOf(page)).columns.exclude).toEqual(['petal_length']);
  // An id column is left out by default; ticking it brings it in.
  const lines = ['row_id,x,label'];
  for (let i = 0; i < 40; i++) lines.push(`${i + 1},${i % 5},${i % 2}`);
  await page.setInputFiles('#upload', { name: 'ids.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.locator('#dataset')).toHaveValue('file:ids.csv');
  await expect(page.locator('#data-info')).toContainText('identifier');
  await page.getByLabel('Role of column row_id').selectOption('number');
  await expect(page.locator('#data-info')).toContainText('row_id, x');
  expect(decodeHash(await hashOf(page)).columns.include).toEqual(['row_id']);
  // A numeric code can be read as categories instead: it is one-hot encoded.
  await page.getByLabel('Role of column x').selectOption('categories');
  await expect(page.locator('#data-info')).toContainText('x (one-hot encoded)');
  expect(decodeHash(await hashOf(page)).columns.categorical).toEqual(['x']);
});
