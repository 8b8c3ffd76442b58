// Boot and wiring: read the link into a state, build the panels, talk to the training
// worker, and keep the address bar a share link of exactly what is on screen.

import { init, catalog as readCatalog, decode_link, default_state, encode_link, model_file_state, parse_exercise, record_test_evaluation, test_unlocked } from './ui/core.js';
import { $, announce, el, hideMessage, setText, showMessage } from './ui/dom.js';
import { buildAxisPickers, buildDataPanel, buildModelPanel, setFieldError } from './ui/controls.js';
import { drawLoss, drawScatter, queueDraw, saveButton } from './ui/charts.js';
import { attachHover, showRowTip } from './ui/hover.js';
import * as unsup from './ui/unsupervised.js';
import { attachRotation, draw3d } from './ui/scatter3d.js';
import { renderMetrics } from './ui/metrics.js';
import { renderExplanation } from './ui/explain.js';
import { renderEvaluation } from './ui/evaluate.js';
import { experimentButtons, renderCv, renderSweep } from './ui/experiments.js';
import { renderTable } from './ui/table.js';
import { fillGlossary, tip } from './ui/glossary.js';
import { Trainer, compileWasm } from './ui/trainer.js';
import { offlineCache } from './ui/offline.js';
import { EXERCISE_ID, applyLocks, renderExercise, showGoals, showSubmission } from './ui/exercise.js';
import { buildReport, enableExports, exportBar, saveText } from './ui/report.js';
import { enableModelDownload, modelFileButtons } from './ui/model_file.js';
import { EMBED, applyEmbed, openFullLink } from './ui/embed.js';
import { decideBackend } from './ui/backend.js';
import { renderBackendControl, renderNetworkViews, resetNetworkViews, showBackendRun } from './ui/network.js';
import { redrawAnomaly, renderAnomaly, resetAnomaly, syncThreshold } from './ui/anomaly.js';
import { keepUpload, keptUpload, showKept } from './ui/upload_store.js';

const params = new URLSearchParams(location.search);
if (EMBED) document.body.classList.add('embed');

const wasmModule = compileWasm();
const trainer = new Trainer(wasmModule); // starts the worker while this page gets ready
await init({ module_or_path: await wasmModule });
const catalog = JSON.parse(readCatalog());

// An exercise (`?exercise=ID`, a file under www/exercises/): validated in Rust, then its
// starting state is used unless the link already carries a state (a student's own work).
let exercise = null;      // { text, ex } of the open exercise
let goalsMet = 0;
async function loadExercise(id) {
  if (!EXERCISE_ID.test(id)) throw new Error(`'${id}' is not an exercise name`);
  const resp = await fetch(new URL(`exercises/${id}.json`, import.meta.url));
  if (!resp.ok) throw new Error(`there is no exercise '${id}' (HTTP ${resp.status})`);
  const text = await resp.text();
  return { text, ex: JSON.parse(parse_exercise(text)) };
}
if (params.has('exercise')) {
  try {
    exercise = await loadExercise(params.get('exercise'));
  } catch (e) {
    showMessage(`The exercise could not be opened: ${e.message}.`);
  }
}

// Through the link codec, so the state has the same shape (key order) as every later one.
const normalState = (s) => JSON.parse(decode_link(encode_link(JSON.stringify(s))));
let state = exercise && location.hash.length <= 1 ? normalState(exercise.ex.start_state) : readLink();
let data = null;          // { summary, features, labels } from the worker
let phase = 'idle';       // idle | running | paused | stopped | done
let curves = { train: [], validation: [] };
let report = null;
let surface = null;       // the model's predictions over the scatter plot's plane
let evaluation = null;    // confusion matrix, threshold cuts or predictions, after training
let evaluationPart = 'validation';
let pcaData = null;       // { ratios, coords } of the PCA plane, asked for when first shown
let working = false;      // a cross-validation or validation curve is running in the worker
let autoTrain = location.hash.length > 1; // a shared link shows its result straight away
let pendingUpload = null; // { name, reproducing, file, restored } of a file being read by the worker
let plotted = null;       // { x, y, rows, frame } of the scatter plot as drawn, for the hover
let adapter = null;       // the WebGPU adapter's name from the worker's probe, or null
let pendingModel = null;  // the text of a model file to rebuild once its data has loaded

// Files over this are refused before reading, with their size and the limit.
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

function readLink() {
  try {
    return JSON.parse(decode_link(location.hash));
  } catch (e) {
    showMessage(`This link could not be used: ${e.message}. The default settings are shown instead.`);
    return JSON.parse(default_state());
  }
}

function writeLink() {
  window.history.replaceState(null, "", `#${encode_link(JSON.stringify(state))}`);
}

