// The page's state (what a share link carries) has one owner: this store. Every write goes
// through it, is normalised by the core (an invalid edit throws and changes nothing), is
// written to the link, and comes back with what the core says it made stale.

/**
 * What an edit makes stale, from the core (`state_change`, crates/app/src/state/change.rs), largest first.
 * @typedef {'reload' | 'retarget' | 'retrain' | 'replot' | 'redraw' | 'nothing'} Redo
 */

/**
 * @param {object} initial  the state to start from (already normalised)
 * @param {{ normalise: (s: object) => object, invalidated: (before: object, after: object) => Redo,
 *   persist: (s: object) => void }} core  the core's link codec and change rule, and where the state is kept
 */
export function createStore(initial, { normalise, invalidated, persist }) {
  let state = initial;

  function commit(next, redo) {
    const before = state;
    state = next;
    persist(state);
    return { before, state, redo: redo ?? invalidated(before, state) };
  }

  const edited = (mutate) => {
    const next = structuredClone(state);
    mutate(next);
    // A positive class belongs to one target: another set, target or task starts from its default.
    const sameTarget = next.dataset?.id === state.dataset?.id && next.dataset?.target === state.dataset?.target && next.task === state.task;
    if (!sameTarget) delete next.positive;
    return normalise(next);
  };

  return {
    /** The current state; read it, never write to it. */
    get state() { return state; },
    /**
     * An edit by the user: `mutate` changes a copy. Throws (the state unchanged) when the
     * result is invalid. Returns `{ before, state, redo }`.
     */
    change(mutate) { return commit(edited(mutate)); },
    /** A whole new state (a link, a model file, a final evaluation counted). */
    replace(next) { return commit(normalise(next)); },
    /**
     * What the worker reports about what it holds (the file's checksum, the target it
     * chose, a model that fits the data): written to the state, with nothing to redo.
     */
    record(mutate) { return commit(edited(mutate), 'nothing'); },
    /** Writes the state to the link as it is (at start-up). */
    persist() { persist(state); },
  };
}
