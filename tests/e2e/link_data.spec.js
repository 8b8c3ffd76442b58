// Links made with an uploaded file: a small file travels in the link (a new tab reproduces
// the run with no upload); a large one is named by its SHA-256, and the page accepts only
// that very file to reproduce it, keeping the link's settings.
const { test, expect, cpuOnly, open, waitForDone, readMetrics, decodeHash, hashOf } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

function csv(rows, shift = 0) {
  let text = 'x1,x2,label\n';
  for (let i = 0; i < rows; i++) {
    const a = ((i * 37) % 101) / 10; const b = ((i * 53) % 97) / 10 + shift;
    text += `${a},${b},${a + b > 10 ? 'yes' : 'no'}\n`;
  }
  return Buffer.from(text);
}

async function uploadAndTrain(page, name, buffer) {
  await page.locator('#upload').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await expect(page.locator('#data-info dl')).toContainText(name === 'x' ? '' : 'label');
  await page.selectOption('#model-kind', 'decision_tree');
  await page.locator('#param-max_depth').fill('3');
  await page.locator('#param-max_depth').press('Tab');
  await page.locator('#play').click();
  await waitForDone(page);
  return readMetrics(page);
}

test('a small uploaded file travels in the link', async ({ page, context }) => {
  await open(page);
  const first = await uploadAndTrain(page, 'small.csv', csv(300));
  const state = decodeHash(await hashOf(page));
  expect(state.dataset.csv).toContain('x1,x2,label');
  expect(state.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
  const other = await context.newPage();
  await other.goto(`/${await hashOf(page)}`);
  await waitForDone(other);
  expect(await readMetrics(other)).toEqual(first);
});

test('a large file is asked for, checked against its checksum, and then reproduces the run', async ({ page, context }) => {
  await open(page);
  const big = csv(8000);
  const first = await uploadAndTrain(page, 'large.csv', big);
  const hash = await hashOf(page);
  const state = decodeHash(hash);
  expect(state.dataset.csv).toBeUndefined();
  const other = await context.newPage();
  await other.goto(`/${hash}`);
  await expect(other.locator('#message-text')).toContainText("made with the file 'large.csv'");
  await other.locator('#upload').setInputFiles({ name: 'large.csv', mimeType: 'text/csv', buffer: csv(8000, 0.1) });
  await expect(other.locator('#message-text')).toContainText('not the file this link was made with');
  await other.locator('#upload').setInputFiles({ name: 'large.csv', mimeType: 'text/csv', buffer: big });
  await waitForDone(other);
  expect(decodeHash(await hashOf(other)).model).toEqual(state.model);
  expect(await readMetrics(other)).toEqual(first);
});
