import { useEffect, useRef } from 'react';
import { useLab } from '../store/store';

/** The narration: one plain sentence per engine step, newest at the bottom. */
export function EventLog() {
  const log = useLab((s) => s.log);
  const pending = useLab((s) => s.pending.length);
  const list = useRef<HTMLOListElement>(null);
  const lastId = log[log.length - 1]?.id;

  useEffect(() => {
    if (lastId !== undefined && list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [lastId]);

  return (
    <section className="panel event-log" aria-labelledby="log-title">
      <h2 id="log-title">What the engine did {pending > 0 && <span className="tag">{pending} steps to show</span>}</h2>
      <ol ref={list} role="log" aria-live="polite" aria-relevant="additions" data-testid="event-log">
        {log.map((line) => (
          <li key={line.id} className={`log-${line.kind.split('.')[0]}`}>
            {line.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
