// Stress harness for a rare crash of a compute thread in the threaded build ("a compute
// thread stopped: memory access out of bounds"): loads the page hundreds of times, a few
// pages at once, and counts the loads whose page reported a crash, keeping each trap's stack.
// Not part of the e2e suite (no .spec.js): run it by hand against a built site.
//
//   node tests/e2e/stress_threads.js [--loads 300] [--parallel 3] [--threads 4]
//        [--site site] [--settle 300] [--out FILE.json]
//
// Each load opens a fresh page on one of the flows below (in turn), waits until the data is
// loaded, acts, waits `settle` ms more, then closes the page (sometimes mid-start, on purpose:
// `quick` closes as soon as the document is up). `--threads N` makes the page start N compute
// threads (it reads navigator.hardwareConcurrency). MLPLAY_URL uses a running server instead.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const zlib = require('node:zlib');
const { spawn } = require('node:child_process');
const { chromium } = require('@playwright/test');
const { CHROMIUM, BASE_ARGS } = require('./environment');

const ROOT = path.resolve(__dirname, '..', '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const LOADS = Number(args.loads ?? 300);
const PARALLEL = Number(args.parallel ?? 3);
const THREADS = args.threads ? Number(args.threads) : null;
const SETTLE_MS = Number(args.settle ?? 300);
const SITE = path.resolve(ROOT, args.site ?? 'site');
const OUT = args.out ?? path.join(ROOT, 'tests', 'artifacts', 'stress_threads.json');
const BIN = process.env.MLPLAY_BIN || path.join(ROOT, 'target', 'release', 'mlplay');

const loaded = async (page) => {
  await page.locator('#backend[data-backend]').waitFor({ timeout: 60_000 });
  await page.locator('#play:enabled').waitFor({ timeout: 60_000 });
};

// The flows: the failing test's (an invalid C typed on the default page), the default page
// idle, a link with an invalid C in it, and a close before the workers are up.
const FLOWS = {
  'invalid-C typed': async (page) => {
    await page.goto('');
    await loaded(page);
    await page.locator('#param-C').fill('-1');
    await page.locator('#param-C').press('Tab');
    await page.locator('#param-C').fill('0.5');
    await page.locator('#param-C').press('Tab');
  },
  'default idle': async (page) => { await page.goto(''); await loaded(page); },
  'invalid-C link': async (page) => {
    await page.goto(`#${invalidLink}`);
    await page.locator('#backend[data-backend]').waitFor({ timeout: 60_000 });
  },
  quick: async (page) => { await page.goto(''); await page.waitForTimeout(Math.floor(Math.random() * 400)); },
};

// The default page's link with C = -1 (made once, from the page's own link).
let invalidLink = '';
const decodeLink = (hash) => JSON.parse(zlib.inflateRawSync(Buffer.from(hash.replace(/^#?v1\./, ''), 'base64url')).toString('utf8'));
const encodeLink = (state) => `v1.${zlib.deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url')}`;

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function oneLoad(context, flow) {
  const page = await context.newPage();
  const console_ = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console_.push(m.text()); });
  page.on('pageerror', (e) => console_.push(`pageerror: ${e.message}`));
  let error = null;
  try {
    await FLOWS[flow](page);
    await page.waitForTimeout(SETTLE_MS);
  } catch (e) {
    error = String(e.message).split('\n')[0];
  }
  let news = [];
  let message = '';
  let core = '';
  try {
    news = await page.evaluate(() => window.__threadNews ?? []);
    message = (await page.locator('#message').textContent({ timeout: 1000 })) ?? '';
    core = (await page.evaluate(() => document.documentElement.dataset.core)) ?? '';
  } catch { /* the page is gone (the quick flow) */ }
  await page.close().catch(() => {});
  const crashed = /engine crashed|compute thread/.test(message) || news.length > 0
    || console_.some((t) => /compute thread trap|memory access out of bounds/.test(t));
  return { flow, crashed, core, message: message.trim(), news, console: console_.filter((t) => /trap|crash|bounds|thread/i.test(t)), error };
}

async function main() {
  let server = null;
  let url = process.env.MLPLAY_URL;
  if (!url) {
    const port = await freePort();
    server = spawn(BIN, ['serve', SITE, '--port', String(port)], { stdio: 'ignore' });
    url = `http://127.0.0.1:${port}/`;
    await new Promise((r) => setTimeout(r, 500));
  }
  const loadBefore = os.loadavg();
  const started = Date.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS, headless: true });
  const first = await (await browser.newContext({ baseURL: url, serviceWorkers: 'block' })).newPage();
  await first.goto('');
  await loaded(first);
  const state = decodeLink(await first.evaluate(() => location.hash));
  state.model.C = -1;
  invalidLink = encodeLink(state);
  await first.context().close();
  const flows = Object.keys(FLOWS);
  const results = [];
  let next = 0;
  const lane = async () => {
    while (next < LOADS) {
      const i = next++;
      const context = await browser.newContext({ baseURL: url, serviceWorkers: 'block' });
      await context.addInitScript((threads) => {
        // Keep what the compute threads broadcast (a crash's message and stack).
        window.__threadNews = [];
        const Native = window.BroadcastChannel;
        window.BroadcastChannel = class extends Native {
          constructor(name) {
            super(name);
            if (String(name).startsWith('mlplay-threads-')) this.addEventListener('message', (e) => window.__threadNews.push(e.data));
          }
        };
        if (threads) Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => threads });
      }, THREADS);
      const r = await oneLoad(context, flows[i % flows.length]);
      await context.close().catch(() => {});
      r.index = i;
      results.push(r);
      if (r.crashed) console.log(`load ${i} (${r.flow}): CRASH ${r.message}\n${JSON.stringify(r.news)}\n${r.console.join('\n')}`);
      if (results.length % 25 === 0) console.log(`${results.length}/${LOADS} loads, ${results.filter((x) => x.crashed).length} crashed, load ${os.loadavg()[0].toFixed(2)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL }, lane));
  } finally {
    await browser.close();
    server?.kill();
  }
  const crashes = results.filter((r) => r.crashed);
  const summary = {
    loads: results.length, parallel: PARALLEL, threads: THREADS ?? 'hardwareConcurrency', settle_ms: SETTLE_MS,
    site: SITE, crashes: crashes.length, cores: results.reduce((m, r) => ({ ...m, [r.core || '?']: (m[r.core || '?'] ?? 0) + 1 }), {}),
    flow_errors: results.filter((r) => r.error).length, wall_s: (Date.now() - started) / 1000,
    load: { before: loadBefore, after: os.loadavg() }, crashed: crashes, errors: results.filter((r) => r.error).slice(0, 10),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(summary, null, 1));
  console.log(`${summary.loads} loads (${PARALLEL} at once), ${summary.crashes} crashed, ${summary.flow_errors} flow errors, builds ${JSON.stringify(summary.cores)}, ${summary.wall_s.toFixed(0)} s, load ${loadBefore[0].toFixed(2)} -> ${summary.load.after[0].toFixed(2)}; ${OUT}`);
  process.exitCode = crashes.length ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
