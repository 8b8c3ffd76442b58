// The main thread's side of the worker: typed messages in and out, and a fresh worker
// whenever the old one crashes (a panic in Rust, or memory running out).

// The wasm compiled once, as it streams in (index.html preloads it); the page and each
// worker instantiate this module: compiling it in both delayed the first data on screen.
export function compileWasm() {
  const url = new URL('../../pkg/mlplay_bg.wasm', import.meta.url);
  return WebAssembly.compileStreaming(fetch(url))
    .catch(async () => WebAssembly.compile(await (await fetch(url)).arrayBuffer()));
}

export class Trainer {
  // `wasm`: a promise of the compiled module, which each worker is sent instead of
  // compiling its own. The worker starts at once, so it loads while the page gets ready;
  // what it says before `listen(handlers)` waits.
  constructor(wasm) {
    this.wasm = wasm;
    this.handlers = null;
    this.early = [];
    this.start();
  }

  listen(handlers) {
    this.handlers = handlers; // { ready, loaded, progress, done, error, crashed }
    for (const m of this.early.splice(0)) this.dispatch(m);
  }

  dispatch(m) {
    if (m.type === 'panic') return this.crashed(m.message);
    this.handlers[m.type]?.(m);
  }

  start() {
    const worker = new Worker(new URL('../worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    worker.onmessage = (e) => { if (this.handlers) this.dispatch(e.data); else this.early.push(e.data); };
    worker.onerror = (e) => { e.preventDefault(); this.crashed(e.message || 'the worker stopped'); };
    this.wasm.then((module) => worker.postMessage({ type: 'wasm', module }), () => {});
  }

  crashed(message) {
    this.worker.terminate();
    this.start();
    this.handlers?.crashed?.(message);
  }

  send(type, payload = {}) {
    this.worker.postMessage({ type, ...payload });
  }
}
