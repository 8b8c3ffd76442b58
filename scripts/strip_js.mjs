// Strips comments and indentation from the site's JavaScript, in place: what the first visit
// downloads shrinks by about a fifth (gzip), and the code is the same code. Each gap between
// two tokens becomes one newline if it held a line break (so automatic semicolon insertion
// reads the file as before) or one space if it held anything else; tokens are left as they
// are (template literals keep their insides). A file whose stripped text does not tokenize
// to the same tokens, or that does not tokenize at all, is left untouched.
// Usage: node scripts/strip_js.mjs DIR...   (x build runs it on site/ with the e2e packages' espree)

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const espree = require(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../tests/e2e/node_modules/espree'));

const BREAK = /[\n\r\u2028\u2029]/;
const tokens = (src) => espree.tokenize(src, { ecmaVersion: 'latest', sourceType: 'module', range: true });

export function strip(src) {
  const toks = tokens(src);
  let out = '';
  let last = -1;
  for (const t of toks) {
    if (last >= 0) {
      const gap = src.slice(last, t.range[0]);
      if (gap.length) out += BREAK.test(gap) ? '\n' : ' ';
    }
    out += src.slice(t.range[0], t.range[1]);
    last = t.range[1];
  }
  return `${out}\n`;
}

const same = (a, b) => a.length === b.length && a.every((t, i) => t.type === b[i].type && t.value === b[i].value);

/** Every .js file under `dir`. */
export function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.js') ? [p] : [];
  });
}

// Strips every .js file under the given folders, in place.
export function stripDirs(dirs) {
  let before = 0, after = 0;
  for (const file of dirs.flatMap(files)) {
    const src = readFileSync(file, 'utf8');
    let out;
    try {
      out = strip(src);
      if (!same(tokens(src), tokens(out))) throw new Error('the tokens differ');
    } catch (e) {
      console.error(`strip_js: ${file} left as it is (${e.message})`);
      continue;
    }
    before += src.length;
    after += out.length;
    writeFileSync(file, out);
  }
  console.log(`strip_js: ${before} -> ${after} bytes of JavaScript`);
}

if (process.argv[1] === new URL(import.meta.url).pathname) stripDirs(process.argv.slice(2));
