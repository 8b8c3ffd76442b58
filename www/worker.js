// The training worker: owns one wasm WebSession (the loaded data and the model), reads
// uploads in chunks, trains in short slices and posts snapshots, reading pause/stop and
// cancel messages between slices so the page never waits.

import { startThreads } from './pool.js';
import { FromWorker, ToWorker, reply } from './ui/worker_messages.js';

// The core is imported once the page says which build to use (see www/boot.js); the
// worker's name says it already, so the glue is fetched while the compiled module comes.
let WebSession, data_file, probe_webgpu, debug_panic, debug_panic_in_threads;
const early = /^pkg(-mt)?$/.test(self.name) ? import(`../${self.name}/mlplay.js`) : null;
let kinds = new Map(); // the core's catalog entry of each model kind, by name

const CHUNK_BYTES = 1 << 20;
let ws = null;
let uploaded = null;      // name of the uploaded file held by `ws`, if any
let running = false;
let runId = 0;
let cancelUpload = false;

// Called by the Rust panic hook with the panic message.
self.onwasmpanic = (message) => self.postMessage(reply(FromWorker.PANIC, { message }));

const post = (type, payload, transfer) => self.postMessage(reply(type, payload), transfer || []);
const fail = (during, e) => post(FromWorker.ERROR, { during, message: String(e && e.message ? e.message : e) });
const pause = () => new Promise((r) => setTimeout(r, 0));

// Tell the page what is loaded: the summary (with a two-class target's default positive
// class), and the numeric columns for the scatter.
function postLoaded(state) {
  const summary = JSON.parse(ws.summary());
  if (!summary.error) summary.default_positive = ws.default_positive(JSON.stringify(state)) ?? null;
  const features = summary.error ? [] : summary.feature_names.map((_, i) => ws.feature(i));
  const labels = summary.error ? new Uint32Array(0) : ws.labels();
  const file = { sha256: ws.uploaded_sha256() ?? null, csv: ws.uploaded_csv() ?? null };
  post(FromWorker.LOADED, { summary, features, labels, file }, [...features.map((f) => f.buffer), labels.buffer]);
}

async function load(state) {
  const id = state.dataset.id;
  if (id.startsWith('file:')) {
    const name = id.slice(5);
    if (state.dataset.csv && uploaded !== name) {
      ws.load_embedded(JSON.stringify(state)); // the link carries the file itself
      uploaded = name;
      return postLoaded(state);
    }
    // The page looks for the copy it kept (IndexedDB) or asks the user for the file.
    if (uploaded !== name) return post(FromWorker.NEED_FILE, { name });
    ws.set_target(JSON.stringify(state));
    return postLoaded(state);
  }
  const file = data_file(id);
  let text;
  if (file) {
    const resp = await fetch(new URL(`../data/${file}`, import.meta.url));
    if (!resp.ok) throw new Error(`could not fetch data/${file} (HTTP ${resp.status})`);
    text = await resp.text();
  }
  ws.load_builtin(JSON.stringify(state), text);
  uploaded = null;
  postLoaded(state);
}

// Read the file in chunks so progress shows and Cancel works on large files.
async function upload(file, state) {
  cancelUpload = false;
  ws.begin_upload(file.name, file.size);
  const reader = file.stream().getReader();
  let sent = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (cancelUpload) {
      reader.cancel();
      ws.cancel_upload();
      post(FromWorker.UPLOAD_CANCELLED);
      return;
    }
    if (done) break;
    for (let at = 0; at < value.length; at += CHUNK_BYTES) ws.push_chunk(value.subarray(at, at + CHUNK_BYTES));
    sent += value.length;
    post(FromWorker.UPLOAD_PROGRESS, { loaded: sent, total: file.size });
  }
  ws.finish_upload(JSON.stringify(state));
  uploaded = file.name;
  postLoaded(state);
}

// The run the session holds: its kind's catalog entry (what to draw while it trains,
// whether it may use the GPU) and the plot's plane.
let info = { family: 'supervised', gpu: false, anomaly: false };
let unsupervised = false;

