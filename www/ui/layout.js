// The Tab order follows what is seen. From 900 px wide, Train sits on top of the charts,
// above the fold, so it comes first in the DOM (right after the header); below 900 px the
// page reads data, model, Train, charts, and so does the DOM. The CSS grid places it.
// Below 900 px the groups of settings also fold behind a one-line summary of their values
// (details.narrow-fold), so Train stays within ten Tab presses there too.
const WIDE = '(min-width: 900px)';

export const wideLayout = () => matchMedia(WIDE).matches || document.body.classList.contains('embed');

export function placeRunPanel() {
  const run = document.getElementById('run-panel');
  const settings = document.getElementById('settings');
  const place = (wide) => {
    const focused = run.contains(document.activeElement) ? document.activeElement : null;
    if (wide && settings.previousElementSibling !== run) settings.before(run);
    else if (!wide && settings.nextElementSibling !== run) settings.after(run);
    focused?.focus(); // moving a node drops its focus
    for (const d of document.querySelectorAll('details.narrow-fold')) d.open = wide;
  };
  place(wideLayout());
  matchMedia(WIDE).addEventListener('change', () => place(wideLayout()));
  closeMoreMenu();
}

// The header's "More" menu (narrow screens only): Escape or a choice closes it.
function closeMoreMenu() {
  const more = document.getElementById('more-actions');
  if (!more) return;
  // Focus goes back to "More" only if it was in the menu (a dialog a choice opened keeps it).
  const close = () => {
    if (wideLayout() || !more.open) return;
    const inside = more.contains(document.activeElement);
    more.open = false;
    if (inside) more.querySelector('summary').focus();
  };
  more.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(); });
  more.addEventListener('click', (e) => { if (e.target.closest('button')) close(); });
}

// The skip link moves focus onto Train itself, not just the scroll position.
export function skipToTrain() {
  document.querySelector('a.skip')?.addEventListener('click', (e) => {
    e.preventDefault();
    const play = document.getElementById('play');
    play.scrollIntoView({ block: 'center' });
    play.focus();
  });
}
