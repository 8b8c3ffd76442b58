// The main thread's side of the worker: typed messages in and out, and a fresh worker
// whenever the old one crashes (a panic in Rust, or memory running out).

import { CORE_DIR } from './core.js';
import { FromWorker, ToWorker, request } from './worker_messages.js';

// The wasm compiled once, as it streams in (www/boot.js starts it); the page and each
// worker instantiate this module: compiling it in both delayed the first data on screen.
export function compileWasm() {
  if (self.mlplayBoot) return self.mlplayBoot.compiled;
  const url = new URL(`../../${CORE_DIR}/mlplay_bg.wasm`, import.meta.url);
  return WebAssembly.compileStreaming(fetch(url))
    .catch(async () => WebAssembly.compile(await (await fetch(url)).arrayBuffer()));
}

// Compute threads at most (one per core below that): each holds its own wasm instance
// and stack, so a many-core machine should not start dozens.
const MAX_THREADS = 16;

export class Trainer {
  // `wasm`: a promise of the compiled module, which each worker is sent instead of
  // compiling its own. The worker starts at once, so it loads while the page gets ready;
  // what it says before `listen(handlers)` waits.
  constructor(wasm) {
    this.wasm = wasm;
    this.handlers = null;
    this.early = [];
    this.starts = 0; // workers started so far
    this.loadSent = -1; // the last worker sent a LOAD
    this.readyFrom = -1; // the last worker that said READY
    this.start();
  }

  listen(handlers) {
    this.handlers = handlers; // by FromWorker name, and `crashed`
    for (const m of this.early.splice(0)) this.dispatch(m);
  }

  dispatch(m) {
    if (m.type === FromWorker.READY) this.readyFrom = this.starts;
    if (m.type === FromWorker.PANIC) {
      if (m.stack) console.error(`mlplay: compute thread trap: ${m.message}\n${m.stack}`);
      return this.crashed(m.message);
    }
    this.handlers[m.type]?.(m);
  }

  start() {
    this.starts++;
    // The first worker is the one www/boot.js started (once only: a crash starts a fresh one).
    const boot = self.mlplayBoot?.worker ? self.mlplayBoot : null;
    const worker = boot ? boot.worker : new Worker(new URL('../worker.js', import.meta.url), { type: 'module', name: CORE_DIR });
    if (boot) boot.worker = null;
    this.worker = worker;
    const receive = (m) => { if (this.handlers) this.dispatch(m); else this.early.push(m); };
    worker.onmessage = (e) => receive(e.data);
    worker.onerror = (e) => { e.preventDefault(); this.crashed(e.message || 'the worker stopped'); };
    // The worker's compute threads report a crash here: the worker itself is then stuck
    // waiting for them.
    const channel = `mlplay-threads-${crypto.randomUUID()}`;
    this.threadNews = new BroadcastChannel(channel);
    this.threadNews.onmessage = (e) => receive(e.data);
    const threads = Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS);
    this.wasm.then((module) => worker.postMessage(request(ToWorker.WASM, { module, dir: CORE_DIR, threads, channel })), () => {});
    if (boot?.error) queueMicrotask(() => this.crashed(boot.error));
  }

  crashed(message) {
    this.threadNews.close();
    this.worker.terminate(); // and its compute threads with it
    this.start();
    this.handlers?.crashed?.(message);
  }

  // `type`: one of ui/worker_messages.js's ToWorker, with its payload.
  send(type, payload = {}) {
    if (type === ToWorker.LOAD) this.loadSent = this.starts;
    this.worker.postMessage(request(type, payload));
  }

  // Whether the worker now running was asked for the data (it may be, before it is READY).
  dataAsked() {
    return this.loadSent === this.starts;
  }

  // Whether the worker now running said READY (its backend is known).
  isReady() {
    return this.readyFrom === this.starts;
  }
}
