// Offline: a service worker caches the whole site on the first visit (see www/sw.js). Its
// install fetches every file again, so the page asks for it once its first data set is on
// screen (or after a few seconds, should none load), not while it is still starting.

let asked = false;

export function offlineCache() {
  if (asked || !('serviceWorker' in navigator) || new URLSearchParams(location.search).has('nosw')) return;
  asked = true;
  navigator.serviceWorker.register(new URL('../../sw.js', import.meta.url)).catch((e) => console.warn('offline cache unavailable:', e));
}

setTimeout(offlineCache, 5000);
