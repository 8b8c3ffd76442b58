// Which backend trains the kinds that can use the GPU (the catalog's `gpu`: the neural
// networks). The one place that decides: the page shows its answer, and the worker is told
// it with every training run (it falls back to the CPU, and says so, when the GPU then fails).
export const CPU_LABEL = 'CPU (wasm)';

// `choice`: the state's `backend` (auto | cpu | gpu); `adapter`: the WebGPU adapter's
// name from the worker's probe, or null. Returns { backend: 'cpu' | 'gpu', label, note }:
// `note` says why the GPU that was wanted is not used ('' when nothing needs saying).
export function decideBackend(choice = 'auto', adapter = null) {
  const wantsGpu = choice === 'gpu' || (choice === 'auto' && Boolean(adapter));
  if (!wantsGpu) {
    return { backend: 'cpu', label: CPU_LABEL, note: '' };
  }
  if (!adapter) {
    return { backend: 'cpu', label: CPU_LABEL, note: 'This browser offers no WebGPU adapter: training on the CPU.' };
  }
  return { backend: 'gpu', label: `WebGPU: ${adapter}`, note: '' };
}
