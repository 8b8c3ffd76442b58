// The run panel's actions: model selection (cross-validation, validation curve, the final
// evaluation), export as code, the downloads of a finished run and the model file's save
// and open. `page` gives what they read and call in main.js.

import { $, announce, el, infoTip, showMessage } from './dom.js';
import { tip } from './glossary.js';
import { exportBar, saveText } from './downloads.js';
import { modelFileButtons } from './model_file.js';
import { ToWorker } from './worker_messages.js';
import { view } from './lazy.js';
import { model_file_state, record_test_evaluation, test_unlocked } from './core.js';

export function buildRunActions(page) {
  const { trainer, store, catalog } = page;
  // Model selection (their results: ui/experiments.js, fetched with the first).
  $('experiments').replaceChildren(el('div', { class: 'experiments controls-row' },
    el('button', { type: 'button', class: 'secondary', id: 'run-cv', disabled: true }, 'Cross-validate (5 folds)'),
    infoTip('cross-validation', tip('cross_validation')),
    el('button', { type: 'button', class: 'secondary', id: 'run-sweep', disabled: true }, 'Validation curve'),
    infoTip('validation curve', tip('validation_curve')),
    el('button', { type: 'button', class: 'secondary', id: 'final-eval', disabled: true }, 'Final evaluation (test set)'),
    infoTip('final evaluation', tip('final_evaluation'))));
  $('run-cv').addEventListener('click', () => { page.busy(true, 'Cross-validating…'); trainer.send(ToWorker.CV, { state: store.state, folds: 5 }); });
  $('run-sweep').addEventListener('click', () => { page.busy(true, 'Training once per value for the validation curve…'); trainer.send(ToWorker.SWEEP, { state: store.state }); });
  $('final-eval').addEventListener('click', () => {
    // Counted in the state (and so in the link): a test set looked at many times is no
    // longer a fair test.
    store.replace(JSON.parse(record_test_evaluation(JSON.stringify(store.state))));
    trainer.send(ToWorker.FINAL);
  });
  // Export as code: the same experiment as a scikit-learn script, a notebook or a Spark job.
  $('export-code').replaceChildren(el('span', { class: 'export-label' }, 'Export as code:'),
    ...[['sklearn', 'scikit-learn script'], ['notebook', 'Jupyter notebook'], ['spark', 'Spark MLlib job']].map(([target, label]) =>
      el('button', { type: 'button', class: 'secondary small', 'data-export': target, title: `Download this experiment as a ${label}, to run it outside the browser`,
        onclick: () => trainer.send(ToWorker.EXPORT_CODE, { state: store.state, target }) }, label)));
  // Downloads of the finished run: predictions (the test rows only after a final evaluation) and the report.
  $('export-code').after(exportBar(
    () => trainer.send(ToWorker.PREDICTIONS, { with_test: test_unlocked(JSON.stringify(store.state)) }),
    // The report's module comes with the first click.
    () => view('report').then(({ buildReport }) => {
      const report = page.report();
      if (!report) return;
      const state = store.state;
      const summary = page.summary();
      const html = buildReport({ state, report, summary, link: location.href, testCount: state.test_evaluations ?? 0, root: $('visual-panel'),
        knobs: catalog.datasets.find((d) => d.id === state.dataset.id)?.knobs ?? [] });
      saveText(`mlplay-report-${state.model.kind}-${summary?.name ?? 'data'}.html`.replace(/[^\w.-]+/g, '_'), html, 'text/html');
      announce('Report downloaded.');
    })));
  $('run-export').append(...modelFileButtons(() => trainer.send(ToWorker.SAVE_MODEL), (text, name) => {
    let next;
    try {
      next = JSON.parse(model_file_state(text));
    } catch (e) {
      showMessage(`'${name}' cannot be opened: ${e.message}`);
      return;
    }
    page.openModel(next, text, name);
  }));
}
