// One table of every benchmark task from the results files the task scripts wrote
// (csv_parse, models, unsup, embed, mlp, cnn; a missing file shows as "not run"): mlplay native,
// mlplay in the browser, the peer, the ratios, the goal and the quality figures. Writes
// bench/results/summary.{json,md,svg}. Run by `./x bench` at the end, or alone:
// node bench/summary.mjs

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chart } from './summary_svg.mjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const load = (name) => (existsSync(path.join(dir, `${name}.json`)) ? JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) : null);
const rows = [];
const missing = [];
// ratio = mlplay time / peer time (< 1: mlplay faster); goal: the largest browser ratio the issue accepts.
const row = (r) => rows.push({ goal: null, ...r });
// Megabytes of a byte count, or '–' where it was not measured.
const mb = (b) => (b > 0 ? (b / 1e6).toFixed(0) : '–');

const csv = load('csv_parse');
if (!csv) missing.push('CSV parse (csv_parse.json)');
else {
  const by = Object.fromEntries(csv.runs.map((r) => [r.name.startsWith('pandas') ? 'peer' : r.name.includes('browser') ? 'browser' : 'native', r]));
  row({
    task: 'CSV parse + type inference', dataset: `${csv.file}, ${csv.mb.toFixed(0)} MB`, peer: 'pandas.read_csv',
    native_ms: by.native.seconds * 1e3, browser_ms: by.browser.seconds * 1e3, peer_ms: by.peer.seconds * 1e3, browser_peer_ms: by.peer.seconds * 1e3,
    quality: `rows ${by.native.rows} / ${by.browser.rows} / ${by.peer.rows}`,
    memory: `raw ${csv.mb.toFixed(0)} MB; peak native ${by.native.peak_mb.toFixed(0)}, wasm ${by.browser.peak_mb.toFixed(0)}, pandas ${by.peer.peak_mb.toFixed(0)} MB`,
  });
}

const models = load('models');
if (!models) missing.push('model fits (models.json)');
for (const m of models ?? []) {
  row({
    task: m.model.replace(/_/g, ' '), dataset: 'make_classification 80,000 x 20', peer: 'scikit-learn',
    native_ms: m.native_ms, browser_ms: m.browser_ms, peer_ms: m.sklearn_ms, browser_peer_ms: m.sklearn_ms, goal: 2,
    quality: `test accuracy ${m.mlplay_accuracy.toFixed(4)} (sklearn ${m.sklearn_accuracy.toFixed(4)})`,
    memory: m.memory_mb ? `raw ${m.memory_mb.raw.toFixed(0)} MB; peak native ${m.memory_mb.native_peak_rss.toFixed(0)}, wasm ${m.memory_mb.browser_wasm.toFixed(0)} MB` : '',
  });
}

const unsup = load('unsup');
if (!unsup) missing.push('k-means, DBSCAN, PCA (unsup.json)');
for (const u of unsup ?? []) {
  row({
    task: { kmeans: 'k-means (k=8)', dbscan: 'DBSCAN', pca: 'PCA (10 components)' }[u.task] ?? u.task,
    dataset: `${u.rows.toLocaleString('en')} x ${u.features}`, peer: 'scikit-learn',
    native_ms: u.native_ms, browser_ms: u.browser_ms, peer_ms: u.sklearn_ms, browser_peer_ms: u.sklearn_ms, goal: u.task === 'kmeans' ? 2 : null,
    quality: `${u.quality_native.text} (browser: ${u.quality_browser.text}; sklearn: ${u.quality_sklearn.text})`
      + (u.adjusted_rand_vs_sklearn == null ? '' : `; ARI vs sklearn ${u.adjusted_rand_vs_sklearn.toFixed(4)}`),
    memory: `raw ${u.raw_mb.toFixed(0)} MB; peak native ${u.memory_mb.native_peak_rss.toFixed(0)}, wasm ${u.memory_mb.browser_wasm.toFixed(0)}, sklearn ${u.memory_mb.sklearn_peak_rss.toFixed(0)} MB`,
  });
}

