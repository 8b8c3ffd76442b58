// Shared steps for the mlplay end-to-end specs.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const base = require('@playwright/test');

const { expect } = base;

const BIN = process.env.MLPLAY_BIN || path.resolve(__dirname, '..', '..', 'target', 'release', 'mlplay');
const SCREENSHOTS = path.resolve(__dirname, '..', 'artifacts', 'screenshots');
const VALIDATION_ACCURACY = '#metrics tr[data-metric=accuracy] td[data-split=validation]';

// `test` fails any test in which a page throws an uncaught error or opens a dialog
// (alert/confirm/prompt), in the first tab or any tab opened later.
const test = base.test.extend({
  guard: [async ({ context }, use) => {
    const problems = [];
    const watch = (page) => {
      page.on('pageerror', (e) => problems.push(`uncaught error in ${page.url().slice(0, 120)}: ${e.message}`));
      page.on('dialog', (d) => { problems.push(`a ${d.type()} dialog opened: ${d.message()}`); d.dismiss().catch(() => {}); });
    };
    context.pages().forEach(watch);
    context.on('page', watch);
    await use(problems);
    expect(problems, 'no uncaught page errors and no dialogs').toEqual([]);
  }, { auto: true }],
});

// Only some tests need to run with WebGPU too; the rest run once, in the cpu project.
function cpuOnly(testInfo) {
  test.skip(testInfo.project.name !== 'cpu', 'backend-independent: runs in the cpu project only');
}

// Open the page (path/query/hash relative to MLPLAY_URL) and wait until data is loaded.
async function open(page, suffix = '') {
  await page.goto(suffix);
  await waitForLoaded(page);
}

async function waitForLoaded(page) {
  await expect(page.locator('#backend')).toHaveAttribute('data-backend', /^(cpu|webgpu)$/);
  await expect(page.locator('#data-info dl')).toBeVisible();
  await expect(page.locator('#play')).toBeEnabled();
}

// Click Train and wait for the run to finish; returns the metrics table.
async function train(page, { timeout = 30_000 } = {}) {
  await page.locator('#play').click();
  await waitForDone(page, timeout);
  return readMetrics(page);
}

async function waitForDone(page, timeout = 30_000) {
  await expect(page.locator('#play')).toHaveAttribute('data-phase', 'done', { timeout });
  // Accuracy for classifiers, R² for regressors.
  await expect(page.locator(`${VALIDATION_ACCURACY}, #metrics tr[data-metric=r2] td[data-split=validation]`)).toHaveText(/^-?\d\.\d{4}$/);
}

// { accuracy: { train: '0.9714', validation: '1.0000' }, ... } as shown on the page.
async function readMetrics(page) {
  return page.locator('#metrics tr[data-metric]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [
    r.dataset.metric,
    Object.fromEntries([...r.querySelectorAll('td[data-split]')].map((td) => [td.dataset.split, td.textContent.trim()])),
  ])));
}

// The "Rows" value in the data summary, e.g. "150".
const dataRows = (page) => page.locator('#data-info dt', { hasText: /^Rows$/ }).locator('xpath=following-sibling::dd[1]');

const hashOf = (page) => page.evaluate(() => location.hash);

// How much a canvas has been drawn on: pixels that differ from its most common colour
// (the background), and the number of distinct colours.
async function canvasInk(page, selector) {
  return page.locator(selector).evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const k = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    let top = 0; let bg = 0;
    for (const [k, n] of counts) if (n > top) { top = n; bg = k; }
    const background = [(bg >>> 24) & 255, (bg >>> 16) & 255, (bg >>> 8) & 255, bg & 255];
    return { width: c.width, height: c.height, pixels: c.width * c.height, ink: c.width * c.height - top, colours: counts.size, background };
  });
}

// The share-link format: `v1.` + base64url (no padding) of the RAW deflate of the state JSON.
function encodeState(state) {
  const packed = zlib.deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 9 });
  return `v1.${packed.toString('base64url')}`;
}

function decodeHash(hash) {
  const m = /^#?v1\.([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) throw new Error(`not a v1 link: ${hash.slice(0, 80)}`);
  return JSON.parse(zlib.inflateRawSync(Buffer.from(m[1], 'base64url')).toString('utf8'));
}

// The native CLI's answer for a share link.
function cliRun(link) {
  const out = execFileSync(BIN, ['run', '--link', link, '--json'], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out);
}

// Relative luminance (0 black .. 1 white) of a CSS colour like "rgb(17, 20, 24)" or [r, g, b].
function luminance(colour) {
  const [r, g, b] = (Array.isArray(colour) ? colour : colour.match(/[\d.]+/g).map(Number)).slice(0, 3)
    .map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

module.exports = {
  test, expect, BIN, VALIDATION_ACCURACY, cpuOnly, open, waitForLoaded, train, waitForDone,
  readMetrics, dataRows, hashOf, canvasInk, encodeState, decodeHash, cliRun, screenshot, luminance,
};
