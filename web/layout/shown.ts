// What the engine answers (a status message, the durability report after Recover) arrives when the operation ends,
// which can be seconds before the player has drawn the steps that led to it. Each answer is stamped with the
// position the timeline had reached when it came, and shown only once the picture has caught up with that moment:
// the words never run ahead of what the class has seen.
import { useRef } from 'react';
import { type LabState, useLab } from '../store/store';

const stamps = new WeakMap<object, number>();

useLab.subscribe((state, previous) => {
  const end = state.base + state.history.length;
  if (state.message && state.message !== previous.message) stamps.set(state.message, end);
  if (state.report && state.report !== previous.report) stamps.set(state.report, end);
});

/**
 * The newest value of `select` whose moment the player has reached; until then, the one shown before it. A value
 * replaced before its moment still gets its turn: Recover's "Recovering…" is shown while the replay is drawn, though
 * the durability report, stamped later, replaced it before the picture got there.
 * `urgent` values (an error) are shown at once. `select` must return a value kept in the store (stable identity).
 */
export function useShown<T extends object>(
  select: (state: LabState) => T | null,
  urgent: (value: T) => boolean = () => false,
): T | null {
  const value = useLab(select);
  const shown = useRef<T | null>(null);
  /** The values that came after the one shown, oldest first, each waiting for its moment. */
  const waiting = useRef<T[]>([]);
  if (value === null) {
    shown.current = null;
    waiting.current = [];
  } else if (value !== shown.current && waiting.current.at(-1) !== value) {
    waiting.current.push(value);
  }
  // The newest waiting value reached (the component renders again only when that changes), then shown.
  const reached = useLab((s) => {
    const values = waiting.current;
    for (let i = values.length - 1; i >= 0; i--) {
      const candidate = values[i]!;
      if (urgent(candidate) || s.cursor >= (stamps.get(candidate) ?? 0)) return candidate;
    }
    return null;
  });
  if (reached !== null) {
    const at = waiting.current.indexOf(reached);
    if (at >= 0) {
      shown.current = reached;
      waiting.current = waiting.current.slice(at + 1);
    }
  }
  return shown.current;
}
