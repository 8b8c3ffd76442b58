// The whole flow with the keyboard only, with a visible focus ring at every stop.
const { test, expect, cpuOnly, open, waitForDone, readMetrics, dataRows } = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { id: a.id, tag: a.tagName, outline: getComputedStyle(a).outlineStyle, width: getComputedStyle(a).outlineWidth };
});

// Press Tab until the element with `id` has focus, checking the focus ring at every stop.
async function tabTo(page, id, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    expect(f.tag, 'Tab never leaves the page content').not.toBe('BODY');
    expect(f.outline, `focus ring on ${f.tag}#${f.id}`).not.toBe('none');
    expect(parseFloat(f.width), `focus ring width on ${f.tag}#${f.id}`).toBeGreaterThan(0);
    if (f.id === id) return i + 1;
  }
  throw new Error(`#${id} not reached with ${max} presses of Tab`);
}

test('keyboard only: pick moons, train, read the result', async ({ page }) => {
  await open(page);
  // Nothing is focused yet, so Tab starts from the top of the page.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement.className)).toBe('skip');
  await expect(page.locator('.skip')).toBeInViewport();

  await tabTo(page, 'dataset', 10);
  const dataset = page.locator('#dataset');
  // The arrow keys step through the list; the panel is rebuilt for each dataset, and the
  // keyboard user must not lose their place (else the second arrow press goes nowhere).
  const [firstId, secondId] = await dataset.locator('option').evaluateAll((os) => os.slice(0, 2).map((o) => o.value));
  expect(await dataset.inputValue()).toBe(firstId);
  await page.keyboard.press('ArrowDown');
  await expect(dataset).toHaveValue(secondId);
  expect((await focused(page)).id, 'focus stays on the dataset select after changing it').toBe('dataset');
  await page.keyboard.press('ArrowUp');
  await expect(dataset).toHaveValue(firstId);
  await expect(dataRows(page)).toHaveText('150');

  // Type-ahead: the first letter of "Two moons" (pressed again while another dataset
  // starting with that letter comes first).
  const letter = (await dataset.locator('option[value=moons]').textContent()).trim()[0].toLowerCase();
  for (let i = 0; i < 20 && (await dataset.inputValue()) !== 'moons'; i++) {
    await expect(dataset).toBeFocused();
    await page.keyboard.press(letter);
  }
  await expect(dataset).toHaveValue('moons');
  await expect(dataRows(page)).toHaveText('300');
  await expect(dataset).toBeFocused();

  await tabTo(page, 'play');
  await expect(page.locator('#play')).toBeEnabled();
  await page.keyboard.press('Enter');
  await waitForDone(page);
  const first = await readMetrics(page);
  expect(Number(first.accuracy.validation)).toBeGreaterThanOrEqual(0.8);
  expect((await focused(page)).id, 'focus stays on Train during the run').toBe('play');

  // Space trains again (a new table replaces this one) with the same result: the seed is
  // part of the state.
  await page.locator('#metrics table').evaluate((t) => { t.dataset.previous = 'yes'; });
  await page.keyboard.press('Space');
  await expect(page.locator('#metrics table[data-previous]')).toHaveCount(0);
  await waitForDone(page);
  expect(await readMetrics(page)).toEqual(first);
});

test('keyboard only: the glossary opens with focus inside and closes with Escape', async ({ page }) => {
  await open(page);
  await tabTo(page, 'open-glossary', 5);
  await page.keyboard.press('Enter');
  await expect(page.locator('#glossary')).toBeVisible();
  expect(await page.evaluate(() => document.getElementById('glossary').contains(document.activeElement))).toBe(true);
  await expect(page.locator('#glossary-list dt')).toHaveCount(await page.locator('#glossary-list dd').count());
  await expect(page.locator('#glossary-list')).toContainText('Overfitting');
  await page.keyboard.press('Escape');
  await expect(page.locator('#glossary')).toBeHidden();
  expect((await focused(page)).id, 'focus returns to the Glossary button').toBe('open-glossary');
});
