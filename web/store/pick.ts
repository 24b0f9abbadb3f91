// A question answered on the picture: while one is asked, the things it is about (file cards, levels, WAL records,
// memtable rows) become buttons the student presses to point at them; after the reveal, the picture itself marks
// what was right, what was wrong and what was missed, as the engine's trace decided. Lessons and practice rounds
// ask; the picture's components only read this and call toggle().
import { create } from 'zustand';
import type { PickTarget } from '../model/lessons';

export type { PickTarget };

export interface Pick {
  target: PickTarget;
  /** Exactly one thing to point at: pointing at another moves the choice. */
  single: boolean;
  /** What the student pointed at, in the order pointed. */
  chosen: string[];
  /**
   * The answer is in: the step's actions are running, and the picture already shows what they do. Pointing again
   * now would be answering after seeing (and the reveal would judge a choice other than the one sent).
   */
  locked: boolean;
  /** After the reveal: what the engine's events prove right; null while the question is open. */
  answer: string[] | null;
}

export const usePick = create<{ pick: Pick | null }>(() => ({ pick: null }));

/** Opens a question on the picture: `target`s become buttons. */
export function askPick(target: PickTarget, single = false): void {
  usePick.setState({ pick: { target, single, chosen: [], locked: false, answer: null } });
}

/** The answer is sent: from now until the question ends, pointing changes nothing. */
export function lockPick(): void {
  const { pick } = usePick.getState();
  if (pick) usePick.setState({ pick: { ...pick, locked: true } });
}

/** Points at a thing, or stops pointing at it (one at a time for a single answer). Nothing once it is sent. */
export function togglePick(id: string): void {
  const { pick } = usePick.getState();
  if (!pick || pick.locked || pick.answer) return;
  const chosen = pick.chosen.includes(id)
    ? pick.chosen.filter((c) => c !== id)
    : pick.single
      ? [id]
      : [...pick.chosen, id];
  usePick.setState({ pick: { ...pick, chosen } });
}

/** The engine's answer: the picture marks each thing right, wrong or missed. Answers whether all was right. */
export function revealPick(answer: string[]): boolean {
  const { pick } = usePick.getState();
  if (!pick) return false;
  usePick.setState({ pick: { ...pick, locked: true, answer } });
  return sameSet(pick.chosen, answer);
}

/** The question is over: the picture is the picture again. */
export function endPick(): void {
  usePick.setState({ pick: null });
}

export const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** How one thing on the picture takes part in the question. */
export type PickMark = 'none' | 'open' | 'chosen' | 'right' | 'wrong' | 'missed' | 'left';

export function markOf(pick: Pick | null, target: PickTarget, id: string): PickMark {
  if (!pick || pick.target !== target) return 'none';
  const chosen = pick.chosen.includes(id);
  if (!pick.answer) return chosen ? 'chosen' : 'open';
  const inAnswer = pick.answer.includes(id);
  return chosen ? (inAnswer ? 'right' : 'wrong') : inAnswer ? 'missed' : 'left';
}

/** For a thing on the picture: how it takes part in the question asked now, if any. */
export function usePickMark(target: PickTarget, id: string): PickMark {
  return usePick((s) => markOf(s.pick, target, id));
}

/** Words for a mark, for the thing's accessible name and its badge. */
export const MARK_WORDS: Record<PickMark, string> = {
  none: '',
  open: '',
  chosen: 'chosen',
  right: 'right: chosen, and the engine agrees',
  wrong: 'wrong: chosen, but the engine did not',
  missed: 'missed: the engine did, but it was not chosen',
  left: '',
};