const embed = load('embed');
if (!embed) missing.push('UMAP, t-SNE (embed.json)');
for (const set of embed?.results ?? []) {
  for (const algo of ['umap', 'tsne']) {
    const runs = set.runs.filter((r) => r.algo === algo);
    const me = (where) => runs.find((r) => r.method === 'mlplay' && r.where === where);
    const peer = (where) => runs.find((r) => r.method !== 'mlplay' && r.where === where && !/scikit/.test(r.method));
    // The page's own row, else its build with threads (how t-SNE ran at 70,000 rows).
    const web = me('browser') ?? runs.find((r) => r.method === 'mlplay' && r.where.startsWith('browser'));
    const [nat, pn, pb] = [me('native'), peer('native'), peer('browser')];
    if (!nat && !web) continue;
    const t = (r) => (r?.fit_ms ?? null);
    const tw = (r) => (r?.trustworthiness_15 == null ? '–' : r.trustworthiness_15.toFixed(4));
    row({
      task: algo === 'umap' ? 'UMAP' : 't-SNE', dataset: `${set.data ?? ''} ${set.rows.toLocaleString('en')} x ${set.features}`,
      peer: `${pn?.method ?? '–'} / ${pb?.method ?? '–'}`,
      native_ms: t(nat), browser_ms: t(web), peer_ms: t(pn), browser_peer_ms: t(pb), goal: 1 / 3,
      // A peer stopped at its time cap: the ratio is at most mlplay's time / the cap.
      cap_ms: pb && pb.fit_ms == null && /(\d+) s/.test(pb.status ?? '') ? 1e3 * Number(/(\d+) s/.exec(pb.status)[1]) : null,
      peer_note: pb && pb.fit_ms == null ? pb.status : null,
      native_cap_ms: pn && pn.fit_ms == null && /over cap \((\d+) s\)/.test(pn.status ?? '') ? 1e3 * Number(/\((\d+) s\)/.exec(pn.status)[1]) : null,
      native_peer_note: pn && pn.fit_ms == null ? pn.status : null,
      quality: `trustworthiness k=15 ${tw(nat)} (${pn?.method ?? 'peer'} ${tw(pn)}, ${pb?.method ?? 'js peer'} ${tw(pb)})`,
      memory: nat?.peak_rss_bytes || web?.wasm_bytes ? `raw ${(set.rows * set.features * 8 / 1e6).toFixed(1)} MB; peak native ${mb(nat?.peak_rss_bytes)}, wasm ${mb(web?.wasm_bytes)}${pn?.peak_rss_bytes ? `, ${pn.method} ${mb(pn.peak_rss_bytes)}` : ''} MB` : '',
    });
  }
}

// MLP training (bench/mlp.mjs): samples per second; shown as ms per 1,000 samples.
const mlp = load('mlp');
if (!mlp) missing.push('MLP training, GEMM (mlp.json)');
else {
  const per1k = (run) => (run?.samples_per_s ? 1e6 / run.samples_per_s : null);
  const pair = (task, mine, peer, peerName, goal) => row({
    task, dataset: `digits ${mlp.network?.join('-') ?? ''}, batch ${mlp.batch ?? '?'}`, peer: peerName,
    native_ms: null, browser_ms: per1k(mine), peer_ms: null, browser_peer_ms: per1k(peer), goal,
    quality: mine && peer ? `${mine.samples_per_s.toFixed(0)} vs ${peer.samples_per_s.toFixed(0)} samples/s; last loss ${mine.last_loss?.toFixed(4)} vs ${peer.last_loss?.toFixed(4)} (times: ms per 1,000 samples)` : 'not run',
    memory: mine?.wasm_bytes ? `raw ${(mlp.rows * 64 * 4 / 1e6).toFixed(1)} MB (f32); wasm ${mb(mine.wasm_bytes)} MB` : '',
  });
  pair('MLP training (CPU path)', mlp.mlplay_cpu, mlp.tfjs_wasm, 'TF.js wasm', 1);
  pair(`MLP training (WebGPU, ${mlp.adapter ?? 'adapter?'})`, mlp.mlplay_webgpu, mlp.tfjs_webgpu, 'TF.js webgpu', 1);
}

