// The wasm size per crate and the largest functions, read from the wasm's own sections
// (bench/wasm_items.mjs): from the shipped core when it has rustc's name section, else from
// the wasm as it was before wasm-opt (which strips the names), kept by `x build`. The core
// measured is the one the first visit fetches from `mlplay serve` (cross-origin isolated):
// the build with threads.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { wasmItems } from './wasm_items.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SHIPPED = process.env.BENCH_WASM ?? path.join(root, 'site/pkg-mt/mlplay_bg.wasm');
// wasm-opt drops the name section; `x build` keeps the wasm it started from, names intact.
const NAMED = path.join(root, 'target/wasm-mt/mlplay_bg.before-opt.wasm');

// The crate a demangled item belongs to: the first path segment of its type or function
// (`<serde_json::de::X as T>::f` -> serde_json); data and sections keep their own names.
export function crateOf(name) {
  // serde's derive expands inside mlplay's modules; count it as serde.
  if (/impl serde_core::(de::Deserialize|ser::Serialize)|serde_core::de::Visitor for| as serde_core::(de::(Deserialize|DeserializeSeed|Visitor)|ser::Serialize)>/.test(name)) return 'serde (derived for mlplay types)';
  if (/"function names" subsection|^name section|custom section 'name'/.test(name)) return '(function names)';
  const m = /^[<&\s]*(?:dyn |impl |mut )*(?:(?:f32|f64|str|u8|usize|i32|u32|u64|bool) as )?([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(name);
  if (m) return m[1];
  if (/^<(str|f32|f64|\[)/.test(name)) return 'core';
  if (/^data segment/.test(name)) return '(constant data: strings, tables)';
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return '(exported entry points)';
  if (/^custom section/.test(name)) return '(custom sections)';
  if (/^(code|type|import|export|elem|table|memory|global|func)\[/.test(name) || /section headers/.test(name)) return '(wasm tables and headers)';
  return '(other)';
}

export function wasmSizes() {
  const shipped = existsSync(SHIPPED) ? { bytes: statSync(SHIPPED).size, gzip: gzipSync(readFileSync(SHIPPED), { level: 9 }).length } : null;
  // Names carry rustc's crate hashes (`mlplay[ee53265ddf8fdfc]::`): dropped for reading.
  const top = (file) => wasmItems(file).map((i) => ({ ...i, name: i.name.replace(/\[[0-9a-f]{1,16}\]/g, '') }));
  let items, from = 'site/pkg-mt/mlplay_bg.wasm';
  try {
    items = top(SHIPPED);
    // Without names every function is `code[N]`: attribute the shares from the named wasm.
    if (!items.some((i) => /::/.test(i.name) && !/^import /.test(i.name)) && existsSync(NAMED)) {
      items = top(NAMED);
      from = 'the wasm before wasm-opt -Oz (it strips the names; shares, not bytes, carry over)';
    }
  } catch (e) {
    return { note: `reading the wasm failed: ${e.message.split('\n')[0]}`, shipped, crates: [], functions: [] };
  }
  const total = items.reduce((s, i) => s + i.shallow_size, 0);
  const by = new Map();
  for (const i of items) by.set(crateOf(i.name), (by.get(crateOf(i.name)) ?? 0) + i.shallow_size);
  const crates = [...by].map(([crate, bytes]) => ({ crate, bytes, share: bytes / total })).sort((a, b) => b.bytes - a.bytes);
  const functions = items.filter((i) => !/^(data|custom section|")/.test(i.name)).slice(0, 30)
    .map((i) => ({ name: i.name.replace(/::h[0-9a-f]{16}$/, ''), bytes: i.shallow_size }));
  const note = `sections of ${from}, ${(total / 1e6).toFixed(2)} MB`
    + (shipped ? `; shipped ${(shipped.bytes / 1e6).toFixed(2)} MB, ${(shipped.gzip / 1e6).toFixed(2)} MB gzip` : '');
  return { note, shipped, crates, functions };
}
