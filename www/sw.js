// The offline cache. `x build` copies this file to the site's root and fills in the
// list of every file of the release and a version made from their contents. On the
// first visit every file is cached; afterwards the page loads from the cache, with or
// without a network. A new release has a new version: the browser notices the changed
// service worker on the next visit, caches the new files and drops the old ones.

const VERSION = '__VERSION__';
const ASSETS = __ASSETS__;
const CACHE = `mlplay-${VERSION}`;

// The build with threads only runs where the site is cross-origin isolated (the worker is
// too when its server sends COEP), so other hosts do not fetch it.
const WANTED = ASSETS.filter((a) => self.crossOriginIsolated || !a.startsWith('./pkg-mt/'));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(WANTED.map((a) => new Request(a, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('mlplay-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Cache first for this origin (the query string is ignored: `?embed` is the same page);
// anything not cached yet is fetched and kept. Other origins are never contacted by the page.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const hit = await cache.match(req, { ignoreSearch: true });
    if (hit) return hit;
    const resp = await fetch(req);
    if (resp.ok && resp.type === 'basic') cache.put(req, resp.clone());
    return resp;
  }));
});
