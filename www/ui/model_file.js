// Trained models as files: "Model (JSON)" downloads the run's model as an mlplay-model
// file; "Open model" reads one back. Opening checks the file in the engine first (its
// state names the data, as a link does), loads that data, then rebuilds the model from
// the file: the same metrics and charts, nothing trained again.

import { el } from './dom.js';

/** The two buttons; `onSave()` on download, `onOpen(text, name)` with a chosen file's text. */
export function modelFileButtons(onSave, onOpen) {
  const input = el('input', { type: 'file', accept: '.json,application/json', hidden: true, id: 'open-model-input',
    onchange: async () => {
      const file = input.files[0];
      input.value = '';
      if (file) onOpen(await file.text(), file.name);
    } });
  return [
    el('button', { type: 'button', id: 'download-model', class: 'secondary small', disabled: true,
      title: 'The trained model as a JSON file, to open again here or apply to new rows with mlplay predict', onclick: onSave }, 'Model (JSON)'),
    el('button', { type: 'button', id: 'open-model', class: 'secondary small',
      title: 'Open a model file saved from mlplay: its data, settings and metrics come back without training', onclick: () => input.click() }, 'Open model…'),
    input,
  ];
}

export function enableModelDownload(done) {
  const b = document.getElementById('download-model');
  if (b) b.disabled = !done;
}
