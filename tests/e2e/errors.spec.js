// Open the errors (issue #23, item 3): a confusion-matrix count opens exactly the rows it
// counts (digits as images with true and predicted labels and the model's probability),
// ringed on the scatter plot; the link keeps the opened cell; two classes follow the
// threshold; regression picks its largest errors.
const { test, expect, cpuOnly, open, waitForDone, screenshot, encodeState, decodeHash, hashOf } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

// The matrix as shown: numbers per [true][predicted].
const matrix = (page) => page.locator('#evaluation [data-view=confusion] tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));

// The off-diagonal cell with the largest count.
function worst(m) {
  let best = [0, 1];
  m.forEach((row, t) => row.forEach((v, p) => { if (t !== p && v > m[best[0]][best[1]]) best = [t, p]; }));
  return best;
}

const listedCount = (page) => page.locator('#errors [data-count]').getAttribute('data-count').then(Number);

test('a digits cell lists exactly its rows as images, ringed, and the link keeps it', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'digits' }, model: { kind: 'logistic_regression' } })}`);
  await waitForDone(page, 60_000);
  const m = await matrix(page);
  const [t, p] = worst(m);
  const count = m[t][p];
  expect(count).toBeGreaterThan(0);
  await page.locator(`#evaluation [data-cell="${t},${p}"] button`).click();
  await expect(page.locator('#errors')).toBeVisible();
  expect(await listedCount(page)).toBe(count);
  const figures = page.locator('#errors [data-view=error-images] figure');
  await expect(figures).toHaveCount(count);
  // Each image is drawn (8x8 pixels, some dark) and captioned true → predicted with a probability.
  for (const cap of await figures.locator('figcaption').allTextContents()) expect(cap).toMatch(new RegExp(`^${t} → ${p}p\\(${p}\\) 0\\.\\d{3}row \\d+$`));
  const ink = await figures.first().locator('canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++;
    return { w: c.width, h: c.height, dark };
  });
  expect(ink.w * ink.h).toBe(64);
  expect(ink.dark).toBeGreaterThan(5);
  await expect(page.locator('#scatter')).toHaveAttribute('data-ringed', String(count));
  await expect(page.locator(`#evaluation [data-cell="${t},${p}"]`)).toHaveClass(/open/);
  expect(decodeHash(await hashOf(page)).view.errors).toEqual({ cell: [t, p] });
  for (const scheme of ['light', 'dark']) {
    for (const [w, h] of [[1280, 800], [390, 844]]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: w, height: h });
      await page.locator('#errors').scrollIntoViewIfNeeded();
      await screenshot(page, `errors-digits-${scheme}-${w}.png`);
    }
  }

  // The link opens with the same cell and rows.
  await page.reload();
  await waitForDone(page, 60_000);
  await expect(page.locator('#errors')).toBeVisible();
  expect(await listedCount(page)).toBe(count);
  await expect(page.locator('#errors [data-view=error-images] figure')).toHaveCount(count);
  await expect(page.locator('#scatter')).toHaveAttribute('data-ringed', String(count));

  // A click on the open cell closes it, and the link forgets it.
  await page.locator(`#evaluation [data-cell="${t},${p}"] button`).click();
  await expect(page.locator('#errors')).toBeHidden();
  await expect(page.locator('#scatter')).toHaveAttribute('data-ringed', '0');
  expect(decodeHash(await hashOf(page)).view.errors).toBeUndefined();
});

test('with two classes a cell lists the rows at the chosen threshold', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'breast_cancer' }, model: { kind: 'logistic_regression' } })}`);
  await waitForDone(page);
  const m = await matrix(page);
  await page.locator('#evaluation [data-cell="1,1"] button').click();
  expect(await listedCount(page)).toBe(m[1][1]);
  await expect(page.locator('#errors table.error-rows tbody tr')).toHaveCount(m[1][1]);
  // Every row called positive at the lowest threshold: the positives all move into the cell.
  await page.locator('#threshold').fill('0');
  const low = await matrix(page);
  await expect(page.locator('#errors [data-count]')).toHaveAttribute('data-count', String(low[1][1]));
  expect(low[1][1]).toBe(m[1][0] + m[1][1]);
});

test('regression: picking a largest error rings it and the link keeps it', async ({ page }) => {
  await open(page, `#${encodeState({ dataset: { id: 'diabetes' }, model: { kind: 'linear_regression' } })}`);
  await waitForDone(page);
  const rows = page.locator('#errors table.error-rows tbody tr');
  await expect(rows).toHaveCount(10);
  const errs = (await rows.locator('td:nth-child(4)').allTextContents()).map((v) => Math.abs(Number(v)));
  expect(errs.every((e, k) => k === 0 || errs[k - 1] >= e)).toBe(true);
  const row = Number(await rows.first().getAttribute('data-row'));
  await rows.first().click();
  await expect(page.locator('#scatter')).toHaveAttribute('data-ringed', '1');
  expect(decodeHash(await hashOf(page)).view.errors).toEqual({ rows: [row] });
  await page.reload();
  await waitForDone(page);
  await expect(page.locator('#errors tr.picked')).toHaveCount(1);
  await expect(page.locator('#errors tr.picked')).toHaveAttribute('data-row', String(row));
});

test('exercise 19: opening the most confused cell meets the goals', async ({ page }) => {
  await open(page, '?exercise=19-digit-confusion');
  await page.locator('#play').click();
  await waitForDone(page, 60_000);
  await expect(page.locator('#goal-count')).toHaveText('0 of 2 goals met');
  const [t, p] = worst(await matrix(page));
  await page.locator(`#evaluation [data-cell="${t},${p}"] button`).click();
  await expect(page.locator('#goal-count')).toHaveText('2 of 2 goals met');
});