// The decision-boundary grid and the explanation follow training, but cost a prediction
// per grid cell: redo them at most every few times their own cost, so they never
// dominate training time.
const GRID = 64;
let view = { x_feature: 0, y_feature: 1 };
let viewAt = -Infinity;
let viewCost = 0;

function postView(force) {
  const now = performance.now();
  if (!force && now - viewAt < Math.max(120, 4 * viewCost)) return;
  let surface = new Float64Array(0);
  try {
    surface = view.pca ? ws.surface_pca(GRID) : ws.surface(view.x_feature, view.y_feature, GRID);
  } catch { /* fewer than two numeric features: no plane to draw */ }
  const explanation = JSON.parse(ws.explain());
  const network = networkView(force);
  viewAt = performance.now();
  viewCost = viewAt - now;
  post(FromWorker.VIEW, { surface, explanation, network }, [surface.buffer, ...(network?.grids ? [network.grids.buffer] : [])]);
  postCnn(force);
}

// The CNN's look inside one validation image (ui/cnn_view.js), at most 4 times a second
// while training; once `null` after a run of another kind, to clear it.
let cnnImage = 0;
let cnnAt = -Infinity;
let cnnShown = false;
function postCnn(force) {
  if (info.kind !== 'cnn') {
    if (cnnShown) post(FromWorker.CNN_INSIDE, { inside: null });
    cnnShown = false;
    return;
  }
  const now = performance.now();
  if (!force && now - cnnAt < 250) return;
  cnnAt = now;
  cnnShown = true;
  post(FromWorker.CNN_INSIDE, { inside: JSON.parse(ws.cnn_inside(cnnImage)) });
}

// Anomaly detectors: the validation rows' anomaly scores; other networks (the kinds that
// can train on the GPU): each hidden neuron over the plot's plane. At most 4 times a
// second while training.
const NEURON_GRID = 24;
let networkAt = -Infinity;
function networkView(force) {
  if (!info.anomaly && !info.gpu) return null;
  const now = performance.now();
  if (!force && now - networkAt < 250) return null;
  networkAt = now;
  if (info.anomaly) return { anomaly: JSON.parse(ws.anomaly_rows()) };
  try {
    return { grids: view.pca ? null : ws.neuron_grids(view.x_feature, view.y_feature, NEURON_GRID) };
  } catch {
    return { grids: null }; // fewer than two numeric features
  }
}

// Clusterings and projections: the clusters and coordinates as fitted so far, at most
// every few times their own cost (copying 70,000 coordinates is not free).
function postFit(force) {
  const now = performance.now();
  if (!force && now - viewAt < Math.max(120, 4 * viewCost)) return;
  const rows = ws.fitted_rows();
  const labels = ws.cluster_labels();
  const width = Math.min(ws.embedding_width(), 3);
  const embedding = ws.embedding(Math.max(width, 1));
  const pointKinds = ws.point_kinds();
  viewAt = performance.now();
  viewCost = viewAt - now;
  post(FromWorker.FIT, { rows, labels, embedding, width, kinds: pointKinds }, [rows.buffer, labels.buffer, embedding.buffer, pointKinds.buffer]);
}

const afterSlice = (done) => (unsupervised ? postFit(done) : postView(done));

// Steps per slice so that even a fast model animates over about 1.5 s of slices.
const stepsPerSlice = (total) => Math.max(1, Math.ceil(total / 90));

async function run(id, budgetMs) {
  while (running && id === runId) {
    const snap = JSON.parse(ws.run_slice(budgetMs, stepsPerSlice(ws.steps_total())));
    post(FromWorker.PROGRESS, { snapshot: snap });
    afterSlice(snap.done);
    if (snap.done) {
      running = false;
      postDone(snap);
      return;
    }
    await pause();
  }
}

