// The CLI's static server (`mlplay serve`): right content types, and nothing outside the
// served folder, however the path is spelled.
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { test, expect, cpuOnly, open, BIN } = require('./helpers');
const { SITE_URL } = require('./environment');

test.beforeEach(({}, testInfo) => cpuOnly(testInfo));

const BASE = new URL(SITE_URL);

// A raw request: the path goes on the wire exactly as written (no URL normalisation).
const rawGet = (port, rawPath, method = 'GET') => new Promise((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port, path: rawPath, method }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c) => { body += c; });
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
  });
  req.on('error', reject);
  req.end();
});

const TRAVERSALS = (file) => [
  `/../${file}`, `/%2e%2e/${file}`, `/%2E%2E/${file}`, `/pkg/../../${file}`, `/pkg/%2e%2e/%2e%2e/${file}`,
  `/..%2f${file}`, `/%2e%2e%2f${file}`, `//..//${file}`, `/.%2e/${file}`,
];

test('the page gets its wasm, scripts and styles with the right content types', async ({ page }) => {
  await open(page);
  const types = await page.evaluate(async () => Object.fromEntries(await Promise.all(
    ['/pkg/mlplay_bg.wasm', '/pkg/mlplay.js', '/www/main.js', '/www/style.css', '/'].map(async (u) => {
      const r = await fetch(u);
      return [u, `${r.status} ${r.headers.get('content-type')} ${r.headers.get('x-content-type-options')}`];
    }))));
  expect(types['/pkg/mlplay_bg.wasm']).toBe('200 application/wasm nosniff');
  expect(types['/pkg/mlplay.js']).toMatch(/^200 text\/javascript\b.* nosniff$/);
  expect(types['/www/main.js']).toMatch(/^200 text\/javascript\b/);
  expect(types['/www/style.css']).toMatch(/^200 text\/css\b/);
  expect(types['/']).toMatch(/^200 text\/html\b/);
});

test('every response carries the isolation headers, so the page may share memory with its threads', async () => {
  for (const u of ['/', '/pkg-mt/mlplay_bg.wasm', '/www/pool_worker.js', '/missing']) {
    const r = await rawGet(BASE.port, u);
    expect([u, r.headers['cross-origin-opener-policy'], r.headers['cross-origin-embedder-policy']]).toEqual([u, 'same-origin', 'require-corp']);
  }
});

test('path traversal against the site server gets 404', async () => {
  const port = Number(BASE.port || 80);
  for (const p of TRAVERSALS('Cargo.toml')) {
    const r = await rawGet(port, p);
    expect(r.status, `GET ${p}`).toBe(404);
    expect(r.body).not.toContain('[package]');
  }
  expect((await rawGet(port, '/pkg/mlplay_bg.wasm', 'HEAD')).status).toBe(200);
  expect((await rawGet(port, '/', 'POST')).status).toBe(405);
});

// A server of our own, over a folder of our own, on a free port. Returns { port, stop }.
async function privateServer(root) {
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const server = spawn(BIN, ['serve', root, '--port', String(port)], { stdio: 'ignore' });
  const stop = () => { if (server.exitCode === null) server.kill('SIGCONT'); server.kill(); };
  try {
    // (with Connection: close, so the check itself leaves no connection open)
    const probe = () => new Promise((resolve) => http.get(
      { host: '127.0.0.1', port, path: '/', agent: false, headers: { Connection: 'close' } },
      (r) => { r.resume(); resolve(r.statusCode); }).on('error', () => resolve(0)));
    await expect.poll(probe, { timeout: 10_000 }).toBe(200);
  } catch (e) { stop(); throw e; }
  return { port, pid: server.pid, stop };
}

function tempSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlplay-e2e-'));
  fs.mkdirSync(path.join(dir, 'site', 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'site', 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(dir, 'site', 'pkg', 'a.js'), 'export const a = 1;');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET');
  return { dir, site: path.join(dir, 'site'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('path traversal cannot reach a secret next to the served folder', async () => {
  // The parent of the served folder holds a known secret, so a 404 means "refused", not
  // "there was nothing there".
  const tmp = tempSite();
  const server = await privateServer(tmp.site);
  try {
    for (const p of TRAVERSALS('secret.txt')) {
      const r = await rawGet(server.port, p);
      expect(r.status, `GET ${p}`).toBe(404);
      expect(r.body).not.toContain('TOP-SECRET');
    }
    expect((await rawGet(server.port, '/pkg/a.js')).body).toContain('export');
  } finally {
    server.stop();
    tmp.remove();
  }
});

test('a burst of new connections is served in full (browsers open six at once)', async () => {
  // A page load opens up to six keep-alive connections at once. Every accepted connection
  // must be answered; a thread pool that queues some of them behind idle keep-alive
  // connections leaves the page loading forever. The server is paused while the
  // connections queue up, so they all arrive together; five fresh servers in a row.
  const tmp = tempSite();
  try {
    for (let round = 0; round < 5; round++) {
      const server = await privateServer(tmp.site);
      const sockets = [];
      try {
        process.kill(server.pid, 'SIGSTOP');
        const answered = new Set();
        for (let i = 0; i < 12; i++) {
          const s = net.connect(server.port, '127.0.0.1', () => s.write('GET /pkg/a.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
          s.on('data', () => answered.add(i));
          s.on('error', () => {});
          sockets.push(s);
        }
        await new Promise((r) => setTimeout(r, 300));
        process.kill(server.pid, 'SIGCONT');
        await expect.poll(() => answered.size, {
          timeout: 3000, message: `round ${round + 1}: connections answered out of 12 (the rest wait forever)`,
        }).toBe(12);
      } finally {
        sockets.forEach((s) => s.destroy());
        server.stop();
      }
    }
  } finally {
    tmp.remove();
  }
});
