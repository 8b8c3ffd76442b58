// Where t-SNE's FFT repulsion starts to beat Barnes-Hut (sets FFT_MIN_ROWS in crates/core/src/embed/tsne.rs):
// the native binary, one thread, the same generated N x 50 data (bench/make_embed_data.py) and
// the same settings except `method`, one run per method and size, in one process after the
// other. Both methods share the set-up (neighbours, perplexity calibration), so the difference
// of their fit times over the iterations done is the difference per iteration.
// Run after `cargo build --release --bin mlplay`:
//   node bench/embed_crossover.mjs 2000 5000 10000 20000
// Writes bench/results/embed_crossover.json and prints one line per size (CPU seconds of the
// whole process and the wall-clock fit, with the load average at the start).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mlplay = path.join(root, 'target/release/mlplay');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizes.length) { console.error('usage: node bench/embed_crossover.mjs N [N ...]'); process.exit(2); }
const methods = (process.env.BENCH_TSNE_METHODS || 'barnes_hut,fft').split(',');

function data(n) {
  const csv = path.join(root, `bench/data/embed_${n}.csv`);
  if (!existsSync(csv)) {
    mkdirSync(path.dirname(csv), { recursive: true });
    const r = spawnSync(path.join(root, '.venv/bin/python'), [path.join(root, 'bench/make_embed_data.py'), csv, String(n)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`could not write ${csv}`);
  }
  return csv;
}

function fit(csv, method) {
  // CPU seconds (user + system) from /usr/bin/time as well as the wall-clock fit: on a shared,
  // loaded machine the CPU time is the fairer measure of a single-threaded run.
  const args = ['-f', 'cpu_s=%U+%S', mlplay, 'run', '--data', csv, '--model', 'tsne', '--set', `method=${method}`, '--json'];
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, RAYON_NUM_THREADS: '1', MLPLAY_TSNE_TIMES: '1' } });
  if (r.status !== 0) throw new Error(`${method}: ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  const [u, s] = /cpu_s=([\d.]+)\+([\d.]+)/.exec(r.stderr).slice(1).map(Number);
  // Per-iteration wall-clock ms of the gradient's phases (crates/core/src/embed/phase_times.rs).
  const phases = r.stderr.split('\n').filter((l) => l.startsWith('t-SNE'));
  return { fit_ms: j.timing.fit_ms, cpu_s: u + s, kl: j.metrics?.kl_divergence, phases };
}

const rows = [];
for (const n of sizes) {
  const csv = data(n);
  const row = { n, load: os.loadavg()[0] };
  for (const m of methods) row[m] = fit(csv, m);
  rows.push(row);
  const [a, b] = methods.map((m) => row[m].cpu_s);
  const [wa, wb] = methods.map((m) => row[m].fit_ms / 1000);
  for (const m of methods) for (const p of row[m].phases) console.log(`  ${m}: ${p}`);
  console.log(`n ${n}: CPU ${methods[0]} ${a.toFixed(1)} s, ${methods[1]} ${b.toFixed(1)} s (ratio ${(a / b).toFixed(2)}); `
    + `wall fit ${wa.toFixed(1)} s / ${wb.toFixed(1)} s, `
    + `KL ${row[methods[0]].kl?.toFixed(4)} / ${row[methods[1]].kl?.toFixed(4)}, load ${row.load.toFixed(1)} at start`);
}
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/embed_crossover.json'),
  JSON.stringify({ date: new Date().toISOString(), cpu: os.cpus()[0]?.model, cores: os.cpus().length, rows }, null, 1) + '\n');