// Neural networks on WebGPU (ui/backend.js decides): one awaited epoch at a time, the
// weights read back for the charts at most every 250 ms and at the end. GPU calls are
// chained so a step or a new run never overlaps an epoch still on the device.
let gpuChain = Promise.resolve();
function onGpu(f) {
  const p = gpuChain.then(f);
  gpuChain = p.catch(() => {});
  return p;
}
let gpuRun = false;       // the current session trains on the GPU
let adapterLabel = null;  // the browser's name for its adapter
// The evaluation carries its part's rows (`rows`), for the rows behind a confusion-matrix cell.
const withRows = (ev, test) => (ev && ev.type !== 'empty' ? { ...ev, rows: JSON.parse(ws.evaluation_rows(test)) } : ev);
const postDone = (snap) => post(FromWorker.DONE, { snapshot: snap, report: JSON.parse(ws.report()), evaluation: withRows(JSON.parse(ws.evaluation(false)), false) });

// Start the current session's network on the GPU; false (and the CPU) if that fails.
async function startGpu(id) {
  try {
    const name = await onGpu(() => ws.gpu_start());
    if (id !== runId) return false;
    gpuRun = true;
    post(FromWorker.BACKEND, { ran: 'gpu', label: `WebGPU: ${adapterLabel || name || 'adapter'}`, note: '' });
    return true;
  } catch (err) {
    if (id === runId) fallBack(err, 0);
    return false;
  }
}

// The GPU failed (or was lost): the run goes on on the CPU from the epochs recorded.
function fallBack(err, readAt) {
  gpuRun = false;
  ws.gpu_reset();
  const step = ws.steps_done();
  const from = step > 0 ? ` from epoch ${step} (weights of epoch ${readAt}, the last read back)` : '';
  post(FromWorker.BACKEND, { ran: 'cpu', label: 'CPU (wasm)', note: `The GPU failed (${err && err.message ? err.message : err}): training continues on the CPU${from}.` });
}

// One GPU epoch, recorded in the session; returns the snapshot.
async function gpuEpoch(read) {
  await onGpu(() => ws.gpu_epoch(read));
  return JSON.parse(ws.gpu_apply());
}

async function runGpu(id) {
  let readAt = performance.now();
  let postedAt = -Infinity;
  let readEpoch = ws.steps_done();
  while (running && id === runId) {
    const now = performance.now();
    const read = now - readAt >= 250;
    let done;
    try {
      done = await onGpu(() => ws.gpu_epoch(read));
    } catch (err) {
      if (id !== runId || !running) return;
      fallBack(err, readEpoch);
      return run(id, 15);
    }
    if (id !== runId || !running) break; // the epoch waits in the session for the pause below
    const snap = JSON.parse(ws.gpu_apply());
    if (read) { readAt = now; readEpoch = snap.step; }
    if (done || read || now - postedAt > 50) {
      post(FromWorker.PROGRESS, { snapshot: snap });
      postedAt = now;
    }
    if (snap.done) {
      running = false;
      afterSlice(true);
      postDone(snap);
      return;
    }
    if (read) afterSlice(false);
  }
  // Paused or stopped: record what the GPU finished and show the model as it stands.
  if (!running && gpuRun && ws.steps_total() > 0) {
    await onGpu(() => ws.gpu_pull()).catch(() => {});
    if (running || !gpuRun) return;
    const snap = JSON.parse(ws.gpu_apply());
    post(FromWorker.PROGRESS, { snapshot: snap });
    afterSlice(true);
    if (snap.done) postDone(snap);
  }
}

// The one set-up of a new run, trained from scratch or rebuilt from a model file: `start`
// makes the session's new model (and returns what it returns).
function setUpRun(state, start) {
  running = false;
  runId++;
  const out = start();
  gpuRun = false;
  info = kinds.get(state.model.kind) ?? info;
  unsupervised = info.family !== 'supervised';
  view = state.view;
  viewAt = -Infinity;
  return out;
}

async function startRun(backend) {
  running = true;
  const id = ++runId;
  try {
    if (backend === 'gpu' && !gpuRun && ws.steps_done() === 0) await startGpu(id);
    if (gpuRun) await runGpu(id);
    else await run(id, 15);
  } catch (err) {
    running = false;
    fail('training', err);
  }
}

let receiveWasm;
const wasmSetup = new Promise((resolve) => { receiveWasm = resolve; });