// Apply an edit; an invalid one is reported next to its control and the state is kept.
function change(mutate, control) {
  const next = structuredClone(state);
  mutate(next);
  // An autoencoder needs a two-class target: from a set without one, open the course's example.
  const toTraffic = next.model.kind === 'autoencoder' && state.model.kind !== 'autoencoder' && data && data.summary.class_names?.length !== 2;
  if (toTraffic) Object.assign(next, { dataset: { id: 'traffic', target: null }, task: null, columns: { exclude: [], include: [], categorical: [] }, view: { x_feature: 0, y_feature: 1 } });
  let normal;
  try {
    normal = JSON.parse(decode_link(encode_link(JSON.stringify(next))));
  } catch (e) {
    if (control) setFieldError(control, e.message); else showMessage(e.message);
    return;
  }
  if (control) setFieldError(control, '');
  if (toTraffic) announce('The network traffic set is opened: an autoencoder needs a target with two classes, such as is_anomaly.');
  const before = state;
  state = normal;
  writeLink();
  const same = (k) => JSON.stringify(before[k]) === JSON.stringify(state[k]);
  const { target: t0, ...rest0 } = before.dataset;
  const { target: t1, ...rest1 } = state.dataset;
  if (JSON.stringify(rest0) !== JSON.stringify(rest1) || before.seed !== state.seed) {
    resetRun();
    renderDataPanel();
    loadData();
  } else if (t0 !== t1 || before.task !== state.task || !same('columns')) {
    resetRun();
    trainer.send('target', { state });
  } else if (!same('split') || !same('model') || !same('prep') || !same('backend')) {
    resetRun();
    if (before.model.kind !== state.model.kind) { renderModelPanel(); renderUnsupPanel(); }
    renderBackend();
  } else if (before.view.x_feature !== state.view.x_feature || before.view.y_feature !== state.view.y_feature
    || before.view.pca !== state.view.pca) {
    if (surface) trainer.send('view', { view: state.view });
    if (before.view.pca !== state.view.pca) buildAxisPickers($('axis-pickers'), data.summary.feature_names, state.view, change);
    redrawScatter();
  }
  if (before.view.threshold !== state.view.threshold) syncThreshold(state.view.threshold);
  checkGoals(); // a new threshold can meet a goal without retraining
}

// A column's role chosen in the table view: a number, categories, or left out.
function setColumnRole(column, role) {
  change((s) => {
    const without = (list = []) => list.filter((n) => n !== column.name);
    const cols = s.columns ?? {};
    s.columns = { exclude: without(cols.exclude), include: without(cols.include), categorical: without(cols.categorical) };
    const usable = ['numeric', 'categorical', 'boolean'].includes(column.kind);
    if (role === 'out') s.columns.exclude.push(column.name);
    else if (!usable) s.columns.include.push(column.name);
    if (role === 'categories' && column.kind !== 'categorical') s.columns.categorical.push(column.name);
  });
}

function renderDataPanel() {
  buildDataPanel($('data-controls'), catalog, state, data?.summary, change, upload);
  applyEmbed(state, Boolean(exercise));
  applyLocks(exercise?.ex);
}

function renderModelPanel() {
  buildModelPanel($('model-controls'), catalog, state, data?.summary.task, change);
  renderBackend();
  applyEmbed(state, Boolean(exercise));
  applyLocks(exercise?.ex);
}

// Neural networks: where they train (ui/backend.js decides) and the switch.
function renderBackend() {
  renderBackendControl($('backend-control'), { kind: state.model.kind, choice: state.backend ?? 'auto', adapter, onChange: change });
}

// The network's pictures (mlp) or the anomaly view (autoencoder), live while training.
function showNetwork(m) {
  renderNetworkViews($('network'), { kind: state.model.kind, explanation: m.explanation, grids: m.network?.grids,
    rawNames: data?.summary.feature_names ?? [], pca: Boolean(state.view.pca) });
  renderAnomaly($('anomaly'), { a: state.model.kind === 'autoencoder' ? m.explanation.anomaly : null, d: m.network?.anomaly,
    p: state.view.threshold, settle: (p) => { change((s) => { s.view = { ...s.view, threshold: p }; }); showEvaluation(); } });
}

// Re-check the exercise's goals against the finished run and the state as it is now.
function checkGoals() {
  if (exercise && report) trainer.send('goals', { exercise: exercise.text, state });
}

function submitExercise() {
  showSubmission($('exercise'), location.href, goalsMet, exercise.ex.goals.length);
  navigator.clipboard?.writeText(location.href).then(() => announce('Result link copied.'), () => {});
}

// ---- the worker -------------------------------------------------------------------

