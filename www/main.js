// Boot and wiring: read the link into a state, build the panels, talk to the training
// worker, and keep the address bar a share link of exactly what is on screen.

import { init, catalog as readCatalog, decode_link, default_state, encode_link, parse_exercise, state_change } from './ui/core.js';
import { $, announce, el, formatBytes, hideMessage, setText, showMessage } from './ui/dom.js';
import { buildAxisPickers, buildDataPanel, buildModelPanel, setFieldError } from './ui/controls.js';
import { drawLoss, saveButton } from './ui/charts.js';
import { attachHover } from './ui/hover.js';
import { addKinds, tip } from './ui/glossary.js';
import { Trainer, compileWasm } from './ui/trainer.js';
import { EXERCISE_ID, applyLocks } from './ui/exercise.js';
import { enableExports } from './ui/downloads.js';
import { enableModelDownload } from './ui/model_file.js';
import { decideBackend, renderBackendControl } from './ui/backend.js';
import { keptUpload, showKept } from './ui/upload_store.js';
import { ToWorker } from './ui/worker_messages.js';
import { canDraw, redrawScatter as drawScatterView } from './ui/scatter_view.js';
import { renderDataInfo } from './ui/data_info.js';
import { createStore } from './ui/store.js';
import { placeRunPanel, skipToTrain } from './ui/layout.js';
import { workerHandlers } from './ui/worker_handlers.js';
import { drawWith, view, viewIfLoaded } from './ui/lazy.js';
import { buildRunActions } from './ui/run_actions.js';
import { wireHeader } from './ui/header_actions.js';

const params = new URLSearchParams(location.search);
if (params.has('embed')) document.body.classList.add('embed');

const wasmModule = compileWasm();
const trainer = new Trainer(wasmModule); // starts the worker while this page gets ready
await init({ module_or_path: await wasmModule });
const catalog = JSON.parse(readCatalog());
addKinds(catalog.models);
// `?embed` (an iframe in a course page): its module comes before anything is drawn.
const embed = params.has('embed') ? await view('embed') : null;
// What the core says about a kind (its family, whether it detects anomalies or can use the
// GPU, its step unit and curve): the page holds no list of kinds of its own.
const kindInfo = (kind = store.state.model.kind) => catalog.models.find((m) => m.kind === kind);

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
// The state has one writer, the store: every edit, link, model file and worker report goes
// through it, and the core says what each edit makes stale (crates/app/src/state/change.rs).
const store = createStore(exercise && location.hash.length <= 1 ? normalState(exercise.ex.start_state) : readLink(), {
  normalise: normalState,
  invalidated: (before, after) => state_change(JSON.stringify(before), JSON.stringify(after)),
  persist: (s) => window.history.replaceState(null, '', `#${encode_link(JSON.stringify(s))}`),
});
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
let runs = 0;            // resets so far: a lazily fetched view drops what a reset made stale
let painting = false;     // the paint tools (ui/paint.js) are attached to the scatter plot

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

// Apply an edit; an invalid one is reported next to its control and the state is kept.
function change(mutate, control) {
  const was = kindInfo();
  let toTraffic = false;
  let edit;
  try {
    edit = store.change((next) => {
      mutate(next);
      // An anomaly detector needs a two-class target: from a set without one, open the course's example.
      toTraffic = Boolean(kindInfo(next.model.kind)?.anomaly && !was?.anomaly && data && data.summary.class_names?.length !== 2);
      if (toTraffic) Object.assign(next, { dataset: { id: 'traffic', target: null }, task: null, columns: { exclude: [], include: [], categorical: [] }, view: { x_feature: 0, y_feature: 1 } });
    });
  } catch (e) {
    if (control) setFieldError(control, e.message); else showMessage(e.message);
    return;
  }
  if (control) setFieldError(control, '');
  if (toTraffic) announce(`The network traffic set is opened: ${kindInfo().title} needs a target with two classes, such as is_anomaly.`);
  redo(edit);
}

