// What the page does with each message from the training worker (ui/worker_messages.js).
// `page` is main.js's side of it: the run's state (read and written through getters and
// setters there) and the functions that redraw the page.

import { isSoftwareAdapter, showBackendRun } from './backend.js';
import { buildAxisPickers } from './controls.js';
import { test_unlocked } from './core.js';
import { $, announce, el, formatBytes, showMessage } from './dom.js';
import { drawWith, view, viewIfLoaded } from './lazy.js';
import { showRowTip } from './hover.js';
import { enableModelDownload } from './model_file.js';
import { offlineCache } from './offline.js';
import { enableExports, saveText } from './downloads.js';
import { keepUpload, keptUpload, showKept } from './upload_store.js';
import { BUSY_REQUESTS, FAILED, FromWorker, GALLERY_PER_CLASS, ToWorker } from './worker_messages.js';

// The backend badge: WebGPU's adapter or the CPU, and the compute threads.
function showBackend(webgpu, count) {
  const badge = $('backend');
  const threads = count > 1 ? `${count} threads` : 'one thread';
  badge.textContent = webgpu ? `WebGPU: ${webgpu}` : `CPU (WebAssembly, ${threads})`;
  badge.dataset.backend = webgpu ? 'webgpu' : 'cpu';
  badge.dataset.threads = count;
  badge.title = isSoftwareAdapter(webgpu)
    ? `The only WebGPU adapter here is a software one (${webgpu}), slower than the CPU: every model trains on the CPU with WebAssembly (${threads}) unless you choose "GPU (WebGPU)".`
    : webgpu ? `This browser offers WebGPU. Neural networks can train on the graphics card; other models run on the CPU (${threads}).`
      : `No WebGPU in this browser: every model trains on the CPU with WebAssembly (${threads}).`;
}

// The views below come with the first run or data that shows them (ui/lazy.js). A
// clustering's or projection's messages wait for its module, in order, unless the run was
// reset meanwhile.
function withUnsup(page, use) {
  const u = viewIfLoaded('unsupervised');
  if (u) { use(u); return; }
  const run = page.runs;
  view('unsupervised').then((v) => { if (run === page.runs) use(v); });
}

// The gallery of an image set, or the image size of an upload; nothing for other sets.
function showGallery(page, g) {
  const wanted = Boolean(g) || page.store.state.dataset.id.startsWith('file:');
  drawWith('gallery', 'images', (v) => v.renderGallery($('images'), page, g), wanted);
}

function showMetrics(page) {
  const { report } = page;
  const tests = page.store.state.test_evaluations ?? 0;
  drawWith('metrics', 'metrics', (v) => v.renderMetrics($('metrics'), report, report.rows[2], tests));
}

// What waits for the data and the backend both: a model file to rebuild, or a link's run.
function afterLoad(page) {
  if (page.pendingModel) {
    page.autoTrain = false;
    page.setPhase('running');
    page.trainer.send(ToWorker.LOAD_MODEL, { text: page.pendingModel, state: page.store.state });
    page.pendingModel = null;
  } else if (page.autoTrain) { page.autoTrain = false; page.play(); }
}

// A run has finished: shown once the module of its numbers (the metrics, or a clustering's
// or projection's view) is in, so that "done" and the numbers come together, as when every
// module came with the page; nothing if the run was reset meanwhile.
function finished(page, m) {
  const needs = page.family() === 'supervised' ? 'metrics' : 'unsupervised';
  if (viewIfLoaded(needs)) { showFinished(page, m); return; }
  const run = page.runs;
  view(needs).then(() => { if (run === page.runs) showFinished(page, m); });
}

function showFinished(page, m) {
  page.showProgress(m.snapshot);
  page.report = m.report;
  page.setPhase('done');
  enableExports(true, page.family() === 'supervised');
  enableModelDownload(true);
  viewIfLoaded('gallery')?.refreshPad();
  if (page.family() !== 'supervised') { withUnsup(page, (unsup) => page.unsupDone(unsup, m.report)); page.checkGoals(); return; }
  showMetrics(page);
  // The descent view's module comes with the first finished run, not the first visit.
  const model = JSON.stringify(page.store.state.model);
  view('descent').then((d) => {
    if (!page.report || JSON.stringify(page.store.state.model) !== model) return; // reset or changed meanwhile
    if (d.offersDescent(page.store.state.model.kind, page.data?.summary.task, page.data?.summary.class_names?.length)) {
      d.openDescent($('descent'), page.store.state.model, (request) => page.trainer.send(ToWorker.DESCENT, { request }));
    }
  });
  page.evaluation = m.evaluation;
  page.showEvaluation();
  page.redrawScatter(); // the caption weighs a flat background against the final score
  // A link that carries a final evaluation of exactly this state shows the test numbers.
  if (test_unlocked(JSON.stringify(page.store.state))) page.trainer.send(ToWorker.FINAL);
  else page.checkGoals();
  const acc = page.report.metrics.validation.accuracy;
  const msg = Number.isFinite(acc)
    ? `Training finished. Validation accuracy ${acc.toFixed(3)}.`
    : 'Training finished.';
  $('train-status').textContent = msg;
  announce(msg);
}