trainer.listen({
  ready(m) {
    const badge = $('backend');
    const threads = m.threads > 1 ? `${m.threads} threads` : 'one thread';
    badge.textContent = m.webgpu ? `WebGPU: ${m.webgpu}` : `CPU (WebAssembly, ${threads})`;
    badge.dataset.backend = m.webgpu ? 'webgpu' : 'cpu';
    badge.dataset.threads = m.threads;
    adapter = m.webgpu ?? null;
    renderBackend();
    badge.title = m.webgpu && decideBackend('auto', m.webgpu).backend === 'gpu'
      ? `This browser offers WebGPU. Neural networks can train on the graphics card; other models run on the CPU (${threads}).`
      : `No WebGPU in this browser: every model trains on the CPU with WebAssembly (${threads}).`;
    loadData();
  },
  loaded(m) {
    data = m;
    pcaData = null;
    unsup.resetFit();
    if (pendingUpload) {
      // The previous run stays on screen until the new data has loaded.
      resetRun();
      // Kept for reloads of this tab (IndexedDB); a failure only costs the reload.
      const { file, restored } = pendingUpload;
      if (restored) {
        showKept(file);
        announce(`'${file.name}' was restored from this browser.`);
      } else {
        keepUpload(file).then(() => showKept(file),
          (e) => showMessage(`${e.message}; after a reload the page will ask for the file again.`));
      }
      // A new file starts from its own defaults; the file a link asked for keeps the link's settings.
      if (!pendingUpload.reproducing) {
        state.dataset = { id: `file:${pendingUpload.name}`, target: null };
        state.task = null;
        state.columns = { exclude: [], include: [], categorical: [] };
        state.view = { x_feature: 0, y_feature: 1 };
      } else {
        autoTrain = true;
      }
      pendingUpload = null;
      showUpload(null);
    }
    // The link names the file by its checksum, and carries it when it is small.
    if (state.dataset.id.startsWith('file:') && m.file.sha256) {
      state.dataset.sha256 = m.file.sha256;
      if (m.file.csv !== null) state.dataset.csv = m.file.csv; else delete state.dataset.csv;
    }
    state.dataset.target = m.summary.target_name ?? state.dataset.target;
    writeLink();
    renderDataPanel();
    renderTable($('table-body'), m.summary, catalog.datasets.find((d) => d.id === state.dataset.id)?.image, setColumnRole);
    if (m.summary.error) {
      showMessage(`The data is loaded, but ${m.summary.error}.`);
      $('data-info').replaceChildren(el('p', { class: 'warning' }, m.summary.error));
      setPhase('idle');
      $('play').disabled = true;
      $('step').disabled = true;
      return;
    }
    clampView();
    showDataInfo();
    if (!modelFits()) {
      // The new target needs another kind of model: switch to the first that fits, so
      // Train works and the menu shows what will really be trained.
      const first = catalog.models.find((k) => k.tasks.includes(m.summary.task));
      if (first) {
        state.model = { kind: first.kind };
        writeLink();
        announce(`${first.title} chosen: the previous model cannot learn a ${m.summary.task} target.`);
      }
    }
    renderModelPanel();
    renderUnsupPanel();
    buildAxisPickers($('axis-pickers'), data.summary.feature_names, state.view, change);
    redrawScatter();
    setPhase('idle');
    setTimeout(offlineCache, 0); // after the plot's drawing, queued just before
    if (pendingModel) {
      autoTrain = false;
      setPhase('running');
      trainer.send('load-model', { text: pendingModel, state, unsupervised: family() !== 'supervised' });
      pendingModel = null;
    } else if (autoTrain) { autoTrain = false; play(); }
  },
  'model-file'(m) {
    saveText(`mlplay-model-${state.model.kind}-${data?.summary.name ?? 'data'}.json`.replace(/[^\w.-]+/g, '_'), m.text, 'application/json');
    announce('Model file downloaded.');
  },
  // The link names an uploaded file the worker does not hold (a reload, a restarted worker):
  // the copy this tab kept, or ask for it.
  'need-file'(m) {
    keptUpload(m.name).then((file) => {
      if (file) { upload(file, true); return; }
      noFile(m.name, `This link was made with the file '${m.name}', which this tab does not keep; upload that file to reproduce it.`);
    }, (e) => noFile(m.name, `This link was made with the file '${m.name}'; ${e.message}. Upload that file to reproduce it.`));
  },
  'upload-progress'(m) { showUpload(m.loaded / Math.max(1, m.total), `${(m.loaded / 1e6).toFixed(1)} of ${(m.total / 1e6).toFixed(1)} MB`); },
  'upload-cancelled'() { pendingUpload = null; showUpload(null); announce('Upload cancelled; the previous data is still loaded.'); },
  progress(m) { showProgressSoon(m.snapshot); },
  backend(m) { showBackendRun($('backend-control'), m); if (m.note) announce(m.note); },
  fit(m) {
    const first = !unsup.hasFit();
    unsup.updateFit(m);
    if (first) unsup.enableFitButtons($('unsupervised'));
    redrawScatter();
  },
  elbow(m) { unsup.showElbow($('unsupervised'), m.result, state.model.n_clusters ?? 8); busy(false); },
  'k-distance'(m) { unsup.showKDistance($('unsupervised'), m.k, m.distances, state.model.eps ?? 0.5); busy(false); },
  'pca-details'(m) { unsup.showPcaDetails($('unsupervised'), m.result, state.model.n_components ?? 2); busy(false); },
  predictions(m) {
    saveText(`mlplay-predictions-${state.model.kind}-${data?.summary.name ?? 'data'}.csv`.replace(/[^\w.-]+/g, '_'), m.csv, 'text/csv');
    announce('Predictions downloaded.');
  },
  export(m) { unsup.download(`mlplay-${state.model.kind}-${data?.summary.name ?? 'data'}.csv`.replace(/[^\w.-]+/g, '_'), m.csv); announce('CSV downloaded.'); },
  row(m) { showRowTip(m.index, m.cells); },
  'export-code'(m) {
    const type = m.file_name.endsWith('.ipynb') ? 'application/x-ipynb+json' : 'text/x-python';
    const a = el('a', { download: m.file_name, href: URL.createObjectURL(new Blob([m.text], { type })) });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    announce(`${m.file_name} downloaded.`);
  },
  goals(m) {
    const before = goalsMet;
    goalsMet = showGoals($('exercise'), m.results);
    if (goalsMet !== before) announce(`${goalsMet} of ${m.results.length} exercise goals met.`);
  },
  final(m) {
    report = m.report;
    renderMetrics($('metrics'), report, report.rows[2], state.test_evaluations ?? 0);
    evaluation = m.report.evaluation;
    evaluationPart = 'test';
    showEvaluation();
    checkGoals();
    const acc = report.metrics.test?.accuracy ?? report.metrics.test?.r2;
    announce(`Final evaluation on the test rows${Number.isFinite(acc) ? `: ${acc.toFixed(3)}` : ''}.`);
  },
  cv(m) { renderCv($('cv-result'), m.result); busy(false); },
  pca(m) { pcaData = m; redrawScatter(); },
  sweep(m) { renderSweep($('sweep-result'), m.result); busy(false); },
  view(m) {
    surface = m.surface.length ? m.surface : null;
    redrawScatter();
    renderExplanation($('explain'), m.explanation);
    showNetwork(m);
  },
  done(m) {
    showProgress(m.snapshot);
    report = m.report;
    setPhase('done');
    enableExports(true, family() === 'supervised');
    enableModelDownload(true);
    if (family() !== 'supervised') { unsupDone(m.report); checkGoals(); return; }
    renderMetrics($('metrics'), report, report.rows[2], state.test_evaluations ?? 0);
    evaluation = m.evaluation;
    showEvaluation();
    // A link that carries a final evaluation of exactly this state shows the test numbers.
    if (test_unlocked(JSON.stringify(state))) trainer.send('final');
    else checkGoals();
    const acc = report.metrics.validation.accuracy;
    const msg = Number.isFinite(acc)
      ? `Training finished. Validation accuracy ${acc.toFixed(3)}.`
      : 'Training finished.';
    $('train-status').textContent = msg;
    announce(msg);
  },
  error(m) {
    if (m.during === 'upload') { pendingUpload = null; showUpload(null); }
    if (['cv', 'sweep', 'elbow', 'k-distance', 'pca-details'].includes(m.during)) busy(false);
    setPhase(phase === 'running' || phase === 'paused' ? 'stopped' : phase);
    const where = { load: 'Loading the data failed', upload: 'Reading the file failed', target: 'That target cannot be used',
      cv: 'Cross-validation failed', sweep: 'The validation curve failed', final: 'The final evaluation failed',
      elbow: 'The elbow chart failed', 'k-distance': 'The k-distance chart failed', 'pca-details': 'The scree chart failed',
      export: 'The export failed', 'add-clusters': 'Adding the clusters failed', row: 'Reading the row failed',
      goals: 'Checking the exercise goals failed', 'export-code': 'Exporting the code failed', predictions: 'The predictions export failed',
      'save-model': 'Saving the model failed', 'load-model': 'Opening the model file failed' }[m.during] ?? 'Training failed';
    showMessage(`${where}: ${m.message}`);
    $('train-status').textContent = `${where}.`;
    announce(`${where}: ${m.message}`);
  },
  crashed(message) {
    data = null; // the new worker holds no data until it answers 'loaded'
    setPhase('stopped');
    showMessage(`The training engine crashed (${message}). It has been restarted and your settings are kept; you can train again.`);
  },
});

