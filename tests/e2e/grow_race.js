// Shows the cause of the rare "a compute thread stopped: memory access out of bounds" in
// the threaded build: in Chromium, after one worker grows a shared wasm memory, another
// worker's atomic and bulk-memory accesses to the new pages trap for a while, though plain
// loads and stores work; a memory.grow(0) in that worker first makes them work
// (crates/core/src/base/shared_memory.rs is the fix built on this). Not part of the e2e suite.
//
//   node tests/e2e/grow_race.js [rounds=100]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
const { chromium } = require('@playwright/test');
const { CHROMIUM, BASE_ARGS } = require('./environment');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = process.env.MLPLAY_BIN || path.join(ROOT, 'target', 'release', 'mlplay');
const ROUNDS = Number(process.argv[2] ?? 100);
const ACCESSES = ['store', 'copy', 'fill', 'atomic_store', 'notify', 'grow0_then_copy'];

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grow-race-'));
  for (const f of ['grow_race.html', 'worker.js']) fs.copyFileSync(path.join(__dirname, 'grow_race', f), path.join(dir, f));
  execFileSync(path.join(__dirname, 'node_modules', '.bin', 'wasm-as'), ['--enable-threads', '--enable-bulk-memory',
    path.join(__dirname, 'grow_race', 'grow_race.wat'), '-o', path.join(dir, 'grow_race.wasm')]);
  const port = await freePort();
  // mlplay's server sends COOP/COEP, which shared memory needs.
  const server = spawn(BIN, ['serve', dir, '--port', String(port)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/grow_race.html`);
    console.log(`${browser.version()}, cross-origin isolated: ${await page.evaluate(() => crossOriginIsolated)}, load ${os.loadavg()[0].toFixed(2)}`);
    for (const access of ACCESSES) {
      const r = await page.evaluate(([a, n]) => window.trials(a, n), [access, ROUNDS]);
      console.log(`${access.padEnd(16)} ${String(r.traps).padStart(4)}/${r.rounds} trapped${r.first ? ` (${r.first})` : ''}`);
    }
  } finally {
    await browser.close();
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
