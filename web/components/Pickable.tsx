// A thing on the picture a question can be answered by: while a question about it is open, a button laid over it
// (press to point at it, again to take it back); after the reveal, a mark on the thing itself: right, wrong (pointed
// at, but the engine did otherwise) or missed (the engine did, but nobody pointed at it).
import { MARK_WORDS, type PickTarget, togglePick, usePick, usePickMark } from '../store/pick';

const BADGES = { chosen: '●', right: '✓', wrong: '✗', missed: '○' } as const;

export function PickOverlay({ target, id, label }: { target: PickTarget; id: string; label: string }) {
  const mark = usePickMark(target, id);
  const locked = usePick((s) => s.pick?.locked === true);
  if (mark === 'none') return null;
  const revealed = mark === 'right' || mark === 'wrong' || mark === 'missed' || mark === 'left';
  const words = MARK_WORDS[mark];
  return (
    <button
      type="button"
      className={`pick-overlay pick-${mark}`}
      aria-pressed={mark === 'chosen' || mark === 'right' || mark === 'wrong'}
      aria-disabled={revealed || locked}
      aria-label={`${label}${words ? `: ${words}` : ''}`}
      data-testid="pick"
      data-pick={id}
      data-mark={mark}
      onClick={() => togglePick(id)}
    >
      {mark in BADGES && (
        <span className="pick-badge" aria-hidden="true">
          {BADGES[mark as keyof typeof BADGES]}
        </span>
      )}
    </button>
  );
}