function loadData() {
  data = null;
  setPhase('idle');
  $('data-info').textContent = 'Loading…';
  trainer.send('load', { state });
}

// ---- uploads ----------------------------------------------------------------------

function upload(file, restored = false) {
  if (file.size > MAX_UPLOAD_BYTES) {
    showMessage(`'${file.name}' is ${(file.size / 1e6).toFixed(0)} MB; this page can read files up to ${MAX_UPLOAD_BYTES / (1 << 20)} MB.`);
    return;
  }
  // Training stops; the run on screen stays until the file has loaded (a refused file keeps it).
  if (phase === 'running' || phase === 'paused') { trainer.send('stop'); setPhase('stopped'); }
  // The file this link was made with: keep the link's settings and let the worker check
  // the file's checksum against the link's.
  const reproducing = state.dataset.id === `file:${file.name}`;
  pendingUpload = { name: file.name, reproducing, file, restored };
  showUpload(0, 'Reading…');
  const next = structuredClone(state);
  if (!reproducing) {
    next.dataset = { id: `file:${file.name}`, target: null };
    next.task = null;
    next.columns = { exclude: [], include: [], categorical: [] };
  }
  trainer.send('upload', { file, state: next });
}

// No copy of the link's file: say so, and leave the page ready for an upload or another set.
function noFile(name, message) {
  // The link's run cannot be shown; a dataset chosen instead waits for Train. (Uploading the
  // named file sets it again: that upload reproduces the link.)
  autoTrain = false;
  showMessage(message);
  $('data-info').replaceChildren(el('p', { class: 'warning' }, `No data is loaded: upload '${name}' or choose a dataset.`));
  setPhase('idle');
}