// Every request (ui/worker_messages.js) and what the worker does with it. A handler that
// throws is reported to the page as an `error` during that request.
const handlers = {
  [ToWorker.WASM]: (m) => receiveWasm(m),
  [ToWorker.LOAD]: async (m) => { running = false; await load(m.state); },
  [ToWorker.TARGET]: (m) => {
    running = false;
    ws.set_target(JSON.stringify(m.state));
    postLoaded(m.state);
  },
  [ToWorker.UPLOAD]: async (m) => { running = false; await upload(m.file, m.state); },
  [ToWorker.CANCEL_UPLOAD]: () => { cancelUpload = true; },
  [ToWorker.TRAIN]: (m) => {
    setUpRun(m.state, () => ws.start_training(JSON.stringify(m.state)));
    // m.backend: where ui/backend.js decided the kinds that can use the GPU train.
    if (m.backend !== 'gpu' && info.gpu) post(FromWorker.BACKEND, { ran: 'cpu', label: 'CPU (wasm)', note: '' });
    startRun(info.gpu ? m.backend : 'cpu');
  },
  [ToWorker.RESUME]: () => { if (!running) startRun(gpuRun ? 'gpu' : 'cpu'); },
  [ToWorker.PAUSE]: () => { running = false; runId++; },
  [ToWorker.STOP]: () => { running = false; runId++; },
  [ToWorker.STEP]: async (m) => {
    if (m.fresh) setUpRun(m.state, () => ws.start_training(JSON.stringify(m.state)));
    running = false;
    const id = ++runId;
    if (m.fresh && m.backend === 'gpu' && info.gpu) await startGpu(id);
    let snap;
    if (gpuRun) {
      try { snap = await gpuEpoch(true); } catch (err) { fallBack(err, ws.steps_done()); }
    }
    if (id !== runId) return;
    snap ??= JSON.parse(ws.run_slice(0, 1));
    // A set-up (UMAP's or t-SNE's neighbour search) goes on in slices, with progress, to the first step.
    while (snap.phase) {
      post(FromWorker.PROGRESS, { snapshot: snap });
      await pause();
      if (id !== runId) return;
      snap = JSON.parse(ws.run_slice(15, 1));
    }
    post(FromWorker.PROGRESS, { snapshot: snap });
    afterSlice(true);
    if (snap.done) postDone(snap);
  },
  [ToWorker.LOAD_MODEL]: (m) => {
    const snap = JSON.parse(setUpRun(m.state, () => ws.load_model(m.text)));
    post(FromWorker.PROGRESS, { snapshot: snap });
    afterSlice(true);
    postDone(snap);
  },
  [ToWorker.CV]: (m) => post(FromWorker.CV, { result: JSON.parse(ws.cross_validate(JSON.stringify(m.state), m.folds)) }),
  [ToWorker.SWEEP]: (m) => post(FromWorker.SWEEP, { result: JSON.parse(ws.validation_curve(JSON.stringify(m.state))) }),
  [ToWorker.FINAL]: () => {
    const report = JSON.parse(ws.final_report());
    post(FromWorker.FINAL, { report: { ...report, evaluation: withRows(report.evaluation, true) } });
  },
  [ToWorker.PCA]: () => {
    const packed = ws.pca_plane();
    post(FromWorker.PCA, { ratios: [packed[0], packed[1]], coords: packed.subarray(2).slice() });
  },
  [ToWorker.VIEW]: (m) => {
    view = m.view;
    if (ws.steps_total() > 0 && !unsupervised) postView(true);
  },
  [ToWorker.ELBOW]: (m) => post(FromWorker.ELBOW, { result: JSON.parse(ws.elbow(m.k_max)) }),
  [ToWorker.K_DISTANCE]: (m) => post(FromWorker.K_DISTANCE, { k: m.k, distances: ws.k_distance(m.k) }),
  [ToWorker.PCA_DETAILS]: () => post(FromWorker.PCA_DETAILS, { result: JSON.parse(ws.pca_details()) }),
  [ToWorker.EXPORT]: () => post(FromWorker.EXPORT, { csv: ws.export_csv() }),
  [ToWorker.PREDICTIONS]: (m) => post(FromWorker.PREDICTIONS, { csv: ws.predictions_csv(m.with_test) }),
  [ToWorker.ADD_CLUSTERS]: (m) => {
    running = false;
    ws.add_cluster_column(m.name, JSON.stringify(m.state));
    postLoaded(m.state);
  },
  [ToWorker.EXPORT_CODE]: (m) => post(FromWorker.EXPORT_CODE, JSON.parse(ws.export_code(JSON.stringify(m.state), m.target))),
  [ToWorker.GOALS]: (m) => post(FromWorker.GOALS, { results: JSON.parse(ws.check_goals(m.exercise, JSON.stringify(m.state))) }),
  [ToWorker.ROW]: (m) => post(FromWorker.ROW, { index: m.index, cells: JSON.parse(ws.row(m.index)) }),
  [ToWorker.SAVE_MODEL]: () => post(FromWorker.MODEL_FILE, { text: ws.save_model() }),
  [ToWorker.DESCENT]: (m) => post(FromWorker.DESCENT, { view: JSON.parse(ws.descent(JSON.stringify(m.request))) }),
  [ToWorker.CNN_IMAGE]: (m) => { cnnImage = m.position; postCnn(true); },
  [ToWorker.IMAGES]: (m) => post(FromWorker.IMAGES, { gallery: JSON.parse(ws.image_gallery(m.per_class)) }),
  [ToWorker.DRAWING]: (m) => post(FromWorker.DRAWING, { result: JSON.parse(ws.predict_drawing(JSON.stringify(m.strokes))) }),
  [ToWorker.GPU_LOSE]: () => { ws.gpu_lose_device(); },
  [ToWorker.CRASH_TEST]: (m) => (m.inThreads ? debug_panic_in_threads() : debug_panic()),
};

