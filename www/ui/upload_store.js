// The uploaded file, kept in IndexedDB so that reloading the tab finds it again (a link
// names a large file only by its checksum). One file is kept, for this tab's session: a
// tab id in sessionStorage (which survives a reload but not a new tab) goes with it, so a
// link opened elsewhere still asks for its file. Every failure (no IndexedDB, private
// mode, quota) becomes a rejected promise with a readable message, never a crash.

import { $, announce, el, formatBytes, showMessage } from './dom.js';

const DB_NAME = 'mlplay-uploads';
const STORE = 'files';
const KEY = 'kept';

function tabId() {
  try {
    let id = sessionStorage.getItem('mlplay-tab');
    if (!id) {
      id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      sessionStorage.setItem('mlplay-tab', id);
    }
    return id;
  } catch {
    return 'no-session-storage';
  }
}

function problem(e, what) {
  const name = e?.name === 'QuotaExceededError' ? 'the browser has no room left for it' : (e?.message || e?.name || 'unknown error');
  return new Error(`${what}: ${name}`);
}

function openDb() {
  return new Promise((resolve, reject) => {
    if (!globalThis.indexedDB) {
      reject(new Error('this browser offers no IndexedDB storage'));
      return;
    }
    let req;
    try {
      req = indexedDB.open(DB_NAME, 1);
    } catch (e) {
      reject(e);
      return;
    }
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is busy in another tab'));
  });
}

// Run `fn(store)` in one transaction; resolves with what the request it returns yields.
async function withStore(mode, fn) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      let result;
      if (req) req.onsuccess = () => { result = req.result; };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? req?.error);
      tx.onabort = () => reject(tx.error ?? new Error('the write was aborted'));
    });
  } finally {
    db.close();
  }
}

// Keep `file` (a File or Blob with a name) for reloads of this tab, replacing any other.
export async function keepUpload(file) {
  try {
    await withStore('readwrite', (s) => s.put({ tab: tabId(), name: file.name, size: file.size, file }, KEY));
  } catch (e) {
    throw problem(e, `'${file.name}' could not be kept for a reload`);
  }
}

// The kept file of this tab named `name` (any name when null), or null.
export async function keptUpload(name = null) {
  let rec;
  try {
    rec = await withStore('readonly', (s) => s.get(KEY));
  } catch (e) {
    throw problem(e, 'the file kept in this browser could not be read');
  }
  if (!rec || rec.tab !== tabId() || (name !== null && rec.name !== name)) return null;
  // Some browsers hand back a Blob without its name: give it one again.
  return rec.file instanceof File ? rec.file : new File([rec.file], rec.name, { type: 'text/csv' });
}

export async function forgetUpload() {
  try {
    await withStore('readwrite', (s) => s.delete(KEY));
  } catch (e) {
    throw problem(e, 'the kept file could not be removed');
  }
}

// The line under the data controls while a file is kept, with its Forget button (hidden
// when `file` is null).
export function showKept(file) {
  let box = $('upload-kept');
  if (!box) {
    box = el('p', { id: 'upload-kept', class: 'note' });
    $('data-controls').after(box);
  }
  box.hidden = !file;
  if (!file) return;
  box.replaceChildren(`'${file.name}' (${formatBytes(file.size)}) is kept in this browser, so reloading this tab does not lose it. `,
    el('button', { type: 'button', id: 'forget-upload', class: 'secondary small', onclick: forget }, 'Forget uploaded data'));
}

function forget() {
  forgetUpload().then(() => {
    showKept(null);
    announce('The uploaded file is forgotten: a reload will ask for it again.');
  }, (e) => showMessage(e.message));
}
