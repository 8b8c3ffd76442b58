// The training worker: owns one wasm WebSession, trains in short slices and posts
// snapshots, reading pause/stop messages between slices so the page never waits.

import init, { WebSession, data_file, probe_webgpu, debug_panic } from '../pkg/mlplay.js';

let session = null;
let running = false;
let runId = 0;

// Called by the Rust panic hook with the panic message.
self.onwasmpanic = (message) => self.postMessage({ type: 'panic', message });

const post = (m) => self.postMessage(m);
const fail = (during, e) => post({ type: 'error', during, message: String(e && e.message ? e.message : e) });
const pause = () => new Promise((r) => setTimeout(r, 0));

async function load(state) {
  const file = data_file(state.dataset.id);
  let text;
  if (file) {
    const resp = await fetch(new URL(`../data/${file}`, import.meta.url));
    if (!resp.ok) throw new Error(`could not fetch data/${file} (HTTP ${resp.status})`);
    text = await resp.text();
  }
  const next = new WebSession(JSON.stringify(state), text);
  session?.free();
  session = next;
  const summary = JSON.parse(session.summary());
  const features = summary.feature_names.map((_, i) => session.feature(i));
  const labels = session.labels();
  post({ type: 'loaded', summary, features, labels });
}

// Steps per slice so that even a fast model animates over about 1.5 s of slices.
function stepsPerSlice(total) {
  return Math.max(1, Math.ceil(total / 90));
}

async function run(id, budgetMs) {
  while (running && id === runId) {
    const snap = JSON.parse(session.run_slice(budgetMs, stepsPerSlice(session.steps_total())));
    post({ type: 'progress', snapshot: snap });
    if (snap.done) {
      running = false;
      post({ type: 'done', snapshot: snap, report: JSON.parse(session.report()) });
      return;
    }
    await pause();
  }
}

self.onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case 'load':
        running = false;
        await load(m.state);
        break;
      case 'train':
        session.start_training(JSON.stringify(m.state));
        running = true;
        run(++runId, 15).catch((err) => { running = false; fail('training', err); });
        break;
      case 'resume':
        if (!running) { running = true; run(++runId, 15).catch((err) => { running = false; fail('training', err); }); }
        break;
      case 'pause':
      case 'stop':
        running = false;
        runId++;
        break;
      case 'step': {
        if (m.fresh) session.start_training(JSON.stringify(m.state));
        running = false;
        runId++;
        const snap = JSON.parse(session.run_slice(0, 1));
        post({ type: 'progress', snapshot: snap });
        if (snap.done) post({ type: 'done', snapshot: snap, report: JSON.parse(session.report()) });
        break;
      }
      case 'crash-test':
        debug_panic();
        break;
    }
  } catch (err) {
    running = false;
    fail(m.type, err);
  }
};

// wgpu answers whether it can get an adapter; the browser's own adapter info gives a
// readable name (wgpu leaves it empty on the web).
async function webgpuName() {
  if (!(await probe_webgpu().catch(() => undefined))) return null;
  const info = (await navigator.gpu?.requestAdapter().catch(() => null))?.info;
  const name = info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') : '';
  return `${name || 'adapter'}${info?.isFallbackAdapter ? ' (software)' : ''}`;
}

await init();
post({ type: 'ready', webgpu: await webgpuName() });
