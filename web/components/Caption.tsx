import { useShown } from '../layout/shown';
import { useLab } from '../store/store';

/**
 * The caption row: the step being shown, in large type (what a teacher would say out loud), and the latest
 * status message once the picture has shown what it reports.
 */
export function Caption() {
  const last = useLab((s) => s.log[s.log.length - 1]);
  // An error (bad input, a refused write) is news of its own: it is said at once.
  const message = useShown(
    (s) => s.message,
    (m) => m.tone === 'error',
  );
  const status = useLab((s) => s.connection.status);
  return (
    <div className="caption-row">
      <p className={`now now-${last?.kind.split('.')[0] ?? 'none'}`} aria-hidden="true" data-testid="now">
        {last?.text ?? 'Every step the engine takes is shown here, as it happens.'}
      </p>
      <p role="status" className={`status status-${message?.tone ?? 'info'}`} data-testid="status">
        {message?.text ??
          (status === 'starting' ? 'Opening the database…' : 'Ready. Put a key, or press Insert random.')}
      </p>
    </div>
  );
}
