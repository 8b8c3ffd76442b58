// A benchmark run in a Web Worker, where the core's build with threads can start its pool
// (the page's own thread may not wait on the others): load the build `dir`, start
// `threads` compute threads, upload /bench-data/data.csv, train the state of `link` to the
// end in one slice. Answers as trainInPage does, plus the threads used.
// bench/lib.mjs serves this file as /bench-data/train_worker.mjs.
import { startThreads } from '/www/pool.js';

self.onmessage = async ({ data: { dir, threads, link, size } }) => {
  try {
    const core = await import(`/${dir}/mlplay.js`);
    const module = await WebAssembly.compileStreaming(fetch(`/${dir}/mlplay_bg.wasm`));
    const wasm = await core.default({ module_or_path: module });
    const used = await startThreads(core, wasm.memory, { module, dir, threads, channel: 'mlplay-bench' });
    const before = wasm.memory.buffer.byteLength;
    const buf = new Uint8Array(await (await fetch('/bench-data/data.csv')).arrayBuffer());
    if (size != null && buf.length !== size) throw new Error(`served data is ${buf.length} bytes, expected ${size}`);
    const ws = new core.WebSession();
    ws.begin_upload('data.csv', buf.length);
    for (let at = 0; at < buf.length; at += 1 << 20) ws.push_chunk(buf.subarray(at, at + (1 << 20)));
    const state = core.decode_link(link);
    ws.finish_upload(state);
    ws.start_training(state);
    while (!JSON.parse(ws.run_slice(1e9, 1e9)).done) { /* one slice runs to the end */ }
    self.postMessage({ report: JSON.parse(ws.report()), memory_before: before, memory_after: wasm.memory.buffer.byteLength, threads: used });
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
