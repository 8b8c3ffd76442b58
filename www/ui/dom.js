// Small DOM helpers. Text always goes in as text (never HTML), so column names, file
// names and link contents cannot inject markup.

let nextId = 0;
export const uid = (prefix) => `${prefix}-${++nextId}`;

// el('div', {class: 'x', onclick: f}, child, 'text', ...)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export const $ = (id) => document.getElementById(id);

// A file size a person reads: "9.2 KB", "1.4 MB" (a 9 KB file is not "0.0 MB").
export function formatBytes(n) {
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(1)} GB`;
}

// Text set only when it changes: the same text set again still costs the page a layout.
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// An "i" button whose explanation shows on hover and keyboard focus and is read out by
// screen readers as the description of the button. Not a Tab stop unless help is on
// (the Help button in the header): a fields' help is also its control's description.
export const helpOn = () => document.body.classList.contains('help-on');

export function infoTip(topic, text) {
  const tipId = uid('tip');
  return el('span', { class: 'info-wrap' },
    el('button', { type: 'button', class: 'info', 'aria-label': `About ${topic}`, 'aria-describedby': tipId, tabindex: helpOn() ? '0' : '-1' }, 'i'),
    el('span', { class: 'tip', role: 'tooltip', id: tipId }, text));
}

// Turns every "i" on the page into a Tab stop (and back), for reading help by keyboard.
export function setHelp(on) {
  document.body.classList.toggle('help-on', on);
  for (const b of document.querySelectorAll('button.info')) b.tabIndex = on ? 0 : -1;
}

// A labelled field: label text, optional explanation, the control, and a slot for an error.
export function field(labelText, control, help) {
  const errId = uid('err');
  control.setAttribute('aria-describedby', errId);
  if (help) control.setAttribute('aria-description', help);
  const label = el('label', { for: control.id }, labelText);
  return el('div', { class: 'field' },
    el('div', { class: 'field-head' }, label, help ? infoTip(labelText, help) : null),
    control,
    el('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
}

export function setFieldError(control, message) {
  const err = document.getElementById(control.getAttribute('aria-describedby'));
  if (err) err.textContent = message || '';
  control.toggleAttribute('aria-invalid', Boolean(message));
}

export function announce(text) {
  const a = $('announcer');
  a.textContent = '';
  // A fresh node each time makes screen readers read repeated messages too.
  requestAnimationFrame(() => { a.textContent = text; });
}

export function showMessage(text) {
  $('message-text').textContent = text;
  $('message').hidden = false;
}

export function hideMessage() {
  $('message').hidden = true;
}
