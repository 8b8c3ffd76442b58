// The run report, one self-contained HTML file (fetched when first asked for; the
// download buttons are in downloads.js). The report has no script and asks for nothing
// over the network: its charts are data: PNGs, its style is inline, and its own Content
// Security Policy forbids anything else. Every text in it that a user or a file chose
// (column, class and file names, the link) goes through `esc`.

import { title } from './glossary_results.js';

export const esc = (v) => String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))))
  : typeof v === 'string' ? v : v === null ? 'none' : Array.isArray(v) ? v.join(', ') : JSON.stringify(v));
const pct = (v) => `${Math.round(v * 100)}%`;
const dl = (items) => `<dl>${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;

function settings(state, summary, knobNames) {
  const d = state.dataset;
  const file = d.id.startsWith('file:');
  const knobs = Object.entries(d).filter(([k]) => knobNames.includes(k));
  const items = [
    ['Dataset', file ? `uploaded file ${d.id.slice(5)}` : d.id],
    ...(file && d.sha256 ? [['File SHA-256', d.sha256]] : []),
    ...(!file && knobs.length ? [['Dataset settings', knobs.map(([k, v]) => `${k} = ${fmt(v)}`).join(', ')]] : []),
    ['Rows', summary ? String(summary.rows) : '?'],
    ['Target', `${summary?.target_name ?? d.target ?? '(last column)'}${summary?.task ? ` (${summary.task})` : ''}`],
    ...(summary?.class_names?.length ? [['Classes', summary.class_names.join(', ')]] : []),
    ['Features', summary ? summary.feature_names.concat(summary.categorical_features ?? []).join(', ') : '?'],
  ];
  const c = state.columns ?? {};
  for (const [k, label] of [['exclude', 'Columns left out'], ['include', 'Columns added'], ['categorical', 'Read as categories']]) {
    if (c[k]?.length) items.push([label, c[k].join(', ')]);
  }
  items.push(['Missing values', state.prep.imputer], ['Scaling', state.prep.scaler],
    ['Split', `train ${pct(state.split.train)} · validation ${pct(state.split.validation)} · test ${pct(state.split.test)}`],
    ['Seed', String(state.seed)]);
  if (state.view.threshold !== undefined && state.view.threshold !== null) items.push(['Threshold', String(state.view.threshold)]);
  if (state.view.costs) items.push(['Costs (missed positive, false alarm)', state.view.costs.join(', ')]);
  return dl(items);
}

function hyperparameters(report) {
  const rows = Object.entries(report.params ?? {}).map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(fmt(v))}</td></tr>`);
  return `<table><caption>${esc(report.model)}</caption><tbody>${rows.join('')}</tbody></table>`;
}

function metricsTables(report) {
  const m = report.metrics;
  if (!m.train) {
    // A clustering or projection: its scores, at top level.
    const rows = Object.entries(m).map(([k, v]) => `<tr><th scope="row">${esc(title(k))}</th><td>${esc(fmt(v))}</td></tr>`);
    return `<table class="metrics"><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }
  const parts = [['Train', m.train], ['Validation', m.validation], ...(m.test ? [['Test', m.test]] : [])];
  const base = report.baseline?.validation ?? {};
  const head = `<tr><th>Metric</th>${parts.map(([p]) => `<th>${p}</th>`).join('')}<th>Baseline (validation)</th></tr>`;
  const body = Object.keys(m.train).map((n) => `<tr data-metric="${esc(n)}"><th scope="row">${esc(title(n))}</th>${
    parts.map(([, p]) => `<td>${n in p ? p[n].toFixed(4) : 'n/a'}</td>`).join('')}<td>${n in base ? base[n].toFixed(4) : '—'}</td></tr>`);
  const t = report.timing;
  const cost = dl([
    ['Fit time', `${t.fit_ms.toFixed(1)} ms`],
    ['Prediction', `${t.predict_us_per_row.toFixed(3)} µs per row in a batch; ${t.latency_us_p50.toFixed(2)} µs median one row at a time`],
    ['Model size', `${t.model_bytes.toLocaleString('en')} bytes`],
  ]);
  const rows = report.rows ? `<p>Rows: ${report.rows[0]} train, ${report.rows[1]} validation, ${report.rows[2]} test${m.test ? '' : ' (test set not evaluated)'}.</p>` : '';
  return `${rows}<table class="metrics"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>${cost}`;
}

// Every chart on screen, as a PNG with its caption (the canvases the page drew).
function charts(root) {
  const out = [];
  for (const c of root.querySelectorAll('canvas:not(.pixel-image)')) {
    if (!c.offsetParent || c.width < 20 || c.height < 20) continue;
    const cap = c.closest('figure')?.querySelector('figcaption');
    const text = cap ? [...cap.childNodes].filter((n) => n.nodeName !== 'BUTTON').map((n) => n.textContent).join('').trim() : '';
    out.push(`<figure><img src="${c.toDataURL('image/png')}" alt="${esc(c.getAttribute('aria-label') ?? c.id)}" width="${Math.round(c.clientWidth)}"><figcaption>${esc(text)}</figcaption></figure>`);
  }
  return `<div class="charts">${out.join('')}</div>`;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#1d232a}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6em;border-bottom:1px solid #d5dbe1}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d5dbe1;padding:4px 10px;text-align:left}
td{font-variant-numeric:tabular-nums;text-align:right}caption{font-weight:600;text-align:left}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
figure{margin:0}img{width:100%;height:auto;border:1px solid #d5dbe1}figcaption{font-size:.9em;color:#4a5561}
.link{overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:.85em}.notes li{color:#4a5561}`;

/** The report as one HTML document; `knobs`: the names of the generator's settings, if any. */
export function buildReport({ state, report, summary, link, testCount, root, knobs = [] }) {
  const name = `${report.model} on ${summary?.name ?? report.dataset}`;
  const notes = report.notes?.length ? `<ul class="notes">${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const tested = report.metrics.test
    ? `<p>The test set was evaluated ${testCount} time${testCount === 1 ? '' : 's'}${testCount > 1 ? ': its numbers are optimistic' : ''}.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mlplay report: ${esc(name)}</title><style>${STYLE}</style></head>
<body>
<h1>mlplay report: ${esc(name)}</h1>
<p>Made ${esc(new Date().toISOString().slice(0, 16).replace('T', ' '))} UTC. Opening the link below in mlplay trains the same model on the same rows and shows the same numbers.</p>
<p class="link"><a href="${esc(link)}">${esc(link)}</a></p>
<h2>Data and settings</h2>${settings(state, summary, knobs)}
<h2>Model and hyperparameters</h2>${hyperparameters(report)}
<h2>Metrics</h2>${metricsTables(report)}${tested}${notes}
<h2>Charts</h2>${charts(root)}
</body></html>
`;
}
