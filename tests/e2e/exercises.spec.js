// Exercises in the page: the exercise opens with its own start and locks, goals tick as
// the student works (here: moving the threshold, with no retraining), Submit gives a link
// that `mlplay check` grades the same way; hostile exercise files are refused, inert.
const { execFileSync } = require('node:child_process');
const { test, expect, cpuOnly, open, BIN, decodeHash, hashOf } = require('./helpers');

test.beforeEach(async ({}, testInfo) => cpuOnly(testInfo));

test('the accuracy trap: goals tick while the threshold moves, and the result link passes mlplay check', async ({ page }) => {
  await open(page, '?exercise=09-accuracy-trap');
  await expect(page.locator('#exercise h2')).toContainText('The accuracy trap');
  await expect(page.locator('#exercise .instructions li')).toHaveCount(3);
  await expect(page.locator('#dataset')).toBeDisabled();
  await expect(page.locator('#dataset')).toHaveValue('transactions');
  await expect(page.locator('#model-kind')).toBeEnabled();
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(page.locator('#goal-count')).toHaveText(/^[01] of 2 goals met$/);
  await expect(page.locator('[data-goal="0"]')).toHaveAttribute('data-passed', 'false');
  // An unmet goal says what it read in the page's words, never the grader's path.
  // The detail follows the count once the threshold's numbers are in.
  await expect(page.locator('[data-goal="0"] .goal-detail')).toHaveText(/\(.+ is [-\d.]+\)/);
  const detail = await page.locator('[data-goal="0"] .goal-detail').textContent();
  expect(detail).not.toMatch(/\b[a-z]+\.[a-z_]/);
  expect(detail).toContain('Recall at the chosen threshold is');
  // Ask the evaluation view for the best recall with precision of at least 0.3.
  await page.locator('#min-precision').fill('0.3');
  await page.locator('#min-precision').press('Tab');
  await page.locator('#use-precision-floor').click();
  await expect(page.locator('#goal-count')).toHaveText('2 of 2 goals met');
  await expect(page.locator('[data-goal="0"] .goal-mark')).toHaveText('✓');
  await page.locator('#submit-exercise').click();
  const link = await page.locator('#result-link').inputValue();
  expect(link).toContain('?exercise=09-accuracy-trap#v1.');
  expect(decodeHash(await hashOf(page)).view.threshold).toBeLessThan(0.5);
  const out = execFileSync(BIN, ['check', '--exercise', '../../www/exercises/09-accuracy-trap.json', '--link', link], { encoding: 'utf8' });
  expect(out).toContain('2 of 2 goals met');
});

test('the exercise list opens exercises; an unknown one is refused with its name', async ({ page }) => {
  await open(page);
  await page.locator('#open-exercises').click();
  await expect(page.locator('#exercise-list li')).toHaveCount(20);
  await page.locator('#exercise-list a', { hasText: 'Round groups or dense regions?' }).click();
  await expect(page.locator('#exercise h2')).toContainText('Round groups');
  await expect(page.locator('#model-kind')).toHaveValue('kmeans');
  await page.goto('?exercise=../../etc/passwd');
  await expect(page.locator('#message-text')).toContainText('is not an exercise name');
  await page.goto('?exercise=no-such-exercise');
  await expect(page.locator('#message-text')).toContainText("there is no exercise 'no-such-exercise'");
  await expect(page.locator('#exercise')).toBeHidden();
});

test.describe('hostile exercise files', () => {
  test.use({ serviceWorkers: 'block' });
  test('markup in instructions stays text; malformed files are refused', async ({ page }) => {
    const hostile = {
      id: 'hostile', title: '<img src=x onerror=alert(1)>',
      instructions: 'Hello <script>alert(2)</script> **bold** `<b>code</b>`\n\n- <iframe src=javascript:alert(3)>',
      goals: [{ text: '<svg onload=alert(4)>', check: 'validation.accuracy >= 0.5' }],
    };
    await page.route('**/exercises/hostile.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify(hostile) }));
    await page.route('**/exercises/huge.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...hostile, id: 'huge', instructions: 'x'.repeat(100_000) }) }));
    await page.route('**/exercises/broken.json', (r) => r.fulfill({ contentType: 'application/json', body: '{"id": "broken", "goals": [' }));
    await open(page, '?exercise=hostile');
    await expect(page.locator('#exercise h2')).toContainText('<img src=x onerror=alert(1)>');
    await expect(page.locator('#exercise .instructions')).toContainText('<script>alert(2)</script>');
    await expect(page.locator('#exercise .instructions strong')).toHaveText('bold');
    await expect(page.locator('#exercise .instructions code')).toHaveText('<b>code</b>');
    expect(await page.locator('#exercise img, #exercise script, #exercise iframe, #exercise svg, #exercise b').count()).toBe(0);
    await expect(page.locator('[data-goal="0"]')).toContainText('<svg onload=alert(4)>');
    await page.goto('?exercise=huge');
    await expect(page.locator('#message-text')).toContainText('at most 65536 are allowed');
    await page.goto('?exercise=broken');
    await expect(page.locator('#message-text')).toContainText('malformed');
    await expect(page.locator('#play')).toBeEnabled();
  });
});
