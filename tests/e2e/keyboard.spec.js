// The whole flow with the keyboard only, with a visible focus ring at every stop.
const { test, expect, cpuOnly, open, waitForDone, readMetrics, dataRows } = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { id: a.id, tag: a.tagName, outline: getComputedStyle(a).outlineStyle, width: getComputedStyle(a).outlineWidth };
});

// Press Tab (or Shift+Tab) until the element with `id` has focus, checking the focus ring
// at every stop.
async function tabTo(page, id, max = 40, key = 'Tab') {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
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

  // Train sits above the charts, right after the header: back up to it.
  await tabTo(page, 'play', 15, 'Shift+Tab');
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

// Issue 21: Train within 10 presses of Tab from the top at every width, a skip link that
// lands on it, and the (i) help not a Tab stop on every field unless asked for (the Help
// button). Below 900 px the page reads data, model, Train: its groups of settings fold
// behind a line that says their values, and the header's extra buttons behind "More".
for (const [width, height] of [[1280, 800], [1024, 768], [800, 600], [390, 844]]) {
  test(`keyboard ${width}x${height}: Train within 10 Tabs, the skip link focuses it`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await open(page);
    const presses = await tabTo(page, 'play', 10);
    expect(presses, 'Tab presses from the top to Train').toBeLessThanOrEqual(10);
    await open(page);
    // From the top: the skip link is the first stop and lands on Train itself.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement.className)).toBe('skip');
    await expect(page.locator('.skip')).toHaveText(/Train/);
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('play');
    await expect(page.locator('#play')).toBeInViewport();
    if (width >= 900) return;
    // The folded settings say their values, open with the keyboard, and Escape closes "More".
    await expect(page.locator('#fold-data > summary')).toContainText('Target species');
    await expect(page.locator('#fold-data > summary')).toContainText('split 70/15/15');
    await expect(page.locator('#fold-model > summary')).toContainText('C 1');
    await expect(page.locator('#param-C')).toBeHidden();
    await page.locator('#fold-model > summary').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#param-C')).toBeVisible();
    await expect(page.locator('#open-glossary')).toBeHidden();
    await page.locator('#more-actions > summary').click();
    await expect(page.locator('#open-glossary')).toBeVisible();
    await page.locator('#open-glossary').focus();
    await page.keyboard.press('Escape');
    await expect(page.locator('#open-glossary')).toBeHidden();
    expect(await page.evaluate(() => document.activeElement.parentElement.id)).toBe('more-actions');
  });
}

test('keyboard: the (i) buttons are Tab stops only with Help on; each field still describes itself', async ({ page }) => {
  await open(page);
  const tabbable = () => page.locator('button.info').evaluateAll((bs) => bs.filter((b) => b.tabIndex >= 0 && b.checkVisibility()).length);
  expect(await page.locator('button.info').count()).toBeGreaterThan(5);
  expect(await tabbable(), 'no (i) is a Tab stop by default').toBe(0);
  // The help is still there for screen readers: the field's own description.
  await expect(page.locator('#target')).toHaveAttribute('aria-description', /\w{10,}/);
  // Help on: Tab reaches the (i) next to Dataset, and its text shows.
  await tabTo(page, 'help-toggle', 8);
  await page.keyboard.press('Enter');
  await expect(page.locator('#help-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await tabbable()).toBeGreaterThan(5);
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.classList.contains('info'))) break;
  }
  const tipShown = await page.evaluate(() => {
    const b = document.activeElement;
    return b.classList.contains('info') && getComputedStyle(document.getElementById(b.getAttribute('aria-describedby'))).display !== 'none';
  });
  expect(tipShown, 'an (i) is reached with Tab and shows its explanation').toBe(true);
  // Rebuilt panels keep the choice (a new dataset rebuilds the data panel).
  await page.selectOption('#dataset', 'moons');
  await expect(page.locator('#data-info')).toContainText('300');
  expect(await tabbable()).toBeGreaterThan(3);
  await page.locator('#help-toggle').click();
  expect(await tabbable()).toBe(0);
});
