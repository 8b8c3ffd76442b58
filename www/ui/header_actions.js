// The header's buttons: copy the share link, the glossary, help on or off, and the list of
// exercises.

import { $, announce, el, setHelp, showMessage } from './dom.js';
import { fillGlossary } from './glossary.js';
import { view } from './lazy.js';

export function wireHeader() {
  $('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      announce('Link copied.');
      $('copy-link').textContent = 'Copied';
    } catch {
      showMessage(`Copy this link to share exactly what you see: ${location.href}`);
    }
    setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 1500);
  });
  // The dialog lists every term, those of a run's results too: they come with the first opening.
  $('open-glossary').addEventListener('click', () => view('glossary_results').then(() => {
    if ($('glossary').open) return;
    fillGlossary($('glossary-list'));
    $('glossary').showModal();
  }));
  $('close-glossary').addEventListener('click', () => $('glossary').close());
  $('help-toggle').addEventListener('click', (e) => {
    const on = e.currentTarget.getAttribute('aria-pressed') !== 'true';
    e.currentTarget.setAttribute('aria-pressed', String(on));
    setHelp(on);
    announce(on ? 'Help on: Tab now stops at every (i) button.' : 'Help off.');
  });
  $('open-exercises').addEventListener('click', async () => {
    const list = $('exercise-list');
    if (!list.childElementCount) {
      try {
        const items = await (await fetch(new URL('../exercises/index.json', import.meta.url))).json();
        list.replaceChildren(...items.map((it) => el('li', {}, el('a', { href: `?exercise=${encodeURIComponent(it.id)}` }, it.title))));
      } catch (e) {
        list.replaceChildren(el('li', {}, `The list could not be read: ${e.message}`));
      }
    }
    $('exercises').showModal();
  });
  $('close-exercises').addEventListener('click', () => $('exercises').close());
}
