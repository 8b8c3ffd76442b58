// The main thread's side of the worker: typed messages in and out, and a fresh worker
// whenever the old one crashes (a panic in Rust, or memory running out).

export class Trainer {
  constructor(handlers) {
    this.handlers = handlers; // { ready, loaded, progress, done, error, crashed }
    this.start();
  }

  start() {
    this.worker = new Worker(new URL('../worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => {
      const m = e.data;
      const h = this.handlers[m.type];
      if (m.type === 'panic') return this.crashed(m.message);
      if (h) h(m);
    };
    this.worker.onerror = (e) => { e.preventDefault(); this.crashed(e.message || 'the worker stopped'); };
  }

  crashed(message) {
    this.worker.terminate();
    this.start();
    this.handlers.crashed?.(message);
  }

  send(type, payload = {}) {
    this.worker.postMessage({ type, ...payload });
  }
}
