// A 3-D point cloud (PCA's first three components) drawn straight onto a 2-D canvas:
// orthographic projection, drag or arrow keys to turn it, far points drawn first. It comes
// with the clusterings' and projections' views (unsupervised.js), and the turning with the
// first cloud drawn.

import { isDark } from './charts.js';
import { classColor, isHollow } from './palette.js';

let yaw = 0.6;
let pitch = 0.35;
let last = null;
const turnable = new WeakSet(); // canvases that turn with the pointer and the arrow keys

function colourOf(d, i) {
  if (d.values.length) {
    const t = (d.values[i] - d.lo) / (d.hi - d.lo || 1);
    const mix = (a, b) => Math.round(a + (b - a) * Math.min(1, Math.max(0, t)));
    return `rgb(${mix(0, 230)}, ${mix(114, 159)}, ${mix(178, 0)})`;
  }
  return classColor(d.labels.length ? d.labels[i] : 0);
}

/** d: { x, y, z, labels, values, names: [x, y, z] } in data units. */
export function draw3d(canvas, d) {
  last = d;
  if (!turnable.has(canvas)) { turnable.add(canvas); attachRotation(canvas); }
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(canvas.clientWidth * ratio);
  canvas.height = Math.round(canvas.clientHeight * ratio);
  const g = canvas.getContext('2d');
  const dark = isDark();
  g.fillStyle = dark ? '#181b21' : '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  const n = d.x.length;
  const centre = [d.x, d.y, d.z].map((a) => a.reduce((s, v) => s + v, 0) / Math.max(1, n));
  const spread = Math.max(...[d.x, d.y, d.z].map((a, k) => Math.max(...a.map((v) => Math.abs(v - centre[k]))))) || 1;
  const scale = (0.42 * Math.min(canvas.width, canvas.height)) / spread;
  const [cy, sy, cp, sp] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch)];
  const project = (p) => {
    const [a, b, c] = [p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]];
    const x1 = cy * a + sy * c; const z1 = -sy * a + cy * c;
    const y2 = cp * b - sp * z1; const z2 = sp * b + cp * z1;
    return [canvas.width / 2 + scale * x1, canvas.height / 2 - scale * y2, z2];
  };
  // Axes through the centre, labelled with the component names.
  g.font = `${12 * ratio}px system-ui, sans-serif`;
  g.lineWidth = ratio;
  d.names.forEach((name, k) => {
    const end = [...centre]; end[k] += spread;
    const [ox, oy] = project(centre); const [ex, ey] = project(end);
    g.strokeStyle = dark ? '#8b929c' : '#57606a';
    g.beginPath(); g.moveTo(ox, oy); g.lineTo(ex, ey); g.stroke();
    g.fillStyle = dark ? '#dee2e8' : '#1f2328';
    g.fillText(name, ex + 4 * ratio, ey);
  });
  const pts = Array.from({ length: n }, (_, i) => [...project([d.x[i], d.y[i], d.z[i]]), i]).sort((p, q) => p[2] - q[2]);
  const r = 3 * ratio;
  for (const [px, py, , i] of pts) {
    g.beginPath(); g.arc(px, py, r, 0, 2 * Math.PI);
    // Classes past the tenth repeat a colour, drawn as rings (as in the 2-D scatter).
    if (!d.values.length && d.labels.length && isHollow(d.labels[i])) {
      g.strokeStyle = colourOf(d, i); g.lineWidth = 1.5 * ratio; g.stroke();
    } else {
      g.fillStyle = colourOf(d, i); g.fill();
    }
  }
}

/** Drag with the mouse, or focus the canvas and use the arrow keys, to turn the cloud. */
function attachRotation(canvas) {
  let drag = null;
  const turn = (dyaw, dpitch) => {
    yaw += dyaw;
    pitch = Math.max(-1.5, Math.min(1.5, pitch + dpitch));
    if (last && canvas.dataset.view === '3d') draw3d(canvas, last);
  };
  canvas.addEventListener('pointerdown', (e) => { drag = [e.clientX, e.clientY]; });
  addEventListener('pointerup', () => { drag = null; });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag || canvas.dataset.view !== '3d') return;
    turn((e.clientX - drag[0]) * 0.01, (e.clientY - drag[1]) * 0.01);
    drag = [e.clientX, e.clientY];
  });
  canvas.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] }[e.key];
    if (step && canvas.dataset.view === '3d') { e.preventDefault(); turn(...step); }
  });
}
