// Starts the core's compute threads from a worker (the training worker, or a benchmark's):
// `threads` Web Workers (www/pool_worker.js) instantiate the build with threads on this
// worker's `memory`, then rayon's pool is built over them. On failure the core runs on
// the calling thread alone, as the single-thread build does; returns the threads in use.
export async function startThreads(core, memory, { module, dir, threads, channel }) {
  if (!core.pool_start || threads < 2) return core.compute_threads();
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./pool_worker.js', import.meta.url), { type: 'module' }));
  const started = workers.map((w) => new Promise((resolve, reject) => {
    w.onmessage = (e) => (e.data.ready ? resolve() : reject(new Error(e.data.failed)));
    w.onerror = (e) => reject(new Error(e.message || 'a compute thread could not start'));
    w.postMessage({ module, memory, dir, channel });
  }));
  try {
    await Promise.all(started);
    core.pool_start(threads);
  } catch (e) {
    workers.forEach((w) => w.terminate());
    console.warn(`mlplay: running on one thread: ${e.message}`);
  }
  return core.compute_threads();
}