function showUpload(fraction, text) {
  const box = $('upload-status');
  if (!box) return;
  box.hidden = fraction === null;
  if (fraction !== null) {
    $('upload-progress').value = fraction;
    $('upload-text').textContent = text;
  }
}

// ---- transport: play / pause / step / stop ----------------------------------------

function setPhase(p) {
  phase = p;
  const btn = $('play');
  const label = p === 'running' ? 'Pause' : p === 'paused' ? 'Resume' : 'Train';
  btn.querySelector('.play-text').textContent = label;
  btn.setAttribute('aria-label', label);
  btn.dataset.phase = p;
  const ready = Boolean(data) && !data.summary.error && modelFits();
  btn.disabled = !ready;
  $('step').disabled = !ready || p === 'running';
  $('stop').disabled = !(p === 'running' || p === 'paused');
  $('reset').disabled = p === 'idle';
  const supervised = family() === 'supervised';
  $('run-cv').disabled = !ready || p === 'running' || working || !supervised;
  $('run-sweep').disabled = !ready || p === 'running' || working || !supervised;
  $('final-eval').disabled = p !== 'done' || working || !supervised;
  $('experiments').hidden = !supervised;
}

// Whether the chosen model can learn the loaded target's task.
function modelFits() {
  const info = catalog.models.find((m) => m.kind === state.model.kind);
  return Boolean(info && data && info.tasks.includes(data.summary.task));
}

const family = () => unsup.familyOf(catalog, state.model.kind);

const LOSS_CAPTION = {
  kmeans: 'Inertia after each iteration: it falls as the centres settle, and jumps up where another restart (n_init) begins from new centres.',
  tsne: 'KL divergence, evaluated every 50 iterations. It drops sharply when the early exaggeration ends (iteration 250) and the layout relaxes.',
  dbscan: 'DBSCAN fits in one pass: there is no curve to show.',
  pca: 'PCA is exact and fits in one step: there is no curve to show.',
  umap: 'UMAP has no loss it tracks: watch the layout settle on the plot instead (one step per epoch).',
};

function renderUnsupPanel() {
  const f = family();
  document.body.classList.toggle('fits-unsupervised', f !== 'supervised');
  document.body.classList.toggle('fits-projection', f === 'projection');
  $('loss-caption').textContent = LOSS_CAPTION[state.model.kind]
    ?? 'Learning curve: loss on the training rows and on the validation rows after each training step (epoch, tree or round).';
  unsup.renderPanel($('unsupervised'), { family: family(), kind: state.model.kind, data, state, redraw: redrawScatter,
    ask(type) {
      if (type === 'add-clusters') {
        trainer.send(type, { name: 'cluster', state });
        announce('Adding the clusters as a column named "cluster". A link does not carry it: download the CSV to keep it.');
        return;
      }
      if (type !== 'export') busy(true, 'Computing the chart…');
      trainer.send(type, { k_max: 10, k: state.model.min_samples ?? 5 });
    } });
}

function unsupDone(r) {
  unsup.showReport($('unsupervised'), r);
  if (state.model.kind === 'pca') trainer.send('pca-details');
  redrawScatter();
  const m = r.metrics;
  const key = m.adjusted_rand !== undefined ? ['adjusted Rand index against the labels', m.adjusted_rand]
    : m.silhouette !== undefined ? ['silhouette', m.silhouette]
      : m.trustworthiness_15 !== undefined ? ['trustworthiness (k=15)', m.trustworthiness_15] : null;
  const msg = `Fitting finished.${key ? ` ${key[0][0].toUpperCase()}${key[0].slice(1)} ${key[1].toFixed(3)}.` : ''}`;
  $('train-status').textContent = msg;
  announce(msg);
}

