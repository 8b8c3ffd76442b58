// Picks the build of the core before anything is fetched, and starts it: the build with
// threads where the page is cross-origin isolated (its server sent COOP and COEP, as
// `mlplay serve` does), else the single-thread build, which every host can serve.
// `?threads=1` asks for the single-thread build anyway, to compare the two.
// The wasm is compiled as it streams in, and the training worker started, here rather than
// after the page's ~35 modules have loaded: both then overlap that load (ui/trainer.js
// takes them over; it still starts its own where this did not run).
(() => {
  const single = new URLSearchParams(location.search).get('threads') === '1';
  const dir = self.crossOriginIsolated && !single ? 'pkg-mt' : 'pkg';
  document.documentElement.dataset.core = dir;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href: `${dir}/mlplay.js` }));
  const url = `${dir}/mlplay_bg.wasm`;
  const compiled = WebAssembly.compileStreaming(fetch(url))
    .catch(async () => WebAssembly.compile(await (await fetch(url)).arrayBuffer()));
  compiled.catch(() => {}); // reported where it is awaited
  const boot = { compiled, worker: new Worker('www/worker.js', { type: 'module', name: dir }), error: null };
  // An error before ui/trainer.js listens (the script failed to load) would be lost.
  boot.worker.onerror = (e) => { e.preventDefault(); boot.error = e.message || 'the worker stopped'; };
  self.mlplayBoot = boot;
})();