// CNN training (bench/cnn.mjs): images per second on the generated shapes; shown as ms per
// 1,000 images. The peer is TF.js's wasm backend where it trains a CNN, else (4.22 lacks
// Conv2DBackpropFilter there) its CPU backend.
const cnn = load('cnn');
if (!cnn) missing.push('CNN training (cnn.json)');
else {
  const per1k = (run) => (run?.images_per_s ? 1e6 / run.images_per_s : null);
  const [mine, wasm, js] = [cnn.mlplay_cpu, cnn.tfjs_wasm_1, cnn.tfjs_cpu];
  const peer = wasm?.images_per_s ? wasm : js;
  row({
    task: 'CNN training (CPU path)', dataset: `shapes ${cnn.rows} x 16x16, conv ${cnn.network.filters.join('-')}, dense ${cnn.network.hidden.join('-')}, batch ${cnn.network.batch}`,
    peer: peer === wasm ? 'TF.js wasm (1 thread)' : 'TF.js cpu (its wasm backend cannot train a CNN)', native_ms: null, browser_ms: per1k(mine), peer_ms: null, browser_peer_ms: per1k(peer), goal: 1,
    quality: mine && peer ? `${mine.images_per_s?.toFixed(0)} vs ${peer.images_per_s?.toFixed(0)} images/s; last loss ${mine.last_loss?.toFixed(4)} vs ${peer.last_loss?.toFixed(4)} (times: ms per 1,000 images)` : 'not run',
    memory: mine?.wasm_bytes ? `wasm ${mb(mine.wasm_bytes)} MB` : '',
  });
}

for (const r of rows) {
  r.native_ratio = r.native_ms != null && r.peer_ms ? r.native_ms / r.peer_ms : null;
  r.browser_ratio = r.browser_ms != null && r.browser_peer_ms ? r.browser_ms / r.browser_peer_ms : null;
  r.browser_ratio_below = r.browser_ms != null && r.cap_ms ? r.browser_ms / r.cap_ms : null;
  r.native_ratio_below = r.native_ms != null && r.native_cap_ms ? r.native_ms / r.native_cap_ms : null;
  if (r.browser_ratio_below != null && r.goal != null) r.goal_met = r.browser_ratio_below <= r.goal;
  r.goal_met ??= r.goal == null || r.browser_ratio == null ? null : r.browser_ratio <= r.goal;
}

const ms = (v) => (v == null ? '–' : v >= 1e4 ? `${(v / 1e3).toFixed(1)} s` : `${v.toFixed(0)} ms`);
const x = (v) => (v == null ? '–' : `${v.toFixed(2)}x`);
const goal = (r) => (r.goal == null ? '' : `≤ ${r.goal < 1 ? r.goal.toFixed(2) : r.goal}x: ${r.goal_met == null ? 'n/a' : r.goal_met ? 'met' : `missed (${((r.browser_ratio ?? r.browser_ratio_below) / r.goal).toFixed(1)}x over)`}`);
const lines = [
  '| task | data | mlplay native | mlplay browser | peer (native / browser) | peer time | native / peer | browser / peer | goal (browser) | quality | memory |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.task} | ${r.dataset} | ${ms(r.native_ms)} | ${ms(r.browser_ms)} | ${r.peer} | ${r.peer_ms == null ? r.native_peer_note ?? '–' : ms(r.peer_ms)}${r.browser_peer_ms !== r.peer_ms || r.peer_note ? ` / ${r.browser_peer_ms == null ? r.peer_note ?? '–' : ms(r.browser_peer_ms)}` : ''} | ${r.native_ratio_below != null ? `< ${r.native_ratio_below.toFixed(3)}x` : x(r.native_ratio)} | ${r.browser_ratio_below != null ? `< ${r.browser_ratio_below.toFixed(3)}x` : x(r.browser_ratio)} | ${goal(r)} | ${r.quality} | ${r.memory} |`),
  ...missing.map((m) => `| ${m} | not run | | | | | | | | | |`),
];
console.log(lines.join('\n'));
const md = ['# Benchmark summary', '',
  'mlplay time / peer time (< 1: mlplay faster). Peers single-threaded (OMP/OPENBLAS/MKL threads 1); browser rows',
  'are headless Chromium (wasm + SIMD); the sklearn-peer rows compare the browser with native scikit-learn.',
  'Figures come from each task\'s own results file (see its .md for the run date and settings).', '', ...lines, '',
  '![ratios](summary.svg)'];
writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ rows, missing }, null, 1));
writeFileSync(path.join(dir, 'summary.md'), md.join('\n') + '\n');
writeFileSync(path.join(dir, 'summary.svg'), chart(rows));
