// The summary chart: one line per task, mlplay time / peer time on a log axis (native as a
// hollow dot, browser as a filled dot), a line at 1 (as fast as the peer) and a tick at each
// task's goal for the browser. Hand-written SVG, no dependencies.

const W = 900; const LEFT = 330; const RIGHT = 30; const ROW = 22; const TOP = 40;
const LO = 0.01; const HI = 100;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chart(rows) {
  const shown = rows.filter((r) => r.native_ratio != null || r.browser_ratio != null || r.browser_ratio_below != null);
  const h = TOP + shown.length * ROW + 60;
  const px = (v) => LEFT + ((Math.log10(Math.min(HI, Math.max(LO, v))) - Math.log10(LO)) / (Math.log10(HI) - Math.log10(LO))) * (W - LEFT - RIGHT);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${h}" fill="white"/>`,
    `<text x="${LEFT}" y="18" font-size="14">mlplay time / peer time (log scale; left of 1 = mlplay faster)</text>`];
  for (const t of [0.01, 0.1, 1, 10, 100]) {
    out.push(`<line x1="${px(t)}" y1="${TOP - 8}" x2="${px(t)}" y2="${h - 50}" stroke="${t === 1 ? '#333' : '#ddd'}"/>`,
      `<text x="${px(t)}" y="${h - 36}" text-anchor="middle">${t}x</text>`);
  }
  shown.forEach((r, i) => {
    const y = TOP + i * ROW + ROW / 2;
    out.push(`<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end">${esc(`${r.task}, ${r.dataset}`.slice(0, 52))}</text>`);
    if (r.goal != null) out.push(`<line x1="${px(r.goal)}" y1="${y - 8}" x2="${px(r.goal)}" y2="${y + 8}" stroke="#d62728" stroke-width="2"/>`);
    if (r.native_ratio != null) out.push(`<circle cx="${px(r.native_ratio)}" cy="${y}" r="5" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
    // A peer stopped at its cap: the ratio is below this point.
    if (r.browser_ratio_below != null) out.push(`<text x="${px(r.browser_ratio_below) - 16}" y="${y + 4}" fill="#2ca02c">&lt;</text><circle cx="${px(r.browser_ratio_below)}" cy="${y}" r="5" fill="${r.goal_met === false ? '#d62728' : '#2ca02c'}"/>`);
    if (r.browser_ratio != null) out.push(`<circle cx="${px(r.browser_ratio)}" cy="${y}" r="5" fill="${r.goal_met === false ? '#d62728' : '#2ca02c'}"/>`);
  });
  const ly = h - 16;
  out.push(`<circle cx="20" cy="${ly}" r="5" fill="none" stroke="#1f77b4" stroke-width="2"/><text x="30" y="${ly + 4}">native</text>`,
    `<circle cx="90" cy="${ly}" r="5" fill="#2ca02c"/><text x="100" y="${ly + 4}">browser (red: goal missed)</text>`,
    `<line x1="290" y1="${ly - 7}" x2="290" y2="${ly + 7}" stroke="#d62728" stroke-width="2"/><text x="298" y="${ly + 4}">goal for the browser ratio; &lt; dot: peer hit its time cap</text>`, '</svg>');
  return out.join('\n');
}
