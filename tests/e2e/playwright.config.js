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
  // One retry, for a rare crash not yet understood (2026-12-06: "a compute thread stopped:
  // memory access out of bounds" once in about 230 page loads of the threaded build, on an
  // idle page). The list reporter marks a test that passed on retry as flaky; set
  // MLPLAY_E2E_RETRIES=0 to see every failure.
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