// What an edit made stale, as the core says, is done again.
function redo({ before, state, redo: what }) {
  if (what === 'reload') {
    resetRun();
    renderDataPanel();
    loadData();
  } else if (what === 'retarget') {
    resetRun();
    trainer.send(ToWorker.TARGET, { state });
  } else if (what === 'retrain') {
    resetRun();
    if (before.model.kind !== state.model.kind) { renderModelPanel(); renderUnsupPanel(); }
    renderBackend();
  } else if (what === 'replot') {
    if (surface) trainer.send(ToWorker.VIEW, { view: state.view });
    if (before.view.pca !== state.view.pca) buildAxisPickers($('axis-pickers'), data.summary.feature_names, state.view, change);
    redrawScatter();
  }
  if (before.view.threshold !== state.view.threshold) viewIfLoaded('anomaly')?.syncThreshold(state.view.threshold);
  if (before.positive !== state.positive && data && !data.summary.error) showDataInfo();
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

// The data as a table, folded under the charts: its module comes with its first opening.
function showTable() {
  const { summary } = data;
  const image = catalog.datasets.find((d) => d.id === store.state.dataset.id)?.image;
  drawWith('table', 'table-body', (t) => {
    t.renderTable($('table-body'), summary, image, setColumnRole);
    applyLocks(exercise?.ex); // its column roles
  }, $('table-view').open);
}

function renderDataPanel() {
  buildDataPanel($('data-controls'), catalog, store.state, data?.summary, change, upload);
  embed?.applyEmbed(store.state, Boolean(exercise));
  applyLocks(exercise?.ex);
}

function renderModelPanel() {
  buildModelPanel($('model-controls'), catalog, store.state, data?.summary.task, change);
  renderBackend();
  embed?.applyEmbed(store.state, Boolean(exercise));
  applyLocks(exercise?.ex);
}

// The kinds that can use the GPU (the neural networks): where they train (ui/backend.js
// decides) and the switch.
function renderBackend() {
  const state = store.state;
  renderBackendControl($('backend-control'), { gpu: Boolean(kindInfo()?.gpu), choice: state.backend ?? 'auto', adapter, onChange: change });
}

// The network's pictures (a classifying or regressing network) or the anomaly view (an
// anomaly detector), live while training.
function showNetwork(m) {
  const state = store.state;
  const info = kindInfo();
  const net = { neurons: Boolean(info?.gpu && !info.anomaly), explanation: m.explanation, grids: m.network?.grids,
    rawNames: data?.summary.feature_names ?? [], pca: Boolean(state.view.pca) };
  // The network's module comes with the first network's run; each update is drawn, in
  // order (grids left out keep the last ones), unless a reset came meanwhile.
  if (!net.neurons || !m.explanation?.network) viewIfLoaded('network')?.renderNetworkViews($('network'), net);
  else {
    const run = runs;
    view('network').then((v) => { if (run === runs) v.renderNetworkViews($('network'), net); });
  }
  const anomaly = { a: info?.anomaly ? m.explanation.anomaly : null, d: m.network?.anomaly, kind: info,
    p: state.view.threshold, settle: (p) => { change((s) => { s.view = { ...s.view, threshold: p }; }); showEvaluation(); } };
  // The anomaly view's module comes with the first detector's run, not the first visit.
  if (!anomaly.a) { viewIfLoaded('anomaly')?.renderAnomaly($('anomaly'), anomaly); return; }
  const run = runs;
  view('anomaly').then((v) => { if (run === runs) v.renderAnomaly($('anomaly'), anomaly); }); // not after a reset
}

// Re-check the exercise's goals against the finished run and the state as it is now.
function checkGoals() {
  if (exercise && report) trainer.send(ToWorker.GOALS, { exercise: exercise.text, state: store.state });
}

function submitExercise() {
  const link = location.href;
  view('exercise_bar').then((bar) => bar.showSubmission($('exercise'), link, goalsMet, exercise.ex.goals.length));
  navigator.clipboard?.writeText(location.href).then(() => announce('Result link copied.'), () => {});
}

// ---- the worker -------------------------------------------------------------------

function loadData() {
  data = null;
  setPhase('idle');
  $('data-info').textContent = 'Loading…';
  trainer.send(ToWorker.LOAD, { state: store.state });
}

// ---- uploads ----------------------------------------------------------------------

function upload(file, restored = false) {
  if (file.size > MAX_UPLOAD_BYTES) {
    showMessage(`'${file.name}' is ${formatBytes(file.size)}; this page can read files up to ${MAX_UPLOAD_BYTES / (1 << 20)} MB.`);
    return;
  }
  // Training stops; the run on screen stays until the file has loaded (a refused file keeps it).
  if (phase === 'running' || phase === 'paused') { trainer.send(ToWorker.STOP); setPhase('stopped'); }
  // The file this link was made with: keep the link's settings and let the worker check
  // the file's checksum against the link's.
  const reproducing = store.state.dataset.id === `file:${file.name}`;
  pendingUpload = { name: file.name, reproducing, file, restored };
  showUpload(0, 'Reading…');
  // What the state will be once the worker has read the file (the store records it then).
  const next = structuredClone(store.state);
  if (!reproducing) {
    next.dataset = { id: `file:${file.name}`, target: null };
    next.task = null;
    next.columns = { exclude: [], include: [], categorical: [] };
  }
  trainer.send(ToWorker.UPLOAD, { file, state: next });
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
  const ready = Boolean(data) && !data.summary.error && modelFits() && trainer.isReady();
  btn.disabled = !ready;
  $('step').disabled = !ready || p === 'running';
  $('stop').disabled = !(p === 'running' || p === 'paused');
  $('reset').disabled = p === 'idle';
  const supervised = family() === 'supervised';
  $('run-cv').disabled = !ready || p === 'running' || working || !supervised;
  $('run-sweep').disabled = !ready || p === 'running' || working || !supervised;
  $('final-eval').disabled = p !== 'done' || working || !supervised;
  $('experiments').hidden = !supervised;
  showLossChart();
}

// A chart with nothing to show is not shown: one-pass methods have no curve, and a finished
// run of one step (k-NN, naive Bayes) has one point.
function showLossChart() {
  $('loss').closest('figure').hidden = kindInfo()?.loss === 'no loss' || (phase === 'done' && curves.train.length < 2);
}

// Whether the chosen model can learn the loaded target's task.
function modelFits() {
  const info = kindInfo();
  return Boolean(info && data && info.tasks.includes(data.summary.task));
}

const family = () => kindInfo()?.family ?? 'supervised';

function renderUnsupPanel() {
  const f = family();
  document.body.classList.toggle('fits-unsupervised', f !== 'supervised');
  document.body.classList.toggle('fits-projection', f === 'projection');
  $('loss-caption').textContent = kindInfo()?.loss_caption
    ?? 'Learning curve: loss on the training rows and on the validation rows after each training step (epoch, tree or round).';
  showLossChart();
  // A clustering's or projection's module comes when such a kind is first chosen; the panel
  // and the plot are drawn again once it is in. (Never fetched, the panel is empty and hidden.)
  const unsup = viewIfLoaded('unsupervised');
  if (!unsup) {
    if (f !== 'supervised') view('unsupervised').then(() => { renderUnsupPanel(); redrawScatter(); });
    return;
  }
  unsup.renderPanel($('unsupervised'), { family: f, info: kindInfo(), data, redraw: redrawScatter,
    ask(type) {
      if (type === ToWorker.ADD_CLUSTERS) {
        trainer.send(type, { name: 'cluster', state: store.state });
        announce('Adding the clusters as a column named "cluster". A link does not carry it: download the CSV to keep it.');
        return;
      }
      if (type !== ToWorker.EXPORT) busy(true, 'Computing the chart…');
      trainer.send(type, { k_max: 10, k: store.state.model.min_samples ?? 5 });
    } });
}

function unsupDone(unsup, r) {
  unsup.showReport($('unsupervised'), r);
  const details = unsup.requestAfterFit(kindInfo());
  if (details) trainer.send(details);
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
  runs++;
  if (phase === 'running' || phase === 'paused') trainer.send(ToWorker.STOP);
  viewIfLoaded('unsupervised')?.resetFit();
  renderUnsupPanel();
  curves = { train: [], validation: [] };
  report = null;
  enableExports(false, family() === 'supervised');
  enableModelDownload(false);
  surface = null;
  evaluation = null;
  evaluationPart = 'validation';
  showEvaluation();
  // Views never fetched have drawn nothing; one still coming draws nothing now.
  drawWith('experiments', 'cv-result', (v) => v.renderCv($('cv-result'), null), false);
  drawWith('experiments', 'sweep-result', (v) => v.renderSweep($('sweep-result'), null), false);
  drawWith('metrics', 'metrics', (v) => v.renderMetrics($('metrics'), null), false);
  drawWith('explain', 'explain', (v) => v.renderExplanation($('explain'), null), false);
  viewIfLoaded('descent')?.resetDescent($('descent'));
  viewIfLoaded('network')?.resetNetworkViews($('network'));
  viewIfLoaded('anomaly')?.resetAnomaly($('anomaly'));
  redrawScatter();
  $('progress').value = 0;
  $('counter').textContent = `${stepUnit()} 0 / 0`;
  drawLoss($('loss'), [], [], lossName(), stepUnit());
  setPhase('idle');
  $('train-status').textContent = 'Press Train to fit the model.';
}

function play() {
  if (!data) return;
  if (phase === 'running') { trainer.send(ToWorker.PAUSE); setPhase('paused'); $('train-status').textContent = 'Paused.'; return; }
  if (phase === 'paused') { trainer.send(ToWorker.RESUME); setPhase('running'); $('train-status').textContent = 'Training…'; return; }
  resetRun();
  const state = store.state;
  trainer.send(ToWorker.TRAIN, { state, backend: decideBackend(state.backend, adapter).backend });
  setPhase('running');
  $('train-status').textContent = 'Training…';
  announce('Training started.');
}

function stepOnce() {
  if (!data || phase === 'running') return;
  const fresh = phase !== 'paused';
  if (fresh) resetRun();
  const state = store.state;
  trainer.send(ToWorker.STEP, { state, fresh, backend: decideBackend(state.backend, adapter).backend });
  setPhase('paused');
}

function stop() {
  if (phase !== 'running' && phase !== 'paused') return;
  trainer.send(ToWorker.STOP);
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

const stepUnit = () => kindInfo()?.step_unit ?? 'step';
const lossName = () => kindInfo()?.loss ?? (data?.summary.task === 'regression' ? 'mean squared error' : 'log-loss');

// ---- views ------------------------------------------------------------------------

// Threshold and costs live in the state, so a shared link shows the same cut.
const setView = (mutate) => change((s) => { s.view = mutate(s.view); });
// The evaluation's module comes with the first finished run, not the first visit; what it
// draws is read when it has come (a reset meanwhile draws nothing).
const showEvaluation = () => {
  const show = (v) => {
    v.renderEvaluation($('evaluation'), evaluation, store.state.view, setView, evaluationPart, (p) => change((s) => { s.positive = p; }),
      { image: catalog.datasets.find((d) => d.id === store.state.dataset.id)?.image, names: data?.summary.feature_names ?? [], redraw: redrawScatter });
    applyLocks(exercise?.ex);
  };
  const loaded = viewIfLoaded('evaluate');
  if (loaded) show(loaded);
  else if (evaluation) view('evaluate').then(show);
  else applyLocks(exercise?.ex);
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
  const v = store.state.view;
  if (v.x_feature >= n || v.y_feature >= n) store.record((s) => { s.view = { x_feature: 0, y_feature: Math.min(1, n - 1) }; });
}

// The PCA plane is asked for here, where the plot is wanted, not by the drawing.
function redrawScatter() {
  const state = store.state;
  if (!canDraw(data, state.view)) return;
  if (state.view.pca && !pcaData) { trainer.send(ToWorker.PCA); return; }
  drawScatterView({ data, state, pcaData, surface, family: family(), info: kindInfo(), change, report }, (p) => { plotted = p; });
  paintTools();
}

// Painted points: each stroke edits the state (the rows reload) and the model retrains. The
// tools' module comes with the first set that can be painted on.
function paintTools() {
  const paint = viewIfLoaded('paint');
  if (paint) { paint.renderPaintTools(); return; }
  if (!catalog.datasets.find((d) => d.id === store.state.dataset.id)?.paintable) return;
  view('paint').then((p) => {
    if (!painting) {
      painting = true;
      p.attachPaint($('scatter'), { plotted: () => plotted, state: () => store.state, data: () => data, catalog,
        edit: (mutate) => { autoTrain = true; change(mutate); }, redraw: redrawScatter });
    }
    p.renderPaintTools();
  });
}

function showDataInfo() {
  renderDataInfo($('data-info'), data.summary, store.state.positive ?? data.summary.default_positive, (p) => change((s) => { s.positive = p; }));
}

// ---- page wiring ------------------------------------------------------------------

buildRunActions({ trainer, store, catalog, busy, report: () => report, summary: () => data?.summary,
  // A model file's state names the data, as a link does: load that, then rebuild the model on it.
  openModel: (next, text, name) => {
    store.replace(next);
    pendingModel = text;
    resetRun();
    renderDataPanel();
    loadData();
    announce(`Opening the model in '${name}'.`);
  } });
if (embed) $('visual-panel').prepend(embed.openFullLink());
placeRunPanel();
skipToTrain();
$('scatter').closest('figure').append(saveButton($('scatter'), 'scatter'));
$('loss').closest('figure').append(saveButton($('loss'), 'learning-curve'));
attachHover($('scatter'), () => plotted, (row) => trainer.send(ToWorker.ROW, { index: row }));
$('play').addEventListener('click', play);
$('step').addEventListener('click', stepOnce);
$('stop').addEventListener('click', stop);
$('reset').addEventListener('click', () => { resetRun(); $('play').focus(); announce('Reset.'); });
$('message-close').addEventListener('click', hideMessage);
$('table-view').addEventListener('toggle', () => { if ($('table-view').open && data && !viewIfLoaded('table')) showTable(); });
$('data-controls').addEventListener('click', (e) => {
  if (e.target.id === 'upload-cancel') trainer.send(ToWorker.CANCEL_UPLOAD);
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
wireHeader();
$('backend').setAttribute('aria-description', tip('backend'));
addEventListener('hashchange', () => {
  const next = readLink();
  if (encode_link(JSON.stringify(next)) !== encode_link(JSON.stringify(store.state))) {
    store.replace(next);
    autoTrain = true;
    resetRun();
    renderDataPanel();
    loadData();
  } else {
    store.persist();
  }
});
const redrawAll = () => { redrawScatter(); viewIfLoaded('anomaly')?.redrawAnomaly(); showEvaluation(); drawLoss($("loss"), curves.train, curves.validation, lossName(), stepUnit()); };
// Charts' heights follow their widths: results appearing below them need no redraw.
let panelWidth = -1;
new ResizeObserver(([e]) => { if (e.contentRect.width !== panelWidth) { panelWidth = e.contentRect.width; redrawAll(); } }).observe($('visual-panel'));
// The scatter's height also follows the window's (style.css): a new height needs a redraw too.
let scatterHeight = -1;
new ResizeObserver(([e]) => { if (e.contentRect.height !== scatterHeight) { scatterHeight = e.contentRect.height; redrawScatter(); } }).observe($('scatter'));
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redrawAll);
if (params.has('debug')) {
  window.mlplayDebug = { crash: (inThreads = false) => trainer.send(ToWorker.CRASH_TEST, { inThreads }), loseGpu: () => trainer.send(ToWorker.GPU_LOSE), curves: () => curves };
}
if (exercise) view('exercise_bar').then((bar) => bar.renderExercise($('exercise'), exercise.ex, submitExercise));
loadData(); await new Promise((r) => setTimeout(r)); // the worker gets its messages only once this thread is free
renderDataPanel();
renderModelPanel();
renderUnsupPanel();
setPhase('idle');
drawLoss($('loss'), [], []);
store.persist();
// What the worker's messages may read and change here (ui/worker_handlers.js).
const page = {
  get adapter() { return adapter; }, set adapter(v) { adapter = v; },
  get autoTrain() { return autoTrain; }, set autoTrain(v) { autoTrain = v; },
  get data() { return data; }, set data(v) { data = v; },
  get evaluation() { return evaluation; }, set evaluation(v) { evaluation = v; },
  get evaluationPart() { return evaluationPart; }, set evaluationPart(v) { evaluationPart = v; },
  get goalsMet() { return goalsMet; }, set goalsMet(v) { goalsMet = v; },
  get pcaData() { return pcaData; }, set pcaData(v) { pcaData = v; },
  get pendingModel() { return pendingModel; }, set pendingModel(v) { pendingModel = v; },
  get pendingUpload() { return pendingUpload; }, set pendingUpload(v) { pendingUpload = v; },
  get phase() { return phase; }, set phase(v) { phase = v; },
  get report() { return report; }, set report(v) { report = v; },
  get surface() { return surface; }, set surface(v) { surface = v; },
  get exercise() { return exercise; },
  get runs() { return runs; },
  catalog, store, trainer,
  busy, change, checkGoals, clampView, family, loadData, modelFits, noFile, play, redrawScatter, renderBackend, renderDataPanel, renderModelPanel, renderUnsupPanel, resetRun, setPhase, showDataInfo, showEvaluation, showNetwork, showProgress, showProgressSoon, showTable, showUpload, unsupDone, upload,
};
trainer.listen(workerHandlers(page));
keptUpload().then((file) => { if (file) showKept(file); }, () => {});