export function workerHandlers(page) {
  return {
    [FromWorker.READY](m) {
      showBackend(m.webgpu, m.threads);
      page.adapter = m.webgpu ?? null;
      page.renderBackend();
      if (!page.trainer.dataAsked()) page.loadData(); // main.js asks at once; a restarted worker here
      else if (page.data) { page.setPhase(page.phase); afterLoad(page); } // the data came first
    },
    [FromWorker.THREADS](m) {
      showBackend(page.adapter, m.threads);
    },
    [FromWorker.LOADED](m) {
      page.data = m;
      page.pcaData = null;
      viewIfLoaded('unsupervised')?.resetFit();
      if (page.pendingUpload) {
        // The previous run stays on screen until the new data has loaded.
        page.resetRun();
        // Kept for reloads of this tab (IndexedDB); a failure only costs the reload.
        const { file, restored } = page.pendingUpload;
        if (restored) {
          showKept(file);
          announce(`'${file.name}' was restored from this browser.`);
        } else {
          keepUpload(file).then(() => showKept(file),
            (e) => showMessage(`${e.message}; after a reload the page will ask for the file again.`));
        }
        // A new file starts from its own defaults; the file a link asked for keeps the link's settings.
        const { name, reproducing } = page.pendingUpload;
        if (!reproducing) {
          page.store.record((s) => {
            s.dataset = { id: `file:${name}`, target: null };
            s.task = null;
            s.columns = { exclude: [], include: [], categorical: [] };
            s.view = { x_feature: 0, y_feature: 1 };
          });
        } else {
          page.autoTrain = true;
        }
        page.pendingUpload = null;
        page.showUpload(null);
      }
      page.store.record((s) => {
        // The link names the file by its checksum, and carries it when it is small.
        if (s.dataset.id.startsWith('file:') && m.file.sha256) {
          s.dataset.sha256 = m.file.sha256;
          if (m.file.csv !== null) s.dataset.csv = m.file.csv; else delete s.dataset.csv;
        }
        s.dataset.target = m.summary.target_name ?? s.dataset.target;
      });
      page.renderDataPanel();
      page.showTable();
      if (m.summary.error) showGallery(page, null); else page.trainer.send(ToWorker.IMAGES, { per_class: GALLERY_PER_CLASS });
      if (m.summary.error) {
        showMessage(`The data is loaded, but ${m.summary.error}.`);
        $('data-info').replaceChildren(el('p', { class: 'warning' }, m.summary.error));
        page.setPhase('idle');
        $('play').disabled = true;
        $('step').disabled = true;
        return;
      }
      page.clampView();
      page.showDataInfo();
      if (!page.modelFits()) {
        // The new target needs another kind of model: switch to the first that fits, so
        // Train works and the menu shows what will really be trained.
        const first = page.catalog.models.find((k) => k.tasks.includes(m.summary.task));
        if (first) {
          page.store.record((s) => { s.model = { kind: first.kind }; });
          announce(`${first.title} chosen: the previous model cannot learn a ${m.summary.task} target.`);
        }
      }
      page.renderModelPanel();
      page.renderUnsupPanel();
      buildAxisPickers($('axis-pickers'), page.data.summary.feature_names, page.store.state.view, page.change);
      page.redrawScatter();
      page.setPhase('idle');
      setTimeout(offlineCache, 0); // after the plot's drawing, queued just before
      if (page.trainer.isReady()) afterLoad(page); // else once READY has said where runs go
    },
    [FromWorker.MODEL_FILE](m) {
      saveText(`mlplay-model-${page.store.state.model.kind}-${page.data?.summary.name ?? 'data'}.json`.replace(/[^\w.-]+/g, '_'), m.text, 'application/json');
      announce('Model file downloaded.');
    },
    // The link names an uploaded file the worker does not hold (a reload, a restarted worker):
    // the copy this tab kept, or ask for it.
    [FromWorker.NEED_FILE](m) {
      keptUpload(m.name).then((file) => {
        if (file) { page.upload(file, true); return; }
        page.noFile(m.name, `This link was made with the file '${m.name}', which this tab does not keep; upload that file to reproduce it.`);
      }, (e) => page.noFile(m.name, `This link was made with the file '${m.name}'; ${e.message}. Upload that file to reproduce it.`));
    },
    [FromWorker.UPLOAD_PROGRESS](m) { page.showUpload(m.loaded / Math.max(1, m.total), `${formatBytes(m.loaded)} of ${formatBytes(m.total)}`); },
    [FromWorker.UPLOAD_CANCELLED]() { page.pendingUpload = null; page.showUpload(null); announce('Upload cancelled; the previous data is still loaded.'); },
    [FromWorker.PROGRESS](m) { page.showProgressSoon(m.snapshot); },
    [FromWorker.BACKEND](m) { showBackendRun($('backend-control'), m); if (m.note) announce(m.note); },
    [FromWorker.FIT](m) {
      withUnsup(page, (unsup) => {
        const first = !unsup.hasFit();
        unsup.updateFit(m);
        if (first) unsup.enableFitButtons($('unsupervised'));
        page.redrawScatter();
      });
    },
    // Asked for from the panel, or once a fit is done: the module is in.
    [FromWorker.ELBOW](m) { viewIfLoaded('unsupervised')?.showElbow($('unsupervised'), m.result, page.store.state.model.n_clusters ?? 8); page.busy(false); },
    [FromWorker.K_DISTANCE](m) { viewIfLoaded('unsupervised')?.showKDistance($('unsupervised'), m.k, m.distances, page.store.state.model.eps ?? 0.5); page.busy(false); },
    [FromWorker.PCA_DETAILS](m) { viewIfLoaded('unsupervised')?.showPcaDetails($('unsupervised'), m.result, page.store.state.model.n_components ?? 2); page.busy(false); },
    [FromWorker.PREDICTIONS](m) {
      saveText(`mlplay-predictions-${page.store.state.model.kind}-${page.data?.summary.name ?? 'data'}.csv`.replace(/[^\w.-]+/g, '_'), m.csv, 'text/csv');
      announce('Predictions downloaded.');
    },
    [FromWorker.EXPORT](m) { viewIfLoaded('unsupervised')?.download(`mlplay-${page.store.state.model.kind}-${page.data?.summary.name ?? 'data'}.csv`.replace(/[^\w.-]+/g, '_'), m.csv); announce('CSV downloaded.'); },
    [FromWorker.ROW](m) { showRowTip(m.index, m.cells); },
    [FromWorker.EXPORT_CODE](m) {
      const type = m.file_name.endsWith('.ipynb') ? 'application/x-ipynb+json' : 'text/x-python';
      const a = el('a', { download: m.file_name, href: URL.createObjectURL(new Blob([m.text], { type })) });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      announce(`${m.file_name} downloaded.`);
    },
    [FromWorker.GOALS](m) {
      view('exercise_bar').then((bar) => { // asked for with the exercise, before any goals
        const before = page.goalsMet;
        page.goalsMet = bar.showGoals($('exercise'), m.results);
        if (page.goalsMet !== before) announce(`${page.goalsMet} of ${m.results.length} exercise goals met.`);
      });
    },
    [FromWorker.FINAL](m) {
      page.report = m.report;
      showMetrics(page);
      page.evaluation = m.report.evaluation;
      page.evaluationPart = 'test';
      page.showEvaluation();
      page.checkGoals();
      const acc = page.report.metrics.test?.accuracy ?? page.report.metrics.test?.r2;
      announce(`Final evaluation on the test rows${Number.isFinite(acc) ? `: ${acc.toFixed(3)}` : ''}.`);
    },
    [FromWorker.CV](m) { drawWith('experiments', 'cv-result', (v) => v.renderCv($('cv-result'), m.result)); page.busy(false); },
    [FromWorker.PCA](m) { page.pcaData = m; page.redrawScatter(); },
    [FromWorker.SWEEP](m) { drawWith('experiments', 'sweep-result', (v) => v.renderSweep($('sweep-result'), m.result)); page.busy(false); },
    [FromWorker.VIEW](m) {
      page.surface = m.surface.length ? m.surface : null;
      page.redrawScatter();
      drawWith('explain', 'explain', (v) => v.renderExplanation($('explain'), m.explanation), Boolean(m.explanation));
      page.showNetwork(m);
      viewIfLoaded('gallery')?.refreshPad();
    },
    [FromWorker.CNN_INSIDE](m) {
      view('cnn_view').then((v) => v.renderCnnInside($('cnn-inside'), m.inside, (position) => page.trainer.send(ToWorker.CNN_IMAGE, { position })));
    },
    [FromWorker.DONE](m) { finished(page, m); },
    [FromWorker.DESCENT](m) { viewIfLoaded('descent')?.showDescent(m.view); },
    [FromWorker.IMAGES](m) { showGallery(page, m.gallery); },
    [FromWorker.DRAWING](m) { viewIfLoaded('gallery')?.showDrawing(m.result); }, // the pad asked: it is in
    [FromWorker.ERROR](m) {
      if (m.during === ToWorker.DESCENT) { viewIfLoaded('descent')?.descentFailed(m.message); return; }
      if (m.during === ToWorker.DRAWING) viewIfLoaded('gallery')?.drawingFailed();
      if (m.during === ToWorker.UPLOAD) { page.pendingUpload = null; page.showUpload(null); }
      if (BUSY_REQUESTS.includes(m.during)) page.busy(false);
      page.setPhase(page.phase === 'running' || page.phase === 'paused' ? 'stopped' : page.phase);
      const where = FAILED[m.during] ?? 'Training failed';
      showMessage(`${where}: ${m.message}`);
      $('train-status').textContent = `${where}.`;
      announce(`${where}: ${m.message}`);
    },
    crashed(message) {
      page.data = null; // the new worker holds no data until it answers 'loaded'
      page.setPhase('stopped');
      showMessage(`The training engine crashed (${message}). It has been restarted and your settings are kept; you can train again.`);
    },
  };
}
