// A small, safe Markdown subset for exercise instructions: paragraphs, "- " and "1. "
// lists, **bold**, *emphasis* and `code`. Everything becomes DOM text nodes, never HTML,
// so an exercise file cannot inject markup or script.

import { el } from './dom.js';

// Inline spans: **bold**, *em*, `code`; anything else stays text.
function inline(text) {
  const out = [];
  const re = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    if (t.startsWith('**')) out.push(el('strong', {}, t.slice(2, -2)));
    else if (t.startsWith('`')) out.push(el('code', {}, t.slice(1, -1)));
    else out.push(el('em', {}, t.slice(1, -1)));
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function renderMarkdown(text) {
  const blocks = [];
  let list = null;
  let para = [];
  const flushPara = () => { if (para.length) blocks.push(el('p', {}, inline(para.join(' ')))); para = []; };
  for (const raw of String(text).split('\n')) {
    const line = raw.trim();
    const item = /^(-|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      flushPara();
      const tag = item[1] === '-' ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) { list = el(tag); blocks.push(list); }
      list.append(el('li', {}, inline(item[2])));
    } else if (!line) {
      flushPara();
      list = null;
    } else if (list && raw.startsWith(' ')) {
      list.lastChild.append(' ', ...inline(line)); // a wrapped list item
    } else {
      list = null;
      para.push(line);
    }
  }
  flushPara();
  return blocks;
}
