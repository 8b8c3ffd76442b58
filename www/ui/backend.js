// Which backend trains the kinds that can use the GPU (the catalog's `gpu`: the neural
// networks). The one place that decides: the page shows its answer, and the worker is told
// it with every training run (it falls back to the CPU, and says so, when the GPU then fails).
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
