// The items of a wasm file and their sizes, read straight from its sections: each function
// body (named from the "name" custom section that rustc/wasm-ld write), each data segment
// and each other section. What twiggy's `top` gives, without installing twiggy.
// Usage as a script: node bench/wasm_items.mjs FILE.wasm [N]  (prints the N largest)

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// LEB128 unsigned at pos: [value, next pos].
function uleb(buf, pos) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}

function name(buf, pos) {
  const [len, p] = uleb(buf, pos);
  return [buf.toString('utf8', p, p + len), p + len];
}

const SECTIONS = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'elem', 'code', 'data', 'datacount', 'tag'];

// Function names by index (imports first, as the index space counts them).
function functionNames(buf, start, end) {
  const names = new Map();
  let pos = start;
  while (pos < end) {
    const id = buf[pos];
    const [size, p] = uleb(buf, pos + 1);
    if (id === 1) {
      let [count, q] = uleb(buf, p);
      for (let i = 0; i < count; i++) {
        let index, n;
        [index, q] = uleb(buf, q);
        [n, q] = name(buf, q);
        names.set(index, n);
      }
    }
    pos = p + size;
  }
  return names;
}

// [{ name, shallow_size }] largest first; section overheads are their own items.
export function wasmItems(file) {
  const buf = readFileSync(file);
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file} is not a wasm module`);
  const sections = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, p] = uleb(buf, pos + 1);
    const s = { id, start: p, end: p + size, header: p - pos };
    if (id === 0) [s.custom] = name(buf, p);
    sections.push(s);
    pos = p + size;
  }
  let imported = 0;
  const imp = sections.find((s) => s.id === 2);
  if (imp) {
    let [count, q] = uleb(buf, imp.start);
    for (let i = 0; i < count; i++) {
      [, q] = name(buf, q);
      [, q] = name(buf, q);
      const kind = buf[q++];
      if (kind === 0) { [, q] = uleb(buf, q); imported++; } else if (kind === 1) { q++; const [f, r] = uleb(buf, q + 0); q = r; if (f & 1) [, q] = uleb(buf, q); [, q] = uleb(buf, q); if (f & 1) [, q] = uleb(buf, q); } else if (kind === 2) { const f = buf[q++]; [, q] = uleb(buf, q); if (f & 1) [, q] = uleb(buf, q); } else if (kind === 3) { q += 2; } else if (kind === 4) { q++; [, q] = uleb(buf, q); }
    }
  }
  const nameSec = sections.find((s) => s.id === 0 && s.custom === 'name');
  let names = new Map();
  if (nameSec) {
    const [, p] = name(buf, nameSec.start);
    names = functionNames(buf, p, nameSec.end);
  }
  const items = [];
  for (const s of sections) {
    if (s.id === 10) {
      let [count, q] = uleb(buf, s.start);
      items.push({ name: 'code section headers', shallow_size: q - s.start + s.header + 1 });
      for (let i = 0; i < count; i++) {
        const [size, r] = uleb(buf, q);
        const index = imported + i;
        items.push({ name: names.get(index) ?? `code[${i}]`, shallow_size: r - q + size });
        q = r + size;
      }
    } else if (s.id === 11) {
      let [count, q] = uleb(buf, s.start);
      items.push({ name: 'data section headers', shallow_size: q - s.start + s.header + 1 });
      for (let i = 0; i < count; i++) {
        const begin = q;
        const flags = buf[q++];
        if (flags === 2) [, q] = uleb(buf, q);
        if (flags !== 1) { while (buf[q] !== 0x0b) q++; q++; } // the offset expression
        const [len, r] = uleb(buf, q);
        items.push({ name: `data segment[${i}]`, shallow_size: r - begin + len });
        q = r + len;
      }
    } else if (s.id === 0) {
      items.push({ name: `custom section '${s.custom}'`, shallow_size: s.end - s.start + s.header + 1 });
    } else {
      items.push({ name: `${SECTIONS[s.id] ?? s.id}[section]`, shallow_size: s.end - s.start + s.header + 1 });
    }
  }
  return items.sort((a, b) => b.shallow_size - a.shallow_size);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const items = wasmItems(process.argv[2]);
  const n = Number(process.argv[3] ?? 40);
  const total = items.reduce((s, i) => s + i.shallow_size, 0);
  console.log(`total ${total} bytes (file ${readFileSync(process.argv[2]).length})`);
  for (const i of items.slice(0, n)) console.log(`${String(i.shallow_size).padStart(8)}  ${i.name}`);
}