function resetRun() {
  if (phase === 'running' || phase === 'paused') trainer.send('stop');
  unsup.resetFit();
  renderUnsupPanel();
  curves = { train: [], validation: [] };
  report = null;
  enableExports(false, family() === 'supervised');
  enableModelDownload(false);
  surface = null;
  evaluation = null;
  evaluationPart = 'validation';
  showEvaluation();
  renderCv($('cv-result'), null);
  renderSweep($('sweep-result'), null);
  renderMetrics($('metrics'), null);
  renderExplanation($('explain'), null);
  resetNetworkViews($('network'));
  resetAnomaly($('anomaly'));
  redrawScatter();
  $('progress').value = 0;
  $('counter').textContent = `${stepUnit()} 0 / 0`;
  drawLoss($('loss'), [], [], lossName(), stepUnit());
  setPhase('idle');
  $('train-status').textContent = 'Press Train to fit the model.';
}

function play() {
  if (!data) return;
  if (phase === 'running') { trainer.send('pause'); setPhase('paused'); $('train-status').textContent = 'Paused.'; return; }
  if (phase === 'paused') { trainer.send('resume'); setPhase('running'); $('train-status').textContent = 'Training…'; return; }
  resetRun();
  trainer.send('train', { state, unsupervised: family() !== 'supervised', backend: decideBackend(state.backend, adapter).backend });
  setPhase('running');
  $('train-status').textContent = 'Training…';
  announce('Training started.');
}

function stepOnce() {
  if (!data || phase === 'running') return;
  const fresh = phase !== 'paused';
  if (fresh) resetRun();
  trainer.send('step', { state, fresh, unsupervised: family() !== 'supervised', backend: decideBackend(state.backend, adapter).backend });
  setPhase('paused');
}

function stop() {
  if (phase !== 'running' && phase !== 'paused') return;
  trainer.send('stop');
  setPhase('stopped');
  $('train-status').textContent = 'Stopped. The curves show how far training got.';
  announce('Training stopped.');
}

// Snapshots come every slice (~15 ms); the bar and counter follow once per frame.
let waitingSnapshot = null;
function showProgressSoon(s) {
  if (!waitingSnapshot) requestAnimationFrame(() => { if (waitingSnapshot) showProgress(waitingSnapshot); });
  waitingSnapshot = s;
}

function showProgress(s) {
  waitingSnapshot = null;
  curves = { train: s.train_loss, validation: s.validation_loss };
  $('progress').value = s.progress ?? (s.total ? s.step / s.total : 0);
  // A projection setting itself up (UMAP's or t-SNE's neighbour search) names what it is doing.
  setText($('counter'), s.phase ? `${s.phase.name} ${Math.floor(100 * s.phase.done)}%` : `${stepUnit()} ${s.step} / ${s.total}`);
  drawLoss($("loss"), curves.train, curves.validation, lossName(), stepUnit());
}

const stepUnit = () => catalog.models.find((m) => m.kind === state.model.kind)?.step_unit ?? 'step';
const lossName = () => ({ kmeans: 'inertia', tsne: 'KL divergence', pca: 'no loss', dbscan: 'no loss', umap: 'no loss' }[state.model.kind]
  ?? (data?.summary.task === 'regression' ? 'mean squared error' : 'log-loss'));

// ---- views ------------------------------------------------------------------------

// Threshold and costs live in the state, so a shared link shows the same cut.
const setView = (mutate) => change((s) => { s.view = mutate(s.view); });
const showEvaluation = () => {
  renderEvaluation($('evaluation'), evaluation, state.view, setView, evaluationPart);
  applyLocks(exercise?.ex);
};

let statusBeforeBusy = '';
function busy(on, text = '') {
  working = on;
  $('cv-result').setAttribute('aria-busy', String(on));
  if (on) { statusBeforeBusy = $('train-status').textContent; $('train-status').textContent = text; }
  else if (statusBeforeBusy) { $('train-status').textContent = statusBeforeBusy; statusBeforeBusy = ''; }
  setPhase(phase);
}

function clampView() {
  const n = data.summary.feature_names.length;
  const v = state.view;
  if (v.x_feature >= n || v.y_feature >= n) {
    state.view = { x_feature: 0, y_feature: Math.min(1, n - 1) };
    writeLink();
  }
}

const MAX_SCATTER_POINTS = 10000;

