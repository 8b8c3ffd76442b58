// Shrinks the site's JavaScript in place: terser renames local names and drops comments and
// whitespace (about an eighth less to download than stripping alone, gzip). Names that
// leave a file (exports, globals, properties) stay as they are, and the code is not
// rewritten (no `compress`), so what runs is the code as written. Without terser (not yet
// installed by ./x setup) it falls back to scripts/strip_js.mjs, which only strips.
// Usage: node scripts/minify_js.mjs DIR...   (x build runs it on site/)

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { files, stripDirs } from './strip_js.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, '../tests/e2e/package.json'));

let terser;
try {
  terser = require('terser');
} catch {
  console.log('minify_js: terser not installed; stripping only');
  stripDirs(process.argv.slice(2));
  process.exit(0);
}

let before = 0, after = 0;
for (const file of process.argv.slice(2).flatMap(files)) {
  const src = readFileSync(file, 'utf8');
  // Every page script but boot.js is a module; boot.js keeps its top level unrenamed (a
  // classic script's top-level names are globals).
  const module = path.basename(file) !== 'boot.js';
  try {
    const { code } = await terser.minify(src, { module, compress: false, mangle: true, format: { comments: false } });
    before += src.length;
    after += code.length;
    writeFileSync(file, `${code}\n`);
  } catch (e) {
    console.error(`minify_js: ${file} left as it is (${e.message})`);
  }
}
console.log(`minify_js: ${before} -> ${after} bytes of JavaScript`);
