// The Tab order follows what is seen. From 900 px wide, Train sits on top of the charts,
// above the fold, so it comes first in the DOM (right after the header); below 900 px the
// page reads data, model, Train, charts, and so does the DOM. The CSS grid places it.
const WIDE = '(min-width: 900px)';

export function placeRunPanel() {
  const run = document.getElementById('run-panel');
  const settings = document.getElementById('settings');
  const place = (wide) => {
    const focused = run.contains(document.activeElement) ? document.activeElement : null;
    if (wide && settings.previousElementSibling !== run) settings.before(run);
    else if (!wide && settings.nextElementSibling !== run) settings.after(run);
    focused?.focus(); // moving a node drops its focus
  };
  const mq = matchMedia(WIDE);
  place(mq.matches || document.body.classList.contains('embed'));
  mq.addEventListener('change', (e) => place(e.matches || document.body.classList.contains('embed')));
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