function redrawScatter() {
  if (!data) return;
  const s = data.summary;
  const { x_feature: xi, y_feature: yi } = state.view;
  // The state may already describe data that is still loading.
  if (!data.features.length || xi >= data.features.length) return;
  if (state.view.pca && !pcaData) { trainer.send('pca'); return; }
  // Large sets: draw every k-th row, and say so.
  const stride = Math.ceil(s.rows / MAX_SCATTER_POINTS);
  const pick = (a) => (stride > 1 ? a.filter((_, i) => i % stride === 0) : a);
  const pc = state.view.pca ? pcaData : null;
  const pcName = (k) => `PC${k + 1} (${(100 * pc.ratios[k]).toFixed(0)}% of the variance)`;
  const base = {
    x: pc ? pc.coords.filter((_, k) => k % 2 === 0) : data.features[xi],
    y: pc ? pc.coords.filter((_, k) => k % 2 === 1) : data.features[Math.min(yi, data.features.length - 1)],
    xName: pc ? pcName(0) : s.feature_names[xi],
    yName: pc ? pcName(1) : (s.feature_names[yi] ?? s.feature_names[xi]),
  };
  const u = family() === 'supervised' ? null : unsup.scatterFor(family(), state.model.kind, data, base);
  const canvas = $('scatter');
  canvas.dataset.view = u?.threeD ? '3d' : '2d';
  if (u?.threeD) canvas.setAttribute('tabindex', '0'); else canvas.removeAttribute('tabindex');
  if (u?.threeD) {
    queueDraw(canvas, () => draw3d(canvas, u.threeD));
    plotted = null;
    $('scatter-caption').textContent = u.caption;
    canvas.setAttribute('aria-label', `3-D scatter plot of the first three principal components: ${u.caption}`);
    return;
  }
  if (u) {
    const every = Math.ceil(u.x.length / MAX_SCATTER_POINTS);
    const thin = (a) => (every > 1 && a.length === u.x.length ? a.filter((_, i) => i % every === 0) : a);
    const d = { ...u, x: thin(u.x), y: thin(u.y), labels: thin(u.labels), values: thin(u.values), kinds: thin(u.kinds) };
    drawScatter(canvas, d, (frame) => {
      plotted = { x: d.x, y: d.y, rows: thin(u.rows), frame };
      setText($('scatter-caption'), (every > 1 ? `Every ${every}th of ` : '') + u.caption);
      canvas.setAttribute('aria-label', `Scatter plot: ${u.caption}`);
    });
    return;
  }
  const d = {
    x: pick(base.x), y: pick(base.y),
    labels: data.labels.length ? pick(data.labels) : data.labels,
    classNames: s.class_names,
    xName: base.xName, yName: base.yName,
    surface: surface ?? new Float64Array(0),
  };
  drawScatter(canvas, d, (frame) => {
    plotted = { x: d.x, y: d.y, rows: null, stride, frame };
    scatterCaption(s, stride, xi, yi);
  });
}

// Said once the plot is drawn (the page counts as ready when the caption is there).
function scatterCaption(s, stride, xi, yi) {
  const what = s.task === 'regression' ? '' : ', coloured by class';
  const more = state.view.pca ? ' On the PCA plane the model sees the plane through the mean of every feature.'
    : s.feature_names.length > 2 ? ' Other features are held at their median, so this is a slice through the model.' : '';
  const behind = surface
    ? (s.task === 'regression' ? ` Behind them, the model's prediction: blue low, orange high.${more}` : ` Behind them, the class the model predicts; paler where it is unsure.${more}`)
    : '';
  setText($('scatter-caption'), (stride > 1
    ? `Every ${stride}th row of ${s.rows.toLocaleString()}${what}.`
    : `The data, one dot per row${what}.`) + behind);
  $('scatter').setAttribute('aria-label',
    `Scatter plot of ${s.rows} rows: ${s.feature_names[yi]} against ${s.feature_names[xi]}, coloured by ${s.target_name}.`);
}

