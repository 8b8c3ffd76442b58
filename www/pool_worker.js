// One thread of the core's thread pool (the build with shared memory): it instantiates the
// module on the training worker's memory, says it is ready, then runs the thread rayon hands
// it until the training worker ends. The training worker waits while this thread works, so
// a crash here goes straight to the page, on the BroadcastChannel it named.

import { FromWorker, reply } from './ui/worker_messages.js';

let reported = false;
function report(channel, message, stack) {
  if (reported) return;
  reported = true;
  new BroadcastChannel(channel).postMessage(reply(FromWorker.PANIC, { message, ...(stack ? { stack } : {}) }));
}

self.onmessage = async ({ data: { module, memory, dir, channel } }) => {
  self.onwasmpanic = (message) => report(channel, message);
  let core;
  try {
    core = await import(`../${dir}/mlplay.js`);
    await core.default({ module_or_path: module, memory });
  } catch (e) {
    self.postMessage({ failed: String(e?.message ?? e) });
    return;
  }
  self.postMessage({ ready: true });
  try {
    core.pool_worker_run();
  } catch (e) {
    // A trap (out of memory, or a panic after its hook) ends the thread mid-work.
    // The trap's stack (wasm function indices and byte offsets) goes to the console only: it
    // is what finds the cause of a rare crash, and means nothing to the page's reader.
    if (e instanceof WebAssembly.RuntimeError) report(channel, `a compute thread stopped: ${e.message}`, String(e.stack ?? ''));
  }
};
