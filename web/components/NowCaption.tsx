import { useLab } from '../store/store';

/**
 * The step being shown, in large type above the stage: what a teacher would say out loud. Hidden from
 * screen readers, which already hear the same sentence from the event log.
 */
export function NowCaption() {
  const last = useLab((s) => s.log[s.log.length - 1]);
  return (
    <p className={`now now-${last?.kind.split('.')[0] ?? 'none'}`} aria-hidden="true" data-testid="now">
      {last?.text ?? 'Every step the engine takes is shown here, as it happens.'}
    </p>
  );
}
