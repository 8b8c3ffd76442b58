// Before any test: check that the site answers, and load the page once.
//
// The warm-up load is there because `mlplay serve` (tiny_http 0.12) can leave some of the
// first connections of a freshly started server unanswered, so the first page load may
// never finish. server.spec.js ("a burst of new connections ...") tests that bug on its
// own; this keeps it from also failing whichever test happens to run first. Once the
// server is fixed the first attempt simply succeeds.
const { chromium } = require('@playwright/test');
const { CHROMIUM, BASE_ARGS, SITE_URL } = require('./environment');

module.exports = async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS, headless: true });
  try {
    for (let attempt = 1; attempt <= 4; attempt++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(SITE_URL, { timeout: 10_000 });
        await page.locator('#backend[data-backend]').waitFor({ timeout: 10_000 });
        return;
      } catch (e) {
        console.warn(`global setup: loading ${SITE_URL} (attempt ${attempt}) did not finish: ${e.message.split('\n')[0]}`);
      } finally {
        await context.close();
      }
    }
    throw new Error(`the page at ${SITE_URL} never finished loading; is the site served there?`);
  } finally {
    await browser.close();
  }
};
