// Automated accessibility checks (axe-core) on the main views, and the live region that
// tells screen-reader users what happened.
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect, cpuOnly, open, train } = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

async function expectNoSeriousViolations(page, testInfo, name) {
  const result = await new AxeBuilder({ page }).analyze();
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(result.violations, null, 2), contentType: 'application/json' });
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const describe = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5)
    .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')}`).join('\n');
  expect(serious, `axe (${name}):\n${describe}`).toEqual([]);
}

for (const scheme of ['light', 'dark']) {
  test(`no serious axe violations (${scheme}): loaded, trained, glossary open`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page);
    await expectNoSeriousViolations(page, testInfo, `${scheme}-loaded`);

    await train(page);
    await expectNoSeriousViolations(page, testInfo, `${scheme}-trained`);

    await page.locator('#open-glossary').click();
    await expect(page.locator('#glossary')).toBeVisible();
    await expectNoSeriousViolations(page, testInfo, `${scheme}-glossary`);
  });
}

test('the live region announces the start and the end of training', async ({ page }) => {
  await open(page);
  const announcer = page.locator('#announcer');
  await expect(announcer).toHaveAttribute('role', 'status');
  await page.locator('#play').click();
  await expect(announcer).toHaveText(/Training (started|finished)/);
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done');
  await expect(announcer).toHaveText(/^Training finished\. Validation accuracy \d\.\d{3}\.$/);
  // The number read out is the one in the table.
  const table = await page.locator('#metrics tr[data-metric=accuracy] td[data-split=validation]').textContent();
  expect(await announcer.textContent()).toContain(Number(table).toFixed(3));
  // Controls are labelled by what they do, and the play button names its next action.
  await expect(page.locator('#play')).toHaveAccessibleName('Train');
  await expect(page.locator('#dataset')).toHaveAccessibleName('Dataset');
  await expect(page.locator('#param-C')).toHaveAccessibleName('C');
});
