// Playwright configuration for mlplay's end-to-end tests (CommonJS).
//
// The site must already be served (./x test starts `mlplay serve site --port N` and sets
// MLPLAY_URL); the tests use Debian's Chromium, never a downloaded browser.
const path = require('node:path');
const { defineConfig } = require('@playwright/test');
const { CHROMIUM, BASE_ARGS, WEBGPU_ARGS, SITE_URL } = require('./environment');

const chromium = (args) => ({
  browserName: 'chromium',
  headless: true,
  launchOptions: { executablePath: CHROMIUM, args },
});

module.exports = defineConfig({
  testDir: '.',
  testMatch: '*.spec.js',
  globalSetup: require.resolve('./global-setup.js'),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  // One retry, reported as "flaky" when it is used. The rare "a compute thread stopped:
  // memory access out of bounds" came, we believe, from Chromium's late view of shared
  // memory another worker grew (crates/core/src/base/shared_memory.rs, tests/e2e/grow_race.js); the fix
  // is not yet confirmed on the page (the crash was never reproduced there), so the retry
  // stays until tests/e2e/stress_threads.js shows none over many loads. A compute thread's
  // trap now logs its stack to the console. MLPLAY_E2E_RETRIES=0 turns it off.
  retries: Number(process.env.MLPLAY_E2E_RETRIES ?? 1),
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'list',
  outputDir: path.join(__dirname, '..', 'artifacts', 'test-results'),
  use: {
    baseURL: SITE_URL,
    viewport: { width: 1280, height: 720 },
    colorScheme: 'light',
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Most specs run here only; train.spec.js (the core flow) runs in both.
    { name: 'cpu', use: chromium(BASE_ARGS) },
    { name: 'webgpu', use: chromium([...BASE_ARGS, ...WEBGPU_ARGS]) },
  ],
});
