// Picks the build of the core before anything is fetched, and starts fetching it: the build
// with threads where the page is cross-origin isolated (its server sent COOP and COEP, as
// `mlplay serve` does), else the single-thread build, which every host can serve.
// `?threads=1` asks for the single-thread build anyway, to compare the two.
(() => {
  const single = new URLSearchParams(location.search).get('threads') === '1';
  const dir = self.crossOriginIsolated && !single ? 'pkg-mt' : 'pkg';
  document.documentElement.dataset.core = dir;
  const glue = Object.assign(document.createElement('link'), { rel: 'modulepreload', href: `${dir}/mlplay.js` });
  const wasm = Object.assign(document.createElement('link'), { rel: 'preload', href: `${dir}/mlplay_bg.wasm`, as: 'fetch', crossOrigin: 'anonymous' });
  document.head.append(glue, wasm);
})();
