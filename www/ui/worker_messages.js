// What the page does with each message from the training worker. `app` is the page's
// wiring (main.js): its state, read and written through getters and setters, and its
// actions (render a panel, set the transport's phase, redraw the scatter plot).

import { test_unlocked } from './core.js';
import { $, announce, el, showMessage } from './dom.js';
import { buildAxisPickers } from './controls.js';
import { showRowTip } from './hover.js';
import * as unsup from './unsupervised.js';
import { renderMetrics } from './metrics.js';
import { renderExplanation } from './explain.js';
import { renderCv, renderSweep } from './experiments.js';
import { renderTable } from './table.js';
import { offlineCache } from './offline.js';
import { showGoals } from './exercise.js';
import { enableExports, saveText } from './report.js';
import { enableModelDownload } from './model_file.js';
import { decideBackend } from './backend.js';
import { showBackendRun } from './network.js';
import { keepUpload, keptUpload, showKept } from './upload_store.js';

export function workerMessages(app) {
  return {
    ready(m) {
      const badge = $('backend');
      const threads = m.threads > 1 ? `${m.threads} threads` : 'one thread';
      badge.textContent = m.webgpu ? `WebGPU: ${m.webgpu}` : `CPU (WebAssembly, ${threads})`;
      badge.dataset.backend = m.webgpu ? 'webgpu' : 'cpu';
      badge.dataset.threads = m.threads;
      app.adapter = m.webgpu ?? null;
      app.renderBackend();
      badge.title = m.webgpu && decideBackend('auto', m.webgpu).backend === 'gpu'
        ? `This browser offers WebGPU. Neural networks can train on the graphics card; other models run on the CPU (${threads}).`
        : `No WebGPU in this browser: every model trains on the CPU with WebAssembly (${threads}).`;
      app.loadData();
    },
    loaded(m) {
      app.data = m;
      app.pcaData = null;
      unsup.resetFit();
      if (app.pendingUpload) {
        // The previous run stays on screen until the new data has loaded.
        app.resetRun();
        // Kept for reloads of this tab (IndexedDB); a failure only costs the reload.
        const { file, restored } = app.pendingUpload;
        if (restored) {
          showKept(file);
          announce(`'${file.name}' was restored from this browser.`);
        } else {
          keepUpload(file).then(() => showKept(file),
            (e) => showMessage(`${e.message}; after a reload the page will ask for the file again.`));
        }
        // A new file starts from its own defaults; the file a link asked for keeps the link's settings.
        if (!app.pendingUpload.reproducing) {
          app.state.dataset = { id: `file:${app.pendingUpload.name}`, target: null };
          app.state.task = null;
          app.state.columns = { exclude: [], include: [], categorical: [] };
          app.state.view = { x_feature: 0, y_feature: 1 };
        } else {
          app.autoTrain = true;
        }
        app.pendingUpload = null;
        app.showUpload(null);
      }
      // The link names the file by its checksum, and carries it when it is small.
      if (app.state.dataset.id.startsWith('file:') && m.file.sha256) {
        app.state.dataset.sha256 = m.file.sha256;
        if (m.file.csv !== null) app.state.dataset.csv = m.file.csv; else delete app.state.dataset.csv;
      }
      app.state.dataset.target = m.summary.target_name ?? app.state.dataset.target;
      app.writeLink();
      app.renderDataPanel();
      renderTable($('table-body'), m.summary, app.catalog.datasets.find((d) => d.id === app.state.dataset.id)?.image, app.setColumnRole);
      if (m.summary.error) {
        showMessage(`The data is loaded, but ${m.summary.error}.`);
        $('data-info').replaceChildren(el('p', { class: 'warning' }, m.summary.error));
        app.setPhase('idle');
        $('play').disabled = true;
        $('step').disabled = true;
        return;
      }
      app.clampView();
      app.showDataInfo();
      if (!app.modelFits()) {
        // The new target needs another kind of model: switch to the first that fits, so
        // Train works and the menu shows what will really be trained.
        const first = app.catalog.models.find((k) => k.tasks.includes(m.summary.task));
        if (first) {
          app.state.model = { kind: first.kind };
          app.writeLink();
          announce(`${first.title} chosen: the previous model cannot learn a ${m.summary.task} target.`);
        }
      }
      app.renderModelPanel();
      app.renderUnsupPanel();
      buildAxisPickers($('axis-pickers'), app.data.summary.feature_names, app.state.view, app.change);
      app.redrawScatter();
      app.setPhase('idle');
      setTimeout(offlineCache, 0); // after the plot's drawing, queued just before
      if (app.pendingModel) {
        app.autoTrain = false;
        app.setPhase('running');
        app.trainer.send('load-model', { text: app.pendingModel, state: app.state, unsupervised: app.family() !== 'supervised' });
        app.pendingModel = null;
      } else if (app.autoTrain) { app.autoTrain = false; app.play(); }
    },
    'model-file'(m) {
      saveText(`mlplay-model-${app.state.model.kind}-${app.data?.summary.name ?? 'data'}.json`.replace(/[^\w.-]+/g, '_'), m.text, 'application/json');
      announce('Model file downloaded.');
    },
    // The link names an uploaded file the worker does not hold (a reload, a restarted worker):
    // the copy this tab kept, or ask for it.
    'need-file'(m) {
      keptUpload(m.name).then((file) => {
        if (file) { app.upload(file, true); return; }
        app.noFile(m.name, `This link was made with the file '${m.name}', which this tab does not keep; upload that file to reproduce it.`);
      }, (e) => app.noFile(m.name, `This link was made with the file '${m.name}'; ${e.message}. Upload that file to reproduce it.`));
    },
    'upload-progress'(m) { app.showUpload(m.loaded / Math.max(1, m.total), `${(m.loaded / 1e6).toFixed(1)} of ${(m.total / 1e6).toFixed(1)} MB`); },
    'upload-cancelled'() { app.pendingUpload = null; app.showUpload(null); announce('Upload cancelled; the previous data is still loaded.'); },
    progress(m) { app.showProgressSoon(m.snapshot); },
    backend(m) { showBackendRun($('backend-control'), m); if (m.note) announce(m.note); },
    fit(m) {
      const first = !unsup.hasFit();
      unsup.updateFit(m);
      if (first) unsup.enableFitButtons($('unsupervised'));
      app.redrawScatter();
    },
    elbow(m) { unsup.showElbow($('unsupervised'), m.result, app.state.model.n_clusters ?? 8); app.busy(false); },
    'k-distance'(m) { unsup.showKDistance($('unsupervised'), m.k, m.distances, app.state.model.eps ?? 0.5); app.busy(false); },
    'pca-details'(m) { unsup.showPcaDetails($('unsupervised'), m.result, app.state.model.n_components ?? 2); app.busy(false); },
    predictions(m) {
      saveText(`mlplay-predictions-${app.state.model.kind}-${app.data?.summary.name ?? 'data'}.csv`.replace(/[^\w.-]+/g, '_'), m.csv, 'text/csv');
      announce('Predictions downloaded.');
    },
    export(m) { unsup.download(`mlplay-${app.state.model.kind}-${app.data?.summary.name ?? 'data'}.csv`.replace(/[^\w.-]+/g, '_'), m.csv); announce('CSV downloaded.'); },
    row(m) { showRowTip(m.index, m.cells); },
    'export-code'(m) {
      const type = m.file_name.endsWith('.ipynb') ? 'application/x-ipynb+json' : 'text/x-python';
      const a = el('a', { download: m.file_name, href: URL.createObjectURL(new Blob([m.text], { type })) });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      announce(`${m.file_name} downloaded.`);
    },
    goals(m) {
      const before = app.goalsMet;
      app.goalsMet = showGoals($('exercise'), m.results);
      if (app.goalsMet !== before) announce(`${app.goalsMet} of ${m.results.length} exercise goals met.`);
    },
    final(m) {
      app.report = m.report;
      renderMetrics($('metrics'), app.report, app.report.rows[2], app.state.test_evaluations ?? 0);
      app.evaluation = m.report.evaluation;
      app.evaluationPart = 'test';
      app.showEvaluation();
      app.checkGoals();
      const acc = app.report.metrics.test?.accuracy ?? app.report.metrics.test?.r2;
      announce(`Final evaluation on the test rows${Number.isFinite(acc) ? `: ${acc.toFixed(3)}` : ''}.`);
    },
    cv(m) { renderCv($('cv-result'), m.result); app.busy(false); },
    pca(m) { app.pcaData = m; app.redrawScatter(); },
    sweep(m) { renderSweep($('sweep-result'), m.result); app.busy(false); },
    view(m) {
      app.surface = m.surface.length ? m.surface : null;
      app.redrawScatter();
      renderExplanation($('explain'), m.explanation);
      app.showNetwork(m);
    },
    done(m) {
      app.showProgress(m.snapshot);
      app.report = m.report;
      app.setPhase('done');
      enableExports(true, app.family() === 'supervised');
      enableModelDownload(true);
      if (app.family() !== 'supervised') { app.unsupDone(m.report); app.checkGoals(); return; }
      renderMetrics($('metrics'), app.report, app.report.rows[2], app.state.test_evaluations ?? 0);
      app.evaluation = m.evaluation;
      app.showEvaluation();
      // A link that carries a final evaluation of exactly this state shows the test numbers.
      if (test_unlocked(JSON.stringify(app.state))) app.trainer.send('final');
      else app.checkGoals();
      const acc = app.report.metrics.validation.accuracy;
      const msg = Number.isFinite(acc)
        ? `Training finished. Validation accuracy ${acc.toFixed(3)}.`
        : 'Training finished.';
      $('train-status').textContent = msg;
      announce(msg);
    },
    error(m) {
      if (m.during === 'upload') { app.pendingUpload = null; app.showUpload(null); }
      if (['cv', 'sweep', 'elbow', 'k-distance', 'pca-details'].includes(m.during)) app.busy(false);
      app.setPhase(app.phase === 'running' || app.phase === 'paused' ? 'stopped' : app.phase);
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
      app.data = null; // the new worker holds no data until it answers 'loaded'
      app.setPhase('stopped');
      showMessage(`The training engine crashed (${message}). It has been restarted and your settings are kept; you can train again.`);
    },
  };
}
