// Broken and hostile links: the page explains the problem in its message banner, falls
// back to the defaults, stays usable, and never throws or opens a dialog.
const crypto = require('node:crypto');
const {
  test, expect, cpuOnly, open, waitForLoaded, waitForDone, train, dataRows, hashOf, decodeHash, encodeState,
} = require('./helpers');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

// Random-looking but the same every run (a failure must be reproducible).
function noiseBase64url(n) {
  let out = '';
  for (let i = 0; out.length < n; i++) out += crypto.createHash('sha256').update(`mlplay-${i}`).digest('base64url');
  return out.slice(0, n);
}

// name: [hash, what the message must mention]
const HOSTILE = {
  'no version': ['#garbage', /version/i],
  'unknown version': ['#v9.abc', /v9/],
  'not base64': ['#v1.%%%%', /base64/i],
  'random payload': [`#v1.${noiseBase64url(4000)}`, /damaged|base64|malformed/i],
  'far too long': [`#${'A'.repeat(300_000)}`, /limit|long/i],
};

async function expectDefaultsWithMessage(page, mentions) {
  await waitForLoaded(page);
  await expect(page.locator('#message')).toBeVisible();
  await expect(page.locator('#message-text')).toHaveText(/\S{3,}/);
  if (mentions) await expect(page.locator('#message-text')).toContainText(mentions);
  await expect(page.locator('#dataset')).toHaveValue('iris');
  await expect(dataRows(page)).toHaveText('150');
  // The address bar now holds the state on screen, not the broken link.
  expect(decodeHash(await hashOf(page)).dataset.id).toBe('iris');
}

// A broken link may still start the default training; let it finish before acting.
async function settle(page) {
  await expect(page.locator('#play')).not.toHaveAttribute('data-phase', 'running', { timeout: 30_000 });
}

for (const [name, [hash, mentions]] of Object.entries(HOSTILE)) {
  test(`hostile link (${name}) falls back to the defaults`, async ({ page }) => {
    await page.goto(hash);
    await expectDefaultsWithMessage(page, mentions);
    await settle(page);
  });
}

test('a well-formed link naming an unknown model is refused, and the page still trains', async ({ page }) => {
  // Build the link the way the page does: check the codec on a real link first.
  await open(page);
  const real = decodeHash(await hashOf(page));
  expect(real.model.kind).toBe('logistic_regression');
  const hostile = { ...real, model: { ...real.model, kind: 'quantum_forest' } };
  const hash = `#${encodeState(hostile)}`;

  const tab = await page.context().newPage();
  await tab.goto(hash);
  await expectDefaultsWithMessage(tab, 'quantum_forest');
  await settle(tab);
  const metrics = await train(tab);
  expect(Number(metrics.accuracy.validation)).toBeGreaterThanOrEqual(0.9);

  // The same codec produces links the page accepts: a link built in Node loads silently.
  const good = await page.context().newPage();
  await good.goto(`#${encodeState({ ...real, seed: 7 })}`);
  await waitForLoaded(good);
  await waitForDone(good);
  await expect(good.locator('#seed')).toHaveValue('7');
  await expect(good.locator('#message')).toBeHidden();
});

test('a broken link typed into the address bar of an open page', async ({ page }) => {
  await open(page);
  await page.locator('#dataset').selectOption('moons');
  await expect(dataRows(page)).toHaveText('300');
  await page.evaluate(() => { location.hash = '#v1.%%%%'; });
  await expectDefaultsWithMessage(page, /base64/i);
  await settle(page);

  // Again, now that the page already shows the defaults.
  await page.locator('#message-close').click();
  await page.evaluate(() => { location.hash = '#garbage'; });
  await expectDefaultsWithMessage(page, /version/i);
});
