// k-means in the page, cold and warm: for each site directory given (e.g. an old build's
// site/ and this one's), PAGES fresh pages in turn (interleaved), and in each page the same
// run trained three times: the first on a fresh wasm instance (what bench/unsup.mjs times,
// and what a user's first run gets: V8 starts wasm in its baseline compiler), the next two
// warm. Prints fit_ms (the wasm's training time), iterations and inertia per run, and the
// load before and after. The run is the one native mlplay makes of FILE (its link).
// Usage: node bench/unsup_page.mjs FILE SITE [SITE...]   (PAGES=3 by default)

import { statSync } from 'node:fs';
import os from 'node:os';

import { nativeRun, trainInPage, withBrowser } from './lib.mjs';

const [file, ...sites] = process.argv.slice(2);
if (!file || !sites.length) throw new Error('usage: node bench/unsup_page.mjs FILE SITE [SITE...]');
const pages = Number(process.env.PAGES ?? 3);
const load = () => os.loadavg().map((v) => v.toFixed(1)).join(' ');
const { link } = nativeRun(['run', '--data', file, '--model', 'kmeans', '--set', 'n_clusters=8', '--set', 'n_init=1', '--json']).report;
const first = Object.fromEntries(sites.map((s) => [s, []]));
console.log(`load ${load()}`);
for (let p = 0; p < pages; p++) {
  for (const site of sites) {
    await withBrowser(null, file, async (open) => {
      const page = await open();
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push((await trainInPage(page, link, statSync(file).size)).report);
      first[site].push(runs[0].timing.fit_ms);
      const m = runs[0].metrics;
      console.log(`${site}: fit ms ${runs.map((r) => r.timing.fit_ms.toFixed(0)).join(' / ')} (fresh / warm / warm), ${m.n_iter} iterations, inertia ${m.inertia}`);
    }, site);
  }
}
for (const s of sites) console.log(`${s}: fresh-page fit ms sorted ${first[s].sort((a, b) => a - b).map((v) => v.toFixed(0)).join(', ')}`);
console.log(`load ${load()}`);