function showDataInfo() {
  const s = data.summary;
  const items = [
    ['Rows', s.rows.toLocaleString()],
    ['Numeric features', `${s.feature_names.length}${s.feature_names.length <= 12 ? ` (${s.feature_names.join(', ')})` : ''}`],
    ['Target', `${s.target_name} — ${s.task}${s.class_names.length ? `, ${s.class_names.length} classes` : ''}`],
  ];
  if (s.categorical_features.length) items.push(['Text features', `${s.categorical_features.join(', ')} (one-hot encoded)`]);
  if (s.class_counts.length) items.push(['Class sizes', s.class_names.map((c, i) => `${c}: ${s.class_counts[i]}`).join(', ')]);
  $('data-info').replaceChildren(
    el('dl', {}, items.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    ...s.warnings.map((w) => el('p', { class: 'warning', role: 'status' }, w)),
    ...s.notes.map((n) => el('p', { class: 'note' }, n)));
}

// ---- page wiring ------------------------------------------------------------------

$('experiments').replaceChildren(experimentButtons());
// Export as code: the same experiment as a scikit-learn script, a notebook or a Spark job.
$('export-code').replaceChildren(el('span', { class: 'export-label' }, 'Export as code:'),
  ...[['sklearn', 'scikit-learn script'], ['notebook', 'Jupyter notebook'], ['spark', 'Spark MLlib job']].map(([target, label]) =>
    el('button', { type: 'button', class: 'secondary small', 'data-export': target, title: `Download this experiment as a ${label}, to run it outside the browser`,
      onclick: () => trainer.send('export-code', { state, target }) }, label)));
// Downloads of the finished run: predictions (the test rows only after a final evaluation) and the report.
$('export-code').after(exportBar(
  () => trainer.send('predictions', { with_test: test_unlocked(JSON.stringify(state)) }),
  () => {
    if (!report) return;
    const html = buildReport({ state, report, summary: data?.summary, link: location.href, testCount: state.test_evaluations ?? 0, root: $('visual-panel'),
      knobs: catalog.datasets.find((d) => d.id === state.dataset.id)?.knobs ?? [] });
    saveText(`mlplay-report-${state.model.kind}-${data?.summary.name ?? 'data'}.html`.replace(/[^\w.-]+/g, '_'), html, 'text/html');
    announce('Report downloaded.');
  }));
$('run-export').append(...modelFileButtons(() => trainer.send('save-model'), (text, name) => {
  let next;
  try {
    next = JSON.parse(model_file_state(text));
  } catch (e) {
    showMessage(`'${name}' cannot be opened: ${e.message}`);
    return;
  }
  // Its state names the data, as a link does: load that, then rebuild the model on it.
  state = next;
  pendingModel = text;
  writeLink();
  resetRun();
  renderDataPanel();
  loadData();
  announce(`Opening the model in '${name}'.`);
}));
if (EMBED) $('visual-panel').prepend(openFullLink());
$('scatter').closest('figure').append(saveButton($('scatter'), 'scatter'));
$('loss').closest('figure').append(saveButton($('loss'), 'learning-curve'));
$('run-cv').addEventListener('click', () => { busy(true, 'Cross-validating…'); trainer.send('cv', { state, folds: 5 }); });
$('run-sweep').addEventListener('click', () => { busy(true, 'Training once per value for the validation curve…'); trainer.send('sweep', { state }); });
$('final-eval').addEventListener('click', () => {
  // Counted in the state (and so in the link): a test set looked at many times is no
  // longer a fair test.
  state = JSON.parse(record_test_evaluation(JSON.stringify(state)));
  writeLink();
  trainer.send('final');
});
attachHover($('scatter'), () => plotted, (row) => trainer.send('row', { index: row }));
attachRotation($('scatter'));
$('play').addEventListener('click', play);
$('step').addEventListener('click', stepOnce);
$('stop').addEventListener('click', stop);
$('reset').addEventListener('click', () => { resetRun(); $('play').focus(); announce('Reset.'); });
$('message-close').addEventListener('click', hideMessage);
$('data-controls').addEventListener('click', (e) => {
  if (e.target.id === 'upload-cancel') trainer.send('cancel-upload');
});
const panel = $('data-panel');
panel.addEventListener('dragover', (e) => { e.preventDefault(); panel.classList.add('dropping'); });
panel.addEventListener('dragleave', () => panel.classList.remove('dropping'));
panel.addEventListener('drop', (e) => {
  e.preventDefault();
  panel.classList.remove('dropping');
  const file = e.dataTransfer?.files?.[0];
  if (file) upload(file);
});
$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    announce('Link copied.');
    $('copy-link').textContent = 'Copied';
  } catch {
    showMessage(`Copy this link to share exactly what you see: ${location.href}`);
  }
  setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 1500);
});
$('open-glossary').addEventListener('click', () => $('glossary').showModal());
$('close-glossary').addEventListener('click', () => $('glossary').close());
$('backend').setAttribute('aria-description', tip('backend'));
fillGlossary($('glossary-list'));
addEventListener('hashchange', () => {
  const next = readLink();
  if (encode_link(JSON.stringify(next)) !== encode_link(JSON.stringify(state))) {
    state = next;
    autoTrain = true;
    resetRun();
    renderDataPanel();
    loadData();
  }
  writeLink();
});
const redrawAll = () => { redrawScatter(); redrawAnomaly(); showEvaluation(); drawLoss($("loss"), curves.train, curves.validation, lossName(), stepUnit()); };
// Charts' heights follow their widths: results appearing below them need no redraw.
let panelWidth = -1;
new ResizeObserver(([e]) => { if (e.contentRect.width !== panelWidth) { panelWidth = e.contentRect.width; redrawAll(); } }).observe($('visual-panel'));
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redrawAll);
if (params.has('debug')) {
  window.mlplayDebug = { crash: (inThreads = false) => trainer.send('crash-test', { inThreads }), loseGpu: () => trainer.send('gpu-lose'), curves: () => curves };
}

if (exercise) renderExercise($('exercise'), exercise.ex, submitExercise);
$('open-exercises').addEventListener('click', async () => {
  const list = $('exercise-list');
  if (!list.childElementCount) {
    try {
      const items = await (await fetch(new URL('exercises/index.json', import.meta.url))).json();
      list.replaceChildren(...items.map((it) => el('li', {}, el('a', { href: `?exercise=${encodeURIComponent(it.id)}` }, it.title))));
    } catch (e) {
      list.replaceChildren(el('li', {}, `The list could not be read: ${e.message}`));
    }
  }
  $('exercises').showModal();
});
$('close-exercises').addEventListener('click', () => $('exercises').close());
renderDataPanel();
renderModelPanel();
renderUnsupPanel();
setPhase('idle');
drawLoss($('loss'), [], []);
writeLink();
keptUpload().then((file) => { if (file) showKept(file); }, () => {});
