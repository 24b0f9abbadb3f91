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
 * The newest value of `select` whose moment the player has reached; until then, the one shown before it.
 * `urgent` values (an error) are shown at once. `select` must return a value kept in the store (stable identity).
 */
export function useShown<T extends object>(
  select: (state: LabState) => T | null,
  urgent: (value: T) => boolean = () => false,
): T | null {
  const value = useLab(select);
  const reached = useLab((s) => {
    const current = select(s);
    return current === null || urgent(current) || s.cursor >= (stamps.get(current) ?? 0);
  });
  const shown = useRef<T | null>(null);
  if (value === null || reached) shown.current = value;
  return shown.current;
}
