// The JavaScript check (`npm run lint` in tests/e2e): ESLint's recommended rules over the page
// (www/: ES modules in the browser, its workers and service worker) and these tests.
// Run from the repository root, as the `lint` script does, so both trees are in reach.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['tests/e2e/node_modules/**', 'tests/e2e/test-results/**', 'tests/e2e/playwright-report/**', 'www/pkg*/**'] },
  js.configs.recommended,
  {
    files: ['www/**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['www/worker.js', 'www/pool_worker.js'],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ['www/sw.js'],
    // The build writes the list of files to cache in place of this name.
    languageOptions: { globals: { ...globals.serviceworker, __ASSETS__: 'readonly' } },
  },
  {
    // The tests run in Node; the callbacks they hand to page.evaluate run in the page.
    files: ['tests/e2e/**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'commonjs', globals: { ...globals.node, ...globals.browser } },
    // Playwright reads a test's fixtures from its first parameter's pattern: `({}, testInfo)` asks for none.
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    rules: {
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
    },
  },
];
