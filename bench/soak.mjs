// The soak test (issue #25 item 4): tests/e2e/soak.spec.js with MLPLAY_SOAK=1 (100 runs in
// one page, ten engine crashes) against the built site, then its figures as
// bench/results/soak.{json,md,svg} (the SVG: memory after each run).
// Usage: node bench/soak.mjs               (run through `./x bench soak`, which builds first)
//        node bench/soak.mjs --from F.json  (only write the results from a saved run)
// MLPLAY_SOAK_RUNS sets the number of runs (default 100).

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN, SITE, freePort, root, writeResults } from './lib.mjs';

const MB = 1e6;
const SERIES = [
  ['heap_used', 'page JS heap (after GC)', '#1f77b4'],
  ['page_wasm', 'page wasm memory', '#2ca02c'],
  ['worker_wasm', 'training worker wasm memory', '#d62728'],
];

async function soak() {
  const port = await freePort();
  const out = path.join(os.tmpdir(), `mlplay-soak-${process.pid}.json`);
  const server = spawn(BIN, ['serve', SITE, '--port', String(port)], { stdio: 'ignore' });
  const loadBefore = os.loadavg();
  try {
    const r = spawnSync(path.join(root, 'tests/e2e/node_modules/.bin/playwright'), ['test', 'soak.spec.js', '--project=cpu'], {
      cwd: path.join(root, 'tests/e2e'), stdio: 'inherit',
      env: { ...process.env, MLPLAY_SOAK: '1', MLPLAY_URL: `http://127.0.0.1:${port}/`, MLPLAY_SOAK_OUT: out },
    });
    let json;
    try { json = JSON.parse(readFileSync(out, 'utf8')); } catch { console.error('the soak test wrote no figures'); return r.status || 1; }
    json.passed = r.status === 0;
    json.load = { before: loadBefore, after: os.loadavg() };
    json.machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '' };
    report(json);
    return r.status;
  } finally {
    server.kill();
  }
}

const fmt = (v, d = 1) => (v == null ? '–' : v.toFixed(d));

function report(json) {
  const runs = json.results;
  const warm = runs.slice(0, 10);
  const last = runs[runs.length - 1];
  const lines = [
    `# Soak: ${runs.length} runs in one page`, '',
    `Machine: ${json.machine?.cpus ?? '?'} cores (${json.machine?.model ?? '?'}), load average before ${json.load?.before?.map((x) => x.toFixed(2)).join(', ') ?? '?'}, after ${json.load?.after?.map((x) => x.toFixed(2)).join(', ') ?? '?'}.`,
    `Wall time ${fmt(json.wall_s, 0)} s; test ${json.passed ? 'passed' : 'FAILED'}. One cycle: ${json.cycle.join(', ')}.`, '',
    '## Memory: last run against the maximum of the first 10 (limit 1.5x)', '',
    '| measure | max of runs 1–10 | last run | ratio |', '|---|---|---|---|',
  ];
  for (const [key, label] of [...SERIES, ['dom_nodes', 'DOM nodes'], ['listeners', 'event listeners']]) {
    const max = Math.max(...warm.map((r) => r[key] ?? 0));
    const scale = key.endsWith('wasm') || key === 'heap_used' ? MB : 1;
    const unit = scale === MB ? ' MB' : '';
    lines.push(`| ${label} | ${fmt(max / scale)}${unit} | ${fmt(last[key] / scale)}${unit} | ${fmt(last[key] / max, 2)}x |`);
  }
  lines.push('', '## Time per run, by kind (ms; slower = both ratios over 1.2)', '',
    '| kind | runs | first half | last half | fastest last / fastest first | median last / median first |', '|---|---|---|---|---|---|');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const kind of json.cycle) {
    const t = runs.filter((r) => r.kind === kind).map((r) => r.ms);
    if (!t.length) continue;
    const half = Math.max(1, Math.floor(t.length / 2));
    const [first, lastHalf] = [t.slice(0, half), t.slice(-half)];
    lines.push(`| ${kind} | ${t.length} | ${first.join(', ')} | ${lastHalf.join(', ')} | ${fmt(Math.min(...lastHalf) / Math.min(...first), 2)} | ${fmt(median(lastHalf) / median(first), 2)} |`);
  }
  lines.push('', 'Each run: the time from the action (a link opened, Train pressed, a file uploaded or opened, a crash injected) to the run finished; then garbage collection (CDP), the page\'s JS heap, DOM counters, the page\'s wasm memory and the worker\'s (`self.mlplayWasmBytes`). Wasm memory never shrinks: its size is the high-water mark, and a crash starts a fresh worker.', '', 'Chart: `soak.svg`.');
  writeResults('soak', json, lines);
  writeFileSync(path.join(root, 'bench/results/soak.svg'), chart(json));
  console.log(lines.join('\n'));
}

// Memory per run: one line per measure, crashes as dashed verticals.
function chart(json) {
  const runs = json.results;
  const W = 900; const H = 380; const L = 60; const R = 20; const T = 40; const B = 70;
  const top = Math.max(...runs.flatMap((r) => SERIES.map(([k]) => (r[k] ?? 0) / MB))) * 1.1;
  const x = (i) => L + ((i - 1) / Math.max(1, runs.length - 1)) * (W - L - R);
  const y = (mb) => T + (1 - mb / top) * (H - T - B);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="20" font-size="14">Memory after each of ${runs.length} runs in one page (MB; dashed: an injected engine crash)</text>`];
  const step = top > 200 ? 50 : top > 80 ? 20 : 10;
  for (let v = 0; v <= top; v += step) {
    out.push(`<line x1="${L}" y1="${y(v)}" x2="${W - R}" y2="${y(v)}" stroke="#e5e5e5"/>`, `<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  for (const r of runs) {
    if (r.kind === 'crash') out.push(`<line x1="${x(r.run)}" y1="${T}" x2="${x(r.run)}" y2="${H - B}" stroke="#999" stroke-dasharray="3,3"/>`);
    if (r.run === 1 || r.run % 10 === 0) out.push(`<text x="${x(r.run)}" y="${H - B + 16}" text-anchor="middle">${r.run}</text>`);
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - B + 34}" text-anchor="middle">run</text>`);
  SERIES.forEach(([key, label, colour], s) => {
    const pts = runs.filter((r) => r[key] != null).map((r) => `${x(r.run).toFixed(1)},${y(r[key] / MB).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(' ')}"/>`);
    const lx = L + s * 260;
    out.push(`<line x1="${lx}" y1="${H - 14}" x2="${lx + 24}" y2="${H - 14}" stroke="${colour}" stroke-width="2"/><text x="${lx + 30}" y="${H - 10}">${label}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

const from = process.argv.indexOf('--from');
if (from > 0) report(JSON.parse(readFileSync(process.argv[from + 1], 'utf8')));
else process.exitCode = await soak();