// Requests wait for what they need, in the order they came: LOAD for the core only (reading
// data uses no compute thread, and rayon's pool must not be touched before it is built), so
// the page's data loads while the GPU is probed and the threads start; every other request
// waits for the threads too, and so does a LOAD behind one.
let coreReady, threadsReady;
let coreUp = new Promise((resolve) => { coreReady = resolve; }).then(() => { coreUp = null; });
let threadsUp = new Promise((resolve) => { threadsReady = resolve; }).then(() => { threadsUp = null; });
let waiting = 0;

self.onmessage = async (e) => {
  const m = e.data;
  try {
    const need = m.type === ToWorker.WASM ? null : m.type === ToWorker.LOAD && !waiting ? coreUp : threadsUp;
    if (need) {
      waiting++;
      await need.finally(() => waiting--);
    }
    const handle = handlers[m.type];
    if (!handle) throw new Error(`'${m.type}' is not a request the worker knows`);
    await handle(m);
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

// The page sends the compiled module ('wasm') rather than have it compiled twice.
const setup = await wasmSetup;
const core = await (early && setup.dir === self.name ? early : import(`../${setup.dir}/mlplay.js`));
({ WebSession, data_file, probe_webgpu, debug_panic, debug_panic_in_threads } = core);
const exports = await core.default({ module_or_path: setup.module });
kinds = new Map(JSON.parse(core.catalog()).models.map((k) => [k.kind, k]));
// Read by the soak test (tests/e2e/soak.spec.js) through the worker's global scope: the
// size of this worker's wasm memory, which only grows, so it is the high-water mark.
self.mlplayWasmBytes = () => exports.memory.buffer.byteLength;
ws = new WebSession();
coreReady();
// The compute threads start while the GPU is probed and the data loads. READY says how many
// are starting; THREADS corrects that if fewer started.
const started = startThreads(core, exports.memory, setup);
started.then(threadsReady);
adapterLabel = await webgpuName();
const planned = core.pool_start && setup.threads >= 2 ? setup.threads : await started;
post(FromWorker.READY, { webgpu: adapterLabel, threads: planned });
started.then((threads) => threads !== planned && post(FromWorker.THREADS, { threads }));
