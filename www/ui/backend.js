// Which backend trains the kinds that can use the GPU (the catalog's `gpu`: the neural
// networks). The one place that decides: the page shows its answer, and the worker is told
// it with every training run (it falls back to the CPU, and says so, when the GPU then fails).
// The switch is here too: it sits in the model panel of the first screen.

import { el, infoTip } from './dom.js';

export const CPU_LABEL = 'CPU (wasm)';

// Adapters that rasterise on the CPU: an MLP on digits took 91 s on SwiftShader against
// 3.8 s on the CPU build, so Automatic never picks them. The worker's name carries
// " (software)" when the browser reports `isFallbackAdapter`.
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\(software\)/i;

export function isSoftwareAdapter(adapter) {
  return Boolean(adapter) && SOFTWARE.test(adapter);
}

// `choice`: the state's `backend` (auto | cpu | gpu); `adapter`: the WebGPU adapter's
// name from the worker's probe, or null. Returns { backend: 'cpu' | 'gpu', label, note }:
// `note` says why the GPU that was wanted (or offered) is not used ('' when nothing needs
// saying). `gpu` forces even a software adapter.
export function decideBackend(choice = 'auto', adapter = null) {
  if (choice === 'auto' && isSoftwareAdapter(adapter)) {
    return {
      backend: 'cpu',
      label: CPU_LABEL,
      note: `The only WebGPU adapter here is a software one (${adapter}), slower than the CPU: training on the CPU. Choose "GPU (WebGPU)" to use it anyway.`,
    };
  }
  const wantsGpu = choice === 'gpu' || (choice === 'auto' && Boolean(adapter));
  if (!wantsGpu) {
    return { backend: 'cpu', label: CPU_LABEL, note: '' };
  }
  if (!adapter) {
    return { backend: 'cpu', label: CPU_LABEL, note: 'This browser offers no WebGPU adapter: training on the CPU.' };
  }
  return { backend: 'gpu', label: `WebGPU: ${adapter}`, note: '' };
}

const CHOICES = [['auto', 'Automatic'], ['cpu', CPU_LABEL], ['gpu', 'GPU (WebGPU)']];

// The switch and what it decides, shown for the kinds that can train on the GPU only.
export function renderBackendControl(root, { gpu, choice, adapter, onChange }) {
  root.hidden = !gpu;
  if (root.hidden) { root.replaceChildren(); return; }
  const d = decideBackend(choice, adapter);
  let select = root.querySelector('#backend-choice');
  if (!select) {
    select = el('select', { id: 'backend-choice' }, CHOICES.map(([v, label]) => el('option', { value: v }, label)));
    select.addEventListener('change', () => onChange((s) => { s.backend = select.value; }, select));
    root.replaceChildren(
      el('div', { class: 'field-head' }, el('label', { for: 'backend-choice' }, 'Train neural networks on'),
        infoTip('the backend', 'Automatic uses the graphics card (WebGPU) when the browser offers one, else the CPU. The choice is kept in the link.')),
      select,
      el('p', { id: 'backend-now', class: 'note' }),
      el('p', { id: 'backend-note', class: 'warning', role: 'status' }));
  }
  select.value = choice ?? 'auto';
  const where = d.backend === 'gpu' ? '' : adapter ? ` (WebGPU adapter: ${adapter})` : ' (this browser offers no WebGPU)';
  root.querySelector('#backend-now').textContent = `Training runs on: ${d.label}${where}`;
  const note = root.querySelector('#backend-note');
  note.textContent = d.note;
  note.hidden = !d.note;
  root.dataset.backend = d.backend;
  delete root.dataset.ran;
}

// Where the run actually trains, as the worker reports it (`ran`: gpu | cpu), and why it
// left the GPU when it did.
export function showBackendRun(root, { ran, label, note }) {
  if (root.hidden || !root.querySelector('#backend-now')) return;
  root.querySelector('#backend-now').textContent = `Training runs on: ${label}`;
  const n = root.querySelector('#backend-note');
  n.textContent = note;
  n.hidden = !note;
  root.dataset.ran = ran;
}
