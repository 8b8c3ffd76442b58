// bench/embed.mjs's page run on the build with threads, in a Web Worker (the page's own
// thread may not wait on the pool), as a user on a cross-origin-isolated page gets it: load
// /pkg-mt, start `threads` compute threads (www/pool.js), upload /bench-data/data.csv, train
// the state of `link` to the end in one slice. Answers the fit time, the report's metrics,
// the wasm memory, the threads used and the embedding. Served as /bench-vendor/embed_worker.mjs.
import { startThreads } from '/www/pool.js';

self.onmessage = async ({ data: { threads, link } }) => {
  try {
    const core = await import('/pkg-mt/mlplay.js');
    const module = await WebAssembly.compileStreaming(fetch('/pkg-mt/mlplay_bg.wasm'));
    const wasm = await core.default({ module_or_path: module });
    const used = await startThreads(core, wasm.memory, { module, dir: 'pkg-mt', threads, channel: 'mlplay-bench-embed' });
    const buf = new Uint8Array(await (await fetch('/bench-data/data.csv')).arrayBuffer());
    const ws = new core.WebSession();
    ws.begin_upload('data.csv', buf.length);
    for (let at = 0; at < buf.length; at += 1 << 20) ws.push_chunk(buf.subarray(at, at + (1 << 20)));
    const state = core.decode_link(link);
    ws.finish_upload(state);
    const t0 = performance.now();
    ws.start_training(state);
    while (!JSON.parse(ws.run_slice(1e9, 1e9)).done) { /* one slice runs to the end */ }
    const wall_ms = performance.now() - t0;
    const rep = JSON.parse(ws.report());
    const embedding = Float64Array.from(ws.embedding());
    self.postMessage({ fit_ms: rep.timing.fit_ms, wall_ms, own_metrics: rep.metrics, wasm_bytes: wasm.memory.buffer.byteLength, threads: used, embedding }, [embedding.buffer]);
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
