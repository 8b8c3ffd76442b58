// The page's scatter plot drawn by two sites' wasm (the single-thread build), alternating:
// for build settings that change how fast the drawing code runs, not what it draws. Each
// round opens a fresh page per site on `mlplay serve`, draws N random points in 10 classes
// REPS times, and drops the first 3 draws (V8 tiers up). Prints the median and minimum.
// Usage: node bench/draw_scatter.mjs SITE_A SITE_B   (N=70000, REPS=15, ROUNDS=3)

import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { BIN, chromium } from './lib.mjs';

const N = Number(process.env.N ?? 70000), REPS = Number(process.env.REPS ?? 15), ROUNDS = Number(process.env.ROUNDS ?? 3);
const sites = process.argv.slice(2).map((s) => path.resolve(s));
if (sites.length !== 2) throw new Error('usage: node bench/draw_scatter.mjs SITE_A SITE_B');

// In the page: load the core, draw, return each draw's milliseconds.
async function drawTimes({ N, REPS }) {
  const core = await import('/pkg/mlplay.js');
  await core.default({ module_or_path: '/pkg/mlplay_bg.wasm' });
  const canvas = Object.assign(document.createElement('canvas'), { width: 900, height: 600 });
  document.body.append(canvas);
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const x = new Float64Array(N).map(rnd), y = new Float64Array(N).map(rnd);
  const labels = new Uint32Array(N).map(() => Math.floor(rnd() * 10));
  const names = Array.from({ length: 10 }, (_, i) => `class ${i}`);
  const none = new Float64Array(0);
  const times = [];
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    core.draw_scatter_plot(canvas, x, y, labels, names, 'x', 'y', none, none, new Uint8Array(0), none, false, 1);
    times.push(performance.now() - t);
  }
  return times;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
const times = sites.map(() => []);
const load = () => os.loadavg()[0].toFixed(1);
console.log(`load ${load()}`);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, site] of sites.entries()) {
    const port = 8930 + i;
    const server = spawn(BIN, ['serve', site, '--port', String(port)], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 700));
      const page = await browser.newPage();
      await page.goto(`http://localhost:${port}/nothing-here`); // any same-origin page with a body
      times[i].push(...(await page.evaluate(drawTimes, { N, REPS })).slice(3));
      await page.close();
    } finally {
      server.kill();
    }
  }
}
await browser.close();
for (const [i, site] of sites.entries()) {
  const t = times[i].sort((a, b) => a - b);
  console.log(`${'AB'[i]} ${site}: ${N} points, median ${t[t.length >> 1].toFixed(1)} ms, min ${t[0].toFixed(1)} ms`);
}
console.log(`load ${load()}`);
