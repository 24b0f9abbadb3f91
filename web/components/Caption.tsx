import { useRef } from 'react';
import { type Message, useLab } from '../store/store';

/**
 * Where each status message was said on the timeline: a message (say "Put user:7 acknowledged") is set when the
 * engine answers, which can be seconds before the player has drawn the steps that led to it. It is shown only once
 * the picture has caught up with that moment, so that the words never run ahead of what the class has seen.
 */
const saidAt = new WeakMap<Message, number>();
useLab.subscribe((state, previous) => {
  if (state.message && state.message !== previous.message) {
    saidAt.set(state.message, state.base + state.history.length);
  }
});

/**
 * The caption row: the step being shown, in large type (what a teacher would say out loud), and the latest
 * status message once the picture has shown what it reports.
 */
export function Caption() {
  const last = useLab((s) => s.log[s.log.length - 1]);
  const message = useShownMessage();
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

/** The newest message whose moment the player has reached (errors at once); until then, the one before it. */
function useShownMessage(): Message | null {
  const message = useLab((s) => s.message);
  // An error (bad input, a refused write) is news of its own: it is said at once.
  const reached = useLab((s) =>
    s.message && s.message.tone !== 'error' ? s.cursor >= (saidAt.get(s.message) ?? 0) : true,
  );
  const shown = useRef<Message | null>(null);
  if (message === null || reached) shown.current = message;
  return shown.current;
}
